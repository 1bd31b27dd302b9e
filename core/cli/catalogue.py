"""What is installed: profiles, plugins, and a profile's standards with their key questions,
prompts, codes and rules."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .options import ProfileOption


def _session() -> Any:
    from ..session import Session
    return Session()



def profiles() -> None:
    """List the available profiles (inspection types)."""
    from ..profiles.reader import load_profile
    session = _session()
    for name, path in session.profiles.items():
        profile = load_profile(name, session.profiles)
        others = len(profile.all_standards) - len(profile.standards)
        also = f" (+{others} unscored)" if others else ""
        typer.echo(f"{name:<8} {len(profile.standards):>2} standards{also}, 0-{profile.max_score}  "
                   f"{profile.title}")
        typer.echo(f"{'':<8} {path}")


def plugins() -> None:
    """List plugins: built-in and installed, loaded, blocked or broken, with their hooks."""
    session = _session()
    pm = session.pm
    contributed: dict[str, list[str]] = {}
    for standard in session.catalogue.every_standard():       # reads every edition
        contributed.setdefault(standard.plugin, []).append(standard.id)
    for plugin, error in session.catalogue.broken.items():
        pm.mark_broken(plugin, error)
    for name, info in sorted(pm.seen.items()):
        version = f" {info.version}" if info.version else ""
        typer.echo(f"{name:<18} {info.status:<8} {info.origin}{version}")
        if info.hooks:
            typer.echo(f"{'':<18} hooks: {', '.join(info.hooks)}")
        if contributed.get(name):
            typer.echo(f"{'':<18} standards: {', '.join(sorted(contributed[name]))}")
        if info.error:
            typer.echo(f"{'':<18} error: {info.error}")
    broken = {name: info for name, info in pm.seen.items() if info.status == "broken"}
    for name, info in sorted(broken.items()):       # a health check: broken plugins fail it
        typer.echo(f"error: plugin {name!r} is broken: {info.error.removeprefix(f'plugin {name!r}: ')}",
                   err=True)
    if broken:
        raise typer.Exit(code=1)


def standards(
    profile: ProfileOption = None,
    prompts: Annotated[bool, typer.Option("--prompts/--no-prompts", help="Show prompts too.")] = True,
) -> None:
    """List a profile's standards with their key questions and prompts."""
    from ..errors import InputError
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


def check_catalogue(
    files: Annotated[list[Path], typer.Argument(help="Catalogue files (TOML) to check.", show_default=False)],
    plugin: Annotated[Optional[str], typer.Option(
        "--plugin", help="The plugin the files belong to (default: the installed plugin that ships "
                         "the file, else its folder's name without 'hmip_inspect_').")] = None,
) -> None:
    """Check catalogue files as the core reads them, without running an inspection.

    Each file is read with the case attributes of every loaded plugin (and of the plugin
    package the file sits in, when that plugin is not installed yet), and its standards are
    added to the installed catalogues of the same edition, so that an id or CARaG code another
    plugin already uses is reported, naming both plugins. Every problem is printed, by file
    and key; the exit status is 1 when any file has one.
    """
    failed: set[str] = set()
    for path, line, ok in check_files(files, plugin, _session()):
        typer.echo(line, err=not ok)
        if not ok:
            failed.add(path)
    if failed:
        typer.echo(f"error: {len(failed)} of {len(files)} file(s) have problems", err=True)
        raise typer.Exit(code=1)


def check_files(files: list[Path], plugin: str | None, session: Any) -> list[tuple[str, str, bool]]:
    """Check each catalogue file: (file, line, ok), one line per good file and one per
    problem found in a bad one.

    Used by ``inspect check-catalogue`` and ``tools/check_catalogue.py``.
    """
    out: list[tuple[str, str, bool]] = []
    installed = session.pm.catalogue_files()
    for path in files:
        owner = plugin or _owner(path, installed)
        out += [(str(path), line, ok) for line, ok in _check_file(Path(path), owner, installed, session)]
    return out


def _owner(path: Path, installed: list[tuple[str, Path]]) -> str:
    """The plugin a file belongs to: the installed plugin that ships it, else its folder's
    name (``hmip_inspect_acme`` is ``acme``; ``plugins/victims`` is ``victims``)."""
    resolved = Path(path).resolve()
    for name, shipped in installed:
        if shipped.resolve() == resolved:
            return name
    return resolved.parent.name.removeprefix("hmip_inspect_")


def _attributes_with(path: Path, plugin: str, session: Any) -> dict[str, Any]:
    """The case attributes of every loaded plugin, plus those the plugin package the file
    sits in declares when that plugin is not loaded (it can be checked before it is
    installed)."""
    from ..catalogue.reader import collect_attributes
    from ..errors import PluginError
    from ..plugin.manager import PluginInfo, build_plugin_manager
    attributes = dict(session.catalogue.attributes)
    package = Path(path).resolve().parent
    if plugin in session.pm.seen or not (package / "__init__.py").is_file():
        return attributes
    import importlib.util
    import sys
    name = f"_hmip_checked_{plugin}"      # a private name: never shadows an installed package
    spec = importlib.util.spec_from_file_location(name, package / "__init__.py",
                                                  submodule_search_locations=[str(package)])
    if spec is None or spec.loader is None:
        return attributes
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module            # so that the package's relative imports resolve
    try:
        spec.loader.exec_module(module)
        pm = build_plugin_manager(load_entry_points=False)
        pm.register_plugin(module, PluginInfo(name=plugin, origin="checked"))
        own = [(owner, attribute) for owner, attribute in pm.case_attributes() if owner == plugin]
        if pm.seen[plugin].status == "broken":
            raise PluginError(plugin, pm.seen[plugin].error.removeprefix(f"plugin {plugin!r}: "))
    except PluginError:
        raise
    except Exception as exc:
        raise PluginError(plugin, f"cannot load the plugin package {package} for its case "
                                  f"attributes: {type(exc).__name__}: {exc}") from exc
    finally:
        for loaded in [key for key in sys.modules if key == name or key.startswith(f"{name}.")]:
            del sys.modules[loaded]
    known, _ = collect_attributes([(a.plugin or "?", a) for a in attributes.values()] + own)
    return known


def _check_file(path: Path, plugin: str, installed: list[tuple[str, Path]], session: Any
                ) -> list[tuple[str, bool]]:
    from ..catalogue.index import Catalogue, file_edition
    from ..catalogue.reader import read_catalogue
    from ..errors import PluginError
    try:
        attributes = _attributes_with(path, plugin, session)
        standards = read_catalogue(path, plugin, attributes)
    except PluginError as exc:
        return [(f"{path}: {line.strip().removeprefix('- ')}", False)
                for line in str(exc).splitlines()[1:]] or [(f"{path}: {exc}", False)]
    edition = standards[0].edition if standards else ""
    # The installed catalogues of this edition, but not the file itself, nor the installed
    # copy of it (a plugin's file of the same name, which this one would replace).
    catalogue = Catalogue(attributes=attributes)
    resolved = path.resolve()
    for other, shipped in installed:
        if shipped.resolve() == resolved or (other == plugin and shipped.name == path.name):
            continue
        if file_edition(shipped) in (edition, None):
            catalogue.read_file(other, shipped)
    problems = []
    for standard in standards:
        try:
            catalogue.add(standard)
        except PluginError as exc:
            problems.append((f"{path}: {exc}", False))
    if problems:
        return problems
    questions = sum(len(s.questions()) for s in standards)
    return [(f"{path}: ok, plugin {plugin}, edition {edition or '?'}, {len(standards)} standard(s), "
             f"{questions} per-case question(s)", True)]


def register(app: typer.Typer, handle_errors: Any) -> None:
    for command in (profiles, plugins, standards):
        app.command()(handle_errors(command))
    app.command("check-catalogue")(handle_errors(check_catalogue))
