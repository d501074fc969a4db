"""Small builders for funding tests (each runs inside the coalition's scope)."""

from __future__ import annotations

from datetime import date
from typing import Any

from commonground.coalitions.models import Coalition
from commonground.ecosystem.models import Actor
from commonground.funding import services
from commonground.funding.models import FundingSource


def actor(coalition: Coalition, name: str = "West End Mothers", **extra: Any) -> Actor:
    values: dict[str, Any] = {"sector_id": "community_based_organization"} | extra
    return Actor.objects.create(coalition=coalition, name=name, **values)


def source(coalition: Coalition, name: str = "Founding grant", **extra: Any) -> FundingSource:
    values: dict[str, Any] = {
        "kind": "private_philanthropy",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "amount": "120000",
    } | extra
    return services.add_source(coalition=coalition, actor=None, name=name, **values)
