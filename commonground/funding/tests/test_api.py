"""The JSON API: reads for the chosen roles, writes for admins, 409 on a stale PATCH,
422 naming the field, and nothing of another coalition."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

from commonground.funding.models import Disbursement, FundingSource
from commonground.funding.tests import factories


def api(world: Any, path: str) -> str:
    return f"/api/coalitions/{world.a.slug}/funding/{path}"


def test_create_read_and_patch_a_source(world: Any) -> None:
    admin = world.client_for("admin")
    body = {
        "name": "HIE member payments",
        "kind": "hie_fees",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "amount": "350000",
    }
    created = admin.post(api(world, "sources"), body, content_type="application/json")
    assert created.status_code == 200, created.content
    source = created.json()
    assert source["amounts"][0]["amount"] == "350000.00"
    listed = world.client_for("partner").get(api(world, "sources")).json()
    assert [s["name"] for s in listed] == ["HIE member payments"]
    patch = {"version": source["version"], "renewal": "likely"}
    path = api(world, f"sources/{source['id']}")
    assert admin.patch(path, patch, content_type="application/json").status_code == 200
    stale = admin.patch(path, patch | {"renewal": "unlikely"}, content_type="application/json")
    assert stale.status_code == 409
    with scope(coalition=world.a):
        assert FundingSource.objects.get().renewal == "likely"
    summary = world.client_for("partner").get(api(world, "summary")).json()
    assert summary["mix"] == {"hie_fees": 1.0} and summary["hhi"] == 1.0


def test_bad_input_gets_422_naming_the_field_and_saves_nothing(world: Any) -> None:
    admin = world.client_for("admin")
    base = {"name": "X", "kind": "donations", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    for extra, field in (
        ({"amount": "-1"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"ends_on": "2025-01-01"}, "ends_on"),
        ({"kind": "bake_sale"}, "kind"),
    ):
        response = admin.post(api(world, "sources"), base | extra, content_type="application/json")
        assert response.status_code == 422, extra
        assert response.json()["detail"].startswith(field), response.json()
    with scope(coalition=world.a):
        assert not FundingSource.objects.exists()


def test_a_recipient_of_another_coalition_is_refused(world: Any) -> None:
    with scope(coalition=world.b):
        theirs = factories.actor(world.b, "Their group")
    response = world.client_for("admin").post(
        api(world, "shared"),
        {
            "kind": "grant",
            "amount": "100",
            "starts_on": "2026-01-01",
            "ends_on": "2026-01-31",
            "recipient_actor_id": theirs.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("recipient_actor_id")
    with scope(coalition=world.a):
        assert not Disbursement.objects.exists()


def test_shared_out_and_calendar(world: Any) -> None:
    with scope(coalition=world.a):
        group = factories.actor(world.a)
        factories.source(world.a)
    admin = world.client_for("admin")
    created = admin.post(
        api(world, "shared"),
        {
            "kind": "grant",
            "amount": "1000",
            "starts_on": "2026-01-01",
            "ends_on": "2026-01-31",
            "recipient_actor_id": group.pk,
        },
        content_type="application/json",
    ).json()
    assert created["recipient"] == "West End Mothers"
    path = api(world, f"shared/{created['id']}")
    ok = admin.patch(path, {"version": 1, "status": "paid"}, content_type="application/json")
    assert ok.json()["status"] == "paid"
    assert (
        admin.patch(
            path, {"version": 1, "status": "cancelled"}, content_type="application/json"
        ).status_code
        == 409
    )
    assert world.client_for("viewer").get(api(world, "shared")).status_code == 403
    assert world.client_for("partner").get(api(world, "calendar")).json() == []
