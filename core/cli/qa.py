"""``inspect qa draw|agreement|disagreements|reconcile``: quality assurance of case judgements
(issue 15). Thin: the blind rule, the draw and the figures live in :mod:`..store.qa`; the
second assessment itself is captured with ``inspect case edit CASE --second`` or imported
with ``inspect import FILE --into NAME --second-assessment``."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from ..errors import InputError
from .options import DbOption, NameOption, UserOption, open_db, open_fieldwork, who

FORMATS = ("table", "json", "markdown")


def draw(
    name: NameOption,
    share: Annotated[float, typer.Option("--share", help="Per cent of each sample's complete cases "
                                                         "(at least one per sample).")],
    seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed (default: a new one, "
                                                               "recorded and printed).")] = None,
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Draw cases for a blind second assessment, stratified by sample (recorded and audited
    with its seed)."""
    fieldwork = open_fieldwork(db, name)
    drawn = fieldwork.draw_for_qa(share, who(user), seed=seed)
    record = fieldwork.store.qa_draws(name)[-1]
    total = sum(len(ids) for ids in drawn.values())
    typer.echo(f"drew {total} case(s) for second assessment (share {share:g}%, seed {record['seed']}):")
    for sample, ids in drawn.items():
        typer.echo(f"  {sample}: {', '.join(ids)}")
    typer.echo(f"capture each with: inspect case edit CASE --name {name} --second")


def agreement(
    name: Annotated[Optional[str], typer.Option("--name", "-n", help="The inspection in the store.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Pool every inspection in the store, by key "
                                                      "question and per assessor pair.")] = False,
    profile: Annotated[Optional[str], typer.Option("--profile", "-p", help="With --all: only "
                                                   "inspections of this profile.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown.")] = "table",
    db: DbOption = None,
) -> None:
    """Agreement between first and second assessments: per key question, per prompt and
    overall: pairs, raw agreement, Cohen's kappa (95% CI), Gwet's AC1, Landis & Koch, tables."""
    import json

    from ..qa.text import agreement_lines
    if fmt not in FORMATS:
        raise InputError(f"--format: expected one of {', '.join(FORMATS)}, found {fmt!r}")
    if every == (name is not None):
        raise InputError("give --name NAME (one inspection) or --all (every inspection in the store)")
    if profile is not None and not every:
        raise InputError("--profile applies with --all")
    if every:
        from ..session import Session
        from ..store.qa import pooled_agreement
        title, report = pooled_agreement(open_db(db), Session(), profile)
    else:
        assert name is not None
        fieldwork = open_fieldwork(db, name)
        title, report = f"inspection {name}", fieldwork.agreement()
    if fmt == "json":
        typer.echo(json.dumps({"scope": title, **report.to_dict()}, indent=1, ensure_ascii=False))
        return
    for line in agreement_lines(title, report, markdown=fmt == "markdown"):
        typer.echo(line)


def disagreements(
    name: NameOption,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    db: DbOption = None,
) -> None:
    """Every answer the first and second assessments of a case gave differently, and how
    each was reconciled."""
    import json
    if fmt not in ("table", "json"):
        raise InputError(f"--format: expected table or json, found {fmt!r}")
    items = open_fieldwork(db, name).disagreements()
    if fmt == "json":
        typer.echo(json.dumps(items, indent=1, ensure_ascii=False))
        return
    if not items:
        typer.echo(f"no disagreements in {name!r}")
        return
    for item in items:
        settled = (f"reconciled: {item['reconciled'] or '-'} ({item['reconciled_by']}: {item['reason']})"
                   if item["reconciled"] is not None else "not reconciled")
        typer.echo(f"{item['case_id']}  {item['question']:<10} first {item['first'] or '-'}, "
                   f"second {item['second'] or '-'}; {settled}")
    open_ones = sum(1 for item in items if item["reconciled"] is None)
    typer.echo(f"{len(items)} disagreement(s), {open_ones} not reconciled; reconcile with: "
               f"inspect qa reconcile CASE --name {name} --question ID --answer ANSWER --reason TEXT")


def reconcile(
    case_id: Annotated[str, typer.Argument(help="The case assessed twice.")],
    name: NameOption,
    question: Annotated[str, typer.Option("--question", "-q", help="The question (id or CARaG code).")],
    answer: Annotated[str, typer.Option("--answer", help="The reconciled answer ('-': not applicable).")],
    reason: Annotated[str, typer.Option("--reason", help="Why (required; audited).")],
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Record the lead inspector's reconciled answer to a disagreement (audited): the rating
    uses it; the agreement figures keep the original pair."""
    stored = open_fieldwork(db, name).reconcile(case_id, question, answer, reason, who(user))
    typer.echo(f"case {case_id}: {question} reconciled as {stored or 'not applicable'}")


def register(app: typer.Typer, handle_errors: Any) -> None:
    """Add ``inspect qa draw|agreement|disagreements|reconcile`` to the CLI ``app``."""
    qa_app = typer.Typer(help="Quality assurance: blind second assessment, agreement, reconciliation.",
                         no_args_is_help=True)
    for command in (draw, agreement, disagreements, reconcile):
        qa_app.command()(handle_errors(command))
    app.add_typer(qa_app, name="qa")
