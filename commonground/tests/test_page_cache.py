"""The heaviest pages are kept per reader and data version (``coalitions.page_cache``)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from commonground.coalitions.models import Coalition, Membership
from commonground.ecosystem.models import Actor
from commonground.measurement.models import PriorityArea

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Each kept page, and the app whose data it is kept by ("" = all the coalition's data).
KEPT_PAGES = [
    ("/c/{slug}/", ""),
    ("/c/{slug}/roadmap/", ""),
    ("/c/{slug}/ecosystem/", "ecosystem"),
    ("/c/{slug}/ecosystem/scores/", "ecosystem"),
    ("/c/{slug}/measurement/health/", "measurement"),
    ("/c/{slug}/measurement/health/map/", "measurement"),
]


def visited(client: Client, url: str) -> Client:
    """A reader's first visit sets the CSRF cookie, which pages are kept by."""
    assert client.get(url).status_code == 200
    return client


def rendered(response: Any) -> bool:
    """Whether a template was rendered for the response (a kept page renders none)."""
    return bool(response.templates)


def write(coalition: Any, app: str) -> None:
    """A new row in one of the app's tables in the coalition."""
    with scope(coalition=coalition):
        if app == "ecosystem":
            Actor.objects.create(
                coalition=coalition, name=f"Clinic {Actor.objects.count()}", sector_id="faith"
            )
        else:
            PriorityArea.objects.create(coalition=coalition, name="Housing")


@pytest.mark.parametrize(("page", "app"), KEPT_PAGES)
def test_a_page_is_rendered_once_per_version_of_its_data(world: Any, page: str, app: str) -> None:
    url = page.format(slug=world.a.slug)
    client = visited(world.client_for("admin"), url)
    first = client.get(url)
    assert first.status_code == 200 and rendered(first)
    again = client.get(url)
    assert again.status_code == 200 and not rendered(again)
    assert NONCE.sub("", again.content.decode()) == NONCE.sub("", first.content.decode())
    others = [other for other in ("ecosystem", "measurement") if other != app]
    for other in others if app else []:
        write(world.a, other)  # another app's data: the page is still the same
        assert not rendered(client.get(url))
    write(world.a, app or "measurement")
    after = client.get(url)
    assert after.status_code == 200 and rendered(after)
    write(world.b, app or "ecosystem")  # another coalition's data changes nothing here
    assert not rendered(client.get(url))


def test_each_response_gets_its_own_nonce_in_the_page_and_the_header(world: Any) -> None:
    url = f"/c/{world.a.slug}/ecosystem/"
    client = visited(world.client_for("admin"), url)
    nonces = []
    for _ in range(3):
        response = client.get(url)
        in_page = set(NONCE.findall(response.content.decode()))
        assert len(in_page) == 1
        (nonce,) = in_page
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3
    assert not rendered(response)


def test_each_reader_gets_their_own_page(world: Any) -> None:
    url = f"/c/{world.a.slug}/"
    admin, viewer = world.people["admin"], world.people["viewer"]
    as_admin = visited(world.client_for("admin"), url).get(url).content.decode()
    as_viewer = visited(world.client_for("viewer"), url)
    first = as_viewer.get(url)
    assert rendered(first)  # not the admin's page
    assert viewer.display_name in first.content.decode() and admin.display_name in as_admin
    assert admin.display_name not in first.content.decode()
    assert not rendered(as_viewer.get(url))
    assert rendered(as_viewer.get(url, headers={"accept-language": "es"}))
    assert rendered(as_viewer.get(url + "?anything=1"))


def test_a_waiting_message_is_shown_once_and_never_kept(world: Any) -> None:
    url = f"/c/{world.a.slug}/"
    client = visited(world.client_for("admin"), url)
    client.get(url)
    assert not rendered(client.get(url))  # kept
    added = client.post(
        f"/c/{world.a.slug}/ecosystem/actors/new/",
        {
            "name": "Message Clinic",
            "kind": "organization",
            "sector_id": "faith_community",
            "geographic_scale": "county",
        },
    )
    assert added.status_code == 302
    note = "Message Clinic is on the map."
    shown = client.get(url)
    assert rendered(shown) and note in shown.content.decode()
    later = client.get(url)
    assert rendered(later) and note not in later.content.decode()  # the shown page was not kept
    assert not rendered(client.get(url))


def test_a_kept_page_s_forms_still_pass_the_csrf_check(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["admin"])
    url = f"/c/{world.a.slug}/"
    visited(client, url).get(url)
    kept = client.get(url)
    assert not rendered(kept)
    token = CSRF.search(kept.content.decode())
    assert token is not None
    answer = client.post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": token.group(1), "language": "es"}
    )
    assert answer.status_code == 302
    refused = client.post("/i18n/setlang/", {"csrfmiddlewaretoken": "x" * 64, "language": "es"})
    assert refused.status_code == 403


def test_the_switcher_shows_the_reader_s_other_coalitions_as_they_are_now(world: Any) -> None:
    """A kept page of A lists the reader's seat in B: B's name and the reader's role in it
    change in B's scope, which A's data version does not see."""
    admin = world.people["admin"]
    url = f"/c/{world.a.slug}/ecosystem/"
    client = visited(world.client_for("admin"), url)
    assert rendered(client.get(url)) and not rendered(client.get(url))
    with scope(coalition=world.b):
        Membership.objects.create(coalition=world.b, user=admin, role="viewer")
    joined = client.get(url)
    assert rendered(joined)
    assert joined.content.decode().count(world.b.name) >= 1
    with scopes_disabled():
        Coalition.objects.filter(pk=world.b.pk).update(name="Renamed Collaborative")
    assert "Renamed Collaborative" in client.get(url).content.decode()
    with scope(coalition=world.b):
        Membership.objects.filter(coalition=world.b, user=admin).update(role="partner")
    switched = client.get(url)
    assert rendered(switched)
    assert not rendered(client.get(url))


def test_a_page_made_for_a_malformed_csrf_cookie_is_not_kept(world: Any) -> None:
    url = f"/c/{world.a.slug}/"
    client = world.client_for("admin")
    client.cookies["csrftoken"] = "not-a-valid-secret"
    for _ in range(3):
        response = client.get(url)
        assert rendered(response)
        client.cookies["csrftoken"] = "not-a-valid-secret"  # the reader keeps sending it
