"""Load test: concurrent clients on every network and measurement page, two servers.

Usage: .venv/bin/python benchmarks/load.py [--duration 60] [--clients 50]
                                           [--servers demo,gunicorn] [--keep]

Loopback only, bounded in time, stops by itself. In a temporary data folder it loads
the demo (``commonground demo --no-serve``), lists the GET pages of the demo coalition
under ``ecosystem/`` and ``measurement/`` from the URL conf (with sample object ids from
the demo data: actors, tie, survey, snapshot, indicators, result, measure, import job,
every export format), then for each server in turn:

* ``demo``: the demo's own server (``commonground demo --port N``: runserver and the
  background worker under the demo's supervisor, development mode, as a user runs it);
* ``gunicorn``: ``gunicorn commonground.wsgi -w 1 --threads 4`` in production mode
  (DEBUG off, a random SECRET_KEY; HTTPS redirect off because the test talks plain HTTP
  on 127.0.0.1).

It signs in as the demo's backbone admin through the sign-in form, requests each page
once (a page answering 405 takes POST only and is left out), then runs ``--clients``
threads for ``--duration`` seconds, each cycling through the pages from its own
starting point, one new connection per request. Prints requests/s and p50/p99 per page
and the errors; exits 1 if any request failed (not 200, or no answer within 60 s) or a
server process died (the demo's supervisor reports a restart, the process exited, or
``/healthz`` no longer answers), 0 otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60.0
START_TIMEOUT = 180.0
SLUG = "river-region"


@dataclass
class Outcome:
    page: str
    seconds: float
    error: str | None


@dataclass
class Server:
    label: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    cookies: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- preparation


def base_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(COMMONGROUND_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DEBUG", None)
    return env


def prepare(data_dir: Path) -> None:
    """Migrate and load the demo into the temporary data folder."""
    done = subprocess.run(
        [sys.executable, "-m", "commonground.manage", "demo", "--no-serve"],
        env=base_env(data_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"commonground demo --no-serve failed:\n{done.stdout}\n{done.stderr}")


def admin_email() -> str:
    from commonground.coalitions.models import Coalition, Membership

    coalition = Coalition.objects.get(slug=SLUG)
    from django_scopes import scope

    with scope(coalition=coalition):
        membership = (
            Membership.objects.filter(coalition=coalition, role=Membership.Role.BACKBONE_ADMIN)
            .select_related("user")
            .order_by("pk")
            .first()
        )
    assert membership is not None, "the demo has no backbone admin"
    return str(membership.user.email)


def samples() -> dict[str, list[str]]:
    """URL keyword -> sample values from the demo coalition."""
    from django.db.models import Count
    from django_scopes import scope

    from commonground.coalitions.models import Coalition
    from commonground.ecosystem import exchange
    from commonground.ecosystem.models import Actor, NetworkSurvey, Snapshot, SurveyInvitation, Tie
    from commonground.measurement.models import (
        ImportJob,
        Indicator,
        PerformanceMeasure,
        Result,
    )

    coalition = Coalition.objects.get(slug=SLUG)

    def ids(queryset: object, count: int = 1) -> list[str]:
        return [str(pk) for pk in list(queryset.values_list("pk", flat=True)[:count])]  # type: ignore[attr-defined]

    with scope(coalition=coalition):
        actors = Actor.objects.filter(coalition=coalition).annotate(
            ties=Count("ties_out", distinct=True) + Count("ties_in", distinct=True)
        )
        values = {
            "coalition_slug": [SLUG],
            # The most connected partner and one with few ties.
            "actor_id": ids(actors.order_by("-ties", "pk")) + ids(actors.order_by("ties", "pk")),
            "tie_id": ids(Tie.objects.filter(coalition=coalition).order_by("pk")),
            "survey_id": ids(NetworkSurvey.objects.filter(coalition=coalition).order_by("pk")),
            "link_id": ids(SurveyInvitation.objects.filter(coalition=coalition).order_by("pk")),
            "snapshot_id": ids(Snapshot.objects.filter(coalition=coalition).order_by("pk")),
            "network_format": list(exchange.NETWORK_FORMATS),
            "data_format": list(exchange.DATA_FORMATS),
            "indicator_id": ids(Indicator.objects.filter(coalition=coalition).order_by("pk"), 2),
            "result_id": ids(Result.objects.filter(coalition=coalition).order_by("pk")),
            "measure_id": ids(
                PerformanceMeasure.objects.filter(coalition=coalition).order_by("pk")
            ),
            "job_id": ids(ImportJob.objects.filter(coalition=coalition).order_by("pk")),
        }
    return values


def candidate_pages() -> tuple[list[tuple[str, str]], list[str]]:
    """(name, path) of every ecosystem/ and measurement/ page of the demo coalition."""
    from django.urls import reverse

    from commonground.ecosystem import urls as ecosystem_urls
    from commonground.measurement import urls as measurement_urls

    values = samples()
    pages: list[tuple[str, str]] = []
    left_out: list[str] = []
    for module in (ecosystem_urls, measurement_urls):
        for pattern in module.urlpatterns:
            route = str(pattern.pattern)
            name = f"{module.app_name}:{pattern.name}"
            keywords = re.findall(r"<(?:\w+:)?(\w+)>", route)
            if "coalition_slug" not in keywords:
                left_out.append(f"{name} (not a page of the coalition: {route})")
                continue
            missing = [k for k in keywords if not values.get(k)]
            if missing:
                left_out.append(f"{name} (the demo has no {', '.join(missing)})")
                continue
            for combination in itertools.product(*(values[k] for k in keywords)):
                kwargs = dict(zip(keywords, combination, strict=True))
                label = pattern.name or route
                extra = [f"{k}={v}" for k, v in kwargs.items() if k != "coalition_slug"]
                if extra:
                    label += " " + ",".join(extra)
                pages.append((f"{module.app_name}:{label}", reverse(name, kwargs=kwargs)))
    return pages, left_out


# ---------------------------------------------------------------- HTTP


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def request(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection; returns (status, cookies set, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
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
        return response.status, set_cookies, content
    finally:
        connection.close()


def sign_in(port: int, email: str, password: str) -> dict[str, str]:
    status, cookies, page = request(port, "GET", "/accounts/sign-in/", {})
    assert status == 200, f"sign-in page answered {status}"
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None, "no CSRF token on the sign-in page"
    form = urllib.parse.urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
    ).encode()
    status, more, _ = request(
        port,
        "POST",
        "/accounts/sign-in/",
        cookies,
        form,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    cookies.update(more)
    assert status == 302 and any("sessionid" in k for k in cookies), (
        f"sign-in failed (answer {status})"
    )
    return cookies


def healthy(port: int) -> bool:
    try:
        return request(port, "GET", "/healthz", {})[0] == 200
    except OSError:
        return False


# ---------------------------------------------------------------- servers


@contextmanager
def running(server: Server, port: int) -> Iterator[Server]:
    with server.log.open("wb") as log:
        server.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            server.argv, env=server.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not healthy(port):
                if server.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        f"{server.label} did not start; its output:\n{server.log.read_text()}"
                    )
                time.sleep(0.5)
            yield server
        finally:
            if server.process.poll() is None:
                server.process.send_signal(signal.SIGTERM)
                try:
                    server.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.process.kill()
                    server.process.wait(timeout=30)


def servers(data_dir: Path, names: Sequence[str]) -> list[Server]:
    env = base_env(data_dir)
    port = free_port()
    production = {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": HOST,
    }
    known = {
        "demo": Server(
            "demo server (commonground demo)",
            [sys.executable, "-m", "commonground.manage", "demo", "--port", str(port)],
            env,
            data_dir / "demo.log",
            port,
        ),
        "gunicorn": Server(
            "gunicorn, 1 worker, 4 threads",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "commonground.wsgi",
                "-w",
                "1",
                "--threads",
                "4",
                "-b",
                f"{HOST}:{port}",
                "--timeout",
                "120",
            ],
            production,
            data_dir / "gunicorn.log",
            port,
        ),
    }
    return [known[name] for name in names]


# ---------------------------------------------------------------- load


def probe(
    port: int, cookies: dict[str, str], pages: list[tuple[str, str]]
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Request each page once: (GET pages, POST-only pages, failures)."""
    kept, post_only, failures = [], [], []
    for name, path in pages:
        try:
            status = request(port, "GET", path, cookies)[0]
        except OSError as error:
            failures.append(f"{name} {path}: {error!r}")
            continue
        if status == 200:
            kept.append((name, path))
        elif status == 405:
            post_only.append(name)
        else:
            failures.append(f"{name} {path}: answered {status}")
    return kept, post_only, failures


def load(
    port: int,
    cookies: dict[str, str],
    pages: list[tuple[str, str]],
    clients: int,
    duration: float,
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    deadline = time.monotonic() + duration

    def client(number: int) -> None:
        for index in itertools.count(number * max(1, len(pages) // clients)):
            if time.monotonic() >= deadline:
                return
            name, path = pages[index % len(pages)]
            start = time.perf_counter()
            error = None
            try:
                status = request(port, "GET", path, cookies)[0]
                if status != 200:
                    error = f"answered {status}"
            except OSError as failure:
                error = repr(failure)
            outcomes.append(Outcome(name, time.perf_counter() - start, error))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + REQUEST_TIMEOUT + 5)
    return outcomes


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(label: str, outcomes: list[Outcome], duration: float, clients: int) -> int:
    by_page: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_page[outcome.page].append(outcome)
    errors = [o for o in outcomes if o.error]
    print(f"\n== {label}: {clients} clients for {duration:.0f} s ==")
    print(f"{'page':58} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for page in sorted(by_page):
        rows = by_page[page]
        times = [o.seconds * 1000 for o in rows]
        print(
            f"{page[:58]:58} {len(rows) / duration:7.2f} {percentile(times, 0.5):8.0f} "
            f"{percentile(times, 0.99):8.0f} {sum(1 for o in rows if o.error):6d}"
        )
    everything = [o.seconds * 1000 for o in outcomes]
    if everything:
        print(
            f"{'all pages':58} {len(outcomes) / duration:7.2f} "
            f"{percentile(everything, 0.5):8.0f} {percentile(everything, 0.99):8.0f} "
            f"{len(errors):6d}"
        )
    for error in errors[:10]:
        print(f"  error: {error.page}: {error.error}")
    return len(errors)


def died(server: Server, port: int) -> str | None:
    assert server.process is not None
    if server.process.poll() is not None:
        return f"the process exited with code {server.process.returncode}"
    if not healthy(port):
        return "/healthz no longer answers"
    if "The web server stopped" in server.log.read_text(errors="replace"):
        return "the demo's supervisor had to restart the web server"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--servers", default="demo,gunicorn", help="demo,gunicorn (both)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = parser.parse_args()
    names = [n.strip() for n in args.servers.split(",") if n.strip()]
    if not names or any(n not in ("demo", "gunicorn") for n in names):
        parser.error("--servers takes demo, gunicorn or both")
    if not (1 <= args.clients <= 500 and 1 <= args.duration <= 3600):
        parser.error("--clients must be 1-500 and --duration 1-3600 seconds")

    data_dir = Path(tempfile.mkdtemp(prefix="cg-load-"))
    print(f"Data folder: {data_dir}")
    prepare(data_dir)
    os.environ.update(base_env(data_dir))
    os.environ["DEBUG"] = "1"
    sys.path.insert(0, str(ROOT))
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    django.setup()
    from commonground.demo.seed import DEMO_PASSWORD

    pages, left_out = candidate_pages()
    email = admin_email()
    print(f"{len(pages)} candidate pages of {SLUG}; signing in as {email}")
    for line in left_out:
        print(f"  left out: {line}")

    failed = 0
    for server in servers(data_dir, names):
        port = server.port
        with running(server, port):
            cookies = sign_in(port, email, DEMO_PASSWORD)
            kept, post_only, failures = probe(port, cookies, pages)
            print(f"\n{server.label}: {len(kept)} GET pages; POST only: {', '.join(post_only)}")
            for failure in failures:
                print(f"  FAILED on first request: {failure}")
            outcomes = load(port, cookies, kept, args.clients, args.duration)
            errors = report(server.label, outcomes, args.duration, args.clients) + len(failures)
            death = died(server, port)
            print(f"server alive afterwards: {'no, ' + death if death else 'yes'}")
            failed += errors + (1 if death else 0)
    if not args.keep:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)
    print("\nRESULT:", "FAILED" if failed else "OK (0 errors, servers alive)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
