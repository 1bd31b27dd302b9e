"""What is installed: profiles, plugins, and a profile's standards with their key questions,
prompts, codes and rules."""

from __future__ import annotations

from typing import Annotated, Any

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
    roles = {"scored": "", "rated": "; rated, not scored", "reported": "; reported, not rated"}
    for standard_id in chosen.all_standards:
        standard = session.catalogue.standard(chosen.edition, standard_id)
        how = "lead inspector's judgement" if standard.rated_by.value == "judgement" else f"{standard.sample} cases"
        if standard.rated_by.value == "judgement" and standard.sample:
            how += f", illustrated by {standard.sample} cases"
        typer.echo("")
        typer.echo(f"{standard.id} {standard.title}  [{how}{roles[chosen.role(standard.id)]}; "
                   f"plugin {standard.plugin}]")
        for exclusion in standard.exclusions:
            typer.echo(f"  excluded from the sample where {exclusion.when.describe()}: {exclusion.reason}")
        for kq in standard.key_questions:
            _echo_key_question(kq, prompts)


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
    typer.echo(f"  {kq.id} {kq.text}{extra}{_rules(kq.summary)}")
    if not prompts:
        return
    for prompt in kq.prompts:
        codes = f"  ({', '.join(prompt.aliases)})" if prompt.aliases else ""
        kind = "  [information]" if prompt.kind.value == "information" else ""
        if prompt.answers != ("yes", "no"):
            listed = ", ".join(prompt.answers) or "free answer"
            kind += f"  [{'one or more of: ' if prompt.multiple else ''}{listed}]"
        typer.echo(f"    {prompt.id} {prompt.text}{codes}{kind}{_rules(prompt)}")


def register(app: typer.Typer, handle_errors: Any) -> None:
    for command in (profiles, plugins, standards):
        app.command()(handle_errors(command))
