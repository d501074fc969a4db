"""The demo: a fictional regional collaborative placed in real Alabama counties, and a
second, smaller coalition so that isolation between tenants can be seen.

Every person, organization and story here is invented; places and public data are real.
Each capability adds its part to the same demo coalition through a ``seed_*`` function.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from django.apps import apps
from django.db import transaction
from django_scopes import scope

from commonground.accounts.models import User
from commonground.coalitions import services
from commonground.coalitions.models import Coalition, Membership

DEMO_PASSWORD = "commonground-demo"  # noqa: S105  (printed by `commonground demo`)
DEMO_SLUG = "river-region"
SECOND_SLUG = "northside"
Role = Membership.Role


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    role: str
    organization: str


RIVER_REGION_PEOPLE = (
    Person(
        "alicia@riverregion.example",
        "Alicia Moreno",
        Role.BACKBONE_ADMIN,
        "River Region Health Collaborative",
    ),
    Person(
        "marcus@riverregion.example",
        "Marcus Reed",
        Role.BACKBONE_ADMIN,
        "River Region Health Collaborative",
    ),
    Person(
        "priya@capitalcitymed.example",
        "Priya Natarajan",
        Role.PARTNER,
        "Capital City Medical Center",
    ),
    Person(
        "james@rrphd.example",
        "James Whitfield",
        Role.PARTNER,
        "River Region Public Health District",
    ),
    Person(
        "lena@riversidechc.example", "Lena Ortiz", Role.PARTNER, "Riverside Community Health Center"
    ),
    Person("darnell@mhp.example", "Darnell Brooks", Role.PARTNER, "Montgomery Housing Partnership"),
    Person(
        "ruth@mtzion.example", "Rev. Ruth Coleman", Role.PARTNER, "Greater Mt. Zion Baptist Church"
    ),
    Person(
        "denise@residents.example",
        "Denise Harris",
        Role.COMMUNITY_MEMBER,
        "Community Advisory Council",
    ),
    Person(
        "jose@residents.example",
        "José Ramírez",
        Role.COMMUNITY_MEMBER,
        "Community Advisory Council",
    ),
    Person(
        "tamika@residents.example",
        "Tamika Jones",
        Role.COMMUNITY_MEMBER,
        "Community Advisory Council",
    ),
    Person("helen@rrcf.example", "Helen Park", Role.VIEWER, "River Region Community Foundation"),
)

NORTHSIDE_PEOPLE = (
    Person(
        "grace@northside.example",
        "Grace Lee",
        Role.BACKBONE_ADMIN,
        "Northside Neighbors for Health",
    ),
    Person("omar@northside.example", "Omar Hassan", Role.PARTNER, "Folwell Family Clinic"),
    Person("kim@northside.example", "Kim Nguyen", Role.COMMUNITY_MEMBER, "Jordan Block Club"),
)


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    sign_ins: tuple[Person, ...]


def _user(person: Person) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User.objects.create_user(person.email, DEMO_PASSWORD, display_name=person.name)
    return user


def _seat(coalition: Coalition, person: Person) -> None:
    with scope(coalition=coalition):
        Membership.objects.get_or_create(
            coalition=coalition,
            user=_user(person),
            defaults={"role": person.role, "organization": person.organization},
        )


def _river_region() -> Coalition:
    admin = _user(RIVER_REGION_PEOPLE[0])
    places = services.parse_places(counties="01101, 01001, 01051, 01085, 01087, 01011")
    coalition = services.create_coalition(
        creator=admin,
        name="River Region Health Collaborative",
        slug=DEMO_SLUG,
        places=places,
        mission=(
            "Close the gaps in how long and how well people live across the River Region, "
            "starting where the gaps are widest: the Black Belt counties and West Montgomery."
        ),
        geographic_scale=Coalition.Scale.REGIONAL,
        population_type=Coalition.PopulationType.MIXED,
        policy_context=(
            "Alabama has not expanded Medicaid. The state health improvement plan names "
            "infant mortality and chronic disease; two counties have no hospital."
        ),
        focus_areas=[
            "Maternal and infant health",
            "Chronic disease and food access",
            "Housing stability",
            "Transportation to care",
        ],
        year_founded=2021,
        initiatives=(
            "Community health worker network with the FQHC; faith-based blood-pressure checks; "
            "a rides-to-care pilot with River Region Transit."
        ),
    )
    with scope(coalition=coalition):
        Membership.objects.filter(coalition=coalition, user=admin).update(
            organization=RIVER_REGION_PEOPLE[0].organization
        )
    for person in RIVER_REGION_PEOPLE[1:]:
        _seat(coalition, person)
    return coalition


def _northside() -> Coalition:
    admin = _user(NORTHSIDE_PEOPLE[0])
    coalition = services.create_coalition(
        creator=admin,
        name="Northside Neighbors for Health",
        slug=SECOND_SLUG,
        places=services.parse_places(counties="27053", neighborhoods="Near North\nFolwell\nJordan"),
        mission="Neighbors, clinics and block clubs working on asthma and safe housing.",
        geographic_scale=Coalition.Scale.NEIGHBORHOOD,
        population_type=Coalition.PopulationType.URBAN,
        focus_areas=["Asthma", "Safe and healthy homes"],
        year_founded=2023,
    )
    for person in NORTHSIDE_PEOPLE[1:]:
        _seat(coalition, person)
    # The demo admin also sits on Northside as a viewer (a peer-learning exchange), so the
    # coalition switcher has two entries to switch between.
    _seat(coalition, Person(RIVER_REGION_PEOPLE[0].email, "", Role.VIEWER, "Peer exchange"))
    return coalition


@transaction.atomic
def seed_demo() -> DemoSummary:
    """Create the demo coalitions once; running it again changes nothing."""
    sign_ins = (
        RIVER_REGION_PEOPLE[0],
        RIVER_REGION_PEOPLE[2],
        RIVER_REGION_PEOPLE[7],
        NORTHSIDE_PEOPLE[0],
    )
    if Coalition.objects.filter(slug=DEMO_SLUG).exists():
        return DemoSummary(created=False, sign_ins=sign_ins)
    river_region = _river_region()
    northside = _northside()
    for module in capability_demos():
        with scope(coalition=river_region):
            module.seed_river_region(river_region)
        if hasattr(module, "seed_northside"):
            with scope(coalition=northside):
                module.seed_northside(northside)
    return DemoSummary(created=True, sign_ins=sign_ins)


def capability_demos() -> list[ModuleType]:
    """Each app's ``demo_data`` module, which adds its part of the story to the demo.

    A module defines ``seed_river_region(coalition)`` and may define
    ``seed_northside(coalition)``; both run inside the coalition's scope.
    """
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("commonground."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.demo_data"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo_data":
                raise
    return modules
