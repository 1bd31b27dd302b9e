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
    """Add a case and answer its questions one by one (y/n, a number or the start of an
    answer; '?' guidance, '-' not applicable, '<' back, 'q' stop)."""
    from ..store.corrections import parse_assignments
    fieldwork = open_fieldwork(db, name)
    fieldwork.store.ensure_writable(name)           # say so before asking anything
    attributes = parse_assignments(attribute or [])
    for needed in fieldwork.attributes_needed(sample):
        if needed not in attributes:
            attributes[needed] = _ask_attribute(fieldwork, sample, needed)
    case_id = case_id.strip()
    fieldwork.start(case_id, sample, attributes, who(user))
    _walk(fieldwork, case_id, who(user), revisit=False, db=db, given_user=user)


def _ask_attribute(fieldwork, sample: str, needed: str) -> str:
    """Ask for one attribute until its value is acceptable (checked as typed)."""
    declared = fieldwork.session.catalogue.attributes.get(needed)
    values = tuple(declared.values) if declared and declared.values else ()
    choices = ", ".join(f"{n} {v}" for n, v in enumerate(values, start=1)) if values else "any value"
    while True:
        raw = typer.prompt(f"{needed} ({choices}; ? guidance)", default="", show_default=False).strip()
        if raw == "?":
            typer.echo(declared.description if declared and declared.description
                       else f"No guidance for {needed}.")
            continue
        if not raw:
            continue
        try:
            return fieldwork.check_attribute(sample, needed, raw)
        except InputError as exc:
            for problem in exc.problems:
                typer.echo(f"  not accepted: {problem.message}")


def edit(
    case_id: Annotated[str, typer.Argument(help="The case to resume or correct.")],
    name: NameOption,
    question: Annotated[Optional[str], typer.Option(
        "--question", "-q", help="Go to this question (id or CARaG code) and ask from there.")] = None,
    revisit: Annotated[bool, typer.Option(
        "--all", help="Ask every question again, showing the current answers.")] = False,
    attribute: Annotated[Optional[List[str]], typer.Option(
        "--attribute", "-a", help="Change a case attribute, NAME=VALUE (repeatable): answers that "
                                  "no longer apply are listed and, once confirmed, cleared.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Clear answers that no longer apply "
                                                          "without asking.")] = False,
    second: Annotated[bool, typer.Option(
        "--second", help="Record your blind second assessment of a case drawn by 'inspect qa draw' "
                         "(the first assessment stays hidden until you submit).")] = False,
    reason: ReasonOption = "",
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Resume a case where it was left, or correct answers or attributes (each change audited)."""
    fieldwork = open_fieldwork(db, name)
    if second:
        if attribute or revisit or question:
            raise InputError("--second asks the questions of your second assessment in order: "
                             "give it without --attribute, --all or --question")
        _walk(fieldwork.second_capture(case_id, who(user)), case_id, who(user), revisit=False, db=db,
              given_user=user)
        return
    fieldwork.check_may_see_first(case_id, who(user))   # the blind rule (issue 15)
    if attribute:
        _change_attributes(fieldwork, case_id, attribute, who(user), reason, yes, db, user)
        return
    _walk(fieldwork, case_id, who(user), revisit=revisit, start=question, reason=reason, db=db,
          given_user=user)


def _change_attributes(fieldwork, case_id, items, user, reason, yes, db, given_user=None) -> None:
    from ..store.corrections import parse_assignments
    change = fieldwork.plan_attribute_change(case_id, parse_assignments(items))
    if not change.attributes:
        typer.echo(f"case {case_id}: the attributes are already so; nothing changed")
        return
    if change.cleared:
        typer.echo(f"case {case_id}: these answers no longer apply and will be cleared:")
        for qid in change.cleared:
            typer.echo(f"  - {qid}")
        if not yes and not typer.confirm("Clear them and change the attributes?", default=False):
            typer.echo("nothing changed")
            return
    missing = fieldwork.change_attributes(change, user, reason)
    changed = ", ".join(f"{k}={v}" for k, v in sorted(change.attributes.items()))
    typer.echo(f"case {case_id}: {changed}; {len(change.cleared)} answer(s) cleared")
    if missing:
        typer.echo(f"case {case_id} is in progress; resume with: "
                   f"{resume_hint(case_id, fieldwork.name, db, user=given_user)}")
    else:
        typer.echo(f"case {case_id} is complete")


def delete(
    case_id: Annotated[str, typer.Argument(help="The case to delete.")],
    name: NameOption,
    reason: Annotated[str, typer.Option("--reason", help="Why (required; audited).")],
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Delete a case and its answers (audited, with the answers deleted and the reason)."""
    open_fieldwork(db, name).delete_case(case_id, who(user), reason)
    typer.echo(f"case {case_id} deleted from {name!r}")


def show(
    case_id: Annotated[str, typer.Argument(help="The case to show.")],
    name: NameOption,
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Show a case's attributes, and its answers in framework order ('-': none)."""
    fieldwork = open_fieldwork(db, name)
    case, status = fieldwork.first_assessment(case_id, who(user))   # the blind rule (issue 15)
    typer.echo(f"case {case_id} ({case.sample}, {status})")
    if case.attributes:
        typer.echo("  " + ", ".join(f"{key}={value}" for key, value in sorted(case.attributes.items())))
    for located in fieldwork.questions(case):
        typer.echo(f"  {located.question.id:<12} {case.answer(located.question.id) or '-'}")


def resume_hint(case_id: str, name: str, db: str | None, flags: str = "", user: str | None = None) -> str:
    """The command that resumes a case, ready to paste: shell-quoted, any password masked, and
    with the ``--user`` it was given (a second assessment is its assessor's alone)."""
    from shlex import quote

    from ..store.database import database_url, shown
    hint = f"inspect case edit {quote(case_id)} --name {quote(name)}"
    return (hint + (f" --db {quote(shown(database_url(db)))}" if db else "") + flags
            + (f" --user {quote(user)}" if user else ""))


def _walk(fieldwork, case_id: str, user: str, *, revisit: bool, start: str | None = None,
          reason: str = "", db: str | None = None, given_user: str | None = None) -> None:
    """Ask the case's questions in order (from ``start``; with ``revisit`` the answered ones
    too), saving each answer as it is given. 'q' or the end of input stops: what was saved
    stays, and the case is finished if it is complete."""
    fieldwork.store.ensure_writable(fieldwork.name)     # say so before asking anything
    case, _ = fieldwork.store.case(fieldwork.name, case_id)
    questions = fieldwork.capture_order(case)      # the applicable ones, as they are asked
    total = len(questions)
    position = 0
    if start is not None:
        index = fieldwork.schema.index.get(start)
        ids = [item.question.id for item in questions]
        if index is None or index.question.id not in ids:
            raise InputError(f"--question: {start!r} is not a question that applies to case {case_id}")
        position = ids.index(index.question.id)
        revisit = True
    asked: list[int] = []           # the questions asked so far, for '<'
    again = None                    # a question gone back to: asked even though answered
    flags: str = getattr(fieldwork, "resume_flags", "")     # " --second": a second assessment
    while position < total:
        item = questions[position]
        question = item.question
        case, _ = fieldwork.store.case(fieldwork.name, case_id)
        current = case.answer(question.id)
        if current and not revisit and position != again:
            position += 1
            continue
        implied = (fieldwork.schema.implied_answer(question.id, case.attributes, case.answers)
                   if question.implied is not None else None)
        if implied is not None:     # its rule holds given the answers so far
            if current != implied:
                fieldwork.answer(case_id, question.id, implied, user, reason="implied by a rule of the catalogue")
            typer.echo(f"\n[{position + 1}/{total}] {question.id} {question.text}\n"
                       f"  {implied} (implied: {question.implied.note})")
            position += 1
            continue
        outcome = _ask(fieldwork, case_id, item, position + 1, total, current, user, reason)
        if outcome in ("stop", "interrupted"):
            hint = resume_hint(case_id, fieldwork.name, db, flags, given_user)
            if outcome == "interrupted" and flags:
                # a second assessment is submitted only when its assessor says so ('q' or the
                # last question), never by an interruption
                typer.echo(f"Saved, not submitted. Resume with: {hint}")
            elif fieldwork.finish(case_id, user):
                typer.echo(f"Saved. Resume with: {hint}")
            elif flags:
                typer.echo(f"Saved; second assessment of case {case_id} submitted")
            else:
                typer.echo(f"Saved; case {case_id} is complete")
            return
        if outcome == "back":
            if asked:
                position = again = asked.pop()
            else:
                typer.echo("  (this is the first question asked)")
            continue
        asked.append(position)
        position += 1
    missing = fieldwork.finish(case_id, user)
    if missing:
        typer.echo(f"case {case_id} is still in progress:")
        for problem in missing:
            typer.echo(f"  - {problem}")
    elif flags:
        typer.echo(f"second assessment of case {case_id} submitted")
    else:
        typer.echo(f"case {case_id} is complete")


def _choices(question) -> str:
    if question.per_factor_of:
        return f"factor=yes or factor=no for each factor recorded at {question.per_factor_of}, with ;"
    if question.free:
        return "free answer"
    if tuple(question.answers) == ("yes", "no"):
        return "y/n"
    listed = ", ".join(f"{n} {a}" for n, a in enumerate(question.answers, start=1))
    return listed + ("; several: e.g. 1,3" if question.multiple else "")


def _ask(fieldwork, case_id, item, number, total, current, user, reason) -> str:
    """Ask one question until it gets an acceptable answer: "next", "back" ('<'), "stop"
    ('q') or "interrupted" (the end of the input, or Ctrl-C). Blank Enter asks again ('-' is "not applicable"); with a current answer, Enter
    keeps it."""
    question = item.question
    codes = f" ({', '.join(question.aliases)})" if question.aliases else ""
    kind = "summary judgement: " if question.id == item.key_question.id else ""
    typer.echo(f"\n[{number}/{total}] {question.id}{codes} {kind}{question.text}")
    if current:
        typer.echo(f"  current answer: {current} (Enter keeps it)")
    while True:
        try:
            raw = typer.prompt(f"({_choices(question)}; ? guidance, - not applicable, < back, q stop)",
                               default=current or "", show_default=False).strip()
        except typer.Abort:      # the end of input, or Ctrl-C: stop, keeping what was saved
            typer.echo("")
            return "interrupted"
        if raw == "?":
            typer.echo(fieldwork.guidance(case_id, question.id))
            continue
        if raw.lower() in ("q", "quit"):
            return "stop"
        if raw == "<":
            return "back"
        if not raw:
            typer.echo("  no answer given: type one ('-' for not applicable)")
            continue
        try:
            value = "" if raw == "-" else fieldwork.interpret_answer(question.id, raw)
            fieldwork.answer(case_id, question.id, value, user, reason)
        except InputError as exc:
            for problem in exc.problems:
                typer.echo(f"  not recorded: {problem.message}")
            continue
        return "next"


def register(app: typer.Typer, handle_errors: Any) -> None:
    """Add ``inspect case add|edit|show|delete`` to the CLI ``app``."""
    case_app = typer.Typer(help="Capture a case question by question (add, edit, show, delete).",
                           no_args_is_help=True)
    for command in (add, edit, show, delete):
        case_app.command()(handle_errors(command))
    app.add_typer(case_app, name="case")
