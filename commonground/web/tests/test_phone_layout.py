"""Every page of every demo persona on a 390 px phone: nothing is wider than the screen.

Pages are found by following links (``commonground.tests.crawl``) and sampled once per URL
pattern, then loaded in headless Chromium at 390 × 844. Wide tables may scroll inside
their own box; the document itself never scrolls sideways. Screenshots of the main pages
at 390 and 1280 px land in ``var/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, expect

from commonground.accounts.models import User
from commonground.demo.seed import DEMO_PASSWORD, seed_demo
from commonground.tests.browser import CspWatch, shoot
from commonground.tests.crawl import crawl

pytestmark = pytest.mark.browser

PERSONAS = {
    "admin": "alicia@riverregion.example",
    "partner": "priya@capitalcitymed.example",
    "resident": "denise@residents.example",
}
STARTS = ["/c/river-region/", "/coalitions/", "/guide/", "/accounts/tokens/"]
SHOWCASE = {
    "home": "/c/river-region/",
    "map": "/c/river-region/ecosystem/",
    "scores": "/c/river-region/ecosystem/scores/",
    "action-plan": "/c/river-region/roadmap/",
    "health": "/c/river-region/measurement/health/",
}
WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const culprits = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let clipped = false;
    for (let up = el.parentElement; up; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") { clipped = true; break; }
    }
    if (!clipped) culprits.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(box.right)} px)`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, culprits: culprits.slice(0, 5)};
}"""


def one_page_per_pattern(client: Client) -> list[str]:
    chosen: dict[str, list[str]] = {}
    for page in crawl(client, STARTS):
        try:
            name = resolve(page.path.split("?", 1)[0]).view_name
        except Resolver404:
            continue
        if page.status == 200 and len(chosen.setdefault(name, [])) < 1:
            chosen[name].append(page.path)
    return [path for paths in chosen.values() for path in paths]


def sign_in(browser: Browser, base: str, email: str, width: int) -> Any:
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/coalitions/|/c/"))
    return context, page


def test_no_page_is_wider_than_a_phone(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    seed_demo()
    base = live_server.url
    too_wide: list[str] = []
    checked = 0
    for persona, email in PERSONAS.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        paths = one_page_per_pattern(client)
        assert len(paths) > 20, paths
        context, page = sign_in(browser, base, email, 390)
        csp = CspWatch(page)
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("load")
            found = page.evaluate(WIDER_THAN_SCREEN)
            checked += 1
            if found["scrollWidth"] > 390:
                too_wide.append(
                    f"{path} as {persona}: {found['scrollWidth']} px {found['culprits']}"
                )
        assert csp.violations == [] and csp.errors == []
        context.close()
    assert checked > 60
    assert too_wide == [], "\n".join(too_wide)


def test_the_header_folds_into_a_menu_on_a_phone(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    seed_demo()
    base = live_server.url
    for width in (390, 1280):
        context, page = sign_in(browser, base, PERSONAS["admin"], width)
        page.goto(f"{base}/c/river-region/")
        header = page.locator("header.site-header").bounding_box()
        assert header is not None
        menu = page.get_by_role("button", name="Menu")
        if width == 390:
            # Folded: the header is one bar; the menu opens the coalition's sections.
            assert header["height"] < 80
            expect(page.get_by_role("navigation", name="Coalition")).to_be_hidden()
            menu.click()
            assert menu.get_attribute("aria-expanded") == "true"
            sections = page.get_by_role("navigation", name="Coalition").get_by_role("link")
            assert sections.count() >= 5
            box = sections.first.bounding_box()
            assert box is not None and box["height"] >= 44  # a touch target
            menu.click()
            expect(page.get_by_role("navigation", name="Coalition")).to_be_hidden()
        else:
            expect(menu).to_be_hidden()
            expect(page.get_by_role("navigation", name="Coalition")).to_be_visible()
        for name, path in SHOWCASE.items():
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            shoot(page, f"{name}-{width}")
        context.close()
