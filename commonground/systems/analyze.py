"""``commonground analyze loops LINKS.csv [--max-length 8] [--json]``: feedback loops of a
causal map, with no database (see docs/cli.md)."""

from __future__ import annotations

from typing import Any

from commonground.systems.domain.cli import analyze_links_file
from commonground.systems.domain.loops import DEFAULT_MAX_LENGTH


def add_parser(kinds: Any) -> None:
    p = kinds.add_parser("loops", help="feedback loops of a causal map (a CSV of links)")
    p.add_argument("links", help="links CSV: from,to,polarity (+ or -)[,delay (yes/no)]")
    p.add_argument(
        "--max-length",
        type=int,
        default=DEFAULT_MAX_LENGTH,
        metavar="N",
        help=f"longest loop listed, in links (default {DEFAULT_MAX_LENGTH})",
    )
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.set_defaults(run=run)


def run(options: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    result = analyze_links_file(options["links"], max_length=options["max_length"])
    reinforcing = sum(1 for loop in result["loops"] if loop["polarity"] == "reinforcing")
    summary = [
        f"factors: {result['factors']}",
        f"links: {result['links']}",
        f"loops: {len(result['loops'])} ({reinforcing} reinforcing, "
        f"{len(result['loops']) - reinforcing} balancing)",
    ]
    summary += [
        f"{loop['polarity']} ({loop['length']}): {' → '.join(loop['factors'])}"
        for loop in result["loops"]
    ]
    return result, summary
