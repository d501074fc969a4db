"""End to end in headless Chromium: the demo's health-status dashboard shows the real
Black-White life-expectancy gaps, the county map draws, the framework and an import work,
with no serious accessibility problem. Screenshots: ``var/screenshots/measurement-*.png``.
"""

from __future__ import annotations

import csv
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from commonground.demo.seed import DEMO_PASSWORD, seed_demo
from commonground.lib.paths import shared_data_dir
from commonground.tests.browser import (
    CspWatch,
    serious_violations,
    shoot,
)

pytestmark = pytest.mark.browser


def life_expectancy_gap(state: str, county: str) -> float:
    path = shared_data_dir() / "chrr" / "v147_other_r2024_wide.csv"
    with path.open(newline="") as handle:
        row = next(
            r
            for r in csv.DictReader(handle)
            if (r["statecode"], r["countycode"]) == (state, county)
        )
    return float(row["v147_race_black"]) - float(row["v147_race_white"])


def test_dashboard_shows_the_real_gaps_and_the_map_renders(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    seed_demo()
    base = live_server.url
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp = CspWatch(page)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("alicia@riverregion.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/coalitions/|/c/"))

    page.goto(f"{base}/c/river-region/measurement/health/")
    page.get_by_role("link", name="Health data").first.wait_for()
    # Montgomery County: Black residents' life expectancy against White residents', from the CSV.
    gap = life_expectancy_gap("01", "101")
    life = page.locator(
        "section.msr-indicator", has=page.get_by_role("heading", name="Life expectancy")
    )
    montgomery = life.locator("article.msr-place", has_text="Montgomery, Alabama")
    # One sign convention: the gap is positive, with the side it is on.
    assert gap < 0
    expected = f"{abs(gap):.1f} years lower."
    assert expected in montgomery.inner_text()
    bullock_gap = life_expectancy_gap("01", "011")
    bullock = life.locator("article.msr-place", has_text="Bullock, Alabama")
    assert f"{abs(bullock_gap):.1f} years lower." in bullock.inner_text()
    target = page.locator("article.msr-target", has_text="Montgomery County")
    assert f"{abs(gap):.1f} years" in target.inner_text()
    assert f"Black residents: {abs(gap):.1f} years lower than White residents" in (
        target.inner_text()
    )
    assert page.locator("svg.msr-gap-chart").count() >= 6
    shoot(page, "measurement-dashboard")
    assert serious_violations(page) == []

    page.goto(f"{base}/c/river-region/measurement/health/map/?mode=gap&group=black&reference=white")
    page.wait_for_selector("#msr-map svg path.county")
    assert page.locator("#msr-map svg > g:first-child path.county").count() == 67  # Alabama
    assert page.locator("#msr-map path.served").count() >= 6
    filled = page.locator("#msr-map path.county[fill]").count()
    assert filled > 20
    shoot(page, "measurement-map")
    assert serious_violations(page) == []

    page.goto(f"{base}/c/river-region/measurement/framework/")
    expect(page.get_by_role("heading", name="Economic vitality")).to_be_visible()
    shoot(page, "measurement-framework")
    assert serious_violations(page) == []
    page.get_by_role(
        "link", name="Everyone in the River Region lives a long and healthy life"
    ).click()
    expect(page.get_by_role("heading", name="The story behind the curve")).to_be_visible()
    shoot(page, "measurement-turn-the-curve")
    assert serious_violations(page) == []

    page.goto(f"{base}/c/river-region/measurement/health/indicators/?domain=health_outcomes")
    page.get_by_role("link", name="Low birthweight").click()
    expect(page.locator("body")).to_contain_text("suppressed")
    shoot(page, "measurement-explorer")
    assert serious_violations(page) == []

    # A tidy file with a bad row: the check step names the row and the column before
    # anything is imported, and the file stays on the server.
    page.goto(f"{base}/c/river-region/measurement/imports/")
    shoot(page, "measurement-imports")
    assert serious_violations(page) == []
    page.get_by_label("File", exact=True).set_input_files(
        files=[
            {
                "name": "visits.csv",
                "mimeType": "text/csv",
                "buffer": b"place,period,group,value\n01101,2024,total,5\n01101,2024,black,lots\n",
            }
        ]
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/imports/check/[0-9a-f-]+/$"))
    check = page.locator("main").inner_text()
    assert "It looks like a Tidy CSV or Excel" in check
    assert "'lots' is not a number" in check
    assert page.get_by_role("button", name="Import", exact=True).is_disabled()
    shoot(page, "measurement-import-problems")
    assert serious_violations(page) == []
    assert csp.violations == []
    context.close()


def test_the_import_wizard_reads_a_real_file_and_imports_it(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    """Upload the County Health Rankings analytic sample, see what will be stored (places
    by name, data years), confirm, and watch the import reach done, at 1280 and 390 px."""
    seed_demo()
    base = live_server.url
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    csp = CspWatch(page)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("alicia@riverregion.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/coalitions/|/c/"))

    page.goto(f"{base}/c/river-region/measurement/imports/")
    sample = shared_data_dir() / "chrr" / "analytic_data2025_sample.csv"
    page.get_by_label("File", exact=True).set_input_files(str(sample))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/imports/check/[0-9a-f-]+/$"))
    page.get_by_text(re.compile(r"^\d+ indicators$")).click()  # the list opens
    text = page.locator("main").inner_text()
    assert "It looks like a County Health Rankings analytic data (two header rows)" in text
    assert "its “year” column gives the release: 2025" in text
    # Places by name, the coalition's six counties among them; periods are data years.
    assert "Your places in the file:" in text and "Bullock, Alabama" in text
    assert "Life expectancy" in text and "2020-2022" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "measurement-import-check-390")
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "measurement-import-check-1280")

    page.get_by_role("button", name=re.compile(r"^Import \d+ values$")).click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    page.get_by_text("100% done").wait_for()
    assert "Imported" in page.locator("#msr-progress").inner_text()
    assert page.locator("#msr-progress-bar").get_attribute("value") == "100"
    shoot(page, "measurement-import-done")
    assert serious_violations(page) == []
    assert csp.violations == [] and csp.errors == []
    context.close()
