"""End to end in headless Chromium, on the demo: the backbone opens a survey round and the
links are e-mailed; a partner signs in on a phone, sees the survey waiting on the coalition
home, answers it without any answer chosen in advance, and the network scores change.

Screenshots land in ``var/screenshots/survey-*.png`` for a person to look at.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from commonground.coalitions.models import Coalition
from commonground.demo.seed import DEMO_PASSWORD, seed_demo
from commonground.ecosystem import selectors
from commonground.ecosystem.models import Actor, Tie
from commonground.tests import browser as browser_support
from commonground.tests.browser import CspWatch, serious_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
ROUND = "Partner network survey 2027"


def shoot(page: Page, name: str) -> None:
    browser_support.shoot(page, f"survey-{name}")


def sign_in(browser: Browser, base: str, email: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(locale="en-US", viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/c/|/coalitions/"))
    return context, page


def headline(page: Page, base: str, term: str) -> str:
    page.goto(f"{base}/c/river-region/ecosystem/scores/")
    item = page.locator("dl.eco-headline > div").filter(
        has=page.locator("dt", has_text=re.compile(rf"^{term}"))
    )
    return item.locator("dd").first.inner_text().strip()


def wider_than_screen(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth")) - int(
        page.evaluate("document.documentElement.clientWidth")
    )


def nothing_chosen(page: Page, *, rating: bool) -> None:
    """No radio, box or list of the form starts with an answer (step 2 has lists)."""
    form = page.locator("form.survey-form")
    assert form.locator("input[type=checkbox]").count() > 0
    assert form.locator("input[type=radio]:checked").count() == 0
    assert form.locator("input[type=checkbox]:checked").count() == 0
    values = form.locator("select").evaluate_all("(all) => all.map((s) => s.value)")
    if rating:
        assert form.locator("input[type=radio]").count() > 0
        assert values and set(values) == {""}
    else:
        assert values == []


def test_a_partner_answers_the_survey_from_the_coalition_home(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    seed_demo()
    base = live_server.url
    coalition = Coalition.objects.get(slug="river-region")
    with scope(coalition=coalition):
        hospital = Actor.objects.get(name="Capital City Medical Center")
        tied = set(Tie.objects.filter(from_actor=hospital).values_list("to_actor", flat=True))
        tied |= set(Tie.objects.filter(to_actor=hospital).values_list("from_actor", flat=True))
        # A partner the hospital has no tie with yet, and one it already named in 2026.
        plan = Actor.objects.exclude(pk__in=[*tied, hospital.pk]).order_by("name").first()
        named = Tie.objects.filter(reported_by=hospital, from_actor=hospital).first()
        before = selectors.analyze_coalition(coalition=coalition)
    assert plan is not None and named is not None
    new_partner, old_partner = plan.name, named.to_actor.name

    # The backbone opens a new round; every invited partner's link is e-mailed.
    admin_context, admin = sign_in(browser, base, "alicia@riverregion.example", DESK)
    admin_watch = CspWatch(admin)
    admin.goto(f"{base}/c/river-region/ecosystem/surveys/")
    admin.get_by_label("Title").fill(ROUND)
    assert admin.get_by_label("E-mail each partner its link now").is_checked()
    admin.get_by_role("button", name="Open the survey and make the links").click()
    admin.wait_for_url(re.compile(r"/ecosystem/surveys/\d+/$"))
    expect(admin.get_by_text("Links e-mailed for")).to_be_visible()
    expect(admin.get_by_role("button", name="Send reminders")).to_be_visible()
    shoot(admin, "round-opened")
    assert serious_violations(admin) == []
    to_priya = [m for m in mail.outbox if m.to == ["priya@capitalcitymed.example"]]
    assert len(to_priya) == 1 and "Capital City Medical Center" in to_priya[0].subject
    assert any(m.to == ["community.benefit@ccmc.example.org"] for m in mail.outbox)
    assert admin_watch.violations == [] and admin_watch.errors == []
    admin_context.close()

    # The partner, on a phone: the scores before, then the survey waiting on the home page.
    context, page = sign_in(browser, base, "priya@capitalcitymed.example", PHONE)
    watch = CspWatch(page)
    ties_before = headline(page, base, "Ties")
    page.goto(f"{base}/c/river-region/")
    task = page.get_by_role(
        "link", name=re.compile(rf"Answer the partner network survey “{ROUND}”")
    )
    expect(task).to_be_visible()
    assert "Capital City Medical Center" in task.inner_text()
    shoot(page, "home-task-phone")
    task.click()
    expect(page.get_by_text("Answering for")).to_be_visible()
    nothing_chosen(page, rating=False)
    page.get_by_label(new_partner, exact=True).check()
    page.get_by_label(old_partner, exact=True).check()
    page.get_by_role("button", name="Next: describe each relationship").click()
    expect(
        page.get_by_role("heading", name="Step 2 of 2: describe each relationship")
    ).to_be_visible()

    # Step 2: the scale is explained, one row per partner, nothing chosen in advance.
    nothing_chosen(page, rating=True)
    expect(page.get_by_text("You work as one on something")).to_be_visible()
    assert wider_than_screen(page) <= 0
    shoot(page, "rate-phone")
    assert serious_violations(page) == []
    plan_row = page.get_by_role("group", name=new_partner, exact=True)
    plan_row.get_by_label("Integration").check()
    plan_row.get_by_label("Trust: Reliability").select_option("4")
    plan_row.get_by_label("Value: Resource contribution").select_option("3")
    plan_row.get_by_text("What you do together (optional)").click()
    plan_row.get_by_label("Funding").check()
    bank_row = page.get_by_role("group", name=old_partner, exact=True)
    bank_row.get_by_label("Coordination").check()
    bank_row.get_by_label("How often in touch?").select_option("monthly")
    shoot(page, "rate-phone-answered")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()

    # The scores changed: one new tie, the partner newly named is tied to the hospital.
    ties_after = headline(page, base, "Ties")
    assert int(ties_after) == int(ties_before) + 1
    shoot(page, "scores-after-phone")
    with scope(coalition=coalition):
        after = selectors.analyze_coalition(coalition=coalition)
    assert after.metrics[plan.pk].degree == before.metrics[plan.pk].degree + 1
    assert after.metrics[hospital.pk].out_degree == before.metrics[hospital.pk].out_degree + 1
    # The task left the home page.
    page.goto(f"{base}/c/river-region/")
    assert (
        page.get_by_role("link", name=re.compile("Answer the partner network survey")).count() == 0
    )
    assert watch.violations == [] and watch.errors == []
    context.close()

    # The same form on a desk for the screenshots.
    desk_context, desk = sign_in(browser, base, "james@rrphd.example", DESK)
    desk.goto(f"{base}/c/river-region/")
    desk.get_by_role("link", name=re.compile("Answer the partner network survey")).click()
    desk.get_by_label("Capital City Medical Center", exact=True).check()
    desk.get_by_label("Tri-County Food Bank", exact=True).check()
    desk.get_by_role("button", name="Next: describe each relationship").click()
    nothing_chosen(desk, rating=True)
    shoot(desk, "rate-desk")
    assert serious_violations(desk) == []
    desk_context.close()
