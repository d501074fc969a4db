"""Pages of the voice app. Each view declares its access; objects are looked up in scope."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope

from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CoalitionRequest,
    coalition_view,
    public,
)
from commonground.coalitions.models import Membership
from commonground.ecosystem.domain.sectors import SECTORS
from commonground.ecosystem.models import Actor
from commonground.framework import content as framework_content
from commonground.lib.tabular import download, write_csv, write_xlsx
from commonground.lib.versioning import StaleEditError, parse_version
from commonground.measurement.models import Indicator, PriorityArea
from commonground.voice import exports, selectors, services
from commonground.voice.domain import instrument
from commonground.voice.domain.results import VIEWS
from commonground.voice.models import (
    AnswerSheet,
    Excerpt,
    ListeningSession,
    MemberType,
    PriorityCandidate,
    PriorityRound,
    Story,
    StoryConsent,
    SurveyWave,
    Theme,
    Training,
)


def _is_admin(request: CoalitionRequest) -> bool:
    return request.membership.role == Membership.Role.BACKBONE_ADMIN


def _get(model: Any, pk: Any) -> Any:
    manager = model.objects if hasattr(model, "objects") else model
    found = manager.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(message) for messages_ in error.message_dict.values() for message in messages_]
    return [str(message) for message in error.messages]


def _fail(request: HttpRequest, error: ValidationError) -> None:
    for message in _errors(error):
        messages.error(request, message)


def _date(value: str | None, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}) from None


def _int(value: str | None, field: str, *, default: int | None = 0) -> int | None:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ValidationError({field: _("Enter a whole number.")}) from None


def _ids(data: QueryDict, name: str) -> list[int]:
    out = []
    for raw in data.getlist(name):
        try:
            out.append(int(raw))
        except ValueError:
            continue
    return out


def _conflict(request: HttpRequest, error: StaleEditError, back: str) -> HttpResponse:
    return render(request, "voice/conflict.html", {"message": str(error), "back": back}, status=409)


def _labels() -> dict[str, str]:
    return {
        "overall": _("Everyone"),
        "community": _("Community members"),
        "institutional": _("Institutions"),
        "partner": _("Partners"),
        "backbone": _("Backbone staff"),
    }


def _scale_names() -> dict[str, str]:
    language = get_language() or "en"
    return {scale.id: instrument.scale_name(scale.id, language) for scale in instrument.SCALES}


def _tables_response(sheets: list[exports.Sheet], name: str, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        return download(write_xlsx(sheets), f"{name}.xlsx")
    title, header, rows = sheets[0]
    return download(write_csv(header, rows), f"{name}-{title}.csv")


# ------------------------------------------------------------------ overview


@coalition_view(*ALL_ROLES)
@require_GET
def index(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    found = selectors.waves(coalition=coalition)
    latest = found[0] if found else None
    return render(
        request,
        "voice/index.html",
        {
            "waves": found,
            "latest": latest,
            "headline": selectors.results(wave=latest) if latest else None,
            "scale_names": _scale_names(),
            "session_count": ListeningSession.objects.count(),
            "reached": sum(
                s.residents_reached for s in ListeningSession.objects.only("residents_reached")
            ),
            "themes": selectors.heard_and_done(coalition=coalition)[:5],
            "chosen": selectors.chosen_priorities(coalition=coalition),
            "training_count": Training.objects.count(),
            "story_count": Story.objects.count(),
            "is_admin": _is_admin(request),
            "today": timezone.localdate().isoformat(),
            "scales": instrument.SCALES,
        },
    )


# ------------------------------------------------------------------ survey


@coalition_view(*ADMINS)
@require_POST
def wave_open(request: CoalitionRequest) -> HttpResponse:
    try:
        services.open_wave(
            coalition=request.coalition,
            actor=request.user,
            title=request.POST.get("title", "").strip() or _("Collaboration survey"),
            opened_on=timezone.localdate(),
            invited=_int(request.POST.get("invited"), "invited", default=None),
        )
        messages.success(request, _("The survey wave is open. Share its public link."))
    except ValidationError as error:
        _fail(request, error)
    return redirect("voice:index", request.coalition.slug)


@coalition_view(*ADMINS)
@require_POST
def wave_close(request: CoalitionRequest, wave_id: int) -> HttpResponse:
    wave = _get(SurveyWave, wave_id)
    services.close_wave(wave=wave, actor=request.user, closed_on=timezone.localdate())
    messages.success(request, _("The survey wave is closed."))
    return redirect("voice:wave_results", request.coalition.slug, wave.pk)


@coalition_view(*ADMINS)
@require_POST
def question_add(request: CoalitionRequest) -> HttpResponse:
    try:
        services.add_question(
            coalition=request.coalition,
            actor=request.user,
            scale=request.POST.get("scale", ""),
            text_en=request.POST.get("text_en", ""),
            text_es=request.POST.get("text_es", ""),
            reverse=bool(request.POST.get("reverse")),
        )
        messages.success(request, _("Question added to the survey."))
    except ValidationError as error:
        _fail(request, error)
    return redirect("voice:index", request.coalition.slug)


def _results_context(wave: SurveyWave) -> dict[str, Any]:
    result = selectors.results(wave=wave)
    texts = {q.id: q.text for q in selectors.questions(wave=wave)}
    return {
        "wave": wave,
        "result": result,
        "views": list(VIEWS),
        "labels": _labels(),
        "scale_names": _scale_names(),
        "texts": texts,
        "comments": selectors.comments(wave=wave, results=result),
        "change": selectors.wave_change(coalition=wave.coalition),
        "sector_names": {s.id: s.name for s in SECTORS},
        "years_names": dict(AnswerSheet.Years.choices),
        "type_names": dict(MemberType.choices),
    }


@coalition_view(*ALL_ROLES)
@require_GET
def wave_results(request: CoalitionRequest, wave_id: int) -> HttpResponse:
    wave = _get(SurveyWave, wave_id)
    context = _results_context(wave)
    context["is_admin"] = _is_admin(request)
    if not context["is_admin"]:
        context["comments"] = []  # open comments are read by the backbone only
    context["public_url"] = request.build_absolute_uri(reverse("voice:respond", args=[wave.token]))
    return render(request, "voice/wave_results.html", context)


@coalition_view(*ALL_ROLES)
@require_GET
def wave_export(request: CoalitionRequest, wave_id: int) -> HttpResponse:
    wave = _get(SurveyWave, wave_id)
    fmt = request.GET.get("format", "csv")
    return _tables_response(exports.survey_tables(wave), f"survey-wave-{wave.number}", fmt)


def _sheet_from(data: QueryDict, wave: SurveyWave) -> services.SheetInput:
    return services.SheetInput(
        answers={item: data.get(item, "") for item in wave.items},
        member_type=data.get("member_type", ""),
        sector=data.get("sector", ""),
        years=data.get("years", ""),
        comment=data.get("comment", ""),
    )


def _survey_form_context(wave: SurveyWave, data: QueryDict | None) -> dict[str, Any]:
    sent: Any = data if data is not None else {}
    language = get_language() or "en"
    questions = selectors.questions(wave=wave)
    by_scale: dict[str, list[dict[str, Any]]] = {}
    for question in questions:
        by_scale.setdefault(question.scale, []).append(
            {"id": question.id, "text": question.text, "value": sent.get(question.id, "")}
        )
    labels = instrument.LIKERT_LABELS["es" if language.startswith("es") else "en"]
    return {
        "wave": wave,
        "scales": [
            {"id": scale, "name": instrument.scale_name(scale, language), "questions": rows}
            for scale, rows in by_scale.items()
        ],
        "likert": list(zip(instrument.LIKERT, labels, strict=True)),
        "member_types": MemberType.choices,
        "sectors": [(s.id, s.name) for s in SECTORS],
        "years": AnswerSheet.Years.choices,
        "sent": sent,
    }


@public
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, wave_token: str) -> HttpResponse:
    """The public survey page of a wave: no sign-in; stores only the answers."""
    language = request.GET.get("lang")
    if language in ("en", "es"):
        translation.activate(language)
        request.LANGUAGE_CODE = language
    try:
        wave = services.find_wave(token=wave_token)
    except services.LinkError as error:
        return render(request, "voice/link_closed.html", {"reason": str(error)}, status=410)
    with scope(coalition=wave.coalition):
        if request.method == "POST":
            try:
                services.submit_survey(wave=wave, sheet=_sheet_from(request.POST, wave))
            except ValidationError as error:
                context = _survey_form_context(wave, request.POST)
                context["errors"] = _errors(error)
                return render(request, "voice/respond.html", context, status=400)
            return render(request, "voice/respond_thanks.html", {"wave": wave})
        return render(request, "voice/respond.html", _survey_form_context(wave, None))


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def wave_paper(request: CoalitionRequest, wave_id: int) -> HttpResponse:
    """A staff member types in a paper worksheet (kept apart for suppression)."""
    wave = _get(SurveyWave, wave_id)
    if request.method == "POST":
        try:
            services.submit_survey(wave=wave, sheet=_sheet_from(request.POST, wave), is_paper=True)
            messages.success(request, _("Paper answers saved. Enter the next worksheet."))
            return redirect("voice:wave_paper", request.coalition.slug, wave.pk)
        except ValidationError as error:
            context = _survey_form_context(wave, request.POST)
            context["errors"] = _errors(error)
            context["paper"] = True
            return render(request, "voice/respond.html", context, status=400)
    context = _survey_form_context(wave, None)
    context["paper"] = True
    return render(request, "voice/respond.html", context)


# ------------------------------------------------------------------ listening sessions


def _session_input(data: QueryDict) -> services.SessionInput:
    return services.SessionInput(
        title=data.get("title", ""),
        held_on=_date(data.get("held_on"), "held_on"),
        place=data.get("place", ""),
        topic=data.get("topic", ""),
        tour=data.get("tour", ""),
        county=data.get("county", ""),
        languages=tuple(data.getlist("languages")),
        host_id=_int(data.get("host"), "host", default=None),
        residents_reached=_int(data.get("residents_reached"), "residents_reached") or 0,
        supports=tuple(data.getlist("supports")),
        notes=data.get("notes", ""),
    )


def _session_form(session: ListeningSession | None) -> dict[str, Any]:
    return {
        "session": session,
        "actors": Actor.objects.order_by("name").only("pk", "name"),
        "languages": services.LANGUAGES.items(),
        "supports": ListeningSession.Support.choices,
    }


@coalition_view(*ALL_ROLES)
@require_GET
def sessions(request: CoalitionRequest) -> HttpResponse:
    found = selectors.sessions(coalition=request.coalition)
    context = {
        "sessions": found,
        "reached": sum(s.residents_reached for s in found),
        "tours": sorted({s.tour for s in found if s.tour}),
        "support_names": dict(ListeningSession.Support.choices),
        "language_names": services.LANGUAGES,
        "is_admin": _is_admin(request),
        **_session_form(None),
    }
    return render(request, "voice/session_list.html", context)


@coalition_view(*ADMINS)
@require_POST
def session_new(request: CoalitionRequest) -> HttpResponse:
    try:
        session = services.record_session(
            coalition=request.coalition, actor=request.user, data=_session_input(request.POST)
        )
    except ValidationError as error:
        _fail(request, error)
        return redirect("voice:sessions", request.coalition.slug)
    messages.success(request, _("Listening session recorded. Now code its notes."))
    return redirect("voice:session_detail", request.coalition.slug, session.pk)


@coalition_view(*ALL_ROLES)
@require_GET
def session_detail(request: CoalitionRequest, session_id: int) -> HttpResponse:
    session = _get(ListeningSession.objects.select_related("host"), session_id)
    excerpts = Excerpt.objects.filter(session=session).prefetch_related("themes")
    return render(
        request,
        "voice/session_detail.html",
        {
            "session": session,
            "excerpts": excerpts,
            "themes": Theme.objects.all(),
            "support_names": dict(ListeningSession.Support.choices),
            "language_names": services.LANGUAGES,
            "is_admin": _is_admin(request),
        },
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def session_edit(request: CoalitionRequest, session_id: int) -> HttpResponse:
    session = _get(ListeningSession, session_id)
    back = reverse("voice:session_detail", args=[request.coalition.slug, session.pk])
    if request.method == "POST":
        try:
            services.update_session(
                session=session,
                actor=request.user,
                data=_session_input(request.POST),
                expected_version=parse_version(request.POST.get("version")),
            )
            messages.success(request, _("Listening session saved."))
            return redirect(back)
        except StaleEditError as error:
            return _conflict(request, error, back)
        except ValidationError as error:
            _fail(request, error)
            session.refresh_from_db()
    return render(request, "voice/session_edit.html", _session_form(session))


@coalition_view(*ADMINS)
@require_POST
def excerpt_add(request: CoalitionRequest, session_id: int) -> HttpResponse:
    session = _get(ListeningSession, session_id)
    try:
        services.code_excerpt(
            session=session,
            actor=request.user,
            text=request.POST.get("text", ""),
            theme_ids=_ids(request.POST, "themes"),
        )
        messages.success(request, _("Excerpt coded."))
    except ValidationError as error:
        _fail(request, error)
    return redirect("voice:session_detail", request.coalition.slug, session.pk)


@coalition_view(*ADMINS)
@require_POST
def excerpt_delete(request: CoalitionRequest, excerpt_id: int) -> HttpResponse:
    excerpt = _get(Excerpt, excerpt_id)
    session_id = excerpt.session_id
    services.delete_excerpt(excerpt=excerpt, actor=request.user)
    messages.success(request, _("Excerpt removed."))
    return redirect("voice:session_detail", request.coalition.slug, session_id)


# ------------------------------------------------------------------ codebook


def _theme_form() -> dict[str, Any]:
    return {
        "pillars": framework_content.PILLARS,
        "areas": PriorityArea.objects.all(),
        "indicators": Indicator.objects.order_by("name").only(
            "pk", "name", "code"
        ),  # label reads code
    }


def _theme_data(data: QueryDict) -> dict[str, Any]:
    return {
        "name": data.get("name", ""),
        "description": data.get("description", ""),
        "pillar_ids": data.getlist("pillar_ids"),
        "priority_area_ids": _ids(data, "priority_areas"),
        "indicator_ids": _ids(data, "indicators"),
    }


@coalition_view(*ALL_ROLES)
@require_GET
def codebook(request: CoalitionRequest) -> HttpResponse:
    found = selectors.codebook(coalition=request.coalition)
    counts = selectors.theme_counts(coalition=request.coalition)
    rows = [
        {
            "theme": theme,
            "count": counts["total"].get(theme.pk, 0),
            "places": [counts["by_place"].get(theme.pk, {}).get(p, 0) for p in counts["places"]],
            "topics": [counts["by_topic"].get(theme.pk, {}).get(t, 0) for t in counts["topics"]],
        }
        for theme in found
    ]
    pillar_names = {p.id: p.name for p in framework_content.PILLARS}
    return render(
        request,
        "voice/codebook.html",
        {
            "rows": rows,
            "places": counts["places"],
            "topics": counts["topics"],
            "pillar_names": pillar_names,
            "is_admin": _is_admin(request),
            **_theme_form(),
        },
    )


@coalition_view(*ADMINS)
@require_POST
def theme_new(request: CoalitionRequest) -> HttpResponse:
    try:
        services.create_theme(
            coalition=request.coalition, actor=request.user, **_theme_data(request.POST)
        )
        messages.success(request, _("Theme added to the codebook."))
    except ValidationError as error:
        _fail(request, error)
    return redirect("voice:codebook", request.coalition.slug)


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def theme_edit(request: CoalitionRequest, theme_id: int) -> HttpResponse:
    theme = _get(Theme, theme_id)
    back = reverse("voice:codebook", args=[request.coalition.slug])
    if request.method == "POST":
        try:
            services.update_theme(
                theme=theme,
                actor=request.user,
                expected_version=parse_version(request.POST.get("version")),
                **_theme_data(request.POST),
            )
            messages.success(request, _("Theme saved."))
            return redirect(back)
        except StaleEditError as error:
            return _conflict(request, error, back)
        except ValidationError as error:
            _fail(request, error)
            theme.refresh_from_db()
    context = {
        "theme": theme,
        "chosen_areas": set(theme.priority_areas.values_list("pk", flat=True)),
        "chosen_indicators": set(theme.indicators.values_list("pk", flat=True)),
        **_theme_form(),
    }
    return render(request, "voice/theme_edit.html", context)


# ------------------------------------------------------------------ heard and done


@coalition_view(*ALL_ROLES)
@require_GET
def heard(request: CoalitionRequest) -> HttpResponse:
    return render(
        request,
        "voice/heard.html",
        {"rows": selectors.heard_and_done(coalition=request.coalition)},
    )


# ------------------------------------------------------------------ priorities


@coalition_view(*ALL_ROLES)
@require_GET
def priorities(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    rounds = selectors.priority_rounds(coalition=coalition)
    tables = [
        {
            "round": round_,
            **selectors.side_by_side(round_=round_),
            "link": request.build_absolute_uri(reverse("voice:rank", args=[round_.token])),
        }
        for round_ in rounds
    ]
    is_admin = _is_admin(request)
    return render(
        request,
        "voice/priorities.html",
        {
            "tables": tables,
            "chosen": selectors.chosen_priorities(coalition=coalition),
            "theme_candidates": selectors.heard_and_done(coalition=coalition)[:6]
            if is_admin
            else [],
            "gap_candidates": selectors.gap_candidates(coalition=coalition) if is_admin else [],
            "areas": PriorityArea.objects.all(),
            "is_admin": is_admin,
        },
    )


@coalition_view(*ADMINS)
@require_POST
def round_open(request: CoalitionRequest) -> HttpResponse:
    data = request.POST
    candidates = []
    for value in data.getlist("theme"):
        theme = Theme.objects.filter(pk=_int(value, "theme")).first()
        if theme is not None:
            candidates.append(
                services.CandidateInput(
                    theme.name, PriorityCandidate.Origin.THEME, theme_id=theme.pk
                )
            )
    for value in data.getlist("gap"):
        indicator = Indicator.objects.filter(pk=_int(value, "gap")).first()
        if indicator is not None:
            candidates.append(
                services.CandidateInput(
                    indicator.name, PriorityCandidate.Origin.GAP, indicator_id=indicator.pk
                )
            )
    for line in data.get("proposed", "").splitlines():
        if line.strip():
            candidates.append(services.CandidateInput(line.strip()))
    try:
        services.open_priority_round(
            coalition=request.coalition,
            actor=request.user,
            title=data.get("title", "").strip() or _("Setting priorities together"),
            opened_on=timezone.localdate(),
            candidates=candidates,
        )
        messages.success(request, _("Ranking is open. Share the link with residents and partners."))
    except ValidationError as error:
        _fail(request, error)
    return redirect("voice:priorities", request.coalition.slug)


@coalition_view(*ADMINS)
@require_POST
def round_close(request: CoalitionRequest, round_id: int) -> HttpResponse:
    services.close_priority_round(round_=_get(PriorityRound, round_id), actor=request.user)
    messages.success(request, _("Ranking closed."))
    return redirect("voice:priorities", request.coalition.slug)


@coalition_view(*ADMINS)
@require_POST
def choose(request: CoalitionRequest) -> HttpResponse:
    names = [line.strip() for line in request.POST.get("chosen", "").splitlines() if line.strip()]
    try:
        services.choose_priorities(
            coalition=request.coalition,
            actor=request.user,
            chosen=[services.ChoiceInput(name) for name in names],
            chosen_on=timezone.localdate(),
        )
        messages.success(
            request, _("Priorities recorded; they are now the coalition's focus areas.")
        )
    except ValidationError as error:
        _fail(request, error)
    return redirect("voice:priorities", request.coalition.slug)


@public
@require_http_methods(["GET", "POST"])
def rank(request: HttpRequest, round_token: str) -> HttpResponse:
    """The public ranking page: choose resident or institution, order the candidates."""
    try:
        round_ = services.find_priority_round(token=round_token)
    except services.LinkError as error:
        return render(request, "voice/link_closed.html", {"reason": str(error)}, status=410)
    with scope(coalition=round_.coalition):
        candidates = list(round_.candidates.all())
        errors: list[str] = []
        if request.method == "POST":
            order: list[tuple[int, int]] = []
            for candidate in candidates:
                raw = request.POST.get(f"c{candidate.pk}", "")
                if raw.isdigit() and int(raw) > 0:
                    order.append((int(raw), candidate.pk))
            try:
                services.submit_ballot(
                    round_=round_,
                    group=request.POST.get("group", ""),
                    ranking=[pk for _position, pk in sorted(order)],
                )
                return render(request, "voice/respond_thanks.html", {"wave": round_})
            except ValidationError as error:
                errors = _errors(error)
        return render(
            request,
            "voice/rank.html",
            {
                "round": round_,
                "candidates": candidates,
                "positions": range(1, len(candidates) + 1),
                "errors": errors,
                "groups": round_.ballots.model.Group.choices,
            },
            status=400 if errors else 200,
        )


# ------------------------------------------------------------------ capacity building


def _training_input(data: QueryDict) -> services.TrainingInput:
    return services.TrainingInput(
        title=data.get("title", ""),
        topic=data.get("topic", ""),
        held_on=_date(data.get("held_on"), "held_on"),
        kind=data.get("kind", Training.Kind.TRAINING),
        audience=data.get("audience", ""),
        host_id=_int(data.get("host"), "host", default=None),
        community_participants=_int(data.get("community_participants"), "community_participants")
        or 0,
        partner_participants=_int(data.get("partner_participants"), "partner_participants") or 0,
        backbone_participants=_int(data.get("backbone_participants"), "backbone_participants") or 0,
        notes=data.get("notes", ""),
    )


@coalition_view(*ALL_ROLES)
@require_GET
def trainings(request: CoalitionRequest) -> HttpResponse:
    found = selectors.trainings(coalition=request.coalition)
    return render(
        request,
        "voice/training_list.html",
        {
            "trainings": found,
            "totals": {
                "community": sum(t.community_participants for t in found),
                "partner": sum(t.partner_participants for t in found),
                "backbone": sum(t.backbone_participants for t in found),
            },
            "kinds": Training.Kind.choices,
            "actors": Actor.objects.order_by("name").only("pk", "name"),
            "is_admin": _is_admin(request),
        },
    )


@coalition_view(*ADMINS)
@require_POST
def training_new(request: CoalitionRequest) -> HttpResponse:
    try:
        services.record_training(
            coalition=request.coalition, actor=request.user, data=_training_input(request.POST)
        )
        messages.success(request, _("Training recorded."))
    except ValidationError as error:
        _fail(request, error)
    return redirect("voice:trainings", request.coalition.slug)


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def training_edit(request: CoalitionRequest, training_id: int) -> HttpResponse:
    training = _get(Training, training_id)
    back = reverse("voice:trainings", args=[request.coalition.slug])
    if request.method == "POST":
        try:
            services.update_training(
                training=training,
                actor=request.user,
                data=_training_input(request.POST),
                expected_version=parse_version(request.POST.get("version")),
            )
            messages.success(request, _("Training saved."))
            return redirect(back)
        except StaleEditError as error:
            return _conflict(request, error, back)
        except ValidationError as error:
            _fail(request, error)
            training.refresh_from_db()
    return render(
        request,
        "voice/training_edit.html",
        {
            "training": training,
            "kinds": Training.Kind.choices,
            "actors": Actor.objects.order_by("name").only("pk", "name"),
        },
    )


# ------------------------------------------------------------------ stories


def _story_input(request: HttpRequest) -> services.StoryInput:
    data = request.POST
    upload = request.FILES.get("photo")
    photo = None
    if upload is not None:
        if upload.size and upload.size > services.MAX_PHOTO_BYTES:
            raise ValidationError(
                {"photo": _("The photo is larger than 5 MB. Send a smaller one.")}
            )
        photo = upload.read()
    consents = []
    for index, person in enumerate(data.getlist("person")):
        if not person.strip():
            continue
        appears = data.getlist("appears")
        consented = data.getlist("consented")
        consents.append(
            services.ConsentInput(
                person=person,
                appears=appears[index] if index < len(appears) else StoryConsent.Appears.NAMED,
                consented=str(index) in consented,
                consented_on=timezone.localdate() if str(index) in consented else None,
                how=_("Recorded by staff"),
            )
        )
    return services.StoryInput(
        title=data.get("title", ""),
        happened_on=_date(data.get("happened_on"), "happened_on"),
        body=data.get("body", ""),
        figure=data.get("figure", ""),
        partner_ids=tuple(_ids(data, "partners")),
        priority_area_id=_int(data.get("priority_area"), "priority_area", default=None),
        is_public=bool(data.get("is_public")),
        photo=photo,
        photo_alt=data.get("photo_alt", ""),
        consents=tuple(consents),
    )


def _story_form(story: Story | None) -> dict[str, Any]:
    consents = list(story.consents.all()) if story else []
    return {
        "story": story,
        "actors": Actor.objects.order_by("name").only("pk", "name"),
        "areas": PriorityArea.objects.all(),
        "appears": StoryConsent.Appears.choices,
        "consent_rows": consents + [None] * max(1, 3 - len(consents)),
        "chosen_partners": set(story.partners.values_list("pk", flat=True)) if story else set(),
    }


@coalition_view(*ALL_ROLES)
@require_GET
def stories(request: CoalitionRequest) -> HttpResponse:
    return render(
        request,
        "voice/story_list.html",
        {"stories": selectors.stories(coalition=request.coalition), "is_admin": _is_admin(request)},
    )


def _story_save(request: CoalitionRequest, story: Story | None) -> HttpResponse:
    back = reverse("voice:stories", args=[request.coalition.slug])
    if request.method == "POST":
        try:
            services.save_story(
                coalition=request.coalition,
                actor=request.user,
                data=_story_input(request),
                story=story,
                expected_version=parse_version(request.POST.get("version")),
            )
            messages.success(request, _("Story saved."))
            return redirect(back)
        except StaleEditError as error:
            return _conflict(request, error, back)
        except ValidationError as error:
            _fail(request, error)
            if story is not None:
                story.refresh_from_db()
    return render(request, "voice/story_edit.html", _story_form(story))


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def story_new(request: CoalitionRequest) -> HttpResponse:
    return _story_save(request, None)


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def story_edit(request: CoalitionRequest, story_id: int) -> HttpResponse:
    return _story_save(request, _get(Story, story_id))


@coalition_view(*ALL_ROLES)
@require_GET
def story_photo(request: CoalitionRequest, story_id: int) -> HttpResponse:
    story = _get(Story, story_id)
    if not story.photo:
        raise Http404
    extension = "png" if story.photo_type == "image/png" else "jpg"
    response = download(bytes(story.photo), f"story-{story.pk}.{extension}")
    response["Content-Type"] = story.photo_type
    return response


# ------------------------------------------------------------------ exports


EXPORTS: Mapping[str, Callable[[Any], list[exports.Sheet]]] = exports.TABLES


@coalition_view(*ALL_ROLES)
@require_GET
def export(request: CoalitionRequest, what: str) -> HttpResponse:
    maker = EXPORTS.get(what)
    if maker is None:
        raise Http404
    return _tables_response(maker(request.coalition), what, request.GET.get("format", "csv"))
