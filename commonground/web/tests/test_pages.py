from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape
from django_scopes import scope

from commonground import framework
from commonground.coalitions import services

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_security_headers(world: Any) -> None:
    response = world.client_for("admin").get(f"/c/{world.a.slug}/")
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "'nonce-"):
        assert directive in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    # The nonce in the header is the one on the page's scripts.
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_script_in_a_name_is_shown_as_text(world: Any) -> None:
    places = services.parse_places(counties="01101")
    services.update_profile(
        coalition=world.a,
        actor=world.people["admin"],
        places=places,
        name="<script>alert('x')</script> Coalition",
    )
    html = world.client_for("viewer").get(f"/c/{world.a.slug}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Coalition" in html


def test_home_walks_the_four_chapters_with_done_and_next_steps(world: Any) -> None:
    html = world.client_for("resident").get(f"/c/{world.a.slug}/").content.decode()
    assert html.count('class="card chapter"') == 4
    assert "Describe the partnership and the places it serves" in html
    assert "Next:" in html  # fewer than three partners: chapter 1 still has a step to do


def test_pages_speak_spanish_when_asked(world: Any) -> None:
    client = world.client_for("admin")
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    html = client.get(f"/c/{world.a.slug}/").content.decode()
    assert '<html lang="es">' in html
    assert "La hoja de ruta" in html
    assert escape(framework.CHAPTERS[0].name.es) in html


def test_person_without_coalitions_sees_none(db: None, django_user_model: Any) -> None:
    solo = django_user_model.objects.create_user("solo@example.org", "a-long-test-passphrase")
    client = Client()
    client.force_login(solo)
    html = client.get("/coalitions/").content.decode()
    assert "You are not a member of any coalition yet" in html
    assert client.get("/api/coalitions/").json() == []


def test_member_list_is_filtered_and_paginated_on_the_server(world: Any) -> None:
    from commonground.conftest import add_member, make_user

    for i in range(60):
        add_member(world.a, make_user(f"resident{i:02}@a.example"), "community_member")
    client = world.client_for("admin")
    first = client.get(f"/c/{world.a.slug}/members/?role=community_member").content.decode()
    assert "Page 1 of 2" in first
    assert "partner@a.example" not in first
    with scope(coalition=world.a):
        assert (
            "resident59@a.example"
            in client.get(
                f"/c/{world.a.slug}/members/?role=community_member&page=2"
            ).content.decode()
        )


def test_framework_api_speaks_both_languages(db: None) -> None:
    english = Client().get("/api/framework/pillars?lang=en").json()
    spanish = Client().get("/api/framework/pillars?lang=es").json()
    assert len(english) == len(spanish) == 7
    assert english[-1]["name"] == "Trust" and spanish[-1]["name"] == "Confianza"
    assert Client().get("/api/framework/nonsense").status_code == 422


def test_openapi_document_lists_the_coalition_endpoints(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    assert "/api/coalitions/{coalition_slug}/memberships" in schema["paths"]
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
