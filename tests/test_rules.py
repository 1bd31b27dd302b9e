"""The rating rules of seed 002 Annex 2, at and around every boundary."""

from fractions import Fraction

import pytest
from hmip_inspect.core.catalogue.records import Rating
from hmip_inspect.core.rating.rules import (
    KeyQuestionBands,
    OverallBands,
    banding_value,
    exact_percent,
    judgement_eligibility,
    overall_score,
    published_percent,
)

I, RI, G, O = Rating.INADEQUATE, Rating.REQUIRES_IMPROVEMENT, Rating.GOOD, Rating.OUTSTANDING
BANDS = KeyQuestionBands()


def band_of(yes, n, rounding="half-up"):
    return BANDS.band(banding_value(exact_percent(yes, n), rounding))


@pytest.mark.parametrize("value, expected", [
    (0, I), (49, I), (50, RI), (64, RI), (65, G), (79, G), (80, O), (100, O),
])
def test_key_question_bands_at_each_boundary(value, expected):
    assert BANDS.band(Fraction(value)) is expected


@pytest.mark.parametrize("yes, n, published", [
    (129, 200, 65),   # 64.5 rounds half up
    (1289, 2000, 64),  # 64.45 rounds down
    (55, 79, 70),      # 69.6
    (48, 79, 61),      # 60.76
    (11, 14, 79),      # 78.57
    (26, 35, 74),      # 74.29
    (1, 3, 33),
    (2, 3, 67),
])
def test_published_percent_rounds_half_up(yes, n, published):
    assert published_percent(exact_percent(yes, n)) == published


def test_banding_uses_the_published_whole_percentage_by_default():
    # 64.5% is published as 65%, so it is Good; banded exactly it is Requires improvement.
    assert band_of(129, 200) is G
    assert band_of(129, 200, rounding="none") is RI
    # 49.5% -> 50% Requires improvement; exactly, Inadequate.
    assert band_of(99, 200) is RI
    assert band_of(99, 200, rounding="none") is I
    # 79.5% -> 80%.
    assert band_of(159, 200) is O
    assert band_of(159, 200, rounding="none") is G


def test_nothing_applicable_has_no_percentage():
    assert exact_percent(0, 0) is None


def test_unknown_rounding_rule_is_refused():
    with pytest.raises(ValueError, match="rounding"):
        banding_value(Fraction(50), "banker")


def test_custom_bands_move_the_boundaries():
    bands = KeyQuestionBands(requires_improvement=40, good=60, outstanding=90)
    assert bands.band(Fraction(39)) is I
    assert bands.band(Fraction(40)) is RI
    assert bands.band(Fraction(89)) is G
    assert bands.band(Fraction(90)) is O


def eligibility(yes, n, window=5, rounding="half-up"):
    return judgement_eligibility(key_question="9.9.9", yes=yes, applicable=n,
                                 rounding=rounding, bands=BANDS, window=window)


class TestJudgementWindow:
    """Seed 002 Annex 2: within five percentage points of the boundary, or one case."""

    def test_thames_valley_planning_61_percent_is_eligible_up(self):
        result = eligibility(48, 79)  # 61%, 4 below 65
        assert result.up and not result.down
        assert any("65% boundary" in reason for reason in result.reasons)

    def test_thames_valley_ttg_79_percent_is_eligible_up(self):
        result = eligibility(11, 14)  # 79%: 1 below 80, and 12/14 = 86% would be Outstanding
        assert result.up
        assert len(result.reasons) >= 2

    def test_exactly_five_points_below_is_inside_the_window(self):
        assert eligibility(60, 100).up          # 60%: 5 below 65

    def test_six_points_below_is_outside_the_window(self):
        result = eligibility(59, 100)           # 59%: 6 below 65; 60/100 is still RI
        assert not result.up
        assert not result.down                  # 59 is 9 above 50

    def test_implementation_44_percent_is_not_eligible(self):
        result = eligibility(44, 100)           # Thames Valley 2.3: 6 below 50
        assert not result.eligible
        assert result.reasons == ()

    def test_one_case_flip_makes_a_small_sample_eligible(self):
        # 10/14 = 71% is 6 points below 80 and 6 above 65 but with 14 cases one more
        # "yes" gives 11/14 = 79% - still Good, so not eligible up; 9/14 = 64% drops it.
        result = eligibility(10, 14)
        assert not result.up
        assert result.down
        assert any("one fewer" in reason for reason in result.reasons)

    def test_one_case_flip_up_outside_the_window(self):
        # 5/9 = 56%: 9 below 65, but 6/9 = 67% is Good.
        result = eligibility(5, 9)
        assert result.up
        assert [r for r in result.reasons if "below" in r] == []
        assert any("one more" in r for r in result.reasons)

    def test_window_downwards_at_and_beyond_five_points(self):
        assert eligibility(70, 100).down        # 5 above 65
        assert not eligibility(71, 100).down    # 6 above 65

    def test_window_is_configurable(self):
        assert not eligibility(61, 100, window=3).up
        assert eligibility(62, 100, window=3).up

    def test_no_band_above_outstanding_or_below_inadequate(self):
        top = eligibility(100, 100)
        assert not top.up
        bottom = eligibility(0, 100)
        assert not bottom.down

    def test_eligibility_uses_the_exact_value_when_not_rounding(self):
        # 59.5% banded exactly is 5.5 below 65: outside the window; published it is 60%.
        assert eligibility(119, 200).up
        assert not eligibility(119, 200, rounding="none").up


@pytest.mark.parametrize("standards, expected", [
    (10, [(I, 0, 5), (RI, 6, 15), (G, 16, 25), (O, 26, 30)]),   # the CRC bands, seed 002
    (12, [(I, 0, 6), (RI, 7, 18), (G, 19, 30), (O, 31, 36)]),   # the YOT bands
    (9, [(I, 0, 4), (RI, 5, 13), (G, 14, 22), (O, 23, 27)]),
    (11, [(I, 0, 5), (RI, 6, 16), (G, 17, 27), (O, 28, 33)]),
])
def test_derived_overall_bands(standards, expected):
    assert list(OverallBands.derived(standards).ranges) == expected


@pytest.mark.parametrize("score, expected", [
    (0, I), (5, I), (6, RI), (15, RI), (16, G), (17, G), (25, G), (26, O), (30, O),
])
def test_crc_overall_bands_at_each_edge(score, expected):
    assert OverallBands.derived(10).band(score) is expected


def test_score_outside_the_bands_is_refused():
    with pytest.raises(ValueError):
        OverallBands.derived(10).band(31)


def test_overall_score_sums_zero_to_three():
    assert overall_score([I, RI, G, O]) == 6
    # Thames Valley: four Good, Good, Good, Inadequate, Inadequate, Good, Outstanding.
    assert overall_score([G, G, G, G, G, G, I, I, G, O]) == 17


def test_explicit_bands_are_checked_against_the_number_of_standards():
    gap = OverallBands(((I, 0, 5), (RI, 7, 15), (G, 16, 25), (O, 26, 30)))
    assert any("should start at 6" in p for p in gap.problems(10))
    short = OverallBands.derived(10)
    assert any("score up to 33" in p for p in short.problems(11))
    assert OverallBands.derived(10).problems(10) == []


def test_ratings_parse_as_published():
    assert Rating.from_label("Requires improvement") is RI
    assert Rating.from_label(" outstanding ") is O
    with pytest.raises(ValueError, match="Requires improvement"):
        Rating.from_label("Satisfactory")
