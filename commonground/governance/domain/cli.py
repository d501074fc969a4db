"""Read a seats CSV for ``commonground analyze governance SEATS.csv``.

The file is UTF-8 CSV (a byte-order mark is allowed) with a header row naming at least
``body``, ``seat``, ``type`` and ``votes``, and optionally ``holder`` (blank = vacant),
``paid`` (yes/no), ``authority`` (decides/recommends/advises; blank = decides) and
``rule`` (``one_vote_per_organization`` or blank). Header names match without regard to
case or surrounding spaces; cells are trimmed; blank rows are skipped. Every problem
raises :class:`GovernanceError` naming the file, the line (header = line 1) and the column.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from commonground.governance.domain.errors import GovernanceError
from commonground.governance.domain.power import (
    AUTHORITIES,
    COMMUNITY_TYPES,
    DEFAULT_TARGET,
    ONE_VOTE_PER_ORGANIZATION,
    SEAT_TYPES,
    PowerReport,
    Seat,
    power_report,
)

REQUIRED = ("body", "seat", "type", "votes")
OPTIONAL = ("holder", "paid", "authority", "rule")
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0", ""})


def parse_seats(text: str, *, name: str = "SEATS.csv") -> list[Seat]:
    """The seats of a CSV text; raises ``GovernanceError`` naming the line and column."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = next(reader)
    except StopIteration:
        raise GovernanceError(f"{name} is empty") from None
    except csv.Error as error:
        raise GovernanceError(f"{name} line 1: {error}") from None
    columns = [h.strip().lower() for h in header]
    for column in REQUIRED:
        if column not in columns:
            raise GovernanceError(f"{name} line 1: the column {column!r} is missing")
    seen_columns: set[str] = set()
    for column in columns:
        if column and column in seen_columns:
            raise GovernanceError(f"{name} line 1: the column {column!r} appears twice")
        seen_columns.add(column)
    index = {c: i for i, c in enumerate(columns)}
    seats: list[Seat] = []
    names: set[tuple[str, str]] = set()
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                raise GovernanceError(
                    f"{name} line {line}: {len(cells)} cells where the header has {len(columns)}"
                )

            def cell(column: str, line: int = line, cells: Sequence[str] = cells) -> str:
                return cells[index[column]].strip() if column in index else ""

            seats.append(_seat(name, line, cell, names))
    except csv.Error as error:
        raise GovernanceError(f"{name} line {reader.line_num}: {error}") from None
    if not seats:
        raise GovernanceError(f"{name} has no seats (only a header)")
    return seats


def _seat(name: str, line: int, cell: object, names: set[tuple[str, str]]) -> Seat:
    get = cell  # a function column -> trimmed text
    assert callable(get)

    def bad(column: str, problem: str) -> GovernanceError:
        return GovernanceError(f"{name} line {line}, column {column}: {problem}")

    body, seat, kind = get("body"), get("seat"), get("type")
    if not body:
        raise bad("body", "the body is empty")
    if not seat:
        raise bad("seat", "the seat is empty")
    if (body, seat) in names:
        raise bad("seat", f"the seat {seat!r} of {body!r} appears twice")
    names.add((body, seat))
    if kind not in SEAT_TYPES:
        raise bad("type", f"{kind!r} is not one of {', '.join(SEAT_TYPES)}")
    raw_votes = get("votes")
    try:
        votes = int(raw_votes)
    except ValueError:
        raise bad("votes", f"{raw_votes!r} is not a whole number") from None
    if votes < 0:
        raise bad("votes", f"{votes} is negative")
    if votes == 0 and kind != "ex_officio":
        raise bad("votes", "only an ex officio seat may have 0 votes")
    paid_text = get("paid").lower()
    if paid_text not in YES | NO:
        raise bad("paid", f"{get('paid')!r} is not yes or no")
    authority = get("authority").lower()
    if authority and authority not in AUTHORITIES:
        raise bad("authority", f"{get('authority')!r} is not one of {', '.join(AUTHORITIES)}")
    rule = get("rule").lower()
    if rule and rule != ONE_VOTE_PER_ORGANIZATION:
        raise bad("rule", f"{get('rule')!r} is not {ONE_VOTE_PER_ORGANIZATION} or blank")
    return Seat(
        body=body,
        seat=seat,
        type=kind,
        votes=votes,
        holder=" ".join(get("holder").split()) or None,
        paid=paid_text in YES,
        authority=authority,
        rule=rule,
    )


def analyze_seats_text(
    text: str,
    *,
    name: str = "SEATS.csv",
    community_types: Sequence[str] = COMMUNITY_TYPES,
    target: float = DEFAULT_TARGET,
) -> PowerReport:
    seats = parse_seats(text, name=name)
    return power_report(seats, community_types=community_types, target=target)


def analyze_seats_file(
    path: str,
    *,
    community_types: Sequence[str] = COMMUNITY_TYPES,
    target: float = DEFAULT_TARGET,
) -> dict[str, object]:
    """The ``--json`` object of ``analyze governance`` for the file at ``path``."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise GovernanceError(f"{path}: not UTF-8 text (byte {error.start})") from None
    if "\x00" in text:
        raise GovernanceError(f"{path}: not a text file")
    return analyze_seats_text(
        text, name=path, community_types=community_types, target=target
    ).as_contract()
