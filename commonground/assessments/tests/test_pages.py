"""Pages: every exercise renders, bad input comes back with a message and saves nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scope

from commonground.assessments import services
from commonground.assessments.domain.exercises import EXERCISES
from commonground.assessments.models import AnonymousResponse, Assessment, Response


def open_round(world: Any, kind: str) -> Assessment:
    with scope(coalition=world.a):
        return services.open_round(coalition=world.a, actor=None, kind=kind, round_number=2026)


@pytest.mark.parametrize("kind", list(EXERCISES))
def test_answer_form_results_and_worksheet_render(world: Any, kind: str) -> None:
    assessment = open_round(world, kind)
    resident = world.client_for("resident")
    assert resident.get(f"/c/valley-a/assessments/{assessment.pk}/answer/").status_code == 200
    assert resident.get(f"/c/valley-a/assessments/{assessment.pk}/results/").status_code == 200
    assert resident.get(f"/c/valley-a/assessments/worksheets/{kind}/").status_code == 200
    admin = world.client_for("admin")
    assert admin.get(f"/c/valley-a/assessments/{assessment.pk}/paper/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "",
        "roles/",
        "tactics/",
        "domains/",
        "worksheets/role_matrix/",
        "worksheets/domains/",
        "worksheets/tactics/",
    ],
)
def test_shared_record_pages_render(world: Any, path: str) -> None:
    assert world.client_for("admin").get(f"/c/valley-a/assessments/{path}").status_code == 200


def test_roadmap_page_renders_with_framework_chapters(world: Any) -> None:
    page = world.client_for("viewer").get("/c/valley-a/roadmap/").content.decode()
    assert "Define your role" in page and "Proposed actions" in page


def test_out_of_range_rating_gets_a_clear_message_and_changes_nothing(world: Any) -> None:
    assessment = open_round(world, "pillars")
    response = world.client_for("partner").post(
        f"/c/valley-a/assessments/{assessment.pk}/answer/",
        {"rating-trust": "9", "note-trust": "kept"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "rating for item &#x27;trust&#x27; is 9; expected 1 to 5" in body
    assert "kept" in body  # what the member wrote comes back
    with scope(coalition=world.a):
        assert Response.objects.count() == 0 and AnonymousResponse.objects.count() == 0


def test_member_answers_once_through_the_page(world: Any) -> None:
    assessment = open_round(world, "decision_points")
    client = world.client_for("resident")
    data = {"rating-focus": "20", "note-focus": "One topic first"}
    first = client.post(f"/c/valley-a/assessments/{assessment.pk}/answer/", data)
    assert first.status_code == 302
    second = client.post(f"/c/valley-a/assessments/{assessment.pk}/answer/", data, follow=True)
    assert "already answered" in second.content.decode()
    with scope(coalition=world.a):
        assert AnonymousResponse.objects.count() == 1 and Response.objects.count() == 0


def test_api_rejects_a_second_submission_with_422(world: Any) -> None:
    assessment = open_round(world, "pillars")
    client = world.client_for("partner")
    url = f"/api/coalitions/valley-a/assessments/{assessment.pk}/responses"
    body = {"answers": {"ratings": {"trust": 3}}}
    assert client.post(url, body, content_type="application/json").status_code == 201
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 422 and "already answered" in again.json()["detail"]


def test_accepting_a_proposal_adds_an_action_item(world: Any) -> None:
    client = world.client_for("admin")
    with scope(coalition=world.a):
        from commonground.coalitions.models import Membership

        owner = Membership.objects.get(user=world.people["partner"])
    response = client.post(
        "/c/valley-a/roadmap/actions/",
        {
            "title": "Invite a housing partner",
            "source_key": "sector:housing",
            "owner": owner.pk,
            "due_on": "2026-09-30",
        },
    )
    assert response.status_code == 302
    page = client.get("/c/valley-a/roadmap/").content.decode()
    assert "Invite a housing partner" in page


def test_tactics_link_to_where_their_evidence_lives(world: Any) -> None:
    page = world.client_for("partner").get("/c/valley-a/assessments/tactics/").content.decode()
    assert "The power map" in page and "The metrics framework" in page


def test_viewer_cannot_save_the_role_matrix(world: Any) -> None:
    response = world.client_for("viewer").post("/c/valley-a/assessments/roles/save/", {})
    assert response.status_code == 403


def test_api_returns_my_answers_only_in_named_rounds(world: Any) -> None:
    with scope(coalition=world.a):
        named = services.open_round(
            coalition=world.a, actor=None, kind="pillars", round_number=2026, is_anonymous=False
        )
        anonymous = services.open_round(
            coalition=world.a, actor=None, kind="stage", round_number=2026
        )
    client = world.client_for("resident")
    base = "/api/coalitions/valley-a/assessments"
    client.post(
        f"{base}/{named.pk}/responses",
        {"answers": {"ratings": {"trust": 5}}},
        content_type="application/json",
    )
    created = client.post(
        f"{base}/{anonymous.pk}/responses",
        {"answers": {"marked": []}},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["id"] is None
    mine = client.get(f"{base}/{named.pk}/responses/mine").json()
    assert [r["answers"]["ratings"] for r in mine] == [{"trust": 5}]
    assert client.get(f"{base}/{anonymous.pk}/responses/mine").json() == []
    assert world.client_for("partner").get(f"{base}/{named.pk}/responses/mine").json() == []
    listing = client.get(base).json()
    assert {(a["kind"], a["has_answered"]) for a in listing} == {("pillars", True), ("stage", True)}
