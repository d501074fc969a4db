import polars as pl
import pytest

from commonground.measurement.domain.fips import (
    FipsError,
    county_fips_expr,
    county_from_parts,
    normalize_county,
    normalize_state,
    normalize_tract,
    normalize_zip,
    place_level,
    unmatched_places,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("01001", "01001"),
        ("1001", "01001"),
        (1001, "01001"),
        (" 56045 ", "56045"),
        ("09110", "09110"),
    ],
)
def test_normalize_county_pads_to_five_characters(given: str | int, expected: str) -> None:
    assert normalize_county(given) == expected


@pytest.mark.parametrize("bad", ["123", "123456", "01A01", "", "03001", "-1001", "1.001"])
def test_normalize_county_rejects_what_is_not_a_county_code(bad: str) -> None:
    with pytest.raises(FipsError):
        normalize_county(bad)


def test_normalize_state_accepts_digits_and_postal_abbreviations() -> None:
    assert [normalize_state(s) for s in ("1", "01", 6, "ny", "00")] == [
        "01",
        "01",
        "06",
        "36",
        "00",
    ]
    with pytest.raises(FipsError, match="not a state"):
        normalize_state("99")


def test_other_place_codes() -> None:
    assert county_from_parts("1", "3") == "01003"
    assert normalize_tract("1001020100") == "01001020100"
    assert normalize_zip("501") == "00501"
    with pytest.raises(FipsError):
        normalize_zip("ABCDE")


def test_place_level_and_unmatched_places_are_reported() -> None:
    assert place_level("01") == "state" and place_level("01001") == "county"
    # CHR 2025 has Connecticut planning regions that PLACES 2022 and SVI 2020 do not.
    assert unmatched_places(["09110", "09001"], {"09001"}) == ["09110"]


def test_county_fips_expr_normalizes_a_column_and_nulls_invalid_codes() -> None:
    frame = pl.DataFrame({"fips": ["1001", "01003", "x", "99001"]})
    assert frame.select(county_fips_expr("fips"))["fips"].to_list() == [
        "01001",
        "01003",
        None,
        None,
    ]
