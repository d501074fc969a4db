"""Writes. Each function is one intention: it validates, writes inside one transaction,
and records one audit row per change. Bad input raises ``ValidationError`` naming the
field, and nothing is saved.

Locks:

- a closed round takes no answers and no paper worksheets (``LockedError``) until a
  backbone admin reopens it (``reopen_round``, audited; the next close is a new
  release, planned so that it cannot be subtracted from the one before);
- an agreed position is locked once recorded, until a backbone admin reopens it
  (``reopen_agreed_position``, audited); saving the change locks it again;
- shared records (agreed positions, action items, tactic statuses, the role matrix,
  the four-domains document) are optimistic-locked: the caller passes the version it
  read as ``expected`` and a stale edit raises ``StaleEditError`` and writes nothing,
  so the first writer's values stay. ``expected=0`` means "the editor saw no record"
  (stale when one exists now); ``expected=None`` means no check (demo data, commands);
- a field the caller does not pass (``UNSET``) keeps its value: a form that sends
  nothing blanks nothing.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
    AnonymousResponse,
    Assessment,
    DismissedProposal,
    DomainComment,
    DomainDocument,
    DomainDocumentVersion,
    Participation,
    Response,
    RoleMatrix,
    RoleMatrixEntry,
    TacticStatus,
)
from commonground.coalitions.models import AuditEvent, Coalition, Membership
from commonground.coalitions.services import record_audit
from commonground.lib.versioning import StaleEditError, Versioned, save_versioned

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

__all__ = ["UNSET", "LockedError", "StaleEditError"]


class LockedError(ValidationError):
    """An edit of a closed round or an agreed position that has not been reopened."""


class Unset(enum.Enum):
    UNSET = "unset"


UNSET = Unset.UNSET
"""A field the caller did not send: its stored value is kept."""


def member_type_for(membership: Membership) -> str:
    """Return the member type a response from ``membership`` counts under, or raise."""
    try:
        return MEMBER_TYPE_OF_ROLE[Role(membership.role)]
    except (KeyError, ValueError):
        raise ValidationError(
            _("Viewers can read results but do not answer assessments.")
        ) from None


def participation_marker(assessment: Assessment, membership: Membership) -> str:
    """The keyed hash saying that ``membership`` answered ``assessment``.

    Keyed with the server's secret, so the stored marker cannot be recomputed from
    ids without it; it says nothing about the answer given.
    """
    return salted_hmac(
        "commonground.assessments.participation",
        f"{assessment.pk}:{membership.pk}",
        algorithm="sha256",
    ).hexdigest()


def has_answered(*, assessment: Assessment, membership: Membership) -> bool:
    return Participation.objects.filter(
        assessment=assessment, marker=participation_marker(assessment, membership)
    ).exists()


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


def _check_admin(membership: Membership | None, coalition_id: int, what: str) -> Membership:
    if (
        membership is None
        or membership.coalition_id != coalition_id
        or membership.role != Role.BACKBONE_ADMIN
    ):
        raise ValidationError(_("Only a backbone admin can %(what)s.") % {"what": what})
    return membership


def _closed_message(assessment: Assessment) -> str:
    return _(
        "The %(round)s round is closed, so it takes no more answers. A backbone admin "
        "can reopen it."
    ) % {"round": assessment}


@transaction.atomic
def close_round(*, assessment: Assessment, actor: Any) -> Assessment:
    """Close a round: no more answers; its results are released and stay for comparison."""
    locked = _locked(assessment)
    if not locked.is_open:
        raise LockedError(_("This round is already closed."))
    locked.status = Assessment.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    record_audit(
        coalition=locked.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=locked,
        summary=f"Closed the {locked.round_number} round of {locked.kind} (release {locked.release})",
        before={"status": "open"},
        after={"status": "closed", "release": locked.release},
    )
    assessment.status, assessment.closed_at = locked.status, locked.closed_at
    return locked


@transaction.atomic
def reopen_round(*, assessment: Assessment, membership: Membership | None) -> Assessment:
    """Reopen a closed round for more answers (a backbone admin only; audited).

    The answers that arrive from now on belong to the next release. When the round
    closes again its results are planned with everything released before counted as
    known, so that comparing the two releases cannot single out fewer than k
    newcomers (``domain.suppression``).
    """
    admin = _check_admin(membership, assessment.coalition_id, _("reopen a round"))
    locked = _locked(assessment)
    if locked.is_open:
        raise ValidationError(_("This round is open already."))
    if (
        Assessment.objects.filter(
            coalition=locked.coalition, kind=locked.kind, status=Assessment.Status.OPEN
        )
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError(
            _("Another round of this exercise is open. Close it before reopening this one.")
        )
    before = {"status": locked.status, "release": locked.release}
    locked.status = Assessment.Status.OPEN
    locked.closed_at = None
    locked.release += 1
    locked.save(update_fields=["status", "closed_at", "release"])
    record_audit(
        coalition=locked.coalition,
        actor=admin.user,
        action=Action.UPDATE,
        obj=locked,
        summary=f"Reopened the {locked.round_number} round of {locked.kind}",
        before=before,
        after={"status": "open", "release": locked.release},
    )
    assessment.status, assessment.closed_at, assessment.release = (
        locked.status,
        locked.closed_at,
        locked.release,
    )
    return locked


@transaction.atomic
def submit_response(
    *, assessment: Assessment, membership: Membership | None, answers: object
) -> Response | AnonymousResponse:
    """Record one member's answers to an open round, once.

    In an anonymous round the answer goes to ``AnonymousResponse`` (no link to the
    member, the day only), a keyed hash in ``Participation`` says that this member has
    answered, and the audit row names no actor and no time finer than the day.
    """
    if membership is None or membership.coalition_id != assessment.coalition_id:
        raise ValidationError(_("Only members of this coalition can answer its assessments."))
    member_type = member_type_for(membership)
    locked = _locked(assessment)
    if not locked.is_open:
        raise LockedError(_closed_message(locked))
    marker = participation_marker(locked, membership)
    if Participation.objects.filter(assessment=locked, marker=marker).exists():
        raise ValidationError(_("You have already answered this round."))
    normalized = _checked(locked.kind, answers)
    Participation.objects.create(coalition=locked.coalition, assessment=locked, marker=marker)
    if locked.is_anonymous:
        anonymous = AnonymousResponse.objects.create(
            coalition=locked.coalition,
            assessment=locked,
            member_type=member_type,
            submitted_on=timezone.localdate(),
            release=locked.release,
            answers=normalized,
        )
        record_audit(
            coalition=locked.coalition,
            actor=None,
            action=Action.CREATE,
            obj=locked,
            summary=f"An anonymous answer to {locked} was recorded",
            anonymous=True,
        )
        return anonymous
    response = Response.objects.create(
        coalition=locked.coalition,
        assessment=locked,
        respondent=membership,
        member_type=member_type,
        submitted_on=timezone.localdate(),
        release=locked.release,
        answers=normalized,
    )
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
) -> Response | AnonymousResponse:
    """Enter the answers from one paper worksheet collected at a workshop.

    Paper answers are counted apart from self-submitted ones: a group's results are
    shown only when each holds 0 or at least k answers, so worksheets typed in with
    known ratings cannot be subtracted to read a member's own answer.
    """
    if member_type not in Response.MemberType.values:
        raise ValidationError(
            {"member_type": _("Choose community member, partner or backbone staff.")}
        )
    locked = _locked(assessment)
    if not locked.is_open:
        raise LockedError(_closed_message(locked))
    normalized = _checked(locked.kind, answers)
    fields = {
        "coalition": locked.coalition,
        "assessment": locked,
        "member_type": member_type,
        "submitted_on": submitted_on or timezone.localdate(),
        "is_paper": True,
        "release": locked.release,
        "answers": normalized,
    }
    entered: Response | AnonymousResponse
    if locked.is_anonymous:
        entered = AnonymousResponse.objects.create(**fields)
        audited: Any = locked  # the round: the audit log points at no anonymous row
    else:
        entered = audited = Response.objects.create(respondent=None, **fields)
    record_audit(
        coalition=locked.coalition,
        actor=actor,
        action=Action.CREATE,
        obj=audited,
        summary=f"Entered a paper worksheet for {locked}",
        after={"member_type": member_type, "is_paper": True, "release": locked.release},
    )
    return entered


def _create_or_stale(obj: Any) -> None:
    """Create a one-of-a-kind record; someone else creating it first makes this edit stale."""
    try:
        with transaction.atomic():
            obj.save(force_insert=True)
    except IntegrityError:
        raise StaleEditError() from None


def _save(obj: Versioned, expected: int | None, fields: list[str]) -> None:
    """``save_versioned`` of an existing record; ``expected=0`` (saw none) is stale."""
    save_versioned(obj, expected=expected, update_fields=fields)


def _position_audit(position: AgreedPosition) -> dict[str, Any]:
    return {
        "position": position.position,
        "rationale": position.rationale,
        "is_locked": position.is_locked,
    }


@transaction.atomic
def record_agreed_position(
    *,
    assessment: Assessment,
    membership: Membership,
    decision_point_id: str,
    position: int,
    rationale: str,
    expected: int | None = None,
) -> AgreedPosition:
    """Record the position the coalition agreed on for one decision point, or change it.

    A recorded position is locked: changing it needs ``reopen_agreed_position`` first
    (``LockedError`` otherwise), and saving the change locks it again. ``expected`` is
    the version the editor saw (0: none recorded); a stale one raises ``StaleEditError``.
    """
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
    _locked(assessment)  # one writer at a time per round: two first records cannot race
    existing = (
        AgreedPosition.objects.select_for_update()
        .filter(assessment=assessment, decision_point_id=decision_point_id)
        .first()
    )
    if existing is None:
        if expected:
            raise StaleEditError()
        agreed = AgreedPosition.objects.create(
            coalition=assessment.coalition,
            assessment=assessment,
            decision_point_id=decision_point_id,
            position=position,
            rationale=rationale,
            decided_by=membership,
            decided_on=timezone.localdate(),
            is_locked=True,
        )
        before = None
    else:
        if expected is not None and expected != existing.version:
            raise StaleEditError()
        if existing.is_locked:
            raise LockedError(
                _(
                    "The agreed position on this decision point is locked. A backbone admin "
                    "can reopen it to change it."
                )
            )
        before = _position_audit(existing)
        existing.position = position
        existing.rationale = rationale
        existing.decided_by = membership
        existing.decided_on = timezone.localdate()
        existing.is_locked = True
        _save(
            existing,
            expected,
            ["position", "rationale", "decided_by", "decided_on", "is_locked"],
        )
        agreed = existing
    record_audit(
        coalition=assessment.coalition,
        actor=membership.user,
        action=Action.UPDATE if before else Action.CREATE,
        obj=agreed,
        summary=f"Agreed position on {decision_point_id}: {position}",
        before=before,
        after=_position_audit(agreed),
    )
    return agreed


@transaction.atomic
def reopen_agreed_position(
    *, agreed: AgreedPosition, membership: Membership | None, expected: int | None
) -> AgreedPosition:
    """Unlock an agreed position so that it can be changed (a backbone admin only; audited)."""
    admin = _check_admin(membership, agreed.coalition_id, _("reopen an agreed position"))
    current = AgreedPosition.objects.select_for_update().get(pk=agreed.pk)
    if expected is not None and expected != current.version:
        raise StaleEditError()
    if not current.is_locked:
        raise ValidationError(_("This agreed position is open for changes already."))
    before = _position_audit(current)
    current.is_locked = False
    _save(current, expected, ["is_locked"])
    record_audit(
        coalition=current.coalition,
        actor=admin.user,
        action=Action.UPDATE,
        obj=current,
        summary=f"Reopened the agreed position on {current.decision_point_id} for changes",
        before=before,
        after=_position_audit(current),
    )
    agreed.is_locked, agreed.version = current.is_locked, current.version
    return current


@transaction.atomic
def save_domain_version(
    *,
    coalition: Coalition,
    actor: Any,
    answers: Mapping[str, str],
    note: str = "",
    expected: int | None = None,
) -> DomainDocumentVersion:
    """Save the four-domains document as a new version (earlier versions are kept).

    ``answers`` holds the questions the editor sent: a question left out keeps its
    answer from the latest version, and one sent blank is cleared. ``expected`` is the
    document version the editor saw (0: no document yet).
    """
    known = {q.id for d in framework.DOMAINS for q in d.questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValidationError({"answers": _("Unknown questions: %(ids)s") % {"ids": unknown}})
    sent = {key: str(value).strip() for key, value in answers.items()}
    if any(len(value) > 5 * MAX_TEXT for value in sent.values()):
        raise ValidationError({"answers": _("Keep each answer under 10,000 characters.")})
    document = DomainDocument.objects.select_for_update().filter(coalition=coalition).first()
    latest = document.versions.order_by("-number").first() if document else None
    if document is not None and expected is not None and expected != document.version:
        raise StaleEditError()
    if document is None and expected:
        raise StaleEditError()
    merged = {**(latest.answers if latest else {}), **sent}
    cleaned = {key: value for key, value in merged.items() if value}
    if not cleaned:
        raise ValidationError({"answers": _("Answer at least one guiding question.")})
    if latest is not None and latest.answers == cleaned:
        raise ValidationError(_("Nothing changed since version %(n)d.") % {"n": latest.number})
    if document is None:
        document = DomainDocument(coalition=coalition, title=_("Our four domains of action"))
        _create_or_stale(document)
    else:
        _save(document, expected, [])
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


def _tactic_audit(tactic: TacticStatus) -> dict[str, Any]:
    return {
        "status": tactic.status,
        "owner": tactic.owner_id,
        "evidence_url": tactic.evidence_url,
        "evidence_note": tactic.evidence_note,
    }


@transaction.atomic
def set_tactic_status(
    *,
    coalition: Coalition,
    actor: Any,
    tactic_id: str,
    status: str | Unset = UNSET,
    owner: Membership | Unset | None = UNSET,
    evidence_url: str | Unset = UNSET,
    evidence_note: str | Unset = UNSET,
    expected: int | None = None,
) -> TacticStatus:
    """Set where the coalition stands on a tactic; fields left ``UNSET`` keep their value."""
    try:
        framework.get_tactic(tactic_id)
    except framework.UnknownFrameworkId:
        raise ValidationError({"tactic_id": _("Unknown capacity tactic.")}) from None
    if status is not UNSET and status not in TacticStatus.Status.values:
        raise ValidationError({"status": _("Choose not started, in progress or in place.")})
    if isinstance(owner, Membership) and owner.coalition_id != coalition.pk:
        raise ValidationError({"owner": _("The owner must be a member of this coalition.")})
    if isinstance(evidence_url, str):
        evidence_url = evidence_url.strip()
        if evidence_url and not evidence_url.startswith(("https://", "http://", "/")):
            raise ValidationError({"evidence_url": _("Link to a web address or a page here.")})
        evidence_url = evidence_url[:300]
    if isinstance(evidence_note, str):
        evidence_note = evidence_note.strip()[:MAX_TEXT]
    existing = (
        TacticStatus.objects.select_for_update()
        .filter(coalition=coalition, tactic_id=tactic_id)
        .first()
    )
    if existing is None and expected:
        raise StaleEditError()
    if existing is not None and expected is not None and expected != existing.version:
        raise StaleEditError()
    tactic = existing or TacticStatus(coalition=coalition, tactic_id=tactic_id)
    before = _tactic_audit(existing) if existing else None
    changes = {
        "status": status,
        "owner": owner,
        "evidence_url": evidence_url,
        "evidence_note": evidence_note,
    }
    for name, value in changes.items():
        if value is not UNSET:
            setattr(tactic, name, value)
    if existing is None:
        _create_or_stale(tactic)
    else:
        if _tactic_audit(tactic) == before:
            return tactic  # nothing to change: a no-op, never a save
        _save(tactic, expected, ["status", "owner", "evidence_url", "evidence_note", "updated_at"])
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.UPDATE if existing else Action.CREATE,
        obj=tactic,
        summary=f"Tactic {tactic_id}: {tactic.status}",
        before=before,
        after=_tactic_audit(tactic),
    )
    return tactic


@dataclass(frozen=True, slots=True)
class RoleDecision:
    focus_area: str
    role_id: str
    is_needed: bool
    is_covered_internally: bool
    needs_external_partner: bool


def role_matrix_version(*, coalition: Coalition) -> int:
    """The role matrix's version, 0 before it is first saved."""
    found = RoleMatrix.objects.filter(coalition=coalition).values_list("version", flat=True)
    return next(iter(found), 0)


@transaction.atomic
def save_role_matrix(
    *,
    coalition: Coalition,
    actor: Any,
    decisions: Sequence[RoleDecision],
    expected: int | None = None,
) -> list[RoleMatrixEntry]:
    """Save the decisions given (one per focus area and role); entries not given are kept,
    except those of focus areas the coalition no longer has.

    ``expected`` is the matrix version the editor saw (0: never saved).
    """
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
    if not decisions:
        raise ValidationError(_("The form sent no role decisions; nothing was saved."))
    matrix, created = RoleMatrix.objects.select_for_update().get_or_create(coalition=coalition)
    existing = {
        (e.focus_area, e.role_id): e for e in RoleMatrixEntry.objects.filter(coalition=coalition)
    }
    if expected is not None and expected != (0 if created else matrix.version):
        raise StaleEditError()
    if not created and _same_matrix(existing, decisions, focus_areas):
        # Saved as it stands: no new version, no rows replaced, nothing to audit.
        return list(existing.values())
    if not created:
        _save(matrix, expected, ["updated_at"])
    before = {f"{area}|{role}": _flags(entry) for (area, role), entry in existing.items()}
    # Replaced: the rows given, and rows of focus areas the coalition no longer has.
    replaced = [
        entry.pk
        for key, entry in existing.items()
        if key in seen or entry.focus_area not in focus_areas
    ]
    RoleMatrixEntry.objects.filter(coalition=coalition, pk__in=replaced).delete()
    RoleMatrixEntry.objects.bulk_create(
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
    entries = list(RoleMatrixEntry.objects.filter(coalition=coalition))
    after = {f"{e.focus_area}|{e.role_id}": _flags(e) for e in entries}
    record_audit(
        coalition=coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=matrix,
        summary="Saved the role matrix",
        before=before,
        after=after,
    )
    return entries


def _flags(entry: RoleMatrixEntry) -> list[bool]:
    return [entry.is_needed, entry.is_covered_internally, entry.needs_external_partner]


def _same_matrix(
    existing: dict[tuple[str, str], RoleMatrixEntry],
    decisions: Sequence[RoleDecision],
    focus_areas: set[str],
) -> bool:
    """Whether saving ``decisions`` would leave the stored matrix as it is."""
    return all(entry.focus_area in focus_areas for entry in existing.values()) and all(
        (entry := existing.get((d.focus_area, d.role_id))) is not None
        and _flags(entry) == [d.is_needed, d.is_covered_internally, d.needs_external_partner]
        for d in decisions
    )


@transaction.atomic
def accept_action(
    *,
    coalition: Coalition,
    actor: Any,
    title: str,
    source_key: str = "",
    owner: Membership | None = None,
    due_on: datetime.date | None = None,
    owner_actor: Any = None,
    decision: Any = None,
) -> ActionItem:
    """Turn a proposed action (or a new idea) into an action item with owner and due date.

    ``owner_actor`` (an ecosystem actor) owns it as an organization; ``decision`` (a
    ``governance.Decision``) is the decision it carries out.
    """
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the action a title.")})
    if owner is not None and owner.coalition_id != coalition.pk:
        raise ValidationError({"owner": _("The owner must be a member of this coalition.")})
    if owner_actor is not None and owner_actor.coalition_id != coalition.pk:
        raise ValidationError(
            {"owner_actor": _("The owner organization must be an actor of this coalition.")}
        )
    if decision is not None and decision.coalition_id != coalition.pk:
        raise ValidationError({"decision": _("The decision must be one of this coalition.")})
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
        owner_actor=owner_actor,
        decision=decision,
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
def update_action(
    *,
    item: ActionItem,
    actor: Any,
    expected: int | None,
    title: str | Unset = UNSET,
    status: str | Unset = UNSET,
    owner: Membership | Unset | None = UNSET,
    due_on: datetime.date | Unset | None = UNSET,
    owner_actor: Any = UNSET,
) -> ActionItem:
    """Change an action item; fields left ``UNSET`` keep their value.

    ``expected`` is the version the editor saw; a stale one raises ``StaleEditError``
    and writes nothing.
    """
    if isinstance(title, str):
        title = title.strip()
        if not title:
            raise ValidationError({"title": _("Give the action a title.")})
        title = title[:200]
    if status is not UNSET and status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose open, in progress or done.")})
    if isinstance(owner, Membership) and owner.coalition_id != item.coalition_id:
        raise ValidationError({"owner": _("The owner must be a member of this coalition.")})
    if (
        owner_actor is not UNSET
        and owner_actor is not None
        and owner_actor.coalition_id != item.coalition_id
    ):
        raise ValidationError(
            {"owner_actor": _("The owner organization must be an actor of this coalition.")}
        )
    current = ActionItem.objects.select_for_update().get(pk=item.pk)
    if expected is not None and expected != current.version:
        raise StaleEditError()
    before = current.as_audit()
    changes = {
        "title": title,
        "status": status,
        "owner": owner,
        "due_on": due_on,
        "owner_actor": owner_actor,
    }
    for name, value in changes.items():
        if value is not UNSET:
            setattr(current, name, value)
    if current.as_audit() == before:
        return current  # nothing to change: a no-op, never a save
    _save(current, expected, ["title", "status", "owner", "due_on", "owner_actor"])
    record_audit(
        coalition=current.coalition,
        actor=actor,
        action=Action.UPDATE,
        obj=current,
        summary=f"Action “{current.title}” changed",
        before=before,
        after=current.as_audit(),
    )
    return current


def change_action_status(
    *, item: ActionItem, actor: Any, status: str, expected: int | None = None
) -> ActionItem:
    return update_action(item=item, actor=actor, expected=expected, status=status)


@transaction.atomic
def dismiss_proposal(
    *, coalition: Coalition, membership: Membership, source_key: str, title: str
) -> DismissedProposal:
    """Set a proposed action aside: it is no longer proposed, and the next one moves up.

    Only a proposal the plan proposes now can be set aside (a stale page names it);
    ``restore_proposal`` brings it back.
    """
    from commonground.assessments import selectors

    source_key, title = source_key.strip(), title.strip()
    if not source_key:
        raise ValidationError({"source_key": _("Choose a proposal to set aside.")})
    if not title:
        raise ValidationError({"title": _("The proposal to set aside has no title.")})
    if DismissedProposal.objects.filter(coalition=coalition, source_key=source_key).exists():
        raise ValidationError(_("This proposal is already set aside."))
    if ActionItem.objects.filter(coalition=coalition, source_key=source_key).exists():
        raise ValidationError(_("This proposal is already in the action plan."))
    proposed = {p.source_key for p in selectors.open_proposals(coalition=coalition).proposals}
    if source_key not in proposed:
        raise ValidationError(
            _("This proposal is no longer proposed; reload the page to see the current ones.")
        )
    dismissed = DismissedProposal(
        coalition=coalition,
        source_key=source_key[:120],
        title=title[:200],
        dismissed_by=membership,
        dismissed_on=timezone.localdate(),
    )
    try:
        with transaction.atomic():
            dismissed.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(_("This proposal is already set aside.")) from None
    record_audit(
        coalition=coalition,
        actor=membership.user,
        action=Action.CREATE,
        obj=dismissed,
        summary=f"Set aside the proposal: {dismissed.title}",
        after=dismissed.as_audit(),
        event="assessments.proposal_set_aside",
        params={"title": dismissed.title},
    )
    return dismissed


@transaction.atomic
def restore_proposal(*, coalition: Coalition, membership: Membership, source_key: str) -> None:
    """Bring a set-aside proposal back into the ranked list."""
    try:
        dismissed = DismissedProposal.objects.select_for_update().get(
            coalition=coalition, source_key=source_key
        )
    except DismissedProposal.DoesNotExist:
        raise ValidationError(_("This proposal is not set aside.")) from None
    record_audit(
        coalition=coalition,
        actor=membership.user,
        action=Action.DELETE,
        obj=dismissed,
        summary=f"Brought back the proposal: {dismissed.title}",
        before=dismissed.as_audit(),
        event="assessments.proposal_restored",
        params={"title": dismissed.title},
    )
    dismissed.delete()
