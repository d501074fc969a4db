"""The voice API; paths start with /{coalition_slug}/.

Survey results come back as published aggregates only: a hidden view has
``suppressed: true`` and no numbers (fewer than 5 people, or derivable from the
shown ones). No operation returns an answer sheet or a ranking ballot.
"""

import dataclasses
from datetime import date
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from commonground.api.access import api_coalition
from commonground.coalitions.access import ADMINS, ALL_ROLES
from commonground.lib.versioning import StaleEditError
from commonground.voice import selectors, services
from commonground.voice.models import ListeningSession, SurveyWave, Theme

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]  # an id the database can hold

router = Router(tags=["Community voice"])


def _invalid(error: ValidationError) -> HttpError:
    if hasattr(error, "error_dict"):
        text = "; ".join(
            f"{field}: {' '.join(map(str, msgs))}" for field, msgs in error.message_dict.items()
        )
    else:
        text = "; ".join(map(str, error.messages))
    return HttpError(422, text)


def _get(model: Any, pk: int) -> Any:
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise HttpError(404, "Not Found")
    return found


def _wave_out(wave: SurveyWave) -> dict[str, Any]:
    return {
        "id": wave.pk,
        "title": wave.title,
        "number": wave.number,
        "status": wave.status,
        "opened_on": wave.opened_on,
        "closed_on": wave.closed_on,
        "synthetic": wave.is_synthetic,
    }


@router.get("/{coalition_slug}/voice/waves", summary="Survey waves")
@api_coalition(*ALL_ROLES)
def list_voice_waves(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [_wave_out(w) for w in selectors.waves(coalition=request.coalition)]  # type: ignore[attr-defined]


@router.get(
    "/{coalition_slug}/voice/waves/{wave_id}/results",
    summary="A wave's published results (aggregates only; hidden views carry no numbers)",
)
@api_coalition(*ALL_ROLES)
def get_voice_wave_results(
    request: HttpRequest, coalition_slug: str, wave_id: int
) -> dict[str, Any]:
    wave = _get(SurveyWave, wave_id)
    result = selectors.results(wave=wave)
    return {
        "wave": _wave_out(wave),
        "respondents": result.respondents,
        "invited": result.invited,
        "response_rate": result.response_rate,
        "min_group_size": result.min_group_size,
        "scales": [
            {
                "scale": s.scale,
                "items": list(s.items),
                "alpha": s.alpha,
                "voice_gap": s.voice_gap,
                "views": [dataclasses.asdict(v) for v in s.views.values()],
            }
            for s in result.scales
        ],
        "distributions": [dataclasses.asdict(d) for d in result.distributions],
        "by_member_type": [dataclasses.asdict(c) for c in result.by_member_type],
        "attributes": {k: [dataclasses.asdict(c) for c in v] for k, v in result.attributes.items()},
    }


class PaperSheetIn(Schema):
    answers: dict[str, int | None]
    member_type: str = ""
    sector: str = ""
    years: str = ""
    comment: str = Field("", max_length=2000)


@router.post(
    "/{coalition_slug}/voice/waves/{wave_id}/paper",
    response={201: dict[str, Any]},
    summary="Type in one paper worksheet (stored anonymously, counted as staff-entered)",
)
@api_coalition(*ADMINS)
def add_voice_paper_sheet(
    request: HttpRequest, coalition_slug: str, wave_id: int, payload: PaperSheetIn
) -> Status[dict[str, Any]]:
    wave = _get(SurveyWave, wave_id)
    try:
        services.submit_survey(
            wave=wave,
            sheet=services.SheetInput(
                answers=dict(payload.answers),
                member_type=payload.member_type,
                sector=payload.sector,
                years=payload.years,
                comment=payload.comment,
            ),
            is_paper=True,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, {"saved": True})


def _session_out(s: ListeningSession) -> dict[str, Any]:
    return {
        "id": s.pk,
        "title": s.title,
        "tour": s.tour,
        "held_on": s.held_on,
        "place": s.place,
        "county": s.county,
        "topic": s.topic,
        "languages": s.languages,
        "host": s.host.name if s.host else None,
        "host_id": s.host_id,
        "residents_reached": s.residents_reached,
        "supports": s.supports,
        "notes": s.notes,
        "version": s.version,
    }


@router.get("/{coalition_slug}/voice/sessions", summary="Listening sessions")
@api_coalition(*ALL_ROLES)
def list_voice_sessions(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [_session_out(s) for s in selectors.sessions(coalition=request.coalition)]  # type: ignore[attr-defined]


class SessionIn(Schema):
    title: str = Field(max_length=160)
    held_on: date
    place: str = Field(max_length=160)
    topic: str = Field(max_length=160)
    tour: str = ""
    county: str = ""
    languages: list[str] = []
    host_id: Id | None = None
    residents_reached: int = 0
    supports: list[str] = []
    notes: str = ""


@router.post(
    "/{coalition_slug}/voice/sessions",
    response={201: dict[str, Any]},
    summary="Record a listening session",
)
@api_coalition(*ADMINS)
def create_voice_session(
    request: HttpRequest, coalition_slug: str, payload: SessionIn
) -> Status[dict[str, Any]]:
    data = services.SessionInput(
        **{
            **payload.dict(),
            "languages": tuple(payload.languages),
            "supports": tuple(payload.supports),
        }
    )
    try:
        session = services.record_session(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            data=data,
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, _session_out(session))


class ExcerptIn(Schema):
    text: str
    theme_ids: list[Id]


@router.post(
    "/{coalition_slug}/voice/sessions/{session_id}/excerpts",
    response={201: dict[str, Any]},
    summary="Code an excerpt of a session's notes with themes",
)
@api_coalition(*ADMINS)
def code_voice_excerpt(
    request: HttpRequest, coalition_slug: str, session_id: int, payload: ExcerptIn
) -> Status[dict[str, Any]]:
    session = _get(ListeningSession, session_id)
    try:
        excerpt = services.code_excerpt(
            session=session, actor=request.user, text=payload.text, theme_ids=payload.theme_ids
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, {"id": excerpt.pk, "themes": sorted(t.pk for t in excerpt.themes.all())})


@router.get("/{coalition_slug}/voice/themes", summary="The codebook with theme counts")
@api_coalition(*ALL_ROLES)
def list_voice_themes(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    coalition = request.coalition  # type: ignore[attr-defined]
    counts = selectors.theme_counts(coalition=coalition)
    codebook = selectors.codebook(coalition=coalition)
    answered = selectors.responses_to_themes(
        coalition=coalition, theme_ids=[t.pk for t in codebook]
    )
    return [
        {
            "id": t.pk,
            "name": t.name,
            "description": t.description,
            "count": counts["total"].get(t.pk, 0),
            "by_place": dict(counts["by_place"].get(t.pk, {})),
            "by_topic": dict(counts["by_topic"].get(t.pk, {})),
            "pillar_ids": t.pillar_ids,
            "priority_area_ids": [a.pk for a in t.priority_areas.all()],
            "indicator_ids": [i.pk for i in t.indicators.all()],
            "version": t.version,
            "responses": answered.get(t.pk, []),
        }
        for t in codebook
    ]


class ThemeIn(Schema):
    name: str = Field(max_length=120)
    description: str = ""
    pillar_ids: list[str] = []
    priority_area_ids: list[Id] = []
    indicator_ids: list[Id] = []


class ThemePatch(ThemeIn):
    version: int


@router.post(
    "/{coalition_slug}/voice/themes", response={201: dict[str, Any]}, summary="Add a theme"
)
@api_coalition(*ADMINS)
def create_voice_theme(
    request: HttpRequest, coalition_slug: str, payload: ThemeIn
) -> Status[dict[str, Any]]:
    try:
        theme = services.create_theme(
            coalition=request.coalition,  # type: ignore[attr-defined]
            actor=request.user,
            **payload.dict(),
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return Status(201, {"id": theme.pk, "name": theme.name, "version": theme.version})


@router.patch(
    "/{coalition_slug}/voice/themes/{theme_id}",
    summary="Change a theme (send the version you read; 409 when someone changed it since)",
)
@api_coalition(*ADMINS)
def update_voice_theme(
    request: HttpRequest, coalition_slug: str, theme_id: int, payload: ThemePatch
) -> dict[str, Any]:
    theme = _get(Theme, theme_id)
    data = payload.dict()
    version = data.pop("version")
    try:
        theme = services.update_theme(
            theme=theme, actor=request.user, expected_version=version, **data
        )
    except StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise _invalid(error) from None
    return {"id": theme.pk, "name": theme.name, "version": theme.version}


@router.get(
    "/{coalition_slug}/voice/priorities",
    summary="Ranking rounds side by side (residents, institutions; k = 5) and the chosen priorities",
)
@api_coalition(*ALL_ROLES)
def get_voice_priorities(request: HttpRequest, coalition_slug: str) -> dict[str, Any]:
    coalition = request.coalition  # type: ignore[attr-defined]
    rounds = []
    for round_ in selectors.priority_rounds(coalition=coalition):
        rankings = selectors.round_rankings(round_=round_)
        names = {c.pk: c.name for c in round_.candidates.all()}
        rounds.append(
            {
                "id": round_.pk,
                "title": round_.title,
                "status": round_.status,
                "candidates": [{"id": pk, "name": name} for pk, name in names.items()],
                "groups": {
                    group: {
                        "ballots": ranking.ballots,
                        "suppressed": ranking.suppressed,
                        "ranking": [
                            {
                                "candidate_id": r.candidate,
                                "name": names[r.candidate],
                                "points": r.points,
                                "rank": r.rank,
                            }
                            for r in ranking.ranking
                        ],
                    }
                    for group, ranking in rankings.items()
                },
            }
        )
    return {"rounds": rounds, "chosen": selectors.chosen_priorities(coalition=coalition)}


class ChosenIn(Schema):
    names: list[str]


@router.put(
    "/{coalition_slug}/voice/priorities/chosen",
    summary="Record the chosen priorities (most important first); they become the focus areas",
)
@api_coalition(*ADMINS)
def set_voice_chosen_priorities(
    request: HttpRequest, coalition_slug: str, payload: ChosenIn
) -> dict[str, Any]:
    from django.utils import timezone

    coalition = request.coalition  # type: ignore[attr-defined]
    try:
        services.choose_priorities(
            coalition=coalition,
            actor=request.user,
            chosen=[services.ChoiceInput(name) for name in payload.names],
            chosen_on=timezone.localdate(),
        )
    except ValidationError as error:
        raise _invalid(error) from None
    return {"chosen": selectors.chosen_priorities(coalition=coalition)}


@router.get(
    "/{coalition_slug}/voice/trainings", summary="Trainings, skill-shares and leadership programs"
)
@api_coalition(*ALL_ROLES)
def list_voice_trainings(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    return [
        {
            "id": t.pk,
            "title": t.title,
            "kind": t.kind,
            "topic": t.topic,
            "audience": t.audience,
            "host": t.host.name if t.host else None,
            "held_on": t.held_on,
            "participants": {
                "community": t.community_participants,
                "partner": t.partner_participants,
                "backbone": t.backbone_participants,
            },
            "version": t.version,
        }
        for t in selectors.trainings(coalition=request.coalition)  # type: ignore[attr-defined]
    ]


@router.get("/{coalition_slug}/voice/stories", summary="Stories of small wins")
@api_coalition(*ALL_ROLES)
def list_voice_stories(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    coalition = request.coalition  # type: ignore[attr-defined]
    return [
        {
            "id": s.pk,
            "title": s.title,
            "happened_on": s.happened_on,
            "body": s.body,
            "figure": s.figure,
            "priority_area": s.priority_area.name if s.priority_area else None,
            "partners": [p.name for p in s.partners.all()],
            "is_public": s.is_public,
            "photo_url": reverse("voice:story_photo", args=[coalition.slug, s.pk])
            if s.photo_type
            else None,
            "consents": [
                {"person": c.person, "appears": c.appears, "consented": c.consented}
                for c in s.consents.all()
            ],
        }
        for s in selectors.stories(coalition=coalition)
    ]
