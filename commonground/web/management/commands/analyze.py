"""``commonground analyze network|equity|… …``: the analysts' command line.

Reads files, computes with the pure cores, prints JSON (``--json``) or a short summary.
Touches no database. A bad file prints the row and column at fault and exits 2.

Besides ``network`` and ``equity``, an app adds its own analysis with a module
``commonground/<app>/analyze.py`` defining ``add_parser(kinds)``: it adds a subparser
and sets ``run`` as its default, a function ``(options) -> (result, summary_lines)``
that raises ``ValueError`` (the domain's error class) for a bad file.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser

from commonground.ecosystem.domain.cli import analyze_network_files
from commonground.measurement.domain.cli import analyze_equity_file
from commonground.measurement.domain.errors import MeasurementError


class Command(BaseCommand):
    help = "Analyze a network (edge list) or the equity gaps in a tidy indicator file."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, parser_class=CommandParser)
        network = kinds.add_parser("network", help="network metrics of an edge list")
        network.add_argument("edges", help="edges CSV: source,target[,weight] or tail_id,head_id,…")
        network.add_argument("--nodes", help="nodes CSV: id or vertex_id, and attributes")
        network.add_argument("--undirected", action="store_true", help="ties have no direction")
        network.add_argument("--weight", help="weight column of the edges file (default: weight)")
        network.add_argument("--sector", help="sector column of the nodes file (default: sector)")
        network.add_argument("--json", action="store_true", help="print the full result as JSON")

        equity = kinds.add_parser("equity", help="equity gaps and benchmarks of a tidy CSV")
        equity.add_argument("file", help="tidy CSV: place, period, group, value[, …]")
        equity.add_argument("--lower-is-better", action="store_true")
        equity.add_argument("--reference", default="best", help="best (default) or a group name")
        equity.add_argument("--benchmark-top", type=int, default=5, metavar="N")
        equity.add_argument("--json", action="store_true", help="print the full result as JSON")

        for module in app_analyses():
            module.add_parser(kinds)

    def handle(self, *args: Any, **options: Any) -> None:
        run: Callable[[dict[str, Any]], tuple[Any, list[str]]] | None = options.get("run")
        result: Any
        try:
            if run is not None:
                result, summary = run(options)
            elif options["kind"] == "network":
                result = analyze_network_files(
                    options["edges"],
                    options["nodes"],
                    undirected=options["undirected"],
                    weight_column=options["weight"],
                    sector_column=options["sector"],
                )
                summary = [f"{k}: {result[k]}" for k in ("nodes", "ties", "density", "components")]
            else:
                if options["benchmark_top"] < 1:
                    raise MeasurementError("--benchmark-top must be at least 1")
                result = analyze_equity_file(
                    options["file"],
                    lower_is_better=options["lower_is_better"],
                    reference=options["reference"],
                    benchmark_top=options["benchmark_top"],
                )
                summary = [
                    f"{r['place']} {r['period']}: reference {r['reference_group']}, "
                    f"index of disparity {r['index_of_disparity']}"
                    for r in result["results"]
                ]
        except ValueError as error:  # NetworkError, MeasurementError and the apps' errors
            self.stderr.write(f"error: {error}")
            sys.exit(2)
        except OSError as error:  # a missing, unreadable or not-a-file path
            self.stderr.write(
                f"error: cannot read {error.filename or 'the file'}: {error.strerror}"
            )
            sys.exit(2)
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, allow_nan=False))
        else:
            self.stdout.write("\n".join(summary))


def app_analyses() -> list[Any]:
    """The ``analyze`` module of every CommonGround app that has one."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("commonground."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.analyze"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.analyze":
                raise
    return modules
