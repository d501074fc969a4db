"""Assessments endpoints of the JSON API; they call the same services and selectors as pages.

Suppressed views come back with ``suppressed: true`` and no numbers: a view with 1 to
4 self-submitted or 1 to 4 paper answers, or derivable from the shown ones or from an
earlier release of the round, is hidden here as everywhere. Notes come back the same
way (``notes_suppressed``).

Changing a shared record (``PATCH``) needs the ``version`` read with it: when someone
changed the record since, the answer is 409 and nothing is written.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from commonground.api.access import api_coalition
from commonground.assessments import selectors, services
from commonground.assessments.models import ActionItem, Assessment, Response
from commonground.coalitions.access import ADMINS, ALL_ROLES, CONTRIBUTORS
from commonground.coalitions.models import Membership
from commonground.lib.versioning import StaleEditError

router = Router(tags=["assessments"])
SUPPRESSED_REASON = "suppressed (fewer than 5)"


class AssessmentOut(Schema):
    id: int
    kind: str
    round_number: int
    status: str
    release: int
    is_anonymous: bool
    opened_at: datetime
    closed_at: datetime | None
    response_count: int
    has_answered: bool


class ViewStat(Schema):
    view: str
    suppressed: bool
    suppressed_reason: str | None = None
    respondents: int | None = None
    mean: float | None = None
    median: float | None = None
    std_dev: float | None = None
    stage_id: str | None = None
    next_steps: list[str] | None = None


class ItemOut(Schema):
    item_id: str
    views: list[ViewStat]
    voice_gap: float | None
    voice_gap_flagged: bool
    disagreement: float | None = None
    agreed_position: int | None = None
    notes: list[str] = []
    notes_suppressed: bool = False


class ResultsOut(Schema):
    """``is_final`` is false while the round is open: then only the counts are given."""

    assessment: AssessmentOut
    is_final: bool
    respondents: list[ViewStat]
    items: list[ItemOut]
    stage_views: list[ViewStat]


class ResponseIn(Schema):
    model_config = {"extra": "forbid"}

    answers: dict[str, Any]


class ResponseOut(Schema):
    id: int | None
    assessment_id: int
    member_type: str
    submitted_on: date
    answers: dict[str, Any] | None


def _assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    try:
        return selectors.get_assessment(
            coalition=request.coalition,  # type: ignore[attr-defined]
            assessment_id=assessment_id,
        )
    except Assessment.DoesNotExist:
        raise HttpError(404, "Not Found") from None


def _assessment_out(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "kind": assessment.kind,
        "round_number": assessment.round_number,
        "status": assessment.status,
        "release": assessment.release,
        "is_anonymous": assessment.is_anonymous,
        "opened_at": assessment.opened_at,
        "closed_at": assessment.closed_at,
        "response_count": getattr(assessment, "response_count", None)
        if getattr(assessment, "response_count", None) is not None
        else selectors.answer_count(assessment),
        "has_answered": services.has_answered(
            assessment=assessment,
            membership=request.membership,  # type: ignore[attr-defined]
        ),
    }


def _hidden(view: str) -> dict[str, Any]:
    return {"view": view, "suppressed": True, "suppressed_reason": SUPPRESSED_REASON}


def _counts_out(counts: Sequence[selectors.ViewCount]) -> list[dict[str, Any]]:
    return [
        _hidden(count.view)
        if count.is_suppressed
        else {"view": count.view, "suppressed": False, "respondents": count.count}
        for count in counts
    ]


@router.get(
    "/{coalition_slug}/assessments", response=list[AssessmentOut], summary="Assessment rounds"
)
@api_coalition(*ALL_ROLES)
def list_assessments(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    rounds = selectors.list_assessments(coalition=request.coalition)  # type: ignore[attr-defined]
    return [_assessment_out(request, assessment) for assessment in rounds]


@router.get(
    "/{coalition_slug}/assessments/{assessment_id}/results",
    response=ResultsOut,
    summary="Results of a round, by member type, with small groups suppressed",
)
@api_coalition(*ALL_ROLES)
def get_assessment_results(
    request: HttpRequest, coalition_slug: str, assessment_id: int
) -> dict[str, Any]:
    assessment = _assessment(request, assessment_id)
    if assessment.is_open:
        counts = selectors.round_counts(assessment)
        return {
            "assessment": _assessment_out(request, assessment),
            "is_final": False,
            "respondents": _counts_out(counts),
            "items": [],
            "stage_views": [],
        }
    found = selectors.results_for(assessment)
    respondents = _counts_out(found.counts)
    items: list[dict[str, Any]] = []
    stage_views: list[dict[str, Any]] = []
    if isinstance(found, selectors.StageResults):
        for view in found.views:
            if view.is_suppressed:
                stage_views.append(_hidden(view.view))
            else:
                stage_views.append(
                    {
                        "view": view.view,
                        "suppressed": False,
                        "respondents": view.result.respondent_count,
                        "stage_id": view.result.stage_id,
                        "next_steps": list(view.result.next_steps),
                    }
                )
        for gap in found.gaps.values():
            items.append(
                {
                    "item_id": gap.item_id,
                    "views": [],
                    "voice_gap": gap.gap,
                    "voice_gap_flagged": gap.is_flagged,
                }
            )
    else:
        for row in found.rows:
            views = []
            for stat in row.result.views:
                if stat.is_suppressed:
                    views.append(_hidden(stat.view))
                    continue
                distribution = stat.distribution
                views.append(
                    {
                        "view": stat.view,
                        "suppressed": False,
                        "respondents": stat.respondent_count,
                        "mean": distribution.mean if distribution else None,
                        "median": distribution.median if distribution else None,
                        "std_dev": distribution.std_dev if distribution else None,
                    }
                )
            items.append(
                {
                    "item_id": row.item_id,
                    "views": views,
                    "voice_gap": row.result.voice_gap.gap,
                    "voice_gap_flagged": row.result.voice_gap.is_flagged,
                    "disagreement": row.rank.disagreement if row.rank else None,
                    "agreed_position": row.agreed.position if row.agreed else None,
                    "notes": list(row.notes),
                    "notes_suppressed": row.notes_hidden,
                }
            )
    return {
        "assessment": _assessment_out(request, assessment),
        "is_final": True,
        "respondents": respondents,
        "items": items,
        "stage_views": stage_views,
    }


@router.post(
    "/{coalition_slug}/assessments/{assessment_id}/responses",
    response={201: ResponseOut},
    summary="Answer an open round (once; viewers cannot answer)",
)
@api_coalition(*CONTRIBUTORS)
def submit_assessment_response(
    request: HttpRequest, coalition_slug: str, assessment_id: int, payload: ResponseIn
) -> Status[dict[str, Any]]:
    assessment = _assessment(request, assessment_id)
    try:
        response = services.submit_response(
            assessment=assessment,
            membership=request.membership,  # type: ignore[attr-defined]
            answers=payload.answers,
        )
    except services.LockedError as error:
        raise HttpError(409, "; ".join(error.messages)) from None
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    return Status(
        201,
        {
            "id": None if assessment.is_anonymous else response.pk,
            "assessment_id": assessment.pk,
            "member_type": response.member_type,
            "submitted_on": response.submitted_on,
            "answers": response.answers,
        },
    )


@router.get(
    "/{coalition_slug}/assessments/{assessment_id}/responses/mine",
    response=list[ResponseOut],
    summary="My own answers to a named round (anonymous answers cannot be found again)",
)
@api_coalition(*CONTRIBUTORS)
def list_my_assessment_responses(
    request: HttpRequest, coalition_slug: str, assessment_id: int
) -> list[dict[str, Any]]:
    assessment = _assessment(request, assessment_id)
    mine = Response.objects.filter(
        assessment=assessment,
        respondent=request.membership,  # type: ignore[attr-defined]
    )
    return [
        {
            "id": response.pk,
            "assessment_id": assessment.pk,
            "member_type": response.member_type,
            "submitted_on": response.submitted_on,
            "answers": response.answers,
        }
        for response in mine
    ]


class ActionItemOut(Schema):
    id: int
    title: str
    source_key: str
    owner_membership_id: int | None
    due_on: date | None
    status: str
    version: int


class ActionItemPatch(Schema):
    """Send ``version`` (as read) and only the fields to change; others keep their values."""

    model_config = {"extra": "forbid"}

    version: int = Field(ge=1, description="The version read with the item; 409 if stale.")
    title: str | None = None
    status: str | None = None
    owner_membership_id: int | None = None
    due_on: date | None = None


def _action_out(item: ActionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "source_key": item.source_key,
        "owner_membership_id": item.owner_id,
        "due_on": item.due_on,
        "status": item.status,
        "version": item.version,
    }


@router.get(
    "/{coalition_slug}/assessments/actions",
    response=list[ActionItemOut],
    summary="The action plan (each item with its version, for PATCH)",
)
@api_coalition(*ALL_ROLES)
def list_action_items(request: HttpRequest, coalition_slug: str) -> list[dict[str, Any]]:
    coalition = request.coalition  # type: ignore[attr-defined]
    return [_action_out(item) for item in selectors.list_actions(coalition=coalition)]


@router.patch(
    "/{coalition_slug}/assessments/actions/{action_id}",
    response=ActionItemOut,
    summary="Change an action item (send the version you read; 409 when someone changed it)",
)
@api_coalition(*ADMINS)
def update_action_item(
    request: HttpRequest, coalition_slug: str, action_id: int, payload: ActionItemPatch
) -> dict[str, Any]:
    coalition = request.coalition  # type: ignore[attr-defined]
    try:
        item = selectors.list_actions(coalition=coalition).get(pk=action_id)
    except ActionItem.DoesNotExist:
        raise HttpError(404, "Not Found") from None
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    for name in ("title", "status"):
        if name in changes and changes[name] is None:
            raise HttpError(422, f"{name}: send a value, or leave the field out to keep it")
    fields: dict[str, Any] = {
        name: changes[name] for name in ("title", "status", "due_on") if name in changes
    }
    if "owner_membership_id" in changes:
        owner_id = changes["owner_membership_id"]
        if owner_id is None:
            fields["owner"] = None
        else:
            try:
                fields["owner"] = selectors.list_owners(coalition=coalition).get(pk=owner_id)
            except Membership.DoesNotExist:
                raise HttpError(
                    422, "owner_membership_id: not a member of this coalition who can own it"
                ) from None
    try:
        item = services.update_action(item=item, actor=request.user, expected=version, **fields)
    except StaleEditError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    return _action_out(item)
