"""Locks: closed rounds and agreed positions stay as they are until a backbone admin
reopens them (audited); every shared edit is optimistic-locked (a stale edit is 409 and
the first writer's value stays); a form that sends nothing blanks nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from commonground.assessments import services
from commonground.assessments.models import (
    ActionItem,
    AgreedPosition,
    AnonymousResponse,
    Assessment,
    DomainDocument,
    RoleMatrixEntry,
    TacticStatus,
)
from commonground.coalitions.models import AuditEvent, Membership

Role = Membership.Role
BASE = "/c/valley-a/assessments"


def seat(world: Any, persona: str) -> Membership:
    with scope(coalition=world.a):
        return Membership.objects.get(coalition=world.a, user=world.people[persona])


def closed_round(world: Any, kind: str = "pillars") -> Assessment:
    with scope(coalition=world.a):
        assessment = services.open_round(
            coalition=world.a, actor=world.people["admin"], kind=kind, round_number=2026
        )
        services.close_round(assessment=assessment, actor=world.people["admin"])
        assessment.refresh_from_db()
    return assessment


def audit_rows(world: Any, **filters: Any) -> list[AuditEvent]:
    with scope(coalition=world.a):
        return list(AuditEvent.objects.filter(**filters).order_by("id"))


# -- closed rounds ---------------------------------------------------------------------------


def test_closed_round_refuses_answers_and_worksheets_with_409(world: Any) -> None:
    assessment = closed_round(world)
    answer = world.client_for("resident").post(
        f"{BASE}/{assessment.pk}/answer/", {"rating-trust": "3"}
    )
    assert answer.status_code == 409
    assert "round is closed, so it takes no more answers" in answer.content.decode()
    paper = world.client_for("admin").post(
        f"{BASE}/{assessment.pk}/paper/", {"member_type": "community", "rating-trust": "3"}
    )
    assert paper.status_code == 409 and "A backbone admin can reopen it" in paper.content.decode()
    api = world.client_for("partner").post(
        f"/api/coalitions/valley-a/assessments/{assessment.pk}/responses",
        {"answers": {"ratings": {"trust": 3}}},
        content_type="application/json",
    )
    assert api.status_code == 409
    with scope(coalition=world.a):
        assert AnonymousResponse.objects.count() == 0


def test_only_a_backbone_admin_reopens_and_the_reopening_is_audited(world: Any) -> None:
    assessment = closed_round(world)
    with scope(coalition=world.a), pytest.raises(ValidationError, match="Only a backbone admin"):
        services.reopen_round(assessment=assessment, membership=seat(world, "partner"))
    assert world.client_for("partner").post(f"{BASE}/{assessment.pk}/reopen/").status_code == 403
    response = world.client_for("admin").post(f"{BASE}/{assessment.pk}/reopen/")
    assert response.status_code == 302
    with scope(coalition=world.a):
        assessment.refresh_from_db()
    assert assessment.is_open and assessment.release == 2 and assessment.closed_at is None
    reopened = audit_rows(world, summary__startswith="Reopened the 2026 round")
    assert len(reopened) == 1
    assert reopened[0].actor == world.people["admin"]
    assert reopened[0].before == {"status": "closed", "release": 1}
    assert reopened[0].after == {"status": "open", "release": 2}
    # Now answers are taken again, into the second release.
    ok = world.client_for("resident").post(f"{BASE}/{assessment.pk}/answer/", {"rating-trust": "3"})
    assert ok.status_code == 302
    with scope(coalition=world.a):
        assert AnonymousResponse.objects.get().release == 2


def test_reopening_waits_for_the_open_round_of_the_same_exercise(world: Any) -> None:
    assessment = closed_round(world)
    with scope(coalition=world.a):
        services.open_round(coalition=world.a, actor=None, kind="pillars", round_number=2027)
        with pytest.raises(ValidationError, match="Another round of this exercise is open"):
            services.reopen_round(assessment=assessment, membership=seat(world, "admin"))


# -- agreed positions -----------------------------------------------------------------------


def post_position(world: Any, persona: str, assessment: Assessment, **data: Any) -> Any:
    body = {"decision_point_id": "focus", "position": "40", "rationale": "Start narrow.", **data}
    return world.client_for(persona).post(f"{BASE}/{assessment.pk}/agreed/", body)


def stored_position(world: Any) -> AgreedPosition:
    with scope(coalition=world.a):
        return AgreedPosition.objects.get(decision_point_id="focus")


def test_agreed_position_is_locked_until_an_audited_reopen(world: Any) -> None:
    points = closed_round(world, "decision_points")
    assert post_position(world, "admin", points, version="0").status_code == 302
    recorded = stored_position(world)
    assert recorded.is_locked and recorded.position == 40
    # A change without reopening is refused, and says why.
    refused = post_position(world, "admin", points, position="80", version=str(recorded.version))
    assert refused.status_code == 409 and "is locked" in refused.content.decode()
    assert stored_position(world).position == 40
    # A form drawn before the position existed cannot overwrite it either.
    assert post_position(world, "admin", points, position="90", version="0").status_code == 409
    # Reopening needs a backbone admin and is in the activity log.
    url = f"{BASE}/{points.pk}/agreed/reopen/"
    body = {"decision_point_id": "focus", "version": str(recorded.version)}
    assert world.client_for("partner").post(url, body).status_code == 403
    assert world.client_for("admin").post(url, body).status_code == 302
    reopened = stored_position(world)
    assert not reopened.is_locked and reopened.version == recorded.version + 1
    [audit] = audit_rows(world, summary__startswith="Reopened the agreed position on focus")
    assert audit.actor == world.people["admin"]
    assert audit.before["is_locked"] is True and audit.after["is_locked"] is False
    # The change is saved and locks the position again.
    saved = post_position(world, "admin", points, position="70", version=str(reopened.version))
    assert saved.status_code == 302
    changed = stored_position(world)
    assert changed.position == 70 and changed.is_locked


def test_stale_change_of_an_agreed_position_keeps_the_first_writers_value(world: Any) -> None:
    points = closed_round(world, "decision_points")
    post_position(world, "admin", points, version="0")
    with scope(coalition=world.a):
        agreed = services.reopen_agreed_position(
            agreed=AgreedPosition.objects.get(), membership=seat(world, "admin"), expected=None
        )
    seen = str(agreed.version)  # two admins open the edit form at this version
    first = post_position(world, "admin", points, position="20", rationale="First.", version=seen)
    assert first.status_code == 302
    second = post_position(world, "admin", points, position="99", rationale="Second.", version=seen)
    assert second.status_code == 409
    assert "Someone else saved this record" in second.content.decode()
    kept = stored_position(world)
    assert (kept.position, kept.rationale) == (20, "First.")


# -- action items ----------------------------------------------------------------------------


def make_action(world: Any) -> ActionItem:
    with scope(coalition=world.a):
        return services.accept_action(
            coalition=world.a,
            actor=world.people["admin"],
            title="Report back to residents",
            owner=seat(world, "partner"),
        )


def test_stale_action_status_is_409_and_keeps_the_first_status(world: Any) -> None:
    item = make_action(world)
    url = f"/c/valley-a/roadmap/actions/{item.pk}/status/"
    client = world.client_for("admin")
    assert client.post(url, {"status": "done", "version": str(item.version)}).status_code == 302
    stale = client.post(url, {"status": "in_progress", "version": str(item.version)})
    assert stale.status_code == 409
    with scope(coalition=world.a):
        item.refresh_from_db()
    assert item.status == "done" and item.version == 2


def test_empty_action_form_changes_nothing(world: Any) -> None:
    item = make_action(world)
    response = world.client_for("admin").post(
        f"/c/valley-a/roadmap/actions/{item.pk}/status/", {}, follow=True
    )
    assert "Choose open, in progress or done" in response.content.decode()
    with scope(coalition=world.a):
        item.refresh_from_db()
    assert (item.status, item.title, item.owner_id, item.version) == (
        "open",
        "Report back to residents",
        seat(world, "partner").pk,
        1,
    )


def test_api_patch_of_an_action_needs_its_version_and_refuses_a_stale_one(world: Any) -> None:
    item = make_action(world)
    client = world.client_for("admin")
    url = f"/api/coalitions/valley-a/assessments/actions/{item.pk}"
    listed = client.get("/api/coalitions/valley-a/assessments/actions").json()
    assert listed[0]["version"] == 1
    missing = client.patch(url, {"status": "done"}, content_type="application/json")
    assert missing.status_code == 422
    ok = client.patch(url, {"version": 1, "status": "done"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert ok.json()["owner_membership_id"] == seat(world, "partner").pk  # not sent: kept
    stale = client.patch(
        url, {"version": 1, "title": "Overwritten"}, content_type="application/json"
    )
    assert stale.status_code == 409 and "Someone else saved" in stale.json()["detail"]
    blank = client.patch(url, {"version": 2, "title": None}, content_type="application/json")
    assert blank.status_code == 422
    bad = client.patch(url, {"version": 2, "status": "maybe"}, content_type="application/json")
    assert bad.status_code == 422 and "Choose open, in progress or done" in bad.json()["detail"]
    with scope(coalition=world.a):
        item.refresh_from_db()
    assert (item.title, item.status, item.version) == ("Report back to residents", "done", 2)
    assert (
        world.client_for("partner")
        .patch(url, {"version": 2, "status": "open"}, content_type="application/json")
        .status_code
        == 403
    )


# -- tactic statuses, role matrix, four-domains document -----------------------------------------


def test_tactic_form_that_sends_nothing_blanks_nothing_and_stale_is_409(world: Any) -> None:
    with scope(coalition=world.a):
        tactic = services.set_tactic_status(
            coalition=world.a,
            actor=world.people["admin"],
            tactic_id="promote_accountability",
            status="in_progress",
            owner=seat(world, "partner"),
            evidence_url="https://example.org/survey",
            evidence_note="Partner survey planned.",
        )
    url = f"{BASE}/tactics/save/"
    client = world.client_for("admin")
    version = str(tactic.version)
    nothing = client.post(url, {"tactic_id": "promote_accountability", "version": version})
    assert nothing.status_code == 302
    with scope(coalition=world.a):
        tactic.refresh_from_db()
    assert (tactic.status, tactic.owner_id, tactic.evidence_url, tactic.evidence_note) == (
        "in_progress",
        seat(world, "partner").pk,
        "https://example.org/survey",
        "Partner survey planned.",
    )
    first = client.post(
        url, {"tactic_id": "promote_accountability", "status": "in_place", "version": version}
    )
    assert first.status_code == 302
    stale = client.post(
        url,
        {"tactic_id": "promote_accountability", "evidence_note": "Gone", "version": version},
    )
    assert stale.status_code == 409
    with scope(coalition=world.a):
        tactic = TacticStatus.objects.get(tactic_id="promote_accountability")
    assert tactic.status == "in_place" and tactic.evidence_note == "Partner survey planned."


def role_form(version: int, *, needed: bool) -> dict[str, str]:
    data = {"version": str(version), "0-funding-row": "1"}
    if needed:
        data["0-funding-needed"] = "on"
    return data


def test_role_matrix_stale_save_is_409_and_an_empty_form_blanks_nothing(world: Any) -> None:
    client = world.client_for("admin")
    url = f"{BASE}/roles/save/"
    assert client.post(url, role_form(0, needed=True)).status_code == 302
    assert client.post(url, role_form(0, needed=False)).status_code == 409  # drawn before
    with scope(coalition=world.a):
        entry = RoleMatrixEntry.objects.get(role_id="funding")
        assert entry.is_needed
        assert services.role_matrix_version(coalition=world.a) == 1
    empty = client.post(url, {"version": "1"}, follow=True)
    assert "sent no role decisions" in empty.content.decode()
    with scope(coalition=world.a):
        assert RoleMatrixEntry.objects.get(role_id="funding").is_needed
        assert services.role_matrix_version(coalition=world.a) == 1
    # The page draws the version and a row marker for every row it shows.
    page = client.get(f"{BASE}/roles/").content.decode()
    assert 'name="version" value="1"' in page and 'name="0-funding-row"' in page


def test_saving_the_role_matrix_as_it_stands_changes_nothing(world: Any) -> None:
    client = world.client_for("admin")
    url = f"{BASE}/roles/save/"
    assert client.post(url, role_form(0, needed=True)).status_code == 302
    with scope(coalition=world.a):
        entry = RoleMatrixEntry.objects.get(role_id="funding")
        audits = AuditEvent.objects.count()
    assert client.post(url, role_form(1, needed=True)).status_code == 302
    with scope(coalition=world.a):
        assert RoleMatrixEntry.objects.get(role_id="funding").pk == entry.pk
        assert services.role_matrix_version(coalition=world.a) == 1
        assert AuditEvent.objects.count() == audits
    # A real change after it is saved and audited as before.
    assert client.post(url, role_form(1, needed=False)).status_code == 302
    with scope(coalition=world.a):
        assert not RoleMatrixEntry.objects.get(role_id="funding").is_needed
        assert services.role_matrix_version(coalition=world.a) == 2
        assert AuditEvent.objects.count() == audits + 1


def test_domain_document_keeps_answers_not_sent_and_refuses_a_stale_save(world: Any) -> None:
    client = world.client_for("partner")
    url = f"{BASE}/domains/save/"
    first = {
        "version": "0",
        "answer-systems_change_q_root_causes": "Housing.",
        "answer-reach_and_role_q_communities": "West Montgomery.",
    }
    assert client.post(url, first).status_code == 302
    with scope(coalition=world.a):
        document = DomainDocument.objects.get()
    partial = {"version": str(document.version), "answer-systems_change_q_root_causes": "Jobs."}
    assert client.post(url, partial).status_code == 302
    stale = {"version": str(document.version), "answer-reach_and_role_q_communities": "Elsewhere."}
    assert client.post(url, stale).status_code == 409
    with scope(coalition=world.a):
        latest = DomainDocument.objects.get().versions.order_by("-number").first()
    assert latest is not None and latest.number == 2
    assert latest.answers == {
        "systems_change_q_root_causes": "Jobs.",
        "reach_and_role_q_communities": "West Montgomery.",
    }
