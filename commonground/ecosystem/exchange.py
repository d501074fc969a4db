"""Files in and out of the ecosystem map.

Out: the network as GraphML, GEXF or a CSV edge list; actors and ties as CSV or an Excel
workbook laid out like Kumu (``Elements`` with ``Label``; ``Connections`` with ``From`` and
``To``; ``|`` between several values); organizations as Open Referral HSDS records.

In: the same CSV and Excel layouts. An import is all or nothing, and every problem names
the row (the header is row 1) and the column. Re-importing the same file updates the
actors and ties it names instead of duplicating them.

Every CSV and Excel file is written and read through :mod:`commonground.lib.tabular`
(formula-like cells neutralized, sheet titles and file names sanitized, workbooks checked
against ``IMPORT_LIMITS`` before they are read). Contact details go out only to the roles
:mod:`commonground.ecosystem.policy` allows (``with_contacts``).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from commonground import framework
from commonground.coalitions.models import Coalition
from commonground.ecosystem import services
from commonground.ecosystem.domain.ratings import DIMENSION_NAMES
from commonground.ecosystem.domain.sectors import POPULATIONS, SECTORS, SECTORS_BY_ID
from commonground.ecosystem.models import RATING_FIELDS, Actor, Contribution, Tie
from commonground.ecosystem.policy import CONTACT_FIELDS
from commonground.lib import tabular

NETWORK_FORMATS = ("graphml", "gexf", "edges-csv")
DATA_FORMATS = ("actors-csv", "ties-csv", "xlsx", "hsds-json")
MAX_BYTES = 10 * 1024 * 1024
IMPORT_LIMITS = tabular.Limits(
    max_rows=50_000,
    max_columns=200,
    max_cells=2_000_000,
    max_uncompressed_bytes=60 * 1024 * 1024,
    max_zip_entries=2_000,
)
"""An ecosystem map holds hundreds of actors and a few thousand ties: far below these."""
MAX_ERRORS = 20
SEPARATOR = " | "

CONTACT_COLUMNS = ("Contact name", "Contact e-mail", "Contact phone")
ACTOR_COLUMNS = (
    "Label",
    "Type",
    "Sector",
    "Roles",
    "Geographic scale",
    "Community-led",
    "Populations served",
    "Contributions",
    "Coalition member",
    "Influence",
    "Alignment",
    *CONTACT_COLUMNS,
    "Description",
)
TIE_COLUMNS = ("From", "To", "Type", "Intensity", "Frequency", "Reported by", *RATING_FIELDS)
ACTOR_ALIASES = {
    "label": "Label",
    "name": "Label",
    "type": "Type",
    "kind": "Type",
    "sector": "Sector",
    "roles": "Roles",
    "geographic scale": "Geographic scale",
    "scale": "Geographic scale",
    "community-led": "Community-led",
    "community led": "Community-led",
    "populations served": "Populations served",
    "populations": "Populations served",
    "contributions": "Contributions",
    "coalition member": "Coalition member",
    "member": "Coalition member",
    "influence": "Influence",
    "alignment": "Alignment",
    "contact name": "Contact name",
    "contact e-mail": "Contact e-mail",
    "contact email": "Contact e-mail",
    "email": "Contact e-mail",
    "contact phone": "Contact phone",
    "phone": "Contact phone",
    "description": "Description",
    "notes": "Description",
}
TIE_ALIASES = {
    "from": "From",
    "source": "From",
    "to": "To",
    "target": "To",
    "type": "Type",
    "types": "Type",
    "intensity": "Intensity",
    "frequency": "Frequency",
    "reported by": "Reported by",
    **{d: d for d in RATING_FIELDS},
    **{DIMENSION_NAMES[d].en.lower(): d for d in RATING_FIELDS},
}
TRUE = frozenset({"yes", "y", "true", "1", "x", "sí", "si"})
FALSE = frozenset({"", "no", "n", "false", "0"})


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _join(values: Iterable[str]) -> str:
    return SEPARATOR.join(values)


def _lookup(vocabulary: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """id or English label (any case) -> id."""
    table: dict[str, str] = {}
    for value, label in vocabulary:
        table[value.lower()] = value
        table[str(label).lower()] = value
    return table


SECTOR_LOOKUP = _lookup((s.id, s.name.en) for s in SECTORS) | _lookup(
    (s.id, s.name.es) for s in SECTORS
)
ROLE_LOOKUP = _lookup((r.id, r.name.en) for r in framework.ROLES)
POPULATION_LOOKUP = _lookup((p.id, p.name.en) for p in POPULATIONS)
KIND_LOOKUP = _lookup(Actor.Kind.choices) | {"informal place": "informal_place", "group": "group"}
SCALE_LOOKUP = _lookup(Actor.Scale.choices)
CONTRIBUTION_LOOKUP = _lookup(Contribution.choices)
TYPE_LOOKUP = _lookup(Tie.Type.choices)
INTENSITY_LOOKUP = {str(v): v for v in Tie.Intensity.values} | {
    str(label).lower(): value for value, label in Tie.Intensity.choices
}
FREQUENCY_LOOKUP = _lookup(Tie.Frequency.choices)


# ---------------------------------------------------------------- reading files


def read_rows(data: bytes, name: str, *, sheet: str) -> tuple[list[str], list[dict[str, str]]]:
    """Return the header and the rows of a CSV file or of an Excel sheet.

    For a workbook, the sheet named ``sheet`` (e.g. Kumu's ``Elements``) is read when
    present, else the first one. Raise ``ValidationError`` for an unreadable file, with
    the reader's message naming the problem (a damaged workbook, a declared range past
    the limits, a CSV renamed .xlsx…).
    """
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(data, sheet)
    if not name.lower().endswith((".csv", ".txt")):
        raise ValidationError(_("Send a .csv or .xlsx file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The CSV file is not UTF-8 text.")) from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise ValidationError(
            _("The CSV file could not be read: %(problem)s") % {"problem": error}
        ) from None
    if not rows:
        raise ValidationError(_("The file is empty."))
    header = [_cell(h) for h in rows[0]]
    return header, [dict(zip(header, [_cell(c) for c in row], strict=False)) for row in rows[1:]]


def _cell(value: object) -> str:
    """A cell's text; the apostrophe our exports put before formula-like text is dropped."""
    text = "" if value is None else str(value).strip()
    if text.startswith("'") and tabular.is_formula_like(text[1:]):
        return text[1:]
    return text


def _read_xlsx(data: bytes, sheet: str) -> tuple[list[str], list[dict[str, str]]]:
    try:
        book = tabular.read_workbook(data, limits=IMPORT_LIMITS)
    except tabular.TabularError as error:
        raise ValidationError(tabular.describe(error)) from None
    values = book.get(sheet) or next(iter(book.values()))
    if not values or not any(values[0]):
        raise ValidationError(_("The sheet is empty."))
    header = [_cell(c) for c in values[0]]
    return header, [dict(zip(header, [_cell(c) for c in row], strict=False)) for row in values[1:]]


def _normalize(header: Sequence[str], aliases: Mapping[str, str]) -> dict[str, str]:
    """file column -> canonical column."""
    return {h: aliases[h.strip().lower()] for h in header if h.strip().lower() in aliases}


class _Errors:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, row: int, column: str, problem: str) -> None:
        if len(self.messages) < MAX_ERRORS:
            self.messages.append(
                _("Row %(row)d, column “%(column)s”: %(problem)s")
                % {"row": row, "column": column, "problem": problem}
            )

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)


def _canonical(row: Mapping[str, str], columns: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """canonical column -> (file column, value)."""
    return {canon: (col, row.get(col, "") or "") for col, canon in columns.items()}


def _many(
    values: dict[str, tuple[str, str]],
    key: str,
    lookup: Mapping[str, str],
    errors: _Errors,
    row: int,
) -> list[str]:
    column, raw = values.get(key, (key, ""))
    found = []
    for part in _split(raw):
        if part.lower() in lookup:
            found.append(lookup[part.lower()])
        else:
            errors.add(row, column, _("“%(value)s” is not a known value.") % {"value": part})
    return found


def _one(
    values: dict[str, tuple[str, str]],
    key: str,
    lookup: Mapping[str, Any],
    errors: _Errors,
    row: int,
    default: Any = "",
) -> Any:
    column, raw = values.get(key, (key, ""))
    if not raw:
        return default
    if raw.lower() not in lookup:
        errors.add(row, column, _("“%(value)s” is not a known value.") % {"value": raw})
        return default
    return lookup[raw.lower()]


def _flag(values: dict[str, tuple[str, str]], key: str, errors: _Errors, row: int) -> bool:
    column, raw = values.get(key, (key, ""))
    if raw.lower() in TRUE:
        return True
    if raw.lower() not in FALSE:
        errors.add(row, column, _("write yes or no."))
    return False


def _number(
    values: dict[str, tuple[str, str]], key: str, errors: _Errors, row: int, low: int, high: int
) -> int | None:
    column, raw = values.get(key, (key, ""))
    if not raw:
        return None
    try:
        number = int(float(raw))
    except ValueError:
        number = -1
    if not low <= number <= high:
        errors.add(
            row,
            column,
            _("enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high},
        )
        return None
    return number


def parse_actor_rows(
    header: Sequence[str], rows: Sequence[Mapping[str, str]]
) -> list[dict[str, Any]]:
    """Turn actor rows into service arguments; raise one ``ValidationError`` listing problems."""
    columns = _normalize(header, ACTOR_ALIASES)
    errors = _Errors()
    if "Label" not in columns.values():
        raise ValidationError(_("Row 1: the file needs a “Label” (or “Name”) column."))
    if "Sector" not in columns.values():
        raise ValidationError(_("Row 1: the file needs a “Sector” column."))
    parsed = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        values = _canonical(row, columns)
        if not any(v for _c, v in values.values()):
            continue
        column, name = values["Label"]
        name = " ".join(name.split())
        if not name:
            errors.add(number, column, _("the name is empty."))
            continue
        if name.lower() in seen:
            errors.add(
                number,
                column,
                _("“%(name)s” is also on row %(other)d.")
                % {"name": name, "other": seen[name.lower()]},
            )
            continue
        seen[name.lower()] = number
        sector = _one(values, "Sector", SECTOR_LOOKUP, errors, number)
        if not sector:
            errors.add(number, values["Sector"][0], _("the sector is empty."))
        email_column, email = values.get("Contact e-mail", ("Contact e-mail", ""))
        if email and "@" not in email:
            errors.add(
                number, email_column, _("“%(value)s” is not an e-mail address.") % {"value": email}
            )
        parsed.append(
            {
                "name": name[:200],
                "kind": _one(values, "Type", KIND_LOOKUP, errors, number, Actor.Kind.ORGANIZATION),
                "sector_id": sector,
                "role_ids": _many(values, "Roles", ROLE_LOOKUP, errors, number),
                "geographic_scale": _one(
                    values, "Geographic scale", SCALE_LOOKUP, errors, number, Actor.Scale.COUNTY
                ),
                "is_community_led": _flag(values, "Community-led", errors, number),
                "population_ids": _many(
                    values, "Populations served", POPULATION_LOOKUP, errors, number
                ),
                "contribution_ids": _many(
                    values, "Contributions", CONTRIBUTION_LOOKUP, errors, number
                ),
                "is_coalition_member": _flag(values, "Coalition member", errors, number),
                "influence": _number(values, "Influence", errors, number, 0, 100),
                "alignment": _number(values, "Alignment", errors, number, 0, 100),
                "contact_name": values.get("Contact name", ("", ""))[1][:160],
                "contact_email": email,
                "contact_phone": values.get("Contact phone", ("", ""))[1][:40],
                "notes": values.get("Description", ("", ""))[1],
                "_row": number,
            }
        )
    errors.raise_if_any()
    return parsed


@transaction.atomic
def import_actors(
    *, coalition: Coalition, user: Any, header: Sequence[str], rows: Sequence[Mapping[str, str]]
) -> int:
    """Create or update (by name) every actor of the rows; nothing is saved on any error."""
    parsed = parse_actor_rows(header, rows)
    with scope(coalition=coalition):
        existing = {a.name.lower(): a for a in Actor.objects.filter(coalition=coalition)}
        for item in parsed:
            number = item.pop("_row")
            try:
                if item["name"].lower() in existing:
                    services.update_actor(actor=existing[item["name"].lower()], user=user, **item)
                else:
                    services.create_actor(coalition=coalition, user=user, **item)
            except ValidationError as error:
                raise ValidationError(
                    _("Row %(row)d: %(problem)s")
                    % {"row": number, "problem": "; ".join(error.messages)}
                ) from None
    return len(parsed)


@transaction.atomic
def import_ties(
    *, coalition: Coalition, user: Any, header: Sequence[str], rows: Sequence[Mapping[str, str]]
) -> int:
    """Record every tie of the rows (ends named by actor name); nothing is saved on any error."""
    columns = _normalize(header, TIE_ALIASES)
    for required in ("From", "To"):
        if required not in columns.values():
            raise ValidationError(
                _("Row 1: the file needs a “%(column)s” column.") % {"column": required}
            )
    errors = _Errors()
    with scope(coalition=coalition):
        actors = {a.name.lower(): a for a in Actor.objects.filter(coalition=coalition)}
        parsed = []
        for number, row in enumerate(rows, start=2):
            values = _canonical(row, columns)
            if not any(v for _c, v in values.values()):
                continue
            ends = []
            for key in ("From", "To"):
                column, name = values[key]
                actor = actors.get(" ".join(name.split()).lower())
                if actor is None:
                    errors.add(
                        number,
                        column,
                        _("no actor named “%(name)s” is on the map.") % {"name": name},
                    )
                ends.append(actor)
            reporter = None
            column, reporter_name = values.get("Reported by", ("Reported by", ""))
            if reporter_name:
                reporter = actors.get(reporter_name.lower())
                if reporter is None:
                    errors.add(
                        number,
                        column,
                        _("no actor named “%(name)s” is on the map.") % {"name": reporter_name},
                    )
            ratings = {
                d: _number(values, d, errors, number, 1, 4) for d in RATING_FIELDS if d in values
            }
            parsed.append(
                {
                    "row": number,
                    "from_actor": ends[0],
                    "to_actor": ends[1],
                    "type_ids": _many(values, "Type", TYPE_LOOKUP, errors, number),
                    "intensity": _one(
                        values,
                        "Intensity",
                        INTENSITY_LOOKUP,
                        errors,
                        number,
                        Tie.Intensity.COOPERATION,
                    ),
                    "frequency": _one(values, "Frequency", FREQUENCY_LOOKUP, errors, number, ""),
                    "reported_by": reporter,
                    "ratings": ratings,
                }
            )
        errors.raise_if_any()
        for item in parsed:
            number = item.pop("row")
            try:
                services.record_tie(coalition=coalition, user=user, **item)
            except ValidationError as error:
                raise ValidationError(
                    _("Row %(row)d: %(problem)s")
                    % {"row": number, "problem": "; ".join(error.messages)}
                ) from None
    return len(parsed)


def import_file(*, coalition: Coalition, user: Any, what: str, name: str, data: bytes) -> int:
    """Import an uploaded file of actors or ties; return the number of rows imported."""
    if what == "actors":
        header, rows = read_rows(data, name, sheet="Elements")
        return import_actors(coalition=coalition, user=user, header=header, rows=rows)
    header, rows = read_rows(data, name, sheet="Connections")
    return import_ties(coalition=coalition, user=user, header=header, rows=rows)


# ---------------------------------------------------------------- writing files


def actor_columns(*, with_contacts: bool) -> tuple[str, ...]:
    if with_contacts:
        return ACTOR_COLUMNS
    return tuple(c for c in ACTOR_COLUMNS if c not in CONTACT_COLUMNS)


def actor_row(actor: Actor, *, with_contacts: bool) -> list[object]:
    sector = SECTORS_BY_ID.get(actor.sector_id)
    roles = {r.id: r.name.en for r in framework.ROLES}
    populations = {p.id: p.name.en for p in POPULATIONS}
    contacts = [getattr(actor, name) for name in CONTACT_FIELDS] if with_contacts else []
    return [
        actor.name,
        str(Actor.Kind(actor.kind).label),
        sector.name.en if sector else actor.sector_id,
        _join(roles.get(r, r) for r in actor.role_ids),
        actor.geographic_scale,
        "yes" if actor.is_community_led else "no",
        _join(populations.get(p, p) for p in actor.population_ids),
        _join(actor.contribution_ids),
        "yes" if actor.is_coalition_member else "no",
        actor.influence,
        actor.alignment,
        *contacts,
        actor.notes,
    ]


def tie_row(tie: Tie) -> list[object]:
    return [
        tie.from_actor.name,
        tie.to_actor.name,
        _join(tie.type_ids),
        str(Tie.Intensity(tie.intensity).label),
        tie.frequency,
        tie.reported_by.name if tie.reported_by else "",
        *[getattr(tie, d) for d in RATING_FIELDS],
    ]


def table_response(
    table: tuple[Sequence[str], list[list[Any]]], stem: str, file_format: str
) -> HttpResponse:
    header, rows = table
    if file_format == "xlsx":
        return tabular.download(tabular.write_xlsx([("Scores", header, rows)]), f"{stem}.xlsx")
    return tabular.download(tabular.write_csv(header, rows), f"{stem}.csv")


def scores_table(rows: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "actor",
        "sector",
        "ties",
        "named_by_others",
        "named_others",
        "betweenness",
        "closeness",
        "eigenvector",
        "trust",
        "value",
        "community",
    ]
    body = [
        [
            r["name"],
            r["sector"],
            r["degree"],
            r["in_degree"],
            r["out_degree"],
            round(r["betweenness"], 6),
            round(r["closeness"], 6),
            None if r["eigenvector"] is None else round(r["eigenvector"], 6),
            None if r["trust"] is None else round(r["trust"], 3),
            None if r["value"] is None else round(r["value"], 3),
            r["community"],
        ]
        for r in rows
    ]
    return header, body


def data_response(
    coalition: Coalition,
    actors: Sequence[Actor],
    ties: Sequence[Tie],
    file_format: str,
    *,
    with_contacts: bool,
) -> HttpResponse:
    """One data export; contact columns only ``with_contacts`` (the contact policy)."""
    stem = coalition.slug
    columns = actor_columns(with_contacts=with_contacts)
    if file_format == "actors-csv":
        return tabular.download(
            tabular.write_csv(columns, (actor_row(a, with_contacts=with_contacts) for a in actors)),
            f"{stem}-actors.csv",
        )
    if file_format == "ties-csv":
        return tabular.download(
            tabular.write_csv(TIE_COLUMNS, (tie_row(t) for t in ties)), f"{stem}-ties.csv"
        )
    if file_format == "xlsx":
        content = tabular.write_xlsx(
            [
                ("Elements", columns, [actor_row(a, with_contacts=with_contacts) for a in actors]),
                ("Connections", TIE_COLUMNS, [tie_row(t) for t in ties]),
            ]
        )
        return tabular.download(content, f"{stem}-ecosystem.xlsx")
    records = hsds_organizations(coalition, actors, with_contacts=with_contacts)
    return tabular.download(
        json.dumps(records, indent=2, ensure_ascii=False).encode(),
        f"{stem}-hsds-organizations.json",
    )


def hsds_organizations(
    coalition: Coalition, actors: Sequence[Actor], *, with_contacts: bool
) -> list[dict[str, Any]]:
    """Open Referral HSDS 3.0 ``organization`` records, one per actor.

    The ``id`` is a UUID derived from the coalition and actor, stable across exports.
    Without ``with_contacts`` the e-mail, phones and contacts are left empty.
    """
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"commonground:{coalition.slug}")
    records = []
    for actor in actors:
        sector = SECTORS_BY_ID.get(actor.sector_id)
        description = sector.name.en if sector else ""
        if actor.notes:
            description = f"{description}. {actor.notes}" if description else actor.notes
        email = actor.contact_email if with_contacts else ""
        phone = actor.contact_phone if with_contacts else ""
        contact_name = actor.contact_name if with_contacts else ""
        record: dict[str, Any] = {
            "id": str(uuid.uuid5(namespace, str(actor.pk))),
            "name": actor.name,
            "alternate_name": None,
            "description": description,
            "email": email or None,
            "website": None,
            "tax_status": None,
            "year_incorporated": None,
            "legal_status": None,
            "parent_organization_id": None,
            "phones": [{"id": str(uuid.uuid5(namespace, f"phone:{actor.pk}")), "number": phone}]
            if phone
            else [],
            "contacts": [
                {
                    "id": str(uuid.uuid5(namespace, f"contact:{actor.pk}")),
                    "name": contact_name,
                    "email": email or None,
                }
            ]
            if contact_name
            else [],
            "attributes": [
                {"taxonomy_term": {"term": actor.sector_id, "taxonomy": "commonground-sector"}},
            ],
        }
        records.append(record)
    return records


def network_response(
    slug: str,
    analysis: Any,
    file_format: str,
    sector_name: Callable[[str | None], str],
    *,
    with_contacts: bool,
) -> HttpResponse:
    """GraphML, GEXF or CSV edge list of the analyzed network, with scores as attributes.

    Nodes carry the actors' contact details only ``with_contacts`` (the contact policy).
    """
    network = analysis.network
    metrics = {m.id: m for m in analysis.report.actors}
    by_pk = analysis.actors
    nodes = [
        {
            "id": a.id,
            "label": a.name,
            "sector": a.sector or "",
            "degree": metrics[a.id].degree,
            "betweenness": round(metrics[a.id].betweenness, 6),
            "trust": "" if metrics[a.id].trust is None else round(metrics[a.id].trust, 4),
            **{
                name: (getattr(by_pk[int(a.id)], name) if with_contacts else "")
                for name in CONTACT_FIELDS
            },
        }
        for a in network.actors
    ]
    names = {a.id: a.name for a in network.actors}
    edges = [
        {
            "source": t.source,
            "target": t.target,
            "types": "|".join(sorted(t.types)),
            "intensity": t.intensity or "",
            "reported_by": names.get(t.reported_by, "") if t.reported_by else "",
        }
        for t in network.ties
    ]
    if file_format == "edges-csv":
        rows = (
            [
                names[e["source"]],
                names[e["target"]],
                e["source"],
                e["target"],
                e["types"],
                e["intensity"],
                e["reported_by"],
            ]
            for e in edges
        )
        content = tabular.write_csv(
            ["source", "target", "source_id", "target_id", "types", "intensity", "reported_by"],
            rows,
        )
        return tabular.download(content, f"{slug}-edges.csv")
    node_keys = NODE_KEYS + (CONTACT_KEYS if with_contacts else ())
    if file_format == "graphml":
        return _xml_download(graphml(nodes, edges, node_keys), f"{slug}.graphml", "graphml")
    return _xml_download(gexf(nodes, edges, node_keys), f"{slug}.gexf", "gexf")


def _xml_download(content: bytes, filename: str, kind: str) -> HttpResponse:
    response = tabular.download(content, filename)
    response["Content-Type"] = f"application/{kind}+xml"
    return response


NODE_KEYS = (
    ("label", "string"),
    ("sector", "string"),
    ("degree", "int"),
    ("betweenness", "double"),
    ("trust", "double"),
)
CONTACT_KEYS = tuple((name, "string") for name in CONTACT_FIELDS)
EDGE_KEYS = (("types", "string"), ("intensity", "int"), ("reported_by", "string"))


def graphml(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    node_keys: Sequence[tuple[str, str]] = NODE_KEYS,
) -> bytes:
    """A directed GraphML document (readable by Gephi, yEd, igraph and networkx)."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", xmlns=ns)
    for name, kind in node_keys:
        ET.SubElement(
            root, "key", {"id": f"n_{name}", "for": "node", "attr.name": name, "attr.type": kind}
        )
    for name, kind in EDGE_KEYS:
        ET.SubElement(
            root, "key", {"id": f"e_{name}", "for": "edge", "attr.name": name, "attr.type": kind}
        )
    graph = ET.SubElement(root, "graph", id="G", edgedefault="directed")
    for node in nodes:
        element = ET.SubElement(graph, "node", id=f"n{node['id']}")
        for name, _kind in node_keys:
            if node[name] != "":
                ET.SubElement(element, "data", key=f"n_{name}").text = str(node[name])
    for number, edge in enumerate(edges):
        element = ET.SubElement(
            graph, "edge", id=f"e{number}", source=f"n{edge['source']}", target=f"n{edge['target']}"
        )
        for name, _kind in EDGE_KEYS:
            if edge[name] != "":
                ET.SubElement(element, "data", key=f"e_{name}").text = str(edge[name])
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def gexf(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    node_keys: Sequence[tuple[str, str]] = NODE_KEYS,
) -> bytes:
    """A directed GEXF 1.3 document (Gephi's own format)."""
    root = ET.Element("gexf", {"xmlns": "http://gexf.net/1.3", "version": "1.3"})
    meta = ET.SubElement(root, "meta", lastmodifieddate=timezone.localdate().isoformat())
    ET.SubElement(meta, "creator").text = "CommonGround"
    graph = ET.SubElement(root, "graph", defaultedgetype="directed", mode="static")
    node_attributes = ET.SubElement(graph, "attributes", {"class": "node"})
    for index, (name, kind) in enumerate(node_keys[1:]):
        ET.SubElement(
            node_attributes,
            "attribute",
            id=str(index),
            title=name,
            type="integer" if kind == "int" else kind,
        )
    edge_attributes = ET.SubElement(graph, "attributes", {"class": "edge"})
    for index, (name, kind) in enumerate(EDGE_KEYS):
        ET.SubElement(
            edge_attributes,
            "attribute",
            id=str(index),
            title=name,
            type="integer" if kind == "int" else kind,
        )
    node_list = ET.SubElement(graph, "nodes")
    for node in nodes:
        element = ET.SubElement(node_list, "node", id=f"n{node['id']}", label=str(node["label"]))
        values = ET.SubElement(element, "attvalues")
        for index, (name, _kind) in enumerate(node_keys[1:]):
            if node[name] != "":
                ET.SubElement(values, "attvalue", {"for": str(index), "value": str(node[name])})
    edge_list = ET.SubElement(graph, "edges")
    for number, edge in enumerate(edges):
        element = ET.SubElement(
            edge_list,
            "edge",
            id=f"e{number}",
            source=f"n{edge['source']}",
            target=f"n{edge['target']}",
        )
        values = ET.SubElement(element, "attvalues")
        for index, (name, _kind) in enumerate(EDGE_KEYS):
            if edge[name] != "":
                ET.SubElement(values, "attvalue", {"for": str(index), "value": str(edge[name])})
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
