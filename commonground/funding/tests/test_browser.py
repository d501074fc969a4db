"""One real-browser pass over the funding overview: the charts and their tables render,
the page fits a phone, with no CSP violation and no serious accessibility problem."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django_scopes import scope
from playwright.sync_api import Browser

from commonground.conftest import PASSWORD
from commonground.funding import services
from commonground.funding.tests import factories
from commonground.tests.browser import CspWatch, serious_violations, shoot

pytestmark = pytest.mark.browser


def test_the_overview_in_a_real_browser(
    transactional_db: None, world: Any, live_server: Any, browser: Browser
) -> None:
    year = date.today().year
    with scope(coalition=world.a):
        factories.source(
            world.a, "<b>Founding</b> grant", ends_on=date(year + 1, 6, 30), amount="360000"
        )
        budget = services.add_budget(
            coalition=world.a, actor=None, name="FY", starts_on=date(year, 1, 1)
        )
        services.add_budget_line(budget=budget, actor=None, category="staff", amount="120000")
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 800})
    page = context.new_page()
    csp = CspWatch(page)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("admin@a.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/coalitions/|/c/"))
    page.goto(f"{live_server.url}/c/{world.a.slug}/funding/")
    assert page.get_by_role("heading", level=1).inner_text() == "Funding stability"
    assert page.locator("svg.fund-svg rect.bar").count() >= 36
    page.get_by_text("The cliff as a table").click()
    assert page.locator("details table tbody tr").count() == 36
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "<b>Founding</b> grant" in page.locator("main").inner_text()
    shoot(page, "funding-overview-390")
    assert csp.violations == [] and csp.errors == []
    assert serious_violations(page) == []
    context.close()
