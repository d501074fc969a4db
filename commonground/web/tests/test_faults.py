"""Fault tests (issue 13, item 6): a worker killed mid-task, PostgreSQL restarted during a
burst of requests, the disk full during an upload.

Each fault needs what the test database cannot give (it lives inside this process): real
processes that can be killed and a database server that can be restarted. So the faults
run against databases of their own, out of process:

* the worker faults run on the engine of this run: a migrated SQLite file, or (when the
  suite runs on PostgreSQL) a database in the private cluster below;
* the restart runs on a PRIVATE PostgreSQL cluster (``initdb`` into a temporary folder,
  its own port and socket folder) that the test starts, restarts and stops: the shared
  server is never touched;
* the full disk is a small tmpfs holding a SQLite database (``mount -t tmpfs``: needs
  root or password-less sudo), served by gunicorn.

The scenarios that need Django in the child process run this module as a script:
``python -m commonground.web.tests.test_faults SCENARIO [ARGS]``, which prints one JSON
object of facts on its last line; the tests assert on them.
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
HOST = "127.0.0.1"
SETTINGS = "commonground.measurement.tests.probe_settings"  # test settings + DB task queue
PASSWORD = "a-long-fault-test-passphrase"
IMPORT_ROWS = 15_000


# ======================================================================= child process


def _wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.05)


def _worker() -> subprocess.Popen[bytes]:
    """A real ``db_worker`` process, as production runs it."""
    return subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill(worker: subprocess.Popen[bytes]) -> int:
    worker.send_signal(signal.SIGKILL)
    return worker.wait(timeout=30)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=30)


def _tidy_csv(rows: int) -> bytes:
    """``rows`` observations: counties x years x groups."""
    groups = ["total", "black", "white", "hispanic", "asian", "aian", "nhpi", "other"]
    lines = ["place,period,group,value"]
    county = 1000
    while len(lines) <= rows:
        county += 1
        for year in range(2000, 2030):
            for group in groups:
                if len(lines) <= rows:
                    lines.append(f"{county:05d},{year},{group},{(county * year) % 97 + 0.5}")
    return ("\n".join(lines) + "\n").encode()


def _coalition(slug: str) -> tuple[Any, Any]:
    from commonground.accounts.models import User
    from commonground.coalitions import services

    admin = User.objects.create_user(f"admin@{slug}.example", PASSWORD, display_name="Ada Admin")
    coalition = services.create_coalition(
        creator=admin,
        name=f"Fault coalition {slug}",
        slug=slug,
        places=services.parse_places(counties="01101"),
        focus_areas=["Maternal health"],
    )
    return coalition, admin


def scenario_seed(slug: str) -> dict[str, Any]:
    """A coalition and its admin (who signs in with ``PASSWORD``)."""
    coalition, admin = _coalition(slug)
    return {"slug": coalition.slug, "email": admin.email}


def scenario_staged(slug: str) -> dict[str, Any]:
    """The files kept by the upload step, and the audit rows that say they were kept."""
    from django_scopes import scope

    from commonground.coalitions.models import AuditEvent, Coalition
    from commonground.measurement.models import StagedUpload

    coalition = Coalition.objects.get(slug=slug)
    with scope(coalition=coalition):
        return {
            "staged": sorted(StagedUpload.objects.values_list("file_name", flat=True)),
            "sizes": sorted(set(StagedUpload.objects.values_list("size", flat=True))),
            "audited": sorted(
                str(p.get("file_name"))
                for p in AuditEvent.objects.filter(event="measurement.upload_staged").values_list(
                    "params", flat=True
                )
            ),
        }


def scenario_workers(rows: str) -> dict[str, Any]:
    """SIGKILL a real worker in the middle of (1) a measurement import, at its write step,
    (2) the coalition's archive export, (3) a PDF report; then give up on the dead jobs
    as the app does, retry them, and let a new worker finish them."""
    import io
    import zipfile
    from datetime import date, timedelta

    from django.test import override_settings
    from django_scopes import scope

    from commonground.coalitions import exports
    from commonground.coalitions import tasks as coalition_tasks
    from commonground.coalitions.models import CoalitionExport
    from commonground.measurement import services, tasks
    from commonground.measurement.models import ImportJob, Observation
    from commonground.reports import registry
    from commonground.reports import services as report_services
    from commonground.reports import tasks as report_tasks
    from commonground.reports.models import PdfJob

    coalition, admin = _coalition(f"workers-{uuid.uuid4().hex[:8]}")
    facts: dict[str, Any] = {}

    def observations() -> int:
        with scope(coalition=coalition):
            return Observation.objects.count()

    # ---------------------------------------------------------------- (1) import
    job = services.create_import_job(
        coalition=coalition,
        actor=admin,
        file_name="big.csv",
        content=_tidy_csv(int(rows)),
        layout=ImportJob.Layout.TIDY,
        indicator_code="fault_probe",
        place_type="county",
    )
    tasks.run_import.enqueue(job_id=job.pk)

    def current() -> ImportJob:
        with scope(coalition=coalition):
            return ImportJob.objects.defer("content").get(pk=job.pk)

    worker = _worker()
    try:
        # 0.8: planned, now writing every row in one transaction.
        _wait_for(lambda: current().progress >= 0.8, 300, "the import to reach its write step")
        facts["import_worker_exit"] = _kill(worker)
    finally:
        _stop(worker)
    killed = current()
    facts["import_killed"] = {
        "status": killed.status,
        "progress": killed.progress,
        "observations": observations(),
    }
    time.sleep(1.2)
    with override_settings(IMPORT_STALE_AFTER=timedelta(seconds=1)):
        given_up = services.fail_stale_jobs(coalition=coalition)
    stale = current()
    facts["import_stale"] = {
        "given_up": [j.pk for j in given_up] == [job.pk],
        "status": stale.status,
        "problem": stale.problems[0]["problem"] if stale.problems else "",
        "observations": observations(),
    }
    with scope(coalition=coalition):
        services.retry_import_job(coalition=coalition, actor=admin, job=stale)
    tasks.run_import.enqueue(job_id=job.pk)
    worker = _worker()  # it also takes the export below
    try:
        _wait_for(lambda: current().is_finished, 300, "the retried import to finish")
    except BaseException:
        _stop(worker)
        raise
    done = current()
    facts["import_retried"] = {
        "status": done.status,
        "attempt": done.attempt,
        "created": done.observations_created,
        "observations": observations(),
        "problems": done.problems[:3],
    }

    # ---------------------------------------------------------------- (2) export
    def export(pk: int) -> CoalitionExport:
        with scope(coalition=coalition):
            return CoalitionExport.objects.get(pk=pk)

    first = exports.request_export(coalition=coalition, actor=admin, deidentified=False)
    coalition_tasks.run_export.enqueue(job_id=first.pk)
    try:
        _wait_for(
            lambda: export(first.pk).status == CoalitionExport.Status.RUNNING,
            300,
            "the export to start",
        )
        facts["export_worker_exit"] = _kill(worker)
    finally:
        _stop(worker)
    killed_export = export(first.pk)
    facts["export_killed"] = {
        "status": killed_export.status,
        "size": killed_export.size,
        "content": len(bytes(killed_export.content)),
    }
    # Its worker is gone: the page gives up on it once its heartbeat is older than
    # STALE_AFTER (15 minutes in production; shortened here as ``IMPORT_STALE_AFTER`` is).
    time.sleep(1.2)
    stale_after, exports.STALE_AFTER = exports.STALE_AFTER, timedelta(seconds=1)
    try:
        facts["export_given_up"] = exports.fail_stale(coalition=coalition)
    finally:
        exports.STALE_AFTER = stale_after
    failed_export = export(first.pk)
    facts["export_stale"] = {"status": failed_export.status, "error": failed_export.error}
    again = exports.request_export(coalition=coalition, actor=admin, deidentified=False)
    coalition_tasks.run_export.enqueue(job_id=again.pk)
    worker = _worker()  # it also takes the PDF below
    try:
        _wait_for(lambda: export(again.pk).is_finished, 300, "the new export to finish")
    except BaseException:
        _stop(worker)
        raise
    finished = export(again.pk)
    archive = bytes(finished.content)
    names: list[str] = []
    broken: str | None = "not a ZIP"
    with contextlib.suppress(zipfile.BadZipFile), zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = opened.namelist()
        broken = opened.testzip()
    observation_lines = 0
    with contextlib.suppress(zipfile.BadZipFile), zipfile.ZipFile(io.BytesIO(archive)) as opened:
        for name in names:
            if "observation" in name.lower() and name.endswith(".csv"):
                observation_lines = max(observation_lines, opened.read(name).count(b"\n") - 1)
            elif "observation" in name.lower() and name.endswith(".json"):
                loaded = json.loads(opened.read(name))
                if isinstance(loaded, list):
                    observation_lines = max(observation_lines, len(loaded))
    facts["export_retried"] = {
        "status": finished.status,
        "error": finished.error,
        "size": finished.size,
        "bytes": len(archive),
        "zip_broken": broken,
        "files": len(names),
        "observation_rows": observation_lines,
    }

    # ---------------------------------------------------------------- (3) PDF
    with scope(coalition=coalition):
        report = report_services.create_report(
            coalition=coalition,
            actor=admin,
            title="Fault test report",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            section_keys=[s.key for s in registry.sections()],
        )

        def pdf_job() -> PdfJob:
            return PdfJob.objects.get(pk=pdf.pk)

        pdf = report_services.request_pdf(report=report, actor=admin, language="en", paper="letter")
    report_tasks.make_pdf.enqueue(job_id=pdf.pk, coalition_id=coalition.pk)
    try:
        with scope(coalition=coalition):
            _wait_for(lambda: pdf_job().status == PdfJob.Status.RUNNING, 300, "the PDF to start")
        facts["pdf_worker_exit"] = _kill(worker)
    finally:
        _stop(worker)
    with scope(coalition=coalition):
        killed_pdf = pdf_job()
        facts["pdf_killed"] = {"status": killed_pdf.status, "bytes": len(bytes(killed_pdf.pdf))}
    # Its heartbeat goes stale (5 minutes in production; 1 second here): the page gives up.
    time.sleep(1.2)
    with override_settings(PDF_STALE_AFTER=timedelta(seconds=1)):
        facts["pdf_given_up"] = report_services.fail_stale_pdf_jobs(coalition=coalition)
    with scope(coalition=coalition):
        stale_pdf = pdf_job()
        facts["pdf_stale"] = {"status": stale_pdf.status, "error": stale_pdf.error}
        pdf = report_services.request_pdf(report=report, actor=admin, language="en", paper="letter")
    report_tasks.make_pdf.enqueue(job_id=pdf.pk, coalition_id=coalition.pk)
    worker = _worker()
    try:
        with scope(coalition=coalition):
            _wait_for(lambda: pdf_job().is_finished, 300, "the new PDF to finish")
    finally:
        _stop(worker)
    with scope(coalition=coalition):
        made = pdf_job()
        facts["pdf_retried"] = {
            "status": made.status,
            "error": made.error[:300],
            "starts_as_pdf": bytes(made.pdf).startswith(b"%PDF-"),
            "pages": made.page_count,
        }
    return facts


SCENARIOS: dict[str, Callable[..., dict[str, Any]]] = {
    "seed": scenario_seed,
    "staged": scenario_staged,
    "workers": scenario_workers,
}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    name, *args = argv
    print(json.dumps(SCENARIOS[name](*args), default=str))


# ======================================================================= test process


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "COMMONGROUND_DATA_DIR", "DEBUG", "SECRET_KEY"}
    }
    env.update(DJANGO_SETTINGS_MODULE=SETTINGS, PYTHONUNBUFFERED="1", **extra)
    return env


def _scenario(env: dict[str, str], *args: str, timeout: float = 600) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "commonground.web.tests.test_faults", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"scenario {args} failed:\n{done.stderr[-4000:]}"
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return facts


def _migrate(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "django", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process: subprocess.Popen[str], what: str, timeout: float = 400) -> None:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"{what} failed:\n{output[-4000:]}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _as_root(argv: list[str]) -> list[str]:
    return argv if os.geteuid() == 0 else ["sudo", "-n", *argv]


# ---------------------------------------------------------------- a private PostgreSQL


def _pg_bin(name: str) -> str:
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(re.sub(r"\D", "", p.split("/")[4]) or 0),
    )
    if found:
        return found[-1]
    which = shutil.which(name)
    assert which, f"{name} (PostgreSQL's server programs) is needed for the fault tests"
    return which


class PrivateCluster:
    """A PostgreSQL cluster of our own in a temporary folder, on its own port."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="cg-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.owner: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to postgres
            import pwd

            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.owner = ["runuser", "-u", "postgres", "--"]
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self._run(_pg_bin("initdb"), "--version")  # (logs which server runs the test)

    def _run(self, *argv: str, timeout: float = 180) -> str:
        done = subprocess.run(
            [*self.owner, *argv],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"{argv[0]} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def _ctl(self, *action: str) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} "
            "-c fsync=off -c max_connections=60"
        )
        self._run(
            _pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "120",
            *action,
        )

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")

    def stop(self) -> None:
        with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
            self._ctl("-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            host=HOST, port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgres://postgres@{HOST}:{self.port}/{name}"


@dataclass
class Databases:
    cluster: PrivateCluster
    restart_url: str  # the private cluster's database for the restart test
    worker_env: dict[str, str]  # the database of the worker faults (this run's engine)
    sqlite_template: Path  # a migrated SQLite file for the full-disk test


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    cluster = PrivateCluster()
    try:
        cluster.start()
        restart_url = cluster.create_database("cg_restart")
        sqlite_dir = tmp_path_factory.mktemp("faults-sqlite")
        sqlite_env = _env(COMMONGROUND_DATA_DIR=str(sqlite_dir))
        migrations = [(_migrate(_env(DATABASE_URL=restart_url)), "migrate (PostgreSQL)")]
        migrations.append((_migrate(sqlite_env), "migrate (SQLite)"))
        if on_postgres:
            workers_url = cluster.create_database("cg_workers")
            worker_env = _env(DATABASE_URL=workers_url)
            migrations.append((_migrate(worker_env), "migrate (PostgreSQL, workers)"))
        for process, what in migrations:
            _finish(process, what)
        sqlite_template = sqlite_dir / "commonground.sqlite3"
        if not on_postgres:
            worker_dir = tmp_path_factory.mktemp("faults-workers")
            shutil.copy(sqlite_template, worker_dir / "commonground.sqlite3")
            worker_env = _env(COMMONGROUND_DATA_DIR=str(worker_dir))
        yield Databases(cluster, restart_url, worker_env, sqlite_template)
    finally:
        cluster.stop()


# ---------------------------------------------------------------- HTTP to gunicorn


@dataclass
class Answer:
    status: int
    body: bytes
    cookies: dict[str, str] = field(default_factory=dict)


def request(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str] | None = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Answer:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        sent = {"Host": f"{HOST}:{port}", "Connection": "close", **(headers or {})}
        if cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        set_cookies = {}
        for header in response.msg.get_all("Set-Cookie") or []:
            pair = header.split(";", 1)[0]
            if "=" in pair:
                key, value = pair.split("=", 1)
                set_cookies[key.strip()] = value.strip()
        return Answer(response.status, content, set_cookies)
    finally:
        connection.close()


def _csrf(page: bytes) -> str:
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None, "no CSRF token on the page"
    return token.group(1).decode()


def sign_in(port: int, email: str) -> dict[str, str]:
    page = request(port, "GET", "/accounts/sign-in/")
    assert page.status == 200, page.status
    cookies = dict(page.cookies)
    form = urllib.parse.urlencode(
        {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page.body)}
    ).encode()
    answer = request(
        port,
        "POST",
        "/accounts/sign-in/",
        cookies,
        form,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    cookies.update(answer.cookies)
    assert answer.status == 302 and "sessionid" in cookies, f"sign-in answered {answer.status}"
    return cookies


def upload(port: int, cookies: dict[str, str], slug: str, name: str, content: bytes) -> Answer:
    """The import wizard's first step: keep a file on the server."""
    path = f"/c/{slug}/measurement/imports/"
    boundary = secrets.token_hex(16)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{cookies['csrftoken']}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return request(
        port,
        "POST",
        path,
        cookies,
        body,
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRFToken": cookies["csrftoken"],
            "Referer": f"http://{HOST}:{port}{path}",
        },
    )


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[tuple[int, Any]]:
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "commonground.wsgi",
                "-w",
                str(workers),
                "--threads",
                "4",
                "-b",
                f"{HOST}:{port}",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 180
            while True:
                with contextlib.suppress(OSError):
                    if request(port, "GET", "/healthz", timeout=10).status == 200:
                        break
                assert process.poll() is None and time.monotonic() < deadline, (
                    f"gunicorn did not start:\n{log.read_text(errors='replace')[-4000:]}"
                )
                time.sleep(0.3)
            yield port, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


# ======================================================================= the tests


def test_a_worker_killed_mid_import_export_or_pdf_leaves_nothing_half_saved(
    databases: Databases,
) -> None:
    facts = _scenario(databases.worker_env, "workers", str(IMPORT_ROWS))

    # (1) The import: killed while writing; not one observation was kept.
    assert facts["import_worker_exit"] == -signal.SIGKILL
    assert facts["import_killed"]["status"] == "running", facts
    assert facts["import_killed"]["observations"] == 0, facts
    # Once its heartbeat is stale it is marked failed, saying what happened...
    assert facts["import_stale"]["given_up"] is True, facts
    assert facts["import_stale"]["status"] == "failed"
    assert "worker has not reported" in facts["import_stale"]["problem"]
    assert facts["import_stale"]["observations"] == 0
    # ... and the retry imports every row exactly once.
    assert facts["import_retried"] == {
        "status": "succeeded",
        "attempt": 2,
        "created": IMPORT_ROWS,
        "observations": IMPORT_ROWS,
        "problems": [],
    }

    # (2) The archive: killed while building; no archive bytes were kept.
    assert facts["export_worker_exit"] == -signal.SIGKILL
    assert facts["export_killed"] == {"status": "running", "size": 0, "content": 0}, facts
    assert facts["export_given_up"] == 1
    assert facts["export_stale"] == {
        "status": "failed",
        "error": "The export stopped before it finished.",
    }
    retried = facts["export_retried"]
    assert retried["status"] == "succeeded", facts
    assert retried["zip_broken"] is None and retried["files"] > 0
    assert retried["size"] == retried["bytes"] > 0
    assert retried["observation_rows"] == IMPORT_ROWS, retried

    # (3) The PDF: killed while rendering; no PDF bytes kept; a new request makes one.
    assert facts["pdf_worker_exit"] == -signal.SIGKILL
    assert facts["pdf_killed"]["status"] != "succeeded", facts
    assert facts["pdf_killed"]["bytes"] == 0
    assert facts["pdf_given_up"] == 1
    assert facts["pdf_stale"] == {
        "status": "failed",
        "error": "The worker stopped before the PDF was finished.",
    }
    assert facts["pdf_retried"]["status"] == "succeeded", facts
    assert facts["pdf_retried"]["starts_as_pdf"] is True
    assert facts["pdf_retried"]["pages"] >= 1


@dataclass
class Sent:
    kind: str
    started: float
    status: int | None
    name: str = ""
    finished: float = 0.0


def test_the_app_serves_again_by_itself_after_postgresql_restarts_mid_burst(
    databases: Databases, tmp_path: Path
) -> None:
    env = _env(DATABASE_URL=databases.restart_url)
    seeded = _scenario(env, "seed", "fault-restart")
    slug, email = seeded["slug"], seeded["email"]
    small = b"place,period,group,value\n01101,2022,total,73.1\n"
    sent: list[Sent] = []
    stop = threading.Event()

    with gunicorn(env, 2, tmp_path / "gunicorn.log") as (port, process):
        cookies = sign_in(port, email)
        pages = ["/healthz", f"/c/{slug}/measurement/imports/", f"/c/{slug}/"]

        def client(number: int) -> None:
            for index in range(100_000):
                if stop.is_set():
                    return
                started = time.monotonic()
                if index % 3 == 2:
                    kind, name = "upload", f"burst-{number}-{index}.csv"
                else:
                    kind, name = pages[(number + index) % len(pages)], ""
                try:
                    if kind == "upload":
                        status: int | None = upload(port, cookies, slug, name, small).status
                    else:
                        status = request(port, "GET", kind, cookies).status
                except OSError:
                    status = None
                sent.append(Sent(kind, started, status, name, time.monotonic()))

        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(6)]
        for thread in threads:
            thread.start()
        _wait_for(lambda: sum(s.status is not None for s in sent) >= 15, 120, "a first burst")
        down = time.monotonic()
        databases.cluster.restart()
        up = time.monotonic()
        settled = up + 2.0  # requests begun before the server took connections again may fail
        _wait_for(
            lambda: (
                sum(s.started >= settled for s in sent if s.kind == "upload") >= 5
                and sum(s.started >= settled for s in sent) >= 24
            ),
            180,
            "requests after the restart",
        )
        stop.set()
        for thread in threads:
            thread.join(90)
        alive = process.poll() is None

    before = [s for s in sent if s.finished < down]
    after = [s for s in sent if s.started >= settled]
    ok = {200, 302}
    failed_after = [(s.kind, s.status) for s in after if s.status not in ok]
    assert alive, "gunicorn exited"
    assert all(s.status in ok for s in before), [(s.kind, s.status) for s in before]
    # The app needed no help: every request begun after the restart was served.
    assert failed_after == [], failed_after[:10]
    assert {s.kind for s in after} == {*pages, "upload"}

    # Nothing half-saved: each kept file has its audit row and the other way round, and
    # every upload answered 302 was kept.
    stored = _scenario(env, "staged", slug)
    assert stored["staged"] == stored["audited"]
    assert stored["sizes"] == [len(small)]
    answered = sorted(s.name for s in sent if s.kind == "upload" and s.status == 302)
    assert set(answered) <= set(stored["staged"])
    assert len(stored["staged"]) >= len(answered) >= 5


@contextlib.contextmanager
def tiny_tmpfs(megabytes: int) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="cg-faults-disk-"))
    subprocess.run(
        _as_root(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)]),
        check=True,
        timeout=60,
    )
    try:
        yield folder
    finally:
        for _ in range(20):
            done = subprocess.run(
                _as_root(["umount", str(folder)]), check=False, timeout=60, capture_output=True
            )
            if done.returncode == 0:
                break
            time.sleep(0.5)
        shutil.rmtree(folder, ignore_errors=True)


def _fill(folder: Path, room: int) -> Path:
    """Write a file until the disk is full, then give back ``room`` bytes."""
    filler = folder / "filler"
    chunk = b"\0" * 65536
    with filler.open("wb") as output:
        try:
            while True:
                output.write(chunk)
                output.flush()
        except OSError:
            pass
    with contextlib.suppress(OSError), filler.open("ab") as output:  # the last bytes that fit
        while True:
            output.write(b"\0" * 512)
            output.flush()
    with filler.open("r+b") as output:
        output.truncate(max(0, filler.stat().st_size - room))
    return filler


def test_a_full_disk_during_an_upload_is_a_503_that_says_so_and_saves_nothing(
    databases: Databases, tmp_path: Path
) -> None:
    with tiny_tmpfs(12) as disk:
        shutil.copy(databases.sqlite_template, disk / "commonground.sqlite3")
        env = _env(COMMONGROUND_DATA_DIR=str(disk))
        seeded = _scenario(env, "seed", "fault-disk")
        slug = seeded["slug"]
        content = b"place,period,group,value\n" + b"01101,2022,total,73.1\n" * 120_000  # 2.6 MB
        with gunicorn(env, 1, tmp_path / "gunicorn.log") as (port, process):
            cookies = sign_in(port, seeded["email"])
            assert request(port, "GET", f"/c/{slug}/measurement/imports/", cookies).status == 200
            filler = _fill(disk, room=256 * 1024)
            assert shutil.disk_usage(disk).free < len(content)

            full = upload(port, cookies, slug, "while-full.csv", content)
            # The rest of the site still works (the little room left is enough for it).
            health = request(port, "GET", f"/c/{slug}/measurement/imports/", cookies)

            filler.unlink()
            later = upload(port, cookies, slug, "after.csv", content)
            alive = process.poll() is None
        stored = _scenario(env, "staged", slug)

    # The person is told the server is out of space (503, try later), not a traceback...
    text = full.body.decode(errors="replace")
    assert full.status == 503, (full.status, text[:500])
    assert "out of storage space" in text and "sin espacio de almacenamiento" in text
    assert "was not saved" in text
    assert "Traceback" not in text and "OperationalError" not in text
    assert health.status == 200
    # ... nothing of that upload was kept, and once there is room the same upload works
    # on the same processes, with no restart.
    assert alive
    assert later.status == 302, later.body[:500]
    assert stored["staged"] == stored["audited"] == ["after.csv"]
    assert stored["sizes"] == [len(content)]


if __name__ == "__main__":
    main(sys.argv[1:])
