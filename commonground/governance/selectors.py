"""Reads for governance pages, the API, exports and other apps. Plain data leaves here.

The functions other apps call (``power_summary``, ``community_seat_stipends``,
``policies``, ``responses_to_themes``) enter the coalition's scope themselves and
return dicts, never querysets of governance models.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from commonground.assessments.models import ActionItem
from commonground.coalitions.freshness import once_per_request
from commonground.coalitions.models import Coalition
from commonground.governance.domain import power as power_core
from commonground.governance.domain import voting
from commonground.governance.models import (
    COMMUNITY_SEAT_TYPES,
    Agreement,
    Attendance,
    Body,
    Decision,
    Meeting,
    Motion,
    Policy,
    PowerTarget,
    Seat,
    Vote,
)

RENEWAL_NOTICE_DAYS = 60


def _theme_links() -> Any:
    """The rows linking decisions to listening themes (the many-to-many table)."""
    through: Any = Decision.themes.through
    return through.objects.all()


def today() -> datetime.date:
    return timezone.localdate()


# --- bodies, seats and power --------------------------------------------------------------


def list_bodies(*, coalition: Coalition) -> QuerySet[Body]:
    seats = Seat.objects.select_related("holder_member__user", "holder_actor").order_by("id")
    return Body.objects.filter(coalition=coalition).prefetch_related(
        Prefetch("seats", queryset=seats)
    )


def list_seats(*, coalition: Coalition) -> QuerySet[Seat]:
    return Seat.objects.filter(coalition=coalition).select_related(
        "body", "holder_member__user", "holder_actor"
    )


def holder_label(seat: Seat) -> str:
    """Who holds the seat, as people say it: "Ana Ruiz (Eastside Tenants Union)"."""
    member, actor = seat.holder_member, seat.holder_actor
    person = str(member.user) if member is not None else seat.holder_name
    org = actor.name if actor is not None else ""
    if person and org:
        return f"{person} ({org})"
    return person or org


def holder_key(seat: Seat) -> str | None:
    """The holder as power counts it: the organization when there is one, else the person."""
    if seat.holder_actor is not None:
        return seat.holder_actor.name
    if seat.holder_member is not None:
        return str(seat.holder_member.user)
    return seat.holder_name or None


def target_of(coalition: Coalition) -> tuple[float, tuple[str, ...]]:
    row = PowerTarget.objects.filter(coalition=coalition).first()
    if row is None:
        return power_core.DEFAULT_TARGET, power_core.COMMUNITY_TYPES
    types = tuple(row.community_types) or power_core.COMMUNITY_TYPES
    return float(row.community_share), types


def seat_inputs(bodies: Iterable[Body]) -> list[power_core.Seat]:
    rows: list[power_core.Seat] = []
    for body in bodies:
        for seat in body.seats.all():
            rows.append(
                power_core.Seat(
                    body=f"{body.pk}",
                    seat=f"{seat.pk}",
                    type=seat.seat_type,
                    votes=seat.votes,
                    holder=holder_key(seat),
                    paid=seat.is_paid,
                    authority=body.authority,
                    rule=body.decision_rule
                    if body.decision_rule == Body.Rule.ONE_VOTE_PER_ORGANIZATION
                    else "",
                )
            )
    return rows


@dataclass(frozen=True)
class BodyPower:
    body: Body
    share: power_core.Share | None  # None for a body without seats


@dataclass(frozen=True)
class Power:
    bodies: list[BodyPower]
    coalition: power_core.Share | None  # None when no body decides
    target: float
    community_types: tuple[str, ...]


def power(*, coalition: Coalition, bodies: Sequence[Body] | None = None) -> Power:
    """The power share of every body and of the coalition's deciding bodies."""
    if bodies is None:
        bodies = list(list_bodies(coalition=coalition))
    target, types = target_of(coalition)
    seats = seat_inputs(bodies)
    report = power_core.power_report(seats, community_types=types, target=target)
    by_body = {share.body: share for share in report.bodies}
    deciding = any(b.authority == Body.Authority.DECIDES and b.seats.all() for b in bodies)
    return Power(
        bodies=[BodyPower(body=b, share=by_body.get(f"{b.pk}")) for b in bodies],
        coalition=report.coalition if deciding else None,
        target=target,
        community_types=types,
    )


def power_summary(*, coalition: Coalition) -> dict[str, Any] | None:
    """The coalition-level power share (the CLI's ``coalition`` keys, plus the target);
    None when no body decides."""
    with scope(coalition=coalition):
        found = power(coalition=coalition)
    if found.coalition is None:
        return None
    summary = found.coalition.as_contract()
    summary.pop("body")
    summary["target"] = found.target
    summary["community_types"] = list(found.community_types)
    summary["url"] = reverse("governance:power", args=[coalition.slug])
    return summary


def community_seat_stipends(*, coalition: Coalition) -> list[dict[str, Any]]:
    """One dict per community seat: body, seat, vacant, paid, stipend (Decimal or None)."""
    with scope(coalition=coalition):
        seats = list(
            Seat.objects.filter(coalition=coalition, seat_type__in=COMMUNITY_SEAT_TYPES)
            .select_related("body")
            .order_by("body__name", "id")
        )
    return [
        {
            "body": seat.body.name,
            "seat": seat.label,
            "vacant": seat.is_vacant,
            "paid": seat.is_paid,
            "stipend": Decimal(seat.stipend) if seat.stipend is not None else None,
        }
        for seat in seats
    ]


def policies(*, coalition: Coalition) -> list[dict[str, Any]]:
    """The policy agenda: {"id", "title", "level", "position", "status", "url"}."""
    with scope(coalition=coalition):
        rows = list(Policy.objects.filter(coalition=coalition))
    url = reverse("governance:policies", args=[coalition.slug])
    return [
        {
            "id": p.pk,
            "title": p.title,
            "level": p.level,
            "position": p.position,
            "status": p.status,
            "url": f"{url}#policy-{p.pk}",
        }
        for p in rows
    ]


def responses_to_themes(
    *, coalition: Coalition, theme_ids: Iterable[int]
) -> dict[int, list[dict[str, Any]]]:
    """Theme id -> the decisions answering it and the action items of those decisions."""
    wanted = set(theme_ids)
    found: dict[int, list[dict[str, Any]]] = {t: [] for t in wanted}
    if not wanted:
        return found
    with scope(coalition=coalition):
        links = list(
            _theme_links()
            .filter(decision__coalition=coalition, theme_id__in=wanted)
            .values_list("theme_id", "decision_id")
        )
        decisions = {
            d.pk: d
            for d in Decision.objects.filter(
                coalition=coalition, pk__in={d for _, d in links}
            ).prefetch_related("action_items")
        }
    for theme_id, decision_id in sorted(links, key=lambda x: (x[0], x[1])):
        decision = decisions[decision_id]
        url = reverse("governance:decision", args=[coalition.slug, decision.pk])
        found[theme_id].append(
            {
                "kind": "decision",
                "title": decision.title,
                "date": decision.decided_on,
                "status": decision.result,
                "url": url,
            }
        )
        for item in decision.action_items.all():
            found[theme_id].append(
                {
                    "kind": "action",
                    "title": item.title,
                    "date": item.due_on,
                    "status": item.status,
                    "url": reverse("governance:actions", args=[coalition.slug])
                    + f"#action-{item.pk}",
                }
            )
    return found


# --- meetings, motions, votes ------------------------------------------------------------


def list_meetings(*, coalition: Coalition, body: Body | None = None) -> QuerySet[Meeting]:
    rows = Meeting.objects.filter(coalition=coalition).select_related("body")
    if body is not None:
        rows = rows.filter(body=body)
    return rows.annotate(
        present_count=Count("attendance", filter=Q(attendance__is_present=True), distinct=True),
        motion_count=Count("motions", distinct=True),
    ).order_by("-held_on", "-id")


def get_meeting(*, coalition: Coalition, meeting_id: int) -> Meeting:
    return (
        Meeting.objects.filter(coalition=coalition)
        .select_related("body")
        .prefetch_related(
            Prefetch(
                "body__seats",
                queryset=Seat.objects.select_related("holder_member__user", "holder_actor"),
            ),
            "attendance",
            Prefetch(
                "motions",
                queryset=Motion.objects.prefetch_related(
                    Prefetch("votes", queryset=Vote.objects.select_related("seat"))
                ).select_related("decision"),
            ),
        )
        .get(pk=meeting_id)
    )


def present_seat_ids(meeting: Meeting, motion: Motion | None = None) -> set[int]:
    """Seats present: marked present, or (for a motion) having voted on it."""
    present = {a.seat_id for a in meeting.attendance.all() if a.is_present}
    if motion is not None:
        present |= {v.seat_id for v in motion.votes.all()}
    return present


def seat_organization(seat: Seat) -> str | None:
    return f"actor:{seat.holder_actor_id}" if seat.holder_actor_id else None


def tally_motion(motion: Motion, meeting: Meeting) -> voting.Tally:
    body = meeting.body
    seats = {s.pk: s for s in body.seats.all()}
    ballots = [
        voting.Ballot(
            seat=str(v.seat_id),
            choice=v.choice,
            votes=seats[v.seat_id].votes if v.seat_id in seats else 0,
            organization=seat_organization(seats[v.seat_id]) if v.seat_id in seats else None,
        )
        for v in sorted(motion.votes.all(), key=lambda v: (v.cast_at, v.pk))
    ]
    return voting.tally(
        body.decision_rule,
        ballots,
        quorum=body.quorum,
        present=len(present_seat_ids(meeting, motion)),
    )


def attendance_by_type(*, coalition: Coalition) -> list[voting.Rate]:
    rows = Attendance.objects.filter(coalition=coalition).values_list(
        "meeting__held_on", "seat__seat_type", "is_present"
    )
    return voting.attendance_rates(
        [
            voting.AttendanceRow(f"{day.year}-Q{(day.month - 1) // 3 + 1}", seat_type, present)
            for day, seat_type, present in rows
        ]
    )


# --- decisions --------------------------------------------------------------------------


def list_decisions(
    *,
    coalition: Coalition,
    body_id: int | None = None,
    topic: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[Decision]:
    rows = Decision.objects.filter(coalition=coalition).select_related("body", "meeting")
    if body_id:
        rows = rows.filter(body_id=body_id)
    if topic:
        rows = rows.filter(topic__iexact=topic)
    if since:
        rows = rows.filter(decided_on__gte=since)
    if until:
        rows = rows.filter(decided_on__lte=until)
    return rows


def get_decision(*, coalition: Coalition, decision_id: int) -> Decision:
    return (
        Decision.objects.filter(coalition=coalition)
        .select_related("body", "meeting", "motion")
        .prefetch_related(
            "indicators",
            "themes",
            "reopenings__reopened_by",
            "action_items__owner__user",
            "action_items__owner_actor",
            "policies",
        )
        .get(pk=decision_id)
    )


def topics(*, coalition: Coalition) -> list[str]:
    return sorted(
        set(
            Decision.objects.filter(coalition=coalition)
            .exclude(topic="")
            .values_list("topic", flat=True)
        )
    )


# --- agreements, actions, policies -------------------------------------------------------


def list_agreements(*, coalition: Coalition) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(coalition=coalition)
        .defer("file_content")
        .prefetch_related("parties")
    )


def renewals_due(*, coalition: Coalition, on: datetime.date) -> list[Agreement]:
    """Active agreements whose renewal or expiry falls within the next 60 days (or passed)."""
    horizon = on + datetime.timedelta(days=RENEWAL_NOTICE_DAYS)
    rows = (
        Agreement.objects.filter(coalition=coalition, status=Agreement.Status.ACTIVE)
        .filter(Q(renewal_on__lte=horizon) | Q(ends_on__lte=horizon))
        .defer("file_content")
    )
    return list(rows)


def reminder_date(agreement: Agreement) -> datetime.date | None:
    dates = [d for d in (agreement.renewal_on, agreement.ends_on) if d is not None]
    return min(dates) if dates else None


def list_actions(*, coalition: Coalition) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(coalition=coalition).select_related(
        "owner__user", "owner_actor", "decision"
    )


def list_policies(*, coalition: Coalition) -> QuerySet[Policy]:
    return Policy.objects.filter(coalition=coalition).prefetch_related(
        "partners", "decisions", "indicators"
    )


def you_said_we_did(*, coalition: Coalition) -> list[dict[str, Any]]:
    """Each listening theme with the decisions (and their actions) that answered it."""
    links = list(
        _theme_links().filter(decision__coalition=coalition).values_list("theme_id", "theme__name")
    )
    names = dict(links)
    answered = responses_to_themes(coalition=coalition, theme_ids=names)
    return [
        {"theme_id": t, "theme": names[t], "responses": answered[t]}
        for t in sorted(names, key=lambda t: names[t].casefold())
    ]


def counts(*, coalition: Coalition) -> dict[str, int]:
    """How many of each governance record the coalition keeps (computed once per request:
    the roadmap steps and the framework evidence both read it)."""
    return once_per_request(coalition, "governance_counts", lambda: _counts(coalition))


def _counts(coalition: Coalition) -> dict[str, int]:
    everything = Count("pk")
    found: dict[str, int] = {}
    found |= Body.objects.filter(coalition=coalition).aggregate(
        bodies=everything, deciding=Count("pk", filter=Q(authority=Body.Authority.DECIDES))
    )
    found |= Seat.objects.filter(coalition=coalition).aggregate(seats=everything)
    found |= Meeting.objects.filter(coalition=coalition).aggregate(meetings=everything)
    found |= Decision.objects.filter(coalition=coalition).aggregate(decisions=everything)
    found |= Agreement.objects.filter(coalition=coalition).aggregate(
        agreements=everything,
        active_agreements=Count("pk", filter=Q(status=Agreement.Status.ACTIVE)),
        active_charters=Count(
            "pk",
            filter=Q(
                status=Agreement.Status.ACTIVE,
                kind__in=[Agreement.Kind.CHARTER, Agreement.Kind.BYLAWS, Agreement.Kind.MOU],
            ),
        ),
    )
    found |= Policy.objects.filter(coalition=coalition).aggregate(
        policies=everything,
        adopted_policies=Count(
            "pk", filter=Q(status__in=[Policy.Status.ADOPTED, Policy.Status.IMPLEMENTED])
        ),
    )
    found |= ActionItem.objects.filter(coalition=coalition, decision__isnull=False).aggregate(
        decision_actions=everything
    )
    return found
