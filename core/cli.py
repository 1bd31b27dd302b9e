"""The ``inspect`` command. Thin: it parses options, calls the core and prints.

Errors the framework raises on purpose (:class:`~.errors.HmipError`) are printed as a list of
problems and exit with status 1; ``--verbose`` adds the traceback and debug logs.
"""

from __future__ import annotations

import functools
import gc
import sys
import traceback
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import cli_store, logconfig
from .errors import HmipError

app = typer.Typer(
    help="Rate probation and youth justice inspections against HM Inspectorate of Probation standards.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
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
            cli_store.close_stores()
    return wrapper


def _fail(message: str, code: int = 1) -> None:
    if _state["verbose"]:
        traceback.print_exc(file=sys.stderr)
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=code) from None


def _session():
    from .session import Session
    return Session()


ProfileOption = Annotated[Optional[str], typer.Option(
    "--profile", "-p", help="Built-in profile name (see 'inspect profiles') or path to a profile TOML file.")]


@app.command()
@handle_errors
def run(
    profile: ProfileOption = None,
    inspection: Annotated[Optional[Path], typer.Option(
        "--inspection", "-i", help="Inspection folder; default: the profile's bundled example.",
        file_okay=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown.")] = "table",
    name: Annotated[Optional[str], typer.Option(
        "--name", "-n", help="Rate this inspection from the store (see --db) instead of a folder.")] = None,
    db: cli_store.DbOption = None,
) -> None:
    """Rate an inspection: every standard and the overall rating."""
    from .errors import InputError
    from .render import FORMATS, render
    if fmt not in FORMATS:
        raise InputError(f"--format: expected one of {', '.join(FORMATS)}, found {fmt!r}")
    if name is not None:
        if inspection is not None or profile is not None:
            raise InputError("--name rates a stored inspection with its own profile: "
                             "give it without --inspection or --profile")
        _, _, result = cli_store.rate_stored(db, name)
    else:
        _, _, result = _session().run(profile, inspection)
    typer.echo(render(result, fmt), nl=False)


@app.command()
@handle_errors
def profiles() -> None:
    """List the available profiles (inspection types)."""
    from .profiles import builtin_profiles, load_profile
    session = _session()
    for name, path in builtin_profiles(session.pm).items():
        profile = load_profile(name, session.pm)
        others = len(profile.all_standards) - len(profile.standards)
        also = f" (+{others} unscored)" if others else ""
        typer.echo(f"{name:<8} {len(profile.standards):>2} standards{also}, 0-{profile.max_score}  "
                   f"{profile.title}")
        typer.echo(f"{'':<8} {path}")


@app.command()
@handle_errors
def plugins() -> None:
    """List plugins: built-in and installed, loaded, blocked or broken, with their hooks."""
    session = _session()
    pm = session.pm
    contributed: dict[str, list[str]] = {}
    broken_catalogue = ""
    try:
        for standard in session.catalogue.every_standard():
            contributed.setdefault(standard.plugin, []).append(standard.id)
    except HmipError as exc:  # show the listing anyway; the error names the plugin
        broken_catalogue = str(exc)
    for name, info in sorted(pm.seen.items()):
        version = f" {info.version}" if info.version else ""
        typer.echo(f"{name:<18} {info.status:<8} {info.origin}{version}")
        if info.hooks:
            typer.echo(f"{'':<18} hooks: {', '.join(info.hooks)}")
        if contributed.get(name):
            typer.echo(f"{'':<18} standards: {', '.join(sorted(contributed[name]))}")
        if info.error:
            typer.echo(f"{'':<18} error: {info.error}")
    if broken_catalogue:
        typer.echo(f"error: {broken_catalogue}", err=True)
        raise typer.Exit(code=1)


@app.command()
@handle_errors
def standards(
    profile: ProfileOption = None,
    prompts: Annotated[bool, typer.Option("--prompts/--no-prompts", help="Show prompts too.")] = True,
) -> None:
    """List a profile's standards with their key questions and prompts."""
    from .errors import InputError
    if profile is None:
        raise InputError("--profile is required")
    session = _session()
    chosen = session.profile(profile)
    bands = ", ".join(f"{rating.label} {low}-{high}" for rating, low, high in chosen.overall_bands.ranges)
    typer.echo(f"{chosen.name}: {chosen.title} ({chosen.edition} edition)")
    typer.echo(f"score 0-{chosen.max_score} over {len(chosen.standards)} scored standards: {bands}")
    _echo_assumptions(chosen)
    roles = {"scored": "", "rated": "; rated, not scored", "reported": "; reported, not rated"}
    for standard_id in chosen.all_standards:
        standard = session.catalogue.standard(chosen.edition, standard_id)
        how = "lead inspector's judgement" if standard.rated_by.value == "judgement" else f"{standard.sample} cases"
        if standard.rated_by.value == "judgement" and standard.sample:
            how += f", illustrated by {standard.sample} cases"
        typer.echo("")
        unconfirmed = "" if standard.wording_confirmed else f" {UNCONFIRMED}"
        typer.echo(f"{standard.id} {standard.title}{unconfirmed}  [{how}{roles[chosen.role(standard.id)]}; "
                   f"plugin {standard.plugin}]")
        for exclusion in standard.exclusions:
            typer.echo(f"  excluded from the sample where {exclusion.when.describe()}: {exclusion.reason}")
        for kq in standard.key_questions:
            _echo_key_question(kq, prompts)


#: Shown beside a standard or key question whose wording no cited source confirms.
UNCONFIRMED = "(wording not confirmed)"


def _echo_assumptions(profile) -> None:
    """The assumptions the profile rests on (no seed states them), one per line."""
    if profile.assumptions:
        typer.echo("assumptions (not stated by any seed):")
        for assumption in profile.assumptions:
            typer.echo(f"  - {assumption}")


def _rules(question) -> str:
    text = f"  [applies to {question.applies_to.describe()}]" if question.applies_to.rules else ""
    if question.implied:
        text += f"  ['{question.implied.answer}' where {question.implied.when.describe()}]"
    return text


def _echo_key_question(kq, prompts: bool) -> None:
    codes = ", ".join(kq.aliases + kq.summary_aliases)
    extra = f"  ({codes})" if codes else ""
    if kq.evidence.value != "cases":
        extra += f"  [{kq.evidence.value}]"
    if not kq.wording_confirmed:
        extra += f"  {UNCONFIRMED}"
    typer.echo(f"  {kq.id} {kq.text}{extra}{_rules(kq.summary)}")
    if not prompts:
        return
    for prompt in kq.prompts:
        codes = f"  ({', '.join(prompt.aliases)})" if prompt.aliases else ""
        kind = "  [information]" if prompt.kind.value == "information" else ""
        if prompt.answers != ("yes", "no"):
            listed = ", ".join(prompt.answers) or "free answer"
            kind += f"  [{'one or more of: ' if prompt.multiple else ''}{listed}]"
        if prompt.parts:
            kind += f"  [made of {', '.join(prompt.parts)}: yes only where all are yes]"
        if prompt.not_counted:
            kind += f"  [{', '.join(prompt.not_counted)}: left out of the percentage]"
        if prompt.per_factor_of:
            kind += f"  [yes or no for each factor recorded at {prompt.per_factor_of}]"
        typer.echo(f"    {prompt.id} {prompt.text}{codes}{kind}{_rules(prompt)}")


# --------------------------------------------------------------------------------------
# Commands kept in modules of their own (each imports its heavy modules lazily).
# --------------------------------------------------------------------------------------

cli_store.register(app, handle_errors)
from .cli_sample import sample  # noqa: E402
app.command()(handle_errors(sample))
from .cli_report import report  # noqa: E402
app.command()(handle_errors(report))


def main() -> None:
    try:
        app()
    finally:
        # The process ends next: spare the interpreter a last full collection of every
        # object still alive (tens of milliseconds, a fifth of a run's time).
        gc.freeze()
