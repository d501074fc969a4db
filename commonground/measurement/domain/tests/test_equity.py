import math
import random

import polars as pl
import pytest

from commonground.measurement.domain.equity import (
    FEW_EVENTS,
    IMPLAUSIBLE,
    SOURCE_UNRELIABLE,
    SUPPRESSED,
    WIDE_CI,
    EquityError,
    GroupValue,
    ReliabilityRules,
    between_group_variance,
    compare_groups,
    equity_frame,
    index_of_disparity,
    reliability_flags,
    theil_index,
)

# Life expectancy, higher is better. Asian has 15 deaths: fewer than 20 events.
LIFE = [
    GroupValue("total", 77.0, population=1000),
    GroupValue("white", 80.0, population=600),
    GroupValue("black", 70.0, population=300),
    GroupValue("hispanic", 85.0, population=100),
    GroupValue("asian", 90.0, numerator=15, population=50),
]


def test_reference_is_best_reliable_group_and_gaps_are_hand_worked() -> None:
    result = compare_groups(LIFE)
    # Asian (90) is unreliable, so hispanic (85) is the reference.
    assert (result.reference_group, result.reference_value) == ("hispanic", 85.0)
    by_group = {g.group: g for g in result.groups}
    assert by_group["white"].difference == -5.0
    assert by_group["black"].difference == -15.0
    assert by_group["white"].ratio == pytest.approx(80 / 85)
    assert by_group["asian"].reliable is False and by_group["asian"].reasons == (
        "fewer than 20 events",
    )
    assert by_group["asian"].difference == 5.0  # shown, flagged, not the reference
    # ID = (|80−85|/85 + |70−85|/85) / 2 × 100 = (5 + 15) / 85 / 2 × 100
    assert result.index_of_disparity == pytest.approx(11.764705882352942)
    # μ = (600·80 + 300·70 + 100·85) / 1000 = 77.5
    # BGV = (600·2.5² + 300·7.5² + 100·7.5²) / 1000 = (3750 + 16875 + 5625) / 1000 = 26.25
    assert result.between_group_variance == pytest.approx(26.25)
    # T = .6(80/77.5)ln(80/77.5) + .3(70/77.5)ln(70/77.5) + .1(85/77.5)ln(85/77.5)
    assert result.theil_index == pytest.approx(0.00221515, rel=1e-5)
    assert result.total is not None and result.total.value == 77.0


def test_lower_is_better_reference_and_index_of_disparity() -> None:
    lbw = [GroupValue("white", 0.07), GroupValue("black", 0.14), GroupValue("hispanic", 0.08)]
    result = compare_groups(lbw, lower_is_better=True)
    assert result.reference_group == "white"
    # ID = (0.07/0.07 + 0.01/0.07) / 2 × 100 = (1 + 1/7) / 2 × 100
    assert result.index_of_disparity == pytest.approx(57.142857142857)
    assert result.between_group_variance is None  # no populations


def test_named_reference_group() -> None:
    result = compare_groups(LIFE, reference="white")
    # R = 80; others black 70, hispanic 85: (10/80 + 5/80) / 2 × 100 = 9.375
    assert result.reference_value == 80.0
    assert result.index_of_disparity == pytest.approx(9.375)


def test_named_reference_that_is_unreliable_gives_no_reference_value() -> None:
    result = compare_groups(LIFE, reference="asian")
    assert result.reference_group == "asian" and result.reference_value is None
    assert result.index_of_disparity is None


def test_implausible_value_never_sets_the_reference() -> None:
    # Alabama, CHR 2025: AIAN life expectancy 111.8 (CI 99.8-123.9).
    groups = [GroupValue("aian", 111.84, ci_low=99.78, ci_high=123.90), GroupValue("white", 73.9)]
    result = compare_groups(groups, rules=ReliabilityRules(plausible_min=0, plausible_max=110))
    assert result.reference_group == "white"
    assert result.groups[0].flags == IMPLAUSIBLE


@pytest.mark.parametrize(
    ("estimate", "flags"),
    [
        (GroupValue("a", 0.2, numerator=5, denominator=25), SUPPRESSED | FEW_EVENTS),
        (GroupValue("a", 0.2, numerator=11, denominator=55), FEW_EVENTS),
        (GroupValue("a", 0.2, numerator=20, denominator=100), 0),
        (GroupValue("a", 0.0, numerator=0, denominator=100), FEW_EVENTS),
        # width 16 / value 10 = 1.6 > 2 × 1.96 × 0.30 = 1.176
        (GroupValue("a", 10.0, ci_low=2.0, ci_high=18.0), WIDE_CI),
        (GroupValue("a", 10.0, ci_low=5.0, ci_high=15.0), 0),
        (GroupValue("a", 10.0, source_unreliable=True), SOURCE_UNRELIABLE),
    ],
)
def test_reliability_flags(estimate: GroupValue, flags: int) -> None:
    assert reliability_flags(estimate) == flags


def test_suppressed_count_hides_the_value() -> None:
    result = compare_groups([GroupValue("a", 0.5, numerator=3), GroupValue("b", 0.2, numerator=40)])
    assert result.groups[0].value is None and result.groups[0].difference is None


def test_drop_unreliable_hides_unreliable_values() -> None:
    result = compare_groups(LIFE, rules=ReliabilityRules(drop_unreliable=True))
    assert {g.group: g.value for g in result.groups}["asian"] is None


def test_formulas_on_edge_cases() -> None:
    assert index_of_disparity([], 80.0) is None
    assert index_of_disparity([1.0], 0.0) is None
    assert between_group_variance([5.0], [10]) == 0.0
    assert between_group_variance([1.0], [0]) is None
    assert theil_index([0.0, 10.0], [1, 1]) == pytest.approx(math.log(2))  # ½·2·ln 2
    assert theil_index([-1.0, 1.0], [1, 1]) is None


def test_compare_groups_rejects_a_repeated_group() -> None:
    with pytest.raises(EquityError):
        compare_groups([GroupValue("a", 1.0), GroupValue("a", 2.0)])


def _frame(rows: list[tuple[str, str, GroupValue]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "indicator_id": "x",
                "place": place,
                "period": period,
                "group": g.group,
                "value": g.value,
                "numerator": g.numerator,
                "population": g.population,
                "ci_low": g.ci_low,
                "ci_high": g.ci_high,
                "source_unreliable": g.source_unreliable,
            }
            for place, period, g in rows
        ]
    )


@pytest.mark.parametrize("reference", ["best", "white"])
@pytest.mark.parametrize("lower", [False, True])
def test_vectorized_api_matches_small_api(reference: str, lower: bool) -> None:
    rng = random.Random(7)
    names = ["total", "white", "black", "hispanic", "asian"]
    rows = []
    for place in range(40):
        for period in ("2020", "2021"):
            for name in names:
                if rng.random() < 0.15:
                    continue
                rows.append(
                    (
                        f"{place:05d}",
                        period,
                        GroupValue(
                            name,
                            rng.uniform(1, 100),
                            numerator=rng.choice([None, 3.0, 15.0, 50.0, 500.0]),
                            population=rng.choice([None, 100.0, 1000.0, 5000.0])
                            if place % 2
                            else 1000.0,
                            ci_low=None,
                            ci_high=None,
                            source_unreliable=rng.random() < 0.05,
                        ),
                    )
                )
    tables = equity_frame(_frame(rows), lower_is_better=lower, reference=reference)
    places = {(r["place"], r["period"]): r for r in tables.places.iter_rows(named=True)}
    groups = {(r["place"], r["period"], r["group"]): r for r in tables.groups.iter_rows(named=True)}
    by_key: dict[tuple[str, str], list[GroupValue]] = {}
    for place, period, g in rows:
        by_key.setdefault((place, period), []).append(g)
    for key, estimates in by_key.items():
        small = compare_groups(estimates, lower_is_better=lower, reference=reference)
        row = places[key]
        assert row["reference_group"] == small.reference_group
        assert row["reference_value"] == pytest.approx(small.reference_value)
        assert row["index_of_disparity"] == pytest.approx(small.index_of_disparity)
        assert row["between_group_variance"] == pytest.approx(small.between_group_variance)
        assert row["theil_index"] == pytest.approx(small.theil_index, abs=1e-12)
        for g in small.groups:
            vec = groups[(*key, g.group)]
            assert (vec["value"], vec["reliable"], vec["is_reference"]) == (
                g.value,
                g.reliable,
                g.is_reference,
            )
            assert vec["difference"] == pytest.approx(g.difference)
            assert vec["ratio"] == pytest.approx(g.ratio)


def test_vectorized_ties_go_to_the_first_group_like_the_small_api() -> None:
    rows = [("00001", "2020", GroupValue("b", 5.0)), ("00001", "2020", GroupValue("a", 5.0))]
    assert equity_frame(_frame(rows)).places["reference_group"][0] == "b"
    assert compare_groups([r[2] for r in rows]).reference_group == "b"
