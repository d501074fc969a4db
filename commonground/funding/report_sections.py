"""Funding's part of the impact report: the section "funding.mix" and two shared measures."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.funding import selectors
from commonground.funding.domain import months
from commonground.funding.models import FundingKind
from commonground.reports.registry import (
    Measure,
    Period,
    Section,
    register_measure,
    register_section,
)


def build_mix_section(coalition: Coalition, period: Period) -> dict[str, Any]:
    """The mix (shares by type), concentration, runway and the cliff, as plain JSON. No
    person's name appears; funders are organizations."""
    with scope(coalition=coalition):
        picture = selectors.stability(coalition=coalition, on=period.end)
    summary = picture.summary
    mix = [
        {"type": kind, "label": str(FundingKind(kind).label), "share": float(share)}
        for kind, share in summary.mix.items()
    ]
    timeline = [
        {
            "month": months.label(p.month),
            "secured": float(p.secured),
            "below_budget": p.below_budget,
        }
        for p in summary.timeline
    ]
    return {
        "total": float(summary.total),
        "mix": mix,
        "hhi": None if summary.hhi is None else float(summary.hhi),
        "largest_source_share": None
        if summary.largest_source_share is None
        else float(summary.largest_source_share),
        "time_limited_share": None
        if summary.time_limited_share is None
        else float(summary.time_limited_share),
        "runway_months": summary.runway_months,
        "cliff_month": None if summary.cliff_month is None else months.label(summary.cliff_month),
        "monthly_budget": None if summary.monthly_budget is None else float(summary.monthly_budget),
        "flags": list(summary.flags),
        "timeline": timeline,
        "tables": [
            {
                "title": "Funding mix",
                "columns": ["type", "share"],
                "rows": [
                    [str(FundingKind(k).label), round(float(v), 4)] for k, v in summary.mix.items()
                ],
            },
            {
                "title": "Secured money by month",
                "columns": ["month", "secured", "below budget"],
                "rows": [
                    [months.label(p.month), round(float(p.secured), 2), p.below_budget]
                    for p in summary.timeline
                ],
            },
        ],
    }


def _headline(coalition: Coalition) -> dict[str, Any] | None:
    with scope(coalition=coalition):
        return selectors.funding_headline(coalition=coalition)


def hhi_measure(coalition: Coalition) -> float | None:
    headline = _headline(coalition)
    return None if headline is None else headline["hhi"]


def runway_measure(coalition: Coalition) -> int | None:
    headline = _headline(coalition)
    return None if headline is None else headline["runway_months"]


register_section(
    Section(
        key="funding.mix",
        title=gettext_lazy("Funding mix and the cliff"),
        build=build_mix_section,
        template="funding/report_section.html",
        order=64,
        public=True,
        reads=("funding", "ecosystem"),
    )
)
register_measure(
    Measure(
        key="funding.hhi",
        label=gettext_lazy("Funding concentration (HHI)"),
        compute=hhi_measure,
        kind="number",
    )
)
register_measure(
    Measure(
        key="funding.runway_months",
        label=gettext_lazy("Funding runway (months)"),
        compute=runway_measure,
        kind="months",
    )
)
