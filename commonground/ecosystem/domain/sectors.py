"""The sector taxonomy of a multi-sector health-equity coalition.

Ids are stable: snapshots, filters and stored reports refer to them, so an id is
never renamed once published (add a new one and retire the old instead).

``often_missing`` marks the sectors that coalitions most often leave out of the
table (faith communities, business, schools, transit, tribal nations), so that
:mod:`commonground.ecosystem.domain.missing` can call them out by name.

Being Latinx-serving is *not* a sector: a Latinx-serving organization can be an
FQHC, a church, a community-based organization or a school. It is an attribute
of the actor (``Actor.populations_served`` containing ``"latinx"``), described
by :data:`POPULATIONS`, so that an actor keeps its one sector and the coalition
can still ask "is any Latinx-serving organization at the table, and tied to the
core?".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from commonground.framework.types import Text


@dataclass(frozen=True, slots=True)
class Sector:
    """One sector of the taxonomy."""

    id: str
    order: int
    name: Text
    often_missing: bool = False


@dataclass(frozen=True, slots=True)
class Population:
    """A population an actor is organized to serve (an actor attribute, not a sector)."""

    id: str
    name: Text
    often_missing: bool = False


def _sector(order: int, id: str, en: str, es: str, *, often_missing: bool = False) -> Sector:
    return Sector(id=id, order=order, name=Text(en=en, es=es), often_missing=often_missing)


SECTORS: tuple[Sector, ...] = (
    _sector(
        1, "hospital_health_system", "Hospital or health system", "Hospital o sistema de salud"
    ),
    _sector(
        2,
        "community_health_center",
        "FQHC or community health center",
        "Centro de salud comunitario (FQHC)",
    ),
    _sector(3, "behavioral_health", "Behavioral health", "Salud conductual"),
    _sector(
        4, "public_health_department", "Public health department", "Departamento de salud pública"
    ),
    _sector(5, "payer_health_plan", "Payer or health plan", "Aseguradora o plan de salud"),
    _sector(6, "social_services", "Social services", "Servicios sociales"),
    _sector(7, "housing", "Housing", "Vivienda"),
    _sector(8, "k12_schools", "K-12 schools", "Escuelas (K-12)", often_missing=True),
    _sector(9, "early_childhood", "Early childhood", "Primera infancia"),
    _sector(
        10,
        "higher_education_research",
        "Higher education or research",
        "Educación superior o investigación",
    ),
    _sector(11, "transportation", "Transportation", "Transporte", often_missing=True),
    _sector(12, "food", "Food", "Alimentación"),
    _sector(13, "faith_community", "Faith community", "Comunidad de fe", often_missing=True),
    _sector(
        14,
        "business_chamber",
        "Business or chamber of commerce",
        "Empresas o cámara de comercio",
        often_missing=True,
    ),
    _sector(15, "philanthropy", "Philanthropy", "Filantropía"),
    _sector(
        16,
        "local_government",
        "Local government or elected officials",
        "Gobierno local o funcionarios electos",
    ),
    _sector(
        17,
        "justice_law_enforcement",
        "Justice or law enforcement",
        "Justicia o fuerzas del orden",
    ),
    _sector(18, "workforce", "Workforce development", "Desarrollo laboral"),
    _sector(
        19,
        "community_based_organization",
        "Community-based organization",
        "Organización comunitaria",
    ),
    _sector(20, "resident_group", "Resident group", "Grupo de residentes"),
    _sector(21, "tribal_nation", "Tribal nation", "Nación tribal", often_missing=True),
    _sector(22, "media", "Media", "Medios de comunicación"),
    _sector(23, "life_sciences", "Life sciences", "Ciencias de la vida"),
)

SECTORS_BY_ID: Mapping[str, Sector] = MappingProxyType({s.id: s for s in SECTORS})

POPULATIONS: tuple[Population, ...] = (
    Population(
        id="latinx",
        name=Text(en="Latinx-serving", es="Al servicio de la comunidad latina"),
        often_missing=True,
    ),
    Population(
        id="native",
        name=Text(en="Native-serving", es="Al servicio de pueblos indígenas"),
        often_missing=True,
    ),
    Population(
        id="black",
        name=Text(en="Black-serving", es="Al servicio de la comunidad afroamericana"),
    ),
    Population(
        id="immigrant_refugee",
        name=Text(
            en="Immigrant- and refugee-serving", es="Al servicio de inmigrantes y refugiados"
        ),
    ),
)

POPULATIONS_BY_ID: Mapping[str, Population] = MappingProxyType({p.id: p for p in POPULATIONS})


def get_sector(sector_id: str) -> Sector:
    """Return the sector with ``sector_id``; raise ``KeyError`` naming it when unknown.

    >>> get_sector("faith_community").name.get("es")
    'Comunidad de fe'
    """
    try:
        return SECTORS_BY_ID[sector_id]
    except KeyError:
        raise KeyError(f"unknown sector id: {sector_id!r}") from None
