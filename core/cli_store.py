"""CLI commands for fieldwork in the inspection store: init, import, case capture, decisions,
audit, sign-off and export. Thin: each parses options and calls :mod:`.capture` or
:mod:`.store`; heavy modules are imported inside the commands (start-up is benchmarked)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from .errors import InputError

USER_ENV = "HMIP_USER"

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="Store: a SQLite file path or postgresql://user@host/db (default: $HMIP_DB, "
                 "else inspections.sqlite).")]
NameOption = Annotated[str, typer.Option("--name", "-n", help="The inspection's name in the store.")]
UserOption = Annotated[Optional[str], typer.Option(
    "--user", help="Who makes the change (default: $HMIP_USER, else your login name).")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why: kept in the audit trail.")]


def who(user: str | None) -> str:
    return user or os.environ.get(USER_ENV) or getpass.getuser()


_open_stores: list = []


def open_db(db: str | None, *, create: bool = False):
    """Open the store for this command; :func:`close_stores` closes it (and, on SQLite,
    checkpoints it into its one file) when the command ends, whether it succeeded or not."""
    from .store import open_store
    store = open_store(db, create=create)
    _open_stores.append(store)
    return store


def close_stores() -> None:
    """Close every store the command opened (called by the CLI after each command)."""
    while _open_stores:
        _open_stores.pop().close()


def _fieldwork(db: str | None, name: str):
    from .capture import Fieldwork
    from .session import Session
    return Fieldwork(open_db(db), name, Session())


def rate_stored(db: str | None, name: str):
    """Rate an inspection held in the store: (profile, inspection, result); a note on
    standard error when its profile or a plugin has changed since it was imported."""
    fieldwork = _fieldwork(db, name)
    if note := fieldwork.change_note():
        typer.echo(note, err=True)
    return fieldwork.rate()


case_app = typer.Typer(help="Capture a case question by question (add, edit, show).",
                       no_args_is_help=True)
inspection_app = typer.Typer(help="Change a stored inspection itself (its recorded profile).",
                             no_args_is_help=True)


def register(app: typer.Typer, handle_errors) -> None:
    """Add the fieldwork commands to the CLI ``app``."""
    for command in (init, import_cases, inspections, judgement, moderation, panel, audit,
                    signoff, unlock, export, backup, grants):
        app.command(name=command.__name__.replace("import_cases", "import"))(handle_errors(command))
    for command in (add, edit, show):
        case_app.command()(handle_errors(command))
    app.add_typer(case_app, name="case")
    inspection_app.command(name="adopt-profile")(handle_errors(adopt_profile))
    app.add_typer(inspection_app, name="inspection")


# --------------------------------------------------------------------------------------
# Setting up
# --------------------------------------------------------------------------------------


def init(
    folder: Annotated[Path, typer.Argument(help="New inspection folder (must not exist or be empty).")],
    profile: Annotated[str, typer.Option("--profile", "-p", help="Profile name or TOML path.")],
    provider: Annotated[str, typer.Option(help="Provider inspected.")] = "Provider name",
) -> None:
    """Write an inspection skeleton: inspection.toml, case templates per sample, judgements.toml."""
    from .session import Session
    from .skeleton import write_skeleton
    session = Session()
    written = write_skeleton(folder, session.profile(profile), session.catalogue, provider)
    for path in written:
        typer.echo(f"wrote {path}")


def import_cases(
    paths: Annotated[List[Path], typer.Argument(help="An inspection folder, or case files / folders "
                                                     "of case files (CSV, XLSX, JSON) with --into.")],
    db: DbOption = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", "-n", help="Name of the new inspection (default: the folder's name).")] = None,
    into: Annotated[Optional[str], typer.Option(
        "--into", help="Add the case files to this stored inspection.")] = None,
    user: UserOption = None,
) -> None:
    """Import an inspection folder, or case files into a stored inspection: all checked first,
    nothing written unless all of it is valid."""
    from .capture import import_folder
    from .session import Session
    if into:
        count = _fieldwork(db, into).import_files(paths, who(user))
        typer.echo(f"imported {count} case(s) into {into!r}")
        return
    if len(paths) != 1 or not (paths[0] / "inspection.toml").is_file():
        raise InputError("give one inspection folder (with inspection.toml), or case files with "
                         "--into NAME")
    folder = paths[0]
    target = name or folder.resolve().name
    count = import_folder(open_db(db, create=True), Session(), folder, target, who(user))
    typer.echo(f"imported inspection {target!r} with {count} case(s)")


def inspections(db: DbOption = None) -> None:
    """List the inspections in the store."""
    for item in open_db(db).inspections():
        state = "signed off" if item.locked else "open"
        typer.echo(f"{item.name:<24} {item.profile:<8} {item.cases:>5} cases  {state:<10} {item.provider}")


# --------------------------------------------------------------------------------------
# Case capture
# --------------------------------------------------------------------------------------


def add(
    case_id: Annotated[str, typer.Argument(help="The new case's id.")],
    name: NameOption,
    sample: Annotated[str, typer.Option("--sample", "-s", help="The case's sample, e.g. domain2.")],
    attribute: Annotated[Optional[List[str]], typer.Option(
        "--attribute", "-a", help="A case attribute, NAME=VALUE (repeatable); asked for if needed.")] = None,
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Add a case and answer its questions one by one ('?' guidance, '-' leave empty, 'q' stop)."""
    fieldwork = _fieldwork(db, name)
    attributes = {}
    for item in attribute or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--attribute: expected NAME=VALUE, found {item!r}")
        attributes[key.strip()] = value.strip()
    for needed in fieldwork.attributes_needed(sample):
        if needed not in attributes:
            declared = fieldwork.session.catalogue.attributes.get(needed)
            choices = f" ({', '.join(declared.values)})" if declared and declared.values else ""
            attributes[needed] = typer.prompt(f"{needed}{choices}").strip()
    fieldwork.start(case_id, sample, attributes, who(user))
    _walk(fieldwork, case_id, who(user), revisit=False, db=db)


def edit(
    case_id: Annotated[str, typer.Argument(help="The case to resume or correct.")],
    name: NameOption,
    question: Annotated[Optional[str], typer.Option(
        "--question", "-q", help="Go to this question (id or CARaG code) and ask from there.")] = None,
    revisit: Annotated[bool, typer.Option(
        "--all", help="Ask every question again, showing the current answers.")] = False,
    reason: ReasonOption = "",
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Resume a case where it was left, or correct answers (each change audited)."""
    _walk(_fieldwork(db, name), case_id, who(user), revisit=revisit, start=question, reason=reason,
          db=db)


def show(
    case_id: Annotated[str, typer.Argument(help="The case to show.")],
    name: NameOption,
    db: DbOption = None,
) -> None:
    """Show a case's answers in framework order and what is still missing."""
    fieldwork = _fieldwork(db, name)
    case, status = fieldwork.store.case(name, case_id)
    typer.echo(f"case {case_id} ({case.sample}, {status})")
    for located in fieldwork.questions(case):
        typer.echo(f"  {located.question.id:<12} {case.answer(located.question.id) or '-'}")


def resume_hint(case_id: str, name: str, db: str | None) -> str:
    """The command that resumes a case, ready to paste: shell-quoted, any password masked."""
    from shlex import quote

    from .store import database_url, shown
    hint = f"inspect case edit {quote(case_id)} --name {quote(name)}"
    return hint + (f" --db {quote(shown(database_url(db)))}" if db else "")


def _ordered(fieldwork, case):
    """Applicable questions in the order the CARaG asks them: each key question's prompts, then
    its summary judgement."""
    groups: dict[str, list] = {}
    for item in fieldwork.questions(case):
        groups.setdefault(item.key_question.id, []).append(item)
    return [item for group in groups.values()
            for item in sorted(group, key=lambda i: i.question.id == i.key_question.id)]


def _walk(fieldwork, case_id: str, user: str, *, revisit: bool, start: str | None = None,
          reason: str = "", db: str | None = None) -> None:
    case, _ = fieldwork.store.case(fieldwork.name, case_id)
    questions = _ordered(fieldwork, case)
    total = len(questions)
    if start is not None:
        index = fieldwork.schema.index.get(start)
        ids = [item.question.id for item in questions]
        if index is None or index.question.id not in ids:
            raise InputError(f"--question: {start!r} is not a question that applies to case {case_id}")
        questions = questions[ids.index(index.question.id):]
        revisit = True
    for number, item in enumerate(questions, start=1 + total - len(questions)):
        question = item.question
        current = case.answer(question.id)
        if current and not revisit:
            continue
        if question.implied is not None:   # its rule may hold given the answers so far
            case, _ = fieldwork.store.case(fieldwork.name, case_id)
            implied = fieldwork.schema.implied_answer(question.id, case.attributes, case.answers)
        else:
            implied = None
        if implied is not None:
            fieldwork.answer(case_id, question.id, implied, user, reason="implied by a rule of the catalogue")
            typer.echo(f"\n[{number}/{total}] {question.id} {question.text}\n"
                       f"  {implied} (implied: {question.implied.note})")
            continue
        if not _ask(fieldwork, case_id, item, number, total, current, user, reason):
            typer.echo(f"Saved. Resume with: {resume_hint(case_id, fieldwork.name, db)}")
            fieldwork.finish(case_id, user)
            return
    missing = fieldwork.finish(case_id, user)
    if missing:
        typer.echo(f"case {case_id} is still in progress:")
        for problem in missing:
            typer.echo(f"  - {problem}")
    else:
        typer.echo(f"case {case_id} is complete")


def _ask(fieldwork, case_id, item, number, total, current, user, reason) -> bool:
    """Ask one question until it gets an acceptable answer; False when the user stops."""
    question = item.question
    codes = f" ({', '.join(question.aliases)})" if question.aliases else ""
    kind = "summary judgement: " if question.id == item.key_question.id else ""
    if question.per_factor_of:
        choices = f"factor=yes or factor=no for each factor recorded at {question.per_factor_of}, with ;"
    elif question.free:
        choices = "free answer"
    else:
        choices = "/".join(question.answers) + ("; several with ;" if question.multiple else "")
    typer.echo(f"\n[{number}/{total}] {question.id}{codes} {kind}{question.text}")
    while True:
        raw = typer.prompt(f"({choices}; ? guidance, - empty, q stop)", default=current or "",
                           show_default=bool(current)).strip()
        if raw == "?":
            typer.echo(question.guidance or item.key_question.guidance or "No guidance for this question.")
            continue
        if raw.lower() in ("q", "quit"):
            return False
        try:
            fieldwork.answer(case_id, question.id, "" if raw == "-" else raw, user, reason)
        except InputError as exc:
            for problem in exc.problems:
                typer.echo(f"  not recorded: {problem.message}")
            continue
        return True


# --------------------------------------------------------------------------------------
# Decisions, audit and sign-off
# --------------------------------------------------------------------------------------

StandardOption = Annotated[str, typer.Option("--standard", help="The standard, e.g. 1.1.")]
DirectionOption = Annotated[str, typer.Option("--direction", help="up or down.")]
RationaleOption = Annotated[str, typer.Option("--rationale", help="Why (footnoted in the report).")]


def judgement(name: NameOption, standard: StandardOption,
              rating: Annotated[str, typer.Option(help="Outstanding, Good, Requires improvement or Inadequate.")],
              evidence: Annotated[str, typer.Option(help="The evidence summary.")],
              reason: ReasonOption = "", db: DbOption = None, user: UserOption = None) -> None:
    """Record the lead inspector's rating of a judgement-rated standard (domain one)."""
    _fieldwork(db, name).decide("judgement", standard, who(user), reason, rating=rating, evidence=evidence)
    typer.echo(f"judgement on {standard} recorded")


def moderation(name: NameOption, standard: StandardOption, direction: DirectionOption,
               rationale: RationaleOption,
               ratified: Annotated[bool, typer.Option("--ratified/--not-ratified")] = False,
               reason: ReasonOption = "", db: DbOption = None, user: UserOption = None) -> None:
    """Record a qualitative moderation (unpaid work 4.1.3), applied only when ratified."""
    _fieldwork(db, name).decide("moderation", standard, who(user), reason, direction=direction,
                                rationale=rationale, ratified=ratified)
    typer.echo(f"moderation of {standard} recorded")


def panel(name: NameOption, standard: StandardOption, direction: DirectionOption,
          rationale: RationaleOption, reason: ReasonOption = "", db: DbOption = None,
          user: UserOption = None) -> None:
    """Record a ratings-panel professional judgement on a standard."""
    _fieldwork(db, name).decide("panel", standard, who(user), reason, direction=direction,
                                rationale=rationale)
    typer.echo(f"panel decision on {standard} recorded")


def audit(name: NameOption, case: Annotated[Optional[str], typer.Option(help="Only this case.")] = None,
          db: DbOption = None,
          fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
    """Show the audit trail: who changed what, when, from what to what, and why."""
    import json
    from dataclasses import asdict

    entries = open_db(db).audit_trail(name, case)
    if fmt == "json":
        typer.echo(json.dumps([asdict(e) for e in entries], indent=1, ensure_ascii=False))
        return
    if fmt != "table":
        raise InputError(f"--format: expected table or json, found {fmt!r}")
    for e in entries:
        where = " ".join(part for part in (e.case_id, e.item) if part)
        change = f"{e.old or '-'} -> {e.new or '-'}" if (e.old or e.new) else ""
        why = f"  ({e.reason})" if e.reason else ""
        typer.echo(f"{e.at}  {e.who:<12} {e.action:<10} {where:<20} {change}{why}")


def signoff(name: NameOption, by: Annotated[str, typer.Option("--by", help="Who signs off (the panel).")],
            reason: ReasonOption = "", db: DbOption = None) -> None:
    """Sign the inspection off: it is locked, and edits are refused until it is unlocked.

    Refused, with every reason at once, while it cannot be rated (cases in progress, missing
    judgements, a decision the rules refuse)."""
    _fieldwork(db, name).sign_off(by, reason)
    typer.echo(f"inspection {name!r} signed off and locked")


def unlock(name: NameOption, reason: Annotated[str, typer.Option("--reason", help="Why (required).")],
           db: DbOption = None, user: UserOption = None) -> None:
    """Unlock a signed-off inspection for edits; the reason is kept in the audit trail."""
    open_db(db).unlock(name, who(user), reason)
    typer.echo(f"inspection {name!r} unlocked")


def export(name: NameOption,
           output: Annotated[Path, typer.Option("--output", "-o", help="File (xlsx, json) or folder (csv).")],
           fmt: Annotated[str, typer.Option("--format", "-f", help="csv, xlsx or json.")] = "csv",
           headers: Annotated[str, typer.Option(help="Column names: ids, codes (CARaG where there is "
                                                     "one) or labels (id and wording).")] = "ids",
           db: DbOption = None) -> None:
    """Export the cases in framework order, one table per sample."""
    from .export import export_cases
    for path in export_cases(_fieldwork(db, name), output, fmt, headers):
        typer.echo(f"wrote {path}")


def backup(db: DbOption = None,
           output: Annotated[Path, typer.Option("--output", "-o", help="The backup file to write "
                                                "(must not exist).", dir_okay=False)] = ...,
           ) -> None:
    """Copy a SQLite store into one self-contained file, safely while others write
    (SQLite's online backup). For PostgreSQL use pg_dump."""
    from .case_files import atomic_path
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
    from .store_schema import grant_statements
    for statement in grant_statements(role):
        typer.echo(statement)


def adopt_profile(name: NameOption,
                  reason: Annotated[str, typer.Option("--reason", help="Why (required; audited).")],
                  db: DbOption = None, user: UserOption = None) -> None:
    """Rate a stored inspection with its profile and plugins as they are now (audited;
    refused once signed off)."""
    snapshot = _fieldwork(db, name).adopt_profile(who(user), reason)
    typer.echo(f"inspection {name!r} now rated with profile {snapshot.source!r} as it is now")
