"""The demo's network map in headless Chromium, at 1280 and at 390 px: the actors that bridge
the most are labelled, no two labels overlap, zooming in shows more names, a search focuses
one actor (its ties highlighted, the rest dimmed) and Escape brings everyone back; then the
power map's drag-and-drop saves, and a stale drag is refused.

Screenshots land in ``var/screenshots/ecosystem-map-*.png`` for a person to look at.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect

from commonground.coalitions.models import Coalition
from commonground.demo.seed import DEMO_PASSWORD, seed_demo
from commonground.ecosystem import selectors, services
from commonground.ecosystem.domain.readings import partners
from commonground.ecosystem.models import Actor
from commonground.tests import browser as browser_support
from commonground.tests.browser import CspWatch, serious_violations

pytestmark = pytest.mark.browser

#: The label boxes the page drew, measured by the browser itself.
LABEL_BOXES = """() => Array.from(document.querySelectorAll('#network-map text.eco-label'))
  .filter((t) => t.getAttribute('visibility') !== 'hidden')
  .map((t) => { const r = t.getBoundingClientRect();
    return {id: t.dataset.id, x: r.x, y: r.y, w: r.width, h: r.height,
            size: parseFloat(getComputedStyle(t).fontSize)}; })"""


def _overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for a, b in itertools.combinations(boxes, 2)
        if a["x"] < b["x"] + b["w"] - 0.5
        and b["x"] < a["x"] + a["w"] - 0.5
        and a["y"] < b["y"] + b["h"] - 0.5
        and b["y"] < a["y"] + a["h"] - 0.5
    ]


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("alicia@riverregion.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/c"))


#: Ids of the actors whose mark is inside the map's box (after zooming, some are outside).
IN_VIEW = """() => { const frame = document.querySelector('#network-map svg').getBoundingClientRect();
  return Array.from(document.querySelectorAll('#network-map .eco-node')).filter((n) => {
    const r = n.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
    return x >= frame.left && x <= frame.right && y >= frame.top && y <= frame.bottom;
  }).map((n) => n.dataset.id); }"""


def _shown_share(page: Page, boxes: list[dict[str, Any]]) -> float:
    """The share of the actors in view whose name is shown."""
    in_view = set(page.evaluate(IN_VIEW))
    return len(in_view & {b["id"] for b in boxes}) / max(1, len(in_view))


def _labels(page: Page) -> list[dict[str, Any]]:
    page.wait_for_timeout(150)  # labels are placed on the next animation frame
    boxes: list[dict[str, Any]] = page.evaluate(LABEL_BOXES)
    return boxes


def test_demo_map_labels_search_focus_zoom_and_power_map_drag(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    seed_demo()
    base = live_server.url
    coalition = Coalition.objects.get(slug="river-region")
    with scope(coalition=coalition):
        analysis = selectors.analyze_coalition(coalition=coalition)
        capital = Actor.objects.get(name="Capital City Medical Center")
    ranked = sorted(analysis.metrics.items(), key=lambda item: -item[1].betweenness)
    capital_partners = partners(analysis.network)[str(capital.pk)]
    actor_count = len(analysis.actors)

    for width, height, must in ((1280, 900, 5), (390, 844, 3)):
        context = browser.new_context(locale="en-US", viewport={"width": width, "height": height})
        page = context.new_page()
        watch = CspWatch(page)
        _sign_in(page, base)
        page.goto(f"{base}/c/river-region/ecosystem/")
        page.wait_for_selector("#network-map[data-ready='true']")
        assert page.locator("#network-map .eco-node").count() == actor_count
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        # The actors that bridge the most are labelled, legibly, and no two labels overlap.
        boxes = _labels(page)
        labelled = {b["id"] for b in boxes}
        top = [str(pk) for pk, _m in ranked[:must]]
        assert set(top) <= labelled, f"{width}px: top bridging actors unlabelled"
        assert _overlapping(boxes) == [], f"{width}px: labels overlap"
        assert min(b["size"] for b in boxes) >= 12
        svg = page.locator("#network-map svg").bounding_box()
        assert svg is not None
        for b in boxes:
            assert svg["x"] - 1 <= b["x"] and b["x"] + b["w"] <= svg["x"] + svg["width"] + 1
        browser_support.shoot(page, f"ecosystem-map-{width}")
        before = _shown_share(page, boxes)

        # Zooming in spreads the actors out: more names fit, still without overlap.
        for _ in range(2):
            page.get_by_role("button", name="Zoom in").click()
            page.wait_for_timeout(400)
        zoomed = _labels(page)
        assert _shown_share(page, zoomed) > before, f"{width}px: zooming in named no more"
        assert _overlapping(zoomed) == []
        page.get_by_role("button", name="Fit").click()
        page.wait_for_timeout(600)

        # Search focuses the actor: its ties are highlighted, everyone else is dimmed.
        page.get_by_label("Find an actor").fill("capital city med")
        page.get_by_label("Find an actor").press("Enter")
        page.wait_for_selector(".eco-node.is-focus")
        page.wait_for_timeout(600)
        assert page.locator(".eco-node.is-focus").get_attribute("data-id") == str(capital.pk)
        partner_ids = set(
            page.eval_on_selector_all(".eco-node.is-partner", "(ns) => ns.map((n) => n.dataset.id)")
        )
        assert partner_ids == capital_partners
        dimmed = page.locator(".eco-node.is-dimmed").count()
        assert dimmed == actor_count - 1 - len(capital_partners)
        active = page.locator("line.eco-link.is-active").count()
        assert active >= len(capital_partners)
        assert page.locator("line.eco-link.is-dimmed").count() > 0
        card = page.locator("#actor-card")
        expect(card.get_by_role("heading", name="Capital City Medical Center")).to_be_visible()
        assert "connects" in (card.text_content() or "")
        focused = {b["id"] for b in _labels(page)}
        assert str(capital.pk) in focused
        assert _overlapping(_labels(page)) == []
        assert "Showing Capital City Medical Center and its" in (
            page.locator("#map-status").text_content() or ""
        )
        browser_support.shoot(page, f"ecosystem-map-{width}-focus")

        # Escape brings everyone back; the keyboard reaches each actor.
        page.keyboard.press("Escape")
        assert page.locator(".eco-node.is-dimmed").count() == 0
        first = page.locator("#network-map .eco-node").first
        first.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".eco-node.is-focus")
        page.keyboard.press("Escape")
        assert page.locator(".eco-node.is-focus").count() == 0

        # Grouping by sector family clusters the actors and names the families.
        page.get_by_label("Group by").select_option("family")
        page.wait_for_timeout(800)
        groups = page.locator("text.eco-group-label:not([visibility='hidden'])")
        assert groups.count() >= 3
        assert "group=family" in page.url
        assert _overlapping(_labels(page)) == []
        browser_support.shoot(page, f"ecosystem-map-{width}-families")
        assert serious_violations(page) == []
        assert watch.violations == [] and watch.errors == []
        context.close()

    # The power map: drag an actor; the place is saved with the version it was drawn from.
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = CspWatch(page)
    _sign_in(page, base)
    page.goto(f"{base}/c/river-region/ecosystem/power-map/")
    page.wait_for_selector(".eco-power-mark.is-draggable")
    browser_support.shoot(page, "ecosystem-power-map-drag")
    mark = page.locator(f'.eco-power-mark[data-id="{capital.pk}"] path')
    box = mark.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] - 120, box["y"] + 160, steps=8)
    page.mouse.up()
    page.locator("#power-status", has_text=re.compile(r"^Saved")).wait_for()
    with scope(coalition=coalition):
        capital.refresh_from_db()
    assert capital.influence is not None and capital.influence < 92
    assert page.input_value(f"#inf-{capital.pk}") == str(capital.influence)
    assert page.input_value(f"#ver-{capital.pk}") == str(capital.version)

    # Someone else moves it meanwhile: the next drag is refused and the mark goes back.
    services.place_on_power_map(actor=capital, user=None, influence=15, alignment=15)
    box = mark.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] - 60, steps=6)
    page.mouse.up()
    page.locator("#power-status", has_text=re.compile(r"^Not saved")).wait_for()
    assert "Someone else changed Capital City Medical Center" in (
        page.locator("#power-status").text_content() or ""
    )
    with scope(coalition=coalition):
        capital.refresh_from_db()
    assert (capital.influence, capital.alignment) == (15, 15)
    assert page.input_value(f"#inf-{capital.pk}") == "15"
    assert watch.violations == [] and watch.errors == []
    context.close()
