"""Writes: reports, PDFs, publishing and the public page, and consent to share with funders.

Every change runs in one transaction and writes one audit row (``reports.<what>``).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from commonground.coalitions.models import AuditEvent, Coalition
from commonground.coalitions.services import record_audit
from commonground.lib.versioning import save_versioned
from commonground.reports import registry, render, selectors
from commonground.reports.models import (
    Intermediary,
    PdfJob,
    Report,
    ReportVersion,
    SharingConsent,
)

Action = AuditEvent.Action
logger = logging.getLogger(__name__)
MAX_INTRODUCTION = 20_000


def _clean(
    *,
    title: str,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    introduction: str,
    section_keys: Sequence[str],
) -> tuple[str, list[str]]:
    title = title.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the report a title.")
    if period_start is None:
        errors["period_start"] = _("Enter the date the period starts.")
    if period_end is None:
        errors["period_end"] = _("Enter the date the period ends.")
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = _("The period must end on or after the day it starts.")
    if len(introduction) > MAX_INTRODUCTION:
        errors["introduction"] = _("The introduction is too long (at most 20,000 characters).")
    keys = []
    for key in section_keys:
        if registry.get_section(key) is None:
            errors["section_keys"] = _("%(key)s is not a report section.") % {"key": key}
        elif key not in keys:
            keys.append(key)
    if not keys and "section_keys" not in errors:
        errors["section_keys"] = _("Choose at least one section.")
    if errors:
        raise ValidationError(errors)
    return title, keys


@transaction.atomic
def create_report(
    *,
    coalition: Coalition,
    actor: Any,
    title: str,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    introduction: str = "",
    section_keys: Sequence[str],
) -> Report:
    title, keys = _clean(
        title=title,
        period_start=period_start,
        period_end=period_end,
        introduction=introduction,
        section_keys=section_keys,
    )
    assert period_start is not None and period_end is not None
    report = Report.objects.create(
        coalition=coalition,
        title=title,
        period_start=period_start,
        period_end=period_end,
        introduction=introduction,
        section_keys=keys,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE,
        obj=report,
        summary=f"Created the report {title}",
        event="reports.report_created",
        params={"title": title, "id": report.pk},
    )
    return report


@transaction.atomic
def update_report(
    *,
    report: Report,
    actor: Any,
    expected_version: int | None,
    title: str,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    introduction: str,
    section_keys: Sequence[str],
) -> Report:
    """Change the report's title, period, introduction and sections (409 when stale)."""
    title, keys = _clean(
        title=title,
        period_start=period_start,
        period_end=period_end,
        introduction=introduction,
        section_keys=section_keys,
    )
    assert period_start is not None and period_end is not None
    before = {"title": report.title, "section_keys": report.section_keys}
    report.title, report.introduction, report.section_keys = title, introduction, keys
    report.period_start, report.period_end = period_start, period_end
    save_versioned(report, expected=expected_version)
    report.refresh_from_db()
    record_audit(
        coalition=report.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=report,
        summary=f"Edited the report {title}",
        before=before,
        after={"title": title, "section_keys": keys},
        event="reports.report_edited",
        params={"title": title, "id": report.pk},
    )
    return report


# ------------------------------------------------------------------ PDFs


def _check_paper_language(paper: str, language: str) -> None:
    if paper not in PdfJob.Paper.values:
        raise ValidationError({"paper": _("Choose US Letter or A4.")})
    if language not in selectors.LANGUAGES:
        raise ValidationError({"language": _("Choose English or Spanish.")})


@transaction.atomic
def request_pdf(
    *,
    report: Report,
    actor: Any,
    language: str,
    paper: str,
    version: ReportVersion | None = None,
    public_only: bool = False,
) -> PdfJob:
    """Queue a PDF; the caller enqueues ``tasks.make_pdf`` once this commits."""
    _check_paper_language(paper, language)
    if version is not None and version.report_id != report.pk:
        raise ValidationError({"version": _("This version belongs to another report.")})
    job = PdfJob.objects.create(
        coalition=report.coalition,
        report=report,
        version=version,
        public_only=public_only,
        language=language,
        paper=paper,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_audit(
        coalition=report.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=job,
        summary=f"Asked for the PDF of {report.title}",
        event="reports.pdf_requested",
        params={"title": report.title, "language": language, "paper": paper},
    )
    return job


PDF_STALE_AFTER = datetime.timedelta(minutes=5)
"""A running PDF whose worker has not reported for this long lost its worker (the layout
reports progress every few seconds); ``settings.PDF_STALE_AFTER`` overrides it."""
PDF_QUEUED_TOO_LONG = datetime.timedelta(hours=1)
"""A PDF still waiting for a worker after this long is given up too (no worker runs)."""
STALE_PDF_ERROR = "The worker stopped before the PDF was finished."


def pdf_stale_after() -> datetime.timedelta:
    value = getattr(settings, "PDF_STALE_AFTER", PDF_STALE_AFTER)
    if isinstance(value, datetime.timedelta):
        return value
    return datetime.timedelta(seconds=float(value))


def fail_stale_pdf_jobs(*, coalition: Coalition) -> int:
    """Mark the coalition's PDFs whose worker died (or never came) as failed; they can be
    asked for again. Returns how many were given up."""
    now = timezone.now()
    with scope(coalition=coalition):
        lost = Q(status=PdfJob.Status.RUNNING, heartbeat_at__lt=now - pdf_stale_after())
        waiting = Q(status=PdfJob.Status.QUEUED, created_at__lt=now - PDF_QUEUED_TOO_LONG)
        return PdfJob.objects.filter(lost | waiting).update(
            status=PdfJob.Status.FAILED, error=STALE_PDF_ERROR, finished_at=now
        )


def _set_progress(job_id: int, share: float) -> None:
    PdfJob.objects.filter(pk=job_id, status=PdfJob.Status.RUNNING).update(
        progress=share, heartbeat_at=timezone.now()
    )


def run_pdf_job(*, job_id: int, coalition_id: int) -> None:
    """Make a queued PDF: freeze the content (live or the version's), lay it out, store it.

    The job is claimed (queued -> running) in one UPDATE, so two workers never make the
    same PDF, and a job given up as stale is never taken again or overwritten.
    """
    coalition = Coalition.objects.get(pk=coalition_id)
    with scope(coalition=coalition):
        claimed = PdfJob.objects.filter(pk=job_id, status=PdfJob.Status.QUEUED).update(
            status=PdfJob.Status.RUNNING, progress=0.05, heartbeat_at=timezone.now()
        )
        if not claimed:
            return
        job = PdfJob.objects.select_related("report", "version").get(pk=job_id)
        running = PdfJob.objects.filter(pk=job.pk, status=PdfJob.Status.RUNNING)
        try:
            if job.version is not None:
                content = selectors.frozen_content(
                    version=job.version, language=job.language, public_only=job.public_only
                )
            else:
                content = selectors.live_content(report=job.report, language=job.language)
            _set_progress(job.pk, 0.25)
            pdf, pages = render.report_pdf(
                content,
                paper=job.paper,
                public=job.public_only,
                progress=lambda share: _set_progress(job.pk, share),
            )
        except Exception as error:  # the job row says what went wrong; nothing else changes
            running.update(
                status=PdfJob.Status.FAILED,
                error=str(error)[:2000],
                finished_at=timezone.now(),
            )
            logger.exception("PDF job %s failed", job.pk)
            return
        running.update(
            status=PdfJob.Status.SUCCEEDED,
            progress=1.0,
            pdf=pdf,
            page_count=pages,
            finished_at=timezone.now(),
        )


# ------------------------------------------------------------------ publishing


@transaction.atomic
def publish_report(*, report: Report, actor: Any) -> ReportVersion:
    """Freeze the report as it stands today, in every language, as a new version.

    The caller queues the version's PDF (``request_pdf`` with ``version``).
    """
    languages = {
        language: selectors.live_content(report=report, language=language)
        for language in selectors.LANGUAGES
    }
    number = (
        ReportVersion.objects.filter(report=report)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    ) + 1
    version = ReportVersion.objects.create(
        coalition=report.coalition,
        report=report,
        number=number,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        content={"languages": languages},
    )
    record_audit(
        coalition=report.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=version,
        summary=f"Published version {number} of {report.title}",
        event="reports.published",
        params={"title": report.title, "number": number},
    )
    return version


@transaction.atomic
def show_on_public_page(
    *, version: ReportVersion, actor: Any, section_keys: Sequence[str]
) -> ReportVersion:
    """Make ``version`` the coalition's public page with the chosen sections.

    Only sections registered as public may be chosen. The caller queues the public PDFs.
    """
    available = {
        s["key"] for s in version.content["languages"]["en"]["sections"] if s.get("public")
    }
    keys = []
    for key in section_keys:
        if key not in available:
            raise ValidationError(
                {"section_keys": _("%(key)s cannot be shown on the public page.") % {"key": key}}
            )
        if key not in keys:
            keys.append(key)
    if not keys:
        raise ValidationError({"section_keys": _("Choose at least one section to show.")})
    ReportVersion.objects.filter(coalition=version.coalition, is_public=True).exclude(
        pk=version.pk
    ).update(is_public=False)
    version.is_public, version.public_section_keys = True, keys
    version.save(update_fields=["is_public", "public_section_keys"])
    record_audit(
        coalition=version.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=version,
        summary=f"Showed version {version.number} of {version.report.title} on the public page",
        after={"public_section_keys": keys},
        event="reports.made_public",
        params={"title": version.report.title, "number": version.number},
    )
    return version


@transaction.atomic
def unpublish_public_page(*, coalition: Coalition, actor: Any) -> int:
    """Take the public page down at once; return how many versions were shown (0 or 1)."""
    shown = list(ReportVersion.objects.filter(coalition=coalition, is_public=True))
    for version in shown:
        version.is_public = False
        version.save(update_fields=["is_public"])
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.UPDATE,
            obj=version,
            summary="Took the public page down",
            before={"is_public": True},
            after={"is_public": False},
            event="reports.unpublished",
            params={"number": version.number},
        )
    return len(shown)


# ------------------------------------------------------------------ sharing with funders


@transaction.atomic
def save_consent(
    *,
    coalition: Coalition,
    actor: Any,
    intermediary: Intermediary,
    share_profile: bool,
    measure_keys: Sequence[str],
) -> SharingConsent:
    """Share the chosen headline measures (and the profile) with ``intermediary``."""
    keys = []
    for key in measure_keys:
        if registry.get_measure(key) is None:
            raise ValidationError(
                {"measure_keys": _("%(key)s is not a shared measure.") % {"key": key}}
            )
        if key not in keys:
            keys.append(key)
    consent, created = SharingConsent.objects.update_or_create(
        coalition=coalition,
        intermediary=intermediary,
        defaults={
            "share_profile": share_profile,
            "measure_keys": keys,
            "granted_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=consent,
        summary=f"Shared measures with {intermediary.name}",
        after={"share_profile": share_profile, "measure_keys": keys},
        event="reports.consent_saved",
        params={"intermediary": intermediary.name, "measures": keys},
    )
    return consent


@transaction.atomic
def withdraw_consent(*, coalition: Coalition, actor: Any, intermediary: Intermediary) -> bool:
    """Stop sharing anything with ``intermediary``; True when something was shared."""
    consent = SharingConsent.objects.filter(coalition=coalition, intermediary=intermediary).first()
    if consent is None:
        return False
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.DELETE,
        obj=consent,
        summary=f"Stopped sharing with {intermediary.name}",
        before={"share_profile": consent.share_profile, "measure_keys": consent.measure_keys},
        event="reports.consent_withdrawn",
        params={"intermediary": intermediary.name},
    )
    consent.delete()
    return True
