"""``commonground analyze survey`` run as a person runs it: a subprocess with real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "commonground.manage", "analyze", "survey", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_survey_json_contract_with_groups(tmp_path: Path) -> None:
    scales = tmp_path / "scales.csv"
    scales.write_text("item,scale,reverse\nq1,trust,no\nq2,trust,yes\nq3,trust,no\nq4,value,\n")
    rows = ["member,q1,q2,q3,q4"]
    data = {
        "community": [(2, 4, 2, 5)] * 4,
        "partner": [
            (4, 2, 4, 4),
            (5, 1, 4, 5),
            (3, 3, 3, 3),
            (4, 2, 5, 4),
            (4, 1, 4, 4),
            (5, 2, 5, 5),
        ],
        "staff": [(5, 1, 5, 4)] * 7,
    }
    for group, answers in data.items():
        rows += [f"{group},{a},{b},{c},{d}" for a, b, c, d in answers]
    rows.append(",3,,3,3")  # blank group value: in the overall, in no group
    responses = tmp_path / "responses.csv"
    responses.write_text("\n".join(rows) + "\n")
    result = run(str(responses), "--scales", str(scales), "--group", "member", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["respondents"] == 18
    trust = out["scales"][0]
    assert trust["scale"] == "trust" and trust["items"] == ["q1", "q2", "q3"] and trust["n"] == 18
    matrix = np.array(
        [[a, 6 - b, c] for answers in data.values() for a, b, c, _ in answers], dtype=float
    )
    scores = [*matrix.mean(axis=1), 3.0]
    assert trust["mean"] == pytest.approx(np.mean(scores))
    assert trust["sd"] == pytest.approx(np.std(scores, ddof=1))
    k = 3
    alpha = k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))
    assert trust["alpha"] == pytest.approx(alpha)
    assert out["scales"][1]["alpha"] is None  # one item
    groups = out["groups"]
    # community (4) is small; partner (6), the next smallest, is suppressed with it.
    assert groups["community"] == {"n": 4, "suppressed": True, "scales": None}
    assert groups["partner"] == {"n": 6, "suppressed": True, "scales": None}
    assert groups["staff"]["suppressed"] is False
    assert groups["staff"]["scales"] == {"trust": pytest.approx(5.0), "value": 4.0}


def test_bad_file_exits_2_naming_the_line(tmp_path: Path) -> None:
    scales = tmp_path / "scales.csv"
    scales.write_text("item,scale\nq1,trust\n")
    responses = tmp_path / "responses.csv"
    responses.write_text("q1\n3\n7\n")
    result = run(str(responses), "--scales", str(scales), "--json")
    assert result.returncode == 2
    assert "line 3, column 'q1'" in result.stderr
    low = run(str(responses), "--scales", str(scales), "--min-group", "3")
    assert low.returncode == 2 and "below 5" in low.stderr
