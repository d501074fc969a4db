"""Text no database can store (the NUL character) is refused by the API with a 422 that
names the field, on SQLite and PostgreSQL alike, and nothing is saved."""

from __future__ import annotations

import json
from typing import Any

from django_scopes import scope

from commonground.voice.models import Theme


def _post(client: Any, path: str, body: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_a_nul_in_a_body_value_is_refused_by_name(world: Any) -> None:
    client = world.client_for("admin")
    path = f"/api/coalitions/{world.a.slug}/voice/themes"
    response = _post(client, path, {"name": "Rent", "description": "too\x00high"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("description: ")
    assert "U+0000" in response.json()["detail"]
    with scope(coalition=world.a):
        assert not Theme.objects.filter(name="Rent").exists()
    # the same request without the NUL is saved: the refusal is about the character alone
    assert _post(client, path, {"name": "Rent", "description": "too high"}).status_code == 201


def test_a_nul_deep_in_a_body_or_in_a_key_is_found(world: Any) -> None:
    client = world.client_for("admin")
    path = f"/api/coalitions/{world.a.slug}/voice/themes"
    nested = _post(client, path, {"name": "Rent", "extra": {"notes": ["ok", "b\x00d"]}})
    assert nested.status_code == 422
    assert nested.json()["detail"].startswith("extra.notes[1]: ")
    keyed = _post(client, path, {"name": "Rent", "k\x00ey": 1})
    assert keyed.status_code == 422
    assert keyed.json()["detail"].startswith("k\\0ey: ")


def test_a_nul_in_a_query_string_is_refused_by_name(world: Any) -> None:
    client = world.client_for("admin")
    response = client.get(f"/api/coalitions/{world.a.slug}/ecosystem/actors", {"q": "clinic\x00"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("q: ")


def test_a_body_that_is_not_json_is_still_a_plain_400(world: Any) -> None:
    client = world.client_for("admin")
    path = f"/api/coalitions/{world.a.slug}/voice/themes"
    response = client.post(path, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Cannot parse request body")
