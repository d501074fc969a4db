"""Governance's part of the impact report: the section "governance.power" and the shared
measure "governance.community_power_share". No person's name appears: bodies, seat
types, shares and decisions only."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.governance import selectors
from commonground.reports.registry import (
    Measure,
    Period,
    Section,
    register_measure,
    register_section,
)


def _share(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def build_power_section(coalition: Coalition, period: Period) -> dict[str, Any]:
    """Power share per deciding body and for the coalition; the period's approved decisions."""
    with scope(coalition=coalition):
        found = selectors.power(coalition=coalition)
        decisions = list(
            selectors.list_decisions(
                coalition=coalition, since=period.start, until=period.end
            ).filter(result="approved")[:12]
        )
    bodies = [
        {
            "name": bp.body.name,
            "authority": bp.body.authority,
            "seats": bp.share.seats,
            "vacant": bp.share.vacant,
            "community_share": _share(bp.share.community_share),
            "community_share_filled": _share(bp.share.community_share_filled),
            "paid_community_share": _share(bp.share.paid_community_share),
            "below_target": bp.share.below_target,
        }
        for bp in found.bodies
        if bp.share is not None
    ]
    coalition_share = found.coalition
    key_decisions = [
        {"date": d.decided_on.isoformat(), "body": d.body.name, "title": d.title} for d in decisions
    ]
    return {
        "target": found.target,
        "coalition": None
        if coalition_share is None
        else {
            "community_share": _share(coalition_share.community_share),
            "community_share_filled": _share(coalition_share.community_share_filled),
            "below_target": coalition_share.below_target,
            "seats": coalition_share.seats,
            "vacant": coalition_share.vacant,
        },
        "bodies": bodies,
        "decisions": key_decisions,
        "tables": [
            {
                "title": "Community share of voting power",
                "columns": [
                    "body",
                    "authority",
                    "seats",
                    "vacant",
                    "community share",
                    "below target",
                ],
                "rows": [
                    [
                        b["name"],
                        b["authority"],
                        b["seats"],
                        b["vacant"],
                        b["community_share"],
                        b["below_target"],
                    ]
                    for b in bodies
                ],
            },
            {
                "title": "Key decisions",
                "columns": ["date", "body", "decision"],
                "rows": [[d["date"], d["body"], d["title"]] for d in key_decisions],
            },
        ],
    }


def community_power_share(coalition: Coalition) -> float | None:
    summary = selectors.power_summary(coalition=coalition)
    if summary is None or summary["community_share"] is None:
        return None
    return float(summary["community_share"])


register_section(
    Section(
        key="governance.power",
        title=gettext_lazy("Shared power"),
        build=build_power_section,
        template="governance/report_section.html",
        order=60,
        public=True,
        reads=("governance", "ecosystem"),
    )
)
register_measure(
    Measure(
        key="governance.community_power_share",
        label=gettext_lazy("Community share of voting power"),
        compute=community_power_share,
        kind="share",
    )
)
