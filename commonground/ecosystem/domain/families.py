"""Sector families: the 23 sectors gathered into seven groups a map reader can tell apart.

Twenty-three colours cannot be told apart on a map, so the map, its legend and the power
map draw each actor in the colour *and* the shape of its sector's family. Shapes keep the
families distinct for readers who do not see colour (and in print); each colour has at
least 3:1 contrast against white, the minimum for graphics (WCAG 2.2, 1.4.11).

``symbol`` names one of d3's seven fill symbols (``d3.symbolsFill``): circle, cross,
diamond, square, star, triangle, wye. An actor of an unknown or missing sector belongs
to :data:`OTHER`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from commonground.framework.types import Text

OTHER = "other"


@dataclass(frozen=True, slots=True)
class Family:
    """A group of related sectors, drawn in one colour and one shape."""

    id: str
    order: int
    name: Text
    color: str
    symbol: str
    sector_ids: tuple[str, ...]


FAMILIES: tuple[Family, ...] = (
    Family(
        "health_care",
        1,
        Text(en="Health care", es="Atención médica"),
        "#b8312f",
        "circle",
        (
            "hospital_health_system",
            "community_health_center",
            "behavioral_health",
            "payer_health_plan",
        ),
    ),
    Family(
        "public_health_government",
        2,
        Text(en="Public health and government", es="Salud pública y gobierno"),
        "#1f5fa8",
        "square",
        (
            "public_health_department",
            "local_government",
            "justice_law_enforcement",
            "transportation",
            "tribal_nation",
        ),
    ),
    Family(
        "social_services_housing",
        3,
        Text(en="Social services and housing", es="Servicios sociales y vivienda"),
        "#1b7a4f",
        "triangle",
        ("social_services", "housing", "food", "workforce"),
    ),
    Family(
        "education",
        4,
        Text(en="Education", es="Educación"),
        "#7a45a8",
        "diamond",
        ("k12_schools", "early_childhood", "higher_education_research"),
    ),
    Family(
        "community_faith",
        5,
        Text(en="Community and faith", es="Comunidad y fe"),
        "#a85a00",
        "star",
        ("community_based_organization", "resident_group", "faith_community"),
    ),
    Family(
        "business_funders",
        6,
        Text(en="Business and funders", es="Empresas y financiadores"),
        "#6b6300",
        "wye",
        ("business_chamber", "philanthropy", "life_sciences"),
    ),
    Family(
        OTHER,
        7,
        Text(en="Other", es="Otros"),
        "#5c6570",
        "cross",
        ("media",),
    ),
)

FAMILIES_BY_ID: Mapping[str, Family] = MappingProxyType({f.id: f for f in FAMILIES})

#: Sector id → family id, for every sector of the taxonomy.
FAMILY_OF_SECTOR: Mapping[str, str] = MappingProxyType(
    {sector_id: family.id for family in FAMILIES for sector_id in family.sector_ids}
)


def family_of(sector_id: str | None) -> Family:
    """Return the family of ``sector_id``; unknown or missing sectors are :data:`OTHER`.

    >>> family_of("faith_community").name.en
    'Community and faith'
    >>> family_of(None).id
    'other'
    """
    return FAMILIES_BY_ID[FAMILY_OF_SECTOR.get(sector_id or "", OTHER)]


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour, from 0 (black) to 1 (white).

    >>> relative_luminance("#ffffff"), relative_luminance("#000000")
    (1.0, 0.0)
    """
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(color: str) -> float:
    """WCAG contrast ratio of ``color`` against white: (1 + 0.05) / (L + 0.05).

    >>> round(contrast_with_white("#767676"), 2)
    4.54
    """
    return 1.05 / (relative_luminance(color) + 0.05)
