"""The statistics an inspection report needs: intervals, comparisons, sample sizes.

Three small formulas, each on the standard library's :class:`statistics.NormalDist`:

* :func:`wilson`: the Wilson score interval for a proportion (Wilson 1927; method 3 of
  Newcombe 1998, "Two-sided confidence intervals for the single proportion"). Unlike the
  plain normal approximation it stays inside 0-1 and behaves at 0/n and n/n, which matters
  for key questions answered in a handful of cases.
* :func:`two_proportion_z_test` and :func:`significant`: the Z-score test of a change
  between two proportions with a pooled standard error. Seed 002 (Thames Valley CRC, Annex
  2 "Comparative data"): "our internal data analysis calculates whether any changes are
  statistically significant or not (using the Z-score test, with a significance level of
  0.1) ... where inspectors are referring to changes in data that meet this significance
  test, they will use the word 'significant'."
* :func:`sample_size`: cases needed to estimate a proportion within a margin of error,
  with the finite-population correction. Seed 002, Annex 2: "The sample size was set to
  achieve a confidence level of 80 per cent (with a margin of error of 5)".

Proportions are fractions in 0-1 throughout; the report turns them into percentages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

_NORMAL = NormalDist()

#: Seed 002, Annex 2: changes are tested "with a significance level of 0.1".
SIGNIFICANCE_LEVEL = 0.1
#: Seed 002, Annex 2: samples are sized for "a confidence level of 80 per cent".
SAMPLE_CONFIDENCE = 0.8
#: ... "with a margin of error of 5" (percentage points).
SAMPLE_MARGIN = 0.05


def _check_count(yes: int, n: int, what: str = "") -> None:
    label = f"{what} " if what else ""
    for name, value in (("yes", yes), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{label}{name} must be a whole number, found {value!r}")
    if n <= 0:
        raise ValueError(f"{label}n must be at least 1, found {n}")
    if not 0 <= yes <= n:
        raise ValueError(f"{label}yes must be from 0 to n ({n}), found {yes}")


def _check_open_unit(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ValueError(f"{name} must be a number strictly between 0 and 1, found {value!r}")


def z_value(confidence: float) -> float:
    """The two-sided critical value of the standard normal: 1.96 for 0.95, 1.28 for 0.8."""
    _check_open_unit("confidence", confidence)
    return _NORMAL.inv_cdf(1 - (1 - confidence) / 2)


@dataclass(frozen=True)
class Interval:
    """A confidence interval for a proportion ``yes / n`` (bounds as fractions in 0-1)."""

    yes: int
    n: int
    low: float
    high: float
    confidence: float

    @property
    def estimate(self) -> float:
        return self.yes / self.n


def wilson(yes: int, n: int, confidence: float = 0.95) -> Interval:
    """The Wilson score interval of ``yes`` out of ``n`` at ``confidence`` (default 95%).

    Bounds are ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)`` with ``p = yes/n``;
    at 0/n the lower bound is exactly 0 and at n/n the upper bound exactly 1.
    """
    _check_count(yes, n)
    z = z_value(confidence)
    p = yes / n
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n)
    low = 0.0 if yes == 0 else max(0.0, centre - half)
    high = 1.0 if yes == n else min(1.0, centre + half)
    return Interval(yes, n, low, high, confidence)


@dataclass(frozen=True)
class ZTest:
    """A two-proportion Z-score test of ``yes1/n1`` against ``yes2/n2`` (pooled standard error).

    ``z`` is positive when the first proportion is the higher; ``p_value`` is two-sided.
    """

    yes1: int
    n1: int
    yes2: int
    n2: int
    z: float
    p_value: float

    @property
    def difference(self) -> float:
        """First proportion minus second, as a fraction."""
        return self.yes1 / self.n1 - self.yes2 / self.n2

    def significant(self, alpha: float = SIGNIFICANCE_LEVEL) -> bool:
        _check_open_unit("alpha", alpha)
        return self.p_value < alpha


def two_proportion_z_test(yes1: int, n1: int, yes2: int, n2: int) -> ZTest:
    """Test whether ``yes1/n1`` and ``yes2/n2`` differ, pooling the two under the null.

    ``z = (p1 - p2) / sqrt(p(1-p)(1/n1 + 1/n2))`` with ``p = (yes1 + yes2) / (n1 + n2)``;
    the two-sided p-value is ``2·Φ(-|z|)``. Where both proportions are 0 or both are 1 there
    is no variation to test: ``z`` is 0 and the p-value 1.
    """
    _check_count(yes1, n1, "first")
    _check_count(yes2, n2, "second")
    pooled = (yes1 + yes2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance == 0:
        return ZTest(yes1, n1, yes2, n2, 0.0, 1.0)
    z = (yes1 / n1 - yes2 / n2) / math.sqrt(variance)
    return ZTest(yes1, n1, yes2, n2, z, 2 * _NORMAL.cdf(-abs(z)))


def significant(yes1: int, n1: int, yes2: int, n2: int, alpha: float = SIGNIFICANCE_LEVEL) -> bool:
    """Whether the change passes the Z-score test at ``alpha`` (seed 002: 0.1), two-sided."""
    return two_proportion_z_test(yes1, n1, yes2, n2).significant(alpha)


@dataclass(frozen=True)
class SampleSize:
    """Cases needed to estimate a proportion: ``n`` (rounded up), before and after the
    finite-population correction (``unlimited`` is the size for an unlimited population)."""

    n: int
    unlimited: float
    corrected: float
    population: int | None
    confidence: float
    margin: float
    proportion: float


def sample_size(population: int | None = None, confidence: float = SAMPLE_CONFIDENCE,
                margin: float = SAMPLE_MARGIN, proportion: float = 0.5) -> SampleSize:
    """Cases needed so a proportion is estimated within ``margin`` at ``confidence``.

    ``n0 = z² p(1-p) / e²``; for a population of ``N`` cases ``n = n0 / (1 + (n0 - 1) / N)``,
    rounded up (and never more than ``N``). ``margin`` is a fraction: 0.05 is five
    percentage points. Defaults follow seed 002: 80% confidence, margin 5, p = 0.5 (the
    most cautious proportion).
    """
    _check_open_unit("confidence", confidence)
    _check_open_unit("margin", margin)
    _check_open_unit("proportion", proportion)
    if population is not None and (isinstance(population, bool) or not isinstance(population, int)
                                   or population < 1):
        raise ValueError(f"population must be a whole number of at least 1, found {population!r}")
    z = z_value(confidence)
    unlimited = z * z * proportion * (1 - proportion) / (margin * margin)
    corrected = unlimited if population is None else unlimited / (1 + (unlimited - 1) / population)
    n = math.ceil(corrected)
    if population is not None:
        n = min(n, population)
    return SampleSize(max(n, 1), unlimited, corrected, population, confidence, margin, proportion)


def margin_of_error(n: int, confidence: float = SAMPLE_CONFIDENCE, proportion: float = 0.5,
                    population: int | None = None) -> float:
    """The margin of error (a fraction) of a proportion estimated from ``n`` cases:
    ``z·sqrt(p(1-p)/n)``, times ``sqrt((N - n)/(N - 1))`` for a population of ``N``."""
    _check_count(0, n)
    _check_open_unit("confidence", confidence)
    _check_open_unit("proportion", proportion)
    margin = z_value(confidence) * math.sqrt(proportion * (1 - proportion) / n)
    if population is not None:
        if isinstance(population, bool) or not isinstance(population, int) or population < n:
            raise ValueError(f"population must be a whole number of at least n ({n}), found {population!r}")
        margin *= math.sqrt((population - n) / (population - 1)) if population > 1 else 0.0
    return margin
