"""Report pages: the live report, its PDFs and exports, published versions, the public
page, consent to share, and the funders' side-by-side view."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope

from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CONTRIBUTORS,
    CoalitionRequest,
    coalition_view,
    public,
    signed_in,
)
from commonground.lib.tabular import download, safe_filename, write_xlsx
from commonground.lib.versioning import StaleEditError, parse_version
from commonground.reports import registry, selectors, services, tasks
from commonground.reports import render as rendering
from commonground.reports.models import Intermediary, PdfJob, Report, ReportVersion

FORMATS = {"svg", "png"}


def _is_admin(request: CoalitionRequest) -> bool:
    return request.membership.role in ADMINS


def _report(report_id: int) -> Report:
    try:
        return selectors.get_report(report_id=report_id)
    except Report.DoesNotExist:
        raise Http404 from None


def _version(version_id: int) -> ReportVersion:
    try:
        return selectors.get_version(version_id=version_id)
    except ReportVersion.DoesNotExist:
        raise Http404 from None


def _job(job_id: int) -> PdfJob:
    try:
        return selectors.get_job(job_id=job_id)
    except PdfJob.DoesNotExist:
        raise Http404 from None


def _enqueue(job: PdfJob) -> None:
    job_id, coalition_id = job.pk, job.coalition_id
    transaction.on_commit(lambda: tasks.make_pdf.enqueue(job_id=job_id, coalition_id=coalition_id))


def _language() -> str:
    return (get_language() or "en")[:2]


def _body(request: HttpRequest, content: dict[str, Any], **context: Any) -> SafeString:
    """The report's rendered sections, kept in the cache with its content (same key).

    The body holds no per-request value (no token, no user), only the content and the
    links of its charts, so it can be shared by every reader of that content.
    """
    key = f"{content['cache_key']}:body:{int(bool(context.get('chart_links')))}"
    body = cache.get(key)
    if body is None:
        body = render_to_string(
            "reports/_report_body.html", {"content": content, **context}, request=request
        )
        cache.set(key, body, selectors.CACHE_SECONDS)
    return mark_safe(body)  # nosec B308 B703


@coalition_view(*ALL_ROLES)
def report_list(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    public_version = selectors.public_version(slug=coalition.slug)
    return render(
        request,
        "reports/report_list.html",
        {
            "reports": selectors.list_reports(coalition=coalition),
            "public": public_version,
            "is_admin": _is_admin(request),
        },
    )


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _chosen_sections(post: Any) -> list[str]:
    """Section keys in the order of the positions typed (empty = left out)."""
    chosen = []
    for section in registry.sections():
        raw = post.get(f"position:{section.key}", "").strip()
        if raw.isdigit():
            chosen.append((int(raw), section.order, section.key))
    return [key for _position, _order, key in sorted(chosen)]


def _form_context(report: Report | None, values: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    rows = []
    for section in registry.sections():
        rows.append(
            {
                "key": section.key,
                "title": str(section.title),
                "public": section.public,
                "position": keys.index(section.key) + 1 if section.key in keys else None,
            }
        )
    return {"report": report, "values": values, "section_rows": rows}


def _save_report(request: CoalitionRequest, report: Report | None) -> HttpResponse:
    if report is None:
        today = datetime.date.today()
        values: dict[str, Any] = {
            "title": _("Impact report %(year)s") % {"year": today.year},
            "period_start": datetime.date(today.year, 1, 1).isoformat(),
            "period_end": datetime.date(today.year, 12, 31).isoformat(),
            "introduction": "",
        }
        keys = [s.key for s in registry.sections()]
    else:
        values = {
            "title": report.title,
            "period_start": report.period_start.isoformat(),
            "period_end": report.period_end.isoformat(),
            "introduction": report.introduction,
        }
        keys = list(report.section_keys)
    status, errors = 200, {}
    if request.method == "POST":
        post = request.POST
        values = {name: post.get(name, "") for name in values}
        keys = _chosen_sections(post)
        fields = {
            "title": values["title"],
            "period_start": _date(values["period_start"]),
            "period_end": _date(values["period_end"]),
            "introduction": values["introduction"],
            "section_keys": keys,
        }
        try:
            if report is None:
                report = services.create_report(
                    coalition=request.coalition, actor=request.user, **fields
                )
            else:
                report = services.update_report(
                    report=report,
                    actor=request.user,
                    expected_version=parse_version(post.get("version")),
                    **fields,
                )
            return redirect("reports:detail", request.coalition.slug, report.pk)
        except ValidationError as error:
            errors, status = error.message_dict, 400
        except StaleEditError:
            errors = {"version": [_("Someone else changed this report; reload and try again.")]}
            status = 409
    context = _form_context(report, values, keys)
    context["errors"] = errors
    return render(request, "reports/report_form.html", context, status=status)


@coalition_view(*ADMINS)
def report_new(request: CoalitionRequest) -> HttpResponse:
    return _save_report(request, None)


@coalition_view(*ADMINS)
def report_edit(request: CoalitionRequest, report_id: int) -> HttpResponse:
    return _save_report(request, _report(report_id))


@coalition_view(*ALL_ROLES)
def report_detail(request: CoalitionRequest, report_id: int) -> HttpResponse:
    report = _report(report_id)
    content = selectors.live_content(report=report)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "content": content,
            "body": _body(
                request,
                content,
                chart_links=True,
                coalition_slug=request.coalition.slug,
                report_id=report.pk,
            ),
            "jobs": selectors.latest_jobs(report=report),
            "versions": list(selectors.list_versions(report=report)),
            "is_admin": _is_admin(request),
            "can_build": request.membership.role in CONTRIBUTORS,
        },
    )


@coalition_view(*CONTRIBUTORS)
@require_POST
def pdf_start(request: CoalitionRequest, report_id: int) -> HttpResponse:
    report = _report(report_id)
    version = None
    if request.POST.get("version", "").isdigit():
        version = _version(int(request.POST["version"]))
    try:
        job = services.request_pdf(
            report=report,
            actor=request.user,
            language=request.POST.get("language", _language()),
            paper=request.POST.get("paper", "letter"),
            version=version,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:detail", request.coalition.slug, report.pk)
    _enqueue(job)
    return redirect("reports:pdf_job", request.coalition.slug, job.pk)


@coalition_view(*CONTRIBUTORS)
def pdf_job(request: CoalitionRequest, pdf_job_id: int) -> HttpResponse:
    """The PDF's progress; HTMX polls the ``progress`` partial until it is done."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    services.fail_stale_pdf_jobs(coalition=request.coalition)  # a job whose worker died says so
    job = _job(pdf_job_id)
    template = "reports/pdfjob_detail.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, {"job": job, "stale_error": services.STALE_PDF_ERROR})


@coalition_view(*ALL_ROLES)
def pdf_download(request: CoalitionRequest, pdf_job_id: int) -> HttpResponse:
    try:
        job = PdfJob.objects.select_related("report").get(
            pk=pdf_job_id, status=PdfJob.Status.SUCCEEDED
        )
    except PdfJob.DoesNotExist:
        raise Http404 from None
    name = safe_filename(f"{job.report.title}-{job.language}-{job.paper}", "pdf")
    return download(bytes(job.pdf), name)


@coalition_view(*ALL_ROLES)
def report_xlsx(request: CoalitionRequest, report_id: int) -> HttpResponse:
    report = _report(report_id)
    content = selectors.live_content(report=report)
    return download(_workbook(content), safe_filename(report.title, "xlsx"))


def _workbook(content: dict[str, Any]) -> bytes:
    """One sheet a section: its tables one under the other, each with its title."""
    sheets = []
    for section in content["sections"]:
        rows: list[list[Any]] = []
        for table in section["data"].get("tables", []) or []:
            if rows:
                rows.append([])
            rows.append([table.get("title", "")])
            rows.append(list(table.get("columns", [])))
            rows.extend(list(row) for row in table.get("rows", []))
        if not rows:
            rows = [[_("This section has no table.")]]
        header, *body = rows
        sheets.append((section["title"][:31], header, body))
    return write_xlsx(sheets)


@coalition_view(*ALL_ROLES)
def chart(request: CoalitionRequest, report_id: int, chart_id: str, fmt: str) -> HttpResponse:
    report = _report(report_id)
    if fmt not in FORMATS:
        raise Http404
    found = selectors.find_chart(selectors.live_content(report=report), chart_id)
    if found is None:
        raise Http404
    name = chart_id.replace(":", "-").replace(".", "-")
    if fmt == "svg":
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + found["svg"]).encode()
        return download(body, safe_filename(name, "svg"))
    return download(rendering.chart_png(found["svg"]), safe_filename(name, "png"))


@coalition_view(*ADMINS)
@require_POST
def publish(request: CoalitionRequest, report_id: int) -> HttpResponse:
    report = _report(report_id)
    version = services.publish_report(report=report, actor=request.user)
    job = services.request_pdf(
        report=report,
        actor=request.user,
        language=_language(),
        paper="letter",
        version=version,
    )
    _enqueue(job)
    messages.success(request, _("Published. Its numbers are now frozen; its PDF is being made."))
    return redirect("reports:version", request.coalition.slug, version.pk)


@coalition_view(*ALL_ROLES)
def version_detail(request: CoalitionRequest, report_version_id: int) -> HttpResponse:
    version = _version(report_version_id)
    content = selectors.frozen_content(version=version)
    choices = [
        {"key": s["key"], "title": s["title"], "chosen": s["key"] in version.public_section_keys}
        for s in content["sections"]
        if s.get("public")
    ]
    return render(
        request,
        "reports/version_detail.html",
        {
            "version": version,
            "content": content,
            "body": _body(request, content),
            "pdfs": selectors.version_pdfs(version=version),
            "public_choices": choices,
            "is_admin": _is_admin(request),
            "can_build": request.membership.role in CONTRIBUTORS,
        },
    )


@coalition_view(*ADMINS)
@require_POST
def make_public(request: CoalitionRequest, report_version_id: int) -> HttpResponse:
    version = _version(report_version_id)
    try:
        services.show_on_public_page(
            version=version,
            actor=request.user,
            section_keys=request.POST.getlist("section_keys"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:version", request.coalition.slug, version.pk)
    for language in selectors.LANGUAGES:
        _enqueue(
            services.request_pdf(
                report=version.report,
                actor=request.user,
                language=language,
                paper="letter",
                version=version,
                public_only=True,
            )
        )
    messages.success(request, _("The public page now shows this version."))
    return redirect("reports:version", request.coalition.slug, version.pk)


@coalition_view(*ADMINS)
@require_POST
def unpublish(request: CoalitionRequest) -> HttpResponse:
    services.unpublish_public_page(coalition=request.coalition, actor=request.user)
    messages.success(request, _("The public page is down."))
    return redirect("reports:list", request.coalition.slug)


@coalition_view(*ADMINS)
def sharing(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    status = 200
    if request.method == "POST":
        intermediary = Intermediary.objects.filter(
            slug=request.POST.get("intermediary", "")
        ).first()
        if intermediary is None:
            raise Http404
        try:
            if request.POST.get("action") == "withdraw":
                services.withdraw_consent(
                    coalition=coalition, actor=request.user, intermediary=intermediary
                )
                messages.success(
                    request,
                    _("You no longer share anything with %(name)s.") % {"name": intermediary.name},
                )
            else:
                services.save_consent(
                    coalition=coalition,
                    actor=request.user,
                    intermediary=intermediary,
                    share_profile=bool(request.POST.get("share_profile")),
                    measure_keys=request.POST.getlist("measure_keys"),
                )
                messages.success(
                    request, _("Saved what you share with %(name)s.") % {"name": intermediary.name}
                )
            return redirect("reports:sharing", coalition.slug)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
    consents = selectors.list_consents(coalition=coalition)
    rows = [
        {
            "intermediary": item,
            "consent": consents.get(item.pk),
            "shared": set(consents[item.pk].measure_keys) if item.pk in consents else set(),
        }
        for item in Intermediary.objects.all()
    ]
    return render(
        request,
        "reports/sharing.html",
        {"rows": rows, "measures": registry.measures()},
        status=status,
    )


# ------------------------------------------------------------------ public page


def _public(public_slug: str) -> ReportVersion:
    version = selectors.public_version(slug=public_slug)
    if version is None:
        raise Http404
    return version


@public
def public_page(request: HttpRequest, public_slug: str) -> HttpResponse:
    """The coalition's published page: the chosen sections of one frozen version, nothing else."""
    version = _public(public_slug)
    language = _language()
    content = selectors.frozen_content(version=version, language=language, public_only=True)
    with scope(coalition=version.coalition):
        response = render(
            request,
            "reports/public_report.html",
            {
                "content": content,
                "body": _body(request, content, public=True),
                "public_slug": public_slug,
                "pdf": selectors.public_pdf(version=version, language=language) is not None,
            },
        )
    response["Cache-Control"] = "no-store"
    return response


@public
def public_pdf(request: HttpRequest, public_slug: str) -> HttpResponse:
    version = _public(public_slug)
    job = selectors.public_pdf(version=version, language=_language())
    if job is None:
        raise Http404
    response = download(bytes(job.pdf), safe_filename(f"{public_slug}-report", "pdf"))
    response["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------ funders


@signed_in
def funder_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/funder_list.html",
        {"intermediaries": selectors.intermediaries_of(user=request.user)},
    )


@signed_in
def funder_view(request: HttpRequest, intermediary_slug: str) -> HttpResponse:
    intermediary = selectors.access_intermediary(user=request.user, slug=intermediary_slug)
    if intermediary is None:
        raise Http404
    measures, columns = selectors.side_by_side(intermediary=intermediary)
    rows = [{"label": m.label, "cells": [c.values.get(m.key) for c in columns]} for m in measures]
    response = render(
        request,
        "reports/funder_view.html",
        {
            "intermediary": intermediary,
            "columns": columns,
            "rows": rows,
            "any_profile": any(c.profile for c in columns),
        },
    )
    response["Cache-Control"] = "no-store"
    return response
