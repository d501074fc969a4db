"""Writes for governance: each runs in one transaction and writes one audit row per change.

Bad input raises ``ValidationError`` naming the field; nothing is half-saved. Shared
records (bodies, seats, meetings, decisions, agreements, policies) are ``Versioned``:
``expected`` is the version the editor saw and a stale one raises ``StaleEditError``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commonground.assessments import services as assessment_services
from commonground.assessments.models import ActionItem
from commonground.coalitions.models import AuditEvent, Coalition, Membership
from commonground.coalitions.services import record_audit
from commonground.ecosystem.models import Actor
from commonground.governance import selectors
from commonground.governance.domain import power as power_core
from commonground.governance.models import (
    Agreement,
    Attendance,
    Body,
    Decision,
    DecisionReopening,
    Meeting,
    Motion,
    Policy,
    PowerTarget,
    Seat,
    SeatType,
    Support,
    Vote,
)
from commonground.lib.versioning import StaleEditError, save_versioned

Action = AuditEvent.Action
MAX_FILE_BYTES = 10 * 1024 * 1024
#: Agreement files: the magic bytes each accepted extension must start with.
FILE_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".txt": (),
}


def _check_version(current: Any, expected: int | None) -> None:
    if expected is not None and expected != current.version:
        raise StaleEditError()


def _same_coalition(coalition: Coalition, obj: Any, field: str, message: str) -> None:
    if obj is not None and obj.coalition_id != coalition.pk:
        raise ValidationError({field: message})


def _text(value: str, field: str, *, required: bool = False, limit: int = 200) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("Keep it to %(n)d characters or fewer.") % {"n": limit}})
    return value


def _choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise ValidationError(
            {field: _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}}
        )
    return value


def _supports(values: Iterable[str], field: str) -> list[str]:
    chosen = list(dict.fromkeys(v for v in values if v))
    for value in chosen:
        _choice(value, Support, field)
    return chosen


# --- target --------------------------------------------------------------------------------


@transaction.atomic
def set_power_target(
    *,
    coalition: Coalition,
    actor: Any,
    community_share: Decimal | float | str,
    count_community_organizations: bool = True,
) -> PowerTarget:
    """The coalition's target for community voting power (a share from 0 to 1)."""
    try:
        share = Decimal(str(community_share))
    except InvalidOperation:
        raise ValidationError({"community_share": _("Give a share from 0 to 1.")}) from None
    if not Decimal(0) <= share <= Decimal(1):
        raise ValidationError({"community_share": _("Give a share from 0 to 1.")})
    types = (
        list(power_core.COMMUNITY_TYPES)
        if count_community_organizations
        else [SeatType.RESIDENT.value]
    )
    row, created = PowerTarget.objects.get_or_create(coalition=coalition)
    before = {"community_share": str(row.community_share), "community_types": row.community_types}
    row.community_share = share.quantize(Decimal("0.001"))
    row.community_types = types
    row.save()
    after = {"community_share": str(row.community_share), "community_types": types}
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=row,
        summary=f"Power target set to {row.community_share}",
        before=None if created else before,
        after=after,
        event="governance.target_set",
        params={"share": float(row.community_share), "types": types},
    )
    return row


# --- bodies -------------------------------------------------------------------------------

BODY_FIELDS = (
    "name",
    "kind",
    "purpose",
    "authority",
    "decision_rule",
    "quorum",
    "schedule",
    "supports",
    "languages",
    "ends_on",
)


def _clean_body(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    if "name" in cleaned:
        cleaned["name"] = _text(cleaned["name"], "name", required=True, limit=160)
    if "kind" in cleaned:
        _choice(cleaned["kind"], Body.Kind, "kind")
    if "authority" in cleaned:
        _choice(cleaned["authority"], Body.Authority, "authority")
    if "decision_rule" in cleaned:
        _choice(cleaned["decision_rule"], Body.Rule, "decision_rule")
    if "quorum" in cleaned:
        quorum = cleaned["quorum"]
        if not isinstance(quorum, int) or quorum < 0 or quorum > 500:
            raise ValidationError({"quorum": _("Give the quorum as a number of seats, 0 or more.")})
    if "supports" in cleaned:
        cleaned["supports"] = _supports(cleaned["supports"], "supports")
    for name in ("purpose",):
        if name in cleaned:
            cleaned[name] = _text(cleaned[name], name, limit=4000)
    for name in ("schedule", "languages"):
        if name in cleaned:
            cleaned[name] = _text(cleaned[name], name)
    unknown = set(cleaned) - set(BODY_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Unknown field.")})
    return cleaned


@transaction.atomic
def create_body(*, coalition: Coalition, actor: Any, **values: Any) -> Body:
    """A governing body; ``values`` are ``Body`` fields (name and kind required)."""
    values.setdefault("kind", "")
    values.setdefault("name", "")
    body = Body(coalition=coalition, **_clean_body(values))
    body.save()
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE,
        obj=body,
        summary=f"Added body: {body.name}",
        after=body.as_audit(),
        event="governance.body_added",
        params={"name": body.name},
    )
    return body


@transaction.atomic
def update_body(*, body: Body, actor: Any, expected: int | None, **values: Any) -> Body:
    current = Body.objects.select_for_update().get(pk=body.pk)
    _check_version(current, expected)
    before = current.as_audit()
    for name, value in _clean_body(values).items():
        setattr(current, name, value)
    if current.as_audit() == before:
        return current
    save_versioned(current, expected=expected, update_fields=list(BODY_FIELDS))
    record_audit(
        coalition=current.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=current,
        summary=f"Body “{current.name}” changed",
        before=before,
        after=current.as_audit(),
        event="governance.body_changed",
        params={"name": current.name},
    )
    return current


# --- seats ---------------------------------------------------------------------------------

SEAT_FIELDS = (
    "label",
    "seat_type",
    "votes",
    "term_starts_on",
    "term_ends_on",
    "is_paid",
    "stipend",
    "holder_member",
    "holder_actor",
    "holder_name",
)


def _clean_seat(coalition: Coalition, values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    unknown = set(cleaned) - set(SEAT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Unknown field.")})
    if "label" in cleaned:
        cleaned["label"] = _text(cleaned["label"], "label", required=True, limit=160)
    if "holder_name" in cleaned:
        cleaned["holder_name"] = _text(cleaned["holder_name"] or "", "holder_name", limit=160)
    if "seat_type" in cleaned:
        _choice(cleaned["seat_type"], SeatType, "seat_type")
    if "votes" in cleaned:
        votes = cleaned["votes"]
        if not isinstance(votes, int) or votes < 0 or votes > 100:
            raise ValidationError(
                {"votes": _("Give the seat's votes as a whole number, 0 or more.")}
            )
    member = cleaned.get("holder_member")
    if member is not None and (
        not isinstance(member, Membership) or member.coalition_id != coalition.pk
    ):
        raise ValidationError(
            {"holder_member": _("The seat holder must be a member of this coalition.")}
        )
    org = cleaned.get("holder_actor")
    if org is not None and (not isinstance(org, Actor) or org.coalition_id != coalition.pk):
        raise ValidationError(
            {
                "holder_actor": _(
                    "The organization a seat holder represents must be an actor of this "
                    "coalition's ecosystem map."
                )
            }
        )
    if "stipend" in cleaned and cleaned["stipend"] is not None:
        try:
            stipend = Decimal(str(cleaned["stipend"]))
        except InvalidOperation:
            raise ValidationError({"stipend": _("Give the stipend as an amount.")}) from None
        if stipend < 0 or stipend >= Decimal("10000000"):
            raise ValidationError({"stipend": _("Give the stipend as an amount.")})
        cleaned["stipend"] = stipend.quantize(Decimal("0.01"))
    return cleaned


def _check_seat(seat: Seat) -> None:
    if seat.term_starts_on and seat.term_ends_on and seat.term_ends_on < seat.term_starts_on:
        raise ValidationError({"term_ends_on": _("The term cannot end before it starts.")})
    if seat.stipend is not None and not seat.is_paid:
        raise ValidationError({"stipend": _("Mark the seat as paid to give it a stipend.")})


@transaction.atomic
def add_seat(*, body: Body, actor: Any, **values: Any) -> Seat:
    """A seat on ``body``; ``holder_member``/``holder_actor``/``holder_name`` empty: vacant."""
    values.setdefault("label", "")
    values.setdefault("seat_type", "")
    seat = Seat(coalition=body.coalition, body=body, **_clean_seat(body.coalition, values))
    _check_seat(seat)
    seat.save()
    record_audit(
        coalition=body.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=seat,
        summary=f"Added seat {seat.label} to {body.name}",
        after=seat.as_audit(),
        event="governance.seat_added",
        params={"seat": seat.label, "body": body.name, "vacant": seat.is_vacant},
    )
    return seat


@transaction.atomic
def update_seat(*, seat: Seat, actor: Any, expected: int | None, **values: Any) -> Seat:
    current = Seat.objects.select_for_update().select_related("body").get(pk=seat.pk)
    _check_version(current, expected)
    before = current.as_audit()
    for name, value in _clean_seat(current.coalition, values).items():
        setattr(current, name, value)
    _check_seat(current)
    if current.as_audit() == before:
        return current
    save_versioned(
        current,
        expected=expected,
        update_fields=[
            "label",
            "seat_type",
            "votes",
            "term_starts_on",
            "term_ends_on",
            "is_paid",
            "stipend",
            "holder_member_id",
            "holder_actor_id",
            "holder_name",
        ],
    )
    record_audit(
        coalition=current.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=current,
        summary=f"Seat {current.label} of {current.body.name} changed",
        before=before,
        after=current.as_audit(),
        event="governance.seat_changed",
        params={"seat": current.label, "body": current.body.name, "vacant": current.is_vacant},
    )
    return current


# --- meetings ------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    *,
    body: Body,
    actor: Any,
    held_on: datetime.date,
    title: str = "",
    agenda: str = "",
    supports_provided: Sequence[str] = (),
) -> Meeting:
    if not isinstance(held_on, datetime.date):
        raise ValidationError({"held_on": _("Give the meeting's date.")})
    meeting = Meeting.objects.create(
        coalition=body.coalition,
        body=body,
        held_on=held_on,
        title=_text(title, "title"),
        agenda=_text(agenda, "agenda", limit=8000),
        supports_provided=_supports(supports_provided, "supports_provided"),
    )
    record_audit(
        coalition=body.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=meeting,
        summary=f"Scheduled a meeting of {body.name} on {held_on.isoformat()}",
        after=meeting.as_audit(),
        event="governance.meeting_added",
        params={"body": body.name, "on": held_on.isoformat()},
    )
    return meeting


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    actor: Any,
    expected: int | None,
    title: str | None = None,
    agenda: str | None = None,
    minutes: str | None = None,
    supports_provided: Sequence[str] | None = None,
) -> Meeting:
    current = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _check_version(current, expected)
    before = current.as_audit()
    if title is not None:
        current.title = _text(title, "title")
    if agenda is not None:
        current.agenda = _text(agenda, "agenda", limit=8000)
    if minutes is not None:
        current.minutes = _text(minutes, "minutes", limit=20000)
    if supports_provided is not None:
        current.supports_provided = _supports(supports_provided, "supports_provided")
    if current.as_audit() == before:
        return current
    save_versioned(
        current,
        expected=expected,
        update_fields=["title", "agenda", "minutes", "supports_provided"],
    )
    record_audit(
        coalition=current.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=current,
        summary=f"Meeting of {current.body.name} on {current.held_on.isoformat()} changed",
        before=before,
        after=current.as_audit(),
        event="governance.meeting_changed",
        params={"body": current.body.name, "on": current.held_on.isoformat()},
    )
    return current


@transaction.atomic
def record_attendance(*, meeting: Meeting, actor: Any, present: Iterable[int]) -> list[Attendance]:
    """Set who attended: every filled seat of the body is present (its id in ``present``)
    or absent. Seats of other bodies are refused; vacant seats are not recorded."""
    present_ids = {int(p) for p in present}
    seats = {s.pk: s for s in Seat.objects.filter(body_id=meeting.body_id)}
    foreign = present_ids - set(seats)
    if foreign:
        raise ValidationError(
            {
                "present": _("Only seats of %(body)s can attend its meeting.")
                % {"body": meeting.body}
            }
        )
    vacant = [seats[p].label for p in present_ids if seats[p].is_vacant]
    if vacant:
        raise ValidationError(
            {
                "present": _("The seat %(seat)s is vacant: nobody can attend in it.")
                % {"seat": vacant[0]}
            }
        )
    existing = {a.seat_id: a for a in Attendance.objects.filter(meeting=meeting)}
    before = sorted(s for s, a in existing.items() if a.is_present)
    rows: list[Attendance] = []
    for seat in seats.values():
        if seat.is_vacant and seat.pk not in existing:
            continue
        row = existing.get(seat.pk)
        is_present = seat.pk in present_ids
        if row is None:
            row = Attendance.objects.create(
                coalition=meeting.coalition, meeting=meeting, seat=seat, is_present=is_present
            )
        elif row.is_present != is_present:
            row.is_present = is_present
            row.save(update_fields=["is_present"])
        rows.append(row)
    after = sorted(present_ids)
    if before != after or not existing:
        body = meeting.body
        record_audit(
            coalition=meeting.coalition,
            actor=actor,
            action=Action.UPDATE,
            obj=meeting,
            summary=f"Attendance of the {body.name} meeting on {meeting.held_on.isoformat()}: "
            f"{len(after)} present",
            before={"present": before} if existing else None,
            after={"present": after},
            event="governance.attendance_recorded",
            params={"body": body.name, "on": meeting.held_on.isoformat(), "present": len(after)},
        )
    return rows


# --- motions and votes ---------------------------------------------------------------------


@transaction.atomic
def propose_motion(
    *, meeting: Meeting, actor: Any, title: str, text: str = "", topic: str = ""
) -> Motion:
    motion = Motion.objects.create(
        coalition=meeting.coalition,
        meeting=meeting,
        title=_text(title, "title", required=True),
        text=_text(text, "text", limit=8000),
        topic=_text(topic, "topic", limit=80),
    )
    record_audit(
        coalition=meeting.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=motion,
        summary=f"Motion on the agenda: {motion.title}",
        after={"title": motion.title, "topic": motion.topic, "meeting": meeting.pk},
        event="governance.motion_added",
        params={"title": motion.title, "body": meeting.body.name},
    )
    return motion


def _open_motion(motion: Motion) -> Motion:
    current = Motion.objects.select_for_update().select_related("meeting__body").get(pk=motion.pk)
    if current.status != Motion.Status.OPEN:
        raise ValidationError(
            {"motion": _("The vote on this motion is closed; its result is in the decision log.")}
        )
    return current


def _store_vote(*, motion: Motion, seat: Seat, choice: str, actor: Any, roll_call: bool) -> Vote:
    body = motion.meeting.body
    _choice(choice, Vote.Choice, "choice")
    if choice == Vote.Choice.BLOCK and body.decision_rule != Body.Rule.CONSENSUS:
        raise ValidationError({"choice": _("Only a body that decides by consensus can block.")})
    if seat.body_id != body.pk:
        raise ValidationError(
            {
                "seat": _("The seat %(seat)s is not on %(body)s.")
                % {"seat": seat.label, "body": body.name}
            }
        )
    if seat.is_vacant:
        raise ValidationError(
            {"seat": _("The seat %(seat)s is vacant and cannot vote.") % {"seat": seat.label}}
        )
    if Vote.objects.filter(motion=motion, seat=seat).exists():
        raise ValidationError(
            {
                "seat": _("The seat %(seat)s has already voted on this motion.")
                % {"seat": seat.label}
            }
        )
    if body.decision_rule == Body.Rule.ONE_VOTE_PER_ORGANIZATION and seat.holder_actor_id:
        other = (
            Vote.objects.filter(motion=motion, seat__holder_actor_id=seat.holder_actor_id)
            .select_related("seat__holder_actor")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "seat": _(
                        "%(org)s has already voted on this motion (seat %(seat)s); under one "
                        "vote per organization it has one vote."
                    )
                    % {"org": other.seat.holder_actor.name, "seat": other.seat.label}
                }
            )
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                coalition=motion.coalition,
                motion=motion,
                seat=seat,
                choice=choice,
                cast_by=actor if getattr(actor, "is_authenticated", False) else None,
                is_roll_call=roll_call,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "seat": _("The seat %(seat)s has already voted on this motion.")
                % {"seat": seat.label}
            }
        ) from None
    record_audit(
        coalition=motion.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=vote,
        summary=f"Seat {seat.label} voted {choice} on {motion.title}",
        after={"motion": motion.pk, "seat": seat.pk, "choice": choice, "roll_call": roll_call},
        event="governance.vote_cast",
        params={
            "seat": seat.label,
            "choice": choice,
            "motion": motion.title,
            "roll_call": roll_call,
        },
    )
    return vote


@transaction.atomic
def cast_vote(
    *, motion: Motion, membership: Membership, choice: str, seat: Seat | None = None
) -> Vote:
    """``membership`` votes on ``motion`` in the seat it holds on the meeting's body.

    A person without a seat on that body cannot vote; each seat votes once.
    """
    current = _open_motion(motion)
    body = current.meeting.body
    held = list(Seat.objects.filter(body=body, holder_member=membership).order_by("id"))
    if not held:
        raise ValidationError(
            {
                "seat": _("You hold no seat on %(body)s, so you cannot vote on its motions.")
                % {"body": body.name}
            }
        )
    if seat is None:
        unvoted = [s for s in held if not Vote.objects.filter(motion=current, seat=s).exists()]
        seat = unvoted[0] if unvoted else held[0]
    elif seat.pk not in {s.pk for s in held}:
        raise ValidationError(
            {
                "seat": _("You do not hold the seat %(seat)s, so you cannot vote in it.")
                % {"seat": seat.label}
            }
        )
    return _store_vote(
        motion=current, seat=seat, choice=choice, actor=membership.user, roll_call=False
    )


@transaction.atomic
def record_roll_call_vote(*, motion: Motion, actor: Any, seat: Seat, choice: str) -> Vote:
    """A backbone admin records a vote read out at the meeting (a filled seat of the body)."""
    current = _open_motion(motion)
    if seat.coalition_id != current.coalition_id:
        raise ValidationError({"seat": _("The seat must be one of this coalition.")})
    return _store_vote(motion=current, seat=seat, choice=choice, actor=actor, roll_call=True)


@transaction.atomic
def close_motion(
    *,
    motion: Motion,
    actor: Any,
    rationale: str = "",
    dissent: str = "",
    decided_on: datetime.date | None = None,
    indicators: Sequence[Any] = (),
    themes: Sequence[Any] = (),
) -> Decision:
    """Count the votes under the body's rule and quorum and write the decision, locked.

    Without quorum nothing is decided and nothing changes (the motion stays open).
    """
    current = _open_motion(motion)
    meeting = selectors.get_meeting(coalition=current.coalition, meeting_id=current.meeting_id)
    found = next(m for m in meeting.motions.all() if m.pk == current.pk)
    result = selectors.tally_motion(found, meeting)
    body = meeting.body
    if not result.quorum_reached:
        raise ValidationError(
            {
                "motion": _(
                    "No quorum: %(present)d seats present, %(body)s needs %(quorum)d. Nothing "
                    "was decided."
                )
                % {"present": result.present, "quorum": result.quorum, "body": body.name}
            }
        )
    if not found.votes.all():
        raise ValidationError({"motion": _("Nobody has voted on this motion yet.")})
    _check_links(current.coalition, indicators, themes)
    decision = Decision.objects.create(
        coalition=current.coalition,
        body=body,
        meeting=meeting,
        motion=current,
        title=current.title,
        topic=current.topic,
        decided_on=decided_on or meeting.held_on,
        result=Decision.Result.APPROVED if result.approved else Decision.Result.REJECTED,
        tally=result.as_dict(),
        rationale=_text(rationale, "rationale", limit=8000),
        dissent=_text(dissent, "dissent", limit=8000),
        is_locked=True,
    )
    decision.indicators.set(indicators)
    decision.themes.set(themes)
    current.status = Motion.Status.CLOSED
    current.save(update_fields=["status"])
    record_audit(
        coalition=current.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=decision,
        summary=f"Decision {decision.result}: {decision.title}",
        after={**decision.as_audit(), "tally": decision.tally},
        event="governance.decision_recorded",
        params={
            "title": decision.title,
            "result": decision.result,
            "body": body.name,
            "yes": result.yes,
            "no": result.no,
        },
    )
    return decision


def _check_links(coalition: Coalition, indicators: Sequence[Any], themes: Sequence[Any]) -> None:
    for indicator in indicators:
        _same_coalition(
            coalition, indicator, "indicators", _("Link only indicators of this coalition.")
        )
    for theme in themes:
        _same_coalition(
            coalition, theme, "themes", _("Link only listening themes of this coalition.")
        )


@transaction.atomic
def reopen_decision(*, decision: Decision, actor: Any, reason: str) -> Decision:
    """Unlock a decision for an edit; the reason is kept and the reopening audited."""
    reason = _text(reason, "reason", required=True, limit=2000)
    current = Decision.objects.select_for_update().get(pk=decision.pk)
    if not current.is_locked:
        raise ValidationError({"reason": _("This decision is already open for edits.")})
    before = current.as_audit()
    current.is_locked = False
    save_versioned(current, expected=None, update_fields=["is_locked"])
    DecisionReopening.objects.create(
        coalition=current.coalition, decision=current, reason=reason, reopened_by=actor
    )
    record_audit(
        coalition=current.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=current,
        summary=f"Reopened decision {current.title}: {reason}",
        before=before,
        after=current.as_audit(),
        event="governance.decision_reopened",
        params={"title": current.title, "reason": reason},
    )
    return current


@transaction.atomic
def edit_decision(
    *,
    decision: Decision,
    actor: Any,
    expected: int | None,
    title: str | None = None,
    topic: str | None = None,
    rationale: str | None = None,
    dissent: str | None = None,
    indicators: Sequence[Any] | None = None,
    themes: Sequence[Any] | None = None,
    lock: bool = True,
) -> Decision:
    """Edit a reopened decision (a locked one is refused); it is locked again after."""
    current = Decision.objects.select_for_update().get(pk=decision.pk)
    if current.is_locked:
        raise ValidationError(
            {
                "decision": _(
                    "This decision is locked. An admin must reopen it, with a reason, before "
                    "it can be edited."
                )
            }
        )
    _check_version(current, expected)
    _check_links(current.coalition, indicators or (), themes or ())
    before = current.as_audit()
    before_links = _links(current)
    if title is not None:
        current.title = _text(title, "title", required=True)
    if topic is not None:
        current.topic = _text(topic, "topic", limit=80)
    if rationale is not None:
        current.rationale = _text(rationale, "rationale", limit=8000)
    if dissent is not None:
        current.dissent = _text(dissent, "dissent", limit=8000)
    current.is_locked = lock
    save_versioned(
        current,
        expected=expected,
        update_fields=["title", "topic", "rationale", "dissent", "is_locked"],
    )
    if indicators is not None:
        current.indicators.set(indicators)
    if themes is not None:
        current.themes.set(themes)
    after = current.as_audit()
    after_links = _links(current)
    record_audit(
        coalition=current.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=current,
        summary=f"Decision {current.title} edited",
        before={**before, **before_links},
        after={**after, **after_links},
        event="governance.decision_edited",
        params={"title": current.title},
    )
    return current


def _links(decision: Decision) -> dict[str, list[int]]:
    return {
        "indicators": sorted(decision.indicators.values_list("pk", flat=True)),
        "themes": sorted(decision.themes.values_list("pk", flat=True)),
    }


# --- agreements ----------------------------------------------------------------------------


def check_agreement_file(*, file_name: str, content: bytes) -> None:
    """Refuse a file that is too large, empty, of another type, or not what its name says."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size).1f MB; the limit is 10 MB.")
                % {"size": len(content) / 1024 / 1024}
            }
        )
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    name = file_name.lower()
    if "/" in file_name or "\\" in file_name or file_name.startswith("."):
        raise ValidationError({"file": _("The file name cannot contain a folder.")})
    ext = next((e for e in FILE_TYPES if name.endswith(e)), None)
    if ext is None:
        raise ValidationError(
            {"file": _("Upload a PDF, a Word (.docx), an OpenDocument (.odt) or a text file.")}
        )
    magics = FILE_TYPES[ext]
    if magics and not content.startswith(magics):
        raise ValidationError(
            {"file": _("The file is named %(ext)s but is not one.") % {"ext": ext}}
        )
    if ext == ".txt" and b"\x00" in content:
        raise ValidationError({"file": _("The file is named .txt but is not text.")})


AGREEMENT_FIELDS = (
    "title",
    "kind",
    "status",
    "signed_on",
    "starts_on",
    "ends_on",
    "renewal_on",
    "notes",
)


def _clean_agreement(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    unknown = set(cleaned) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Unknown field.")})
    if "title" in cleaned:
        cleaned["title"] = _text(cleaned["title"], "title", required=True)
    if "kind" in cleaned:
        _choice(cleaned["kind"], Agreement.Kind, "kind")
    if "status" in cleaned:
        _choice(cleaned["status"], Agreement.Status, "status")
    if "notes" in cleaned:
        cleaned["notes"] = _text(cleaned["notes"], "notes", limit=8000)
    return cleaned


def _check_parties(coalition: Coalition, parties: Sequence[Any]) -> None:
    for party in parties:
        if not isinstance(party, Actor) or party.coalition_id != coalition.pk:
            raise ValidationError(
                {"parties": _("Every party must be an actor of this coalition's ecosystem map.")}
            )


def _check_dates(agreement: Agreement) -> None:
    if agreement.starts_on and agreement.ends_on and agreement.ends_on < agreement.starts_on:
        raise ValidationError({"ends_on": _("The agreement cannot expire before it starts.")})


def _agreement_audit(agreement: Agreement) -> dict[str, Any]:
    return {**agreement.as_audit(), "parties": sorted(p.pk for p in agreement.parties.all())}


@transaction.atomic
def create_agreement(
    *,
    coalition: Coalition,
    actor: Any,
    parties: Sequence[Any] = (),
    file_name: str = "",
    content: bytes | None = None,
    **values: Any,
) -> Agreement:
    values.setdefault("title", "")
    values.setdefault("kind", "")
    cleaned = _clean_agreement(values)
    _check_parties(coalition, parties)
    agreement = Agreement(coalition=coalition, **cleaned)
    _check_dates(agreement)
    if content is not None:
        check_agreement_file(file_name=file_name, content=content)
        agreement.file_name = file_name[:200]
        agreement.file_content = content
        agreement.file_size = len(content)
    agreement.save()
    agreement.parties.set(parties)
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE,
        obj=agreement,
        summary=f"Added agreement: {agreement.title}",
        after=_agreement_audit(agreement),
        event="governance.agreement_added",
        params={"title": agreement.title},
    )
    return agreement


@transaction.atomic
def update_agreement(
    *,
    agreement: Agreement,
    actor: Any,
    expected: int | None,
    parties: Sequence[Any] | None = None,
    file_name: str = "",
    content: bytes | None = None,
    **values: Any,
) -> Agreement:
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_version(current, expected)
    cleaned = _clean_agreement(values)
    if parties is not None:
        _check_parties(current.coalition, parties)
    before = _agreement_audit(current)
    for name, value in cleaned.items():
        setattr(current, name, value)
    _check_dates(current)
    fields = list(AGREEMENT_FIELDS)
    if content is not None:
        check_agreement_file(file_name=file_name, content=content)
        current.file_name = file_name[:200]
        current.file_content = content
        current.file_size = len(content)
        fields += ["file_name", "file_content", "file_size"]
    if parties is not None:
        current.parties.set(parties)
    after = _agreement_audit(current)
    if after == before:
        return current
    save_versioned(current, expected=expected, update_fields=fields)
    record_audit(
        coalition=current.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=current,
        summary=f"Agreement “{current.title}” changed",
        before=before,
        after=after,
        event="governance.agreement_changed",
        params={"title": current.title},
    )
    return current


# --- action items (one model: assessments.ActionItem) --------------------------------------


def add_action_from_decision(
    *,
    decision: Decision,
    actor: Any,
    title: str,
    owner: Membership | None = None,
    owner_actor: Actor | None = None,
    due_on: datetime.date | None = None,
) -> ActionItem:
    """An action item carrying out ``decision`` (the action plan's one model)."""
    return assessment_services.accept_action(
        coalition=decision.coalition,
        actor=actor,
        title=title,
        owner=owner,
        owner_actor=owner_actor,
        decision=decision,
        due_on=due_on,
    )


# --- policies -------------------------------------------------------------------------------

POLICY_FIELDS = ("title", "level", "position", "status", "summary")


def _clean_policy(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    unknown = set(cleaned) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Unknown field.")})
    if "title" in cleaned:
        cleaned["title"] = _text(cleaned["title"], "title", required=True)
    if "level" in cleaned:
        _choice(cleaned["level"], Policy.Level, "level")
    if "position" in cleaned:
        _choice(cleaned["position"], Policy.Position, "position")
    if "status" in cleaned:
        _choice(cleaned["status"], Policy.Status, "status")
    if "summary" in cleaned:
        cleaned["summary"] = _text(cleaned["summary"], "summary", limit=8000)
    return cleaned


def _policy_links(
    coalition: Coalition,
    partners: Sequence[Any] | None,
    decisions: Sequence[Any] | None,
    indicators: Sequence[Any] | None,
) -> None:
    for partner in partners or ():
        if not isinstance(partner, Actor) or partner.coalition_id != coalition.pk:
            raise ValidationError(
                {"partners": _("Every partner must be an actor of this coalition's ecosystem map.")}
            )
    for decision in decisions or ():
        _same_coalition(
            coalition, decision, "decisions", _("Link only decisions of this coalition.")
        )
    for indicator in indicators or ():
        _same_coalition(
            coalition, indicator, "indicators", _("Link only indicators of this coalition.")
        )


def _policy_audit(policy: Policy) -> dict[str, Any]:
    return {
        **policy.as_audit(),
        "partners": sorted(p.pk for p in policy.partners.all()),
        "decisions": sorted(d.pk for d in policy.decisions.all()),
        "indicators": sorted(i.pk for i in policy.indicators.all()),
    }


@transaction.atomic
def create_policy(
    *,
    coalition: Coalition,
    actor: Any,
    partners: Sequence[Any] = (),
    decisions: Sequence[Any] = (),
    indicators: Sequence[Any] = (),
    **values: Any,
) -> Policy:
    values.setdefault("title", "")
    values.setdefault("level", "")
    cleaned = _clean_policy(values)
    _policy_links(coalition, partners, decisions, indicators)
    policy = Policy.objects.create(coalition=coalition, **cleaned)
    policy.partners.set(partners)
    policy.decisions.set(decisions)
    policy.indicators.set(indicators)
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE,
        obj=policy,
        summary=f"Added policy: {policy.title}",
        after=_policy_audit(policy),
        event="governance.policy_added",
        params={"title": policy.title},
    )
    return policy


@transaction.atomic
def update_policy(
    *,
    policy: Policy,
    actor: Any,
    expected: int | None,
    partners: Sequence[Any] | None = None,
    decisions: Sequence[Any] | None = None,
    indicators: Sequence[Any] | None = None,
    **values: Any,
) -> Policy:
    current = Policy.objects.select_for_update().get(pk=policy.pk)
    _check_version(current, expected)
    cleaned = _clean_policy(values)
    _policy_links(current.coalition, partners, decisions, indicators)
    before = _policy_audit(current)
    for name, value in cleaned.items():
        setattr(current, name, value)
    if partners is not None:
        current.partners.set(partners)
    if decisions is not None:
        current.decisions.set(decisions)
    if indicators is not None:
        current.indicators.set(indicators)
    after = _policy_audit(current)
    if after == before:
        return current
    save_versioned(current, expected=expected, update_fields=list(POLICY_FIELDS))
    record_audit(
        coalition=current.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=current,
        summary=f"Policy “{current.title}” changed",
        before=before,
        after=after,
        event="governance.policy_changed",
        params={"title": current.title, "status": current.status},
    )
    return current
