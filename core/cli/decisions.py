"""Decisions on a stored inspection: domain-one judgements, moderation, panel decisions, the
audit trail, sign-off and unlock."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from ..errors import InputError
from .options import (
    DbOption,
    DirectionOption,
    NameOption,
    RationaleOption,
    ReasonOption,
    StandardOption,
    UserOption,
    open_db,
    open_fieldwork,
    who,
)


def judgement(name: NameOption, standard: StandardOption,
              rating: Annotated[str, typer.Option(help="Outstanding, Good, Requires improvement or Inadequate.")],
              evidence: Annotated[str, typer.Option(help="The evidence summary.")],
              reason: ReasonOption = "", db: DbOption = None, user: UserOption = None) -> None:
    """Record the lead inspector's rating of a judgement-rated standard (domain one)."""
    open_fieldwork(db, name).decide("judgement", standard, who(user), reason, rating=rating, evidence=evidence)
    typer.echo(f"judgement on {standard} recorded")


def moderation(name: NameOption, standard: StandardOption, direction: DirectionOption,
               rationale: RationaleOption,
               ratified: Annotated[bool, typer.Option("--ratified/--not-ratified")] = False,
               reason: ReasonOption = "", db: DbOption = None, user: UserOption = None) -> None:
    """Record a qualitative moderation (unpaid work 4.1.3), applied only when ratified."""
    open_fieldwork(db, name).decide("moderation", standard, who(user), reason, direction=direction,
                                rationale=rationale, ratified=ratified)
    typer.echo(f"moderation of {standard} recorded")


def panel(name: NameOption, standard: StandardOption, direction: DirectionOption,
          rationale: RationaleOption, reason: ReasonOption = "", db: DbOption = None,
          user: UserOption = None) -> None:
    """Record a ratings-panel professional judgement on a standard."""
    open_fieldwork(db, name).decide("panel", standard, who(user), reason, direction=direction,
                                rationale=rationale)
    typer.echo(f"panel decision on {standard} recorded")


#: Line breaks and control characters shown escaped in the audit table (``\n``, ``\x07``).
_ONE_LINE = {code: repr(chr(code))[1:-1] for code in (*range(32), 127, 0x85, 0x2028, 0x2029)}


def audit(name: NameOption, case: Annotated[Optional[str], typer.Option(help="Only this case.")] = None,
          db: DbOption = None,
          fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
          user: UserOption = None) -> None:
    """Show the audit trail: who changed what, when, from what to what, and why (answers a
    blind second assessment hides from you are shown as hidden)."""
    import json
    from dataclasses import asdict

    entries = open_db(db).blind_audit_trail(name, who(user), case)
    if fmt == "json":
        typer.echo(json.dumps([asdict(e) for e in entries], indent=1, ensure_ascii=False))
        return
    if fmt != "table":
        raise InputError(f"--format: expected table or json, found {fmt!r}")
    wheres = [" ".join(part for part in (e.case_id, e.item) if part) for e in entries]
    # columns as wide as their longest entry (a user name of any length keeps the table aligned)
    widths = [max((len(text) for text in column), default=0)
              for column in ([e.who for e in entries], [e.action for e in entries], wheres)]
    for e, where in zip(entries, wheres):
        change = f"{e.old or '-'} -> {e.new or '-'}" if (e.old or e.new) else ""
        why = f"  ({e.reason})" if e.reason else ""
        line = (f"{e.at}  {e.who:<{widths[0]}}  {e.action:<{widths[1]}}  {where:<{widths[2]}}  "
                f"{change}{why}").rstrip()
        typer.echo(line.translate(_ONE_LINE))     # one change, one line, whatever the text holds


def signoff(name: NameOption,
            user: Annotated[Optional[str], typer.Option(
                "--user", help="Who signs off (the panel chair); default: $HMIP_USER, "
                               "else your login name.")] = None,
            by: Annotated[Optional[str], typer.Option(
                "--by", help="The same as --user (kept for scripts written for it).")] = None,
            reason: ReasonOption = "", db: DbOption = None) -> None:
    """Sign the inspection off: it is locked, and edits are refused until it is unlocked.

    Refused, with every reason at once, while it cannot be rated (cases in progress, missing
    judgements, a decision the rules refuse)."""
    from ..names import checked_name
    if by is not None and user is not None:
        raise InputError("give --user or --by (the same option), not both")
    signer = checked_name(by, "--by") if by is not None else who(user)
    fieldwork = open_fieldwork(db, name)
    fieldwork.sign_off(signer, reason)
    typer.echo(f"inspection {name!r} signed off and locked")
    for note in fieldwork.qa_open_work():       # not a reason to refuse: the lead's call
        typer.echo(f"note: {note}", err=True)


def unlock(name: NameOption, reason: Annotated[str, typer.Option("--reason", help="Why (required).")],
           db: DbOption = None, user: UserOption = None) -> None:
    """Unlock a signed-off inspection for edits; the reason is kept in the audit trail."""
    open_db(db).unlock(name, who(user), reason)
    typer.echo(f"inspection {name!r} unlocked")


def withdraw(name: NameOption,
             kind: Annotated[str, typer.Option("--kind", help="judgement, moderation or panel.")],
             standard: StandardOption,
             reason: Annotated[str, typer.Option("--reason", help="Why (required; audited).")],
             db: DbOption = None, user: UserOption = None) -> None:
    """Withdraw a judgement, moderation or panel decision on a standard (audited)."""
    open_fieldwork(db, name).withdraw(kind, standard, who(user), reason)
    typer.echo(f"{kind} on {standard} withdrawn")




def register(app: typer.Typer, handle_errors: Any) -> None:
    """Add the decision, audit and sign-off commands to the CLI ``app``."""
    for command in (judgement, moderation, panel, audit, signoff, unlock):
        app.command()(handle_errors(command))
    decision_app = typer.Typer(help="Correct decisions on a stored inspection (withdraw).",
                               no_args_is_help=True)
    decision_app.command()(handle_errors(withdraw))
    app.add_typer(decision_app, name="decision")
