"""Load test with locust: the demo's personas against gunicorn, a task worker and PostgreSQL.

Usage: .venv/bin/python benchmarks/locust_load.py [--duration 10m] [--users 50]
           [--capacity 2m] [--spawn-rate 10] [--coalitions 0] [--keep] [--locust PATH]
           [--postgres postgres://postgres@127.0.0.1:5432]

Loopback only, bounded in time, stops by itself. It

1. creates its own PostgreSQL database ``cg_load_<random>`` on ``--postgres`` (dropped at
   the end unless ``--keep``), migrates it and loads the demo (``commonground demo
   --no-serve``); with ``--coalitions N`` it then generates N more small coalitions
   (members, places, partners, ties) so that the pages are measured with many tenants;
2. lists the GET pages of the demo coalition from the URL conf of every app (with sample
   ids from the demo data, as ``benchmarks/load.py`` does), the public survey links of
   the demo, the assessments open for answers, and the data of a small CSV import;
3. starts ``gunicorn commonground.wsgi -w 2 --threads 4`` in production mode (DEBUG off,
   a random SECRET_KEY, HTTPS redirect off because the test talks plain HTTP on
   127.0.0.1) and one ``commonground db_worker``; requests each page once as a member and
   keeps the pages that answer 200;
4. runs ``locust -f benchmarks/locustfile.py --headless`` twice against the same servers:
   for DURATION, the personas (USERS - 2 of them: members reading pages, residents
   answering the public survey and assessments, one admin importing a small CSV through
   the import wizard); then for CAPACITY, the same personas and two probes that measure
   capacity (one requests ``/healthz`` back to back, one the heavy pages back to back).
   The probes keep both cores busy by design, so they run in a window of their own
   rather than inflate every page's time in the personas' run;
5. prints p50 and p99 per page of the personas' run, the requests/s of the heavy pages
   against ``/healthz`` in the capacity window (their ratio), and the errors of both;
   exits 1 on any failed request or a dead process.

locust is found as ``sys.executable -m locust`` (the dev extras install it), else at
``--locust PATH``.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import itertools
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SLUG = "river-region"
START_TIMEOUT = 180.0
RESIDENT_ACCOUNTS = 20  # more than the residents the locustfile starts (7 of 50 users)
# Pages whose analysis or aggregation makes them the heaviest (the "heavy pages").
HEAVY = (
    "coalitions:home",  # the roadmap
    "ecosystem:map",
    "ecosystem:scores",
    "measurement:dashboard",
    "measurement:explorer",  # an indicator by group and place: the equity view
    "measurement:map",
    "assessments:roadmap",  # the action plan
)
# Pages left out of the members' cycle: downloads and printable worksheets are not what a
# member reads, and the wizard's pages belong to the importing admin.
# The locustfile's user classes: the personas, and the capacity probes.
PERSONAS = ["Member", "Resident", "Importer"]
PROBES = ["HealthProbe", "HeavyProbe"]
SKIPPED = re.compile(r"export|\.csv|\.xlsx|\.json|\.pdf|\.png|\.svg|paper|download|/imports/")


# ---------------------------------------------------------------- helpers


def parse_duration(text: str) -> float:
    """``90``, ``90s``, ``10m``, ``1h30m`` -> seconds (locust's -t format)."""
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = re.findall(r"(\d+)([hms])", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 90s, 10m, 1h)")
    return float(sum(int(n) * {"h": 3600, "m": 60, "s": 1}[u] for n, u in parts))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def healthy(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        connection.request("GET", "/healthz", headers={"Host": f"{HOST}:{port}"})
        ok = connection.getresponse().status == 200
        connection.close()
        return ok
    except OSError:
        return False


def find_locust(explicit: str | None) -> list[str]:
    candidates = [[sys.executable, "-m", "locust"]]
    if explicit:
        candidates.insert(0, [explicit])
    for argv in candidates:
        try:
            done = subprocess.run(  # noqa: S603 - locust, asked for its version
                [*argv, "--version"], capture_output=True, text=True, timeout=120, check=False
            )
        except OSError:
            continue
        if done.returncode == 0:
            print(f"locust: {' '.join(argv)} ({done.stdout.strip().splitlines()[0]})")
            return argv
    sys.exit(
        "locust is not installed in this environment: install the dev extras "
        "(locust==2.47.0) or pass --locust /path/to/locust"
    )


def base_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DEBUG")
    }
    env.update(COMMONGROUND_DATA_DIR=str(data_dir), DATABASE_URL=database_url, PYTHONUNBUFFERED="1")
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "commonground.manage", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"commonground {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def postgres(server: str, sql: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(server)
    with psycopg.connect(
        host=parts.hostname or HOST,
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password or "") or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(sql)


# ---------------------------------------------------------------- generated coalitions


def generate(count: int) -> None:
    """``count`` small coalitions: 3-6 members, 1-3 counties, 8-20 partners, 10-40 ties."""
    from django.contrib.auth.hashers import make_password
    from django.db import models, transaction
    from django_scopes import scope

    from commonground.accounts.models import User
    from commonground.coalitions import services
    from commonground.coalitions.models import Membership
    from commonground.ecosystem.models import Actor, Tie

    rng = random.Random(13)
    password = make_password(secrets.token_urlsafe(16))
    counties = ["01001", "01003", "01101", "13121", "13089", "28049", "28151", "47157", "22071"]
    roles = [Membership.Role.PARTNER, Membership.Role.COMMUNITY_MEMBER, Membership.Role.VIEWER]
    words = ["Health", "Care", "Wellness", "Community", "Family", "Youth", "Food", "Housing"]

    def filled(model: type[models.Model], **given: Any) -> Any:
        """A row with the given values and a listed choice for each other required field."""
        for field in model._meta.concrete_fields:
            if field.name in given or field.primary_key or field.has_default() or field.null:
                continue
            if field.choices:
                given[field.name] = rng.choice([value for value, _ in field.flatchoices])
        return model(**given)

    started = time.monotonic()
    for number in range(count):
        with transaction.atomic():
            creator = User.objects.create(
                username=f"lead{number}@generated.example",
                email=f"lead{number}@generated.example",
                display_name=f"Lead {number}",
                password=password,
            )
            coalition = services.create_coalition(
                creator=creator,
                name=f"{rng.choice(words)} {rng.choice(words)} Coalition {number}",
                slug=f"generated-{number}",
                places=services.parse_places(
                    counties=",".join(rng.sample(counties, rng.randint(1, 3)))
                ),
                focus_areas=["Maternal health"],
            )
            people = User.objects.bulk_create(
                User(
                    username=f"member{number}-{i}@generated.example",
                    email=f"member{number}-{i}@generated.example",
                    display_name=f"Member {number}-{i}",
                    password=password,
                )
                for i in range(rng.randint(2, 5))
            )
            with scope(coalition=coalition):
                Membership.objects.bulk_create(
                    Membership(coalition=coalition, user=person, role=rng.choice(roles))
                    for person in people
                )
                actors = Actor.objects.bulk_create(
                    filled(Actor, coalition=coalition, name=f"Partner {number}-{i}")
                    for i in range(rng.randint(8, 20))
                )
                pairs = {tuple(rng.sample(actors, 2)) for _ in range(rng.randint(10, 40))}
                Tie.objects.bulk_create(
                    filled(Tie, coalition=coalition, from_actor=a, to_actor=b) for a, b in pairs
                )
        if (number + 1) % 100 == 0:
            print(f"  {number + 1} coalitions in {time.monotonic() - started:.0f} s", flush=True)
    print(f"Generated {count} coalitions in {time.monotonic() - started:.0f} s")


# ---------------------------------------------------------------- the plan


def plan() -> dict[str, Any]:
    """Pages, people and links for the personas, read from the demo data."""
    from django.db.models import Count
    from django.urls import URLPattern, URLResolver, get_resolver, reverse
    from django_scopes import scope, scopes_disabled

    from commonground.coalitions.models import Coalition, Membership
    from commonground.demo.seed import DEMO_PASSWORD

    coalition = Coalition.objects.get(slug=SLUG)

    # Sample values for URL keywords: ``<thing>_id`` takes the first row of the model named
    # ``thing`` (or ending so: survey_id -> networksurvey); the most connected actor.
    from django.apps import apps

    by_model: dict[str, list[str]] = {}
    with scope(coalition=coalition):
        for model in apps.get_models():
            if not any(f.name == "coalition" for f in model._meta.fields):
                continue
            rows = model._default_manager.filter(coalition=coalition).order_by("pk")
            if model._meta.model_name == "actor":
                rows = rows.annotate(
                    n=Count("ties_out", distinct=True) + Count("ties_in", distinct=True)
                ).order_by("-n", "pk")
            ids = [str(pk) for pk in rows.values_list("pk", flat=True)[:1]]
            if ids:
                by_model[str(model._meta.model_name)] = ids
    aliases = {"link": "surveyinvitation", "job": "importjob", "wave": "surveywave"}

    def sample(keyword: str) -> list[str]:
        if keyword == "coalition_slug":
            return [SLUG]
        if not keyword.endswith("_id"):
            return []
        stem = keyword[: -len("_id")].replace("_", "")
        stem = aliases.get(stem, stem)
        if stem in by_model:
            return by_model[stem]
        return next((by_model[n] for n in sorted(by_model) if n.endswith(stem)), [])

    pages: list[list[str]] = []
    left_out: list[str] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(
                    entry.url_patterns,
                    prefix + str(entry.pattern),
                    entry.namespace or namespace,
                )
            elif isinstance(entry, URLPattern) and entry.name:
                yield (
                    f"{namespace}:{entry.name}" if namespace else entry.name,
                    prefix + str(entry.pattern),
                )

    for name, route in walk(get_resolver().url_patterns, "", ""):
        if name.startswith(("admin:", "api")) or "coalition_slug" not in route:
            continue
        keywords = re.findall(r"<(?:\w+:)?(\w+)>", route)
        missing = [k for k in keywords if not sample(k)]
        if missing:
            left_out.append(f"{name} (no sample for {', '.join(missing)})")
            continue
        kwargs = {k: sample(k)[0] for k in keywords}
        path = reverse(name, kwargs=kwargs)
        if SKIPPED.search(path):
            continue
        pages.append([name, path])

    # Public links (no sign-in): every route keyed by a token, with the tokens of the
    # demo's rows whose model has a ``token`` field (the page is kept if it answers 200).
    public: list[list[str]] = []
    with scopes_disabled():
        tokens = [
            str(token)
            for model in apps.get_models()
            if any(f.name == "token" for f in model._meta.fields)
            and any(f.name == "coalition" for f in model._meta.fields)
            for token in model._default_manager.filter(coalition=coalition).values_list(
                "token", flat=True
            )[:3]
        ]
    for name, route in walk(get_resolver().url_patterns, "", ""):
        keywords = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if len(keywords) == 1 and keywords[0].endswith("_token"):
            for token in tokens:
                with_token = reverse(name, kwargs={keywords[0]: token})
                public.append([name, with_token])

    with scope(coalition=coalition):
        memberships = {
            m.role: m.user.email
            for m in Membership.objects.filter(coalition=coalition)
            .select_related("user")
            .order_by("-pk")
        }
    # One account per simulated resident: a person answers a round once, and residents
    # sharing one account would race to answer it twice (refused, rightly, with a 400).
    from commonground.accounts.models import User

    residents = [f"load-resident-{n}@residents.example" for n in range(RESIDENT_ACCOUNTS)]
    with scope(coalition=coalition):
        for email in residents:
            if not User.objects.filter(email=email).exists():
                user = User.objects.create_user(email, DEMO_PASSWORD)
                Membership.objects.create(
                    coalition=coalition, user=user, role=Membership.Role.COMMUNITY_MEMBER
                )
    from commonground.coalitions.models import Place
    from commonground.measurement.models import Indicator

    with scope(coalition=coalition):
        indicator = (
            Indicator.objects.filter(coalition=coalition).order_by("pk").values("code").first()
        )
        places = list(
            Place.objects.filter(coalition=coalition, kind=Place.Kind.COUNTY)
            .order_by("pk")
            .values_list("code", flat=True)[:1]
        )
    return {
        "slug": SLUG,
        "password": DEMO_PASSWORD,
        "admin": memberships.get(Membership.Role.BACKBONE_ADMIN, ""),
        "members": sorted(
            {e for r, e in memberships.items() if r != Membership.Role.COMMUNITY_MEMBER}
        ),
        "resident": memberships.get(Membership.Role.COMMUNITY_MEMBER, ""),
        "residents": residents,
        "pages": pages,
        "heavy": [p for p in pages if p[0] in HEAVY],
        "public": public,
        "left_out": left_out,
        "import": {
            "indicator_code": "load_test_visits",
            "existing_indicator": (indicator or {}).get("code", ""),
            "place": places[0] if places else "01101",
        },
    }


# ---------------------------------------------------------------- processes


@contextmanager
def process(argv: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            argv, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            yield child
        finally:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait(timeout=30)


def read_stats(prefix: Path) -> list[dict[str, str]]:
    with (prefix.parent / f"{prefix.name}_stats.csv").open() as table:
        return list(csv.DictReader(table))


def report(stats: list[dict[str, str]]) -> int:
    """Print p50 and p99 per page and over all requests; return the failures."""
    print(f"\n{'page':62} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'fails':>5}")
    failures = 0
    for row in sorted(stats, key=lambda r: r["Name"]):
        if row["Name"] == "Aggregated":
            continue
        failures += int(row["Failure Count"])
        print(
            f"{row['Name'][:62]:62} {row['Request Count']:>8} {float(row['Requests/s']):7.2f} "
            f"{row['50%']:>7} {row['99%']:>7} {row['Failure Count']:>5}"
        )
    total = next((r for r in stats if r["Name"] == "Aggregated"), None)
    if total:
        print(
            f"{'all requests':62} {total['Request Count']:>8} {float(total['Requests/s']):7.2f} "
            f"{total['50%']:>7} {total['99%']:>7} {total['Failure Count']:>5}"
        )
    slow = [
        f"{r['Name']} ({r['99%']} ms)"
        for r in stats
        if r["Name"] != "Aggregated" and r["99%"] not in ("", "N/A") and float(r["99%"]) > 250
    ]
    print("p99 over 250 ms: " + (", ".join(slow) if slow else "none"))
    return failures


def capacity(stats: list[dict[str, str]]) -> tuple[int, float]:
    """Print the probes' throughput and the personas' times beside them; return the
    failures and the heavy pages' share of ``/healthz``'s throughput."""
    failures = sum(int(r["Failure Count"]) for r in stats if r["Name"] != "Aggregated")
    probe_heavy = sum(float(r["Requests/s"]) for r in stats if r["Name"].startswith("probe heavy"))
    probe_health = sum(float(r["Requests/s"]) for r in stats if r["Name"] == "probe /healthz")
    ratio = probe_heavy / probe_health if probe_health else 0.0
    personas = [r for r in stats if r["Name"] != "Aggregated" and not r["Name"].startswith("probe")]
    count = sum(int(r["Request Count"]) for r in personas)
    print(
        f"\nCapacity window (the personas plus one client each on /healthz and on the heavy "
        f"pages, back to back): heavy pages {probe_heavy:.1f} req/s, /healthz "
        f"{probe_health:.1f} req/s, ratio {ratio:.0%}; the personas' {count} requests "
        f"beside them: p99 {max((float(r['99%']) for r in personas if r['99%'] not in ('', 'N/A')), default=0):.0f} ms at most per page; "
        f"failures {failures}"
    )
    return failures, ratio


def request(
    port: int, method: str, path: str, cookies: dict[str, str], body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection: (status, cookies set, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        headers = {"Host": f"{HOST}:{port}", "Connection": "close"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        set_cookies = {}
        for header in response.msg.get_all("Set-Cookie") or []:
            key, _, value = header.split(";", 1)[0].partition("=")
            set_cookies[key.strip()] = value.strip()
        return response.status, set_cookies, content
    finally:
        connection.close()


def sign_in(port: int, email: str, password: str) -> dict[str, str]:
    status, cookies, page = request(port, "GET", "/accounts/sign-in/", {})
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        sys.exit(f"the sign-in page answered {status}")
    form = urllib.parse.urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
    ).encode()
    status, more, _ = request(port, "POST", "/accounts/sign-in/", cookies, form)
    cookies.update(more)
    if status != 302:
        sys.exit(f"signing in as {email} answered {status}")
    return cookies


def probe(port: int, the_plan: dict[str, Any]) -> None:
    """Keep, for each person, the pages that answer them 200; the public links that answer
    200 without signing in; the heavy pages that answer the admin 200."""
    from concurrent.futures import ThreadPoolExecutor

    def answers(cookies: dict[str, str], pages: list[list[str]]) -> list[int]:
        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(lambda page: request(port, "GET", page[1], cookies)[0], pages))

    by_person: dict[str, list[list[str]]] = {}
    for email in the_plan["members"]:
        cookies = sign_in(port, email, the_plan["password"])
        codes = answers(cookies, the_plan["pages"])
        by_person[email] = [p for p, c in zip(the_plan["pages"], codes, strict=True) if c == 200]
        others = sorted({c for c in codes if c != 200})
        print(f"  {email}: {len(by_person[email])} pages answer 200 (others: {others})")
    the_plan["pages_by_member"] = by_person
    the_plan["heavy"] = [p for p in by_person.get(the_plan["admin"], []) if p[0] in HEAVY]
    codes = answers({}, the_plan["public"])
    the_plan["public"] = [p for p, c in zip(the_plan["public"], codes, strict=True) if c == 200]
    print(
        f"  public links answering 200: {len(the_plan['public'])}; heavy pages: "
        f"{', '.join(p[0] for p in the_plan['heavy'])}"
    )


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", default="10m", help="locust -t (10m)")
    parser.add_argument("--users", type=int, default=50, help="simulated users (50)")
    parser.add_argument(
        "--capacity", default="2m", help="locust -t of the window with the probes (2m)"
    )
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second")
    parser.add_argument("--coalitions", type=int, default=0, help="extra coalitions (0)")
    parser.add_argument("--keep", action="store_true", help="keep the database and folder")
    parser.add_argument("--locust", help="path of a locust program if not in this venv")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server"
    )
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)  # internal
    parser.add_argument("--plan", type=Path, help=argparse.SUPPRESS)  # internal
    args = parser.parse_args()

    if args.generate is not None or args.plan is not None:  # child modes, with Django
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
        import django

        django.setup()
        if args.generate is not None:
            generate(args.generate)
        else:
            args.plan.write_text(json.dumps(plan(), indent=1))
        return 0

    seconds = parse_duration(args.duration)
    window = parse_duration(args.capacity)
    if not (
        3 <= args.users <= 500
        and 1 <= seconds <= 3600
        and 1 <= window <= 3600
        and 0 <= args.coalitions <= 10000
    ):
        parser.error("--users 3-500, --duration and --capacity up to 1h, --coalitions 0-10000")
    if urllib.parse.urlsplit(args.postgres).hostname not in (HOST, "localhost", "::1"):
        parser.error("--postgres must be on loopback")
    locust = find_locust(args.locust)

    name = f"cg_load_{secrets.token_hex(4)}"
    data_dir = Path(tempfile.mkdtemp(prefix="cg-locust-"))
    database_url = f"{args.postgres.rstrip('/')}/{name}"
    env = base_env(data_dir, database_url)
    print(f"Database {name}; folder {data_dir}")
    postgres(args.postgres, f'CREATE DATABASE "{name}"')
    failed, ratio = 0, 0.0
    try:
        started = time.monotonic()
        manage({**env, "DEBUG": "1"}, "demo", "--no-serve")
        print(f"Demo loaded in {time.monotonic() - started:.0f} s")
        if args.coalitions:
            started = time.monotonic()
            done = subprocess.run(  # noqa: S603 - this script, in its generating mode
                [sys.executable, __file__, "--generate", str(args.coalitions)],
                env={**env, "DEBUG": "1"},
                cwd=ROOT,
                text=True,
                timeout=1800,
                check=False,
            )
            if done.returncode != 0:
                sys.exit("generating coalitions failed")
        plan_file = data_dir / "plan.json"
        done = subprocess.run(  # noqa: S603 - this script, in its planning mode
            [sys.executable, __file__, "--plan", str(plan_file)],
            env={**env, "DEBUG": "1"},
            cwd=ROOT,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            sys.exit("listing the pages failed")
        the_plan = json.loads(plan_file.read_text())
        for line in the_plan["left_out"]:
            print(f"  left out: {line}")

        port = free_port()
        production = {
            **env,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": "WARNING",
            # As behind the reverse proxy of docs/deploy.md: each simulated person comes
            # from an address of its own (X-Forwarded-For), so the per-address sign-in
            # throttle sees 50 people, not one.
            "TRUSTED_PROXIES": HOST,
        }
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "commonground.wsgi",
            "-w",
            "2",
            "--threads",
            "4",
            "-b",
            f"{HOST}:{port}",
            "--timeout",
            "60",
        ]
        worker = [sys.executable, "-m", "commonground.manage", "db_worker", "--interval", "0.5"]
        with (
            process(web, production, data_dir / "gunicorn.log") as server,
            process(worker, production, data_dir / "worker.log") as task_worker,
        ):
            deadline = time.monotonic() + START_TIMEOUT
            while not healthy(port):
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit((data_dir / "gunicorn.log").read_text(errors="replace")[-4000:])
                time.sleep(0.5)
            probe(port, the_plan)
            plan_file.write_text(json.dumps(the_plan))
            print(
                f"gunicorn (2 workers x 4 threads) on {HOST}:{port}, one db_worker; "
                f"{len(the_plan['pages'])} coalition pages, {len(the_plan['public'])} public "
                f"links; locust: {args.users - 2} personas for {args.duration}, then the "
                f"personas and 2 probes for {args.capacity}"
            )

            def run_locust(prefix: Path, users: int, duration: str, classes: list[str]) -> bool:
                run = subprocess.run(  # noqa: S603 - locust with our own arguments
                    [
                        *locust,
                        "-f",
                        str(ROOT / "benchmarks" / "locustfile.py"),
                        "--headless",
                        "-u",
                        str(users),
                        "-r",
                        str(args.spawn_rate),
                        "-t",
                        duration,
                        "--host",
                        f"http://{HOST}:{port}",
                        "--csv",
                        str(prefix),
                        "--only-summary",
                        "--stop-timeout",
                        "30",
                        "--exit-code-on-error",
                        "0",
                        *classes,
                    ],
                    env={**os.environ, "CG_LOAD_PLAN": str(plan_file)},
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=parse_duration(duration) + 600,
                    check=False,
                )
                if run.returncode != 0:
                    print(run.stdout[-3000:], run.stderr[-6000:])
                return run.returncode == 0

            personas, probes = data_dir / "personas", data_dir / "capacity"
            failed += not run_locust(personas, args.users - 2, args.duration, PERSONAS)
            failed += not run_locust(probes, args.users, args.capacity, [*PERSONAS, *PROBES])
            dead = [
                label
                for label, child in (("gunicorn", server), ("db_worker", task_worker))
                if child.poll() is not None
            ] + ([] if healthy(port) else ["/healthz"])
        failures = report(read_stats(personas))
        more, ratio = capacity(read_stats(probes))
        failures += more
        errors = [
            line
            for prefix in (personas, probes)
            for line in (data_dir / f"{prefix.name}_failures.csv")
            .read_text()
            .strip()
            .splitlines()[1:]
        ]
        for line in errors[:20]:
            print(f"  failure: {line}")
        print(f"Processes alive afterwards: {'no: ' + ', '.join(dead) if dead else 'yes'}")
        log = (data_dir / "gunicorn.log").read_text(errors="replace")
        for what in ("WORKER TIMEOUT", "Booting worker", "Internal Server Error"):
            print(f"  gunicorn log: {log.count(what)} x {what!r}")
        failed += failures + len(dead)
    finally:
        if not args.keep:
            with_retry = itertools.repeat(None, 5)
            for _ in with_retry:
                try:
                    postgres(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    break
                except Exception:
                    time.sleep(2)
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print(f"Kept database {name} and folder {data_dir}")
    print("\nRESULT:", "FAILED" if failed else f"OK (0 errors; heavy/healthz {ratio:.0%})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
