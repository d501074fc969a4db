"""A survey round on coalition A of the ``world`` fixture, shared by the test_survey_* files.

Four partners are invited: two with a contact e-mail, one answered for by the ``partner``
persona (its membership's organization is the actor's name; it prefers Spanish), and one
nobody can be written to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django_scopes import scope

from commonground.coalitions.models import Membership
from commonground.ecosystem import services
from commonground.ecosystem.models import Actor, NetworkSurvey, SurveyInvitation

LINK = re.compile(r"https?://[^\s\"<>]+/network-survey/[\w-]+/")


@dataclass
class Round:
    world: Any
    survey: NetworkSurvey
    actors: dict[str, Actor]
    tokens: dict[str, str]  # actor name -> the token made when the round opened
    links: list[tuple[SurveyInvitation, str]]  # as create_survey returned them

    def invitation(self, name: str) -> SurveyInvitation:
        with scope(coalition=self.world.a):
            return SurveyInvitation.objects.get(survey=self.survey, actor=self.actors[name])


CLINIC, CHURCH, FOOD_BANK, HEALTH_DEPT = (
    "Riverside Clinic",
    "Hilltop Church",
    "Northside Food Bank",
    "County Health Department",
)


def make_actors(world: Any) -> dict[str, Actor]:
    coalition = world.a
    specs = (
        (CLINIC, "community_health_center", "Rosa Díaz", "clinic@riverside.example"),
        (CHURCH, "faith_community", "", ""),
        (FOOD_BANK, "food", "", "food@northside.example"),
        (HEALTH_DEPT, "public_health_department", "", ""),
    )
    with scope(coalition=coalition):
        actors = {
            name: services.create_actor(
                coalition=coalition,
                user=None,
                name=name,
                sector_id=sector,
                contact_name=contact,
                contact_email=email,
            )
            for name, sector, contact, email in specs
        }
        Membership.objects.filter(coalition=coalition, user=world.people["partner"]).update(
            organization=HEALTH_DEPT
        )
    partner = world.people["partner"]
    partner.preferred_language = "es"
    partner.save(update_fields=["preferred_language"])
    return actors


def open_round(world: Any, title: str = "Network survey 2026") -> Round:
    actors = make_actors(world)
    survey, links = services.create_survey(
        coalition=world.a, user=world.people["admin"], title=title, actors=list(actors.values())
    )
    tokens = {invitation.actor.name: token for invitation, token in links}
    return Round(world=world, survey=survey, actors=actors, tokens=tokens, links=links)


def links_in(text: str) -> list[str]:
    return LINK.findall(text)
