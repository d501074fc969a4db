"""Support for the browser tests: Debian's Chromium driven by Playwright, axe-core, CSP watch.

The ``browser`` fixture is registered in ``commonground/conftest.py``; screenshots land in
``var/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from commonground.lib.paths import REPO_ROOT

SHOTS = REPO_ROOT / "var" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# CI runs the SQLite and PostgreSQL suites side by side on two cores, so a page that takes
# 50 ms on a quiet machine can take seconds; assertions wait for what they expect to appear.
EXPECT_TIMEOUT_MS = 20_000


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        raise RuntimeError("Debian's chromium is needed for browser tests: run ./scripts/test")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop in this thread; the ORM calls made between
    # browser steps are ordinary blocking calls, so Django may allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS)
            yield launched
            launched.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class CspWatch:
    """Collects Content Security Policy violations and uncaught script errors of a page."""

    def __init__(self, page: Page) -> None:
        self.violations: list[str] = []
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _on_console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(message.text)


def shoot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings, with a glimpse of the offending markup."""
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
        f"{'; '.join(node['html'][:80] for node in v['nodes'][:3])})"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
