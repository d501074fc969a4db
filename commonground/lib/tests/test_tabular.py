"""The safe tabular writer and reader, attacked the ways issue 14 found (and a few more)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from commonground.lib.tabular import (
    DEFAULT_LIMITS,
    Limits,
    TabularError,
    check_workbook,
    describe,
    download,
    read_workbook,
    safe_filename,
    sanitize_sheet_titles,
    write_csv,
    write_xlsx,
)

EVIL = '=HYPERLINK("http://evil.example/","x")'
FORMULAS = [EVIL, "+1+1", "-1+2", "@SUM(A1:A2)", "\t=1", "\r=1", "=1"]


def _workbook_bytes(rows: list[list[object]], title: str = "Data") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _patch_part(content: bytes, part: str, old: bytes, new: bytes) -> bytes:
    """``content`` (a ZIP) with ``old`` replaced by ``new`` in ``part``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == part:
                assert old in data, data[:400]
                data = data.replace(old, new)
            target.writestr(entry.filename, data)
    return buffer.getvalue()


def _without_part(content: bytes, part: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename != part:
                target.writestr(entry.filename, source.read(entry.filename))
    return buffer.getvalue()


# --- writing ---------------------------------------------------------------------------


def test_csv_neutralizes_every_formula_prefix_and_keeps_numbers() -> None:
    content = write_csv(["name", "value"], [[text, -1.5] for text in FORMULAS] + [["ok", -3]])
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "value"]
    assert [row[0] for row in rows[1:-1]] == ["'" + text for text in FORMULAS]
    assert all(row[1] == "-1.5" for row in rows[1:-1])  # a negative number stays a number
    assert rows[-1] == ["ok", "-3"]


def test_csv_neutralizes_the_header_too_and_writes_plain_values() -> None:
    content = write_csv(
        ["=cmd", "when"],
        [[None, dt.date(2024, 5, 1)], [Decimal("2.50"), dt.datetime(2024, 5, 1, 9, 30)], [True, 7]],
    )
    text = content.decode("utf-8-sig")
    assert text.splitlines() == [
        "'=cmd,when",
        ",2024-05-01",
        "2.50,2024-05-01T09:30:00",
        "True,7",
    ]


def test_csv_accents_survive_for_excel() -> None:
    content = write_csv(["lugar"], [["Río Grande"], ["Peñasco"]])
    assert content.decode("utf-8-sig").splitlines()[1:] == ["Río Grande", "Peñasco"]


def test_xlsx_never_writes_a_formula() -> None:
    content = write_xlsx(
        [("Values", ["=name", "value"], [[text, -2] for text in FORMULAS] + [["plain", 3.5]])]
    )
    workbook = load_workbook(io.BytesIO(content))  # not data_only: formulas would show
    sheet = workbook["Values"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert cells, "the sheet is empty"
    assert [cell.data_type for cell in cells if cell.data_type == "f"] == []
    texts = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # Stored as the exact text, not as formulas (XML turns a carriage return into "\n").
    assert texts == [text.replace("\r", "\n") for text in FORMULAS] + ["plain"]
    assert sheet["A1"].value == "=name" and sheet["A1"].data_type == "s"
    assert sheet["A2"].quotePrefix  # Excel keeps it text even when the cell is edited
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [-2] * 7 + [3.5]
    raw = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in raw and b"<f " not in raw


def test_xlsx_sheet_titles_are_sanitized_and_unique() -> None:
    titles = ["HC/01", "hc-01", "a[b]:c*d?e\\f", "'quoted'", "", "x" * 45, "x" * 45]
    content = write_xlsx([(title, ["v"], [[1]]) for title in titles])
    workbook = load_workbook(io.BytesIO(content))
    names = workbook.sheetnames
    assert names == [
        "HC-01",
        "hc-01 (2)",
        "a-b--c-d-e-f",
        "quoted",
        "Sheet",
        "x" * 31,
        "x" * 27 + " (2)",
    ]
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)
    assert len({name.casefold() for name in names}) == len(names)


def test_xlsx_survives_values_openpyxl_would_refuse() -> None:
    aware = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    content = write_xlsx(
        [("S", ["a", "b", "c", "d"], [["bell\x07here", aware, float("nan"), "y" * 40_000]])]
    )
    row = next(load_workbook(io.BytesIO(content))["S"].iter_rows(min_row=2, values_only=True))
    assert row[0] == "bellhere"
    assert row[1] == dt.datetime(2024, 5, 1, 17, 0)  # UTC, Excel has no time zones
    assert row[2] is None
    assert isinstance(row[3], str) and len(row[3]) == 32_767


def test_xlsx_with_no_sheets_is_still_a_workbook() -> None:
    assert read_workbook(write_xlsx([])) == {"Sheet": []}


def test_written_workbooks_read_back_unchanged() -> None:
    rows: list[list[object]] = [["code", "value"], ["=A1", 1], ["-5", -5], ["Río", 2.5]]
    content = write_xlsx([("Data", rows[0], rows[1:])])
    assert read_workbook(content) == {"Data": rows}


@pytest.mark.parametrize(
    ("stem", "extension", "expected"),
    [
        ("HC/01", "xlsx", "HC-01.xlsx"),
        ("a\"b'c\\d", "csv", "a-b-c-d.csv"),
        ("../../etc/passwd", "csv", "etc-passwd.csv"),
        ("Río Grande — 2024", ".XLSX", "Rio-Grande-2024.xlsx"),
        ("日本", "csv", "download.csv"),
        ("x" * 300, "csv", "x" * 80 + ".csv"),
        ("report", 'x/s"l', "report.xsl"),
    ],
)
def test_safe_filename(stem: str, extension: str, expected: str) -> None:
    assert safe_filename(stem, extension) == expected


def test_download_answers_an_attachment_with_a_safe_name() -> None:
    response = download(b"a,b\r\n", 'indicator "HC/01".csv')
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="indicator-HC-01.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b"a,b\r\n"
    xlsx = download(b"PK", "a/b.xlsx")
    assert xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx["Content-Disposition"] == 'attachment; filename="a-b.xlsx"'
    assert download(b"", "blob.exe")["Content-Type"] == "application/octet-stream"


def test_sanitize_sheet_titles_never_exceeds_31_even_with_many_duplicates() -> None:
    titles = sanitize_sheet_titles(["y" * 40] * 120)
    assert len(set(titles)) == 120
    assert max(len(title) for title in titles) <= 31


# --- reading ---------------------------------------------------------------------------


def test_reads_every_sheet_trimmed_with_cached_values() -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "One"
    first.append(["place", "value", None, None])
    first.append(["Northside", 12.5, None])
    first.append([])
    first.append(["Southside", "=B2*2"])
    first["D9"] = None  # a touched but empty cell far away
    second = workbook.create_sheet("Two")
    second["A1"] = "only"
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheets = read_workbook(buffer.getvalue())
    # openpyxl saves no cached value for the formula, so data_only reads None: the
    # formula text itself never comes back.
    assert sheets == {
        "One": [["place", "value"], ["Northside", 12.5], [], ["Southside"]],
        "Two": [["only"]],
    }


def test_reads_paths_and_file_objects(tmp_path: Path) -> None:
    content = _workbook_bytes([["a", 1]])
    path = tmp_path / "data.xlsx"
    path.write_bytes(content)
    assert read_workbook(path) == read_workbook(str(path)) == {"Data": [["a", 1]]}
    with path.open("rb") as handle:
        handle.read(10)  # a half-read upload is read from the start
        assert read_workbook(handle) == {"Data": [["a", 1]]}
    with pytest.raises(TabularError, match="could not be opened"):
        read_workbook(tmp_path / "missing.xlsx")


def test_the_dimension_bomb_is_refused_fast_and_small() -> None:
    """A ~5 KB workbook declaring A1:XFD1048576 (17 billion cells).

    Found in issue 14: ``A1:ALL100000`` took 8.6 s and 870 MB in the ecosystem import,
    because openpyxl pads every row to the declared range. The bound stated here: refused
    in under 0.5 s with a peak of under 10 MB of Python allocations.
    """
    plain = _workbook_bytes([["place", "value"], ["Northside", 1]])
    bomb = _patch_part(
        plain,
        "xl/worksheets/sheet1.xml",
        b'<dimension ref="A1:B2" />',
        b'<dimension ref="A1:XFD1048576"/>',
    )
    assert len(bomb) < 8_000
    tracemalloc.start()
    # CPU time of this process: the other suite sharing the cores does not inflate it.
    started = time.process_time()
    try:
        with pytest.raises(TabularError) as caught:
            read_workbook(bomb)
        elapsed = time.process_time() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value).startswith(
        "Sheet 'Data' declares 1,048,576 rows × 16,384 columns; the limit is 200,000 rows"
    )
    assert elapsed < 0.5
    assert peak < 10 * 1024 * 1024


def test_the_smaller_dimension_bomb_of_the_issue_is_refused_too() -> None:
    bomb = _patch_part(
        _workbook_bytes([["a"]]),
        "xl/worksheets/sheet1.xml",
        b'<dimension ref="A1:A1" />',
        b'<dimension ref="A1:ALL100000"/>',
    )
    started = time.process_time()
    with pytest.raises(TabularError, match="declares 100,000 rows × 1,000 columns"):
        read_workbook(bomb)
    assert time.process_time() - started < 0.5


def test_rows_beyond_the_limit_are_refused_when_the_dimension_lies_or_is_absent() -> None:
    """No <dimension>, and one cell in row 1,048,576: openpyxl would yield a million rows."""
    plain = _workbook_bytes([["a"]])
    no_dimension = _patch_part(plain, "xl/worksheets/sheet1.xml", b'<dimension ref="A1:A1" />', b"")
    far = _patch_part(
        no_dimension,
        "xl/worksheets/sheet1.xml",
        b"</sheetData>",
        b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row></sheetData>',
    )
    started = time.process_time()
    with pytest.raises(TabularError, match="Sheet 'Data' has more than 200,000 rows"):
        read_workbook(far)
    assert time.process_time() - started < 2


def test_a_far_column_is_refused_without_building_wide_rows_for_long() -> None:
    plain = _workbook_bytes([["a"]])
    wide = _patch_part(
        plain,
        "xl/worksheets/sheet1.xml",
        b'<c r="A1" t="inlineStr"><is><t>a</t></is></c>',
        b'<c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="XFD1" t="n"><v>1</v></c>',
    )
    # The declared dimension (A1) is honest about nothing; the row itself is checked.
    with pytest.raises(TabularError, match="Row 1 of sheet 'Data' has 16,384 columns"):
        read_workbook(wide)


def test_small_limits_apply_to_rows_columns_and_cells() -> None:
    content = _workbook_bytes([[1, 2, 3]] * 10)
    with pytest.raises(TabularError, match="declares 10 rows × 3 columns"):
        read_workbook(content, limits=Limits(max_rows=5))
    with pytest.raises(TabularError, match="declares 10 rows × 3 columns"):
        read_workbook(content, limits=Limits(max_columns=2))
    with pytest.raises(TabularError, match="declares 10 rows × 3 columns"):
        read_workbook(content, limits=Limits(max_cells=29))
    assert (
        len(read_workbook(content, limits=Limits(max_rows=10, max_columns=3, max_cells=30))["Data"])
        == 10
    )


def test_the_zip_without_content_types_is_refused_clearly() -> None:
    """Issue 14: a ZIP named .xlsx without [Content_Types].xml crashed the worker (KeyError)."""
    broken = _without_part(_workbook_bytes([["a", 1]]), "[Content_Types].xml")
    with pytest.raises(TabularError) as caught:
        read_workbook(broken)
    assert str(caught.value) == (
        "This file is not a valid Excel workbook: it has no [Content_Types].xml."
    )
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(TabularError, match=r"no \[Content_Types\]\.xml"):
        read_workbook(plain_zip.getvalue())


def test_a_zip_without_the_workbook_part_is_refused() -> None:
    broken = _without_part(_workbook_bytes([["a", 1]]), "xl/workbook.xml")
    with pytest.raises(TabularError, match="it has no workbook part"):
        read_workbook(broken)


def test_a_missing_sheet_part_is_refused() -> None:
    broken = _without_part(_workbook_bytes([["a", 1]]), "xl/worksheets/sheet1.xml")
    with pytest.raises(TabularError, match="This file is not a valid Excel workbook"):
        read_workbook(broken)


def test_malformed_sheet_xml_is_refused() -> None:
    broken = _patch_part(
        _workbook_bytes([["a", 1]]), "xl/worksheets/sheet1.xml", b"</sheetData>", b"<sheetData>"
    )
    with pytest.raises(TabularError, match="its content cannot be read"):
        read_workbook(broken)


def test_the_zip_bomb_is_refused_by_its_uncompressed_size() -> None:
    """A 120 MB part of zeros that compresses to about 120 KB, with the default limits."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(io.BytesIO(_workbook_bytes([["a"]])))
        for entry in source.infolist():
            archive.writestr(entry.filename, source.read(entry.filename))
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
            chunk = b"\0" * (1 << 20)
            for _ in range(120):
                part.write(chunk)
    bomb = buffer.getvalue()
    assert len(bomb) < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(TabularError) as caught:
            read_workbook(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value).startswith(
        "This workbook would take 120 MB once uncompressed; the limit is 100 MB."
    )
    assert peak < 10 * 1024 * 1024
    assert DEFAULT_LIMITS.max_uncompressed_bytes == 100 * 1024 * 1024


def test_too_many_zip_entries_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(30):
            archive.writestr(f"part{number}.xml", "")
    with pytest.raises(TabularError, match="more than 20 parts"):
        read_workbook(buffer.getvalue(), limits=Limits(max_zip_entries=20))


def test_a_truncated_file_is_refused() -> None:
    content = _workbook_bytes([["a", 1]] * 50)
    with pytest.raises(TabularError) as caught:
        read_workbook(content[: len(content) // 2])
    assert str(caught.value) == (
        "This file is not a valid Excel workbook: it is damaged or incomplete "
        "(its ZIP archive is truncated)."
    )


def test_a_csv_renamed_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "indicators.xlsx"
    path.write_bytes(write_csv(["place", "value"], [["Northside", 1]]))
    with pytest.raises(TabularError) as caught:
        read_workbook(path)
    assert "it is a text file (perhaps a CSV file renamed .xlsx)" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "it is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old-style .xls"),
        (bytes(range(256)), "it is not a ZIP archive"),
    ],
)
def test_other_non_workbooks_are_named(content: bytes, fragment: str) -> None:
    with pytest.raises(TabularError, match=fragment):
        read_workbook(content)


def test_tabular_error_is_a_value_error_and_translates() -> None:
    with pytest.raises(ValueError):
        read_workbook(b"")
    error = TabularError(
        "Sheet '%(sheet)s' has more than %(limit)s rows; split the file.", sheet="S", limit="5"
    )
    with translation.override("en"):
        assert describe(error) == "Sheet 'S' has more than 5 rows; split the file."


def test_check_workbook_checks_the_package_only() -> None:
    check_workbook(_workbook_bytes([["a"]]))
    broken = _without_part(_workbook_bytes([["a", 1]]), "[Content_Types].xml")
    with pytest.raises(TabularError, match=r"no \[Content_Types\]\.xml"):
        check_workbook(broken)
    with pytest.raises(TabularError, match="it is a text file"):
        check_workbook(b"place,value\n01101,1\n")
