"""The report's statistics against statsmodels and scipy (computed here, over grids of
values), a published textbook example, the edge cases, and the sample-size formula."""

import math
import warnings

import pytest
from hmip_inspect.core import stats
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

COUNTS = [(yes, n) for n in (1, 2, 5, 7, 14, 35, 79, 100, 263, 1500)
          for yes in sorted({0, 1, n // 3, n // 2, (2 * n) // 3, n - 1, n}) if 0 <= yes <= n]


@pytest.mark.parametrize("yes,n", COUNTS)
@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_wilson_matches_statsmodels(yes, n, confidence):
    expected_low, expected_high = proportion_confint(yes, n, alpha=1 - confidence, method="wilson")
    interval = stats.wilson(yes, n, confidence)
    assert interval.low == pytest.approx(expected_low, abs=1e-12)
    assert interval.high == pytest.approx(expected_high, abs=1e-12)
    assert 0.0 <= interval.low <= yes / n <= interval.high <= 1.0
    assert interval.confidence == confidence and interval.estimate == yes / n


def test_wilson_defaults_to_95_per_cent():
    assert stats.wilson(48, 79) == stats.wilson(48, 79, 0.95)
    assert stats.z_value(0.95) == pytest.approx(norm.ppf(0.975), abs=1e-12)


# Newcombe R.G. (1998) "Two-sided confidence intervals for the single proportion:
# comparison of seven methods", Statistics in Medicine 17:857-872, Table I, method 3
# (score interval without continuity correction), four decimals as printed.
NEWCOMBE_TABLE_I = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize("yes,n,low,high", NEWCOMBE_TABLE_I)
def test_wilson_reproduces_newcombe_1998_table_i(yes, n, low, high):
    interval = stats.wilson(yes, n)
    assert round(interval.low, 4) == low
    assert round(interval.high, 4) == high


@pytest.mark.parametrize("n", [1, 3, 14, 100, 5000])
def test_wilson_edges_are_exact_at_none_and_all(n):
    none, every = stats.wilson(0, n), stats.wilson(n, n)
    assert none.low == 0.0 and 0 < none.high < 1
    assert every.high == 1.0 and 0 < every.low < 1
    # symmetric: n/n mirrors 0/n
    assert every.low == pytest.approx(1 - none.high, abs=1e-12)
    # the closed form of the 0/n upper bound: z² / (n + z²)
    z = norm.ppf(0.975)
    assert none.high == pytest.approx(z * z / (n + z * z), abs=1e-12)


@pytest.mark.parametrize("args,fragment", [
    ((1, 0), "n must be at least 1"),
    ((0, -3), "n must be at least 1"),
    ((6, 5), "yes must be from 0 to n"),
    ((-1, 5), "yes must be from 0 to n"),
    ((1.5, 5), "whole number"),
    ((True, 5), "whole number"),
])
def test_wilson_refuses_bad_counts(args, fragment):
    with pytest.raises(ValueError, match=fragment):
        stats.wilson(*args)


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.2, "0.95"])
def test_wilson_refuses_confidence_outside_zero_one(confidence):
    with pytest.raises(ValueError, match="confidence must be a number strictly between 0 and 1"):
        stats.wilson(3, 10, confidence)


PAIRS = [(y1, n1, y2, n2) for (y1, n1) in [(1, 7), (9, 14), (55, 79), (48, 79), (65, 100), (74, 100)]
         for (y2, n2) in [(0, 5), (13, 14), (43, 79), (59, 100), (550, 1000), (1100, 2000)]]


@pytest.mark.parametrize("y1,n1,y2,n2", PAIRS)
def test_z_test_matches_statsmodels_and_scipy(y1, n1, y2, n2):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected_z, expected_p = proportions_ztest([y1, y2], [n1, n2])
    result = stats.two_proportion_z_test(y1, n1, y2, n2)
    assert result.z == pytest.approx(expected_z, rel=1e-9, abs=1e-12)
    assert result.p_value == pytest.approx(expected_p, rel=1e-9, abs=1e-15)
    assert result.p_value == pytest.approx(2 * norm.sf(abs(result.z)), rel=1e-9, abs=1e-15)
    assert result.difference == pytest.approx(y1 / n1 - y2 / n2)
    for alpha in (0.01, 0.05, 0.1):
        assert stats.significant(y1, n1, y2, n2, alpha) is bool(expected_p < alpha)
    assert stats.significant(y1, n1, y2, n2) is bool(expected_p < 0.1)


def test_z_test_sign_follows_the_first_proportion():
    assert stats.two_proportion_z_test(70, 100, 50, 100).z > 0
    assert stats.two_proportion_z_test(50, 100, 70, 100).z < 0
    forward, backward = (stats.two_proportion_z_test(48, 79, 46, 100),
                         stats.two_proportion_z_test(46, 100, 48, 79))
    assert forward.z == pytest.approx(-backward.z) and forward.p_value == pytest.approx(backward.p_value)


def test_z_test_with_no_variation_is_not_significant():
    for y1, n1, y2, n2 in ((0, 10, 0, 40), (10, 10, 40, 40)):
        result = stats.two_proportion_z_test(y1, n1, y2, n2)
        assert (result.z, result.p_value) == (0.0, 1.0)
        assert stats.significant(y1, n1, y2, n2) is False
    # 0/n against m/m is the largest possible difference: significant
    assert stats.significant(0, 10, 10, 10) is True


def test_significance_level_defaults_to_seed_002s():
    assert stats.SIGNIFICANCE_LEVEL == 0.1
    # a change between the 0.05 and 0.1 levels: significant by the report's rule only
    pair = next((a, 100, b, 100) for a in range(30, 70) for b in range(a, 100)
                if 0.05 <= proportions_ztest([a, b], [100, 100])[1] < 0.1)
    assert stats.significant(*pair) is True
    assert stats.significant(*pair, alpha=0.05) is False


@pytest.mark.parametrize("args,fragment", [
    ((0, 0, 1, 2), "first n must be at least 1"),
    ((1, 2, 3, 2), "second yes must be from 0 to n"),
])
def test_z_test_refuses_bad_counts(args, fragment):
    with pytest.raises(ValueError, match=fragment):
        stats.two_proportion_z_test(*args)
    with pytest.raises(ValueError, match=fragment):
        stats.significant(*args)


@pytest.mark.parametrize("alpha", [0, 1, 2])
def test_significant_refuses_bad_alpha(alpha):
    with pytest.raises(ValueError, match="alpha"):
        stats.significant(5, 10, 6, 10, alpha)


def textbook_sample_size(population, confidence, margin, p):
    """n0 = z² p(1-p) / e², n = n0 / (1 + (n0 - 1) / N), rounded up."""
    z = norm.ppf(1 - (1 - confidence) / 2)
    n0 = z ** 2 * p * (1 - p) / margin ** 2
    n = n0 if population is None else n0 / (1 + (n0 - 1) / population)
    return n0, n, math.ceil(n)


@pytest.mark.parametrize("population", [None, 1, 10, 120, 254, 600, 5000, 100_000])
@pytest.mark.parametrize("confidence,margin,p", [(0.8, 0.05, 0.5), (0.95, 0.05, 0.5),
                                                 (0.9, 0.03, 0.3), (0.99, 0.1, 0.8)])
def test_sample_size_is_the_textbook_formula(population, confidence, margin, p):
    n0, corrected, rounded = textbook_sample_size(population, confidence, margin, p)
    result = stats.sample_size(population, confidence, margin, p)
    assert result.unlimited == pytest.approx(n0, rel=1e-12)
    assert result.corrected == pytest.approx(corrected, rel=1e-12)
    assert result.n == (rounded if population is None else min(rounded, population))
    if population is not None:
        assert result.n <= population


def test_sample_size_defaults_are_seed_002s_80_per_cent_margin_5():
    n0, _, rounded = textbook_sample_size(None, 0.8, 0.05, 0.5)
    default = stats.sample_size()
    assert (default.confidence, default.margin, default.proportion) == (0.8, 0.05, 0.5)
    assert default.n == rounded
    # the correction only ever shrinks the sample, towards n0 as the population grows
    sizes = [stats.sample_size(population).n for population in (200, 400, 1000, 10_000, 10**7)]
    assert sizes == sorted(sizes) and sizes[-1] == math.ceil(n0)


def test_margin_of_error_inverts_the_sample_size():
    for population in (None, 300, 2000):
        size = stats.sample_size(population)
        assert stats.margin_of_error(size.n, population=population) <= 0.05
        if size.n > 1:
            assert stats.margin_of_error(size.n - 1, population=population) > 0.05


@pytest.mark.parametrize("kwargs,fragment", [
    ({"confidence": 1}, "confidence"), ({"confidence": 0}, "confidence"),
    ({"margin": 5}, "margin"), ({"margin": 0}, "margin"),
    ({"proportion": 1.0}, "proportion"), ({"population": 0}, "population"),
    ({"population": 2.5}, "population"),
])
def test_sample_size_refuses_bad_input(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        stats.sample_size(**kwargs)
