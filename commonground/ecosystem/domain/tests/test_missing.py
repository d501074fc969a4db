"""Missing sectors and snapshot comparison."""

from __future__ import annotations

import pytest

from commonground.ecosystem.domain.missing import find_core, missing_sectors
from commonground.ecosystem.domain.model import Actor, Network, NetworkError, Tie
from commonground.ecosystem.domain.sectors import POPULATIONS, SECTORS, SECTORS_BY_ID
from commonground.ecosystem.domain.snapshots import compare_snapshots


def test_taxonomy_ids_are_unique_and_bilingual() -> None:
    assert len(SECTORS) == 23 == len(SECTORS_BY_ID)
    assert all(s.name.en and s.name.es for s in SECTORS)
    assert {s.id for s in SECTORS if s.often_missing} == {
        "k12_schools",
        "transportation",
        "faith_community",
        "business_chamber",
        "tribal_nation",
    }
    assert "latinx" in {p.id for p in POPULATIONS if p.often_missing}


def _coalition() -> Network:
    member = frozenset({"coalition_member"})
    return Network(
        actors=(
            Actor("hospital", "hospital_health_system", member),
            Actor("fqhc", "community_health_center", member, frozenset({"latinx"})),
            Actor("pantry", "food"),
            Actor("church", "faith_community"),
            Actor("transit", "transportation"),
            Actor("mystery", "unlisted"),
        ),
        ties=(Tie("hospital", "fqhc"), Tie("pantry", "fqhc"), Tie("church", "transit")),
    )


def test_sectors_are_absent_unconnected_or_connected() -> None:
    report = missing_sectors(_coalition())
    status = {p.id: p.status for p in report.sectors}
    assert report.core_rule == "coalition_members"
    assert status["food"] == "connected"  # tied to a member
    assert status["faith_community"] == "unconnected"  # present, tied only to transit
    assert status["transportation"] == "unconnected"
    assert status["tribal_nation"] == "absent"
    assert {"faith_community", "transportation", "tribal_nation", "k12_schools"} <= set(
        report.flagged
    )
    assert {p.id: p.status for p in report.populations}["latinx"] == "connected"
    assert report.actors_outside_taxonomy == ("mystery",)


def test_without_members_the_core_is_the_main_core_of_the_largest_component() -> None:
    actors = tuple(Actor(x, "food") for x in "abcdxy")
    ties = (Tie("a", "b"), Tie("b", "c"), Tie("a", "c"), Tie("c", "d"), Tie("x", "y"))
    core, rule = find_core(Network(actors=actors, ties=ties))
    assert rule == "main_core" and core == frozenset("abc")
    with pytest.raises(NetworkError):
        find_core(Network(actors=actors), core=["zzz"])


def test_snapshot_comparison_reports_ties_gained_and_lost_and_changes() -> None:
    actors = tuple(Actor(x, s) for x, s in [("a", "food"), ("b", "housing"), ("c", "food")])
    before = Network(
        actors=actors,
        ties=(
            Tie("a", "b", reported_by="a", ratings={"reliability": 2}),
            Tie("a", "c", reported_by="a"),
        ),
    )
    after = Network(
        actors=(*actors, Actor("d", "media")),
        ties=(
            Tie("b", "a", reported_by="b", ratings={"reliability": 4}),
            Tie("b", "c", reported_by="b"),
            Tie("c", "d", reported_by="c"),
        ),
    )
    change = compare_snapshots(before, after, directed=False)
    assert change.ties_gained == (("b", "c"), ("c", "d"))
    assert change.ties_lost == (("a", "c"),)
    assert change.ties_kept_count == 1
    assert change.actors_joined == ("d",)
    assert change.density.difference == pytest.approx(3 / 6 - 2 / 3)
    assert change.trust.difference == pytest.approx(2.0)
    assert change.cross_sector_share.before == pytest.approx(0.5)
    assert change.cross_sector_share.after == pytest.approx(1.0)
    directed = compare_snapshots(before, after, directed=True)
    assert ("b", "a") in directed.ties_gained and ("a", "b") in directed.ties_lost
