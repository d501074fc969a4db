"""End to end in headless Chromium: sign in, switch to Spanish, read the roadmap and a
pillar, invite a member and accept in a second browser, check accessibility with axe-core.

Screenshots land in ``var/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from commonground.demo.seed import DEMO_PASSWORD, seed_demo
from commonground.tests.browser import CspWatch, serious_violations, shoot

pytestmark = pytest.mark.browser


def test_admin_walks_the_roadmap_in_spanish_and_a_newcomer_joins(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    seed_demo()
    base = live_server.url
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp = CspWatch(page)

    page.goto(f"{base}/accounts/sign-in/")
    assert serious_violations(page) == []
    page.get_by_label("E-mail address").fill("alicia@riverregion.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/coalitions/"))
    page.goto(f"{base}/c/river-region/")
    assert page.get_by_role("heading", level=1).inner_text() == "River Region Health Collaborative"
    assert page.locator("section.chapter").count() == 4
    shoot(page, "home-en")
    assert serious_violations(page) == []

    # Switch to Spanish with the header's language switcher (the script submits on change).
    with page.expect_navigation():
        page.get_by_label("Language").select_option("es")
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.get_by_role("heading", name="La hoja de ruta")).to_be_visible()
    shoot(page, "home-es")
    assert serious_violations(page) == []

    page.goto(f"{base}/guide/pillars/trust/")
    assert page.get_by_role("heading", level=1).inner_text() == "Confianza"
    shoot(page, "pillar-es")
    assert serious_violations(page) == []

    # Back to English, invite a partner from the members page.
    with page.expect_navigation():
        page.get_by_label("Idioma").select_option("en")
    page.goto(f"{base}/c/river-region/members/")
    invite = page.get_by_role("region", name="Invite someone")
    invite.get_by_label("E-mail address").fill("newcomer@transit.example")
    invite.get_by_label("Role").select_option("partner")
    invite.get_by_label("Organization (optional)").fill("River Region Transit")
    invite.get_by_role("button", name="Send invitation").click()
    link = page.locator("#invite-link").input_value()
    assert "/invite/" in link
    shoot(page, "members-invited")
    assert serious_violations(page) == []

    # A second browser, nobody signed in, opens the link and joins.
    guest = browser.new_context(locale="en-US")
    newcomer = guest.new_page()
    newcomer.goto(link)
    newcomer.get_by_label("Your name").fill("Nia Transit")
    newcomer.locator("#id_password1").fill("rides-to-care-for-all")
    newcomer.get_by_label("Password again").fill("rides-to-care-for-all")
    shoot(newcomer, "invitation-accept")
    newcomer.get_by_role("button", name="Create account and join").click()
    newcomer.wait_for_url(re.compile(r"/c/river-region/$"))
    assert "Welcome to River Region Health Collaborative" in newcomer.content()
    # The same link cannot be used twice.
    second = browser.new_context().new_page()
    second.goto(link)
    assert "already been used" in second.content()
    guest.close()

    page.reload()
    assert "newcomer@transit.example" in page.content()
    assert csp.violations == []
    context.close()
