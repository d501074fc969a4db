"""Files out of the systems app: CSV/Excel tables of factors, links, loops, assets and
commitments (through ``commonground.lib.tabular``, the one safe writer), the system map as
Kumu JSON (elements, connections and loops) and as GraphML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from commonground.lib import tabular
from commonground.measurement import selectors as measurement
from commonground.systems.models import Asset
from commonground.systems.selectors import CommitmentView, SystemMap

TABLES = ("factors", "links", "loops", "assets", "commitments")
TABLE_FORMATS = ("csv", "xlsx")
MAP_FORMATS = ("kumu", "graphml")
POLARITY_WORDS = {"+": "same", "-": "opposite"}


def factor_table(smap: SystemMap) -> tuple[list[str], list[list[Any]]]:
    columns = ["id", "name", "kind", "description", "indicator_code", "indicator", "priority_area",
               "policy", "loops", "version"]  # fmt: skip
    rows = [
        [
            f.pk,
            f.name,
            f.kind,
            f.description,
            f.indicator.code if f.indicator else "",
            f.indicator.label if f.indicator else "",
            f.priority_area.name if f.priority_area else "",
            f.policy.title if f.policy else "",
            smap.counts.get(f.pk, 0),
            f.version,
        ]
        for f in smap.factors
    ]
    return columns, rows


def link_table(smap: SystemMap) -> tuple[list[str], list[list[Any]]]:
    columns = ["id", "from", "to", "polarity", "delay", "evidence", "version"]
    rows = [
        [li.pk, li.source.name, li.target.name, li.polarity, "yes" if li.has_delay else "no",
         li.evidence, li.version]
        for li in smap.links
    ]  # fmt: skip
    return columns, rows


def loop_table(smap: SystemMap) -> tuple[list[str], list[list[Any]]]:
    columns = ["loop", "polarity", "length", "delays", "factors", "large_equity_gaps"]
    rows = [
        [v.code, v.loop.polarity, v.loop.length, v.loop.delays, " → ".join(v.loop.factors),
         " | ".join(v.gap_indicators)]
        for v in smap.loops
    ]  # fmt: skip
    return columns, rows


def asset_table(assets: Sequence[Asset]) -> tuple[list[str], list[list[Any]]]:
    columns = ["id", "name", "category", "county_code", "county", "neighborhood", "latitude",
               "longitude", "named_in_listening_sessions", "ecosystem_actor", "notes"]  # fmt: skip
    rows = [
        [
            a.pk,
            a.name,
            a.category,
            a.county_code,
            measurement.place_name(a.county_code) if a.county_code else "",
            a.neighborhood,
            "" if a.latitude is None else a.latitude,
            "" if a.longitude is None else a.longitude,
            "yes" if a.is_named else "no",
            a.organization.name if a.organization else "",
            a.notes,
        ]
        for a in assets
    ]
    return columns, rows


def commitment_table(views: Sequence[CommitmentView]) -> tuple[list[str], list[list[Any]]]:
    columns = ["institution", "commitment", "measure", "unit", "baseline", "target",
               "target_period", "period", "value", "share_of_way_to_target", "met"]  # fmt: skip
    rows: list[list[Any]] = []
    for view in views:
        c = view.commitment
        head = [c.institution.name, c.kind, c.measure, c.unit, "" if c.baseline is None else c.baseline,
                c.target_value, c.target_period]  # fmt: skip
        if not view.periods:
            rows.append([*head, "", "", "", ""])
        for p in view.periods:
            share = "" if p.share is None else round(p.share, 4)
            rows.append([*head, p.period, p.value, share, "yes" if p.met else "no"])
    return columns, rows


def table_download(
    name: str, file_format: str, columns: list[str], rows: list[list[Any]], slug: str
) -> HttpResponse:
    if file_format == "xlsx":
        content = tabular.write_xlsx([(name, columns, rows)])
    else:
        content = tabular.write_csv(columns, rows)
    return tabular.download(content, f"{slug}-{name}.{file_format}")


def kumu(smap: SystemMap) -> dict[str, Any]:
    """The map as a Kumu JSON blueprint: ``elements`` (label, type, description and the
    linked indicator), ``connections`` (from, to, type = polarity, delay) and ``loops``
    (label, polarity and the loop's connections, by element label)."""
    return {
        "elements": [
            {
                "label": f.name,
                "type": str(f.Kind(f.kind).label),
                "description": f.description,
                "indicator": f.indicator.label if f.indicator else "",
                "priority area": f.priority_area.name if f.priority_area else "",
                "policy": f.policy.title if f.policy else "",
            }
            for f in smap.factors
        ],
        "connections": [
            {
                "from": li.source.name,
                "to": li.target.name,
                "direction": "directed",
                "type": POLARITY_WORDS[li.polarity],
                "polarity": li.polarity,
                "delay": li.has_delay,
                "description": li.evidence,
            }
            for li in smap.links
        ],
        "loops": [
            {
                "label": f"{v.code}: " + " → ".join(v.loop.factors),
                "type": v.loop.polarity,
                "delays": v.loop.delays,
                "elements": list(v.loop.factors),
                "connections": [{"from": a, "to": b} for a, b in v.loop.links()],
            }
            for v in smap.loops
        ],
    }


def kumu_download(smap: SystemMap, slug: str) -> HttpResponse:
    content = json.dumps(kumu(smap), indent=2, ensure_ascii=False).encode()
    return tabular.download(content, f"{slug}-system-map-kumu.json")


def graphml(smap: SystemMap) -> bytes:
    """A directed GraphML document of the map (readable by yEd, Gephi, networkx)."""
    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    keys = (
        ("n_label", "node", "label", "string"),
        ("n_kind", "node", "kind", "string"),
        ("n_loops", "node", "loops", "int"),
        ("e_polarity", "edge", "polarity", "string"),
        ("e_delay", "edge", "delay", "boolean"),
        ("e_evidence", "edge", "evidence", "string"),
    )
    for key, kind, name, type_ in keys:
        ET.SubElement(root, "key", {"id": key, "for": kind, "attr.name": name, "attr.type": type_})
    graph = ET.SubElement(root, "graph", id="system-map", edgedefault="directed")
    for f in smap.factors:
        node = ET.SubElement(graph, "node", id=f"f{f.pk}")
        ET.SubElement(node, "data", key="n_label").text = f.name
        ET.SubElement(node, "data", key="n_kind").text = f.kind
        ET.SubElement(node, "data", key="n_loops").text = str(smap.counts.get(f.pk, 0))
    for li in smap.links:
        edge = ET.SubElement(
            graph, "edge", id=f"l{li.pk}", source=f"f{li.source_id}", target=f"f{li.target_id}"
        )
        ET.SubElement(edge, "data", key="e_polarity").text = li.polarity
        ET.SubElement(edge, "data", key="e_delay").text = "true" if li.has_delay else "false"
        if li.evidence:
            ET.SubElement(edge, "data", key="e_evidence").text = li.evidence
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def graphml_download(smap: SystemMap, slug: str) -> HttpResponse:
    response = tabular.download(graphml(smap), f"{slug}-system-map.graphml")
    response["Content-Type"] = "application/graphml+xml"
    return response
