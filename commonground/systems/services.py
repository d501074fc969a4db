"""Writes of the systems app: one function per intention, each in a transaction with one
audit row per change. Bad input raises ``ValidationError`` naming the field; a stale edit
raises ``StaleEditError``; nothing is half-saved."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.coalitions.models import AuditEvent, Coalition, Place
from commonground.coalitions.services import record_audit
from commonground.ecosystem.models import Actor
from commonground.governance.models import Policy
from commonground.lib.versioning import save_versioned
from commonground.measurement.models import Indicator, PriorityArea
from commonground.systems.models import (
    Asset,
    AssetMapLayer,
    CausalLink,
    Commitment,
    CommitmentProgress,
    Factor,
)

Action = AuditEvent.Action
MAX_LINKS = 2_000
MAX_FACTORS = 500


def _same_coalition(obj: Any, coalition: Coalition, field: str, label: str) -> None:
    if obj is not None and obj.coalition_id != coalition.pk:
        raise ValidationError(
            {field: _("The %(field)s belongs to another coalition.") % {"field": label}}
        )


def _text(value: str, field: str, label: str, *, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Give the %(field)s.") % {"field": label}})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("The %(field)s is longer than %(n)d characters.")
                % {"field": label, "n": max_length}
            }
        )
    return value


def _choice(value: str, choices: Any, field: str, label: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            {
                field: _("%(value)r is not a %(field)s; choose one of: %(choices)s.")
                % {"value": value, "field": label, "choices": ", ".join(choices.values)}
            }
        )
    return str(value)


def _audit(
    coalition: Coalition, actor: Any, action: str, obj: Any, event: str, summary: str, **params: Any
) -> None:
    record_audit(
        coalition=coalition,
        actor=actor,
        action=action,
        obj=obj,
        summary=summary,
        event=f"systems.{event}",
        params=params,
    )


# --- factors ---------------------------------------------------------------------------------


def _factor_fields(coalition: Coalition, fields: dict[str, Any], *, exclude: int | None) -> None:
    if "name" in fields:
        fields["name"] = _text(fields["name"], "name", _("name"), max_length=120)
        clash = Factor.objects.filter(coalition=coalition, name__iexact=fields["name"])
        if exclude is not None:
            clash = clash.exclude(pk=exclude)
        if clash.exists():
            raise ValidationError(
                {
                    "name": _("The map already has a factor named %(name)s.")
                    % {"name": fields["name"]}
                }
            )
    if "kind" in fields:
        _choice(fields["kind"], Factor.Kind, "kind", _("kind of factor"))
    if "description" in fields:
        fields["description"] = _text(
            fields["description"], "description", _("description"), max_length=4000, required=False
        )
    _same_coalition(fields.get("policy"), coalition, "policy", _("policy"))
    _same_coalition(fields.get("indicator"), coalition, "indicator", _("indicator"))
    _same_coalition(fields.get("priority_area"), coalition, "priority_area", _("priority area"))


@transaction.atomic
def create_factor(
    *,
    coalition: Coalition,
    actor: Any,
    name: str,
    kind: str = Factor.Kind.CONDITION,
    description: str = "",
    indicator: Indicator | None = None,
    priority_area: PriorityArea | None = None,
    policy: Policy | None = None,
) -> Factor:
    fields: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "description": description,
        "indicator": indicator,
        "priority_area": priority_area,
        "policy": policy,
    }
    _factor_fields(coalition, fields, exclude=None)
    if Factor.objects.filter(coalition=coalition).count() >= MAX_FACTORS:
        raise ValidationError(
            {"name": _("A map holds at most %(n)d factors.") % {"n": MAX_FACTORS}}
        )
    factor = Factor.objects.create(coalition=coalition, **fields)
    _audit(coalition, actor, Action.CREATE, factor, "factor_added", f"Added factor {factor.name}",
           name=factor.name, kind=factor.kind)  # fmt: skip
    return factor


@transaction.atomic
def update_factor(
    *, factor: Factor, actor: Any, expected_version: int | None, **changes: Any
) -> Factor:
    """Change the given fields of ``factor``; a stale ``expected_version`` raises
    ``StaleEditError`` and saves nothing."""
    coalition = factor.coalition
    allowed = {"name", "kind", "description", "indicator", "priority_area", "policy"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    _factor_fields(coalition, changes, exclude=factor.pk)
    before = factor.name
    for key, value in changes.items():
        setattr(factor, key, value)
    save_versioned(factor, expected=expected_version)
    _audit(coalition, actor, Action.UPDATE, factor, "factor_changed",
           f"Changed factor {factor.name}", name=factor.name, before=before)  # fmt: skip
    return factor


@transaction.atomic
def delete_factor(*, factor: Factor, actor: Any, expected_version: int | None) -> None:
    """Delete the factor and its links."""
    coalition = factor.coalition
    save_versioned(factor, expected=expected_version, update_fields=[])
    name, pk = factor.name, factor.pk
    factor.delete()
    factor.pk = pk
    _audit(coalition, actor, Action.DELETE, factor, "factor_removed", f"Removed factor {name}",
           name=name)  # fmt: skip


# --- links -----------------------------------------------------------------------------------


def _link_fields(coalition: Coalition, fields: dict[str, Any]) -> None:
    for key, label in (("source", _("“from” factor")), ("target", _("“to” factor"))):
        if key in fields:
            if fields[key] is None:
                raise ValidationError({key: _("Choose the %(field)s.") % {"field": label}})
            _same_coalition(fields[key], coalition, key, label)
    if "polarity" in fields:
        polarity = str(fields["polarity"]).strip()
        if polarity not in CausalLink.Polarity.values:
            raise ValidationError(
                {
                    "polarity": _(
                        "The polarity must be + (same direction) or - (opposite direction), "
                        "not %(value)r."
                    )
                    % {"value": fields["polarity"]}
                }
            )
        fields["polarity"] = polarity
    if "evidence" in fields:
        fields["evidence"] = _text(
            fields["evidence"], "evidence", _("evidence"), max_length=4000, required=False
        )
    if "has_delay" in fields:
        fields["has_delay"] = bool(fields["has_delay"])


def _no_duplicate(
    coalition: Coalition, source: Factor, target: Factor, exclude: int | None
) -> None:
    clash = CausalLink.objects.filter(coalition=coalition, source=source, target=target)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError(
            {
                "target": _("The map already has a link from %(from)s to %(to)s.")
                % {"from": source.name, "to": target.name}
            }
        )


@transaction.atomic
def create_link(
    *,
    coalition: Coalition,
    actor: Any,
    source: Factor | None,
    target: Factor | None,
    polarity: str,
    has_delay: bool = False,
    evidence: str = "",
) -> CausalLink:
    fields: dict[str, Any] = {
        "source": source,
        "target": target,
        "polarity": polarity,
        "has_delay": has_delay,
        "evidence": evidence,
    }
    _link_fields(coalition, fields)
    _no_duplicate(coalition, fields["source"], fields["target"], None)
    if CausalLink.objects.filter(coalition=coalition).count() >= MAX_LINKS:
        raise ValidationError({"target": _("A map holds at most %(n)d links.") % {"n": MAX_LINKS}})
    link = CausalLink.objects.create(coalition=coalition, **fields)
    _audit(coalition, actor, Action.CREATE, link, "link_added",
           f"Linked {link.source.name} to {link.target.name} ({link.polarity})",
           source=link.source.name, target=link.target.name, polarity=link.polarity)  # fmt: skip
    return link


@transaction.atomic
def update_link(
    *, link: CausalLink, actor: Any, expected_version: int | None, **changes: Any
) -> CausalLink:
    coalition = link.coalition
    allowed = {"source", "target", "polarity", "has_delay", "evidence"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    _link_fields(coalition, changes)
    source = changes.get("source", link.source)
    target = changes.get("target", link.target)
    _no_duplicate(coalition, source, target, link.pk)
    for key, value in changes.items():
        setattr(link, key, value)
    save_versioned(link, expected=expected_version)
    _audit(coalition, actor, Action.UPDATE, link, "link_changed",
           f"Changed the link from {source.name} to {target.name}",
           source=source.name, target=target.name, polarity=link.polarity)  # fmt: skip
    return link


@transaction.atomic
def delete_link(*, link: CausalLink, actor: Any, expected_version: int | None) -> None:
    coalition = link.coalition
    save_versioned(link, expected=expected_version, update_fields=[])
    source, target, pk = link.source.name, link.target.name, link.pk
    link.delete()
    link.pk = pk
    _audit(coalition, actor, Action.DELETE, link, "link_removed",
           f"Removed the link from {source} to {target}", source=source, target=target)  # fmt: skip


# --- assets ----------------------------------------------------------------------------------


def coalition_counties(coalition: Coalition) -> list[str]:
    return list(
        Place.objects.filter(coalition=coalition, kind=Place.Kind.COUNTY)
        .order_by("code")
        .values_list("code", flat=True)
    )


def _asset_fields(coalition: Coalition, fields: dict[str, Any], *, exclude: int | None) -> None:
    if "name" in fields:
        fields["name"] = _text(fields["name"], "name", _("name"), max_length=200)
        clash = Asset.objects.filter(coalition=coalition, name__iexact=fields["name"])
        if exclude is not None:
            clash = clash.exclude(pk=exclude)
        if clash.exists():
            raise ValidationError(
                {"name": _("The asset map already has %(name)s.") % {"name": fields["name"]}}
            )
    if "category" in fields:
        _choice(fields["category"], Asset.Category, "category", _("category"))
    _same_coalition(fields.get("organization"), coalition, "organization", _("ecosystem actor"))
    if fields.get("county_code") and fields["county_code"] not in coalition_counties(coalition):
        raise ValidationError({"county_code": _("Choose one of the coalition's counties.")})
    if "neighborhood" in fields:
        fields["neighborhood"] = _text(
            fields["neighborhood"],
            "neighborhood",
            _("neighborhood"),
            max_length=120,
            required=False,
        )
    if "notes" in fields:
        fields["notes"] = _text(
            fields["notes"], "notes", _("notes"), max_length=2000, required=False
        )
    for key, bound in (("latitude", 90.0), ("longitude", 180.0)):
        value = fields.get(key)
        if value is not None and (not math.isfinite(value) or abs(value) > bound):
            raise ValidationError(
                {
                    key: _("The %(field)s must be between -%(n)s and %(n)s.")
                    % {"field": key, "n": bound}
                }
            )


def _check_sessions(coalition: Coalition, sessions: list[Any]) -> None:
    for session in sessions:
        _same_coalition(session, coalition, "sessions", _("listening session"))


def _check_coordinates(asset: Asset) -> None:
    if (asset.latitude is None) != (asset.longitude is None):
        raise ValidationError(
            {"longitude": _("Give both the latitude and the longitude, or neither.")}
        )
    if not asset.county_code and not asset.neighborhood:
        raise ValidationError({"county_code": _("Give the asset's county or neighborhood.")})


ASSET_FIELDS = (
    "name",
    "category",
    "organization",
    "county_code",
    "neighborhood",
    "latitude",
    "longitude",
    "named_in_sessions",
    "notes",
    "sessions",
)


@transaction.atomic
def create_asset(*, coalition: Coalition, actor: Any, **fields: Any) -> Asset:
    unknown = set(fields) - set(ASSET_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set.")})
    fields.setdefault("category", "")
    fields.setdefault("name", "")
    sessions = list(fields.pop("sessions", None) or [])
    _asset_fields(coalition, fields, exclude=None)
    _check_sessions(coalition, sessions)
    asset = Asset(coalition=coalition, **fields)
    _check_coordinates(asset)
    asset.save()
    asset.sessions.set(sessions)
    _audit(coalition, actor, Action.CREATE, asset, "asset_added", f"Added asset {asset.name}",
           name=asset.name, category=asset.category)  # fmt: skip
    return asset


@transaction.atomic
def update_asset(
    *, asset: Asset, actor: Any, expected_version: int | None, **changes: Any
) -> Asset:
    coalition = asset.coalition
    unknown = set(changes) - set(ASSET_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    sessions = changes.pop("sessions", None)
    _asset_fields(coalition, changes, exclude=asset.pk)
    if sessions is not None:
        sessions = list(sessions)
        _check_sessions(coalition, sessions)
    for key, value in changes.items():
        setattr(asset, key, value)
    _check_coordinates(asset)
    save_versioned(asset, expected=expected_version)
    if sessions is not None:
        asset.sessions.set(sessions)
    _audit(coalition, actor, Action.UPDATE, asset, "asset_changed", f"Changed asset {asset.name}",
           name=asset.name)  # fmt: skip
    return asset


@transaction.atomic
def delete_asset(*, asset: Asset, actor: Any, expected_version: int | None) -> None:
    coalition = asset.coalition
    save_versioned(asset, expected=expected_version, update_fields=[])
    name, pk = asset.name, asset.pk
    asset.delete()
    asset.pk = pk
    _audit(coalition, actor, Action.DELETE, asset, "asset_removed", f"Removed asset {name}",
           name=name)  # fmt: skip


# Ecosystem sectors whose actors are usually community assets, and the asset category.
SECTOR_CATEGORIES = {
    "community_health_center": Asset.Category.CLINIC,
    "hospital_health_system": Asset.Category.CLINIC,
    "food": Asset.Category.FOOD,
    "faith_community": Asset.Category.FAITH,
    "k12_schools": Asset.Category.SCHOOL,
    "early_childhood": Asset.Category.SCHOOL,
}


def asset_category_for(actor: Actor) -> str | None:
    """The asset category of an ecosystem actor, or None when it is not a community asset."""
    lowered = actor.name.lower()
    if any(word in lowered for word in ("barber", "salon", "beauty")):
        return str(Asset.Category.BARBERSHOP_SALON)
    if "library" in lowered:
        return str(Asset.Category.LIBRARY)
    if "park" in lowered.split():
        return str(Asset.Category.PARK)
    category = SECTOR_CATEGORIES.get(actor.sector_id)
    return None if category is None else str(category)


@transaction.atomic
def add_assets_from_actors(*, coalition: Coalition, actor: Any, county_code: str) -> list[Asset]:
    """An asset for every ecosystem actor that is a community asset and not on the map yet,
    placed in ``county_code`` (to be corrected asset by asset)."""
    if county_code not in coalition_counties(coalition):
        raise ValidationError({"county_code": _("Choose one of the coalition's counties.")})
    taken_actors = set(
        Asset.objects.filter(coalition=coalition, organization__isnull=False).values_list(
            "organization_id", flat=True
        )
    )
    taken_names = {
        n.lower() for n in Asset.objects.filter(coalition=coalition).values_list("name", flat=True)
    }
    created = []
    for org in Actor.objects.filter(coalition=coalition).order_by("name"):
        category = asset_category_for(org)
        if category is None or org.pk in taken_actors or org.name.lower() in taken_names:
            continue
        asset = Asset.objects.create(
            coalition=coalition,
            name=org.name,
            category=category,
            organization=org,
            county_code=county_code,
        )
        created.append(asset)
        _audit(coalition, actor, Action.CREATE, asset, "asset_added",
               f"Added asset {asset.name} from the ecosystem map",
               name=asset.name, category=asset.category)  # fmt: skip
    return created


@transaction.atomic
def set_asset_layer(
    *, coalition: Coalition, actor: Any, indicator: Indicator | None, group: str
) -> AssetMapLayer:
    if indicator is None:
        raise ValidationError({"indicator": _("Choose the indicator to draw under the assets.")})
    _same_coalition(indicator, coalition, "indicator", _("indicator"))
    group = _text(group, "group", _("group"), max_length=40)
    layer, _created = AssetMapLayer.objects.update_or_create(
        coalition=coalition, defaults={"indicator": indicator, "group": group}
    )
    _audit(coalition, actor, Action.UPDATE, layer, "asset_layer_chosen",
           f"Drew the asset map over {indicator.name} ({group})", indicator=indicator.name, code=indicator.code, group=group)  # fmt: skip
    return layer


# --- anchor commitments ----------------------------------------------------------------------

COMMITMENT_FIELDS = (
    "institution",
    "kind",
    "description",
    "measure",
    "unit",
    "baseline",
    "target_value",
    "target_period",
)


def _number(value: Any, field: str, label: str, *, required: bool) -> float | None:
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("Give the %(field)s.") % {"field": label}})
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(
            {field: _("The %(field)s must be a number.") % {"field": label}}
        ) from None
    if not math.isfinite(number):
        raise ValidationError({field: _("The %(field)s must be a number.") % {"field": label}})
    return number


def _commitment_fields(coalition: Coalition, fields: dict[str, Any]) -> None:
    if "institution" in fields:
        if fields["institution"] is None:
            raise ValidationError({"institution": _("Choose the anchor institution.")})
        _same_coalition(fields["institution"], coalition, "institution", _("anchor institution"))
    if "kind" in fields:
        _choice(fields["kind"], Commitment.Kind, "kind", _("kind of commitment"))
    if "measure" in fields:
        fields["measure"] = _text(fields["measure"], "measure", _("measure"), max_length=200)
    if "unit" in fields:
        fields["unit"] = _text(fields["unit"], "unit", _("unit"), max_length=40, required=False)
    if "description" in fields:
        fields["description"] = _text(
            fields["description"], "description", _("description"), max_length=4000, required=False
        )
    if "target_period" in fields:
        fields["target_period"] = _text(
            fields["target_period"], "target_period", _("target period"), max_length=40
        )
    if "baseline" in fields:
        fields["baseline"] = _number(fields["baseline"], "baseline", _("baseline"), required=False)
    if "target_value" in fields:
        fields["target_value"] = _number(
            fields["target_value"], "target_value", _("target"), required=True
        )


@transaction.atomic
def create_commitment(*, coalition: Coalition, actor: Any, **fields: Any) -> Commitment:
    unknown = set(fields) - set(COMMITMENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be set.")})
    for key in ("institution", "kind", "measure", "target_value", "target_period"):
        fields.setdefault(key, None if key in {"institution", "target_value"} else "")
    _commitment_fields(coalition, fields)
    commitment = Commitment.objects.create(coalition=coalition, **fields)
    _audit(coalition, actor, Action.CREATE, commitment, "commitment_added",
           f"Added a commitment of {commitment.institution.name}: {commitment.measure}",
           institution=commitment.institution.name, measure=commitment.measure)  # fmt: skip
    return commitment


@transaction.atomic
def update_commitment(
    *, commitment: Commitment, actor: Any, expected_version: int | None, **changes: Any
) -> Commitment:
    coalition = commitment.coalition
    unknown = set(changes) - set(COMMITMENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    _commitment_fields(coalition, changes)
    for key, value in changes.items():
        setattr(commitment, key, value)
    save_versioned(commitment, expected=expected_version)
    _audit(coalition, actor, Action.UPDATE, commitment, "commitment_changed",
           f"Changed a commitment of {commitment.institution.name}: {commitment.measure}",
           institution=commitment.institution.name, measure=commitment.measure)  # fmt: skip
    return commitment


@transaction.atomic
def record_progress(
    *, commitment: Commitment, actor: Any, period: str, value: Any, note: str = ""
) -> CommitmentProgress:
    """Record (or correct) the measure's value for ``period``."""
    coalition = commitment.coalition
    period = _text(period, "period", _("period"), max_length=40)
    number = _number(value, "value", _("value"), required=True)
    note = _text(note, "note", _("note"), max_length=240, required=False)
    row, created = CommitmentProgress.objects.update_or_create(
        coalition=coalition, commitment=commitment, period=period,
        defaults={"value": number, "note": note},
    )  # fmt: skip
    _audit(coalition, actor, Action.CREATE if created else Action.UPDATE, row, "progress_recorded",
           f"Recorded {number} for {commitment.measure} in {period}",
           institution=commitment.institution.name, measure=commitment.measure, period=period, value=number)  # fmt: skip
    return row
