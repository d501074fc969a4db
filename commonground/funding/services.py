"""Writes of funding. Each function is keyword-only, runs in one transaction, checks that
every linked row belongs to the same coalition, and writes one audit row per change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.coalitions.models import AuditEvent, Coalition, Place
from commonground.coalitions.services import record_audit
from commonground.funding.models import (
    Budget,
    BudgetLine,
    Disbursement,
    FunderReport,
    FunderRequirement,
    FundingAmount,
    FundingKind,
    FundingSettings,
    FundingSource,
)
from commonground.funding.selectors import CHOOSABLE_ROLES
from commonground.lib.versioning import StaleEditError, check_version, save_versioned

Action = AuditEvent.Action
MAX_AMOUNT = Decimal("999999999999.99")


# --- checks -----------------------------------------------------------------------------


def clean_amount(value: object, *, field: str = "amount") -> Decimal:
    """A money amount of 0 or more, from a number or its text; else ``ValidationError``
    naming ``field``."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("%(value)s is not a number.") % {"value": str(value)[:40]}}
        ) from None
    if not amount.is_finite():
        raise ValidationError({field: _("%(value)s is not a number.") % {"value": str(value)[:40]}})
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("This amount is too large.")})
    return amount.quantize(Decimal("0.01"))


def _check_period(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end comes before the start.")})


def _same_coalition(obj: Any, coalition: Coalition, field: str) -> None:
    if obj is not None and obj.coalition_id != coalition.pk:
        raise ValidationError({field: _("That record does not belong to this coalition.")})


def _text(value: object, field: str, *, required: bool = False, limit: int = 240) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("Keep this under %(n)d characters.") % {"n": limit}})
    return text


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


# --- settings ---------------------------------------------------------------------------


@transaction.atomic
def set_visibility(
    *, coalition: Coalition, actor: Any, roles: list[str], expected_version: int | None
) -> FundingSettings:
    """Choose who sees the funding pages besides backbone admins."""
    unknown = [r for r in roles if r not in CHOOSABLE_ROLES]
    if unknown:
        raise ValidationError({"visible_roles": _("Unknown role: %(r)s") % {"r": unknown[0]}})
    chosen = [r for r in CHOOSABLE_ROLES if r in roles]
    settings = FundingSettings.objects.filter(coalition=coalition).first()
    before = settings.visible_roles if settings else ["partner"]
    if settings is None:
        if expected_version not in (None, 1):
            raise StaleEditError()
        settings = FundingSettings.objects.create(coalition=coalition, visible_roles=chosen)
        action = Action.CREATE
    else:
        settings.visible_roles = chosen
        save_versioned(settings, expected=expected_version, update_fields=["visible_roles"])
        action = Action.UPDATE
    record_audit(
        coalition=coalition,
        actor=actor,
        action=action,
        obj=settings,
        summary=f"Funding details visible to: admins, {', '.join(chosen) or 'nobody else'}",
        before={"visible_roles": before},
        after={"visible_roles": chosen},
        event="funding.visibility_changed",
        params={"roles": chosen},
    )
    return settings


# --- sources ----------------------------------------------------------------------------


def _clean_source(coalition: Coalition, values: dict[str, Any]) -> dict[str, Any]:
    if "name" in values:
        values["name"] = _text(values["name"], "name", required=True, limit=200)
    if "kind" in values and values["kind"] not in FundingKind.values:
        raise ValidationError({"kind": _("Choose a type from the list.")})
    if "renewal" in values and values["renewal"] not in FundingSource.Renewal.values:
        raise ValidationError({"renewal": _("Choose a renewal likelihood from the list.")})
    for field in ("funder_name", "restricted_to"):
        if field in values:
            values[field] = _text(values[field], field, limit=200)
    _same_coalition(values.get("funder"), coalition, "funder")
    _same_coalition(values.get("budget"), coalition, "budget")
    if values.get("funder") is not None and not values.get("funder_name"):
        # Kept so the source still names its funder if the actor leaves the map.
        values["funder_name"] = values["funder"].name
    return values


@transaction.atomic
def add_source(
    *,
    coalition: Coalition,
    actor: Any,
    name: str,
    kind: str,
    starts_on: date,
    ends_on: date,
    amount: object | None = None,
    funder: Any = None,
    funder_name: str = "",
    is_restricted: bool = False,
    restricted_to: str = "",
    renewal: str = FundingSource.Renewal.UNKNOWN,
    budget: Budget | None = None,
    notes: str = "",
) -> FundingSource:
    """Record a funding source; with ``amount``, its money for the whole period."""
    values = _clean_source(
        coalition,
        {
            "name": name,
            "kind": kind,
            "funder": funder,
            "funder_name": funder_name,
            "is_restricted": is_restricted,
            "restricted_to": restricted_to,
            "renewal": renewal,
            "budget": budget,
            "notes": notes,
        },
    )
    _check_period(starts_on, ends_on)
    money = clean_amount(amount) if amount is not None and str(amount).strip() != "" else None
    source = FundingSource.objects.create(
        coalition=coalition, starts_on=starts_on, ends_on=ends_on, **values
    )
    after = {k: _json(v) for k, v in values.items()} | {
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
    }
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE,
        obj=source,
        summary=f"Added funding source {source.name}",
        after=after,
        event="funding.source_added",
        params={"name": source.name, "kind": source.kind},
    )
    if money is not None:
        add_amount(source=source, actor=actor, starts_on=starts_on, ends_on=ends_on, amount=money)
    return source


SOURCE_FIELDS = (
    "name",
    "kind",
    "funder",
    "funder_name",
    "is_restricted",
    "restricted_to",
    "starts_on",
    "ends_on",
    "renewal",
    "budget",
    "notes",
)


@transaction.atomic
def update_source(
    *, source: FundingSource, actor: Any, expected_version: int | None, **changes: Any
) -> FundingSource:
    """Change a source's fields; a stale ``expected_version`` raises ``StaleEditError``."""
    unknown = set(changes) - set(SOURCE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    changes = _clean_source(source.coalition, dict(changes))
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for field, value in changes.items():
        old = getattr(source, field)
        if _json(old) != _json(value):
            before[field], after[field] = _json(old), _json(value)
            setattr(source, field, value)
    _check_period(source.starts_on, source.ends_on)
    if not after:
        # Nothing differs from what is stored: no new version, nothing to audit.
        check_version(source, expected=expected_version)
        return source
    save_versioned(source, expected=expected_version)
    record_audit(
        coalition=source.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=source,
        summary=f"Changed funding source {source.name}: {', '.join(sorted(after))}",
        before=before,
        after=after,
        event="funding.source_changed",
        params={"name": source.name, "fields": sorted(after)},
    )
    return source


@transaction.atomic
def add_amount(
    *, source: FundingSource, actor: Any, starts_on: date, ends_on: date, amount: object
) -> FundingAmount:
    """Record money from ``source`` for a period (spread evenly over its months)."""
    money = clean_amount(amount)
    _check_period(starts_on, ends_on)
    row = FundingAmount.objects.create(
        coalition=source.coalition,
        source=source,
        starts_on=starts_on,
        ends_on=ends_on,
        amount=money,
    )
    record_audit(
        coalition=source.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=row,
        summary=f"Recorded {money} from {source.name} for {starts_on} to {ends_on}",
        after={"amount": str(money), "starts_on": str(starts_on), "ends_on": str(ends_on)},
        event="funding.amount_added",
        params={
            "source": source.name,
            "amount": str(money),
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    return row


@transaction.atomic
def remove_amount(*, amount: FundingAmount, actor: Any) -> None:
    source = amount.source
    before = {
        "amount": str(amount.amount),
        "starts_on": str(amount.starts_on),
        "ends_on": str(amount.ends_on),
    }
    record_audit(
        coalition=amount.coalition,
        actor=actor,
        action=Action.DELETE,
        obj=amount,
        summary=f"Removed {amount.amount} from {source.name}",
        before=before,
        event="funding.amount_removed",
        params={"source": source.name, "amount": str(amount.amount)},
    )
    amount.delete()


# --- budget -----------------------------------------------------------------------------


@transaction.atomic
def add_budget(*, coalition: Coalition, actor: Any, name: str, starts_on: date) -> Budget:
    name = _text(name, "name", required=True, limit=120)
    budget = Budget.objects.create(coalition=coalition, name=name, starts_on=starts_on)
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE,
        obj=budget,
        summary=f"Added budget {name}",
        after={"name": name, "starts_on": starts_on.isoformat()},
        event="funding.budget_added",
        params={"name": name, "starts_on": starts_on.isoformat()},
    )
    return budget


@transaction.atomic
def add_budget_line(
    *, budget: Budget, actor: Any, category: str, amount: object, description: str = ""
) -> BudgetLine:
    if category not in BudgetLine.Category.values:
        raise ValidationError({"category": _("Choose a category from the list.")})
    money = clean_amount(amount)
    line = BudgetLine.objects.create(
        coalition=budget.coalition,
        budget=budget,
        category=category,
        description=_text(description, "description", limit=200),
        amount=money,
    )
    record_audit(
        coalition=budget.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=line,
        summary=f"Added a {category} line of {money} to budget {budget.name}",
        after={"category": category, "amount": str(money), "description": line.description},
        event="funding.budget_line_added",
        params={"budget": budget.name, "category": category, "amount": str(money)},
    )
    return line


@transaction.atomic
def remove_budget_line(*, line: BudgetLine, actor: Any) -> None:
    record_audit(
        coalition=line.coalition,
        actor=actor,
        action=Action.DELETE,
        obj=line,
        summary=f"Removed a {line.category} line of {line.amount} from budget {line.budget.name}",
        before={"category": line.category, "amount": str(line.amount)},
        event="funding.budget_line_removed",
        params={"budget": line.budget.name, "category": line.category, "amount": str(line.amount)},
    )
    line.delete()


# --- shared out -------------------------------------------------------------------------

DISBURSEMENT_FIELDS = (
    "kind",
    "recipient_actor",
    "recipient_place",  # a Place, stored as its kind, code and name
    "amount",
    "purpose",
    "priority_area",
    "source",
    "starts_on",
    "ends_on",
    "status",
)


def _clean_disbursement(coalition: Coalition, values: dict[str, Any]) -> dict[str, Any]:
    if "kind" in values and values["kind"] not in Disbursement.Kind.values:
        raise ValidationError({"kind": _("Choose a kind from the list.")})
    if "status" in values and values["status"] not in Disbursement.Status.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if "amount" in values:
        values["amount"] = clean_amount(values["amount"])
    if "purpose" in values:
        values["purpose"] = _text(values["purpose"], "purpose")
    for field in ("recipient_actor", "recipient_place", "priority_area", "source"):
        _same_coalition(values.get(field), coalition, field)
    if "recipient_place" in values:
        place = values.pop("recipient_place")
        if isinstance(place, Place) and place.kind == Place.Kind.STATE:
            raise ValidationError({"recipient_place": _("Choose a county or a neighborhood.")})
        values["place_kind"] = place.kind if place else ""
        values["place_code"] = place.code if place else ""
        values["place_name"] = place.name if place else ""
    return values


def _check_recipient(row: Disbursement, *, creating: bool) -> None:
    """Exactly one recipient: an actor or a place (an award whose actor was deleted from
    the map keeps its ``recipient_label``)."""
    has_actor, has_place = row.recipient_actor_id is not None, bool(row.place_code)
    lost = not creating and not has_actor and not has_place and bool(row.recipient_label)
    if has_actor == has_place and not lost:
        raise ValidationError(
            {"recipient_actor": _("Choose either an organization or a place as the recipient.")}
        )
    if has_actor and row.recipient_actor is not None:
        row.recipient_label = row.recipient_actor.name
    elif has_place:
        row.recipient_label = row.place_name


def _disbursement_params(row: Disbursement) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "recipient": row.recipient_name,
        "amount": str(row.amount),
        "status": row.status,
    }


@transaction.atomic
def add_disbursement(
    *,
    coalition: Coalition,
    actor: Any,
    kind: str,
    amount: object,
    starts_on: date,
    ends_on: date,
    recipient_actor: Any = None,
    recipient_place: Place | None = None,
    purpose: str = "",
    priority_area: Any = None,
    source: FundingSource | None = None,
    status: str = Disbursement.Status.AWARDED,
) -> Disbursement:
    """Record a grant, loan, stipend or in-kind support shared out."""
    values = _clean_disbursement(
        coalition,
        {
            "kind": kind,
            "amount": amount,
            "recipient_actor": recipient_actor,
            "recipient_place": recipient_place,
            "purpose": purpose,
            "priority_area": priority_area,
            "source": source,
            "status": status,
        },
    )
    _check_period(starts_on, ends_on)
    row = Disbursement(coalition=coalition, starts_on=starts_on, ends_on=ends_on, **values)
    _check_recipient(row, creating=True)
    row.save()
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE,
        obj=row,
        summary=f"Recorded a {row.kind} of {row.amount} to {row.recipient_name}",
        after={k: _json(v) for k, v in values.items()}
        | {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
        event="funding.disbursement_added",
        params=_disbursement_params(row),
    )
    return row


@transaction.atomic
def update_disbursement(
    *, disbursement: Disbursement, actor: Any, expected_version: int | None, **changes: Any
) -> Disbursement:
    unknown = set(changes) - set(DISBURSEMENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    changes = _clean_disbursement(disbursement.coalition, dict(changes))
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for field, value in changes.items():
        old = getattr(disbursement, field)
        if _json(old) != _json(value):
            before[field], after[field] = _json(old), _json(value)
            setattr(disbursement, field, value)
    _check_period(disbursement.starts_on, disbursement.ends_on)
    _check_recipient(disbursement, creating=False)
    if not after:
        check_version(disbursement, expected=expected_version)
        return disbursement
    save_versioned(disbursement, expected=expected_version)
    record_audit(
        coalition=disbursement.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=disbursement,
        summary=f"Changed a {disbursement.kind} to {disbursement.recipient_name}: "
        f"{', '.join(sorted(after))}",
        before=before,
        after=after,
        event="funding.disbursement_changed",
        params=_disbursement_params(disbursement) | {"fields": sorted(after)},
    )
    return disbursement


# --- reporting calendar -----------------------------------------------------------------


@transaction.atomic
def add_requirement(
    *, source: FundingSource, actor: Any, name: str, measure: Any = None
) -> FunderRequirement:
    """Record a measure a funder requires and, optionally, which of ours answers it."""
    name = _text(name, "name", required=True)
    _same_coalition(measure, source.coalition, "measure")
    row = FunderRequirement.objects.create(
        coalition=source.coalition, source=source, name=name, measure=measure
    )
    record_audit(
        coalition=source.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=row,
        summary=f"{source.name} requires {name}",
        after={"name": name, "measure": measure.pk if measure else None},
        event="funding.requirement_added",
        params={
            "source": source.name,
            "name": name,
            "measure": measure.name if measure else "",
        },
    )
    return row


@transaction.atomic
def add_report(
    *, source: FundingSource, actor: Any, title: str, due_on: date, remind_days: int = 30
) -> FunderReport:
    title = _text(title, "title", required=True, limit=200)
    if not 0 <= int(remind_days) <= 365:
        raise ValidationError({"remind_days": _("Choose between 0 and 365 days.")})
    report = FunderReport.objects.create(
        coalition=source.coalition,
        source=source,
        title=title,
        due_on=due_on,
        remind_days=int(remind_days),
    )
    record_audit(
        coalition=source.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=report,
        summary=f"Added report {title} for {source.name}, due {due_on}",
        after={"title": title, "due_on": due_on.isoformat()},
        event="funding.report_added",
        params={"title": title, "source": source.name, "due_on": due_on.isoformat()},
    )
    return report


@transaction.atomic
def mark_report_submitted(
    *, report: FunderReport, actor: Any, submitted_on: date, expected_version: int | None
) -> FunderReport:
    before = {"submitted_on": report.submitted_on.isoformat() if report.submitted_on else None}
    report.submitted_on = submitted_on
    report.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    save_versioned(
        report, expected=expected_version, update_fields=["submitted_on", "submitted_by"]
    )
    record_audit(
        coalition=report.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=report,
        summary=f"Submitted report {report.title} on {submitted_on}",
        before=before,
        after={"submitted_on": submitted_on.isoformat()},
        event="funding.report_submitted",
        params={"title": report.title, "submitted_on": submitted_on.isoformat()},
    )
    return report
