"""Pages, exports and the API on real slices: suppression everywhere, uploads, progress."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope

from commonground.coalitions.models import AuditEvent
from commonground.measurement import services
from commonground.measurement.models import ImportJob, Indicator, MeasureValue
from commonground.measurement.tests.test_services import (
    LBW,
    LE_WIDE,
    PLACES,
    alabama,
    run,
    slice_csv,
)

Layout = ImportJob.Layout


def autauga_and_montgomery(row: dict[str, str]) -> bool:
    return row["statecode"] == "01" and row["countycode"] in {"001", "101", "000"}


@pytest.fixture
def lbw(world: Any) -> Indicator:
    job = run(
        world,
        "lbw.csv",
        slice_csv(LBW, autauga_and_montgomery),
        Layout.CHR_COUNTS,
        period="2016-2022",
        indicator_code="v037",
    )
    assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    with scope(coalition=world.a):
        return Indicator.objects.get(code="v037")


def test_suppressed_cells_are_shown_as_suppressed_in_pages(world: Any, lbw: Indicator) -> None:
    client = world.client_for("viewer")
    response = client.get(f"/c/{world.a.slug}/measurement/health/indicators/{lbw.pk}/?places=01001")
    text = response.content.decode()
    assert response.status_code == 200
    # Autauga's Hispanic births: 10 low-birthweight babies of 165; neither number appears.
    hispanic = text[text.index(">Hispanic<") : text.index("</tr>", text.index(">Hispanic<"))]
    assert "suppressed" in hispanic
    assert "10 / 165" not in text and "0.0606" not in text and "6.1%" not in text
    # The other groups' counts are withheld too: total minus them would give the 10 back.
    assert "271 / 3331" not in text and "withheld" in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_suppress_small_cells(world: Any, lbw: Indicator, fmt: str) -> None:
    client = world.client_for("viewer")
    response = client.get(
        f"/c/{world.a.slug}/measurement/health/indicators/{lbw.pk}/?places=01001&format={fmt}"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        values = list(sheet.iter_rows(values_only=True))
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    hispanic = next(r for r in rows if r["group"] == "Hispanic")
    assert hispanic["value"] == hispanic["numerator"] == hispanic["denominator"] == "suppressed"
    white = next(r for r in rows if r["group"] == "White")
    assert white["numerator"] in ("", None) and float(white["value"]) == pytest.approx(271 / 3331)


def test_api_returns_null_and_suppressed_for_small_cells(world: Any, lbw: Indicator) -> None:
    client = world.client_for("partner")
    response = client.get(
        f"/api/coalitions/{world.a.slug}/measurement/indicators/{lbw.pk}/observations?place=01001"
    )
    assert response.status_code == 200
    (place,) = response.json()
    groups = {g["group"]: g for g in place["groups"]}
    assert groups["hispanic"]["suppressed"] is True
    assert groups["hispanic"]["value"] is None and groups["hispanic"]["numerator"] is None
    assert groups["white"]["numerator"] is None and groups["white"]["counts_withheld"]
    equity = client.get(
        f"/api/coalitions/{world.a.slug}/measurement/indicators/{lbw.pk}/equity"
    ).json()
    montgomery = next(p for p in equity if p["place"] == "01101")
    black = next(g for g in montgomery["groups"] if g["group"] == "black")
    assert montgomery["reference_group"] == "white"
    assert black["difference"] == pytest.approx(0.1629038112522686 - 0.0711306765523633)


def test_dashboard_shows_the_black_white_life_expectancy_gap(world: Any) -> None:
    run(
        world,
        "le.csv",
        slice_csv(LE_WIDE, autauga_and_montgomery),
        Layout.CHR_WIDE,
        period="2020-2022",
    )
    response = world.client_for("resident").get(f"/c/{world.a.slug}/measurement/health/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "White residents have the best value (75.5 years)" in text
    # One sign convention: a gap is a positive distance with its side, stated on the page.
    assert "Black residents: 70.8 years, 4.7 years lower." in text
    assert "a gap of −" not in text and "always a positive number" in text


def test_upload_runs_the_import_task_and_shows_progress(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for("admin")
    upload = SimpleUploadedFile(
        "visits.csv", b"place,period,group,value\n01101,2024,total,5\n", content_type="text/csv"
    )
    response = client.post(f"/c/{world.a.slug}/measurement/imports/", {"file": upload})
    assert response.status_code == 302 and "/imports/check/" in response["Location"]
    check = response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            check,
            {"layout": "tidy", "indicator_code": "visits", "place_type": "county", "keep": "all"},
        )
    assert response.status_code == 302, response.content.decode()[-2000:]
    with scope(coalition=world.a):
        job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED and job.observations_created == 1
    assert bytes(job.content) == b""
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="msr-progress"')
    assert 'value="100"' in fragment and "hx-get" not in fragment


def test_a_running_job_fragment_keeps_polling(world: Any) -> None:
    with scope(coalition=world.a):
        job = ImportJob.objects.create(
            coalition=world.a, file_name="big.csv", layout="tidy", status="running", progress=0.4
        )
    page = world.client_for("admin").get(f"/c/{world.a.slug}/measurement/imports/{job.pk}/")
    text = page.content.decode()
    assert 'hx-trigger="every 1s"' in text and 'value="40"' in text


def test_oversized_or_mistyped_upload_is_refused_with_a_message(world: Any) -> None:
    client = world.client_for("admin")
    upload = SimpleUploadedFile("data.xlsx", b"not a workbook", content_type="application/zip")
    response = client.post(f"/c/{world.a.slug}/measurement/imports/", {"file": upload})
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()
    with scope(coalition=world.a):
        assert ImportJob.objects.count() == 0


def test_recording_a_measure_value_is_audited_and_idempotent_per_period(world: Any) -> None:
    from commonground.measurement.tests.matrix import objects

    ids = objects(world.a)
    client = world.client_for("resident")
    url = f"/api/coalitions/{world.a.slug}/measurement/measures/{ids['measure_id']}/values"
    for value in (12.0, 14.0):
        response = client.post(
            url, {"period": "2025", "value": value}, content_type="application/json"
        )
        assert response.status_code == 200
    with scope(coalition=world.a):
        assert list(MeasureValue.objects.values_list("period", "value")) == [("2025", 14.0)]
        assert AuditEvent.objects.filter(object_type="MeasureValue").count() == 2
    framework = client.get(f"/api/coalitions/{world.a.slug}/measurement/framework").json()
    assert framework[0]["results"][0]["measures"][0]["values"] == [
        {"period": "2025", "value": 14.0}
    ]


def test_coalition_b_sees_none_of_a_s_indicators(world: Any, lbw: Indicator) -> None:
    outsider = world.client_for("outsider")
    assert outsider.get(f"/api/coalitions/{world.b.slug}/measurement/indicators").json() == []
    assert (
        outsider.get(f"/c/{world.b.slug}/measurement/health/indicators/{lbw.pk}/").status_code
        == 404
    )
    page = outsider.get(f"/c/{world.b.slug}/measurement/health/").content.decode()
    assert "Low birthweight" not in page


def test_goal_table_is_exported_and_served_by_the_api(world: Any) -> None:
    alabama = slice_csv(LE_WIDE, lambda r: r["statecode"] == "01")
    run(world, "le.csv", alabama, Layout.CHR_WIDE, period="2020-2022")
    with scope(coalition=world.a):
        life = Indicator.objects.get(code="v147")
    client = world.client_for("viewer")
    response = client.get(
        f"/c/{world.a.slug}/measurement/health/indicators/{life.pk}/?table=goal&format=csv"
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["place"] for r in rows] == ["01101"]
    assert rows[0]["value"] == "75.5 years"  # Montgomery's best-off reliable group (White)
    goal = client.get(
        f"/api/coalitions/{world.a.slug}/measurement/indicators/{life.pk}/goal"
    ).json()
    assert goal["peer_count"] > 50  # Alabama counties with a reliable value
    assert goal["goal"] == rows[0]["goal"] and len(goal["goal_places"]) == 5


def test_admin_sets_a_gap_target_and_the_dashboard_assesses_it(world: Any) -> None:
    run(
        world,
        "le.csv",
        slice_csv(LE_WIDE, autauga_and_montgomery),
        Layout.CHR_WIDE,
        period="2020-2022",
    )
    with scope(coalition=world.a):
        life = Indicator.objects.get(code="v147")
    client = world.client_for("admin")
    url = f"/c/{world.a.slug}/measurement/health/targets/new/"
    form = {
        "title": "Halve the gap",
        "indicator": life.pk,
        "place_code": "01101",
        "kind": "gap",
        "group": "Black",
        "reference_group": "white",
        "reduction_percent": 50,
        "target_year": 2030,
    }
    assert client.post(url, {**form, "reference_group": ""}).status_code == 400
    assert client.post(url, form).status_code == 302
    page = client.get(f"/c/{world.a.slug}/measurement/health/").content.decode()
    # Montgomery: 75.52 − 70.78 = 4.74 years now; half of it, 2.37, by 2030.
    assert "Halve the gap" in page and "4.7 years" in page and "2.4 years" in page


def test_contributor_edits_the_turn_the_curve_notes(world: Any) -> None:
    from commonground.measurement.tests.matrix import objects

    ids = objects(world.a)
    url = f"/c/{world.a.slug}/measurement/framework/results/{ids['result_id']}/edit/"
    assert world.client_for("viewer").post(url, {"what_works": "x"}).status_code == 403
    response = world.client_for("partner").post(
        url,
        {
            "version": 1,
            "what_works": "Doulas from the community",
            "action_items": "Recruit five doulas",
        },
    )
    assert response.status_code == 302
    page = world.client_for("viewer").get(response["Location"]).content.decode()
    assert "Doulas from the community" in page and "<li>Recruit five doulas</li>" in page
    with scope(coalition=world.a):
        assert AuditEvent.objects.filter(object_type="Result", action="update").count() == 1


def test_every_turn_the_curve_download_has_its_own_name(world: Any) -> None:
    # Before: every result's CSV was "<coalition>-turn-the-curve.csv", so a second download
    # overwrote the first in the reader's folder.
    area = services.add_priority_area(coalition=world.a, actor=None, name="Health")
    names = set()
    for statement in ("Babies are born healthy", "Everyone lives a long and healthy life"):
        result = services.add_result(
            coalition=world.a, actor=None, priority_area=area, statement=statement
        )
        for fmt in ("csv", "xlsx"):
            response = world.client_for("viewer").get(
                f"/c/{world.a.slug}/measurement/framework/results/{result.pk}/?format={fmt}"
            )
            assert response.status_code == 200
            disposition = response["Content-Disposition"]
            assert "turn-the-curve" in disposition and disposition.endswith(f'.{fmt}"')
            names.add(disposition)
    assert len(names) == 4
    assert any("babies-are-born-healthy" in name.lower() for name in names)


def test_the_indicator_catalog_and_the_reliability_flags_read_in_spanish(
    world: Any, lbw: Indicator
) -> None:
    job = run(world, PLACES.name, slice_csv(PLACES, alabama), Layout.PLACES, period="2020")
    assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    client = world.client_for("viewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    listing = client.get(f"/c/{world.a.slug}/measurement/health/indicators/?domain=health_outcomes")
    html = listing.content.decode()
    # Names in Spanish first; the source code only as small secondary text.
    assert "Adultos con asma (%)</a>" in html and "Adults with asthma" not in html
    assert '<span class="muted small msr-code">CASTHMA_CrudePrev</span>' in html
    assert "Bajo peso al nacer</a>" in html
    explorer = client.get(f"/c/{world.a.slug}/measurement/health/indicators/{lbw.pk}/?places=01001")
    text = explorer.content.decode()
    assert "Proporción de bebés que nacen con menos de 2.500 gramos" in text
    assert "menos de 20 eventos" in text and "fewer than 20 events" not in text
    api = client.get(f"/api/coalitions/{world.a.slug}/measurement/indicators").json()
    asthma = next(i for i in api if i["code"] == "CASTHMA_CrudePrev")
    assert asthma["name"] == "Adults with asthma (%)" and asthma["label"] == "Adultos con asma (%)"
