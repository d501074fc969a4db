"""Writes of the voice app: one transaction and one audit row per change.

Anonymous answers (``submit_survey``, ``submit_ballot``) write an audit row with
``anonymous=True``: no actor, no name, the day only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from commonground.coalitions.models import AuditEvent, Coalition, Place
from commonground.coalitions.services import PlaceInput, record_audit, update_profile
from commonground.ecosystem.domain.sectors import SECTORS_BY_ID
from commonground.ecosystem.models import Actor
from commonground.framework import lookups
from commonground.lib.versioning import save_versioned
from commonground.measurement.models import Indicator, PriorityArea
from commonground.voice.domain.instrument import ITEMS, SCALE_IDS
from commonground.voice.models import (
    AnswerSheet,
    ChosenPriority,
    Excerpt,
    ListeningSession,
    MemberType,
    PriorityBallot,
    PriorityCandidate,
    PriorityRound,
    Story,
    StoryConsent,
    SurveyQuestion,
    SurveyWave,
    Theme,
    Training,
)

Action = AuditEvent.Action
MAX_COMMENT = 2000
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
LANGUAGES = {
    "en": "English",
    "es": "Español",
    "vi": "Tiếng Việt",
    "zh": "中文",
    "ht": "Kreyòl",
    "ar": "العربية",
    "so": "Soomaali",
    "other": "Other",
}


class LinkError(Exception):
    """A public link that cannot be used (unknown or closed); the message says why."""


def _check_same(coalition: Coalition, obj: Any, field: str) -> None:
    if obj is not None and obj.coalition_id != coalition.pk:
        raise ValidationError({field: _("This record belongs to another coalition.")})


def _get(model: Any, coalition: Coalition, pk: Any, field: str) -> Any:
    if pk in (None, ""):
        return None
    with scopes_disabled():
        obj = model.objects.filter(pk=pk).first()
    if obj is None or obj.coalition_id != coalition.pk:
        raise ValidationError({field: _("No such record in this coalition.")})
    return obj


def _get_many(model: Any, coalition: Coalition, pks: Iterable[Any], field: str) -> list[Any]:
    return [_get(model, coalition, pk, field) for pk in dict.fromkeys(pks) if pk not in (None, "")]


def _clean(obj: Any) -> None:
    obj.full_clean(exclude=["coalition"])


# ------------------------------------------------------------------ codebook


@transaction.atomic
def create_theme(
    *,
    coalition: Coalition,
    actor: Any,
    name: str,
    description: str = "",
    pillar_ids: Sequence[str] = (),
    priority_area_ids: Sequence[int] = (),
    indicator_ids: Sequence[int] = (),
) -> Theme:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the theme a name.")})
    pillars = _checked_pillars(pillar_ids)
    areas = _get_many(PriorityArea, coalition, priority_area_ids, "priority_areas")
    indicators = _get_many(Indicator, coalition, indicator_ids, "indicators")
    with scope(coalition=coalition):
        if Theme.objects.filter(name__iexact=name).exists():
            raise ValidationError({"name": _("The codebook already has a theme with this name.")})
        theme = Theme(coalition=coalition, name=name, description=description, pillar_ids=pillars)
        _clean(theme)
        theme.save()
        theme.priority_areas.set(areas)
        theme.indicators.set(indicators)
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.CREATE,
            obj=theme,
            summary=f"Added theme {name}",
            event="voice.theme_added",
            params={"name": name},
        )
    return theme


def _checked_pillars(pillar_ids: Sequence[str]) -> list[str]:
    for pillar in pillar_ids:
        try:
            lookups.get_pillar(pillar)
        except lookups.UnknownFrameworkId:
            raise ValidationError(
                {"pillar_ids": _("Unknown pillar: %(id)s") % {"id": pillar}}
            ) from None
    return list(dict.fromkeys(pillar_ids))


@transaction.atomic
def update_theme(
    *,
    theme: Theme,
    actor: Any,
    expected_version: int | None,
    name: str,
    description: str = "",
    pillar_ids: Sequence[str] = (),
    priority_area_ids: Sequence[int] = (),
    indicator_ids: Sequence[int] = (),
) -> Theme:
    coalition = theme.coalition
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the theme a name.")})
    pillars = _checked_pillars(pillar_ids)
    areas = _get_many(PriorityArea, coalition, priority_area_ids, "priority_areas")
    indicators = _get_many(Indicator, coalition, indicator_ids, "indicators")
    with scope(coalition=coalition):
        if Theme.objects.filter(name__iexact=name).exclude(pk=theme.pk).exists():
            raise ValidationError({"name": _("The codebook already has a theme with this name.")})
        theme.name, theme.description, theme.pillar_ids = name, description, pillars
        _clean(theme)
        save_versioned(theme, expected=expected_version)
        theme.priority_areas.set(areas)
        theme.indicators.set(indicators)
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.UPDATE,
            obj=theme,
            summary=f"Edited theme {name}",
            event="voice.theme_edited",
            params={"name": name},
        )
    return theme


# ------------------------------------------------------------------ survey


def _wave_items(coalition: Coalition) -> list[str]:
    with scope(coalition=coalition):
        custom = [q.item_id for q in SurveyQuestion.objects.filter(is_active=True)]
    return [item.id for item in ITEMS] + custom


@transaction.atomic
def add_question(
    *,
    coalition: Coalition,
    actor: Any,
    scale: str,
    text_en: str,
    text_es: str = "",
    reverse: bool = False,
) -> SurveyQuestion:
    if scale not in SCALE_IDS:
        raise ValidationError({"scale": _("Choose one of the survey's scales.")})
    if not text_en.strip():
        raise ValidationError({"text_en": _("Write the question in English.")})
    with scope(coalition=coalition):
        question = SurveyQuestion(
            coalition=coalition,
            scale=scale,
            text_en=text_en.strip(),
            text_es=text_es.strip(),
            reverse=reverse,
        )
        _clean(question)
        question.save()
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.CREATE,
            obj=question,
            summary=f"Added survey question {question.text_en[:80]}",
            event="voice.question_added",
            params={"text": question.text_en[:120]},
        )
        for wave in SurveyWave.objects.filter(status=SurveyWave.Status.OPEN):
            before = list(wave.items)
            wave.items = [*before, question.item_id]
            wave.save(update_fields=["items"])
            record_audit(
                coalition=coalition,
                actor=actor,
                action=Action.UPDATE,
                obj=wave,
                summary=f"Asked survey question {question.text_en[:60]} in {wave.title[:60]}",
                before={"items": before},
                after={"items": wave.items},
                event="voice.question_asked_in_wave",
                params={"text": question.text_en[:120], "title": wave.title},
            )
    return question


@transaction.atomic
def open_wave(
    *,
    coalition: Coalition,
    actor: Any,
    title: str,
    opened_on: datetime.date,
    invited: int | None = None,
    is_synthetic: bool = False,
) -> SurveyWave:
    with scope(coalition=coalition):
        number = (max(SurveyWave.objects.values_list("number", flat=True), default=0)) + 1
        wave = SurveyWave(
            coalition=coalition,
            title=title.strip(),
            number=number,
            invited=invited,
            opened_on=opened_on,
            items=_wave_items(coalition),
            is_synthetic=is_synthetic,
        )
        _clean(wave)
        wave.save()
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.CREATE,
            obj=wave,
            summary=f"Opened survey wave {wave.title}",
            event="voice.wave_opened",
            params={"title": wave.title, "number": number},
        )
    return wave


@transaction.atomic
def close_wave(*, wave: SurveyWave, actor: Any, closed_on: datetime.date) -> SurveyWave:
    with scope(coalition=wave.coalition):
        wave.status = SurveyWave.Status.CLOSED
        wave.closed_on = closed_on
        save_versioned(wave, expected=None)
        record_audit(
            coalition=wave.coalition,
            actor=actor,
            action=Action.UPDATE,
            obj=wave,
            summary=f"Closed survey wave {wave.title}",
            event="voice.wave_closed",
            params={"title": wave.title},
        )
    return wave


def find_wave(*, token: str) -> SurveyWave:
    """The open wave of a public link, or ``LinkError``. The one read across coalitions."""
    with scopes_disabled():
        wave = SurveyWave.objects.select_related("coalition").filter(token=token).first()
    if wave is None:
        raise LinkError(_("This survey link is not valid. Ask the coalition for the current one."))
    if not wave.is_open:
        raise LinkError(_("This survey wave is closed. Thank you for your interest."))
    return wave


@dataclass(frozen=True, slots=True)
class SheetInput:
    answers: dict[str, Any]
    member_type: str = ""
    sector: str = ""
    years: str = ""
    comment: str = ""


def _checked_sheet(wave: SurveyWave, sheet: SheetInput) -> dict[str, int]:
    known = set(wave.items)
    answers: dict[str, int] = {}
    for item, raw in sheet.answers.items():
        if item not in known:
            raise ValidationError({"answers": _("Unknown question: %(item)s") % {"item": item}})
        if raw in (None, ""):
            continue
        try:
            value = int(str(raw))
        except ValueError:
            value = 0
        if not 1 <= value <= 5:
            raise ValidationError({item: _("Choose an answer from 1 to 5.")})
        answers[item] = value
    if sheet.member_type not in ("", *MemberType.values):
        raise ValidationError(
            {"member_type": _("Choose one of the member types, or leave it blank.")}
        )
    if sheet.sector and sheet.sector not in SECTORS_BY_ID:
        raise ValidationError({"sector": _("Choose one of the sectors, or leave it blank.")})
    if sheet.years not in ("", *AnswerSheet.Years.values):
        raise ValidationError(
            {"years": _("Choose how long you have taken part, or leave it blank.")}
        )
    if len(sheet.comment) > MAX_COMMENT:
        raise ValidationError(
            {"comment": _("Keep the comment under %(n)d characters.") % {"n": MAX_COMMENT}}
        )
    if not answers and not sheet.comment.strip():
        raise ValidationError({"answers": _("Answer at least one question.")})
    return answers


@transaction.atomic
def submit_survey(
    *, wave: SurveyWave, sheet: SheetInput, is_paper: bool = False, actor: Any = None
) -> None:
    """Store one anonymous answer sheet. Nothing about who sent it is kept.

    ``is_paper``: a staff member typed in a paper worksheet (kept apart for suppression).
    """
    coalition = wave.coalition
    with scope(coalition=coalition):
        locked = SurveyWave.objects.select_for_update().get(pk=wave.pk)
        if not locked.is_open:
            raise ValidationError({"wave": _("This survey wave is closed.")})
        answers = _checked_sheet(locked, sheet)
        response = AnswerSheet.objects.create(
            coalition=coalition,
            wave=locked,
            member_type=sheet.member_type,
            sector=sheet.sector,
            years=sheet.years,
            is_paper=is_paper,
            answers=answers,
            comment=sheet.comment.strip(),
        )
        record_audit(
            coalition=coalition,
            actor=None,
            action=Action.CREATE,
            obj=response,
            summary="An anonymous survey answer",
            anonymous=True,
            event="voice.survey_answered",
            params={"wave": locked.title, "paper": is_paper},
        )


# ------------------------------------------------------------------ listening


@dataclass(frozen=True, slots=True)
class SessionInput:
    title: str
    held_on: datetime.date
    place: str
    topic: str
    tour: str = ""
    county: str = ""
    languages: tuple[str, ...] = ()
    host_id: int | None = None
    residents_reached: int = 0
    supports: tuple[str, ...] = ()
    notes: str = ""


def _apply_session(session: ListeningSession, data: SessionInput) -> None:
    coalition = session.coalition
    for language in data.languages:
        if language not in LANGUAGES:
            raise ValidationError(
                {"languages": _("Unknown language: %(code)s") % {"code": language}}
            )
    for support in data.supports:
        if support not in ListeningSession.Support.values:
            raise ValidationError({"supports": _("Unknown support: %(code)s") % {"code": support}})
    if data.residents_reached < 0:
        raise ValidationError({"residents_reached": _("Residents reached cannot be negative.")})
    session.host = _get(Actor, coalition, data.host_id, "host")
    session.title, session.held_on, session.place = (
        data.title.strip(),
        data.held_on,
        data.place.strip(),
    )
    session.topic, session.tour, session.county = (
        data.topic.strip(),
        data.tour.strip(),
        data.county.strip(),
    )
    session.languages = list(dict.fromkeys(data.languages))
    session.supports = list(dict.fromkeys(data.supports))
    session.residents_reached, session.notes = data.residents_reached, data.notes
    _clean(session)


@transaction.atomic
def record_session(*, coalition: Coalition, actor: Any, data: SessionInput) -> ListeningSession:
    with scope(coalition=coalition):
        session = ListeningSession(coalition=coalition)
        _apply_session(session, data)
        session.save()
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.CREATE,
            obj=session,
            summary=f"Recorded listening session {session.title}",
            event="voice.session_recorded",
            params={"title": session.title, "place": session.place},
        )
    return session


@transaction.atomic
def update_session(
    *, session: ListeningSession, actor: Any, data: SessionInput, expected_version: int | None
) -> ListeningSession:
    with scope(coalition=session.coalition):
        _apply_session(session, data)
        save_versioned(session, expected=expected_version)
        record_audit(
            coalition=session.coalition,
            actor=actor,
            action=Action.UPDATE,
            obj=session,
            summary=f"Edited listening session {session.title}",
            event="voice.session_edited",
            params={"title": session.title},
        )
    return session


@transaction.atomic
def code_excerpt(
    *, session: ListeningSession, actor: Any, text: str, theme_ids: Sequence[int]
) -> Excerpt:
    """Add a passage of the session's notes, tagged with at least one theme."""
    coalition = session.coalition
    if not text.strip():
        raise ValidationError({"text": _("Paste or write the passage to code.")})
    themes = _get_many(Theme, coalition, theme_ids, "themes")
    if not themes:
        raise ValidationError({"themes": _("Choose at least one theme.")})
    with scope(coalition=coalition):
        excerpt = Excerpt.objects.create(
            coalition=coalition,
            session=session,
            text=text.strip(),
            coded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        excerpt.themes.set(themes)
        names = [theme.name for theme in themes]
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.CREATE,
            obj=excerpt,
            summary=f"Coded an excerpt of {session.title}: {', '.join(names)}"[:200],
            event="voice.excerpt_coded",
            params={"session": session.title, "themes": names},
        )
    return excerpt


@transaction.atomic
def delete_excerpt(*, excerpt: Excerpt, actor: Any) -> None:
    coalition = excerpt.coalition
    with scope(coalition=coalition):
        title = excerpt.session.title
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.DELETE,
            obj=excerpt,
            summary=f"Removed an excerpt of {title}",
            event="voice.excerpt_removed",
            params={"session": title},
        )
        excerpt.delete()


# ------------------------------------------------------------------ priorities


@dataclass(frozen=True, slots=True)
class CandidateInput:
    name: str
    origin: str = PriorityCandidate.Origin.PROPOSED
    theme_id: int | None = None
    indicator_id: int | None = None
    detail: str = ""


@transaction.atomic
def open_priority_round(
    *,
    coalition: Coalition,
    actor: Any,
    title: str,
    opened_on: datetime.date,
    candidates: Sequence[CandidateInput],
) -> PriorityRound:
    if len(candidates) < 2:
        raise ValidationError({"candidates": _("List at least two candidate focus areas.")})
    with scope(coalition=coalition):
        round_ = PriorityRound(coalition=coalition, title=title.strip(), opened_on=opened_on)
        _clean(round_)
        round_.save()
        for index, data in enumerate(candidates, start=1):
            if not data.name.strip():
                raise ValidationError(
                    {"candidates": _("Candidate %(n)d has no name.") % {"n": index}}
                )
            if data.origin not in PriorityCandidate.Origin.values:
                raise ValidationError(
                    {"candidates": _("Candidate %(n)d: unknown origin.") % {"n": index}}
                )
            PriorityCandidate.objects.create(
                coalition=coalition,
                round=round_,
                name=data.name.strip()[:160],
                origin=data.origin,
                theme=_get(Theme, coalition, data.theme_id, "theme"),
                indicator=_get(Indicator, coalition, data.indicator_id, "indicator"),
                detail=data.detail[:300],
            )
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.CREATE,
            obj=round_,
            summary=f"Opened priority round {round_.title}",
            event="voice.priority_round_opened",
            params={"title": round_.title, "candidates": len(candidates)},
        )
    return round_


def find_priority_round(*, token: str) -> PriorityRound:
    with scopes_disabled():
        round_ = PriorityRound.objects.select_related("coalition").filter(token=token).first()
    if round_ is None:
        raise LinkError(_("This link is not valid. Ask the coalition for the current one."))
    if not round_.is_open:
        raise LinkError(_("Ranking for this round has closed. Thank you for your interest."))
    return round_


@transaction.atomic
def submit_ballot(
    *, round_: PriorityRound, group: str, ranking: Sequence[int], is_paper: bool = False
) -> None:
    """Store one anonymous ranking (candidate ids, most important first)."""
    coalition = round_.coalition
    if group not in PriorityBallot.Group.values:
        raise ValidationError(
            {"group": _("Say whether you answer as a resident or for an institution.")}
        )
    with scope(coalition=coalition):
        locked = PriorityRound.objects.select_for_update().get(pk=round_.pk)
        if not locked.is_open:
            raise ValidationError({"round": _("Ranking for this round has closed.")})
        known = set(PriorityCandidate.objects.filter(round=locked).values_list("pk", flat=True))
        order = list(dict.fromkeys(int(pk) for pk in ranking))
        if not order:
            raise ValidationError({"ranking": _("Rank at least one candidate.")})
        if any(pk not in known for pk in order):
            raise ValidationError({"ranking": _("Rank only this round's candidates.")})
        ballot = PriorityBallot.objects.create(
            coalition=coalition, round=locked, group=group, is_paper=is_paper, ranking=order
        )
        record_audit(
            coalition=coalition,
            actor=None,
            action=Action.CREATE,
            obj=ballot,
            summary="An anonymous priority ranking",
            anonymous=True,
            event="voice.ballot_cast",
            params={"round": locked.title},
        )


@transaction.atomic
def close_priority_round(*, round_: PriorityRound, actor: Any) -> PriorityRound:
    with scope(coalition=round_.coalition):
        round_.status = PriorityRound.Status.CLOSED
        save_versioned(round_, expected=None)
        record_audit(
            coalition=round_.coalition,
            actor=actor,
            action=Action.UPDATE,
            obj=round_,
            summary=f"Closed priority round {round_.title}",
            event="voice.priority_round_closed",
            params={"title": round_.title},
        )
    return round_


@dataclass(frozen=True, slots=True)
class ChoiceInput:
    name: str
    candidate_id: int | None = None
    priority_area_id: int | None = None
    rationale: str = ""


@transaction.atomic
def choose_priorities(
    *, coalition: Coalition, actor: Any, chosen: Sequence[ChoiceInput], chosen_on: datetime.date
) -> list[ChosenPriority]:
    """Record the chosen priorities (in rank order) and make them the coalition's focus areas.

    The focus areas are written through ``coalitions.services.update_profile`` (which
    writes its own audit row); the places served are kept as they are.
    """
    names = [choice.name.strip() for choice in chosen]
    if not names or any(not name for name in names):
        raise ValidationError({"chosen": _("Name every chosen priority.")})
    if len(set(name.lower() for name in names)) != len(names):
        raise ValidationError({"chosen": _("A priority is listed twice.")})
    with scope(coalition=coalition):
        rows = []
        ChosenPriority.objects.all().delete()
        for rank, choice in enumerate(chosen, start=1):
            row = ChosenPriority(
                coalition=coalition,
                name=choice.name.strip()[:160],
                rank=rank,
                candidate=_get(PriorityCandidate, coalition, choice.candidate_id, "candidate"),
                priority_area=_get(
                    PriorityArea, coalition, choice.priority_area_id, "priority_area"
                ),
                rationale=choice.rationale,
                chosen_on=chosen_on,
            )
            _clean(row)
            row.save()
            rows.append(row)
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.UPDATE,
            obj=rows[0],
            summary=f"Chose priorities: {', '.join(names)}"[:200],
            event="voice.priorities_chosen",
            params={"names": names},
        )
        places = [
            PlaceInput(p.kind, p.code, p.name) for p in Place.objects.filter(coalition=coalition)
        ]
    fresh = Coalition.objects.get(pk=coalition.pk)
    update_profile(coalition=fresh, actor=actor, places=places, focus_areas=names)
    return rows


# ------------------------------------------------------------------ capacity


@dataclass(frozen=True, slots=True)
class TrainingInput:
    title: str
    topic: str
    held_on: datetime.date
    kind: str = Training.Kind.TRAINING
    audience: str = ""
    host_id: int | None = None
    community_participants: int = 0
    partner_participants: int = 0
    backbone_participants: int = 0
    notes: str = ""


def _apply_training(training: Training, data: TrainingInput) -> None:
    training.host = _get(Actor, training.coalition, data.host_id, "host")
    for field in (
        "title",
        "topic",
        "held_on",
        "kind",
        "audience",
        "community_participants",
        "partner_participants",
        "backbone_participants",
        "notes",
    ):
        setattr(training, field, getattr(data, field))
    for field in ("community_participants", "partner_participants", "backbone_participants"):
        if getattr(data, field) < 0:
            raise ValidationError({field: _("Participants cannot be negative.")})
    _clean(training)


@transaction.atomic
def record_training(*, coalition: Coalition, actor: Any, data: TrainingInput) -> Training:
    with scope(coalition=coalition):
        training = Training(coalition=coalition)
        _apply_training(training, data)
        training.save()
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.CREATE,
            obj=training,
            summary=f"Recorded training {training.title}",
            event="voice.training_recorded",
            params={"title": training.title},
        )
    return training


@transaction.atomic
def update_training(
    *, training: Training, actor: Any, data: TrainingInput, expected_version: int | None
) -> Training:
    with scope(coalition=training.coalition):
        _apply_training(training, data)
        save_versioned(training, expected=expected_version)
        record_audit(
            coalition=training.coalition,
            actor=actor,
            action=Action.UPDATE,
            obj=training,
            summary=f"Edited training {training.title}",
            event="voice.training_edited",
            params={"title": training.title},
        )
    return training


# ------------------------------------------------------------------ stories


@dataclass(frozen=True, slots=True)
class ConsentInput:
    person: str
    appears: str = StoryConsent.Appears.NAMED
    consented: bool = False
    consented_on: datetime.date | None = None
    how: str = ""


@dataclass(frozen=True, slots=True)
class StoryInput:
    title: str
    happened_on: datetime.date
    body: str
    figure: str = ""
    partner_ids: tuple[int, ...] = ()
    priority_area_id: int | None = None
    is_public: bool = False
    photo: bytes | None = None
    photo_alt: str = ""
    consents: tuple[ConsentInput, ...] = ()


def checked_photo(content: bytes) -> str:
    """The photo's type (PNG or JPEG, by its first bytes); a wrong or huge file is refused."""
    if len(content) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": _("The photo is larger than 5 MB. Send a smaller one.")})
    for magic, kind in PHOTO_TYPES.items():
        if content.startswith(magic):
            return kind
    raise ValidationError({"photo": _("The photo must be a PNG or JPEG image.")})


@transaction.atomic
def save_story(
    *,
    coalition: Coalition,
    actor: Any,
    data: StoryInput,
    story: Story | None = None,
    expected_version: int | None = None,
) -> Story:
    """Create or edit a story; its consents are replaced by ``data.consents``.

    A story marked public needs consent from every person named or shown.
    """
    partners = _get_many(Actor, coalition, data.partner_ids, "partners")
    area = _get(PriorityArea, coalition, data.priority_area_id, "priority_area")
    for index, consent in enumerate(data.consents, start=1):
        if not consent.person.strip():
            raise ValidationError({"consents": _("Person %(n)d has no name.") % {"n": index}})
        if consent.appears not in StoryConsent.Appears.values:
            raise ValidationError(
                {"consents": _("Person %(n)d: unknown appearance.") % {"n": index}}
            )
    if data.is_public and any(not consent.consented for consent in data.consents):
        raise ValidationError(
            {"is_public": _("Everyone named or shown must consent before the story is shared.")}
        )
    if data.photo and data.is_public and not data.photo_alt.strip():
        raise ValidationError({"photo_alt": _("Describe the photo for people who cannot see it.")})
    with scope(coalition=coalition):
        created = story is None
        if story is None:
            story = Story(coalition=coalition)
        elif data.is_public and story.photo and not data.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": _("Describe the photo for people who cannot see it.")}
            )
        story.title, story.happened_on, story.body = data.title.strip(), data.happened_on, data.body
        story.figure, story.priority_area, story.is_public = (
            data.figure.strip(),
            area,
            data.is_public,
        )
        story.photo_alt = data.photo_alt.strip()
        if data.photo:
            story.photo_type = checked_photo(data.photo)
            story.photo = data.photo
        _clean(story)
        if created:
            story.save()
        else:
            save_versioned(story, expected=expected_version)
        story.partners.set(partners)
        StoryConsent.objects.filter(story=story).delete()
        for consent in data.consents:
            StoryConsent.objects.create(
                coalition=coalition,
                story=story,
                person=consent.person.strip()[:160],
                appears=consent.appears,
                consented=consent.consented,
                consented_on=consent.consented_on,
                how=consent.how[:160],
            )
        record_audit(
            coalition=coalition,
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=story,
            summary=f"{'Added' if created else 'Edited'} story {story.title}",
            event="voice.story_added" if created else "voice.story_edited",
            params={"title": story.title},
        )
    return story
