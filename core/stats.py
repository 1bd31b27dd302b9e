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
* :func:`agreement`: how alike two assessors judged the same cases (issue 15, quality
  assurance): raw agreement, Cohen's kappa with its asymptotic 95% interval (the standard
  error statsmodels' ``cohens_kappa`` reports, Fleiss, Cohen & Everitt 1969), Gwet's AC1
  (Gwet 2008) and the Landis & Koch (1977) description, from a k×k table of answers.

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


# --------------------------------------------------------------------------------------
# Agreement between two assessors (issue 15)
# --------------------------------------------------------------------------------------

#: Landis, J.R. & Koch, G.G. (1977) "The measurement of observer agreement for categorical
#: data", Biometrics 33(1):159-174, p. 165: the upper bound of each band and its description.
LANDIS_KOCH = ((0.0, "poor"), (0.20, "slight"), (0.40, "fair"), (0.60, "moderate"),
               (0.80, "substantial"), (1.0, "almost perfect"))


def landis_koch(kappa: float | None) -> str:
    """The Landis & Koch description of a kappa: below 0 "poor", up to 0.20 "slight", 0.40
    "fair", 0.60 "moderate", 0.80 "substantial", above "almost perfect"; "n/a" when kappa is
    undefined (every answer in one category)."""
    if kappa is None:
        return "n/a"
    if kappa < 0:
        return "poor"
    return next(label for bound, label in LANDIS_KOCH[1:] if round(kappa, 10) <= bound)


def agreement_table(pairs, categories=()) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]]:
    """The k×k table of ``pairs`` (first answer, second answer): rows the first assessor's
    answers, columns the second's. The categories are ``categories`` in their order, then any
    other answer met, sorted."""
    pairs = list(pairs)
    seen = {answer for pair in pairs for answer in pair}
    ordered = tuple(categories) + tuple(sorted(seen - set(categories)))
    where = {category: i for i, category in enumerate(ordered)}
    table = [[0] * len(ordered) for _ in ordered]
    for first, second in pairs:
        table[where[first]][where[second]] += 1
    return ordered, tuple(tuple(row) for row in table)


def _check_table(table) -> int:
    k = len(table)
    if k == 0 or any(len(row) != k for row in table):
        raise ValueError(f"an agreement table must be square (k by k, k ≥ 1), found {table!r}")
    for row in table:
        for count in row:
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"an agreement table holds counts (whole numbers ≥ 0), found {count!r}")
    n = sum(map(sum, table))
    if n == 0:
        raise ValueError("an agreement table needs at least one pair")
    return n


def cohens_kappa(table) -> tuple[float, float] | None:
    """Cohen's (1960) kappa of a k×k table and its asymptotic standard error, or None where
    kappa is undefined (the chance agreement is 1: every answer in one category).

    ``kappa = (po - pe) / (1 - pe)`` with ``po`` the share of pairs on the diagonal and
    ``pe = Σ p_i. p_.i``. The standard error is Fleiss, Cohen & Everitt (1969), as statsmodels'
    ``cohens_kappa`` reports it (``std_kappa``)::

        var = [Σ_i p_ii (1 - (p_i. + p_.i)(1 - κ))² + (1 - κ)² Σ_{i≠j} p_ij (p_.i + p_j.)²
               - (κ - pe (1 - κ))²] / ((1 - pe)² n)
    """
    n = _check_table(table)
    k = len(table)
    p = [[count / n for count in row] for row in table]
    rows = [sum(row) for row in p]
    cols = [sum(p[i][j] for i in range(k)) for j in range(k)]
    po = sum(p[i][i] for i in range(k))
    pe = sum(rows[i] * cols[i] for i in range(k))
    if math.isclose(pe, 1.0, rel_tol=0, abs_tol=1e-12):
        return None
    kappa = (po - pe) / (1 - pe)
    term_a = sum(p[i][i] * (1 - (rows[i] + cols[i]) * (1 - kappa)) ** 2 for i in range(k))
    term_b = (1 - kappa) ** 2 * sum(p[i][j] * (cols[i] + rows[j]) ** 2
                                    for i in range(k) for j in range(k) if i != j)
    term_c = (kappa - pe * (1 - kappa)) ** 2
    variance = (term_a + term_b - term_c) / (1 - pe) ** 2 / n
    return kappa, math.sqrt(max(variance, 0.0))


def gwet_ac1(table) -> float | None:
    """Gwet's (2008) AC1 of a k×k table: ``(po - pe) / (1 - pe)`` with the chance agreement
    ``pe = Σ_k π_k (1 - π_k) / (k - 1)``, ``π_k`` the mean of the two assessors' shares of
    category k. Unlike kappa it stays near the raw agreement when nearly every answer is the
    same (Gwet, K.L. 2008, "Computing inter-rater reliability and its variance in the presence
    of high agreement", Br J Math Stat Psychol 61:29-48). None for a table of one category."""
    n = _check_table(table)
    k = len(table)
    if k < 2:
        return None
    po = sum(table[i][i] for i in range(k)) / n
    shares = [(sum(table[i]) + sum(row[i] for row in table)) / (2 * n) for i in range(k)]
    pe = sum(share * (1 - share) for share in shares) / (k - 1)
    return (po - pe) / (1 - pe)


@dataclass(frozen=True)
class Agreement:
    """How alike two assessors answered: ``table[i][j]`` counts the pairs where the first said
    ``categories[i]`` and the second ``categories[j]``. ``kappa``, its standard error and
    interval are None where kappa is undefined (every answer in one category)."""

    categories: tuple[str, ...]
    table: tuple[tuple[int, ...], ...]
    pairs: int
    agreement: float
    kappa: float | None
    kappa_se: float | None
    kappa_ci: tuple[float, float] | None
    ac1: float | None
    confidence: float

    @property
    def description(self) -> str:
        """The Landis & Koch description of the kappa ("n/a" when undefined)."""
        return landis_koch(self.kappa)


def agreement(pairs, categories=(), confidence: float = 0.95) -> Agreement:
    """Agreement of ``pairs`` (first answer, second answer): the table over ``categories``
    (the answers the question allows, so that AC1 counts every category a judgement could
    take, seen or not), raw agreement, kappa with its interval ``κ ± z·SE`` (as statsmodels'
    ``kappa_low``/``kappa_upp``), AC1."""
    _check_open_unit("confidence", confidence)
    categories, table = agreement_table(pairs, categories)
    n = _check_table(table) if table else 0
    if n == 0:
        raise ValueError("agreement needs at least one pair")
    po = sum(table[i][i] for i in range(len(table))) / n
    kappa = cohens_kappa(table)
    ci = None
    if kappa is not None:
        half = z_value(confidence) * kappa[1]
        ci = (kappa[0] - half, kappa[0] + half)
    return Agreement(categories, table, n, po, kappa[0] if kappa else None,
                     kappa[1] if kappa else None, ci, gwet_ac1(table), confidence)
