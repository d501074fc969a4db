"""``commonground analyze funding``: read the files, compute with ``core``, build the JSON.

The JSON contract is documented in ``docs/cli.md``. Loans are read and checked like every
other row, but they are never revenue: they are left out of ``total``, ``mix``, ``hhi``,
``largest_source_share``, ``runway_months``, ``cliff_month`` and ``flags``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from commonground.funding.domain import core, months
from commonground.funding.domain.errors import FundingError

MAX_PROBLEMS = 50
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0", ""})


def parse_amount(text: str, *, what: str = "amount") -> Fraction:
    """A non-negative number written plainly (``1500``, ``1500.50``) as an exact fraction."""
    cleaned = text.strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise FundingError(f"{what} {text!r} is not a number") from None
    if not value.is_finite():
        raise FundingError(f"{what} {text!r} is not a number")
    if value < 0:
        raise FundingError(f"{what} {text!r} is negative")
    return Fraction(value)


def _parse_date(text: str, column: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FundingError(f"{column} {text!r} is not a date written as YYYY-MM-DD") from None


def _rows(path: str, required: Sequence[str]) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """The file's name and its rows (line number, lower-cased column → trimmed text)."""
    raw = Path(path).read_bytes()
    name = Path(path).name
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FundingError(f"{name}: the file is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise FundingError(f"{name}: the file is empty")
    columns = [c.strip().lower() for c in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise FundingError(f"{name} line 1: missing column(s) {', '.join(missing)}")
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows.append(
            (
                number,
                {
                    col: (cells[i].strip() if i < len(cells) else "")
                    for i, col in enumerate(columns)
                },
            )
        )
    return name, rows


def read_sources(path: str) -> list[core.Amount]:
    """The amounts of SOURCES.csv (``source,type,amount,start,end``); raise listing every
    bad line (up to 50)."""
    name, rows = _rows(path, ("source", "type", "amount", "start", "end"))
    amounts: list[core.Amount] = []
    problems: list[str] = []
    for number, row in rows:
        try:
            if not row["source"]:
                raise FundingError("source is empty")
            kind = row["type"].strip().lower()
            if kind not in core.KINDS:
                raise FundingError(f"type {row['type']!r} is not one of {', '.join(core.KINDS)}")
            amount = parse_amount(row["amount"])
            start = _parse_date(row["start"], "start")
            end = _parse_date(row["end"], "end")
            if end < start:
                raise FundingError(f"end {end.isoformat()} comes before start {start.isoformat()}")
            amounts.append(
                core.Amount(row["source"], kind, amount, months.of(start), months.of(end))
            )
        except FundingError as error:
            problems.append(f"{name} line {number}: {error}")
    if not rows and not problems:
        problems.append(f"{name}: the file has no sources")
    if problems:
        raise FundingError("\n".join(problems[:MAX_PROBLEMS]))
    return amounts


def read_grants(path: str) -> list[core.Grant]:
    """The grants of GRANTS.csv (``recipient,amount[,community_led][,sector]``)."""
    name, rows = _rows(path, ("recipient", "amount"))
    grants: list[core.Grant] = []
    problems: list[str] = []
    led_of: dict[str, bool] = {}
    for number, row in rows:
        try:
            if not row["recipient"]:
                raise FundingError("recipient is empty")
            amount = parse_amount(row["amount"])
            led_text = row.get("community_led", "").lower()
            if led_text not in YES | NO:
                raise FundingError(f"community_led {row['community_led']!r} is not yes or no")
            led = led_text in YES
            if led_of.setdefault(row["recipient"], led) != led:
                raise FundingError(
                    f"community_led for {row['recipient']!r} differs from an earlier line"
                )
            grants.append(core.Grant(row["recipient"], amount, led, row.get("sector", "")))
        except FundingError as error:
            problems.append(f"{name} line {number}: {error}")
    if problems:
        raise FundingError("\n".join(problems[:MAX_PROBLEMS]))
    return grants


def _number(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def analyze_funding_files(
    sources: str,
    grants: str | None = None,
    *,
    budget: str | None = None,
    as_of: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """The JSON result of ``commonground analyze funding`` (see ``docs/cli.md``)."""
    annual = parse_amount(budget, what="--budget") if budget is not None else None
    if annual is not None and annual == 0:
        raise FundingError("--budget must be more than 0")
    start = months.parse(as_of) if as_of is not None else months.of(today or date.today())
    amounts = read_sources(sources)
    summary = core.summarize(amounts, as_of=start, annual_budget=annual, timeline_months=0)
    result: dict[str, Any] = {
        "total": float(summary.total),
        "mix": {kind: float(share) for kind, share in summary.mix.items()},
        "hhi": _number(summary.hhi),
        "largest_source_share": _number(summary.largest_source_share),
        "runway_months": summary.runway_months,
        "cliff_month": None if summary.cliff_month is None else months.label(summary.cliff_month),
        "flags": summary.flags,
        "grants": None,
    }
    if grants is not None:
        shared = core.distribute(read_grants(grants))
        result["grants"] = {
            "total": float(shared.total),
            "recipients": shared.recipients,
            "gini": _number(shared.gini),
            "community_led_share": _number(shared.community_led_share),
        }
    return result


def summary_lines(result: dict[str, Any]) -> list[str]:
    """The short text printed without ``--json``."""
    lines = [
        f"total: {result['total']:,.2f}",
        "mix: " + ", ".join(f"{k} {v:.1%}" for k, v in result["mix"].items()),
        f"hhi: {result['hhi']}",
        f"largest_source_share: {result['largest_source_share']}",
        f"runway_months: {result['runway_months']}",
        f"cliff_month: {result['cliff_month']}",
        "flags: " + (", ".join(result["flags"]) or "none"),
    ]
    if result["grants"] is not None:
        g = result["grants"]
        lines.append(
            f"grants: {g['total']:,.2f} to {g['recipients']} recipients, gini {g['gini']}, "
            f"community_led_share {g['community_led_share']}"
        )
    return lines
