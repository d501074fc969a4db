"""Importing the CHR analytic sample after the demo's data changes no period label and no
target's status (issue 8).

The defect as found: the analytic file's life expectancy was stored under "2025" (its
release year) beside the same data under "2020-2022"; the explorer listed both periods,
Bullock County's gap target went from "no trend yet" to "not on track" on two identical
9.4-year gaps, and the county map opened on 2025, greying out 4 of the 6 counties.
"""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client
from django_scopes import scope

from commonground.accounts.models import User
from commonground.coalitions.models import AuditEvent, Coalition
from commonground.demo.seed import DEMO_SLUG, seed_demo
from commonground.lib.paths import shared_data_dir
from commonground.measurement import selectors, services
from commonground.measurement.models import ImportJob, Indicator, Observation
from commonground.measurement.tests.test_services import LE_WIDE
from commonground.measurement.tests.test_wizard import upload, visible

ANALYTIC = shared_data_dir() / "chrr" / "analytic_data2025_sample.csv"


def _state(coalition: Coalition) -> dict[str, Any]:
    with scope(coalition=coalition):
        served = selectors.served_counties(coalition=coalition)
        life = Indicator.objects.get(code="v147")
        period = selectors.best_period(indicator=life, counties=served)
        cells = selectors.map_cells(
            indicator=life, counties=served, period=period, group="black", mode="gap"
        )
        return {
            "periods": {
                i.code: selectors.periods(indicator=i) for i in Indicator.objects.order_by("code")
            },
            "targets": [
                (v.target.title, v.on_track, v.met, v.latest_text, v.goal_text, v.required_text)
                for v in selectors.list_targets(coalition=coalition)
            ],
            "map_period": period,
            "map_counties": sorted(c.place for c in cells if c.is_served and c.value is not None),
        }


def test_the_analytic_sample_after_the_demo_changes_no_period_and_no_target(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    seed_demo()
    coalition = Coalition.objects.get(slug=DEMO_SLUG)
    before = _state(coalition)
    assert before["periods"]["v147"] == ["2020-2022"]
    assert before["map_period"] == "2020-2022" and len(before["map_counties"]) == 6
    bullock = next(t for t in before["targets"] if "Bullock" in t[0])
    assert bullock[1] is None  # one period so far: no trend yet

    client = Client()
    client.force_login(User.objects.get(email="alicia@riverregion.example"))
    world = type("W", (), {"a": coalition})
    check = upload(client, world, ANALYTIC.name, ANALYTIC.read_bytes())
    page = visible(client.get(check))
    assert "It looks like a County Health Rankings analytic data (two header rows)" in page
    assert "its “year” column gives the release: 2025" in page
    # Low birthweight's data years are not documented for the release: its values are
    # recognised as the ones already stored for 2016-2022 and keep that label.
    assert (
        "Low birthweight: the file's values for 2025 release are the ones already stored for "
        "2016-2022, so they are kept under 2016-2022." in page
    )
    assert "Life expectancy" in page and "2020-2022" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(check, {"layout": "chr_analytic", "keep": "mine"})
    assert response.status_code == 302, visible(response)[-2000:]
    with scope(coalition=coalition):
        job = ImportJob.objects.get(file_name=ANALYTIC.name)
        assert job.status == ImportJob.Status.SUCCEEDED, job.problems
        # New indicators and the totals the demo's files lack are added; the rows the demo
        # already holds are the same values (rounded in the analytic file): none replaced.
        assert job.observations_created > 0 and job.observations_unchanged > 50
        assert job.observations_updated == 0

    after = _state(coalition)
    for code, labels in before["periods"].items():
        assert after["periods"][code] == labels, code
    assert after["targets"] == before["targets"]
    assert after["map_period"] == "2020-2022"
    assert after["map_counties"] == before["map_counties"]
    with scope(coalition=coalition):
        assert not Observation.objects.filter(period="2025").exists()
        premature = Indicator.objects.get(code="v001")
        assert selectors.periods(indicator=premature) == ["2020-2022"]
        life = Indicator.objects.get(code="v147")
    explorer = client.get(f"/c/{DEMO_SLUG}/measurement/health/indicators/{life.pk}/")
    options = re.findall(r'<option value="([^"]*)"[^>]*>', explorer.content.decode())
    assert "2020-2022" in options and "2025" not in options and "2025 release" not in options
    dashboard = visible(client.get(f"/c/{DEMO_SLUG}/measurement/health/"))
    assert "one period so far: no trend yet" in dashboard and "not on track" not in dashboard


def test_a_database_holding_the_defect_is_repaired_by_normalize_periods(world: Any) -> None:
    """Rows the old import stored under "2025" beside the same data under "2020-2022" are
    folded into "2020-2022" by ``commonground normalize_periods`` (audited)."""
    services.import_path(
        coalition=world.a, actor=None, path=LE_WIDE, layout="chr_wide", period="2020-2022",
        only_states=["01"],
    )  # fmt: skip
    with scope(coalition=world.a):
        life = Indicator.objects.get(code="v147")
        stored = list(Observation.objects.filter(indicator=life, place_code__in=["01011", "01101"]))
        for obs in stored:  # what the old analytic import wrote: rounded, under the release
            Observation.objects.create(
                coalition=world.a, indicator=life, place_type=obs.place_type,
                place_code=obs.place_code, period="2025", group=obs.group,
                value=round(obs.value or 0, 9), ci_low=obs.ci_low, ci_high=obs.ci_high,
            )  # fmt: skip
        # a total row only the analytic file has
        Observation.objects.create(
            coalition=world.a, indicator=life, place_type="county", place_code="01011",
            period="2025", group="total", value=74.1,
        )  # fmt: skip
        assert selectors.periods(indicator=life) == ["2020-2022", "2025"]
        target = services.create_target(
            coalition=world.a, actor=None, title="Halve the gap in Bullock", indicator=life,
            place_code="01011", kind="gap", group="black", reference_group="white",
            target_year=2030,
        )  # fmt: skip
        # The trend rule already refuses a trend from one data period under two labels.
        assert selectors.assess(target).on_track is None

    out = StringIO()
    call_command("normalize_periods", "--coalition", world.a.slug, "--dry-run", stdout=out)
    assert "v147: would store 2025 under 2020-2022" in out.getvalue()
    with scope(coalition=world.a):
        assert selectors.periods(indicator=life) == ["2020-2022", "2025"]
    out = StringIO()
    call_command("normalize_periods", "--coalition", world.a.slug, stdout=out)
    assert f"v147: stored 2025 under 2020-2022 (1 moved, {len(stored)} duplicates removed)" in (
        out.getvalue()
    )
    with scope(coalition=world.a):
        assert selectors.periods(indicator=life) == ["2020-2022"]
        total = Observation.objects.get(indicator=life, place_code="01011", group="total")
        assert total.period == "2020-2022" and total.value == 74.1
        assert selectors.assess(target).on_track is None
        assert AuditEvent.objects.filter(event="measurement.periods_merged").count() == 1
    log = visible(world.client_for("admin").get(f"/c/{world.a.slug}/activity/"))
    assert "Stored the values of “Life expectancy” for 2025 under 2020-2022" in log
    out = StringIO()
    call_command("normalize_periods", "--coalition", world.a.slug, stdout=out)
    assert "already keeps each data period under one label" in out.getvalue()
