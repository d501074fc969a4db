"""The systems API; paths start with /{coalition_slug}/. It calls the same selectors and
services as the pages. Edits carry the ``version`` last read: a stale one answers 409."""

from typing import Annotated, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from commonground.api.access import api_coalition
from commonground.coalitions.access import ALL_ROLES, CONTRIBUTORS
from commonground.coalitions.models import Membership
from commonground.ecosystem.models import Actor
from commonground.governance.models import Policy
from commonground.lib.versioning import StaleEditError
from commonground.measurement.models import Indicator, PriorityArea
from commonground.systems import selectors, services
from commonground.systems.domain.loops import DEFAULT_MAX_LENGTH
from commonground.systems.models import Asset, CausalLink, Commitment, Factor
from commonground.voice.models import ListeningSession

router = Router(tags=["Systems change"])
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
ANCHOR_EDITORS = frozenset({Membership.Role.BACKBONE_ADMIN, Membership.Role.PARTNER})


class FactorOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    indicator_id: int | None
    priority_area_id: int | None
    policy_id: int | None
    loops: int
    version: int = Field(..., description="Send it back in a PATCH (optimistic lock).")


class FactorIn(Schema):
    model_config = {"extra": "forbid"}

    name: str = Field(..., max_length=120)
    kind: str = "condition"
    description: str = Field("", max_length=4000)
    indicator_id: Id | None = None
    priority_area_id: Id | None = None
    policy_id: Id | None = None


class FactorPatch(Schema):
    """Fields to change; omitted fields keep their value. ``version``: as last read."""

    model_config = {"extra": "forbid"}

    version: int = Field(..., ge=1, le=MAX_ID)
    name: str | None = Field(None, max_length=120)
    kind: str | None = None
    description: str | None = Field(None, max_length=4000)
    indicator_id: Id | None = None
    priority_area_id: Id | None = None
    policy_id: Id | None = None


class LinkOut(Schema):
    id: int
    from_id: int
    to_id: int
    from_name: str
    to_name: str
    polarity: str
    delay: bool
    evidence: str
    version: int


class LinkIn(Schema):
    model_config = {"extra": "forbid"}

    from_id: Id
    to_id: Id
    polarity: str = Field(..., max_length=8, description="+ (same direction) or - (opposite)")
    delay: bool = False
    evidence: str = Field("", max_length=4000)


class LinkPatch(Schema):
    model_config = {"extra": "forbid"}

    version: int = Field(..., ge=1, le=MAX_ID)
    from_id: Id | None = None
    to_id: Id | None = None
    polarity: str | None = Field(None, max_length=8)
    delay: bool | None = None
    evidence: str | None = Field(None, max_length=4000)


class LoopOut(Schema):
    code: str
    factors: list[str]
    length: int
    polarity: str
    delays: int
    large_equity_gaps: list[str]


class LoopsOut(Schema):
    max_length: int
    loops: list[LoopOut]
    loop_counts: dict[str, int]
    leverage: list[dict[str, Any]]


class AssetOut(Schema):
    id: int
    name: str
    category: str
    county_code: str
    neighborhood: str
    latitude: float | None
    longitude: float | None
    named_in_sessions: bool
    session_ids: list[int]
    organization_id: int | None
    notes: str
    version: int


class AssetIn(Schema):
    model_config = {"extra": "forbid"}

    name: str = Field(..., max_length=200)
    category: str
    county_code: str = Field("", max_length=5)
    neighborhood: str = Field("", max_length=120)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    named_in_sessions: bool = False
    session_ids: list[Id] = []
    organization_id: Id | None = None
    notes: str = Field("", max_length=2000)


class AssetPatch(Schema):
    model_config = {"extra": "forbid"}

    version: int = Field(..., ge=1, le=MAX_ID)
    name: str | None = Field(None, max_length=200)
    category: str | None = None
    county_code: str | None = Field(None, max_length=5)
    neighborhood: str | None = Field(None, max_length=120)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    named_in_sessions: bool | None = None
    session_ids: list[Id] | None = None
    notes: str | None = Field(None, max_length=2000)


class ProgressOut(Schema):
    period: str
    value: float
    share_of_way_to_target: float | None
    met: bool


class CommitmentOut(Schema):
    id: int
    institution_id: int
    institution: str
    kind: str
    description: str
    measure: str
    unit: str
    baseline: float | None
    target: float
    target_period: str
    progress: list[ProgressOut]
    version: int


class CommitmentIn(Schema):
    model_config = {"extra": "forbid"}

    institution_id: Id
    kind: str
    measure: str = Field(..., max_length=200)
    unit: str = Field("", max_length=40)
    baseline: float | None = None
    target: float
    target_period: str = Field(..., max_length=40)
    description: str = Field("", max_length=4000)


class ProgressIn(Schema):
    model_config = {"extra": "forbid"}

    period: str = Field(..., max_length=40)
    value: float
    note: str = Field("", max_length=240)


def _invalid(error: ValidationError) -> HttpError:
    """422 with every message, each after the field it is about."""
    if hasattr(error, "error_dict"):
        return HttpError(
            422, "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        )
    return HttpError(422, "; ".join(error.messages))


def _row(model: Any, pk: int | None, field: str) -> Any:
    """The coalition's row ``pk`` of ``model`` (inside the scope), or 422 naming the field."""
    if pk is None:
        return None
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise HttpError(422, f"{field}: no such record in this coalition ({pk}).")
    return row


def _get(getter: Any, **kwargs: Any) -> Any:
    if any(not 1 <= v <= MAX_ID for v in kwargs.values()):
        raise HttpError(404, "Not Found")
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist:
        raise HttpError(404, "Not Found") from None


def _factor_out(f: Factor, counts: dict[int, int]) -> dict[str, Any]:
    return {
        "id": f.pk,
        "name": f.name,
        "kind": f.kind,
        "description": f.description,
        "indicator_id": f.indicator_id,
        "priority_area_id": f.priority_area_id,
        "policy_id": f.policy_id,
        "loops": counts.get(f.pk, 0),
        "version": f.version,
    }


def _link_out(li: CausalLink) -> dict[str, Any]:
    return {
        "id": li.pk,
        "from_id": li.source_id,
        "to_id": li.target_id,
        "from_name": li.source.name,
        "to_name": li.target.name,
        "polarity": li.polarity,
        "delay": li.has_delay,
        "evidence": li.evidence,
        "version": li.version,
    }


def _asset_out(a: Asset) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.name,
        "category": a.category,
        "county_code": a.county_code,
        "neighborhood": a.neighborhood,
        "latitude": a.latitude,
        "longitude": a.longitude,
        "named_in_sessions": a.is_named,
        "session_ids": [s.pk for s in a.sessions.all()],
        "organization_id": a.organization_id,
        "notes": a.notes,
        "version": a.version,
    }


def _commitment_out(view: selectors.CommitmentView) -> dict[str, Any]:
    c = view.commitment
    return {
        "id": c.pk,
        "institution_id": c.institution_id,
        "institution": c.institution.name,
        "kind": c.kind,
        "description": c.description,
        "measure": c.measure,
        "unit": c.unit,
        "baseline": c.baseline,
        "target": c.target_value,
        "target_period": c.target_period,
        "progress": [
            {"period": p.period, "value": p.value, "share_of_way_to_target": p.share, "met": p.met}
            for p in view.periods
        ],
        "version": c.version,
    }


# --- factors and links ------------------------------------------------------------------------


@router.get(
    "/{coalition_slug}/systems/factors", response=list[FactorOut], summary="System map factors"
)
@api_coalition(*ALL_ROLES)
def list_system_factors(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    smap = selectors.system_map(coalition=request.coalition, with_gaps=False)  # type: ignore[attr-defined]
    return [_factor_out(f, smap.counts) for f in smap.factors]


@router.post("/{coalition_slug}/systems/factors", response={201: FactorOut}, summary="Add a factor")
@api_coalition(*CONTRIBUTORS)
def create_system_factor(
    request: HttpRequest, coalition_slug: str, payload: FactorIn
) -> Status[dict[str, Any]]:
    try:
        factor = services.create_factor(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            name=payload.name,
            kind=payload.kind,
            description=payload.description,
            indicator=_row(Indicator, payload.indicator_id, "indicator_id"),
            priority_area=_row(PriorityArea, payload.priority_area_id, "priority_area_id"),
            policy=_row(Policy, payload.policy_id, "policy_id"),
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, _factor_out(factor, {}))


@router.patch(
    "/{coalition_slug}/systems/factors/{factor_id}",
    response=FactorOut,
    summary="Change a factor (send the version you read; 409 when someone changed it since)",
)
@api_coalition(*CONTRIBUTORS)
def update_system_factor(
    request: HttpRequest, coalition_slug: str, factor_id: int, payload: FactorPatch
) -> dict[str, Any]:
    factor = _get(selectors.get_factor, factor_id=factor_id)
    sent = payload.model_dump(exclude_unset=True)
    version = sent.pop("version")
    changes: dict[str, Any] = {}
    for key, value in sent.items():
        if key == "indicator_id":
            changes["indicator"] = _row(Indicator, value, key)
        elif key == "priority_area_id":
            changes["priority_area"] = _row(PriorityArea, value, key)
        elif key == "policy_id":
            changes["policy"] = _row(Policy, value, key)
        elif value is not None:
            changes[key] = value
    try:
        factor = services.update_factor(
            factor=factor, actor=request.user, expected_version=version, **changes
        )
    except StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise _invalid(error) from None
    return _factor_out(factor, {})


@router.get("/{coalition_slug}/systems/links", response=list[LinkOut], summary="Causal links")
@api_coalition(*ALL_ROLES)
def list_system_links(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [_link_out(li) for li in selectors.list_links(coalition=request.coalition)]  # type: ignore[attr-defined]


@router.post(
    "/{coalition_slug}/systems/links", response={201: LinkOut}, summary="Add a causal link"
)
@api_coalition(*CONTRIBUTORS)
def create_system_link(
    request: HttpRequest, coalition_slug: str, payload: LinkIn
) -> Status[dict[str, Any]]:
    try:
        link = services.create_link(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            source=_row(Factor, payload.from_id, "from_id"),
            target=_row(Factor, payload.to_id, "to_id"),
            polarity=payload.polarity,
            has_delay=payload.delay,
            evidence=payload.evidence,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, _link_out(link))


@router.patch(
    "/{coalition_slug}/systems/links/{causal_link_id}",
    response=LinkOut,
    summary="Change a causal link (send the version you read; 409 when someone changed it since)",
)
@api_coalition(*CONTRIBUTORS)
def update_system_link(
    request: HttpRequest, coalition_slug: str, causal_link_id: int, payload: LinkPatch
) -> dict[str, Any]:
    link = _get(selectors.get_link, link_id=causal_link_id)
    sent = payload.model_dump(exclude_unset=True)
    version = sent.pop("version")
    names = {"from_id": "source", "to_id": "target", "delay": "has_delay"}
    changes: dict[str, Any] = {}
    for key, value in sent.items():
        if key in {"from_id", "to_id"}:
            changes[names[key]] = _row(Factor, value, key)
        elif value is not None:
            changes[names.get(key, key)] = value
    try:
        link = services.update_link(
            link=link, actor=request.user, expected_version=version, **changes
        )
    except StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise _invalid(error) from None
    return _link_out(link)


@router.get(
    "/{coalition_slug}/systems/loops", response=LoopsOut, summary="Feedback loops and leverage"
)
@api_coalition(*ALL_ROLES)
def list_system_loops(
    request: HttpRequest, coalition_slug: str, max_length: int = DEFAULT_MAX_LENGTH
) -> dict[str, Any]:
    if not 1 <= max_length <= 12:
        raise HttpError(422, "max_length must be from 1 to 12")
    smap = selectors.system_map(coalition=request.coalition, max_length=max_length)  # type: ignore[attr-defined]
    if smap.error:
        raise HttpError(422, smap.error)
    names = {f.pk: f.name for f in smap.factors}
    return {
        "max_length": max_length,
        "loops": [
            {
                "code": v.code,
                "factors": list(v.loop.factors),
                "length": v.loop.length,
                "polarity": v.loop.polarity,
                "delays": v.loop.delays,
                "large_equity_gaps": list(v.gap_indicators),
            }
            for v in smap.loops
        ],
        "loop_counts": dict(sorted((names[pk], n) for pk, n in smap.counts.items())),
        "leverage": [
            {
                "factor": f.name,
                "root_causes": list(item.root_causes),
                "outcomes": list(item.outcomes),
                "loops": item.loops,
            }
            for f, item in smap.leverage
        ],
    }


# --- assets -----------------------------------------------------------------------------------


@router.get("/{coalition_slug}/systems/assets", response=list[AssetOut], summary="Community assets")
@api_coalition(*ALL_ROLES)
def list_system_assets(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [_asset_out(a) for a in selectors.list_assets(coalition=request.coalition)]  # type: ignore[attr-defined]


@router.post(
    "/{coalition_slug}/systems/assets", response={201: AssetOut}, summary="Add a community asset"
)
@api_coalition(*CONTRIBUTORS)
def create_system_asset(
    request: HttpRequest, coalition_slug: str, payload: AssetIn
) -> Status[dict[str, Any]]:
    fields = payload.model_dump()
    fields["organization"] = _row(Actor, fields.pop("organization_id"), "organization_id")
    fields["sessions"] = [
        _row(ListeningSession, pk, "session_ids") for pk in fields.pop("session_ids")
    ]
    try:
        asset = services.create_asset(coalition=request.coalition, actor=request.user, **fields)  # type: ignore[attr-defined]
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, _asset_out(asset))


@router.patch(
    "/{coalition_slug}/systems/assets/{asset_id}",
    response=AssetOut,
    summary="Change a community asset (send the version you read; 409 when someone changed it since)",
)
@api_coalition(*CONTRIBUTORS)
def update_system_asset(
    request: HttpRequest, coalition_slug: str, asset_id: int, payload: AssetPatch
) -> dict[str, Any]:
    asset = _get(selectors.get_asset, asset_id=asset_id)
    sent = payload.model_dump(exclude_unset=True)
    version = sent.pop("version")
    changes = {k: v for k, v in sent.items() if v is not None or k in {"latitude", "longitude"}}
    if "session_ids" in changes:
        changes["sessions"] = [
            _row(ListeningSession, pk, "session_ids") for pk in changes.pop("session_ids")
        ]
    try:
        asset = services.update_asset(
            asset=asset, actor=request.user, expected_version=version, **changes
        )
    except StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise _invalid(error) from None
    return _asset_out(asset)


# --- anchor commitments -----------------------------------------------------------------------


@router.get(
    "/{coalition_slug}/systems/commitments",
    response=list[CommitmentOut],
    summary="Anchor commitments",
)
@api_coalition(*ALL_ROLES)
def list_system_commitments(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [_commitment_out(v) for v in selectors.commitment_views(coalition=request.coalition)]  # type: ignore[attr-defined]


@router.post(
    "/{coalition_slug}/systems/commitments",
    response={201: CommitmentOut},
    summary="Add an anchor commitment",
)
@api_coalition(*ANCHOR_EDITORS)
def create_system_commitment(
    request: HttpRequest, coalition_slug: str, payload: CommitmentIn
) -> Status[dict[str, Any]]:
    try:
        commitment = services.create_commitment(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            institution=_row(Actor, payload.institution_id, "institution_id"),
            kind=payload.kind,
            measure=payload.measure,
            unit=payload.unit,
            baseline=payload.baseline,
            target_value=payload.target,
            target_period=payload.target_period,
            description=payload.description,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    fresh = selectors.get_commitment(commitment_id=commitment.pk)
    return Status(201, _commitment_out(selectors.commitment_view(fresh)))


@router.post(
    "/{coalition_slug}/systems/commitments/{commitment_id}/progress",
    response={201: CommitmentOut},
    summary="Record a commitment's value for a period (replaces that period's value)",
)
@api_coalition(*ANCHOR_EDITORS)
def record_system_progress(
    request: HttpRequest, coalition_slug: str, commitment_id: int, payload: ProgressIn
) -> Status[dict[str, Any]]:
    commitment: Commitment = _get(selectors.get_commitment, commitment_id=commitment_id)
    try:
        services.record_progress(
            commitment=commitment,
            actor=request.user,
            period=payload.period,
            value=payload.value,
            note=payload.note,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    fresh = selectors.get_commitment(commitment_id=commitment.pk)
    return Status(201, _commitment_out(selectors.commitment_view(fresh)))
