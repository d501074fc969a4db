"""Pages, exports and the API, as members use them."""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx
import openpyxl
import pytest
from django.urls import reverse
from django_scopes import scope

from commonground.reports.registry import Period, get_section
from commonground.systems.models import CausalLink, Factor
from commonground.systems.tests.conftest import Map

SLUG = "valley-a"


def url(name: str, *args: Any) -> str:
    return reverse(f"systems:{name}", args=[SLUG, *args])


def test_every_page_renders_for_a_viewer_and_shows_the_loops(world: Any, housing_map: Map) -> None:
    client = world.client_for("viewer")
    page = client.get(url("map")).content.decode()
    assert "2 feedback loops of up to 8 links: 1 reinforcing, 1 balancing." in page
    assert 'id="system-data"' in page and "Add a factor" not in page  # viewers do not edit
    loops = client.get(url("loops")).content.decode()
    assert (
        "Chronic illness → Medical debt → Housing instability → Stress → Chronic illness" in loops
    )
    for name in ("assets", "anchors"):
        assert client.get(url(name)).status_code == 200


def test_a_script_in_a_factor_name_is_escaped(world: Any, housing_map: Map) -> None:
    client = world.client_for("resident")
    response = client.post(
        url("factor_new"), {"name": "<script>alert(1)</script>", "kind": "condition"}
    )
    assert response.status_code == 302
    page = client.get(url("map")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_link_form_refuses_another_coalitions_factor(world: Any, housing_map: Map) -> None:
    from commonground.systems import services

    with scope(coalition=world.b):
        foreign = services.create_factor(coalition=world.b, actor=None, name="B factor")
    client = world.client_for("partner")
    response = client.post(
        url("link_new"),
        {"source": housing_map.factors["Stress"].pk, "target": foreign.pk, "polarity": "+"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with scope(coalition=world.a):
        assert CausalLink.objects.count() == len(housing_map.links)


def test_a_stale_form_gets_409_and_keeps_the_first_save(world: Any, housing_map: Map) -> None:
    factor = housing_map.factors["Stress"]
    client = world.client_for("partner")
    data = {"name": "Stress", "kind": "condition", "description": "First", "version": 1}
    assert client.post(url("factor_edit", factor.pk), data).status_code == 302
    data["description"] = "Second"
    response = client.post(url("factor_edit", factor.pk), data)
    assert response.status_code == 409
    assert "Someone else saved this record" in response.content.decode()
    with scope(coalition=world.a):
        assert Factor.objects.get(pk=factor.pk).description == "First"


def test_kumu_export_has_elements_connections_and_loops(world: Any, housing_map: Map) -> None:
    response = world.client_for("viewer").get(url("export", "map", "kumu"))
    assert response["Content-Disposition"].startswith("attachment;")
    blueprint = json.loads(response.content)
    assert set(blueprint) == {"elements", "connections", "loops"}
    assert len(blueprint["elements"]) == 7 and len(blueprint["connections"]) == 8
    balancing = blueprint["loops"][0]
    assert balancing["type"] == "balancing" and balancing["delays"] == 1
    assert balancing["connections"] == [
        {"from": "CHW outreach", "to": "Chronic illness"},
        {"from": "Chronic illness", "to": "CHW outreach"},
    ]
    opposite = next(c for c in blueprint["connections"] if c["from"] == "CHW outreach")
    assert (opposite["type"], opposite["delay"]) == ("opposite", True)


def test_graphml_export_reads_back_in_networkx(world: Any, housing_map: Map) -> None:
    response = world.client_for("viewer").get(url("export", "map", "graphml"))
    graph = nx.read_graphml(io.BytesIO(response.content))
    assert graph.number_of_nodes() == 7 and graph.number_of_edges() == 8
    labels = {data["label"]: node for node, data in graph.nodes(data=True)}
    edge = graph.edges[labels["CHW outreach"], labels["Chronic illness"]]
    assert edge["polarity"] == "-" and edge["delay"] is True
    assert len(list(nx.simple_cycles(graph))) == 2


def test_table_exports_in_csv_and_excel(world: Any, housing_map: Map) -> None:
    client = world.client_for("viewer")
    loops = client.get(url("export", "loops", "csv")).content.decode("utf-8-sig").splitlines()
    assert loops[0] == "loop,polarity,length,delays,factors,large_equity_gaps"
    assert loops[1].startswith("B1,balancing,2,1,")
    book = openpyxl.load_workbook(io.BytesIO(client.get(url("export", "links", "xlsx")).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "from", "to", "polarity") and len(rows) == 9
    assert client.get(url("export", "nothing", "csv")).status_code == 404


def test_api_creates_links_refuses_bad_ones_and_answers_409_when_stale(
    world: Any, housing_map: Map
) -> None:
    from commonground.systems import services

    client = world.client_for("resident")
    base = f"/api/coalitions/{SLUG}/systems"
    stress, death = housing_map.factors["Stress"], housing_map.factors["Early death"]
    bad = client.post(
        f"{base}/links",
        {"from_id": death.pk, "to_id": stress.pk, "polarity": "*"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "polarity" in bad.json()["detail"]
    with scope(coalition=world.b):
        foreign = services.create_factor(coalition=world.b, actor=None, name="Elsewhere")
    cross = client.post(
        f"{base}/links",
        {"from_id": death.pk, "to_id": foreign.pk, "polarity": "+"},
        content_type="application/json",
    )
    assert cross.status_code == 422 and "to_id" in cross.json()["detail"]
    made = client.post(
        f"{base}/links",
        {"from_id": death.pk, "to_id": stress.pk, "polarity": "+", "evidence": "Grief"},
        content_type="application/json",
    )
    assert made.status_code == 201
    loops = client.get(f"{base}/loops?max_length=3").json()
    assert [(lp["code"], lp["factors"]) for lp in loops["loops"]] == [
        ("B1", ["CHW outreach", "Chronic illness"]),
        ("R1", ["Chronic illness", "Early death", "Stress"]),
    ]
    assert loops["loop_counts"] == {
        "CHW outreach": 1,
        "Chronic illness": 2,
        "Early death": 1,
        "Stress": 1,
    }
    link_id = made.json()["id"]
    ok = client.patch(
        f"{base}/links/{link_id}", {"version": 1, "delay": True}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["delay"] is True
    stale = client.patch(
        f"{base}/links/{link_id}", {"version": 1, "polarity": "-"}, content_type="application/json"
    )
    assert stale.status_code == 409
    with scope(coalition=world.a):
        assert CausalLink.objects.get(pk=link_id).polarity == "+"


def test_api_assets_and_commitments(world: Any, housing_map: Map) -> None:
    client = world.client_for("partner")
    base = f"/api/coalitions/{SLUG}/systems"
    asset = client.post(
        f"{base}/assets",
        {
            "name": "Oak Park",
            "category": "park",
            "county_code": "01101",
            "latitude": 32.36,
            "longitude": -86.29,
        },
        content_type="application/json",
    )
    assert asset.status_code == 201, asset.content
    commitment = client.post(
        f"{base}/commitments",
        {"institution_id": housing_map.hospital.pk, "kind": "local_purchasing", "measure": "Local spend",
         "unit": "$ million", "baseline": 4, "target": 10, "target_period": "2027"},
        content_type="application/json",
    )  # fmt: skip
    assert commitment.status_code == 201, commitment.content
    progress = client.post(
        f"{base}/commitments/{commitment.json()['id']}/progress",
        {"period": "2025", "value": 7},
        content_type="application/json",
    )
    # (7 − 4) / (10 − 4) = 0.5
    assert progress.json()["progress"] == [
        {"period": "2025", "value": 7.0, "share_of_way_to_target": 0.5, "met": False}
    ]
    resident = world.client_for("resident")
    assert resident.post(f"{base}/commitments/{commitment.json()['id']}/progress", {"period": "2026", "value": 8},
                         content_type="application/json").status_code == 403  # fmt: skip


def test_report_sections_build_plain_json(world: Any, housing_map: Map) -> None:
    import datetime

    period = Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    section = get_section("systems.map")
    assert section is not None
    data = section.build(world.a, period)
    json.dumps(data)
    assert (data["reinforcing"], data["balancing"], data["factors"], data["links"]) == (1, 1, 7, 8)
    anchors = get_section("systems.anchors")
    assert anchors is not None and anchors.build(world.a, period)["commitments"] == []


def test_evidence_of_system_maps_and_root_causes(world: Any, housing_map: Map) -> None:
    from commonground.coalitions import evidence
    from commonground.systems.evidence import systems_evidence

    assert systems_evidence in evidence.registry
    maps, roots = systems_evidence(world.a)
    assert maps.item_id == "transforming_infra_system_maps"
    assert maps.in_place and "7 factors with 2 feedback loops" in maps.summary
    assert roots.item_id == "transforming_infra_root_causes"
    assert roots.in_place and "1 root cause mapped; 5 factors" in roots.summary
    assert list(systems_evidence(world.b)) == []


def test_assets_named_in_sessions_and_the_equity_layer(world: Any) -> None:
    import datetime

    from django.core.exceptions import ValidationError

    from commonground.measurement.models import Indicator, Observation
    from commonground.systems import services
    from commonground.voice.models import ListeningSession

    def session(coalition: Any) -> ListeningSession:
        with scope(coalition=coalition):
            return ListeningSession.objects.create(
                coalition=coalition,
                title="West side listening session",
                held_on=datetime.date(2025, 3, 1),
                place="West side",
                topic="Health",
            )

    ours, theirs = session(world.a), session(world.b)
    with scope(coalition=world.a):
        with pytest.raises(ValidationError, match="listening session belongs to another coalition"):
            services.create_asset(
                coalition=world.a, actor=None, name="Barbershop", category="barbershop_salon",
                county_code="01101", sessions=[theirs],
            )  # fmt: skip
        services.create_asset(
            coalition=world.a, actor=None, name="Barbershop", category="barbershop_salon",
            county_code="01101", sessions=[ours],
        )  # fmt: skip
        poverty = Indicator.objects.create(
            coalition=world.a, code="EP_POV150", name="Poverty", unit="percent", direction="lower"
        )
        Observation.objects.create(
            coalition=world.a, indicator=poverty, place_type="county", place_code="01101",
            period="2016-2020", group="total", value=27.4,
        )  # fmt: skip
    admin = world.client_for("admin")
    response = admin.post(url("asset_layer"), {"indicator": poverty.pk, "group": "total"})
    assert response.status_code == 302
    page = admin.get(url("assets")).content.decode()
    assert "Counties are shaded by Poverty (2016-2020)" in page
    assert "27.4%" in page  # the county's value in the table
    data = json.loads(
        page.split('<script id="asset-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["assets"][0]["named"] is True and data["cells"][0]["value"] == 27.4
    api = admin.get(f"/api/coalitions/{SLUG}/systems/assets").json()
    assert api[0]["session_ids"] == [ours.pk] and api[0]["named_in_sessions"] is True


def test_the_activity_log_says_what_changed_in_plain_words(world: Any, housing_map: Map) -> None:
    page = world.client_for("admin").get(reverse("coalitions:audit", args=[SLUG])).content.decode()
    assert "Added “Stress” to the system map" in page
    assert "Linked “Stress” to “Chronic illness” on the system map" in page
