"""Shared power: bodies, seats, meetings, votes, the decision log, agreements and the policy agenda.

A *body* (executive council, community advisory council, a committee...) has seats; a
seat has a type (resident, community-based organization, institution...), a number of
votes and a holder (a member of the coalition and/or the ecosystem actor they represent)
or none (vacant). Meetings record attendance by seat; a motion on a meeting's agenda is
voted by seat and closed into a ``Decision``, which is locked: an edit is refused until
someone reopens it with a reason (``DecisionReopening``). Agreements name their parties
among the ecosystem actors and keep their file; policies are the coalition's agenda.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import TenantModel
from commonground.lib.versioning import Versioned


class SeatType(models.TextChoices):
    RESIDENT = "resident", _("Community resident")
    COMMUNITY_ORGANIZATION = "community_organization", _("Community-based organization")
    INSTITUTION = "institution", _("Institution (hospital, health plan...)")
    GOVERNMENT = "government", _("Government")
    FUNDER = "funder", _("Funder")
    EX_OFFICIO = "ex_officio", _("Ex officio")


COMMUNITY_SEAT_TYPES = (SeatType.RESIDENT.value, SeatType.COMMUNITY_ORGANIZATION.value)


class Support(models.TextChoices):
    INTERPRETATION = "interpretation", _("Interpretation")
    EVENING_WEEKEND = "evening_weekend", _("Evening or weekend times")
    REMOTE = "remote", _("Remote option")
    CHILDCARE = "childcare", _("Childcare")
    FOOD = "food", _("Food")
    TRANSPORT = "transport", _("Transport")
    STIPENDS = "stipends", _("Stipends")


class PowerTarget(TenantModel):
    """The coalition's own target for community voting power (default: at least half)."""

    community_share = models.DecimalField(
        _("target community share of votes"), max_digits=4, decimal_places=3, default=0.5
    )
    community_types = models.JSONField(
        _("seat types that count as community"), default=list, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coalition"], name="one_power_target_per_coalition")
        ]

    def __str__(self) -> str:
        return f"{self.community_share}"


class Body(TenantModel, Versioned):
    """A governing body: who sits on it, what it may decide, and how."""

    class Kind(models.TextChoices):
        EXECUTIVE_COUNCIL = "executive_council", _("Executive council")
        COMMUNITY_ADVISORY = "community_advisory", _("Community advisory council")
        OPERATIONS = "operations", _("Operations")
        METRICS_COMMITTEE = "metrics_committee", _("Metrics committee")
        WORKGROUP = "workgroup", _("Workgroup")
        PLANNING_COMMITTEE = "planning_committee", _("Planning committee (time-limited)")

    class Authority(models.TextChoices):
        DECIDES = "decides", _("Decides")
        RECOMMENDS = "recommends", _("Recommends")
        ADVISES = "advises", _("Advises")

    class Rule(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        SIMPLE_MAJORITY = "simple_majority", _("Simple majority")
        TWO_THIRDS = "two_thirds", _("Two-thirds")
        ONE_VOTE_PER_ORGANIZATION = "one_vote_per_organization", _("One vote per organization")

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    authority = models.CharField(
        _("authority"), max_length=12, choices=Authority.choices, default=Authority.DECIDES
    )
    decision_rule = models.CharField(
        _("decision rule"), max_length=28, choices=Rule.choices, default=Rule.SIMPLE_MAJORITY
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum (seats present)"),
        default=0,
        help_text=_("How many seats must be present for a vote to count; 0 means no quorum."),
    )
    schedule = models.CharField(_("meeting schedule"), max_length=200, blank=True)
    supports = models.JSONField(_("accessibility supports offered"), default=list, blank=True)
    languages = models.CharField(_("interpretation languages"), max_length=200, blank=True)
    ends_on = models.DateField(_("ends on (time-limited bodies)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return self.name

    def as_audit(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "purpose": self.purpose,
            "authority": self.authority,
            "decision_rule": self.decision_rule,
            "quorum": self.quorum,
            "schedule": self.schedule,
            "supports": list(self.supports),
            "languages": self.languages,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
        }


class Seat(TenantModel, Versioned):
    """A seat on a body, with its type, votes, term, pay and holder (none: vacant)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="seats")
    label = models.CharField(_("seat"), max_length=160)
    seat_type = models.CharField(_("seat type"), max_length=24, choices=SeatType.choices)
    votes = models.PositiveSmallIntegerField(_("votes"), default=1)
    term_starts_on = models.DateField(_("term starts"), null=True, blank=True)
    term_ends_on = models.DateField(_("term ends"), null=True, blank=True)
    is_paid = models.BooleanField(_("paid"), default=False)
    stipend = models.DecimalField(
        _("stipend per year"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    holder_member = models.ForeignKey(
        "coalitions.Membership",
        verbose_name=_("held by (member)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    holder_actor = models.ForeignKey(
        "ecosystem.Actor",
        verbose_name=_("representing (organization)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    holder_name = models.CharField(
        _("holder's name (no account)"),
        max_length=160,
        blank=True,
        help_text=_("For a holder who is not a member of the coalition on CommonGround."),
    )

    class Meta:
        ordering = ["body", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_vacant(self) -> bool:
        return (
            self.holder_member_id is None and self.holder_actor_id is None and not self.holder_name
        )

    def as_audit(self) -> dict[str, Any]:
        return {
            "body": self.body_id,
            "label": self.label,
            "seat_type": self.seat_type,
            "votes": self.votes,
            "term_starts_on": self.term_starts_on.isoformat() if self.term_starts_on else None,
            "term_ends_on": self.term_ends_on.isoformat() if self.term_ends_on else None,
            "is_paid": self.is_paid,
            "stipend": str(self.stipend) if self.stipend is not None else None,
            "holder_member": self.holder_member_id,
            "holder_actor": self.holder_actor_id,
            "holder_name": self.holder_name,
        }


class Meeting(TenantModel, Versioned):
    """A meeting of a body: its agenda, who attended (by seat), supports given, minutes."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    supports_provided = models.JSONField(_("supports provided"), default=list, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title or f"{self.body} {self.held_on.isoformat()}"

    def as_audit(self) -> dict[str, Any]:
        return {
            "body": self.body_id,
            "held_on": self.held_on.isoformat(),
            "title": self.title,
            "agenda": self.agenda,
            "supports_provided": list(self.supports_provided),
            "minutes": self.minutes,
        }


class Attendance(TenantModel):
    """Whether a seat was present at a meeting (one row per seat and meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="attendance")
    is_present = models.BooleanField(_("present"), default=True)

    class Meta:
        ordering = ["meeting", "seat"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="one_attendance_per_seat")
        ]

    def __str__(self) -> str:
        return f"{self.seat} @ {self.meeting}"


class Motion(TenantModel):
    """A motion on a meeting's agenda; seats of the meeting's body vote on it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for votes")
        CLOSED = "closed", _("Closed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions")
    title = models.CharField(_("motion"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    topic = models.CharField(_("topic"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title


class Vote(TenantModel):
    """One seat's vote on a motion (one per seat)."""

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstain")
        BLOCK = "block", _("Block (consensus)")

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="votes")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="cast_votes")
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_roll_call = models.BooleanField(
        _("recorded by the secretary"),
        default=False,
        help_text=_("Read out at the meeting and recorded by a backbone admin."),
    )
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["motion", "seat"]
        constraints = [models.UniqueConstraint(fields=["motion", "seat"], name="one_vote_per_seat")]

    def __str__(self) -> str:
        return f"{self.seat}: {self.choice}"


class Decision(TenantModel, Versioned):
    """An entry of the decision log: a closed motion's result, locked once recorded."""

    class Result(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    motion = models.OneToOneField(
        Motion, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=80, blank=True)
    decided_on = models.DateField(_("decided on"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    tally = models.JSONField(default=dict, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    dissent = models.TextField(_("dissenting views"), blank=True)
    is_locked = models.BooleanField(_("locked"), default=True)
    indicators = models.ManyToManyField(
        "measurement.Indicator", blank=True, related_name="+", verbose_name=_("indicators")
    )
    themes = models.ManyToManyField(
        "voice.Theme", blank=True, related_name="+", verbose_name=_("listening themes")
    )

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def as_audit(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "topic": self.topic,
            "decided_on": self.decided_on.isoformat(),
            "result": self.result,
            "rationale": self.rationale,
            "dissent": self.dissent,
            "is_locked": self.is_locked,
        }


class DecisionReopening(TenantModel):
    """Someone reopened a locked decision for an edit, and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.TextField(_("reason"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reopened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reopened_at", "-id"]

    def __str__(self) -> str:
        return self.reason[:60]


class Agreement(TenantModel, Versioned):
    """A charter, bylaws, MOU, data-sharing agreement or memorandum with a funder."""

    class Kind(models.TextChoices):
        CHARTER = "charter", _("Charter")
        BYLAWS = "bylaws", _("Bylaws")
        MOU = "mou", _("Memorandum of understanding")
        DATA_SHARING = "data_sharing", _("Data-sharing agreement")
        FUNDER_MEMO = "funder_memo", _("Memorandum with a funder")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        ENDED = "ended", _("Ended")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    parties = models.ManyToManyField(
        "ecosystem.Actor", blank=True, related_name="+", verbose_name=_("parties")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("expires on"), null=True, blank=True)
    renewal_on = models.DateField(_("renewal due"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_content = models.BinaryField(editable=False, null=True, blank=True)
    file_size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def as_audit(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "kind": self.kind,
            "status": self.status,
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
            "renewal_on": self.renewal_on.isoformat() if self.renewal_on else None,
            "notes": self.notes,
            "file_name": self.file_name,
            "file_size": self.file_size,
        }


class Policy(TenantModel, Versioned):
    """A policy on the coalition's agenda: level, position, status, partners, decisions."""

    class Level(models.TextChoices):
        LOCAL = "local", _("Local")
        STATE = "state", _("State")
        FEDERAL = "federal", _("Federal")
        INSTITUTIONAL = "institutional", _("Institutional")

    class Position(models.TextChoices):
        SUPPORT = "support", _("Support")
        OPPOSE = "oppose", _("Oppose")
        AMEND = "amend", _("Support with changes")
        STUDY = "study", _("Studying")

    class Status(models.TextChoices):
        MONITORING = "monitoring", _("Monitoring")
        ADVOCATING = "advocating", _("Advocating")
        ADOPTED = "adopted", _("Adopted")
        IMPLEMENTED = "implemented", _("Implemented")

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    position = models.CharField(
        _("position"), max_length=10, choices=Position.choices, default=Position.SUPPORT
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.MONITORING
    )
    summary = models.TextField(_("summary"), blank=True)
    partners = models.ManyToManyField(
        "ecosystem.Actor", blank=True, related_name="+", verbose_name=_("partners engaged")
    )
    decisions = models.ManyToManyField(
        Decision, blank=True, related_name="policies", verbose_name=_("decisions")
    )
    indicators = models.ManyToManyField(
        "measurement.Indicator", blank=True, related_name="+", verbose_name=_("indicators")
    )

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return self.title

    def as_audit(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "level": self.level,
            "position": self.position,
            "status": self.status,
            "summary": self.summary,
        }
