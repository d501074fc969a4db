"""Services against hand-worked examples; every refused change leaves no row and no audit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from commonground.assessments.models import ActionItem
from commonground.coalitions.models import AuditEvent
from commonground.ecosystem.models import Actor
from commonground.governance import selectors, services
from commonground.governance.models import Agreement, Decision, Motion, Seat, Vote
from commonground.governance.tests.factories import DAY, council, members


def audit(coalition: Any) -> list[tuple[str, str]]:
    with scope(coalition=coalition):
        return list(
            AuditEvent.objects.filter(coalition=coalition, event__startswith="governance.")
            .order_by("id")
            .values_list("event", "object_type")
        )


def state(coalition: Any) -> tuple[int, ...]:
    with scope(coalition=coalition):
        return (
            Vote.objects.count(),
            Decision.objects.count(),
            AuditEvent.objects.filter(coalition=coalition).count(),
            Seat.objects.count(),
            Agreement.objects.count(),
        )


@pytest.fixture
def setup(world: Any) -> Any:
    return council(world.a, world.people["admin"])


def test_power_share_of_the_council_by_hand(world: Any, setup: Any) -> None:
    # Seats: hospital (institution), resident, named resident, housing (CBO), vacant resident.
    with scope(coalition=world.a):
        found = selectors.power(coalition=world.a)
    share = found.bodies[0].share
    assert share is not None
    assert share.community_share == 4 / 5  # vacant counted as its type's
    assert share.community_share_filled == 3 / 4
    assert share.paid_community_share == 1 / 4  # one of the four community seats is paid
    assert share.vacant_by_type == {"resident": 1}
    summary = selectors.power_summary(coalition=world.a)
    assert summary is not None and summary["community_share"] == 0.8 and summary["target"] == 0.5
    stipends = selectors.community_seat_stipends(coalition=world.a)
    assert [(s["seat"], s["paid"], s["vacant"]) for s in stipends][:2] == [
        ("Resident seat", True, False),
        ("Resident seat 2", False, False),
    ]
    assert str(stipends[0]["stipend"]) == "600.00"


def test_agenda_to_vote_to_locked_decision_with_exact_audit(world: Any, setup: Any) -> None:
    people = members(world.a)
    admin = world.people["admin"]
    before = len(audit(world.a))
    with scope(coalition=world.a):
        services.record_attendance(
            meeting=setup.meeting,
            actor=admin,
            present=[setup.seats[k].pk for k in ("hospital", "resident", "named")],
        )
        services.cast_vote(motion=setup.motion, membership=people["partner"], choice="no")
        services.cast_vote(motion=setup.motion, membership=people["community_member"], choice="yes")
        services.record_roll_call_vote(
            motion=setup.motion, actor=admin, seat=setup.seats["named"], choice="yes"
        )
        decision = services.close_motion(motion=setup.motion, actor=admin, rationale="Needed now.")
        assert decision.result == "approved" and decision.is_locked
        assert decision.tally == {
            "rule": "simple_majority",
            "quorum": 3,
            "present": 3,
            "quorum_reached": True,
            "yes": 2,
            "no": 1,
            "abstain": 0,
            "block": 0,
            "approved": True,
        }
        assert Motion.objects.get(pk=setup.motion.pk).status == "closed"
    assert audit(world.a)[before:] == [
        ("governance.attendance_recorded", "Meeting"),
        ("governance.vote_cast", "Vote"),
        ("governance.vote_cast", "Vote"),
        ("governance.vote_cast", "Vote"),
        ("governance.decision_recorded", "Decision"),
    ]


def test_a_person_without_a_seat_on_the_body_cannot_vote(world: Any, setup: Any) -> None:
    people = members(world.a)
    before = state(world.a)
    with scope(coalition=world.a), pytest.raises(ValidationError) as error:
        services.cast_vote(motion=setup.motion, membership=people["viewer"], choice="yes")
    assert "You hold no seat on Executive council" in str(error.value)
    # Nor in someone else's seat.
    with scope(coalition=world.a), pytest.raises(ValidationError, match="do not hold the seat"):
        services.cast_vote(
            motion=setup.motion,
            membership=people["partner"],
            choice="yes",
            seat=setup.seats["resident"],
        )
    assert state(world.a) == before


def test_a_seat_votes_once(world: Any, setup: Any) -> None:
    people = members(world.a)
    with scope(coalition=world.a):
        services.cast_vote(motion=setup.motion, membership=people["community_member"], choice="yes")
    before = state(world.a)
    with (
        scope(coalition=world.a),
        pytest.raises(ValidationError, match="already voted on this motion"),
    ):
        services.cast_vote(motion=setup.motion, membership=people["community_member"], choice="no")
    with scope(coalition=world.a), pytest.raises(ValidationError, match="already voted"):
        services.record_roll_call_vote(
            motion=setup.motion,
            actor=world.people["admin"],
            seat=setup.seats["resident"],
            choice="no",
        )
    assert state(world.a) == before
    with scope(coalition=world.a):
        assert Vote.objects.get(seat=setup.seats["resident"]).choice == "yes"


def test_a_vacant_seat_cannot_vote(world: Any, setup: Any) -> None:
    with scope(coalition=world.a), pytest.raises(ValidationError, match="vacant and cannot vote"):
        services.record_roll_call_vote(
            motion=setup.motion,
            actor=world.people["admin"],
            seat=setup.seats["vacant"],
            choice="yes",
        )


def test_no_decision_without_quorum_and_nothing_changes(world: Any, setup: Any) -> None:
    people = members(world.a)
    with scope(coalition=world.a):
        services.cast_vote(motion=setup.motion, membership=people["community_member"], choice="yes")
        services.cast_vote(motion=setup.motion, membership=people["partner"], choice="yes")
    before = state(world.a)
    with scope(coalition=world.a), pytest.raises(ValidationError) as error:
        services.close_motion(motion=setup.motion, actor=world.people["admin"])
    assert "No quorum: 2 seats present, Executive council needs 3. Nothing was decided." in str(
        error.value
    )
    assert state(world.a) == before
    with scope(coalition=world.a):
        assert Motion.objects.get(pk=setup.motion.pk).status == "open"


def test_consensus_body_blocked_by_one_seat(world: Any) -> None:
    setup = council(
        world.a, world.people["admin"], rule="consensus", quorum=2, name="Advisory council"
    )
    people = members(world.a)
    admin = world.people["admin"]
    with scope(coalition=world.a):
        services.cast_vote(motion=setup.motion, membership=people["community_member"], choice="yes")
        services.cast_vote(motion=setup.motion, membership=people["partner"], choice="yes")
        services.record_roll_call_vote(
            motion=setup.motion, actor=admin, seat=setup.seats["named"], choice="block"
        )
        decision = services.close_motion(
            motion=setup.motion, actor=admin, dissent="Bus does not reach us."
        )
    assert decision.result == "rejected"
    assert (decision.tally["yes"], decision.tally["block"]) == (2, 1)


def test_block_is_only_for_consensus_bodies(world: Any, setup: Any) -> None:
    people = members(world.a)
    with scope(coalition=world.a), pytest.raises(ValidationError, match="consensus can block"):
        services.cast_vote(motion=setup.motion, membership=people["partner"], choice="block")


def test_one_organization_with_two_seats_has_one_vote(world: Any) -> None:
    admin = world.people["admin"]
    setup = council(
        world.a, admin, rule="one_vote_per_organization", quorum=3, name="Housing committee"
    )
    with scope(coalition=world.a):
        second = services.add_seat(
            body=setup.body,
            actor=admin,
            label="Housing seat 2",
            seat_type="community_organization",
            holder_actor=setup.actors["housing"],
            holder_name="Keisha Reynolds",
        )
        share = selectors.power(coalition=world.a).bodies[0].share
        assert share is not None and share.duplicate_holders == ["Housing Partnership"]
        services.record_roll_call_vote(
            motion=setup.motion, actor=admin, seat=setup.seats["housing"], choice="yes"
        )
        before = state(world.a)
        with pytest.raises(ValidationError) as error:
            services.record_roll_call_vote(
                motion=setup.motion, actor=admin, seat=second, choice="yes"
            )
        assert "Housing Partnership has already voted on this motion (seat Housing seat)" in str(
            error.value
        )
        assert state(world.a) == before


def test_an_approved_decision_is_locked_until_reopened_with_a_reason(
    world: Any, setup: Any
) -> None:
    admin = world.people["admin"]
    with scope(coalition=world.a):
        services.record_attendance(
            meeting=setup.meeting,
            actor=admin,
            present=[s.pk for s in setup.seats.values() if not s.is_vacant],
        )
        services.record_roll_call_vote(
            motion=setup.motion, actor=admin, seat=setup.seats["named"], choice="yes"
        )
        decision = services.close_motion(motion=setup.motion, actor=admin)
    before = state(world.a)
    with scope(coalition=world.a), pytest.raises(ValidationError, match="This decision is locked"):
        services.edit_decision(
            decision=decision, actor=admin, expected=decision.version, title="Changed"
        )
    assert state(world.a) == before
    with scope(coalition=world.a), pytest.raises(ValidationError, match="reason"):
        services.reopen_decision(decision=decision, actor=admin, reason="  ")
    assert state(world.a) == before
    with scope(coalition=world.a):
        reopened = services.reopen_decision(
            decision=decision, actor=admin, reason="The amount was mistyped."
        )
        edited = services.edit_decision(
            decision=reopened, actor=admin, expected=reopened.version, title="Adopt the 2027 budget"
        )
        assert edited.is_locked and edited.title == "Adopt the 2027 budget"
        assert decision.reopenings.get().reason == "The amount was mistyped."
        rows = list(
            AuditEvent.objects.filter(coalition=world.a, object_type="Decision").order_by("id")
        )
    assert [r.event for r in rows] == [
        "governance.decision_recorded",
        "governance.decision_reopened",
        "governance.decision_edited",
    ]
    assert rows[1].before["is_locked"] is True and rows[1].after["is_locked"] is False
    assert (
        rows[2].before["title"] == "Adopt the budget"
        and rows[2].after["title"] == "Adopt the 2027 budget"
    )


def test_holder_or_party_from_another_coalition_is_refused(world: Any, setup: Any) -> None:
    admin = world.people["admin"]
    with scope(coalition=world.b):
        foreign = Actor.objects.create(
            coalition=world.b, name="Mercy Hospital", sector_id="hospital_health_system"
        )
    before = state(world.a)
    with scope(coalition=world.a):
        with pytest.raises(ValidationError) as error:
            services.add_seat(
                body=setup.body,
                actor=admin,
                label="X",
                seat_type="institution",
                holder_actor=foreign,
            )
        assert "holder_actor" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            services.add_seat(
                body=setup.body,
                actor=admin,
                label="X",
                seat_type="resident",
                holder_member=world.b_membership,
            )
        assert error.value.message_dict["holder_member"] == [
            "The seat holder must be a member of this coalition."
        ]
        with pytest.raises(ValidationError) as error:
            services.create_agreement(
                coalition=world.a, actor=admin, title="MOU", kind="mou", parties=[foreign]
            )
        assert "parties" in error.value.message_dict
    assert state(world.a) == before


def test_agreement_file_follows_the_upload_rules(world: Any) -> None:
    admin = world.people["admin"]
    with scope(coalition=world.a):
        for name, content, message in (
            ("mou.pdf", b"MZ\x90\x00", "is named .pdf but is not one"),
            ("mou.exe", b"MZ\x90\x00", "Upload a PDF"),
            ("../mou.pdf", b"%PDF-1.4", "cannot contain a folder"),
            ("mou.pdf", b"", "The file is empty."),
            ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "the limit is 10 MB"),
        ):
            with pytest.raises(ValidationError, match=message):
                services.create_agreement(
                    coalition=world.a,
                    actor=admin,
                    title="MOU",
                    kind="mou",
                    file_name=name,
                    content=content,
                )
        assert Agreement.objects.count() == 0
        ok = services.create_agreement(
            coalition=world.a,
            actor=admin,
            title="MOU",
            kind="mou",
            file_name="mou.pdf",
            content=b"%PDF-1.4\n",
        )
        assert ok.file_size == 9


def test_action_items_come_from_decisions_with_person_or_organization_owner(
    world: Any, setup: Any
) -> None:
    admin = world.people["admin"]
    with scope(coalition=world.a):
        services.record_attendance(
            meeting=setup.meeting,
            actor=admin,
            present=[
                setup.seats["named"].pk,
                setup.seats["hospital"].pk,
                setup.seats["resident"].pk,
            ],
        )
        services.record_roll_call_vote(
            motion=setup.motion, actor=admin, seat=setup.seats["named"], choice="yes"
        )
        decision = services.close_motion(motion=setup.motion, actor=admin)
        item = services.add_action_from_decision(
            decision=decision,
            actor=admin,
            title="Send the budget to the funder",
            owner_actor=setup.actors["housing"],
            due_on=DAY + datetime.timedelta(days=30),
        )
        assert ActionItem.objects.get(pk=item.pk).decision_id == decision.pk
        assert item.as_audit()["owner_actor"] == setup.actors["housing"].pk


def test_policy_links_and_selector(world: Any) -> None:
    admin = world.people["admin"]
    with scope(coalition=world.a):
        partner = Actor.objects.create(coalition=world.a, name="Food Bank", sector_id="food")
        policy = services.create_policy(
            coalition=world.a,
            actor=admin,
            title="Protect SNAP",
            level="federal",
            position="oppose",
            partners=[partner],
        )
    rows = selectors.policies(coalition=world.a)
    assert rows == [
        {
            "id": policy.pk,
            "title": "Protect SNAP",
            "level": "federal",
            "position": "oppose",
            "status": "monitoring",
            "url": f"/c/valley-a/governance/policies/#policy-{policy.pk}",
        }
    ]


def test_report_section_measure_evidence_and_roadmap_read_the_records(
    world: Any, setup: Any
) -> None:
    import json

    from commonground.coalitions import evidence, roadmap
    from commonground.reports.registry import Period, get_measure, get_section

    admin = world.people["admin"]
    with scope(coalition=world.a):
        services.record_attendance(
            meeting=setup.meeting,
            actor=admin,
            present=[
                setup.seats["named"].pk,
                setup.seats["resident"].pk,
                setup.seats["hospital"].pk,
            ],
        )
        services.record_roll_call_vote(
            motion=setup.motion, actor=admin, seat=setup.seats["named"], choice="yes"
        )
        decision = services.close_motion(motion=setup.motion, actor=admin)
        services.add_action_from_decision(decision=decision, actor=admin, title="Follow up")
    section = get_section("governance.power")
    assert section is not None
    data = section.build(
        world.a, Period(DAY.replace(month=1, day=1), DAY.replace(month=12, day=31))
    )
    json.dumps(data)  # plain JSON
    assert data["coalition"]["community_share"] == 0.8
    assert data["decisions"] == [
        {"date": "2026-03-12", "body": "Executive council", "title": "Adopt the budget"}
    ]
    assert "Rosa" not in json.dumps(data)  # no holder's name in the public section
    measure = get_measure("governance.community_power_share")
    assert measure is not None and measure.compute(world.a) == 0.8
    with scope(coalition=world.a):
        found = evidence.collect(world.a)
    assert found["forming_infra_governance"][0].in_place is True
    assert found["governance_funding_model"][0].in_place is False
    assert found["promote_accountability"][0].in_place is True
    with scope(coalition=world.a):
        steps = {s.key: s for s in roadmap.build_roadmap(world.a).chapters[3].steps}
    assert steps["governance.structure"].is_done and steps["governance.community_power"].is_done
    assert steps["governance.accountability"].is_done
