"""US states and counties by FIPS code: normalizing, validating and naming places.

Names come from the Census cartographic boundaries packaged by us-atlas 3.0.1
(ISC licence, see ``us_places.LICENSE``), plus Connecticut's nine planning
regions (09110-09190), which replaced its counties in 2022 data releases.
Pure Python: no Django.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("us_places.json")
#: Postal abbreviation -> FIPS code of the 50 states, DC and the five inhabited territories.
STATE_ABBREVIATIONS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09",
    "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17",
    "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24",
    "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31",
    "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54",
    "WI": "55", "WY": "56", "AS": "60", "GU": "66", "MP": "69", "PR": "72", "VI": "78",
}  # fmt: skip


class PlaceError(ValueError):
    """A place code that is malformed or names no known US state or county."""


@dataclass(frozen=True, slots=True)
class Place:
    kind: str  # "state" or "county"
    fips: str
    name: str  # "Montgomery, Alabama" for a county


@cache
def _places() -> tuple[dict[str, str], dict[str, str]]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return data["states"], data["counties"]


_DIGITS = re.compile(r"^\d+$")


def normalize_county_fips(raw: str | int) -> str:
    """Return a county FIPS code as five zero-padded digits, or raise ``PlaceError``.

    Integers and 4-digit strings (a leading zero lost by a spreadsheet) are padded.

    >>> normalize_county_fips(1001)
    '01001'
    >>> normalize_county_fips(" 6037 ")
    '06037'
    >>> normalize_county_fips("1001x")
    Traceback (most recent call last):
    ...
    commonground.geo.PlaceError: '1001x' is not a county FIPS code (5 digits, e.g. 01001)
    """
    text = str(raw).strip()
    if not _DIGITS.match(text) or not 4 <= len(text) <= 5:
        raise PlaceError(f"{raw!r} is not a county FIPS code (5 digits, e.g. 01001)")
    return text.zfill(5)


def county(raw: str | int) -> Place:
    """Return the known county for a FIPS code.

    >>> county("01101").name
    'Montgomery, Alabama'
    """
    fips = normalize_county_fips(raw)
    states, counties = _places()
    name = counties.get(fips)
    if name is None:
        raise PlaceError(f"{fips} is not a known US county FIPS code")
    state_name = states.get(fips[:2], "")
    return Place(kind="county", fips=fips, name=f"{name}, {state_name}" if state_name else name)


def state(raw: str | int) -> Place:
    """Return the known state for a 2-digit FIPS code or a postal abbreviation.

    >>> state("al").fips, state("1").name
    ('01', 'Alabama')
    """
    text = str(raw).strip()
    fips = STATE_ABBREVIATIONS.get(text.upper()) if not text.isdigit() else text.zfill(2)
    states, _ = _places()
    if fips is None or len(fips) != 2 or fips not in states:
        raise PlaceError(f"{raw!r} is not a known US state (2-digit FIPS code or abbreviation)")
    return Place(kind="state", fips=fips, name=states[fips])


def county_names() -> dict[str, str]:
    """Every known county FIPS code with its short name."""
    return dict(_places()[1])
