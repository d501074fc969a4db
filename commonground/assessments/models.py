"""Assessments answered by members in rounds, and the coalition's shared planning records.

Answers carry the member type captured when they were given, whether they came from
a paper worksheet, the release of the round they first appear in, and the date only
(RELIABILITY.md check 6). Answers of named and anonymous rounds live in separate
tables:

- ``Response``: a named round's answers, each linked to the member who gave it
  (paper worksheets have no member);
- ``AnonymousResponse``: an anonymous round's answers. It has no link to a person,
  membership, invitation or user, no address or browser, no time finer than the
  day, and a random key, so neither the row nor its place among the others says
  who answered or when.

Who has answered a round is kept apart again, as keyed hashes of membership ids
(``Participation``), so that each member answers once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import TenantModel
from commonground.lib.versioning import Versioned


class Assessment(TenantModel):
    """One round of one framework exercise (for example the 2026 pillar check)."""

    class Kind(models.TextChoices):
        STAGE = "stage", _("Stage assessment")
        PILLARS = "pillars", _("Pillar check")
        ROLE_MATRIX = "role_matrix", _("Role matrix")
        DECISION_POINTS = "decision_points", _("Decision points")
        DOMAINS = "domains", _("Four domains of action")
        TACTICS = "tactics", _("Capacity tactics")
        READINESS = "readiness", _("Collaboration readiness")
        HCO_EQUITY = "hco_equity", _("Health care organization equity self-assessment")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("exercise"), max_length=20, choices=Kind.choices)
    round_number = models.PositiveSmallIntegerField(
        _("round"), help_text=_("Usually the year, for example 2026.")
    )
    is_anonymous = models.BooleanField(
        _("anonymous answers"),
        default=True,
        help_text=_("Answers cannot be traced to the person who gave them."),
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    release = models.PositiveSmallIntegerField(
        default=1,
        editable=False,
        help_text=_("How many times the round has been opened: 2 after one reopening."),
    )

    class Meta:
        ordering = ["kind", "-round_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "kind", "round_number"], name="one_round_per_kind_and_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.round_number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def was_reopened(self) -> bool:
        return self.release > 1

    def answer_rows(self) -> models.QuerySet[Any]:
        """This round's answers, from the table its anonymity setting keeps them in."""
        if self.is_anonymous:
            return AnonymousResponse.objects.filter(assessment=self)
        return Response.objects.filter(assessment=self)


class MemberType(models.TextChoices):
    COMMUNITY = "community", _("Community member")
    PARTNER = "partner", _("Institutional partner")
    BACKBONE = "backbone", _("Backbone staff")


class Response(TenantModel):
    """One answer to a *named* round: a member's own, or a paper worksheet's (no member)."""

    MemberType = MemberType

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        "coalitions.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    member_type = models.CharField(max_length=12, choices=MemberType.choices)
    submitted_on = models.DateField()
    is_paper = models.BooleanField(default=False)
    release = models.PositiveSmallIntegerField(default=1)
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "respondent"],
                condition=models.Q(respondent__isnull=False),
                name="one_named_response_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_member_type_display()}"


class AnonymousResponse(TenantModel):
    """One answer to an *anonymous* round, self-submitted or typed in from paper.

    Nothing here points to who gave it: no person, membership, invitation or user, no
    address or browser, the day only, and a random primary key (a counter would give
    the order of answering). Must stay that way: ``tests/test_anonymity.py`` reads
    this model's fields.
    """

    MemberType = MemberType

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="anonymous_responses"
    )
    member_type = models.CharField(max_length=12, choices=MemberType.choices)
    submitted_on = models.DateField()
    is_paper = models.BooleanField(default=False)
    release = models.PositiveSmallIntegerField(default=1)
    answers = models.JSONField(default=dict)

    class Meta:
        # Listing order says nothing about the order of answering.
        ordering = ["assessment", "submitted_on", "id"]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_member_type_display()}"


class Participation(TenantModel):
    """That some member has answered a round: a keyed hash of the round and membership ids.

    The hash cannot be recomputed without the server's secret key, and no link joins
    it to the answer given. Used for both kinds of round, so each member answers once.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="participations"
    )
    marker = models.CharField(max_length=64)

    class Meta:
        ordering = ["assessment", "marker"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "marker"], name="one_participation_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.marker[:8]}"


class AgreedPosition(TenantModel, Versioned):
    """Where the coalition agreed to stand on one decision point, and why.

    Locked once recorded: a backbone admin reopens it (audited) to change it, and the
    change locks it again. Edits are optimistic-locked on ``version``.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="agreed_positions"
    )
    decision_point_id = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(_("agreed position (0-100)"))
    rationale = models.TextField(_("why"))
    decided_by = models.ForeignKey(
        "coalitions.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_on = models.DateField()
    is_locked = models.BooleanField(default=True)

    class Meta:
        ordering = ["assessment", "decision_point_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "decision_point_id"], name="one_agreed_position_per_point"
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision_point_id}: {self.position}"


class DomainDocument(TenantModel, Versioned):
    """The four domains of action answered together: one document per coalition.

    Each save adds a ``DomainDocumentVersion`` and bumps ``version`` (optimistic lock).
    """

    title = models.CharField(_("title"), max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coalition"], name="one_domain_document_per_coalition")
        ]

    def __str__(self) -> str:
        return self.title


class DomainDocumentVersion(TenantModel):
    """A saved version: every guiding question's answer at that moment."""

    document = models.ForeignKey(DomainDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DomainComment(TenantModel):
    """A member's comment on a version of the four-domains document."""

    version = models.ForeignKey(
        DomainDocumentVersion, on_delete=models.CASCADE, related_name="comments"
    )
    question_id = models.CharField(max_length=80, blank=True)
    body = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class TacticStatus(TenantModel, Versioned):
    """Where the coalition stands on one chapter-4 capacity tactic."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        IN_PLACE = "in_place", _("In place")

    tactic_id = models.CharField(max_length=60)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    owner = models.ForeignKey(
        "coalitions.Membership",
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_url = models.CharField(_("evidence link"), max_length=300, blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tactic_id"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "tactic_id"], name="one_status_per_tactic")
        ]

    def __str__(self) -> str:
        return f"{self.tactic_id}: {self.status}"


class RoleMatrix(TenantModel, Versioned):
    """The role matrix as one shared record: its ``version`` locks edits of the entries."""

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coalition"], name="one_role_matrix_per_coalition")
        ]

    def __str__(self) -> str:
        return f"Role matrix v{self.version}"


class RoleMatrixEntry(TenantModel):
    """For one focus area and one of the eight roles: needed? covered inside? partner?"""

    focus_area = models.CharField(_("focus area"), max_length=160)
    role_id = models.CharField(max_length=40)
    is_needed = models.BooleanField(_("needed"), default=False)
    is_covered_internally = models.BooleanField(_("covered internally"), default=False)
    needs_external_partner = models.BooleanField(_("needs an external partner"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["focus_area", "role_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "focus_area", "role_id"], name="one_entry_per_area_and_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.focus_area} · {self.role_id}"


class ActionItem(TenantModel, Versioned):
    """An action the coalition committed to, often accepted from a proposed gap."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    title = models.CharField(_("title"), max_length=200)
    source_key = models.CharField(max_length=120, blank=True)
    owner = models.ForeignKey(
        "coalitions.Membership",
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Owned by governance (#9): an organization may own the item besides (or instead of)
    # a person, and an item may come from a decision of the decision log.
    owner_actor = models.ForeignKey(
        "ecosystem.Actor",
        verbose_name=_("owner organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "source_key"],
                condition=~models.Q(source_key=""),
                name="one_action_per_source",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def as_audit(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "source_key": self.source_key,
            "owner": self.owner_id,
            "owner_actor": self.owner_actor_id,
            "decision": self.decision_id,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "status": self.status,
        }


class DismissedProposal(TenantModel):
    """A proposed action a backbone admin set aside: it is not proposed again until restored.

    ``source_key`` names the gap the proposal answers (``domain.roadmap.ActionItem``);
    ``title`` keeps the words the admin saw, for the list of set-aside proposals.
    """

    source_key = models.CharField(max_length=120)
    title = models.CharField(_("title"), max_length=200)
    dismissed_by = models.ForeignKey(
        "coalitions.Membership", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    dismissed_on = models.DateField()

    class Meta:
        ordering = ["-dismissed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "source_key"], name="one_dismissal_per_source"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def as_audit(self) -> dict[str, Any]:
        return {"title": self.title, "source_key": self.source_key}
