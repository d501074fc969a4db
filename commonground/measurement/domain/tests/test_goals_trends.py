import polars as pl
import pytest

from commonground.measurement.domain.equity import equity_frame
from commonground.measurement.domain.goals import (
    GoalError,
    benchmark_goal,
    distance_frame,
    goals_frame,
    people_to_goal,
    percentile_rank,
)
from commonground.measurement.domain.trends import (
    TrendError,
    assess_gap_target,
    assess_target,
    ols_trend,
    t_quantile,
    trend_frame,
)


def test_goal_is_mean_of_best_five_places() -> None:
    values = {"A": 70.0, "B": 80.0, "C": 78.0, "D": 60.0, "E": 75.0, "F": 79.0, "G": 81.0}
    goal = benchmark_goal(values)
    # best five: G 81, B 80, F 79, C 78, E 75 → 393 / 5 = 78.6
    assert goal.value == pytest.approx(78.6)
    assert goal.places == ("G", "B", "F", "C", "E")
    with pytest.raises(GoalError):
        benchmark_goal(values, top=0)


def test_people_to_goal_and_percentile_rank() -> None:
    # 12% uninsured vs a goal of 8% in 50,000 people: 4 points × 50,000 / 100 = 2,000 people
    assert people_to_goal(12.0, 8.0, 50_000, per=100, lower_is_better=True) == pytest.approx(2000)
    assert people_to_goal(6.0, 8.0, 50_000, per=100, lower_is_better=True) == 0.0
    # lower is better: 0.07 beats 0.08 and 0.09 (B = 2), ties with itself (E = 1): 2.5/4
    assert percentile_rank(0.07, [0.07, 0.08, 0.09, 0.05], lower_is_better=True) == 62.5


def _places() -> pl.DataFrame:
    rows = []
    for place, total, white in [("A", 75.0, 80.0), ("B", None, 78.0), ("C", 70.0, 72.0)]:
        if total is not None:
            rows.append({"place": place, "group": "total", "value": total})
        rows.append({"place": place, "group": "white", "value": white})
        rows.append({"place": place, "group": "black", "value": white - 5})
    frame = pl.DataFrame(rows).with_columns(indicator_id=pl.lit("le"), period=pl.lit("2020"))
    return equity_frame(frame).places


def test_goals_frame_uses_totals_or_reference_values() -> None:
    goals = goals_frame(_places(), top=2)
    # A total 75, B no total → reference 78, C total 70: best two 78 (B), 75 (A)
    assert goals["goal"].to_list() == [76.5]
    assert goals["goal_places"].to_list() == [["B", "A"]]


def test_distance_frame_gives_distance_people_and_rank() -> None:
    places = _places()
    goals = goals_frame(places, top=2)
    populations = pl.DataFrame(
        {"place": ["A", "B", "C"], "period": "2020", "population": [100.0] * 3}
    )
    out = distance_frame(places, goals, populations=populations).sort("place")
    assert out["distance"].to_list() == pytest.approx([1.5, -1.5, 6.5])
    assert out["people_to_goal"].to_list() == pytest.approx([150.0, 0.0, 650.0])
    # ranks among 3: C worst (0.5/3), A (1.5/3), B best (2.5/3)
    assert out["percentile_rank"].to_list() == pytest.approx([50.0, 250 / 3, 50 / 3])


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        (0.975, 1, 12.7062),
        (0.975, 2, 4.3027),
        (0.975, 10, 2.2281),
        (0.95, 4, 2.1318),
        (0.995, 20, 2.8453),
    ],
)
def test_t_quantile_matches_printed_tables(p: float, df: int, expected: float) -> None:
    assert t_quantile(p, df) == pytest.approx(expected, abs=1e-4)


def test_ols_trend_hand_worked() -> None:
    # t̄ = 2019.5, ȳ = 70.7; Sxy = 2.3, Sxx = 5 → b = 0.46
    # residuals −.01, −.07, .17, −.09 → SSR = .042; SE = √(.042/2/5) = .064807
    trend = ols_trend([2018, 2019, 2020, 2021], [70.0, 70.4, 71.1, 71.3])
    assert trend.slope == pytest.approx(0.46)
    assert trend.std_error == pytest.approx(0.0648074, rel=1e-5)
    assert trend.ci_low == pytest.approx(0.46 - 4.302653 * 0.0648074, rel=1e-5)
    with pytest.raises(TrendError):
        ols_trend([2020], [1.0])


def test_trend_frame_matches_ols_trend() -> None:
    frame = pl.DataFrame(
        {
            "indicator_id": "le",
            "place": "A",
            "group": "total",
            "period": ["2018", "2019", "2020", "2021"],
            "value": [70.0, 70.4, 71.1, 71.3],
        }
    )
    row = trend_frame(frame).row(0, named=True)
    assert row["slope"] == pytest.approx(0.46)
    assert row["ci_high"] == pytest.approx(0.46 + 4.302653 * 0.0648074, rel=1e-5)


def test_halving_a_gap_by_2030() -> None:
    # gaps 8, 7.5, 7 (2016, 2019, 2022): target 4; needed (4 − 7) / 8 = −0.375 a year;
    # trend −1/6 a year projects 7.5 − 11/6 = 5.667 in 2030: not on track.
    result = assess_gap_target(
        [2016, 2019, 2022], [70.0, 71.0, 72.0], [78.0, 78.5, 79.0], target_period=2030
    )
    assert result.target_value == 4.0
    assert result.required_yearly_change == pytest.approx(-0.375)
    assert result.observed_yearly_change == pytest.approx(-1 / 6)
    assert result.on_track is False and result.met is False


def test_target_on_track_and_met() -> None:
    result = assess_target(
        [2020, 2021, 2022], [60.0, 65.0, 70.0], target_value=80, target_period=2024
    )
    assert result.on_track is True and result.required_yearly_change == 5.0 and not result.met


def test_halving_the_gap_between_two_places_hand_worked() -> None:
    # West Side United, the IHI guide's example: life expectancy 85 in the Loop and 69 in
    # West Garfield Park (2018); halve the 16-year gap by 2030, so 8 years by 2030, which
    # needs the gap to shrink by (16 - 8) / (2030 - 2018) = 2/3 of a year each year.
    result = assess_gap_target([2018], [69.0], [85.0], target_period=2030, reduction=0.5)
    assert result.latest_value == 16.0
    assert result.target_value == 8.0
    assert result.required_yearly_change == pytest.approx(-8 / 12)
    assert result.on_track is None and result.met is False
