"""Months as plain integers (``year * 12 + month - 1``), so spans and steps are arithmetic.

>>> label(index(2026, 11) + 2)
'2027-01'
"""

from __future__ import annotations

import re
from datetime import date

from commonground.funding.domain.errors import FundingError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def index(year: int, month: int) -> int:
    """The month's integer: consecutive months differ by one."""
    return year * 12 + month - 1


def of(day: date) -> int:
    """The integer of the month ``day`` falls in."""
    return index(day.year, day.month)


def label(month: int) -> str:
    """``YYYY-MM`` for a month integer."""
    year, rest = divmod(month, 12)
    return f"{year:04d}-{rest + 1:02d}"


def first_day(month: int) -> date:
    year, rest = divmod(month, 12)
    return date(year, rest + 1, 1)


def parse(text: str) -> int:
    """The month integer of ``YYYY-MM``; raise ``FundingError`` for anything else.

    >>> label(parse("2026-03"))
    '2026-03'
    """
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise FundingError(f"{text!r} is not a month written as YYYY-MM")
    return index(int(found.group(1)), int(found.group(2)))
