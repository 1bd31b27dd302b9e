"""``inspect sample``: draw an inspection's case sample from its eligible population.

Kept out of :mod:`.cli` so that module stays small; like every command, it imports the
framework's modules only when it runs (the CLI's start-up is benchmarked).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..errors import InputError, Problems


def sample(
    profile: Annotated[Optional[str], typer.Option(
        "--profile", "-p", help="Built-in profile name or path to a profile TOML file; its "
                                "sampling table says how each sample is drawn (required).")] = None,
    population: Annotated[Optional[Path], typer.Option(
        "--population", help="Eligible-population CSV: case_id, sample, the date columns the "
                             "windows name, the strata attributes (required).", dir_okay=False)] = None,
    fieldwork: Annotated[Optional[str], typer.Option(
        "--fieldwork", help="First day of fieldwork, YYYY-MM-DD; eligibility windows count back "
                            "from it.")] = None,
    seed: Annotated[Optional[int], typer.Option(
        "--seed", help="Random seed; default: the profile's, or 1. Same seed, same sample.")] = None,
    confidence: Annotated[Optional[float], typer.Option(
        "--confidence", help="Confidence level in per cent for every sample not of fixed size; "
                             "default: the profile's, or 80.")] = None,
    margin: Annotated[Optional[float], typer.Option(
        "--margin", help="Margin of error in percentage points; default: the profile's, "
                         "or 5.")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the selected cases here as CSV (case_id, sample, strata "
                               "attributes).", dir_okay=False)] = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", "-n", "--into", help="Create the selected cases in this stored inspection as "
                                       "cases in progress (audited with the seed and the "
                                       "population file's SHA-256).")] = None,
    db: Annotated[Optional[str], typer.Option(
        "--db", help="Store for --name: a SQLite file path or postgresql://user@host/db "
                     "(default: $HMIP_DB, else inspections.sqlite).")] = None,
    user: Annotated[Optional[str], typer.Option(
        "--user", help="Who makes the change (default: $HMIP_USER, else your login name).")] = None,
) -> None:
    """Draw a stratified case sample from an eligible population; print how it compares."""
    from datetime import date

    import structlog

    from ..profiles.profile import confidence_problem, margin_problem
    from ..sampling.draw import draw_samples, selection_table, summary_text, write_selection
    from ..sampling.population import fieldwork_needed, parse_date, read_population
    from ..sampling.windows import check_samples
    from ..session import Session

    log = structlog.get_logger(__name__)
    problems = Problems()
    for option, value in (("--profile", profile), ("--population", population)):
        if value is None:
            problems.add(option, "required")
    day: date | None = None
    if fieldwork is not None:
        day = parse_date(fieldwork)
        if day is None:
            problems.add("--fieldwork", f"expected a date YYYY-MM-DD, found {fieldwork!r}")
    for option, number, check in (("--confidence", confidence, confidence_problem),
                                  ("--margin", margin, margin_problem)):
        message = check(number) if number is not None else None
        if message:
            problems.add(option, message)
    if seed is not None and seed < 0:
        problems.add("--seed", f"expected a whole number of at least 0, found {seed}")
    if output is not None and output.is_dir():
        problems.add("--output", f"{output} is a folder; expected a file name")
    if profile is None or population is None:
        problems.raise_if_any("cannot draw a sample")
    assert profile is not None and population is not None  # else a problem above raised

    session = Session()
    chosen, catalogue = session.profile(profile), session.catalogue
    plan = chosen.sampling
    if plan is None:
        problems.add(f"profile {chosen.name!r} ({chosen.path})",
                     "has no [sampling] table: it does not say how its cases are drawn")
        problems.raise_if_any("cannot draw a sample")
    assert plan is not None  # else the problem above raised
    known = {catalogue.profile_standard(chosen.edition, s).sample for s in chosen.all_standards}
    problems.extend(check_samples(plan, {s for s in known if s}, chosen.path.name))
    vocabularies = {name: attribute.values for name, attribute in catalogue.attributes.items()}
    cases = read_population(population, plan, vocabularies, problems)
    windowed = fieldwork_needed(plan, cases)
    if windowed and fieldwork is None:
        problems.add("--fieldwork", f"required: the eligibility of sample {', '.join(windowed)} "
                                    "counts back from the fieldwork date")
    problems.raise_if_any(f"cannot draw a sample from {population}")

    fieldwork_store = None
    if name is not None:
        from .options import open_fieldwork, who
        fieldwork_store = open_fieldwork(db, name)
        if fieldwork_store.info.profile != chosen.name:
            raise InputError(f"--name {name!r}: that inspection uses profile "
                             f"{fieldwork_store.info.profile!r}, not {chosen.name!r}")
    draws = draw_samples(plan, cases, day, seed=seed, confidence=confidence, margin=margin)
    if output is not None:
        write_selection(output, draws, plan)
    log.debug("samples drawn", samples=len(draws), selected=sum(len(d.selected) for d in draws))
    typer.echo(summary_text(draws, plan, day), nl=False)
    if output is not None:
        typer.echo(f"written: {output}")
    header, rows = selection_table(draws, plan)
    if fieldwork_store is not None:
        added = fieldwork_store.add_selection(header, rows, population, {d.seed for d in draws}, who(user),
                                              {d.rule.name: len(d.selected) for d in draws})
        typer.echo(f"created {added} case(s) in progress in {name!r}; capture them with "
                   f"'inspect case edit CASE --name {name}'")
    if output is None and name is None:
        typer.echo("\nSelected cases:")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            typer.echo("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def register(app: typer.Typer, handle_errors: Any) -> None:
    app.command()(handle_errors(sample))
