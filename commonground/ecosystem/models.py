"""The ecosystem map: actors, the ties between them, the partner network survey, snapshots.

Vocabulary shared with the pure core (sector ids, population ids, rating
dimensions) comes from :mod:`commonground.ecosystem.domain`; the framework's
eight role ids come from :data:`commonground.framework.ROLES`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from commonground import framework
from commonground.coalitions.models import TenantModel
from commonground.ecosystem.domain.ratings import TRUST_DIMENSIONS, VALUE_DIMENSIONS
from commonground.ecosystem.domain.sectors import POPULATIONS, SECTORS
from commonground.lib.versioning import Versioned

SECTOR_CHOICES = [(s.id, s.name.en) for s in SECTORS]
ROLE_IDS = tuple(role.id for role in framework.ROLES)
POPULATION_IDS = tuple(p.id for p in POPULATIONS)
RATING_FIELDS = (*TRUST_DIMENSIONS, *VALUE_DIMENSIONS)


class Contribution(models.TextChoices):
    """What an actor brings to the coalition."""

    FUNDING = "funding", _("Funding")
    IN_KIND = "in_kind", _("In-kind goods or space")
    STAFF = "staff", _("Staff time")
    VOLUNTEERS = "volunteers", _("Volunteers")
    DATA = "data", _("Data")
    EXPERTISE = "expertise", _("Expertise")
    COMMUNITY_CONNECTIONS = "community_connections", _("Community connections")
    FACILITATION = "facilitation", _("Facilitation")
    ADVOCACY = "advocacy", _("Advocacy")
    LEADERSHIP = "leadership", _("Leadership")
    MEETING_SPACE = "meeting_space", _("Meeting space")
    COMMUNICATIONS = "communications", _("Communications and outreach")


class _ActiveActorManager(models.Manager["Actor"]):
    """Actors on the map: archived actors are left out of every default read."""

    def get_queryset(self) -> models.QuerySet[Actor]:
        return super().get_queryset().filter(archived_at__isnull=True)


class Actor(TenantModel, Versioned):
    """An organization, group or informal place in the coalition's health ecosystem.

    An actor that other partners' ties or survey answers refer to is *archived* rather
    than deleted (``archived_at``): ``Actor.objects`` (the default manager, scoped) leaves
    it out of the map, the lists and the analysis, and ``Tie.objects`` leaves out its ties;
    ``Actor.all_objects`` (scoped too) still reads it, for the archive page and restoring.
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        GROUP = "group", _("Group or network")
        INFORMAL_PLACE = "informal_place", _("Informal place (church, barbershop, bodega…)")

    class Scale(models.TextChoices):
        NEIGHBORHOOD = "neighborhood", _("Neighborhood")
        MUNICIPAL = "municipal", _("Municipal")
        COUNTY = "county", _("County")
        REGIONAL = "regional", _("Regional")
        STATE = "state", _("State")
        NATIONAL = "national", _("National")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ORGANIZATION
    )
    sector_id = models.CharField(_("sector"), max_length=40, choices=SECTOR_CHOICES)
    role_ids = models.JSONField(_("roles played"), default=list, blank=True)
    geographic_scale = models.CharField(
        _("geographic scale"), max_length=16, choices=Scale.choices, default=Scale.COUNTY
    )
    is_community_led = models.BooleanField(_("community-led"), default=False)
    population_ids = models.JSONField(_("populations served"), default=list, blank=True)
    contribution_ids = models.JSONField(_("contributions"), default=list, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=160, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_coalition_member = models.BooleanField(_("coalition member"), default=False)
    influence = models.PositiveSmallIntegerField(
        _("influence (0-100)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    alignment = models.PositiveSmallIntegerField(
        _("alignment (0-100)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[Any] = ScopedManager(
        coalition="coalition", _manager_class=_ActiveActorManager
    )
    all_objects: ClassVar[Any] = ScopedManager(coalition="coalition")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "name"], name="unique_actor_name"),
            models.CheckConstraint(
                condition=models.Q(influence__isnull=True) | models.Q(influence__lte=100),
                name="actor_influence_0_100",
            ),
            models.CheckConstraint(
                condition=models.Q(alignment__isnull=True) | models.Q(alignment__lte=100),
                name="actor_alignment_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NetworkSurvey(TenantModel, Versioned):
    """One round of the partner network survey: a personal link per invited actor."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=160)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class SurveyInvitation(TenantModel):
    """A partner actor's personal, single-use survey link; only a SHA-256 of it is stored.

    ``emailed_at`` is when the link was last e-mailed (the invitation or a reminder), so
    reminders go out at most once every ``SURVEY_REMINDER_DAYS`` days; ``reminder_count``
    counts the reminders; ``language`` is the language the invitation was sent in, used for
    recipients who have no account (and so no preferred language).
    """

    survey = models.ForeignKey(NetworkSurvey, on_delete=models.CASCADE, related_name="invitations")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="survey_invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)
    language = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        ordering = ["actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "actor"], name="one_link_per_actor_and_survey"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} · {self.survey}"


class SurveyResponse(TenantModel):
    """What one partner organization answered; its named ties are :class:`Tie` rows."""

    survey = models.ForeignKey(NetworkSurvey, on_delete=models.CASCADE, related_name="responses")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="survey_responses")
    submitted_on = models.DateField()
    contribution_ids = models.JSONField(default=list, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "actor"], name="one_response_per_actor")
        ]

    def __str__(self) -> str:
        return f"{self.actor} · {self.survey}"


class _LiveTieManager(models.Manager["Tie"]):
    """Ties whose two ends are on the map: a tie of an archived actor is kept, not read.

    Both ends belong to the tie's coalition (the services refuse any other); saying so in
    the join lets PostgreSQL carry the tie's coalition over to the actors and read them
    through their coalition index, instead of hashing every coalition's actors (a map's
    ties took 37 ms instead of 3 with 1,000 coalitions in the database).
    """

    def get_queryset(self) -> models.QuerySet[Tie]:
        return (
            super()
            .get_queryset()
            .filter(
                from_actor__archived_at__isnull=True,
                to_actor__archived_at__isnull=True,
                from_actor__coalition=models.F("coalition"),
                to_actor__coalition=models.F("coalition"),
            )
        )


class Tie(TenantModel, Versioned):
    """A relationship from one actor to another.

    The six ratings are what ``reported_by`` says about the *other* end of the
    tie (1-4); ties entered by the backbone have no reporter and no ratings.
    Whether the other side reported the tie too is computed at read time.
    ``Tie.objects`` leaves out the ties of archived actors; ``Tie.all_objects`` reads them.
    """

    class Type(models.TextChoices):
        INFORMATION_SHARING = "information_sharing", _("Information sharing")
        REFERRALS = "referrals", _("Referrals")
        SHARED_RESOURCES = "shared_resources", _("Shared resources")
        JOINT_PROGRAMS = "joint_programs", _("Joint programs")
        FUNDING = "funding", _("Funding")
        FORMAL_AGREEMENT = "formal_agreement", _("Formal agreement")
        DATA_SHARING = "data_sharing", _("Data sharing")

    class Intensity(models.IntegerChoices):
        AWARENESS = 1, _("Awareness")
        COOPERATION = 2, _("Cooperation")
        COORDINATION = 3, _("Coordination")
        INTEGRATION = 4, _("Integration")

    class Frequency(models.TextChoices):
        YEARLY = "yearly", _("Once a year or less")
        QUARTERLY = "quarterly", _("Every few months")
        MONTHLY = "monthly", _("Monthly")
        WEEKLY = "weekly", _("Weekly")
        DAILY = "daily", _("Daily")

    from_actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="ties_out")
    to_actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="ties_in")
    type_ids = models.JSONField(_("types"), default=list, blank=True)
    intensity = models.PositiveSmallIntegerField(
        _("intensity"), choices=Intensity.choices, default=Intensity.COOPERATION
    )
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices, blank=True
    )
    reliability = models.PositiveSmallIntegerField(
        _("reliability"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    mission_support = models.PositiveSmallIntegerField(
        _("support of mission"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    openness = models.PositiveSmallIntegerField(
        _("openness to discussion"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    power_influence = models.PositiveSmallIntegerField(
        _("power and influence"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    involvement = models.PositiveSmallIntegerField(
        _("level of involvement"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    resource_contribution = models.PositiveSmallIntegerField(
        _("resource contribution"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    reported_by = models.ForeignKey(
        Actor, on_delete=models.SET_NULL, null=True, blank=True, related_name="ties_reported"
    )
    survey_response = models.ForeignKey(
        SurveyResponse, on_delete=models.SET_NULL, null=True, blank=True, related_name="ties"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[Any] = ScopedManager(coalition="coalition", _manager_class=_LiveTieManager)
    all_objects: ClassVar[Any] = ScopedManager(coalition="coalition")

    class Meta:
        ordering = ["from_actor__name", "to_actor__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_actor=models.F("to_actor")), name="tie_not_to_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(intensity__gte=1, intensity__lte=4), name="tie_intensity_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_actor} → {self.to_actor}"

    def type_labels(self) -> list[str]:
        return [str(Tie.Type(t).label) for t in self.type_ids if t in Tie.Type.values]

    def ratings(self) -> dict[str, int]:
        """The ratings given, by dimension id (only those answered)."""
        return {name: value for name in RATING_FIELDS if (value := getattr(self, name)) is not None}


class Snapshot(TenantModel):
    """The network frozen at a date, for comparing rounds (e.g. baseline and a year later).

    ``data`` holds plain JSON: ``actors`` (id, name, sector, roles, populations),
    ``ties`` (source, target, types, intensity, reported_by, ratings), ``invited``
    and ``respondents`` (actor ids), so later edits of the live map never change it.
    """

    name = models.CharField(_("name"), max_length=160)
    taken_on = models.DateField(_("date"))
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.taken_on})"

    @property
    def actor_count(self) -> int:
        actors: list[Any] = self.data.get("actors", [])
        return len(actors)

    @property
    def tie_count(self) -> int:
        ties: list[Any] = self.data.get("ties", [])
        return len(ties)
