"""Measurement pages. Each view declares its access policy and reads within the coalition."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.contrib import messages as messages_framework
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CONTRIBUTORS,
    CoalitionRequest,
    coalition_view,
)
from commonground.coalitions.page_cache import kept_per_version
from commonground.lib import tabular
from commonground.lib.versioning import StaleEditError
from commonground.measurement import messages, selectors, services, tasks, wizard
from commonground.measurement.forms import (
    ImportOptionsForm,
    MeasureValueForm,
    ReleaseForm,
    ReopenReleaseForm,
    TargetForm,
    TurnTheCurveForm,
    UploadForm,
)
from commonground.measurement.models import (
    ImportJob,
    Indicator,
    IndicatorRelease,
    PerformanceMeasure,
    Result,
    StagedUpload,
)

# --- exports --------------------------------------------------------------------------------


def _export(
    request: CoalitionRequest, name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]
) -> HttpResponse | None:
    """Answer ``?format=csv|xlsx`` with the table as a download; ``None`` otherwise.

    Written by ``commonground.lib.tabular``: formula-like text is made inert, the sheet
    title and the file name are made safe whatever the indicator's code holds.
    """
    fmt = request.GET.get("format", "")
    if fmt not in {"csv", "xlsx"}:
        return None
    if fmt == "csv":
        content = tabular.write_csv(headers, rows)
    else:
        content = tabular.write_xlsx([(name, headers, rows)])
    return tabular.download(content, tabular.safe_filename(f"{request.coalition.slug}-{name}", fmt))


def _cell(value: float | None, suppressed: bool) -> Any:
    if suppressed:
        return _("suppressed")
    return "" if value is None else value


def _equity_rows(items: Sequence[selectors.PlaceEquity]) -> list[list[Any]]:
    rows = []
    for item in items:
        for row in ([item.total] if item.total else []) + item.rows:
            rows.append(
                [
                    item.indicator.code,
                    item.place,
                    item.place_name,
                    item.period,
                    row.label,
                    _cell(row.value, row.suppressed),
                    _cell(row.ci_low, row.suppressed),
                    _cell(row.ci_high, row.suppressed),
                    _cell(row.numerator, row.suppressed),
                    _cell(row.denominator, row.suppressed),
                    "yes" if row.reliable else "; ".join(row.reasons),
                    "yes" if row.is_reference else "",
                    _cell(row.difference, row.suppressed),
                    _cell(row.ratio, row.suppressed),
                ]
            )
    return rows


EQUITY_HEADERS = [
    "indicator",
    "place",
    "place_name",
    "period",
    "group",
    "value",
    "ci_low",
    "ci_high",
    "numerator",
    "denominator",
    "reliable",
    "reference",
    "difference",
    "ratio",
]


# --- pages ----------------------------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
@kept_per_version("measurement")
def dashboard(request: CoalitionRequest) -> HttpResponse:
    """The gaps between groups in the coalition's counties, and its targets."""
    coalition = request.coalition
    counties = selectors.served_counties(coalition=coalition)
    gaps = selectors.key_gaps(coalition=coalition, counties=counties)
    export = _export(
        request, "gaps", EQUITY_HEADERS, _equity_rows([p for g in gaps for p in g.places])
    )
    if export:
        return export
    context = {
        "gaps": gaps,
        "targets": selectors.list_targets(coalition=coalition),
        "counties": [selectors.place_name(c) for c in counties],
        "indicator_count": selectors.count_indicators(coalition=coalition),
    }
    return render(request, "measurement/observation_dashboard.html", context)


@coalition_view(*ALL_ROLES)
@require_GET
def indicator_list(request: CoalitionRequest) -> HttpResponse:
    indicators = selectors.list_indicators(coalition=request.coalition).order_by("domain", "name")
    domain = request.GET.get("domain", "")
    if domain:
        indicators = indicators.filter(domain=domain)
    export = _export(
        request,
        "indicators",
        ["code", "name", "domain", "unit", "direction", "source", "vintage", "observations"],
        [
            [
                i.code,
                i.name,
                i.domain,
                i.unit,
                i.direction,
                i.source,
                i.vintage,
                getattr(i, "observation_count", 0),
            ]
            for i in indicators
        ],
    )
    if export:
        return export
    page = Paginator(indicators, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "measurement/indicator_list.html",
        {"page": page, "domains": Indicator.Domain.choices, "domain": domain},
    )


def _indicator(indicator_id: int) -> Indicator:
    try:
        return selectors.get_indicator(indicator_id=indicator_id)
    except Indicator.DoesNotExist:
        raise Http404 from None


@coalition_view(*ALL_ROLES)
@kept_per_version("measurement")
def explorer(request: CoalitionRequest, indicator_id: int) -> HttpResponse:
    """One indicator: pick places, groups and period; values, intervals, gaps, goal."""
    coalition = request.coalition
    indicator = _indicator(indicator_id)  # another coalition's id is 404 whatever the method
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    served = selectors.served_counties(coalition=coalition)
    all_periods = selectors.periods(indicator=indicator)
    period = request.GET.get("period", "")
    if period not in all_periods:
        period = selectors.best_period(indicator=indicator, counties=served)
    available = selectors.peer_counties(indicator=indicator, counties=served, period=period)
    choices = [(c, selectors.place_name(c)) for c in sorted(set(served) | set(available))]
    places = [p for p in request.GET.getlist("places") if p in dict(choices)] or served
    all_groups = selectors.groups(indicator=indicator)
    chosen_groups = [g for g in request.GET.getlist("groups") if g in all_groups]
    reference = request.GET.get("reference", "best")
    if reference != "best" and reference not in all_groups:
        reference = "best"
    items = selectors.equity_for(
        indicator=indicator,
        places=places,
        period=period,
        group_filter=chosen_groups or None,
        reference=reference,
    )
    goal = (
        selectors.goal_for(indicator=indicator, counties=served, period=period) if period else None
    )
    if request.GET.get("table") == "goal" and goal is not None:
        export = _export(
            request,
            f"{indicator.code}-goal",
            ["place", "place_name", "value", "goal", "short_of_goal_by", "percentile_rank"],
            [
                [r.place, r.place_name, r.value_text, goal.goal_text, r.distance_text, r.percentile]
                for r in goal.rows
            ],
        )
    else:
        export = _export(request, indicator.code, EQUITY_HEADERS, _equity_rows(items))
    if export:
        return export
    context = {
        "indicator": indicator,
        "items": items,
        "periods": all_periods,
        "period": period,
        "place_choices": choices,
        "places": places,
        "group_choices": [(g, selectors.group_label(g)) for g in all_groups],
        "groups": chosen_groups,
        "reference": reference,
        "goal": goal,
        "query": request.GET.urlencode(),
        "releases": selectors.period_releases(indicator=indicator),
        "can_release": request.membership.role in ADMINS,
    }
    return render(request, "measurement/indicator_detail.html", context)


def _releases_url(request: CoalitionRequest, indicator: Indicator) -> str:
    return (
        reverse("measurement:explorer", args=[request.coalition.slug, indicator.pk]) + "#releases"
    )


@coalition_view(*ADMINS)
@require_POST
def release_period(request: CoalitionRequest, indicator_id: int) -> HttpResponse:
    """Release an indicator's values for a period: they are locked until reopened."""
    indicator = _indicator(indicator_id)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages_framework.error(
            request, _("Choose a period to release; a note is at most 300 characters.")
        )
        return redirect(_releases_url(request, indicator))
    try:
        release = services.release_period(
            coalition=request.coalition,
            actor=request.user,
            indicator=indicator,
            period=form.cleaned_data["period"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages_framework.error(request, " ".join(error.messages))
    else:
        messages_framework.success(
            request,
            _(
                "The %(period)s values of %(name)s are released: they are locked until a "
                "backbone admin reopens the release."
            )
            % {"period": release.period, "name": indicator.label},
        )
    return redirect(_releases_url(request, indicator))


@coalition_view(*ADMINS)
@require_POST
def release_reopen(
    request: CoalitionRequest, indicator_id: int, indicator_release_id: int
) -> HttpResponse:
    """Reopen a release, with a reason (recorded), so its values can change again."""
    indicator = _indicator(indicator_id)
    try:
        release = selectors.get_release(indicator=indicator, release_id=indicator_release_id)
    except IndicatorRelease.DoesNotExist:
        raise Http404 from None
    form = ReopenReleaseForm(request.POST)
    if not form.is_valid():
        messages_framework.error(
            request, _("Say why the release is reopened: a reason is required.")
        )
        return redirect(_releases_url(request, indicator))
    try:
        services.reopen_release(
            coalition=request.coalition,
            actor=request.user,
            release=release,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages_framework.error(request, " ".join(error.messages))
    else:
        messages_framework.success(
            request,
            _(
                "The release of the %(period)s values of %(name)s is reopened; the reason "
                "is recorded. Release them again once they are corrected."
            )
            % {"period": release.period, "name": indicator.label},
        )
    return redirect(_releases_url(request, indicator))


@coalition_view(*ALL_ROLES)
@require_GET
@kept_per_version("measurement")
def county_map(request: CoalitionRequest) -> HttpResponse:
    """A map of the counties in the coalition's states, colored by value or by gap."""
    coalition = request.coalition
    served = selectors.served_counties(coalition=coalition)
    indicators = selectors.indicators_with_county_data(coalition=coalition)
    if not indicators:
        return render(request, "measurement/observation_map.html", {"indicators": []})
    by_id = {str(i.pk): i for i in indicators}
    default = next((i for i in indicators if i.code == "v147"), indicators[0])
    indicator = by_id.get(request.GET.get("indicator", ""), default)
    all_groups = selectors.groups(indicator=indicator)
    group = request.GET.get("group", "")
    if group not in all_groups:
        group = "black" if "black" in all_groups else all_groups[0]
    mode = "gap" if request.GET.get("mode") == "gap" and group != "total" else "value"
    reference = request.GET.get("reference", "best")
    if reference != "best" and (reference not in all_groups or reference == "total"):
        reference = "best"
    all_periods = selectors.periods(indicator=indicator)
    period = request.GET.get("period", "")
    if period not in all_periods:
        period = selectors.best_period(indicator=indicator, counties=served)
    cells = selectors.county_map_cells(
        coalition=coalition,
        indicator=indicator,
        counties=served,
        period=period,
        group=group,
        mode=mode,
        reference=reference,
    )
    export = _export(
        request,
        f"map-{indicator.code}-{group}-{mode}",
        ["place", "place_name", "value", "note"],
        [[c.place, c.name, "" if c.value is None else c.value, c.note] for c in cells],
    )
    if export:
        return export
    scale, suffix, digits = selectors.value_scale(indicator)
    data = {
        "topology": static("measurement/counties-10m.json"),
        "states": sorted({c[:2] for c in served}),
        "mode": mode,
        "higher_is_better": not indicator.lower_is_better,
        "scale": scale,
        "suffix": suffix,
        "digits": digits,
        "cells": [
            {"id": c.place, "name": c.name, "value": c.value, "text": c.text, "served": c.is_served}
            for c in cells
        ],
        "labels": {
            "no_data": _("no data or suppressed"),
            "yours": _("your counties"),
            "lower": pgettext("a gap, in the map's legend", "lower"),
            "higher": pgettext("a gap, in the map's legend", "higher"),
            "same": _("no gap"),
            "points": _("points"),
        },
    }
    context = {
        "indicators": indicators,
        "indicator": indicator,
        "group_choices": [(g, selectors.group_label(g)) for g in all_groups],
        "group": group,
        "group_label": selectors.group_label(group),
        "reference": reference,
        "reference_label": _("the best-off reliable group")
        if reference == "best"
        else _("%(group)s residents") % {"group": selectors.group_label(reference)},
        "mode": mode,
        "period": period,
        "periods": all_periods,
        "cells": cells,
        "map_data": data,
        "query": request.GET.urlencode(),
    }
    return render(request, "measurement/observation_map.html", context)


@coalition_view(*ALL_ROLES)
@require_GET
def framework(request: CoalitionRequest) -> HttpResponse:
    """The metrics framework: priority areas, results, indicators and performance measures."""
    coalition = request.coalition
    areas = list(selectors.list_priority_areas(coalition=coalition))
    rows = [
        [
            area.name,
            result.statement,
            measure.name,
            measure.get_kind_display(),
            value.period,
            value.value,
        ]
        for area in areas
        for result in area.results.all()
        for measure in result.measures.all()
        for value in measure.values.all()
    ]
    export = _export(
        request,
        "metrics-framework",
        ["priority_area", "result", "measure", "kind", "period", "value"],
        rows,
    )
    if export:
        return export
    context = {
        "areas": [
            (
                area,
                [
                    (result, [selectors.measure_view(m) for m in result.measures.all()])
                    for result in area.results.all()
                ],
            )
            for area in areas
        ],
    }
    return render(request, "measurement/result_list.html", context)


@coalition_view(*ALL_ROLES)
def result_detail(request: CoalitionRequest, result_id: int) -> HttpResponse:
    """Turn the curve: baseline and trend, the story behind it, partners, what works, actions."""
    try:
        result = selectors.get_result(result_id=result_id)
    except Result.DoesNotExist:
        raise Http404 from None
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    counties = selectors.served_counties(coalition=request.coalition)
    lines = selectors.population_indicator_lines(
        indicators=result.indicators.all(), counties=counties
    )
    export = _export(
        request,
        f"turn-the-curve-{result.pk}-{result.statement}",
        EQUITY_HEADERS,
        _equity_rows([p for g in lines for p in g.places]),
    )
    if export:
        return export
    context = {
        "result": result,
        "lines": lines,
        "targets": [selectors.assess(t) for t in result.targets.all()],
        "measures": [selectors.measure_view(m) for m in result.measures.all()],
        "value_form": MeasureValueForm(),
        "can_record": request.membership.role in CONTRIBUTORS,
    }
    return render(request, "measurement/result_detail.html", context)


@coalition_view(*CONTRIBUTORS)
@require_POST
def measure_value(request: CoalitionRequest, measure_id: int) -> HttpResponse:
    try:
        measure = selectors.get_measure(measure_id=measure_id)
    except PerformanceMeasure.DoesNotExist:
        raise Http404 from None
    form = MeasureValueForm(request.POST)
    if form.is_valid():
        try:
            services.record_measure_value(
                coalition=request.coalition,
                actor=request.user,
                measure=measure,
                period=form.cleaned_data["period"],
                value=form.cleaned_data["value"],
            )
        except ValidationError as error:
            messages_framework.error(request, " ".join(error.messages))
        else:
            messages_framework.success(
                request, _("Value recorded for %(name)s.") % {"name": measure.name}
            )
    else:
        messages_framework.error(request, _("Enter a period and a number."))
    return redirect("measurement:result_detail", request.coalition.slug, measure.result_id)


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def imports(request: CoalitionRequest) -> HttpResponse:
    """The import wizard's first step (choose a file) and the list of imports.

    The file is kept on the server (``services.stage_upload``) and the next step checks
    it; nothing is imported until the person confirms what the check shows.
    """
    coalition = request.coalition
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > services.MAX_UPLOAD_BYTES:
                form.add_error("file", _("The file is larger than 10 MB."))
            else:
                try:
                    staged = services.stage_upload(
                        coalition=coalition,
                        actor=request.user,
                        file_name=upload.name,
                        content=upload.read(),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return redirect("measurement:import_check", coalition.slug, staged.key)
        status = 400
    services.fail_stale_jobs(coalition=coalition)  # a job whose worker died says so
    services.purge_expired_uploads(coalition=coalition)
    page = Paginator(selectors.list_jobs(coalition=coalition), 20).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "waiting": selectors.list_staged(coalition=coalition, user=request.user),
    }
    return render(request, "measurement/importjob_list.html", context, status=status)


def _staged(request: CoalitionRequest, upload_id: UUID) -> StagedUpload:
    try:
        return selectors.get_staged(key=upload_id, user=request.user)
    except StagedUpload.DoesNotExist:
        raise Http404 from None


@coalition_view(*ADMINS)
def import_check(request: CoalitionRequest, upload_id: UUID) -> HttpResponse:
    """The wizard's second step: what the file looks like, what will be stored, confirm.

    GET shows the preview for the options in the query string (the detected ones at
    first); POST confirms them and queues the import, or, when something stands in the
    way, shows the preview again with the problem (the file stays on the server).
    """
    coalition = request.coalition
    staged = _staged(request, upload_id)  # another person's or coalition's file is 404
    if request.method not in {"GET", "POST"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    states = services.coalition_states(coalition)
    defaults = services.default_options(coalition=coalition, staged=staged)
    data = request.POST if request.method == "POST" else request.GET
    options = wizard.options_from(data, defaults, states=states)
    preview = services.preview_import(coalition=coalition, staged=staged, options=options)
    status = 200
    if request.method == "POST":
        if preview.ready:
            try:
                job = services.confirm_import(
                    coalition=coalition, actor=request.user, staged=staged, options=preview.options
                )
            except ValidationError as error:
                for message in error.messages:
                    preview.error("", message)
            else:
                transaction.on_commit(lambda: tasks.run_import.enqueue(job_id=job.pk))
                return redirect("measurement:import_detail", coalition.slug, job.pk)
        status = 400
    chosen = preview.options
    form = ImportOptionsForm(
        initial={
            "layout": chosen.layout,
            "period": chosen.period,
            "indicator_code": chosen.indicator_code,
            "place_type": chosen.place_type or "county",
        }
    )
    for field in preview.errors:
        if field in form.fields:
            form.fields[field].widget.attrs["aria-invalid"] = "true"
    context = {
        "staged": staged,
        "view": wizard.build(preview, served=selectors.served_places(coalition=coalition)),
        "form": form,
        "options": chosen,
        "keep": "mine" if chosen.only_states else "all",
        "state_names": [selectors.place_name(s) for s in states],
        "needs_period": chosen.layout in services.NEEDS_PERIOD,
        "needs_indicator": chosen.layout in {*services.NEEDS_INDICATOR, ImportJob.Layout.TIDY},
        "is_tidy": chosen.layout == ImportJob.Layout.TIDY,
        "general_errors": preview.errors.get("", []) + preview.errors.get("only_states", []),
    }
    return render(request, "measurement/import_check.html", context, status=status)


@coalition_view(*ADMINS)
@require_POST
def import_discard(request: CoalitionRequest, upload_id: UUID) -> HttpResponse:
    """Forget a file waiting in the wizard."""
    staged = _staged(request, upload_id)
    services.discard_upload(coalition=request.coalition, actor=request.user, staged=staged)
    messages_framework.success(request, _("The file was discarded; nothing was imported."))
    return redirect("measurement:imports", request.coalition.slug)


@coalition_view(*ADMINS)
def import_detail(request: CoalitionRequest, job_id: int) -> HttpResponse:
    """The job's progress bar and problems; HTMX polls the ``progress`` partial until done.

    A job whose worker stopped reporting is marked failed here (and can be retried).
    """
    try:
        job = selectors.get_job(job_id=job_id)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if not job.is_finished and services.fail_stale_jobs(coalition=request.coalition):
        job.refresh_from_db()
    template = "measurement/importjob_detail.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(request, template, _job_context(job))


def _job_context(job: ImportJob) -> dict[str, Any]:
    """The job page's context: problems and places to check in the reader's language,
    places by name."""
    return {
        "job": job,
        "states_kept": [selectors.place_name(code) for code in job.only_states],
        "problems": [
            {"row": p.get("row"), "column": p.get("column"), "text": messages.problem_text(p)}
            for p in job.problems
        ],
        "places_to_check": [
            {
                "name": p.get("name") or selectors.place_name(str(p.get("code", ""))),
                "reason": messages.unmatched_text(p),
            }
            for p in job.unmatched_places
        ],
    }


@coalition_view(*ADMINS)
@require_POST
def import_retry(request: CoalitionRequest, job_id: int) -> HttpResponse:
    """Queue a failed import again (e.g. after its worker died); audited."""
    try:
        job = selectors.get_job(job_id=job_id)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    try:
        job = services.retry_import_job(coalition=request.coalition, actor=request.user, job=job)
    except ValidationError as error:
        messages_framework.error(request, " ".join(error.messages))
        return render(request, "measurement/importjob_detail.html", _job_context(job), status=409)
    transaction.on_commit(lambda: tasks.run_import.enqueue(job_id=job.pk))
    messages_framework.success(request, _("The import was queued again."))
    return redirect("measurement:import_detail", request.coalition.slug, job.pk)


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def target_new(request: CoalitionRequest) -> HttpResponse:
    """Set a target for one of the coalition's places: reach a value, halve a gap between
    two groups, or halve the gap between two places (for one group) by a year."""
    coalition = request.coalition
    indicators = {i.pk: i for i in selectors.list_indicators(coalition=coalition).order_by("name")}
    places = selectors.served_places(coalition=coalition)
    form = TargetForm(
        request.POST or None,
        indicators=sorted(
            ((pk, i.label) for pk, i in indicators.items()), key=lambda c: c[1].casefold()
        ),
        places=places,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_target(
                coalition=coalition,
                actor=request.user,
                title=data["title"],
                indicator=indicators[data["indicator"]],
                place_code=data["place_code"],
                kind=data["kind"],
                group=data["group"].strip().lower(),
                reference_group=(data["reference_group"] or "").strip().lower(),
                reference_place=data["reference_place"] or "",
                reduction=(data["reduction_percent"] or 50) / 100,
                target_value=data["target_value"],
                target_year=data["target_year"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages_framework.success(request, _("Target set."))
            return redirect("measurement:dashboard", coalition.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "measurement/target_form.html", {"form": form}, status=status)


@coalition_view(*CONTRIBUTORS)
def result_edit(request: CoalitionRequest, result_id: int) -> HttpResponse:
    """Edit the turn-the-curve notes of a result.

    The form carries the version it was drawn from: a save over someone else's newer
    one answers 409 and keeps theirs. Only the fields the form sent are saved, so a
    post that sends nothing cannot blank the notes (and one without the version is
    refused).
    """
    try:
        result = selectors.get_result(result_id=result_id)
    except Result.DoesNotExist:
        raise Http404 from None
    if request.method not in {"GET", "POST"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    initial = {name: getattr(result, name) for name in services.TURN_THE_CURVE_FIELDS}
    form = TurnTheCurveForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": result.version},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            sent = {
                name: form.cleaned_data[name]
                for name in services.TURN_THE_CURVE_FIELDS
                if name in request.POST
            }
            try:
                services.update_turn_the_curve(
                    coalition=request.coalition,
                    actor=request.user,
                    result=result,
                    expected_version=form.cleaned_data["version"],
                    **sent,
                )
            except StaleEditError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages_framework.success(request, _("Saved.") if sent else _("Nothing to save."))
                return redirect("measurement:result_detail", request.coalition.slug, result.pk)
    return render(
        request, "measurement/result_form.html", {"form": form, "result": result}, status=status
    )
