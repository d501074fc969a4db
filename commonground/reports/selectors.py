"""Reads: reports, their live and frozen content, the public page and funders' views.

A report's *content* is plain JSON, the same shape live and frozen::

    {"title", "introduction", "coalition", "period": [start, end], "language",
     "sections": [{"key", "title", "public", "template", "data"}]}

Live content is cached per report, language and the coalition's latest audit row: every
change in the coalition writes one, so a cached report is never older than the data.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import get_language, override
from django_scopes import scope, scopes_disabled

from commonground.coalitions import selectors as coalitions
from commonground.coalitions.freshness import current_version, once_per_request
from commonground.coalitions.models import Coalition
from commonground.reports import registry
from commonground.reports.models import (
    Intermediary,
    PdfJob,
    Report,
    ReportVersion,
    SharingConsent,
)
from commonground.reports.registry import Period

logger = logging.getLogger(__name__)
LANGUAGES = ("en", "es")
CACHE_SECONDS = 600


def list_reports(*, coalition: Coalition) -> QuerySet[Report]:
    return Report.objects.filter(coalition=coalition)


def get_report(*, report_id: int) -> Report:
    return Report.objects.get(pk=report_id)


def list_versions(*, report: Report) -> QuerySet[ReportVersion]:
    return ReportVersion.objects.filter(report=report).only(
        "id", "number", "published_at", "is_public", "public_section_keys", "report_id"
    )


def get_version(*, version_id: int) -> ReportVersion:
    return ReportVersion.objects.select_related("report").get(pk=version_id)


def get_job(*, job_id: int) -> PdfJob:
    return PdfJob.objects.defer("pdf").get(pk=job_id)


def latest_jobs(*, report: Report) -> list[PdfJob]:
    return list(PdfJob.objects.filter(report=report, version=None).defer("pdf")[:6])


def version_pdfs(*, version: ReportVersion) -> list[PdfJob]:
    return list(PdfJob.objects.filter(version=version).defer("pdf"))


def _language() -> str:
    return (get_language() or "en")[:2]


def _data_stamp(coalition: Coalition) -> int:
    latest = coalitions.list_audit_events(coalition=coalition).order_by("-id").first()
    return latest.pk if latest else 0


def build_section(
    section: registry.Section, coalition: Coalition, period: Period
) -> dict[str, Any]:
    """One section's data; a section that fails says so instead of breaking the report."""
    try:
        return section.build(coalition, period)
    except Exception:  # a broken section of one app must not take the report down
        logger.exception("report section %s failed", section.key)
        return {"error": True}


def live_content(*, report: Report, language: str | None = None) -> dict[str, Any]:
    """The report built from today's data in ``language`` (default: the active one).

    In a read-only request each section is kept per version of the apps it reads
    (``Section.reads``, ``coalitions.freshness``): after a resident's survey answer only
    the sections that read the voice app are built again. Elsewhere (a PDF, a
    publication) every section is built afresh. ``cache_key`` names this content: the
    report as saved and each section's data version."""
    language = language or _language()
    with override(language):
        content = _build(report, language)
    versions = "|".join(
        str(current_version(report.coalition, section.reads))
        for section in map(registry.get_section, report.section_keys)
        if section is not None
    )
    stamp = f"{report.pk}:{report.version}:{report.updated_at.isoformat()}:{language}:{versions}"
    content["cache_key"] = "reports:live:" + hashlib.sha256(stamp.encode()).hexdigest()
    return content


def _build(report: Report, language: str) -> dict[str, Any]:
    period = Period(report.period_start, report.period_end)
    sections = []
    for key in report.section_keys:
        section = registry.get_section(key)
        if section is None:
            continue
        sections.append(
            {
                "key": key,
                "title": str(section.title),
                "public": section.public,
                "template": section.template,
                "data": once_per_request(
                    report.coalition,
                    f"report_section:{key}:{period.start}:{period.end}",
                    partial(build_section, section, report.coalition, period),
                    apps=section.reads,
                ),
            }
        )
    return {
        "title": report.title,
        "introduction": report.introduction,
        "coalition": report.coalition.name,
        "period": [report.period_start.isoformat(), report.period_end.isoformat()],
        "language": language,
        "sections": sections,
    }


def frozen_content(
    *, version: ReportVersion, language: str | None = None, public_only: bool = False
) -> dict[str, Any]:
    """A published version's content in ``language`` (its numbers as published)."""
    language = language or _language()
    stored = version.content
    if language not in stored.get("languages", {}):
        language = "en"
    content = dict(stored["languages"][language])
    if public_only:
        keep = set(version.public_section_keys)
        content["sections"] = [
            s for s in content["sections"] if s["key"] in keep and s.get("public")
        ]
    content["published_at"] = version.published_at.isoformat()
    content["version"] = version.number
    keys = ",".join(version.public_section_keys) if public_only else "all"
    content["cache_key"] = f"reports:version:{version.pk}:{language}:{keys}"
    return content


def find_chart(content: dict[str, Any], chart_id: str) -> dict[str, Any] | None:
    """The chart ``<section key>:<chart id>`` of ``content``."""
    section_key, _, local = chart_id.rpartition(":")
    for section in content["sections"]:
        if section["key"] != section_key:
            continue
        for chart in section["data"].get("charts", []) or []:
            if chart.get("id") == local:
                return dict(chart)
    return None


# ------------------------------------------------------------------ public page


def public_version(*, slug: str) -> ReportVersion | None:
    """The version a coalition shows at ``/p/<slug>/``, or None (nothing published)."""
    coalition = Coalition.objects.filter(slug=slug).first()
    if coalition is None:
        return None
    with scope(coalition=coalition):
        return (
            ReportVersion.objects.filter(coalition=coalition, is_public=True)
            .select_related("report", "coalition")
            .order_by("-published_at", "-id")
            .first()
        )


def public_pdf(*, version: ReportVersion, language: str) -> PdfJob | None:
    with scope(coalition=version.coalition):
        return (
            PdfJob.objects.filter(
                version=version,
                public_only=True,
                language=language,
                status=PdfJob.Status.SUCCEEDED,
            )
            .order_by("-id")
            .first()
        )


# ------------------------------------------------------------------ funders


def intermediaries_of(*, user: Any) -> list[Intermediary]:
    if not user.is_authenticated:
        return []
    return list(Intermediary.objects.filter(users=user))


def access_intermediary(*, user: Any, slug: str) -> Intermediary | None:
    """The intermediary ``slug`` if ``user`` works for it, else None (the view answers 404)."""
    if not user.is_authenticated:
        return None
    return Intermediary.objects.filter(slug=slug, users=user).first()


def list_consents(*, coalition: Coalition) -> dict[int, SharingConsent]:
    return {c.intermediary_id: c for c in SharingConsent.objects.filter(coalition=coalition)}


@dataclass(frozen=True)
class Column:
    coalition: str
    slug: str
    profile: dict[str, str] | None
    values: dict[str, Any]  # measure key -> display text; absent = not shared


def _shown(measure: registry.Measure, value: float | int | str | None) -> str:
    if value is None:
        return "—"
    if measure.kind == "share" and isinstance(value, (int, float)):
        return f"{value * 100:.0f}%"
    if measure.kind == "months" and isinstance(value, (int, float)):
        return f"{value:.1f}"
    if measure.kind == "money" and isinstance(value, (int, float)):
        return f"${value:,.0f}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def side_by_side(*, intermediary: Intermediary) -> tuple[list[registry.Measure], list[Column]]:
    """The consenting coalitions (one column each) and the measures any of them shares.

    The consents are read at every call, so a withdrawn consent is gone at the next
    request; a measure a coalition did not share is absent from its column.
    """
    with scopes_disabled():
        consents = list(
            SharingConsent.objects.filter(intermediary=intermediary)
            .select_related("coalition")
            .order_by("coalition__name", "coalition_id")
        )
    columns = []
    shared: set[str] = set()
    language = _language()
    for consent in consents:
        coalition = consent.coalition
        values: dict[str, Any] = {}
        with scope(coalition=coalition):
            stamp = _data_stamp(coalition)
            for key in consent.measure_keys:
                measure = registry.get_measure(key)
                if measure is None:
                    continue
                cache_key = f"reports:measure:{coalition.pk}:{key}:{language}:{stamp}"
                text = cache.get(cache_key)
                if text is None:
                    try:
                        text = _shown(measure, measure.compute(coalition))
                    except Exception:  # one app's broken measure must not hide the others
                        logger.exception("measure %s failed", key)
                        text = "—"
                    cache.set(cache_key, text, CACHE_SECONDS)
                values[key] = text
                shared.add(key)
            profile = None
            if consent.share_profile:
                places = [p.name for p in coalitions.list_places(coalition=coalition)]
                profile = {
                    "population_type": str(coalition.get_population_type_display()),
                    "scale": str(coalition.get_geographic_scale_display()),
                    "region": "; ".join(places),
                    "policy_context": coalition.policy_context,
                }
        columns.append(Column(coalition.name, coalition.slug, profile, values))
    measures = [m for m in registry.measures() if m.key in shared]
    return measures, columns
