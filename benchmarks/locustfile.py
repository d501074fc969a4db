"""The personas of the load test (run by ``benchmarks/locust_load.py``, which writes the plan).

Proportions, for 50 users: about 40 members reading pages, 7 residents answering the
public community survey and the assessments, one admin importing a small CSV through
the import wizard every half minute or so, and two capacity probes (one client each,
no pause: ``/healthz`` and the heavy pages) whose requests/s give the heavy-to-trivial
ratio in the same run.

Only the standard library and locust: it runs in whatever environment locust runs in.
The server runs in production mode, so its cookies are ``Secure``; over plain loopback
HTTP each simulated user keeps its own cookies and sends them itself.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant, task

from commonground.lib.html_forms import forms_of

PLAN: dict[str, Any] = json.loads(Path(os.environ["CG_LOAD_PLAN"]).read_text())
OK = {200}


def main_form(html: str, path: str) -> dict[str, Any] | None:
    """The page's own POST form: not the language switch, sign-out or discard button;
    the one posting back to the page itself first."""
    forms = [
        f
        for f in forms_of(html)
        if f["method"] == "post"
        and not any(w in f["action"] for w in ("setlang", "sign-out", "discard"))
    ]
    forms.sort(key=lambda f: f["action"] not in ("", path))
    return forms[0] if forms else None


def fill(form: dict[str, Any], overrides: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Answer a form as a person might: a choice in each group, numbers in range."""
    data: list[tuple[str, str]] = []
    radios: dict[str, list[str]] = {}
    for field in form["fields"]:
        kind, name = field["type"], field["name"]
        if overrides and name in overrides:
            continue
        if kind == "radio":
            radios.setdefault(name, []).append(field["value"])
        elif kind == "checkbox":
            if field["checked"] or random.random() < 0.3:
                data.append((name, field["value"] or "on"))
        elif kind == "select":
            options = [o for o in field["options"] if o]
            chosen = field["selected"] if field["selected"] is not None else None
            if chosen is None and options:
                chosen = random.choice(options)
            data.append((name, chosen or ""))
        elif kind in ("submit", "button", "image", "file", "reset"):
            continue
        elif kind == "number" and not field["value"]:
            data.append((name, field["min"] or "1"))
        else:
            data.append((name, field["value"]))
    for name, values in radios.items():
        data.append((name, random.choice([v for v in values if v] or values)))
    data.extend((overrides or {}).items())
    return data


class Visitor(HttpUser):
    """A person with a browser: own cookies, CSRF token from the page."""

    abstract = True

    def on_start(self) -> None:
        self.jar: dict[str, str] = {}
        # Its own address, as a reverse proxy would pass it (198.18.0.0/15: benchmarks).
        self.address = f"198.18.{random.randint(0, 255)}.{random.randint(1, 254)}"

    def send(
        self, method: str, path: str, name: str, expect: set[int] | None = None, **kwargs: Any
    ) -> Any:
        headers = kwargs.pop("headers", {})
        headers["X-Forwarded-For"] = self.address
        # A new connection per request: no race with gunicorn closing an idle keep-alive
        # connection (2 s) just as the next request goes out on it.
        headers["Connection"] = "close"
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        with self.client.request(
            method,
            path,
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            self.client.cookies.clear()  # sent by hand above (they are Secure)
            for cookie in response.cookies:
                self.jar[cookie.name] = cookie.value or ""
            if response.status_code not in (expect or OK):
                problem = f": {response.error!r}"[:300] if response.error else ""
                response.failure(f"answered {response.status_code}{problem}")
            else:
                response.success()
            return response

    def csrf(self, html: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return found.group(1) if found else ""

    def sign_in(self, email: str) -> None:
        page = self.send("GET", "/accounts/sign-in/", "sign in (form)")
        self.send(
            "POST",
            "/accounts/sign-in/",
            "sign in",
            {302},
            data={
                "username": email,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": self.csrf(page.text),
            },
        )


class Member(Visitor):
    """A partner, viewer or staff member reading the coalition's pages."""

    weight = 40
    wait_time = between(1, 4)

    def on_start(self) -> None:
        super().on_start()
        self.email = random.choice(PLAN["members"])
        self.sign_in(self.email)

    @task
    def read(self) -> None:
        name, path = random.choice(PLAN["pages_by_member"][self.email])
        self.send("GET", path, name)


class Resident(Visitor):
    """A resident: answers the public community survey (no sign-in) and, signed in as a
    community member, the coalition's assessment."""

    weight = 7
    wait_time = between(3, 8)

    accounts = itertools.count()  # each simulated resident signs in as a person of its own

    def on_start(self) -> None:
        super().on_start()
        self.signed_in = False
        people = PLAN.get("residents") or [PLAN["resident"]]
        self.account = people[next(Resident.accounts) % len(people)]

    @task(3)
    def public_survey(self) -> None:
        if not PLAN["public"]:
            return
        name, path = random.choice(PLAN["public"])
        self.jar.clear()
        self.signed_in = False
        page = self.send("GET", path, f"public {name}")
        form = main_form(page.text, path)
        if page.status_code != 200 or form is None:
            return
        self.send(
            "POST", form["action"] or path, f"public {name} (answer)", {200, 302}, data=fill(form)
        )

    @task(1)
    def assessment(self) -> None:
        if not self.account:
            return
        if not self.signed_in:
            self.jar.clear()
            self.sign_in(self.account)
            self.signed_in = True
        index = self.send("GET", f"/c/{PLAN['slug']}/assessments/", "assessments:index")
        links = sorted(set(re.findall(r'href="([^"]*/assessments/\d+/answer/)"', index.text)))
        if not links:
            return
        path = random.choice(links)
        page = self.send("GET", path, "assessments:answer")
        form = main_form(page.text, path)
        if page.status_code != 200 or form is None:
            return
        self.send(
            "POST", form["action"] or path, "assessments:answer (save)", {200, 302}, data=fill(form)
        )


class Importer(Visitor):
    """The backbone admin importing a small CSV through the import wizard."""

    fixed_count = 1
    wait_time = between(20, 40)

    def on_start(self) -> None:
        super().on_start()
        self.sign_in(PLAN["admin"])
        self.count = 0

    @task
    def import_csv(self) -> None:
        self.count += 1
        slug, what = PLAN["slug"], PLAN["import"]
        place = what["place"]
        rows = "".join(
            f"{place},{2015 + year},{group},{random.uniform(40, 90):.1f}\n"
            for year in range(8)
            for group in ("total", "black", "white", "hispanic")
        )
        content = ("place,period,group,value\n" + rows).encode()
        listing = self.send("GET", f"/c/{slug}/measurement/imports/", "import: list")
        uploaded = self.send(
            "POST",
            f"/c/{slug}/measurement/imports/",
            "import: upload",
            {302},
            data={"csrfmiddlewaretoken": self.csrf(listing.text)},
            files={"file": (f"visits-{self.count}.csv", content, "text/csv")},
        )
        check = uploaded.headers.get("Location", "")
        if uploaded.status_code != 302 or not check:
            return
        page = self.send("GET", check, "import: check")
        form = main_form(page.text, check)
        if form is None:
            return
        overrides = {"indicator_code": what["indicator_code"]}
        if not any(f["name"] == "indicator_code" for f in form["fields"]):
            overrides = {}
        confirmed = self.send(
            "POST", form["action"] or check, "import: confirm", {302}, data=fill(form, overrides)
        )
        job = confirmed.headers.get("Location", "")
        if confirmed.status_code != 302 or not job:
            return
        self.send("GET", job, "import: job page")


class HealthProbe(Visitor):
    """Capacity probe: ``/healthz`` back to back (the trivial page)."""

    fixed_count = 1
    wait_time = constant(0)

    @task
    def health(self) -> None:
        self.send("GET", "/healthz", "probe /healthz")


class HeavyProbe(Visitor):
    """Capacity probe: the heavy pages back to back, signed in as a member."""

    fixed_count = 1
    wait_time = constant(0)

    def on_start(self) -> None:
        super().on_start()
        self.sign_in(PLAN["admin"])

    @task
    def heavy(self) -> None:
        name, path = random.choice(PLAN["heavy"])
        self.send("GET", path, f"probe heavy {name}")
