"""The ``inspect`` command. Thin: it parses options, calls the core and prints.

Errors the framework raises on purpose (:class:`~.errors.HmipError`) are printed as a list of
problems and exit with status 1; ``--verbose`` adds the traceback and debug logs.
"""

from __future__ import annotations

import functools
import gc
import sys
import traceback
from typing import Annotated, Optional

import typer

from .. import logconfig
from ..errors import HmipError
from . import case, catalogue, decisions, options, run, store

app = typer.Typer(
    help="Rate probation and youth justice inspections against HM Inspectorate of Probation standards.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
_state = {"verbose": False}


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version
        typer.echo(f"hmip-inspect {version('hmip-inspect')}")
        raise typer.Exit()


@app.callback()
def main_options(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logs and full tracebacks on errors.")] = False,
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")] = None,
) -> None:
    _state["verbose"] = verbose
    logconfig.configure(verbose)


def handle_errors(command):
    """Turn errors into a message on stderr and exit status 1, never a traceback unless
    ``--verbose``: the framework's own errors as they are, an operating-system error in one
    line (file and reason), anything else as an unexpected error naming only its type (its
    text could hold case data)."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except HmipError as exc:
            _fail(str(exc))
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or type(exc).__name__}")
        except KeyboardInterrupt:
            _fail("interrupted", code=130)
        except Exception as exc:
            _fail(f"unexpected {type(exc).__name__}; run with --verbose for the details "
                  "(and please report it)")
        finally:
            options.close_stores()
    return wrapper


def _fail(message: str, code: int = 1) -> None:
    if _state["verbose"]:
        traceback.print_exc(file=sys.stderr)
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=code) from None


for module in (run, catalogue, store, case, decisions):
    module.register(app, handle_errors)
from .report import report  # noqa: E402
from .sample import sample  # noqa: E402

app.command()(handle_errors(sample))
app.command()(handle_errors(report))


_with_plugins = {"done": False}


def build_app() -> typer.Typer:
    """The application with the commands plugins add (``hmip_register_commands``), added once
    per process. A plugin that fails is reported by ``inspect plugins``; the others' commands
    stay."""
    if not _with_plugins["done"]:
        from ..errors import PluginError
        from ..plugin.manager import get_plugin_manager
        _with_plugins["done"] = True
        try:
            get_plugin_manager().register_commands(app)
        except PluginError as exc:
            get_plugin_manager().mark_broken(exc.plugin, str(exc))
    return app


def hoist_verbose(args: list[str]) -> list[str]:
    """``--verbose``/``-v`` given anywhere (before ``--``) moved before the subcommand, where
    the application's options are read: ``inspect status --name x --verbose`` works too."""
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in ("--verbose", "-v")]
    if not flags:
        return args
    return flags[:1] + [a for a in args[:end] if a not in ("--verbose", "-v")] + args[end:]


def main() -> None:
    logconfig.configure(verbose=False)      # quiet until the options say otherwise
    try:
        build_app()(args=hoist_verbose(sys.argv[1:]))
    finally:
        # The process ends next: spare the interpreter a last full collection of every
        # object still alive (tens of milliseconds, a fifth of a run's time).
        gc.freeze()
