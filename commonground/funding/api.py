"""The funding API; paths start with /{coalition_slug}/.

Reading operations answer the roles the coalition chose to see funding details (default:
backbone admins and partners); writes are for backbone admins. Amounts are sent as numbers
or numeric strings; a PATCH carries the ``version`` it read and gets 409 when stale.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from commonground.api.access import api_coalition
from commonground.coalitions.access import ADMINS
from commonground.coalitions.models import Place
from commonground.ecosystem.models import Actor
from commonground.funding import selectors, services
from commonground.funding.access import api_funding
from commonground.funding.domain import months
from commonground.funding.models import Disbursement, FundingSource
from commonground.lib.versioning import StaleEditError
from commonground.measurement.models import PriorityArea

router = Router(tags=["Funding"])
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


def _invalid(error: ValidationError) -> HttpError:
    if hasattr(error, "error_dict"):
        text = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    else:
        text = " ".join(error.messages)
    return HttpError(422, text)


class AmountOut(Schema):
    id: int
    amount: Decimal
    starts_on: date
    ends_on: date


class SourceOut(Schema):
    id: int
    version: int
    name: str
    funder_id: int | None
    funder: str
    kind: str
    is_restricted: bool
    restricted_to: str
    starts_on: date
    ends_on: date
    renewal: str
    budget_id: int | None
    amounts: list[AmountOut]


class SourceIn(Schema):
    model_config = {"extra": "forbid"}

    name: str = Field(..., max_length=200)
    kind: str
    starts_on: date
    ends_on: date
    amount: str | float | None = None
    funder_id: Id | None = None
    funder_name: str = Field("", max_length=200)
    is_restricted: bool = False
    restricted_to: str = Field("", max_length=200)
    renewal: str = FundingSource.Renewal.UNKNOWN


class SourcePatch(Schema):
    model_config = {"extra": "forbid"}

    version: int = Field(..., ge=1, le=2**31 - 1)
    name: str | None = Field(None, max_length=200)
    kind: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    is_restricted: bool | None = None
    restricted_to: str | None = Field(None, max_length=200)
    renewal: str | None = None
    funder_name: str | None = Field(None, max_length=200)


class AmountIn(Schema):
    model_config = {"extra": "forbid"}

    amount: str | float
    starts_on: date
    ends_on: date


class DisbursementOut(Schema):
    id: int
    version: int
    kind: str
    recipient_actor_id: int | None
    recipient_place_kind: str
    recipient_place_code: str
    recipient: str
    amount: Decimal
    purpose: str
    priority_area_id: int | None
    source_id: int | None
    starts_on: date
    ends_on: date
    status: str


class DisbursementIn(Schema):
    model_config = {"extra": "forbid"}

    kind: str
    amount: str | float
    starts_on: date
    ends_on: date
    recipient_actor_id: Id | None = None
    recipient_place_id: Id | None = None
    purpose: str = Field("", max_length=240)
    priority_area_id: Id | None = None
    source_id: Id | None = None
    status: str = Disbursement.Status.AWARDED


class DisbursementPatch(Schema):
    model_config = {"extra": "forbid"}

    version: int = Field(..., ge=1, le=2**31 - 1)
    amount: str | float | None = None
    purpose: str | None = Field(None, max_length=240)
    status: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class SummaryOut(Schema):
    as_of: str
    total: float
    mix: dict[str, float]
    hhi: float | None
    largest_source_share: float | None
    time_limited_share: float | None
    annual_budget: float | None
    runway_months: int | None
    cliff_month: str | None
    flags: list[str]
    timeline: list[dict[str, Any]]
    shared_total: float
    shared_recipients: int
    gini: float | None
    community_led_share: float | None
    stipends_paid_share: float | None


class ReportOut(Schema):
    id: int
    version: int
    source_id: int
    source: str
    title: str
    due_on: date
    submitted_on: date | None
    state: str
    required_measures: list[dict[str, Any]]


def _source_out(source: FundingSource) -> dict[str, Any]:
    return {
        "id": source.pk,
        "version": source.version,
        "name": source.name,
        "funder_id": source.funder_id,
        "funder": source.funder_display,
        "kind": source.kind,
        "is_restricted": source.is_restricted,
        "restricted_to": source.restricted_to,
        "starts_on": source.starts_on,
        "ends_on": source.ends_on,
        "renewal": source.renewal,
        "budget_id": source.budget_id,
        "amounts": [
            {"id": a.pk, "amount": a.amount, "starts_on": a.starts_on, "ends_on": a.ends_on}
            for a in source.amounts.all()
        ],
    }


def _disbursement_out(row: Disbursement) -> dict[str, Any]:
    return {
        "id": row.pk,
        "version": row.version,
        "kind": row.kind,
        "recipient_actor_id": row.recipient_actor_id,
        "recipient_place_kind": row.place_kind,
        "recipient_place_code": row.place_code,
        "recipient": row.recipient_name,
        "amount": row.amount,
        "purpose": row.purpose,
        "priority_area_id": row.priority_area_id,
        "source_id": row.source_id,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        "status": row.status,
    }


def _get(model: Any, pk: int | None, field: str) -> Any:
    """A row of this coalition (the scope filters it), or 422 naming ``field``."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise HttpError(422, f"{field}: no such record in this coalition")
    return found


def _source_or_404(source_id: int) -> FundingSource:
    try:
        return selectors.get_source(source_id=source_id)
    except FundingSource.DoesNotExist:
        raise HttpError(404, "No such funding source.") from None


@router.get("/{coalition_slug}/funding/summary", response=SummaryOut)
@api_funding
def get_funding_summary(request: HttpRequest, coalition_slug: str) -> dict[str, Any]:
    """Mix, concentration, runway, the 36-month cliff timeline, and how fairly support is
    shared out."""
    coalition = request.coalition  # type: ignore[attr-defined]
    picture = selectors.stability(coalition=coalition)
    summary = picture.summary
    shared, _rows = selectors.distribution(coalition=coalition)
    stipends = selectors.stipends(coalition=coalition)

    def f(value: Any) -> float | None:
        return None if value is None else float(value)

    return {
        "as_of": picture.as_of_label,
        "total": float(summary.total),
        "mix": {k: float(v) for k, v in summary.mix.items()},
        "hhi": f(summary.hhi),
        "largest_source_share": f(summary.largest_source_share),
        "time_limited_share": f(summary.time_limited_share),
        "annual_budget": f(picture.annual_budget),
        "runway_months": summary.runway_months,
        "cliff_month": None if summary.cliff_month is None else months.label(summary.cliff_month),
        "flags": summary.flags,
        "timeline": [
            {
                "month": months.label(p.month),
                "secured": float(p.secured),
                "below_budget": p.below_budget,
            }
            for p in summary.timeline
        ],
        "shared_total": float(shared.total),
        "shared_recipients": shared.recipients,
        "gini": f(shared.gini),
        "community_led_share": f(shared.community_led_share),
        "stipends_paid_share": f(stipends.paid_share),
    }


@router.get("/{coalition_slug}/funding/sources", response=list[SourceOut])
@api_funding
def list_funding_sources(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    """Every funding source with its amounts by period."""
    coalition = request.coalition  # type: ignore[attr-defined]
    return [_source_out(s) for s in selectors.list_sources(coalition=coalition)]


@router.post("/{coalition_slug}/funding/sources", response=SourceOut)
@api_coalition(*ADMINS)
def create_funding_source(
    request: HttpRequest, coalition_slug: str, payload: SourceIn
) -> dict[str, Any]:
    """Record a source; with ``amount``, its money for the whole period."""
    data = payload.model_dump()
    funder = _get(Actor, data.pop("funder_id"), "funder_id")
    try:
        source = services.add_source(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            funder=funder,
            **data,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return _source_out(selectors.get_source(source_id=source.pk))


@router.patch("/{coalition_slug}/funding/sources/{funding_source_id}", response=SourceOut)
@api_coalition(*ADMINS)
def update_funding_source(
    request: HttpRequest, coalition_slug: str, funding_source_id: int, payload: SourcePatch
) -> dict[str, Any]:
    """Change a source; send the ``version`` you read (409 when someone saved since)."""
    source = _source_or_404(funding_source_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    for name, value in changes.items():
        if value is None:
            raise HttpError(422, f"{name}: send a value, or leave the field out to keep it")
    try:
        services.update_source(
            source=source, actor=request.user, expected_version=version, **changes
        )
    except StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise _invalid(error) from None
    return _source_out(selectors.get_source(source_id=source.pk))


@router.post("/{coalition_slug}/funding/sources/{funding_source_id}/amounts", response=AmountOut)
@api_coalition(*ADMINS)
def add_funding_amount(
    request: HttpRequest, coalition_slug: str, funding_source_id: int, payload: AmountIn
) -> dict[str, Any]:
    """Record money from a source for a period."""
    source = _source_or_404(funding_source_id)
    try:
        row = services.add_amount(source=source, actor=request.user, **payload.model_dump())
    except ValidationError as error:
        raise _invalid(error) from None
    return {"id": row.pk, "amount": row.amount, "starts_on": row.starts_on, "ends_on": row.ends_on}


@router.get("/{coalition_slug}/funding/shared", response=list[DisbursementOut])
@api_funding
def list_funding_shared_out(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    """Grants, loans, stipends and in-kind support shared out."""
    coalition = request.coalition  # type: ignore[attr-defined]
    return [_disbursement_out(d) for d in selectors.list_disbursements(coalition=coalition)]


@router.post("/{coalition_slug}/funding/shared", response=DisbursementOut)
@api_coalition(*ADMINS)
def create_funding_shared_out(
    request: HttpRequest, coalition_slug: str, payload: DisbursementIn
) -> dict[str, Any]:
    """Record support shared out, to an actor (``recipient_actor_id``) or a place."""
    data = payload.model_dump()
    links = {
        "recipient_actor": _get(Actor, data.pop("recipient_actor_id"), "recipient_actor_id"),
        "recipient_place": _get(Place, data.pop("recipient_place_id"), "recipient_place_id"),
        "priority_area": _get(PriorityArea, data.pop("priority_area_id"), "priority_area_id"),
        "source": _get(FundingSource, data.pop("source_id"), "source_id"),
    }
    try:
        row = services.add_disbursement(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            **data,
            **links,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return _disbursement_out(row)


@router.patch("/{coalition_slug}/funding/shared/{disbursement_id}", response=DisbursementOut)
@api_coalition(*ADMINS)
def update_funding_shared_out(
    request: HttpRequest, coalition_slug: str, disbursement_id: int, payload: DisbursementPatch
) -> dict[str, Any]:
    """Change an award's amount, purpose, status or period (409 when stale)."""
    try:
        row = selectors.get_disbursement(disbursement_id=disbursement_id)
    except Disbursement.DoesNotExist:
        raise HttpError(404, "No such award.") from None
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    for name, value in changes.items():
        if value is None:
            raise HttpError(422, f"{name}: send a value, or leave the field out to keep it")
    try:
        services.update_disbursement(
            disbursement=row, actor=request.user, expected_version=version, **changes
        )
    except StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise _invalid(error) from None
    return _disbursement_out(row)


@router.get("/{coalition_slug}/funding/calendar", response=list[ReportOut])
@api_funding
def list_funding_calendar(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    """Funders' report deadlines with the measures each requires and ours that answer."""
    coalition = request.coalition  # type: ignore[attr-defined]
    return [
        {
            "id": row.report.pk,
            "version": row.report.version,
            "source_id": row.report.source_id,
            "source": row.report.source.name,
            "title": row.report.title,
            "due_on": row.report.due_on,
            "submitted_on": row.report.submitted_on,
            "state": row.state,
            "required_measures": [
                {
                    "name": q.name,
                    "measure_id": q.measure_id,
                    "measure": q.measure.name if q.measure else None,
                }
                for q in row.requirements
            ],
        }
        for row in selectors.calendar(coalition=coalition)
    ]
