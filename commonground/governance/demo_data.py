"""The demo's governance: modeled on the IHI guide's examples (WSU's executive leadership
council split between health care executives and community representatives, a paid
community advisory council of 18, a metrics committee), with a year of meetings,
decisions, agreements, action items and a policy agenda. Every person is invented;
organizations come from the demo ecosystem map. Deterministic (a fixed seed)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django_scopes import scope

from commonground.assessments import services as plan
from commonground.coalitions.models import Coalition, Membership
from commonground.ecosystem.models import Actor
from commonground.governance import services
from commonground.governance.models import Body, Decision, Meeting, Motion, Seat
from commonground.measurement.models import Indicator

SEED = 9
CAC_NAMES = (
    "Bernice Walker",
    "Luis Hernández",
    "Carla Simmons",
    "Andre Thompson",
    "Mae Ellen Foster",
    "Yesenia Cruz",
    "Curtis Bell",
    "Gloria Pettway",
    "DeShawn Mitchell",
    "Rosa Martínez",
    "Ernestine Hall",
    "Marcus Lowe",
    "Patrice Young",
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _actor(name: str) -> Actor | None:
    return Actor.objects.filter(name=name).first()


def _member(email: str) -> Membership | None:
    return Membership.objects.filter(user__email=email).first()


def _indicators(*codes: str) -> list[Indicator]:
    return list(Indicator.objects.filter(code__in=codes))


def seed_river_region(coalition: Coalition) -> None:
    with scope(coalition=coalition):
        _seed(coalition)


def _seed(coalition: Coalition) -> None:
    admin_membership = _member("alicia@riverregion.example")
    admin = admin_membership.user if admin_membership else None
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    term_end = start + datetime.timedelta(days=730)
    services.set_power_target(coalition=coalition, actor=admin, community_share="0.5")

    executive = services.create_body(
        coalition=coalition,
        actor=admin,
        name="Executive Leadership Council",
        kind=Body.Kind.EXECUTIVE_COUNCIL,
        purpose=(
            "Sets the collaborative's direction, budget and priorities. Half of its seats "
            "belong to community representatives."
        ),
        authority=Body.Authority.DECIDES,
        decision_rule=Body.Rule.SIMPLE_MAJORITY,
        quorum=7,
        schedule="Every other month, second Thursday, 5:30-7:30 pm",
        supports=["evening_weekend", "remote", "food", "childcare", "stipends"],
        languages="Spanish",
    )
    exec_seats: list[Seat] = []
    for label, org, email, name in (
        ("Hospital seat 1", "Capital City Medical Center", "priya@capitalcitymed.example", ""),
        ("Hospital seat 2", "Southview Regional Hospital", "", "Dr. Samuel Okafor"),
        ("Health plan seat", "Alabama River Health Plan", "", "Karen Whitlow"),
        (
            "Health center seat",
            "Riverside Community Health Center",
            "lena@riversidechc.example",
            "",
        ),
        ("Behavioral health seat", "River Region Behavioral Health Authority", "", "Dr. Nina Feld"),
        ("Clinic seat", "Elmore County Family Clinic", "", "Robert Haynes"),
    ):
        exec_seats.append(
            services.add_seat(
                body=executive,
                actor=admin,
                label=label,
                seat_type="institution",
                votes=1,
                term_starts_on=start,
                term_ends_on=term_end,
                holder_member=_member(email) if email else None,
                holder_actor=_actor(org),
                holder_name=name,
            )
        )
    for label, seat_type, org, email in (
        ("Resident seat 1", "resident", "", "denise@residents.example"),
        ("Resident seat 2", "resident", "", "jose@residents.example"),
        ("Resident seat 3", "resident", "", "tamika@residents.example"),
        (
            "Faith community seat",
            "community_organization",
            "Greater Mt. Zion Baptist Church",
            "ruth@mtzion.example",
        ),
        ("Resident seat 4", "resident", "", ""),
        ("Resident seat 5", "resident", "", ""),
    ):
        exec_seats.append(
            services.add_seat(
                body=executive,
                actor=admin,
                label=label,
                seat_type=seat_type,
                votes=1,
                term_starts_on=start,
                term_ends_on=term_end,
                is_paid=True,
                stipend=Decimal("1200.00"),
                holder_member=_member(email) if email else None,
                holder_actor=_actor(org) if org else None,
            )
        )

    advisory = services.create_body(
        coalition=coalition,
        actor=admin,
        name="Community Advisory Council",
        kind=Body.Kind.COMMUNITY_ADVISORY,
        purpose=(
            "Eighteen paid residents who review every plan before the executive council "
            "votes, and bring back what neighbors say."
        ),
        authority=Body.Authority.RECOMMENDS,
        decision_rule=Body.Rule.CONSENSUS,
        quorum=10,
        schedule="Monthly, last Tuesday, 6:00-8:00 pm, rotating between neighborhoods",
        supports=[
            "interpretation",
            "evening_weekend",
            "childcare",
            "food",
            "transport",
            "stipends",
        ],
        languages="Spanish",
    )
    cac_seats: list[Seat] = []
    holders: list[tuple[str, str]] = [
        ("", "denise@residents.example"),
        ("", "jose@residents.example"),
        ("", "tamika@residents.example"),
    ] + [(name, "") for name in CAC_NAMES]
    holders += [("", ""), ("", "")]  # two vacant seats
    for i, (name, email) in enumerate(holders, start=1):
        cac_seats.append(
            services.add_seat(
                body=advisory,
                actor=admin,
                label=f"Resident seat {i}",
                seat_type="resident",
                votes=1,
                term_starts_on=start,
                term_ends_on=term_end,
                is_paid=True,
                stipend=Decimal("600.00"),
                holder_member=_member(email) if email else None,
                holder_name=name,
            )
        )

    metrics = services.create_body(
        coalition=coalition,
        actor=admin,
        name="Metrics Committee",
        kind=Body.Kind.METRICS_COMMITTEE,
        purpose="Chooses the shared measures and checks the data before it is published.",
        authority=Body.Authority.RECOMMENDS,
        decision_rule=Body.Rule.SIMPLE_MAJORITY,
        quorum=4,
        schedule="Quarterly, weekday afternoons",
        supports=["remote"],
    )
    metric_seats = [
        services.add_seat(
            body=metrics,
            actor=admin,
            label=label,
            seat_type=seat_type,
            votes=1,
            holder_member=_member(email) if email else None,
            holder_actor=_actor(org) if org else None,
            holder_name=name,
            is_paid=seat_type == "resident",
            stipend=Decimal("300.00") if seat_type == "resident" else None,
        )
        for label, seat_type, org, email, name in (
            (
                "Public health seat",
                "government",
                "River Region Public Health District",
                "james@rrphd.example",
                "",
            ),
            (
                "University seat",
                "institution",
                "Alabama Riverside State University",
                "",
                "Dr. Alan Chu",
            ),
            (
                "Health workers seat",
                "community_organization",
                "Community Health Workers Network",
                "",
                "Lakisha Moore",
            ),
            (
                "Latino community seat",
                "community_organization",
                "Centro Latino del Río",
                "",
                "Ana Beltrán",
            ),
            ("Resident data seat 1", "resident", "", "", "Bernice Walker"),
            ("Resident data seat 2", "resident", "", "", ""),
            (
                "Funder seat",
                "funder",
                "River Region Community Foundation",
                "helen@rrcf.example",
                "",
            ),
        )
    ]

    housing = services.create_body(
        coalition=coalition,
        actor=admin,
        name="Healthy Homes Planning Committee",
        kind=Body.Kind.PLANNING_COMMITTEE,
        purpose="Time-limited: plans the healthy-homes repair program with its partners.",
        authority=Body.Authority.ADVISES,
        decision_rule=Body.Rule.ONE_VOTE_PER_ORGANIZATION,
        quorum=3,
        schedule="Twice a month until the plan is done",
        supports=["remote", "evening_weekend"],
        ends_on=today + datetime.timedelta(days=120),
    )
    for label, seat_type, org, name in (
        (
            "Housing seat 1",
            "community_organization",
            "Montgomery Housing Partnership",
            "Darnell Brooks",
        ),
        (
            "Housing seat 2",
            "community_organization",
            "Montgomery Housing Partnership",
            "Keisha Reynolds",
        ),
        ("Repairs seat", "community_organization", "Healthy Homes Alabama", "Tom Bradley"),
        (
            "City seat",
            "government",
            "City of Montgomery Office of Community Development",
            "Irene Vaughn",
        ),
        ("Resident seat", "resident", "", "Gloria Pettway"),
    ):
        services.add_seat(
            body=housing,
            actor=admin,
            label=label,
            seat_type=seat_type,
            votes=1,
            holder_actor=_actor(org) if org else None,
            holder_name=name,
        )

    rng = random.Random(SEED)
    decisions = _meetings(
        coalition,
        admin,
        rng,
        today,
        executive,
        exec_seats,
        advisory,
        cac_seats,
        metrics,
        metric_seats,
    )
    _actions(coalition, admin, today, decisions)
    _agreements(coalition, admin, today)
    _policies(coalition, admin, decisions)


def _attend(
    meeting: Meeting,
    seats: list[Seat],
    rng: random.Random,
    community_rate: float,
    other_rate: float,
    admin: Any,
) -> list[Seat]:
    present = [
        s
        for s in seats
        if not s.is_vacant
        and rng.random()
        < (community_rate if s.seat_type in ("resident", "community_organization") else other_rate)
    ]
    services.record_attendance(meeting=meeting, actor=admin, present=[s.pk for s in present])
    return present


def _vote(motion: Motion, seats: list[Seat], choices: dict[int, str], admin: Any) -> None:
    for seat in seats:
        choice = choices.get(seat.pk, "yes")
        if seat.holder_member is not None:
            services.cast_vote(
                motion=motion, membership=seat.holder_member, choice=choice, seat=seat
            )
        else:
            services.record_roll_call_vote(motion=motion, actor=admin, seat=seat, choice=choice)


def _meetings(
    coalition: Coalition,
    admin: Any,
    rng: random.Random,
    today: datetime.date,
    executive: Body,
    exec_seats: list[Seat],
    advisory: Body,
    cac_seats: list[Seat],
    metrics: Body,
    metric_seats: list[Seat],
) -> dict[str, Decision]:
    """A year of meetings; returns the decisions by a short key."""
    decisions: dict[str, Decision] = {}
    exec_agenda = [
        ("charter", "Adopt the collaborative's charter and bylaws", "Governance", {}),
        ("stipends", "Pay community representatives for their time", "Governance", {}),
        ("hypertension", "Make high blood pressure the first shared priority", "Priorities", {}),
        ("data", "Sign the data-sharing agreement with Capital City Medical Center", "Data", {}),
        ("medicaid", "Endorse the state Medicaid expansion campaign", "Policy", {}),
        (
            "chw",
            "Fund a second community health worker from the hospital budget",
            "Budget",
            {"no": 7},
        ),
    ]
    rates = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7]  # community attendance slips over the year
    for i, (key, title, topic, votes) in enumerate(exec_agenda):
        day = today - datetime.timedelta(days=350 - i * 60)
        meeting = services.schedule_meeting(
            body=executive,
            actor=admin,
            held_on=day,
            title=f"Executive council, {day:%B %Y}",
            agenda=f"1. Welcome and community check-in\n2. {title}\n3. Reports from the advisory council",
            supports_provided=["evening_weekend", "food", "childcare"]
            + (["remote"] if i % 2 else []),
        )
        present = _attend(meeting, exec_seats, rng, rates[i], 0.95, admin)
        if len(present) < executive.quorum:
            present = _attend(meeting, exec_seats, random.Random(i), 1.0, 1.0, admin)
        motion = services.propose_motion(meeting=meeting, actor=admin, title=title, topic=topic)
        no_count = votes.get("no", 0)
        choices = {s.pk: ("no" if n < no_count else "yes") for n, s in enumerate(present)}
        _vote(motion, present, choices, admin)
        decisions[key] = services.close_motion(
            motion=motion,
            actor=admin,
            rationale="Discussed at the meeting; see the minutes.",
            dissent="Hospital members asked for a one-year pilot first." if no_count else "",
            indicators=_indicators("BPHIGH_CrudePrev", "v147") if key == "hypertension" else [],
        )
        services.update_meeting(
            meeting=meeting,
            actor=admin,
            expected=None,
            minutes=f"Quorum reached with {len(present)} seats present. {title}: "
            f"{decisions[key].get_result_display().lower()}.",
        )
    # The last meeting had no quorum: its motion is still open.
    day = today - datetime.timedelta(days=8)
    meeting = services.schedule_meeting(
        body=executive,
        actor=admin,
        held_on=day,
        title=f"Executive council, {day:%B %Y}",
        agenda="1. Budget for next year\n2. Renew the MOU with Riverside Community Health Center",
        supports_provided=["evening_weekend", "food"],
    )
    services.record_attendance(meeting=meeting, actor=admin, present=[s.pk for s in exec_seats[:5]])
    services.propose_motion(
        meeting=meeting, actor=admin, title="Approve next year's budget", topic="Budget"
    )
    # The next meeting, with its agenda: a motion waiting for votes.
    day = today + datetime.timedelta(days=6)
    upcoming = services.schedule_meeting(
        body=executive,
        actor=admin,
        held_on=day,
        title=f"Executive council, {day:%B %Y}",
        agenda="1. Approve next year's budget (carried over: no quorum last time)\n2. Renew the MOU",
        supports_provided=["evening_weekend", "food", "childcare", "remote"],
    )
    services.propose_motion(
        meeting=upcoming,
        actor=admin,
        title="Renew the MOU with Riverside Community Health Center",
        topic="Agreements",
    )

    cac_topics = [
        ("evening", "Recommend evening meetings with Spanish interpretation", "Access", None),
        ("bus", "Recommend bus passes instead of mileage for members", "Access", "block"),
        ("bp", "Recommend blood-pressure checks at barbershops and churches", "Priorities", None),
        ("housing", "Recommend healthy-homes repairs as the next priority", "Priorities", None),
    ]
    for month in range(12):
        day = today - datetime.timedelta(days=340 - month * 28)
        meeting = services.schedule_meeting(
            body=advisory,
            actor=admin,
            held_on=day,
            title=f"Community advisory council, {day:%B %Y}",
            agenda="1. Dinner and check-in\n2. What neighbors are saying\n3. Review of the council's plans",
            supports_provided=[
                "interpretation",
                "childcare",
                "food",
                "transport",
                "evening_weekend",
            ],
        )
        present = _attend(meeting, cac_seats, rng, 0.9 - month * 0.02, 0.9, admin)
        if month % 3 == 1 and month // 3 < len(cac_topics):
            key, title, topic, blocker = cac_topics[month // 3]
            if len(present) < advisory.quorum:
                present = _attend(meeting, cac_seats, random.Random(month), 1.0, 1.0, admin)
            motion = services.propose_motion(meeting=meeting, actor=admin, title=title, topic=topic)
            choices = {present[0].pk: blocker} if blocker else {}
            if len(present) > 2:
                choices[present[2].pk] = "abstain"
            _vote(motion, present, choices, admin)
            decisions[key] = services.close_motion(
                motion=motion,
                actor=admin,
                rationale="Agreed in the room after discussion in English and Spanish.",
                dissent="One member blocked: bus routes do not reach Hayneville."
                if blocker
                else "",
            )

    for quarter in range(4):
        day = today - datetime.timedelta(days=330 - quarter * 91)
        meeting = services.schedule_meeting(
            body=metrics,
            actor=admin,
            held_on=day,
            title=f"Metrics committee, Q{quarter + 1}",
            agenda="1. Data review\n2. Shared measures",
            supports_provided=["remote"],
        )
        present = _attend(meeting, metric_seats, rng, 0.9, 1.0, admin)
        if quarter == 0:
            if len(present) < metrics.quorum:
                present = _attend(meeting, metric_seats, random.Random(quarter), 1.0, 1.0, admin)
            motion = services.propose_motion(
                meeting=meeting,
                actor=admin,
                title="Adopt blood-pressure control as a shared measure",
                topic="Data",
            )
            _vote(motion, present, {}, admin)
            decisions["measure"] = services.close_motion(
                motion=motion,
                actor=admin,
                rationale="Clinics already report it.",
                indicators=_indicators("BPHIGH_CrudePrev"),
            )
    return decisions


def _actions(
    coalition: Coalition, admin: Any, today: datetime.date, decisions: dict[str, Decision]
) -> None:
    items = [
        (
            "charter",
            "Post the signed charter on the coalition's website",
            "alicia@riverregion.example",
            "",
            -200,
            "done",
        ),
        (
            "stipends",
            "Set up stipend payments through the community foundation",
            "marcus@riverregion.example",
            "River Region Community Foundation",
            -150,
            "done",
        ),
        (
            "hypertension",
            "Train barbers and stylists to take blood pressure",
            "",
            "Community Health Workers Network",
            -20,
            "in_progress",
        ),
        (
            "hypertension",
            "Report monthly blood-pressure control from the clinics",
            "lena@riversidechc.example",
            "Riverside Community Health Center",
            25,
            "open",
        ),
        (
            "data",
            "Send the first quarterly data extract",
            "priya@capitalcitymed.example",
            "Capital City Medical Center",
            -10,
            "open",
        ),
        (
            "medicaid",
            "Bring residents to the legislative day in Montgomery",
            "denise@residents.example",
            "",
            40,
            "open",
        ),
        (
            "evening",
            "Book interpreters for every council meeting",
            "marcus@riverregion.example",
            "Centro Latino del Río",
            -60,
            "done",
        ),
        (
            "bp",
            "Schedule blood-pressure checks after Sunday services",
            "ruth@mtzion.example",
            "Greater Mt. Zion Baptist Church",
            -5,
            "in_progress",
        ),
        (
            "measure",
            "Publish the blood-pressure measure on the dashboard",
            "james@rrphd.example",
            "River Region Public Health District",
            60,
            "open",
        ),
    ]
    for key, title, email, org, days, status in items:
        decision = decisions.get(key)
        if decision is None:
            continue
        item = services.add_action_from_decision(
            decision=decision,
            actor=admin,
            title=title,
            owner=_member(email) if email else None,
            owner_actor=_actor(org) if org else None,
            due_on=today + datetime.timedelta(days=days),
        )
        if status != "open":
            plan.update_action(item=item, actor=admin, expected=item.version, status=status)


def _agreements(coalition: Coalition, admin: Any, today: datetime.date) -> None:
    day = datetime.timedelta(days=1)
    rows = [
        (
            "River Region Health Collaborative charter",
            "charter",
            "active",
            [],
            -330,
            None,
            None,
            "charter.pdf",
        ),
        ("Bylaws", "bylaws", "active", [], -330, None, None, ""),
        (
            "Community health worker MOU",
            "mou",
            "active",
            ["Riverside Community Health Center", "Community Health Workers Network"],
            -340,
            25,
            10,
            "chw-mou.pdf",
        ),
        (
            "Data-sharing agreement",
            "data_sharing",
            "active",
            ["Capital City Medical Center", "River Region Public Health District"],
            -180,
            45,
            45,
            "data-sharing.pdf",
        ),
        (
            "Memorandum with the community foundation",
            "funder_memo",
            "active",
            ["River Region Community Foundation"],
            -300,
            240,
            200,
            "",
        ),
        (
            "Healthy homes pilot MOU",
            "mou",
            "draft",
            ["Montgomery Housing Partnership", "Healthy Homes Alabama"],
            None,
            None,
            None,
            "",
        ),
    ]
    for title, kind, status, parties, signed, ends, renew, file_name in rows:
        services.create_agreement(
            coalition=coalition,
            actor=admin,
            title=title,
            kind=kind,
            status=status,
            parties=[a for a in (_actor(p) for p in parties) if a is not None],
            signed_on=today + signed * day if signed is not None else None,
            starts_on=today + signed * day if signed is not None else None,
            ends_on=today + ends * day if ends is not None else None,
            renewal_on=today + renew * day if renew is not None else None,
            file_name=file_name,
            content=PDF if file_name else None,
        )


def _policies(coalition: Coalition, admin: Any, decisions: dict[str, Decision]) -> None:
    rows = [
        (
            "Expand Medicaid in Alabama",
            "state",
            "support",
            "advocating",
            ["medicaid"],
            ["Riverside Community Health Center", "Greater Mt. Zion Baptist Church"],
            ["v147"],
        ),
        (
            "Enforce the city's rental housing code",
            "local",
            "support",
            "monitoring",
            [],
            ["Montgomery Housing Partnership", "Healthy Homes Alabama"],
            [],
        ),
        (
            "Hospital community-benefit dollars for blood-pressure care",
            "institutional",
            "support",
            "adopted",
            ["hypertension"],
            ["Capital City Medical Center"],
            ["BPHIGH_CrudePrev"],
        ),
        (
            "Proposed federal cuts to SNAP benefits",
            "federal",
            "oppose",
            "monitoring",
            [],
            ["Tri-County Food Bank"],
            [],
        ),
        (
            "Extend bus route 7 to the West Montgomery clinics",
            "local",
            "support",
            "implemented",
            ["bus"],
            ["City of Montgomery Office of Community Development"],
            [],
        ),
    ]
    for title, level, position, status, keys, partners, codes in rows:
        services.create_policy(
            coalition=coalition,
            actor=admin,
            title=title,
            level=level,
            position=position,
            status=status,
            partners=[a for a in (_actor(p) for p in partners) if a is not None],
            decisions=[decisions[k] for k in keys if k in decisions],
            indicators=_indicators(*codes),
        )
