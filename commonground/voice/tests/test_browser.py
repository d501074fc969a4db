"""In Chromium: a resident answers the survey in Spanish on a 390 px phone without signing
in; then a backbone admin records a listening session, codes two excerpts and sees the
theme counts change."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, expect

from commonground.conftest import PASSWORD
from commonground.tests.browser import CspWatch, serious_violations, shoot
from commonground.voice import services
from commonground.voice.models import AnswerSheet

pytestmark = pytest.mark.browser


def test_resident_answers_in_spanish_on_a_phone_without_signing_in(
    live_server: Any, world: Any, browser: Browser
) -> None:
    with scope(coalition=world.a):
        wave = services.open_wave(
            coalition=world.a,
            actor=world.people["admin"],
            title="Encuesta 2026",
            opened_on=datetime.date(2026, 5, 1),
        )
    context = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844})
    page = context.new_page()
    csp = CspWatch(page)
    page.goto(f"{live_server.url}/voice/survey/{wave.token}/?lang=es")
    expect(page.get_by_role("heading", name="Lo que guardamos y lo que no")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []
    question = page.get_by_role(
        "group", name="Confío en que los demás miembros harán lo que dicen que harán."
    )
    question.get_by_label("De acuerdo", exact=True).check()
    page.get_by_role(
        "group", name="Puedo estar en desacuerdo abiertamente sin que se use en mi contra."
    ).get_by_label("Muy de acuerdo").check()
    page.get_by_label("¿Cómo participa?").select_option("community")
    shoot(page, "voice-survey-es-390")
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page.get_by_role("heading", name="Gracias")).to_be_visible()
    assert csp.violations == [] and csp.errors == []
    with scope(coalition=world.a):
        sheet = AnswerSheet.objects.get()
    assert sheet.answers == {"tru1": 4, "tru2": 5} and sheet.member_type == "community"
    context.close()

    with scope(coalition=world.a):
        for name in ("Transportation", "Housing"):
            services.create_theme(coalition=world.a, actor=world.people["admin"], name=name)
    admin = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = admin.new_page()
    csp = CspWatch(page)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("admin@a.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/c/valley-a/voice/listening/")
    form = page.get_by_role("region", name="Record a listening session")
    form.get_by_label("Title", exact=True).fill("Hayneville stop")
    form.get_by_label("Date").fill("2026-05-02")
    form.get_by_label("Neighborhood or place").fill("Hayneville")
    form.get_by_label("Topic").fill("Getting to care")
    form.get_by_label("Residents reached").fill("38")
    form.get_by_label("Childcare").check()
    form.get_by_role("button", name="Record the session").click()
    page.wait_for_url("**/listening/*/")
    code = page.get_by_role("region", name="Code an excerpt")
    code.get_by_label("Excerpt of the notes").fill("The bus stops at six.")
    code.get_by_label("Transportation").check()
    code.get_by_role("button", name="Code the excerpt").click()
    page.wait_for_load_state()
    code = page.get_by_role("region", name="Code an excerpt")
    code.get_by_label("Excerpt of the notes").fill("Our roof leaks and the clinic is far.")
    code.get_by_label("Transportation").check()
    code.get_by_label("Housing").check()
    code.get_by_role("button", name="Code the excerpt").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/c/valley-a/voice/codebook/")
    counts = page.locator("[data-theme-count]")
    assert {
        counts.nth(i).get_attribute("data-theme-count"): counts.nth(i).inner_text()
        for i in range(counts.count())
    } == {"Housing": "1", "Transportation": "2"}
    assert serious_violations(page) == []
    shoot(page, "voice-codebook-admin")
    assert csp.violations == [] and csp.errors == []
    admin.close()
