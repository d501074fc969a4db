"""The CSV entry point on the real files and on malformed ones."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pytest

from commonground.ecosystem.domain.cli import analyze_network_files, main
from commonground.ecosystem.domain.model import NetworkError
from commonground.lib.paths import shared_data_dir

NETWORKS = shared_data_dir() / "networks"


def _nx_from_files(name: str) -> nx.Graph:
    graph = nx.Graph()
    nodes = (NETWORKS / f"{name}_nodes.csv").read_text().splitlines()[1:]
    graph.add_nodes_from(line.split(",")[0] for line in nodes)
    for line in (NETWORKS / f"{name}_edges.csv").read_text().splitlines()[1:]:
        tail, head = line.split(",")[:2]
        graph.add_edge(tail, head)
    return graph


def test_lhds_files_give_networkx_values() -> None:
    result = analyze_network_files(
        NETWORKS / "lhds_edges.csv", NETWORKS / "lhds_nodes.csv", undirected=True
    )
    graph = _nx_from_files("lhds")
    assert (result["nodes"], result["ties"]) == (1283, 2708)
    assert math.isclose(result["density"], nx.density(graph), abs_tol=1e-9)
    assert result["components"] == nx.number_connected_components(graph)
    assert set(result["isolates"]) == set(nx.isolates(graph))
    betweenness = nx.betweenness_centrality(graph)
    assert all(
        math.isclose(a["betweenness"], betweenness[a["id"]], abs_tol=1e-6) for a in result["actors"]
    )
    assert result["sector_mixing"] is None  # no sector column in the file
    json.dumps(result, allow_nan=False)


def test_dhhs_files_with_collab_weights_and_agency_as_sector() -> None:
    result = analyze_network_files(
        NETWORKS / "dhhs_edges.csv",
        NETWORKS / "dhhs_nodes.csv",
        undirected=True,
        weight_column="collab",
        sector_column="agency",
    )
    assert result["weighted"] and not result["directed"]
    assert result["sector_mixing"] is not None
    mixing = result["sector_mixing"]
    assert mixing["internal_ties"] + mixing["external_ties"] == 447
    assert {a["name"] for a in result["actors"]} >= {"ACF-1", "CDC-6"}
    json.dumps(result, allow_nan=False)


def test_generic_source_target_headers_without_nodes(tmp_path: Path) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text("Source, Target ,weight\nA,B,2\nB,C,\nC,A,NA\n")
    result = analyze_network_files(edges)
    assert (result["nodes"], result["ties"], result["directed"]) == (3, 3, True)
    assert result["reciprocity"] == 0.0


def test_main_prints_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target\na,b\n")
    assert main([str(edges), "--undirected", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ties"] == 1
    assert main([str(tmp_path / "missing.csv")]) == 2


@pytest.mark.parametrize(
    ("edges", "nodes", "row", "column", "message"),
    [
        ("", None, 1, None, "empty"),
        ("a,b\n1,2\n", None, 1, None, "no tie source column"),
        ("source,target\n1\n", None, 2, None, "1 cells for 2 columns"),
        ("source,target,weight\n1,2,heavy\n", None, 2, "weight", "not a positive number"),
        ("source,target,weight\n1,2,-1\n", None, 2, "weight", "not a positive number"),
        ("source,target\n1,\n", None, 2, "target", "empty"),
        ("tail_id,head_id\n1,2\n1,9\n", "vertex_id\n1\n2\n", 3, "head_id", "'9' is not in"),
        ("source,target\n1,2\n", "name\nx\n", 1, None, "no node id column"),
        ("source,target\n1,2\n", "id\n1\n1\n", 3, "id", "duplicate node id"),
    ],
)
def test_malformed_files_raise_one_error_naming_row_and_column(
    tmp_path: Path, edges: str, nodes: str | None, row: int, column: str | None, message: str
) -> None:
    edges_path = tmp_path / "edges.csv"
    edges_path.write_text(edges)
    nodes_path = None
    if nodes is not None:
        nodes_path = tmp_path / "nodes.csv"
        nodes_path.write_text(nodes)
    with pytest.raises(NetworkError, match=message) as caught:
        analyze_network_files(edges_path, nodes_path)
    assert caught.value.row == row
    assert caught.value.column == column


def test_missing_weight_or_sector_column_is_named(tmp_path: Path) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_text("source,target\n1,2\n")
    with pytest.raises(NetworkError, match="no weight column"):
        analyze_network_files(edges, weight_column="collab")
    with pytest.raises(NetworkError, match="needs a nodes file"):
        analyze_network_files(edges, sector_column="agency")


def test_unreadable_file_raises_network_error(tmp_path: Path) -> None:
    edges = tmp_path / "edges.csv"
    edges.write_bytes(b"source,target\n\xff\xfe,1\n")
    with pytest.raises(NetworkError, match="UTF-8"):
        analyze_network_files(edges)
