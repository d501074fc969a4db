"""The demo's published report: River Region's public page and PDF hold no person's name and
no suppressed value; the demo funder sees the coalitions that share with it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils.html import escape
from django_scopes import scope, scopes_disabled
from pypdf import PdfReader

from commonground.accounts.models import User
from commonground.coalitions.models import Coalition
from commonground.demo.seed import DEMO_SLUG, FUNDER, FUNDER_SLUG, PEERS, seed_demo
from commonground.ecosystem.models import Actor
from commonground.measurement import selectors as measurement
from commonground.measurement.models import Observation
from commonground.reports import registry, selectors, services
from commonground.reports.models import PdfJob, ReportVersion
from commonground.voice.models import StoryConsent


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo, seeded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def people_names() -> set[str]:
    """Every person the demo names: members, partners' contacts, people in stories."""
    with scopes_disabled():
        names = {u.display_name for u in User.objects.all()} | {u.email for u in User.objects.all()}
        for name, email, phone in Actor.objects.values_list(
            "contact_name", "contact_email", "contact_phone"
        ):
            names |= {name, email, phone}
        names |= set(StoryConsent.objects.values_list("person", flat=True))
    return {n for n in names if n and len(n) > 3}


def suppressed_values() -> list[tuple[str, str]]:
    """(indicator, formatted raw value) of every group the public equity section hides."""
    coalition = Coalition.objects.get(slug=DEMO_SLUG)
    out = []
    with scope(coalition=coalition):
        counties = measurement.served_counties(coalition=coalition)
        for summary in measurement.key_gaps(coalition=coalition, counties=counties):
            for place in summary.places:
                for row in place.rows:
                    if not row.suppressed:
                        continue
                    raw = Observation.objects.get(
                        indicator=summary.indicator,
                        place_code=place.place,
                        period=place.period,
                        group=row.group,
                    ).value
                    if raw is not None:
                        out.append(
                            (
                                summary.indicator.label,
                                measurement.format_value(summary.indicator, raw),
                            )
                        )
    return out


def test_public_page_and_pdf_name_nobody_and_hide_suppressed_values(demo: None, db: None) -> None:
    anonymous = Client()
    response = anonymous.get(f"/p/{DEMO_SLUG}/")
    assert response.status_code == 200
    html = response.content.decode()
    coalition = Coalition.objects.get(slug=DEMO_SLUG)
    with scope(coalition=coalition):
        version = ReportVersion.objects.get(is_public=True)
        content = selectors.frozen_content(version=version, language="en", public_only=True)
        job = services.request_pdf(
            report=version.report,
            actor=None,
            language="en",
            paper="letter",
            version=version,
            public_only=True,
        )
        services.run_pdf_job(job_id=job.pk, coalition_id=coalition.pk)
    pdf = anonymous.get(f"/p/{DEMO_SLUG}/report.pdf")
    assert pdf.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = re.sub(r"\s+", " ", text)
    # Every public section is there, in the page and in the PDF.
    public_sections = [
        s.key for s in registry.sections() if s.public and s.key in version.public_section_keys
    ]
    assert [s["key"] for s in content["sections"]] == public_sections
    assert len(public_sections) >= 5
    for section in content["sections"]:
        assert escape(section["title"]) in html
        assert re.sub(r"\s+", " ", section["title"]) in flat
    names = people_names()
    assert len(names) > 20
    assert sorted(n for n in names if n in html) == []
    assert sorted(n for n in names if n in flat) == []
    # No suppressed value in the equity section (page and PDF).
    hidden = suppressed_values()
    equity_html = html.split('id="section-4"')[1].split('id="section-5"')[0]
    equity_pdf = flat.split("Health equity: headline gaps and goals")[-1].split(
        "Targets and turning the curve"
    )[0]
    shown = {
        g["value"]
        for g in next(s for s in content["sections"] if s["key"] == "measurement.equity")["data"][
            "gaps"
        ]
    }
    for _indicator, value in hidden:
        if value in shown:  # the same figure shown for another, unsuppressed group
            continue
        assert value not in equity_html
        assert value not in equity_pdf


def test_funder_sees_the_three_sharing_coalitions_and_loses_one_on_withdrawal(
    demo: None, db: None
) -> None:
    client = Client()
    client.force_login(User.objects.get(email=FUNDER.email))
    html = client.get(f"/funders/{FUNDER_SLUG}/").content.decode()
    header = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)  # type: ignore[union-attr]
    expected = [
        "Chattahoochee Valley Health Partnership",
        "Delta Roots Health Alliance",
        "River Region Health Collaborative",
    ]
    assert re.findall(r'<th scope="col">([^<]+)</th>', header)[1:] == expected
    assert "Northside" not in html
    # Delta Roots shares density and the headline gap only.
    row = re.search(r"Network density</th>(.*?)</tr>", html, re.S).group(1)  # type: ignore[union-attr]
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert all(re.fullmatch(r"0\.\d\d", c) for c in cells), cells
    rate = re.search(r"Network survey response rate</th>(.*?)</tr>", html, re.S).group(1)  # type: ignore[union-attr]
    assert "not shared" in re.findall(r"<td>(.*?)</td>", rate, re.S)[1]
    delta = Coalition.objects.get(slug=PEERS[1].slug)
    with scope(coalition=delta):
        fund = next(iter(selectors.list_consents(coalition=delta).values())).intermediary
        services.withdraw_consent(coalition=delta, actor=None, intermediary=fund)
    html = client.get(f"/funders/{FUNDER_SLUG}/").content.decode()
    assert "Delta Roots Health Alliance" not in html


def test_demo_public_pdfs_are_queued_and_the_report_builds_in_both_languages(
    demo: None, db: None
) -> None:
    coalition = Coalition.objects.get(slug=DEMO_SLUG)
    with scope(coalition=coalition):
        queued = list(PdfJob.objects.filter(public_only=True).values_list("language", flat=True))
        report = ReportVersion.objects.get(is_public=True).report
        for language in ("en", "es"):
            content = selectors.live_content(report=report, language=language)
            assert not [s["key"] for s in content["sections"] if s["data"].get("error")]
    assert sorted(queued) == ["en", "es"]
