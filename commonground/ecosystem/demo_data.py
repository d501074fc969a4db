"""The demo ecosystem: about 60 fictional actors of the River Region (Montgomery, Alabama
area), their ties from a partly answered partner network survey, and two snapshots a year
apart. Every organization is invented. Deterministic: a fixed seed drives every choice.

Tribal nations, transportation and life sciences are plainly missing from the table, and
the one health plan has no tie to the coalition core.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, replace
from datetime import timedelta

from django.utils import timezone
from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.ecosystem import selectors, services
from commonground.ecosystem.domain import model as domain
from commonground.ecosystem.models import Actor, Tie

SEED = 2026
ORG, GROUP, PLACE = Actor.Kind.ORGANIZATION, Actor.Kind.GROUP, Actor.Kind.INFORMAL_PLACE


@dataclass(frozen=True)
class DemoActor:
    name: str
    sector: str
    kind: str = ORG
    roles: tuple[str, ...] = ()
    member: bool = False
    populations: tuple[str, ...] = ()
    community_led: bool = False
    scale: str = Actor.Scale.COUNTY
    contributions: tuple[str, ...] = ()
    invited: bool = False
    answers: bool = False
    influence: int | None = None
    alignment: int | None = None


A = DemoActor
RIVER_REGION: tuple[DemoActor, ...] = (
    A(
        "River Region Health Collaborative",
        "community_based_organization",
        roles=("convening", "learning"),
        member=True,
        scale="regional",
        contributions=("facilitation", "data", "staff"),
        invited=True,
        answers=True,
        influence=62,
        alignment=98,
    ),
    A(
        "Capital City Medical Center",
        "hospital_health_system",
        roles=("service_provision", "funding"),
        member=True,
        scale="regional",
        contributions=("funding", "data", "staff"),
        invited=True,
        answers=True,
        influence=92,
        alignment=70,
    ),
    A(
        "Southview Regional Hospital",
        "hospital_health_system",
        roles=("service_provision",),
        scale="regional",
        invited=True,
        influence=85,
        alignment=35,
    ),
    A(
        "River Region Public Health District",
        "public_health_department",
        roles=("service_provision", "learning", "convening"),
        member=True,
        scale="regional",
        contributions=("data", "expertise", "staff"),
        invited=True,
        answers=True,
        influence=78,
        alignment=90,
    ),
    A(
        "Autauga County Health Department",
        "public_health_department",
        roles=("service_provision",),
        contributions=("data",),
        invited=True,
        answers=True,
        influence=50,
        alignment=72,
    ),
    A(
        "Riverside Community Health Center",
        "community_health_center",
        roles=("service_provision", "advocating"),
        member=True,
        populations=("black", "latinx"),
        contributions=("staff", "community_connections"),
        invited=True,
        answers=True,
        influence=60,
        alignment=95,
    ),
    A(
        "Elmore County Family Clinic",
        "community_health_center",
        roles=("service_provision",),
        invited=True,
        answers=True,
        influence=35,
        alignment=75,
    ),
    A(
        "Black Belt Rural Health Clinic",
        "community_health_center",
        roles=("service_provision",),
        populations=("black",),
        invited=True,
        influence=30,
        alignment=85,
    ),
    A(
        "River Region Behavioral Health Authority",
        "behavioral_health",
        roles=("service_provision", "advising"),
        member=True,
        contributions=("expertise", "staff"),
        invited=True,
        answers=True,
        influence=55,
        alignment=80,
    ),
    A(
        "Hope Recovery Center",
        "behavioral_health",
        roles=("service_provision",),
        invited=True,
        answers=True,
        influence=25,
        alignment=82,
    ),
    A(
        "Crisis Line of Central Alabama",
        "behavioral_health",
        roles=("service_provision",),
        scale="state",
        invited=True,
    ),
    A(
        "Alabama River Health Plan",
        "payer_health_plan",
        roles=("funding",),
        scale="state",
        influence=88,
        alignment=30,
    ),
    A(
        "Family Support Services of the River Region",
        "social_services",
        roles=("service_provision",),
        contributions=("staff",),
        invited=True,
        answers=True,
        influence=40,
        alignment=80,
    ),
    A(
        "St. Jude Social Ministries",
        "social_services",
        roles=("service_provision",),
        populations=("immigrant_refugee", "latinx"),
        invited=True,
        answers=True,
    ),
    A("Wetumpka Senior Center", "social_services", roles=("service_provision",), scale="municipal"),
    A(
        "Montgomery Housing Partnership",
        "housing",
        roles=("service_provision", "advocating"),
        member=True,
        contributions=("expertise", "in_kind"),
        invited=True,
        answers=True,
        influence=58,
        alignment=88,
    ),
    A(
        "Healthy Homes Alabama",
        "housing",
        roles=("advocating", "advising"),
        scale="state",
        invited=True,
        answers=True,
    ),
    A(
        "Montgomery Habitat Builders",
        "housing",
        roles=("service_provision",),
        contributions=("volunteers",),
        invited=True,
    ),
    A(
        "River Region Public Schools",
        "k12_schools",
        roles=("service_provision",),
        invited=True,
        influence=80,
        alignment=45,
    ),
    A("Elmore County Schools", "k12_schools", roles=("service_provision",)),
    A(
        "Head Start of the River Region",
        "early_childhood",
        roles=("service_provision",),
        populations=("black",),
        invited=True,
        answers=True,
    ),
    A(
        "Bright Start Early Learning",
        "early_childhood",
        roles=("service_provision", "advocating"),
        invited=True,
    ),
    A(
        "Alabama Riverside State University",
        "higher_education_research",
        roles=("learning", "advising"),
        member=True,
        scale="state",
        contributions=("data", "expertise"),
        invited=True,
        answers=True,
        influence=70,
        alignment=78,
    ),
    A(
        "Tuskegee Area Extension Office",
        "higher_education_research",
        roles=("learning",),
        scale="regional",
        invited=True,
        answers=True,
    ),
    A(
        "Tri-County Food Bank",
        "food",
        roles=("service_provision",),
        member=True,
        scale="regional",
        contributions=("in_kind", "volunteers"),
        invited=True,
        answers=True,
        influence=45,
        alignment=92,
    ),
    A(
        "Community Gardens of the River Region",
        "food",
        kind=GROUP,
        roles=("community_organizing",),
        community_led=True,
        scale="municipal",
        contributions=("volunteers",),
        invited=True,
        answers=True,
    ),
    A(
        "La Esperanza Tienda",
        "food",
        kind=PLACE,
        populations=("latinx", "immigrant_refugee"),
        community_led=True,
        scale="neighborhood",
        contributions=("community_connections",),
    ),
    A(
        "El Mercadito Bodega",
        "food",
        kind=PLACE,
        populations=("latinx",),
        community_led=True,
        scale="neighborhood",
    ),
    A(
        "Greater Mt. Zion Baptist Church",
        "faith_community",
        kind=PLACE,
        roles=("community_organizing", "convening"),
        member=True,
        populations=("black",),
        community_led=True,
        scale="neighborhood",
        contributions=("meeting_space", "volunteers", "community_connections"),
        invited=True,
        answers=True,
        influence=48,
        alignment=96,
    ),
    A(
        "Hayneville First AME Church",
        "faith_community",
        kind=PLACE,
        roles=("community_organizing",),
        populations=("black",),
        community_led=True,
        scale="municipal",
        invited=True,
    ),
    A(
        "Iglesia Nueva Vida",
        "faith_community",
        kind=PLACE,
        roles=("community_organizing",),
        populations=("latinx", "immigrant_refugee"),
        community_led=True,
        scale="neighborhood",
        invited=True,
        answers=True,
    ),
    A(
        "Prattville Church of Christ Food Pantry",
        "faith_community",
        kind=PLACE,
        roles=("service_provision",),
        scale="municipal",
    ),
    A(
        "Masjid As-Salam of Montgomery",
        "faith_community",
        kind=PLACE,
        roles=("community_organizing",),
        populations=("immigrant_refugee",),
        community_led=True,
        scale="municipal",
    ),
    A(
        "Fresh Cuts Barbershop",
        "business_chamber",
        kind=PLACE,
        roles=("amplifying",),
        populations=("black",),
        community_led=True,
        scale="neighborhood",
        contributions=("community_connections",),
        invited=True,
        answers=True,
    ),
    A(
        "Crowned Beauty Salon",
        "business_chamber",
        kind=PLACE,
        roles=("amplifying",),
        populations=("black",),
        community_led=True,
        scale="neighborhood",
    ),
    A(
        "Kingdom Kutz Barber Lounge",
        "business_chamber",
        kind=PLACE,
        populations=("black",),
        community_led=True,
        scale="neighborhood",
    ),
    A(
        "River Region Community Foundation",
        "philanthropy",
        roles=("funding", "convening"),
        member=True,
        scale="regional",
        contributions=("funding",),
        invited=True,
        answers=True,
        influence=82,
        alignment=86,
    ),
    A(
        "River Region United Way",
        "philanthropy",
        roles=("funding",),
        scale="regional",
        contributions=("funding",),
        invited=True,
        influence=75,
        alignment=65,
    ),
    A(
        "Alabama Black Belt Fund",
        "philanthropy",
        roles=("funding", "advocating"),
        scale="regional",
        populations=("black",),
        invited=True,
        answers=True,
    ),
    A(
        "City of Montgomery Office of Community Development",
        "local_government",
        roles=("funding",),
        scale="municipal",
        invited=True,
        answers=True,
        influence=86,
        alignment=55,
    ),
    A("Lowndes County Commission", "local_government", scale="county", influence=66, alignment=40),
    A("Macon County Commission", "local_government", scale="county", influence=60, alignment=50),
    A(
        "Montgomery County Reentry Office",
        "justice_law_enforcement",
        roles=("service_provision",),
        invited=True,
    ),
    A(
        "River Region Legal Aid",
        "justice_law_enforcement",
        roles=("advocating", "service_provision"),
        scale="regional",
        invited=True,
        answers=True,
    ),
    A(
        "Montgomery Police Community Liaison Unit",
        "justice_law_enforcement",
        scale="municipal",
        influence=70,
        alignment=30,
    ),
    A(
        "River Region Workforce Board",
        "workforce",
        roles=("funding", "convening"),
        scale="regional",
        invited=True,
        answers=True,
        influence=55,
        alignment=60,
    ),
    A("Second Chance Jobs Center", "workforce", roles=("service_provision",), invited=True),
    A(
        "Centro Latino del Río",
        "community_based_organization",
        roles=("community_organizing", "service_provision", "advocating"),
        populations=("latinx", "immigrant_refugee"),
        community_led=True,
        contributions=("community_connections",),
        invited=True,
        answers=True,
        influence=35,
        alignment=94,
    ),
    A(
        "River Region Doulas Collective",
        "community_based_organization",
        kind=GROUP,
        roles=("service_provision", "advocating"),
        populations=("black",),
        community_led=True,
        invited=True,
        answers=True,
        influence=22,
        alignment=97,
    ),
    A(
        "Community Health Workers Network",
        "community_based_organization",
        kind=GROUP,
        roles=("community_organizing", "service_provision"),
        member=True,
        community_led=True,
        scale="regional",
        contributions=("community_connections", "staff"),
        invited=True,
        answers=True,
        influence=40,
        alignment=95,
    ),
    A(
        "Millbrook Youth League",
        "community_based_organization",
        kind=GROUP,
        roles=("community_organizing",),
        scale="municipal",
    ),
    A(
        "Autauga Literacy Council",
        "community_based_organization",
        roles=("service_provision", "learning"),
        invited=True,
    ),
    A(
        "Community Advisory Council",
        "resident_group",
        kind=GROUP,
        roles=("advising", "community_organizing"),
        member=True,
        community_led=True,
        scale="regional",
        contributions=("community_connections", "advocacy"),
        invited=True,
        answers=True,
        influence=30,
        alignment=99,
    ),
    A(
        "West Montgomery Neighbors United",
        "resident_group",
        kind=GROUP,
        roles=("community_organizing", "advocating"),
        populations=("black",),
        community_led=True,
        scale="neighborhood",
        invited=True,
        answers=True,
        influence=28,
        alignment=90,
    ),
    A(
        "Mothers of West Montgomery",
        "resident_group",
        kind=GROUP,
        roles=("community_organizing",),
        populations=("black",),
        community_led=True,
        scale="neighborhood",
        invited=True,
    ),
    A(
        "WRRN Community Radio 89.1",
        "media",
        roles=("amplifying",),
        scale="regional",
        invited=True,
        answers=True,
        influence=52,
        alignment=74,
    ),
    A(
        "The Montgomery Advocate",
        "media",
        roles=("amplifying",),
        scale="regional",
        influence=68,
        alignment=50,
    ),
    A(
        "Radio Alegría 1400 AM",
        "media",
        roles=("amplifying",),
        populations=("latinx",),
        scale="regional",
    ),
)

# Ties the backbone recorded from what it knows, not from the survey (no ratings).
KNOWN_TIES: tuple[tuple[str, str, int], ...] = (
    ("Crowned Beauty Salon", "Greater Mt. Zion Baptist Church", 2),
    ("Kingdom Kutz Barber Lounge", "Fresh Cuts Barbershop", 1),
    ("Kingdom Kutz Barber Lounge", "Hayneville First AME Church", 2),
    ("El Mercadito Bodega", "La Esperanza Tienda", 2),
    ("La Esperanza Tienda", "Radio Alegría 1400 AM", 2),
    ("Radio Alegría 1400 AM", "Iglesia Nueva Vida", 2),
    ("Alabama River Health Plan", "Southview Regional Hospital", 3),
    ("Alabama River Health Plan", "Crisis Line of Central Alabama", 2),
    ("Elmore County Schools", "Millbrook Youth League", 2),
    ("Wetumpka Senior Center", "Prattville Church of Christ Food Pantry", 2),
    ("Lowndes County Commission", "Black Belt Rural Health Clinic", 2),
    ("Macon County Commission", "Tuskegee Area Extension Office", 2),
    ("Montgomery Police Community Liaison Unit", "Montgomery County Reentry Office", 3),
    ("Masjid As-Salam of Montgomery", "St. Jude Social Ministries", 2),
    ("The Montgomery Advocate", "City of Montgomery Office of Community Development", 1),
)

TYPE_WEIGHTS = {
    "information_sharing": 8,
    "referrals": 5,
    "shared_resources": 3,
    "joint_programs": 3,
    "funding": 2,
    "formal_agreement": 2,
    "data_sharing": 2,
}
# Actors no survey answer names: the health plan stays cut off from the core.
UNNAMED = frozenset(
    {"Alabama River Health Plan", "Lowndes County Commission", "Macon County Commission"}
)


def _pick_types(rng: random.Random, funder: bool) -> tuple[str, ...]:
    names = list(TYPE_WEIGHTS)
    chosen = set(rng.choices(names, weights=list(TYPE_WEIGHTS.values()), k=rng.randint(1, 3)))
    if funder and rng.random() < 0.6:
        chosen.add("funding")
    return tuple(sorted(chosen))


def _answers(
    rng: random.Random,
    respondent: DemoActor,
    spec: dict[str, DemoActor],
    ids: dict[str, int],
    quality: dict[str, float],
) -> list[services.TieAnswer]:
    candidates = [a for a in spec.values() if a.name != respondent.name and a.name not in UNNAMED]
    weights = [
        (4 if a.member else 1)
        * (2 if a.sector == respondent.sector else 1)
        * (1.5 if a.answers else 1)
        for a in candidates
    ]
    count = rng.randint(5, 11) if respondent.member else rng.randint(3, 7)
    partners: list[DemoActor] = []
    while len(partners) < count:
        pick = rng.choices(candidates, weights=weights)[0]
        if pick not in partners:
            partners.append(pick)
    answers = []
    for partner in partners:
        base = 2 + (1 if partner.member else 0) + (1 if respondent.member and partner.member else 0)
        intensity = max(1, min(4, base + rng.choice((-1, 0, 0, 1)) - 1))
        q = quality[partner.name]
        ratings = {
            dim: max(1, min(4, round(q + rng.uniform(-0.8, 0.8))))
            for dim in ("reliability", "mission_support", "openness")
        }
        influence = (partner.influence or 40) / 25
        ratings |= {
            "power_influence": max(1, min(4, round(influence + rng.uniform(-0.6, 0.6)))),
            "involvement": max(1, min(4, intensity + rng.choice((-1, 0, 0)))),
            "resource_contribution": max(1, min(4, round(q - 0.5 + rng.uniform(-1, 1)))),
        }
        answers.append(
            services.TieAnswer(
                partner_id=ids[partner.name],
                type_ids=_pick_types(rng, "funding" in partner.roles),
                intensity=intensity,
                frequency=rng.choice(("yearly", "quarterly", "monthly", "monthly", "weekly")),
                ratings=ratings,
            )
        )
    return answers


def _baseline(network: domain.Network, rng: random.Random) -> domain.Network:
    """The network a year earlier: fewer ties (mostly across sectors), a few since lost,
    slightly lower trust, and fewer respondents."""
    sectors = {a.id: a.sector for a in network.actors}
    kept = []
    for tie in network.ties:
        crosses = sectors[tie.source] != sectors[tie.target]
        if rng.random() < (0.42 if crosses else 0.15):
            continue
        ratings = {k: max(1, v - (1 if rng.random() < 0.35 else 0)) for k, v in tie.ratings.items()}
        kept.append(
            replace(
                tie, ratings=ratings, intensity=max(1, (tie.intensity or 2) - (rng.random() < 0.3))
            )
        )
    ids = [a.id for a in network.actors]
    existing = {(t.source, t.target) for t in network.ties}
    lost = 0
    while lost < 9:
        source, target = rng.sample(ids, 2)
        if (source, target) in existing:
            continue
        existing.add((source, target))
        kept.append(domain.Tie(source, target, frozenset({"information_sharing"}), intensity=1))
        lost += 1
    invited = network.invited or frozenset()
    reporters = frozenset(t.reported_by for t in kept if t.reported_by)
    respondents = frozenset(
        r for r in (network.respondents or frozenset()) if r in reporters and rng.random() < 0.8
    )
    kept = [t for t in kept if t.reported_by is None or t.reported_by in respondents]
    return domain.Network(
        actors=network.actors, ties=tuple(kept), invited=invited, respondents=respondents
    )


# Contact details of a few partners (fictional; 555-01xx numbers are reserved for fiction).
# Backbone admins and partners see them; community members and viewers do not
# (``commonground.ecosystem.policy``).
CONTACTS: dict[str, tuple[str, str, str]] = {
    "River Region Health Collaborative": (
        "Dana Whitfield",
        "dana.whitfield@rrhc.example.org",
        "(334) 555-0101",
    ),
    "Capital City Medical Center": (
        "Marcus Bell",
        "community.benefit@ccmc.example.org",
        "(334) 555-0142",
    ),
    "River Region Public Health District": (
        "Dr. Ana Reyes",
        "areyes@rrphd.example.org",
        "(334) 555-0177",
    ),
}


def seed_river_region(coalition: Coalition) -> None:
    rng = random.Random(SEED)
    spec = {a.name: a for a in RIVER_REGION}
    with scope(coalition=coalition):
        ids: dict[str, int] = {}
        for item in RIVER_REGION:
            contact_name, contact_email, contact_phone = CONTACTS.get(item.name, ("", "", ""))
            actor = services.create_actor(
                coalition=coalition,
                user=None,
                name=item.name,
                kind=item.kind,
                sector_id=item.sector,
                role_ids=list(item.roles),
                geographic_scale=item.scale,
                is_community_led=item.community_led,
                population_ids=list(item.populations),
                contribution_ids=list(item.contributions),
                is_coalition_member=item.member,
                influence=item.influence,
                alignment=item.alignment,
                contact_name=contact_name,
                contact_email=contact_email,
                contact_phone=contact_phone,
            )
            ids[item.name] = actor.pk
        actors = Actor.objects.in_bulk(list(ids.values()))
        for source, target, intensity in KNOWN_TIES:
            services.record_tie(
                coalition=coalition,
                user=None,
                from_actor=actors[ids[source]],
                to_actor=actors[ids[target]],
                type_ids=("information_sharing",),
                intensity=intensity,
            )
        quality = {name: rng.uniform(2.2, 3.8) for name in spec}
        invited = [actors[ids[a.name]] for a in RIVER_REGION if a.invited]
        _survey, links = services.create_survey(
            coalition=coalition, user=None, title="Partner network survey 2026", actors=invited
        )
        for invitation, token in links:
            item = spec[invitation.actor.name]
            if not item.answers:
                continue
            services.submit_network_survey(
                token=token,
                answers=_answers(rng, item, spec, ids, quality),
                contribution_ids=item.contributions,
            )
        today = timezone.localdate()
        current = selectors.build_network(coalition=coalition)
        services.take_snapshot(
            coalition=coalition,
            user=None,
            name="Baseline (first survey round)",
            taken_on=today - timedelta(days=365),
            network=_baseline(current, rng),
        )
        services.take_snapshot(coalition=coalition, user=None, name="A year later", taken_on=today)


NORTHSIDE: tuple[DemoActor, ...] = (
    A(
        "Northside Neighbors for Health",
        "community_based_organization",
        roles=("convening",),
        member=True,
        scale="neighborhood",
    ),
    A(
        "Folwell Family Clinic",
        "community_health_center",
        roles=("service_provision",),
        member=True,
        scale="neighborhood",
    ),
    A(
        "Jordan Block Club",
        "resident_group",
        kind=GROUP,
        roles=("community_organizing",),
        community_led=True,
        scale="neighborhood",
    ),
    A(
        "Near North Asthma Coalition",
        "community_based_organization",
        roles=("advocating",),
        scale="neighborhood",
    ),
    A(
        "Hennepin Healthy Homes Program",
        "public_health_department",
        roles=("service_provision",),
        scale="county",
    ),
    A(
        "Masjid An-Nur Northside",
        "faith_community",
        kind=PLACE,
        community_led=True,
        scale="neighborhood",
    ),
)


def seed_northside(coalition: Coalition) -> None:
    with scope(coalition=coalition):
        made = {}
        for item in NORTHSIDE:
            made[item.name] = services.create_actor(
                coalition=coalition,
                user=None,
                name=item.name,
                kind=item.kind,
                sector_id=item.sector,
                role_ids=list(item.roles),
                geographic_scale=item.scale,
                is_community_led=item.community_led,
                is_coalition_member=item.member,
            )
        names = [a.name for a in NORTHSIDE]
        for source, target in itertools.pairwise(names):
            services.record_tie(
                coalition=coalition,
                user=None,
                from_actor=made[source],
                to_actor=made[target],
                type_ids=("information_sharing",),
                intensity=Tie.Intensity.COOPERATION,
            )
