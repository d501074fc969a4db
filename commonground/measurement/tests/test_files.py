"""Files that cannot hurt (issue 14): every measurement export neutralizes formulas, odd
indicator codes give safe sheet titles and file names, and bad workbooks fail clearly."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from commonground.lib.tabular import write_xlsx
from commonground.measurement import services
from commonground.measurement.models import ImportJob, Indicator, Result

EVIL = '=HYPERLINK("http://evil.example/","x")'
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _import_evil_indicator(world: Any, code: str) -> Indicator:
    """An indicator whose code, name, period and groups are all formulas, for county 01101."""
    groups = [("total", 74.0), ("@sum(1+1)", 70.5), ("+cmd", 77.25), ("-2+3", 72.0)]
    lines = ["place,period,group,value,numerator,denominator"]
    lines += [f'01101,-2022,"{g}",{v},{int(v * 100)},10000' for g, v in groups]
    job = services.create_import_job(
        coalition=world.a,
        actor=world.people["admin"],
        file_name="evil.csv",
        content=("\n".join(lines) + "\n").encode(),
        layout=ImportJob.Layout.TIDY,
        indicator_code=code,
        place_type="county",
    )
    job = services.run_import_job(job_id=job.pk)
    assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    with scope(coalition=world.a):
        indicator = Indicator.objects.get(code=code)
        Indicator.objects.filter(pk=indicator.pk).update(name=EVIL, source="@evil", unit="-x")
        indicator.refresh_from_db()
    return indicator


def _evil_framework(world: Any, indicator: Indicator) -> Result:
    area = services.add_priority_area(coalition=world.a, actor=None, name=EVIL)
    result = services.add_result(
        coalition=world.a,
        actor=None,
        priority_area=area,
        statement="+" + EVIL,
        indicators=[indicator],
    )
    services.add_performance_measure(
        coalition=world.a,
        actor=None,
        result=result,
        name="@" + EVIL,
        kind="how_much",
        values=[("-2024", 3.0)],
    )
    return result


def _cells_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "a CSV export starts with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _assert_inert_csv(content: bytes) -> list[list[str]]:
    rows = _cells_csv(content)
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                assert NUMBER.match(cell), f"live formula in the CSV: {cell!r}"
    return rows


def _assert_inert_xlsx(content: bytes) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))  # formulas would read as "f"
    rows = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert [c.coordinate for c in row if c.data_type == "f"] == []
            rows.append(tuple(c.value for c in row))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    return rows


def _exports(world: Any, indicator: Indicator, result: Result) -> dict[str, str]:
    base = f"/c/{world.a.slug}/measurement/"
    return {
        "gaps": base + "health/?",
        "indicators": base + "health/indicators/?",
        "explorer": base + f"health/indicators/{indicator.pk}/?places=01101&",
        "goal": base + f"health/indicators/{indicator.pk}/?table=goal&",
        "map": base + f"health/map/?indicator={indicator.pk}&group=%40sum(1%2B1)&",
        "framework": base + "framework/?",
        "turn-the-curve": base + f"framework/results/{result.pk}/?",
    }


EXPORTS = ["gaps", "indicators", "explorer", "goal", "map", "framework", "turn-the-curve"]
# The goal table and the map hold only place codes, county names and numbers.
CARRY_USER_TEXT = {"gaps", "indicators", "explorer", "framework", "turn-the-curve"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("export", EXPORTS)
def test_every_measurement_export_neutralizes_formula_cells(
    world: Any, export: str, fmt: str
) -> None:
    """Issue 14: cells such as =HYPERLINK("http://evil.example/","x") were live formulas."""
    indicator = _import_evil_indicator(world, EVIL)
    result = _evil_framework(world, indicator)
    url = _exports(world, indicator, result)[export] + f"format={fmt}"
    response = world.client_for("viewer").get(url)
    assert response.status_code == 200, url
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["X-Content-Type-Options"] == "nosniff"
    if fmt == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        cells = [cell for row in _assert_inert_csv(response.content) for cell in row]
        if export in CARRY_USER_TEXT:  # the attack text is there, inert: not a vacuous test
            assert any(c.startswith("'") and EVIL.lower() in c.lower() for c in cells), cells
    else:
        values = [v for row in _assert_inert_xlsx(response.content) for v in row]
        if export in CARRY_USER_TEXT:
            assert any(isinstance(v, str) and EVIL.lower() in v.lower() for v in values), values


@pytest.mark.parametrize("code", ["HC/01", "a[b]:c*d?e\\f", "x" * 60])
def test_an_odd_indicator_code_exports_as_xlsx_with_a_safe_title_and_name(
    world: Any, code: str
) -> None:
    """Issue 14: exporting an indicator whose code contains "/" as XLSX answered 500."""
    indicator = _import_evil_indicator(world, code)
    base = f"/c/{world.a.slug}/measurement/health/"
    client = world.client_for("viewer")
    for url in (
        base + f"indicators/{indicator.pk}/?places=01101&format=xlsx",
        base + f"map/?indicator={indicator.pk}&format=xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        disposition = response["Content-Disposition"]
        filename = re.fullmatch(r'attachment; filename="([A-Za-z0-9._-]+)"', disposition)
        assert filename is not None, disposition
        assert filename.group(1).endswith(".xlsx") and len(filename.group(1)) <= 90
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        (title,) = workbook.sheetnames
        assert len(title) <= 31 and not set(title) & set("[]:*?/\\")


def _bad_zip() -> bytes:
    """A ZIP named .xlsx without [Content_Types].xml (crashed the worker with KeyError)."""
    source = zipfile.ZipFile(io.BytesIO(write_xlsx([("S", ["place"], [["01101"]])])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            if entry.filename != "[Content_Types].xml":
                target.writestr(entry.filename, source.read(entry.filename))
    return buffer.getvalue()


def test_the_bad_zip_is_refused_at_upload_with_a_message(world: Any) -> None:
    response = world.client_for("admin").post(
        f"/c/{world.a.slug}/measurement/imports/",
        {
            "file": SimpleUploadedFile("data.xlsx", _bad_zip()),
            "layout": "tidy",
            "place_type": "county",
        },
    )
    assert response.status_code == 400
    assert "it has no [Content_Types].xml" in response.content.decode()
    with scope(coalition=world.a):
        assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_bad_zip(), "it has no [Content_Types].xml"),
        (b"PK\x03\x04" + b"\0" * 200, "damaged or incomplete"),
    ],
)
def test_a_queued_bad_zip_marks_the_job_failed_with_its_message(
    world: Any, content: bytes, message: str
) -> None:
    """A job whose file is a bad ZIP (queued before the upload check existed, or by the
    import command) fails with the reason instead of crashing the worker at 5 %."""
    with scope(coalition=world.a):
        job = ImportJob.objects.create(
            coalition=world.a,
            file_name="data.xlsx",
            layout=ImportJob.Layout.TIDY,
            place_type="county",
            content=content,
            created_by=world.people["admin"],
        )
    job = services.run_import_job(job_id=job.pk)
    assert job.status == ImportJob.Status.FAILED
    assert job.progress == 1.0 and job.finished_at is not None
    assert any(message in p["problem"] for p in job.problems), job.problems
    page = world.client_for("admin").get(f"/c/{world.a.slug}/measurement/imports/{job.pk}/")
    assert message in page.content.decode()


def test_a_dimension_bomb_workbook_fails_the_job_quickly(world: Any) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Data"
    sheet.append(["place", "period", "group", "value"])
    sheet.append(["01101", "2022", "total", 1])
    plain = io.BytesIO()
    workbook.save(plain)
    source = zipfile.ZipFile(plain)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:D2"' in data
                data = data.replace(b'<dimension ref="A1:D2"', b'<dimension ref="A1:XFD1048576"')
            target.writestr(entry.filename, data)
    with scope(coalition=world.a):
        job = ImportJob.objects.create(
            coalition=world.a,
            file_name="bomb.xlsx",
            layout=ImportJob.Layout.TIDY,
            place_type="county",
            content=buffer.getvalue(),
        )
    job = services.run_import_job(job_id=job.pk)
    assert job.status == ImportJob.Status.FAILED
    assert "declares 1,048,576 rows × 16,384 columns" in job.problems[0]["problem"]


def test_an_xlsx_tidy_file_still_imports(world: Any) -> None:
    content = write_xlsx(
        [("Data", ["place", "period", "group", "value"], [["01101", "2022", "total", 73.5]])]
    )
    job = services.create_import_job(
        coalition=world.a,
        actor=world.people["admin"],
        file_name="le.xlsx",
        content=content,
        layout=ImportJob.Layout.TIDY,
        indicator_code="le",
        place_type="county",
    )
    job = services.run_import_job(job_id=job.pk)
    assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    assert job.observations_created == 1
