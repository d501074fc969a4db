"""Scenarios run in their own processes against a file-backed SQLite database.

The test suite's SQLite database lives in memory and belongs to the pytest process;
locking between connections and a worker process that can be killed need a real file.
``test_jobs_and_locks.py`` migrates one such file, copies it for each scenario and runs

    python -m commonground.measurement.tests.sqlite_probe SCENARIO [ARGS]

with ``DJANGO_SETTINGS_MODULE=commonground.measurement.tests.probe_settings`` and
``COMMONGROUND_DATA_DIR`` set to the copy's directory. Each scenario prints one JSON
object of facts on its last line; the test asserts on them.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any


def _setup() -> None:
    import django

    django.setup()


def _coalition() -> tuple[Any, Any]:
    from commonground.accounts.models import User
    from commonground.coalitions import services

    admin = User.objects.create_user("admin@probe.example", "a-long-probe-passphrase")
    coalition = services.create_coalition(
        creator=admin,
        name="Probe coalition",
        slug="probe",
        places=services.parse_places(counties="01101"),
        focus_areas=["Maternal health"],
    )
    return coalition, admin


def tidy_csv(rows: int) -> bytes:
    """A tidy file of ``rows`` observations: counties x periods x groups."""
    lines = ["place,period,group,value"]
    groups = ["total", "black", "white", "hispanic", "asian", "aian", "nhpi", "other"]
    count = 0
    county = 1000
    while count < rows:
        county += 1
        for period in range(2000, 2030):
            for group in groups:
                lines.append(f"{county:05d},{period},{group},{(county * period) % 97 + 0.5}")
                count += 1
                if count == rows:
                    break
            if count == rows:
                break
    return ("\n".join(lines) + "\n").encode()


def concurrent(rows: int) -> dict[str, Any]:
    """Another user signs in, saves a session and a profile, and opens a page, over and
    over, on its own connection, while a long import runs."""
    from django.db import connection
    from django.test import Client

    from commonground.accounts.models import User
    from commonground.measurement import services
    from commonground.measurement.models import ImportJob

    coalition, admin = _coalition()
    other = User.objects.create_user("other@probe.example", "a-long-probe-passphrase")
    job = services.create_import_job(
        coalition=coalition,
        actor=admin,
        file_name="big.csv",
        content=tidy_csv(rows),
        layout=ImportJob.Layout.TIDY,
        indicator_code="probe",
        place_type="county",
    )
    done = threading.Event()
    facts: dict[str, Any] = {"writes": [], "failures": []}

    def other_user() -> None:
        client = Client()
        try:
            while not done.is_set():
                started = time.monotonic()
                try:
                    client.force_login(other)  # a session row written
                    User.objects.filter(pk=other.pk).update(display_name=f"Other {started}")
                    response = client.get("/")
                    if response.status_code >= 500:
                        facts["failures"].append(f"home page: {response.status_code}")
                except Exception as exc:  # every failure is the finding
                    facts["failures"].append(f"{type(exc).__name__}: {exc}")
                facts["writes"].append((started, time.monotonic()))
                time.sleep(0.05)
        finally:
            connection.close()

    thread = threading.Thread(target=other_user)
    thread.start()
    time.sleep(0.3)
    import_started = time.monotonic()
    job = services.run_import_job(job_id=job.pk)
    import_ended = time.monotonic()
    time.sleep(0.3)
    done.set()
    thread.join()
    during = [w for w in facts["writes"] if import_started <= w[0] and w[1] <= import_ended]
    return {
        "status": job.status,
        "problems": job.problems[:3],
        "created": job.observations_created,
        "import_seconds": round(import_ended - import_started, 2),
        "writes": len(facts["writes"]),
        "writes_during_import": len(during),
        "slowest_write_seconds": round(max((b - a for a, b in facts["writes"]), default=0), 2),
        "failures": facts["failures"][:5],
        "failure_count": len(facts["failures"]),
    }


def _wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.1)


def _worker() -> Any:
    """A real ``db_worker`` process, as the demo and production run it."""
    import subprocess

    return subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def killed_worker(rows: int) -> dict[str, Any]:
    """Start a worker on a long import, SIGKILL it mid-import, look at the job page (at
    once, then once the heartbeat is stale), retry it as the admin, and let a new worker
    finish it."""
    import signal
    from datetime import timedelta

    from django.test import Client, override_settings
    from django_scopes import scope

    from commonground.coalitions.models import AuditEvent
    from commonground.measurement import services, tasks
    from commonground.measurement.models import ImportJob, Observation

    coalition, admin = _coalition()
    job = services.create_import_job(
        coalition=coalition,
        actor=admin,
        file_name="big.csv",
        content=tidy_csv(rows),
        layout=ImportJob.Layout.TIDY,
        indicator_code="probe",
        place_type="county",
    )
    tasks.run_import.enqueue(job_id=job.pk)
    facts: dict[str, Any] = {}

    def current() -> ImportJob:
        with scope(coalition=coalition):
            return ImportJob.objects.defer("content").get(pk=job.pk)

    worker = _worker()
    try:
        _wait_for(lambda: current().progress >= 0.4, 120, "the import to be under way")
        worker.send_signal(signal.SIGKILL)
        facts["worker_exit"] = worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    killed = current()
    facts["after_kill"] = {"status": killed.status, "progress": killed.progress}
    client = Client()
    client.force_login(admin)
    page_url = f"/c/{coalition.slug}/measurement/imports/{job.pk}/"
    facts["page_at_once"] = client.get(page_url).status_code
    facts["status_at_once"] = current().status  # heartbeat fresh: not given up yet
    time.sleep(1.5)
    with override_settings(IMPORT_STALE_AFTER=timedelta(seconds=1)):
        page = client.get(page_url)
    stale = current()
    facts["page_when_stale"] = page.status_code
    facts["status_when_stale"] = stale.status
    facts["problem_when_stale"] = stale.problems[0]["problem"] if stale.problems else ""
    facts["page_says_retry"] = "Try this import again" in page.content.decode()
    with scope(coalition=coalition):
        facts["observations_after_kill"] = Observation.objects.count()
    retry = client.post(f"/c/{coalition.slug}/measurement/imports/{job.pk}/retry/")
    queued = current()
    facts["retry"] = retry.status_code
    facts["after_retry"] = {"status": queued.status, "attempt": queued.attempt}
    worker = _worker()
    try:
        _wait_for(lambda: current().is_finished, 180, "the retried import to finish")
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    done = current()
    with scope(coalition=coalition):
        facts["final"] = {
            "status": done.status,
            "problems": done.problems[:3],
            "created": done.observations_created,
            "observations": Observation.objects.count(),
        }
        facts["audit"] = list(
            AuditEvent.objects.filter(object_type="ImportJob")
            .order_by("pk")
            .values_list("actor_name", "summary")
        )
    return facts


SCENARIOS = {"concurrent": concurrent, "killed_worker": killed_worker}


def main(argv: list[str]) -> None:
    _setup()
    name, *args = argv
    facts = SCENARIOS[name](*(int(a) for a in args))
    print(json.dumps(facts, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
