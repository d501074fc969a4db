"""End to end in headless Chromium: a member reads the system map, highlights a loop,
adds a link with the form, and opens the asset map; no CSP violation, no serious axe
finding."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_scopes import scope
from playwright.sync_api import Browser

from commonground.coalitions import services as coalitions
from commonground.conftest import PASSWORD, make_user
from commonground.systems import services
from commonground.tests.browser import CspWatch, serious_violations, shoot

pytestmark = pytest.mark.browser


def test_member_reads_the_loops_and_adds_a_link(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    admin = make_user("lead@valley.example", "Lee Lead")
    coalition = coalitions.create_coalition(
        creator=admin,
        name="Valley Health Alliance",
        slug="valley",
        places=coalitions.parse_places(counties="01101, 01085"),
    )
    with scope(coalition=coalition):
        names = ["Housing instability", "Stress", "Chronic illness", "Medical debt", "CHW outreach"]
        f = {n: services.create_factor(coalition=coalition, actor=admin, name=n) for n in names}
        for s, t, p, d in (
            ("Housing instability", "Stress", "+", False),
            ("Stress", "Chronic illness", "+", True),
            ("Chronic illness", "Medical debt", "+", False),
            ("Medical debt", "Housing instability", "+", False),
            ("Chronic illness", "CHW outreach", "+", False),
        ):
            services.create_link(
                coalition=coalition, actor=admin, source=f[s], target=f[t], polarity=p, has_delay=d
            )
        services.create_asset(
            coalition=coalition, actor=admin, name="Oak Park", category="park", county_code="01101"
        )
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp = CspWatch(page)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("lead@valley.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/coalitions/|/c/"))

    page.goto(f"{base}/c/valley/systems/")
    page.wait_for_selector("#system-map[data-ready=true]")
    assert page.locator(".sys-node").count() == 5
    assert "1 feedback loop of up to 8 links: 1 reinforcing, 0 balancing." in page.content()
    page.get_by_label("Show a loop").select_option("R1")
    assert (
        "Showing loop R1: Chronic illness → Medical debt"
        in page.locator("#map-status").inner_text()
    )
    assert page.locator(".sys-link.is-active").count() == 4
    assert serious_violations(page) == []
    shoot(page, "systems-map")

    # Close the balancing loop with the form: outreach brings illness down.
    page.get_by_role("link", name="Add a link").click()
    page.get_by_label("From").select_option(label="CHW outreach")
    page.get_by_label("To").select_option(label="Chronic illness")
    page.get_by_label("Polarity").select_option("-")
    page.get_by_label("The effect comes with a delay").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("#system-map[data-ready=true]")
    assert "2 feedback loops of up to 8 links: 1 reinforcing, 1 balancing." in page.content()

    page.goto(f"{base}/c/valley/systems/assets/")
    page.wait_for_selector("#asset-map svg .sys-asset")
    assert serious_violations(page) == []
    assert csp.violations == [] and csp.errors == []
    context.close()
