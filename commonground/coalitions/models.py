"""Coalitions (the tenants), the places they serve, their members and invitations.

Every tenant row carries ``coalition`` and is read through a scoped manager
(django-scopes): a query on a tenant model outside ``scope(coalition=...)``
raises instead of returning every coalition's rows.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from commonground.lib.versioning import Versioned


class Coalition(Versioned):
    """A multi-sector health collaborative and its partnership profile.

    ``version`` (``Versioned``) counts saves of the profile: the edit page and the API's
    PATCH send back the one they read, and a stale save gets 409.
    """

    class Scale(models.TextChoices):
        NEIGHBORHOOD = "neighborhood", _("Neighborhood")
        MUNICIPAL = "municipal", _("Municipal")
        COUNTY = "county", _("County")
        REGIONAL = "regional", _("Regional")
        STATE = "state", _("State")

    class PopulationType(models.TextChoices):
        URBAN = "urban", _("Urban")
        SUBURBAN = "suburban", _("Suburban")
        RURAL = "rural", _("Rural")
        MIXED = "mixed", _("Mixed")

    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("short name for links"), max_length=60, unique=True)
    mission = models.TextField(_("mission"), blank=True)
    geographic_scale = models.CharField(
        _("geographic scale"), max_length=16, choices=Scale.choices, default=Scale.COUNTY
    )
    population_type = models.CharField(
        _("population type"),
        max_length=16,
        choices=PopulationType.choices,
        default=PopulationType.MIXED,
    )
    policy_context = models.TextField(_("policy context"), blank=True)
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    initiatives = models.TextField(_("initiatives"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """Base for every row that belongs to one coalition."""

    coalition = models.ForeignKey(Coalition, on_delete=models.CASCADE, related_name="+")

    objects: ClassVar[Any] = ScopedManager(coalition="coalition")

    class Meta:
        abstract = True


class Place(TenantModel):
    """A place the coalition serves: a state or county by FIPS code, or a named neighborhood."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        COUNTY = "county", _("County")
        NEIGHBORHOOD = "neighborhood", _("Neighborhood")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    code = models.CharField(max_length=80, help_text=_("FIPS code, or the neighborhood's name"))
    name = models.CharField(max_length=160)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "kind", "code"], name="unique_place")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TenantModel):
    """A person's seat in a coalition, with the role that decides what they may do."""

    class Role(models.TextChoices):
        BACKBONE_ADMIN = "backbone_admin", _("Backbone admin")
        PARTNER = "partner", _("Partner")
        COMMUNITY_MEMBER = "community_member", _("Community member")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.CharField(_("organization"), max_length=160, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "user"], name="one_membership_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Invitation(TenantModel):
    """A single-use, expiring link that makes whoever opens it a member with ``role``.

    Only a SHA-256 of the token is stored; the link itself exists in the e-mail
    and on the inviter's screen, once.
    """

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    organization = models.CharField(_("organization"), max_length=160, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    # Not stored: whether ``invite_member`` could hand the e-mail to the mail backend
    # (None until the transaction commits, or when no e-mail was asked for).
    email_sent: bool | None = None

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.coalition_id}"


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events cannot be deleted")


class AuditEvent(TenantModel):
    """One create, update or delete, written in the same transaction as the change."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    # Database-level actions, so the append-only triggers (migration 0004) can tell them
    # apart from an edit: an audit row disappears only with its coalition's row, and
    # loses its ``actor`` link only once that account's row is gone.
    coalition = models.ForeignKey(Coalition, on_delete=models.DB_CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_SET_NULL, null=True, related_name="+"
    )
    # The actor's display name when the row was written: kept when the account is deleted
    # (``actor`` then becomes NULL). Empty for anonymous and system events.
    actor_name = models.CharField(max_length=150, blank=True, default="")
    action = models.CharField(max_length=8, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    # English, for a reader of the raw table; the activity log renders ``event`` instead.
    summary = models.CharField(max_length=200)
    # What happened, as a code such as "assessments.tactic_status_changed", with the names,
    # ids and values needed to say it in the reader's language (``params``); see
    # ``commonground.coalitions.activity``. Empty on rows written before events existed:
    # those render from ``action``, ``object_type`` and ``before``/``after``.
    event = models.CharField(max_length=80, blank=True, default="")
    params = models.JSONField(default=dict, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    # An anonymous submission: no actor, no name, and ``at`` holds only the day.
    anonymous = models.BooleanField(default=False)
    # Set by ``record_audit``: now, or midnight UTC of today for an anonymous event.
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects: ClassVar[Any] = ScopedManager(
        coalition="coalition", _manager_class=models.Manager.from_queryset(AuditQuerySet)
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.summary

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events cannot be deleted")


class CoalitionExport(TenantModel):
    """An archive of the whole coalition, built in the background for its admins.

    Not itself part of an archive (``archive_exclude``). The archive's bytes are kept
    until the next export replaces them.
    """

    archive_exclude = True

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    deidentified = models.BooleanField(_("de-identified"), default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)  # share done, 0-1
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Written by the worker with each table it writes; a running export whose heartbeat is
    # older than ``exports.STALE_AFTER`` lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    content = models.BinaryField(editable=False, default=b"")
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        return round(100 * self.progress)


class DataVersion(models.Model):
    """The current version of one coalition's data (``c<id>``) or of the data no coalition
    owns (``*``): a random number every write changes (``coalitions.data_version``)."""

    scope = models.CharField(max_length=24, primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        db_table = "coalitions_dataversion"

    def __str__(self) -> str:
        return f"{self.scope}: {self.version:x}"
