"""``commonground analyze governance SEATS.csv [--community-types TYPES] [--target 0.5] --json``:
the community share of voting power, per body and for the coalition, with no database."""

from __future__ import annotations

from typing import Any

from commonground.governance.domain.cli import analyze_seats_file
from commonground.governance.domain.errors import GovernanceError
from commonground.governance.domain.power import COMMUNITY_TYPES, DEFAULT_TARGET


def add_parser(kinds: Any) -> None:
    p = kinds.add_parser("governance", help="community share of voting power (a CSV of seats)")
    p.add_argument("seats", help="seats CSV: body,seat,type,votes[,holder,paid,authority,rule]")
    p.add_argument(
        "--community-types",
        default=",".join(COMMUNITY_TYPES),
        metavar="TYPES",
        help="comma-separated seat types that count as community "
        f"(default {','.join(COMMUNITY_TYPES)})",
    )
    p.add_argument(
        "--target",
        default=str(DEFAULT_TARGET),
        metavar="SHARE",
        help=f"target community share of votes, 0 to 1 (default {DEFAULT_TARGET})",
    )
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.set_defaults(run=run)


def _pct(value: object) -> str:
    return "n/a" if value is None else f"{float(value) * 100:.1f}%"  # type: ignore[arg-type]


def run(options: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    try:
        target = float(options["target"])
    except ValueError:
        raise GovernanceError(
            f"--target must be a number from 0 to 1, not {options['target']!r}"
        ) from None
    if target != target:  # NaN
        raise GovernanceError("--target must be a number from 0 to 1")
    types = str(options["community_types"]).split(",")
    result = analyze_seats_file(options["seats"], community_types=types, target=target)
    summary: list[str] = []
    for body in result["bodies"]:  # type: ignore[attr-defined]
        flag = " BELOW TARGET" if body["below_target"] else ""
        summary.append(
            f"{body['body']}: {body['seats']} seats ({body['vacant']} vacant), "
            f"community share {_pct(body['community_share'])}{flag}"
        )
    coalition: dict[str, Any] = result["coalition"]  # type: ignore[assignment]
    flag = " BELOW TARGET" if coalition["below_target"] else ""
    summary.append(
        f"coalition (deciding bodies): community share {_pct(coalition['community_share'])}{flag}"
    )
    return dict(result), summary
