"""Analyze a network from CSV files, for ``commonground analyze network EDGES.csv``.

Edges: one row per tie, the two ends in ``tail_id,head_id`` (the layout of the
UserNetR exports in ``shared/data/networks``) or ``source,target`` or
``from,to``; an optional ``weight`` column (or the one named by
``weight_column``); other columns are ignored. Empty and ``NA`` weights count
as missing.

Nodes (optional): an id column ``vertex_id`` or ``id``, an optional name
(``vertex.names`` or ``name``), a ``sector`` column (or the one named by
``sector_column``), and any other columns as attributes. Without a nodes file
the actors are the ends of the ties, in order of first appearance.

Header names match without regard to case or surrounding spaces. Every problem
raises :class:`~.model.NetworkError` naming the file, the line (header = line
1) and the column.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from commonground.ecosystem.domain.model import Actor, Network, NetworkError, Tie
from commonground.ecosystem.domain.network import NetworkReport, analyze

SOURCE_COLUMNS = ("tail_id", "source", "from")
TARGET_COLUMNS = ("head_id", "target", "to")
NODE_ID_COLUMNS = ("vertex_id", "id")
NODE_NAME_COLUMNS = ("vertex.names", "name")
MISSING_VALUES = frozenset({"", "na", "n/a", "nan"})
#: Weights above this overflow the weighted metrics (path lengths, strengths) to infinity.
MAX_WEIGHT = 1e12


class ActorJson(TypedDict):
    id: str
    name: str
    sector: str | None
    degree: int
    in_degree: int
    out_degree: int
    degree_centrality: float
    strength: float
    betweenness: float
    eigenvector: float | None
    closeness: float
    coreness: int
    community: int


class BrokerJson(TypedDict):
    id: str
    betweenness: float
    other_communities_reached: int
    other_sectors_reached: int


class SectorRowJson(TypedDict):
    sector: str
    actors: int
    internal_ties: int
    external_ties: int
    ei_index: float | None


class SectorMixingJson(TypedDict):
    sectors: list[str]
    matrix: list[list[int]]
    internal_ties: int
    external_ties: int
    cross_sector_share: float | None
    ei_index: float | None
    unknown_sector_ties: int
    by_sector: list[SectorRowJson]


class AnalysisJson(TypedDict):
    nodes: int
    ties: int
    directed: bool
    weighted: bool
    density: float
    reciprocity: float | None
    degree_centralization: float
    in_degree_centralization: float | None
    out_degree_centralization: float | None
    components: int
    strong_components: int | None
    largest_component: int
    isolates: list[str]
    communities: int
    community_sizes: list[int]
    modularity: float | None
    betweenness_is_estimate: bool
    closeness_is_estimate: bool
    self_ties_ignored: int
    actors: list[ActorJson]
    brokers: list[BrokerJson]
    sector_mixing: SectorMixingJson | None


@dataclass(frozen=True, slots=True)
class _Table:
    path: Path
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line number, cells)

    def column(self, names: Sequence[str], *, required: bool, what: str) -> int | None:
        for name in names:
            if name in self.header:
                return self.header.index(name)
        if required:
            raise NetworkError(
                f"{self.path.name}: no {what} column (expected one of {', '.join(names)})",
                row=1,
            )
        return None


def _read(path: Path) -> _Table:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise NetworkError(f"{path.name}: the file is empty", row=1)
            names = tuple(h.strip().lower() for h in header)
            rows = []
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(names):
                    raise NetworkError(
                        f"{path.name} line {reader.line_num}: {len(cells)} cells "
                        f"for {len(names)} columns",
                        row=reader.line_num,
                    )
                rows.append((reader.line_num, tuple(c.strip() for c in cells)))
    except OSError as error:
        raise NetworkError(f"cannot read {path}: {error.strerror}") from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise NetworkError(f"{path.name}: not a readable UTF-8 CSV file ({error})") from error
    return _Table(path, names, tuple(rows))


def _cell_error(table: _Table, line: int, column: str, message: str) -> NetworkError:
    return NetworkError(
        f"{table.path.name} line {line}, column {column}: {message}", row=line, column=column
    )


def _read_nodes(path: Path, sector_column: str | None) -> list[Actor]:
    table = _read(path)
    id_at = table.column(NODE_ID_COLUMNS, required=True, what="node id")
    assert id_at is not None
    name_at = table.column(NODE_NAME_COLUMNS, required=False, what="name")
    wanted = (sector_column or "sector").strip().lower()
    sector_at = table.column((wanted,), required=sector_column is not None, what="sector")
    used = {id_at, name_at, sector_at}
    actors: list[Actor] = []
    seen: set[str] = set()
    for line, cells in table.rows:
        actor_id = cells[id_at]
        if not actor_id:
            raise _cell_error(table, line, table.header[id_at], "the node id is empty")
        if actor_id in seen:
            raise _cell_error(table, line, table.header[id_at], f"duplicate node id {actor_id!r}")
        seen.add(actor_id)
        sector = None if sector_at is None else cells[sector_at]
        actors.append(
            Actor(
                id=actor_id,
                sector=None if sector is None or sector.lower() in MISSING_VALUES else sector,
                name="" if name_at is None else cells[name_at],
                attributes={
                    table.header[i]: value for i, value in enumerate(cells) if i not in used
                },
            )
        )
    return actors


def _read_ties(
    path: Path, known: dict[str, Actor] | None, weight_column: str | None
) -> tuple[list[Tie], list[str]]:
    table = _read(path)
    source_at = table.column(SOURCE_COLUMNS, required=True, what="tie source")
    target_at = table.column(TARGET_COLUMNS, required=True, what="tie target")
    assert source_at is not None and target_at is not None
    wanted = (weight_column or "weight").strip().lower()
    weight_at = table.column((wanted,), required=weight_column is not None, what="weight")
    ties: list[Tie] = []
    order: dict[str, None] = {}
    for line, cells in table.rows:
        ends = []
        for at in (source_at, target_at):
            actor_id = cells[at]
            if not actor_id:
                raise _cell_error(table, line, table.header[at], "the actor id is empty")
            if known is not None and actor_id not in known:
                raise _cell_error(
                    table, line, table.header[at], f"{actor_id!r} is not in the nodes file"
                )
            order.setdefault(actor_id)
            ends.append(actor_id)
        weight = None
        if weight_at is not None and cells[weight_at].lower() not in MISSING_VALUES:
            raw = cells[weight_at]
            try:
                weight = float(raw)
            except ValueError:
                weight = math.nan
            if not (math.isfinite(weight) and weight > 0):
                raise _cell_error(
                    table, line, table.header[weight_at], f"{raw!r} is not a positive number"
                )
            if weight > MAX_WEIGHT:
                raise _cell_error(
                    table, line, table.header[weight_at], f"{raw!r} is larger than {MAX_WEIGHT:g}"
                )
        ties.append(Tie(source=ends[0], target=ends[1], weight=weight))
    return ties, list(order)


def read_network_files(
    edges_path: str | Path,
    nodes_path: str | Path | None = None,
    *,
    weight_column: str | None = None,
    sector_column: str | None = None,
) -> tuple[Network, bool]:
    """Return the network in the files and whether its ties carry weights."""
    actors = None
    if nodes_path is not None:
        actors = _read_nodes(Path(nodes_path), sector_column)
    elif sector_column is not None:
        raise NetworkError("a sector column needs a nodes file")
    known = None if actors is None else {a.id: a for a in actors}
    ties, ends = _read_ties(Path(edges_path), known, weight_column)
    if actors is None:
        actors = [Actor(id=actor_id) for actor_id in ends]
    weighted = any(t.weight is not None for t in ties)
    return Network(actors=tuple(actors), ties=tuple(ties)), weighted


def report_json(network: Network, report: NetworkReport) -> AnalysisJson:
    """Return ``report`` as plain JSON-ready data (no NaN, lists not tuples)."""
    names = {a.id: a.name for a in network.actors}
    mixing = report.sector_mixing
    return {
        "nodes": report.actor_count,
        "ties": report.tie_count,
        "directed": report.is_directed,
        "weighted": report.is_weighted,
        "density": report.density,
        "reciprocity": report.reciprocity,
        "degree_centralization": report.degree_centralization,
        "in_degree_centralization": report.in_degree_centralization,
        "out_degree_centralization": report.out_degree_centralization,
        "components": report.component_count,
        "strong_components": report.strong_component_count,
        "largest_component": report.largest_component_size,
        "isolates": list(report.isolates),
        "communities": len(report.communities),
        "community_sizes": [len(c) for c in report.communities],
        "modularity": report.modularity,
        "betweenness_is_estimate": report.betweenness_is_estimate,
        "closeness_is_estimate": report.closeness_is_estimate,
        "self_ties_ignored": report.self_ties_ignored,
        "actors": [
            {
                "id": a.id,
                "name": names[a.id],
                "sector": a.sector,
                "degree": a.degree,
                "in_degree": a.in_degree,
                "out_degree": a.out_degree,
                "degree_centrality": a.degree_centrality,
                "strength": a.strength,
                "betweenness": a.betweenness,
                "eigenvector": a.eigenvector,
                "closeness": a.closeness,
                "coreness": a.coreness,
                "community": a.community,
            }
            for a in report.actors
        ],
        "brokers": [
            {
                "id": b.id,
                "betweenness": b.betweenness,
                "other_communities_reached": b.other_communities_reached,
                "other_sectors_reached": b.other_sectors_reached,
            }
            for b in report.brokers
        ],
        "sector_mixing": None
        if mixing is None
        else {
            "sectors": list(mixing.sectors),
            "matrix": [list(row) for row in mixing.matrix],
            "internal_ties": mixing.internal_tie_count,
            "external_ties": mixing.external_tie_count,
            "cross_sector_share": mixing.cross_sector_share,
            "ei_index": mixing.ei_index,
            "unknown_sector_ties": mixing.unknown_sector_tie_count,
            "by_sector": [
                {
                    "sector": r.sector,
                    "actors": r.actor_count,
                    "internal_ties": r.internal_tie_count,
                    "external_ties": r.external_tie_count,
                    "ei_index": r.ei_index,
                }
                for r in mixing.by_sector
            ],
        },
    }


def analyze_network_files(
    edges_path: str | Path,
    nodes_path: str | Path | None = None,
    *,
    undirected: bool = False,
    weight_column: str | None = None,
    sector_column: str | None = None,
) -> AnalysisJson:
    """Read the CSV files, analyze the network, and return the JSON-ready result.

    The analysis is weighted when the edges carry weights. Raise
    :class:`~.model.NetworkError` naming the line and column of bad input.
    """
    network, weighted = read_network_files(
        edges_path, nodes_path, weight_column=weight_column, sector_column=sector_column
    )
    report = analyze(network, directed=not undirected, weighted=weighted)
    return report_json(network, report)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``analyze network EDGES.csv [--nodes NODES.csv] [--undirected] [--json]``."""
    parser = argparse.ArgumentParser(prog="commonground analyze network")
    parser.add_argument("edges")
    parser.add_argument("--nodes")
    parser.add_argument("--undirected", action="store_true")
    parser.add_argument("--weight", help="weight column of the edges file (default: weight)")
    parser.add_argument("--sector", help="sector column of the nodes file (default: sector)")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    try:
        result = analyze_network_files(
            args.edges,
            args.nodes,
            undirected=args.undirected,
            weight_column=args.weight,
            sector_column=args.sector,
        )
    except NetworkError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2, allow_nan=False))
    else:
        for key in ("nodes", "ties", "density", "reciprocity", "degree_centralization"):
            print(f"{key}: {result[key]}")
        print(f"components: {result['components']}, isolates: {len(result['isolates'])}")
        print(f"communities: {result['communities']}, modularity: {result['modularity']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
