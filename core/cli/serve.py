"""``inspect serve``: the fieldwork web application (:mod:`..web`) on uvicorn.

The web stack (Starlette, Jinja2, uvicorn) is the ``web`` extra and is imported here only,
when the command runs: no other command loads it.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from ..errors import InputError
from .options import DbOption


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", help="Worker processes; above 1 only with a PostgreSQL store.")] = 1,
) -> None:
    """Serve the web application: inspectors capture cases in a browser, leads and panels
    decide, everyone sees the live rating (users: 'inspect user add')."""
    from ..store.database import DB_ENV, database_url, open_store, shown
    url = database_url(db)
    if workers < 1:
        raise InputError(f"--workers: expected 1 or more, found {workers}")
    if workers > 1 and not url.startswith("postgresql"):
        raise InputError(f"--workers {workers}: several worker processes need a PostgreSQL store "
                         "(--db postgresql://...); a SQLite store is served by one worker")
    if not 0 < port < 65536:
        raise InputError(f"--port: expected 1 to 65535, found {port}")
    open_store(url).close()        # a missing or foreign store: refused here, in one line
    try:
        import uvicorn

        from ..web import app as web_app  # noqa: F401  (the web extra is installed)
    except ModuleNotFoundError as exc:
        raise InputError(f"inspect serve needs the web extra ({exc.name} is missing): "
                         "pip install 'hmip-inspect[web]'") from None
    os.environ[DB_ENV] = url
    typer.echo(f"serving {shown(url)} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run("hmip_inspect.core.web.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning", access_log=False, server_header=False)


def register(app: typer.Typer, handle_errors: Any) -> None:
    app.command()(handle_errors(serve))
