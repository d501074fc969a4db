"""The one way CommonGround writes and reads CSV and XLSX files.

Every export goes through ``write_csv`` / ``write_xlsx`` and ``download``; every XLSX
import goes through ``read_workbook``. Why each guard exists is explained in
``commonground.lib.tabular_core``, which holds everything here except ``download`` and
``describe`` and imports no Django: ``domain`` packages import from that module.

    content = write_xlsx([(indicator.code, ["place", "value"], rows)])
    return download(content, safe_filename(indicator.code, "xlsx"))

    try:
        sheets = read_workbook(upload.read())
    except TabularError as exc:
        form.add_error("file", describe(exc))
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext

from commonground.lib.tabular_core import (
    DEFAULT_LIMITS,
    FORMULA_PREFIXES,
    Limits,
    TabularError,
    check_workbook,
    is_formula_like,
    neutralize,
    read_workbook,
    safe_filename,
    sanitize_sheet_titles,
    write_csv,
    write_xlsx,
)

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_LIMITS",
    "FORMULA_PREFIXES",
    "Limits",
    "TabularError",
    "check_workbook",
    "describe",
    "download",
    "is_formula_like",
    "neutralize",
    "read_workbook",
    "safe_filename",
    "sanitize_sheet_titles",
    "write_csv",
    "write_xlsx",
]

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "geojson": "application/geo+json",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "zip": "application/zip",
    "pdf": "application/pdf",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def download(content: bytes, filename: str) -> HttpResponse:
    """An attachment response for ``content`` saved as ``filename`` (made safe first).

    The content type follows the extension (``application/octet-stream`` for an
    unknown one); ``nosniff`` keeps browsers from guessing otherwise, and the response
    is not stored by shared caches (exports hold coalition data).
    """
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    name = safe_filename(stem, extension)
    extension = name.rpartition(".")[2] if "." in name else ""
    response = HttpResponse(
        content, content_type=CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def describe(error: TabularError) -> str:
    """``error``'s message in the active language."""
    template = gettext(error.template)
    return template % error.params if error.params else template
