"""The Django-free half of ``commonground.lib.tabular``: writing and reading tables safely.

``commonground.lib.tabular`` re-exports everything here and adds ``download``, the one
part that needs Django. Code that may not import Django (the ``domain`` packages, which
import-linter keeps Django-free) imports from this module instead.

Writing. A spreadsheet program runs a cell whose text starts with ``=``, ``+``, ``-`` or
``@`` (or a tab or carriage return followed by one) as a formula, so text taken from
users, such as ``=HYPERLINK("http://evil.example/","x")``, becomes a live link or worse
once a partner opens the export. Following OWASP's advice on CSV injection, ``write_csv``
puts an apostrophe before such text; ``write_xlsx`` stores it as a text cell marked
"quote prefix" (Excel's own way of keeping ``'=1`` text), so no formula is ever written.
Numbers stay numbers: ``-3`` is a number, ``"-3"`` and ``"-1+2"`` are neutralized text.

Reading. An XLSX file is a ZIP of XML parts, and each part can lie: the ZIP directory can
promise a small file that inflates to gigabytes, and a sheet can declare the range
``A1:XFD1048576`` (17 billion cells) that openpyxl then pads every row to. ``read_workbook``
checks the ZIP structure, the total uncompressed size, each sheet's declared dimension
and, while reading, the actual rows, columns and cells against ``Limits`` before memory or
time is spent, and turns any malformed file into ``TabularError`` with a message that
names the problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, BinaryIO
from xml.etree import ElementTree

__all__ = [
    "DEFAULT_LIMITS",
    "FORMULA_PREFIXES",
    "Limits",
    "TabularError",
    "check_workbook",
    "is_formula_like",
    "neutralize",
    "read_workbook",
    "safe_filename",
    "sanitize_sheet_titles",
    "write_csv",
    "write_xlsx",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is neutralized (OWASP, "CSV Injection")."""

XLSX_MAX_TEXT = 32_767
"""Excel refuses a cell holding more characters than this."""

SHEET_TITLE_MAX = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_EXTENSION_UNSAFE = re.compile(r"[^a-z0-9]+")
FILENAME_STEM_MAX = 80


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation (``makemessages`` finds it by this name)."""
    return message


class TabularError(ValueError):
    """A table file could not be read; the message says what is wrong with it.

    ``template`` is the untranslated message with ``%(name)s`` placeholders, ``params``
    their values: ``commonground.lib.tabular.describe`` translates it for a page.

    >>> str(TabularError("Sheet %(sheet)s is empty.", sheet="'Data'"))
    "Sheet 'Data' is empty."
    """

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params: dict[str, object] = params
        super().__init__(template % params if params else template)


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a workbook may hold before ``read_workbook`` refuses it.

    The defaults (``DEFAULT_LIMITS``) allow 200,000 rows and 500 columns per sheet,
    5,000,000 cells in the whole workbook, 100 MB of uncompressed ZIP content and 10,000
    ZIP entries: more than any coalition's indicator or partner file, and at most a few
    hundred megabytes of memory while reading.
    """

    max_rows: int = 200_000
    max_columns: int = 500
    max_cells: int = 5_000_000
    max_uncompressed_bytes: int = 100 * 1024 * 1024
    max_zip_entries: int = 10_000


DEFAULT_LIMITS = Limits()


# --- writing ---------------------------------------------------------------------------


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet program could run as a formula.

    >>> [is_formula_like(v) for v in ("=1", "-1+2", "@SUM(A1)", "\\t=1", "a=b", -1, "")]
    [True, True, True, True, False, False, False]
    """
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralize(value: str) -> str:
    """``value`` with an apostrophe in front when it could run as a formula.

    >>> neutralize('=HYPERLINK("http://evil.example/","x")')
    '\\'=HYPERLINK("http://evil.example/","x")'
    >>> neutralize("Northside"), neutralize("-12")
    ('Northside', "'-12")
    """
    return "'" + value if is_formula_like(value) else value


def _plain(value: object) -> object:
    """A cell value reduced to str, int, float, Decimal, bool, date/time or None."""
    if value is None or isinstance(value, str | bool | int | Decimal | dt.date | dt.time):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)  # lazy translations, UUIDs, enums: their text


def _csv_cell(value: object) -> object:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralize(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def write_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file (UTF-8 with a byte-order mark, so Excel reads accents) of ``rows``.

    Text that could run as a formula gets a leading apostrophe; numbers are written as
    numbers, dates as ISO 8601, ``None`` as an empty cell.

    >>> write_csv(["name", "value"], [["=1+1", -2], ["Río", None]])
    b"\\xef\\xbb\\xbfname,value\\r\\n'=1+1,-2\\r\\nR\\xc3\\xado,\\r\\n"
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: object) -> str:
    text = _SHEET_TITLE_FORBIDDEN.sub("-", str(title)).strip().strip("'").strip()
    return text[:SHEET_TITLE_MAX].strip() or "Sheet"


def sanitize_sheet_titles(titles: Sequence[object]) -> list[str]:
    """Titles Excel accepts: none of ``[]:*?/\\``, at most 31 characters, all different.

    Excel compares titles without regard to case, so do we.

    >>> sanitize_sheet_titles(["A/B: [2024]", "a-b- -2024-", "", "x" * 40])
    ['A-B- -2024-', 'a-b- -2024- (2)', 'Sheet', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']
    """
    seen: set[str] = set()
    result = []
    for title in titles:
        base = _sheet_title(title)
        candidate, number = base, 1
        while candidate.casefold() in seen:
            number += 1
            suffix = f" ({number})"
            candidate = base[: SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix
        seen.add(candidate.casefold())
        result.append(candidate)
    return result


def write_xlsx(sheets: Sequence[tuple[str, Sequence[object], Iterable[Sequence[object]]]]) -> bytes:
    """An XLSX workbook with one sheet per ``(title, header, rows)``; no formula in it.

    Titles are sanitized (``sanitize_sheet_titles``). Text that could run as a formula is
    stored as a text cell with Excel's quote prefix, so openpyxl never writes a formula
    and the reader sees exactly the text; characters XML cannot hold are dropped and text
    is cut at Excel's 32,767 characters.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    titles = sanitize_sheet_titles([title for title, _header, _rows in sheets] or ["Sheet"])
    bold = Font(bold=True)

    def cell(sheet: Any, value: object, *, header: bool = False) -> Any:
        value = _plain(value)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_MAX_TEXT]
        result = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and is_formula_like(value):
            result.data_type = "s"  # openpyxl took "=..." for a formula
            result.quotePrefix = True
        if header:
            result.font = bold
        return result

    if not sheets:
        workbook.create_sheet(titles[0])
    for title, (_title, header, rows) in zip(titles, sheets, strict=False):
        sheet = workbook.create_sheet(title)
        if header:
            sheet.append([cell(sheet, value, header=True) for value in header])
        for row in rows:
            sheet.append([cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_filename(stem: str, extension: str) -> str:
    """A download name any browser and file system accepts: ASCII letters, digits, ``.-_``.

    Accents are folded (``Río`` → ``Rio``), anything else becomes ``-``, path separators
    and quotes never survive, the stem is cut at 80 characters, and an empty stem
    becomes ``download``.

    >>> safe_filename("Río/Grande: 2024 \\"final\\"", ".XLSX")
    'Rio-Grande-2024-final.xlsx'
    >>> safe_filename("../../etc/passwd", "csv")
    'etc-passwd.csv'
    >>> safe_filename("", "")
    'download'
    """
    ascii_stem = unicodedata.normalize("NFKD", str(stem)).encode("ascii", "ignore").decode()
    clean = _FILENAME_UNSAFE.sub("-", ascii_stem)
    clean = re.sub(r"-{2,}", "-", clean)
    clean = re.sub(r"\.{2,}", ".", clean).strip(".-_ ")[:FILENAME_STEM_MAX].strip(".-_ ")
    clean = clean or "download"
    suffix = _EXTENSION_UNSAFE.sub("", str(extension).lower())[:10]
    return f"{clean}.{suffix}" if suffix else clean


# --- reading ---------------------------------------------------------------------------

_WORKBOOK_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)


def _open_source(source: bytes | BinaryIO | IO[bytes] | str | Path) -> tuple[IO[bytes], bool]:
    """A seekable binary file for ``source`` and whether this module opened it."""
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source)), True
    if isinstance(source, str | Path):
        try:
            return open(source, "rb"), True
        except OSError as exc:
            raise TabularError(
                gettext_noop("The file %(name)s could not be opened: %(reason)s"),
                name=Path(source).name,
                reason=exc.strerror or exc.__class__.__name__,
            ) from exc
    if not source.seekable():
        return io.BytesIO(source.read()), True
    source.seek(0)
    return source, False


def _not_a_zip(handle: IO[bytes]) -> TabularError:
    handle.seek(0)
    start = handle.read(512)
    if start.startswith(b"PK\x03\x04") or start.startswith(b"PK\x05\x06"):
        message = gettext_noop(
            "This file is not a valid Excel workbook: it is damaged or incomplete "
            "(its ZIP archive is truncated)."
        )
    elif start.startswith(b"\xd0\xcf\x11\xe0"):
        message = gettext_noop(
            "This file is not a valid Excel workbook: it is an old-style .xls file "
            "(Excel 97-2003). Save it as .xlsx and try again."
        )
    elif not start.strip():
        message = gettext_noop("This file is not a valid Excel workbook: it is empty.")
    elif _looks_like_text(start):
        message = gettext_noop(
            "This file is not a valid Excel workbook: it is a text file (perhaps a CSV "
            "file renamed .xlsx). Upload it as a .csv file."
        )
    else:
        message = gettext_noop(
            "This file is not a valid Excel workbook: it is not a ZIP archive, which "
            "every .xlsx file is."
        )
    return TabularError(message)


def _looks_like_text(start: bytes) -> bool:
    for encoding in ("utf-8", "utf-16", "cp1252"):
        try:
            text = start.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(char.isprintable() or char in "\r\n\t\ufeff" for char in text[:-4])
    return False


def _check_package(archive: zipfile.ZipFile, limits: Limits) -> None:
    entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise TabularError(
            gettext_noop(
                "This file is not a valid Excel workbook: its ZIP archive holds more than "
                "%(limit)s parts."
            ),
            limit=f"{limits.max_zip_entries:,}",
        )
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_uncompressed_bytes:
        raise TabularError(
            gettext_noop(
                "This workbook would take %(size)s MB once uncompressed; the limit is "
                "%(limit)s MB. Remove unused sheets or split the file."
            ),
            size=f"{total / 1_048_576:,.0f}",
            limit=f"{limits.max_uncompressed_bytes / 1_048_576:,.0f}",
        )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        raise TabularError(
            gettext_noop("This file is not a valid Excel workbook: it has no [Content_Types].xml.")
        )
    if archive.getinfo("[Content_Types].xml").file_size > 1_048_576:
        raise TabularError(
            gettext_noop(
                "This file is not a valid Excel workbook: its [Content_Types].xml cannot be read."
            )
        )
    try:
        # Size-checked above; Python's expat refuses entity expansion bombs, and openpyxl
        # parses the same part with the same parser a moment later anyway.
        root = ElementTree.fromstring(archive.read("[Content_Types].xml"))  # noqa: S314  # nosec B314
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise TabularError(
            gettext_noop(
                "This file is not a valid Excel workbook: its [Content_Types].xml cannot be read."
            )
        ) from exc
    parts = [
        (element.get("PartName") or "").lstrip("/")
        for element in root
        if element.tag.endswith("Override") and element.get("ContentType") in _WORKBOOK_TYPES
    ]
    if not any(part in names for part in parts):
        raise TabularError(
            gettext_noop(
                "This file is not a valid Excel workbook: it has no workbook part "
                "(xl/workbook.xml)."
            )
        )


def _trimmed(row: Sequence[object]) -> list[object]:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return list(row[:end])


def _read_sheet(sheet: Any, limits: Limits, cells_before: int) -> tuple[list[list[object]], int]:
    """The rows of one read-only sheet, trimmed, and the cells counted so far."""
    title = sheet.title
    declared_rows, declared_columns = sheet.max_row, sheet.max_column
    if declared_rows is not None and declared_columns is not None:
        declared_cells = declared_rows * declared_columns
        if (
            declared_rows > limits.max_rows
            or declared_columns > limits.max_columns
            or cells_before + declared_cells > limits.max_cells
        ):
            raise TabularError(
                gettext_noop(
                    "Sheet '%(sheet)s' declares %(rows)s rows × %(columns)s columns; the "
                    "limit is %(max_rows)s rows, %(max_columns)s columns and %(max_cells)s "
                    "cells. Delete the unused rows and columns or split the file."
                ),
                sheet=title,
                rows=f"{declared_rows:,}",
                columns=f"{declared_columns:,}",
                max_rows=f"{limits.max_rows:,}",
                max_columns=f"{limits.max_columns:,}",
                max_cells=f"{limits.max_cells:,}",
            )
    # Read the cells that are there, not the declared range (which may still be padding).
    sheet.reset_dimensions()
    rows: list[list[object]] = []
    cells = cells_before
    for number, raw in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > limits.max_rows:
            raise TabularError(
                gettext_noop("Sheet '%(sheet)s' has more than %(limit)s rows; split the file."),
                sheet=title,
                limit=f"{limits.max_rows:,}",
            )
        row = _trimmed(raw)
        if len(row) > limits.max_columns:
            raise TabularError(
                gettext_noop(
                    "Row %(row)s of sheet '%(sheet)s' has %(columns)s columns; the limit "
                    "is %(limit)s."
                ),
                row=f"{number:,}",
                sheet=title,
                columns=f"{len(row):,}",
                limit=f"{limits.max_columns:,}",
            )
        cells += len(row)
        if cells > limits.max_cells:
            raise TabularError(
                gettext_noop("This workbook has more than %(limit)s cells; split the file."),
                limit=f"{limits.max_cells:,}",
            )
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows, cells


def read_workbook(
    source: bytes | BinaryIO | IO[bytes] | str | Path, *, limits: Limits = DEFAULT_LIMITS
) -> dict[str, list[list[object]]]:
    """Every worksheet's rows (header row included), by sheet title, in workbook order.

    Values are what Excel last computed (``data_only``: a formula gives its cached
    result, never the formula text); trailing empty cells and rows are trimmed, so rows
    can differ in length. The workbook is opened read-only after the checks the module
    docstring lists. Raises ``TabularError`` for a file that is not a workbook, is
    damaged, or exceeds ``limits``.
    """
    handle, opened_here = _open_source(source)
    try:
        _check_workbook(handle, limits)
        handle.seek(0)
        return _read_checked(handle, limits)
    finally:
        if opened_here:
            handle.close()


def check_workbook(
    source: bytes | BinaryIO | IO[bytes] | str | Path, *, limits: Limits = DEFAULT_LIMITS
) -> None:
    """Only the checks of the ZIP package that ``read_workbook`` starts with: cheap enough
    to run on an upload before queueing it. Raises ``TabularError``."""
    handle, opened_here = _open_source(source)
    try:
        _check_workbook(handle, limits)
    finally:
        if opened_here:
            handle.close()


def _check_workbook(handle: IO[bytes], limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _not_a_zip(handle) from None
    with archive:
        _check_package(archive, limits)


def _read_checked(handle: IO[bytes], limits: Limits) -> dict[str, list[list[object]]]:
    import warnings

    from openpyxl import load_workbook

    workbook: Any = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
            workbook = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
            result: dict[str, list[list[object]]] = {}
            cells = 0
            for sheet in workbook.worksheets:
                result[sheet.title], cells = _read_sheet(sheet, limits, cells)
        if not result:
            raise TabularError(
                gettext_noop("This file is not a valid Excel workbook: it has no worksheet.")
            )
        return result
    except TabularError:
        raise
    except zipfile.BadZipFile as exc:
        raise TabularError(
            gettext_noop(
                "This file is not a valid Excel workbook: a part of its ZIP archive is "
                "damaged (%(detail)s)."
            ),
            detail=str(exc)[:200],
        ) from exc
    except KeyError as exc:
        raise TabularError(
            gettext_noop(
                "This file is not a valid Excel workbook: the part %(part)s it refers to "
                "is missing."
            ),
            part=str(exc)[:200],
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds for malformed XML
        raise TabularError(
            gettext_noop(
                "This file is not a valid Excel workbook: its content cannot be read (%(detail)s)."
            ),
            detail=f"{type(exc).__name__}: {exc}"[:200],
        ) from exc
    finally:
        if workbook is not None:
            workbook.close()
