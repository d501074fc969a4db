"""Import services on the real files: results against the CSV, all-or-nothing, idempotence."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from commonground.coalitions.models import AuditEvent
from commonground.lib.paths import shared_data_dir
from commonground.measurement import services
from commonground.measurement.domain.equity import SUPPRESSED
from commonground.measurement.models import ImportJob, Indicator, Observation

DATA = shared_data_dir()
LE_WIDE = DATA / "chrr" / "v147_other_r2024_wide.csv"
LBW = DATA / "chrr" / "v037_singlerace_how.csv"
PLACES = DATA / "places" / "PLACES__County_Data__GIS_Friendly_Format___2022_release.csv"
SVI = DATA / "svi" / "SVI2020_US_COUNTY.csv"
ANALYTIC = DATA / "chrr" / "analytic_data2025_sample.csv"
Layout = ImportJob.Layout


def slice_csv(path: Path, keep: Any, *, header_rows: int = 1) -> bytes:
    """The header and the rows for which ``keep(row_dict)`` is true, byte-compatible CSV."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    names = rows[header_rows - 1]
    for header in rows[:header_rows]:
        writer.writerow(header)
    for row in rows[header_rows:]:
        if keep(dict(zip(names, row, strict=False))):
            writer.writerow(row)
    return out.getvalue().encode()


def alabama(row: dict[str, str]) -> bool:
    return row.get("statecode", row.get("STATE", "")) in {"01", "00"} or row.get(
        "CountyFIPS", row.get("FIPS", "")
    ).startswith("01")


def run(world: Any, name: str, content: bytes, layout: str, **kwargs: Any) -> ImportJob:
    job = services.create_import_job(
        coalition=world.a,
        actor=world.people["admin"],
        file_name=name,
        content=content,
        layout=layout,
        **kwargs,
    )
    return services.run_import_job(job_id=job.pk)


def counts(world: Any) -> tuple[int, int]:
    with scope(coalition=world.a):
        return Observation.objects.count(), Indicator.objects.count()


def observation(world: Any, code: str, place: str, group: str) -> Observation:
    with scope(coalition=world.a):
        return Observation.objects.get(indicator__code=code, place_code=place, group=group)


def test_life_expectancy_gap_matches_the_csv(world: Any) -> None:
    job = run(world, "le.csv", slice_csv(LE_WIDE, alabama), Layout.CHR_WIDE, period="2020-2022")
    assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    with LE_WIDE.open(newline="") as handle:
        row = next(
            r for r in csv.DictReader(handle) if (r["statecode"], r["countycode"]) == ("01", "101")
        )
    expected = float(row["v147_race_white"]) - float(row["v147_race_black"])
    white = observation(world, "v147", "01101", "white")
    black = observation(world, "v147", "01101", "black")
    assert white.value is not None and black.value is not None
    assert white.value - black.value == pytest.approx(expected, abs=1e-9)
    assert expected == pytest.approx(4.7376, abs=1e-3)
    assert black.ci_low == pytest.approx(float(row["v147_race_black_cilow"]))
    assert black.place_type == "county"
    assert observation(world, "v147", "01", "white").place_type == "state"


def test_importing_the_same_file_twice_changes_nothing(world: Any) -> None:
    content = slice_csv(LE_WIDE, alabama)
    first = run(world, "le.csv", content, Layout.CHR_WIDE, period="2020-2022")
    before = counts(world)
    with scope(coalition=world.a):
        snapshot = sorted(Observation.objects.values_list("pk", "value", "ci_low", "flags"))
    second = run(world, "le.csv", content, Layout.CHR_WIDE, period="2020-2022")
    assert first.observations_created == before[0] > 0
    assert (second.observations_created, second.observations_updated) == (0, 0)
    assert second.observations_unchanged == before[0]
    assert counts(world) == before
    with scope(coalition=world.a):
        assert sorted(Observation.objects.values_list("pk", "value", "ci_low", "flags")) == snapshot


def replace_cell(content: bytes, line: int, column: str, value: str) -> bytes:
    rows = list(csv.reader(io.StringIO(content.decode(), newline="")))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def drop_column(content: bytes, column: str) -> bytes:
    rows = list(csv.reader(io.StringIO(content.decode(), newline="")))
    index = rows[0].index(column)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([r[:index] + r[index + 1 :] for r in rows])
    return out.getvalue().encode()


@pytest.mark.parametrize(
    ("damage", "row", "column", "words"),
    [
        (lambda c: replace_cell(c, 5, "countycode", "1x1"), 5, "statecode/countycode", "FIPS"),
        (
            lambda c: replace_cell(c, 7, "v147_race_black", "seventy"),
            7,
            "v147_race_black",
            "number",
        ),
        (lambda c: drop_column(c, "statecode"), 1, "statecode", "missing"),
        (lambda c: c[: c.rindex(b"\n", 0, len(c) - 1) + 30], None, None, "truncated"),
    ],
    ids=["bad-fips", "text-in-number", "missing-column", "truncated"],
)
def test_a_malformed_file_leaves_the_database_unchanged_and_names_the_problem(
    world: Any, damage: Any, row: int | None, column: str | None, words: str
) -> None:
    good = slice_csv(LE_WIDE, alabama)
    run(
        world,
        "good.csv",
        slice_csv(LE_WIDE, lambda r: r["statecode"] == "00"),
        Layout.CHR_WIDE,
        period="2020-2022",
    )
    before = counts(world)
    with scope(coalition=world.a):
        audits = AuditEvent.objects.count()
    job = run(world, "bad.csv", damage(good), Layout.CHR_WIDE, period="2020-2022")
    assert job.status == ImportJob.Status.FAILED
    assert counts(world) == before
    with scope(coalition=world.a):
        # Only the job's own "started" audit row remains; no observation was audited.
        assert AuditEvent.objects.count() == audits + 1
    text = " ".join(str(p) for p in job.problems)
    assert words in text, job.problems
    if row is not None:
        assert any(p["row"] == row and p["column"] == column for p in job.problems), job.problems
    else:
        assert any(p["row"] is not None for p in job.problems), job.problems


def test_low_birthweight_small_counts_are_flagged_and_rates_kept(world: Any) -> None:
    job = run(
        world,
        "lbw.csv",
        slice_csv(LBW, alabama),
        Layout.CHR_COUNTS,
        period="2016-2022",
        indicator_code="v037",
    )
    assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    hispanic = observation(world, "v037", "01001", "hispanic")  # 10 births: a small cell
    assert hispanic.numerator == 10 and hispanic.flags & SUPPRESSED
    black = observation(world, "v037", "01101", "black")
    assert black.numerator == 2244 and black.flags == 0
    assert black.value == pytest.approx(0.1629038112522686)


def test_places_svi_and_analytic_files_import(world: Any) -> None:
    places = run(world, "places.csv", slice_csv(PLACES, alabama), Layout.PLACES, period="2020")
    svi = run(world, "svi.csv", slice_csv(SVI, alabama), Layout.SVI, period="2016-2020")
    analytic = run(world, "analytic.csv", ANALYTIC.read_bytes(), Layout.CHR_ANALYTIC)
    for job in (places, svi, analytic):
        assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    with PLACES.open(newline="", encoding="utf-8-sig") as handle:
        row = next(r for r in csv.DictReader(handle) if r["CountyFIPS"] == "01101")
    diabetes = observation(world, "DIABETES_CrudePrev", "01101", "total")
    assert diabetes.value == pytest.approx(float(row["DIABETES_CrudePrev"]))
    assert diabetes.population == pytest.approx(float(row["TotalPopulation"]))
    with scope(coalition=world.a):
        assert Indicator.objects.get(code="DIABETES_CrudePrev").name == "Adults with diabetes (%)"
        assert Indicator.objects.get(code="EP_POV150").domain == "economic_vitality"
    # Life expectancy in the 2025 release describes deaths of 2020-2022, not "2025".
    assert observation(world, "v147", "01001", "total").period == "2020-2022"


def test_only_states_keeps_the_nation_and_the_chosen_states(world: Any) -> None:
    job = run(
        world,
        "le.csv",
        slice_csv(LE_WIDE, lambda r: r["statecode"] in {"00", "01", "13"}),
        Layout.CHR_WIDE,
        period="2020-2022",
        only_states=["1"],
    )
    with scope(coalition=world.a):
        places = set(Observation.objects.values_list("place_code", flat=True))
    assert job.status == ImportJob.Status.SUCCEEDED
    assert "00" in places and "01101" in places and not any(p.startswith("13") for p in places)


def test_unknown_counties_are_reported_not_dropped(world: Any) -> None:
    content = b"place,period,group,value\n01101,2024,total,5\n01998,2024,total,7\n"
    job = run(world, "mine.csv", content, Layout.TIDY, indicator_code="visits", place_type="county")
    assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    (unknown,) = [p for p in job.unmatched_places if p["code"] == "01998"]
    assert unknown["kind"] == "unknown_county"
    assert unknown["reason"] == "not a known US county; kept, but not on the map"
    assert observation(world, "visits", "01998", "total").value == 7


def test_tidy_xlsx_imports_and_bad_cells_are_named(world: Any, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["place", "period", "group", "value", "numerator"])
    sheet.append(["1101", "2023", "Black", 0.15, 120])
    sheet.append(["01101", "2023", "white", "n/a?", 40])
    path = tmp_path / "mine.xlsx"
    book.save(path)
    job = run(
        world, "mine.xlsx", path.read_bytes(), Layout.TIDY, indicator_code="x", place_type="county"
    )
    assert job.status == ImportJob.Status.FAILED
    assert job.problems == [
        {
            "row": 3,
            "column": "value",
            "problem": "'n/a?' is not a number",
            "code": "not_a_number",
            "params": {"text": "'n/a?'"},
        }
    ]
    sheet.cell(row=3, column=4, value=0.07)
    book.save(path)
    job = run(
        world, "mine.xlsx", path.read_bytes(), Layout.TIDY, indicator_code="x", place_type="county"
    )
    assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    assert observation(world, "x", "01101", "black").numerator == 120


@pytest.mark.parametrize(
    ("name", "content", "layout", "message"),
    [
        ("big.csv", b"a" * (10 * 1024 * 1024 + 1), Layout.TIDY, "limit is 10 MB"),
        ("fake.xlsx", b"place,period\n", Layout.TIDY, "not an Excel workbook"),
        ("binary.csv", b"PK\x03\x04\x00\x00", Layout.TIDY, "does not hold text"),
        ("notes.pdf", b"%PDF-1.4", Layout.TIDY, ".csv or .xlsx"),
        ("empty.csv", b"", Layout.TIDY, "empty"),
    ],
)
def test_uploads_are_checked_for_size_and_type(
    world: Any, name: str, content: bytes, layout: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_import_job(
            coalition=world.a,
            actor=world.people["admin"],
            file_name=name,
            content=content,
            layout=layout,
        )
    assert message in " ".join(caught.value.messages)
    with scope(coalition=world.a):
        assert ImportJob.objects.count() == 0
