"""End to end in headless Chromium: make the report's PDF from its page, wait for the
progress to finish, download it and read its text back."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from commonground.coalitions import services as coalition_services
from commonground.conftest import PASSWORD, make_user
from commonground.reports import services
from commonground.tests.browser import CspWatch, serious_violations, shoot

pytestmark = pytest.mark.browser

SECTIONS = ["coalitions.profile", "assessments.stage"]


def test_admin_makes_the_spanish_pdf_from_the_report_page(
    live_server: Any, transactional_db: None, browser: Browser
) -> None:
    admin = make_user("ana@alianza.example", "Ana Núñez")
    coalition = coalition_services.create_coalition(
        creator=admin,
        name="Alianza de Salud del Río",
        slug="alianza-rio",
        places=coalition_services.parse_places(counties="01101"),
        mission="Salud y bienestar para cada niña y niño del condado.",
    )
    with scope(coalition=coalition):
        report = services.create_report(
            coalition=coalition,
            actor=admin,
            title="Informe anual",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            introduction="Un año de participación y acción comunitaria.",
            section_keys=SECTIONS,
        )
    base = live_server.url
    context = browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    csp = CspWatch(page)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/coalitions/|/c/"))

    page.goto(f"{base}/c/alianza-rio/reports/{report.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Informe anual"
    assert serious_violations(page) == []
    shoot(page, "report-detail")
    page.get_by_label("Language of the PDF").select_option("es")
    page.get_by_label("Paper").select_option("a4")
    page.get_by_role("button", name="Make the PDF").click()
    page.wait_for_url(re.compile(r"/reports/pdfs/\d+/$"))
    progress = page.locator("#report-progress-bar")
    # HTMX polls the progress every second until the job is done (no script of ours runs).
    expect(progress).to_have_attribute("value", "100", timeout=60_000)
    expect(page.locator("#report-pdf-download")).to_be_visible()
    assert serious_violations(page) == []
    with page.expect_download() as download_info:
        page.locator("#report-pdf-download").click()
    path = download_info.value.path()
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Un año de participación y acción comunitaria." in text
    assert "Alianza de Salud del Río" in text
    assert "niña y niño" in text
    for title in ("The partnership", "Stage and roadmap"):  # every chosen section, in Spanish
        assert _spanish(title) in text
    assert round(float(reader.pages[0].mediabox.height)) == 842  # A4
    assert csp.violations == []


def _spanish(title: str) -> str:
    from django.utils.translation import gettext, override

    with override("es"):
        return gettext(title)
