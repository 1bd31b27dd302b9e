"""``inspect run``: rate an inspection, from a folder (or a profile's bundled example) or from
the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .options import DbOption, ProfileOption, rate_stored


def _session() -> Any:
    from ..session import Session
    return Session()



def run(
    profile: ProfileOption = None,
    inspection: Annotated[Optional[Path], typer.Option(
        "--inspection", "-i", help="Inspection folder; default: the profile's bundled example.",
        file_okay=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown.")] = "table",
    name: Annotated[Optional[str], typer.Option(
        "--name", "-n", help="Rate this inspection from the store (see --db) instead of a folder.")] = None,
    db: DbOption = None,
) -> None:
    """Rate an inspection: every standard and the overall rating."""
    from ..errors import InputError
    from ..report.text import FORMATS, render
    if fmt not in FORMATS:
        raise InputError(f"--format: expected one of {', '.join(FORMATS)}, found {fmt!r}")
    if name is not None:
        if inspection is not None or profile is not None:
            raise InputError("--name rates a stored inspection with its own profile: "
                             "give it without --inspection or --profile")
        typer.echo(rate_stored(db, name, fmt), nl=False)
        return
    _, _, result = _session().run(profile, inspection)
    typer.echo(render(result, fmt), nl=False)


def register(app: typer.Typer, handle_errors: Any) -> None:
    app.command()(handle_errors(run))
