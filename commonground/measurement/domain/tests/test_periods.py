"""One measure's data years under one label, and no trend from one data period (issue 8).

The defect as found: importing the CHR analytic sample stored life expectancy under
"2025" (the release year) while the same data were stored under "2020-2022"; a target
then read two identical 9.4-year gaps as a trend ("not on track, -0.9 yr/yr")."""

from __future__ import annotations

import polars as pl
import pytest

from commonground.lib.paths import shared_data_dir
from commonground.measurement.domain import periods
from commonground.measurement.domain.importers import read_chr_analytic, read_chr_measure_wide
from commonground.measurement.domain.trends import (
    assess_gap_target,
    assess_target,
    distinct_data_points,
)

CHRR = shared_data_dir() / "chrr"


@pytest.mark.parametrize(
    ("given", "label"),
    [
        ("2020-2022", "2020-2022"),
        (" 2020 - 2022 ", "2020-2022"),
        ("2020–2022", "2020-2022"),
        ("2020—2022", "2020-2022"),
        ("2020/2022", "2020-2022"),
        ("2020-22", "2020-2022"),
        ("2021-2021", "2021"),
        ("2019", "2019"),
        ("FY 2024", "FY 2024"),
        ("2022-2020", "2022-2020"),  # backwards: not a range, left as written
    ],
)
def test_one_way_to_write_a_period(given: str, label: str) -> None:
    assert periods.canonical_period(given) == label


def test_chr_data_years_follow_the_documented_rules() -> None:
    # Release 2025: life expectancy and premature death from deaths of 2020-2022
    # (shared/data/SOURCES.md), ACS measures from the 5-year estimates 2019-2023.
    assert periods.chr_data_years("v147", 2025) == "2020-2022"
    assert periods.chr_data_years("v001", "2025") == "2020-2022"
    assert periods.chr_data_years("v147", 2026) == "2021-2023"  # chrr_measure_calcs r2026
    assert periods.chr_data_years("v168", 2025) == "2019-2023"
    assert periods.chr_data_years("v136", 2025) == "2017-2021"
    assert periods.chr_data_years("v051", 2025) == "2023"
    assert periods.chr_data_years("v133", 2025) is None
    assert periods.release_label("2025") == "2025 release"


def test_the_analytic_file_never_stores_life_expectancy_under_its_release_year() -> None:
    analytic = read_chr_analytic(CHRR / "analytic_data2025_sample.csv").observations
    wide = read_chr_measure_wide(CHRR / "v147_other_r2024_wide.csv", period="2020-2022")
    life = analytic.filter(pl.col("indicator_id") == "v147")
    assert set(life["period"]) == {"2020-2022"} == set(wide.observations["period"])


def _frame(period: str, values: dict[tuple[str, str], float], code: str = "v147") -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"indicator_id": code, "place": p, "group": g, "period": period, "value": v}
            for (p, g), v in values.items()
        ]
    )


ALABAMA = {
    ("01001", "black"): 71.085883846,
    ("01001", "white"): 75.285873271,
    ("01011", "black"): 67.946671101,
    ("01011", "white"): 77.316761892,
}
STORED = {key: value + 3e-10 for key, value in ALABAMA.items()}  # full precision


def test_the_same_data_under_another_label_take_the_stored_label() -> None:
    incoming = _frame("2025 release", ALABAMA)
    stored = _frame("2020-2022", STORED)
    assert periods.reconcile_periods(incoming, stored) == {("v147", "2025 release"): "2020-2022"}


def test_new_data_for_a_new_period_keep_their_label() -> None:
    newer = {key: value + 0.4 for key, value in ALABAMA.items()}
    assert periods.reconcile_periods(_frame("2021-2023", newer), _frame("2020-2022", STORED)) == {}


def test_an_update_under_the_stored_label_is_not_relabelled() -> None:
    stored = pl.concat([_frame("2020-2022", STORED), _frame("2017-2019", STORED)])
    assert periods.reconcile_periods(_frame("2020-2022", ALABAMA), stored) == {}


def test_a_few_equal_cells_are_not_the_same_data() -> None:
    # Two periods that happen to share one value in one place are different data.
    incoming = _frame(
        "2021-2023", {**{k: v + 1 for k, v in ALABAMA.items()}, ("01001", "black"): 71.085883846}
    )
    assert periods.reconcile_periods(incoming, _frame("2020-2022", ALABAMA)) == {}


def test_other_indicators_are_not_compared() -> None:
    incoming = _frame("2025 release", ALABAMA, code="v001")
    assert periods.reconcile_periods(incoming, _frame("2020-2022", STORED)) == {}


# --- no trend from one data period ---------------------------------------------------------


def test_the_defect_two_labels_of_one_period_make_no_trend() -> None:
    # Bullock County: Black 67.9, White 77.3 under "2020-2022" (t=2021) and again under
    # "2025": before the rule, a flat line through two points, "not on track".
    black, white = 67.946671101, 77.316761892
    result = assess_gap_target([2021.0, 2025.0], [black, black], [white, white], target_period=2030)
    assert result.on_track is None and result.observed_yearly_change is None
    assert result.latest_period == 2021.0
    assert result.target_value == pytest.approx((white - black) / 2)


def test_a_value_target_with_a_repeated_period_has_no_trend_either() -> None:
    result = assess_target([2021.0, 2025.0], [9.4, 9.4], target_value=4.7, target_period=2030)
    assert result.on_track is None


def test_real_change_still_makes_a_trend() -> None:
    result = assess_gap_target(
        [2016.0, 2019.0, 2022.0], [70.0, 71.0, 71.0], [78.0, 78.5, 79.0], target_period=2030
    )
    # The reference moved though the group did not: three periods, one line.
    assert result.on_track is False and result.observed_yearly_change is not None


def test_distinct_points_keep_the_earlier_label() -> None:
    assert distinct_data_points([2025.0, 2021.0], [9.4, 9.4]) == [1]
    assert distinct_data_points([2019.0, 2021.0], [9.4, 9.40001]) == [0, 1]
