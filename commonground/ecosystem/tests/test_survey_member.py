"""A member answers the network survey for their own organization, signed in: the coalition
home shows the survey waiting, the form chooses nothing in advance, the answer lands on the
map; nobody answers for an organization that is not theirs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django.test import Client
from django_scopes import scope, scopes_disabled

from commonground.coalitions.models import AuditEvent, Membership
from commonground.ecosystem import selectors, services
from commonground.ecosystem.models import SurveyInvitation, Tie
from commonground.ecosystem.tests.survey_setup import (
    CHURCH,
    CLINIC,
    FOOD_BANK,
    HEALTH_DEPT,
    Round,
    open_round,
)


class FormState(HTMLParser):
    """What a page's form would send as it stands: checked boxes and radios, selected options,
    and the name of every radio group, checkbox and select."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[str] = []
        self.selected: list[str] = []
        self.radios: set[str] = set()
        self.selects: list[str] = []
        self._select = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") in ("radio", "checkbox"):
            if found.get("type") == "radio":
                self.radios.add(found.get("name") or "")
            if "checked" in found:
                self.checked.append(f"{found.get('name')}={found.get('value')}")
        elif tag == "select":
            self._select = found.get("name") or ""
            self.selects.append(self._select)
        elif tag == "option" and "selected" in found:
            self.selected.append(f"{self._select}={found.get('value')}")


def form_state(html: str) -> FormState:
    state = FormState()
    state.feed(html.split('<form method="post" class="survey-form">', 1)[1].split("</form>")[0])
    return state


def _answer_url(survey_round: Round, name: str) -> str:
    invitation = survey_round.invitation(name)
    return f"/c/{survey_round.world.a.slug}/ecosystem/surveys/answer/{invitation.pk}/"


def test_the_home_shows_a_member_the_survey_waiting_for_their_organization(world: Any) -> None:
    survey_round = open_round(world)
    home = world.client_for("partner").get(f"/c/{world.a.slug}/").content.decode()
    assert "Needs your attention" in home
    assert f"Answer the partner network survey “Network survey 2026” for {HEALTH_DEPT}" in home
    assert _answer_url(survey_round, HEALTH_DEPT) in home
    # A member who answers for no invited organization sees no survey task.
    resident_home = world.client_for("resident").get(f"/c/{world.a.slug}/").content.decode()
    assert "Answer the partner network survey" not in resident_home
    # The backbone sees how many have not answered, with the way to the survey's page.
    admin_home = world.client_for("admin").get(f"/c/{world.a.slug}/").content.decode()
    assert "“Network survey 2026”: 4 invited partners have not answered yet" in admin_home
    # Coalition B's people see nothing of A's survey.
    b_home = world.client_for("outsider").get(f"/c/{world.b.slug}/").content.decode()
    assert "Network survey 2026" not in b_home


def test_the_form_chooses_nothing_in_advance(world: Any) -> None:
    survey_round = open_round(world)
    client = world.client_for("partner")
    url = _answer_url(survey_round, HEALTH_DEPT)
    step1 = client.get(url)
    assert step1.status_code == 200
    state = form_state(step1.content.decode())
    assert state.checked == [] and state.selected == []
    partners = [str(survey_round.actors[n].pk) for n in (CLINIC, CHURCH)]
    step2 = client.post(url, {"step": "rate", "partner": partners})
    html = step2.content.decode()
    assert step2.status_code == 200 and "Step 2 of 2" in html
    state = form_state(html)
    # One radio group per partner, none answered; every list starts at "–".
    assert state.radios == {f"p{pk}-intensity" for pk in partners}
    assert state.checked == [] and state.selected == []
    assert len(state.selects) == 2 * 7  # how often, three trust and three value ratings
    # The scale is explained on the page, each level tied to its radio.
    for level, words in (
        ("1", "you do not work together yet"),
        ("4", "You work as one on something"),
    ):
        assert re.search(rf'<dd id="level-{level}">[^<]*{words}', html)
        assert f'aria-describedby="level-{level}"' in html
    # One row per partner: a fieldset named by the partner.
    for name in (CLINIC, CHURCH):
        assert f'<fieldset class="survey-row">\n        <legend>{name}</legend>' in html


def test_a_member_answers_and_the_map_and_scores_change(world: Any) -> None:
    survey_round = open_round(world)
    coalition = world.a
    client = world.client_for("partner")
    url = _answer_url(survey_round, HEALTH_DEPT)
    clinic = survey_round.actors[CLINIC]
    respondent = survey_round.actors[HEALTH_DEPT]
    with scope(coalition=coalition):
        before = selectors.analyze_coalition(coalition=coalition)
    assert before.metrics[respondent.pk].out_degree == 0
    done = client.post(
        url,
        {
            "step": "submit",
            "partner": [str(clinic.pk)],
            f"p{clinic.pk}-intensity": "3",
            f"p{clinic.pk}-types": ["referrals"],
            f"p{clinic.pk}-reliability": "4",
            "contributions": ["data"],
        },
    )
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    with scope(coalition=coalition):
        tie = Tie.objects.get(from_actor=respondent, to_actor=clinic, reported_by=respondent)
        after = selectors.analyze_coalition(coalition=coalition)
    assert tie.intensity == 3 and tie.reliability == 4 and tie.type_ids == ["referrals"]
    assert after.metrics[respondent.pk].out_degree == 1
    assert after.report.response.respondent_count == before.report.response.respondent_count + 1
    # The audit row names the member who answered.
    with scopes_disabled():
        row = AuditEvent.objects.get(event="ecosystem.survey_answered")
    assert row.actor_id == world.people["partner"].pk and row.params["name"] == HEALTH_DEPT
    # Answered: the task leaves the home; the link e-mailed earlier is used up too.
    home = client.get(f"/c/{coalition.slug}/").content.decode()
    assert "Answer the partner network survey" not in home
    assert Client().get(f"/network-survey/{survey_round.tokens[HEALTH_DEPT]}/").status_code == 410
    again = client.get(url, follow=True)
    assert "has already answered this survey" in again.content.decode()


def test_nobody_answers_for_an_organization_that_is_not_theirs(world: Any) -> None:
    survey_round = open_round(world)
    church = survey_round.actors[CHURCH]
    clinic = survey_round.actors[CLINIC]
    url = _answer_url(survey_round, CLINIC)
    for persona in ("partner", "admin", "resident", "viewer"):
        client = world.client_for(persona)
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].endswith("/surveys/mine/")
        posted = client.post(
            url,
            {"step": "submit", "partner": [str(church.pk)], f"p{church.pk}-intensity": "4"},
            follow=True,
        )
        assert "You answer the survey only for your own organization" in posted.content.decode()
    with scope(coalition=world.a):
        assert not Tie.objects.filter(reported_by=clinic).exists()
        assert SurveyInvitation.objects.get(actor=clinic).responded_at is None
    # Another coalition's invitation is not found through this coalition's pages.
    assert world.client_for("outsider").get(
        f"/c/{world.b.slug}/ecosystem/surveys/answer/{survey_round.invitation(CLINIC).pk}/"
    ).status_code in (404,)


def test_a_viewer_whose_address_is_the_contact_answers_for_that_organization(world: Any) -> None:
    survey_round = open_round(world)
    food_bank = survey_round.actors[FOOD_BANK]
    services.update_actor(actor=food_bank, user=None, contact_email="viewer@a.example")
    client = world.client_for("viewer")
    home = client.get(f"/c/{world.a.slug}/").content.decode()
    assert f"for {FOOD_BANK}" in home
    church = survey_round.actors[CHURCH]
    done = client.post(
        _answer_url(survey_round, FOOD_BANK),
        {"step": "submit", "partner": [str(church.pk)], f"p{church.pk}-intensity": "1"},
    )
    assert done.status_code == 200
    with scope(coalition=world.a):
        assert Tie.objects.get(reported_by=food_bank).intensity == 1


def test_a_missing_level_is_named_and_the_answers_are_kept(world: Any) -> None:
    survey_round = open_round(world)
    clinic, church = survey_round.actors[CLINIC], survey_round.actors[CHURCH]
    response = world.client_for("partner").post(
        _answer_url(survey_round, HEALTH_DEPT),
        {
            "step": "submit",
            "partner": [str(clinic.pk), str(church.pk)],
            f"p{clinic.pk}-intensity": "2",
            f"p{clinic.pk}-openness": "3",
            f"p{church.pk}-frequency": "monthly",
            "comment": "We meet at the fair.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f"{CHURCH}: choose how closely you work together." in html
    # What the member chose comes back as they chose it; nothing else is chosen.
    state = form_state(html)
    assert state.checked == [f"p{clinic.pk}-intensity=2"]
    assert sorted(state.selected) == sorted(
        [f"p{clinic.pk}-openness=3", f"p{church.pk}-frequency=monthly"]
    )
    assert "We meet at the fair.</textarea>" in html
    with scope(coalition=world.a):
        assert not Tie.objects.filter(reported_by=survey_round.actors[HEALTH_DEPT]).exists()


def test_my_surveys_page_explains_who_answers_for_what(world: Any) -> None:
    survey_round = open_round(world)
    partner = world.client_for("partner").get(f"/c/{world.a.slug}/ecosystem/surveys/mine/")
    html = partner.content.decode()
    assert partner.status_code == 200 and f"<strong>{HEALTH_DEPT}</strong>" in html
    assert _answer_url(survey_round, HEALTH_DEPT) in html
    with scope(coalition=world.a):
        Membership.objects.filter(user=world.people["resident"]).update(organization="Block Club")
    resident = world.client_for("resident").get(f"/c/{world.a.slug}/ecosystem/surveys/mine/")
    html = resident.content.decode()
    assert "“Block Club”, which is not an actor on the coalition's map" in html
    assert "/surveys/answer/" not in html


def test_the_tactics_page_sends_partners_where_they_can_act(world: Any) -> None:
    open_round(world)
    for persona, expected in (("partner", "/ecosystem/surveys/mine/"), ("admin", "/surveys/")):
        client = world.client_for(persona)
        html = client.get(f"/c/{world.a.slug}/assessments/tactics/").content.decode()
        hrefs = re.findall(r'Evidence in CommonGround:</strong> <a href="([^"]+)"', html)
        assert hrefs
        survey_links = [h for h in hrefs if "/surveys/" in h]
        assert survey_links and all(h.endswith(expected) for h in survey_links)
        # Every evidence link opens for this person (none answers 403).
        for href in hrefs:
            assert client.get(href).status_code == 200, (persona, href)
