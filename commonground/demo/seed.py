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

FUNDER = Person(
    "morgan@shefund.example",
    "Morgan Ellis",
    "funder",
    "Southern Health Equity Fund",
)
FUNDER_SLUG = "southern-health-equity-fund"


@dataclass(frozen=True)
class Peer:
    """A further fictional coalition, in a real county, that shares with the demo funder."""

    slug: str
    name: str
    counties: str
    state: str
    mission: str
    scale: str
    population_type: str
    policy_context: str
    focus_areas: tuple[str, ...]
    year_founded: int
    people: tuple[Person, ...]
    actors: tuple[tuple[str, str], ...]  # (name, sector id)
    ties: tuple[tuple[int, int], ...]  # (from, to) positions in ``actors``
    measures: tuple[str, ...]  # what it shares with the funder


PEERS = (
    Peer(
        slug="chattahoochee-valley",
        name="Chattahoochee Valley Health Partnership",
        counties="13215, 13053",
        state="13",
        mission="Hospitals, clinics and neighborhood groups in Columbus and Cusseta closing "
        "the gaps in birth outcomes.",
        scale=Coalition.Scale.COUNTY,
        population_type=Coalition.PopulationType.URBAN,
        policy_context="Georgia expanded Medicaid only partially (Pathways); the county "
        "health department leads the community health improvement plan.",
        focus_areas=("Maternal and infant health", "Access to primary care"),
        year_founded=2022,
        people=(
            Person(
                "nadia@cvhp.example",
                "Nadia Brooks",
                Role.BACKBONE_ADMIN,
                "Chattahoochee Valley Health Partnership",
            ),
            Person("victor@midtownclinic.example", "Victor Hale", Role.PARTNER, "Midtown Clinic"),
            Person(
                "elena@cvhp.example", "Elena Cruz", Role.COMMUNITY_MEMBER, "Neighborhood council"
            ),
        ),
        actors=(
            ("Columbus Regional Hospital", "hospital_health_system"),
            ("Midtown Clinic", "community_health_center"),
            ("Muscogee County Health Department", "public_health_department"),
            ("South Columbus Neighborhood Council", "social_services"),
            ("Valley Behavioral Health", "behavioral_health"),
            ("Chattahoochee Health Plan", "payer_health_plan"),
        ),
        ties=((0, 1), (1, 0), (1, 2), (2, 1), (2, 3), (3, 2), (0, 5), (4, 1), (3, 4)),
        measures=(
            "ecosystem.density",
            "ecosystem.response_rate",
            "measurement.headline_gap",
            "assessments.stage",
        ),
    ),
    Peer(
        slug="delta-roots",
        name="Delta Roots Health Alliance",
        counties="28151, 28011, 28133",
        state="28",
        mission="Churches, clinics and growers across three Delta counties working on "
        "chronic disease and food access.",
        scale=Coalition.Scale.REGIONAL,
        population_type=Coalition.PopulationType.RURAL,
        policy_context="Mississippi has not expanded Medicaid; two of the three counties "
        "have lost their obstetric units since 2015.",
        focus_areas=("Chronic disease and food access", "Maternal and infant health"),
        year_founded=2020,
        people=(
            Person(
                "lorraine@deltaroots.example",
                "Lorraine Tate",
                Role.BACKBONE_ADMIN,
                "Delta Roots Health Alliance",
            ),
            Person("samuel@deltachc.example", "Samuel Okafor", Role.PARTNER, "Delta Health Center"),
            Person(
                "bea@deltaroots.example", "Bea Simmons", Role.COMMUNITY_MEMBER, "Growers' circle"
            ),
        ),
        actors=(
            ("Delta Health Center", "community_health_center"),
            ("Greenville Regional Hospital", "hospital_health_system"),
            ("Mississippi Delta Public Health District", "public_health_department"),
            ("Sunflower Growers' Cooperative", "social_services"),
            ("Bolivar County Health Plan", "payer_health_plan"),
        ),
        ties=((0, 1), (0, 2), (2, 0), (3, 0), (1, 4)),
        measures=("ecosystem.density", "measurement.headline_gap"),
    ),
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
        FUNDER,
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
    _funder_and_peers(river_region)
    return DemoSummary(created=True, sign_ins=sign_ins)


def _peer(peer: Peer) -> Coalition:
    """A peer coalition with members, a small network and real public data for its state."""
    from commonground.ecosystem import services as ecosystem
    from commonground.lib.paths import shared_data_dir
    from commonground.measurement import services as measurement
    from commonground.measurement.models import ImportJob

    admin = _user(peer.people[0])
    coalition = services.create_coalition(
        creator=admin,
        name=peer.name,
        slug=peer.slug,
        places=services.parse_places(counties=peer.counties),
        mission=peer.mission,
        geographic_scale=peer.scale,
        population_type=peer.population_type,
        policy_context=peer.policy_context,
        focus_areas=list(peer.focus_areas),
        year_founded=peer.year_founded,
    )
    for person in peer.people[1:]:
        _seat(coalition, person)
    actors = [
        ecosystem.create_actor(coalition=coalition, user=admin, name=name, sector_id=sector)
        for name, sector in peer.actors
    ]
    data = shared_data_dir() / "chrr"
    with scope(coalition=coalition):
        for source, target in peer.ties:
            ecosystem.record_tie(
                coalition=coalition, user=admin, from_actor=actors[source], to_actor=actors[target]
            )
        for path, layout, period, code in (
            (data / "v147_other_r2024_wide.csv", ImportJob.Layout.CHR_WIDE, "2020-2022", ""),
            (data / "v037_singlerace_how.csv", ImportJob.Layout.CHR_COUNTS, "2016-2022", "v037"),
        ):
            job = measurement.import_path(
                coalition=coalition,
                actor=admin,
                path=path,
                layout=layout,
                period=period,
                indicator_code=code,
                only_states=(peer.state,),
            )
            if job.status != ImportJob.Status.SUCCEEDED:
                raise RuntimeError(f"demo import of {path.name} failed: {job.problems}")
    return coalition


def _funder_and_peers(river_region: Coalition) -> None:
    """The demo funder, and the coalitions that share headline measures with it."""
    if not apps.is_installed("commonground.reports"):
        return
    from commonground.reports import services as reports
    from commonground.reports.models import Intermediary

    fund = Intermediary.objects.create(
        name=FUNDER.organization, slug=FUNDER_SLUG, kind=Intermediary.Kind.FUNDER
    )
    fund.users.add(_user(FUNDER))
    shared: list[tuple[Coalition, tuple[str, ...]]] = [
        (
            river_region,
            (
                "ecosystem.density",
                "ecosystem.response_rate",
                "measurement.headline_gap",
                "assessments.stage",
                "governance.community_power_share",
                "funding.hhi",
                "funding.runway_months",
                "voice.survey_response_rate",
            ),
        )
    ]
    shared += [(_peer(peer), peer.measures) for peer in PEERS]
    for coalition, keys in shared:
        with scope(coalition=coalition):
            admin = (
                Membership.objects.filter(coalition=coalition, role=Role.BACKBONE_ADMIN)
                .select_related("user")
                .first()
            )
            reports.save_consent(
                coalition=coalition,
                actor=admin.user if admin else None,
                intermediary=fund,
                share_profile=True,
                measure_keys=[key for key in keys if _is_measure(key)],
            )


def _is_measure(key: str) -> bool:
    from commonground.reports.registry import get_measure

    return get_measure(key) is not None


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
