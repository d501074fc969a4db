"""``commonground analyze governance``, run as a person runs it: a subprocess on real files."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

KEYS = [
    "body",
    "seats",
    "vacant",
    "votes",
    "community_share",
    "community_share_filled",
    "largest_holder_share",
    "paid_community_share",
    "below_target",
    "duplicate_holders",
]

# WSU's planning committee (8 residents, 4 institutional, 2 government, 2 citywide nonprofit
# leaders), its executive leadership council (6 executives, 6 community seats, 4 of them
# vacant), and an advisory group that does not decide.
SEATS = (
    "body,seat,type,votes,holder,paid,authority,rule\n"
    + "".join(
        f"Planning committee,R{i},resident,1,Resident {i},yes,decides,\n" for i in range(1, 9)
    )
    + "".join(
        f"Planning committee,I{i},institution,1,Hospital {i},no,decides,\n" for i in range(1, 5)
    )
    + "Planning committee,G1,government,1,City health department,no,decides,\n"
    + "Planning committee,G2,government,1,County,no,decides,\n"
    + "Planning committee,N1,community_organization,1,Citywide United Way,no,decides,\n"
    + "Planning committee,N2,community_organization,1,Citywide Urban League,no,decides,\n"
    + "".join(f"Executive council,E{i},institution,1,Health system {i},,,\n" for i in range(1, 7))
    + "Executive council,C1,resident,1,Ana,yes,,\n"
    + "Executive council,C2,resident,1,Ben,yes,,\n"
    + "".join(f"Executive council,C{i},resident,1,,yes,,\n" for i in range(3, 7))
    + "Housing group,H1,community_organization,1,Housing Partnership,no,advises,one_vote_per_organization\n"
    + "Housing group,H2,community_organization,1,Housing Partnership,no,advises,one_vote_per_organization\n"
    + "Housing group,X,ex_officio,0,Mayor,no,advises,one_vote_per_organization\n"
)


def command(*args: str) -> tuple[int, str, str]:
    """The same command in this process (faster): exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("analyze", "governance", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "commonground.manage", "analyze", "governance", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture
def seats_file(tmp_path: Path) -> Path:
    path = tmp_path / "seats.csv"
    path.write_text(SEATS, encoding="utf-8")
    return path


def test_json_contract_on_the_wsu_examples(seats_file: Path) -> None:
    result = run(str(seats_file), "--community-types", "resident", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert list(out) == ["bodies", "coalition"]
    planning, executive, housing = out["bodies"]
    for obj in (planning, executive, housing, out["coalition"]):
        assert list(obj) == KEYS
    # Residents only: 8 / 16 = 50%, not below the 0.5 target.
    assert planning == {
        "body": "Planning committee",
        "seats": 16,
        "vacant": 0,
        "votes": 16,
        "community_share": 0.5,
        "community_share_filled": 0.5,
        "largest_holder_share": 0.0625,
        "paid_community_share": 1.0,
        "below_target": False,
        "duplicate_holders": [],
    }
    # 6 of 12 exactly, with 4 community seats vacant: 2 of 8 filled votes.
    assert executive["community_share"] == 0.5
    assert executive["community_share_filled"] == 0.25
    assert executive["vacant"] == 4 and executive["below_target"] is False
    assert housing["duplicate_holders"] == ["Housing Partnership"]
    assert housing["votes"] == 2 and housing["community_share"] == 0.0
    # The coalition: the two deciding bodies (28 seats, 28 votes); the advisory group is out.
    coalition = out["coalition"]
    assert coalition["body"] is None
    assert (coalition["seats"], coalition["votes"], coalition["vacant"]) == (28, 28, 4)
    assert coalition["community_share"] == pytest.approx(14 / 28)
    assert coalition["community_share_filled"] == pytest.approx(10 / 24)
    assert coalition["paid_community_share"] == 1.0
    assert coalition["duplicate_holders"] == []


def test_citywide_nonprofits_counted_as_community_make_62_5_percent(seats_file: Path) -> None:
    out = json.loads(command(str(seats_file), "--json")[1])
    planning = out["bodies"][0]
    assert planning["community_share"] == 0.625  # (8 + 2) / 16
    assert planning["paid_community_share"] == 0.8  # 8 of 10 community seats
    assert out["coalition"]["community_share"] == pytest.approx(16 / 28)


def test_target_flags_bodies_below_it(seats_file: Path) -> None:
    out = json.loads(command(str(seats_file), "--target", "0.6", "--json")[1])
    assert [b["below_target"] for b in out["bodies"]] == [False, True, False]
    assert out["coalition"]["below_target"] is True


def test_summary_without_json(seats_file: Path) -> None:
    status, out, _ = command(str(seats_file))
    assert status == 0
    assert "Planning committee: 16 seats (0 vacant), community share 62.5%" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("body,seat,type\nA,1,resident\n", "line 1: the column 'votes' is missing"),
        (
            "body,seat,type,votes\nA,1,resident,1\nA,2,neighbor,1\n",
            "line 3, column type: 'neighbor' is not one of",
        ),
        (
            "body,seat,type,votes\nA,1,resident,one\n",
            "line 2, column votes: 'one' is not a whole number",
        ),
        (
            "body,seat,type,votes\nA,1,resident,0\n",
            "line 2, column votes: only an ex officio seat may have 0 votes",
        ),
        (
            "body,seat,type,votes,paid\nA,1,resident,1,maybe\n",
            "line 2, column paid: 'maybe' is not yes or no",
        ),
        (
            "body,seat,type,votes\nA,1,resident,1\nA,1,resident,1\n",
            "line 3, column seat: the seat '1' of 'A' appears twice",
        ),
        ("body,seat,type,votes,authority\nA,1,resident,1,vetoes\n", "line 2, column authority"),
        ("body,seat,type,votes\n", "has no seats"),
        ("body,seat,type,votes\nA,1,resident\n", "line 2: 3 cells where the header has 4"),
    ],
)
def test_bad_file_names_the_line_and_exits_2(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    status, out, err = command(str(path), "--json")
    assert status == 2
    assert message in err and err.startswith("error: ")
    assert out == ""


def test_bad_options_exit_2(seats_file: Path) -> None:
    assert command(str(seats_file), "--target", "1.5")[0] == 2
    status, _, err = command(str(seats_file), "--community-types", "resident,neighbors")
    assert status == 2 and "neighbors" in err
    assert command(str(seats_file.parent / "missing.csv"))[0] == 2
    # As a person runs it: a separate process, exit status 2 and the line named.
    bad = seats_file.parent / "bad.csv"
    bad.write_text("body,seat,type,votes\nA,1,resident,-1\n", encoding="utf-8")
    result = run(str(bad), "--json")
    assert result.returncode == 2 and "line 2, column votes" in result.stderr
