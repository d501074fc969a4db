"""Median server time of each main page on the demo data.

Usage: .venv/bin/python benchmarks/pages.py [--repeat N]

Builds a fresh SQLite database in a temporary folder, loads the demo, signs in as the
demo's backbone admin and requests each page through Django's full stack (middleware,
sessions, templates, database) with the test client. Prints the median and 95th
percentile per page, the ratio of the median to the 50 ms goal, and the time of the
health check (one trivial query) as the floor of a request on this machine. Pages and the
values derived for them are kept per version of the coalition's data, so the last column
times each coalition page again right after a write to the coalition (the first reader
after any edit waits that long).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

GOAL_MS = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="cg-bench-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="commonground.settings_test",
        COMMONGROUND_DATA_DIR=data_dir,
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import F
    from django.test import Client
    from django_scopes import scope

    from commonground.accounts.models import User
    from commonground.coalitions.models import Coalition, Place
    from commonground.demo.seed import seed_demo

    call_command("migrate", verbosity=0)
    seed_demo()
    client = Client()
    client.force_login(User.objects.get(email="alicia@riverregion.example"))
    pages = {
        "health check (floor)": "/healthz",
        "coalition home (roadmap)": "/c/river-region/",
        "partnership profile": "/c/river-region/profile/",
        "profile form": "/c/river-region/profile/edit/",
        "members": "/c/river-region/members/",
        "activity log": "/c/river-region/activity/",
        "framework guide": "/guide/",
        "pillar page": "/guide/pillars/trust/",
        "ecosystem map": "/c/river-region/ecosystem/",
        "ecosystem scores": "/c/river-region/ecosystem/scores/",
        "who is missing": "/c/river-region/ecosystem/missing/",
        "assessments": "/c/river-region/assessments/",
        "action plan (roadmap)": "/c/river-region/roadmap/",
        "health data dashboard": "/c/river-region/measurement/health/",
        "county map": "/c/river-region/measurement/health/map/",
        "metrics framework": "/c/river-region/measurement/framework/",
        "governance chart": "/c/river-region/governance/",
        "power share": "/c/river-region/governance/power/",
        "meetings": "/c/river-region/governance/meetings/",
        "decision log": "/c/river-region/governance/decisions/",
        "action-item board": "/c/river-region/governance/actions/",
        "funding stability": "/c/river-region/funding/",
        "support shared out": "/c/river-region/funding/shared/",
        "reporting calendar": "/c/river-region/funding/calendar/",
        "community voice": "/c/river-region/voice/",
        "listening sessions": "/c/river-region/voice/listening/",
        "codebook": "/c/river-region/voice/codebook/",
        "priorities": "/c/river-region/voice/priorities/",
        "system map": "/c/river-region/systems/",
        "loops": "/c/river-region/systems/loops/",
        "asset map": "/c/river-region/systems/assets/",
        "reports": "/c/river-region/reports/",
        "public page": "/p/river-region/",
        "API: coalition": "/api/coalitions/river-region",
        "API: members": "/api/coalitions/river-region/memberships",
    }
    print(
        f"Median server time over {args.repeat} requests, demo data, SQLite; goal {GOAL_MS:.0f} ms"
    )
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'vs goal':>8} {'after a change':>15}")
    river = Coalition.objects.get(slug="river-region")

    def change() -> None:
        """A write to the coalition, as any edit makes: its data version changes."""
        with scope(coalition=river):
            Place.objects.filter(coalition=river).update(name=F("name"))

    def timed(url: str, *, changed: bool) -> list[float]:
        times = []
        for _ in range(args.repeat):
            if changed:
                change()
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        return sorted(times)

    for name, url in pages.items():
        assert client.get(url).status_code == 200, url  # warm up, and prove the page works
        times = timed(url, changed=False)
        median = statistics.median(times)
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        fresh = statistics.median(timed(url, changed=True)) if "/c/" in url else median
        print(f"{name:28} {median:10.1f} {p95:8.1f} {median / GOAL_MS:7.2f}× {fresh:15.1f}")


if __name__ == "__main__":
    main()
