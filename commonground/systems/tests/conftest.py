from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django_scopes import scope

from commonground.ecosystem.models import Actor
from commonground.systems import services
from commonground.systems.models import CausalLink, Factor


@dataclass
class Map:
    factors: dict[str, Factor]
    links: dict[tuple[str, str], CausalLink]
    hospital: Actor


HOUSING_LOOP = (
    ("Housing instability", "Stress", "+", False),
    ("Stress", "Chronic illness", "+", True),
    ("Chronic illness", "Medical debt", "+", False),
    ("Medical debt", "Housing instability", "+", False),
    ("Chronic illness", "CHW outreach", "+", False),
    ("CHW outreach", "Chronic illness", "-", True),
    ("Low wages", "Housing instability", "+", False),
    ("Chronic illness", "Early death", "+", False),
)
KINDS = {"Low wages": "root_cause", "Early death": "outcome", "CHW outreach": "policy"}


@pytest.fixture
def housing_map(world: Any) -> Map:
    """Coalition A's map: the reinforcing housing loop and a balancing loop with a delay
    sharing "Chronic illness", a root cause and an outcome."""
    admin = world.people["admin"]
    with scope(coalition=world.a):
        names = sorted({n for link in HOUSING_LOOP for n in link[:2]})
        factors = {
            n: services.create_factor(
                coalition=world.a, actor=admin, name=n, kind=KINDS.get(n, "condition")
            )
            for n in names
        }
        links = {
            (s, t): services.create_link(
                coalition=world.a,
                actor=admin,
                source=factors[s],
                target=factors[t],
                polarity=p,
                has_delay=d,
                evidence=f"{s} drives {t}",
            )
            for s, t, p, d in HOUSING_LOOP
        }
        hospital = Actor.objects.create(
            coalition=world.a, name="Valley Medical Center", sector_id="hospital_health_system"
        )
    return Map(factors, links, hospital)
