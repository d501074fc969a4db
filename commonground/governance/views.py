"""Governance pages. Each view declares its access policy and reads within the coalition."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.assessments import services as assessment_services
from commonground.assessments.domain.roadmap import is_overdue
from commonground.assessments.models import ActionItem
from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CONTRIBUTORS,
    CoalitionRequest,
    coalition_view,
)
from commonground.governance import exports, selectors, services
from commonground.governance.forms import (
    ActionForm,
    ActionStatusForm,
    AgreementForm,
    BodyForm,
    CloseMotionForm,
    DecisionFilterForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    MotionForm,
    PolicyForm,
    ReopenForm,
    SeatForm,
    TargetForm,
    VoteForm,
)
from commonground.governance.models import (
    Agreement,
    Body,
    Decision,
    Meeting,
    Motion,
    Policy,
    Seat,
    SeatType,
    Vote,
)
from commonground.lib import tabular
from commonground.lib.versioning import StaleEditError, parse_version


def _get(model: type[Model], pk: int, **extra: Any) -> Any:
    try:
        return model.objects.get(pk=pk, **extra)  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        raise Http404 from None


def _export(
    request: CoalitionRequest, name: str, table: tuple[list[str], list[list[Any]]]
) -> HttpResponse | None:
    """Answer ``?format=csv|xlsx`` with the table as a download; ``None`` otherwise."""
    fmt = request.GET.get("format", "")
    if fmt not in {"csv", "xlsx"}:
        return None
    headers, rows = table
    if fmt == "csv":
        content = tabular.write_csv(headers, rows)
    else:
        content = tabular.write_xlsx([(name, headers, rows)])
    return tabular.download(content, tabular.safe_filename(f"{request.coalition.slug}-{name}", fmt))


def _errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def _say(request: CoalitionRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- bodies, seats and power -------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
def index(request: CoalitionRequest) -> HttpResponse:
    """The governance chart: every body and its seats, colored by seat type."""
    coalition = request.coalition
    table = request.GET.get("table", "bodies")
    if table == "seats":
        export = _export(request, "seats", exports.seats(coalition=coalition))
    else:
        export = _export(request, "bodies", exports.bodies(coalition=coalition))
    if export:
        return export
    bodies = list(selectors.list_bodies(coalition=coalition))
    found = selectors.power(coalition=coalition, bodies=bodies)
    rows = [
        {
            "body": bp.body,
            "share": bp.share,
            "seats": [
                {"seat": s, "holder": selectors.holder_label(s)} for s in bp.body.seats.all()
            ],
        }
        for bp in found.bodies
    ]
    context = {
        "rows": rows,
        "power": found,
        "seat_types": SeatType.choices,
    }
    return render(request, "governance/body_chart.html", context)


@coalition_view(*ALL_ROLES)
@require_GET
def power(request: CoalitionRequest) -> HttpResponse:
    """Power-share gauges of each body and of the coalition, against the target."""
    coalition = request.coalition
    found = selectors.power(coalition=coalition)
    form = TargetForm(
        initial={
            "community_share": found.target,
            "count_community_organizations": "community_organization" in found.community_types,
        }
    )
    gauges = []
    for bp in found.bodies:
        if bp.share is not None:
            gauges.append({"name": bp.body.name, "body": bp.body, "share": bp.share})
    context = {
        "power": found,
        "gauges": gauges,
        "target_pct": round(found.target * 100),
        "form": form,
        "seat_types": SeatType.choices,
    }
    return render(request, "governance/power_gauges.html", context)


@coalition_view(*ADMINS)
@require_POST
def target(request: CoalitionRequest) -> HttpResponse:
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            services.set_power_target(
                coalition=request.coalition,
                actor=request.user,
                community_share=form.cleaned_data["community_share"],
                count_community_organizations=form.cleaned_data["count_community_organizations"],
            )
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, _("Target saved."))
    else:
        messages.error(request, _("Give a share from 0 to 1."))
    return redirect("governance:power", request.coalition.slug)


def _form_page(
    request: CoalitionRequest,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except StaleEditError as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            _errors(form, error)
            status = 400
        else:
            messages.success(request, _("Saved."))
            return done(saved)
    elif request.method == "POST":
        status = 400
    return render(request, template, {**context, "form": form}, status=status)


def _body_values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in services.BODY_FIELDS}


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def body_new(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = BodyForm(request.POST or None, initial={"authority": "decides", "quorum": 0})
    return _form_page(
        request,
        form,
        lambda d: services.create_body(coalition=coalition, actor=request.user, **_body_values(d)),
        lambda b: redirect("governance:index", coalition.slug),
        "governance/body_form.html",
        {"body": None},
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def body_edit(request: CoalitionRequest, body_id: int) -> HttpResponse:
    coalition = request.coalition
    body = _get(Body, body_id)
    initial = {**body.as_audit(), "ends_on": body.ends_on, "version": body.version}
    form = BodyForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: services.update_body(
            body=body, actor=request.user, expected=parse_version(d["version"]), **_body_values(d)
        ),
        lambda b: redirect("governance:index", coalition.slug),
        "governance/body_form.html",
        {"body": body},
    )


def _seat_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in services.SEAT_FIELDS}
    if not values["is_paid"]:
        values["stipend"] = None
    return values


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def seat_new(request: CoalitionRequest, body_id: int) -> HttpResponse:
    coalition = request.coalition
    body = _get(Body, body_id)
    form = SeatForm(coalition, request.POST or None, initial={"votes": 1})
    return _form_page(
        request,
        form,
        lambda d: services.add_seat(body=body, actor=request.user, **_seat_values(d)),
        lambda s: redirect("governance:index", coalition.slug),
        "governance/seat_form.html",
        {"body": body, "seat": None},
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def seat_edit(request: CoalitionRequest, seat_id: int) -> HttpResponse:
    coalition = request.coalition
    seat = _get(Seat, seat_id)
    initial = {
        "version": seat.version,
        "label": seat.label,
        "seat_type": seat.seat_type,
        "votes": seat.votes,
        "term_starts_on": seat.term_starts_on,
        "term_ends_on": seat.term_ends_on,
        "is_paid": seat.is_paid,
        "stipend": seat.stipend,
        "holder_member": seat.holder_member_id,
        "holder_actor": seat.holder_actor_id,
        "holder_name": seat.holder_name,
    }
    form = SeatForm(coalition, request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: services.update_seat(
            seat=seat, actor=request.user, expected=parse_version(d["version"]), **_seat_values(d)
        ),
        lambda s: redirect("governance:index", coalition.slug),
        "governance/seat_form.html",
        {"body": seat.body, "seat": seat},
    )


# --- meetings, motions, votes ------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
def meetings(request: CoalitionRequest) -> HttpResponse:
    """Meetings, newest first, and attendance by seat type per quarter."""
    coalition = request.coalition
    table = request.GET.get("table", "meetings")
    makers = {
        "attendance": exports.attendance,
        "votes": exports.votes,
        "meetings": exports.meetings,
    }
    maker = makers.get(table, exports.meetings)
    export = _export(request, table if table in makers else "meetings", maker(coalition=coalition))
    if export:
        return export
    page = Paginator(selectors.list_meetings(coalition=coalition), 25).get_page(
        request.GET.get("page")
    )
    rates = selectors.attendance_by_type(coalition=coalition)
    periods = sorted({r.period for r in rates})
    types = [t for t in SeatType if any(r.seat_type == t.value for r in rates)]
    grid = {(r.period, r.seat_type): r for r in rates}
    rate_rows = [{"period": p, "cells": [grid.get((p, t.value)) for t in types]} for p in periods]
    context = {"page": page, "rate_types": types, "rate_rows": rate_rows}
    return render(request, "governance/meeting_list.html", context)


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def meeting_new(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = MeetingForm(coalition, request.POST or None, initial={"body": request.GET.get("body")})
    return _form_page(
        request,
        form,
        lambda d: services.schedule_meeting(actor=request.user, **d),
        lambda m: redirect("governance:meeting", coalition.slug, m.pk),
        "governance/meeting_form.html",
        {},
    )


def _meeting_context(request: CoalitionRequest, meeting: Meeting) -> dict[str, Any]:
    seats = list(meeting.body.seats.all())
    present = {a.seat_id for a in meeting.attendance.all() if a.is_present}
    recorded = {a.seat_id for a in meeting.attendance.all()}
    membership = request.membership
    my_seats = {s.pk for s in seats if s.holder_member_id == membership.pk}
    motions = []
    for motion in meeting.motions.all():
        votes = {v.seat_id: v for v in motion.votes.all()}
        tally = selectors.tally_motion(motion, meeting)
        motions.append(
            {
                "motion": motion,
                "votes": [
                    (s, votes.get(s.pk), selectors.holder_label(s))
                    for s in seats
                    if not s.is_vacant
                ],
                "tally": tally,
                "can_vote": motion.status == Motion.Status.OPEN
                and any(s not in votes for s in my_seats),
                "my_seats": [s for s in seats if s.pk in my_seats and s.pk not in votes],
                "decision": getattr(motion, "decision", None),
            }
        )
    choices = Vote.Choice.choices
    if meeting.body.decision_rule != Body.Rule.CONSENSUS:
        choices = [c for c in choices if c[0] != Vote.Choice.BLOCK]
    return {
        "meeting": meeting,
        "body": meeting.body,
        "seats": [
            {
                "seat": s,
                "holder": selectors.holder_label(s),
                "present": s.pk in present,
                "recorded": s.pk in recorded,
            }
            for s in seats
        ],
        "present_count": len(present),
        "quorum_reached": len(present) >= meeting.body.quorum,
        "motions": motions,
        "vote_choices": choices,
        "is_admin": membership.role == "backbone_admin",
    }


@coalition_view(*ALL_ROLES)
@require_GET
def meeting(request: CoalitionRequest, meeting_id: int) -> HttpResponse:
    coalition = request.coalition
    try:
        found = selectors.get_meeting(coalition=coalition, meeting_id=meeting_id)
    except Meeting.DoesNotExist:
        raise Http404 from None
    context = _meeting_context(request, found)
    context["motion_form"] = MotionForm()
    context["close_form"] = CloseMotionForm()
    context["minutes_form"] = MinutesForm(
        initial={
            "version": found.version,
            "minutes": found.minutes,
            "supports_provided": found.supports_provided,
        }
    )
    return render(request, "governance/meeting_detail.html", context)


@coalition_view(*ALL_ROLES)
@require_GET
def meeting_minutes(request: CoalitionRequest, meeting_id: int) -> HttpResponse:
    """The printable minutes: attendance, motions with their votes and results."""
    try:
        found = selectors.get_meeting(coalition=request.coalition, meeting_id=meeting_id)
    except Meeting.DoesNotExist:
        raise Http404 from None
    return render(request, "governance/meeting_minutes.html", _meeting_context(request, found))


@coalition_view(*ADMINS)
@require_POST
def meeting_attendance(request: CoalitionRequest, meeting_id: int) -> HttpResponse:
    found = _get(Meeting, meeting_id)
    try:
        present = [int(p) for p in request.POST.getlist("present")]
    except ValueError:
        present = [-1]
    try:
        services.record_attendance(meeting=found, actor=request.user, present=present)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, _("Attendance saved."))
    return redirect("governance:meeting", request.coalition.slug, found.pk)


@coalition_view(*ADMINS)
@require_POST
def meeting_minutes_edit(request: CoalitionRequest, meeting_id: int) -> HttpResponse:
    found = _get(Meeting, meeting_id)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the minutes and try again."))
        return redirect("governance:meeting", request.coalition.slug, found.pk)
    try:
        services.update_meeting(
            meeting=found,
            actor=request.user,
            expected=parse_version(form.cleaned_data["version"]),
            minutes=form.cleaned_data["minutes"],
            supports_provided=form.cleaned_data["supports_provided"],
        )
    except StaleEditError as error:
        messages.error(request, str(error))
        return redirect("governance:meeting", request.coalition.slug, found.pk)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, _("Minutes saved."))
    return redirect("governance:meeting", request.coalition.slug, found.pk)


@coalition_view(*ADMINS)
@require_POST
def motion_new(request: CoalitionRequest, meeting_id: int) -> HttpResponse:
    found = _get(Meeting, meeting_id)
    form = MotionForm(request.POST)
    if form.is_valid():
        try:
            services.propose_motion(meeting=found, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, _("Motion added to the agenda."))
    else:
        messages.error(request, _("Give the motion a title."))
    return redirect("governance:meeting", request.coalition.slug, found.pk)


def _motion(motion_id: int) -> Motion:
    try:
        return Motion.objects.select_related("meeting__body").get(pk=motion_id)
    except Motion.DoesNotExist:
        raise Http404 from None


def _seat_of(request: CoalitionRequest) -> Seat | None:
    raw = request.POST.get("seat", "")
    if not raw:
        return None
    try:
        return Seat.objects.get(pk=int(raw))
    except (ValueError, Seat.DoesNotExist):
        raise Http404 from None


@coalition_view(*CONTRIBUTORS)
@require_POST
def motion_vote(request: CoalitionRequest, motion_id: int) -> HttpResponse:
    """A seat holder votes in their seat; anyone else is refused with the reason."""
    motion = _motion(motion_id)
    form = VoteForm(request.POST)
    status = 200
    if not form.is_valid():
        messages.error(request, _("Choose yes, no or abstain."))
        status = 400
    else:
        try:
            services.cast_vote(
                motion=motion,
                membership=request.membership,
                choice=form.cleaned_data["choice"],
                seat=_seat_of(request),
            )
        except ValidationError as error:
            _say(request, error)
            status = 400
        else:
            messages.success(request, _("Your vote is recorded."))
    response = redirect("governance:meeting", request.coalition.slug, motion.meeting_id)
    if status != 200 and request.headers.get("Accept", "").startswith("application/json"):
        response.status_code = status
    return response


@coalition_view(*ADMINS)
@require_POST
def motion_roll_call(request: CoalitionRequest, motion_id: int) -> HttpResponse:
    motion = _motion(motion_id)
    seat = _seat_of(request)
    form = VoteForm(request.POST)
    if seat is None or not form.is_valid():
        messages.error(request, _("Choose a seat and a vote."))
    else:
        try:
            services.record_roll_call_vote(
                motion=motion, actor=request.user, seat=seat, choice=form.cleaned_data["choice"]
            )
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, _("Vote recorded."))
    return redirect("governance:meeting", request.coalition.slug, motion.meeting_id)


@coalition_view(*ADMINS)
@require_POST
def motion_close(request: CoalitionRequest, motion_id: int) -> HttpResponse:
    motion = _motion(motion_id)
    form = CloseMotionForm(request.POST)
    form.is_valid()
    try:
        decision = services.close_motion(
            motion=motion,
            actor=request.user,
            rationale=form.cleaned_data.get("rationale", ""),
            dissent=form.cleaned_data.get("dissent", ""),
        )
    except ValidationError as error:
        _say(request, error)
        return redirect("governance:meeting", request.coalition.slug, motion.meeting_id)
    messages.success(request, _("The vote is closed and the decision is in the log, locked."))
    return redirect("governance:decision", request.coalition.slug, decision.pk)


# --- decisions ----------------------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
def decisions(request: CoalitionRequest) -> HttpResponse:
    """The decision log, filtered by body, topic and date."""
    coalition = request.coalition
    form = DecisionFilterForm(coalition, selectors.topics(coalition=coalition), request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "body_id": data["body"].pk if data["body"] else None,
            "topic": data["topic"] or "",
            "since": data["since"],
            "until": data["until"],
        }
    rows = selectors.list_decisions(coalition=coalition, **filters)
    export = _export(request, "decisions", exports.decisions(rows=rows))
    if export:
        return export
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/decision_list.html",
        {"page": page, "filter_form": form, "query": query.urlencode()},
    )


@coalition_view(*ALL_ROLES)
@require_GET
def decision(request: CoalitionRequest, decision_id: int) -> HttpResponse:
    coalition = request.coalition
    try:
        found = selectors.get_decision(coalition=coalition, decision_id=decision_id)
    except Decision.DoesNotExist:
        raise Http404 from None
    context = {
        "decision": found,
        "reopen_form": ReopenForm(),
        "action_form": ActionForm(coalition),
        "edit_form": DecisionForm(
            coalition,
            initial={
                "version": found.version,
                "title": found.title,
                "topic": found.topic,
                "rationale": found.rationale,
                "dissent": found.dissent,
                "indicators": [i.pk for i in found.indicators.all()],
            },
        )
        if not found.is_locked
        else None,
        "today": selectors.today(),
    }
    return render(request, "governance/decision_detail.html", context)


@coalition_view(*ADMINS)
@require_POST
def decision_reopen(request: CoalitionRequest, decision_id: int) -> HttpResponse:
    found = _get(Decision, decision_id)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the decision is reopened."))
    else:
        try:
            services.reopen_decision(
                decision=found, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, _("Decision reopened for an edit; the reason is recorded."))
    return redirect("governance:decision", request.coalition.slug, found.pk)


@coalition_view(*ADMINS)
@require_POST
def decision_edit(request: CoalitionRequest, decision_id: int) -> HttpResponse:
    coalition = request.coalition
    found = _get(Decision, decision_id)
    form = DecisionForm(coalition, request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the decision and try again."))
        return redirect("governance:decision", coalition.slug, found.pk)
    data = form.cleaned_data
    try:
        services.edit_decision(
            decision=found,
            actor=request.user,
            expected=parse_version(data["version"]),
            title=data["title"],
            topic=data["topic"],
            rationale=data["rationale"],
            dissent=data["dissent"],
            indicators=list(data["indicators"]),
        )
    except StaleEditError as error:
        messages.error(request, str(error))
        response = redirect("governance:decision", coalition.slug, found.pk)
        return response
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, _("Decision saved and locked again."))
    return redirect("governance:decision", coalition.slug, found.pk)


@coalition_view(*ADMINS)
@require_POST
def decision_action(request: CoalitionRequest, decision_id: int) -> HttpResponse:
    coalition = request.coalition
    found = _get(Decision, decision_id)
    form = ActionForm(coalition, request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the action a title; choose owners from the lists."))
    else:
        try:
            services.add_action_from_decision(
                decision=found, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, _("Action added to the action plan."))
    return redirect("governance:decision", coalition.slug, found.pk)


@coalition_view(*ALL_ROLES)
@require_GET
def heard(request: CoalitionRequest) -> HttpResponse:
    """You said, we did: listening themes and the decisions and actions answering them."""
    rows = selectors.you_said_we_did(coalition=request.coalition)
    return render(request, "governance/decision_heard.html", {"rows": rows})


# --- agreements ---------------------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
def agreements(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    export = _export(request, "agreements", exports.agreements(coalition=coalition))
    if export:
        return export
    on = selectors.today()
    rows = []
    for agreement in selectors.list_agreements(coalition=coalition):
        due = selectors.reminder_date(agreement)
        rows.append(
            {
                "agreement": agreement,
                "due": due,
                "soon": agreement.status == Agreement.Status.ACTIVE
                and due is not None
                and due <= on + datetime.timedelta(days=selectors.RENEWAL_NOTICE_DAYS),
                "lapsed": agreement.status == Agreement.Status.ACTIVE
                and due is not None
                and due < on,
            }
        )
    return render(request, "governance/agreement_list.html", {"rows": rows})


def _agreement_save(
    request: CoalitionRequest, data: dict[str, Any], agreement: Agreement | None
) -> Agreement:
    upload = data.get("file")
    file_kwargs: dict[str, Any] = {}
    if upload is not None:
        if upload.size > services.MAX_FILE_BYTES:
            raise ValidationError({"file": _("The file is larger than 10 MB.")})
        file_kwargs = {"file_name": upload.name, "content": upload.read()}
    values = {k: data[k] for k in services.AGREEMENT_FIELDS}
    if agreement is None:
        return services.create_agreement(
            coalition=request.coalition,
            actor=request.user,
            parties=list(data["parties"]),
            **file_kwargs,
            **values,
        )
    return services.update_agreement(
        agreement=agreement,
        actor=request.user,
        expected=parse_version(data["version"]),
        parties=list(data["parties"]),
        **file_kwargs,
        **values,
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def agreement_new(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = AgreementForm(coalition, request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        lambda d: _agreement_save(request, d, None),
        lambda a: redirect("governance:agreements", coalition.slug),
        "governance/agreement_form.html",
        {"agreement": None},
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def agreement_edit(request: CoalitionRequest, agreement_id: int) -> HttpResponse:
    coalition = request.coalition
    agreement = _get(Agreement, agreement_id)
    initial = {
        **agreement.as_audit(),
        "signed_on": agreement.signed_on,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "renewal_on": agreement.renewal_on,
        "parties": [p.pk for p in agreement.parties.all()],
        "version": agreement.version,
    }
    form = AgreementForm(coalition, request.POST or None, request.FILES or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: _agreement_save(request, d, agreement),
        lambda a: redirect("governance:agreements", coalition.slug),
        "governance/agreement_form.html",
        {"agreement": agreement},
    )


@coalition_view(*CONTRIBUTORS)
@require_GET
def agreement_file(request: CoalitionRequest, agreement_id: int) -> HttpResponse:
    """The agreement's file, always as an attachment."""
    agreement = _get(Agreement, agreement_id)
    if not agreement.file_name or agreement.file_content is None:
        raise Http404
    name = agreement.file_name
    stem, dot, ext = name.rpartition(".")
    return tabular.download(
        bytes(agreement.file_content), tabular.safe_filename(stem or name, ext if dot else "bin")
    )


# --- accountability -----------------------------------------------------------------------


STATUS_ORDER = [ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS, ActionItem.Status.DONE]


@coalition_view(*ALL_ROLES)
@require_GET
def actions(request: CoalitionRequest) -> HttpResponse:
    """The action-item board: open, in progress, done; overdue ones marked."""
    coalition = request.coalition
    export = _export(request, "actions", exports.actions(coalition=coalition))
    if export:
        return export
    on = selectors.today()
    items = list(selectors.list_actions(coalition=coalition))
    columns: list[dict[str, Any]] = []
    for status in STATUS_ORDER:
        column = [
            {
                "item": item,
                "overdue": is_overdue(due_on=item.due_on, status=item.status, today=on),
                "form": ActionStatusForm(initial={"version": item.version, "status": item.status}),
            }
            for item in items
            if item.status == status
        ]
        columns.append({"status": status, "label": status.label, "items": column})
    overdue = sum(1 for column in columns for row in column["items"] if row["overdue"])
    return render(
        request,
        "governance/action_board.html",
        {"columns": columns, "overdue": overdue, "statuses": ActionItem.Status.choices},
    )


@coalition_view(*ADMINS)
@require_POST
def action_status(request: CoalitionRequest, action_id: int) -> HttpResponse:
    """Change an item's status; a stale version is refused with 409 and changes nothing."""
    item = _get(ActionItem, action_id)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose open, in progress or done."))
        return redirect("governance:actions", request.coalition.slug)
    try:
        assessment_services.update_action(
            item=item,
            actor=request.user,
            expected=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )
    except StaleEditError as error:
        return render(
            request,
            "governance/conflict.html",
            {"message": str(error), "back": "governance:actions"},
            status=409,
        )
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("governance:actions", request.coalition.slug)


# --- policies -----------------------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
def policies(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    export = _export(request, "policies", exports.policies(coalition=coalition))
    if export:
        return export
    rows = list(selectors.list_policies(coalition=coalition))
    return render(request, "governance/policy_list.html", {"policies": rows})


def _policy_save(request: CoalitionRequest, data: dict[str, Any], policy: Policy | None) -> Policy:
    links = {k: list(data[k]) for k in ("partners", "decisions", "indicators")}
    values = {k: data[k] for k in services.POLICY_FIELDS}
    if policy is None:
        return services.create_policy(
            coalition=request.coalition, actor=request.user, **links, **values
        )
    return services.update_policy(
        policy=policy,
        actor=request.user,
        expected=parse_version(data["version"]),
        **links,
        **values,
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def policy_new(request: CoalitionRequest) -> HttpResponse:
    coalition = request.coalition
    form = PolicyForm(coalition, request.POST or None)
    return _form_page(
        request,
        form,
        lambda d: _policy_save(request, d, None),
        lambda p: redirect("governance:policies", coalition.slug),
        "governance/policy_form.html",
        {"policy": None},
    )


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def policy_edit(request: CoalitionRequest, policy_id: int) -> HttpResponse:
    coalition = request.coalition
    policy = _get(Policy, policy_id)
    initial: dict[str, Any] = {
        **policy.as_audit(),
        "version": policy.version,
        "partners": [p.pk for p in policy.partners.all()],
        "decisions": [d.pk for d in policy.decisions.all()],
        "indicators": [i.pk for i in policy.indicators.all()],
    }
    form = PolicyForm(coalition, request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda d: _policy_save(request, d, policy),
        lambda p: redirect("governance:policies", coalition.slug),
        "governance/policy_form.html",
        {"policy": policy},
    )
