"""Plain-language readings, sector families, symbols and label placement, on hand-worked cases.

The small network used throughout (directions matter for bridging)::

    x ─▶ h ─▶ c ─▶ s        h hospital   c faith community   s K-12 school
         │ └────────▶ s     p, q food    x unknown sector
         └─▶ p ◀─▶ q

Seven directed ties among six actors: density 7 / (6·5) = 0.233 → "23 of every 100".
Two of the seven ties are returned (p⇄q): reciprocity 2/7 = 0.286 → "29 of every 100".
Ties between known sectors: h→c, h→s, h→p, c→s cross sectors, p→q and q→p do not
(x→h has an unknown end and is left out): cross-sector share 4/6 → "67 of every 100".
Undirected degrees 4, 2, 2, 2, 1, 1: centralization Σ(4 − d) / ((n−1)(n−2)) = 12/20 = 0.6,
"high". Shortest paths through h: x→c, x→s, x→p, x→q (4 of the 5·4 = 20 ordered pairs
of others): betweenness 0.2; through p: h→q and x→q, 0.1; nobody else lies between two
others. h's partners come from faith, food and K-12 (its own hospital sector and x's
unknown one left out); faith and K-12 are tied (c→s) but food is tied to neither, so h
connects 3 sectors not otherwise tied, in 2 pairs.
"""

from __future__ import annotations

import doctest
import importlib
import itertools
import random
import re

import pytest

from commonground.ecosystem.domain.families import (
    FAMILIES,
    FAMILY_OF_SECTOR,
    OTHER,
    contrast_with_white,
    family_of,
)
from commonground.ecosystem.domain.labels import Box, Point, _candidates, place_labels
from commonground.ecosystem.domain.model import Actor, Network, Tie
from commonground.ecosystem.domain.network import analyze
from commonground.ecosystem.domain.power import Grid, Placed, corner, draw
from commonground.ecosystem.domain.readings import (
    PerHundred,
    compare_to,
    partners,
    per_hundred,
    read_actors,
    read_network,
    sector_bridges,
)
from commonground.ecosystem.domain.sectors import SECTORS
from commonground.ecosystem.domain.symbols import SYMBOLS, symbol_path


def _network() -> Network:
    return Network(
        actors=(
            Actor("h", "hospital_health_system", name="Hospital"),
            Actor("c", "faith_community", name="Church"),
            Actor("s", "k12_schools", name="School"),
            Actor("p", "food", name="Pantry"),
            Actor("q", "food", name="Garden"),
            Actor("x", None, name="Mystery"),
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


@pytest.mark.parametrize("name", ["readings", "families", "labels", "symbols", "power"])
def test_doctests_pass(name: str) -> None:
    module = importlib.import_module(f"commonground.ecosystem.domain.{name}")
    assert doctest.testmod(module).failed == 0


# ---------------------------------------------------------------- shares and levels


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.12, PerHundred(12, 100)),
        (0.125, PerHundred(13, 100)),  # half rounds up, never down to an even number
        (0.0, PerHundred(0, 100)),
        (1.0, PerHundred(100, 100)),
        (0.005, PerHundred(1, 100)),
        (0.0049, PerHundred(5, 1000)),
        (0.0004, PerHundred(1, 1000, below=True)),
        (1.7, PerHundred(100, 100)),  # out-of-range shares are clamped
    ],
)
def test_per_hundred(share: float, expected: PerHundred) -> None:
    assert per_hundred(share) == expected


def test_compare_to_uses_a_band_around_the_average() -> None:
    assert [compare_to(v, 3.0) for v in (3.16, 3.15, 2.85, 2.84)] == [
        "above",
        "near",
        "near",
        "below",
    ]


# ---------------------------------------------------------------- the network


def test_network_reading_matches_the_hand_worked_numbers() -> None:
    report = analyze(_network())
    reading = read_network(report)
    assert reading.density == PerHundred(23, 100)
    assert reading.possible_tie_count == 30
    assert reading.reciprocity == PerHundred(29, 100)
    assert reading.cross_sector == PerHundred(67, 100)
    assert report.degree_centralization == pytest.approx(0.6)
    assert reading.centralization == "high"
    assert reading.trust is None and reading.value is None
    assert (reading.component_count, reading.isolate_count) == (1, 0)


def test_an_empty_network_reads_without_errors() -> None:
    reading = read_network(analyze(Network(actors=(Actor("a"),), ties=())))
    assert reading.density == PerHundred(0, 100)
    assert reading.possible_tie_count == 0
    assert reading.reciprocity is None and reading.cross_sector is None


# ---------------------------------------------------------------- one actor


def test_partners_count_a_reciprocated_pair_once() -> None:
    found = partners(_network())
    assert found["h"] == {"c", "s", "p", "x"}
    assert found["p"] == {"h", "q"} and found["q"] == {"p"}


def test_sector_bridges_leave_out_the_own_and_unknown_sectors() -> None:
    bridges = sector_bridges(_network())
    hospital = bridges["h"]
    assert hospital.sectors_reached == ("faith_community", "food", "k12_schools")
    assert hospital.pairs == (("faith_community", "food"), ("food", "k12_schools"))
    assert hospital.sectors == ("faith_community", "food", "k12_schools")
    church = bridges["c"]  # hospital and school are tied directly (h→s)
    assert church.sectors_reached == ("hospital_health_system", "k12_schools")
    assert church.sectors == () and church.pairs == ()
    pantry = bridges["p"]  # the garden is in its own sector
    assert pantry.sectors_reached == ("hospital_health_system",) and pantry.sectors == ()
    assert bridges["x"].sectors_reached == ("hospital_health_system",)


def test_a_tie_of_the_actor_itself_never_counts_as_otherwise_tied() -> None:
    # The hospital's own tie to the pantry joins hospital and food, not two of its
    # partners' sectors; adding a church–pantry tie is what closes the faith–food pair.
    closed = Network(
        actors=_network().actors,
        ties=(*_network().ties, Tie("c", "p")),
    )
    hospital = sector_bridges(closed)["h"]
    assert hospital.pairs == (("food", "k12_schools"),)
    assert hospital.sectors == ("food", "k12_schools")


def test_actor_readings_rank_bridging_and_count_partners() -> None:
    network = _network()
    report = analyze(network)
    by_id = {m.id: m for m in report.actors}
    assert by_id["h"].betweenness == pytest.approx(0.2)
    assert by_id["p"].betweenness == pytest.approx(0.1)
    readings = read_actors(network, report)
    hospital = readings["h"]
    assert (hospital.partner_count, hospital.other_count) == (4, 5)
    assert hospital.partner_share == PerHundred(80, 100)
    assert hospital.betweenness == PerHundred(20, 100)
    assert [readings[i].betweenness_rank for i in "hpcsqx"] == [1, 2, 3, 3, 3, 3]
    assert hospital.trust is None and hospital.trust_vs_network is None


def test_trust_is_compared_with_the_network_average() -> None:
    ratings = {"reliability": 4, "mission_support": 4, "open_discussion": 4}
    low = {"reliability": 2, "mission_support": 2, "open_discussion": 2}
    network = Network(
        actors=(Actor("a"), Actor("b"), Actor("c")),
        ties=(
            Tie("a", "b", ratings=ratings, reported_by="a"),
            Tie("b", "c", ratings=low, reported_by="b"),
        ),
    )
    report = analyze(network)
    readings = read_actors(network, report)
    assert report.trust is not None and report.trust.score == pytest.approx(3.0)
    assert readings["b"].trust == "high" and readings["b"].trust_vs_network == "above"
    assert readings["c"].trust == "low" and readings["c"].trust_vs_network == "below"
    assert readings["a"].trust is None


# ---------------------------------------------------------------- families and symbols


def test_every_sector_has_exactly_one_family() -> None:
    assert set(FAMILY_OF_SECTOR) == {s.id for s in SECTORS}
    listed = [sector for family in FAMILIES for sector in family.sector_ids]
    assert len(listed) == len(set(listed)) == len(SECTORS)


@pytest.mark.parametrize(
    ("sector", "family"),
    [
        ("hospital_health_system", "health_care"),
        ("payer_health_plan", "health_care"),
        ("public_health_department", "public_health_government"),
        ("tribal_nation", "public_health_government"),
        ("housing", "social_services_housing"),
        ("food", "social_services_housing"),
        ("early_childhood", "education"),
        ("faith_community", "community_faith"),
        ("resident_group", "community_faith"),
        ("philanthropy", "business_funders"),
        ("life_sciences", "business_funders"),
        ("media", OTHER),
        ("not_a_sector", OTHER),
        (None, OTHER),
    ],
)
def test_family_of(sector: str | None, family: str) -> None:
    assert family_of(sector).id == family


def test_families_are_told_apart_by_colour_and_shape_and_named_in_both_languages() -> None:
    assert len(FAMILIES) == 7
    assert len({f.color for f in FAMILIES}) == 7
    assert sorted(f.symbol for f in FAMILIES) == sorted(SYMBOLS)
    assert all(f.name.en and f.name.es and f.name.en != f.name.es for f in FAMILIES)
    assert family_of("faith_community").name.get("es") == "Comunidad y fe"


def test_family_colours_have_3_to_1_contrast_against_white() -> None:
    # Hand-worked: #767676 is the classic 4.54:1 grey; white is 1:1, black 21:1.
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert min(contrast_with_white(f.color) for f in FAMILIES) >= 3.0


def _polygon_area(path: str) -> float:
    points = [tuple(map(float, p.split(","))) for p in re.findall(r"-?[\d.]+,-?[\d.]+", path)]
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise([*points, points[0]]))
        / 2
    )


@pytest.mark.parametrize("name", [s for s in SYMBOLS if s != "circle"])
def test_each_symbol_has_the_area_asked_for(name: str) -> None:
    # d3's symbols all have the same area for the same size, so no family looks bigger.
    assert _polygon_area(symbol_path(name, 400)) == pytest.approx(400, rel=0.01)


def test_symbol_paths_match_d3() -> None:
    assert symbol_path("square", 100) == "M-5,-5L5,-5L5,5L-5,5Z"
    assert symbol_path("diamond", 64).startswith("M0,-7.44L4.3,0L0,7.44")
    assert symbol_path("unknown", 64) == symbol_path("circle", 64)


# ---------------------------------------------------------------- label placement


def test_a_label_moves_to_the_free_side() -> None:
    points = [Point("a", 50, 50, 4, 30, 10), Point("b", 80, 50, 4, 30, 10)]
    placed = place_labels(points, bounds=Box(0, 0, 200, 100))
    assert placed["a"].anchor == "end"  # its right side would cover b's mark
    assert placed["a"].box == Box(50 - 4 - 3 - 30, 45, 30, 10)
    assert placed["b"].anchor == "start"


def test_labels_stay_inside_the_drawing() -> None:
    placed = place_labels([Point("edge", 195, 50, 4, 30, 10)], bounds=Box(0, 0, 200, 100))
    assert placed["edge"].anchor == "end" and placed["edge"].box.inside(Box(0, 0, 200, 100))
    assert place_labels([Point("wide", 50, 50, 4, 300, 10)], bounds=Box(0, 0, 200, 100)) == {}


def test_random_clouds_get_no_overlapping_labels_and_no_label_is_left_out_needlessly() -> None:
    rng = random.Random(8)
    bounds = Box(0, 0, 400, 300)
    for _ in range(20):
        points = [
            Point(str(i), rng.uniform(10, 390), rng.uniform(10, 290), 4, rng.uniform(20, 90), 12)
            for i in range(60)
        ]
        placed = place_labels(points, bounds=bounds)
        boxes = list(placed.values())
        assert all(not a.box.overlaps(b.box) for a, b in itertools.combinations(boxes, 2)), (
            "two labels overlap"
        )
        marks = {p.id: Box(p.x - 4, p.y - 4, 8, 8) for p in points}
        for label in boxes:
            assert label.box.inside(bounds)
            assert not any(
                label.box.overlaps(mark) for pid, mark in marks.items() if pid != label.id
            )
        # A label is left out only when every one of its spots is blocked.
        for point in points:
            if point.id in placed:
                continue
            for spot in _candidates(point, 3.0):
                box = spot.box
                assert (
                    not box.inside(bounds)
                    or any(box.overlaps(b.box) for b in boxes)
                    or any(box.overlaps(m) for pid, m in marks.items() if pid != point.id)
                ), f"label {point.id} was left out although a spot was free"


# ---------------------------------------------------------------- the power map


def test_power_map_corners_and_positions() -> None:
    grid = Grid(size=560, margin=44)
    assert (grid.x(50), grid.y(50)) == (280.0, 280.0)
    assert corner(50, 49) == "to_engage" and corner(49, 50) == "to_lift"
    marks = draw(
        [
            Placed("1", "Capital City Medical Center", "hospital_health_system", 92, 70),
            Placed("2", "Greater Mt. Zion Baptist Church", "faith_community", 40, 95),
            Placed("3", "Mystery", None, 10, 10),
        ],
        grid,
    )
    assert [(m.x, m.y, m.corner) for m in marks] == [
        (374.4, 81.8, "champions"),
        (492.4, 327.2, "to_lift"),
        (91.2, 468.8, "to_watch"),
    ]
    assert [m.color for m in marks] == [
        family_of(s).color for s in ("hospital_health_system", "faith_community", None)
    ]
    assert all(m.label is not None for m in marks)
    church = marks[1]  # too close to the right edge for a label on its right
    assert church.label is not None and church.label.anchor == "end"
    assert church.label_dx < 0
