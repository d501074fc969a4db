"""Every HTML response carries the security headers (reliability check 18): every page the
demo's backbone admin can reach, the error pages, and, under the production settings, HSTS
on a real response and a 500 page that shows no stack trace."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from commonground.accounts.models import User
from commonground.demo.seed import seed_demo
from commonground.tests.browser import CspWatch
from commonground.tests.crawl import crawl

DIRECTIVES = ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'")
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
DATA_BLOCK = re.compile(r"""\btype=["']application/(?:ld\+)?json["']""", re.IGNORECASE)


def executable_scripts(html: str) -> list[str]:
    """The attributes of each ``<script>`` a browser would run (JSON data blocks are not run)."""
    return [attrs for attrs in SCRIPT.findall(html) if not DATA_BLOCK.search(attrs)]


def check_headers(where: str, headers: dict[str, str], html: str) -> list[str]:
    """What is wrong with one response's security headers (nothing: an empty list)."""
    problems = []
    csp = headers.get("Content-Security-Policy", "")
    problems += [f"{where}: CSP lacks {d}" for d in DIRECTIVES if d not in csp]
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{where}: no nosniff")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append(f"{where}: X-Frame-Options is not DENY")
    # Django names a nonce in the header only when the page used one; every script the
    # page runs must carry it.
    nonce = csp.split("'nonce-")[1].split("'")[0] if "'nonce-" in csp else None
    for attrs in executable_scripts(html):
        if nonce is None or f'nonce="{nonce}"' not in attrs:
            problems.append(f"{where}: a script without this response's nonce: <script{attrs}>")
    return problems


@pytest.mark.django_db
def test_every_crawled_page_and_error_page_carries_the_headers() -> None:
    seed_demo()
    client = Client()
    client.force_login(User.objects.get(email="alicia@riverregion.example"))
    pages = crawl(client, ["/c/river-region/", "/coalitions/", "/guide/", "/accounts/tokens/"])
    assert len(pages) > 60
    problems: list[str] = []
    for page in pages:
        problems += check_headers(page.path, dict(page.headers), page.html)
    # Error pages: a coalition that is not yours (404), a page your role may not open (403),
    # and the public pages a visitor without a sign-in sees.
    resident = Client()
    resident.force_login(User.objects.get(email="denise@residents.example"))
    visitor = Client()
    for who, path, status in (
        (client, "/c/no-such-coalition/", 404),
        (resident, "/c/river-region/members/invite/", 403),
        (visitor, "/accounts/sign-in/", 200),
        (visitor, "/c/river-region/", 302),
    ):
        response = who.get(path)
        assert response.status_code == status, (path, response.status_code)
        headers = {k: v for k, v in response.items()}
        problems += check_headers(f"{path} ({status})", headers, response.content.decode())
    assert problems == [], "\n".join(problems)


PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
out = {}
for name, path in (("page", "/accounts/sign-in/"), ("broken", "/p/river-region/")):
    response = client.get(path, secure=True, headers={"host": "health.example.org"})
    out[name] = {
        "status": response.status_code,
        "headers": dict(response.items()),
        "body": response.content.decode(errors="replace"),
    }
print(json.dumps(out))
"""


def test_production_settings_send_hsts_and_a_500_without_a_stack_trace(tmp_path: Path) -> None:
    """A real response under the production settings carries HSTS; a page whose database
    is not migrated (every table missing) gives the site's own 500 page, with no trace."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}},
        "DJANGO_SETTINGS_MODULE": "commonground.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "health.example.org",
        "COMMONGROUND_DATA_DIR": str(tmp_path),  # an empty database: no table exists
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    page, broken = out["page"], out["broken"]
    assert page["status"] == 200
    hsts = page["headers"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert check_headers("sign-in (production)", page["headers"], page["body"]) == []
    assert broken["status"] == 500
    assert "Something went wrong" in broken["body"] and "Algo salió mal" in broken["body"]
    for leak in ("Traceback", "OperationalError", "no such table", 'File "'):
        assert leak not in broken["body"]
    assert "Strict-Transport-Security" in broken["headers"]
    assert check_headers("500 (production)", broken["headers"], broken["body"]) == []


@pytest.mark.browser
def test_the_admin_runs_in_chromium_without_a_csp_violation(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    """Django's admin (which the crawler skips) under our CSP: its pages and scripts load
    with no violation, as an operator signed in with a superuser sees them."""
    seed_demo()
    User.objects.create_superuser("operator@example.org", "operator-password-9f8e")
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    watch = CspWatch(page)
    base = live_server.url
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "operator@example.org")
    page.fill("#id_password", "operator-password-9f8e")
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/admin/")
    visited = ["/admin/"]
    page.goto(f"{base}/admin/accounts/user/")  # the only model the admin shows
    page.locator("#result_list tbody th a").first.click()  # a person's change form
    page.wait_for_load_state("load")
    visited.append(page.url.removeprefix(base))
    page.goto(f"{base}/admin/accounts/user/add/")
    page.wait_for_load_state("load")
    visited.append(page.url.removeprefix(base))
    assert visited[1].startswith("/admin/accounts/user/") and visited[1].endswith("/change/")
    assert page.locator("form").count() >= 1  # a change form, with the admin's scripts
    assert watch.violations == [] and watch.errors == [], (watch.violations, watch.errors)
    context.close()
