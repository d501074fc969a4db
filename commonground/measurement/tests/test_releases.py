"""Indicator releases (RELIABILITY 12): the metrics committee's approval of an indicator's
values for a period locks them. Every path that writes observations refuses to change a
released period, until a backbone admin reopens the release with a reason; releasing and
reopening each write exactly one audit row.

Everything runs through the real services, pages and API; the files imported are tidy CSV
files of CHR measure v011 (adult obesity).
"""

from __future__ import annotations

import re
from html import unescape
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import RestrictedError
from django.utils import timezone
from django_scopes import scope

from commonground.coalitions.models import AuditEvent
from commonground.measurement import services
from commonground.measurement.models import ImportJob, Indicator, IndicatorRelease, Observation
from commonground.measurement.tests.test_wizard import upload, visible

pytestmark = pytest.mark.django_db

OBESITY = b"place,period,group,value\n01101,2022,total,38.1\n01101,2022,black,44.0\n"
CHANGED = OBESITY.replace(b"38.1", b"39.5")
NEW_PLACE = OBESITY + b"01001,2022,total,36.2\n"
NEXT_YEAR = OBESITY + b"01101,2023,total,38.4\n"
LOCKED = (
    "The 2022 values of Adult obesity were released on {day}; reopen that release to change them."
)


def run(world: Any, content: bytes, name: str = "obesity.csv") -> ImportJob:
    job = services.create_import_job(
        coalition=world.a,
        actor=world.people["admin"],
        file_name=name,
        content=content,
        layout=ImportJob.Layout.TIDY,
        indicator_code="v011",
        place_type="county",
    )
    return services.run_import_job(job_id=job.pk)


def obesity(world: Any) -> Indicator:
    job = run(world, OBESITY)
    assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    with scope(coalition=world.a):
        return Indicator.objects.get(code="v011")


def release(world: Any, indicator: Indicator, period: str = "2022", note: str = "") -> Any:
    with scope(coalition=world.a):
        return services.release_period(
            coalition=world.a,
            actor=world.people["admin"],
            indicator=indicator,
            period=period,
            note=note,
        )


def reopen(world: Any, found: IndicatorRelease, reason: str) -> IndicatorRelease:
    with scope(coalition=world.a):
        return services.reopen_release(
            coalition=world.a, actor=world.people["admin"], release=found, reason=reason
        )


def state(world: Any) -> dict[str, Any]:
    """Every observation's key and value, the releases and the number of audit rows."""
    with scope(coalition=world.a):
        return {
            "observations": sorted(
                Observation.objects.values_list(
                    "indicator__code", "place_code", "period", "group", "value"
                )
            ),
            "releases": sorted(
                IndicatorRelease.objects.values_list(
                    "period", "status", "note", "released_at", "reopen_reason"
                )
            ),
            "audit": AuditEvent.objects.filter(coalition=world.a).count(),
        }


def day(found: IndicatorRelease) -> str:
    return timezone.localdate(found.released_at).isoformat()


def audit_rows(world: Any) -> list[AuditEvent]:
    with scope(coalition=world.a):
        return list(AuditEvent.objects.filter(object_type="IndicatorRelease").order_by("id"))


# --- the services ------------------------------------------------------------------------


def test_a_release_is_locked_until_reopened_with_a_reason(world: Any) -> None:
    indicator = obesity(world)
    released = release(world, indicator, note="Approved on May 1")
    assert (released.period, released.status, released.note) == (
        "2022",
        "released",
        "Approved on May 1",
    )
    assert released.released_by == world.people["admin"]
    rows = audit_rows(world)
    assert [(r.event, r.action) for r in rows] == [("measurement.period_released", "create")]
    assert rows[0].params == {
        "code": "v011",
        "name": "Adult obesity",
        "period": "2022",
        "note": "Approved on May 1",
        "again": False,
    }

    before = state(world)
    with pytest.raises(
        ValidationError, match=r"The 2022 values of Adult obesity are already released \(on "
    ):
        release(world, indicator)
    assert state(world) == before
    for blank in ("", "   \n "):
        with pytest.raises(ValidationError, match="a reason is required") as error:
            reopen(world, released, blank)
        assert "reason" in error.value.message_dict
        assert state(world) == before

    reopened = reopen(world, released, "Montgomery's total was mistyped.")
    assert (reopened.status, reopened.reopen_reason) == (
        "reopened",
        "Montgomery's total was mistyped.",
    )
    assert reopened.reopened_by == world.people["admin"] and reopened.reopened_at is not None
    rows = audit_rows(world)
    assert [r.event for r in rows] == [
        "measurement.period_released",
        "measurement.release_reopened",
    ]
    assert rows[1].actor == world.people["admin"]
    assert rows[1].before == {"status": "released"}
    assert rows[1].after == {"status": "reopened", "reason": "Montgomery's total was mistyped."}

    # A reopened release cannot be reopened again; releasing it locks it anew (one row).
    after_reopen = state(world)
    with pytest.raises(ValidationError, match="only a release in force can be reopened"):
        reopen(world, reopened, "Again")
    assert state(world) == after_reopen
    again = release(world, indicator, note="Corrected and approved")
    assert again.pk == released.pk and again.status == "released"
    assert again.note == "Corrected and approved"
    assert again.reopen_reason == "Montgomery's total was mistyped."  # the last reopening stays
    rows = audit_rows(world)
    assert [r.event for r in rows] == [
        "measurement.period_released",
        "measurement.release_reopened",
        "measurement.period_released",
    ]
    assert rows[2].action == "update" and rows[2].params["again"] is True
    assert rows[2].before == {"status": "reopened", "note": "Approved on May 1"}
    with scope(coalition=world.a):
        assert IndicatorRelease.objects.count() == 1


def test_only_a_period_with_values_of_this_coalition_can_be_released(world: Any) -> None:
    indicator = obesity(world)
    before = state(world)
    with pytest.raises(ValidationError, match="Adult obesity has no values for 2019") as error:
        release(world, indicator, period="2019")
    assert "period" in error.value.message_dict
    with pytest.raises(ValidationError, match="Choose the period to release"):
        release(world, indicator, period="  ")
    with pytest.raises(ValidationError, match="The note is at most 300 characters"):
        release(world, indicator, note="x" * 301)
    with scope(coalition=world.b):
        other = Indicator.objects.create(coalition=world.b, code="v011", name="Adult obesity")
    with pytest.raises(ValidationError, match="belongs to another coalition"):
        release(world, other)
    assert state(world) == before
    # A period is matched as written the one way periods are.
    with scope(coalition=world.a):
        Observation.objects.create(
            coalition=world.a,
            indicator=indicator,
            place_type="county",
            place_code="01101",
            period="2020-2022",
            value=1.0,
        )
    assert release(world, indicator, period=" 2020 – 22 ").period == "2020-2022"


def test_an_indicator_with_a_release_cannot_be_deleted(world: Any) -> None:
    indicator = obesity(world)
    release(world, indicator)
    before = state(world)
    with scope(coalition=world.a), pytest.raises(RestrictedError):
        indicator.delete()
    assert state(world) == before


# --- the lock on imports -----------------------------------------------------------------


def test_an_import_changing_a_released_period_is_refused_and_writes_nothing(world: Any) -> None:
    indicator = obesity(world)
    released = release(world, indicator)
    before = state(world)
    for content in (CHANGED, NEW_PLACE):
        job = run(world, content)
        assert job.status == ImportJob.Status.FAILED
        assert [p["problem"] for p in job.problems] == [LOCKED.format(day=day(released))]
        assert job.observations_created == job.observations_updated == 0
        after = state(world)
        assert after["observations"] == before["observations"]
        assert after["releases"] == before["releases"]
        assert after["audit"] == before["audit"] + 1  # the job's "started" row, nothing else
        before = after


def test_an_import_of_equal_values_or_other_periods_passes_a_release(world: Any) -> None:
    indicator = obesity(world)
    release(world, indicator)
    same = run(world, OBESITY)
    assert same.status == ImportJob.Status.SUCCEEDED, same.problems
    assert (same.observations_created, same.observations_updated, same.observations_unchanged) == (
        0,
        0,
        2,
    )
    later = run(world, NEXT_YEAR)  # 2022 as released, and a new 2023 value
    assert later.status == ImportJob.Status.SUCCEEDED, later.problems
    assert (later.observations_created, later.observations_unchanged) == (1, 2)


def test_after_a_reopen_the_refused_import_applies(world: Any) -> None:
    indicator = obesity(world)
    released = release(world, indicator)
    assert run(world, CHANGED).status == ImportJob.Status.FAILED
    reopen(world, released, "The 2022 total was revised by the source.")
    job = run(world, CHANGED)
    assert job.status == ImportJob.Status.SUCCEEDED, job.problems
    assert job.observations_updated == 1
    with scope(coalition=world.a):
        assert Observation.objects.get(period="2022", group="total").value == 39.5


def test_a_release_landing_between_plan_and_apply_makes_apply_write_nothing(world: Any) -> None:
    """The plan was worked out before the release; the write reads the releases again."""
    indicator = obesity(world)
    with scope(coalition=world.a):
        job = ImportJob.objects.create(
            coalition=world.a,
            file_name="late.csv",
            layout=ImportJob.Layout.TIDY,
            indicator_code="v011",
            place_type="county",
            content=CHANGED,
            status=ImportJob.Status.RUNNING,
            heartbeat_at=timezone.now(),
        )
        run_ = services._Run(job)
        plan = services.plan_import(
            coalition=world.a, table=services.read_upload(job, CHANGED), job=job
        )
    assert plan.counts.updated == 1
    released = release(world, indicator)  # lands after the plan
    before = state(world)
    with scope(coalition=world.a), pytest.raises(ValidationError) as error:
        services.apply_import(coalition=world.a, plan=plan, run=run_)
    assert error.value.messages == [LOCKED.format(day=day(released))]
    assert state(world) == before
    with scope(coalition=world.a):
        assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING  # not done
    # What the worker stores for it: the message, with its code to say it in Spanish.
    (problem,) = services.validation_problems(error.value)
    assert problem["problem"] == LOCKED.format(day=day(released))
    assert problem["code"] == "release_locked"
    assert problem["params"]["period"] == "2022" and problem["params"]["indicator_code"] == "v011"


def test_the_failed_import_page_says_why_in_english_and_spanish(world: Any) -> None:
    indicator = obesity(world)
    released = release(world, indicator)
    job = run(world, CHANGED)
    client = world.client_for("admin")
    url = f"/c/{world.a.slug}/measurement/imports/{job.pk}/"
    assert LOCKED.format(day=day(released)) in visible(client.get(url))
    spanish = visible(client.get(url, HTTP_ACCEPT_LANGUAGE="es"))
    assert (
        f"Los valores de 2022 de Obesidad en adultos se publicaron el {day(released)}; "
        "reabra esa publicación para cambiarlos." in spanish
    )


def test_the_check_page_shows_the_refusal_before_anything_is_imported(world: Any) -> None:
    indicator = obesity(world)
    released = release(world, indicator)
    client = world.client_for("admin")
    check = upload(client, world, "obesity.csv", CHANGED)
    options = {"layout": "tidy", "indicator_code": "v011", "place_type": "county", "keep": "all"}
    page = visible(client.get(check, options))
    assert LOCKED.format(day=day(released)) in page
    assert "Fix what stands in the way above to import this file." in page
    jobs_before = state(world)
    response = client.post(check, options)
    assert response.status_code == 400
    assert LOCKED.format(day=day(released)) in visible(response)
    with scope(coalition=world.a):
        assert ImportJob.objects.count() == 1  # only the first import
    assert state(world)["observations"] == jobs_before["observations"]
    # The same file re-sending the released values as they are is ready to import.
    same = upload(client, world, "same.csv", OBESITY)
    assert "Import 2 values" in visible(client.get(same, options))


# --- the lock on folding period labels ---------------------------------------------------


def test_folding_period_labels_refuses_a_released_period(world: Any) -> None:
    indicator = obesity(world)
    with scope(coalition=world.a):  # an old import's copy of the 2022 data under "2025"
        Observation.objects.create(
            coalition=world.a,
            indicator=indicator,
            place_type="county",
            place_code="01101",
            period="2025",
            group="total",
            value=38.1,
        )
    released = release(world, indicator)
    before = state(world)
    message = LOCKED.format(day=day(released))
    for dry_run in (True, False):
        with scope(coalition=world.a), pytest.raises(ValidationError) as error:
            services.merge_repeated_periods(coalition=world.a, actor=None, dry_run=dry_run)
        assert error.value.messages == [message]
        assert state(world) == before
    with pytest.raises(CommandError, match=re.escape(message + " Nothing was changed.")):
        call_command("normalize_periods", "--coalition", world.a.slug, stdout=StringIO())
    assert state(world) == before
    reopen(world, released, "Fold the 2025 copy into 2022.")
    out = StringIO()
    call_command("normalize_periods", "--coalition", world.a.slug, stdout=out)
    assert "v011: stored 2025 under 2022 (0 moved, 1 duplicates removed)" in out.getvalue()


# --- the page ----------------------------------------------------------------------------


def releases_section(response: Any) -> str:
    html = response.content.decode()
    found = re.search(r'<section class="card" id="releases".*?</section>', html, re.S)
    assert found, "no releases section"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def test_an_admin_releases_and_reopens_from_the_explorer_page(world: Any) -> None:
    indicator = obesity(world)
    client = world.client_for("admin")
    page_url = f"/c/{world.a.slug}/measurement/health/indicators/{indicator.pk}/"
    first = client.get(page_url)
    section = releases_section(first)
    assert "2022 Not released" in section and "Release 2022" in section
    assert 'id="release-note-1"' in first.content.decode()
    assert '<label for="release-note-1">Note (optional)</label>' in first.content.decode()

    response = client.post(page_url + "releases/", {"period": "2022", "note": "Approved May 1"})
    assert response.status_code == 302 and response["Location"] == page_url + "#releases"
    page = client.get(page_url)
    section = releases_section(page)
    with scope(coalition=world.a):
        released = IndicatorRelease.objects.get()
    assert "2022 Released" in section and "Released by Ada Admin on" in section
    assert "Note: Approved May 1" in section
    assert "The 2022 values of Adult obesity are released" in page.content.decode()
    assert '<label for="reopen-reason-1">Why reopen this release?</label>' in page.content.decode()
    assert 'name="reason" rows="2" maxlength="2000" required' in page.content.decode()

    reopen_url = page_url + f"releases/{released.pk}/reopen/"
    before = state(world)
    refused = client.post(reopen_url, {"reason": "  "}, follow=True)
    assert "Say why the release is reopened: a reason is required." in visible(refused)
    assert state(world) == before
    assert client.post(reopen_url, {"reason": "A value was mistyped."}).status_code == 302
    section = releases_section(client.get(page_url))
    assert "2022 Reopened" in section and "Reopened by Ada Admin on" in section
    assert "Reason: A value was mistyped." in section and "Release again 2022" in section
    assert len(audit_rows(world)) == 2


def test_a_partner_sees_the_releases_but_cannot_release_or_reopen(world: Any) -> None:
    indicator = obesity(world)
    released = release(world, indicator, note="Approved")
    page_url = f"/c/{world.a.slug}/measurement/health/indicators/{indicator.pk}/"
    partner = world.client_for("partner")
    section = releases_section(partner.get(page_url))
    assert "2022 Released" in section and "Reopen" not in section and "Why reopen" not in section
    before = state(world)
    assert partner.post(page_url + "releases/", {"period": "2022"}).status_code == 403
    reopen_url = page_url + f"releases/{released.pk}/reopen/"
    assert partner.post(reopen_url, {"reason": "I want to"}).status_code == 403
    assert world.client_for("admin").get(page_url + "releases/").status_code == 405
    assert state(world) == before


def test_the_releases_read_in_spanish(world: Any) -> None:
    indicator = obesity(world)
    released = release(world, indicator, note="Aprobado")
    reopen(world, released, "Un valor estaba mal.")
    page = world.client_for("admin").get(
        f"/c/{world.a.slug}/measurement/health/indicators/{indicator.pk}/",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    section = releases_section(page)
    assert "Publicaciones" in section and "Reabierto" in section
    assert "Motivo: Un valor estaba mal." in section and "Publicar de nuevo" in section
    assert "Released" not in section and "Reopened" not in section


# --- the API -----------------------------------------------------------------------------


def test_the_api_lists_releases_and_only_admins_release_and_reopen(world: Any) -> None:
    indicator = obesity(world)
    base = f"/api/coalitions/{world.a.slug}/measurement/indicators/{indicator.pk}/releases"
    admin, partner = world.client_for("admin"), world.client_for("partner")
    body = {"period": "2022", "note": "Approved"}
    assert partner.post(base, body, content_type="application/json").status_code == 403
    created = admin.post(base, body, content_type="application/json")
    assert created.status_code == 201
    out = created.json()
    assert (out["period"], out["status"], out["note"], out["indicator"]) == (
        "2022",
        "released",
        "Approved",
        "v011",
    )
    assert out["released_by"] == "Ada Admin" and out["reopened_at"] is None
    duplicate = admin.post(base, body, content_type="application/json")
    assert duplicate.status_code == 422
    assert "The 2022 values of Adult obesity are already released" in duplicate.json()["detail"]
    missing = admin.post(base, {"period": "1999"}, content_type="application/json")
    assert missing.status_code == 422 and "no values for 1999" in missing.json()["detail"]
    listed = world.client_for("viewer").get(base)
    assert listed.status_code == 200 and [r["id"] for r in listed.json()] == [out["id"]]

    reopen_url = f"{base}/{out['id']}/reopen"
    before = state(world)
    assert (
        partner.post(reopen_url, {"reason": "x"}, content_type="application/json").status_code
        == 403
    )
    blank = admin.post(reopen_url, {"reason": "   "}, content_type="application/json")
    assert blank.status_code == 422 and "a reason is required" in blank.json()["detail"]
    assert state(world) == before
    done = admin.post(reopen_url, {"reason": "Revised"}, content_type="application/json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["reopen_reason"]) == ("reopened", "Revised")
    again = admin.post(reopen_url, {"reason": "Revised"}, content_type="application/json")
    assert again.status_code == 422 and "only a release in force" in again.json()["detail"]
    assert len(audit_rows(world)) == 2


def test_the_api_answers_404_for_another_coalitions_ids_and_422_for_impossible_ones(
    world: Any,
) -> None:
    indicator = obesity(world)
    released = release(world, indicator)
    with scope(coalition=world.b):
        other = Indicator.objects.create(coalition=world.b, code="v011", name="Adult obesity")
    admin = world.client_for("admin")
    base = f"/api/coalitions/{world.a.slug}/measurement/indicators"
    assert admin.get(f"{base}/{other.pk}/releases").status_code == 404
    body = {"period": "2022"}
    assert (
        admin.post(f"{base}/{other.pk}/releases", body, content_type="application/json").status_code
        == 404
    )
    reason = {"reason": "Revised"}
    # A release of A under another indicator's path is not found either.
    assert (
        admin.post(
            f"{base}/{other.pk}/releases/{released.pk}/reopen",
            reason,
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        admin.post(
            f"{base}/{indicator.pk}/releases/{2**31}/reopen",
            reason,
            content_type="application/json",
        ).status_code
        == 422
    )
    assert admin.get(f"{base}/0/releases").status_code == 422
    assert len(audit_rows(world)) == 1


# --- the activity log --------------------------------------------------------------------


def log_texts(world: Any, language: str) -> list[str]:
    html = (
        world.client_for("admin")
        .get(f"/c/{world.a.slug}/activity/", HTTP_ACCEPT_LANGUAGE=language)
        .content.decode()
    )
    return [unescape(row) for row in re.findall(r"<tr><td>.*?</td><td>(.*?)</td></tr>", html, re.S)]


def test_the_activity_log_says_releases_and_reopenings_in_the_readers_language(
    world: Any,
) -> None:
    indicator = obesity(world)
    released = release(world, indicator, note="Approved May 1")
    reopen(world, released, "A value was mistyped")
    release(world, indicator)
    english = log_texts(world, "en")
    assert "Released the 2022 values of “Adult obesity”: Approved May 1" in english
    assert (
        "Reopened the release of the 2022 values of “Adult obesity”: A value was mistyped"
        in english
    )
    assert "Released the 2022 values of “Adult obesity” again" in english
    spanish = log_texts(world, "es")
    assert "Publicó los valores de 2022 de “Obesidad en adultos”: Approved May 1" in spanish
    assert (
        "Reabrió la publicación de los valores de 2022 de “Obesidad en adultos”: A value was mistyped"
        in spanish
    )
    assert "Publicó de nuevo los valores de 2022 de “Obesidad en adultos”" in spanish
