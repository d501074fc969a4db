import csv
import json
from pathlib import Path

import pytest

from commonground.lib.paths import shared_data_dir
from commonground.measurement.domain.cli import analyze_equity_file
from commonground.measurement.domain.errors import FileProblemError

TIDY = """place,period,group,value,numerator,population
A,2020,total,75,,1000
A,2020,white,80,500,600
A,2020,black,70,300,400
A,2020,asian,90,15,10
B,2020,white,78,100,100
B,2020,black,72,100,100
C,2020,total,79,,50
C,2020,white,81,40,30
C,2020,black,77,40,20
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "equity.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_contract_with_hand_worked_numbers(tmp_path: Path) -> None:
    report = analyze_equity_file(_write(tmp_path, TIDY), benchmark_top=2)
    json.dumps(report)  # serializable as is
    assert set(report) == {"results", "benchmarks"}
    a = report["results"][0]
    assert set(a) == {
        "place",
        "period",
        "reference_group",
        "reference_value",
        "index_of_disparity",
        "groups",
    }
    assert (a["place"], a["period"], a["reference_group"], a["reference_value"]) == (
        "A",
        "2020",
        "white",
        80.0,
    )
    # asian (90) has 15 events: unreliable, so it is neither the reference nor in the index
    assert a["groups"]["asian"] == {
        "value": 90.0,
        "reliable": False,
        "difference": 10.0,
        "ratio": 1.125,
    }
    assert a["groups"]["black"] == {
        "value": 70.0,
        "reliable": True,
        "difference": -10.0,
        "ratio": 0.875,
    }
    assert "total" not in a["groups"]
    assert a["index_of_disparity"] == pytest.approx(12.5)  # |70 − 80| / 80 × 100
    # goal: best two of A total 75, B reference 78 (no total), C total 79 → (79 + 78) / 2
    assert report["benchmarks"] == [{"period": "2020", "value": 78.5, "places": ["C", "B"]}]


def test_lower_is_better_and_named_reference(tmp_path: Path) -> None:
    path = _write(tmp_path, TIDY)
    low = analyze_equity_file(path, lower_is_better=True, benchmark_top=1)
    assert low["results"][0]["reference_group"] == "black"
    assert low["benchmarks"][0] == {"period": "2020", "value": 72.0, "places": ["B"]}
    named = analyze_equity_file(path, reference="black")
    assert named["results"][1]["groups"]["white"]["difference"] == 6.0


def test_bad_file_names_the_row(tmp_path: Path) -> None:
    with pytest.raises(FileProblemError, match="row 3, column 'value'"):
        analyze_equity_file(
            _write(tmp_path, "place,period,group,value\nA,2020,white,1\nA,2020,black,?\n")
        )


def test_real_life_expectancy_file_through_the_command(tmp_path: Path) -> None:
    source = shared_data_dir() / "chrr" / "v147_other_r2024_wide.csv"
    rows = []
    with source.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["statecode"] == "01" and row["countycode"] != "000":
                for group in ("white", "black"):
                    if row[f"v147_race_{group}"] != "NA":
                        rows.append(
                            f"{row['statecode']}{row['countycode']},2025,{group},{row[f'v147_race_{group}']}"
                        )
                if row["countycode"] == "001":
                    white, black = float(row["v147_race_white"]), float(row["v147_race_black"])
    path = _write(tmp_path, "place,period,group,value\n" + "\n".join(rows) + "\n")
    report = analyze_equity_file(path)
    autauga = next(r for r in report["results"] if r["place"] == "01001")
    assert autauga["groups"]["black"]["difference"] == pytest.approx(black - white)
    assert len(report["benchmarks"][0]["places"]) == 5
