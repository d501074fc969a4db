"""The command line's reading and JSON contract (in-process; the subprocess runs are in
``funding/tests/test_analyze.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonground.funding.domain.cli import analyze_funding_files
from commonground.funding.domain.errors import FundingError


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_contract_on_a_hand_worked_file(tmp_path: Path) -> None:
    sources = write(
        tmp_path,
        "sources.csv",
        "source,type,amount,start,end\n"
        "Foundation,private_philanthropy,72000,2026-01-15,2026-06-30\n"
        "State,state_grant,72000,2026-01-01,2026-06-01\n"
        "Dues,partner_contribution,72000,2026-01-01,2026-12-31\n"
        "Bank,loan,999999,2026-01-01,2030-12-31\n",
    )
    result = analyze_funding_files(sources, budget="240000", as_of="2026-01")
    assert result == {
        "total": 216000.0,
        "mix": {
            "partner_contribution": pytest.approx(1 / 3),
            "private_philanthropy": pytest.approx(1 / 3),
            "state_grant": pytest.approx(1 / 3),
        },
        "hhi": pytest.approx(1 / 3),
        "largest_source_share": pytest.approx(1 / 3),
        "runway_months": 6,
        "cliff_month": "2026-07",
        "flags": ["most_ending_within_two_years"],
        "grants": None,
    }
    no_budget = analyze_funding_files(sources, as_of="2026-01")
    assert no_budget["runway_months"] is None and no_budget["cliff_month"] is None


def test_grants(tmp_path: Path) -> None:
    sources = write(
        tmp_path, "s.csv", "source,type,amount,start,end\nA,donations,1,2026-01-01,2026-01-31\n"
    )
    grants = write(
        tmp_path,
        "g.csv",
        "recipient,amount,community_led,sector\n"
        "Doulas,3000,yes,community_based_organization\nDoulas,1000,yes,\nHospital,4000,no,hospital\n",
    )
    result = analyze_funding_files(sources, grants, as_of="2026-01")
    # Recipients' totals 4000 and 4000: equal, so Gini 0; half to the community-led group.
    assert result["grants"] == {
        "total": 8000.0,
        "recipients": 2,
        "gini": 0.0,
        "community_led_share": 0.5,
    }


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,donations,-5,2026-01-01,2026-02-01", "s.csv line 2: amount '-5' is negative"),
        ("A,donations,lots,2026-01-01,2026-02-01", "s.csv line 2: amount 'lots' is not a number"),
        ("A,donations,5,2026-03-01,2026-02-01", "s.csv line 2: end 2026-02-01 comes before start"),
        ("A,bake_sale,5,2026-01-01,2026-02-01", "s.csv line 2: type 'bake_sale' is not one of"),
        ("A,donations,5,2026-01-01,", "s.csv line 2: end '' is not a date"),
    ],
)
def test_a_bad_line_is_named(tmp_path: Path, row: str, message: str) -> None:
    sources = write(tmp_path, "s.csv", f"source,type,amount,start,end\n{row}\n")
    with pytest.raises(FundingError) as caught:
        analyze_funding_files(sources)
    assert str(caught.value).startswith(message)


def test_bad_options(tmp_path: Path) -> None:
    sources = write(
        tmp_path, "s.csv", "source,type,amount,start,end\nA,donations,1,2026-01-01,2026-01-31\n"
    )
    with pytest.raises(FundingError, match="YYYY-MM"):
        analyze_funding_files(sources, as_of="January")
    with pytest.raises(FundingError, match="--budget must be more than 0"):
        analyze_funding_files(sources, budget="0")
    missing = write(tmp_path, "m.csv", "source,amount\nA,1\n")
    with pytest.raises(FundingError, match=r"m\.csv line 1: missing column"):
        analyze_funding_files(missing)
