"""Reads for the systems pages, the API, exports and the report. Call inside the
coalition's scope. Selectors own ``select_related``; the loop analysis runs the pure core
on the rows read here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from commonground.coalitions.models import Coalition
from commonground.ecosystem.models import Actor
from commonground.measurement import selectors as measurement
from commonground.measurement.models import Indicator, Observation
from commonground.systems.domain import anchors, loops
from commonground.systems.domain.errors import SystemsError
from commonground.systems.domain.loops import Leverage
from commonground.systems.models import (
    Asset,
    AssetMapLayer,
    CausalLink,
    Commitment,
    Factor,
)

LARGEST_GAPS = 3
GAP_CACHE_SECONDS = 600


def list_factors(*, coalition: Coalition) -> QuerySet[Factor]:
    return Factor.objects.filter(coalition=coalition).select_related(
        "indicator", "priority_area", "policy"
    )


def list_links(*, coalition: Coalition) -> QuerySet[CausalLink]:
    return CausalLink.objects.filter(coalition=coalition).select_related("source", "target")


def list_assets(*, coalition: Coalition) -> QuerySet[Asset]:
    return (
        Asset.objects.filter(coalition=coalition)
        .select_related("organization")
        .prefetch_related("sessions")
    )


def list_commitments(*, coalition: Coalition) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(coalition=coalition)
        .select_related("institution")
        .prefetch_related("progress")
    )


def get_factor(*, factor_id: int) -> Factor:
    return Factor.objects.select_related("indicator", "priority_area", "policy").get(pk=factor_id)


def get_link(*, link_id: int) -> CausalLink:
    return CausalLink.objects.select_related("source", "target").get(pk=link_id)


def get_asset(*, asset_id: int) -> Asset:
    return (
        Asset.objects.select_related("organization").prefetch_related("sessions").get(pk=asset_id)
    )


def get_commitment(*, commitment_id: int) -> Commitment:
    return (
        Commitment.objects.select_related("institution")
        .prefetch_related("progress")
        .get(pk=commitment_id)
    )


def list_indicators(*, coalition: Coalition) -> QuerySet[Indicator]:
    return Indicator.objects.filter(coalition=coalition).order_by("name")


def list_actors(*, coalition: Coalition) -> QuerySet[Actor]:
    return Actor.objects.filter(coalition=coalition).order_by("name")


# --- the map and its loops --------------------------------------------------------------------


@dataclass(frozen=True)
class LoopView:
    number: int  # R1, B2…: 1-based within its polarity
    loop: loops.Loop
    factor_ids: tuple[int, ...]
    gap_indicators: tuple[str, ...] = ()  # names of the large-gap indicators it touches

    @property
    def code(self) -> str:
        return ("R" if self.loop.polarity == loops.REINFORCING else "B") + str(self.number)


@dataclass(frozen=True)
class GapView:
    indicator_id: int
    name: str
    size: float  # |1 − ratio| of the widest reliable gap
    text: str  # "Black residents: 9.4 years lower than White residents (Lowndes)"


@dataclass
class SystemMap:
    factors: list[Factor]
    links: list[CausalLink]
    loops: list[LoopView]
    counts: dict[int, int]  # factor id → loops it is on
    leverage: list[tuple[Factor, Leverage]]
    gaps: list[GapView]
    max_length: int
    error: str = ""
    by_name: dict[str, Factor] = field(default_factory=dict)

    @property
    def reinforcing(self) -> int:
        return sum(1 for v in self.loops if v.loop.polarity == loops.REINFORCING)

    @property
    def balancing(self) -> int:
        return len(self.loops) - self.reinforcing


def _core_links(links: Sequence[CausalLink]) -> list[loops.Link]:
    # Factor names are unique per coalition, so the pure core works on names.
    return [loops.Link(li.source.name, li.target.name, li.polarity, li.has_delay) for li in links]


def equity_gaps(*, coalition: Coalition) -> list[GapView]:
    """The indicators with group data in the coalition's counties, by the size of their
    widest reliable gap (``|1 − ratio|`` of the group furthest from the best-off group, in
    any served county, latest period), largest first.

    The sizes are cached (per process) under a fingerprint of the coalition's observations
    and counties and the language, so a new import or a changed county list recomputes them.
    """
    counties = measurement.served_counties(coalition=coalition)
    if not counties:
        return []
    stats = Observation.objects.filter(coalition=coalition).aggregate(n=Count("id"), last=Max("id"))
    key = "systems:gaps:" + ":".join(
        str(part)
        for part in (
            coalition.pk,
            get_language(),
            stats["n"],
            stats["last"],
            ",".join(sorted(counties)),
        )
    )
    found: list[tuple[int, float, str]] | None = cache.get(key)
    if found is None:
        found = []
        for summary in measurement.key_gaps(coalition=coalition, counties=counties):
            best: tuple[float, str] | None = None
            for place in summary.places:
                row = place.widest
                if row is None or row.ratio is None:
                    continue
                size = abs(1 - row.ratio)
                if best is None or size > best[0]:
                    best = (size, f"{row.label}: {row.gap_text} ({place.place_name})")
            if best is not None:
                found.append((summary.indicator.pk, best[0], best[1]))
        cache.set(key, found, GAP_CACHE_SECONDS)
    labels = {i.pk: i.label for i in Indicator.objects.filter(pk__in=[f[0] for f in found])}
    out = [GapView(pk, labels[pk], size, text) for pk, size, text in found if pk in labels]
    out.sort(key=lambda g: (-g.size, g.name))
    return out


def system_map(
    *, coalition: Coalition, max_length: int = loops.DEFAULT_MAX_LENGTH, with_gaps: bool = True
) -> SystemMap:
    """The factors, links, loops (with polarity, delays, large gaps) and leverage."""
    factors = list(list_factors(coalition=coalition))
    links = list(list_links(coalition=coalition))
    by_name = {f.name: f for f in factors}
    error = ""
    try:
        found = loops.find_loops(
            _core_links(links), max_length=max_length, factors=by_name, limit=loops.DEFAULT_LIMIT
        )
    except SystemsError as exc:
        found, error = [], str(exc)
    gaps = equity_gaps(coalition=coalition) if with_gaps else []
    factor_indicators = {f.name: f.indicator_id for f in factors if f.indicator_id is not None}
    _largest, touches = loops.loops_touching_gaps(
        found,
        factor_indicators=factor_indicators,
        gap_sizes={g.indicator_id: g.size for g in gaps},
        top=LARGEST_GAPS,
    )
    gap_names = {g.indicator_id: g.name for g in gaps}
    touched = {t.loop: tuple(gap_names[i] for i in t.indicators) for t in touches}
    numbers = {loops.REINFORCING: 0, loops.BALANCING: 0}
    views = []
    for index, loop in enumerate(found):
        numbers[loop.polarity] += 1
        views.append(
            LoopView(
                numbers[loop.polarity],
                loop,
                tuple(by_name[n].pk for n in loop.factors),
                touched.get(index, ()),
            )
        )
    counts = {by_name[name].pk: n for name, n in loops.loop_counts(found).items()}
    kinds = {f.name: f.kind for f in factors}
    lever = loops.leverage(
        _core_links(links),
        root_causes=[n for n, k in kinds.items() if k == Factor.Kind.ROOT_CAUSE],
        outcomes=[n for n, k in kinds.items() if k == Factor.Kind.OUTCOME],
        loops=found,
    )
    return SystemMap(
        factors=factors,
        links=links,
        loops=views,
        counts=counts,
        leverage=[(by_name[item.factor], item) for item in lever],
        gaps=gaps[:LARGEST_GAPS],
        max_length=max_length,
        error=error,
        by_name=by_name,
    )


KIND_COLORS = {
    Factor.Kind.ROOT_CAUSE: "#8a3b12",
    Factor.Kind.CONDITION: "#1f5f99",
    Factor.Kind.OUTCOME: "#6b2c91",
    Factor.Kind.POLICY: "#1d6b32",
}


def map_data(smap: SystemMap, slug: str, *, can_edit: bool) -> dict[str, Any]:
    """The plain data the map script draws (``json_script``); factor links to the edit
    page only for those who may edit."""
    return {
        "nodes": [
            {
                "id": f.pk,
                "name": f.name,
                "kind": f.kind,
                "kindLabel": str(f.get_kind_display()),
                "color": KIND_COLORS.get(Factor.Kind(f.kind), "#4a5563"),
                "loops": smap.counts.get(f.pk, 0),
                "indicator": f.indicator.label if f.indicator else "",
                "url": reverse("systems:factor_edit", args=[slug, f.pk]) if can_edit else "",
            }
            for f in smap.factors
        ],
        "links": [
            {
                "id": li.pk,
                "source": li.source_id,
                "target": li.target_id,
                "polarity": li.polarity,
                "delay": li.has_delay,
            }
            for li in smap.links
        ],
        "loops": [
            {
                "code": v.code,
                "polarity": v.loop.polarity,
                "factors": list(v.factor_ids),
            }
            for v in smap.loops
        ],
    }


# --- assets -----------------------------------------------------------------------------------


def asset_layer(*, coalition: Coalition) -> AssetMapLayer | None:
    return AssetMapLayer.objects.filter(coalition=coalition).select_related("indicator").first()


def county_choices(
    *, coalition: Coalition, counties: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """(code, name) of the coalition's counties (``counties`` when already read)."""
    if counties is None:
        counties = measurement.served_counties(coalition=coalition)
    return [(code, measurement.place_name(code)) for code in counties]


# --- anchor commitments -----------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentView:
    commitment: Commitment
    periods: list[anchors.PeriodProgress]
    latest: anchors.PeriodProgress | None

    @property
    def percent(self) -> int | None:
        """Share of the way to the target, as a whole percent clipped to 0–100 (for bars)."""
        if self.latest is None or self.latest.share is None:
            return None
        return max(0, min(100, round(100 * self.latest.share)))


def commitment_view(commitment: Commitment) -> CommitmentView:
    values = [(p.period, p.value) for p in commitment.progress.all()]
    values.sort(key=lambda pv: pv[0])
    periods = anchors.progress_by_period(
        values, baseline=commitment.baseline, target=commitment.target_value
    )
    return CommitmentView(commitment, periods, periods[-1] if periods else None)


def commitment_views(*, coalition: Coalition) -> list[CommitmentView]:
    return [commitment_view(c) for c in list_commitments(coalition=coalition)]


def layer_indicators(*, coalition: Coalition) -> QuerySet[Indicator]:
    """Indicators with county data: the equity layers the asset map can draw."""
    ids = [i.pk for i in measurement.indicators_with_county_data(coalition=coalition)]
    return Indicator.objects.filter(pk__in=ids).order_by("name")


@dataclass(frozen=True)
class LayerCell:
    place: str
    name: str
    value: float | None
    text: str
    note: str


def layer_cells(
    *, indicator: Indicator, counties: Sequence[str], period: str, group: str
) -> list[LayerCell]:
    """The equity layer's value for ``group`` in each of the coalition's counties (small
    cells suppressed by measurement's protection: ``None`` with a note)."""
    out = []
    for place in measurement.equity_for(
        indicator=indicator, places=counties, period=period or None
    ):
        rows = {r.group: r for r in place.rows}
        if place.total is not None:
            rows[measurement.TOTAL] = place.total
        row = rows.get(group)
        if row is None:
            value, note = None, _("no data")
        elif row.suppressed:
            value, note = None, _("suppressed")
        else:
            value, note = row.value, "" if row.reliable else _("unreliable")
        text = note if value is None else measurement.format_value(indicator, value)
        out.append(LayerCell(place.place, place.place_name, value, text, note))
    return out
