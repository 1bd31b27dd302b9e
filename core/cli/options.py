"""What the commands share: their common options, who is making a change, and the store a
command opens (closed, and on SQLite checkpointed into its one file, when the command ends)."""

from __future__ import annotations

import getpass
import os
from typing import Annotated, Any, Optional

import typer

from ..errors import InputError

USER_ENV = "HMIP_USER"

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="Store: a SQLite file path or postgresql://user@host/db (default: $HMIP_DB, "
                 "else inspections.sqlite).")]
NameOption = Annotated[str, typer.Option("--name", "-n", help="The inspection's name in the store.")]
UserOption = Annotated[Optional[str], typer.Option(
    "--user", help="Who makes the change (default: $HMIP_USER, else your login name).")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why: kept in the audit trail.")]


def who(user: str | None) -> str:
    """Who makes a change: ``--user``, else $HMIP_USER, else the login name; one line of
    printable text (:mod:`..names`), since the audit trail prints it on one line."""
    from ..names import checked_name
    if user is not None:
        return checked_name(user, "--user")
    if os.environ.get(USER_ENV):
        return checked_name(os.environ[USER_ENV], f"${USER_ENV}")
    try:
        return checked_name(getpass.getuser(), "your login name")
    except (OSError, KeyError):
        raise InputError(f"give --user or set ${USER_ENV}: the login name cannot be found") from None


_open_stores: list = []


def open_db(db: str | None, *, create: bool = False):
    """Open the store for this command; :func:`close_stores` closes it (and, on SQLite,
    checkpoints it into its one file) when the command ends, whether it succeeded or not."""
    from ..store.database import open_store
    store = open_store(db, create=create)
    _open_stores.append(store)
    return store


def close_stores() -> None:
    """Close every store the command opened (called by the CLI after each command)."""
    while _open_stores:
        _open_stores.pop().close()


def open_fieldwork(db: str | None, name: str) -> Any:
    from ..session import Session
    from ..store.fieldwork import Fieldwork
    return Fieldwork(open_db(db), name, Session())


def rate_stored(db: str | None, name: str, fmt: str) -> str:
    """The rating of an inspection held in the store as ``fmt`` (:func:`..store.reporting.rating_text`,
    which the web application's rating API serves too); a note on standard error when its
    profile or a plugin has changed since it was imported."""
    from ..store.reporting import rating_text
    fieldwork = open_fieldwork(db, name)
    if note := fieldwork.change_note():
        typer.echo(note, err=True)
    return rating_text(fieldwork, fmt)


ProfileOption = Annotated[Optional[str], typer.Option(
    "--profile", "-p", help="Built-in profile name (see 'inspect profiles') or path to a profile TOML file.")]
StandardOption = Annotated[str, typer.Option("--standard", help="The standard, e.g. 1.1.")]
DirectionOption = Annotated[str, typer.Option("--direction", help="up or down.")]
RationaleOption = Annotated[str, typer.Option("--rationale", help="Why (footnoted in the report).")]
