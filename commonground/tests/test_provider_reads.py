"""A value kept per version of some apps reads only those apps' tables.

A roadmap, evidence or notice provider registered with ``reads=(...)``, a report
section with ``reads``, and a value
derived with ``once_per_request(..., apps=(...))``, is derived again only after a write
to one of those apps, to the coalition's own tables, or to the accounts (whose writes
change the global version). Were it to read another app's table, a write there would
leave it stale. These tests run each one on the demo's coalitions, for every member,
and name the app of every table its SQL reads.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from itertools import count

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import scope

from commonground.assessments import selectors as assessment_selectors
from commonground.coalitions import data_version, evidence, notices, roadmap
from commonground.coalitions.models import Coalition, Membership
from commonground.coalitions.roadmap import Step
from commonground.demo.seed import DEMO_SLUG, seed_demo
from commonground.ecosystem import selectors as ecosystem_selectors
from commonground.governance.models import Body
from commonground.reports import registry as report_registry
from commonground.reports import services as report_services
from commonground.reports.registry import Period
from commonground.voice.models import SurveyWave

pytestmark = pytest.mark.django_db

_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+["`]?(\w+)["`]?', re.IGNORECASE)


def _apps_read(run: Callable[[], object]) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    assert len(queries), "nothing was read: the check would prove nothing"
    return {
        data_version.app_of(table)
        for query in queries.captured_queries
        for table in _TABLE.findall(query["sql"])
    }


def _allowed(reads: tuple[str, ...]) -> set[str]:
    return {*reads, "coalitions", *data_version.SHARED_APPS}


def _cases() -> Iterator[tuple[str, tuple[str, ...], Callable[[Coalition, Membership], object]]]:
    for provider in roadmap.registry:
        reads = roadmap.reads_of(provider)
        if reads is not None:
            yield provider.__qualname__, reads, lambda c, _m, p=provider: list(p(c))
    for found in evidence.registry:
        reads = evidence.reads_of(found)
        if reads is not None:
            yield found.__qualname__, reads, lambda c, _m, p=found: list(p(c))
    for notice in notices.registry:
        reads = notices.reads_of(notice)
        if reads is not None:
            yield notice.__qualname__, reads, lambda c, m, p=notice: list(p(c, m.user))
    yield (
        "open proposals",
        ("assessments", "ecosystem"),
        lambda c, _m: assessment_selectors._open_proposals(c),
    )
    yield (
        "assessment facts",
        ("assessments",),
        lambda c, _m: assessment_selectors._compute_facts(c, frozenset(), frozenset()),
    )
    period = Period(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))
    for section in report_registry.sections():
        if section.reads is not None:
            yield section.key, section.reads, lambda c, _m, s=section: s.build(c, period)
    yield "ecosystem facts", ("ecosystem",), lambda c, _m: ecosystem_selectors._ecosystem_facts(c)
    yield (
        "network analysis",
        ("ecosystem",),
        lambda c, _m: ecosystem_selectors._analyze(c, None),
    )


def test_every_declared_provider_reads_only_the_apps_it_names() -> None:
    seed_demo()
    cases = list(_cases())
    # Every provider and report section declares what it reads except the assessments'
    # roadmap steps and stage section (the framework's facts come from every app).
    assert len(cases) >= 30
    wrong = []
    translation.activate("en")
    for coalition in Coalition.objects.all():
        with scope(coalition=coalition):
            members = list(Membership.objects.filter(coalition=coalition).select_related("user"))
            for name, reads, run in cases:
                for member in members:
                    read = _apps_read(lambda r=run, c=coalition, m=member: r(c, m))
                    extra = read - _allowed(reads)
                    if extra:
                        wrong.append(f"{name} in {coalition.slug} also reads {sorted(extra)}")
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_a_write_derives_again_only_the_providers_that_read_its_app() -> None:
    """After a survey wave changes, a provider that reads governance only is not asked
    again for the coalition home; after a governance body changes, it is."""
    seed_demo()
    demo = Coalition.objects.get(slug=DEMO_SLUG)
    with scope(coalition=demo):
        admin = Membership.objects.filter(
            coalition=demo, role=Membership.Role.BACKBONE_ADMIN
        ).select_related("user")[0]
    calls = count()
    asked: list[int] = []

    def governance_only(coalition: Coalition) -> Iterator[Step]:
        asked.append(next(calls))
        yield Step(chapter=3, label=f"asked {len(asked)} times", is_done=False, key="probe")

    roadmap.register(governance_only, reads=("governance",))
    client = Client()
    client.force_login(admin.user)
    home = f"/c/{DEMO_SLUG}/"
    try:
        assert "asked 1 times" in client.get(home).content.decode()
        with scope(coalition=demo):
            SurveyWave.objects.filter(coalition=demo).update(title=F("title"))
        page = client.get(home).content.decode()
        assert len(asked) == 1, "a survey wave's change asked the governance provider again"
        assert "asked 1 times" in page
        with scope(coalition=demo):
            Body.objects.filter(coalition=demo).update(name=F("name"))
        assert "asked 2 times" in client.get(home).content.decode()
        assert len(asked) == 2
    finally:
        roadmap.unregister(governance_only)


def test_a_report_page_builds_again_only_the_sections_that_read_the_written_app() -> None:
    seed_demo()
    demo = Coalition.objects.get(slug=DEMO_SLUG)
    built: list[int] = []

    def build_probe(coalition: Coalition, period: Period) -> dict[str, object]:
        built.append(1)
        return {"note": f"built {len(built)} times"}

    report_registry.register_section(
        report_registry.Section(
            key="probe.governance",
            title="Probe",
            build=build_probe,
            template="reports/sections/profile.html",
            reads=("governance",),
        )
    )
    try:
        with scope(coalition=demo):
            admin = Membership.objects.filter(
                coalition=demo, role=Membership.Role.BACKBONE_ADMIN
            ).select_related("user")[0]
            report = report_services.create_report(
                coalition=demo,
                actor=admin.user,
                title="Probe report",
                period_start=datetime.date(2025, 1, 1),
                period_end=datetime.date(2025, 12, 31),
                section_keys=["probe.governance", "voice.survey"],
            )
        client = Client()
        client.force_login(admin.user)
        page = f"/c/{DEMO_SLUG}/reports/{report.pk}/"
        assert client.get(page).status_code == 200
        assert len(built) == 1
        with scope(coalition=demo):
            SurveyWave.objects.filter(coalition=demo).update(title=F("title"))
        assert client.get(page).status_code == 200
        assert len(built) == 1, "a survey wave's change built the governance section again"
        with scope(coalition=demo):
            Body.objects.filter(coalition=demo).update(name=F("name"))
        assert client.get(page).status_code == 200
        assert len(built) == 2
    finally:
        report_registry._sections.pop("probe.governance", None)
