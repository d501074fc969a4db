"""Turn report content into a PDF (WeasyPrint) and a chart into PNG.

The PDF is the print template ``reports/report_pdf.html`` laid out by WeasyPrint: a
cover, a table of contents whose page numbers WeasyPrint fills (``target-counter``),
page numbers in the footer, the charts as SVG (so vectors), and DejaVu fonts embedded
(subset) so Spanish accents print on any reader. WeasyPrint may fetch only those font
files: every other URL is refused, so nothing in a section's data can make it read a
file or call the network.
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import override

# WeasyPrint logs every layout step at INFO; the report's progress is on the job row.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {
    "regular": FONT_DIR / "DejaVuSans.ttf",
    "bold": FONT_DIR / "DejaVuSans-Bold.ttf",
    "oblique": FONT_DIR / "DejaVuSans-Oblique.ttf",
}
PAPER_SIZES = {"letter": "letter", "a4": "A4"}


class RenderError(Exception):
    """The PDF or image could not be made."""


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves the font files and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = {path.as_uri(): path for path in FONTS.values()}

    class FontsOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in allowed:
                raise RenderError(f"refused to fetch {url}")
            return URLFetcherResponse(
                url, body=allowed[url].read_bytes(), headers={"Content-Type": "font/ttf"}
            )

    return FontsOnly()


def report_html(content: dict[str, Any], *, paper: str, public: bool) -> str:
    """The print HTML of ``content`` in its language."""
    with override(content.get("language", "en")):
        return render_to_string(
            "reports/report_pdf.html",
            {
                "content": content,
                "paper": PAPER_SIZES.get(paper, "letter"),
                "fonts": {name: path.as_uri() for name, path in FONTS.items()},
                "public": public,
            },
        )


def report_pdf(
    content: dict[str, Any],
    *,
    paper: str = "letter",
    public: bool = False,
    progress: Callable[[float], None] | None = None,
) -> tuple[bytes, int]:
    """The PDF of ``content`` and its page count."""
    from weasyprint import HTML  # imported here: it takes a second to load

    def tell(share: float) -> None:
        if progress is not None:
            progress(share)

    html = report_html(content, paper=paper, public=public)
    tell(0.35)
    document = HTML(string=html, url_fetcher=_fetcher(), base_url="file:///nonexistent/").render()
    tell(0.8)
    pdf = document.write_pdf()
    if pdf is None:
        raise RenderError("WeasyPrint wrote nothing")
    tell(0.95)
    return bytes(pdf), len(document.pages)


def chart_pdf(svg: str) -> bytes:
    """A one-page PDF the size of the chart (for its PNG)."""
    from weasyprint import HTML

    size = re.search(r'width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"', svg)
    width, height = (size.group(1), size.group(2)) if size else ("600", "400")
    html = (
        f"<!doctype html><html><head><style>@page{{size:{width}px {height}px;margin:0}}"
        "body{margin:0}svg{display:block}</style></head><body>" + svg + "</body></html>"
    )
    pdf = HTML(string=html, url_fetcher=_fetcher()).write_pdf()
    if pdf is None:
        raise RenderError("WeasyPrint wrote nothing")
    return bytes(pdf)


def chart_png(svg: str, *, dpi: int = 150) -> bytes:
    """The chart as PNG: WeasyPrint draws it to PDF, poppler's ``pdftoppm`` rasterizes it."""
    pdf = chart_pdf(svg)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "chart.pdf"
        source.write_bytes(pdf)
        target = Path(folder) / "chart"
        done = subprocess.run(  # noqa: S603  (fixed program, our own temporary files)
            ["/usr/bin/pdftoppm", "-png", "-singlefile", "-r", str(dpi), str(source), str(target)],
            capture_output=True,
            timeout=30,
            check=False,
        )
        if done.returncode != 0:
            raise RenderError(done.stderr.decode(errors="replace"))
        return (Path(folder) / "chart.png").read_bytes()
