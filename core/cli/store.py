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
        "--name", "-n", help="Name of the new inspection (default: the folder's name).")] = None,
    into: Annotated[Optional[str], typer.Option(
        "--into", help="Add the case files to this stored inspection.")] = None,
    user: UserOption = None,
) -> None:
    """Import an inspection folder, or case files into a stored inspection: all checked first,
    nothing written unless all of it is valid."""
    from ..session import Session
    from ..store.imports import prepare_folder, store_folder
    if into:
        count = open_fieldwork(db, into).import_files(paths, who(user))
        typer.echo(f"imported {count} case(s) into {into!r}")
        return
    if len(paths) != 1 or not (paths[0] / "inspection.toml").is_file():
        raise InputError("give one inspection folder (with inspection.toml), or case files with "
                         "--into NAME")
    from ..names import checked_name
    folder = paths[0]
    target = checked_name(name or folder.resolve().name, "--name")
    prepared = prepare_folder(Session(), folder)          # checked before a store is opened
    count = store_folder(open_db(db, create=True), prepared, target, who(user))
    typer.echo(f"imported inspection {target!r} with {count} case(s)")


def inspections(db: DbOption = None) -> None:
    """List the inspections in the store."""
    for item in open_db(db).inspections():
        state = "signed off" if item.locked else "open"
        typer.echo(f"{item.name:<24} {item.profile:<8} {item.cases:>5} cases  {state:<10} {item.provider}")


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
    from ..inspection.case_files import atomic_path
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


def register(app: typer.Typer, handle_errors: Any) -> None:
    """Add the store commands to the CLI ``app``."""
    for command in (init, import_cases, inspections, export, backup, grants):
        app.command(name=command.__name__.replace("import_cases", "import"))(handle_errors(command))
    inspection_app = typer.Typer(help="Change a stored inspection itself (its recorded profile).",
                                 no_args_is_help=True)
    inspection_app.command(name="adopt-profile")(handle_errors(adopt_profile))
    app.add_typer(inspection_app, name="inspection")
