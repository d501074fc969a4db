"""The links' download: only hashes of links are stored, so the CSV holds newly issued links
for the partners that have not answered (their old links stop working), for admins only."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from django_scopes import scope, scopes_disabled

from commonground.coalitions.models import AuditEvent
from commonground.ecosystem import services
from commonground.ecosystem.models import Actor, NetworkSurvey
from commonground.ecosystem.tests.survey_setup import (
    CHURCH,
    CLINIC,
    FOOD_BANK,
    HEALTH_DEPT,
    open_round,
)


def _url(world: Any, survey_id: int) -> str:
    return f"/c/{world.a.slug}/ecosystem/surveys/{survey_id}/links.csv"


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the accents right
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_admin_downloads_new_links_for_those_who_have_not_answered(world: Any) -> None:
    survey_round = open_round(world)
    services.submit_network_survey(token=survey_round.tokens[CLINIC], answers=[])
    response = world.client_for("admin").post(_url(world, survey_round.survey.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="survey-links-' in response["Content-Disposition"]
    header, *rows = _rows(response.content)
    assert header == ["Partner", "Contact name", "E-mail addresses", "Personal link (works once)"]
    by_name = {row[0]: row for row in rows}
    # The clinic answered: no link for it.
    assert set(by_name) == {CHURCH, FOOD_BANK, HEALTH_DEPT}
    assert by_name[FOOD_BANK][2] == "food@northside.example"
    assert by_name[HEALTH_DEPT][2] == "partner@a.example"  # the member who answers for it
    assert by_name[CHURCH][2] == ""
    guest = Client()
    for name, row in by_name.items():
        path = urlsplit(row[3]).path
        assert row[3].startswith("http://testserver/network-survey/")
        assert f"<strong>{name}</strong>" in guest.get(path).content.decode()
        # The link made when the round opened stopped working.
        assert guest.get(f"/network-survey/{survey_round.tokens[name]}/").status_code == 410
    with scopes_disabled():
        rows_logged = AuditEvent.objects.filter(event="ecosystem.survey_link_renewed")
        assert sorted(r.params["name"] for r in rows_logged) == sorted(by_name)
        assert all(r.params["downloaded"] is True for r in rows_logged)
        assert {r.actor_id for r in rows_logged} == {world.people["admin"].pk}


def test_only_admins_may_download_and_only_by_post(world: Any) -> None:
    survey_round = open_round(world)
    url = _url(world, survey_round.survey.pk)
    before = survey_round.invitation(FOOD_BANK).token_hash
    for persona in ("partner", "resident", "viewer"):
        assert world.client_for(persona).post(url).status_code == 403
    assert world.client_for("admin").get(url).status_code == 405
    assert Client().post(url).status_code == 302  # to the sign-in page
    # Nothing was issued: the links still work.
    assert survey_round.invitation(FOOD_BANK).token_hash == before


def test_another_coalitions_survey_is_not_found(world: Any) -> None:
    survey_round = open_round(world)
    response = world.client_for("outsider").post(
        f"/c/{world.b.slug}/ecosystem/surveys/{survey_round.survey.pk}/links.csv"
    )
    assert response.status_code == 404
    assert services.find_survey_link(token=survey_round.tokens[CLINIC]).actor.name == CLINIC


def test_closed_or_fully_answered_surveys_download_nothing(world: Any) -> None:
    survey_round = open_round(world)
    for name in (CLINIC, CHURCH, FOOD_BANK, HEALTH_DEPT):
        services.submit_network_survey(token=survey_round.tokens[name], answers=[])
    admin = world.client_for("admin")
    response = admin.post(_url(world, survey_round.survey.pk), follow=True)
    assert "Every invited partner has answered; no link to download." in response.content.decode()
    other = _second_round(world)
    services.close_survey(survey=other, user=None)
    response = admin.post(_url(world, other.pk), follow=True)
    assert "is closed" in response.content.decode()
    with scopes_disabled():
        assert not AuditEvent.objects.filter(event="ecosystem.survey_link_renewed").exists()


def _second_round(world: Any) -> NetworkSurvey:
    with scope(coalition=world.a):
        actors = list(Actor.objects.filter(coalition=world.a))
    survey, _links = services.create_survey(
        coalition=world.a, user=None, title="Second round", actors=actors
    )
    return survey


def test_cells_that_look_like_formulas_are_neutralized(world: Any) -> None:
    survey_round = open_round(world)
    formula = '=HYPERLINK("http://evil.example","Hilltop")'
    services.update_actor(actor=survey_round.actors[CHURCH], user=None, name=formula)
    response = world.client_for("admin").post(_url(world, survey_round.survey.pk))
    names = [row[0] for row in _rows(response.content)[1:]]
    assert f"'{formula}" in names and formula not in names
