"""End to end in headless Chromium: a meeting from agenda to vote to locked decision to
action item, with no CSP violation and no serious accessibility problem.
Screenshots: ``var/screenshots/governance-*.png``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, expect

from commonground.conftest import PASSWORD
from commonground.governance import services
from commonground.governance.models import Decision
from commonground.governance.tests.factories import council, members
from commonground.tests.browser import CspWatch, serious_violations, shoot

pytestmark = pytest.mark.browser


def test_agenda_vote_locked_decision_action_item(
    live_server: Any, transactional_db: None, browser: Browser, world: Any
) -> None:
    admin = world.people["admin"]
    setup = council(world.a, admin, quorum=2)
    with scope(coalition=world.a):
        # The backbone admin holds the named seat's place for this test: a seat of their own.
        services.update_seat(
            seat=setup.seats["named"],
            actor=admin,
            expected=None,
            holder_member=members(world.a)["backbone_admin"],
            holder_name="",
        )
    base = live_server.url
    page = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900}).new_page()
    csp = CspWatch(page)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("admin@a.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/coalitions/|/c/"))

    # Agenda: put a motion on the meeting's agenda.
    page.goto(f"{base}/c/valley-a/governance/meetings/{setup.meeting.pk}/")
    page.get_by_label("Motion", exact=True).fill("Pay residents for evening meetings")
    page.get_by_label("Topic").fill("Stipends")
    page.get_by_role("button", name="Add the motion").click()
    motion = page.locator("article.gov-motion", has_text="Pay residents for evening meetings")
    expect(motion).to_be_visible()

    # Attendance: three seats present (quorum 2).
    for label in ("Hospital seat", "Resident seat —", "Resident seat 2"):
        page.locator("ul.gov-attendance label", has_text=label).first.locator("input").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Quorum reached")).to_be_visible()
    assert serious_violations(page) == []
    shoot(page, "governance-meeting")

    # Vote: the admin votes in their own seat; the secretary records the resident's vote.
    motion = page.locator("article.gov-motion", has_text="Pay residents for evening meetings")
    motion.get_by_label("Yes").check()
    motion.get_by_role("button", name="Cast my vote").click()
    expect(page.get_by_text("Your vote is recorded.")).to_be_visible()
    motion = page.locator("article.gov-motion", has_text="Pay residents for evening meetings")
    motion.get_by_text("Record a vote read out at the meeting").click()
    motion.get_by_label("Seat", exact=True).select_option(label="Resident seat")
    motion.get_by_label("Vote", exact=True).select_option("yes")
    motion.get_by_role("button", name="Record", exact=True).click()
    motion = page.locator("article.gov-motion", has_text="Pay residents for evening meetings")
    expect(motion.get_by_text("If closed now: approved.")).to_be_visible()

    # Decision: close the vote; the decision is logged, locked.
    motion.get_by_label("Rationale").fill("Residents cannot come without it.")
    motion.get_by_role("button", name="Close the vote and record the decision").click()
    page.wait_for_url(re.compile(r"/governance/decisions/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay residents for evening meetings")
    expect(page.locator("#decision-locked")).to_have_text("Locked")
    expect(page.get_by_text("Yes 2, no 0, abstain 0. Seats present: 3 (quorum 2).")).to_be_visible()

    # Action item: carry the decision out.
    page.get_by_label("Action", exact=True).fill("Add stipends to next year's budget")
    page.get_by_label("Owner (organization)").select_option(label="Housing Partnership")
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("#actions-title + ul")).to_contain_text(
        "Add stipends to next year's budget"
    )
    assert serious_violations(page) == []
    shoot(page, "governance-decision")

    page.goto(f"{base}/c/valley-a/governance/actions/")
    card = page.locator("article.gov-action", has_text="Add stipends to next year's budget")
    expect(card).to_contain_text("From the decision: Pay residents for evening meetings")
    expect(card).to_contain_text("Housing Partnership")
    assert serious_violations(page) == []
    with scope(coalition=world.a):
        decision = Decision.objects.get(title="Pay residents for evening meetings")
        assert decision.is_locked and decision.result == "approved"
        assert decision.action_items.get().owner_actor_id == setup.actors["housing"].pk
    assert csp.violations == [] and csp.errors == []
