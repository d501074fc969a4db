"""Time the demo's full impact report: its PDF, and its page once the content is cached.

Usage: .venv/bin/python benchmarks/report.py [--repeat N]

Builds a fresh SQLite database in a temporary folder and loads the demo, then:

* PDF: the River Region report with every registered section, built from live data
  and laid out by WeasyPrint (``services.run_pdf_job``, what the background worker
  runs), in English and in Spanish, Letter and A4; the cache is cleared first, so the
  time includes building every section. Goal: under 10 s.
* Page: the report's HTML page through Django's full stack (test client, signed in as
  the demo's backbone admin), median and 95th percentile over ``--repeat`` requests
  after a first request has filled the cache; also the public page. Goal: 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PDF_GOAL_S = 10.0
PAGE_GOAL_MS = 50.0


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
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django_scopes import scope

    from commonground.accounts.models import User
    from commonground.coalitions.models import Coalition
    from commonground.demo.seed import DEMO_SLUG, seed_demo
    from commonground.reports import registry, services
    from commonground.reports.models import PdfJob, Report

    call_command("migrate", verbosity=0)
    seed_demo()
    coalition = Coalition.objects.get(slug=DEMO_SLUG)
    admin = User.objects.get(email="alicia@riverregion.example")
    with scope(coalition=coalition):
        report = Report.objects.get()
        keys = [s.key for s in registry.sections()]
        if report.section_keys != keys:
            report.section_keys = keys
            report.save()
    print(f"Full demo report: {len(keys)} sections ({', '.join(keys)})")
    print(f"{'PDF':28} {'seconds':>8} {'pages':>6} {'vs goal':>8}")
    for language in ("en", "es"):
        for paper in ("letter", "a4"):
            cache.clear()
            with scope(coalition=coalition):
                job = services.request_pdf(
                    report=report, actor=admin, language=language, paper=paper
                )
                start = time.perf_counter()
                services.run_pdf_job(job_id=job.pk, coalition_id=coalition.pk)
                seconds = time.perf_counter() - start
                job.refresh_from_db()
            assert job.status == PdfJob.Status.SUCCEEDED, job.error
            print(
                f"{language + ' ' + paper:28} {seconds:8.2f} {job.page_count:6d} "
                f"{seconds / PDF_GOAL_S:7.2f}x"
            )

    client = Client()
    client.force_login(admin)
    pages = {
        "report page (cached)": f"/c/{DEMO_SLUG}/reports/{report.pk}/",
        "public page": f"/p/{DEMO_SLUG}/",
        "report list": f"/c/{DEMO_SLUG}/reports/",
    }
    print(f"\nMedian server time over {args.repeat} requests; goal {PAGE_GOAL_MS:.0f} ms")
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'vs goal':>8}")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url  # fills the cache
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name:28} {median:10.1f} {p95:8.1f} {median / PAGE_GOAL_MS:7.2f}x")


if __name__ == "__main__":
    main()
