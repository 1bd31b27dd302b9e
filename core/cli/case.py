"""``inspect case add|edit|show``: capture a case question by question at the terminal, each
answer checked and saved as it is given."""

from __future__ import annotations

from typing import Annotated, Any, List, Optional

import typer

from ..errors import InputError
from .options import (
    DbOption,
    NameOption,
    ReasonOption,
    UserOption,
    open_fieldwork,
    who,
)

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
    fieldwork = open_fieldwork(db, name)
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
    case_id = case_id.strip()
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
    _walk(open_fieldwork(db, name), case_id, who(user), revisit=revisit, start=question, reason=reason,
          db=db)


def show(
    case_id: Annotated[str, typer.Argument(help="The case to show.")],
    name: NameOption,
    db: DbOption = None,
) -> None:
    """Show a case's answers in framework order and what is still missing."""
    fieldwork = open_fieldwork(db, name)
    case, status = fieldwork.store.case(name, case_id)
    typer.echo(f"case {case_id} ({case.sample}, {status})")
    for located in fieldwork.questions(case):
        typer.echo(f"  {located.question.id:<12} {case.answer(located.question.id) or '-'}")


def resume_hint(case_id: str, name: str, db: str | None) -> str:
    """The command that resumes a case, ready to paste: shell-quoted, any password masked."""
    from shlex import quote

    from ..store.database import database_url, shown
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


def register(app: typer.Typer, handle_errors: Any) -> None:
    """Add ``inspect case add|edit|show`` to the CLI ``app``."""
    case_app = typer.Typer(help="Capture a case question by question (add, edit, show).",
                           no_args_is_help=True)
    for command in (add, edit, show):
        case_app.command()(handle_errors(command))
    app.add_typer(case_app, name="case")
