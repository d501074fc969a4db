"""Reports on the two-coalition ``world``: building, PDFs, exports, publishing, the public
page, sharing with funders."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from typing import Any

import networkx as nx
import openpyxl
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django_scopes import scope
from pypdf import PdfReader

from commonground.coalitions import services as coalition_services
from commonground.coalitions.models import Membership
from commonground.conftest import make_user
from commonground.ecosystem import services as ecosystem_services
from commonground.reports import registry, selectors, services
from commonground.reports.models import Intermediary, PdfJob, Report, ReportVersion

MINE = [
    "coalitions.profile",
    "assessments.stage",
    "ecosystem.network",
    "measurement.equity",
    "measurement.targets",
]
SECTOR = "community_health_center"
INTRO = "Año de acción: participación comunitaria, niñas y niños sanos — “más salud”."


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Row ids are reused after a rolled-back test; cached content must not be."""
    cache.clear()
    yield
    cache.clear()


def network(world: Any, coalition: Any, *, names: list[str], ties: list[tuple[int, int]]) -> None:
    admin = world.people["admin"] if coalition == world.a else world.people["outsider"]
    actors = [
        ecosystem_services.create_actor(
            coalition=coalition, user=admin, name=name, sector_id=SECTOR
        )
        for name in names
    ]
    with scope(coalition=coalition):
        for a, b in ties:
            ecosystem_services.record_tie(
                coalition=coalition, user=admin, from_actor=actors[a], to_actor=actors[b]
            )


def make_report(world: Any, keys: list[str] | None = None) -> Report:
    with scope(coalition=world.a):
        return services.create_report(
            coalition=world.a,
            actor=world.people["admin"],
            title="Informe de impacto",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            introduction=INTRO,
            section_keys=keys or MINE,
        )


def pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages), reader


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ------------------------------------------------------------------ building and PDFs


@pytest.mark.parametrize("language", ["en", "es"])
def test_report_renders_in_html_and_pdf_with_every_section(
    world: Any, language: str, django_capture_on_commit_callbacks: Any
) -> None:
    network(world, world.a, names=["Clínica Sur", "Escuela Norte", "Iglesia"], ties=[(0, 1)])
    keys = [s.key for s in registry.sections()]  # every app's registered section
    report = make_report(world, keys)
    client = world.client_for("admin")
    client.cookies["django_language"] = language
    page = client.get(f"/c/valley-a/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    with translation.override(language):
        titles = [str(registry.get_section(k).title) for k in keys]  # type: ignore[union-attr]
    for title in titles:
        assert escape(title) in html, title
    assert "Año de acción" in html

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"/c/valley-a/reports/{report.pk}/pdf/", {"language": language, "paper": "a4"}
        )
    assert started.status_code == 302
    with scope(coalition=world.a):
        job = PdfJob.objects.get(report=report)
    assert job.status == PdfJob.Status.SUCCEEDED, job.error
    assert job.progress == 1.0 and job.language == language
    progress = client.get(started["Location"])
    assert b"100% done" in progress.content or b"100%" in progress.content
    download = client.get(f"/c/valley-a/reports/pdfs/{job.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    text, reader = pdf_text(
        b"".join(download.streaming_content) if download.streaming else download.content
    )
    flat = squash(text)
    assert INTRO.split(" —")[0] in flat  # accents intact
    for title in titles:
        assert squash(title) in flat, title
    assert "Valley Health Alliance" in flat
    # A4 pages, numbered "n / total", with the fonts embedded.
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)
    total = len(reader.pages)
    assert f"2 / {total}" in squash(reader.pages[1].extract_text())
    fonts = [
        f["/FontDescriptor"]
        for page_obj in reader.pages
        for f in (
            font.get_object()["/DescendantFonts"][0].get_object()
            for font in page_obj["/Resources"]["/Font"].values()
        )
    ]
    assert fonts and all("/FontFile2" in d for d in fonts)


def test_letter_paper_and_a_table_of_contents_with_page_numbers(world: Any) -> None:
    report = make_report(world, ["coalitions.profile", "assessments.stage"])
    with scope(coalition=world.a):
        job = services.request_pdf(
            report=report, actor=world.people["admin"], language="en", paper="letter"
        )
        services.run_pdf_job(job_id=job.pk, coalition_id=world.a.pk)
        job.refresh_from_db()
    _text, reader = pdf_text(bytes(job.pdf))
    assert (
        round(float(reader.pages[0].mediabox.width)),
        round(float(reader.pages[0].mediabox.height)),
    ) == (612, 792)
    first = squash(reader.pages[0].extract_text())
    # The contents list each section with the page it starts on.
    assert re.search(r"The partnership\s*\.*\s*2", first), first
    assert re.search(r"Stage and roadmap\s*\.*\s*\d", first)
    assert job.page_count == len(reader.pages)


def test_network_scores_match_networkx(world: Any) -> None:
    ties = [(0, 1), (1, 2), (2, 0), (3, 0)]
    network(world, world.a, names=["A", "B", "C", "D"], ties=ties)
    report = make_report(world, ["ecosystem.network"])
    with scope(coalition=world.a):
        content = selectors.live_content(report=report, language="en")
    scores = {s["key"]: s["value"] for s in content["sections"][0]["data"]["scores"]}
    graph = nx.DiGraph(ties)
    assert scores["actors"] == 4 and scores["ties"] == 4
    assert scores["density"] == pytest.approx(nx.density(graph))
    assert scores["reciprocity"] == pytest.approx(nx.reciprocity(graph))
    # The drawing has one dot per organization and one line per tie, and no name.
    svg = content["sections"][0]["data"]["charts"][0]["svg"]
    assert svg.count("<line") == 4
    assert ">A<" not in svg and ">D<" not in svg


def test_members_by_role_are_counted(world: Any) -> None:
    report = make_report(world, ["coalitions.profile"])
    with scope(coalition=world.a):
        content = selectors.live_content(report=report, language="en")
    members = dict(map(tuple, content["sections"][0]["data"]["members"]))
    # admin, partner, resident, viewer: one each in the world.
    assert members == {"Backbone admin": 1, "Partner": 1, "Community member": 1, "Viewer": 1}


def test_tables_export_one_sheet_a_section_and_charts_as_svg_and_png(world: Any) -> None:
    network(world, world.a, names=["A", "B"], ties=[(0, 1)])
    report = make_report(world, ["coalitions.profile", "assessments.stage", "ecosystem.network"])
    client = world.client_for("viewer")
    response = client.get(f"/c/valley-a/reports/{report.pk}/tables.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["The partnership", "Stage and roadmap", "The network"]
    network_rows = [[c.value for c in row] for row in book["The network"].iter_rows()]
    assert ["Organizations", "2"] in [r[:2] for r in network_rows]
    svg = client.get(f"/c/valley-a/reports/{report.pk}/charts/ecosystem.network:network/svg/")
    assert svg.status_code == 200 and svg.content.startswith(b"<?xml")
    assert b"<svg" in svg.content
    png = client.get(f"/c/valley-a/reports/{report.pk}/charts/assessments.stage:roadmap/png/")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert client.get(f"/c/valley-a/reports/{report.pk}/charts/nope:x/svg/").status_code == 404
    assert (
        client.get(
            f"/c/valley-a/reports/{report.pk}/charts/ecosystem.network:network/gif/"
        ).status_code
        == 404
    )


def test_new_report_form_orders_sections_and_escapes_names(world: Any) -> None:
    client = world.client_for("admin")
    response = client.post(
        "/c/valley-a/reports/new/",
        {
            "title": "<script>alert(1)</script>",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "introduction": "",
            "position:ecosystem.network": "1",
            "position:coalitions.profile": "2",
        },
    )
    assert response.status_code == 302
    with scope(coalition=world.a):
        report = Report.objects.get()
    assert report.section_keys == ["ecosystem.network", "coalitions.profile"]
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    bad = client.post(
        "/c/valley-a/reports/new/",
        {"title": "x", "period_start": "2025-12-31", "period_end": "2025-01-01"},
    )
    assert bad.status_code == 400
    assert b"The period must end on or after" in bad.content
    assert b"Choose at least one section" in bad.content


def test_a_stale_edit_gets_409(world: Any) -> None:
    report = make_report(world, ["coalitions.profile"])
    client = world.client_for("admin")
    form = {
        "title": "First",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "position:coalitions.profile": "1",
        "version": str(report.version),
    }
    assert client.post(f"/c/valley-a/reports/{report.pk}/edit/", form).status_code == 302
    second = client.post(f"/c/valley-a/reports/{report.pk}/edit/", {**form, "title": "Second"})
    assert second.status_code == 409
    with scope(coalition=world.a):
        report.refresh_from_db()
    assert report.title == "First"


# ------------------------------------------------------------------ publishing


def publish(world: Any, report: Report, public_keys: list[str]) -> ReportVersion:
    with scope(coalition=world.a):
        version = services.publish_report(report=report, actor=world.people["admin"])
        return services.show_on_public_page(
            version=version, actor=world.people["admin"], section_keys=public_keys
        )


def test_published_numbers_stay_after_the_data_changes(world: Any) -> None:
    network(world, world.a, names=["A", "B", "C"], ties=[(0, 1)])
    report = make_report(world, ["coalitions.profile", "ecosystem.network"])
    version = publish(world, report, ["coalitions.profile", "ecosystem.network"])
    # The data changes: a new member, two more ties.
    add = make_user("late@a.example")
    with scope(coalition=world.a):
        Membership.objects.create(coalition=world.a, user=add, role=Membership.Role.PARTNER)
    network(world, world.a, names=["E", "F"], ties=[(0, 1)])
    coalition_services.record_audit(
        coalition=world.a, actor=None, action="update", obj=world.a, summary="changed"
    )
    client = world.client_for("admin")
    live = client.get(f"/c/valley-a/reports/{report.pk}/").content.decode()
    frozen = client.get(f"/c/valley-a/reports/versions/{version.pk}/").content.decode()
    public = Client().get("/p/valley-a/").content.decode()

    def organizations(html: str) -> str:
        return re.search(r"Organizations</span> <strong>(\d+)</strong>", html).group(1)  # type: ignore[union-attr]

    assert organizations(live) == "5"
    assert organizations(frozen) == "3" and organizations(public) == "3"
    with scope(coalition=world.a):
        version.refresh_from_db()
    members = dict(map(tuple, version.content["languages"]["en"]["sections"][0]["data"]["members"]))
    assert members["Partner"] == 1  # as published, not the 2 partners of today
    assert "Published 20" in frozen


def test_public_page_shows_only_chosen_sections_links_nowhere_and_unpublishes_at_once(
    world: Any,
) -> None:
    network(world, world.a, names=["Rosa Contact Org", "B"], ties=[(0, 1)])
    report = make_report(world, ["coalitions.profile", "ecosystem.network", "assessments.stage"])
    publish(world, report, ["ecosystem.network"])
    anonymous = Client()
    response = anonymous.get("/p/valley-a/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The network" in html
    assert ">The partnership<" not in html and "Stage and roadmap" not in html
    assert "Rosa Contact Org" not in html  # organizations are dots, never names
    links = set(re.findall(r'(?:href|action|src|hx-get)="([^"]+)"', html))
    allowed = re.compile(r"^(/p/valley-a/|/static/|/$|/guide/|/accounts/sign-in/|/i18n/|#)")
    assert {link for link in links if not allowed.match(link)} == set()
    assert "/c/" not in html
    # Another coalition has published nothing; an unknown slug is nothing either.
    assert anonymous.get("/p/valley-b/").status_code == 404
    assert anonymous.get("/p/no-such/").status_code == 404
    # Take it down: the next request is a 404, the PDF too.
    admin = world.client_for("admin")
    assert admin.post("/c/valley-a/reports/public-page/take-down/").status_code == 302
    assert anonymous.get("/p/valley-a/").status_code == 404
    assert anonymous.get("/p/valley-a/report.pdf").status_code == 404


def test_public_pdf_holds_only_public_sections(world: Any) -> None:
    report = make_report(world, ["coalitions.profile", "assessments.stage"])
    version = publish(world, report, ["assessments.stage"])
    with scope(coalition=world.a):
        job = services.request_pdf(
            report=report,
            actor=world.people["admin"],
            language="es",
            paper="letter",
            version=version,
            public_only=True,
        )
        services.run_pdf_job(job_id=job.pk, coalition_id=world.a.pk)
    response = Client().get("/p/valley-a/report.pdf", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    text, _reader = pdf_text(response.content)
    flat = squash(text)
    assert "Año de acción" in flat
    with translation.override("es"):
        assert squash(str(registry.get_section("assessments.stage").title)) in flat  # type: ignore[union-attr]
        assert str(registry.get_section("coalitions.profile").title) not in flat  # type: ignore[union-attr]


def test_only_public_sections_may_be_shown(world: Any) -> None:
    def private(coalition: Any, period: Any) -> dict[str, Any]:
        return {"secret": "names"}

    registry.register_section(
        registry.Section(
            key="tests.private",
            title="Private",
            build=private,
            template="reports/_tables.html",
            public=False,
        )
    )
    try:
        report = make_report(world, ["coalitions.profile", "tests.private"])
        with scope(coalition=world.a):
            version = services.publish_report(report=report, actor=world.people["admin"])
            with pytest.raises(Exception, match="cannot be shown on the public page"):
                services.show_on_public_page(
                    version=version, actor=world.people["admin"], section_keys=["tests.private"]
                )
            version.is_public, version.public_section_keys = True, ["tests.private"]
            version.save()
        # Even a version marked so by hand never shows a private section.
        assert "Private" not in Client().get("/p/valley-a/").content.decode()
    finally:
        registry._sections.pop("tests.private", None)


# ------------------------------------------------------------------ funders


def test_funder_sees_exactly_the_shared_measures_of_consenting_coalitions(world: Any) -> None:
    network(world, world.a, names=["A", "B", "C"], ties=[(0, 1), (1, 2)])
    network(world, world.b, names=["X", "Y"], ties=[(0, 1), (1, 0)])
    fund = Intermediary.objects.create(name="River Fund", slug="river-fund")
    funder = make_user("funder@fund.example", "Fay Funder")
    fund.users.add(funder)
    third = coalition_services.create_coalition(
        creator=make_user("c@c.example"),
        name="Quiet Coalition",
        slug="quiet-c",
        places=coalition_services.parse_places(counties="01001"),
    )
    with scope(coalition=world.a):
        services.save_consent(
            coalition=world.a,
            actor=world.people["admin"],
            intermediary=fund,
            share_profile=True,
            measure_keys=["ecosystem.density"],
        )
    with scope(coalition=world.b):
        services.save_consent(
            coalition=world.b,
            actor=world.people["outsider"],
            intermediary=fund,
            share_profile=False,
            measure_keys=["ecosystem.response_rate", "assessments.stage"],
        )
    client = Client()
    client.force_login(funder)
    html = client.get("/funders/river-fund/").content.decode()
    header = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)  # type: ignore[union-attr]
    assert header.count("Valley Health Alliance") == 2 and "Quiet Coalition" not in html
    assert third.name != "Quiet Coalition" or "quiet-c" not in html
    row = re.search(r"Network density</th>(.*?)</tr>", html, re.S).group(1)  # type: ignore[union-attr]
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    density_a = nx.density(nx.DiGraph([(0, 1), (1, 2)]))
    assert cells[0] == f"{density_a:.2f}" and "not shared" in cells[1]
    # B shares no profile: its profile cells say so; A's region is shown.
    region = re.search(r"Region</th>(.*?)</tr>", html, re.S).group(1)  # type: ignore[union-attr]
    assert "Montgomery" in region and "not shared" in region
    # Response rate: B shares it but has no survey: a dash, never a made-up number.
    rate = re.search(r"Network survey response rate</th>(.*?)</tr>", html, re.S).group(1)  # type: ignore[union-attr]
    assert re.findall(r"<td>(.*?)</td>", rate, re.S)[1] == "—"
    assert "Headline equity gap" not in html  # nobody shares it
    # B withdraws: its column is gone at the next request.
    outsider = world.client_for("outsider")
    withdrawn = outsider.post(
        "/c/valley-b/reports/sharing/", {"intermediary": "river-fund", "action": "withdraw"}
    )
    assert withdrawn.status_code == 302
    html = client.get("/funders/river-fund/").content.decode()
    header = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)  # type: ignore[union-attr]
    assert header.count("Valley Health Alliance") == 1
    assert "Network survey response rate" not in html
    # Someone who does not work for the funder sees nothing of it.
    assert world.client_for("admin").get("/funders/river-fund/").status_code == 404
    assert world.client_for("admin").get("/funders/").status_code == 200


def test_sharing_form_saves_and_refuses_unknown_measures(world: Any) -> None:
    Intermediary.objects.create(name="Fund", slug="fund")
    admin = world.client_for("admin")
    assert admin.get("/c/valley-a/reports/sharing/").status_code == 200
    ok = admin.post(
        "/c/valley-a/reports/sharing/",
        {"intermediary": "fund", "share_profile": "1", "measure_keys": ["ecosystem.density"]},
    )
    assert ok.status_code == 302
    bad = admin.post(
        "/c/valley-a/reports/sharing/",
        {"intermediary": "fund", "measure_keys": ["nope.measure"]},
    )
    assert bad.status_code == 400
    with scope(coalition=world.a):
        consent = selectors.list_consents(coalition=world.a)
    assert [c.measure_keys for c in consent.values()] == [["ecosystem.density"]]
    assert admin.post("/c/valley-a/reports/sharing/", {"intermediary": "none"}).status_code == 404


def test_api_lists_reports_and_content(world: Any) -> None:
    report = make_report(world, ["coalitions.profile"])
    client = world.client_for("viewer")
    listed = client.get("/api/coalitions/valley-a/reports").json()
    assert [r["title"] for r in listed] == ["Informe de impacto"]
    content = client.get(f"/api/coalitions/valley-a/reports/{report.pk}/content").json()
    assert content["sections"][0]["key"] == "coalitions.profile"
    assert client.get("/api/coalitions/valley-a/reports/999999/content").status_code == 404


def test_a_published_versions_pdf_keeps_its_numbers(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    network(world, world.a, names=["A", "B"], ties=[(0, 1)])
    report = make_report(world, ["ecosystem.network"])
    with scope(coalition=world.a):
        version = services.publish_report(report=report, actor=world.people["admin"])
    network(world, world.a, names=["C", "D", "E"], ties=[(0, 1)])
    client = world.client_for("partner")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"/c/valley-a/reports/{report.pk}/pdf/",
            {"language": "en", "paper": "letter", "version": str(version.pk)},
        )
    assert started.status_code == 302
    with scope(coalition=world.a):
        job = PdfJob.objects.get(version=version)
    text = squash(pdf_text(bytes(job.pdf))[0])
    assert "Organizations 2" in text  # as published, not the 5 of today
    # A version of another coalition cannot be named.
    with scope(coalition=world.b):
        other = make_report_b(world)
    assert (
        client.post(f"/c/valley-a/reports/{report.pk}/pdf/", {"version": str(other)}).status_code
        == 404
    )


def make_report_b(world: Any) -> int:
    report = services.create_report(
        coalition=world.b,
        actor=world.people["outsider"],
        title="B",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        section_keys=["coalitions.profile"],
    )
    return services.publish_report(report=report, actor=world.people["outsider"]).pk


def test_a_pdf_whose_worker_died_is_given_up_and_never_taken_again(world: Any) -> None:
    """A running PDF with a stale heartbeat, or one queued for over an hour, shows as failed
    with the reason; a fresh one keeps running; a given-up job is not made afterwards."""
    report = make_report(world, ["coalitions.profile"])
    now = datetime.datetime.now(datetime.UTC)
    with scope(coalition=world.a):
        jobs = {
            name: services.request_pdf(
                report=report, actor=world.people["admin"], language="en", paper="letter"
            )
            for name in ("lost", "alive", "never_started", "just_queued")
        }
        PdfJob.objects.filter(pk=jobs["lost"].pk).update(
            status=PdfJob.Status.RUNNING, heartbeat_at=now - datetime.timedelta(minutes=6)
        )
        PdfJob.objects.filter(pk=jobs["alive"].pk).update(
            status=PdfJob.Status.RUNNING, heartbeat_at=now - datetime.timedelta(minutes=4)
        )
        PdfJob.objects.filter(pk=jobs["never_started"].pk).update(
            created_at=now - datetime.timedelta(minutes=61)
        )
    client = world.client_for("admin")
    page = client.get(reverse("reports:pdf_job", args=["valley-a", jobs["lost"].pk]))
    assert page.status_code == 200
    assert "the background worker making it stopped" in page.content.decode()
    with scope(coalition=world.a):
        status = dict(PdfJob.objects.values_list("pk", "status"))
        assert status[jobs["lost"].pk] == status[jobs["never_started"].pk] == "failed"
        assert status[jobs["alive"].pk] == "running"
        assert status[jobs["just_queued"].pk] == "queued"
        # A worker that turns up late for a given-up job leaves it as it is.
        services.run_pdf_job(job_id=jobs["never_started"].pk, coalition_id=world.a.pk)
        late = PdfJob.objects.get(pk=jobs["never_started"].pk)
        assert late.status == "failed" and bytes(late.pdf) == b""
        # The one still queued is made as usual.
        services.run_pdf_job(job_id=jobs["just_queued"].pk, coalition_id=world.a.pk)
        made = PdfJob.objects.get(pk=jobs["just_queued"].pk)
        assert made.status == "succeeded" and bytes(made.pdf).startswith(b"%PDF-")
        assert made.heartbeat_at is not None
