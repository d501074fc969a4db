"""``commonground analyze survey``: the collaboration survey's scales, alpha and group means."""

from __future__ import annotations

import argparse
from typing import Any

from commonground.voice.domain.cli import analyze_survey_files


def add_parser(kinds: Any) -> None:
    p = kinds.add_parser("survey", help="scale scores, Cronbach's alpha and group means")
    p.add_argument("responses", help="responses CSV: one row per respondent, one column per item")
    p.add_argument("--scales", required=True, help="scales CSV: item, scale[, reverse]")
    p.add_argument("--group", help="attribute column to compare groups by")
    p.add_argument("--min-group", type=int, default=5, help="smallest group shown (at least 5)")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.set_defaults(run=run)


def run(options: dict[str, Any] | argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    values = vars(options) if isinstance(options, argparse.Namespace) else options
    result = analyze_survey_files(
        values["responses"],
        values["scales"],
        group=values.get("group"),
        min_group=values.get("min_group", 5),
    )
    summary = [f"respondents: {result['respondents']}"]
    for scale in result["scales"]:
        mean = "-" if scale["mean"] is None else f"{scale['mean']:.2f}"
        alpha = "-" if scale["alpha"] is None else f"{scale['alpha']:.2f}"
        summary.append(f"{scale['scale']}: n {scale['n']}, mean {mean}, alpha {alpha}")
    for key, group in result.get("groups", {}).items():
        summary.append(f"{key}: n {group['n']}" + (", suppressed" if group["suppressed"] else ""))
    return result, summary
