"""A profile: what an inspection type rates and how (its records; :mod:`.reader` reads them from TOML, :mod:`.sampling` reads the sampling plan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, NamedTuple

from ..catalogue.records import Rating
from ..rating.rules import KeyQuestionBands, OverallBands

BAND_KEYS = {"inadequate": Rating.INADEQUATE, "requires_improvement": Rating.REQUIRES_IMPROVEMENT,
             "good": Rating.GOOD, "outstanding": Rating.OUTSTANDING}

#: ``[sampling]`` defaults, from seed 002 Annex 2: "a confidence level of 80 per cent (with a
#: margin of error of 5)"; "ratios in relation to gender, type of disposal and risk of
#: serious harm level matched those in the eligible population".
SAMPLING_UNITS = ("months", "weeks")
DEFAULT_STRATA = ("gender", "disposal", "rosh")
DEFAULT_CONFIDENCE = 80.0   #: per cent
DEFAULT_MARGIN = 5.0        #: percentage points
DEFAULT_SEED = 1


def confidence_problem(value: Any) -> str | None:
    """Why ``value`` is not a usable confidence level in per cent, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 50 <= value < 100:
        return ("expected a confidence level in per cent, at least 50 and below 100 (e.g. 80), "
                f"found {value!r}")
    return None


def margin_problem(value: Any) -> str | None:
    """Why ``value`` is not a usable margin of error in percentage points, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 50:
        return ("expected a margin of error in percentage points, above 0 and at most 50 (e.g. 5), "
                f"found {value!r}")
    return None


class Window(NamedTuple):
    """A sample's eligibility: the case's ``column`` date lies at least ``at_least`` and at most
    ``at_most`` units (``months`` or ``weeks``) before the fieldwork date, both ends included;
    a bound left out is open (``at_least = 3`` alone: "begun at least three months
    previously"). :mod:`.sampling` applies it."""

    column: str
    unit: str = "months"
    at_least: int | None = None
    at_most: int | None = None


class SampleRule(NamedTuple):
    """How one sample (``domain2``, ``upw`` …) is drawn; None falls back on the plan's value."""

    name: str
    window: Window | None = None    #: None: every listed case is eligible
    strata: tuple[str, ...] | None = None
    confidence: float | None = None
    margin: float | None = None
    size: int | None = None         #: a fixed size instead of a confidence level (seed 002: TTG)


class SamplingPlan(NamedTuple):
    """A profile's ``[sampling]`` table: defaults and one rule per sample, in the file's order."""

    samples: Mapping[str, SampleRule]
    strata: tuple[str, ...] = DEFAULT_STRATA
    seed: int = DEFAULT_SEED
    confidence: float = DEFAULT_CONFIDENCE
    margin: float = DEFAULT_MARGIN

    def strata_of(self, rule: SampleRule) -> tuple[str, ...]:
        return self.strata if rule.strata is None else rule.strata

    def columns(self) -> tuple[str, ...]:
        """Every stratum attribute of every sample, the plan's own first."""
        names = list(self.strata)
        for rule in self.samples.values():
            names += rule.strata or ()
        return tuple(dict.fromkeys(names))


#: The default ``[rating] small_sample``: fewer cases than this under a key question is warned of.
SMALL_SAMPLE = 10
#: The default ``[qa] kappa_warning`` (issue 15): a key question whose kappa between first and
#: second assessors is below this is noted in the report. 0.6 is the top of Landis & Koch's
#: "moderate" band (the issue's example value).
KAPPA_WARNING = 0.6
#: The default ``[qa] pair_minimum`` (issue 15): ``inspect qa agreement --all`` shows an
#: assessor pair's agreement only where they assessed at least this many cases together.
#: An assumption: no seed gives a number.
PAIR_MINIMUM = 10


@dataclass(frozen=True)
class Profile:
    """An inspection type: the plugins and standards it rates and the rules it rates them by."""
    name: str
    title: str
    edition: str
    plugins: tuple[str, ...]
    standards: tuple[str, ...]
    key_question_bands: KeyQuestionBands
    overall_bands: OverallBands
    bands_derived: bool
    judgement_window: int
    rounding: str
    path: Path
    description: str = ""
    example: Path | None = None
    rated_beside: tuple[str, ...] = ()  #: rated, shown, not counted in the score
    reported: tuple[str, ...] = ()      #: key-question figures reported, no rating
    sampling: SamplingPlan | None = None  #: how ``inspect sample`` draws the cases
    #: what the profile rests on that no seed states (``assumptions`` in ``[profile]``);
    #: a profile that ``extends`` another adds its own to those it inherits
    assumptions: tuple[str, ...] = ()
    #: ``[plugins.NAME]`` tables: each plugin's settings, checked by the plugin itself
    plugin_settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: ``[rating] small_sample``: a key question resting on fewer cases than this is warned of
    small_sample: int = SMALL_SAMPLE
    #: ``[qa] kappa_warning``: agreement (kappa) below this is noted in the report
    kappa_warning: float = KAPPA_WARNING
    #: ``[qa] pair_minimum``: cases an assessor pair needs before its own agreement is shown
    pair_minimum: int = PAIR_MINIMUM

    @property
    def max_score(self) -> int:
        return 3 * len(self.standards)

    @property
    def all_standards(self) -> tuple[str, ...]:
        """Every standard the inspection covers, in the order it reports them."""
        return self.standards + self.rated_beside + self.reported

    def role(self, standard_id: str) -> str:
        """``scored``, ``rated`` (beside the score) or ``reported``."""
        if standard_id in self.rated_beside:
            return "rated"
        return "reported" if standard_id in self.reported else "scored"
