"""This app's rows of the access matrix (see commonground/tests/test_access_matrix.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django_scopes import scope

ADMIN, PARTNER, RESIDENT, VIEWER = "backbone_admin", "partner", "community_member", "viewer"
EVERY_ROLE = frozenset({ADMIN, PARTNER, RESIDENT, VIEWER})
CONTRIBUTORS = frozenset({ADMIN, PARTNER, RESIDENT})
ADMINS = frozenset({ADMIN})

PAGES: dict[str, Any] = {
    "governance:index": EVERY_ROLE,
    "governance:power": EVERY_ROLE,
    "governance:target": ADMINS,
    "governance:body_new": ADMINS,
    "governance:body_edit": ADMINS,
    "governance:seat_new": ADMINS,
    "governance:seat_edit": ADMINS,
    "governance:meetings": EVERY_ROLE,
    "governance:meeting_new": ADMINS,
    "governance:meeting": EVERY_ROLE,
    "governance:meeting_minutes": EVERY_ROLE,
    "governance:meeting_minutes_edit": ADMINS,
    "governance:meeting_attendance": ADMINS,
    "governance:motion_new": ADMINS,
    "governance:motion_vote": CONTRIBUTORS,
    "governance:motion_roll_call": ADMINS,
    "governance:motion_close": ADMINS,
    "governance:decisions": EVERY_ROLE,
    "governance:heard": EVERY_ROLE,
    "governance:decision": EVERY_ROLE,
    "governance:decision_reopen": ADMINS,
    "governance:decision_edit": ADMINS,
    "governance:decision_action": ADMINS,
    "governance:agreements": EVERY_ROLE,
    "governance:agreement_new": ADMINS,
    "governance:agreement_edit": ADMINS,
    "governance:agreement_file": CONTRIBUTORS,
    "governance:actions": EVERY_ROLE,
    "governance:action_status": ADMINS,
    "governance:policies": EVERY_ROLE,
    "governance:policy_new": ADMINS,
    "governance:policy_edit": ADMINS,
}
API: dict[str, Any] = {
    "gov_list_bodies": EVERY_ROLE,
    "gov_create_body": ADMINS,
    "gov_update_body": ADMINS,
    "gov_list_seats": EVERY_ROLE,
    "gov_create_seat": ADMINS,
    "gov_update_seat": ADMINS,
    "gov_get_power": EVERY_ROLE,
    "gov_list_meetings": EVERY_ROLE,
    "gov_create_meeting": ADMINS,
    "gov_get_meeting": EVERY_ROLE,
    "gov_set_attendance": ADMINS,
    "gov_create_motion": ADMINS,
    "gov_cast_vote": CONTRIBUTORS,
    "gov_close_motion": ADMINS,
    "gov_list_votes": EVERY_ROLE,
    "gov_list_decisions": EVERY_ROLE,
    "gov_get_decision": EVERY_ROLE,
    "gov_reopen_decision": ADMINS,
    "gov_update_decision": ADMINS,
    "gov_create_decision_action": ADMINS,
    "gov_list_actions": EVERY_ROLE,
    "gov_list_agreements": EVERY_ROLE,
    "gov_create_agreement": ADMINS,
    "gov_update_agreement": ADMINS,
    "gov_list_policies": EVERY_ROLE,
    "gov_create_policy": ADMINS,
    "gov_update_policy": ADMINS,
}
BODIES: dict[str, dict[str, Any]] = {
    "gov_create_body": {"name": "Workgroup", "kind": "workgroup"},
    "gov_update_body": {"version": 1, "schedule": "Mondays"},
    "gov_create_seat": {"label": "New seat", "seat_type": "resident"},
    "gov_update_seat": {"version": 1, "votes": 2},
    "gov_create_meeting": {"body_id": 999999, "held_on": "2026-04-01"},
    "gov_set_attendance": {"present_seat_ids": []},
    "gov_create_motion": {"title": "A motion"},
    "gov_cast_vote": {"choice": "yes"},
    "gov_close_motion": {},
    "gov_reopen_decision": {"reason": "Typo in the title"},
    "gov_update_decision": {"version": 1, "topic": "Budget"},
    "gov_create_decision_action": {"title": "Follow up"},
    "gov_create_agreement": {"title": "MOU", "kind": "mou"},
    "gov_update_agreement": {"version": 1, "notes": "Signed copy filed"},
    "gov_create_policy": {"title": "Housing code", "level": "local"},
    "gov_update_policy": {"version": 1, "status": "advocating"},
}


def objects(coalition: Any) -> dict[str, Any]:
    """URL keyword -> an object of coalition made for the test (its id)."""
    from commonground.coalitions.models import Membership
    from commonground.governance import services
    from commonground.governance.models import Agreement, Body, Meeting, Motion, Policy, Seat

    with scope(coalition=coalition):
        admin = (
            Membership.objects.filter(coalition=coalition, role=Membership.Role.BACKBONE_ADMIN)
            .select_related("user")
            .first()
        )
        actor = admin.user if admin else None
        body = Body.objects.filter(coalition=coalition, name="Matrix council").first()
        if body is None:
            body = services.create_body(
                coalition=coalition,
                actor=actor,
                name="Matrix council",
                kind="executive_council",
                quorum=1,
            )
            seat = services.add_seat(
                body=body, actor=actor, label="Seat", seat_type="resident", holder_name="Ana"
            )
            meeting = services.schedule_meeting(
                body=body, actor=actor, held_on=datetime.date(2026, 1, 5)
            )
            services.record_attendance(meeting=meeting, actor=actor, present=[seat.pk])
            closed = services.propose_motion(meeting=meeting, actor=actor, title="Closed motion")
            services.record_roll_call_vote(motion=closed, actor=actor, seat=seat, choice="yes")
            decision = services.close_motion(motion=closed, actor=actor)
            services.propose_motion(meeting=meeting, actor=actor, title="Open motion")
            services.create_agreement(
                coalition=coalition,
                actor=actor,
                title="Charter",
                kind="charter",
                file_name="charter.pdf",
                content=b"%PDF-1.4\n%%EOF\n",
            )
            services.create_policy(coalition=coalition, actor=actor, title="Policy", level="local")
        else:
            decision = body.decisions.first()
        return {
            "body_id": body.pk,
            "seat_id": Seat.objects.filter(body=body).first().pk,
            "meeting_id": Meeting.objects.filter(body=body).first().pk,
            "motion_id": Motion.objects.filter(meeting__body=body, status="open").first().pk,
            "decision_id": decision.pk,
            "agreement_id": Agreement.objects.filter(coalition=coalition).first().pk,
            "policy_id": Policy.objects.filter(coalition=coalition).first().pk,
        }
