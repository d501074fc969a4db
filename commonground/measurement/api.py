"""Measurement endpoints of the JSON API; they call the same selectors and services as pages.

Values hidden by small-cell protection come back as ``null`` with ``suppressed: true``.
"""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from commonground.api.access import api_coalition
from commonground.coalitions.access import ADMINS, ALL_ROLES, CONTRIBUTORS
from commonground.measurement import selectors, services
from commonground.measurement.models import (
    ImportJob,
    Indicator,
    IndicatorRelease,
    PerformanceMeasure,
)

router = Router(tags=["measurement"])

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]  # an id the database can hold


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    label: str  # the name in the request's language (the catalog's Spanish, for instance)
    description: str
    domain: str
    unit: str
    direction: str
    source: str
    vintage: str


class GroupOut(Schema):
    group: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool
    counts_withheld: bool
    reliable: bool
    reasons: list[str]
    is_reference: bool
    difference: float | None
    ratio: float | None


class PlaceEquityOut(Schema):
    place: str
    place_name: str
    period: str
    reference_group: str | None
    index_of_disparity: float | None
    total: GroupOut | None
    groups: list[GroupOut]


class GoalRowOut(Schema):
    place: str
    value: str
    short_of_goal_by: str
    percentile_rank: float | None
    meets_goal: bool


class GoalOut(Schema):
    indicator: str
    period: str
    goal: str
    goal_places: list[str]
    peer_count: int
    places: list[GoalRowOut]


class TargetOut(Schema):
    id: int
    title: str
    indicator: str
    place: str
    kind: str
    group: str
    reference_group: str
    reference_place: str
    target_year: int
    baseline: str
    latest: str
    target: str
    required_yearly_change: str
    on_track: bool | None
    met: bool


class MeasureValueOut(Schema):
    period: str
    value: float


class MeasureOut(Schema):
    id: int
    name: str
    kind: str
    program: str
    unit: str
    target_value: float | None
    values: list[MeasureValueOut]


class ResultOut(Schema):
    id: int
    statement: str
    indicators: list[str]
    story_behind_curve: str
    partners: str
    what_works: str
    action_items: list[str]
    measures: list[MeasureOut]


class PriorityAreaOut(Schema):
    id: int
    name: str
    results: list[ResultOut]


class ImportJobOut(Schema):
    id: int
    file_name: str
    layout: str
    status: str
    progress: float
    rows_read: int
    observations_created: int
    observations_updated: int
    observations_unchanged: int
    problems: list[dict[str, Any]]
    unmatched_places: list[dict[str, Any]]


class MeasureValueIn(Schema):
    model_config = {"extra": "forbid"}

    period: str = Field(..., max_length=40)
    value: float


class ReleaseOut(Schema):
    id: int
    indicator_id: int
    indicator: str  # the code
    period: str
    status: str = Field(description="released (locked) or reopened")
    released_by: str
    released_at: datetime
    note: str
    reopened_by: str
    reopened_at: datetime | None
    reopen_reason: str


class ReleaseIn(Schema):
    model_config = {"extra": "forbid"}

    period: str = Field(..., min_length=1, max_length=40)
    note: str = Field("", max_length=300)


class ReopenReleaseIn(Schema):
    model_config = {"extra": "forbid"}

    reason: str = Field(..., min_length=1, max_length=2000)


def _release(release: IndicatorRelease) -> dict[str, Any]:
    return {
        "id": release.pk,
        "indicator_id": release.indicator_id,
        "indicator": release.indicator.code,
        "period": release.period,
        "status": release.status,
        "released_by": str(release.released_by) if release.released_by else "",
        "released_at": release.released_at,
        "note": release.note,
        "reopened_by": str(release.reopened_by) if release.reopened_by else "",
        "reopened_at": release.reopened_at,
        "reopen_reason": release.reopen_reason,
    }


def _indicator(indicator_id: int) -> Indicator:
    try:
        return selectors.get_indicator(indicator_id=indicator_id)
    except Indicator.DoesNotExist:
        raise HttpError(404, "No such indicator.") from None


def _group(row: selectors.GroupRow) -> dict[str, Any]:
    return {
        "group": row.group,
        "value": row.value,
        "ci_low": row.ci_low,
        "ci_high": row.ci_high,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "suppressed": row.suppressed,
        "counts_withheld": row.counts_withheld,
        "reliable": row.reliable,
        "reasons": list(row.reasons),
        "is_reference": row.is_reference,
        "difference": row.difference,
        "ratio": row.ratio,
    }


def _equity(item: selectors.PlaceEquity) -> dict[str, Any]:
    return {
        "place": item.place,
        "place_name": item.place_name,
        "period": item.period,
        "reference_group": item.reference_group,
        "index_of_disparity": item.index_of_disparity,
        "total": _group(item.total) if item.total else None,
        "groups": [_group(r) for r in item.rows],
    }


@router.get("/{coalition_slug}/measurement/indicators", response=list[IndicatorOut])
@api_coalition(*ALL_ROLES)
def list_indicators(request: HttpRequest, coalition_slug: str) -> list[Indicator]:
    """The coalition's indicator catalog."""
    return list(selectors.list_indicators(coalition=request.coalition))  # type: ignore[attr-defined]


@router.get(
    "/{coalition_slug}/measurement/indicators/{indicator_id}/observations",
    response=list[PlaceEquityOut],
)
@api_coalition(*ALL_ROLES)
def list_observations(
    request: HttpRequest,
    coalition_slug: str,
    indicator_id: int,
    place: str = "",
    period: str = "",
) -> list[dict[str, Any]]:
    """Values by place, period and group (the coalition's counties unless ``place`` is given),
    small cells suppressed."""
    indicator = _indicator(indicator_id)
    places = (
        [p for p in place.split(",") if p] or selectors.served_counties(coalition=request.coalition)  # type: ignore[attr-defined]
    )
    items = selectors.equity_for(indicator=indicator, places=places, period=period or None)
    return [_equity(i) for i in items]


@router.get(
    "/{coalition_slug}/measurement/indicators/{indicator_id}/equity",
    response=list[PlaceEquityOut],
)
@api_coalition(*ALL_ROLES)
def get_equity(
    request: HttpRequest,
    coalition_slug: str,
    indicator_id: int,
    reference: str = "best",
    period: str = "",
) -> list[dict[str, Any]]:
    """Each group against the reference (the best-off reliable group or the one named)."""
    indicator = _indicator(indicator_id)
    places = selectors.served_counties(coalition=request.coalition)  # type: ignore[attr-defined]
    items = selectors.equity_for(
        indicator=indicator, places=places, period=period or None, reference=reference
    )
    return [_equity(i) for i in items]


@router.get("/{coalition_slug}/measurement/indicators/{indicator_id}/goal", response=GoalOut)
@api_coalition(*ALL_ROLES)
def get_goal(
    request: HttpRequest, coalition_slug: str, indicator_id: int, period: str = "", top: int = 5
) -> dict[str, Any]:
    """HOPE-style goal from the best ``top`` peer counties, and each county's distance."""
    indicator = _indicator(indicator_id)
    periods = selectors.periods(indicator=indicator)
    chosen = period or (periods[-1] if periods else "")
    if top < 1:
        raise HttpError(422, "top must be at least 1")
    counties = selectors.served_counties(coalition=request.coalition)  # type: ignore[attr-defined]
    view = selectors.goal_for(indicator=indicator, counties=counties, period=chosen, top=top)
    return {
        "indicator": indicator.code,
        "period": chosen,
        "goal": view.goal_text,
        "goal_places": view.goal_places,
        "peer_count": view.peer_count,
        "places": [
            {
                "place": r.place,
                "value": r.value_text,
                "short_of_goal_by": r.distance_text,
                "percentile_rank": r.percentile,
                "meets_goal": r.meets_goal,
            }
            for r in view.rows
        ],
    }


@router.get("/{coalition_slug}/measurement/targets", response=list[TargetOut])
@api_coalition(*ALL_ROLES)
def list_targets(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    """Targets with where each stands: baseline, latest, target and the yearly change needed."""
    out = []
    for view in selectors.list_targets(coalition=request.coalition):  # type: ignore[attr-defined]
        t = view.target
        out.append(
            {
                "id": t.pk,
                "title": t.title,
                "indicator": t.indicator.code,
                "place": t.place_code,
                "kind": t.kind,
                "group": t.group,
                "reference_group": t.reference_group,
                "reference_place": t.reference_place,
                "target_year": t.target_year,
                "baseline": view.baseline_text,
                "latest": view.latest_text,
                "target": view.goal_text,
                "required_yearly_change": view.required_text,
                "on_track": view.on_track,
                "met": view.met,
            }
        )
    return out


@router.get("/{coalition_slug}/measurement/framework", response=list[PriorityAreaOut])
@api_coalition(*ALL_ROLES)
def get_metrics_framework(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    """Priority areas, their results, population indicators and performance measures."""
    areas = selectors.list_priority_areas(coalition=request.coalition)  # type: ignore[attr-defined]
    return [
        {
            "id": area.pk,
            "name": area.name,
            "results": [
                {
                    "id": result.pk,
                    "statement": result.statement,
                    "indicators": [i.code for i in result.indicators.all()],
                    "story_behind_curve": result.story_behind_curve,
                    "partners": result.partners,
                    "what_works": result.what_works,
                    "action_items": result.action_list,
                    "measures": [
                        {
                            "id": m.pk,
                            "name": m.name,
                            "kind": m.kind,
                            "program": m.program,
                            "unit": m.unit,
                            "target_value": m.target_value,
                            "values": [
                                {"period": v.period, "value": v.value} for v in m.values.all()
                            ],
                        }
                        for m in result.measures.all()
                    ],
                }
                for result in area.results.all()
            ],
        }
        for area in areas
    ]


@router.post("/{coalition_slug}/measurement/measures/{measure_id}/values", response=MeasureValueOut)
@api_coalition(*CONTRIBUTORS)
def record_measure_value(
    request: HttpRequest, coalition_slug: str, measure_id: int, payload: MeasureValueIn
) -> dict[str, Any]:
    """Record (or correct) a performance measure's value for a period."""
    try:
        measure = selectors.get_measure(measure_id=measure_id)
    except PerformanceMeasure.DoesNotExist:
        raise HttpError(404, "No such measure.") from None
    try:
        row = services.record_measure_value(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            measure=measure,
            period=payload.period,
            value=payload.value,
        )
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    return {"period": row.period, "value": row.value}


@router.get("/{coalition_slug}/measurement/imports/{job_id}", response=ImportJobOut)
@api_coalition(*ADMINS)
def get_import_job(request: HttpRequest, coalition_slug: str, job_id: int) -> ImportJob:
    """An import's status, progress (0-1) and problems."""
    try:
        return selectors.get_job(job_id=job_id)
    except ImportJob.DoesNotExist:
        raise HttpError(404, "No such import.") from None


@router.get(
    "/{coalition_slug}/measurement/indicators/{indicator_id}/releases",
    response=list[ReleaseOut],
    summary="An indicator's releases: periods whose values are locked, or were and are reopened",
)
@api_coalition(*ALL_ROLES)
def list_indicator_releases(
    request: HttpRequest, coalition_slug: str, indicator_id: Id
) -> list[dict[str, Any]]:
    """Each release of the indicator, oldest period first."""
    indicator = _indicator(indicator_id)
    return [_release(r) for r in selectors.list_releases(indicator=indicator)]


@router.post(
    "/{coalition_slug}/measurement/indicators/{indicator_id}/releases",
    response={201: ReleaseOut},
    summary="Release an indicator's values for a period (they are locked until reopened)",
)
@api_coalition(*ADMINS)
def release_indicator_period(
    request: HttpRequest, coalition_slug: str, indicator_id: Id, payload: ReleaseIn
) -> Status:
    """422 with the reason for a period without values or one already released."""
    indicator = _indicator(indicator_id)
    try:
        release = services.release_period(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            indicator=indicator,
            period=payload.period,
            note=payload.note,
        )
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    return Status(201, _release(release))


@router.post(
    "/{coalition_slug}/measurement/indicators/{indicator_id}/releases/{indicator_release_id}/reopen",
    response=ReleaseOut,
    summary="Reopen a release, with a reason (recorded), so its values can change again",
)
@api_coalition(*ADMINS)
def reopen_indicator_release(
    request: HttpRequest,
    coalition_slug: str,
    indicator_id: Id,
    indicator_release_id: Id,
    payload: ReopenReleaseIn,
) -> dict[str, Any]:
    """422 with the reason for a blank reason or a release that is not in force."""
    indicator = _indicator(indicator_id)
    try:
        release = selectors.get_release(indicator=indicator, release_id=indicator_release_id)
    except IndicatorRelease.DoesNotExist:
        raise HttpError(404, "No such release.") from None
    try:
        release = services.reopen_release(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            release=release,
            reason=payload.reason,
        )
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    return _release(release)
