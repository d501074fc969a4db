"""The governance API; paths start with /{coalition_slug}/. Same selectors and services as
the pages: a locked decision answers 409 to an edit, a stale version 409, bad input 422."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from commonground.api.access import api_coalition
from commonground.assessments.models import ActionItem
from commonground.coalitions.access import ADMINS, ALL_ROLES, CONTRIBUTORS
from commonground.coalitions.models import Membership
from commonground.ecosystem.models import Actor
from commonground.governance import selectors, services
from commonground.governance.models import (
    Agreement,
    Body,
    Decision,
    Meeting,
    Motion,
    Policy,
    Seat,
    Vote,
)
from commonground.lib.versioning import StaleEditError
from commonground.measurement.models import Indicator

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]  # an id the database can hold

router = Router(tags=["Governance"])

G = "/{coalition_slug}/governance"


def _find(model: type[Model], pk: int, what: str) -> Any:
    try:
        return model.objects.get(pk=pk)  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        raise HttpError(404, f"No such {what}.") from None


def _refs(model: type[Model], ids: list[int] | None, field: str) -> list[Any] | None:
    """Rows of this coalition (the scope) for ``ids``; an id of another coalition is 422."""
    if ids is None:
        return None
    rows = list(model.objects.filter(pk__in=ids))  # type: ignore[attr-defined]
    if len(rows) != len(set(ids)):
        raise HttpError(422, f"{field}: not all of these belong to this coalition")
    return rows


def _ref(model: type[Model], pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    rows = _refs(model, [pk], field)
    return rows[0] if rows else None


def _call(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None


# --- schemas ---------------------------------------------------------------------------------


class ShareOut(Schema):
    seats: int
    vacant: int
    votes: int
    community_share: float | None
    community_share_filled: float | None
    largest_holder_share: float | None
    paid_community_share: float | None
    below_target: bool
    duplicate_holders: list[str]


class SeatOut(Schema):
    id: int
    body_id: int
    label: str
    seat_type: str
    votes: int
    term_starts_on: date | None
    term_ends_on: date | None
    is_paid: bool
    stipend: Decimal | None
    holder_member_id: int | None
    holder_actor_id: int | None
    holder: str = Field(description="Who holds it, as shown; empty when vacant.")
    is_vacant: bool
    version: int


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    purpose: str
    authority: str
    decision_rule: str
    quorum: int
    schedule: str
    supports: list[str]
    languages: str
    ends_on: date | None
    version: int
    seats: list[SeatOut]
    power: ShareOut | None


class BodyIn(Schema):
    model_config = {"extra": "forbid"}
    name: str
    kind: str
    purpose: str = ""
    authority: str = "decides"
    decision_rule: str = "simple_majority"
    quorum: int = 0
    schedule: str = ""
    supports: list[str] = []
    languages: str = ""
    ends_on: date | None = None


class BodyPatch(Schema):
    model_config = {"extra": "forbid"}
    version: int = Field(ge=1)
    name: str | None = None
    kind: str | None = None
    purpose: str | None = None
    authority: str | None = None
    decision_rule: str | None = None
    quorum: int | None = None
    schedule: str | None = None
    supports: list[str] | None = None
    languages: str | None = None
    ends_on: date | None = None


class SeatIn(Schema):
    model_config = {"extra": "forbid"}
    label: str
    seat_type: str
    votes: int = 1
    term_starts_on: date | None = None
    term_ends_on: date | None = None
    is_paid: bool = False
    stipend: Decimal | None = None
    holder_member_id: Id | None = None
    holder_actor_id: Id | None = None
    holder_name: str = ""


class SeatPatch(Schema):
    model_config = {"extra": "forbid"}
    version: int = Field(ge=1)
    label: str | None = None
    seat_type: str | None = None
    votes: int | None = None
    term_starts_on: date | None = None
    term_ends_on: date | None = None
    is_paid: bool | None = None
    stipend: Decimal | None = None
    holder_member_id: Id | None = None
    holder_actor_id: Id | None = None
    holder_name: str | None = None


class PowerOut(Schema):
    target: float
    community_types: list[str]
    coalition: ShareOut | None
    bodies: list[dict[str, Any]]


class VoteOut(Schema):
    id: int
    motion_id: int
    seat_id: int
    choice: str
    is_roll_call: bool


class MotionOut(Schema):
    id: int
    meeting_id: int
    title: str
    text: str
    topic: str
    status: str
    votes: list[VoteOut]
    decision_id: int | None


class MeetingOut(Schema):
    id: int
    body_id: int
    held_on: date
    title: str
    agenda: str
    supports_provided: list[str]
    minutes: str
    version: int
    present_seat_ids: list[int]
    quorum_reached: bool
    motions: list[MotionOut]


class MeetingIn(Schema):
    model_config = {"extra": "forbid"}
    body_id: Id
    held_on: date
    title: str = ""
    agenda: str = ""
    supports_provided: list[str] = []


class AttendanceIn(Schema):
    model_config = {"extra": "forbid"}
    present_seat_ids: list[Id]


class MotionIn(Schema):
    model_config = {"extra": "forbid"}
    title: str
    text: str = ""
    topic: str = ""


class VoteIn(Schema):
    model_config = {"extra": "forbid"}
    choice: str
    seat_id: Id | None = Field(None, description="Your seat, when you hold several.")


class CloseIn(Schema):
    model_config = {"extra": "forbid"}
    rationale: str = ""
    dissent: str = ""
    indicator_ids: list[Id] = []


class DecisionOut(Schema):
    id: int
    body_id: int
    meeting_id: int | None
    motion_id: int | None
    title: str
    topic: str
    decided_on: date
    result: str
    tally: dict[str, Any]
    rationale: str
    dissent: str
    is_locked: bool
    version: int
    indicator_ids: list[int]
    theme_ids: list[int]
    action_item_ids: list[int]


class DecisionPatch(Schema):
    model_config = {"extra": "forbid"}
    version: int = Field(ge=1)
    title: str | None = None
    topic: str | None = None
    rationale: str | None = None
    dissent: str | None = None
    indicator_ids: list[Id] | None = None


class ReopenIn(Schema):
    model_config = {"extra": "forbid"}
    reason: str


class ActionIn(Schema):
    model_config = {"extra": "forbid"}
    title: str
    owner_membership_id: Id | None = None
    owner_actor_id: Id | None = None
    due_on: date | None = None


class ActionOut(Schema):
    id: int
    title: str
    status: str
    due_on: date | None
    owner_membership_id: int | None
    owner_actor_id: int | None
    decision_id: int | None
    version: int


class AgreementOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    party_ids: list[int]
    signed_on: date | None
    starts_on: date | None
    ends_on: date | None
    renewal_on: date | None
    notes: str
    file_name: str
    file_size: int
    version: int


class AgreementIn(Schema):
    model_config = {"extra": "forbid"}
    title: str
    kind: str
    status: str = "active"
    party_ids: list[Id] = []
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    renewal_on: date | None = None
    notes: str = ""


class AgreementPatch(Schema):
    model_config = {"extra": "forbid"}
    version: int = Field(ge=1)
    title: str | None = None
    kind: str | None = None
    status: str | None = None
    party_ids: list[Id] | None = None
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    renewal_on: date | None = None
    notes: str | None = None


class PolicyOut(Schema):
    id: int
    title: str
    level: str
    position: str
    status: str
    summary: str
    partner_ids: list[int]
    decision_ids: list[int]
    indicator_ids: list[int]
    version: int


class PolicyIn(Schema):
    model_config = {"extra": "forbid"}
    title: str
    level: str
    position: str = "support"
    status: str = "monitoring"
    summary: str = ""
    partner_ids: list[Id] = []
    decision_ids: list[Id] = []
    indicator_ids: list[Id] = []


class PolicyPatch(Schema):
    model_config = {"extra": "forbid"}
    version: int = Field(ge=1)
    title: str | None = None
    level: str | None = None
    position: str | None = None
    status: str | None = None
    summary: str | None = None
    partner_ids: list[Id] | None = None
    decision_ids: list[Id] | None = None
    indicator_ids: list[Id] | None = None


# --- converters ------------------------------------------------------------------------------


def _share_out(share: Any) -> dict[str, Any] | None:
    if share is None:
        return None
    out = share.as_contract()
    out.pop("body")
    return out


def _seat_out(seat: Seat) -> dict[str, Any]:
    return {
        "id": seat.pk,
        "body_id": seat.body_id,
        "label": seat.label,
        "seat_type": seat.seat_type,
        "votes": seat.votes,
        "term_starts_on": seat.term_starts_on,
        "term_ends_on": seat.term_ends_on,
        "is_paid": seat.is_paid,
        "stipend": seat.stipend,
        "holder_member_id": seat.holder_member_id,
        "holder_actor_id": seat.holder_actor_id,
        "holder": selectors.holder_label(seat) or seat.holder_name,
        "is_vacant": seat.is_vacant,
        "version": seat.version,
    }


def _body_out(body: Body, share: Any) -> dict[str, Any]:
    return {
        **body.as_audit(),
        "id": body.pk,
        "ends_on": body.ends_on,
        "version": body.version,
        "seats": [_seat_out(s) for s in body.seats.all()],
        "power": _share_out(share),
    }


def _motion_out(motion: Motion) -> dict[str, Any]:
    decision = getattr(motion, "decision", None)
    return {
        "id": motion.pk,
        "meeting_id": motion.meeting_id,
        "title": motion.title,
        "text": motion.text,
        "topic": motion.topic,
        "status": motion.status,
        "votes": [
            {
                "id": v.pk,
                "motion_id": v.motion_id,
                "seat_id": v.seat_id,
                "choice": v.choice,
                "is_roll_call": v.is_roll_call,
            }
            for v in motion.votes.all()
        ],
        "decision_id": decision.pk if decision else None,
    }


def _meeting_out(meeting: Meeting) -> dict[str, Any]:
    present = sorted(selectors.present_seat_ids(meeting))
    return {
        "id": meeting.pk,
        "body_id": meeting.body_id,
        "held_on": meeting.held_on,
        "title": meeting.title,
        "agenda": meeting.agenda,
        "supports_provided": list(meeting.supports_provided),
        "minutes": meeting.minutes,
        "version": meeting.version,
        "present_seat_ids": present,
        "quorum_reached": len(present) >= meeting.body.quorum,
        "motions": [_motion_out(m) for m in meeting.motions.all()],
    }


def _decision_out(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "body_id": decision.body_id,
        "meeting_id": decision.meeting_id,
        "motion_id": decision.motion_id,
        "title": decision.title,
        "topic": decision.topic,
        "decided_on": decision.decided_on,
        "result": decision.result,
        "tally": decision.tally,
        "rationale": decision.rationale,
        "dissent": decision.dissent,
        "is_locked": decision.is_locked,
        "version": decision.version,
        "indicator_ids": sorted(i.pk for i in decision.indicators.all()),
        "theme_ids": sorted(t.pk for t in decision.themes.all()),
        "action_item_ids": sorted(a.pk for a in decision.action_items.all()),
    }


def _action_out(item: ActionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "status": item.status,
        "due_on": item.due_on,
        "owner_membership_id": item.owner_id,
        "owner_actor_id": item.owner_actor_id,
        "decision_id": item.decision_id,
        "version": item.version,
    }


def _agreement_out(a: Agreement) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "kind": a.kind,
        "status": a.status,
        "party_ids": sorted(p.pk for p in a.parties.all()),
        "signed_on": a.signed_on,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "renewal_on": a.renewal_on,
        "notes": a.notes,
        "file_name": a.file_name,
        "file_size": a.file_size,
        "version": a.version,
    }


def _policy_out(p: Policy) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "level": p.level,
        "position": p.position,
        "status": p.status,
        "summary": p.summary,
        "partner_ids": sorted(a.pk for a in p.partners.all()),
        "decision_ids": sorted(d.pk for d in p.decisions.all()),
        "indicator_ids": sorted(i.pk for i in p.indicators.all()),
        "version": p.version,
    }


def _coalition(request: HttpRequest) -> Any:
    return request.coalition  # type: ignore[attr-defined]


# --- bodies, seats, power --------------------------------------------------------------------


@router.get(
    G + "/bodies", response=list[BodyOut], summary="Bodies with their seats and power share"
)
@api_coalition(*ALL_ROLES)
def gov_list_bodies(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    found = selectors.power(coalition=_coalition(request))
    return [_body_out(bp.body, bp.share) for bp in found.bodies]


@router.post(G + "/bodies", response={201: BodyOut}, summary="Add a governing body")
@api_coalition(*ADMINS)
def gov_create_body(request: HttpRequest, coalition_slug: str, payload: BodyIn) -> Status:
    body = _call(
        services.create_body,
        coalition=_coalition(request),
        actor=request.user,
        **payload.model_dump(),
    )
    return Status(201, _body_out(body, None))


@router.patch(G + "/bodies/{body_id}", response=BodyOut, summary="Change a body (send its version)")
@api_coalition(*ADMINS)
def gov_update_body(
    request: HttpRequest, coalition_slug: str, body_id: int, payload: BodyPatch
) -> dict[str, Any]:
    body = _find(Body, body_id, "body")
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    body = _call(services.update_body, body=body, actor=request.user, expected=version, **changes)
    return _body_out(body, None)


def _seat_values(changes: dict[str, Any]) -> dict[str, Any]:
    if "holder_member_id" in changes:
        changes["holder_member"] = _ref(
            Membership, changes.pop("holder_member_id"), "holder_member_id"
        )
    if "holder_actor_id" in changes:
        changes["holder_actor"] = _ref(Actor, changes.pop("holder_actor_id"), "holder_actor_id")
    return changes


@router.get(G + "/seats", response=list[SeatOut], summary="Every seat of every body")
@api_coalition(*ALL_ROLES)
def gov_list_seats(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [_seat_out(s) for s in selectors.list_seats(coalition=_coalition(request))]


@router.post(G + "/bodies/{body_id}/seats", response={201: SeatOut}, summary="Add a seat to a body")
@api_coalition(*ADMINS)
def gov_create_seat(
    request: HttpRequest, coalition_slug: str, body_id: int, payload: SeatIn
) -> Status:
    body = _find(Body, body_id, "body")
    seat = _call(
        services.add_seat, body=body, actor=request.user, **_seat_values(payload.model_dump())
    )
    return Status(201, _seat_out(seat))


@router.patch(G + "/seats/{seat_id}", response=SeatOut, summary="Change a seat (send its version)")
@api_coalition(*ADMINS)
def gov_update_seat(
    request: HttpRequest, coalition_slug: str, seat_id: int, payload: SeatPatch
) -> dict[str, Any]:
    seat = _find(Seat, seat_id, "seat")
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    seat = _call(
        services.update_seat,
        seat=seat,
        actor=request.user,
        expected=version,
        **_seat_values(changes),
    )
    return _seat_out(seat)


@router.get(
    G + "/power", response=PowerOut, summary="Community share of voting power, per body and overall"
)
@api_coalition(*ALL_ROLES)
def gov_get_power(request: HttpRequest, coalition_slug: str) -> dict[str, Any]:
    found = selectors.power(coalition=_coalition(request))
    return {
        "target": found.target,
        "community_types": list(found.community_types),
        "coalition": _share_out(found.coalition),
        "bodies": [
            {"body_id": bp.body.pk, "name": bp.body.name, **(_share_out(bp.share) or {})}
            for bp in found.bodies
        ],
    }


# --- meetings, motions, votes ----------------------------------------------------------------


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    try:
        return selectors.get_meeting(coalition=_coalition(request), meeting_id=meeting_id)
    except Meeting.DoesNotExist:
        raise HttpError(404, "No such meeting.") from None


@router.get(G + "/meetings", response=list[MeetingOut], summary="Meetings, newest first")
@api_coalition(*ALL_ROLES)
def gov_list_meetings(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    rows = (
        Meeting.objects.filter(coalition=_coalition(request))
        .select_related("body")
        .prefetch_related("attendance", "motions__votes", "motions__decision")
    )
    return [_meeting_out(m) for m in rows]


@router.post(G + "/meetings", response={201: MeetingOut}, summary="Schedule a meeting")
@api_coalition(*ADMINS)
def gov_create_meeting(request: HttpRequest, coalition_slug: str, payload: MeetingIn) -> Status:
    values = payload.model_dump()
    body = _ref(Body, values.pop("body_id"), "body_id")
    meeting = _call(services.schedule_meeting, body=body, actor=request.user, **values)
    return Status(201, _meeting_out(_meeting(request, meeting.pk)))


@router.get(
    G + "/meetings/{meeting_id}",
    response=MeetingOut,
    summary="A meeting: attendance, motions, votes",
)
@api_coalition(*ALL_ROLES)
def gov_get_meeting(request: HttpRequest, coalition_slug: str, meeting_id: int) -> dict[str, Any]:
    return _meeting_out(_meeting(request, meeting_id))


@router.put(
    G + "/meetings/{meeting_id}/attendance", response=MeetingOut, summary="Set the seats present"
)
@api_coalition(*ADMINS)
def gov_set_attendance(
    request: HttpRequest, coalition_slug: str, meeting_id: int, payload: AttendanceIn
) -> dict[str, Any]:
    meeting = _find(Meeting, meeting_id, "meeting")
    _call(
        services.record_attendance,
        meeting=meeting,
        actor=request.user,
        present=payload.present_seat_ids,
    )
    return _meeting_out(_meeting(request, meeting_id))


@router.post(
    G + "/meetings/{meeting_id}/motions",
    response={201: MotionOut},
    summary="Put a motion on the agenda",
)
@api_coalition(*ADMINS)
def gov_create_motion(
    request: HttpRequest, coalition_slug: str, meeting_id: int, payload: MotionIn
) -> Status:
    meeting = _find(Meeting, meeting_id, "meeting")
    motion = _call(
        services.propose_motion, meeting=meeting, actor=request.user, **payload.model_dump()
    )
    return Status(201, _motion_out(motion))


@router.post(
    G + "/motions/{motion_id}/votes",
    response={201: VoteOut},
    summary="Vote in your seat (only holders of a seat on the body; one vote per seat)",
)
@api_coalition(*CONTRIBUTORS)
def gov_cast_vote(
    request: HttpRequest, coalition_slug: str, motion_id: int, payload: VoteIn
) -> Status:
    motion = _find(Motion, motion_id, "motion")
    seat = _ref(Seat, payload.seat_id, "seat_id")
    vote: Vote = _call(
        services.cast_vote,
        motion=motion,
        membership=request.membership,  # type: ignore[attr-defined]
        choice=payload.choice,
        seat=seat,
    )
    return Status(
        201,
        {
            "id": vote.pk,
            "motion_id": vote.motion_id,
            "seat_id": vote.seat_id,
            "choice": vote.choice,
            "is_roll_call": vote.is_roll_call,
        },
    )


@router.post(
    G + "/motions/{motion_id}/close",
    response={201: DecisionOut},
    summary="Count the votes under the rule and quorum and record the decision (locked)",
)
@api_coalition(*ADMINS)
def gov_close_motion(
    request: HttpRequest, coalition_slug: str, motion_id: int, payload: CloseIn
) -> Status:
    motion = _find(Motion, motion_id, "motion")
    indicators = _refs(Indicator, payload.indicator_ids, "indicator_ids") or []
    decision = _call(
        services.close_motion,
        motion=motion,
        actor=request.user,
        rationale=payload.rationale,
        dissent=payload.dissent,
        indicators=indicators,
    )
    return Status(201, _decision_out(decision))


@router.get(G + "/votes", response=list[VoteOut], summary="Every vote, by seat")
@api_coalition(*ALL_ROLES)
def gov_list_votes(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [
        {
            "id": v.pk,
            "motion_id": v.motion_id,
            "seat_id": v.seat_id,
            "choice": v.choice,
            "is_roll_call": v.is_roll_call,
        }
        for v in Vote.objects.filter(coalition=_coalition(request)).order_by("motion_id", "seat_id")
    ]


# --- decisions --------------------------------------------------------------------------------


def _decision(request: HttpRequest, decision_id: int) -> Decision:
    try:
        return selectors.get_decision(coalition=_coalition(request), decision_id=decision_id)
    except Decision.DoesNotExist:
        raise HttpError(404, "No such decision.") from None


@router.get(
    G + "/decisions",
    response=list[DecisionOut],
    summary="The decision log (filter by body, topic, dates)",
)
@api_coalition(*ALL_ROLES)
def gov_list_decisions(
    request: HttpRequest,
    coalition_slug: str,
    body_id: Id | None = None,
    topic: str = "",
    since: date | None = None,
    until: date | None = None,
) -> list[dict[str, Any]]:
    rows = selectors.list_decisions(
        coalition=_coalition(request), body_id=body_id, topic=topic, since=since, until=until
    ).prefetch_related("indicators", "themes", "action_items")
    return [_decision_out(d) for d in rows]


@router.get(G + "/decisions/{decision_id}", response=DecisionOut, summary="One decision")
@api_coalition(*ALL_ROLES)
def gov_get_decision(request: HttpRequest, coalition_slug: str, decision_id: int) -> dict[str, Any]:
    return _decision_out(_decision(request, decision_id))


@router.post(
    G + "/decisions/{decision_id}/reopen",
    response=DecisionOut,
    summary="Reopen a locked decision for an edit, with a reason (recorded)",
)
@api_coalition(*ADMINS)
def gov_reopen_decision(
    request: HttpRequest, coalition_slug: str, decision_id: int, payload: ReopenIn
) -> dict[str, Any]:
    decision = _find(Decision, decision_id, "decision")
    _call(services.reopen_decision, decision=decision, actor=request.user, reason=payload.reason)
    return _decision_out(_decision(request, decision_id))


@router.patch(
    G + "/decisions/{decision_id}",
    response=DecisionOut,
    summary="Edit a reopened decision (409 while locked or when the version is stale)",
)
@api_coalition(*ADMINS)
def gov_update_decision(
    request: HttpRequest, coalition_slug: str, decision_id: int, payload: DecisionPatch
) -> dict[str, Any]:
    decision = _find(Decision, decision_id, "decision")
    if decision.is_locked:
        raise HttpError(
            409, "This decision is locked. Reopen it, with a reason, before editing it."
        )
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    if "indicator_ids" in changes:
        changes["indicators"] = _refs(Indicator, changes.pop("indicator_ids"), "indicator_ids")
    _call(
        services.edit_decision, decision=decision, actor=request.user, expected=version, **changes
    )
    return _decision_out(_decision(request, decision_id))


@router.post(
    G + "/decisions/{decision_id}/actions",
    response={201: ActionOut},
    summary="Add an action item carrying out the decision",
)
@api_coalition(*ADMINS)
def gov_create_decision_action(
    request: HttpRequest, coalition_slug: str, decision_id: int, payload: ActionIn
) -> Status:
    decision = _find(Decision, decision_id, "decision")
    item = _call(
        services.add_action_from_decision,
        decision=decision,
        actor=request.user,
        title=payload.title,
        owner=_ref(Membership, payload.owner_membership_id, "owner_membership_id"),
        owner_actor=_ref(Actor, payload.owner_actor_id, "owner_actor_id"),
        due_on=payload.due_on,
    )
    return Status(201, _action_out(item))


@router.get(
    G + "/actions", response=list[ActionOut], summary="Every action item, with owners and decision"
)
@api_coalition(*ALL_ROLES)
def gov_list_actions(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [_action_out(i) for i in selectors.list_actions(coalition=_coalition(request))]


# --- agreements -------------------------------------------------------------------------------


@router.get(G + "/agreements", response=list[AgreementOut], summary="Agreements and their dates")
@api_coalition(*ALL_ROLES)
def gov_list_agreements(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [_agreement_out(a) for a in selectors.list_agreements(coalition=_coalition(request))]


@router.post(
    G + "/agreements",
    response={201: AgreementOut},
    summary="Add an agreement (the file: on the page)",
)
@api_coalition(*ADMINS)
def gov_create_agreement(request: HttpRequest, coalition_slug: str, payload: AgreementIn) -> Status:
    values = payload.model_dump()
    parties = _refs(Actor, values.pop("party_ids"), "party_ids") or []
    agreement = _call(
        services.create_agreement,
        coalition=_coalition(request),
        actor=request.user,
        parties=parties,
        **values,
    )
    return Status(201, _agreement_out(agreement))


@router.patch(
    G + "/agreements/{agreement_id}", response=AgreementOut, summary="Change an agreement"
)
@api_coalition(*ADMINS)
def gov_update_agreement(
    request: HttpRequest, coalition_slug: str, agreement_id: int, payload: AgreementPatch
) -> dict[str, Any]:
    agreement = _find(Agreement, agreement_id, "agreement")
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    parties = (
        _refs(Actor, changes.pop("party_ids"), "party_ids") if "party_ids" in changes else None
    )
    agreement = _call(
        services.update_agreement,
        agreement=agreement,
        actor=request.user,
        expected=version,
        parties=parties,
        **changes,
    )
    return _agreement_out(agreement)


# --- policies ---------------------------------------------------------------------------------


def _policy_links(changes: dict[str, Any]) -> dict[str, Any]:
    links: dict[str, Any] = {}
    for key, model, name in (
        ("partner_ids", Actor, "partners"),
        ("decision_ids", Decision, "decisions"),
        ("indicator_ids", Indicator, "indicators"),
    ):
        if key in changes:
            links[name] = _refs(model, changes.pop(key), key)
    return links


@router.get(G + "/policies", response=list[PolicyOut], summary="The policy agenda")
@api_coalition(*ALL_ROLES)
def gov_list_policies(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [_policy_out(p) for p in selectors.list_policies(coalition=_coalition(request))]


@router.post(G + "/policies", response={201: PolicyOut}, summary="Add a policy to the agenda")
@api_coalition(*ADMINS)
def gov_create_policy(request: HttpRequest, coalition_slug: str, payload: PolicyIn) -> Status:
    values = payload.model_dump()
    links = _policy_links(values)
    policy = _call(
        services.create_policy, coalition=_coalition(request), actor=request.user, **links, **values
    )
    return Status(201, _policy_out(policy))


@router.patch(G + "/policies/{policy_id}", response=PolicyOut, summary="Change a policy")
@api_coalition(*ADMINS)
def gov_update_policy(
    request: HttpRequest, coalition_slug: str, policy_id: int, payload: PolicyPatch
) -> dict[str, Any]:
    policy = _find(Policy, policy_id, "policy")
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    links = _policy_links(changes)
    policy = _call(
        services.update_policy,
        policy=policy,
        actor=request.user,
        expected=version,
        **links,
        **changes,
    )
    return _policy_out(policy)
