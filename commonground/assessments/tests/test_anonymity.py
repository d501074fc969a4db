"""Anonymity that holds against the coalition's own staff (issue 14).

The attack as it was found: in an anonymous round a resident answers; the admin types
in four paper worksheets with known ratings for the same member type and closes the
round; the community group then had 5 answers, passed suppression, and her ratings
and rationale came back by subtraction. Also: the activity log stamped the anonymous
submission to the minute, and anonymous answers shared a table (and a ``respondent``
column) with named ones.
"""

from __future__ import annotations

import datetime
import hashlib
from fractions import Fraction
from typing import Any

import pytest
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from commonground import framework
from commonground.accounts.models import User
from commonground.assessments import selectors, services
from commonground.assessments.models import (
    AnonymousResponse,
    Assessment,
    Participation,
    Response,
)
from commonground.assessments.tests.adversary import Adversary, Answer
from commonground.coalitions.models import AuditEvent, Coalition, Membership

Role = Membership.Role
ITEMS = ("trust", "power_redistribution")
NAMES = {pillar.id: pillar.name.en for pillar in framework.PILLARS}
HER_REASON = "I work days, so I can never come to the downtown meetings."


def seats(world: Any, role: str, count: int, prefix: str) -> list[Membership]:
    found = []
    with scope(coalition=world.a):
        for n in range(count):
            user = User.objects.create_user(f"{prefix}{n}@a.example", "a-long-test-passphrase")
            found.append(Membership.objects.create(coalition=world.a, user=user, role=role))
    return found


def seat(world: Any, persona: str) -> Membership:
    with scope(coalition=world.a):
        return Membership.objects.get(coalition=world.a, user=world.people[persona])


def read_everything(world: Any, assessment: Assessment, adversary: Adversary) -> str:
    """The admin reads the page, the API, the CSV and the action plan; returns all text."""
    client = world.client_for("admin")
    base = f"/c/valley-a/assessments/{assessment.pk}"
    release = assessment.release
    page = client.get(f"{base}/results/").content.decode()
    adversary.read_page(page, release, NAMES)
    api = client.get(f"/api/coalitions/valley-a/assessments/{assessment.pk}/results")
    adversary.read_api(api.json(), release)
    export = client.get(f"{base}/results.csv")
    assert export.status_code == 200
    adversary.read_csv(export.content, release)
    with scope(coalition=world.a):
        plan = selectors.open_proposals(coalition=world.a)
    for proposal in plan.proposals:
        params = dict(proposal.params)
        if proposal.key == "actions.strengthen_pillar" and params["pillar_id"] in ITEMS:
            adversary.read_proposal(
                params["pillar_id"], release, mean=float(params["mean"]), gap=False
            )
        if proposal.key == "actions.hear_residents" and params["item_id"] in ITEMS:
            adversary.read_proposal(params["item_id"], release, mean=None, gap=True)
    roadmap = client.get("/c/valley-a/roadmap/").content.decode()
    return page + api.content.decode() + export.content.decode("utf-8-sig") + roadmap


def the_attack(world: Any, *, partners: int = 5) -> tuple[Assessment, Adversary]:
    """Issue 14's steps: she answers; four community worksheets typed in; the round closes."""
    adversary = Adversary(ITEMS)
    admin = world.people["admin"]
    with scope(coalition=world.a):
        assessment = services.open_round(
            coalition=world.a, actor=admin, kind="pillars", round_number=2026
        )
        her = {"ratings": {"trust": 2, "power_redistribution": 5}, "notes": {"trust": HER_REASON}}
        services.submit_response(
            assessment=assessment, membership=seat(world, "resident"), answers=her
        )
        adversary.answered(Answer("resident", "community", 1, her["ratings"], her["notes"]))
        for n in range(4):
            paper = {
                "ratings": {"trust": 5, "power_redistribution": 1},
                "notes": {"trust": f"Filler reason {n}"},
            }
            services.enter_paper_response(
                assessment=assessment, actor=admin, member_type="community", answers=paper
            )
            adversary.answered(
                Answer(f"paper{n}", "community", 1, paper["ratings"], paper["notes"], True)
            )
        for n, member in enumerate(seats(world, Role.PARTNER, partners, "partner")):
            ratings = {"trust": 1 + n % 5, "power_redistribution": 2}
            services.submit_response(
                assessment=assessment, membership=member, answers={"ratings": ratings}
            )
            adversary.answered(Answer(f"partner{n}", "partner", 1, ratings))
        services.close_round(assessment=assessment, actor=admin)
        assessment.refresh_from_db()
    return assessment, adversary


def test_the_attack_as_found_gave_her_answer_back(world: Any) -> None:
    """What used to be shown: community n = 5, trust mean (2 + 4 * 5) / 5 = 4.4, and her
    reason listed among the four fillers. The attacker's arithmetic recovers both."""
    adversary = Adversary(ITEMS)
    adversary.answered(Answer("resident", "community", 1, {"trust": 2}, {"trust": HER_REASON}))
    for n in range(4):
        adversary.answered(
            Answer(f"paper{n}", "community", 1, {"trust": 5}, {"trust": f"Filler {n}"}, True)
        )
    adversary._record_mean("trust", "community", 1, 5, 4.4, 1e-9)
    notes = [HER_REASON, *(f"Filler {n}" for n in range(4))]
    adversary._record_notes("trust", 1, notes)
    assert adversary.recovered() == [("resident", "trust", "rating"), ("resident", "trust", "note")]
    assert 5 * Fraction("4.4") - 4 * 5 == 2  # her rating, by subtraction


def test_the_attack_now_finds_nothing(world: Any) -> None:
    assessment, adversary = the_attack(world)
    seen = read_everything(world, assessment, adversary)
    assert adversary.readings >= 3
    assert adversary.recovered() == []
    assert adversary.singled_out() == []
    assert HER_REASON not in seen and "Filler reason" not in seen
    with scope(coalition=world.a):
        results = selectors.rated_results(assessment)
    trust = next(row for row in results.rows if row.item_id == "trust")
    # Community has 5 answers, but 1 self-submitted (< 5) and 4 from paper (< 5).
    assert trust.result.view("community").is_suppressed
    assert trust.result.overall.is_suppressed  # 6 self-submitted, 4 paper: small for paper
    assert trust.notes == [] and trust.notes_hidden
    assert not trust.result.voice_gap.is_flagged and trust.result.voice_gap.gap is None
    # The partners' own view is not affected: 5 self-submitted, no paper.
    partner = trust.result.view("partner")
    assert not partner.is_suppressed and partner.respondent_count == 5


def test_five_of_each_source_is_shown_and_still_pins_no_one(world: Any) -> None:
    """With 5 residents answering and 5 worksheets, community results are shown; what the
    admin knows (the worksheets) still leaves every resident among 5."""
    adversary = Adversary(ITEMS)
    admin = world.people["admin"]
    with scope(coalition=world.a):
        assessment = services.open_round(
            coalition=world.a, actor=admin, kind="pillars", round_number=2026
        )
        for n, member in enumerate(seats(world, Role.COMMUNITY_MEMBER, 5, "resident")):
            answers = {"ratings": {"trust": 1 + n % 3}, "notes": {"trust": f"mine {n}"}}
            services.submit_response(assessment=assessment, membership=member, answers=answers)
            adversary.answered(
                Answer(f"r{n}", "community", 1, answers["ratings"], answers["notes"])
            )
        for n in range(5):
            paper = {"ratings": {"trust": 5}, "notes": {"trust": f"paper {n}"}}
            services.enter_paper_response(
                assessment=assessment, actor=admin, member_type="community", answers=paper
            )
            adversary.answered(
                Answer(f"p{n}", "community", 1, paper["ratings"], paper["notes"], True)
            )
        services.close_round(assessment=assessment, actor=admin)
        assessment.refresh_from_db()
    seen = read_everything(world, assessment, adversary)
    assert "mine 0" in seen and "paper 0" in seen  # shown: 5 of each source
    assert adversary.rating_equations["trust"] and adversary.note_equations["trust"]
    assert adversary.recovered() == [] and adversary.singled_out() == []


def test_reopening_cannot_single_out_a_late_answer(world: Any) -> None:
    """Released with 5 residents and 5 partners; reopened; one more resident answers; closed.
    Community and everyone would differ from the first release by her answer alone."""
    adversary = Adversary(ITEMS)
    admin = world.people["admin"]
    residents = seats(world, Role.COMMUNITY_MEMBER, 6, "resident")
    partners = seats(world, Role.PARTNER, 5, "partner")
    with scope(coalition=world.a):
        assessment = services.open_round(
            coalition=world.a, actor=admin, kind="pillars", round_number=2026
        )
        for n, member in enumerate([*residents[:5], *partners]):
            answers = {"ratings": {"trust": 1 + n % 5}}
            services.submit_response(assessment=assessment, membership=member, answers=answers)
            kind = "community" if n < 5 else "partner"
            adversary.answered(Answer(f"m{n}", kind, 1, answers["ratings"]))
        services.close_round(assessment=assessment, actor=admin)
        assessment.refresh_from_db()
    read_everything(world, assessment, adversary)
    assert len(adversary.rating_equations["trust"]) >= 5  # first release: all shown
    with scope(coalition=world.a):
        services.reopen_round(assessment=assessment, membership=seat(world, "admin"))
        late = {"ratings": {"trust": 4}}
        services.submit_response(assessment=assessment, membership=residents[5], answers=late)
        adversary.answered(Answer("late", "community", 2, late["ratings"]))
        services.close_round(assessment=assessment, actor=admin)
        assessment.refresh_from_db()
    assert assessment.release == 2
    read_everything(world, assessment, adversary)
    assert adversary.recovered() == [] and adversary.singled_out() == []
    with scope(coalition=world.a):
        trust = next(r for r in selectors.rated_results(assessment).rows if r.item_id == "trust")
    assert trust.result.view("community").is_suppressed and trust.result.overall.is_suppressed
    assert not trust.result.view("partner").is_suppressed
    page = world.client_for("admin").get(f"/c/valley-a/assessments/{assessment.pk}/results/")
    assert "This round was reopened" in page.content.decode()


# -- the anonymous table, the participation markers, the activity log -----------------------


def test_anonymous_table_links_to_no_one(db: None) -> None:
    fields = {field.name: field for field in AnonymousResponse._meta.get_fields()}
    relations = {
        name: field.related_model
        for name, field in fields.items()
        if field.is_relation and field.concrete
    }
    assert relations == {"coalition": Coalition, "assessment": Assessment}
    assert set(fields) == {
        "id",
        "coalition",
        "assessment",
        "member_type",
        "submitted_on",
        "is_paper",
        "release",
        "answers",
    }
    # Time: the day only, no date-time anywhere; the key is random, not a counter.
    times = [f for f in fields.values() if isinstance(f, models.DateField)]
    assert [f.name for f in times] == ["submitted_on"]
    assert type(times[0]) is models.DateField
    assert isinstance(fields["id"], models.UUIDField) and fields["id"].primary_key
    # Nothing else in the project points at an anonymous answer.
    assert not [f for f in AnonymousResponse._meta.get_fields() if f.auto_created and f.concrete]
    assert not any(f.is_relation and not f.concrete for f in fields.values())
    # And the table's columns in the database are these, too.
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, AnonymousResponse._meta.db_table
            )
        }
    assert columns == {
        "id",
        "coalition_id",
        "assessment_id",
        "member_type",
        "submitted_on",
        "is_paper",
        "release",
        "answers",
    }


def test_anonymous_answer_is_stored_apart_and_logged_without_actor_or_time(world: Any) -> None:
    resident = seat(world, "resident")
    with scope(coalition=world.a):
        assessment = services.open_round(
            coalition=world.a, actor=world.people["admin"], kind="pillars", round_number=2026
        )
        before = AuditEvent.objects.count()
        stored = services.submit_response(
            assessment=assessment, membership=resident, answers={"ratings": {"trust": 2}}
        )
        assert isinstance(stored, AnonymousResponse)
        assert stored.submitted_on == timezone.localdate()
        assert Response.objects.count() == 0
        assert services.has_answered(assessment=assessment, membership=resident)
        assert not services.has_answered(assessment=assessment, membership=seat(world, "partner"))
        marker = Participation.objects.get(assessment=assessment).marker
        # A keyed hash: not the plain hash of the ids, which anyone could recompute.
        plain = hashlib.sha256(f"{assessment.pk}:{resident.pk}".encode()).hexdigest()
        assert marker == services.participation_marker(assessment, resident) != plain
        assert AuditEvent.objects.count() == before + 1
        audit = AuditEvent.objects.order_by("-id").first()
    assert audit.actor is None and audit.actor_name == ""
    assert audit.at.astimezone(datetime.UTC).time() == datetime.time(0, 0)
    assert audit.object_type == "Assessment" and audit.object_id == str(assessment.pk)
    person = world.people["resident"]
    for clue in (person.email, str(person), "community", "Community", str(stored.pk)):
        assert clue not in audit.summary and clue not in str(audit.after)
    assert "anonymous" in audit.summary.lower()


def test_named_answer_keeps_its_member_and_a_normal_audit_row(world: Any) -> None:
    resident = seat(world, "resident")
    with scope(coalition=world.a):
        assessment = services.open_round(
            coalition=world.a,
            actor=world.people["admin"],
            kind="pillars",
            round_number=2026,
            is_anonymous=False,
        )
        stored = services.submit_response(
            assessment=assessment, membership=resident, answers={"ratings": {"trust": 2}}
        )
        audit = AuditEvent.objects.order_by("-id").first()
    assert isinstance(stored, Response) and stored.respondent == resident
    assert audit.actor == world.people["resident"]


@pytest.mark.django_db(transaction=True)
def test_upgrade_moves_anonymous_answers_apart_and_drops_their_links() -> None:
    """An instance upgraded from the shared table holds no link either."""
    executor = MigrationExecutor(connection)
    before = [("assessments", "0002_answers_apart_releases_and_locks")]
    latest = executor.loader.graph.leaf_nodes("assessments")
    executor.migrate(before)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "assessments"]
    old = executor.loader.project_state([*others, *before]).apps
    OldCoalition = old.get_model("coalitions", "Coalition")
    OldUser = old.get_model("accounts", "User")
    OldMembership = old.get_model("coalitions", "Membership")
    OldAssessment = old.get_model("assessments", "Assessment")
    OldResponse = old.get_model("assessments", "Response")
    coalition = OldCoalition.objects.create(name="Upgrade", slug="upgrade")
    user = OldUser.objects.create(email="old@upgrade.example", password="!")
    member = OldMembership.objects.create(coalition=coalition, user=user, role="community_member")
    anonymous = OldAssessment.objects.create(
        coalition=coalition,
        kind="pillars",
        round_number=2025,
        is_anonymous=True,
        participant_hashes=["b" * 64, "a" * 64],
    )
    named = OldAssessment.objects.create(
        coalition=coalition, kind="stage", round_number=2025, is_anonymous=False
    )
    day = datetime.date(2025, 3, 14)
    for n in range(3):
        OldResponse.objects.create(
            coalition=coalition,
            assessment=anonymous,
            respondent=member if n == 0 else None,  # a link that must not survive
            member_type="community",
            submitted_on=day,
            is_paper=n == 2,
            answers={"ratings": {"trust": n + 1}},
        )
    OldResponse.objects.create(
        coalition=coalition,
        assessment=named,
        respondent=member,
        member_type="community",
        submitted_on=day,
        answers={"marked": []},
    )
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    with scopes_disabled():
        moved = AnonymousResponse.objects.filter(assessment_id=anonymous.pk)
        assert sorted(r.answers["ratings"]["trust"] for r in moved) == [1, 2, 3]
        assert sorted(r.is_paper for r in moved) == [False, False, True]
        assert {r.submitted_on for r in moved} == {day} and {r.release for r in moved} == {1}
        assert not Response.objects.filter(assessment_id=anonymous.pk).exists()
        kept = Response.objects.get(assessment_id=named.pk)
        assert kept.respondent_id == member.pk
        markers = Participation.objects.filter(assessment_id=anonymous.pk)
        assert sorted(markers.values_list("marker", flat=True)) == ["a" * 64, "b" * 64]
    assert "participant_hashes" not in {f.name for f in Assessment._meta.get_fields()}
