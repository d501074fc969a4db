"""Ecosystem endpoints of the JSON API; they call the same services and selectors as pages."""

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from commonground import framework
from commonground.api.access import api_coalition
from commonground.coalitions.access import ADMINS, ALL_ROLES
from commonground.ecosystem import exchange, policy, selectors, services
from commonground.ecosystem.domain.sectors import SECTORS_BY_ID
from commonground.ecosystem.models import Actor, NetworkSurvey, Tie
from commonground.lib.versioning import StaleEditError

router = Router(tags=["ecosystem"])
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
ROLE_IDS = frozenset(r.id for r in framework.ROLES)


class ActorOut(Schema):
    id: int
    name: str
    kind: str
    sector_id: str
    role_ids: list[str]
    geographic_scale: str
    is_community_led: bool
    population_ids: list[str]
    contribution_ids: list[str]
    is_coalition_member: bool
    influence: int | None
    alignment: int | None
    contact_name: str | None = Field(
        None, description="Only for backbone admins and partners (the contact policy)."
    )
    contact_email: str | None = Field(
        None, description="Only for backbone admins and partners (the contact policy)."
    )
    contact_phone: str | None = Field(
        None, description="Only for backbone admins and partners (the contact policy)."
    )
    version: int = Field(..., description="Send it back in a PATCH (optimistic lock).")


class ActorIn(Schema):
    model_config = {"extra": "forbid"}

    name: str = Field(..., max_length=200)
    sector_id: str
    kind: Actor.Kind = Actor.Kind.ORGANIZATION
    role_ids: list[str] = []
    geographic_scale: Actor.Scale = Actor.Scale.COUNTY
    is_community_led: bool = False
    population_ids: list[str] = []
    contribution_ids: list[str] = []
    is_coalition_member: bool = False
    contact_name: str = Field("", max_length=160)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=40)
    notes: str = ""
    influence: int | None = Field(None, ge=0, le=100)
    alignment: int | None = Field(None, ge=0, le=100)


class ActorPatch(Schema):
    """Fields to change; omitted fields keep their value.

    ``version`` is the actor's version as last read: when someone changed the actor since,
    nothing is saved and the answer is 409 (read it again, then redo the change).
    """

    model_config = {"extra": "forbid"}

    version: int = Field(..., ge=1, le=2**31 - 1)
    name: str | None = Field(None, max_length=200)
    sector_id: str | None = None
    kind: Actor.Kind | None = None
    role_ids: list[str] | None = None
    geographic_scale: Actor.Scale | None = None
    is_community_led: bool | None = None
    population_ids: list[str] | None = None
    contribution_ids: list[str] | None = None
    is_coalition_member: bool | None = None
    contact_name: str | None = Field(None, max_length=160)
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=40)
    notes: str | None = None
    influence: int | None = Field(None, ge=0, le=100)
    alignment: int | None = Field(None, ge=0, le=100)


class TieOut(Schema):
    id: int
    from_actor_id: Id
    to_actor_id: Id
    type_ids: list[str]
    intensity: int
    frequency: str
    ratings: dict[str, int]
    reported_by_id: int | None
    is_reciprocated: bool
    version: int = Field(..., description="Send it back in a PATCH (optimistic lock).")


class TiePatch(Schema):
    """A backbone tie's types, intensity or frequency; omitted fields keep their value.

    ``version`` is the tie's version as last read (409 when someone changed it since).
    A tie a partner reported is its survey answer and cannot be changed (422).
    """

    model_config = {"extra": "forbid"}

    version: int = Field(..., ge=1, le=2**31 - 1)
    type_ids: list[Tie.Type] | None = None
    intensity: Tie.Intensity | None = None
    frequency: str | None = None


class TieIn(Schema):
    model_config = {"extra": "forbid"}

    from_actor_id: Id
    to_actor_id: Id
    type_ids: list[Tie.Type] = []
    intensity: Tie.Intensity = Tie.Intensity.COOPERATION
    frequency: str = ""


class SurveyOut(Schema):
    id: int
    title: str
    status: str
    created_at: datetime
    invited_count: int
    responded_count: int


class SurveyIn(Schema):
    model_config = {"extra": "forbid"}

    title: str = Field(..., max_length=160)
    actor_ids: list[Id] = Field(..., max_length=5000)


class SurveyLinkOut(Schema):
    actor_id: int
    actor_name: str
    link: str


class OpenedSurveyOut(Schema):
    survey: SurveyOut
    links: list[SurveyLinkOut]


class ActorMetricsOut(Schema):
    id: int
    name: str
    sector_id: str
    degree: int
    in_degree: int
    out_degree: int
    betweenness: float
    closeness: float
    eigenvector: float | None
    community: int
    trust: float | None
    value: float | None


class WarningOut(Schema):
    metric: str
    severity: str
    threshold: float


class MetricsOut(Schema):
    actor_count: int
    tie_count: int
    density: float
    reciprocity: float | None
    degree_centralization: float
    component_count: int
    isolate_count: int
    community_count: int
    modularity: float | None
    cross_sector_share: float | None
    ei_index: float | None
    trust: float | None
    value: float | None
    response_rate: float | None
    invited_count: int | None
    respondent_count: int | None
    warnings: list[WarningOut]
    one_sided_tie_count: int
    actors: list[ActorMetricsOut]


class PresenceOut(Schema):
    id: str
    status: str
    actor_count: int
    connected_actor_count: int
    often_missing: bool


class MissingOut(Schema):
    core_rule: str
    sectors: list[PresenceOut]
    populations: list[PresenceOut]
    absent: list[str]
    unconnected: list[str]
    flagged: list[str]


def _actor_out(actor: Actor, request: HttpRequest) -> dict[str, Any]:
    """An actor as the API shows it: contact fields only as the contact policy allows."""
    data = {
        field: getattr(actor, field)
        for field in ActorOut.model_fields
        if field != "id" and field not in policy.CONTACT_FIELDS
    }
    contacts = policy.contact_fields(actor, getattr(request, "membership", None))
    return data | {name: contacts.get(name) for name in policy.CONTACT_FIELDS} | {"id": actor.pk}


def _tie_out(tie: Tie, mutual: set[tuple[int, int]]) -> dict[str, Any]:
    return {
        "id": tie.pk,
        "from_actor_id": tie.from_actor_id,
        "to_actor_id": tie.to_actor_id,
        "type_ids": tie.type_ids,
        "intensity": tie.intensity,
        "frequency": tie.frequency,
        "ratings": tie.ratings(),
        "reported_by_id": tie.reported_by_id,
        "is_reciprocated": (tie.from_actor_id, tie.to_actor_id) in mutual,
        "version": tie.version,
    }


def _survey_out(survey: NetworkSurvey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "title": survey.title,
        "status": survey.status,
        "created_at": survey.created_at,
        "invited_count": getattr(survey, "invited_count", 0),
        "responded_count": getattr(survey, "responded_count", 0),
    }


def _invalid(error: ValidationError) -> HttpError:
    return HttpError(422, "; ".join(error.messages))


def _get_actor(request: HttpRequest, actor_id: int) -> Actor:
    if not 1 <= actor_id <= MAX_ID:
        raise HttpError(404, "Not Found")
    try:
        return selectors.get_actor(coalition=request.coalition, actor_id=actor_id)  # type: ignore[attr-defined]
    except Actor.DoesNotExist:
        raise HttpError(404, "Not Found") from None


@router.get(
    "/{coalition_slug}/ecosystem/actors", response=list[ActorOut], summary="Actors on the map"
)
@api_coalition(*ALL_ROLES)
def list_ecosystem_actors(
    request: HttpRequest, coalition_slug: str, sector: str = "", q: str = ""
) -> list[dict[str, Any]]:
    actors = selectors.list_actors(
        coalition=request.coalition,  # type: ignore[attr-defined]
        sector=sector if sector in SECTORS_BY_ID else "",
        query=q.replace("\x00", "")[:100],
    )
    return [_actor_out(a, request) for a in actors]


@router.post("/{coalition_slug}/ecosystem/actors", response={201: ActorOut}, summary="Add an actor")
@api_coalition(*ADMINS)
def create_ecosystem_actor(
    request: HttpRequest, coalition_slug: str, payload: ActorIn
) -> Status[dict[str, Any]]:
    try:
        actor = services.create_actor(
            coalition=request.coalition,  # type: ignore[attr-defined]
            user=request.user,
            **payload.model_dump(),
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, _actor_out(actor, request))


@router.get("/{coalition_slug}/ecosystem/actors/{actor_id}", response=ActorOut, summary="One actor")
@api_coalition(*ALL_ROLES)
def get_ecosystem_actor(request: HttpRequest, coalition_slug: str, actor_id: int) -> dict[str, Any]:
    return _actor_out(_get_actor(request, actor_id), request)


@router.patch(
    "/{coalition_slug}/ecosystem/actors/{actor_id}",
    response=ActorOut,
    summary="Change an actor (send the version you read; 409 when someone changed it since)",
)
@api_coalition(*ADMINS)
def update_ecosystem_actor(
    request: HttpRequest, coalition_slug: str, actor_id: int, payload: ActorPatch
) -> dict[str, Any]:
    actor = _get_actor(request, actor_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    for name, value in list(changes.items()):
        if value is None and name not in ("influence", "alignment"):
            raise HttpError(422, f"{name}: send a value, or leave the field out to keep it")
    if not changes:  # nothing to change: a no-op, never a save
        return _actor_out(actor, request)
    try:
        actor = services.update_actor(
            actor=actor, user=request.user, expected_version=version, **changes
        )
    except StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise _invalid(error) from None
    return _actor_out(actor, request)


@router.get("/{coalition_slug}/ecosystem/ties", response=list[TieOut], summary="Ties")
@api_coalition(*ALL_ROLES)
def list_ecosystem_ties(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    ties = list(selectors.list_ties(coalition=request.coalition))  # type: ignore[attr-defined]
    mutual = selectors.reciprocated_pairs(ties)
    return [_tie_out(t, mutual) for t in ties]


@router.post("/{coalition_slug}/ecosystem/ties", response={201: TieOut}, summary="Record a tie")
@api_coalition(*ADMINS)
def record_ecosystem_tie(
    request: HttpRequest, coalition_slug: str, payload: TieIn
) -> Status[dict[str, Any]]:
    coalition = request.coalition  # type: ignore[attr-defined]
    ends = Actor.objects.in_bulk([payload.from_actor_id, payload.to_actor_id])
    for field, actor_id in (
        ("from_actor_id", payload.from_actor_id),
        ("to_actor_id", payload.to_actor_id),
    ):
        if actor_id not in ends:
            raise HttpError(422, f"{field}: no actor {actor_id} on this coalition's map")
    try:
        tie = services.record_tie(
            coalition=coalition,
            user=request.user,
            from_actor=ends[payload.from_actor_id],
            to_actor=ends[payload.to_actor_id],
            type_ids=[str(t) for t in payload.type_ids],
            intensity=int(payload.intensity),
            frequency=payload.frequency,
            update_existing=False,  # an existing tie changes through PATCH, with its version
        )
    except ValidationError as error:
        raise _invalid(error) from None
    ties = selectors.ties_of(coalition=coalition, actor=tie.from_actor)
    return Status(201, _tie_out(tie, selectors.reciprocated_pairs(ties)))


@router.patch(
    "/{coalition_slug}/ecosystem/ties/{tie_id}",
    response=TieOut,
    summary="Change a backbone tie (send the version you read; 409 when someone changed it since)",
)
@api_coalition(*ADMINS)
def update_ecosystem_tie(
    request: HttpRequest, coalition_slug: str, tie_id: int, payload: TiePatch
) -> dict[str, Any]:
    coalition = request.coalition  # type: ignore[attr-defined]
    if not 1 <= tie_id <= MAX_ID:
        raise HttpError(404, "Not Found")
    try:
        tie = selectors.get_tie(coalition=coalition, tie_id=tie_id)
    except Tie.DoesNotExist:
        raise HttpError(404, "Not Found") from None
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    for name, value in changes.items():
        if value is None:
            raise HttpError(422, f"{name}: send a value, or leave the field out to keep it")
    if changes:
        try:
            tie = services.update_tie(
                tie=tie,
                user=request.user,
                expected_version=version,
                type_ids=[str(t) for t in changes.get("type_ids", tie.type_ids)],
                intensity=int(changes.get("intensity", tie.intensity)),
                frequency=changes.get("frequency", tie.frequency),
            )
        except StaleEditError as error:
            raise HttpError(409, str(error)) from None
        except ValidationError as error:
            raise _invalid(error) from None
    ties = selectors.ties_of(coalition=coalition, actor=tie.from_actor)
    return _tie_out(tie, selectors.reciprocated_pairs(ties))


@router.get(
    "/{coalition_slug}/ecosystem/surveys", response=list[SurveyOut], summary="Network surveys"
)
@api_coalition(*ADMINS)
def list_network_surveys(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [_survey_out(s) for s in selectors.list_surveys(coalition=request.coalition)]  # type: ignore[attr-defined]


@router.post(
    "/{coalition_slug}/ecosystem/surveys",
    response={201: OpenedSurveyOut},
    summary="Open a survey round; the personal links are returned once",
)
@api_coalition(*ADMINS)
def open_network_survey(
    request: HttpRequest, coalition_slug: str, payload: SurveyIn
) -> Status[dict[str, Any]]:
    coalition = request.coalition  # type: ignore[attr-defined]
    actors = Actor.objects.in_bulk(payload.actor_ids)
    unknown = [i for i in payload.actor_ids if i not in actors]
    if unknown:
        raise HttpError(422, f"actor_ids: no actor {unknown[0]} on this coalition's map")
    try:
        survey, links = services.create_survey(
            coalition=coalition,
            user=request.user,
            title=payload.title,
            actors=[actors[i] for i in payload.actor_ids],
        )
    except ValidationError as error:
        raise _invalid(error) from None
    survey = selectors.get_survey(coalition=coalition, survey_id=survey.pk)
    return Status(
        201,
        {
            "survey": _survey_out(survey),
            "links": [
                {
                    "actor_id": invitation.actor_id,
                    "actor_name": invitation.actor.name,
                    "link": request.build_absolute_uri(reverse("ecosystem:respond", args=[token])),
                }
                for invitation, token in links
            ],
        },
    )


@router.get(
    "/{coalition_slug}/ecosystem/metrics",
    response=MetricsOut,
    summary="Network and actor metrics, optionally of a subnetwork",
)
@api_coalition(*ALL_ROLES)
def get_network_metrics(
    request: HttpRequest, coalition_slug: str, sector: str = "", role: str = "", tie_type: str = ""
) -> dict[str, Any]:
    filters = selectors.Filters(
        sectors=frozenset({sector}) if sector in SECTORS_BY_ID else frozenset(),
        roles=frozenset({role}) if role in ROLE_IDS else frozenset(),
        tie_types=frozenset({tie_type}) if tie_type in Tie.Type.values else frozenset(),
    )
    analysis = selectors.analyze_coalition(coalition=request.coalition, filters=filters)  # type: ignore[attr-defined]
    report = analysis.report
    mixing = report.sector_mixing
    response = report.response
    return {
        "actor_count": report.actor_count,
        "tie_count": report.tie_count,
        "density": report.density,
        "reciprocity": report.reciprocity,
        "degree_centralization": report.degree_centralization,
        "component_count": report.component_count,
        "isolate_count": len(report.isolates),
        "community_count": len(report.communities),
        "modularity": report.modularity,
        "cross_sector_share": None if mixing is None else mixing.cross_sector_share,
        "ei_index": None if mixing is None else mixing.ei_index,
        "trust": None if report.trust is None else report.trust.score,
        "value": None if report.value is None else report.value.score,
        "response_rate": None if response is None else response.response_share,
        "invited_count": None if response is None else response.invited_count,
        "respondent_count": None if response is None else response.respondent_count,
        "warnings": []
        if response is None
        else [
            {"metric": w.metric, "severity": w.severity, "threshold": w.threshold}
            for w in response.warnings
        ],
        "one_sided_tie_count": len(report.one_sided_ties),
        "actors": [
            {
                "id": int(m.id),
                "name": analysis.actors[int(m.id)].name,
                "sector_id": m.sector or "",
                "degree": m.degree,
                "in_degree": m.in_degree,
                "out_degree": m.out_degree,
                "betweenness": m.betweenness,
                "closeness": m.closeness,
                "eigenvector": m.eigenvector,
                "community": m.community,
                "trust": m.trust,
                "value": m.value,
            }
            for m in report.actors
        ],
    }


@router.get(
    "/{coalition_slug}/ecosystem/missing",
    response=MissingOut,
    summary="Sectors and populations missing from the table",
)
@api_coalition(*ALL_ROLES)
def get_missing_sectors(request: HttpRequest, coalition_slug: str) -> dict[str, Any]:
    report = selectors.missing_report(coalition=request.coalition)  # type: ignore[attr-defined]

    def presence(items: Any) -> list[dict[str, Any]]:
        return [
            {
                "id": p.id,
                "status": p.status,
                "actor_count": p.actor_count,
                "connected_actor_count": p.connected_actor_count,
                "often_missing": p.often_missing,
            }
            for p in items
        ]

    return {
        "core_rule": report.core_rule,
        "sectors": presence(report.sectors),
        "populations": presence(report.populations),
        "absent": list(report.absent),
        "unconnected": list(report.unconnected),
        "flagged": list(report.flagged),
    }


@router.get(
    "/{coalition_slug}/ecosystem/export/{network_format}",
    summary="The network as GraphML, GEXF or a CSV edge list (edges-csv)",
)
@api_coalition(*ALL_ROLES)
def export_ecosystem_network(
    request: HttpRequest, coalition_slug: str, network_format: str
) -> HttpResponse:
    if network_format not in exchange.NETWORK_FORMATS:
        raise HttpError(404, "Not Found")
    analysis = selectors.analyze_coalition(coalition=request.coalition)  # type: ignore[attr-defined]
    names = {s.id: s.name.en for s in SECTORS_BY_ID.values()}
    return exchange.network_response(
        coalition_slug,
        analysis,
        network_format,
        lambda s: names.get(s or "", ""),
        with_contacts=policy.can_see_contacts(request.membership),  # type: ignore[attr-defined]
    )
