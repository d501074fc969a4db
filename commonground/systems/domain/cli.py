"""``commonground analyze loops``: read a link file, find its loops, return the JSON result.

The file is a CSV with a header naming ``from``, ``to``, ``polarity`` (``+`` or ``-``) and
optionally ``delay`` (``yes``/``no``, empty meaning no). Header names match without regard
to case or surrounding spaces; other columns are ignored. Lines are counted with the
header as line 1. A problem raises ``SystemsError`` naming the line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from commonground.systems.domain.errors import SystemsError
from commonground.systems.domain.loops import POLARITIES, Link, find_loops, loop_counts

REQUIRED = ("from", "to", "polarity")
YES, NO = frozenset({"yes", "y", "true", "1"}), frozenset({"no", "n", "false", "0", ""})


def parse_links(text: str) -> list[Link]:
    """The links of a link file's text.

    >>> parse_links("from,to,polarity,delay\\nA,B,+,yes\\nB,A,-,\\n")
    [Link(source='A', target='B', polarity='+', delay=True), Link(source='B', target='A', polarity='-', delay=False)]
    """
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise SystemsError("line 1: the file is empty; it needs a header with from, to, polarity")
    names = [cell.strip().lower() for cell in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise SystemsError(f"line 1: the header has no column {', '.join(missing)}")
    for name in (*REQUIRED, "delay"):
        if names.count(name) > 1:
            raise SystemsError(f"line 1: the header names the column {name} twice")
    column = {name: names.index(name) for name in names}
    links: list[Link] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            index = column.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        source, target, polarity = cell("from"), cell("to"), cell("polarity")
        if not source:
            raise SystemsError(f"line {line}: the from factor is empty")
        if not target:
            raise SystemsError(f"line {line}: the to factor is empty")
        if polarity not in POLARITIES:
            raise SystemsError(f"line {line}: polarity must be + or -, not {polarity!r}")
        delay = cell("delay").lower()
        if delay not in YES | NO:
            raise SystemsError(f"line {line}: delay must be yes or no, not {cell('delay')!r}")
        pair = (source, target)
        if pair in seen:
            raise SystemsError(
                f"line {line}: the link from {source} to {target} is already on line {seen[pair]}"
            )
        seen[pair] = line
        links.append(Link(source, target, polarity, delay in YES))
    return links


def analyze_links(links: list[Link], *, max_length: int) -> dict[str, Any]:
    """The ``analyze loops`` JSON object for ``links``."""
    if max_length < 1:
        raise SystemsError("--max-length must be at least 1")
    loops = find_loops(links, max_length=max_length, limit=None)
    factors = {link.source for link in links} | {link.target for link in links}
    return {
        "factors": len(factors),
        "links": len(links),
        "loops": [
            {
                "factors": list(loop.factors),
                "length": loop.length,
                "polarity": loop.polarity,
                "delays": loop.delays,
            }
            for loop in loops
        ],
        "loop_counts": loop_counts(loops),
    }


def analyze_links_file(path: str | Path, *, max_length: int) -> dict[str, Any]:
    """Read the link file at ``path`` (UTF-8, a BOM allowed) and analyze it."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SystemsError(f"the file is not UTF-8 text (byte {error.start})") from None
    return analyze_links(parse_links(text), max_length=max_length)
