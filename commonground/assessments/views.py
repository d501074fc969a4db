"""Assessment, shared-record and roadmap pages. Each view declares its access policy,
parses the request, makes one call and renders.

Edits of shared records carry the version the form was drawn from (``version``; a
form without one counts as having seen no record). A stale edit, or an edit of a
locked round or agreed position, answers 409 and saves nothing. A field the form
does not send keeps its value.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from html import escape
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground import framework
from commonground.assessments import selectors, services
from commonground.assessments.domain.exercises import (
    EXERCISES,
    HCO_COMPONENTS,
    MARKED,
    get_exercise,
)
from commonground.assessments.domain.members import MEMBER_VIEWS
from commonground.assessments.domain.roadmap import PROPOSALS_SHOWN
from commonground.assessments.domain.roadmap import ActionItem as ProposedAction
from commonground.assessments.domain.suppression import MIN_GROUP_SIZE
from commonground.assessments.models import (
    ActionItem,
    AgreedPosition,
    Assessment,
    DomainDocumentVersion,
    Response,
)
from commonground.assessments.services import UNSET, LockedError, Unset
from commonground.coalitions import evidence
from commonground.coalitions.access import (
    ADMINS,
    ALL_ROLES,
    CONTRIBUTORS,
    CoalitionRequest,
    coalition_view,
)
from commonground.coalitions.models import Membership
from commonground.coalitions.page_cache import kept_per_version
from commonground.ecosystem.domain.sectors import SECTORS, SECTORS_BY_ID
from commonground.lib.tabular import download, safe_filename, write_csv
from commonground.lib.versioning import StaleEditError

SUPPRESSED = "suppressed (fewer than 5)"


def view_labels() -> dict[str, str]:
    return {
        "overall": _("Everyone"),
        "community": _("Community members"),
        "institutional": _("Institutions (partners and backbone)"),
        "partner": _("Partners"),
        "backbone": _("Backbone staff"),
    }


def suppressed_label() -> str:
    return _("suppressed (fewer than %(k)d)") % {"k": MIN_GROUP_SIZE}


def _is_admin(request: CoalitionRequest) -> bool:
    return request.membership.role == Membership.Role.BACKBONE_ADMIN


def _assessment(request: CoalitionRequest, assessment_id: int) -> Assessment:
    try:
        return selectors.get_assessment(coalition=request.coalition, assessment_id=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404 from None


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _sent_version(request: CoalitionRequest) -> int:
    """The version the form was drawn from; 0 when it sent none (it saw no record)."""
    raw = request.POST.get("version", "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


def _conflict(request: CoalitionRequest, message: str, back: str) -> HttpResponse:
    """409: nothing was saved (a stale edit or a locked record); the page to reload is linked."""
    return render(
        request, "assessments/conflict.html", {"message": message, "back": back}, status=409
    )


def _sent(request: CoalitionRequest, name: str) -> str | Unset:
    """A posted field, or ``UNSET`` when the form did not send it (its value is kept)."""
    value: str | Unset = request.POST.get(name, UNSET)
    return value


def _guide(kind: str) -> dict[str, Any]:
    """Framework content an answer form or worksheet of ``kind`` shows."""
    return {
        "stages": framework.STAGES,
        "pillars": framework.PILLARS,
        "decision_points": framework.DECISION_POINTS,
        "features": framework.FEATURES,
        "hco_components": HCO_COMPONENTS,
        "roles": framework.ROLES,
        "domains": framework.DOMAINS,
        "tactics": framework.TACTICS,
        "one_to_five": range(1, 6),
    }


def parse_answers(kind: str, data: QueryDict) -> dict[str, Any]:
    """Turn a posted answer form into the stored answer shape (validated by the service)."""
    exercise = get_exercise(kind)
    if exercise.shape == MARKED:
        return {"marked": data.getlist("marked")}
    ratings: dict[str, object] = {}
    notes: dict[str, str] = {}
    for item_id in exercise.item_ids:
        raw = data.get(f"rating-{item_id}", "").strip()
        if raw:
            try:
                ratings[item_id] = int(raw)
            except ValueError:
                ratings[item_id] = raw
        note = data.get(f"note-{item_id}", "").strip()
        if note:
            notes[item_id] = note
    return {"ratings": ratings, "notes": notes}


# -- rounds -------------------------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
def index(request: CoalitionRequest) -> HttpResponse:
    """Every exercise with its rounds; members see what they can still answer."""
    coalition = request.coalition
    rounds = list(selectors.list_assessments(coalition=coalition))
    membership = request.membership
    exercises = []
    for kind in EXERCISES:
        kind_rounds = [r for r in rounds if r.kind == kind]
        current = next((r for r in kind_rounds if r.is_open), None)
        exercises.append(
            {
                "kind": kind,
                "label": Assessment.Kind(kind).label,
                "rounds": kind_rounds,
                "open": current,
                "has_answered": current is not None
                and services.has_answered(assessment=current, membership=membership),
            }
        )
    context = {
        "exercises": exercises,
        "is_admin": _is_admin(request),
        "can_answer": membership.role in CONTRIBUTORS,
        "this_year": datetime.date.today().year,
        "kinds": [(kind, Assessment.Kind(kind).label) for kind in EXERCISES],
        "shared_kinds": [
            (Assessment.Kind.ROLE_MATRIX, "assessments:roles"),
            (Assessment.Kind.DOMAINS, "assessments:domains"),
            (Assessment.Kind.TACTICS, "assessments:tactics"),
        ],
    }
    return render(request, "assessments/assessment_list.html", context)


@coalition_view(*ADMINS)
@require_POST
def open_round(request: CoalitionRequest) -> HttpResponse:
    try:
        round_number = int(request.POST.get("round_number", ""))
    except ValueError:
        round_number = 0
    try:
        assessment = services.open_round(
            coalition=request.coalition,
            actor=request.user,
            kind=request.POST.get("kind", ""),
            round_number=round_number,
            is_anonymous=request.POST.get("is_anonymous") == "on",
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The %(round)s round is open.") % {"round": assessment})
    return redirect("assessments:index", request.coalition.slug)


@coalition_view(*ADMINS)
@require_POST
def close_round(request: CoalitionRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    try:
        services.close_round(assessment=assessment, actor=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The round is closed. Its results are released."))
    return redirect("assessments:results", request.coalition.slug, assessment.pk)


@coalition_view(*ADMINS)
@require_POST
def reopen_round(request: CoalitionRequest, assessment_id: int) -> HttpResponse:
    """Reopen a closed round for more answers; the reopening is in the activity log."""
    assessment = _assessment(request, assessment_id)
    try:
        services.reopen_round(assessment=assessment, membership=request.membership)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _(
                "The round is open again. When it closes, results that would single out "
                "the answers added since stay hidden."
            ),
        )
    return redirect("assessments:results", request.coalition.slug, assessment.pk)


@coalition_view(*CONTRIBUTORS)
@require_http_methods(["GET", "POST"])
def answer(request: CoalitionRequest, assessment_id: int) -> HttpResponse:
    """The answer form of one round, made to work on a phone."""
    assessment = _assessment(request, assessment_id)
    values: Mapping[str, Any] = {}
    status = 200
    if request.method == "POST":
        answers = parse_answers(assessment.kind, request.POST)
        try:
            services.submit_response(
                assessment=assessment, membership=request.membership, answers=answers
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            values = request.POST
            status = 409 if isinstance(error, LockedError) else 400
        else:
            messages.success(request, _("Thank you. Your answers are recorded."))
            return redirect("assessments:results", request.coalition.slug, assessment.pk)
    context = {
        "assessment": assessment,
        "has_answered": services.has_answered(assessment=assessment, membership=request.membership),
        "values": values,
        "marked": set(values.getlist("marked")) if isinstance(values, QueryDict) else set(),
        "is_paper": False,
        **_guide(assessment.kind),
    }
    return render(request, "assessments/assessment_answer.html", context, status=status)


@coalition_view(*ADMINS)
@require_http_methods(["GET", "POST"])
def paper(request: CoalitionRequest, assessment_id: int) -> HttpResponse:
    """Enter the answers of one paper worksheet collected at a workshop."""
    assessment = _assessment(request, assessment_id)
    values: Mapping[str, Any] = {}
    status = 200
    if request.method == "POST":
        try:
            services.enter_paper_response(
                assessment=assessment,
                actor=request.user,
                member_type=request.POST.get("member_type", ""),
                answers=parse_answers(assessment.kind, request.POST),
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            values = request.POST
            status = 409 if isinstance(error, LockedError) else 400
        else:
            messages.success(request, _("Paper worksheet entered. Enter the next one."))
            return redirect("assessments:paper", request.coalition.slug, assessment.pk)
    context = {
        "assessment": assessment,
        "has_answered": False,
        "values": values,
        "marked": set(values.getlist("marked")) if isinstance(values, QueryDict) else set(),
        "is_paper": True,
        "member_types": Response.MemberType.choices,
        "paper_count": selectors.paper_count(assessment),
        **_guide(assessment.kind),
    }
    return render(request, "assessments/assessment_answer.html", context, status=status)


@coalition_view(*ALL_ROLES)
def results(request: CoalitionRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET"])
    context: dict[str, Any] = {
        "assessment": assessment,
        "labels": view_labels(),
        "views": MEMBER_VIEWS,
        "suppressed": suppressed_label(),
        "is_admin": _is_admin(request),
        "can_answer": request.membership.role in CONTRIBUTORS
        and assessment.is_open
        and not services.has_answered(assessment=assessment, membership=request.membership),
    }
    if assessment.is_open:
        # Aggregates seen while answers still arrive could be compared over time to
        # single out the latest answer, so only the counts are shown until the round closes.
        context["results"] = {"counts": selectors.round_counts(assessment)}
        return render(request, "assessments/assessment_results_open.html", context)
    found = selectors.results_for(assessment)
    context["results"] = found
    if isinstance(found, selectors.StageResults):
        context["stages"] = {stage.id: stage for stage in framework.STAGES}
        return render(request, "assessments/assessment_results_stage.html", context)
    return render(request, "assessments/assessment_results.html", context)


@coalition_view(*ALL_ROLES)
def export(request: CoalitionRequest, assessment_id: int) -> HttpResponse:
    """Results as CSV: one row per item and member-type view; hidden cells say so.

    An open round has no results to download yet: 409 with a plain-text reason.
    """
    assessment = _assessment(request, assessment_id)
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET"])
    if assessment.is_open:
        return HttpResponse(
            _(
                "The %(round)s round is still open: its results can be downloaded once a "
                "backbone admin closes it."
            )
            % {"round": assessment},
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    found = selectors.results_for(assessment)
    header, rows = export_rows(found)
    filename = safe_filename(
        f"{request.coalition.slug}-{assessment.kind}-{assessment.round_number}", "csv"
    )
    return download(write_csv(header, rows), filename)


def export_rows(
    found: selectors.RatedResults | selectors.StageResults,
) -> tuple[list[str], list[list[object]]]:
    """The CSV's header and rows (a stage round has a second table after a blank row).

    Numbers stay numbers (a negative voice gap is -1.0, not text), so that the writer's
    guard against formulas, which marks text starting with ``-``, leaves them alone.
    """
    rows: list[list[object]] = []
    if isinstance(found, selectors.StageResults):
        header = [
            "view",
            "respondents",
            "stage",
            "stage_recognized",
            "next_stage",
            "readiness",
            "next_steps",
        ]
        for view, count in zip(found.views, found.counts, strict=True):
            result = view.result
            if view.is_suppressed:
                rows.append([view.view, *[SUPPRESSED] * (len(header) - 1)])
            else:
                rows.append(
                    [
                        view.view,
                        count.count,
                        result.stage_id,
                        "yes" if result.is_recognized else "no",
                        result.next_stage_id or "",
                        None if result.readiness is None else round(result.readiness, 3),
                        " ".join(result.next_steps),
                    ]
                )
        rows.append([])
        rows.append(["item", "community_share", "institutional_share", "voice_gap"])
        for share_gap in found.gaps.values():
            rows.append(
                [
                    share_gap.item_id,
                    round(share_gap.community_share, 3),
                    round(share_gap.institutional_share, 3),
                    round(share_gap.gap, 3),
                ]
            )
        return header, rows
    header = ["item", "view", "respondents", "mean", "median", "std_dev", "voice_gap", "flagged"]
    for row in found.rows:
        gap = row.result.voice_gap
        for stat in row.result.views:
            distribution = stat.distribution
            if stat.is_suppressed:
                rows.append(
                    [row.item_id, stat.view, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, "", ""]
                )
                continue
            rows.append(
                [
                    row.item_id,
                    stat.view,
                    stat.respondent_count,
                    round(distribution.mean, 2) if distribution else None,
                    round(distribution.median, 1) if distribution else None,
                    round(distribution.std_dev, 2) if distribution else None,
                    None if gap.gap is None else round(gap.gap, 2),
                    "yes" if gap.is_flagged else "no",
                ]
            )
    return header, rows


@coalition_view(*ADMINS)
@require_POST
def agreed(request: CoalitionRequest, assessment_id: int) -> HttpResponse:
    """Record an agreed position, or save the change of a reopened one."""
    assessment = _assessment(request, assessment_id)
    back = reverse("assessments:results", args=[request.coalition.slug, assessment.pk])
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        position = -1
    try:
        services.record_agreed_position(
            assessment=assessment,
            membership=request.membership,
            decision_point_id=request.POST.get("decision_point_id", ""),
            position=position,
            rationale=request.POST.get("rationale", ""),
            expected=_sent_version(request),
        )
    except (StaleEditError, LockedError) as error:
        return _conflict(
            request, _error_text(error) if isinstance(error, LockedError) else str(error), back
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Agreed position recorded. It is locked until reopened."))
    return redirect(back)


@coalition_view(*ADMINS)
@require_POST
def agreed_reopen(request: CoalitionRequest, assessment_id: int) -> HttpResponse:
    """Reopen a locked agreed position for changes; the reopening is in the activity log."""
    assessment = _assessment(request, assessment_id)
    back = reverse("assessments:results", args=[request.coalition.slug, assessment.pk])
    try:
        found = AgreedPosition.objects.get(
            assessment=assessment, decision_point_id=request.POST.get("decision_point_id", "")
        )
    except AgreedPosition.DoesNotExist:
        messages.error(request, _("No agreed position is recorded for this decision point."))
        return redirect(back)
    try:
        services.reopen_agreed_position(
            agreed=found, membership=request.membership, expected=_sent_version(request)
        )
    except StaleEditError as error:
        return _conflict(request, str(error), back)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The agreed position is open for changes."))
    return redirect(back)


@coalition_view(*ALL_ROLES)
@require_GET
def worksheet(request: CoalitionRequest, kind: str) -> HttpResponse:
    """A print-ready worksheet of one exercise, for workshops; print it or save as PDF."""
    if kind not in Assessment.Kind.values:
        raise Http404
    context = {
        "kind": kind,
        "label": Assessment.Kind(kind).label,
        "focus_areas": request.coalition.focus_areas or [],
        "blank_lines": range(3),
        **_guide(kind),
    }
    return render(request, "assessments/assessment_worksheet.html", context)


# -- shared records ----------------------------------------------------------------------


@coalition_view(*ALL_ROLES)
@require_GET
def roles(request: CoalitionRequest) -> HttpResponse:
    """The role matrix per focus area, and ecosystem actors suggested for each gap."""
    coalition = request.coalition
    entries = {
        (e.focus_area, e.role_id): e for e in selectors.list_role_matrix(coalition=coalition)
    }
    areas = [
        {
            "name": area,
            "index": position,
            "rows": [(role, entries.get((area, role.id))) for role in framework.ROLES],
        }
        for position, area in enumerate(coalition.focus_areas or [])
    ]
    # A role's suggestions do not depend on the focus area: list each role once.
    by_role: dict[str, dict[str, Any]] = {}
    for found in selectors.partner_suggestions(coalition=coalition):
        entry = by_role.setdefault(
            found.gap.role_id,
            {"role_id": found.gap.role_id, "areas": [], "suggestions": found.suggestions},
        )
        entry["areas"].append(found.gap.focus_area_id)
    context = {
        "areas": areas,
        "suggestions": list(by_role.values()),
        "sector_names": {sector.id: sector.name for sector in SECTORS},
        "role_names": {role.id: role.name for role in framework.ROLES},
        "has_ecosystem": selectors.ecosystem_facts(coalition=coalition) is not None,
        "is_admin": _is_admin(request),
        "matrix_version": services.role_matrix_version(coalition=coalition),
    }
    return render(request, "assessments/rolematrix_detail.html", context)


@coalition_view(*ADMINS)
@require_POST
def roles_save(request: CoalitionRequest) -> HttpResponse:
    """Save the rows the form drew (each row sends ``<area>-<role>-row``; its checkboxes
    say the flags); rows the form did not send keep their decisions."""
    coalition = request.coalition
    decisions = []
    for position, area in enumerate(coalition.focus_areas or []):
        for role in framework.ROLES:
            prefix = f"{position}-{role.id}"
            if f"{prefix}-row" not in request.POST:
                continue
            flags = [
                request.POST.get(f"{prefix}-{name}") == "on"
                for name in ("needed", "internal", "external")
            ]
            decisions.append(services.RoleDecision(area, role.id, *flags))
    try:
        services.save_role_matrix(
            coalition=coalition,
            actor=request.user,
            decisions=decisions,
            expected=_sent_version(request),
        )
    except StaleEditError as error:
        return _conflict(request, str(error), reverse("assessments:roles", args=[coalition.slug]))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Role matrix saved."))
    return redirect("assessments:roles", coalition.slug)


# Where the evidence for a tactic lives in CommonGround, when it does.
EVIDENCE_PAGES = {
    "build_trusted_partnerships": ("ecosystem:map", gettext_lazy("The ecosystem map's ties")),
    "create_shared_measurement": ("measurement:framework", gettext_lazy("The metrics framework")),
    "promote_common_agenda": ("assessments:domains", gettext_lazy("The four-domains document")),
    "support_community_led_activities": ("ecosystem:power_map", gettext_lazy("The power map")),
    "promote_accountability": ("ecosystem:survey_list", gettext_lazy("The partner surveys")),
}


def _evidence_links(slug: str) -> dict[str, tuple[str, str]]:
    links = {}
    for tactic_id, (url_name, label) in EVIDENCE_PAGES.items():
        try:
            links[tactic_id] = (reverse(url_name, args=[slug]), str(label))
        except NoReverseMatch:
            continue
    return links


@coalition_view(*ALL_ROLES)
@require_GET
def tactics(request: CoalitionRequest) -> HttpResponse:
    context = {
        "evidence_links": _evidence_links(request.coalition.slug),
        "record_evidence": evidence.collect(request.coalition),
        "tactics": selectors.list_tactics(coalition=request.coalition),
        "statuses": services.TacticStatus.Status.choices,
        "owners": list(selectors.list_owners(coalition=request.coalition)),
        "is_admin": _is_admin(request),
        "pillar_names": {pillar.id: pillar.name for pillar in framework.PILLARS},
    }
    return render(request, "assessments/tacticstatus_list.html", context)


def _owner(request: CoalitionRequest) -> Membership | None:
    raw = request.POST.get("owner", "")
    if not raw:
        return None
    return _member(request, raw)


def _sent_owner(request: CoalitionRequest) -> Membership | Unset | None:
    """The posted owner, ``None`` when chosen blank, ``UNSET`` when the form sent none."""
    if "owner" not in request.POST:
        return UNSET
    return _owner(request)


def _member(request: CoalitionRequest, raw: str) -> Membership:
    try:
        return selectors.list_owners(coalition=request.coalition).get(pk=int(raw))
    except (ValueError, Membership.DoesNotExist):
        raise ValidationError({"owner": _("Choose an owner from the list.")}) from None


@coalition_view(*ADMINS)
@require_POST
def tactics_save(request: CoalitionRequest) -> HttpResponse:
    """Update one tactic; fields the form did not send keep their values."""
    try:
        services.set_tactic_status(
            coalition=request.coalition,
            actor=request.user,
            tactic_id=request.POST.get("tactic_id", ""),
            status=_sent(request, "status"),
            owner=_sent_owner(request),
            evidence_url=_sent(request, "evidence_url"),
            evidence_note=_sent(request, "evidence_note"),
            expected=_sent_version(request),
        )
    except StaleEditError as error:
        return _conflict(
            request, str(error), reverse("assessments:tactics", args=[request.coalition.slug])
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Tactic updated."))
    return redirect("assessments:tactics", request.coalition.slug)


@coalition_view(*ALL_ROLES)
@require_GET
def domains(request: CoalitionRequest) -> HttpResponse:
    document = selectors.get_domain_document(coalition=request.coalition)
    versions = list(selectors.list_domain_versions(document=document)) if document else []
    latest = versions[0] if versions else None
    context = {
        "document": document,
        "versions": versions,
        "latest": latest,
        "domains": framework.DOMAINS,
        "can_edit": request.membership.role in CONTRIBUTORS,
    }
    return render(request, "assessments/domaindocument_detail.html", context)


@coalition_view(*CONTRIBUTORS)
@require_POST
def domains_save(request: CoalitionRequest) -> HttpResponse:
    """Save a new version from the answers sent; questions not sent keep their answers."""
    answers = {
        question.id: request.POST[f"answer-{question.id}"]
        for domain in framework.DOMAINS
        for question in domain.questions
        if f"answer-{question.id}" in request.POST
    }
    try:
        version = services.save_domain_version(
            coalition=request.coalition,
            actor=request.user,
            answers=answers,
            note=request.POST.get("note", ""),
            expected=_sent_version(request),
        )
    except StaleEditError as error:
        return _conflict(
            request, str(error), reverse("assessments:domains", args=[request.coalition.slug])
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Saved as version %(n)d.") % {"n": version.number})
    return redirect("assessments:domains", request.coalition.slug)


@coalition_view(*CONTRIBUTORS)
@require_POST
def domains_comment(request: CoalitionRequest, version_id: int) -> HttpResponse:
    try:
        version = DomainDocumentVersion.objects.get(pk=version_id)
    except DomainDocumentVersion.DoesNotExist:
        raise Http404 from None
    try:
        services.add_domain_comment(
            version=version,
            actor=request.user,
            body=request.POST.get("body", ""),
            question_id=request.POST.get("question_id", ""),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Comment added."))
    return redirect("assessments:domains", request.coalition.slug)


# -- roadmap and action plan ---------------------------------------------------------------


def _framework_name(kind: str, framework_id: str) -> str:
    try:
        entry = framework.find(kind, framework_id)
    except framework.UnknownFrameworkId:
        return framework_id
    text = getattr(entry, "name", None) or getattr(entry, "text", None)
    return text.get(get_language() or "en") if text is not None else framework_id


def _item_name(item_id: str) -> str:
    for kind in ("pillar", "item", "feature", "decision_point"):
        name = _framework_name(kind, item_id)
        if name != item_id:
            return name
    return item_id


def action_title(action: ProposedAction) -> str:
    """The proposal in words, in the active language."""
    params = dict(action.params)
    match action.key:
        case "actions.build_infrastructure":
            return _("Put in place: %(item)s (needed for the %(stage)s stage)") % {
                "item": _framework_name("item", params["item_id"]),
                "stage": _framework_name("stage", params["stage_id"]),
            }
        case "actions.hear_residents":
            return _("Hear residents on “%(item)s”: they see it differently from institutions") % {
                "item": _item_name(params["item_id"])
            }
        case "actions.strengthen_pillar":
            return _(
                "Strengthen the %(pillar)s pillar (rated %(mean)s of 5 as holding us back)"
            ) % {
                "pillar": _framework_name("pillar", params["pillar_id"]),
                "mean": params["mean"],
            }
        case "actions.fill_role":
            return _("Find a partner for %(role)s (%(areas)s)") % {
                "role": _framework_name("role", params["role_id"]),
                "areas": params["focus_area_ids"].replace(",", ", "),
            }
        case "actions.discuss_decision_point":
            return _("Discuss “%(point)s”: members disagree widely") % {
                "point": _framework_name("decision_point", params["decision_point_id"])
            }
        case "actions.address_readiness":
            return _("Address %(factor)s (readiness %(mean)s of 5)") % {
                "factor": _framework_name("feature", params["factor_id"]),
                "mean": params["mean"],
            }
        case "actions.recruit_sector":
            sector = SECTORS_BY_ID.get(params["sector_id"])
            return _("Invite a partner from the %(sector)s sector") % {
                "sector": sector.name.get(get_language() or "en")
                if sector
                else params["sector_id"].replace("_", " ")
            }
    return action.key


def _owner_options(owners: list[Membership], selected: int | None) -> SafeString:
    """The options of an owner <select>, drawn once for all the proposals that share them."""
    options = "".join(
        f'<option value="{owner.pk}"{" selected" if owner.pk == selected else ""}>'
        f"{escape(str(owner.user))} ({escape(str(owner.get_role_display()))})</option>"
        for owner in owners
    )
    return mark_safe(f'<option value="">—</option>{options}')  # nosec B308 B703


def _shown(raw: object, total: int) -> int:
    """How many proposals to show: ``PROPOSALS_SHOWN`` at first, more after "show more"."""
    try:
        wanted = int(str(raw))
    except ValueError:
        wanted = PROPOSALS_SHOWN
    return max(PROPOSALS_SHOWN, min(wanted, total, 1000))


def _back_to_plan(request: CoalitionRequest) -> HttpResponse:
    """Back to the action plan with as many proposals shown as the form was drawn with."""
    url = reverse("assessments:roadmap", args=[request.coalition.slug])
    shown = _shown(request.POST.get("shown", ""), 1000)
    if shown != PROPOSALS_SHOWN:
        url += f"?shown={shown}"
    return redirect(url + "#proposed-title")


def priority_labels() -> dict[int, str]:
    return {1: _("High priority"), 2: _("Medium priority"), 3: _("Low priority")}


@coalition_view(*ALL_ROLES)
@require_GET
@kept_per_version()
def roadmap(request: CoalitionRequest) -> HttpResponse:
    """The four chapters (the coalition home's own), ranked proposals a few at a time,
    and the action plan with overdue items flagged."""
    on = selectors.today()
    plan = selectors.action_plan(coalition=request.coalition, on=on)
    shown = _shown(request.GET.get("shown", ""), len(plan.proposals))
    owners = list(selectors.list_owners(coalition=request.coalition))
    options: dict[int | None, SafeString] = {}  # the owner <option>s, by the one selected
    labels = priority_labels()
    proposals: list[dict[str, Any]] = []
    for action in plan.proposals[:shown]:
        # Backbone work defaults to the admin accepting it; partner work is left to choose.
        default_owner = request.membership.pk if action.owner_member_type == "backbone" else None
        if default_owner not in options:
            options[default_owner] = _owner_options(owners, default_owner)
        proposals.append(
            {
                "action": action,
                "title": action_title(action),
                "index": str(action.rank),  # text: the template need not localize it
                "priority": labels[action.priority],
                "default_owner": default_owner,
                "owner_options": options[default_owner],
            }
        )
    remaining = len(plan.proposals) - len(proposals)
    stage = plan.stage.overall.result if plan.stage is not None else None
    context = {
        "plan": plan,
        "chapters": plan.roadmap.chapters,
        "stage": stage if stage is not None and not stage.is_suppressed else None,
        "stage_round": plan.stage.assessment if plan.stage is not None else None,
        "proposals": proposals,
        "proposal_count": len(plan.proposals),
        "shown": str(len(proposals)),
        "remaining": remaining,
        "more_url": f"?shown={len(proposals) + PROPOSALS_SHOWN}#proposed-title",
        "more_count": min(remaining, PROPOSALS_SHOWN),
        "rows": plan.rows,
        "default_due": (on + datetime.timedelta(days=90)).isoformat(),
        "is_admin": _is_admin(request),
        "action_statuses": ActionItem.Status.choices,
        "stages": {stage.id: stage for stage in framework.STAGES},
    }
    return render(request, "assessments/roadmap_detail.html", context)


@coalition_view(*ADMINS)
@require_POST
def action_accept(request: CoalitionRequest) -> HttpResponse:
    due_on = None
    raw_due = request.POST.get("due_on", "")
    try:
        if raw_due:
            due_on = datetime.date.fromisoformat(raw_due)
        services.accept_action(
            coalition=request.coalition,
            actor=request.user,
            title=request.POST.get("title", ""),
            source_key=request.POST.get("source_key", ""),
            owner=_owner(request),
            due_on=due_on,
        )
    except ValueError:
        messages.error(request, _("The due date is not a date."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Added to the action plan."))
    return _back_to_plan(request)


@coalition_view(*ADMINS)
@require_POST
def proposal_dismiss(request: CoalitionRequest) -> HttpResponse:
    """Set a proposal aside; the next one in the ranking takes its place."""
    try:
        services.dismiss_proposal(
            coalition=request.coalition,
            membership=request.membership,
            source_key=request.POST.get("source_key", ""),
            title=request.POST.get("title", ""),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Proposal set aside. You can bring it back below the plan."))
    return _back_to_plan(request)


@coalition_view(*ADMINS)
@require_POST
def proposal_restore(request: CoalitionRequest) -> HttpResponse:
    try:
        services.restore_proposal(
            coalition=request.coalition,
            membership=request.membership,
            source_key=request.POST.get("source_key", ""),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The proposal is back in the ranked list."))
    return _back_to_plan(request)


@coalition_view(*ALL_ROLES)
@require_GET
def my_tasks(request: CoalitionRequest) -> HttpResponse:
    """The action items the signed-in member owns, in every state, overdue ones first."""
    on = selectors.today()
    rows = selectors.list_my_tasks(membership=request.membership, on=on)
    context = {
        "rows": rows,
        "overdue_count": sum(row.is_overdue for row in rows),
        "today": on,
        "can_own": request.membership.role != Membership.Role.VIEWER,
    }
    return render(request, "assessments/actionitem_mine.html", context)


@coalition_view(*ADMINS)
@require_POST
def action_status(request: CoalitionRequest, action_id: int) -> HttpResponse:
    try:
        item = selectors.list_actions(coalition=request.coalition).get(pk=action_id)
    except ActionItem.DoesNotExist:
        raise Http404 from None
    try:
        services.change_action_status(
            item=item,
            actor=request.user,
            status=request.POST.get("status", ""),
            expected=_sent_version(request),
        )
    except StaleEditError as error:
        return _conflict(
            request, str(error), reverse("assessments:roadmap", args=[request.coalition.slug])
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Action updated."))
    return redirect("assessments:roadmap", request.coalition.slug)
