"""A whole coalition exported, imported as a new one, and exported again (RELIABILITY 15),
and the de-identified archive (RELIABILITY 9)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django_scopes import scope, scopes_disabled

from commonground.accounts.models import User
from commonground.coalitions import archive
from commonground.coalitions.models import AuditEvent, Coalition, Membership, TenantModel
from commonground.demo.seed import DEMO_SLUG, seed_demo

pytestmark = pytest.mark.django_db


def instance_unique_fields() -> dict[str, set[str]]:
    """Per table, the fields whose values must be unique in the whole instance."""
    found: dict[str, set[str]] = {}
    for model in archive.tenant_models():
        names = {
            f.name
            for f in model._meta.concrete_fields
            if f.unique and not f.primary_key and not isinstance(f, models.ForeignKey)
        }
        found[model._meta.label] = names
    return found


def comparable(content: bytes) -> dict[str, list[dict[str, Any]]]:
    unique = instance_unique_fields()
    tables = archive.table_rows(content)
    out = {}
    for label, rows in tables.items():
        out[label] = [{k: v for k, v in row.items() if k not in unique[label]} for row in rows]
    return out


def test_the_full_demo_round_trips_and_the_copy_works(client: Any) -> None:
    seed_demo()
    river = Coalition.objects.get(slug=DEMO_SLUG)
    first = archive.export_coalition(river)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(first)).read("manifest.json"))
    tenant_tables = {
        m._meta.label
        for m in apps.get_models()
        if issubclass(m, TenantModel) and not getattr(m, "archive_exclude", False)
    }
    # Only the export jobs themselves stay out.
    assert {m._meta.label for m in apps.get_models() if getattr(m, "archive_exclude", False)} == {
        "coalitions.CoalitionExport"
    }
    # Every tenant table of every app is in the archive, with the demo's rows.
    assert set(manifest["tables"]) == tenant_tables
    with scope(coalition=river):
        for model in archive.tenant_models():
            assert manifest["tables"][model._meta.label] == model.objects.count()
    assert manifest["tables"]["ecosystem.Actor"] > 20
    assert manifest["tables"]["measurement.Observation"] > 1000
    users_before = User.objects.count()
    others_before = {c.slug: c.pk for c in Coalition.objects.exclude(slug=DEMO_SLUG)}

    summary = archive.import_coalition(first, slug="river-copy")
    copy = summary.coalition
    assert copy.slug == "river-copy" and copy.name == river.name
    assert summary.people_created == 0  # the same people, matched by e-mail address
    assert User.objects.count() == users_before
    second = archive.export_coalition(copy)

    before, after = comparable(first), comparable(second)
    # The import's own audit row is the one row the copy has more.
    imported = after["coalitions.AuditEvent"].pop()
    assert imported["event"] == "coalitions.imported"
    assert _diff(before, after) == []
    # The other coalitions did not change.
    assert {
        c.slug: c.pk for c in Coalition.objects.exclude(slug__in=[DEMO_SLUG, "river-copy"])
    } == others_before

    # The copy is a working coalition: its admin signs in and sees the same map.
    client.force_login(User.objects.get(email="alicia@riverregion.example"))
    home = client.get("/c/river-copy/")
    assert home.status_code == 200
    with scopes_disabled():
        assert (
            Membership.objects.filter(coalition=copy).count()
            == Membership.objects.filter(coalition=river).count()
        )
    for path in ("/c/river-copy/ecosystem/", "/c/river-copy/members/"):
        assert client.get(path).status_code == 200, path


def test_the_deidentified_archive_keeps_numbers_and_drops_people_and_places() -> None:
    seed_demo()
    river = Coalition.objects.get(slug=DEMO_SLUG)
    content = archive.export_coalition(river, deidentify=True)
    files = dict(archive.iter_files(content))
    text = "\n".join(body.decode("utf-8", "replace") for body in files.values())
    assert "data/people.json" not in files
    assert not any(name.startswith("files/") for name in files)
    assert "data/coalitions.AuditEvent.json" not in files
    # No e-mail address, no person's name, no organization's name, no full date.
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", text)
    with scopes_disabled():
        names = set(User.objects.values_list("display_name", flat=True))
        names |= set(
            Membership.objects.filter(coalition=river).values_list("organization", flat=True)
        )
        from commonground.ecosystem.models import Actor

        names |= set(Actor.objects.filter(coalition=river).values_list("name", flat=True))
    names = {n for n in names if n and len(n) > 4}
    assert len(names) > 20
    leaked = sorted(n for n in names if n in text)
    assert leaked == []
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    # No free text: no value of any long text field of the coalition's rows.
    free_text = {river.mission, river.policy_context, river.initiatives}
    with scope(coalition=river):
        for model in archive.tenant_models():
            text_fields = [
                f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField)
            ]
            if not text_fields:
                continue
            for row in model._default_manager.filter(coalition=river).values_list(*text_fields):
                free_text.update(value for value in row if isinstance(value, str))
    free_text = {value for value in free_text if len(value) > 25}
    assert len(free_text) > 10
    assert sorted(value[:40] for value in free_text if value in text) == []
    # Places below the state are coarsened to the state (01 is Alabama).
    tables = archive.table_rows(content)
    place_codes = {row["code"] for row in tables["coalitions.Place"] if "code" in row}
    assert place_codes <= {"01", None}
    observations = tables["measurement.Observation"]
    assert len(observations) > 1000
    assert all(len(str(o.get("place_code") or "")) <= 2 for o in observations)
    # ... and the numbers stay.
    with scope(coalition=river):
        from commonground.measurement.models import Observation

        values = sorted(
            v for v in Observation.objects.values_list("value", flat=True) if v is not None
        )
    kept = sorted(float(o["value"]) for o in observations if o.get("value") is not None)
    assert kept == pytest.approx([float(v) for v in values])
    with pytest.raises(archive.ArchiveError, match="de-identified"):
        archive.import_coalition(content)


def test_an_import_is_all_or_nothing(world: Any) -> None:
    content = archive.export_coalition(world.a)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "data/coalitions.Place.json":
                rows = json.loads(body)
                assert rows, "the world has places"
                rows[-1]["kind"] = "x" * 500
                rows[-1]["created_at"] = "not a date"
                body = json.dumps(rows).encode()
            target.writestr(info, body)
    coalitions, users = Coalition.objects.count(), User.objects.count()
    with pytest.raises(archive.ArchiveError, match=r"coalitions\.Place row \d+"):
        archive.import_coalition(broken.getvalue(), slug="half")
    assert Coalition.objects.count() == coalitions and User.objects.count() == users
    assert not Coalition.objects.filter(slug="half").exists()
    with scopes_disabled():
        assert AuditEvent.objects.filter(event="coalitions.imported").count() == 0


def _zip(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "not a ZIP file"),
        (_zip({"readme.txt": "hi"}), "no manifest.json"),
        (_zip({"manifest.json": "{"}), "not valid JSON"),
        (_zip({"manifest.json": json.dumps({"format": "other"})}), "wrong format"),
        (
            _zip({"manifest.json": json.dumps({"format": archive.FORMAT, "schema_version": 99})}),
            "schema version 99",
        ),
        (
            _zip(
                {
                    "manifest.json": json.dumps(
                        {
                            "format": archive.FORMAT,
                            "schema_version": 1,
                            "migrations": {"coalitions": "9999_from_the_future"},
                        }
                    )
                }
            ),
            "newer version",
        ),
        (_zip({"../evil": "x", "manifest.json": "{}"}), "unsafe path"),
        (
            _zip(
                {
                    "manifest.json": json.dumps(
                        {"format": archive.FORMAT, "schema_version": 1, "tables": {"nope.Thing": 1}}
                    )
                }
            ),
            "does not know: nope.Thing",
        ),
    ],
)
def test_a_bad_archive_is_refused_with_a_reason(content: bytes, message: str) -> None:
    before = Coalition.objects.count()
    with pytest.raises(archive.ArchiveError, match=message):
        archive.import_coalition(content)
    assert Coalition.objects.count() == before


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    out = []
    for label in sorted(set(before) | set(after)):
        a, b = before.get(label, []), after.get(label, [])
        if a != b:
            if len(a) != len(b):
                out.append(f"{label}: {len(a)} != {len(b)} rows")
                continue
            for ra, rb in zip(a, b, strict=True):
                keys = sorted(k for k in set(ra) | set(rb) if ra.get(k) != rb.get(k))
                if keys:
                    out.append(
                        f"{label} {ra['id']}: "
                        + ", ".join(f"{k}: {ra.get(k)!r} != {rb.get(k)!r}" for k in keys)
                    )
                    break
    return out


def test_the_commands_print_the_documented_json(world: Any, tmp_path: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    from commonground.web.tests.test_cli_docs import DOC, check, parse_contract

    contract = parse_contract(DOC.read_text(encoding="utf-8"))
    target = tmp_path / "a.zip"
    out = StringIO()
    call_command("export_coalition", world.a.slug, str(target), "--json", stdout=out)
    exported = json.loads(out.getvalue())
    assert check(exported, "export_coalition", contract)[0] == []
    assert exported["bytes"] == target.stat().st_size and exported["people"] >= 4
    out = StringIO()
    call_command("import_coalition", str(target), "--slug", "a-copy", "--json", stdout=out)
    imported = json.loads(out.getvalue())
    assert check(imported, "import_coalition", contract)[0] == []
    assert imported["coalition"] == "a-copy" and imported["people_created"] == 0
    # The world's survey-link fingerprints are held by A, so the copy's are drawn anew.
    assert imported["rows"] == exported["rows"] and imported["redrawn"] >= 1


@pytest.mark.django_db(transaction=True)
def test_an_admin_exports_from_the_page_and_downloads_the_archive(world: Any) -> None:
    admin = world.client_for("admin")
    page = admin.get("/c/valley-a/export/")
    assert page.status_code == 200 and "De-identified, for research" in page.content.decode()
    started = admin.post("/c/valley-a/export/", {"kind": "deidentified"})
    assert started.status_code == 302
    detail = admin.get(started["Location"])
    html = detail.content.decode()
    # The task ran when the request's transaction committed (the test runs tasks at once).
    assert "Ready" in html and "100% done" in html
    link = re.search(r'href="(/c/valley-a/export/\d+/download/)"', html)
    assert link is not None
    download = admin.get(link.group(1))
    assert download["Content-Disposition"].startswith(
        'attachment; filename="valley-a-deidentified-'
    )
    manifest, _ = archive.read_archive_any(download.content)
    assert manifest["deidentified"] is True and manifest["coalition"]["name"] == "Coalition"
    log = admin.get("/c/valley-a/activity/").content.decode()
    assert "Exported a de-identified archive of the coalition&#x27;s data" in log or (
        "Exported a de-identified archive of the coalition's data" in log
    )


def test_an_archive_imports_into_an_empty_instance_and_exports_the_same(world: Any) -> None:
    first = archive.export_coalition(world.a)
    # Empty the instance: every coalition (their rows go with them) and every account.
    Coalition.objects.all().delete()
    User.objects.all().delete()
    assert Coalition.objects.count() == 0 and User.objects.count() == 0

    summary = archive.import_coalition(first)
    assert summary.coalition.slug == "valley-a"
    people = json.loads(zipfile.ZipFile(io.BytesIO(first)).read("data/people.json"))
    assert summary.people_created == len(people) == User.objects.count() >= 4
    # The new accounts have no password until their owners set one.
    assert not any(user.has_usable_password() for user in User.objects.all())
    before, after = comparable(first), comparable(archive.export_coalition(summary.coalition))
    imported = after["coalitions.AuditEvent"].pop()
    assert imported["event"] == "coalitions.imported"
    assert _diff(before, after) == []


def test_an_export_whose_worker_died_is_given_up_and_never_overwritten(world: Any) -> None:
    """Running with a stale heartbeat, or queued for over an hour: failed with the reason
    on the next look at the page; a fresh one keeps running; a late worker changes nothing."""
    from datetime import timedelta

    from django.utils import timezone

    from commonground.coalitions import exports
    from commonground.coalitions.models import CoalitionExport

    now = timezone.now()
    with scope(coalition=world.a):
        jobs = {
            name: CoalitionExport.objects.create(coalition=world.a)
            for name in ("lost", "alive", "never_taken", "just_queued")
        }
        CoalitionExport.objects.filter(pk=jobs["lost"].pk).update(
            status="running", heartbeat_at=now - timedelta(minutes=16)
        )
        CoalitionExport.objects.filter(pk=jobs["alive"].pk).update(
            status="running", heartbeat_at=now - timedelta(minutes=14)
        )
        CoalitionExport.objects.filter(pk=jobs["never_taken"].pk).update(
            created_at=now - timedelta(minutes=61)
        )
    assert world.client_for("admin").get("/c/valley-a/export/").status_code == 200
    with scope(coalition=world.a):
        found = {j.pk: j for j in CoalitionExport.objects.all()}
    assert found[jobs["lost"].pk].status == found[jobs["never_taken"].pk].status == "failed"
    assert found[jobs["lost"].pk].error == "The export stopped before it finished."
    assert found[jobs["alive"].pk].status == "running"
    assert found[jobs["just_queued"].pk].status == "queued"
    exports.run_export(job_id=jobs["never_taken"].pk)  # a worker that turns up late
    exports.run_export(job_id=jobs["just_queued"].pk)
    with scope(coalition=world.a):
        late = CoalitionExport.objects.get(pk=jobs["never_taken"].pk)
        made = CoalitionExport.objects.get(pk=jobs["just_queued"].pk)
    assert late.status == "failed" and bytes(late.content) == b""
    assert made.status == "succeeded" and made.size > 0 and made.heartbeat_at is not None
