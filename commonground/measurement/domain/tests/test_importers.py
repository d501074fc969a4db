import csv
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from commonground.lib.paths import shared_data_dir
from commonground.measurement.domain.equity import GroupValue, compare_groups, equity_frame
from commonground.measurement.domain.errors import FileProblemError
from commonground.measurement.domain.importers import (
    TIDY_SCHEMA,
    read_chr_analytic,
    read_chr_counts,
    read_chr_measure_long,
    read_chr_measure_wide,
    read_places_county,
    read_svi_county,
    read_tidy,
)

DATA = shared_data_dir()
CHRR = DATA / "chrr"


def _csv_row(path: Path, **match: str) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if all(row[k] == v for k, v in match.items()):
                return row
    raise AssertionError(f"no row {match} in {path}")


def _value(table: pl.DataFrame, place: str, group: str, column: str = "value") -> float:
    row = table.filter((pl.col("place") == place) & (pl.col("group") == group))
    assert row.height == 1, (place, group)
    return row[column][0]


def test_every_reader_returns_the_tidy_schema() -> None:
    tables = [
        read_chr_measure_wide(CHRR / "v147_other_r2024_wide.csv", period="2025"),
        read_chr_counts(CHRR / "v037_how.csv", indicator_id="v037", period="2025"),
        read_chr_analytic(CHRR / "analytic_data2025_sample.csv"),
        read_svi_county(DATA / "svi" / "SVI2020_US_COUNTY.csv", period="2020"),
    ]
    for table in tables:
        assert dict(table.observations.schema) == {k: v() for k, v in TIDY_SCHEMA.items()}


def test_black_white_life_expectancy_gap_matches_the_source_file() -> None:
    source = _csv_row(CHRR / "v147_other_r2024_wide.csv", statecode="01", countycode="001")
    white, black = float(source["v147_race_white"]), float(source["v147_race_black"])
    table = read_chr_measure_wide(CHRR / "v147_other_r2024_wide.csv", period="2025")
    result = equity_frame(table.observations, plausible_ranges={"v147": (0, 110)})
    groups = result.groups.filter(pl.col("place") == "01001")
    assert _value(groups, "01001", "white") == white
    assert _value(groups, "01001", "black", "difference") == pytest.approx(black - white)
    place = result.places.filter(pl.col("place") == "01001").row(0, named=True)
    assert place["reference_group"] == "white"  # only white and black are published
    assert place["index_of_disparity"] == pytest.approx((white - black) / white * 100)


def test_wide_and_long_life_expectancy_files_agree() -> None:
    wide = read_chr_measure_wide(CHRR / "v147_other_r2024_wide.csv", period="2025").observations
    long = read_chr_measure_long(CHRR / "v147_other_r2024_long.csv", period="2025").observations
    assert wide.height == long.height
    joined = wide.join(long, on=["place", "group"], suffix="_long")
    assert joined.height == wide.height
    assert (joined["value"] - joined["value_long"]).abs().max() < 1e-9


def test_implausible_alabama_aian_life_expectancy_does_not_set_the_reference() -> None:
    source = _csv_row(CHRR / "v147_other_r2024_wide.csv", statecode="01", countycode="000")
    assert float(source["v147_race_aian"]) > 110
    table = read_chr_measure_wide(CHRR / "v147_other_r2024_wide.csv", period="2025")
    limits = {i.id: (i.plausible_min, i.plausible_max) for i in table.indicators}
    place = equity_frame(table.observations, plausible_ranges=limits).places.filter(
        pl.col("place") == "01"
    )
    assert place["reference_group"][0] not in ("aian", "tom")
    assert place["reference_value"][0] < 110


def test_low_birthweight_counts_and_source_flags() -> None:
    source = _csv_row(CHRR / "v037_singlerace_how.csv", fips="01059")
    table = read_chr_counts(CHRR / "v037_singlerace_how.csv", indicator_id="v037", period="2025")
    obs = table.observations
    assert _value(obs, "01059", "black", "numerator") == float(source["num_black"]) == 11
    assert obs.filter((pl.col("place") == "01059") & (pl.col("group") == "black"))[
        "source_unreliable"
    ][0] is (source["unreliable_black"] == "1")
    groups = equity_frame(obs, lower_is_better=True).groups
    black = groups.filter((pl.col("place") == "01059") & (pl.col("group") == "black")).row(
        0, named=True
    )
    assert black["reliable"] is False  # 11 births: fewer than 20 events
    # Autauga: black 187/1122 vs white 271/3331, read straight from the file
    autauga = _csv_row(CHRR / "v037_singlerace_how.csv", fips="01001")
    small = compare_groups(
        [
            GroupValue(g, float(autauga[f"rate_{g}"]), numerator=float(autauga[f"num_{g}"]))
            for g in ("white", "black")
        ],
        lower_is_better=True,
    )
    row = groups.filter((pl.col("place") == "01001") & (pl.col("group") == "black")).row(
        0, named=True
    )
    assert row["ratio"] == pytest.approx(small.groups[1].ratio)
    assert row["ratio"] == pytest.approx((187 / 1122) / (271 / 3331))


def test_analytic_file_two_header_rows_rollups_and_race_columns() -> None:
    path = CHRR / "analytic_data2025_sample.csv"
    table = read_chr_analytic(path)
    obs = table.observations
    assert set(obs["place"].unique()) == {
        "00",
        "01",
        "01001",
        "01003",
        "01005",
        "01007",
        "01009",
        "01011",
    }
    # The file's "year" is the 2025 release; each measure takes its data years where CHR
    # documents them, and "2025 release" where it does not.
    period_of = dict(obs.select("indicator_id", "period").unique().iter_rows())
    assert period_of["v147"] == period_of["v001"] == period_of["v127"] == "2020-2022"
    assert period_of["v069"] == "2019-2023" and period_of["v136"] == "2017-2021"
    assert period_of["v052"] == "2023"
    assert period_of["v133"] == period_of["v037"] == "2025 release"
    assert "2025" not in period_of.values()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    codes = rows[1]
    autauga = dict(zip(codes, rows[4], strict=True))
    v147 = obs.filter(pl.col("indicator_id") == "v147")
    assert _value(v147, "01001", "black") == float(autauga["v147_race_black"])
    assert _value(v147, "01001", "total") == float(autauga["v147_rawvalue"])
    v001 = obs.filter(pl.col("indicator_id") == "v001")
    assert _value(v001, "01001", "total", "numerator") == float(autauga["v001_numerator"])
    catalog = {i.id: i for i in table.indicators}
    assert catalog["v001"].name == "Premature Death" and catalog["v147"].direction == "higher"
    # v001_race_white_flag = 1 (unreliable) for Bullock County
    assert v001.filter((pl.col("place") == "01011") & (pl.col("group") == "white"))[
        "source_unreliable"
    ][0]


def test_places_ci_strings_and_svi_byte_order_mark_and_sentinel() -> None:
    places = read_places_county(
        DATA / "places" / "PLACES__County_Data__GIS_Friendly_Format___2022_release.csv",
        period="2020",
        measures={"CSMOKING"},
    ).observations
    source = _csv_row(
        DATA / "places" / "PLACES__County_Data__GIS_Friendly_Format___2022_release.csv",
        CountyFIPS="45055",
    )
    row = places.filter(
        (pl.col("place") == "45055") & (pl.col("indicator_id") == "CSMOKING_CrudePrev")
    )
    low, high = source["CSMOKING_Crude95CI"].strip("()").split(",")
    assert (row["ci_low"][0], row["ci_high"][0]) == (float(low), float(high))
    assert row["population"][0] == float(source["TotalPopulation"])
    svi = read_svi_county(DATA / "svi" / "SVI2020_US_COUNTY.csv", period="2020").observations
    assert svi.filter(pl.col("value") == -999).height == 0
    assert svi["place"].str.len_chars().eq(5).all()


def _write(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_fips_is_reported_with_row_and_column(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "statecode,countycode,v147_race_white\n01,001,75.1\nAA,003,76.0\n99,005,74.0\n",
    )
    with pytest.raises(FileProblemError) as err:
        read_chr_measure_wide(path, period="2025")
    problems = err.value.problems
    assert [(p.row, p.column) for p in problems] == [
        (3, "statecode/countycode"),
        (4, "statecode/countycode"),
    ]
    assert "'AA,003' is not a county FIPS code" in str(err.value)


def test_text_in_number_columns_is_reported_for_every_row(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "place,period,group,value\nA,2020,white,80\nA,2020,black,abc\nB,2020,white,7O\n"
    )
    with pytest.raises(FileProblemError) as err:
        read_tidy(path)
    assert [(p.row, p.column, p.problem) for p in err.value.problems] == [
        (3, "value", "'abc' is not a number"),
        (4, "value", "'7O' is not a number"),
    ]


def test_missing_required_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "place,period,value\nA,2020,80\n")
    with pytest.raises(FileProblemError, match="row 1, column 'group': required column is missing"):
        read_tidy(path)


def test_truncated_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "place,period,group,value\nA,2020,white,80\nA,2020,bl")
    with pytest.raises(FileProblemError, match=r"row 3: has 3 fields.*truncated"):
        read_tidy(path)


def test_unterminated_quote_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(FileProblemError, match="row 1: the file ends before its header"):
        read_tidy(_write(tmp_path, ""))
    with pytest.raises(FileProblemError, match="no data rows"):
        read_tidy(_write(tmp_path, "place,period,group,value\n"))


def test_problems_are_collected_up_to_a_limit(tmp_path: Path) -> None:
    body = "".join(f"A{i},2020,white,x\n" for i in range(20))
    with pytest.raises(FileProblemError) as err:
        read_tidy(_write(tmp_path, "place,period,group,value\n" + body), max_problems=5)
    assert len(err.value.problems) == 5 and err.value.truncated


def test_duplicate_rows_name_both_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, "place,period,group,value\nA,2020,white,80\nA,2020,White,81\n")
    with pytest.raises(FileProblemError, match="row 3, column 'group': repeats row 2"):
        read_tidy(path)


def test_tidy_county_places_are_normalized_or_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "Place,Period,Group,Value\n1001,2020,total,8\n123,2020,total,9\n")
    with pytest.raises(FileProblemError, match="row 3, column 'place'"):
        read_tidy(path, place_type="county")
    ok = _write(tmp_path, "Place,Period,Group,Value\n1001,2020,total,8\n", "ok.csv")
    assert read_tidy(ok, place_type="county").observations["place"].to_list() == ["01001"]


def test_tidy_xlsx(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["place", "period", "group", "value", "population"])
    sheet.append(["Eastside", 2020, "white", 80.5, 1200])
    sheet.append(["Eastside", 2020, "black", "n/a?", 300])
    path = tmp_path / "t.xlsx"
    book.save(path)
    with pytest.raises(FileProblemError, match="row 3, column 'value'"):
        read_tidy(path)
    sheet.delete_rows(3)
    book.save(path)
    obs = read_tidy(path).observations
    assert obs.row(0, named=True) | {} == obs.row(0, named=True)
    assert (obs["place"][0], obs["period"][0], obs["value"][0], obs["population"][0]) == (
        "Eastside",
        "2020",
        80.5,
        1200.0,
    )
