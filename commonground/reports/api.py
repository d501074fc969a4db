"""The reports API; paths start with /{coalition_slug}/.

A report's content is the same plain JSON the pages render (see ``selectors``), in the
request's language; suppressed values are absent, as on the pages.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from commonground.api.access import api_coalition
from commonground.coalitions.access import ALL_ROLES, CONTRIBUTORS
from commonground.reports import selectors
from commonground.reports.models import PdfJob, Report

router = Router(tags=["Reports"])


class VersionOut(Schema):
    number: int
    published_at: str
    is_public: bool


class ReportOut(Schema):
    id: int
    title: str
    period_start: str
    period_end: str
    section_keys: list[str]
    versions: list[VersionOut]


class PdfJobOut(Schema):
    id: int
    status: str
    progress: float
    language: str
    paper: str
    page_count: int


@router.get("/{coalition_slug}/reports", response=list[ReportOut])
@api_coalition(*ALL_ROLES)
def list_reports(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    """The coalition's reports and their published versions, newest period first."""
    out = []
    for report in selectors.list_reports(coalition=request.coalition).prefetch_related("versions"):  # type: ignore[attr-defined]
        out.append(
            {
                "id": report.pk,
                "title": report.title,
                "period_start": report.period_start.isoformat(),
                "period_end": report.period_end.isoformat(),
                "section_keys": list(report.section_keys),
                "versions": [
                    {
                        "number": v.number,
                        "published_at": v.published_at.isoformat(),
                        "is_public": v.is_public,
                    }
                    for v in report.versions.all()
                ],
            }
        )
    return out


@router.get("/{coalition_slug}/reports/{report_id}/content")
@api_coalition(*ALL_ROLES)
def get_report_content(request: HttpRequest, coalition_slug: str, report_id: int) -> dict[str, Any]:
    """The report built from today's data: every section's data, as the page shows it."""
    try:
        report = selectors.get_report(report_id=report_id)
    except Report.DoesNotExist:
        raise HttpError(404, "No such report.") from None
    return selectors.live_content(report=report)


@router.get("/{coalition_slug}/report-pdfs/{pdf_job_id}", response=PdfJobOut)
@api_coalition(*CONTRIBUTORS)
def get_pdf_job(request: HttpRequest, coalition_slug: str, pdf_job_id: int) -> PdfJob:
    """A PDF's status and progress (0-1)."""
    try:
        return selectors.get_job(job_id=pdf_job_id)
    except PdfJob.DoesNotExist:
        raise HttpError(404, "No such PDF.") from None
