"""The systems app's sections of the impact report: the system map's loops
("systems.map") and the anchor institutions' commitments ("systems.anchors").

Both hold plain JSON (no names of residents: factors, institutions and measures only).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.reports.registry import Period, Section, register_section
from commonground.systems import selectors


def build_map_section(coalition: Coalition, period: Period) -> dict[str, Any]:
    """The loops of the system map (up to 8 links), the factors on most loops, the leverage
    points and the large equity gaps the loops touch."""
    with scope(coalition=coalition):
        smap = selectors.system_map(coalition=coalition)
    loops: list[dict[str, Any]] = [
        {
            "code": v.code,
            "polarity": v.loop.polarity,
            "factors": list(v.loop.factors),
            "length": v.loop.length,
            "delays": v.loop.delays,
            "gaps": list(v.gap_indicators),
        }
        for v in smap.loops
    ]
    names = {f.pk: f.name for f in smap.factors}
    busiest = sorted(smap.counts.items(), key=lambda kv: (-kv[1], names[kv[0]]))[:5]
    return {
        "factors": len(smap.factors),
        "links": len(smap.links),
        "reinforcing": smap.reinforcing,
        "balancing": smap.balancing,
        "loops": loops,
        "busiest": [{"factor": names[pk], "loops": n} for pk, n in busiest],
        "leverage": [
            {
                "factor": f.name,
                "root_causes": list(item.root_causes),
                "outcomes": list(item.outcomes),
            }
            for f, item in smap.leverage[:5]
        ],
        "gaps": [{"indicator": g.name, "text": g.text} for g in smap.gaps],
        "tables": [
            {
                "title": _("Feedback loops"),
                "columns": [_("Loop"), _("Kind"), _("Links"), _("Delays"), _("Factors")],
                "rows": [
                    [
                        item["code"],
                        item["polarity"],
                        item["length"],
                        item["delays"],
                        " → ".join(item["factors"]),
                    ]
                    for item in loops
                ],
            }
        ],
    }


def build_anchors_section(coalition: Coalition, period: Period) -> dict[str, Any]:
    """Each anchor commitment with its target and its progress by period (periods that
    start after the report's end year are left out)."""
    end_year = str(period.end.year)
    with scope(coalition=coalition):
        views = selectors.commitment_views(coalition=coalition)
    commitments: list[dict[str, Any]] = []
    rows: list[list[Any]] = []
    for view in views:
        c = view.commitment
        periods = [p for p in view.periods if p.period[:4] <= end_year]
        latest = periods[-1] if periods else None
        item: dict[str, Any] = {
            "institution": c.institution.name,
            "kind": str(c.get_kind_display()),
            "measure": c.measure,
            "unit": c.unit,
            "baseline": c.baseline,
            "target": c.target_value,
            "target_period": c.target_period,
            "periods": [
                {"period": p.period, "value": p.value, "share": p.share, "met": p.met}
                for p in periods
            ],
            "latest_share": None if latest is None else latest.share,
            "latest_percent": None
            if latest is None or latest.share is None
            else round(100 * latest.share),
            "met": bool(latest and latest.met),
        }
        commitments.append(item)
        rows.extend(
            [c.institution.name, item["kind"], c.measure, c.target_value, p["period"], p["value"]]
            for p in item["periods"]
        )
    return {
        "commitments": commitments,
        "institutions": len({c["institution"] for c in commitments}),
        "tables": [
            {
                "title": _("Anchor commitments"),
                "columns": [
                    _("Institution"),
                    _("Commitment"),
                    _("Measure"),
                    _("Target"),
                    _("Period"),
                    _("Value"),
                ],
                "rows": rows,
            }
        ],
    }


register_section(
    Section(
        key="systems.map",
        title=gettext_lazy("Root causes and feedback loops"),
        build=build_map_section,
        template="systems/report_map.html",
        order=80,
        public=True,
        reads=("systems", "governance", "measurement"),
    )
)
register_section(
    Section(
        key="systems.anchors",
        title=gettext_lazy("Anchor institutions' commitments"),
        build=build_anchors_section,
        template="systems/report_anchors.html",
        order=82,
        public=True,
        reads=("systems", "ecosystem"),
    )
)
