"""Pages of the ecosystem map, rendered on the demo ecosystem; the survey link's limits."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from commonground.ecosystem import demo_data, selectors, services
from commonground.ecosystem.models import Actor, SurveyInvitation, Tie


@pytest.fixture
def demo(world: Any) -> Any:
    with scope(coalition=world.a):
        demo_data.seed_river_region(world.a)
    return world


PAGES = [
    "",
    "scores/",
    "missing/",
    "actors/",
    "power-map/",
    "snapshots/",
    "surveys/",
    "import/",
    "ties/new/",
    "actors/new/",
]


@pytest.mark.parametrize("page", PAGES)
def test_demo_pages_render_for_the_backbone(demo: Any, page: str) -> None:
    response = demo.client_for("admin").get(f"/c/{demo.a.slug}/ecosystem/{page}")
    assert response.status_code == 200
    assert "Valley Health Alliance" in response.content.decode()


def test_map_shows_the_response_rate_warning_and_passes_data_to_the_script(demo: Any) -> None:
    html = demo.client_for("viewer").get(f"/c/{demo.a.slug}/ecosystem/").content.decode()
    # The map marks the affected scores and links to the one notice, on the scores page.
    assert "Survey response rate" in html and "scores/#response-note" in html
    assert "can be far off" not in html
    scores = demo.client_for("viewer").get(f"/c/{demo.a.slug}/ecosystem/scores/").content
    assert scores.decode().count('id="response-note"') == 1
    assert "can be far off: do not base decisions on them" in scores.decode()
    assert 'id="network-data"' in html and "Capital City Medical Center" in html
    assert "<script>" not in html and 'style="' not in html


def test_filter_by_sector_recomputes_scores(demo: Any) -> None:
    html = (
        demo.client_for("viewer")
        .get(f"/c/{demo.a.slug}/ecosystem/scores/?sector=faith_community")
        .content.decode()
    )
    assert "Greater Mt. Zion Baptist Church" in html
    assert "Capital City Medical Center" not in html
    assert "recomputed for this part of the network" in html


def test_scores_sort_and_export(demo: Any) -> None:
    client = demo.client_for("partner")
    html = client.get(f"/c/{demo.a.slug}/ecosystem/scores/?sort=name&dir=asc").content.decode()
    assert html.index("Alabama Black Belt Fund") < html.index("Autauga County Health Department")
    csv_response = client.get(f"/c/{demo.a.slug}/ecosystem/scores/?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode("utf-8-sig").splitlines()[0].startswith("actor,sector,ties")
    xlsx = client.get(f"/c/{demo.a.slug}/ecosystem/scores/?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_missing_page_names_the_absent_and_unconnected_sectors(demo: Any) -> None:
    html = demo.client_for("resident").get(f"/c/{demo.a.slug}/ecosystem/missing/").content.decode()
    assert "Tribal nation" in html and "Transportation" in html and "Payer or health plan" in html
    assert "Often left out, and missing here" in html


def test_partner_profile_shows_ties_ratings_and_brokerage(demo: Any) -> None:
    with scope(coalition=demo.a):
        clinic = Actor.objects.get(name="Riverside Community Health Center")
    html = (
        demo.client_for("partner")
        .get(f"/c/{demo.a.slug}/ecosystem/actors/{clinic.pk}/")
        .content.decode()
    )
    assert "Partner profile: results for Riverside Community Health Center" in html
    assert "How others rate it" in html and "Where it brokers" in html and "Its ties" in html


def test_network_exports_parse(demo: Any) -> None:
    import xml.etree.ElementTree as ET

    client = demo.client_for("viewer")
    for fmt in ("graphml", "gexf"):
        response = client.get(f"/c/{demo.a.slug}/ecosystem/export/network/{fmt}/")
        assert response.status_code == 200
        root = ET.fromstring(response.content)  # noqa: S314 (our own output)
        assert root.tag.endswith(fmt)
    edges = client.get(f"/c/{demo.a.slug}/ecosystem/export/network/edges-csv/").content.decode(
        "utf-8-sig"
    )
    with scope(coalition=demo.a):
        network = selectors.build_network(coalition=demo.a)
    assert len(edges.strip().splitlines()) == len(network.ties) + 1
    # Every role may download the data; contacts follow the policy (test_trust.py).
    assert client.get(f"/c/{demo.a.slug}/ecosystem/export/data/xlsx/").status_code == 200


def test_survey_token_page_shows_only_its_own_form(demo: Any) -> None:
    with scope(coalition=demo.a):
        actors = list(Actor.objects.filter(coalition=demo.a)[:3])
    # Coalition B has look-alike actors; the link of A must not show them, nor any score.
    with scope(coalition=demo.b):
        services.create_actor(
            coalition=demo.b, user=None, name="Secret Partner of B", sector_id="food"
        )
    _survey, links = services.create_survey(
        coalition=demo.a, user=None, title="Round 2", actors=actors
    )
    token = links[0][1]
    guest = Client()
    html = guest.get(f"/network-survey/{token}/").content.decode()
    assert actors[1].name in html
    assert "Secret Partner of B" not in html
    assert "Bridging" not in html and "Response rate" not in html and "coalition-nav" not in html
    # The token opens nothing else: not the coalition's pages, not another path.
    assert guest.get(f"/c/{demo.a.slug}/ecosystem/").status_code == 302
    assert guest.get(f"/network-survey/{token[:-2]}xx/").status_code == 410
    assert guest.get(f"/c/{demo.a.slug}/ecosystem/?token={token}").status_code == 302


def test_partner_answers_the_survey_through_the_link_and_the_map_changes(demo: Any) -> None:
    with scope(coalition=demo.a):
        respondent = Actor.objects.get(name="Crisis Line of Central Alabama")
        partner = Actor.objects.get(name="Alabama River Health Plan")
        invitation = SurveyInvitation.objects.get(actor=respondent)
        before = selectors.analyze_coalition(coalition=demo.a).report.response.respondent_count
    token = services.renew_survey_link(invitation=invitation, user=None)
    guest = Client()
    url = f"/network-survey/{token}/"
    step2 = guest.post(url, {"step": "rate", "partner": [str(partner.pk)]})
    assert step2.status_code == 200 and "Step 2 of 2" in step2.content.decode()
    done = guest.post(
        url,
        {
            "step": "submit",
            "partner": [str(partner.pk)],
            f"p{partner.pk}-intensity": "3",
            f"p{partner.pk}-types": ["referrals", "data_sharing"],
            f"p{partner.pk}-frequency": "monthly",
            f"p{partner.pk}-reliability": "4",
            f"p{partner.pk}-openness": "3",
            "contributions": ["expertise"],
        },
    )
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    with scope(coalition=demo.a):
        tie = Tie.objects.get(from_actor=respondent, to_actor=partner, reported_by=respondent)
        assert (
            tie.intensity == 3
            and tie.reliability == 4
            and set(tie.type_ids) == {"referrals", "data_sharing"}
        )
        after = selectors.analyze_coalition(coalition=demo.a).report.response.respondent_count
    assert after == before + 1
    assert guest.get(url).status_code == 410


def test_bad_rating_in_the_survey_form_is_reported_and_nothing_saved(demo: Any) -> None:
    with scope(coalition=demo.a):
        respondent = Actor.objects.get(name="Crisis Line of Central Alabama")
        partner = Actor.objects.get(name="Hope Recovery Center")
        invitation = SurveyInvitation.objects.get(actor=respondent)
        ties = Tie.objects.count()
    token = services.renew_survey_link(invitation=invitation, user=None)
    response = Client().post(
        f"/network-survey/{token}/",
        {
            "step": "submit",
            "partner": [str(partner.pk)],
            f"p{partner.pk}-intensity": "2",
            f"p{partner.pk}-reliability": "7",
        },
    )
    assert response.status_code == 400 and "Hope Recovery Center" in response.content.decode()
    with scope(coalition=demo.a):
        assert Tie.objects.count() == ties


def test_admin_places_actors_on_the_power_map(demo: Any) -> None:
    with scope(coalition=demo.a):
        actor = Actor.objects.get(name="WRRN Community Radio 89.1")
    client = demo.client_for("admin")
    client.post(
        f"/c/{demo.a.slug}/ecosystem/power-map/place/",
        {
            f"influence-{actor.pk}": "12",
            f"alignment-{actor.pk}": "34",
            f"version-{actor.pk}": str(actor.version),
        },
    )
    with scope(coalition=demo.a):
        actor.refresh_from_db()
    assert (actor.influence, actor.alignment) == (12, 34)


def test_snapshot_comparison_lists_ties_gained(demo: Any) -> None:
    html = demo.client_for("viewer").get(f"/c/{demo.a.slug}/ecosystem/snapshots/").content.decode()
    assert (
        "How the network changed" in html and "Ties gained" in html and "Cross-sector share" in html
    )


def test_roadmap_shows_the_ecosystem_steps(demo: Any) -> None:
    html = demo.client_for("viewer").get(f"/c/{demo.a.slug}/").content.decode()
    assert "Map the local health ecosystem" in html
    assert "Hear from partners through the network survey" in html


@pytest.mark.parametrize(
    "page", ["", "scores/", "missing/", "actors/", "power-map/", "snapshots/", "surveys/"]
)
def test_pages_of_an_empty_ecosystem_render(world: Any, page: str) -> None:
    response = world.client_for("admin").get(f"/c/{world.a.slug}/ecosystem/{page}")
    assert response.status_code == 200


def test_one_actor_and_no_ties_render(world: Any) -> None:
    services.create_actor(coalition=world.a, user=None, name="Lonely Pantry", sector_id="food")
    for page in ("", "scores/?format=csv", "missing/"):
        assert (
            world.client_for("viewer").get(f"/c/{world.a.slug}/ecosystem/{page}").status_code == 200
        )
