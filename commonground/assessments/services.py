"""Writes. Each function is one intention: it validates, writes inside one transaction,
and records one audit row per change. Bad input raises ``ValidationError`` naming the
field, and nothing is saved."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from commonground import framework
from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.exercises import (
    EXERCISES,
    MARKED,
    check_answers,
    get_exercise,
    is_empty,
)
from commonground.assessments.models import (
    ActionItem,
    AgreedPosition,
    Assessment,
    DomainComment,
    DomainDocument,
    DomainDocumentVersion,
    Response,
    RoleMatrixEntry,
    TacticStatus,
)
from commonground.coalitions.models import AuditEvent, Coalition, Membership
from commonground.coalitions.services import record_audit

Role = Membership.Role
Action = AuditEvent.Action
MEMBER_TYPE_OF_ROLE = {
    Role.COMMUNITY_MEMBER: Response.MemberType.COMMUNITY,
    Role.PARTNER: Response.MemberType.PARTNER,
    Role.BACKBONE_ADMIN: Response.MemberType.BACKBONE,
}
FIRST_ROUND = 2000
LAST_ROUND = 2100
MAX_TEXT = 2000


def member_type_for(membership: Membership) -> str:
    """Return the member type a response from ``membership`` counts under, or raise."""
    try:
        return MEMBER_TYPE_OF_ROLE[Role(membership.role)]
    except (KeyError, ValueError):
        raise ValidationError(
            _("Viewers can read results but do not answer assessments.")
        ) from None


def _participant_hash(assessment: Assessment, membership: Membership) -> str:
    # Keyed, so the stored marker cannot be recomputed from ids without the server secret.
    return salted_hmac(
        "commonground.assessments.participation",
        f"{assessment.pk}:{membership.pk}",
        algorithm="sha256",
    ).hexdigest()


def has_answered(*, assessment: Assessment, membership: Membership) -> bool:
    return _participant_hash(assessment, membership) in assessment.participant_hashes


def _checked(kind: str, answers: object) -> dict[str, object]:
    exercise = get_exercise(kind)
    try:
        normalized = check_answers(exercise, answers)
    except ScoringError as error:
        raise ValidationError({"answers": str(error)}) from None
    if exercise.shape != MARKED and is_empty(exercise, normalized):
        raise ValidationError({"answers": _("Answer at least one question before sending.")})
    return normalized


@transaction.atomic
def open_round(
    *,
    coalition: Coalition,
    actor: Any,
    kind: str,
    round_number: int,
    is_anonymous: bool = True,
) -> Assessment:
    """Open a new round of an exercise. One round per kind may be open at a time."""
    if kind not in EXERCISES:
        raise ValidationError({"kind": _("Choose one of the exercises members answer.")})
    if not FIRST_ROUND <= round_number <= LAST_ROUND:
        raise ValidationError(
            {
                "round_number": _("The round is a year from %(first)d to %(last)d.")
                % {"first": FIRST_ROUND, "last": LAST_ROUND}
            }
        )
    rounds = Assessment.objects.filter(coalition=coalition, kind=kind)
    if rounds.filter(round_number=round_number).exists():
        raise ValidationError(
            {
                "round_number": _("There is already a %(round)d round of this exercise.")
                % {"round": round_number}
            }
        )
    if rounds.filter(status=Assessment.Status.OPEN).exists():
        raise ValidationError({"kind": _("Close the open round of this exercise first.")})
    assessment = Assessment.objects.create(
        coalition=coalition, kind=kind, round_number=round_number, is_anonymous=is_anonymous
    )
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE,
        obj=assessment,
        summary=f"Opened the {round_number} round of {kind}",
        after={"kind": kind, "round_number": round_number, "is_anonymous": is_anonymous},
    )
    return assessment


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


@transaction.atomic
def close_round(*, assessment: Assessment, actor: Any) -> Assessment:
    """Close a round: no more answers; its results stay as they are for comparison."""
    locked = _locked(assessment)
    if not locked.is_open:
        raise ValidationError(_("This round is already closed."))
    locked.status = Assessment.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    record_audit(
        coalition=locked.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        summary=f"Closed the {locked.round_number} round of {locked.kind}",
        before={"status": "open"},
        after={"status": "closed"},
    )
    assessment.status, assessment.closed_at = locked.status, locked.closed_at
    return locked


@transaction.atomic
def submit_response(
    *, assessment: Assessment, membership: Membership | None, answers: object
) -> Response:
    """Record one member's answers to an open round, once.

    In an anonymous round the response keeps no link to the member and the audit row
    names no actor; only a keyed hash on the round says that this member has answered.
    """
    if membership is None or membership.coalition_id != assessment.coalition_id:
        raise ValidationError(_("Only members of this coalition can answer its assessments."))
    member_type = member_type_for(membership)
    locked = _locked(assessment)
    if not locked.is_open:
        raise ValidationError(_("This round is closed; answers are no longer accepted."))
    marker = _participant_hash(locked, membership)
    if marker in locked.participant_hashes:
        raise ValidationError(_("You have already answered this round."))
    normalized = _checked(locked.kind, answers)
    response = Response.objects.create(
        coalition=locked.coalition,
        assessment=locked,
        respondent=None if locked.is_anonymous else membership,
        member_type=member_type,
        submitted_on=timezone.localdate(),
        answers=normalized,
    )
    locked.participant_hashes = sorted([*locked.participant_hashes, marker])
    locked.save(update_fields=["participant_hashes"])
    assessment.participant_hashes = locked.participant_hashes
    if locked.is_anonymous:
        record_audit(
            coalition=locked.coalition,
            actor=None,
            action=Action.CREATE,
            obj=locked,
            summary=f"An anonymous response to {locked} was recorded",
        )
    else:
        record_audit(
            coalition=locked.coalition,
            actor=membership.user,
            action=Action.CREATE,
            obj=response,
            summary=f"{membership.user} answered {locked}",
            after={"member_type": member_type},
        )
    return response


@transaction.atomic
def enter_paper_response(
    *,
    assessment: Assessment,
    actor: Any,
    member_type: str,
    answers: object,
    submitted_on: datetime.date | None = None,
) -> Response:
    """Enter the answers from one paper worksheet collected at a workshop."""
    if member_type not in Response.MemberType.values:
        raise ValidationError(
            {"member_type": _("Choose community member, partner or backbone staff.")}
        )
    locked = _locked(assessment)
    if not locked.is_open:
        raise ValidationError(_("This round is closed; answers are no longer accepted."))
    normalized = _checked(locked.kind, answers)
    response = Response.objects.create(
        coalition=locked.coalition,
        assessment=locked,
        respondent=None,
        member_type=member_type,
        submitted_on=submitted_on or timezone.localdate(),
        is_paper=True,
        answers=normalized,
    )
    record_audit(
        coalition=locked.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=response,
        summary=f"Entered a paper worksheet for {locked}",
        after={"member_type": member_type, "is_paper": True},
    )
    return response


@transaction.atomic
def record_agreed_position(
    *,
    assessment: Assessment,
    membership: Membership,
    decision_point_id: str,
    position: int,
    rationale: str,
) -> AgreedPosition:
    """Record (or change) the position the coalition agreed on for one decision point."""
    if assessment.kind != Assessment.Kind.DECISION_POINTS:
        raise ValidationError(_("Agreed positions belong to a decision-points round."))
    try:
        framework.get_decision_point(decision_point_id)
    except framework.UnknownFrameworkId:
        raise ValidationError({"decision_point_id": _("Unknown decision point.")}) from None
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 100:
        raise ValidationError({"position": _("The position is a number from 0 to 100.")})
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError({"rationale": _("Say why the coalition chose this position.")})
    if len(rationale) > MAX_TEXT:
        raise ValidationError({"rationale": _("Keep the rationale under 2000 characters.")})
    existing = AgreedPosition.objects.filter(
        assessment=assessment, decision_point_id=decision_point_id
    ).first()
    before = {"position": existing.position, "rationale": existing.rationale} if existing else None
    agreed, _created = AgreedPosition.objects.update_or_create(
        coalition=assessment.coalition,
        assessment=assessment,
        decision_point_id=decision_point_id,
        defaults={
            "position": position,
            "rationale": rationale,
            "decided_by": membership,
            "decided_on": timezone.localdate(),
        },
    )
    record_audit(
        coalition=assessment.coalition,
        actor=membership.user,
        action=Action.UPDATE if existing else Action.CREATE,
        obj=agreed,
        summary=f"Agreed position on {decision_point_id}: {position}",
        before=before,
        after={"position": position, "rationale": rationale},
    )
    return agreed


@transaction.atomic
def save_domain_version(
    *, coalition: Coalition, actor: Any, answers: Mapping[str, str], note: str = ""
) -> DomainDocumentVersion:
    """Save the four-domains document as a new version (earlier versions are kept)."""
    known = {q.id for d in framework.DOMAINS for q in d.questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValidationError({"answers": _("Unknown questions: %(ids)s") % {"ids": unknown}})
    cleaned = {key: str(value).strip() for key, value in answers.items() if str(value).strip()}
    if any(len(value) > 5 * MAX_TEXT for value in cleaned.values()):
        raise ValidationError({"answers": _("Keep each answer under 10,000 characters.")})
    if not cleaned:
        raise ValidationError({"answers": _("Answer at least one guiding question.")})
    document, _created = DomainDocument.objects.get_or_create(
        coalition=coalition, defaults={"title": _("Our four domains of action")}
    )
    latest = document.versions.order_by("-number").first()
    if latest is not None and latest.answers == cleaned:
        raise ValidationError(_("Nothing changed since version %(n)d.") % {"n": latest.number})
    version = DomainDocumentVersion.objects.create(
        coalition=coalition,
        document=document,
        number=(latest.number + 1) if latest else 1,
        answers=cleaned,
        note=note.strip()[:200],
        author=actor,
    )
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE,
        obj=version,
        summary=f"Saved version {version.number} of the four-domains document",
        before=latest.answers if latest else None,
        after=cleaned,
    )
    return version


@transaction.atomic
def add_domain_comment(
    *, version: DomainDocumentVersion, actor: Any, body: str, question_id: str = ""
) -> DomainComment:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > MAX_TEXT:
        raise ValidationError({"body": _("Keep comments under 2000 characters.")})
    if (
        question_id
        and question_id not in version.answers
        and not any(q.id == question_id for d in framework.DOMAINS for q in d.questions)
    ):
        raise ValidationError({"question_id": _("Unknown question.")})
    comment = DomainComment.objects.create(
        coalition=version.coalition,
        version=version,
        question_id=question_id,
        body=body,
        author=actor,
    )
    record_audit(
        coalition=version.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=comment,
        summary=f"Commented on version {version.number} of the four-domains document",
    )
    return comment


@transaction.atomic
def set_tactic_status(
    *,
    coalition: Coalition,
    actor: Any,
    tactic_id: str,
    status: str,
    owner: Membership | None = None,
    evidence_url: str = "",
    evidence_note: str = "",
) -> TacticStatus:
    try:
        framework.get_tactic(tactic_id)
    except framework.UnknownFrameworkId:
        raise ValidationError({"tactic_id": _("Unknown capacity tactic.")}) from None
    if status not in TacticStatus.Status.values:
        raise ValidationError({"status": _("Choose not started, in progress or in place.")})
    if owner is not None and owner.coalition_id != coalition.pk:
        raise ValidationError({"owner": _("The owner must be a member of this coalition.")})
    evidence_url = evidence_url.strip()
    if evidence_url and not evidence_url.startswith(("https://", "http://", "/")):
        raise ValidationError({"evidence_url": _("Link to a web address or a page here.")})
    existing = TacticStatus.objects.filter(coalition=coalition, tactic_id=tactic_id).first()
    before = (
        {
            "status": existing.status,
            "owner": existing.owner_id,
            "evidence_url": existing.evidence_url,
        }
        if existing
        else None
    )
    tactic, _created = TacticStatus.objects.update_or_create(
        coalition=coalition,
        tactic_id=tactic_id,
        defaults={
            "status": status,
            "owner": owner,
            "evidence_url": evidence_url[:300],
            "evidence_note": evidence_note.strip()[:MAX_TEXT],
        },
    )
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.UPDATE if existing else Action.CREATE,
        obj=tactic,
        summary=f"Tactic {tactic_id}: {status}",
        before=before,
        after={"status": status, "owner": tactic.owner_id, "evidence_url": tactic.evidence_url},
    )
    return tactic


@dataclass(frozen=True, slots=True)
class RoleDecision:
    focus_area: str
    role_id: str
    is_needed: bool
    is_covered_internally: bool
    needs_external_partner: bool


@transaction.atomic
def save_role_matrix(
    *, coalition: Coalition, actor: Any, decisions: Sequence[RoleDecision]
) -> list[RoleMatrixEntry]:
    """Replace the role matrix with ``decisions`` (one per focus area and role)."""
    role_ids = {role.id for role in framework.ROLES}
    focus_areas = set(coalition.focus_areas or [])
    seen: set[tuple[str, str]] = set()
    for decision in decisions:
        if decision.role_id not in role_ids:
            raise ValidationError({"role_id": _("Unknown role.")})
        if decision.focus_area not in focus_areas:
            raise ValidationError(
                {
                    "focus_area": _("“%(area)s” is not one of the coalition's focus areas.")
                    % {"area": decision.focus_area}
                }
            )
        key = (decision.focus_area, decision.role_id)
        if key in seen:
            raise ValidationError(_("A role is listed twice for one focus area."))
        seen.add(key)
    existing = RoleMatrixEntry.objects.filter(coalition=coalition)
    before = {f"{e.focus_area}|{e.role_id}": _flags(e) for e in existing}
    existing.delete()
    entries = RoleMatrixEntry.objects.bulk_create(
        RoleMatrixEntry(
            coalition=coalition,
            focus_area=d.focus_area,
            role_id=d.role_id,
            is_needed=d.is_needed,
            is_covered_internally=d.is_covered_internally,
            needs_external_partner=d.needs_external_partner,
        )
        for d in decisions
    )
    after = {f"{e.focus_area}|{e.role_id}": _flags(e) for e in entries}
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=coalition,
        summary="Saved the role matrix",
        before=before,
        after=after,
    )
    return entries


def _flags(entry: RoleMatrixEntry) -> list[bool]:
    return [entry.is_needed, entry.is_covered_internally, entry.needs_external_partner]


@transaction.atomic
def accept_action(
    *,
    coalition: Coalition,
    actor: Any,
    title: str,
    source_key: str = "",
    owner: Membership | None = None,
    due_on: datetime.date | None = None,
) -> ActionItem:
    """Turn a proposed action (or a new idea) into an action item with owner and due date."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the action a title.")})
    if owner is not None and owner.coalition_id != coalition.pk:
        raise ValidationError({"owner": _("The owner must be a member of this coalition.")})
    if (
        source_key
        and ActionItem.objects.filter(coalition=coalition, source_key=source_key).exists()
    ):
        raise ValidationError(_("This proposal is already in the action plan."))
    item = ActionItem.objects.create(
        coalition=coalition,
        title=title[:200],
        source_key=source_key[:120],
        owner=owner,
        due_on=due_on,
    )
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.CREATE,
        obj=item,
        summary=f"Added action: {item.title}",
        after=item.as_audit(),
    )
    return item


@transaction.atomic
def change_action_status(*, item: ActionItem, actor: Any, status: str) -> ActionItem:
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose open, in progress or done.")})
    before = item.as_audit()
    item.status = status
    item.save(update_fields=["status"])
    record_audit(
        coalition=item.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=item,
        summary=f"Action “{item.title}” is now {status}",
        before=before,
        after=item.as_audit(),
    )
    return item
