"""Agreement between two assessors (issue 15): Cohen's kappa, its standard error and
interval, Gwet's AC1 and the Landis & Koch description, against statsmodels, scikit-learn,
irrCAC (Gwet's own package's Python port) and published tables with known values."""

import itertools
import random

import pytest
from hmip_inspect.core import stats
from irrCAC.raw import CAC
from pandas import DataFrame
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import cohens_kappa


def expand(table, categories):
    """The pairs a k×k table counts."""
    return [(categories[i], categories[j]) for i, row in enumerate(table)
            for j, count in enumerate(row) for _ in range(count)]


TABLES = [
    [[20, 5], [10, 15]],
    [[40, 9], [6, 45]],
    [[80, 10], [5, 5]],
    [[1, 0], [0, 1]],
    [[0, 3], [4, 0]],
    [[22, 2], [4, 11]],
    [[7, 1, 0], [2, 9, 3], [0, 1, 12]],
    [[5, 0, 1, 0], [0, 4, 0, 2], [1, 1, 6, 0], [0, 0, 1, 3]],
    [[3, 2], [0, 0]],
]
rng = random.Random(15)
TABLES += [[[rng.randint(0, 20) for _ in range(k)] for _ in range(k)] for k in (2, 2, 3, 3, 4, 5) for _ in range(4)]


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # statsmodels' z under H0
@pytest.mark.parametrize("table", TABLES)
def test_kappa_and_its_standard_error_match_statsmodels(table):
    expected = cohens_kappa(table)
    kappa, se = stats.cohens_kappa(table)
    assert kappa == pytest.approx(expected.kappa, abs=1e-12)
    assert se == pytest.approx(expected.std_kappa, abs=1e-12)
    result = stats.agreement(expand(table, "abcde"[:len(table)]), "abcde"[:len(table)])
    assert result.kappa_ci == pytest.approx((expected.kappa_low, expected.kappa_upp), abs=1e-12)


@pytest.mark.parametrize("table", TABLES)
def test_kappa_matches_scikit_learn(table):
    categories = "abcde"[:len(table)]
    first, second = zip(*expand(table, categories))
    assert stats.agreement(expand(table, categories), categories).kappa == pytest.approx(
        cohen_kappa_score(first, second, labels=list(categories)), abs=1e-12)


@pytest.mark.parametrize("table", TABLES)
def test_ac1_matches_irrcac(table):
    categories = "abcde"[:len(table)]
    first, second = zip(*expand(table, categories))
    expected = CAC(DataFrame({"first": first, "second": second}), categories=list(categories),
                   digits=12).gwet()["est"]
    result = stats.agreement(expand(table, categories), categories)
    assert result.ac1 == pytest.approx(expected["coefficient_value"], abs=1e-9)
    assert result.agreement == pytest.approx(expected["pa"], abs=1e-9)


# Published tables with their kappa as printed.
# * Wikipedia, "Cohen's kappa", worked example (50 grant proposals): po 0.7, pe 0.5, κ 0.4.
# * Feinstein A.R. & Cicchetti D.V. (1990) "High agreement but low kappa: I. The problems of
#   two paradoxes", J Clin Epidemiol 43(6):543-549: two tables of the same 85% agreement,
#   κ 0.70 (balanced) and κ 0.32 (most answers "yes"): the paradox AC1 answers.
PUBLISHED = [
    ([[20, 5], [10, 15]], 0.70, 0.40, 2),
    ([[40, 9], [6, 45]], 0.85, 0.70, 2),
    ([[80, 10], [5, 5]], 0.85, 0.32, 2),
]


@pytest.mark.parametrize("table,po,kappa,places", PUBLISHED)
def test_published_kappa_values(table, po, kappa, places):
    result = stats.agreement(expand(table, "yn"), "yn")
    assert round(result.agreement, places) == po
    assert round(result.kappa, places) == kappa


def test_ac1_stays_near_agreement_where_kappa_collapses():
    """Feinstein & Cicchetti's second table: kappa 0.32 "fair", AC1 0.81 (irrCAC gives 0.808)."""
    result = stats.agreement(expand([[80, 10], [5, 5]], "yn"), "yn")
    assert result.description == "fair"
    assert round(result.ac1, 3) == 0.808


def test_every_answer_the_same_leaves_kappa_undefined_and_ac1_defined():
    result = stats.agreement([("yes", "yes")] * 12, ["yes", "no"])
    assert result.table == ((12, 0), (0, 0))
    assert result.agreement == 1.0
    assert result.kappa is None and result.kappa_se is None and result.kappa_ci is None
    assert result.description == "n/a"
    assert result.ac1 == 1.0
    one = stats.agreement([("yes", "yes")] * 3)
    assert one.categories == ("yes",) and one.kappa is None and one.ac1 is None


def test_table_keeps_declared_categories_and_adds_others():
    categories, table = stats.agreement_table([("no", "n/a"), ("yes", "yes")], ["yes", "no"])
    assert categories == ("yes", "no", "n/a")
    assert table == ((1, 0, 0), (0, 0, 1), (0, 0, 0))


@pytest.mark.parametrize("kappa,label", [
    (-0.01, "poor"), (0.0, "slight"), (0.2, "slight"), (0.21, "fair"), (0.4, "fair"),
    (0.41, "moderate"), (0.6, "moderate"), (0.61, "substantial"), (0.8, "substantial"),
    (0.81, "almost perfect"), (1.0, "almost perfect"), (None, "n/a")])
def test_landis_koch_bands(kappa, label):
    assert stats.landis_koch(kappa) == label


@pytest.mark.parametrize("table", [[], [[1, 2]], [[1, -1], [0, 0]], [[0, 0], [0, 0]], [[1.5, 0], [0, 1]]])
def test_bad_tables_are_refused(table):
    with pytest.raises(ValueError):
        stats.cohens_kappa(table)


def test_no_pairs_is_refused():
    with pytest.raises(ValueError, match="at least one pair"):
        stats.agreement([], ["yes", "no"])


def test_perfect_agreement_has_a_zero_width_interval():
    result = stats.agreement(list(itertools.chain([("y", "y")] * 5, [("n", "n")] * 5)), "yn")
    assert result.kappa == 1.0 and result.kappa_ci == (1.0, 1.0)
