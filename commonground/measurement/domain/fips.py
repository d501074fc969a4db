"""FIPS and other place codes: normalize to one spelling, reject what is not a code.

Counties are 5-character zero-padded strings (``"01001"``), states 2-character
(``"01"``), census tracts 11 characters and ZIP codes 5. The nation, which County
Health Rankings writes as ``00000``/``00,000``, is :data:`NATION` (``"00"``).

Spreadsheet programs drop leading zeros, so a county code of 4 digits and a state
code of 1 digit are padded; anything else that is not all digits of the right
length is rejected with a ``FipsError`` that says what was wrong.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Literal

import polars as pl

from commonground.geo import STATE_ABBREVIATIONS

from .errors import MeasurementError

NATION = "00"

#: State and territory FIPS codes (50 states, DC, American Samoa, Guam, Northern
#: Mariana Islands, Puerto Rico, US Virgin Islands) -> postal abbreviation.
STATE_CODES: dict[str, str] = {code: abbr for abbr, code in STATE_ABBREVIATIONS.items()}
_ABBREVIATIONS = {abbr: code for code, abbr in STATE_CODES.items()}

PlaceType = Literal["county", "state", "tract", "zip"]
PlaceLevel = Literal["nation", "state", "county", "tract", "other"]


class FipsError(MeasurementError):
    """A value is not a place code of the expected kind."""


def _digits(value: str | int, kind: str) -> str:
    if isinstance(value, bool):
        raise FipsError(f"{value!r} is not a {kind} code")
    if isinstance(value, int):
        if value < 0:
            raise FipsError(f"{value!r} is not a {kind} code")
        return str(value)
    text = str(value).strip()
    if not text:
        raise FipsError(f"empty {kind} code")
    if not text.isascii() or not text.isdigit():
        raise FipsError(f"{text!r} is not a {kind} code: it must contain only digits")
    return text


def normalize_state(value: str | int) -> str:
    """Return the 2-character state FIPS code for ``value``.

    Accepts 1-2 digits or a postal abbreviation; ``"00"`` (the nation) is accepted.

    >>> normalize_state("1"), normalize_state(6), normalize_state("ca")
    ('01', '06', '06')
    >>> normalize_state("03")
    Traceback (most recent call last):
    ...
    commonground.measurement.domain.fips.FipsError: '03' is not a state FIPS code
    """
    if isinstance(value, str) and value.strip().upper() in _ABBREVIATIONS:
        return _ABBREVIATIONS[value.strip().upper()]
    text = _digits(value, "state")
    if len(text) > 2:
        raise FipsError(f"{text!r} is not a state code: expected 1 or 2 digits")
    code = text.zfill(2)
    if code != NATION and code not in STATE_CODES:
        raise FipsError(f"{code!r} is not a state FIPS code")
    return code


def normalize_county(value: str | int) -> str:
    """Return the 5-character county FIPS code for ``value`` (4 digits are zero-padded).

    The first two digits must be a state code; ``"00000"`` (the nation) and ``SS000``
    (a state) are accepted here, use :func:`place_level` to tell them apart.

    >>> normalize_county("1001"), normalize_county(6037), normalize_county(" 09110 ")
    ('01001', '06037', '09110')
    >>> normalize_county("123")
    Traceback (most recent call last):
    ...
    commonground.measurement.domain.fips.FipsError: '123' is not a county FIPS code: expected 5 digits
    """
    text = _digits(value, "county FIPS")
    if len(text) not in (4, 5):
        raise FipsError(f"{text!r} is not a county FIPS code: expected 5 digits")
    code = text.zfill(5)
    if code[:2] != NATION and code[:2] not in STATE_CODES:
        raise FipsError(f"{code!r} is not a county FIPS code: {code[:2]!r} is not a state")
    return code


def county_from_parts(state: str | int, county: str | int) -> str:
    """Return the county FIPS code built from separate state and county codes.

    >>> county_from_parts("1", "1"), county_from_parts("01", "000")
    ('01001', '01000')
    """
    state_code = normalize_state(state)
    text = _digits(county, "county")
    if len(text) > 3:
        raise FipsError(f"{text!r} is not a county code: expected up to 3 digits")
    return state_code + text.zfill(3)


def normalize_tract(value: str | int) -> str:
    """Return the 11-character census tract code (10 digits are zero-padded).

    >>> normalize_tract("1001020100")
    '01001020100'
    """
    text = _digits(value, "census tract")
    if len(text) not in (10, 11):
        raise FipsError(f"{text!r} is not a census tract code: expected 11 digits")
    code = text.zfill(11)
    normalize_county(code[:5])
    return code


def normalize_zip(value: str | int) -> str:
    """Return the 5-character ZIP code (3 or 4 digits are zero-padded, ZIP+4 is cut).

    >>> normalize_zip("2134"), normalize_zip("02134-1234")
    ('02134', '02134')
    """
    text = str(value).strip()
    if len(text) == 10 and text[5] == "-":
        text = text[:5]
    text = _digits(text, "ZIP")
    if len(text) not in (3, 4, 5):
        raise FipsError(f"{text!r} is not a ZIP code: expected 5 digits")
    return text.zfill(5)


NORMALIZERS = {
    "county": normalize_county,
    "state": normalize_state,
    "tract": normalize_tract,
    "zip": normalize_zip,
}


def normalize_place(value: str | int, place_type: PlaceType) -> str:
    """Normalize ``value`` as a code of ``place_type``.

    >>> normalize_place("1001", "county")
    '01001'
    """
    try:
        normalizer = NORMALIZERS[place_type]
    except KeyError:
        raise FipsError(f"unknown place type {place_type!r}") from None
    return normalizer(value)


def place_level(code: str) -> PlaceLevel:
    """Say what a normalized code names: the nation, a state, a county or a tract.

    >>> [place_level(c) for c in ("00", "00000", "01", "01000", "01001", "01001020100", "Eastside")]
    ['nation', 'nation', 'state', 'state', 'county', 'tract', 'other']
    """
    if not code.isdigit():
        return "other"
    if code in (NATION, "00000"):
        return "nation"
    if len(code) == 2 or (len(code) == 5 and code.endswith("000")):
        return "state"
    if len(code) == 5:
        return "county"
    if len(code) == 11:
        return "tract"
    return "other"


def county_fips_expr(column: str) -> pl.Expr:
    """Polars expression: the column normalized as county FIPS, null where invalid.

    Use it to normalize a whole column at once; rows where the result is null and the
    input was not are the invalid ones.
    """
    text = pl.col(column).cast(pl.String).str.strip_chars()
    padded = text.str.zfill(5)
    valid = text.str.contains(r"^\d{4,5}$") & padded.str.slice(0, 2).is_in([*STATE_CODES, NATION])
    return pl.when(valid).then(padded).otherwise(None)


def unmatched_places(places: Iterable[str], known: Collection[str]) -> list[str]:
    """Return the places not in ``known``, sorted, so a join never drops them silently.

    >>> unmatched_places(["09110", "09001", "01001"], {"09001", "01001"})
    ['09110']
    """
    known_set = set(known)
    return sorted({p for p in places if p not in known_set})
