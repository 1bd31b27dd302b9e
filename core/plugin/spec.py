"""The hooks a plugin may implement: the plugin contract, version 1.

Every hook name starts with ``hmip_``; implement one with :data:`hmip_inspect.core.hookimpl`
and keyword arguments named as below (pluggy passes only the arguments an implementation
asks for). Hooks *declare*: data files, case attributes, proposed rating adjustments, report
sections, commands. The core *decides*: it reads and checks what plugins declare, refuses
clashes naming every plugin involved, and applies the rating rules (:mod:`..rating.rules`).

Two rules bind every hook:

* **Profile-scoped.** The hooks that act on an inspection (``hmip_rating_adjustments``,
  ``hmip_report_sections``) are called only for the plugins the inspection's profile lists
  in ``plugins``; an installed plugin cannot change an inspection whose profile does not
  name it. ``settings`` is the plugin's own ``[plugins.NAME]`` table of that profile (empty
  when there is none), checked first by ``hmip_check_settings``.
* **Checked returns.** The core calls each plugin's implementation on its own (never a hook
  wrapper: plugins that register one are refused), checks the type and fields of what it
  returns, and reports a bad return or an exception as a :class:`~..errors.PluginError`
  naming the plugin.

The records plugins build or receive are in :mod:`.types` and exported by
:mod:`hmip_inspect.core`. ``CONTRACT_VERSION`` says which contract this module describes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    from .types import (
        Adjustment,
        Attribute,
        Question,
        Rating,
        ReportSection,
        Standard,
    )
    from ..inspection.cases import Case
    from ..inspection.folder import Inspection
    from ..rating.results import InspectionResult

PROJECT = "hmip_inspect"
#: The version of the plugin contract: the hooks and records below. A plugin may compare it.
CONTRACT_VERSION = 1

hookspec = pluggy.HookspecMarker(PROJECT)


# --------------------------------------------------------------------------------------
# Vocabulary: what a plugin contributes to the framework (called once per process)
# --------------------------------------------------------------------------------------


@hookspec
def hmip_catalogues() -> Iterable[Path]:
    """Return the catalogue files (TOML) of standards this plugin ships.

    Called once, when the catalogue is built. The core reads each file (one framework edition
    at a time, when a profile of that edition needs it), checks it field by field
    (``docs/catalogue-format.md``) and refuses a standard id, question id or CARaG code
    another plugin already contributes within the edition, naming both. A plugin whose file
    has problems is reported as broken by ``inspect plugins``; it stops only the profiles
    that list it.

    :return: paths to catalogue files (``Path`` or ``str``).

    Example::

        @hookimpl
        def hmip_catalogues():
            return [Path(__file__).with_name("standards.toml")]
    """


@hookspec
def hmip_profiles() -> Iterable[Path]:
    """Return the inspection profiles (TOML) this plugin ships.

    A profile names the plugins and standards an inspection type rates, its bands, the
    professional-judgement window and the rounding rule. A shipped profile is found by its
    file name (``crc.toml`` is ``crc``), which must equal the ``name`` in its ``[profile]``
    table; two profiles with one name are refused, naming both plugins.

    :return: paths to profile files (``Path`` or ``str``).
    """


@hookspec
def hmip_case_attributes() -> Iterable[Attribute]:
    """Declare case attributes: case-file columns that describe a case rather than answer a
    question (``rosh``, ``disposal``, a plugin's own ``court_report``).

    An attribute with ``values`` accepts only those values; applicability rules in catalogues
    may name only declared attributes. Two plugins may declare one attribute only with the
    same values.

    :return: :class:`~hmip_inspect.core.Attribute` records.

    Example::

        @hookimpl
        def hmip_case_attributes():
            return [Attribute("placement", "Where the child lives", ("home", "care"))]
    """


@hookspec
def hmip_check_settings(settings: Mapping[str, Any]) -> Iterable[str] | None:
    """Check this plugin's settings in a profile: the ``[plugins.NAME]`` table, NAME being
    the plugin's name.

    Called when a profile that has such a table is loaded, for that plugin only. Return one
    message per problem, naming the key (``"min_cases: expected a whole number of at least
    1"``); the core reports them with the profile file and table. A plugin that does not
    implement this hook accepts no settings: a table for it is refused.

    :param settings: the table as TOML gives it.
    :return: problems (empty or None when the settings are good).
    """


@hookspec
def hmip_register_commands(app: Any) -> None:
    """Add commands to the ``inspect`` command line.

    Called once when the command line starts. ``app`` is the ``typer.Typer`` application:
    add commands with ``@app.command()`` or a group with ``app.add_typer(...)``. A command
    name the core or another plugin already uses is refused, naming the plugin. Import heavy
    modules inside the command, not at the top of the plugin (start-up is benchmarked).

    :param app: the command-line application.

    Example::

        @hookimpl
        def hmip_register_commands(app):
            @app.command()
            def hello(name: str):
                "Say hello."
                print(f"hello {name}")
    """


# --------------------------------------------------------------------------------------
# Inspections: behaviour a plugin adds, in the profiles that list it
# --------------------------------------------------------------------------------------


@hookspec
def hmip_rating_adjustments(standard: Standard, indicative: Rating, inspection: Inspection,
                            settings: Mapping[str, Any]) -> Iterable[Adjustment] | None:
    """Propose one-band adjustments to the indicative rating of a case-rated standard.

    Called for every case-rated standard of the profile, after the core has banded its key
    questions, for the plugins the profile lists. Return adjustments for standards this
    plugin is responsible for (the unpaid-work plugin turns a ratified 4.1.3 moderation into
    one). An adjustment that is not to be applied (a moderation the panel did not ratify) is
    returned with ``applied=False`` so it is reported. The core checks each adjustment (a
    direction of +1 or -1, a rationale) and combines it with the ratings panel's decision by
    the rule in :func:`hmip_inspect.core.rating.rules.combined_move`.

    :param standard: the standard being rated.
    :param indicative: its rating from the lowest key question.
    :param inspection: the inspection: its cases, answer counts and decisions, the same
        whether it was read from a folder or from the store.
    :param settings: this plugin's ``[plugins.NAME]`` table of the profile.
    :return: adjustments, or None when the plugin has nothing to say about this standard.
    """


@hookspec
def hmip_report_sections(inspection: Inspection, result: InspectionResult,
                         settings: Mapping[str, Any]) -> Iterable[ReportSection] | None:
    """Add sections to the inspection report.

    Called once per report, for the plugins the profile lists. A section is data (a title,
    paragraphs, an optional table); the core renders it in HTML, Markdown and JSON, escaping
    every text, so a plugin never writes markup.

    :param inspection: the inspection, as for ``hmip_rating_adjustments``.
    :param result: its rating.
    :param settings: this plugin's ``[plugins.NAME]`` table of the profile.
    :return: report sections, or None.
    """


@hookspec
def hmip_capture_guidance(question: Question, case: Case, settings: Mapping[str, Any]) -> Iterable[str] | None:
    """Add lines to what capture shows for ``question`` when an inspector asks for guidance
    (``?``), from what is known of ``case`` so far.

    Called for the plugins the inspection's profile lists. Return plain text (the court-work
    plugin shows the OGRS guideline's RAR days for the case's OGRS score at CW 1.15).

    :param question: the question being asked.
    :param case: the case as captured so far (attributes and answers).
    :param settings: this plugin's ``[plugins.NAME]`` table of the profile.
    :return: lines of text, or None.
    """
