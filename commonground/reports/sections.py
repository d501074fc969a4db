"""The report sections and shared measures of the apps that came before reports.

Each reads its app only through that app's selectors (and framework content) and returns
plain JSON: numbers, strings in the active language, lists and dicts. No person's name
appears in any of them (partners' organizations are not named either: the network map
draws actors as unlabelled dots), and every equity value comes from the measurement
selectors, which already leave suppressed cells empty.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from commonground import framework
from commonground.assessments import selectors as assessments
from commonground.coalitions import roadmap
from commonground.coalitions import selectors as coalitions
from commonground.coalitions.models import Coalition
from commonground.ecosystem import selectors as ecosystem
from commonground.ecosystem.domain.sectors import SECTORS_BY_ID
from commonground.measurement import selectors as measurement
from commonground.reports.domain import charts
from commonground.reports.registry import (
    Measure,
    Period,
    Section,
    register_measure,
    register_section,
)

HEADLINE_INDICATORS = 3
"""The equity section shows the widest gaps of at most this many indicators."""


def _lang() -> str:
    return (get_language() or "en")[:2]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _signed(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    text = f"{value:+.{digits}f}"
    return text.replace("-", "−")


# ------------------------------------------------------------------ profile


def build_profile(coalition: Coalition, period: Period) -> dict[str, Any]:
    counts = coalitions.count_members_by_role(coalition=coalition)
    role_labels = dict(coalition_role_choices())
    places = [p.name for p in coalitions.list_places(coalition=coalition)]
    members = [[str(role_labels.get(role, role)), n] for role, n in counts.items()]
    return {
        "name": coalition.name,
        "mission": coalition.mission,
        "scale": str(coalition.get_geographic_scale_display()),
        "population_type": str(coalition.get_population_type_display()),
        "places": places,
        "policy_context": coalition.policy_context,
        "focus_areas": list(coalition.focus_areas or []),
        "year_founded": coalition.year_founded,
        "initiatives": coalition.initiatives,
        "members": members,
        "tables": [
            {
                "title": _("Members by role"),
                "columns": [_("Role"), _("Members")],
                "rows": members,
            },
            {
                "title": _("Profile"),
                "columns": [_("Field"), _("Value")],
                "rows": [
                    [_("Geographic scale"), str(coalition.get_geographic_scale_display())],
                    [_("Population type"), str(coalition.get_population_type_display())],
                    [_("Region"), "; ".join(places)],
                    [_("Year founded"), coalition.year_founded or ""],
                    [_("Focus areas"), "; ".join(coalition.focus_areas or [])],
                ],
            },
        ],
    }


def coalition_role_choices() -> list[tuple[str, str]]:
    from commonground.coalitions.models import Membership

    return [(value, str(label)) for value, label in Membership.Role.choices]


# ------------------------------------------------------------------ stage and roadmap


def _stage_name(stage_id: str | None) -> str | None:
    if not stage_id:
        return None
    return framework.get_stage(stage_id).name.get(_lang())


def stage_summary(coalition: Coalition) -> dict[str, Any] | None:
    """The latest closed stage assessment's reading; None when there is none.

    Stages of a view with too few respondents are ``None`` (suppressed).
    """
    latest = assessments.latest_closed_round(coalition=coalition, kind="stage")
    if latest is None:
        return None
    results = assessments.stage_results(latest)
    overall = results.overall
    suppressed = bool(overall.is_suppressed or overall.result.is_suppressed)
    return {
        "closed_on": latest.closed_at.date().isoformat() if latest.closed_at else "",
        "stage": None if suppressed else _stage_name(overall.result.stage_id),
        "community_stage": _stage_name(results.community_stage),
        "institutional_stage": _stage_name(results.institutional_stage),
        "previous_stage": _stage_name(results.previous_stage),
        "flagged_count": results.flagged_count,
    }


def build_stage(coalition: Coalition, period: Period) -> dict[str, Any]:
    stage = stage_summary(coalition)
    chapters: list[dict[str, Any]] = []
    for chapter in roadmap.build_roadmap(coalition).chapters:
        chapters.append(
            {
                "name": chapter.chapter.name.get(_lang()),
                "done": chapter.done,
                "total": chapter.total,
                "percent": chapter.percent,
                "next": chapter.next.label if chapter.next else "",
            }
        )
    title = _("Roadmap progress by chapter")
    chart = charts.progress_chart(
        [(str(c["name"]), int(c["percent"])) for c in chapters], title=title
    )
    rows = [[c["name"], c["done"], c["total"], c["percent"], c["next"]] for c in chapters]
    return {
        "stage": stage,
        "chapters": chapters,
        "charts": [{"id": "roadmap", "title": title, "svg": chart}],
        "tables": [
            {
                "title": title,
                "columns": [_("Chapter"), _("Steps done"), _("Steps"), _("Percent"), _("Next")],
                "rows": rows,
            }
        ],
    }


# ------------------------------------------------------------------ network


def _headline(report: Any) -> dict[str, float | None]:
    response = report.response
    return {
        "actors": float(report.actor_count),
        "ties": float(report.tie_count),
        "density": report.density,
        "reciprocity": report.reciprocity,
        "centralization": report.degree_centralization,
        "components": float(report.component_count),
        "trust": report.trust.score if report.trust else None,
        "value": report.value.score if report.value else None,
        "response": response.response_share if response else None,
    }


SCORE_LABELS = {
    "actors": gettext_lazy("Organizations"),
    "ties": gettext_lazy("Ties"),
    "density": gettext_lazy("Density"),
    "reciprocity": gettext_lazy("Reciprocity"),
    "centralization": gettext_lazy("Degree centralization"),
    "components": gettext_lazy("Separate groups"),
    "trust": gettext_lazy("Trust (1–4)"),
    "value": gettext_lazy("Value (1–4)"),
    "response": gettext_lazy("Survey response rate"),
}
WHOLE = {"actors", "ties", "components"}


def _score_text(key: str, value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    if key == "response":
        return (f"{value * 100:+.0f}" if signed else f"{value * 100:.0f}") + (
            " " + _("points") if signed else "%"
        )
    digits = 0 if key in WHOLE else 2
    return _signed(value, digits) if signed else f"{value:.{digits}f}"


def build_network(coalition: Coalition, period: Period) -> dict[str, Any]:
    analysis = ecosystem.analyze_coalition(coalition=coalition)
    now = _headline(analysis.report)
    # The last snapshot whose network differs from today's: when the latest snapshot was
    # taken of the network as it stands, the change shown is the one it recorded.
    snapshot = None
    before: dict[str, float | None] = {}
    snapshot_info = None
    for candidate in ecosystem.list_snapshots(coalition=coalition)[:5]:
        snapshot = candidate
        before = _headline(ecosystem.network_report(ecosystem.snapshot_network(candidate)))
        if before != now:
            break
    if snapshot is not None:
        snapshot_info = {"name": snapshot.name, "taken_on": snapshot.taken_on.isoformat()}
    scores = []
    for key, label in SCORE_LABELS.items():
        value, old = now[key], before.get(key)
        change = None if value is None or old is None else value - old
        scores.append(
            {
                "key": key,
                "label": str(label),
                "value": value,
                "text": _score_text(key, value),
                "change": change,
                "change_text": "" if snapshot is None else _score_text(key, change, signed=True),
            }
        )
    sectors: list[str] = []
    nodes = []
    for actor in analysis.network.actors:
        sector = actor.sector or ""
        name = SECTORS_BY_ID[sector].name.get(_lang()) if sector in SECTORS_BY_ID else _("Unknown")
        if name not in sectors:
            sectors.append(name)
        nodes.append(charts.Node(actor.id, sectors.index(name)))
    edges = sorted({(t.source, t.target) for t in analysis.network.ties})
    title = _("The partnership network")
    svg = charts.network_chart(nodes, edges, legend=sectors, title=title) if nodes else ""
    columns = [_("Score"), _("Now")]
    if snapshot is not None:
        columns.append(_("Change since %(snapshot)s") % {"snapshot": snapshot.name})
    rows = [
        [s["label"], s["text"]] + ([s["change_text"]] if snapshot is not None else [])
        for s in scores
    ]
    sector_counts: dict[str, int] = {}
    for node in nodes:
        sector_counts[sectors[node.group]] = sector_counts.get(sectors[node.group], 0) + 1
    return {
        "scores": scores,
        "snapshot": snapshot_info,
        "sectors": [[name, n] for name, n in sector_counts.items()],
        "charts": [{"id": "network", "title": title, "svg": svg}] if svg else [],
        "tables": [
            {"title": _("Headline scores"), "columns": columns, "rows": rows},
            {
                "title": _("Organizations by sector"),
                "columns": [_("Sector"), _("Organizations")],
                "rows": [[name, n] for name, n in sector_counts.items()],
            },
        ],
    }


# ------------------------------------------------------------------ equity


def _headline_gaps(coalition: Coalition) -> list[Any]:
    """(indicator, place equity) for the widest reliable gap of each headline indicator."""
    counties = measurement.served_counties(coalition=coalition)
    out = []
    for summary in measurement.key_gaps(coalition=coalition, counties=counties):
        candidates = [p for p in summary.places if p.widest is not None]
        if not candidates:
            continue
        place = max(candidates, key=lambda p: abs(p.widest.difference or 0 if p.widest else 0))
        out.append((summary.indicator, place))
        if len(out) == HEADLINE_INDICATORS:
            break
    return out


def build_equity(coalition: Coalition, period: Period) -> dict[str, Any]:
    counties = measurement.served_counties(coalition=coalition)
    gaps = []
    chart_list = []
    group_rows = []
    goal_rows = []
    for position, (indicator, place) in enumerate(_headline_gaps(coalition)):
        name = indicator.label
        gaps.append(
            {
                "indicator": name,
                "place": place.place_name,
                "period": place.period,
                "reference": place.reference_label,
                "reference_value": place.reference_text,
                "group": place.widest.label,
                "value": place.widest.value_text,
                "gap": place.widest.gap_text,
                "summary": place.summary,
            }
        )
        bars = []
        for row in place.rows:
            text = row.value_text if row.value is not None else _("suppressed or not reliable")
            bars.append(charts.Bar(row.label, row.value, text, highlight=row.is_reference))
            group_rows.append([name, place.place_name, place.period, row.label, row.value_text])
        if bars and any(b.value is not None for b in bars):
            title = _("%(indicator)s by group, %(place)s (%(period)s)") % {
                "indicator": name,
                "place": place.place_name,
                "period": place.period,
            }
            chart_list.append(
                {
                    "id": f"gap-{position + 1}",
                    "title": title,
                    "svg": charts.bar_chart(bars, title=title),
                }
            )
        goal = measurement.goal_for(indicator=indicator, counties=counties, period=place.period)
        for row in goal.rows:
            goal_rows.append(
                [
                    name,
                    row.place_name,
                    row.value_text,
                    goal.goal_text,
                    _("Meets the goal") if row.meets_goal else row.distance_text,
                ]
            )
    return {
        "gaps": gaps,
        "charts": chart_list,
        "goals": goal_rows,
        "tables": [
            {
                "title": _("Headline gaps"),
                "columns": [
                    _("Indicator"),
                    _("Place"),
                    _("Period"),
                    _("Best-off group"),
                    _("Its value"),
                    _("Group furthest behind"),
                    _("Its value"),
                    _("Gap"),
                ],
                "rows": [
                    [
                        g["indicator"],
                        g["place"],
                        g["period"],
                        g["reference"],
                        g["reference_value"],
                        g["group"],
                        g["value"],
                        g["gap"],
                    ]
                    for g in gaps
                ],
            },
            {
                "title": _("Values by group"),
                "columns": [_("Indicator"), _("Place"), _("Period"), _("Group"), _("Value")],
                "rows": group_rows,
            },
            {
                "title": _("Goals"),
                "columns": [
                    _("Indicator"),
                    _("Place"),
                    _("Value"),
                    _("Goal"),
                    _("Distance to the goal"),
                ],
                "rows": goal_rows,
            },
        ],
    }


# ------------------------------------------------------------------ targets and turn the curve


def build_targets(coalition: Coalition, period: Period) -> dict[str, Any]:
    targets = []
    for view in measurement.list_targets(coalition=coalition):
        if view.on_track is None:
            status = _("Not enough data yet")
        elif view.met:
            status = _("Met")
        elif view.on_track:
            status = _("On track")
        else:
            status = _("Off track")
        targets.append(
            {
                "title": view.target.title,
                "indicator": view.target.indicator.label,
                "place": view.place_name,
                "comparison": view.comparison,
                "baseline": view.baseline_text,
                "latest": view.latest_text,
                "latest_period": view.latest_period,
                "goal": view.goal_text,
                "year": view.target.target_year,
                "status": status,
                "standing": view.standing_text,
                "pace": view.pace_text,
            }
        )
    results = []
    measure_rows = []
    for area in measurement.list_priority_areas(coalition=coalition):
        for result in area.results.all():
            measures = []
            for measure in result.measures.all():
                shown = measurement.measure_view(measure)
                measures.append(
                    {
                        "name": measure.name,
                        "kind": str(measure.get_kind_display()),
                        "latest": shown.latest_text,
                    }
                )
                measure_rows.append(
                    [
                        result.statement,
                        measure.name,
                        str(measure.get_kind_display()),
                        shown.latest_text,
                    ]
                )
            results.append(
                {
                    "area": area.name,
                    "statement": result.statement,
                    "story": result.story_behind_curve,
                    "what_works": result.what_works,
                    "actions": result.action_list,
                    "measures": measures,
                }
            )
    return {
        "targets": targets,
        "results": results,
        "tables": [
            {
                "title": _("Targets"),
                "columns": [
                    _("Target"),
                    _("Place"),
                    _("Baseline"),
                    _("Latest"),
                    _("Goal"),
                    _("By"),
                    _("Status"),
                ],
                "rows": [
                    [
                        t["title"],
                        t["place"],
                        t["baseline"],
                        t["latest"],
                        t["goal"],
                        t["year"],
                        t["status"],
                    ]
                    for t in targets
                ],
            },
            {
                "title": _("Performance measures"),
                "columns": [_("Result"), _("Measure"), _("Kind"), _("Latest")],
                "rows": measure_rows,
            },
        ],
    }


# ------------------------------------------------------------------ shared measures


def measure_stage(coalition: Coalition) -> str | None:
    summary = stage_summary(coalition)
    return summary["stage"] if summary else None


def measure_density(coalition: Coalition) -> float | None:
    report = ecosystem.analyze_coalition(coalition=coalition).report
    return report.density if report.actor_count >= 2 else None


def measure_response_rate(coalition: Coalition) -> float | None:
    response = ecosystem.analyze_coalition(coalition=coalition).report.response
    return response.response_share if response and response.invited_count else None


def measure_headline_gap(coalition: Coalition) -> str | None:
    gaps = _headline_gaps(coalition)
    if not gaps:
        return None
    indicator, place = gaps[0]
    return _("%(indicator)s, %(place)s: %(group)s %(gap)s than %(reference)s") % {
        "indicator": indicator.label,
        "place": place.place_name,
        "group": place.widest.label,
        "gap": place.widest.gap_text,
        "reference": place.reference_label,
    }


def register() -> None:
    register_section(
        Section(
            key="coalitions.profile",
            title=gettext_lazy("The partnership"),
            build=build_profile,
            template="reports/sections/profile.html",
            order=10,
            reads=(),
        )
    )
    register_section(
        Section(
            key="assessments.stage",
            title=gettext_lazy("Stage and roadmap"),
            build=build_stage,
            template="reports/sections/stage.html",
            order=20,
        )
    )
    register_section(
        Section(
            key="ecosystem.network",
            title=gettext_lazy("The network"),
            build=build_network,
            template="reports/sections/network.html",
            order=30,
            reads=("ecosystem",),
        )
    )
    register_section(
        Section(
            key="measurement.equity",
            title=gettext_lazy("Health equity: headline gaps and goals"),
            build=build_equity,
            template="reports/sections/equity.html",
            order=40,
            reads=("measurement",),
        )
    )
    register_section(
        Section(
            key="measurement.targets",
            title=gettext_lazy("Targets and turning the curve"),
            build=build_targets,
            template="reports/sections/targets.html",
            order=50,
            reads=("measurement",),
        )
    )
    register_measure(
        Measure(
            key="assessments.stage",
            label=gettext_lazy("Stage of development"),
            compute=measure_stage,
            kind="text",
        )
    )
    register_measure(
        Measure(
            key="ecosystem.density",
            label=gettext_lazy("Network density"),
            compute=measure_density,
            kind="number",
        )
    )
    register_measure(
        Measure(
            key="ecosystem.response_rate",
            label=gettext_lazy("Network survey response rate"),
            compute=measure_response_rate,
            kind="share",
        )
    )
    register_measure(
        Measure(
            key="measurement.headline_gap",
            label=gettext_lazy("Headline equity gap"),
            compute=measure_headline_gap,
            kind="text",
        )
    )
