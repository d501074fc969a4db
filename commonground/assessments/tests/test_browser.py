"""End to end in headless Chromium: on a phone, a community member and a partner of the
demo coalition each answer the 2026 stage assessment, pillar check and decision points;
the backbone reads the aggregate with the voice gap and records an agreed position; a
worksheet is saved as PDF. axe-core finds no serious or critical violation.

Screenshots land in ``var/screenshots/assessments-*.png`` for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from commonground import framework
from commonground.assessments.models import AnonymousResponse, Assessment
from commonground.coalitions.models import Coalition
from commonground.demo.seed import DEMO_PASSWORD, seed_demo
from commonground.tests import browser as browser_support
from commonground.tests.browser import SHOTS, CspWatch, serious_violations

PHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.browser


def shoot(page: Page, name: str) -> Path:
    return browser_support.shoot(page, f"assessments-{name}")


def sign_in(browser: Browser, base: str, email: str, viewport: dict[str, int]) -> Page:
    context = browser.new_context(locale="en-US", viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/c(oalitions)?/"))
    return page


def rounds_2026() -> dict[str, int]:
    with scope(coalition=Coalition.objects.get(slug="river-region")):
        return {a.kind: a.pk for a in Assessment.objects.filter(round_number=2026, status="open")}


def answer_all_three(page: Page, base: str, who: str, *, pillar_rating: str) -> None:
    """Answer the stage assessment, pillar check and decision points of 2026."""
    ids = rounds_2026()
    slug = "/c/river-region/assessments"
    page.goto(f"{base}{slug}/")
    page.get_by_role("link", name="Answer the 2026 round").first.click()
    page.wait_for_url(re.compile(rf"/assessments/{ids['stage']}/answer/"))
    assert serious_violations(page) == []
    page.get_by_label("A shared agenda").check()
    page.get_by_label("A map of the local health ecosystem").check()
    shoot(page, f"stage-answer-{who}")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(re.compile(r"/results/"))
    assert "Thank you" in page.content()

    page.goto(f"{base}{slug}/{ids['pillars']}/answer/")
    # A rating out of range cannot be typed into the buttons; sending nothing is refused.
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("body")).to_contain_text("Answer at least one question")
    for pillar in ("Trust", "Power redistribution", "Resources"):
        group = page.locator("fieldset", has=page.get_by_text(pillar, exact=True))
        group.locator(".scale-point", has_text=pillar_rating).click()
    page.get_by_label("Why?").first.fill(f"Written by the {who} in the browser test.")
    shoot(page, f"pillars-answer-{who}")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(re.compile(r"/results/"))

    page.goto(f"{base}{slug}/{ids['decision_points']}/answer/")
    slider = page.locator("#rating-upstream")
    slider.fill("80")
    assert page.locator("#out-upstream").inner_text() == "80"
    page.get_by_label("Rationale").nth(1).fill("Services now, then policy.")
    shoot(page, f"decisions-answer-{who}")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(re.compile(r"/results/"))


def test_members_answer_on_a_phone_and_the_backbone_reads_the_voice_gap(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    seed_demo()
    base = live_server.url
    ids = rounds_2026()
    with scope(coalition=Coalition.objects.get(slug="river-region")):
        before = AnonymousResponse.objects.filter(assessment_id__in=ids.values()).count()

    resident = sign_in(browser, base, "denise@residents.example", PHONE)
    resident_csp = CspWatch(resident)
    resident.goto(f"{base}/c/river-region/assessments/")
    shoot(resident, "list-resident-phone")
    assert serious_violations(resident) == []
    answer_all_three(resident, base, "resident", pillar_rating="5")
    # A second try at the same round is refused with a message.
    resident.goto(f"{base}/c/river-region/assessments/{ids['pillars']}/answer/")
    assert "You have already answered this round." in resident.content()
    assert resident_csp.violations == []

    partner = sign_in(browser, base, "priya@capitalcitymed.example", PHONE)
    answer_all_three(partner, base, "partner", pillar_rating="2")

    with scope(coalition=Coalition.objects.get(slug="river-region")):
        assert (
            AnonymousResponse.objects.filter(assessment_id__in=ids.values()).count() == before + 6
        )

    backbone = sign_in(browser, base, "alicia@riverregion.example", {"width": 1280, "height": 900})
    csp = CspWatch(backbone)
    backbone.on("dialog", lambda dialog: dialog.accept())
    # While a round is open only the counts show; the backbone closes the three rounds.
    for kind in ("stage", "decision_points", "pillars"):
        backbone.goto(f"{base}/c/river-region/assessments/{ids[kind]}/results/")
        expect(
            backbone.get_by_role("heading", name="Results are shown when the round closes")
        ).to_be_visible()
        if kind == "pillars":
            shoot(backbone, "pillars-open")
            assert serious_violations(backbone) == []
        backbone.get_by_role("button", name="Close the round").click()
        backbone.wait_for_load_state()
        assert "The round is closed" in backbone.content()
    banner = backbone.locator(".voice-gap-banner")
    assert banner.count() >= 1 and "community members see the coalition differently" in (
        banner.first.inner_text()
    )
    trust_row = backbone.locator(
        "table.heatmap tr", has=backbone.get_by_role("rowheader", name="Trust")
    )
    assert "gap-row" in (trust_row.get_attribute("class") or "")
    shoot(backbone, "pillars-results")
    assert serious_violations(backbone) == []

    backbone.goto(f"{base}/c/river-region/assessments/{ids['stage']}/results/")
    expect(backbone.get_by_role("heading", name="Next steps")).to_be_visible()
    shoot(backbone, "stage-results")
    assert serious_violations(backbone) == []

    backbone.goto(f"{base}/c/river-region/assessments/{ids['decision_points']}/results/")
    card = backbone.locator(
        "article.dp", has=backbone.get_by_role("heading", name=re.compile("Upstream"))
    )
    card.get_by_text("Record the agreed position").click()
    card.get_by_label("Position (0-100)").fill("45")
    card.get_by_label("Why the coalition chose it").fill(
        "Services first in 2026, policy work from 2027."
    )
    card.get_by_role("button", name="Save").click()
    expect(backbone.locator("body")).to_contain_text("Agreed position recorded.")
    shoot(backbone, "decisions-results")
    assert serious_violations(backbone) == []

    backbone.goto(f"{base}/c/river-region/roadmap/")
    assert backbone.locator(".proposal").count() > 0
    shoot(backbone, "roadmap")
    assert serious_violations(backbone) == []

    for path, name in (
        ("assessments/roles/", "roles"),
        ("assessments/tactics/", "tactics"),
        ("assessments/domains/", "domains"),
        ("tasks/", "my-tasks"),
        ("", "home"),
    ):
        backbone.goto(f"{base}/c/river-region/{path}")
        shoot(backbone, name)
        assert serious_violations(backbone) == [], name
    with scope(coalition=Coalition.objects.get(slug="river-region")):
        readiness = Assessment.objects.get(kind="readiness", round_number=2025).pk
    backbone.goto(f"{base}/c/river-region/assessments/{readiness}/results/")
    assert backbone.locator("td.band-concern, td.band-borderline, td.band-strength").count() > 0
    shoot(backbone, "readiness-results")
    assert serious_violations(backbone) == []
    assert csp.violations == []


def test_worksheet_pdf_opens_and_shows_the_exercise(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    seed_demo()
    page = sign_in(
        browser, live_server.url, "alicia@riverregion.example", {"width": 1000, "height": 900}
    )
    page.goto(f"{live_server.url}/c/river-region/assessments/worksheets/pillars/")
    assert serious_violations(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SHOTS / "assessments-worksheet-pillars.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="Letter", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 1
    # poppler-utils (installed by scripts/test) reads the PDF back: its text, and page 1 as a PNG.
    pdftotext, pdftoppm = shutil.which("pdftotext"), shutil.which("pdftoppm")
    assert pdftotext and pdftoppm, "poppler-utils is needed: run ./scripts/test"
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for pillar in framework.PILLARS:
        assert pillar.name.en in text, pillar.id
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(SHOTS / "assessments-worksheet-pillars"),
        ],
        check=True,
    )
