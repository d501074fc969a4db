"""Writes of the ecosystem map. Each function is one intention: it validates, writes inside
one transaction, and records one audit row per change (``record_audit``)."""

from __future__ import annotations

import hashlib
import secrets
import smtplib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import F, Q
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from commonground.coalitions.models import AuditEvent, Coalition
from commonground.coalitions.services import record_audit
from commonground.ecosystem import emails, selectors, survey_selectors
from commonground.ecosystem.domain.model import Network
from commonground.ecosystem.domain.sectors import SECTORS_BY_ID
from commonground.ecosystem.domain.snapshots import network_to_data
from commonground.ecosystem.models import (
    POPULATION_IDS,
    RATING_FIELDS,
    ROLE_IDS,
    Actor,
    Contribution,
    NetworkSurvey,
    Snapshot,
    SurveyInvitation,
    SurveyResponse,
    Tie,
)
from commonground.lib.versioning import StaleEditError, save_versioned

Action = AuditEvent.Action

ACTOR_FIELDS = (
    "name",
    "kind",
    "sector_id",
    "role_ids",
    "geographic_scale",
    "is_community_led",
    "population_ids",
    "contribution_ids",
    "contact_name",
    "contact_email",
    "contact_phone",
    "notes",
    "is_coalition_member",
    "influence",
    "alignment",
)
LIST_VOCABULARIES: Mapping[str, tuple[str, ...]] = {
    "role_ids": ROLE_IDS,
    "population_ids": POPULATION_IDS,
    "contribution_ids": tuple(Contribution.values),
}


class SurveyLinkError(Exception):
    """A survey link that cannot be used (unknown, used, or its survey closed)."""


@dataclass(frozen=True, slots=True)
class TieAnswer:
    """One partner named in a survey answer, with the respondent's view of the tie."""

    partner_id: int
    type_ids: tuple[str, ...] = ()
    intensity: int = Tie.Intensity.COOPERATION
    frequency: str = ""
    ratings: Mapping[str, int] = field(default_factory=dict)


def _actor_data(actor: Actor) -> dict[str, Any]:
    return {name: getattr(actor, name) for name in ACTOR_FIELDS}


def _tie_data(tie: Tie) -> dict[str, Any]:
    return {
        "from": tie.from_actor_id,
        "to": tie.to_actor_id,
        "types": list(tie.type_ids),
        "intensity": tie.intensity,
        "frequency": tie.frequency,
        "ratings": tie.ratings(),
        "reported_by": tie.reported_by_id,
    }


def _clean_list(name: str, values: Iterable[str]) -> list[str]:
    allowed = LIST_VOCABULARIES[name]
    cleaned = []
    for value in values:
        value = str(value).strip()
        if not value:
            continue
        if value not in allowed:
            raise ValidationError(
                {
                    name: _("“%(value)s” is not one of: %(allowed)s.")
                    % {"value": value, "allowed": ", ".join(allowed)}
                }
            )
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def _check_text(name: str, value: Any) -> None:
    # PostgreSQL text cannot hold NUL characters; refuse them as bad input, not a crash.
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError({name: _("Remove the invisible control character.")})


def _apply_actor_fields(actor: Actor, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        if name not in ACTOR_FIELDS:
            raise ValueError(f"not an actor field: {name}")
        _check_text(name, value)
        if name in LIST_VOCABULARIES:
            value = _clean_list(name, value or [])
        elif name == "name":
            value = " ".join(str(value).split())
        setattr(actor, name, value)
    if actor.sector_id not in SECTORS_BY_ID:
        raise ValidationError({"sector_id": _("Choose a sector from the list.")})


def _check_unique_name(actor: Actor) -> None:
    # Archived actors keep their name (restoring one must not clash), so look at them too.
    clash = Actor.all_objects.filter(coalition_id=actor.coalition_id, name__iexact=actor.name)
    if actor.pk is not None:
        clash = clash.exclude(pk=actor.pk)
    other = clash.first()
    if other is None:
        return
    if other.archived_at is not None:
        raise ValidationError(
            {
                "name": _(
                    "An archived actor is named “%(name)s”. Restore it from the archived "
                    "actors page instead of adding it again."
                )
                % {"name": other.name}
            }
        )
    raise ValidationError(
        {"name": _("An actor named “%(name)s” is already on the map.") % {"name": actor.name}}
    )


def _lock_actor(actor: Actor, expected_version: int | None) -> Actor:
    """The stored actor, locked for this transaction; ``StaleEditError`` when it moved on."""
    fresh = Actor.all_objects.select_for_update().filter(pk=actor.pk).first()
    if fresh is None or (expected_version is not None and fresh.version != expected_version):
        raise StaleEditError()
    return fresh


@transaction.atomic
def create_actor(*, coalition: Coalition, user: Any, **fields: Any) -> Actor:
    """Add an actor to the map; raise ``ValidationError`` naming the field at fault."""
    with scope(coalition=coalition):
        actor = Actor(coalition=coalition)
        _apply_actor_fields(actor, fields)
        actor.full_clean(exclude=["coalition"])
        _check_unique_name(actor)
        actor.save()
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.CREATE,
            obj=actor,
            summary=f"Added {actor.name} to the ecosystem map",
            after=_actor_data(actor),
            event="ecosystem.actor_added",
            params={"name": actor.name},
        )
    return actor


@transaction.atomic
def update_actor(
    *, actor: Actor, user: Any, expected_version: int | None = None, **fields: Any
) -> Actor:
    """Change an actor's fields (only those given).

    ``expected_version`` is the version the editor saw: when someone saved the actor
    since, nothing is written and ``StaleEditError`` is raised (the first writer's values
    stay). ``None`` (imports, commands) saves without comparing but still bumps the version.
    """
    coalition = actor.coalition
    with scope(coalition=coalition):
        actor = _lock_actor(actor, expected_version)
        if actor.archived_at is not None:
            raise ValidationError(_("This actor is archived. Restore it before changing it."))
        before = _actor_data(actor)
        _apply_actor_fields(actor, fields)
        actor.full_clean(exclude=["coalition"])
        if _actor_data(actor) == before:
            return actor  # nothing changed: no write, no audit row
        _check_unique_name(actor)
        save_versioned(actor, expected=actor.version)
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.UPDATE,
            obj=actor,
            summary=f"Updated {actor.name} on the ecosystem map",
            before=before,
            after=_actor_data(actor),
            event="ecosystem.actor_updated",
            params={"name": actor.name},
        )
    return actor


@dataclass(frozen=True, slots=True)
class ActorReferences:
    """What other partners wrote about an actor: if any, it is archived, never deleted."""

    partner_ties: int  # ties a partner reported (in a survey answer) with this actor at one end
    survey_answers: int  # survey answers this actor gave

    @property
    def any(self) -> bool:
        return bool(self.partner_ties or self.survey_answers)


def actor_references(actor: Actor) -> ActorReferences:
    """Count the partners' records that refer to ``actor`` (archived ends included)."""
    with scope(coalition=actor.coalition):
        ends = Q(from_actor_id=actor.pk) | Q(to_actor_id=actor.pk)
        return ActorReferences(
            partner_ties=Tie.all_objects.filter(ends, reported_by__isnull=False).count(),
            survey_answers=SurveyResponse.objects.filter(actor_id=actor.pk).count(),
        )


def _row_data(obj: Any) -> dict[str, Any]:
    """A removed row's values for its audit row (plain JSON)."""
    if isinstance(obj, Tie):
        return _tie_data(obj)
    if isinstance(obj, Actor):
        return _actor_data(obj)
    data: dict[str, Any] = {}
    for model_field in obj._meta.concrete_fields:
        if model_field.name in ("coalition", "token_hash"):
            continue
        value = getattr(obj, model_field.attname)
        data[model_field.attname] = (
            value
            if value is None or isinstance(value, bool | int | float | str | list | dict)
            else str(value)
        )
    return data


@transaction.atomic
def delete_with_audit(*, obj: Any, user: Any, summary: str) -> int:
    """Delete ``obj`` and every row its deletion removes, writing one audit row per row.

    The rows and their audit rows go in one transaction (the caller's, when it has one);
    call it in the coalition's scope. Django's own collector finds the dependent rows
    (ties, survey links, answers…), so a cascade added later is audited too. Return the
    number of dependent rows removed.
    """
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    collector.collect([obj])
    dependents: list[Any] = []
    for queryset in collector.fast_deletes:
        dependents.extend(queryset)
    for model, instances in collector.data.items():
        dependents.extend(i for i in instances if not (model is type(obj) and i.pk == obj.pk))
    coalition = obj.coalition
    for row in sorted(dependents, key=lambda r: (type(r).__name__, r.pk)):
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.DELETE,
            obj=row,
            summary=f"{summary}: removed {type(row).__name__} {row.pk} with it",
            before=_row_data(row),
        )
    record_audit(
        coalition=coalition,
        actor=user,
        action=Action.DELETE,
        obj=obj,
        summary=summary,
        before=_row_data(obj),
    )
    obj.delete()
    return len(dependents)


@transaction.atomic
def delete_actor(*, actor: Actor, user: Any, expected_version: int | None = None) -> str:
    """Take an actor off the map; return ``"archived"`` or ``"deleted"``.

    An actor that partners' ties or survey answers refer to is archived: it leaves the
    map, the lists and the analysis, its ties are kept (out of the analysis too) and an
    admin can restore it. An actor nobody else wrote about is deleted with its
    backbone-entered ties and unused survey links, one audit row for each removed row.
    """
    coalition = actor.coalition
    with scope(coalition=coalition):
        actor = _lock_actor(actor, expected_version)
        if actor.archived_at is not None:
            return "archived"
        references = actor_references(actor)
        if references.any:
            actor.archived_at = timezone.now()
            actor.archived_by = user if user is not None and user.is_authenticated else None
            save_versioned(
                actor, expected=actor.version, update_fields=["archived_at", "archived_by_id"]
            )
            record_audit(
                coalition=coalition,
                actor=user,
                action=Action.UPDATE,
                obj=actor,
                summary=(
                    f"Archived {actor.name}: {references.partner_ties} partner ties and "
                    f"{references.survey_answers} survey answers refer to it"
                ),
                before={"archived_at": None},
                after={"archived_at": actor.archived_at.isoformat()},
                event="ecosystem.actor_archived",
                params={
                    "name": actor.name,
                    "partner_ties": references.partner_ties,
                    "survey_answers": references.survey_answers,
                },
            )
            return "archived"
        delete_with_audit(
            obj=actor, user=user, summary=f"Removed {actor.name} from the ecosystem map"
        )
        return "deleted"


@transaction.atomic
def restore_actor(*, actor: Actor, user: Any) -> Actor:
    """Put an archived actor back on the map, with its ties."""
    coalition = actor.coalition
    with scope(coalition=coalition):
        actor = _lock_actor(actor, None)
        if actor.archived_at is None:
            raise ValidationError(_("This actor is on the map already."))
        before = {"archived_at": actor.archived_at.isoformat()}
        actor.archived_at = None
        actor.archived_by = None
        save_versioned(
            actor, expected=actor.version, update_fields=["archived_at", "archived_by_id"]
        )
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.UPDATE,
            obj=actor,
            summary=f"Restored {actor.name} to the ecosystem map",
            before=before,
            after={"archived_at": None},
            event="ecosystem.actor_restored",
            params={"name": actor.name},
        )
    return actor


@transaction.atomic
def place_on_power_map(
    *,
    actor: Actor,
    user: Any,
    influence: int | None,
    alignment: int | None,
    expected_version: int | None = None,
) -> Actor:
    """Set an actor's position on the power map (0-100 each, or ``None`` to take it off)."""
    for name, value in (("influence", influence), ("alignment", alignment)):
        if value is not None and not 0 <= value <= 100:
            raise ValidationError({name: _("Enter a number from 0 to 100.")})
    coalition = actor.coalition
    with scope(coalition=coalition):
        actor = _lock_actor(actor, expected_version)
        before = {"influence": actor.influence, "alignment": actor.alignment}
        actor.influence, actor.alignment = influence, alignment
        save_versioned(
            actor, expected=actor.version, update_fields=["influence", "alignment", "updated_at"]
        )
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.UPDATE,
            obj=actor,
            summary=f"Placed {actor.name} on the power map",
            before=before,
            after={"influence": influence, "alignment": alignment},
            event="ecosystem.power_map_placed",
            params={"name": actor.name, "influence": influence, "alignment": alignment},
        )
    return actor


@dataclass(frozen=True, slots=True)
class Position:
    """One actor's new place on the power map, with the version its editor saw."""

    actor: Actor
    influence: int | None
    alignment: int | None
    expected_version: int | None


@transaction.atomic
def save_power_map(*, coalition: Coalition, user: Any, positions: Sequence[Position]) -> int:
    """Place several actors at once: all or nothing. Return how many were placed.

    When any actor changed since the editor drew the map, ``StaleEditError`` names it and
    nothing is saved.
    """
    with scope(coalition=coalition):
        for position in positions:
            if position.actor.coalition_id != coalition.pk:
                raise ValidationError(_("Place only actors on this coalition's map."))
            try:
                place_on_power_map(
                    actor=position.actor,
                    user=user,
                    influence=position.influence,
                    alignment=position.alignment,
                    expected_version=position.expected_version,
                )
            except StaleEditError:
                raise StaleEditError(
                    _(
                        "Someone else changed %(name)s after you opened the power map, so "
                        "nothing was saved. Reload the page to see their changes."
                    )
                    % {"name": position.actor.name}
                ) from None
    return len(positions)


def _clean_tie(
    *,
    from_actor: Actor,
    to_actor: Actor,
    type_ids: Iterable[str],
    intensity: int,
    frequency: str,
    ratings: Mapping[str, int | None],
    reported_by: Actor | None,
) -> dict[str, Any]:
    if from_actor.coalition_id != to_actor.coalition_id:
        raise ValidationError(
            {"to_actor": _("Both ends of a tie must be on this coalition's map.")}
        )
    if from_actor.pk == to_actor.pk:
        raise ValidationError({"to_actor": _("A tie joins two different actors.")})
    if reported_by is not None and reported_by.pk not in (from_actor.pk, to_actor.pk):
        raise ValidationError({"reported_by": _("The reporter must be one end of the tie.")})
    types = []
    for value in type_ids:
        if value not in Tie.Type.values:
            raise ValidationError(
                {"type_ids": _("“%(value)s” is not a tie type.") % {"value": value}}
            )
        if value not in types:
            types.append(value)
    if intensity not in Tie.Intensity.values:
        raise ValidationError(
            {"intensity": _("Choose awareness, cooperation, coordination or integration.")}
        )
    if frequency and frequency not in Tie.Frequency.values:
        raise ValidationError({"frequency": _("Choose a frequency from the list.")})
    cleaned: dict[str, int | None] = {}
    for name, rating in ratings.items():
        if name not in RATING_FIELDS:
            raise ValidationError({name: _("Not a rating.")})
        if rating is not None and not 1 <= int(rating) <= 4:
            raise ValidationError({name: _("Ratings go from 1 to 4.")})
        cleaned[name] = None if rating is None else int(rating)
    if any(v is not None for v in cleaned.values()) and reported_by is None:
        raise ValidationError({"reported_by": _("Ratings need the partner who gave them.")})
    return {"type_ids": types, "intensity": intensity, "frequency": frequency, **cleaned}


@transaction.atomic
def record_tie(
    *,
    coalition: Coalition,
    user: Any,
    from_actor: Actor,
    to_actor: Actor,
    type_ids: Iterable[str] = (),
    intensity: int = Tie.Intensity.COOPERATION,
    frequency: str = "",
    ratings: Mapping[str, int | None] | None = None,
    reported_by: Actor | None = None,
    survey_response: SurveyResponse | None = None,
    update_existing: bool = True,
) -> Tie:
    """Record a tie from ``from_actor`` to ``to_actor``.

    A tie already recorded from the same actor to the same actor by the same
    reporter is updated instead, so re-entering it (an import, a survey answer) creates
    no duplicate. With ``update_existing=False`` (the "record a tie" form, which saw no
    version of it) such a tie is refused instead: it is changed on its own edit page.
    """
    if from_actor.coalition_id != coalition.pk or to_actor.coalition_id != coalition.pk:
        raise ValidationError(
            {"to_actor": _("Both ends of a tie must be on this coalition's map.")}
        )
    values = _clean_tie(
        from_actor=from_actor,
        to_actor=to_actor,
        type_ids=type_ids,
        intensity=intensity,
        frequency=frequency,
        ratings=ratings or {},
        reported_by=reported_by,
    )
    with scope(coalition=coalition):
        if (
            Actor.objects.filter(pk__in=[from_actor.pk, to_actor.pk]).count() != 2
        ):  # an end was archived (or removed) since the form was drawn
            raise ValidationError(
                {"to_actor": _("Both ends of a tie must be on this coalition's map.")}
            )
        tie = (
            Tie.all_objects.select_for_update()
            .filter(from_actor=from_actor, to_actor=to_actor, reported_by=reported_by)
            .first()
        )
        before = None if tie is None else _tie_data(tie)
        if tie is not None and not update_existing:
            raise ValidationError(
                {
                    "to_actor": _(
                        "The backbone already recorded a tie from %(from)s to %(to)s: "
                        "change it on its edit page."
                    )
                    % {"from": from_actor.name, "to": to_actor.name}
                }
            )
        if tie is None:
            tie = Tie(
                coalition=coalition,
                from_actor=from_actor,
                to_actor=to_actor,
                reported_by=reported_by,
            )
        for name, value in values.items():
            setattr(tie, name, value)
        if survey_response is not None:
            tie.survey_response = survey_response
        if before is None:
            tie.save()
        else:
            save_versioned(tie, expected=None)
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.CREATE if before is None else Action.UPDATE,
            obj=tie,
            summary=f"Tie {from_actor.name} → {to_actor.name}",
            before=before,
            after=_tie_data(tie),
            event="ecosystem.tie_saved",
            params={"from_name": from_actor.name, "to_name": to_actor.name},
        )
    return tie


def _lock_tie(tie: Tie, expected_version: int | None) -> Tie:
    fresh = (
        Tie.objects.select_for_update(of=("self",))
        .select_related("from_actor", "to_actor")
        .filter(pk=tie.pk)
        .first()
    )
    if fresh is None or (expected_version is not None and fresh.version != expected_version):
        raise StaleEditError()
    return fresh


@transaction.atomic
def update_tie(
    *,
    tie: Tie,
    user: Any,
    expected_version: int | None,
    type_ids: Iterable[str],
    intensity: int,
    frequency: str,
) -> Tie:
    """Change a backbone-entered tie's types, intensity and frequency.

    A tie a partner reported is its survey answer and stays as the partner gave it.
    A stale edit (``expected_version`` no longer stored) raises ``StaleEditError``.
    """
    coalition = tie.coalition
    with scope(coalition=coalition):
        tie = _lock_tie(tie, expected_version)
        if tie.reported_by_id is not None:
            raise ValidationError(
                _(
                    "This tie is a partner's survey answer: it stays as the partner gave it. "
                    "Record the backbone's own view as a separate tie."
                )
            )
        values = _clean_tie(
            from_actor=tie.from_actor,
            to_actor=tie.to_actor,
            type_ids=type_ids,
            intensity=intensity,
            frequency=frequency,
            ratings={},
            reported_by=None,
        )
        before = _tie_data(tie)
        for name, value in values.items():
            setattr(tie, name, value)
        save_versioned(tie, expected=tie.version)
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.UPDATE,
            obj=tie,
            summary=f"Tie {tie.from_actor.name} → {tie.to_actor.name}",
            before=before,
            after=_tie_data(tie),
            event="ecosystem.tie_saved",
            params={"from_name": tie.from_actor.name, "to_name": tie.to_actor.name},
        )
    return tie


@transaction.atomic
def delete_tie(*, tie: Tie, user: Any, expected_version: int | None = None) -> None:
    coalition = tie.coalition
    with scope(coalition=coalition):
        tie = _lock_tie(tie, expected_version)
        delete_with_audit(
            obj=tie,
            user=user,
            summary=f"Removed the tie {tie.from_actor.name} → {tie.to_actor.name}",
        )


# ---------------------------------------------------------------- the network survey


def _renew_link(invitation: SurveyInvitation, *, user: Any, downloaded: bool = False) -> str:
    """Give a locked, unanswered invitation a new link (the old one stops working), audited;
    return the new token. Call inside the coalition's scope and transaction."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.save(update_fields=["token_hash"])
    name = invitation.actor.name
    record_audit(
        coalition=invitation.coalition,
        actor=user,
        action=Action.UPDATE,
        obj=invitation,
        summary=f"New survey link for {name}" + (", downloaded" if downloaded else ""),
        event="ecosystem.survey_link_renewed",
        params={"name": name, "downloaded": True} if downloaded else {"name": name},
    )
    return token


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_survey(
    *,
    coalition: Coalition,
    user: Any,
    title: str,
    actors: Sequence[Actor],
    language: str = "",
) -> tuple[NetworkSurvey, list[tuple[SurveyInvitation, str]]]:
    """Open a survey round with a personal link for each of ``actors``.

    Return the survey and each invitation with its raw token: the token is shown
    once and only its hash is stored. ``language`` (the opener's) is the language of the
    e-mails to people who have no account.
    """
    _check_text("title", title)
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the survey a title.")})
    if not actors:
        raise ValidationError({"actors": _("Choose at least one partner to invite.")})
    with scope(coalition=coalition):
        if any(a.coalition_id != coalition.pk for a in actors):
            raise ValidationError({"actors": _("Invite only actors on this coalition's map.")})
        survey = NetworkSurvey.objects.create(coalition=coalition, title=title, created_by=user)
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.CREATE,
            obj=survey,
            summary=f"Opened the network survey {title}",
            after={"title": title, "invited": sorted(a.pk for a in actors)},
            event="ecosystem.survey_opened",
            params={"title": title, "invited": len(set(actors))},
        )
        links = []
        for actor in dict.fromkeys(actors):
            token = secrets.token_urlsafe(32)
            invitation = SurveyInvitation.objects.create(
                coalition=coalition,
                survey=survey,
                actor=actor,
                token_hash=_token_hash(token),
                language=language[:8],
            )
            record_audit(
                coalition=coalition,
                actor=user,
                action=Action.CREATE,
                obj=invitation,
                summary=f"Survey link for {actor.name}",
                event="ecosystem.survey_link_created",
                params={"name": actor.name},
            )
            links.append((invitation, token))
    return survey, links


@transaction.atomic
def renew_survey_link(*, invitation: SurveyInvitation, user: Any) -> str:
    """Replace an unused link with a new one (the old one stops working); return the token."""
    coalition = invitation.coalition
    with scope(coalition=coalition):
        invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.responded_at is not None:
            raise ValidationError(_("This partner has already answered; the link is used."))
        token = _renew_link(invitation, user=user)
    return token


@transaction.atomic
def close_survey(
    *, survey: NetworkSurvey, user: Any, expected_version: int | None = None
) -> NetworkSurvey:
    """Close a round: its unused links stop working. Stale (``expected_version``) -> 409."""
    coalition = survey.coalition
    with scope(coalition=coalition):
        survey = NetworkSurvey.objects.select_for_update().get(pk=survey.pk)
        if expected_version is not None and survey.version != expected_version:
            raise StaleEditError()
        if survey.status == NetworkSurvey.Status.CLOSED:
            return survey
        survey.status = NetworkSurvey.Status.CLOSED
        survey.closed_at = timezone.now()
        save_versioned(survey, expected=survey.version, update_fields=["status", "closed_at"])
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.UPDATE,
            obj=survey,
            summary=f"Closed the network survey {survey.title}",
            before={"status": "open"},
            after={"status": "closed"},
            event="ecosystem.survey_closed",
            params={"title": survey.title},
        )
    return survey


def find_survey_link(*, token: str) -> SurveyInvitation:
    """Return the usable invitation of a survey link, or raise ``SurveyLinkError``.

    The only read of survey invitations across coalitions: by the token's hash.
    """
    with scopes_disabled():
        invitation = (
            SurveyInvitation.objects.select_related("survey", "actor", "coalition")
            .filter(token_hash=_token_hash(token))
            .first()
        )
    if invitation is None:
        raise SurveyLinkError(_("This survey link is not valid. Ask the coalition for a new one."))
    if invitation.responded_at is not None:
        raise SurveyLinkError(
            _(
                "This survey link has already been used. Each link works once; thank you for answering."
            )
        )
    if invitation.survey.status != NetworkSurvey.Status.OPEN:
        raise SurveyLinkError(_("This survey is closed."))
    if invitation.actor.archived_at is not None:
        raise SurveyLinkError(_("This survey link is not valid. Ask the coalition for a new one."))
    return invitation


def find_member_invitation(
    *, coalition: Coalition, invitation_id: int, user: Any
) -> SurveyInvitation:
    """The invitation a signed-in member answers for, usable now.

    Raise ``SurveyInvitation.DoesNotExist`` when it is not this coalition's,
    ``PermissionDenied`` when the member does not answer for its actor, and
    ``SurveyLinkError`` when it is answered, closed or its actor archived.
    """
    with scope(coalition=coalition):
        invitation = SurveyInvitation.objects.select_related("survey", "actor", "coalition").get(
            coalition=coalition, pk=invitation_id
        )
    if not survey_selectors.may_answer(invitation=invitation, user=user):
        raise PermissionDenied(
            _("You answer the survey only for your own organization (%(name)s is not yours).")
            % {"name": invitation.actor.name}
        )
    if invitation.responded_at is not None:
        raise SurveyLinkError(
            _("%(name)s has already answered this survey; thank you.")
            % {"name": invitation.actor.name}
        )
    if invitation.survey.status != NetworkSurvey.Status.OPEN:
        raise SurveyLinkError(_("This survey is closed."))
    if invitation.actor.archived_at is not None:
        raise SurveyLinkError(
            _("%(name)s is no longer on the coalition's map.") % {"name": invitation.actor.name}
        )
    return invitation


@transaction.atomic
def submit_network_survey(
    *,
    token: str,
    answers: Sequence[TieAnswer],
    contribution_ids: Iterable[str] = (),
    comment: str = "",
) -> SurveyResponse:
    """Save a partner's answers given through its personal link (see ``_save_answers``)."""
    invitation = find_survey_link(token=token)
    return _save_answers(
        invitation=invitation,
        user=None,
        answers=answers,
        contribution_ids=contribution_ids,
        comment=comment,
    )


@transaction.atomic
def answer_network_survey(
    *,
    coalition: Coalition,
    invitation_id: int,
    user: Any,
    answers: Sequence[TieAnswer],
    contribution_ids: Iterable[str] = (),
    comment: str = "",
) -> SurveyResponse:
    """Save the answers a signed-in member gives for their own organization; the audit row
    names the member. Same rules as the link (``_save_answers``); the link is used up too."""
    invitation = find_member_invitation(coalition=coalition, invitation_id=invitation_id, user=user)
    return _save_answers(
        invitation=invitation,
        user=user,
        answers=answers,
        contribution_ids=contribution_ids,
        comment=comment,
    )


def _save_answers(
    *,
    invitation: SurveyInvitation,
    user: Any,
    answers: Sequence[TieAnswer],
    contribution_ids: Iterable[str],
    comment: str,
) -> SurveyResponse:
    """Save a partner's answers: one tie per partner named, reported by the respondent.

    The invitation is used up. Partners must be other actors of the same coalition;
    nothing is saved when any answer is invalid. Call inside a transaction.
    """
    coalition = invitation.coalition
    respondent = invitation.actor
    contributions = _clean_list("contribution_ids", contribution_ids)
    _check_text("comment", comment)
    with scope(coalition=coalition):
        invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.responded_at is not None:
            raise SurveyLinkError(_("This survey link has already been used."))
        partner_ids = [a.partner_id for a in answers]
        if len(set(partner_ids)) != len(partner_ids):
            raise ValidationError(_("Each partner can be named once."))
        partners = Actor.objects.in_bulk(partner_ids)
        response = SurveyResponse.objects.create(
            coalition=coalition,
            survey=invitation.survey,
            actor=respondent,
            submitted_on=timezone.localdate(),
            contribution_ids=contributions,
            comment=comment.strip(),
        )
        for number, answer in enumerate(answers, start=1):
            partner = partners.get(answer.partner_id)
            if partner is None:
                raise ValidationError(
                    _("Partner %(n)d is not on this coalition's map.") % {"n": number}
                )
            try:
                record_tie(
                    coalition=coalition,
                    user=None,
                    from_actor=respondent,
                    to_actor=partner,
                    type_ids=answer.type_ids,
                    intensity=answer.intensity,
                    frequency=answer.frequency,
                    ratings=answer.ratings,
                    reported_by=respondent,
                    survey_response=response,
                )
            except ValidationError as error:
                raise ValidationError(
                    _("%(partner)s: %(problem)s")
                    % {"partner": partner.name, "problem": "; ".join(error.messages)}
                ) from None
        if contributions:
            merged = list(dict.fromkeys([*respondent.contribution_ids, *contributions]))
            if merged != respondent.contribution_ids:
                Actor.objects.filter(pk=respondent.pk).update(
                    contribution_ids=merged, version=F("version") + 1
                )
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["responded_at"])
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.CREATE,
            obj=response,
            summary=f"{respondent.name} answered the network survey ({len(answers)} partners)",
            event="ecosystem.survey_answered",
            params={"name": respondent.name, "partners": len(answers)},
        )
    return response


# ---------------------------------------------------------------- survey e-mails and links


def reminder_days() -> int:
    """Reminders go to one partner at most once in this many days (``SURVEY_REMINDER_DAYS``,
    7 by default); the first invitation e-mail counts too."""
    return max(1, int(getattr(settings, "SURVEY_REMINDER_DAYS", 7)))


@dataclass
class MailReport:
    """What a round of survey e-mails did, by partner (actor) name."""

    sent: list[str] = field(default_factory=list)  # e-mailed now
    messages: int = 0  # messages handed to the mail backend
    no_address: list[str] = field(default_factory=list)  # nobody to write to
    too_soon: list[str] = field(default_factory=list)  # e-mailed less than N days ago
    failed: list[str] = field(default_factory=list)  # the mail backend refused
    would_send: list[str] = field(default_factory=list)  # a dry run's reminders


def _unanswered(survey: NetworkSurvey) -> list[SurveyInvitation]:
    return list(
        SurveyInvitation.objects.filter(
            coalition=survey.coalition, survey=survey, responded_at__isnull=True
        )
        .filter(actor__archived_at__isnull=True)
        .select_related("actor", "survey", "coalition")
        .order_by("actor__name", "pk")
    )


def _require_open(survey: NetworkSurvey) -> None:
    if survey.status != NetworkSurvey.Status.OPEN:
        raise ValidationError(
            _("The survey %(title)s is closed: its links no longer work.") % {"title": survey.title}
        )


def _mail_one(
    *,
    kind: emails.MailKind,
    invitation: SurveyInvitation,
    token: str,
    recipients: Sequence[survey_selectors.Recipient],
    base_url: str,
    user: Any,
    now: datetime,
) -> int:
    """Send one invitation's e-mail and record it; call inside its transaction."""
    count = emails.send_survey_link(
        kind=kind, invitation=invitation, token=token, recipients=recipients, base_url=base_url
    )
    invitation.emailed_at = now
    fields = ["emailed_at"]
    if kind == "reminder":
        invitation.reminder_count += 1
        fields.append("reminder_count")
    invitation.save(update_fields=fields)
    name = invitation.actor.name
    record_audit(
        coalition=invitation.coalition,
        actor=user,
        action=Action.UPDATE,
        obj=invitation,
        summary=(
            f"E-mailed the survey link for {name}"
            if kind == "invitation"
            else f"Sent a survey reminder for {name} with a new link"
        ),
        after={"kind": kind, "messages": count, "reminders": invitation.reminder_count},
        event=(
            "ecosystem.survey_link_emailed"
            if kind == "invitation"
            else "ecosystem.survey_reminder_sent"
        ),
        params={"name": name, "messages": count, "reminders": invitation.reminder_count},
    )
    return count


def email_survey_links(
    *,
    survey: NetworkSurvey,
    user: Any,
    links: Sequence[tuple[SurveyInvitation, str]],
    base_url: str,
) -> MailReport:
    """E-mail each partner the link ``create_survey`` just made, in each recipient's language.

    Each partner is its own transaction: a partner the mail backend refuses is reported in
    ``failed`` and nothing is recorded for it; the others are sent.
    """
    report = MailReport()
    coalition = survey.coalition
    with scope(coalition=coalition):
        _require_open(survey)
        invitations = [invitation for invitation, _token in links]
        addresses = survey_selectors.recipients_by_invitation(
            coalition=coalition, invitations=invitations
        )
        for invitation, token in links:
            name = invitation.actor.name
            recipients = addresses.get(invitation.pk, [])
            if not recipients:
                report.no_address.append(name)
                continue
            try:
                with transaction.atomic():
                    locked = (
                        SurveyInvitation.objects.select_for_update()
                        .select_related("actor", "survey", "coalition")
                        .get(pk=invitation.pk)
                    )
                    # Answered, or a newer link replaced this one meanwhile: nothing to send.
                    if locked.responded_at is None and locked.token_hash == _token_hash(token):
                        report.messages += _mail_one(
                            kind="invitation",
                            invitation=locked,
                            token=token,
                            recipients=recipients,
                            base_url=base_url,
                            user=user,
                            now=timezone.now(),
                        )
                        report.sent.append(name)
            except (OSError, smtplib.SMTPException):
                report.failed.append(name)
    return report


def send_survey_reminders(
    *,
    survey: NetworkSurvey,
    user: Any,
    base_url: str,
    days: int | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> MailReport:
    """Remind every invited partner that has not answered an open survey.

    A reminder carries a new personal link (only a hash of the old one is stored, so it
    cannot be sent again; the old link stops working). It is never sent to a partner
    e-mailed less than ``days`` days ago (``SURVEY_REMINDER_DAYS``): those are reported in
    ``too_soon``. Each reminder is its own transaction with its audit row; a partner the
    mail backend refuses keeps its old link and is reported in ``failed``. ``dry_run``
    changes nothing and reports who would be reminded in ``would_send``.
    """
    days = reminder_days() if days is None else days
    if days < 1:
        raise ValidationError(_("Reminders need at least 1 day between them."))
    report = MailReport()
    coalition = survey.coalition
    now = now or timezone.now()
    since = now - timedelta(days=days)
    with scope(coalition=coalition):
        _require_open(survey)
        invitations = _unanswered(survey)
        addresses = survey_selectors.recipients_by_invitation(
            coalition=coalition, invitations=invitations
        )
        for invitation in invitations:
            name = invitation.actor.name
            recipients = addresses.get(invitation.pk, [])
            if not recipients:
                report.no_address.append(name)
                continue
            if invitation.emailed_at is not None and invitation.emailed_at > since:
                report.too_soon.append(name)
                continue
            if dry_run:
                report.would_send.append(name)
                continue
            try:
                with transaction.atomic():
                    locked = (
                        SurveyInvitation.objects.select_for_update()
                        .select_related("actor", "survey", "coalition")
                        .get(pk=invitation.pk)
                    )
                    if locked.responded_at is not None:
                        continue  # answered meanwhile
                    if locked.emailed_at is not None and locked.emailed_at > since:
                        report.too_soon.append(name)  # another reminder got there first
                        continue
                    token = secrets.token_urlsafe(32)
                    locked.token_hash = _token_hash(token)
                    locked.save(update_fields=["token_hash"])
                    report.messages += _mail_one(
                        kind="reminder",
                        invitation=locked,
                        token=token,
                        recipients=recipients,
                        base_url=base_url,
                        user=user,
                        now=now,
                    )
                    report.sent.append(name)
            except (OSError, smtplib.SMTPException):
                report.failed.append(name)
    return report


@transaction.atomic
def issue_survey_links(*, survey: NetworkSurvey, user: Any) -> list[tuple[SurveyInvitation, str]]:
    """New links for every invited partner that has not answered an open survey.

    Only hashes of links are stored, so a link cannot be shown twice: this replaces each
    unanswered partner's link (the old one stops working), records one audit row per
    partner, and returns the invitations with their new tokens, for a download.
    """
    coalition = survey.coalition
    issued = []
    with scope(coalition=coalition):
        _require_open(survey)
        for invitation in _unanswered(survey):
            locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.responded_at is not None:
                continue
            issued.append((invitation, _renew_link(locked, user=user, downloaded=True)))
    return issued


# ---------------------------------------------------------------- snapshots


@transaction.atomic
def take_snapshot(
    *,
    coalition: Coalition,
    user: Any,
    name: str,
    taken_on: date | None = None,
    network: Network | None = None,
) -> Snapshot:
    """Freeze the live network (actors, ties, latest survey's participation) under ``name``.

    ``network`` stores a network recorded elsewhere instead (e.g. an earlier round kept on
    paper), keyed by this coalition's actor ids.
    """
    _check_text("name", name)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the snapshot a name.")})
    with scope(coalition=coalition):
        if network is None:
            network = selectors.build_network(coalition=coalition)
        snapshot = Snapshot.objects.create(
            coalition=coalition,
            name=name,
            taken_on=taken_on or timezone.localdate(),
            data=network_to_data(network),
        )
        record_audit(
            coalition=coalition,
            actor=user,
            action=Action.CREATE,
            obj=snapshot,
            summary=f"Took the snapshot {name}",
            after={"actors": len(network.actors), "ties": len(network.ties)},
            event="ecosystem.snapshot_taken",
            params={"name": name, "actors": len(network.actors), "ties": len(network.ties)},
        )
    return snapshot


@transaction.atomic
def delete_snapshot(*, snapshot: Snapshot, user: Any) -> None:
    coalition = snapshot.coalition
    with scope(coalition=coalition):
        delete_with_audit(obj=snapshot, user=user, summary=f"Deleted the snapshot {snapshot.name}")
