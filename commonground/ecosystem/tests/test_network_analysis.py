"""The coalition's network analysis: computed once per change and cached; a metric that
cannot be computed is logged and shown as unavailable, never a 500."""

from __future__ import annotations

import dataclasses
import logging
import pickle
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django_scopes import scope

from commonground.ecosystem import selectors, services
from commonground.ecosystem.models import Actor


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _chain(world: Any) -> dict[str, Actor]:
    """a↔b → c↔d: two reciprocated pairs, the first naming the second.

    The exact solver handles it; networkx's power iteration (and ours, used above the
    dense size) never converges on it: its values keep drifting toward c and d.
    """
    admin = world.people["admin"]
    actors = {
        name: services.create_actor(
            coalition=world.a, user=admin, name=f"Partner {name}", sector_id="food"
        )
        for name in "abcd"
    }
    for source, target in ("ab", "ba", "cd", "dc", "bc"):
        services.record_tie(
            coalition=world.a, user=admin, from_actor=actors[source], to_actor=actors[target]
        )
    return actors


def _analysis(world: Any, filters: selectors.Filters | None = None) -> selectors.Analysis:
    with scope(coalition=world.a):
        return selectors.analyze_coalition(coalition=world.a, filters=filters)


def test_pages_read_the_cached_analysis_until_the_network_changes(world: Any) -> None:
    actors = _chain(world)
    first = _analysis(world)
    key = selectors.analysis_cache_key(first.network)
    assert cache.get(key) == first.report
    # Mark the cached report: if the page recomputed, the mark would be gone.
    assert first.report.density == pytest.approx(5 / 12)
    cache.set(key, dataclasses.replace(first.report, density=0.99))
    html = world.client_for("viewer").get(f"/c/{world.a.slug}/ecosystem/scores/").content.decode()
    assert "<dd>99%</dd>" in html and "<dd>42%</dd>" not in html
    assert _analysis(world).report.density == 0.99
    # A change to the network is a new content, hence a new key and a fresh analysis.
    services.record_tie(
        coalition=world.a,
        user=world.people["admin"],
        from_actor=actors["d"],
        to_actor=actors["a"],
    )
    second = _analysis(world)
    assert selectors.analysis_cache_key(second.network) != key
    assert second.report.tie_count == first.report.tie_count + 1
    assert second.report.density == pytest.approx(6 / 12)


def test_an_edit_that_keeps_the_counts_still_gets_a_fresh_analysis(world: Any) -> None:
    actors = _chain(world)
    before = _analysis(world)
    with scope(coalition=world.a):
        Actor.objects.filter(pk=actors["a"].pk).update(sector_id="housing")
    after = _analysis(world)
    assert after.report.actor_count == before.report.actor_count
    assert selectors.analysis_cache_key(after.network) != selectors.analysis_cache_key(
        before.network
    )
    assert after.report.sector_mixing != before.report.sector_mixing


def test_each_filter_has_its_own_analysis(world: Any) -> None:
    _chain(world)
    whole = _analysis(world)
    food = _analysis(world, selectors.Filters(sectors=frozenset({"food"})))
    housing = _analysis(world, selectors.Filters(sectors=frozenset({"housing"})))
    assert whole.report.tie_count == food.report.tie_count == 5
    assert housing.report.actor_count == 0
    keys = {selectors.analysis_cache_key(a.network) for a in (whole, food, housing)}
    assert len(keys) == 2  # the food filter keeps every actor: same content, same analysis
    assert all(cache.get(k) is not None for k in keys)


def test_the_cached_report_is_small(world: Any) -> None:
    _chain(world)
    report = _analysis(world).report
    assert len(pickle.dumps(report)) < 5_000


def test_pages_show_unavailable_instead_of_500_when_the_eigenvector_fails(
    world: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    actors = _chain(world)
    # The documented solver setting: parts of more than 1 actor go to the power iteration,
    # which cannot converge on this network (a real failure of the real solver).
    settings.COMMONGROUND_EIGENVECTOR_DENSE_MAX = 1
    client = world.client_for("viewer")
    base = f"/c/{world.a.slug}/ecosystem/"
    with caplog.at_level(logging.ERROR):
        scores = client.get(base + "scores/?sort=eigenvector")
    assert scores.status_code == 200
    html = scores.content.decode()
    assert html.count(">unavailable<") == 4  # one cell per actor
    assert "could not be computed for this network" in html
    failures = [r for r in caplog.records if r.exc_info is not None]
    assert failures and "did not converge" in str(failures[0].exc_info[1])  # type: ignore[index]

    network_map = client.get(base)
    assert network_map.status_code == 200
    assert "could not be computed for this network" in network_map.content.decode()
    assert client.get(base + "scores/?format=csv").status_code == 200
    assert client.get(base + "scores/?format=xlsx").status_code == 200
    for actor in actors.values():
        assert client.get(f"{base}actors/{actor.pk}/").status_code == 200
    api = client.get(f"/api/coalitions/{world.a.slug}/ecosystem/metrics")
    assert api.status_code == 200
    assert [a["eigenvector"] for a in api.json()["actors"]] == [None] * 4

    # The same network with the default solver: exact values, nothing unavailable.
    settings.COMMONGROUND_EIGENVECTOR_DENSE_MAX = 500
    html = client.get(base + "scores/").content.decode()
    assert ">unavailable<" not in html and "could not be computed" not in html
    assert "0.707" in html
