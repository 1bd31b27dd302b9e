"""``inspect user add|grant|revoke|list|disable``: the web application's users and grants.

Thin over :class:`..store.accounts.Accounts`; every change is audited with the acting user
(``--user``, $HMIP_USER, else the login name).
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from ..errors import InputError
from .options import DbOption, UserOption, open_db, who

UserName = Annotated[str, typer.Argument(help="The user's name (what they log in with).")]
InspectionOption = Annotated[str, typer.Option("--inspection", help="The inspection's name in the store.")]


def _accounts(db: str | None) -> Any:
    from ..store.accounts import Accounts
    return Accounts(open_db(db))


def add(
    name: UserName,
    role: Annotated[str, typer.Option("--role", help="admin, lead, inspector, panel or analyst.")],
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input "
                                 "instead of asking for it twice.")] = False,
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Add a user with a role; the password is asked for twice, hidden (or --password-stdin)."""
    from ..store.accounts import ROLES
    if role not in ROLES:       # before asking for a password
        raise InputError(f"--role: expected one of {', '.join(ROLES)}, found {role!r}")
    acting = who(user)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    _accounts(db).add(name, role, password, acting)
    typer.echo(f"user {name.strip()!r} added ({role})")


def grant(name: UserName, inspection: InspectionOption, db: DbOption = None, user: UserOption = None) -> None:
    """Let a user see (and, as their role allows, work on) an inspection."""
    _accounts(db).grant(name, inspection, who(user))
    typer.echo(f"user {name!r} granted inspection {inspection!r}")


def revoke(name: UserName, inspection: InspectionOption, db: DbOption = None, user: UserOption = None) -> None:
    """Take a user's grant on an inspection away."""
    _accounts(db).revoke(name, inspection, who(user))
    typer.echo(f"user {name!r} no longer granted inspection {inspection!r}")


def list_users(db: DbOption = None,
               fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
    """Every user: role, whether disabled, and the inspections granted."""
    if fmt not in ("table", "json"):
        raise InputError(f"--format: expected table or json, found {fmt!r}")
    users = _accounts(db).list()
    if fmt == "json":
        import json
        typer.echo(json.dumps([{"name": u.name, "role": u.role, "disabled": u.disabled,
                                "grants": list(u.grants)} for u in users], indent=1, ensure_ascii=False))
        return
    if not users:
        typer.echo("no users yet: add one with 'inspect user add NAME --role ROLE'")
    for u in users:
        state = "disabled" if u.disabled else "enabled"
        typer.echo(f"{u.name:<20} {u.role:<10} {state:<9} {', '.join(u.grants) or '-'}")


def disable(name: UserName, db: DbOption = None, user: UserOption = None) -> None:
    """Disable a user: they can no longer log in and their sessions end (kept for the audit)."""
    _accounts(db).disable(name, who(user))
    typer.echo(f"user {name!r} disabled")


def register(app: typer.Typer, handle_errors: Any) -> None:
    user_app = typer.Typer(help="The web application's users and their grants.", no_args_is_help=True)
    for command in (add, grant, revoke, disable):
        user_app.command()(handle_errors(command))
    user_app.command("list")(handle_errors(list_users))
    app.add_typer(user_app, name="user")
