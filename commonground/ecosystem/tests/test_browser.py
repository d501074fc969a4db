"""End to end in headless Chromium: the demo ecosystem map and scores render, a partner
answers the network survey through its personal link, and the map and scores change.

Screenshots land in ``var/screenshots/ecosystem-*.png`` for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from commonground.coalitions.models import Coalition
from commonground.demo.seed import DEMO_PASSWORD, seed_demo
from commonground.ecosystem import selectors, services
from commonground.ecosystem.models import Actor, SurveyInvitation
from commonground.tests import browser as browser_support
from commonground.tests.browser import SHOTS, CspWatch, serious_violations

pytestmark = pytest.mark.browser


def shoot(page: Page, name: str) -> Path:
    return browser_support.shoot(page, f"ecosystem-{name}")


def test_demo_map_and_scores_render_and_a_partner_answers_the_survey(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    seed_demo()
    base = live_server.url
    coalition = Coalition.objects.get(slug="river-region")
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = CspWatch(page)

    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("alicia@riverregion.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/c"))

    # The map: drawn by d3, one circle per actor, a card on keyboard selection.
    page.goto(f"{base}/c/river-region/ecosystem/")
    page.wait_for_selector("#network-map svg .eco-node")
    with scope(coalition=coalition):
        actor_count = Actor.objects.count()
    assert page.locator("#network-map .eco-node").count() == actor_count
    expect(page.get_by_text("Survey response rate")).to_be_visible()  # the notice is on scores
    first = page.locator("#network-map .eco-node").first
    first.focus()
    page.keyboard.press("Enter")
    card = page.locator("#actor-card")
    expect(card.get_by_role("link", name="Open the partner profile")).to_be_visible()
    shoot(page, "map")
    page.locator(".eco-map-layout").screenshot(path=str(SHOTS / "ecosystem-map-detail.png"))
    assert serious_violations(page) == []

    # Trust-coloured edges and a sector filter.
    page.goto(
        f"{base}/c/river-region/ecosystem/?edges=trust&size=betweenness&sector=faith_community"
    )
    page.wait_for_selector("#network-map svg .eco-node")
    assert page.locator("#network-map .eco-node").count() == 5
    shoot(page, "map-faith-trust")
    page.goto(f"{base}/c/river-region/ecosystem/?edges=trust")
    page.wait_for_selector("#network-map svg .eco-node")
    page.locator(".eco-map-layout").screenshot(path=str(SHOTS / "ecosystem-map-trust-detail.png"))

    page.goto(f"{base}/c/river-region/ecosystem/scores/?sort=betweenness")
    expect(page.get_by_role("heading", name="Network scores")).to_be_visible()
    shoot(page, "scores")
    assert serious_violations(page) == []
    crisis_row = page.get_by_role("row", name=re.compile("Crisis Line of Central Alabama"))
    page.goto(f"{base}/c/river-region/ecosystem/scores/?sort=name&dir=asc&page=1")

    page.goto(f"{base}/c/river-region/ecosystem/missing/")
    shoot(page, "missing")
    assert serious_violations(page) == []
    page.goto(f"{base}/c/river-region/ecosystem/power-map/")
    shoot(page, "power-map")
    assert serious_violations(page) == []
    page.goto(f"{base}/c/river-region/ecosystem/snapshots/")
    shoot(page, "snapshots")
    assert serious_violations(page) == []

    # The backbone makes a new link for a partner that has not answered yet.
    with scope(coalition=coalition):
        respondent = Actor.objects.get(name="Crisis Line of Central Alabama")
        invitation = SurveyInvitation.objects.get(actor=respondent)
        before = selectors.analyze_coalition(coalition=coalition)
    assert before.metrics[respondent.pk].out_degree == 0
    page.goto(f"{base}/c/river-region/ecosystem/surveys/{invitation.survey_id}/")
    page.get_by_role("button", name="New link for Crisis Line of Central Alabama").click()
    link = page.locator("input.survey-link").input_value()
    assert "/network-survey/" in link
    shoot(page, "survey-links")
    assert serious_violations(page) == []

    # The partner, not signed in, answers through the link.
    guest = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
    partner_page = guest.new_page()
    partner_watch = CspWatch(partner_page)
    partner_page.goto(link)
    expect(partner_page.get_by_text("Answering for")).to_be_visible()
    assert serious_violations(partner_page) == []
    for name in (
        "Hope Recovery Center",
        "River Region Behavioral Health Authority",
        "Capital City Medical Center",
    ):
        partner_page.get_by_label(name, exact=True).check()
    shoot(partner_page, "survey-choose")
    partner_page.get_by_role("button", name="Next: describe each relationship").click()
    hope = partner_page.get_by_role("group", name="Hope Recovery Center", exact=True)
    hope.get_by_label("Integration").check()
    hope.get_by_text("What you do together (optional)").click()  # the types fold away
    hope.get_by_label("Referrals").check()
    hope.get_by_label("Trust: Reliability").select_option("4")
    hope.get_by_label("Trust: Openness to discussion").select_option("4")
    authority = partner_page.get_by_role(
        "group", name="River Region Behavioral Health Authority", exact=True
    )
    authority.get_by_label("Coordination").check()
    authority.get_by_label("Trust: Reliability").select_option("3")
    partner_page.get_by_label("Expertise").check()
    # Nothing is pre-selected: every chosen partner needs its level, or nothing is recorded.
    medical = partner_page.get_by_role("group", name="Capital City Medical Center", exact=True)
    medical.get_by_label("Cooperation").check()
    shoot(partner_page, "survey-rate")
    assert serious_violations(partner_page) == []
    partner_page.get_by_role("button", name="Send my answers").click()
    partner_page.get_by_role("heading", name="Thank you").wait_for(timeout=10_000)
    partner_page.goto(link)
    assert "already been used" in partner_page.content()
    assert partner_watch.violations == []
    guest.close()

    # The map and the scores now include the partner's three ties and its answer.
    with scope(coalition=coalition):
        after = selectors.analyze_coalition(coalition=coalition)
    assert after.metrics[respondent.pk].out_degree == 3
    assert after.report.response.respondent_count == before.report.response.respondent_count + 1
    page.goto(f"{base}/c/river-region/ecosystem/scores/?sort=name&dir=asc&page=2")
    page.goto(f"{base}/c/river-region/ecosystem/actors/{respondent.pk}/")
    expect(page.get_by_role("cell", name="Hope Recovery Center")).to_be_visible()
    shoot(page, "profile-after-survey")
    assert serious_violations(page) == []
    page.goto(f"{base}/c/river-region/ecosystem/")
    page.wait_for_selector("#network-map svg .eco-node")
    answered = after.report.response
    assert (
        f"{answered.respondent_count} of {answered.invited_count} invited partners"
        in page.content()
    )
    assert crisis_row is not None
    assert watch.violations == [] and watch.errors == []
    context.close()
    assert services is not None
