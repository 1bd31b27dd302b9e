"""The hooks a plugin may implement. Every hook name starts with ``hmip_``.

Hooks *declare*: data files, case attributes, proposed rating adjustments. The core
*decides*: it loads and checks what plugins declare, refuses clashes naming every plugin
involved, and applies the rating rules. Implement a hook with the
:data:`hmip_inspect.core.hookimpl` marker and keyword arguments named as below (pluggy
passes only the arguments an implementation asks for).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    from .inspection import Inspection
    from .results import Adjustment
    from .standards import Attribute, Rating, Standard

PROJECT = "hmip_inspect"

hookspec = pluggy.HookspecMarker(PROJECT)


# --------------------------------------------------------------------------------------
# Catalogue: what a plugin contributes to the framework's vocabulary
# --------------------------------------------------------------------------------------


@hookspec
def hmip_catalogues() -> Iterable[Path]:
    """Return the catalogue files (TOML) of standards this plugin ships.

    Called once, when the catalogue is built. The core reads each file, checks it field by
    field and refuses a standard id already contributed by another plugin, naming both.
    A catalogue lives beside the plugin's code; see ``plugins/domain2/standards.toml``.

    :return: paths to catalogue files.

    Example::

        @hookimpl
        def hmip_catalogues():
            return [Path(__file__).with_name("standards.toml")]
    """


@hookspec
def hmip_profiles() -> Iterable[Path]:
    """Return the inspection profiles (TOML) this plugin ships.

    A profile names the plugins and standards an inspection type rates, its bands, the
    professional-judgement window and the rounding rule. A profile is found by its file name
    (``crc.toml`` is ``crc``), which must equal the ``name`` in its ``[profile]`` table; two
    profiles with one name are refused, naming both plugins.

    :return: paths to profile files.
    """


@hookspec
def hmip_case_attributes() -> Iterable["Attribute"]:
    """Declare case attributes: CSV columns that describe a case rather than answer a question.

    An attribute with ``values`` only accepts those values; applicability rules in
    catalogues may only name declared attributes. Two plugins may declare the same
    attribute only with the same values.

    :return: :class:`~hmip_inspect.core.standards.Attribute` records.
    """


# --------------------------------------------------------------------------------------
# Rating: behaviour a plugin adds to the core's rules
# --------------------------------------------------------------------------------------


@hookspec
def hmip_rating_adjustments(
    standard: "Standard", indicative: "Rating", inspection: "Inspection"
) -> Iterable["Adjustment"] | None:
    """Propose adjustments to the indicative rating of a case-rated standard.

    Called for every case-rated standard of the profile, after the core has banded its key
    questions. Return adjustments for standards this plugin is responsible for (e.g. the
    unpaid-work plugin turns a 4.1.3 moderation into one). An adjustment that is not to be
    applied (a moderation the panel did not ratify) is returned with ``applied=False`` so it
    is reported. The core checks each adjustment (one band, within the scale, a rationale)
    and refuses a standard moved more than one band in all (an assumption: seed 002 limits
    each move to one band but does not say whether two may combine).

    :param standard: the standard being rated.
    :param indicative: its rating from the lowest key question.
    :param inspection: the inspection's cases and judgements.
    :return: adjustments, or None when the plugin has nothing to say about this standard.
    """
