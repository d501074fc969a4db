"""Small governance setups for tests, built through the services (as the pages do)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django_scopes import scope

from commonground.coalitions.models import Coalition, Membership
from commonground.ecosystem.models import Actor
from commonground.governance import services
from commonground.governance.models import Body, Meeting, Motion, Seat

DAY = datetime.date(2026, 3, 12)


@dataclass
class Council:
    body: Body
    seats: dict[str, Seat]
    meeting: Meeting
    motion: Motion
    actors: dict[str, Actor]


def members(coalition: Coalition) -> dict[str, Membership]:
    with scope(coalition=coalition):
        return {
            m.role: m for m in Membership.objects.filter(coalition=coalition).select_related("user")
        }


def council(
    coalition: Coalition,
    actor: Any,
    *,
    rule: str = "simple_majority",
    quorum: int = 3,
    name: str = "Executive council",
) -> Council:
    """Four seats: the partner (for a hospital), the resident, a named resident with no
    account, and the housing partnership; one meeting with one motion."""
    with scope(coalition=coalition):
        people = members(coalition)
        actors = {
            "hospital": Actor.objects.create(
                coalition=coalition, name="Mercy Hospital", sector_id="hospital_health_system"
            ),
            "housing": Actor.objects.create(
                coalition=coalition, name="Housing Partnership", sector_id="housing"
            ),
        }
        body = services.create_body(
            coalition=coalition,
            actor=actor,
            name=name,
            kind="executive_council",
            authority="decides",
            decision_rule=rule,
            quorum=quorum,
        )
        seats = {
            "hospital": services.add_seat(
                body=body,
                actor=actor,
                label="Hospital seat",
                seat_type="institution",
                holder_member=people["partner"],
                holder_actor=actors["hospital"],
            ),
            "resident": services.add_seat(
                body=body,
                actor=actor,
                label="Resident seat",
                seat_type="resident",
                holder_member=people["community_member"],
                is_paid=True,
                stipend="600",
            ),
            "named": services.add_seat(
                body=body,
                actor=actor,
                label="Resident seat 2",
                seat_type="resident",
                holder_name="Rosa Martínez",
            ),
            "housing": services.add_seat(
                body=body,
                actor=actor,
                label="Housing seat",
                seat_type="community_organization",
                holder_actor=actors["housing"],
            ),
            "vacant": services.add_seat(
                body=body, actor=actor, label="Resident seat 3", seat_type="resident"
            ),
        }
        meeting = services.schedule_meeting(
            body=body, actor=actor, held_on=DAY, title="March meeting", agenda="1. Budget"
        )
        motion = services.propose_motion(
            meeting=meeting, actor=actor, title="Adopt the budget", topic="Budget"
        )
    return Council(body=body, seats=seats, meeting=meeting, motion=motion, actors=actors)
