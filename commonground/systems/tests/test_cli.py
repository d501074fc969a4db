"""``commonground analyze loops``, run as a person runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "commonground.manage", "analyze", "loops", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_analyze_loops_follows_the_json_contract(tmp_path: Path) -> None:
    links = tmp_path / "links.csv"
    links.write_text(
        "from,to,polarity,delay\n"
        "housing instability,stress,+,no\n"
        "stress,chronic illness,+,yes\n"
        "chronic illness,medical debt,+,no\n"
        "medical debt,housing instability,+,no\n"
        "housing instability,rental assistance,+,yes\n"
        "rental assistance,housing instability,-,no\n"
        "wages,stress,+,no\n"
        "Zed,Zed,-,\n",
        encoding="utf-8",
    )
    result = run(str(links), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "factors": 7,
        "links": 8,
        "loops": [
            # Upper-case sorts before lower-case by code point.
            {"factors": ["Zed"], "length": 1, "polarity": "balancing", "delays": 0},
            {"factors": ["housing instability", "rental assistance"], "length": 2,
             "polarity": "balancing", "delays": 1},
            {"factors": ["chronic illness", "medical debt", "housing instability", "stress"],
             "length": 4, "polarity": "reinforcing", "delays": 1},
        ],
        "loop_counts": {
            "Zed": 1, "chronic illness": 1, "housing instability": 2, "medical debt": 1,
            "rental assistance": 1, "stress": 1,
        },
    }  # fmt: skip
    text = run(str(links), "--max-length", "2")  # the 4-link loop is left out
    assert text.returncode == 0
    assert text.stdout.splitlines()[2:] == [
        "loops: 2 (0 reinforcing, 2 balancing)",
        "balancing (1): Zed",
        "balancing (2): housing instability → rental assistance",
    ]


def test_a_bad_file_names_the_line_and_exits_2(tmp_path: Path) -> None:
    links = tmp_path / "links.csv"
    links.write_text("from,to,polarity\na,b,+\nb,a,~\n", encoding="utf-8")
    result = run(str(links), "--json")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: line 3: polarity must be + or -, not '~'"
    links.write_text("from,to,polarity\na,b,+\na,b,-\n", encoding="utf-8")
    result = run(str(links))
    assert (
        result.returncode == 2
        and "line 3: the link from a to b is already on line 2" in result.stderr
    )
    assert run(str(links), "--max-length", "0").returncode == 2
    assert run(str(tmp_path / "missing.csv")).returncode == 2
