"""Issue 14 on the ecosystem map, each defect reproduced as it was found.

- Deleting an actor deleted the ties other partners had reported, their survey answers
  and links, with one audit row holding only the actor's fields.
- Two stale edits of an actor (or a tie, or an API PATCH) both succeeded: the first
  writer's text was lost. An empty POST must never blank a record.
- A viewer saw partners' contact e-mails and phones on the actor page while the API and
  the exports hid them: one written policy now decides, everywhere.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_scopes import scope
from openpyxl import load_workbook

from commonground.coalitions.models import AuditEvent, Membership
from commonground.ecosystem import exchange, selectors, services
from commonground.ecosystem.models import Actor, SurveyInvitation, SurveyResponse, Tie
from commonground.ecosystem.policy import can_see_contacts
from commonground.lib.tabular import FORMULA_PREFIXES

EMAIL = "maria.lopez@centro.example"
PHONE = "+1 334 555 0199"
CONTACT = "María López Contact"


def _actor(world: Any, name: str, sector: str = "food", **extra: Any) -> Actor:
    return services.create_actor(
        coalition=world.a, user=world.people["admin"], name=name, sector_id=sector, **extra
    )


def _answer(world: Any, respondent: Actor, *partners: Actor) -> SurveyResponse:
    """``respondent`` answers a survey round naming ``partners`` (ties it reports)."""
    _survey, links = services.create_survey(
        coalition=world.a, user=None, title=f"Round of {respondent.name}", actors=[respondent]
    )
    return services.submit_network_survey(
        token=links[0][1],
        answers=[
            services.TieAnswer(partner_id=p.pk, intensity=3, ratings={"reliability": 4})
            for p in partners
        ],
    )


def _audit(world: Any) -> list[AuditEvent]:
    with scope(coalition=world.a):
        return list(AuditEvent.objects.all())


# ---------------------------------------------------------------- nothing lost without a trace


@pytest.fixture
def referenced(world: Any) -> dict[str, Actor]:
    """Centro is named in a partner's survey answer, answered itself, and has a backbone tie."""
    centro = _actor(world, "Centro Latino", "community_based_organization")
    clinic = _actor(world, "Riverside Clinic", "community_health_center")
    church = _actor(world, "Iglesia Nueva Vida", "faith_community")
    _answer(world, clinic, centro, church)  # the clinic reports ties to Centro and the church
    _answer(world, centro, church)  # Centro answered the survey too
    services.record_tie(coalition=world.a, user=None, from_actor=centro, to_actor=church)
    return {"centro": centro, "clinic": clinic, "church": church}


def test_deleting_an_actor_partners_wrote_about_archives_it_and_keeps_their_ties(
    world: Any, referenced: dict[str, Actor]
) -> None:
    centro, clinic = referenced["centro"], referenced["clinic"]
    with scope(coalition=world.a):
        ties_before = Tie.all_objects.count()
        answers_before = SurveyResponse.objects.count()
        links_before = SurveyInvitation.objects.count()
    admin = world.client_for("admin")
    base = f"/c/{world.a.slug}/ecosystem"
    response = admin.post(f"{base}/actors/{centro.pk}/delete/", {"version": centro.version})
    assert response.status_code == 302
    assert "Centro Latino was archived" in admin.get(response["Location"]).content.decode()
    with scope(coalition=world.a):
        # Nothing the partners wrote was deleted: ties, answers and links are all kept.
        assert Tie.all_objects.count() == ties_before
        assert SurveyResponse.objects.count() == answers_before
        assert SurveyInvitation.objects.count() == links_before
        assert Tie.all_objects.filter(reported_by=clinic, to_actor=centro).exists()
        stored = Actor.all_objects.get(pk=centro.pk)
        assert stored.archived_at is not None and stored.archived_by == world.people["admin"]
        # ...but the actor and its ties are out of the map, the lists and the analysis.
        assert not Actor.objects.filter(pk=centro.pk).exists()
        assert not Tie.objects.filter(to_actor=centro).exists()
        assert not Tie.objects.filter(from_actor=centro).exists()
        network = selectors.build_network(coalition=world.a)
        analysis = selectors.analyze_coalition(coalition=world.a)
    assert str(centro.pk) not in {a.id for a in network.actors}
    assert all(str(centro.pk) not in (t.source, t.target) for t in network.ties)
    assert len(network.ties) == 1  # the clinic's tie to the church only
    assert centro.pk not in analysis.actors and analysis.report.tie_count == 1
    for page in ("", "actors/", "scores/", "power-map/"):
        assert "Centro Latino" not in admin.get(f"{base}/{page}").content.decode(), page
    assert admin.get(f"{base}/actors/{centro.pk}/").status_code == 404
    api = f"/api/coalitions/{world.a.slug}/ecosystem"
    assert centro.pk not in {a["id"] for a in admin.get(f"{api}/actors").json()}
    listed_ties = admin.get(f"{api}/ties").json()
    assert all(centro.pk not in (t["from_actor_id"], t["to_actor_id"]) for t in listed_ties)
    edges = admin.get(f"{base}/export/network/edges-csv/").content.decode("utf-8-sig")
    assert "Centro Latino" not in edges
    # Audited: one row saying it was archived and why, by whom.
    event = next(e for e in _audit(world) if e.object_id == str(centro.pk))
    assert event.action == "update" and event.summary.startswith("Archived Centro Latino")
    assert event.actor == world.people["admin"]
    # The archived actors page lists it; restoring brings it back with every tie.
    archive = admin.get(f"{base}/actors/archived/").content.decode()
    assert "Centro Latino" in archive
    restored = admin.post(f"{base}/actors/{centro.pk}/restore/")
    assert restored.status_code == 302
    assert "back on the map" in admin.get(restored["Location"]).content.decode()
    with scope(coalition=world.a):
        assert Actor.objects.get(pk=centro.pk).archived_at is None
        assert len(selectors.build_network(coalition=world.a).ties) == 4
    assert _audit(world)[0].summary == "Restored Centro Latino to the ecosystem map"
    assert "Centro Latino" not in admin.get(f"{base}/actors/archived/").content.decode()


def test_archive_and_restore_are_for_admins_only(world: Any, referenced: dict[str, Actor]) -> None:
    centro = referenced["centro"]
    base = f"/c/{world.a.slug}/ecosystem"
    for persona in ("partner", "resident", "viewer"):
        client = world.client_for(persona)
        assert client.post(f"{base}/actors/{centro.pk}/delete/").status_code == 403
        assert client.get(f"{base}/actors/archived/").status_code == 403
    services.delete_actor(actor=centro, user=world.people["admin"])
    assert (
        world.client_for("partner").post(f"{base}/actors/{centro.pk}/restore/").status_code == 403
    )
    # Another coalition's admin cannot reach it at all.
    outsider = world.client_for("outsider")
    assert outsider.post(f"{base}/actors/{centro.pk}/restore/").status_code == 404


def test_an_archived_actor_keeps_its_name_and_its_survey_link_stops_working(
    world: Any, referenced: dict[str, Actor]
) -> None:
    centro, church = referenced["centro"], referenced["church"]
    survey, links = services.create_survey(
        coalition=world.a, user=None, title="Round 3", actors=[centro, church]
    )
    assert services.delete_actor(actor=centro, user=None) == "archived"
    with pytest.raises(ValidationError) as error:
        _actor(world, "centro latino")
    assert "archived" in error.value.message_dict["name"][0]
    centro_token = next(token for inv, token in links if inv.actor_id == centro.pk)
    assert Client().get(f"/network-survey/{centro_token}/").status_code == 410
    detail = (
        world.client_for("admin")
        .get(f"/c/{world.a.slug}/ecosystem/surveys/{survey.pk}/")
        .content.decode()
    )
    assert 'Centro Latino <span class="tag">archived</span>' in detail
    # The church's link still works, and it cannot name the archived actor.
    church_token = next(token for inv, token in links if inv.actor_id == church.pk)
    page = Client().get(f"/network-survey/{church_token}/").content.decode()
    assert "Riverside Clinic" in page and "Centro Latino" not in page


def test_a_delete_that_removes_rows_writes_an_audit_row_for_each(world: Any) -> None:
    pantry = _actor(world, "Lonely Pantry")
    school = _actor(world, "Oak School", "k12_schools")
    bank = _actor(world, "Food Bank")
    first = services.record_tie(coalition=world.a, user=None, from_actor=pantry, to_actor=school)
    second = services.record_tie(coalition=world.a, user=None, from_actor=bank, to_actor=pantry)
    _survey, links = services.create_survey(
        coalition=world.a, user=None, title="Round 1", actors=[pantry, bank]
    )
    link = next(inv for inv, _token in links if inv.actor_id == pantry.pk)
    before = {e.pk for e in _audit(world)}
    # Nobody else wrote about the pantry (backbone ties, an unused link): it is deleted.
    assert services.delete_actor(actor=pantry, user=world.people["admin"]) == "deleted"
    new = [e for e in _audit(world) if e.pk not in before]
    assert all(e.action == "delete" and e.actor == world.people["admin"] for e in new)
    removed = {(e.object_type, e.object_id) for e in new}
    assert removed == {
        ("Actor", str(pantry.pk)),
        ("Tie", str(first.pk)),
        ("Tie", str(second.pk)),
        ("SurveyInvitation", str(link.pk)),
    }
    tie_rows = {e.object_id: e.before for e in new if e.object_type == "Tie"}
    assert tie_rows[str(first.pk)]["to"] == school.pk  # each row keeps what was removed
    assert "token_hash" not in next(e for e in new if e.object_type == "SurveyInvitation").before
    with scope(coalition=world.a):
        assert not Actor.all_objects.filter(pk=pantry.pk).exists()
        assert Tie.all_objects.count() == 0


def test_the_old_delete_path_for_a_tie_writes_its_row_too(world: Any) -> None:
    a, b = _actor(world, "A"), _actor(world, "B")
    tie = services.record_tie(coalition=world.a, user=None, from_actor=a, to_actor=b)
    response = world.client_for("admin").post(
        f"/c/{world.a.slug}/ecosystem/ties/{tie.pk}/delete/", {"version": tie.version}
    )
    assert response.status_code == 302
    event = _audit(world)[0]
    assert (event.object_type, event.object_id, event.action) == ("Tie", str(tie.pk), "delete")


# ---------------------------------------------------------------- stale edits, empty posts


def _actor_form(actor: Actor, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": actor.name,
        "kind": actor.kind,
        "sector_id": actor.sector_id,
        "geographic_scale": actor.geographic_scale,
        "notes": actor.notes,
        "version": actor.version,
    }
    return data | changes


def test_two_stale_edits_of_an_actor_the_second_gets_409_and_the_first_text_stays(
    world: Any,
) -> None:
    actor = _actor(world, "Centro Latino", notes="Original notes")
    url = f"/c/{world.a.slug}/ecosystem/actors/{actor.pk}/edit/"
    first, second = world.client_for("admin"), world.client_for("admin")
    # Both open the edit page: each form carries the version it was drawn from.
    for client in (first, second):
        assert f'name="version" value="{actor.version}"' in client.get(url).content.decode()
    saved = first.post(url, _actor_form(actor, notes="First writer's notes"))
    assert saved.status_code == 302
    stale = second.post(url, _actor_form(actor, notes="Second writer's notes"))
    assert stale.status_code == 409
    assert "Someone else saved this record" in stale.content.decode()
    with scope(coalition=world.a):
        stored = Actor.objects.get(pk=actor.pk)
    assert stored.notes == "First writer's notes" and stored.version == actor.version + 1
    updates = [e for e in _audit(world) if e.object_id == str(actor.pk) and e.action == "update"]
    assert len(updates) == 1


def test_an_empty_post_to_the_actor_form_blanks_nothing(world: Any) -> None:
    actor = _actor(world, "Centro Latino", notes="Keep me", contact_email=EMAIL)
    url = f"/c/{world.a.slug}/ecosystem/actors/{actor.pk}/edit/"
    admin = world.client_for("admin")
    response = admin.post(url, {})
    assert response.status_code == 400
    assert "without the version" in response.content.decode()
    # Only the version, nothing else: still refused (the name and sector are required).
    assert admin.post(url, {"version": actor.version}).status_code == 400
    with scope(coalition=world.a):
        stored = Actor.objects.get(pk=actor.pk)
    assert (stored.notes, stored.contact_email, stored.version) == ("Keep me", EMAIL, 1)


def test_two_stale_edits_of_a_tie_the_second_gets_409(world: Any) -> None:
    a, b = _actor(world, "A"), _actor(world, "B")
    tie = services.record_tie(coalition=world.a, user=None, from_actor=a, to_actor=b)
    url = f"/c/{world.a.slug}/ecosystem/ties/{tie.pk}/edit/"
    first, second = world.client_for("admin"), world.client_for("admin")
    form = {"intensity": "4", "type_ids": ["funding"], "version": tie.version}
    assert first.post(url, form).status_code == 302
    stale = second.post(url, form | {"intensity": "1", "type_ids": ["referrals"]})
    assert stale.status_code == 409
    with scope(coalition=world.a):
        stored = Tie.objects.get(pk=tie.pk)
    assert (stored.intensity, stored.type_ids) == (4, ["funding"])
    # An empty POST is refused too, and a stale remove does nothing.
    assert first.post(url, {}).status_code == 400
    gone = second.post(
        f"/c/{world.a.slug}/ecosystem/ties/{tie.pk}/delete/", {"version": tie.version}
    )
    assert gone.status_code == 409
    with scope(coalition=world.a):
        assert Tie.objects.filter(pk=tie.pk).exists()


def test_a_partners_reported_tie_is_not_edited_by_the_backbone(world: Any) -> None:
    a, b = _actor(world, "A"), _actor(world, "B")
    _answer(world, a, b)
    with scope(coalition=world.a):
        tie = Tie.objects.get(reported_by=a)
    response = world.client_for("admin").post(
        f"/c/{world.a.slug}/ecosystem/ties/{tie.pk}/edit/",
        {"intensity": "1", "version": tie.version},
    )
    assert response.status_code == 400 and "survey answer" in response.content.decode()
    with scope(coalition=world.a):
        assert Tie.objects.get(pk=tie.pk).intensity == 3


def test_recording_an_existing_tie_again_from_the_form_does_not_overwrite_it(world: Any) -> None:
    a, b = _actor(world, "A"), _actor(world, "B")
    services.record_tie(coalition=world.a, user=None, from_actor=a, to_actor=b, intensity=4)
    response = world.client_for("admin").post(
        f"/c/{world.a.slug}/ecosystem/ties/new/",
        {"from_actor": a.pk, "to_actor": b.pk, "intensity": "1"},
    )
    assert response.status_code == 400 and "edit page" in response.content.decode()
    with scope(coalition=world.a):
        assert Tie.objects.get(from_actor=a, to_actor=b).intensity == 4


def test_two_stale_api_patches_the_second_gets_409(world: Any) -> None:
    actor = _actor(world, "Centro Latino", notes="Original")
    url = f"/api/coalitions/{world.a.slug}/ecosystem/actors/{actor.pk}"
    client = world.client_for("admin")
    read = client.get(url).json()
    assert read["version"] == actor.version
    first = client.patch(
        url, {"version": read["version"], "notes": "First"}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == read["version"] + 1
    second = client.patch(
        url, {"version": read["version"], "notes": "Second"}, content_type="application/json"
    )
    assert second.status_code == 409
    assert "Someone else saved this record" in second.json()["detail"]
    with scope(coalition=world.a):
        assert Actor.objects.get(pk=actor.pk).notes == "First"
    # A PATCH without a version is refused; one with nothing to change changes nothing.
    missing = client.patch(url, {"notes": "No version"}, content_type="application/json")
    assert missing.status_code == 422
    current = first.json()["version"]
    noop = client.patch(url, {"version": current}, content_type="application/json")
    assert noop.status_code == 200 and noop.json()["version"] == current
    blank = client.patch(url, {"version": current, "name": None}, content_type="application/json")
    assert blank.status_code == 422
    with scope(coalition=world.a):
        stored = Actor.objects.get(pk=actor.pk)
    assert (stored.name, stored.notes, stored.version) == ("Centro Latino", "First", current)


def test_two_stale_api_patches_of_a_tie_the_second_gets_409(world: Any) -> None:
    a, b = _actor(world, "A"), _actor(world, "B")
    client = world.client_for("admin")
    base = f"/api/coalitions/{world.a.slug}/ecosystem/ties"
    created = client.post(
        base, {"from_actor_id": a.pk, "to_actor_id": b.pk}, content_type="application/json"
    )
    assert created.status_code == 201
    tie = created.json()
    # Posting the same tie again does not silently overwrite it.
    again = client.post(
        base,
        {"from_actor_id": a.pk, "to_actor_id": b.pk, "intensity": 1},
        content_type="application/json",
    )
    assert again.status_code == 422 and "edit page" in again.json()["detail"]
    url = f"{base}/{tie['id']}"
    first = client.patch(
        url, {"version": tie["version"], "intensity": 4}, content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["intensity"] == 4
    second = client.patch(
        url, {"version": tie["version"], "intensity": 1}, content_type="application/json"
    )
    assert second.status_code == 409
    with scope(coalition=world.a):
        assert Tie.objects.get(pk=tie["id"]).intensity == 4
    assert client.patch(url, {"intensity": 2}, content_type="application/json").status_code == 422


def test_a_stale_power_map_saves_nothing(world: Any) -> None:
    a, b = _actor(world, "A"), _actor(world, "B")
    url = f"/c/{world.a.slug}/ecosystem/power-map/place/"
    form = {
        f"influence-{a.pk}": "80",
        f"alignment-{a.pk}": "20",
        f"version-{a.pk}": a.version,
        f"influence-{b.pk}": "10",
        f"alignment-{b.pk}": "90",
        f"version-{b.pk}": b.version,
    }
    services.place_on_power_map(actor=b, user=None, influence=50, alignment=50)
    response = world.client_for("admin").post(url, form)
    assert response.status_code == 409
    assert "Someone else changed B after you opened" in response.content.decode()
    with scope(coalition=world.a):
        stored = {x.name: (x.influence, x.alignment) for x in Actor.objects.all()}
    assert stored == {"A": (None, None), "B": (50, 50)}


def test_a_stale_survey_close_is_refused(world: Any) -> None:
    a, b = _actor(world, "A"), _actor(world, "B")
    survey, _links = services.create_survey(
        coalition=world.a, user=None, title="Round", actors=[a, b]
    )
    url = f"/c/{world.a.slug}/ecosystem/surveys/{survey.pk}/close/"
    admin = world.client_for("admin")
    assert admin.post(url, {}).status_code == 302  # no version: refused with a message
    assert admin.post(url, {"version": survey.version + 1}).status_code == 409
    with scope(coalition=world.a):
        survey.refresh_from_db()
    assert survey.status == "open"
    assert admin.post(url, {"version": survey.version}).status_code == 302
    with scope(coalition=world.a):
        survey.refresh_from_db()
    assert survey.status == "closed"


# ---------------------------------------------------------------- the contact policy


def _exports(client: Client, world: Any) -> dict[str, str]:
    base = f"/c/{world.a.slug}/ecosystem/export"
    files: dict[str, str] = {}
    for fmt in ("actors-csv", "ties-csv", "hsds-json"):
        response = client.get(f"{base}/data/{fmt}/")
        assert response.status_code == 200, fmt
        files[fmt] = response.content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(client.get(f"{base}/data/xlsx/").content))
    files["xlsx"] = "\n".join(
        str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
    )
    for fmt in ("graphml", "gexf", "edges-csv"):
        response = client.get(f"{base}/network/{fmt}/")
        assert response.status_code == 200, fmt
        files[fmt] = response.content.decode("utf-8-sig")
    api = client.get(f"/api/coalitions/{world.a.slug}/ecosystem/export/graphml")
    files["api-graphml"] = api.content.decode()
    return files


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("admin", True), ("partner", True), ("resident", False), ("viewer", False)],
)
def test_contact_details_follow_one_policy_on_page_api_and_every_export(
    world: Any, persona: str, sees: bool
) -> None:
    centro = _actor(
        world, "Centro Latino", contact_name=CONTACT, contact_email=EMAIL, contact_phone=PHONE
    )
    other = _actor(world, "Riverside Clinic", "community_health_center")
    services.record_tie(coalition=world.a, user=None, from_actor=centro, to_actor=other)
    client = world.client_for(persona)
    with scope(coalition=world.a):
        membership = Membership.objects.get(user=world.people[persona])
    assert can_see_contacts(membership) is sees
    page = client.get(f"/c/{world.a.slug}/ecosystem/actors/{centro.pk}/").content.decode()
    api = f"/api/coalitions/{world.a.slug}/ecosystem/actors"
    places = {
        "actor page": page,
        "actor list": client.get(f"/c/{world.a.slug}/ecosystem/actors/").content.decode(),
        "api actor": json.dumps(client.get(f"{api}/{centro.pk}").json(), ensure_ascii=False),
        "api list": json.dumps(client.get(api).json(), ensure_ascii=False),
        **_exports(client, world),
    }
    shown_in = {
        "actor page",
        "api actor",
        "api list",
        "actors-csv",
        "hsds-json",
        "xlsx",
        "graphml",
        "gexf",
        "api-graphml",
    }
    for place, text in places.items():
        for secret in (EMAIL, PHONE, CONTACT):
            expected = sees and place in shown_in
            assert (secret in text) is expected, (persona, place, secret)
    if not sees:
        assert client.get(f"{api}/{centro.pk}").json()["contact_email"] is None


def test_no_contact_on_the_public_survey_page(world: Any) -> None:
    centro = _actor(world, "Centro Latino", contact_email=EMAIL, contact_phone=PHONE)
    other = _actor(world, "Riverside Clinic", "community_health_center")
    _survey, links = services.create_survey(
        coalition=world.a, user=None, title="Round", actors=[other]
    )
    html = Client().get(f"/network-survey/{links[0][1]}/").content.decode()
    assert centro.name in html and EMAIL not in html and PHONE not in html


# ---------------------------------------------------------------- files


EVIL = '=HYPERLINK("http://evil.example/","x")'


def _formula_world(world: Any) -> None:
    evil = _actor(
        world,
        EVIL,
        notes="+1+1",
        contact_name="@SUM(A1)",
        contact_email="x@evil.example",
        contact_phone="-2+3",
    )
    other = _actor(world, "\t=1+2 Clinic", "community_health_center")
    services.record_tie(coalition=world.a, user=None, from_actor=evil, to_actor=other)
    _answer(world, other, evil)


def _formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def test_no_export_of_the_ecosystem_holds_a_live_formula(world: Any) -> None:
    _formula_world(world)
    client = world.client_for("admin")
    base = f"/c/{world.a.slug}/ecosystem"
    csv_urls = [
        f"{base}/export/data/actors-csv/",
        f"{base}/export/data/ties-csv/",
        f"{base}/export/network/edges-csv/",
        f"{base}/scores/?format=csv",
    ]
    for url in csv_urls:
        response = client.get(url)
        assert response.content.startswith(b"\xef\xbb\xbf"), url  # UTF-8 BOM for Excel
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if _formula_like(c)], url
        assert any(c.startswith("'=HYPERLINK") or c.startswith("'\t=1+2") for c in cells), url
    for url in (f"{base}/export/data/xlsx/", f"{base}/scores/?format=xlsx"):
        content = client.get(url).content
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for part in archive.namelist():
                if part.startswith("xl/worksheets/"):
                    root = ET.fromstring(archive.read(part))  # noqa: S314 (our own output)
                    assert not [e for e in root.iter() if e.tag.endswith("}f")], (url, part)
        book = load_workbook(io.BytesIO(content))
        texts = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
        assert all(c.data_type != "f" for c in texts), url
        assert any(c.value == EVIL and c.quotePrefix for c in texts), url


def test_exported_files_import_back_with_the_text_intact(world: Any) -> None:
    _formula_world(world)
    client = world.client_for("admin")
    base = f"/c/{world.a.slug}/ecosystem/export/data"
    for fmt, name in (("xlsx", "back.xlsx"), ("actors-csv", "back.csv")):
        content = client.get(f"{base}/{fmt}/").content
        header, rows = exchange.read_rows(content, name, sheet="Elements")
        assert "Contact e-mail" in header
        # The apostrophe that neutralized the formula is not kept as data.
        assert {r["Label"] for r in rows} == {EVIL, "=1+2 Clinic"}, fmt
        assert {r.get("Description", "") for r in rows} == {"+1+1", ""}, fmt


def _bomb(ref: str) -> bytes:
    """A small workbook whose sheet declares the range ``ref`` (patched in its XML)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Elements"
    sheet.append(["Label", "Sector"])
    sheet.append(["Centro Latino", "food"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                declared = b'<dimension ref="A1:B2" />'
                assert declared in data
                data = data.replace(declared, f'<dimension ref="{ref}" />'.encode())
            target.writestr(item, data)
    return out.getvalue()


MEMORY_BOUND_MB = 40
"""Refusing a dimension bomb may take at most this much Python memory (tracemalloc peak)."""
RSS_BOUND_MB = 400
"""...and the whole process (Django loaded, about 150 MB) at most this resident size."""
TIME_BOUND_S = 5.0

_MEASURE = """
import os, sys, time, tracemalloc
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings_test")
import django
django.setup()
from django.core.exceptions import ValidationError
from commonground.ecosystem import exchange
data = open(sys.argv[1], "rb").read()
tracemalloc.start()
# CPU time of this process: the other suite sharing the cores does not inflate it.
started = time.process_time()
try:
    exchange.read_rows(data, "bomb.xlsx", sheet="Elements")
    message = "ACCEPTED"
except ValidationError as error:
    message = " ".join(error.messages)
elapsed = time.process_time() - started
peak = tracemalloc.get_traced_memory()[1]
# VmHWM is this program's own peak: ru_maxrss would also count the test runner's memory,
# which Linux carries over from the forked parent into the new program at exec.
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(f"{elapsed:.3f}|{peak}|{rss}|{message}")
"""


@pytest.mark.parametrize("ref", ["A1:XFD1048576", "A1:ALL100000"])
def test_a_dimension_bomb_is_refused_quickly_in_bounded_memory(tmp_path: Any, ref: str) -> None:
    import subprocess
    import sys

    data = _bomb(ref)
    assert len(data) < 8_000  # a few kilobytes on disk
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    elapsed, peak, rss, message = result.stdout.strip().splitlines()[-1].split("|", 3)
    assert message != "ACCEPTED"
    assert "Elements" in message and "declares" in message and "limit" in message
    assert float(elapsed) < TIME_BOUND_S
    assert int(peak) < MEMORY_BOUND_MB * 1024 * 1024
    assert int(rss) < RSS_BOUND_MB * 1024  # VmHWM is in kilobytes


def test_a_dimension_bomb_uploaded_to_the_import_page_is_refused_and_saves_nothing(
    world: Any,
) -> None:
    upload = io.BytesIO(_bomb("A1:XFD1048576"))
    upload.name = "actors.xlsx"
    response = world.client_for("admin").post(
        f"/c/{world.a.slug}/ecosystem/import/", {"what": "actors", "file": upload}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "1,048,576 rows" in html and "16,384 columns" in html
    with scope(coalition=world.a):
        assert Actor.all_objects.count() == 0


def test_a_zip_named_xlsx_without_content_types_is_a_clear_error(world: Any) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    with pytest.raises(ValidationError) as error:
        exchange.import_file(
            coalition=world.a, user=None, what="actors", name="a.xlsx", data=out.getvalue()
        )
    assert "[Content_Types].xml" in " ".join(error.value.messages)
    upload = io.BytesIO(out.getvalue())
    upload.name = "ties.xlsx"
    response = world.client_for("admin").post(
        f"/c/{world.a.slug}/ecosystem/import/", {"what": "ties", "file": upload}
    )
    assert response.status_code == 400 and "[Content_Types].xml" in response.content.decode()


def test_a_working_workbook_still_imports(world: Any) -> None:
    count = exchange.import_file(
        coalition=world.a, user=None, what="actors", name="ok.xlsx", data=_bomb("A1:B2")
    )
    assert count == 1
    with scope(coalition=world.a):
        assert Actor.objects.get().name == "Centro Latino"


def test_the_demo_shows_contacts_to_partners_and_not_to_viewers(world: Any) -> None:
    from commonground.ecosystem import demo_data

    with scope(coalition=world.a):
        demo_data.seed_river_region(world.a)
        hub = Actor.objects.get(name="River Region Health Collaborative")
    url = f"/c/{world.a.slug}/ecosystem/actors/{hub.pk}/"
    assert (
        "dana.whitfield@rrhc.example.org" in world.client_for("partner").get(url).content.decode()
    )
    assert (
        "dana.whitfield@rrhc.example.org"
        not in world.client_for("viewer").get(url).content.decode()
    )
