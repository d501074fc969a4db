"""The import wizard's layout detection, on every real file in shared/data, and what a
reader says when it is given a file of another layout (issue 8)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from commonground.lib.paths import shared_data_dir
from commonground.measurement.domain import detect
from commonground.measurement.domain.errors import FileProblemError
from commonground.measurement.domain.importers import (
    read_chr_analytic,
    read_chr_counts,
    read_chr_measure_long,
    read_chr_measure_wide,
    read_places_county,
    read_svi_county,
    read_tidy,
)

DATA = shared_data_dir()
PLACES_FILE = "places/PLACES__County_Data__GIS_Friendly_Format___2022_release.csv"

#: Every data file of shared/data the importers read, and its layout.
EXPECTED = {
    "chrr/analytic_data2025_sample.csv": detect.CHR_ANALYTIC,
    "chrr/v037_how.csv": detect.CHR_COUNTS,
    "chrr/v037_singlerace_how.csv": detect.CHR_COUNTS,
    "chrr/v147_other_r2024_long.csv": detect.CHR_LONG,
    "chrr/v147_other_r2024_wide.csv": detect.CHR_WIDE,
    PLACES_FILE: detect.PLACES,
    "svi/SVI2020_US_COUNTY.csv": detect.SVI,
}


def test_the_table_lists_every_file_of_the_three_sources() -> None:
    found = {
        str(p.relative_to(DATA))
        for folder in ("chrr", "places", "svi")
        for p in (DATA / folder).glob("*.csv")
    }
    assert found == set(EXPECTED)


@pytest.mark.parametrize(("name", "layout"), sorted(EXPECTED.items()), ids=sorted(EXPECTED))
def test_every_real_file_is_detected_with_its_layout(name: str, layout: str) -> None:
    path = DATA / name
    found = detect.detect_layout(path.read_bytes(), path.name)
    assert found.layout == layout
    assert found.confidence == "high"
    assert found.clues, "the detection says why"
    others = [s for key, s in found.scores.items() if key != layout]
    assert max(others) < found.scores[layout]


def test_what_the_files_state_is_picked_up() -> None:
    def detected(name: str) -> detect.Detection:
        path = DATA / name
        return detect.detect_layout(path.read_bytes(), path.name)

    analytic = detected("chrr/analytic_data2025_sample.csv")
    assert analytic.release_year == "2025" and analytic.header_rows == 2
    assert detected("chrr/v037_how.csv").indicator_code == "v037"  # from the file name
    assert detected("chrr/v147_other_r2024_wide.csv").indicator_code == "v147"  # columns
    assert detected("chrr/v147_other_r2024_long.csv").indicator_code == "v147"
    places = detected(PLACES_FILE)
    assert places.period == "2020"  # the 2022 release models BRFSS 2020
    assert places.period_clue is not None and places.period_clue.code == "places_release"
    assert detected("svi/SVI2020_US_COUNTY.csv").period == "2016-2020"


@pytest.mark.parametrize(
    "name", ["networks/dhhs_edges.csv", "networks/lhds_nodes.csv"], ids=["edges", "nodes"]
)
def test_a_file_of_no_known_layout_says_what_its_columns_are(name: str) -> None:
    path = DATA / name
    found = detect.detect_layout(path.read_bytes(), path.name)
    assert found.layout is None and found.confidence == "none"
    assert found.clues[0].code == "unknown_columns"
    assert "vertex_id" in found.clues[0].text or "tail_id" in found.clues[0].text


def test_a_tidy_workbook_is_detected_and_only_as_tidy() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Place", "Period", "Group", "Value"])
    sheet.append(["01101", "2023", "total", 5])
    buffer = io.BytesIO()
    book.save(buffer)
    found = detect.detect_layout(buffer.getvalue(), "mine.xlsx")
    assert found.layout == detect.TIDY


READERS = {
    detect.CHR_ANALYTIC: lambda p: read_chr_analytic(p),
    detect.CHR_WIDE: lambda p: read_chr_measure_wide(p, period="2020-2022"),
    detect.CHR_LONG: lambda p: read_chr_measure_long(p, period="2020-2022"),
    detect.CHR_COUNTS: lambda p: read_chr_counts(p, indicator_id="v037", period="2016-2022"),
    detect.PLACES: lambda p: read_places_county(p, period="2020"),
    detect.SVI: lambda p: read_svi_county(p, period="2016-2020"),
    detect.TIDY: lambda p: read_tidy(p),
}
WRONG = [
    (name, layout, reader)
    for name, layout in sorted(EXPECTED.items())
    for reader in READERS
    if reader != layout
]


@pytest.mark.parametrize(
    ("name", "layout", "reader"), WRONG, ids=[f"{Path(n).stem}-as-{r}" for n, _l, r in WRONG]
)
def test_the_wrong_layout_says_what_the_file_looks_like_never_blames_it(
    name: str, layout: str, reader: str
) -> None:
    with pytest.raises(FileProblemError) as error:
        READERS[reader](DATA / name)
    (problem,) = error.value.problems
    text = str(error.value)
    assert "measure columns" not in text and "vNNN" not in text
    if reader == detect.TIDY:
        # A file with none of the tidy columns is described; with some, the missing are named.
        assert problem.code in {"looks_like", "not_this_layout", "missing_column"}
    else:
        assert problem.code == "looks_like", text
        assert problem.params["layout"] == layout
        assert detect.LAYOUT_NAMES[layout] in text


def test_a_file_that_lost_its_place_columns_is_still_told_what_is_missing() -> None:
    content = "v147_race_white,v147_race_black\n75.2,71.1\n"
    with pytest.raises(FileProblemError) as error:
        read_chr_measure_wide(io.StringIO(content), period="2020-2022")
    assert {p.column for p in error.value.problems} == {"statecode", "countycode"}
    assert {p.code for p in error.value.problems} == {"missing_column"}
