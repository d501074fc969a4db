"""The ecosystem API: same services and selectors, same tenancy."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

from commonground.ecosystem import services
from commonground.ecosystem.models import Tie


def _actors(world: Any, coalition: Any, *names: str) -> list[Any]:
    return [
        services.create_actor(coalition=coalition, user=None, name=n, sector_id="food")
        for n in names
    ]


def test_actor_and_tie_of_another_coalition_are_unreachable(world: Any) -> None:
    ours = _actors(world, world.a, "Pantry", "Clinic")
    theirs = _actors(world, world.b, "Pantry", "Clinic")
    client = world.client_for("admin")
    base = f"/api/coalitions/{world.a.slug}/ecosystem"
    assert client.get(f"{base}/actors/{theirs[0].pk}").status_code == 404
    response = client.post(
        f"{base}/ties",
        {"from_actor_id": ours[0].pk, "to_actor_id": theirs[1].pk, "type_ids": ["referrals"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    listed = client.get(f"{base}/actors").json()
    assert sorted(a["id"] for a in listed) == sorted(a.pk for a in ours)
    with scope(coalition=world.b):
        assert Tie.objects.count() == 0


def test_record_tie_and_read_metrics(world: Any) -> None:
    a, b, c = _actors(world, world.a, "A", "B", "C")
    client = world.client_for("admin")
    base = f"/api/coalitions/{world.a.slug}/ecosystem"
    for source, target in ((a, b), (b, a), (b, c)):
        response = client.post(
            f"{base}/ties",
            {"from_actor_id": source.pk, "to_actor_id": target.pk, "intensity": 3},
            content_type="application/json",
        )
        assert response.status_code == 201
    ties = world.client_for("viewer").get(f"{base}/ties").json()
    assert sum(t["is_reciprocated"] for t in ties) == 2
    metrics = world.client_for("viewer").get(f"{base}/metrics").json()
    assert metrics["actor_count"] == 3 and metrics["tie_count"] == 3
    assert metrics["density"] == 0.5
    by_name = {m["name"]: m for m in metrics["actors"]}
    assert by_name["B"]["betweenness"] == 0.5
    assert metrics["response_rate"] is None


def test_open_survey_returns_links_once(world: Any) -> None:
    a, b = _actors(world, world.a, "A", "B")
    response = world.client_for("admin").post(
        f"/api/coalitions/{world.a.slug}/ecosystem/surveys",
        {"title": "Round 1", "actor_ids": [a.pk, b.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201
    links = response.json()["links"]
    assert len(links) == 2 and all("/network-survey/" in link["link"] for link in links)
    assert (
        world.client_for("partner")
        .get(f"/api/coalitions/{world.a.slug}/ecosystem/surveys")
        .status_code
        == 403
    )
