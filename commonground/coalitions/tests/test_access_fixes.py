"""Attacks on invitations and on the "start a coalition" page, as they were found."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from commonground.accounts.models import User
from commonground.coalitions import services
from commonground.coalitions.models import AuditEvent, Coalition, Invitation, Membership
from commonground.conftest import make_user

pytestmark = pytest.mark.django_db


def invitation_used(world: Any) -> bool:
    with scopes_disabled():
        return (
            Invitation.objects.get(coalition=world.a, email="new@a.example").accepted_at is not None
        )


# --- An invitation link sent to one address ----------------------------------------------


def test_a_link_sent_to_one_address_cannot_create_an_account_for_another(world: Any) -> None:
    """Found: the sign-up form took any typed address, so a forwarded or leaked link let
    anyone join under their own address."""
    response = Client().post(
        f"/invite/{world.a_invitation_token}/",
        {
            "email": "attacker@evil.example",
            "display_name": "Mallory",
            "password1": "a-long-enough-passphrase-9",
            "password2": "a-long-enough-passphrase-9",
        },
    )
    assert response.status_code == 302
    assert not User.objects.filter(email="attacker@evil.example").exists()
    joined = User.objects.get(display_name="Mallory")
    assert joined.email == "new@a.example"
    with scope(coalition=world.a):
        assert Membership.objects.get(user=joined).role == Membership.Role.PARTNER


def test_the_sign_up_form_shows_the_invited_address_and_has_no_address_field(
    world: Any,
) -> None:
    page = Client().get(f"/invite/{world.a_invitation_token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "new@a.example" in html
    assert 'name="email"' not in html


def test_a_signed_in_user_with_another_address_is_refused(world: Any) -> None:
    intruder = make_user("someone@else.example")
    client = Client()
    client.force_login(intruder)
    url = f"/invite/{world.a_invitation_token}/"
    shown = client.get(url)
    assert shown.status_code == 403
    text = shown.content.decode()
    assert "This invitation was sent to n…@a.example" in text
    assert "you are signed in as someone@else.example" in text
    assert "Accept and join" not in text
    posted = client.post(url)
    assert posted.status_code == 403
    with scope(coalition=world.a):
        assert not Membership.objects.filter(user=intruder).exists()
    assert not invitation_used(world)


def test_the_service_refuses_another_address_too(world: Any) -> None:
    with pytest.raises(services.InvitationError, match="Only the invited address"):
        services.accept_invitation(token=world.a_invitation_token, user=world.people["viewer"])
    assert not invitation_used(world)


def test_the_invited_address_accepts_whatever_its_case(world: Any) -> None:
    with scopes_disabled():
        invitation = Invitation.objects.get(coalition=world.a, email="new@a.example")
    services.check_invited_address(invitation=invitation, email="  New@A.Example ")
    invited = make_user("NEW@a.example")
    client = Client()
    client.force_login(invited)
    response = client.post(f"/invite/{world.a_invitation_token}/")
    assert response.status_code == 302 and response["Location"] == "/c/valley-a/"
    assert invitation_used(world)


def test_signing_up_when_the_invited_address_has_an_account_says_sign_in(world: Any) -> None:
    make_user("new@a.example")
    response = Client().post(
        f"/invite/{world.a_invitation_token}/",
        {
            "display_name": "Second",
            "password1": "a-long-enough-passphrase-9",
            "password2": "a-long-enough-passphrase-9",
        },
    )
    assert response.status_code == 200
    assert "An account with the address new@a.example exists: sign in first" in (
        response.content.decode()
    )
    assert User.objects.filter(email="new@a.example").count() == 1
    assert not invitation_used(world)


# --- The slug probe ------------------------------------------------------------------------


def create_through_the_page(client: Client, slug: str) -> tuple[int, str, str]:
    response = client.post("/coalitions/new/", {"name": "Probe", "slug": slug}, follow=True)
    html = response.content.decode()
    created = re.search(r"its short name for links is “([a-z0-9-]+)”", html)
    assert created is not None, html
    masked = html.replace(created.group(1), "<slug>")
    masked = re.sub(r'(nonce|value)="[^"]*"', r'\1=""', masked)
    return response.status_code, created.group(1), masked


def test_posting_a_taken_slug_looks_exactly_like_posting_a_free_one(world: Any) -> None:
    """Found: "the short name valley-a is already taken" told anyone signed in that a
    coalition called valley-a exists."""
    prober, twin = make_user("prober@example.org", "P"), make_user("twin@example.org", "P")
    client, twin_client = Client(), Client()
    client.force_login(prober)
    twin_client.force_login(twin)
    status_taken, slug_taken, page_taken = create_through_the_page(client, "valley-a")
    status_free, slug_free, page_free = create_through_the_page(twin_client, "unused-name")
    assert status_taken == status_free == 200
    assert "already taken" not in page_taken
    # Both slugs have the same shape: the asked-for name plus four random characters.
    assert re.fullmatch(r"valley-a-[a-z2-9]{4}", slug_taken)
    assert re.fullmatch(r"unused-name-[a-z2-9]{4}", slug_free)
    # Apart from the slug itself, the pages are the same.
    assert page_taken.replace("valley-a", "X") == page_free.replace("unused-name", "X")
    world.a.refresh_from_db()
    assert world.a.slug == "valley-a" and world.a.name == "Valley Health Alliance"
    with scope(coalition=world.a):
        assert not Membership.objects.filter(user=prober).exists()


def test_random_suffix_draws_again_when_it_collides(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Force the first draws to the taken "valley-a-aaaa", then a free one.
    Coalition.objects.create(name="Existing", slug="valley-a-aaaa")
    creator = make_user("x@example.org")
    draws = iter("aaaaaaaabbbb")
    monkeypatch.setattr(services.secrets, "choice", lambda alphabet: next(draws))
    coalition = services.create_coalition(
        creator=creator, name="Probe", slug="valley-a", random_suffix=True
    )
    assert coalition.slug == "valley-a-bbbb"


def test_a_long_name_still_fits_the_slug_with_its_suffix(world: Any) -> None:
    coalition = services.create_coalition(
        creator=make_user("x@example.org"), name="Long " * 30, random_suffix=True
    )
    assert len(coalition.slug) <= 60 and re.fullmatch(r"(long-)+long-[a-z2-9]{4}", coalition.slug)


# --- The profile PATCH is optimistic-locked, with the page's mechanism ---------------------


def patch(client: Client, body: dict[str, Any]) -> Any:
    return client.patch("/api/coalitions/valley-a", body, content_type="application/json")


def test_two_stale_api_patches_of_the_profile_the_second_gets_409(world: Any) -> None:
    """Found: two PATCHes from the same read both succeeded; the first writer's text
    was lost."""
    client = world.client_for("admin")
    read = client.get("/api/coalitions/valley-a").json()
    first = patch(client, {"version": read["version"], "mission": "First writer"})
    assert first.status_code == 200
    assert first.json()["version"] == read["version"] + 1
    second = patch(client, {"version": read["version"], "mission": "Second writer"})
    assert second.status_code == 409
    assert "Someone else saved this profile" in second.json()["detail"]
    world.a.refresh_from_db()
    assert world.a.mission == "First writer"
    with scope(coalition=world.a):
        updates = AuditEvent.objects.filter(object_type="Coalition", action="update")
        assert [event.after["mission"] for event in updates] == ["First writer"]


def test_a_patch_without_a_version_is_refused_and_one_with_nothing_to_change_saves_nothing(
    world: Any,
) -> None:
    client = world.client_for("admin")
    refused = patch(client, {"mission": "Blind write"})
    assert refused.status_code == 422 and "version" in refused.content.decode()
    version = world.a.version
    same = patch(client, {"version": version})
    assert same.status_code == 200 and same.json()["version"] == version
    world.a.refresh_from_db()
    assert world.a.mission == "" and world.a.version == version


def test_the_page_and_the_api_share_one_version(world: Any) -> None:
    admin = world.client_for("admin")
    form = admin.get("/c/valley-a/profile/edit/")
    opened = form.context["form"].initial["version"]
    assert patch(admin, {"version": opened, "mission": "Saved through the API"}).status_code == 200
    stale = admin.post(
        "/c/valley-a/profile/edit/",
        {
            "name": "Valley Health Alliance",
            "geographic_scale": "county",
            "population_type": "mixed",
            "counties": "01101",
            "mission": "Saved on the page",
            "version": opened,
        },
    )
    assert stale.status_code == 409
    world.a.refresh_from_db()
    assert world.a.mission == "Saved through the API"
