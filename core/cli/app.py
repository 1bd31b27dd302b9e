"""The ``inspect`` command. Thin: it parses options, calls the core and prints.

Errors the framework raises on purpose (:class:`~.errors.HmipError`) are printed as a list of
problems and exit with status 1; ``--verbose`` adds the traceback and debug logs.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
import traceback
from typing import Annotated, Optional

import typer

from .. import logconfig
from ..errors import HmipError
from . import options

app = typer.Typer(
    help="Rate probation and youth justice inspections against HM Inspectorate of Probation standards.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
_state = {"verbose": False, "plugin_commands": False}


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        from ..store.schema import SCHEMA_VERSION   # two releases may share a version number
        try:
            typer.echo(f"hmip-inspect {version('hmip-inspect')} (store schema {SCHEMA_VERSION})")
        except BrokenPipeError:
            _reader_gone()
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
        except BrokenPipeError:
            _reader_gone()
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


#: The exit status of a command whose reader went away: a shell's for one killed by SIGPIPE.
BROKEN_PIPE_STATUS = 128 + 13


def _reader_gone() -> None:
    """The output's reader has gone (``inspect ... | head``): stop quietly, as a command that
    SIGPIPE ends would. Standard output is pointed at the null device first, so the
    interpreter's last flush at exit has nowhere to fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):   # an output without a file descriptor (a test runner's)
        pass
    raise typer.Exit(code=BROKEN_PIPE_STATUS)


def _fail(message: str, code: int = 1) -> None:
    if _state["verbose"]:
        traceback.print_exc(file=sys.stderr)
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=code) from None


#: The module (under this package) that registers each core command. A run builds only the
#: command it runs; everything (plugins' commands too) is built for ``--help``, completion
#: or a command not listed here. tests/test_cli.py checks this against the modules.
COMMAND_MODULES = {
    "run": "run",
    "profiles": "catalogue", "plugins": "catalogue", "standards": "catalogue", "check-catalogue": "catalogue",
    "init": "store", "import": "store", "inspections": "store", "export": "store", "backup": "store",
    "grants": "store", "inspection": "store", "status": "store",
    "case": "case",
    "judgement": "decisions", "moderation": "decisions", "panel": "decisions", "audit": "decisions",
    "signoff": "decisions", "unlock": "decisions", "decision": "decisions",
    "sample": "sample",
    "report": "report",
    "user": "user",
    "serve": "serve",
    "qa": "qa",
}
_registered: set[str] = set()


def _register(modules: list[str]) -> None:
    import importlib
    for name in modules:
        if name not in _registered:
            importlib.import_module(f"{__package__}.{name}").register(app, handle_errors)
            _registered.add(name)


def build_app(command: str | None = None) -> typer.Typer:
    """The application. Given the ``command`` about to run, only the module that registers it;
    otherwise every core command and the commands plugins add (``hmip_register_commands``,
    added once per process: a plugin that fails is reported by ``inspect plugins`` and the
    others' commands stay)."""
    module = COMMAND_MODULES.get(command) if command else None
    if module is not None:
        _register([module])
        return app
    _register(sorted(set(COMMAND_MODULES.values())))
    if not _state["plugin_commands"]:
        from ..errors import PluginError
        from ..plugin.manager import get_plugin_manager
        _state["plugin_commands"] = True
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
        args = hoist_verbose(sys.argv[1:])
        command = next((arg for arg in args if not arg.startswith("-")), None)
        build_app(command)(args=args)
    finally:
        # The process ends next: spare the interpreter a last full collection of every
        # object still alive (tens of milliseconds, a fifth of a run's time).
        gc.freeze()
