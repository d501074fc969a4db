"""Funding pages. Reading pages show funding details to the roles the coalition chose
(``access.funding_view``); every change is for backbone admins."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from commonground.coalitions.access import ADMINS, CoalitionRequest, coalition_view
from commonground.coalitions.models import Place
from commonground.ecosystem.domain.sectors import SECTORS
from commonground.funding import selectors, services
from commonground.funding.access import funding_view
from commonground.funding.domain import charts, core, months
from commonground.funding.forms import (
    AmountForm,
    BudgetForm,
    BudgetLineForm,
    DisbursementForm,
    ReportForm,
    RequirementForm,
    SourceForm,
    SubmittedForm,
    VisibilityForm,
)
from commonground.funding.models import (
    Budget,
    Disbursement,
    FunderReport,
    FundingAmount,
    FundingKind,
    FundingSource,
)
from commonground.lib import tabular
from commonground.lib.versioning import StaleEditError

REVENUE_KINDS = [k for k in core.KINDS if k != core.LOAN]


def _is_admin(request: CoalitionRequest) -> bool:
    return request.membership.role == "backbone_admin"


def _apply_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form's fields (or on top)."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def flag_sentences(summary: core.FundingSummary) -> list[str]:
    """The seeds' warnings in plain words."""
    words = {
        core.MOST_FROM_ONE_SOURCE: _(
            "Most of the money comes from one source: losing it would end most of the work."
        ),
        core.MOST_ENDING_WITHIN_TWO_YEARS: _(
            "Most of the money still coming in ends within two years."
        ),
        core.NO_PARTNER_OR_EARNED_INCOME: _(
            "No money comes from partners' contributions, membership fees or earned income."
        ),
    }
    return [words[code] for code in summary.flags]


def runway_sentence(picture: selectors.Stability) -> str:
    summary = picture.summary
    if summary.runway_months is None:
        return _("Record the backbone's budget to see the runway and the cliff.")
    cliff = months.label(summary.cliff_month) if summary.cliff_month is not None else ""
    if summary.runway_months == 0:
        return _("Money already secured does not cover this month's share of the budget.")
    return ngettext(
        "Money already secured covers the budget for %(n)d month; it falls below the "
        "budget in %(month)s.",
        "Money already secured covers the budget for %(n)d months; it falls below the "
        "budget in %(month)s.",
        summary.runway_months,
    ) % {"n": summary.runway_months, "month": cliff}


def _f(value: Fraction | None) -> float:
    return float(value) if value is not None else 0.0


@funding_view
def overview(request: CoalitionRequest) -> HttpResponse:
    picture = selectors.stability(coalition=request.coalition)
    summary = picture.summary
    kinds_used = [
        k for k in REVENUE_KINDS if any(picture.mix_by_year[y].get(k) for y in picture.years)
    ]
    columns = [
        (str(year), {k: _f(v) for k, v in picture.mix_by_year[year].items()})
        for year in picture.years
    ]
    mix_chart = charts.stacked_bars(columns, kinds_used)
    mix_rows = [
        (year, [picture.mix_by_year[year].get(k, Fraction(0)) for k in kinds_used],
         sum(picture.mix_by_year[year].values(), Fraction(0)))
        for year in picture.years
    ]  # fmt: skip
    points = [(months.label(p.month), _f(p.secured)) for p in summary.timeline]
    monthly = _f(summary.monthly_budget) if summary.monthly_budget is not None else None
    cliff_chart = charts.cliff(points, monthly)
    return render(
        request,
        "funding/funding_overview.html",
        {
            "section": "overview",
            "picture": picture,
            "summary": summary,
            "flags": flag_sentences(summary),
            "runway_text": runway_sentence(picture),
            "kinds_used": [(k, FundingKind(k).label) for k in kinds_used],
            "mix_chart": mix_chart,
            "mix_rows": mix_rows,
            "mix_shares": sorted(
                ((FundingKind(k).label, v) for k, v in summary.mix.items()), key=lambda kv: -kv[1]
            ),
            "cliff_chart": cliff_chart,
            "timeline": summary.timeline,
            "stipends": selectors.stipends(coalition=request.coalition),
        },
    )


@funding_view
def source_list(request: CoalitionRequest) -> HttpResponse:
    sources = list(selectors.list_sources(coalition=request.coalition))
    return render(
        request,
        "funding/fundingsource_list.html",
        {"section": "sources", "sources": sources, "can_edit": _is_admin(request)},
    )


def _source(source_id: int) -> FundingSource:
    try:
        return selectors.get_source(source_id=source_id)
    except FundingSource.DoesNotExist:
        raise Http404 from None


@funding_view
def source_detail(request: CoalitionRequest, funding_source_id: int) -> HttpResponse:
    source = _source(funding_source_id)
    return render(
        request,
        "funding/fundingsource_detail.html",
        {
            "section": "sources",
            "source": source,
            "can_edit": _is_admin(request),
            "amount_form": AmountForm(),
            "requirement_form": RequirementForm(request.coalition),
            "report_form": ReportForm(),
        },
    )


def _source_values(form: SourceForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def source_new(request: CoalitionRequest) -> HttpResponse:
    form = SourceForm(request.coalition, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                source = services.add_source(
                    coalition=request.coalition, actor=request.user, **_source_values(form)
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Funding source added."))
                return redirect("funding:source_detail", request.coalition.slug, source.pk)
        status = 400
    return render(
        request,
        "funding/fundingsource_form.html",
        {"section": "sources", "form": form, "source": None},
        status=status,
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def source_edit(request: CoalitionRequest, funding_source_id: int) -> HttpResponse:
    source = _source(funding_source_id)
    initial = {
        field: getattr(source, field)
        for field in services.SOURCE_FIELDS
        if field not in {"funder", "budget"}
    } | {"funder": source.funder_id, "budget": source.budget_id, "version": source.version}
    form = SourceForm(request.coalition, request.POST or None, initial=initial, editing=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_source(
                    source=source,
                    actor=request.user,
                    expected_version=form.cleaned_data.get("version"),
                    **_source_values(form),
                )
            except StaleEditError as error:
                form.add_error(None, str(error))
                status = 409
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("funding:source_detail", request.coalition.slug, source.pk)
    return render(
        request,
        "funding/fundingsource_form.html",
        {"section": "sources", "form": form, "source": source},
        status=status,
    )


def _post_form_error(request: HttpRequest, form: Any, error: ValidationError | None = None) -> None:
    if error is not None:
        _apply_errors(form, error)
    for field, problems in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for problem in problems:
            messages.error(request, f"{label}: {problem}" if label else str(problem))


@coalition_view(*ADMINS)
@require_POST
def amount_add(request: CoalitionRequest, funding_source_id: int) -> HttpResponse:
    source = _source(funding_source_id)
    form = AmountForm(request.POST)
    if form.is_valid():
        try:
            services.add_amount(source=source, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _post_form_error(request, form, error)
        else:
            messages.success(request, _("Amount recorded."))
    else:
        _post_form_error(request, form)
    return redirect("funding:source_detail", request.coalition.slug, source.pk)


@coalition_view(*ADMINS)
@require_POST
def amount_remove(request: CoalitionRequest, funding_amount_id: int) -> HttpResponse:
    try:
        amount = FundingAmount.objects.select_related("source").get(pk=funding_amount_id)
    except FundingAmount.DoesNotExist:
        raise Http404 from None
    services.remove_amount(amount=amount, actor=request.user)
    messages.success(request, _("Amount removed."))
    return redirect("funding:source_detail", request.coalition.slug, amount.source_id)


@coalition_view(*ADMINS)
@require_POST
def requirement_add(request: CoalitionRequest, funding_source_id: int) -> HttpResponse:
    source = _source(funding_source_id)
    form = RequirementForm(request.coalition, request.POST)
    if form.is_valid():
        try:
            services.add_requirement(source=source, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _post_form_error(request, form, error)
        else:
            messages.success(request, _("Required measure recorded."))
    else:
        _post_form_error(request, form)
    return redirect("funding:source_detail", request.coalition.slug, source.pk)


@coalition_view(*ADMINS)
@require_POST
def report_add(request: CoalitionRequest, funding_source_id: int) -> HttpResponse:
    source = _source(funding_source_id)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.add_report(source=source, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _post_form_error(request, form, error)
        else:
            messages.success(request, _("Report added to the calendar."))
    else:
        _post_form_error(request, form)
    return redirect("funding:source_detail", request.coalition.slug, source.pk)


@coalition_view(*ADMINS)
@require_POST
def report_submit(request: CoalitionRequest, funder_report_id: int) -> HttpResponse:
    try:
        report = FunderReport.objects.select_related("source").get(pk=funder_report_id)
    except FunderReport.DoesNotExist:
        raise Http404 from None
    form = SubmittedForm(request.POST)
    if not form.is_valid():
        _post_form_error(request, form)
        return redirect("funding:calendar", request.coalition.slug)
    try:
        services.mark_report_submitted(
            report=report,
            actor=request.user,
            submitted_on=form.cleaned_data["submitted_on"],
            expected_version=form.cleaned_data.get("version"),
        )
    except StaleEditError as error:
        return render(
            request,
            "funding/conflict.html",
            {"section": "calendar", "message": str(error)},
            status=409,
        )
    messages.success(request, _("Marked as submitted."))
    return redirect("funding:calendar", request.coalition.slug)


@funding_view
def distribution(request: CoalitionRequest) -> HttpResponse:
    shared, rows = selectors.distribution(coalition=request.coalition)
    language = (getattr(request, "LANGUAGE_CODE", "en") or "en")[:2]
    sector_names = {s.id: (s.name.es if language == "es" else s.name.en) for s in SECTORS}
    kind_labels = dict(Disbursement.Kind.choices)
    whole = shared.total

    def share_rows(
        values: dict[str, Fraction], labels: dict[str, str], empty: str
    ) -> list[tuple[str, Fraction, float]]:
        return [
            (labels.get(key, key) or empty, value, float(value / whole) if whole else 0.0)
            for key, value in values.items()
        ]

    by_kind = share_rows(shared.by_kind, {k: str(v) for k, v in kind_labels.items()}, "")
    by_sector = share_rows(shared.by_sector, sector_names, _("Neighborhoods and places"))
    by_place = share_rows(shared.by_place, {}, _("Organizations (not place-based)"))
    by_type = share_rows(
        shared.by_recipient_type,
        {
            "community_led": _("Community-led organizations"),
            "other": _("Other organizations"),
            "place": _("Places (neighborhoods and counties)"),
        },
        "",
    )
    return render(
        request,
        "funding/disbursement_list.html",
        {
            "section": "distribution",
            "shared": shared,
            "rows": rows,
            "by_kind": by_kind,
            "by_type": by_type,
            "by_sector": by_sector,
            "by_place": by_place,
            "sector_chart": charts.horizontal_bars([(label, s) for label, _v, s in by_sector]),
            "led_by_sector": [
                (sector_names.get(k, k) or _("Neighborhoods and places"), v)
                for k, v in shared.community_led_by_sector.items()
            ],
            "stipends": selectors.stipends(coalition=request.coalition),
            "can_edit": _is_admin(request),
        },
    )


def _disbursement_values(form: DisbursementForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def disbursement_new(request: CoalitionRequest) -> HttpResponse:
    form = DisbursementForm(request.coalition, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.add_disbursement(
                    coalition=request.coalition, actor=request.user, **_disbursement_values(form)
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Recorded."))
                return redirect("funding:distribution", request.coalition.slug)
    return render(
        request,
        "funding/disbursement_form.html",
        {"section": "distribution", "form": form, "disbursement": None},
        status=status,
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def disbursement_edit(request: CoalitionRequest, disbursement_id: int) -> HttpResponse:
    try:
        row = selectors.get_disbursement(disbursement_id=disbursement_id)
    except Disbursement.DoesNotExist:
        raise Http404 from None
    initial = {
        field: getattr(row, field)
        for field in services.DISBURSEMENT_FIELDS
        if field not in {"recipient_actor", "recipient_place", "priority_area", "source"}
    } | {
        "recipient_actor": row.recipient_actor_id,
        "recipient_place": Place.objects.filter(kind=row.place_kind, code=row.place_code)
        .values_list("pk", flat=True)
        .first(),
        "priority_area": row.priority_area_id,
        "source": row.source_id,
        "version": row.version,
    }
    form = DisbursementForm(request.coalition, request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_disbursement(
                    disbursement=row,
                    actor=request.user,
                    expected_version=form.cleaned_data.get("version"),
                    **_disbursement_values(form),
                )
            except StaleEditError as error:
                form.add_error(None, str(error))
                status = 409
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("funding:distribution", request.coalition.slug)
    return render(
        request,
        "funding/disbursement_form.html",
        {"section": "distribution", "form": form, "disbursement": row},
        status=status,
    )


@funding_view
def budget(request: CoalitionRequest) -> HttpResponse:
    budgets = list(selectors.list_budgets(coalition=request.coalition))
    current = selectors.current_budget(coalition=request.coalition)
    return render(
        request,
        "funding/budget_list.html",
        {
            "section": "budget",
            "budgets": [(b, selectors.budget_total(b)) for b in budgets],
            "current": current,
            "can_edit": _is_admin(request),
            "budget_form": BudgetForm(),
            "line_form": BudgetLineForm(),
        },
    )


@coalition_view(*ADMINS)
@require_POST
def budget_new(request: CoalitionRequest) -> HttpResponse:
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            services.add_budget(
                coalition=request.coalition, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _post_form_error(request, form, error)
        else:
            messages.success(request, _("Budget added."))
    else:
        _post_form_error(request, form)
    return redirect("funding:budget", request.coalition.slug)


@coalition_view(*ADMINS)
@require_POST
def budget_line_add(request: CoalitionRequest, funding_budget_id: int) -> HttpResponse:
    try:
        target = Budget.objects.get(pk=funding_budget_id)
    except Budget.DoesNotExist:
        raise Http404 from None
    form = BudgetLineForm(request.POST)
    if form.is_valid():
        try:
            services.add_budget_line(budget=target, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _post_form_error(request, form, error)
        else:
            messages.success(request, _("Budget line added."))
    else:
        _post_form_error(request, form)
    return redirect("funding:budget", request.coalition.slug)


@funding_view
def calendar(request: CoalitionRequest) -> HttpResponse:
    rows = selectors.calendar(coalition=request.coalition)
    requirements = list(selectors.list_requirements(coalition=request.coalition))
    return render(
        request,
        "funding/funderreport_calendar.html",
        {
            "section": "calendar",
            "rows": rows,
            "requirements": requirements,
            "can_edit": _is_admin(request),
            "today": selectors.today(),
        },
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def visibility(request: CoalitionRequest) -> HttpResponse:
    current = selectors.get_settings(coalition=request.coalition)
    form = VisibilityForm(
        request.POST or None,
        initial={"visible_roles": current.visible_roles, "version": current.version},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.set_visibility(
                    coalition=request.coalition,
                    actor=request.user,
                    roles=form.cleaned_data["visible_roles"],
                    expected_version=form.cleaned_data.get("version"),
                )
            except StaleEditError as error:
                form.add_error(None, str(error))
                status = 409
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("funding:settings", request.coalition.slug)
    return render(
        request,
        "funding/fundingsettings_form.html",
        {"section": "settings", "form": form},
        status=status,
    )


# --- exports ----------------------------------------------------------------------------


def export_tables(coalition: Any) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every exportable table: sources, amounts, shared out, calendar."""
    sources = list(selectors.list_sources(coalition=coalition))
    source_rows = [
        [s.pk, s.name, s.funder_display, s.kind, "yes" if s.is_restricted else "no",
         s.restricted_to, s.starts_on.isoformat(), s.ends_on.isoformat(), s.renewal,
         s.budget.name if s.budget else "", float(getattr(s, "total", None) or 0)]
        for s in sources
    ]  # fmt: skip
    amount_rows = [
        [s.pk, s.name, s.kind, float(a.amount), a.starts_on.isoformat(), a.ends_on.isoformat()]
        for s in sources
        for a in s.amounts.all()
    ]
    shared_rows = [
        [d.pk, d.kind, d.recipient_name, d.recipient_actor.sector_id if d.recipient_actor else "",
         "yes" if (d.recipient_actor.is_community_led if d.recipient_actor else True) else "no",
         float(d.amount), d.purpose, d.priority_area.name if d.priority_area else "",
         d.starts_on.isoformat(), d.ends_on.isoformat(), d.status]
        for d in selectors.list_disbursements(coalition=coalition)
    ]  # fmt: skip
    calendar_rows = [
        [r.report.pk, r.report.source.name, r.report.title, r.report.due_on.isoformat(),
         r.report.submitted_on.isoformat() if r.report.submitted_on else "", r.state,
         "; ".join(q.name + (f" = {q.measure.name}" if q.measure else "") for q in r.requirements)]
        for r in selectors.calendar(coalition=coalition)
    ]  # fmt: skip
    return {
        "sources": (
            ["id", "source", "funder", "type", "restricted", "restricted_to", "start", "end",
             "renewal", "budget", "total"],
            source_rows,
        ),
        "amounts": (["source_id", "source", "type", "amount", "start", "end"], amount_rows),
        "shared": (
            ["id", "kind", "recipient", "sector", "community_led", "amount", "purpose",
             "priority_area", "start", "end", "status"],
            shared_rows,
        ),
        "calendar": (
            ["id", "source", "report", "due", "submitted", "state", "required_measures"],
            calendar_rows,
        ),
    }  # fmt: skip


@funding_view
def export(request: CoalitionRequest) -> HttpResponse:
    """``?table=sources|amounts|shared|calendar&format=csv|xlsx``; XLSX without a table
    holds every table as a sheet."""
    fmt = request.GET.get("format", "csv")
    table = request.GET.get("table", "")
    tables = export_tables(request.coalition)
    if fmt not in {"csv", "xlsx"} or (table and table not in tables):
        raise Http404
    slug = request.coalition.slug
    if fmt == "csv":
        headers, rows = tables[table or "sources"]
        return tabular.download(
            tabular.write_csv(headers, rows), f"{slug}-funding-{table or 'sources'}.csv"
        )
    chosen: Sequence[str] = [table] if table else list(tables)
    content = tabular.write_xlsx([(name, *tables[name]) for name in chosen])
    return tabular.download(content, f"{slug}-funding.xlsx")
