"""This app's rows of the access matrix (see commonground/tests/test_access_matrix.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django_scopes import scope

ADMIN, PARTNER, RESIDENT, VIEWER = "backbone_admin", "partner", "community_member", "viewer"
EVERY_ROLE = frozenset({ADMIN, PARTNER, RESIDENT, VIEWER})
CONTRIBUTORS = frozenset({ADMIN, PARTNER, RESIDENT})
ADMINS = frozenset({ADMIN})

PAGES: dict[str, Any] = {
    "reports:list": EVERY_ROLE,
    "reports:new": ADMINS,
    "reports:detail": EVERY_ROLE,
    "reports:edit": ADMINS,
    "reports:pdf_start": CONTRIBUTORS,
    "reports:xlsx": EVERY_ROLE,
    "reports:chart": EVERY_ROLE,
    "reports:publish": ADMINS,
    "reports:pdf_job": CONTRIBUTORS,
    "reports:pdf_download": EVERY_ROLE,
    "reports:version": EVERY_ROLE,
    "reports:make_public": ADMINS,
    "reports:unpublish": ADMINS,
    "reports:sharing": ADMINS,
    "reports:public": "public",
    "reports:public_pdf": "public",
    "reports:funder_list": "signed_in",
    "reports:funder": "signed_in",
}
API: dict[str, Any] = {
    "list_reports": EVERY_ROLE,
    "get_report_content": EVERY_ROLE,
    "get_pdf_job": CONTRIBUTORS,
}

# Light sections keep the matrix fast; the full report is tested in test_reports.py.
MATRIX_SECTIONS = ["coalitions.profile", "assessments.stage"]


def objects(coalition: Any) -> dict[str, Any]:
    """URL keyword -> an object of coalition made for the test (its id or key)."""
    from commonground.reports.models import Intermediary, PdfJob, Report, ReportVersion

    with scope(coalition=coalition):
        report = Report.objects.create(
            coalition=coalition,
            title="Impact report",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            section_keys=MATRIX_SECTIONS,
        )
        version = ReportVersion.objects.create(
            coalition=coalition,
            report=report,
            number=1,
            content={
                "languages": {
                    language: {
                        "title": "Impact report",
                        "introduction": "",
                        "coalition": coalition.name,
                        "period": ["2025-01-01", "2025-12-31"],
                        "language": language,
                        "sections": [],
                    }
                    for language in ("en", "es")
                }
            },
        )
        job = PdfJob.objects.create(
            coalition=coalition,
            report=report,
            status=PdfJob.Status.SUCCEEDED,
            progress=1.0,
            pdf=b"%PDF-1.4 test",
        )
    Intermediary.objects.get_or_create(slug=f"funder-{coalition.slug}", defaults={"name": "Funder"})
    return {
        "report_id": report.pk,
        "report_version_id": version.pk,
        "pdf_job_id": job.pk,
        "chart_id": "assessments.stage:roadmap",
        "fmt": "svg",
        "public_slug": coalition.slug,
        "intermediary_slug": f"funder-{coalition.slug}",
    }
