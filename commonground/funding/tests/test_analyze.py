"""``commonground analyze funding`` run as a person runs it: a subprocess with real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SOURCES = (
    "source,type,amount,start,end\n"
    "Founding donation,private_philanthropy,600000,2025-01-01,2026-12-31\n"
    "HIE members,hie_fees,350000,2025-01-01,2026-12-31\n"
    "Donors,donations,50000,2025-01-01,2026-12-31\n"
    "Revolving fund,loan,1700000,2025-01-01,2029-12-31\n"
)
GRANTS = "recipient,amount,community_led,sector\n" + "".join(
    f"Group {i},1000,yes,community_based_organization\n" for i in range(5)
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "commonground.manage", "analyze", "funding", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_the_json_contract(tmp_path: Path) -> None:
    sources, grants = tmp_path / "sources.csv", tmp_path / "grants.csv"
    sources.write_text(SOURCES)
    grants.write_text(GRANTS)
    result = run(
        str(sources), "--grants", str(grants), "--budget", "480000", "--as-of", "2026-01", "--json"
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # The loan is not revenue: $1,000,000 in all, 60/35/5, HHI 0.485. $1,000,000 over 24
    # months is $41,667 a month ≥ $40,000 (a twelfth of $480,000) through December 2026.
    assert report == {
        "total": 1000000.0,
        "mix": {"donations": 0.05, "hie_fees": 0.35, "private_philanthropy": 0.6},
        "hhi": 0.485,
        "largest_source_share": 0.6,
        "runway_months": 12,
        "cliff_month": "2027-01",
        "flags": ["most_from_one_source", "most_ending_within_two_years"],
        "grants": {"total": 5000.0, "recipients": 5, "gini": 0.0, "community_led_share": 1.0},
    }
    summary = run(str(sources), "--as-of", "2026-01")
    assert summary.returncode == 0 and "hhi: 0.485" in summary.stdout


def test_a_bad_file_names_each_line_and_exits_2(tmp_path: Path) -> None:
    sources = tmp_path / "sources.csv"
    sources.write_text(
        "source,type,amount,start,end\n"
        "X,donations,-1,2026-01-01,2026-01-31\n"
        "Y,donations,ten,2026-01-01,2026-01-31\n"
        "Z,donations,1,2026-02-01,2026-01-31\n"
    )
    result = run(str(sources), "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: sources.csv line 2: amount '-1' is negative",
        "sources.csv line 3: amount 'ten' is not a number",
        "sources.csv line 4: end 2026-01-31 comes before start 2026-02-01",
    ]
