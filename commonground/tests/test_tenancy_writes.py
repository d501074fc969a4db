"""A write cannot reach into another coalition or raise one's own role (RELIABILITY 3)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django_scopes import scopes_disabled

from commonground.coalitions.models import Membership
from commonground.ecosystem.models import Actor

pytestmark = pytest.mark.django_db


def test_a_body_naming_another_coalition_writes_into_ones_own(world: Any) -> None:
    admin = world.client_for("admin")
    response = admin.post(
        "/api/coalitions/valley-a/ecosystem/actors",
        json.dumps(
            {
                "name": "Smuggled Clinic",
                "sector": "health_care",
                "coalition": world.b.pk,
                "coalition_id": world.b.pk,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code in {201, 422}
    with scopes_disabled():
        assert not Actor.objects.filter(coalition=world.b, name="Smuggled Clinic").exists()
        if response.status_code == 201:
            assert Actor.objects.get(name="Smuggled Clinic").coalition == world.a


def test_a_member_cannot_raise_their_own_role(world: Any) -> None:
    with scopes_disabled():
        seat = Membership.objects.get(coalition=world.a, user=world.people["partner"])
    partner = world.client_for("partner")
    page = partner.post(f"/c/valley-a/members/{seat.pk}/role/", {"role": "backbone_admin"})
    api = partner.patch(
        f"/api/coalitions/valley-a/memberships/{seat.pk}",
        json.dumps({"role": "backbone_admin"}),
        content_type="application/json",
    )
    # A member without the role is refused (403); nothing changes either way.
    assert page.status_code in {403, 404} and api.status_code in {403, 404}
    seat.refresh_from_db()
    assert seat.role == Membership.Role.PARTNER


def test_an_admin_cannot_change_a_role_in_another_coalition_through_their_own(world: Any) -> None:
    admin = world.client_for("admin")
    target = world.b_membership
    api = admin.patch(
        f"/api/coalitions/valley-a/memberships/{target.pk}",
        json.dumps({"role": "viewer"}),
        content_type="application/json",
    )
    page = admin.post(f"/c/valley-a/members/{target.pk}/role/", {"role": "viewer"})
    assert api.status_code == 404 and page.status_code == 404
    target.refresh_from_db()
    assert target.role == Membership.Role.PARTNER
