"""The analysts' command line, run as a person runs it: a subprocess with real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from commonground.lib.paths import shared_data_dir


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "commonground.manage", "analyze", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_analyze_network_on_the_real_dhhs_network_matches_networkx() -> None:
    networks = shared_data_dir() / "networks"
    result = run(
        "network",
        str(networks / "dhhs_edges.csv"),
        "--nodes",
        str(networks / "dhhs_nodes.csv"),
        "--undirected",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    graph = nx.Graph()
    for line in (networks / "dhhs_edges.csv").read_text().splitlines()[1:]:
        tail, head = line.split(",")[:2]
        graph.add_edge(int(tail), int(head))
    assert report["nodes"] == 54 and report["ties"] == graph.number_of_edges() == 447
    assert report["density"] == pytest.approx(nx.density(graph), abs=1e-9)


def test_analyze_equity_follows_the_json_contract(tmp_path: Path) -> None:
    table = tmp_path / "gaps.csv"
    table.write_text(
        "place,period,group,value,numerator\n"
        "A,2022,total,75,\nA,2022,white,76,100\nA,2022,black,72,15\nA,2022,hispanic,80,50\n"
        "B,2022,total,70,\nB,2022,white,71,90\nB,2022,black,66,40\n"
    )
    result = run("equity", str(table), "--benchmark-top", "1", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    first = report["results"][0]
    assert set(first) == {
        "place",
        "period",
        "reference_group",
        "reference_value",
        "index_of_disparity",
        "groups",
    }
    assert first["place"] == "A" and first["reference_group"] == "hispanic"
    # Black has 15 events (< 20): unreliable, so the index of disparity uses white only:
    # |76 - 80| / 80 × 100 = 5.
    assert first["groups"]["black"] == {
        "value": 72.0,
        "reliable": False,
        "difference": -8.0,
        "ratio": 0.9,
    }
    assert first["index_of_disparity"] == pytest.approx(5.0)
    assert report["benchmarks"] == [{"period": "2022", "value": 75.0, "places": ["A"]}]


def test_analyze_equity_names_the_bad_row_and_exits_non_zero(tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("place,period,group,value\nA,2022,total,75\nA,2022,white,seventy\n")
    result = run("equity", str(table), "--json")
    assert result.returncode == 2
    assert "row 3" in result.stderr and "'value'" in result.stderr and "seventy" in result.stderr
    assert result.stdout == ""


def test_analyze_equity_matches_the_reference_group_in_any_case(tmp_path: Path) -> None:
    table = tmp_path / "gaps.csv"
    table.write_text("place,period,group,value\nA,2020,White,70\nA,2020,Black,65\n")
    result = run("equity", str(table), "--reference", "White", "--json")
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)["results"][0]
    assert first["reference_group"] == "white" and first["reference_value"] == 70.0
    assert first["groups"]["black"]["difference"] == -5.0


def test_analyze_equity_refuses_a_reference_group_the_file_does_not_have(tmp_path: Path) -> None:
    table = tmp_path / "gaps.csv"
    table.write_text("place,period,group,value\nA,2020,white,70\nA,2020,black,65\n")
    result = run("equity", str(table), "--reference", "Asian", "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert "'asian' is not a group of this file (its groups: black, white)" in result.stderr


@pytest.mark.parametrize("kind", ["equity", "network"])
def test_analyze_names_a_path_that_is_not_a_readable_file(kind: str, tmp_path: Path) -> None:
    result = run(kind, str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr


def test_analyze_network_refuses_weights_that_would_overflow(tmp_path: Path) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target,weight\na,b,1e308\nb,c,1e308\n")
    result = run("network", str(edges), "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert "line 2, column weight: '1e308' is larger than 1e+12" in result.stderr
