"""The rating rules of HMI Probation's methodology, as pure functions.

Each rule names its source in the seeds (``../shared/seeds``; seed 002 is the Thames Valley
CRC report, 2019, whose Annex 2 "Methodology" holds "Ratings explained", "Rating unpaid
work" and "Overall provider rating"), or says ASSUMPTION where no seed states it. Profiles
list the assumptions they rest on (``assumptions`` in ``[profile]``; ``inspect standards``
and the report's notes print them).

* Key-question percentage: the share of "yes" summary judgements over the cases the key
  question applies to. Source: seed 002 Annex 2 "Ratings explained" ("consolidated results
  (at key question level) of all cases inspected"; low-RoSH cases left out of the
  keeping-others-safe key questions).
* Key-question bands: <50% Inadequate, 50-64% Requires improvement, 65-79% Good, 80%+
  Outstanding. Source: seed 002 Annex 2 table; seed 003 para 2.2 (boundaries unchanged).
* Banding the whole percentage rounded half up (``rounding = "half-up"``): ASSUMPTION. The
  bands and published figures are whole numbers, but no seed says how a fraction is rounded
  or that the rounded figure is banded; ``rounding = "none"`` bands the exact figure.
* Standard: "the rating is aligned to the lowest banding at the key question level". Source:
  seed 002 Annex 2 "Ratings explained" and its footnotes 23, 25, 30, 33, 39, 41.
* Professional judgement: the panel may act "where the lowest percentage at the key question
  level is close to the rating boundary ... within five percentage points of the boundary or
  where a differing judgement in one case would result in a change in rating". Source: seed
  002 Annex 2; worked examples footnotes 28 and 44 (both one band up). A downward move under
  the same window: ASSUMPTION (the text is direction-neutral; no example moves down).
* Unpaid work: 4.1.3 qualitative evidence may move the indicative rating one band up or down
  when the panel ratifies it. Source: seed 002 Annex 2 "Rating unpaid work", footnote 39.
* A standard moves at most one band in all (panel judgement and 4.1.3 moderation together):
  ASSUMPTION. Seed 002 limits each to one band but never says whether both may apply.
* Overall: each standard scores 0-3 (Inadequate 0 ... Outstanding 3), summed and banded for
  ten standards 0-5, 6-15, 16-25, 26-30. Source: seed 002 Annex 2 "Overall provider rating",
  footnote 2; ten standards only.
* Derived bands for n standards (:meth:`OverallBands.derived`: tops floor(n/2),
  floor(3n/2), floor(5n/2), 3n): ASSUMPTION, a reconstruction that reproduces the
  ten-standard table. The PDU (nine scored standards, 0-27) and youth (twelve, 0-36) bands
  are not in any seed either: see the profiles' ``assumptions``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from ..catalogue.records import Rating

ROUNDING_RULES = ("half-up", "none")


def exact_percent(yes: int, applicable: int) -> Fraction | None:
    """The exact percentage of ``yes`` over ``applicable``; None when nothing applies."""
    if applicable == 0:
        return None
    return percent_of(yes, applicable)


def percent_of(yes: int, applicable: int) -> Fraction:
    """:func:`exact_percent` where something applies (``applicable`` > 0)."""
    return Fraction(100 * yes, applicable)


def published_percent(value: Fraction) -> int:
    """Round half up to a whole percentage, as reports print them (e.g. 64.5 -> 65)."""
    return math.floor(value + Fraction(1, 2))


def banding_value(value: Fraction, rounding: str) -> Fraction:
    """The value that is banded: the published whole percentage, or the exact one."""
    if rounding == "half-up":
        return Fraction(published_percent(value))
    if rounding == "none":
        return value
    raise ValueError(f"unknown rounding rule {rounding!r}; expected one of {ROUNDING_RULES}")


@dataclass(frozen=True)
class KeyQuestionBands:
    """Lowest percentage of each band above Inadequate (Annex 2: 50, 65, 80)."""

    requires_improvement: int = 50
    good: int = 65
    outstanding: int = 80

    def boundaries(self) -> tuple[tuple[int, Rating], ...]:
        return (
            (self.requires_improvement, Rating.REQUIRES_IMPROVEMENT),
            (self.good, Rating.GOOD),
            (self.outstanding, Rating.OUTSTANDING),
        )

    def band(self, value: Fraction) -> Rating:
        rating = Rating.INADEQUATE
        for lowest, band in self.boundaries():
            if value >= lowest:
                rating = band
        return rating

    def lower_boundary(self, rating: Rating) -> int | None:
        """The boundary a rating starts at (None for Inadequate)."""
        return next((b for b, r in self.boundaries() if r is rating), None)

    def upper_boundary(self, rating: Rating) -> int | None:
        """The boundary of the next band up (None for Outstanding)."""
        return next((b for b, r in self.boundaries() if r == rating + 1), None)


@dataclass(frozen=True)
class Eligibility:
    """Whether the ratings panel may move a standard, and why."""

    up: bool = False
    down: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def eligible(self) -> bool:
        return self.up or self.down

    def allows(self, direction: int) -> bool:
        return self.up if direction > 0 else self.down


def judgement_eligibility(*, key_question: str, yes: int, applicable: int, rounding: str,
                          bands: KeyQuestionBands, window: int) -> Eligibility:
    """Apply the professional-judgement window to the standard's lowest key question.

    Up: the next boundary is at most ``window`` points above the banded value, or one more
    "yes" would reach the next band. Down: the value is at most ``window`` points above the
    boundary its band starts at, or one fewer "yes" would drop it a band.
    """
    value = banding_value(percent_of(yes, applicable), rounding)
    rating = bands.band(value)
    up_reasons, down_reasons = [], []
    shown = _show(value)

    above = bands.upper_boundary(rating)
    if above is not None:
        if above - value <= window:
            up_reasons.append(f"{key_question} at {shown}% is within {window} points "
                              f"below the {above}% boundary")
        if yes < applicable and bands.band(
                banding_value(percent_of(yes + 1, applicable), rounding)) > rating:
            up_reasons.append(f"one more 'yes' in {key_question} ({yes + 1}/{applicable}) "
                              f"would reach {rating.moved(1).label}")
    below = bands.lower_boundary(rating)
    if below is not None:
        if value - below <= window:
            down_reasons.append(f"{key_question} at {shown}% is within {window} points "
                                f"above the {below}% boundary")
        if yes > 0 and bands.band(
                banding_value(percent_of(yes - 1, applicable), rounding)) < rating:
            down_reasons.append(f"one fewer 'yes' in {key_question} ({yes - 1}/{applicable}) "
                                f"would drop to {rating.moved(-1).label}")
    return Eligibility(bool(up_reasons), bool(down_reasons), tuple(up_reasons + down_reasons))


def _show(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.1f}"


@dataclass(frozen=True)
class OverallBands:
    """Score ranges of the overall rating, e.g. 0-5, 6-15, 16-25, 26-30."""

    ranges: tuple[tuple[Rating, int, int], ...]

    @property
    def max_score(self) -> int:
        return self.ranges[-1][2]

    def band(self, score: int) -> Rating:
        for rating, low, high in self.ranges:
            if low <= score <= high:
                return rating
        raise ValueError(f"score {score} is outside 0-{self.max_score}")

    @classmethod
    def derived(cls, standards: int) -> OverallBands:
        """Bands for ``standards`` standards by the published rule.

        Ten standards give 0-5, 6-15, 16-25, 26-30: a score up to half a point per standard
        is Inadequate, up to 1.5 per standard Requires improvement, up to 2.5 Good.
        """
        tops = [math.floor(Fraction(k, 2) * standards) for k in (1, 3, 5)] + [3 * standards]
        ratings = [Rating.INADEQUATE, Rating.REQUIRES_IMPROVEMENT, Rating.GOOD, Rating.OUTSTANDING]
        lows = [0] + [top + 1 for top in tops[:-1]]
        return cls(tuple(zip(ratings, lows, tops)))

    def problems(self, standards: int) -> list[str]:
        """Why these bands cannot serve ``standards`` standards (empty when they can)."""
        out = []
        expected_low = 0
        for rating, low, high in self.ranges:
            if low != expected_low or high < low:
                out.append(f"{rating.label} range {low}-{high} should start at {expected_low} "
                           "and not end before it starts")
            expected_low = high + 1
        if self.max_score != 3 * standards:
            out.append(f"the ranges end at {self.max_score} but {standards} standards score "
                       f"up to {3 * standards}")
        return out


def overall_score(ratings: list[Rating]) -> int:
    """Sum of the standards' scores (Inadequate 0, Requires improvement 1, Good 2, Outstanding 3)."""
    return sum(int(r) for r in ratings)


def combined_move(directions: list[int]) -> int:
    """How far a standard moves from its indicative rating: the applied adjustments' directions
    (+1 up, -1 down) summed and held to one band either way.

    Source: seed 002, footnote 39 ("the ratings panel ... may then decide to increase or
    decrease the provisional rating by one band") and Annex 2 "Rating unpaid work" (the 4.1.3
    qualitative evidence "may be used to increase or decrease the indicative rating ... by one
    band", put to the ratings panel for ratification). Both moves are the panel's and each is
    one band; the seeds do not say how two on one standard combine. ASSUMPTION: the panel
    decides a standard once, so a moderation and a professional judgement in the same
    direction move it one band, and in opposite directions cancel; each is still reported.
    """
    return max(-1, min(1, sum(directions)))
