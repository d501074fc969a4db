"""The network map's data, the sentences that read the scores, the response-rate notice and
the power map's drag-and-drop saves (JSON answers with the optimistic lock)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import translation
from django_scopes import scope

from commonground.ecosystem import demo_data, selectors, services
from commonground.ecosystem.domain.model import Actor as DomainActor
from commonground.ecosystem.domain.model import Network, Tie
from commonground.ecosystem.domain.network import analyze
from commonground.ecosystem.domain.readings import read_actors
from commonground.ecosystem.domain.response import ResponseReport, metric_warnings
from commonground.ecosystem.domain.sectors import SECTORS_BY_ID
from commonground.ecosystem.models import Actor
from commonground.ecosystem.readings import actor_sentences, network_sentences, response_rules


@pytest.fixture
def demo(world: Any) -> Any:
    with scope(coalition=world.a):
        demo_data.seed_river_region(world.a)
    return world


def _hand_worked() -> Network:
    """The network of ``domain/tests/test_readings.py`` (its docstring works the numbers)."""
    return Network(
        actors=(
            DomainActor("h", "hospital_health_system", name="Hospital"),
            DomainActor("c", "faith_community", name="Church"),
            DomainActor("s", "k12_schools", name="School"),
            DomainActor("p", "food", name="Pantry"),
            DomainActor("q", "food", name="Garden"),
            DomainActor("x", None, name="Mystery"),
        ),
        ties=(
            Tie("h", "c"),
            Tie("h", "s"),
            Tie("h", "p"),
            Tie("c", "s"),
            Tie("p", "q"),
            Tie("q", "p"),
            Tie("x", "h"),
        ),
    )


def _sector_name(sector_id: str | None) -> str:
    return SECTORS_BY_ID[sector_id].name.en if sector_id in SECTORS_BY_ID else "Unknown sector"


# ---------------------------------------------------------------- sentences


def test_network_sentences_word_the_hand_worked_numbers() -> None:
    sentences = network_sentences(analyze(_hand_worked()))
    assert sentences["density"] == "About 23 of every 100 possible ties exist (7 of 30)."
    assert sentences["reciprocity"] == "29 of every 100 ties are reported by both sides."
    assert sentences["cross_sector_share"] == "67 of every 100 ties join two different sectors."
    assert sentences["centralization"].startswith("Centred on a few hubs")
    assert sentences["components"] == "Everyone can reach everyone else through the ties."
    assert "trust" not in sentences  # nobody rated anybody


def test_actor_sentences_name_the_sectors_it_connects() -> None:
    network = _hand_worked()
    report = analyze(network)
    metrics = {m.id: m for m in report.actors}
    readings = read_actors(network, report)
    hospital = actor_sentences(
        name="Hospital",
        reading=readings["h"],
        metrics=metrics["h"],
        report=report,
        sector_name=_sector_name,
    )
    assert hospital["bridge"] == (
        "Hospital connects 3 sectors that are not otherwise tied: "
        "Faith community, Food and K-12 schools."
    )
    assert hospital["betweenness"] == (
        "Lies on about 20 of every 100 shortest paths between two other actors (ranked 1 of 6)."
    )
    assert hospital["partners"] == "Works with 4 of the 5 other actors."
    church = actor_sentences(
        name="Church",
        reading=readings["c"],
        metrics=metrics["c"],
        report=report,
        sector_name=_sector_name,
    )
    assert church["bridge"] == (
        "Its partners come from 2 other sectors, which are also tied to each other directly."
    )
    assert church["betweenness"].startswith("Lies on no shortest path")


def test_large_numbers_are_grouped_in_the_readers_language() -> None:
    actors = tuple(DomainActor(str(i), "food") for i in range(50))
    report = analyze(Network(actors=actors, ties=(Tie("0", "1"),)))
    assert network_sentences(report)["density"] == (
        "Fewer than 1 of every 1,000 possible ties exists (1 of 2,450)."
    )
    with translation.override("es"):
        assert "2\xa0450" in network_sentences(report)["density"]


def _response(share: float) -> ResponseReport:
    return ResponseReport(
        invited_count=100,
        respondent_count=round(share * 100),
        response_share=share,
        non_respondents=(),
        warnings=metric_warnings(share),
    )


def test_response_rules_state_each_threshold_once_strictest_first() -> None:
    rules = response_rules(_response(0.72))
    assert [r["severity"] for r in rules] == ["unreliable", "caution", "caution", "caution"]
    assert rules[0]["text"] == (
        "With fewer than 75% of invited partners answering, bridging, brokers, "
        "centralization and reciprocity can be far off: do not base decisions on them."
    )
    assert [r["text"] for r in rules[1:]] == [
        "With fewer than 85% of invited partners answering, read reach and "
        "well-connected partners with caution.",
        "With fewer than 80% of invited partners answering, read groups with caution.",
        "With fewer than 75% of invited partners answering, read density and ties with caution.",
    ]
    assert response_rules(_response(0.95)) == []


# ---------------------------------------------------------------- the map's data


def test_map_data_is_built_by_the_selector_and_kept_with_the_analysis(demo: Any) -> None:
    backend = caches["default"]
    assert isinstance(backend, LocMemCache)  # the tests' cache, whose keys can be listed
    backend.clear()
    with scope(coalition=demo.a):
        data = selectors.map_data(coalition=demo.a)
        keys = [k for k in backend._cache if ":map:" in str(k)]
        assert len(keys) == 1
        again = selectors.map_data(coalition=demo.a)
        assert again.graph == data.graph
        hospital = next(
            n for n in data.graph["nodes"] if n["name"] == "Capital City Medical Center"
        )
        assert (hospital["family"], hospital["symbol"]) == ("health_care", "circle")
        assert any("connects" in sentence for sentence in hospital["readings"])
        assert {f["id"] for f in data.graph["families"]} >= {"health_care", "community_faith"}
        assert sum(f["count"] for f in data.graph["families"]) == len(data.graph["nodes"])
        # Any change to the network gives new map data: no stale name is ever drawn.
        actor = Actor.objects.get(name="Capital City Medical Center")
        services.update_actor(
            actor=actor, user=None, expected_version=actor.version, name="Capital City Health"
        )
        renamed = selectors.map_data(coalition=demo.a)
    names = {n["name"] for n in renamed.graph["nodes"]}
    assert "Capital City Health" in names and "Capital City Medical Center" not in names


def test_map_data_follows_the_readers_language(demo: Any) -> None:
    with scope(coalition=demo.a), translation.override("es"):
        data = selectors.map_data(coalition=demo.a)
    names = {f["name"] for f in data.graph["families"]}
    assert "Atención médica" in names and "Health care" not in names


def test_the_map_page_passes_its_data_as_json_and_shows_no_notice(demo: Any) -> None:
    html = demo.client_for("resident").get(f"/c/{demo.a.slug}/ecosystem/").content.decode()
    graph = json.loads(
        re.search(r'<script id="network-data" type="application/json">(.*?)</script>', html, re.S)[
            1
        ]  # type: ignore[index]
    )
    options = json.loads(
        re.search(r'<script id="map-options" type="application/json">(.*?)</script>', html, re.S)[1]  # type: ignore[index]
    )
    with scope(coalition=demo.a):
        assert len(graph["nodes"]) == Actor.objects.count()
    assert options["groupBy"] == "none" and options["edgesBy"] == "intensity"
    assert 'style="' not in html and "<script>" not in html
    assert 'id="response-note"' not in html
    assert "scores/#response-note" in html  # the ⚠ marks lead to the one notice


def test_map_settings_come_from_the_address_and_bad_ones_fall_back(demo: Any) -> None:
    client = demo.client_for("viewer")
    html = client.get(
        f"/c/{demo.a.slug}/ecosystem/?group=family&edges=trust&size=betweenness"
    ).content.decode()
    assert '"groupBy": "family"' in html and '"edgesBy": "trust"' in html
    html = client.get(f"/c/{demo.a.slug}/ecosystem/?group=<x>&edges=1&size=id").content.decode()
    assert '"groupBy": "none"' in html and '"sizeBy": "degree"' in html


@pytest.mark.parametrize("page", ["", "missing/", "actors/{pk}/", "power-map/"])
def test_the_response_notice_is_only_on_the_scores_page(demo: Any, page: str) -> None:
    with scope(coalition=demo.a):
        pk = Actor.objects.get(name="Capital City Medical Center").pk
    html = (
        demo.client_for("partner")
        .get(f"/c/{demo.a.slug}/ecosystem/{page.format(pk=pk)}")
        .content.decode()
    )
    assert "can be far off" not in html and 'id="response-note"' not in html


def test_the_scores_page_explains_the_rule_next_to_the_scores(demo: Any) -> None:
    html = demo.client_for("partner").get(f"/c/{demo.a.slug}/ecosystem/scores/").content.decode()
    assert html.count('id="response-note"') == 1
    assert "With fewer than 75% of invited partners answering" in html
    assert "Why: the ties that only a partner who did not answer would have named" in html
    # The notice sits between the headline scores and the table of scores.
    assert html.index('class="eco-headline"') < html.index('id="response-note"')
    assert html.index('id="response-note"') < html.index('class="eco-table"')
    assert "connects" in html  # brokers come with their reading


def test_the_actor_profile_reads_its_scores(demo: Any) -> None:
    with scope(coalition=demo.a):
        pk = Actor.objects.get(name="Capital City Medical Center").pk
    html = (
        demo.client_for("viewer").get(f"/c/{demo.a.slug}/ecosystem/actors/{pk}/").content.decode()
    )
    assert "Capital City Medical Center connects" in html
    assert "Works with" in html and "shortest paths" in html


# ---------------------------------------------------------------- drag-and-drop saves


def _drag(
    client: Any, slug: str, actor: Actor, influence: Any, alignment: Any, version: Any
) -> Any:
    return client.post(
        f"/c/{slug}/ecosystem/power-map/place/",
        {
            f"influence-{actor.pk}": influence,
            f"alignment-{actor.pk}": alignment,
            f"version-{actor.pk}": version,
        },
        HTTP_ACCEPT="application/json",
    )


def test_a_dragged_mark_is_saved_and_answers_its_new_version(world: Any) -> None:
    actor = services.create_actor(coalition=world.a, user=None, name="Clinic", sector_id="food")
    response = _drag(world.client_for("admin"), world.a.slug, actor, 81, 22, actor.version)
    assert response.status_code == 200
    stored = response.json()["positions"][str(actor.pk)]
    with scope(coalition=world.a):
        actor.refresh_from_db()
    assert (actor.influence, actor.alignment) == (81, 22)
    assert stored == {"influence": 81, "alignment": 22, "version": actor.version}


def test_a_stale_drag_is_refused_and_answers_the_first_writers_place(world: Any) -> None:
    actor = services.create_actor(coalition=world.a, user=None, name="Clinic", sector_id="food")
    drawn = actor.version
    services.place_on_power_map(actor=actor, user=None, influence=10, alignment=90)
    response = _drag(world.client_for("admin"), world.a.slug, actor, 80, 20, drawn)
    assert response.status_code == 409
    body = response.json()
    assert "Someone else changed Clinic" in body["error"]
    assert body["positions"][str(actor.pk)]["influence"] == 10
    with scope(coalition=world.a):
        actor.refresh_from_db()
    assert (actor.influence, actor.alignment) == (10, 90)


def test_a_drag_with_bad_numbers_saves_nothing(world: Any) -> None:
    actor = services.create_actor(coalition=world.a, user=None, name="Clinic", sector_id="food")
    response = _drag(world.client_for("admin"), world.a.slug, actor, 180, 20, actor.version)
    assert response.status_code == 400
    assert "Clinic: enter numbers from 0 to 100." in response.json()["error"]
    with scope(coalition=world.a):
        actor.refresh_from_db()
    assert (actor.influence, actor.alignment) == (None, None)


def test_only_the_backbone_may_drag(world: Any) -> None:
    actor = services.create_actor(coalition=world.a, user=None, name="Clinic", sector_id="food")
    for persona in ("partner", "resident", "viewer"):
        response = _drag(world.client_for(persona), world.a.slug, actor, 50, 50, actor.version)
        assert response.status_code == 403
    with scope(coalition=world.a):
        actor.refresh_from_db()
    assert actor.influence is None


def test_the_power_map_draws_names_not_numbers(demo: Any) -> None:
    html = demo.client_for("viewer").get(f"/c/{demo.a.slug}/ecosystem/power-map/").content.decode()
    assert re.search(r'<text class="point-label"[^>]*>Capital City Medical Center</text>', html)
    assert "power_map.js" not in html  # only the backbone can drag
    admin = demo.client_for("admin").get(f"/c/{demo.a.slug}/ecosystem/power-map/").content.decode()
    assert "power_map.js" in admin and 'id="power-options"' in admin
