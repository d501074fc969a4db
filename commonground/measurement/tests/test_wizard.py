"""The import wizard (issue 8): upload, detect, check what will be stored, confirm.

Each defect as it was found: the layout had to be known beforehand (CHR wide was the
default), the wrong one blamed the file ("no … measure columns (vNNN_…) found"), the file
was dropped when the form showed an error, the data years and the indicator code were
typed even when the file holds them, and unmatched places were FIPS codes.
"""

from __future__ import annotations

import ast
import io
import re
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import openpyxl
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope

import commonground.measurement.domain as domain_package
from commonground.coalitions.models import AuditEvent, Membership
from commonground.conftest import add_member, make_user
from commonground.measurement import messages, services
from commonground.measurement.models import ImportJob, Indicator, Observation, StagedUpload
from commonground.measurement.tests.test_services import DATA, LE_WIDE, PLACES, alabama, slice_csv

LE_LONG = DATA / "chrr" / "v147_other_r2024_long.csv"
LBW_HOW = DATA / "chrr" / "v037_how.csv"
TAG = re.compile(r"<[^>]+>")


def visible(response: Any) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(TAG.sub(" ", html)).split())


def upload(client: Any, world: Any, name: str, content: bytes) -> str:
    """Step 1: upload; return the check page's address."""
    response = client.post(
        f"/c/{world.a.slug}/measurement/imports/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )
    assert response.status_code == 302, visible(response)[-1500:]
    assert "/imports/check/" in response["Location"]
    return str(response["Location"])


def staged_count(world: Any) -> int:
    with scope(coalition=world.a):
        return StagedUpload.objects.count()


def test_a_places_file_is_detected_previewed_by_name_and_imported(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for("admin")
    check = upload(client, world, PLACES.name, slice_csv(PLACES, alabama))
    page = client.get(check)
    text = visible(page)
    assert page.status_code == 200
    assert "It looks like a CDC PLACES county file" in text
    assert "a CountyFIPS column and 60 prevalence columns" in text
    # The data year comes from the file's name, and says so: nobody types it.
    assert 'value="2020"' in page.content.decode()
    assert "the file name says the 2022 release" in text
    # Indicators by name, places by name (the coalition's county first), not FIPS codes.
    assert "Adults with diabetes (%)" in text and "Adults with diabetes (%, age-adjusted)" in text
    assert "Your places in the file: Montgomery, Alabama" in text
    assert "Autauga, Alabama" in text
    assert not re.search(r"\b01\d{3}\b", text), "no county is shown by its FIPS code"
    assert "60 indicators" in text and "67 places" in text  # Alabama's 67 counties
    assert "4020 to add" in text.replace(",", "")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(check, {"layout": "places", "period": "2020", "keep": "mine"})
    assert response.status_code == 302
    with scope(coalition=world.a):
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.SUCCEEDED, job.problems
        assert job.period == "2020" and job.observations_created == 4020
        assert set(Observation.objects.values_list("period", flat=True)) == {"2020"}
        assert StagedUpload.objects.count() == 0  # the job keeps the file now
    done = visible(client.get(response["Location"]))
    assert "100% done" in done and "4020 new values" in done.replace(",", "")


def test_the_wrong_layout_says_what_the_file_looks_like_and_the_file_is_kept(world: Any) -> None:
    client = world.client_for("admin")
    check = upload(client, world, PLACES.name, slice_csv(PLACES, alabama))
    wrong = client.get(check, {"layout": "chr_wide", "period": "2020", "keep": "all"})
    text = visible(wrong)
    assert "it looks like a “CDC PLACES county file”" in text
    assert "Choose that layout" in text
    assert "measure columns" not in text and "vNNN" not in text
    # Confirming anyway is refused, and the file is still there for the next try.
    refused = client.post(check, {"layout": "chr_wide", "period": "2020", "keep": "all"})
    assert refused.status_code == 400
    assert staged_count(world) == 1
    with scope(coalition=world.a):
        assert ImportJob.objects.count() == 0 and Observation.objects.count() == 0
    right = client.get(check, {"layout": "places", "period": "2020", "keep": "mine"})
    assert right.status_code == 200 and "to add" in visible(right)


def test_a_missing_period_is_asked_for_without_losing_the_file(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for("admin")
    check = upload(client, world, LE_WIDE.name, slice_csv(LE_WIDE, alabama))
    page = visible(client.get(check))
    assert "It looks like a County Health Rankings measure file, wide" in page
    assert "does not say which years its data describe" in page
    response = client.post(check, {"layout": "chr_wide", "period": "", "keep": "mine"})
    assert response.status_code == 400 and staged_count(world) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            check, {"layout": "chr_wide", "period": "2020 – 2022", "keep": "mine"}
        )
    assert response.status_code == 302
    with scope(coalition=world.a):
        assert set(Observation.objects.values_list("period", flat=True)) == {"2020-2022"}


def test_the_same_data_in_another_layout_find_their_stored_period(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    services.import_path(
        coalition=world.a, actor=None, path=LE_WIDE, layout="chr_wide", period="2020-2022",
        only_states=["01"],
    )  # fmt: skip
    with scope(coalition=world.a):
        stored = Observation.objects.count()
    client = world.client_for("admin")
    check = upload(client, world, LE_LONG.name, slice_csv(LE_LONG, alabama))
    page = client.get(check)
    text = visible(page)
    assert "It looks like a County Health Rankings measure file, long" in text
    assert 'value="2020-2022"' in page.content.decode()
    assert "The same values are already stored under this period" in text
    assert f"{stored} already stored as they are" in text.replace(",", "")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(check, {"layout": "chr_long", "period": "2020-2022", "keep": "mine"})
    with scope(coalition=world.a):
        assert Observation.objects.count() == stored
        assert set(Observation.objects.values_list("period", flat=True)) == {"2020-2022"}


def test_a_counts_file_takes_its_measure_from_its_name(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for("admin")
    check = upload(client, world, LBW_HOW.name, slice_csv(LBW_HOW, alabama))
    page = client.get(check, {"layout": "chr_counts", "period": "2016-2022", "keep": "mine"})
    html = page.content.decode()
    assert 'value="v037"' in html and "the file name names the measure v037" in visible(page)
    assert "Low birthweight" in visible(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            check,
            {
                "layout": "chr_counts",
                "period": "2016-2022",
                "indicator_code": "v037",
                "keep": "mine",
            },
        )
    assert response.status_code == 302
    with scope(coalition=world.a):
        assert Indicator.objects.get().code == "v037"


def test_a_file_of_no_known_layout_is_described_and_a_layout_can_be_chosen(world: Any) -> None:
    client = world.client_for("admin")
    check = upload(client, world, "edges.csv", b"tail_id,head_id,collab\n1,2,3\n")
    text = visible(client.get(check))
    assert "could not tell what kind of file this is" in text
    assert "its columns (tail_id, head_id, collab) match none of the layouts" in text
    chosen = visible(client.get(check, {"layout": "tidy", "keep": "all"}))
    assert "does not look like a “Tidy CSV or Excel" in chosen


def test_an_upload_is_only_for_the_person_who_made_it_and_expires(world: Any) -> None:
    client = world.client_for("admin")
    check = upload(client, world, "visits.csv", b"place,period,group,value\n01101,2024,total,5\n")
    other = make_user("second-admin@a.example", "Second Admin")
    add_member(world.a, other, Membership.Role.BACKBONE_ADMIN)
    assert client.get(check).status_code == 200
    colleague = type(client)()
    colleague.force_login(other)
    assert colleague.get(check).status_code == 404
    assert colleague.post(check.rstrip("/") + "/discard/").status_code == 404
    with scope(coalition=world.a):
        StagedUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(check).status_code == 404
    client.get(f"/c/{world.a.slug}/measurement/imports/")  # the list purges expired files
    assert staged_count(world) == 0
    with scope(coalition=world.a):
        assert AuditEvent.objects.filter(event="measurement.upload_expired").count() == 1


def test_discarding_a_file_forgets_it_and_is_audited(world: Any) -> None:
    client = world.client_for("admin")
    check = upload(client, world, "visits.csv", b"place,period,group,value\n01101,2024,total,5\n")
    listing = visible(client.get(f"/c/{world.a.slug}/measurement/imports/"))
    assert "Files waiting for you to check them" in listing and "visits.csv" in listing
    response = client.post(check.rstrip("/") + "/discard/")
    assert response.status_code == 302
    assert staged_count(world) == 0
    with scope(coalition=world.a):
        events = list(AuditEvent.objects.values_list("event", flat=True))
    assert "measurement.upload_staged" in events and "measurement.upload_discarded" in events


def test_the_job_page_names_places_to_check(world: Any) -> None:
    content = b"place,period,group,value,place_name\n01101,2024,total,5,\n01998,2024,total,7,Lost County\n"
    job = services.create_import_job(
        coalition=world.a, actor=None, file_name="mine.csv", content=content,
        layout="tidy", indicator_code="visits", place_type="county",
    )  # fmt: skip
    job = services.run_import_job(job_id=job.pk)
    text = visible(
        world.client_for("admin").get(f"/c/{world.a.slug}/measurement/imports/{job.pk}/")
    )
    assert "Lost County: not a known US county" in text
    assert "01998" not in text


def _codes_in(path: Path) -> set[str]:
    """Every constant code the pure core gives a problem or a clue."""
    tree = ast.parse(path.read_text())
    codes: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        position = {"add": 3, "RowProblem": 3, "Clue": 0}.get(name)
        if position is None or len(node.args) <= position:
            continue
        argument = node.args[position]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            codes.add(argument.value)
    return codes


def test_every_problem_and_clue_of_the_core_has_a_translation() -> None:
    folder = Path(domain_package.__file__).parent
    codes = _codes_in(folder / "importers.py") | _codes_in(folder / "detect.py")
    assert {"not_a_number", "looks_like", "places_release", "bad_fips"} <= codes
    known = set(messages.PROBLEMS) | set(messages.CLUES)
    assert codes - known == set()


def test_the_check_page_reads_in_spanish(world: Any) -> None:
    client = world.client_for("admin")
    check = upload(client, world, PLACES.name, slice_csv(PLACES, alabama))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    text = visible(client.get(check, {"layout": "chr_wide", "period": "2020", "keep": "all"}))
    assert "Choose that layout" not in text and "Elija ese formato" in text
    text = visible(client.get(check))
    assert "Adultos con diabetes (%)" in text and "Adults with diabetes" not in text


def test_messages_fall_back_to_the_cores_english_for_rows_stored_before_codes() -> None:
    old = {"row": 3, "column": "value", "problem": "'x' is not a number"}
    assert messages.problem_text(old) == "'x' is not a number"
    coded = {**old, "code": "not_a_number", "params": {"text": "'x'"}}
    assert messages.problem_text(coded) == "'x' is not a number"
    assert messages.problem_text({**coded, "params": {}}) == "'x' is not a number"


def test_a_tidy_workbook_goes_through_the_wizard(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Place", "Period", "Group", "Value", "Indicator"])
    sheet.append(["01101", "2023", "Black", 0.15, "clinic_visits"])
    sheet.append(["01101", "2023", "white", 0.07, "clinic_visits"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = world.client_for("admin")
    response = client.post(
        f"/c/{world.a.slug}/measurement/imports/",
        {"file": SimpleUploadedFile("visits.xlsx", buffer.getvalue())},
    )
    check = response["Location"]
    page = visible(client.get(check))
    assert "It looks like a Tidy CSV or Excel" in page
    assert "Montgomery, Alabama" in page and "Black, White" in page
    # A workbook is read only as a tidy file.
    wrong = visible(client.get(check, {"layout": "svi", "keep": "mine"}))
    assert "Only the tidy layout can be read from Excel" in wrong
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(check, {"layout": "tidy", "place_type": "county", "keep": "mine"})
    assert done.status_code == 302
    with scope(coalition=world.a):
        assert sorted(Observation.objects.values_list("group", "value")) == [
            ("black", 0.15),
            ("white", 0.07),
        ]
