"""``commonground analyze funding``: the funding mix, concentration, runway and cliff of a
sources file, and the fairness of a grants file. No database."""

from __future__ import annotations

from typing import Any

from commonground.funding.domain.cli import analyze_funding_files, summary_lines


def add_parser(kinds: Any) -> None:
    p = kinds.add_parser("funding", help="funding mix, concentration, runway, cliff and grants")
    p.add_argument("sources", help="sources CSV: source,type,amount,start,end")
    p.add_argument("--grants", help="grants CSV: recipient,amount[,community_led][,sector]")
    p.add_argument("--budget", help="the backbone's annual budget")
    p.add_argument("--as-of", dest="as_of", help="the month runway counts from, YYYY-MM")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.set_defaults(run=run)


def run(options: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    result = analyze_funding_files(
        options["sources"],
        options.get("grants"),
        budget=options.get("budget"),
        as_of=options.get("as_of"),
    )
    return result, summary_lines(result)
