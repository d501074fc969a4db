"""Reads of funding: rows for the pages, and the core's inputs and results.

Other apps read funding through ``funding_headline`` (plain data, never querysets).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from commonground.coalitions.models import Coalition, Membership
from commonground.funding.domain import core, months
from commonground.funding.models import (
    Budget,
    BudgetLine,
    Disbursement,
    FunderReport,
    FunderRequirement,
    FundingAmount,
    FundingSettings,
    FundingSource,
)

Role = Membership.Role
#: Who sees funding details unless the coalition chooses otherwise (admins always do).
DEFAULT_VISIBLE_ROLES: tuple[str, ...] = (Role.PARTNER,)
CHOOSABLE_ROLES: tuple[str, ...] = (Role.PARTNER, Role.COMMUNITY_MEMBER, Role.VIEWER)


def today() -> date:
    return timezone.localdate()


# --- who sees it ------------------------------------------------------------------------


def get_settings(*, coalition: Coalition) -> FundingSettings:
    """The coalition's settings row, or an unsaved one holding the defaults."""
    found = FundingSettings.objects.filter(coalition=coalition).first()
    if found is None:
        found = FundingSettings(coalition=coalition, visible_roles=list(DEFAULT_VISIBLE_ROLES))
    return found


def visible_roles(*, coalition: Coalition) -> frozenset[str]:
    chosen = get_settings(coalition=coalition).visible_roles
    return frozenset({Role.BACKBONE_ADMIN, *(r for r in chosen if r in CHOOSABLE_ROLES)})


def can_see(membership: Membership) -> bool:
    return membership.role in visible_roles(coalition=membership.coalition)


# --- rows -------------------------------------------------------------------------------


def list_sources(*, coalition: Coalition) -> QuerySet[FundingSource]:
    return (
        FundingSource.objects.filter(coalition=coalition)
        .select_related("funder", "budget")
        .prefetch_related(Prefetch("amounts", queryset=FundingAmount.objects.order_by("starts_on")))
        .annotate(total=Sum("amounts__amount"))
    )


def get_source(*, source_id: int) -> FundingSource:
    return (
        FundingSource.objects.select_related("funder", "budget")
        .prefetch_related("amounts", "requirements__measure", "reports")
        .get(pk=source_id)
    )


def list_disbursements(*, coalition: Coalition) -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(coalition=coalition).select_related(
        "recipient_actor", "priority_area", "source"
    )


def get_disbursement(*, disbursement_id: int) -> Disbursement:
    return Disbursement.objects.select_related("recipient_actor", "priority_area", "source").get(
        pk=disbursement_id
    )


def list_budgets(*, coalition: Coalition) -> QuerySet[Budget]:
    return Budget.objects.filter(coalition=coalition).prefetch_related(
        Prefetch("lines", queryset=BudgetLine.objects.order_by("category", "id"))
    )


def budget_total(budget: Budget) -> Decimal:
    return sum((line.amount for line in budget.lines.all()), Decimal(0))


def current_budget(*, coalition: Coalition, on: date | None = None) -> Budget | None:
    """The budget year that ``on`` falls in, else the latest that started before it,
    else the earliest."""
    on = on or today()
    budgets = list(list_budgets(coalition=coalition))
    started = [b for b in budgets if b.starts_on <= on]
    if started:
        return max(started, key=lambda b: b.starts_on)
    return min(budgets, key=lambda b: b.starts_on) if budgets else None


def list_reports(*, coalition: Coalition) -> QuerySet[FunderReport]:
    return FunderReport.objects.filter(coalition=coalition).select_related(
        "source", "source__funder"
    )


def list_requirements(*, coalition: Coalition) -> QuerySet[FunderRequirement]:
    return FunderRequirement.objects.filter(coalition=coalition).select_related(
        "source", "source__funder", "measure", "measure__result"
    )


# --- the core's inputs ------------------------------------------------------------------


def domain_amounts(sources: list[FundingSource]) -> list[core.Amount]:
    """Every amount of ``sources`` (amounts prefetched) as the core's ``Amount``; a
    source is keyed by its id."""
    return [
        core.Amount(
            str(source.pk),
            source.kind,
            Fraction(amount.amount),
            months.of(amount.starts_on),
            months.of(amount.ends_on),
        )
        for source in sources
        for amount in source.amounts.all()
    ]


@dataclass(frozen=True)
class Stability:
    """The stability picture for the pages: the core's summary with names."""

    summary: core.FundingSummary
    sources: list[FundingSource]
    budget: Budget | None
    annual_budget: Decimal | None
    as_of: int
    largest_source_name: str
    years: list[int]
    mix_by_year: dict[int, dict[str, Fraction]]

    @property
    def as_of_label(self) -> str:
        return months.label(self.as_of)


def stability(*, coalition: Coalition, on: date | None = None) -> Stability:
    on = on or today()
    sources = list(list_sources(coalition=coalition))
    budget = current_budget(coalition=coalition, on=on)
    annual = budget_total(budget) if budget is not None else None
    if annual is not None and annual <= 0:
        annual = None
    amounts = domain_amounts(sources)
    as_of = months.of(on)
    summary = core.summarize(
        amounts, as_of=as_of, annual_budget=Fraction(annual) if annual is not None else None
    )
    names = {str(s.pk): s.name for s in sources}
    first_year = min((a.start // 12 for a in amounts), default=on.year)
    years = list(range(max(first_year, on.year - 2), on.year + 2))
    return Stability(
        summary=summary,
        sources=sources,
        budget=budget,
        annual_budget=annual,
        as_of=as_of,
        largest_source_name=names.get(summary.largest_source or "", ""),
        years=years,
        mix_by_year=core.mix_by_year(amounts, years),
    )


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def funding_headline(*, coalition: Coalition) -> dict[str, Any] | None:
    """{"hhi", "largest_source_share", "runway_months", "cliff_month", "flags"} for other
    apps (plain data); None when the coalition has recorded no funding."""
    if not FundingAmount.objects.filter(coalition=coalition).exists():
        return None
    picture = stability(coalition=coalition)
    summary = picture.summary
    return {
        "hhi": _float(summary.hhi),
        "largest_source_share": _float(summary.largest_source_share),
        "runway_months": summary.runway_months,
        "cliff_month": None if summary.cliff_month is None else months.label(summary.cliff_month),
        "flags": list(summary.flags),
    }


# --- what is shared out -----------------------------------------------------------------

SHARED_STATUSES = (Disbursement.Status.AWARDED, Disbursement.Status.PAID)


def domain_grants(rows: list[Disbursement]) -> list[core.Grant]:
    """Awarded and paid support as the core's ``Grant`` (planned and cancelled left out)."""
    grants = []
    for row in rows:
        if row.status not in SHARED_STATUSES:
            continue
        actor = row.recipient_actor
        if actor is not None:
            key, led, sector = f"actor:{actor.pk}", actor.is_community_led, actor.sector_id
            place = ""
        elif row.place_code:
            key, led, sector = f"place:{row.place_kind}:{row.place_code}", True, ""
            place = row.place_name
        else:  # the recipient has left the map: counted under its kept name
            key, led, sector, place = f"gone:{row.recipient_label}", False, "", ""
        grants.append(core.Grant(key, Fraction(row.amount), led, sector, place, row.kind))
    return grants


def distribution(*, coalition: Coalition) -> tuple[core.Distribution, list[Disbursement]]:
    rows = list(list_disbursements(coalition=coalition))
    return core.distribute(domain_grants(rows)), rows


@dataclass(frozen=True)
class Stipends:
    origin: str  # "governance" or "funding"
    paid_share: Fraction | None
    filled: int
    paid: int


def _governance_seats(coalition: Coalition) -> list[dict[str, Any]] | None:
    """Governance's community seats when that app provides them (it may not yet)."""
    try:
        governance = importlib.import_module("commonground.governance.selectors")
    except ModuleNotFoundError:
        return None
    reader = getattr(governance, "community_seat_stipends", None)
    if reader is None:
        return None
    seats = list(reader(coalition=coalition))
    return seats or None


def stipends(*, coalition: Coalition) -> Stipends:
    """The share of community seats' stipends actually paid: from governance's seats when
    it has any, otherwise from the stipends recorded here (paid among those not
    cancelled)."""
    seats = _governance_seats(coalition)
    if seats is not None:
        pairs = [(bool(s.get("vacant")), bool(s.get("paid"))) for s in seats]
        filled = [p for v, p in pairs if not v]
        return Stipends(
            "governance", core.stipend_paid_share(pairs), len(filled), sum(1 for p in filled if p)
        )
    rows = list(
        Disbursement.objects.filter(coalition=coalition, kind=Disbursement.Kind.STIPEND)
        .exclude(status=Disbursement.Status.CANCELLED)
        .values_list("status", flat=True)
    )
    pairs = [(False, status == Disbursement.Status.PAID) for status in rows]
    return Stipends(
        "funding",
        core.stipend_paid_share(pairs),
        len(pairs),
        sum(1 for _, p in pairs if p),
    )


# --- the reporting calendar -------------------------------------------------------------


@dataclass(frozen=True)
class CalendarRow:
    report: FunderReport
    requirements: list[FunderRequirement]
    state: str  # "submitted", "overdue", "due_soon", "upcoming"


def report_state(report: FunderReport, on: date) -> str:
    if report.submitted_on is not None:
        return "submitted"
    if report.due_on < on:
        return "overdue"
    if report.due_on <= on + timedelta(days=report.remind_days):
        return "due_soon"
    return "upcoming"


def calendar(*, coalition: Coalition, on: date | None = None) -> list[CalendarRow]:
    on = on or today()
    requirements: dict[int, list[FunderRequirement]] = {}
    for requirement in list_requirements(coalition=coalition):
        requirements.setdefault(requirement.source_id, []).append(requirement)
    return [
        CalendarRow(report, requirements.get(report.source_id, []), report_state(report, on))
        for report in list_reports(coalition=coalition)
    ]


def reports_needing_attention(
    *, coalition: Coalition, on: date | None = None
) -> list[FunderReport]:
    """Reports not submitted that are overdue or due within their reminder window."""
    on = on or today()
    return [
        report
        for report in list_reports(coalition=coalition).filter(submitted_on__isnull=True)
        if report_state(report, on) in {"overdue", "due_soon"}
    ]
