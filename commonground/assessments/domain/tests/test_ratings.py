"""Ratings: distributions, voice gap, disagreement, factor bands, rounds, worked by hand."""

from __future__ import annotations

import math

import pytest

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.ratings import (
    BORDERLINE,
    CONCERN,
    FIVE_POINT,
    FOUR_POINT,
    SLIDER,
    STRENGTH,
    RatingResponse,
    band_for,
    compare_rounds,
    describe,
    rank_by_disagreement,
    score_factors,
    summarize_items,
    voice_gap,
)


def responses(member_type: str, item_id: str, *values: int) -> list[RatingResponse]:
    return [RatingResponse(member_type, {item_id: value}) for value in values]


def test_distribution_worked_by_hand() -> None:
    # 1, 2, 2, 4, 5, 5: n 6, mean 19/6 = 3.1667, median (2 + 4) / 2 = 3.0.
    distribution = describe([1, 2, 2, 4, 5, 5], scale=FIVE_POINT)
    assert distribution.n == 6
    assert distribution.mean == pytest.approx(19 / 6)
    assert distribution.median == 3.0
    assert [b.count for b in distribution.bins] == [1, 2, 0, 1, 2]


def test_slider_bins_put_the_maximum_in_the_last_bin() -> None:
    distribution = describe([0, 19, 20, 79, 80, 100], scale=SLIDER)
    assert [(b.low, b.high, b.count) for b in distribution.bins] == [
        (0, 19, 2),
        (20, 39, 1),
        (40, 59, 0),
        (60, 79, 1),
        (80, 100, 2),
    ]


def test_disagreement_worked_by_hand() -> None:
    # Slider positions 20, 40, 60, 80: mean 50; squared deviations 900, 100, 100,
    # 900; variance 2000 / 4 = 500; std_dev sqrt(500) = 22.36; the largest possible
    # std_dev on 0-100 is 50, so disagreement = 22.36 / 50 = 0.447 (< 0.5, not wide).
    spread = describe([20, 40, 60, 80], scale=SLIDER)
    assert spread.std_dev == pytest.approx(math.sqrt(500))
    assert spread.disagreement == pytest.approx(0.4472, abs=1e-4)
    assert not spread.is_wide_disagreement
    # Two camps at the poles: std_dev 50, disagreement 1.0.
    poles = describe([0, 0, 100, 100], scale=SLIDER)
    assert poles.std_dev == 50.0 and poles.disagreement == 1.0 and poles.is_wide_disagreement
    # Everyone at 30: no disagreement.
    assert describe([30] * 5, scale=SLIDER).disagreement == 0.0


def test_wide_disagreement_boundary_is_exact() -> None:
    # 25, 75: mean 50, std_dev exactly 25 = half of 50: wide (>= 0.5).
    assert describe([25, 75], scale=SLIDER).is_wide_disagreement
    # 26, 74: std_dev 24: not wide.
    assert not describe([26, 74], scale=SLIDER).is_wide_disagreement


def test_ranking_by_disagreement_widest_first_ties_by_id() -> None:
    data = [
        RatingResponse("partner", {"upstream": u, "local": lo, "depth": d})
        for u, lo, d in [(0, 40, 60), (100, 60, 40), (0, 40, 60), (100, 60, 40), (50, 50, 50)]
    ]
    items = summarize_items(data, item_ids=["upstream", "local", "depth"], scale=SLIDER)
    ranks = rank_by_disagreement(items)
    # upstream: std_dev sqrt(4 * 2500 / 5) = 44.7; local and depth both sqrt(80) = 8.9,
    # tied, so "depth" before "local".
    assert [(r.item_id, r.rank, r.is_wide) for r in ranks] == [
        ("upstream", 1, True),
        ("depth", 2, False),
        ("local", 3, False),
    ]
    assert ranks[1].std_dev == pytest.approx(math.sqrt(80))


def test_ranking_skips_suppressed_items() -> None:
    items = summarize_items(responses("partner", "x", 0, 100, 0, 100), item_ids=["x"], scale=SLIDER)
    assert rank_by_disagreement(items) == ()


def test_voice_gap_worked_by_hand_is_flagged_at_one_point() -> None:
    # Residents 2, 2, 3, 2, 1: mean 10 / 5 = 2.0. Partners 4, 3, 3 and backbone 3, 2
    # pooled: mean 15 / 5 = 3.0. Gap 2.0 - 3.0 = -1.0: |gap| >= 1.0, flagged.
    data = (
        responses("community", "trust", 2, 2, 3, 2, 1)
        + responses("partner", "trust", 4, 3, 3)
        + responses("backbone", "trust", 3, 2)
    )
    item = summarize_items(data, item_ids=["trust"], scale=FIVE_POINT)[0]
    assert item.voice_gap.community_mean == 2.0
    assert item.voice_gap.institutional_mean == 3.0
    assert item.voice_gap.gap == -1.0
    assert item.voice_gap.is_flagged
    # Partner (3) and backbone (2) are small views; institutional (5) is shown.
    assert item.view("partner").is_suppressed and item.view("backbone").is_suppressed
    assert item.view("institutional").respondent_count == 5


def test_voice_gap_just_under_threshold_is_not_flagged() -> None:
    # Residents mean 4.2 (21 / 5); institutions mean 3.4 (17 / 5): gap 0.8 < 1.0.
    gap = voice_gap([5, 4, 4, 4, 4], [4, 4, 3, 3, 3], scale=FIVE_POINT)
    assert gap.gap == pytest.approx(0.8)
    assert not gap.is_flagged


def test_voice_gap_boundary_is_exact_despite_float_rounding() -> None:
    # Residents mean 4.1 (41 / 10), institutions mean 3.1 (31 / 10): gap exactly 1.0,
    # although 4.1 - 3.1 in floats is 0.9999999999999996.
    community = [5] * 1 + [4] * 9
    institutional = [4] * 1 + [3] * 9
    gap = voice_gap(community, institutional, scale=FIVE_POINT)
    assert gap.is_flagged


def test_voice_gap_needs_five_on_each_side() -> None:
    institutional = [4, 4, 4, 4, 4]
    four = voice_gap([1, 1, 1, 1], institutional, scale=FIVE_POINT)
    assert four.gap is None and not four.is_flagged
    five = voice_gap([1, 1, 1, 1, 1], institutional, scale=FIVE_POINT)
    assert five.gap == -3.0 and five.is_flagged


def test_voice_gap_threshold_scales_with_the_scale() -> None:
    # On 1-4 the threshold is a quarter of 3 = 0.75.
    gap = voice_gap([3] * 5, [2, 2, 2, 3, 2], scale=FOUR_POINT)
    assert gap.threshold == 0.75
    assert gap.gap == pytest.approx(0.8) and gap.is_flagged


def test_item_with_four_respondents_is_suppressed_and_five_is_shown() -> None:
    four = summarize_items(responses("partner", "x", 3, 4, 5, 2), item_ids=["x"], scale=FIVE_POINT)
    assert four[0].overall.is_suppressed
    assert four[0].overall.respondent_count is None and four[0].overall.distribution is None
    five = summarize_items(
        responses("partner", "x", 3, 4, 5, 2, 1), item_ids=["x"], scale=FIVE_POINT
    )
    overall = five[0].overall
    assert not overall.is_suppressed and overall.respondent_count == 5
    assert overall.distribution is not None and overall.distribution.mean == 3.0


def test_small_community_hides_institutional_view_and_voice_gap() -> None:
    # 4 residents, 6 partners: institutional shown with overall would give the
    # residents' sum as overall - institutional.
    data = responses("community", "x", 1, 1, 1, 1) + responses("partner", "x", 5, 5, 5, 5, 5, 5)
    item = summarize_items(data, item_ids=["x"], scale=FIVE_POINT)[0]
    assert item.overall.respondent_count == 10
    assert item.view("community").is_suppressed
    assert item.view("institutional").is_suppressed
    assert item.view("partner").is_suppressed
    assert item.voice_gap.gap is None


def test_skipped_items_are_planned_separately() -> None:
    data = [RatingResponse("partner", {"a": 3, "b": 4})] * 5 + [RatingResponse("partner", {"a": 2})]
    a, b = summarize_items(data, item_ids=["a", "b"], scale=FIVE_POINT)
    assert a.overall.respondent_count == 6
    assert b.overall.respondent_count == 5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (6, r"respondent 1: rating for item 'trust' is 6; expected 1 to 5"),
        (0, r"respondent 1: rating for item 'trust' is 0; expected 1 to 5"),
        (3.5, r"respondent 1: rating for item 'trust' is 3.5; expected a whole number"),
        (True, r"respondent 1: rating for item 'trust' is True; expected a whole number"),
    ],
)
def test_rating_out_of_range_names_item_and_value(value: int, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        summarize_items(
            [RatingResponse("partner", {"trust": value})], item_ids=["trust"], scale=FIVE_POINT
        )


def test_unknown_item_is_named() -> None:
    with pytest.raises(ScoringError, match="respondent 1: item 'zz' is not in this assessment"):
        summarize_items([RatingResponse("partner", {"zz": 3})], item_ids=["a"], scale=FIVE_POINT)


@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (5.0, STRENGTH),
        (4.0, STRENGTH),
        (3.99, BORDERLINE),
        (3.0, BORDERLINE),
        (2.99, CONCERN),
        (1.0, CONCERN),
    ],
)
def test_factor_bands_at_boundaries(mean: float, band: str) -> None:
    assert band_for(mean) == band


def test_factor_bands_on_four_point_scale() -> None:
    # 1-4: strength from 1 + 3/4 * 3 = 3.25, borderline from 1 + 1/2 * 3 = 2.5.
    assert band_for(3.25, scale=FOUR_POINT) == STRENGTH
    assert band_for(3.24, scale=FOUR_POINT) == BORDERLINE
    assert band_for(2.5, scale=FOUR_POINT) == BORDERLINE
    assert band_for(2.49, scale=FOUR_POINT) == CONCERN


def test_factor_mean_out_of_scale_is_rejected() -> None:
    with pytest.raises(ScoringError, match=r"factor mean 5.5 is outside 1 to 5"):
        band_for(5.5)


def test_factor_score_worked_by_hand() -> None:
    # Factor "governance" = items g1, g2, g3, five partners each.
    # g1: 4, 4, 4, 3, 3 -> 18 / 5 = 3.6
    # g2: 3, 3, 3, 3, 3 -> 3.0
    # g3: 2, 3, 3, 3, 3 -> 14 / 5 = 2.8
    # Factor mean (3.6 + 3.0 + 2.8) / 3 = 9.4 / 3 = 3.1333: borderline.
    # Factor "vision" = item v1: 4, 4, 4, 4, 4 -> 4.0, strength (boundary).
    rows = [(4, 3, 2, 4), (4, 3, 3, 4), (4, 3, 3, 4), (3, 3, 3, 4), (3, 3, 3, 4)]
    data = [RatingResponse("partner", {"g1": a, "g2": b, "g3": c, "v1": d}) for a, b, c, d in rows]
    scores = score_factors(data, factors={"governance": ["g1", "g2", "g3"], "vision": ["v1"]})
    overall = {s.factor_id: s for s in scores if s.view == "overall"}
    assert overall["governance"].mean == pytest.approx(9.4 / 3)
    assert overall["governance"].band == BORDERLINE
    assert overall["vision"].mean == 4.0 and overall["vision"].band == STRENGTH
    community = {s.factor_id: s for s in scores if s.view == "community"}
    assert community["governance"].is_suppressed and community["governance"].band is None


def test_factor_is_suppressed_when_any_item_is() -> None:
    data = [RatingResponse("partner", {"a": 4, "b": 4})] * 5
    data[0] = RatingResponse("partner", {"a": 4})
    scores = score_factors(data, factors={"f": ["a", "b"]})
    assert next(s for s in scores if s.view == "overall").is_suppressed


def test_round_comparison_worked_by_hand() -> None:
    # Round 1: x 2, 2, 3, 3, 3 (2.6); y 4 x 5 (4.0); z 1 x 5 (1.0)
    # Round 2: x 3, 3, 4, 4, 4 (3.6); y 4 x 4 (suppressed); w 5 x 5 (5.0)
    first = [RatingResponse("partner", {"x": x, "y": 4, "z": 1}) for x in (2, 2, 3, 3, 3)]
    second = [RatingResponse("partner", {"x": x, "w": 5}) for x in (3, 3, 4, 4, 4)]
    second[:4] = [RatingResponse("partner", {**r.ratings, "y": 4}) for r in second[:4]]
    before = summarize_items(first, item_ids=["x", "y", "z"], scale=FIVE_POINT)
    after = summarize_items(second, item_ids=["x", "y", "w"], scale=FIVE_POINT)
    changes = {c.item_id: c for c in compare_rounds(before, after)}
    assert [c.item_id for c in compare_rounds(before, after)] == ["x", "y", "w", "z"]
    assert changes["x"].change == 1.0
    assert changes["y"].previous_mean == 4.0 and changes["y"].change is None
    assert changes["w"].previous_mean is None and changes["w"].change is None
    assert changes["z"].current_mean is None
