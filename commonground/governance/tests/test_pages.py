"""Pages and API: what each persona sees and may do, 409 on stale edits, escaped input."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_scopes import scope

from commonground.assessments import services as plan
from commonground.assessments.models import ActionItem
from commonground.coalitions import activity, notices
from commonground.coalitions.models import AuditEvent
from commonground.ecosystem.models import Actor
from commonground.governance import services
from commonground.governance.models import Agreement, Body, Decision, Vote
from commonground.governance.tests.factories import council, members

G = "/c/valley-a/governance/"


@pytest.fixture
def setup(world: Any) -> Any:
    return council(world.a, world.people["admin"])


def test_every_page_renders_for_a_viewer_with_the_councils_data(world: Any, setup: Any) -> None:
    client = world.client_for("viewer")
    for path in (
        "",
        "power/",
        "meetings/",
        f"meetings/{setup.meeting.pk}/",
        f"meetings/{setup.meeting.pk}/minutes/",
        "decisions/",
        "decisions/heard/",
        "agreements/",
        "actions/",
        "policies/",
    ):
        response = client.get(G + path)
        assert response.status_code == 200, path
    page = client.get(G).content.decode()
    assert "Executive council" in page and "Rosa Martínez" in page and "Vacant" in page
    power = client.get(G + "power/").content.decode()
    assert "80%" in power and "power figures" in power


def test_hostile_names_are_escaped(world: Any) -> None:
    admin = world.people["admin"]
    with scope(coalition=world.a):
        body = services.create_body(
            coalition=world.a, actor=admin, name="<script>alert(1)</script>", kind="workgroup"
        )
        services.add_seat(
            body=body,
            actor=admin,
            label="<img src=x onerror=alert(1)>",
            seat_type="resident",
            holder_name="<b>x</b>",
        )
    page = world.client_for("viewer").get(G).content.decode()
    assert (
        "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    )
    assert "<img src=x" not in page


def test_vote_by_a_person_without_a_seat_is_refused_with_the_reason(world: Any, setup: Any) -> None:
    response = world.client_for("admin").post(
        G + f"motions/{setup.motion.pk}/vote/", {"choice": "yes"}, follow=True
    )
    assert (
        "You hold no seat on Executive council, so you cannot vote on its motions."
        in response.content.decode()
    )
    with scope(coalition=world.a):
        assert Vote.objects.count() == 0
    # The resident holds a seat: the page offers the vote and records it.
    client = world.client_for("resident")
    page = client.get(G + f"meetings/{setup.meeting.pk}/").content.decode()
    assert "Cast my vote" in page
    client.post(G + f"motions/{setup.motion.pk}/vote/", {"choice": "yes"})
    with scope(coalition=world.a):
        assert Vote.objects.get().seat_id == setup.seats["resident"].pk


def test_stale_action_item_edit_is_409_and_the_first_writer_wins(world: Any, setup: Any) -> None:
    admin = world.people["admin"]
    with scope(coalition=world.a):
        item = plan.accept_action(coalition=world.a, actor=admin, title="Book interpreters")
    client = world.client_for("admin")
    first = client.post(
        G + f"actions/{item.pk}/status/", {"version": item.version, "status": "in_progress"}
    )
    assert first.status_code == 302
    stale = client.post(
        G + f"actions/{item.pk}/status/", {"version": item.version, "status": "done"}
    )
    assert stale.status_code == 409
    assert "Someone else saved this record" in stale.content.decode()
    with scope(coalition=world.a):
        assert ActionItem.objects.get(pk=item.pk).status == "in_progress"
        changes = AuditEvent.objects.filter(
            coalition=world.a, object_type="ActionItem", action="update"
        )
        assert changes.count() == 1
    # The API says the same.
    api = client.patch(
        f"/api/coalitions/valley-a/assessments/actions/{item.pk}",
        {"version": item.version, "status": "done"},
        content_type="application/json",
    )
    assert api.status_code == 409


def test_api_walks_a_motion_and_refuses_edits_of_a_locked_decision(world: Any, setup: Any) -> None:
    admin = world.client_for("admin")
    resident = world.client_for("resident")
    base = "/api/coalitions/valley-a/governance"
    seats = [setup.seats[k].pk for k in ("hospital", "resident", "named")]
    assert (
        admin.put(
            f"{base}/meetings/{setup.meeting.pk}/attendance",
            {"present_seat_ids": seats},
            content_type="application/json",
        ).status_code
        == 200
    )
    vote = resident.post(
        f"{base}/motions/{setup.motion.pk}/votes",
        {"choice": "yes"},
        content_type="application/json",
    )
    assert vote.status_code == 201 and vote.json()["seat_id"] == setup.seats["resident"].pk
    again = resident.post(
        f"{base}/motions/{setup.motion.pk}/votes", {"choice": "no"}, content_type="application/json"
    )
    assert again.status_code == 422 and "already voted" in again.json()["detail"]
    viewer = world.client_for("viewer").post(
        f"{base}/motions/{setup.motion.pk}/votes",
        {"choice": "yes"},
        content_type="application/json",
    )
    assert viewer.status_code == 403
    closed = admin.post(
        f"{base}/motions/{setup.motion.pk}/close",
        {"rationale": "ok"},
        content_type="application/json",
    )
    assert closed.status_code == 201
    decision = closed.json()
    assert decision["result"] == "approved" and decision["is_locked"] is True
    edit = admin.patch(
        f"{base}/decisions/{decision['id']}",
        {"version": decision["version"], "title": "X"},
        content_type="application/json",
    )
    assert edit.status_code == 409 and "locked" in edit.json()["detail"]
    with scope(coalition=world.a):
        assert Decision.objects.get().title == "Adopt the budget"
    power = admin.get(f"{base}/power").json()
    assert power["coalition"]["community_share"] == 0.8
    with scope(coalition=world.b):
        foreign = Actor.objects.create(coalition=world.b, name="Other", sector_id="housing")
    refused = admin.post(
        f"{base}/agreements",
        {"title": "MOU", "kind": "mou", "party_ids": [foreign.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 422
    with scope(coalition=world.a):
        assert Agreement.objects.count() == 0


def test_agreement_upload_page_refuses_a_mistyped_file_and_downloads_as_attachment(
    world: Any,
) -> None:
    client = world.client_for("admin")
    form = {"title": "Charter", "kind": "charter", "status": "active"}
    bad = client.post(
        G + "agreements/new/",
        {**form, "file": SimpleUploadedFile("charter.pdf", b"<html>not a pdf")},
    )
    assert bad.status_code == 400 and "is named .pdf but is not one" in bad.content.decode()
    with scope(coalition=world.a):
        assert Agreement.objects.count() == 0
    ok = client.post(
        G + "agreements/new/",
        {
            **form,
            "renewal_on": (datetime.date.today() + datetime.timedelta(days=20)).isoformat(),
            "file": SimpleUploadedFile("charter.pdf", b"%PDF-1.4 test"),
        },
    )
    assert ok.status_code == 302
    with scope(coalition=world.a):
        agreement = Agreement.objects.get()
    download = world.client_for("partner").get(G + f"agreements/{agreement.pk}/file/")
    assert download["Content-Disposition"].startswith("attachment")
    assert download.content == b"%PDF-1.4 test"
    # The renewal is announced on the home of admins and partners.
    texts = [n.text for n in notices.notices_for(world.a, world.people["partner"])]
    assert any("“Charter” is due for renewal" in t for t in texts)
    assert not any(
        "Charter" in t
        for t in notices.notices_for(world.a, world.people["resident"])
        for t in [t.text]
    )


def test_exports_are_csv_and_xlsx(world: Any, setup: Any) -> None:
    client = world.client_for("viewer")
    csv = client.get(G + "?table=seats&format=csv")
    assert csv["Content-Disposition"].startswith("attachment")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,body,seat,type,votes,holder")
    assert len(lines) == 1 + 5
    for path in (
        "?format=xlsx",
        "meetings/?format=xlsx",
        "meetings/?table=attendance&format=csv",
        "meetings/?table=votes&format=csv",
        "decisions/?format=csv",
        "agreements/?format=csv",
        "actions/?format=xlsx",
        "policies/?format=csv",
    ):
        response = client.get(G + path)
        assert response.status_code == 200 and response["Content-Disposition"].startswith(
            "attachment"
        ), path


def test_activity_log_renders_in_spanish_too(world: Any, setup: Any) -> None:
    with scope(coalition=world.a):
        rows = list(
            AuditEvent.objects.filter(coalition=world.a, event__startswith="governance.").order_by(
                "id"
            )
        )
        english = activity.describe(rows)
        assert english[0] == "Added the governing body “Executive council”"
        assert "Added the vacant seat “Resident seat 3” to “Executive council”" in english
        with translation.override("es"):
            spanish = activity.describe(rows)
    assert len(spanish) == len(rows) and all(spanish)


def test_form_refuses_a_holder_outside_the_coalition(world: Any, setup: Any) -> None:
    with scope(coalition=world.b):
        foreign = Actor.objects.create(coalition=world.b, name="Other", sector_id="housing")
    response = world.client_for("admin").post(
        G + f"bodies/{setup.body.pk}/seats/new/",
        {"label": "New", "seat_type": "resident", "votes": 1, "holder_actor": foreign.pk},
    )
    assert response.status_code == 400
    with scope(coalition=world.a):
        assert Body.objects.get().seats.count() == 5
    assert members(world.a)["partner"].coalition_id == world.a.pk
