"""hmip-inspect-acme: a worked example of a third-party plugin. Everything here is SYNTHETIC.

It contributes:

* ``standards.toml``: standard 5.1 "Accommodation support" of the 2019 edition, rated from
  its own case sample ``accommodation``;
* the case attribute ``housing`` (``settled`` or ``unsettled``), which the catalogue's
  applicability rules name;
* ``acme-crc.toml``: a profile that extends the built-in ``crc`` profile with this plugin and
  its standard, and sets this plugin's ``[plugins.acme]`` settings;
* a rating adjustment: standard 5.1 moves up one band when at least ``min_cases`` cases of
  the sample (a profile setting, default 5) ended in settled accommodation.

The plugin imports only from :mod:`hmip_inspect.core`, the public API.
"""

from __future__ import annotations

from pathlib import Path

from hmip_inspect.core import Adjustment, Attribute, hookimpl

HERE = Path(__file__).parent
#: The standard this plugin is responsible for.
STANDARD = "5.1"
#: The settings this plugin takes in a profile's ``[plugins.acme]`` table, with defaults.
DEFAULTS = {"min_cases": 5}


@hookimpl
def hmip_catalogues():
    return [HERE / "standards.toml"]


@hookimpl
def hmip_profiles():
    return [HERE / "acme-crc.toml"]


@hookimpl
def hmip_case_attributes():
    return [
        Attribute(
            name="housing",
            description="SYNTHETIC: whether the person was in settled accommodation at the end "
            "of the period inspected",
            values=("settled", "unsettled"),
        )
    ]


@hookimpl
def hmip_check_settings(settings):
    problems = []
    for key in settings:
        if key not in DEFAULTS:
            problems.append(f"{key}: unknown setting; expected one of: {', '.join(DEFAULTS)}")
    value = settings.get("min_cases", DEFAULTS["min_cases"])
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(f"min_cases: expected a whole number of at least 1, found {value!r}")
    return problems


@hookimpl
def hmip_rating_adjustments(standard, indicative, inspection, settings):
    if standard.id != STANDARD:
        return None                       # not ours: say nothing
    threshold = settings.get("min_cases", DEFAULTS["min_cases"])
    cases = inspection.cases_in(standard.sample)
    settled = sum(1 for case in cases if case.attributes.get("housing") == "settled")
    met = settled >= threshold
    return [
        Adjustment(
            direction=+1,
            rationale=f"{settled} of {len(cases)} cases ended in settled accommodation; the "
            f"profile asks for at least {threshold} (indicative rating {indicative.label})",
            source="acme: settled accommodation"
            + ("" if met else f", fewer than {threshold} cases"),
            applied=met,
        )
    ]
