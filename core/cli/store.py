"""Commands on the store itself: init, import, inspections, export, backup, grants and the
inspection's recorded profile. Thin: each parses options and calls the store's services;
heavy modules are imported inside the commands (start-up is benchmarked)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, List, Optional

import typer

from ..errors import InputError
from .options import (
    DbOption,
    NameOption,
    ReasonOption,
    UserOption,
    open_db,
    open_fieldwork,
    who,
)

# --------------------------------------------------------------------------------------
# Setting up
# --------------------------------------------------------------------------------------


def init(
    folder: Annotated[Path, typer.Argument(help="New inspection folder (must not exist or be empty).")],
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile name or TOML path.")],
    provider: Annotated[str, typer.Option(help="Provider inspected.")] = "Provider name",
) -> None:
    """Write an inspection skeleton: inspection.toml, case templates per sample, judgements.toml."""
    from ..inspection.skeleton import write_skeleton
    from ..session import Session
    session = Session()
    written = write_skeleton(folder, session.profile(profile), session.catalogue, provider)
    for path in written:
        typer.echo(f"wrote {path}")


def import_cases(
    paths: Annotated[List[Path], typer.Argument(help="An inspection folder, or case files / folders "
                                                     "of case files (CSV, XLSX, JSON) with --into.")],
    db: DbOption = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", "-n", help="The inspection in the store: the new one a folder becomes (default: "
                             "the folder's name), or the one case files are added to.")] = None,
    into: Annotated[Optional[str], typer.Option(
        "--into", help="Add the case files to this stored inspection (as --name does for case "
                       "files).")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="With --into: replace the stored cases the files name (each "
                          "replacement audited) instead of refusing duplicate case ids.")] = False,
    in_progress: Annotated[bool, typer.Option(
        "--in-progress", help="With --into: import cases missing summary judgements as cases "
                              "in progress (finish them with 'inspect case edit').")] = False,
    second_assessment: Annotated[bool, typer.Option(
        "--second-assessment", help="With --into: the files hold your blind second assessment of "
                                    "cases in the store (submitted as imported).")] = False,
    user: UserOption = None,
) -> None:
    """Import an inspection folder, or case files into a stored inspection: all checked first,
    nothing written unless all of it is valid."""
    from ..session import Session
    from ..store.imports import prepare_folder, store_folder
    folder_given = len(paths) == 1 and (paths[0] / "inspection.toml").is_file()
    if into is None and name is not None and not folder_given:
        into = name                         # case files: --name names the inspection to add to
    if into and second_assessment:
        if replace or in_progress:
            raise InputError("--second-assessment imports submitted second assessments: give it "
                             "without --replace or --in-progress")
        count = open_fieldwork(db, into).import_second_assessment(paths, who(user))
        typer.echo(f"imported {count} second assessment(s) into {into!r}")
        return
    if into:
        count = open_fieldwork(db, into).import_files(paths, who(user), replace=replace,
                                                      in_progress=in_progress)
        typer.echo(f"imported {count} case(s) into {into!r}")
        return
    if replace or in_progress or second_assessment:
        raise InputError("--replace, --in-progress and --second-assessment apply to case files "
                         "imported into a stored inspection: give them with --into NAME")
    if len(paths) != 1 or not (paths[0] / "inspection.toml").is_file():
        raise InputError("give one inspection folder (with inspection.toml), or case files with "
                         "--into NAME")
    from ..names import checked_name
    folder = paths[0]
    target = checked_name(name or folder.resolve().name, "--name")
    prepared = prepare_folder(Session(), folder)          # checked before a store is opened
    count = store_folder(open_db(db, create=True), prepared, target, who(user))
    typer.echo(f"imported inspection {target!r} with {count} case(s)")


def inspections(db: DbOption = None,
                fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
    """List the inspections in the store: profile, provider, cases complete of all, state
    (in fieldwork, ready, signed off) and when each last changed."""
    import json

    from ..session import Session
    from ..store.progress import inspections_overview
    if fmt not in ("table", "json"):
        raise InputError(f"--format: expected table or json, found {fmt!r}")
    rows = inspections_overview(open_db(db), Session())
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    table = [("Name", "Profile", "Provider", "Cases", "State", "Last change")]
    table += [(r["name"], r["profile"], r["provider"], f"{r['complete']}/{r['cases']}", r["state"],
               r["last_change"]) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


def status(name: NameOption, db: DbOption = None,
           fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
    """Where the fieldwork stands: cases per sample, missing summary judgements, decisions
    due, standards eligible for professional judgement, whether it can be signed off."""
    import json
    if fmt not in ("table", "json"):
        raise InputError(f"--format: expected table or json, found {fmt!r}")
    current = open_fieldwork(db, name).status()
    if fmt == "json":
        typer.echo(json.dumps(current.to_dict(), indent=1, ensure_ascii=False))
        return
    _print_status(current)


#: Cases listed per sample under "Summary judgements missing" at the terminal.
MISSING_SHOWN = 10


def _print_status(current) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.progress_bar import ProgressBar
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    console.print(f"{escape(current.name)}: {escape(current.provider)} ({escape(current.profile)}), "
                  f"{current.state}")
    table = Table(box=None, pad_edge=False)
    for column in ("Sample", "Progress", "Complete", "In progress", "Not started"):
        table.add_column(column)
    for sample in current.samples:
        table.add_row(escape(sample.sample), ProgressBar(total=max(sample.size, 1),
                                                          completed=sample.complete, width=30),
                      f"{sample.complete}/{sample.size}", str(sample.in_progress), str(sample.not_started))
    console.print(table)
    missing = []
    for sample in current.samples:
        listed = list(sample.missing.items())
        missing += [f"case {escape(case)}: {', '.join(kqs)}" for case, kqs in listed[:MISSING_SHOWN]]
        if len(listed) > MISSING_SHOWN:
            missing.append(f"... and {len(listed) - MISSING_SHOWN} more case(s) of the "
                           f"{escape(sample.sample)!r} sample (all of them: --format json)")
    sections = [
        ("Summary judgements missing", missing),
        ("Still due", [escape(item) for item in current.due]),
        ("Professional judgement", [f"{e.standard}: {e.state}"
                                    + (f" ({'up' if e.up else ''}{'/' if e.up and e.down else ''}"
                                       f"{'down' if e.down else ''})" if e.up or e.down else "")
                                    + (f", panel decided {e.decided}" if e.decided else "")
                                    + f": {escape('; '.join(e.reasons))}" for e in current.eligibility]),
        ("Warnings", [escape(w) for w in current.warnings]),
    ]
    for title, lines in sections:
        if lines:
            console.print(f"\n{title}:")
            for line in lines:
                console.print(f"  - {line}")
    if current.state == "signed off":
        console.print("\nSigned off: locked until unlocked with a reason.")
    elif current.can_sign_off:
        console.print("\nReady: it can be rated and signed off.")
    else:
        console.print("\nNot ready to rate or sign off:")
        for reason in current.reasons:
            console.print(f"  - {escape(reason)}")


def export(name: NameOption,
           output: Annotated[str, typer.Option("--output", "-o", help="File (xlsx, json), or folder "
                                                                      "(csv; xlsx, json: ending in /).")],
           fmt: Annotated[str, typer.Option("--format", "-f", help="csv, xlsx or json.")] = "csv",
           headers: Annotated[str, typer.Option(help="Column names: ids, codes (CARaG where there is "
                                                     "one) or labels (id and wording).")] = "ids",
           force: Annotated[bool, typer.Option("--force", help="Replace existing output files.")] = False,
           db: DbOption = None) -> None:
    """Export the cases in framework order, one table per sample."""
    from ..store.export import export_cases
    for path in export_cases(open_fieldwork(db, name), output, fmt, headers, force=force):
        typer.echo(f"wrote {path}")


def backup(db: DbOption = None,
           output: Annotated[Path, typer.Option("--output", "-o", help="The backup file to write "
                                                "(must not exist).", dir_okay=False)] = ...,  # type: ignore[assignment]
           ) -> None:
    """Copy a SQLite store into one self-contained file, safely while others write
    (SQLite's online backup). For PostgreSQL use pg_dump."""
    from ..inspection.case_files_write import atomic_path
    if output.exists():
        raise InputError(f"--output {output} already exists; choose a new file name")
    if not output.parent.is_dir():
        raise InputError(f"--output {output}: folder {output.parent} does not exist")
    store = open_db(db)
    try:
        with atomic_path(output) as temporary:
            store.backup(temporary)
    except OSError as exc:
        raise InputError(f"--output {output}: cannot be written: {exc.strerror or exc}") from None
    typer.echo(f"backed up to {output}")


def grants(role: Annotated[str, typer.Option("--role", help="The PostgreSQL role the application "
                                             "runs as (it must not own the tables).")]) -> None:
    """Print the SQL that lets a PostgreSQL role use a store without owning it (see README)."""
    from ..store.schema import grant_statements
    for statement in grant_statements(role):
        typer.echo(statement)


def adopt_profile(name: NameOption,
                  reason: Annotated[str, typer.Option("--reason", help="Why (required; audited).")],
                  db: DbOption = None, user: UserOption = None) -> None:
    """Rate a stored inspection with its profile and plugins as they are now (audited;
    refused once signed off)."""
    snapshot = open_fieldwork(db, name).adopt_profile(who(user), reason)
    typer.echo(f"inspection {name!r} now rated with profile {snapshot.source!r} as it is now")


def edit_inspection(name: NameOption,
                    provider: Annotated[Optional[str], typer.Option(help="The provider inspected.")] = None,
                    fieldwork: Annotated[Optional[str], typer.Option(help="The fieldwork dates.")] = None,
                    notes: Annotated[Optional[str], typer.Option(help="Notes on the inspection.")] = None,
                    reason: ReasonOption = "", db: DbOption = None, user: UserOption = None) -> None:
    """Change a stored inspection's provider, fieldwork or notes (each change audited;
    refused once signed off)."""
    changed = open_fieldwork(db, name).edit_inspection(
        {"provider": provider, "fieldwork": fieldwork, "notes": notes}, who(user), reason)
    typer.echo(f"inspection {name!r}: " + (f"changed {', '.join(changed)}" if changed else "nothing changed"))


def register(app: typer.Typer, handle_errors: Any) -> None:
    """Add the store commands to the CLI ``app``."""
    for command in (init, import_cases, inspections, status, export, backup, grants):
        app.command(name=command.__name__.replace("import_cases", "import"))(handle_errors(command))
    inspection_app = typer.Typer(help="Change a stored inspection itself (its recorded profile).",
                                 no_args_is_help=True)
    inspection_app.command(name="adopt-profile")(handle_errors(adopt_profile))
    inspection_app.command(name="edit")(handle_errors(edit_inspection))
    app.add_typer(inspection_app, name="inspection")
