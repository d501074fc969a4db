"""The CSV/XLSX tables of governance: (headers, rows) for ``commonground.lib.tabular``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commonground.coalitions.models import Coalition
from commonground.governance import selectors
from commonground.governance.models import Attendance, Decision, Vote

Table = tuple[list[str], list[list[Any]]]


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def bodies(*, coalition: Coalition) -> Table:
    headers = [
        "id",
        "name",
        "kind",
        "authority",
        "decision_rule",
        "quorum",
        "schedule",
        "supports",
        "languages",
        "ends_on",
        "seats",
        "vacant",
        "votes",
        "community_share",
        "community_share_filled",
        "largest_holder_share",
        "paid_community_share",
        "below_target",
    ]
    found = selectors.power(coalition=coalition)
    rows = []
    for bp in found.bodies:
        b, s = bp.body, bp.share
        rows.append(
            [
                b.pk,
                b.name,
                b.kind,
                b.authority,
                b.decision_rule,
                b.quorum,
                b.schedule,
                ";".join(b.supports),
                b.languages,
                _day(b.ends_on),
                s.seats if s else 0,
                s.vacant if s else 0,
                s.votes if s else 0,
                s.community_share if s else None,
                s.community_share_filled if s else None,
                s.largest_holder_share if s else None,
                s.paid_community_share if s else None,
                s.below_target if s else False,
            ]
        )
    return headers, rows


def seats(*, coalition: Coalition) -> Table:
    headers = [
        "id",
        "body",
        "seat",
        "type",
        "votes",
        "holder",
        "holder_member_id",
        "holder_actor_id",
        "vacant",
        "paid",
        "stipend",
        "term_starts_on",
        "term_ends_on",
    ]
    rows = [
        [
            s.pk,
            s.body.name,
            s.label,
            s.seat_type,
            s.votes,
            selectors.holder_label(s),
            s.holder_member_id,
            s.holder_actor_id,
            s.is_vacant,
            s.is_paid,
            s.stipend,
            _day(s.term_starts_on),
            _day(s.term_ends_on),
        ]
        for s in selectors.list_seats(coalition=coalition).order_by("body__name", "id")
    ]
    return headers, rows


def meetings(*, coalition: Coalition) -> Table:
    headers = [
        "id",
        "body",
        "date",
        "title",
        "present",
        "motions",
        "supports_provided",
        "agenda",
        "minutes",
    ]
    rows = [
        [
            m.pk,
            m.body.name,
            _day(m.held_on),
            m.title,
            getattr(m, "present_count", 0),
            getattr(m, "motion_count", 0),
            ";".join(m.supports_provided),
            m.agenda,
            m.minutes,
        ]
        for m in selectors.list_meetings(coalition=coalition)
    ]
    return headers, rows


def attendance(*, coalition: Coalition) -> Table:
    headers = ["meeting_id", "body", "date", "seat", "seat_type", "present"]
    rows = [
        [
            a.meeting_id,
            a.meeting.body.name,
            _day(a.meeting.held_on),
            a.seat.label,
            a.seat.seat_type,
            a.is_present,
        ]
        for a in Attendance.objects.filter(coalition=coalition)
        .select_related("meeting__body", "seat")
        .order_by("meeting__held_on", "meeting_id", "seat_id")
    ]
    return headers, rows


def votes(*, coalition: Coalition) -> Table:
    headers = [
        "motion_id",
        "motion",
        "body",
        "date",
        "seat",
        "seat_type",
        "votes",
        "choice",
        "roll_call",
    ]
    rows = [
        [
            v.motion_id,
            v.motion.title,
            v.motion.meeting.body.name,
            _day(v.motion.meeting.held_on),
            v.seat.label,
            v.seat.seat_type,
            v.seat.votes,
            v.choice,
            v.is_roll_call,
        ]
        for v in Vote.objects.filter(coalition=coalition)
        .select_related("motion__meeting__body", "seat")
        .order_by("motion__meeting__held_on", "motion_id", "seat_id")
    ]
    return headers, rows


def decisions(*, rows: Iterable[Decision]) -> Table:
    headers = [
        "id",
        "date",
        "body",
        "title",
        "topic",
        "result",
        "yes",
        "no",
        "abstain",
        "block",
        "present",
        "quorum",
        "locked",
        "rationale",
        "dissent",
    ]
    out = []
    for d in rows:
        t = d.tally or {}
        out.append(
            [
                d.pk,
                _day(d.decided_on),
                d.body.name,
                d.title,
                d.topic,
                d.result,
                t.get("yes"),
                t.get("no"),
                t.get("abstain"),
                t.get("block"),
                t.get("present"),
                t.get("quorum"),
                d.is_locked,
                d.rationale,
                d.dissent,
            ]
        )
    return headers, out


def agreements(*, coalition: Coalition) -> Table:
    headers = [
        "id",
        "title",
        "kind",
        "status",
        "parties",
        "signed_on",
        "starts_on",
        "ends_on",
        "renewal_on",
        "file_name",
    ]
    rows = [
        [
            a.pk,
            a.title,
            a.kind,
            a.status,
            "; ".join(p.name for p in a.parties.all()),
            _day(a.signed_on),
            _day(a.starts_on),
            _day(a.ends_on),
            _day(a.renewal_on),
            a.file_name,
        ]
        for a in selectors.list_agreements(coalition=coalition)
    ]
    return headers, rows


def actions(*, coalition: Coalition) -> Table:
    headers = [
        "id",
        "title",
        "status",
        "due_on",
        "owner",
        "owner_organization",
        "decision_id",
        "decision",
    ]
    rows = [
        [
            i.pk,
            i.title,
            i.status,
            _day(i.due_on),
            str(i.owner.user) if i.owner is not None else "",
            i.owner_actor.name if i.owner_actor is not None else "",
            i.decision_id,
            i.decision.title if i.decision is not None else "",
        ]
        for i in selectors.list_actions(coalition=coalition)
    ]
    return headers, rows


def policies(*, coalition: Coalition) -> Table:
    headers = [
        "id",
        "title",
        "level",
        "position",
        "status",
        "partners",
        "decisions",
        "indicators",
        "summary",
    ]
    rows = [
        [
            p.pk,
            p.title,
            p.level,
            p.position,
            p.status,
            "; ".join(a.name for a in p.partners.all()),
            "; ".join(d.title for d in p.decisions.all()),
            "; ".join(i.code for i in p.indicators.all()),
            p.summary,
        ]
        for p in selectors.list_policies(coalition=coalition)
    ]
    return headers, rows
