"""Shared measurement tables: indicators, observations, imports, targets, the metrics framework.

Tenancy decision: every table here is tenant data (``TenantModel``), the indicator
catalog and the observations of public datasets included. A coalition's catalog is
the set of indicators it brought in (and may rename, re-domain or re-direct); its
observations are the rows it imported, public or its own. Public data are therefore
copied into each coalition that imports them, filtered to the states it chooses: a
county-level file for one state is a few thousand rows, cheap to repeat, and in
exchange a member of coalition A can never read B's imports, B's own small-area data
or B's edits to the catalog, because django-scopes filters every query. Nothing is
shared across tenants, so nothing needs a second permission rule.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import TenantModel
from commonground.lib.versioning import Versioned
from commonground.measurement.domain import catalog
from commonground.measurement.domain.equity import ReliabilityRules


class Indicator(TenantModel):
    """One measure in the coalition's catalog (e.g. CHR ``v147`` life expectancy)."""

    class Domain(models.TextChoices):
        HEALTH_OUTCOMES = "health_outcomes", _("Health outcomes")
        HEALTH_CARE_ACCESS = "health_care_access", _("Health care access")
        SOCIAL_ECONOMIC = "social_economic", _("Social and economic")
        COMMUNITY_SAFETY = "community_safety", _("Community and safety")
        PHYSICAL_ENVIRONMENT = "physical_environment", _("Physical environment")
        EDUCATION = "education", _("Education")
        ECONOMIC_VITALITY = "economic_vitality", _("Economic vitality")
        OTHER = "other", _("Other")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")
        UNKNOWN = "", _("Not decided")

    code = models.CharField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it means, in plain words"), blank=True)
    # Extendable: the field stores any short key; the choices name the usual domains.
    domain = models.CharField(_("domain"), max_length=40, default=Domain.OTHER)
    unit = models.CharField(_("unit"), max_length=80, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, blank=True, default=""
    )
    source = models.CharField(_("source"), max_length=160, blank=True)
    vintage = models.CharField(_("vintage"), max_length=80, blank=True)
    plausible_min = models.FloatField(null=True, blank=True)
    plausible_max = models.FloatField(null=True, blank=True)
    max_ci_width = models.FloatField(
        _("widest interval still compared"),
        null=True,
        blank=True,
        help_text=_("In the indicator's units; estimates less precise are flagged unreliable."),
    )

    class Meta:
        ordering = ["domain", "name"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "code"], name="unique_indicator_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language: the catalog's Spanish name for a catalog
        indicator the coalition has not renamed, else the name as stored."""
        return catalog.localized_name(self.code, self.name, get_language() or "en")

    @property
    def about(self) -> str:
        """The description in the reader's language (same rule as ``label``)."""
        return catalog.localized_description(self.code, self.description, get_language() or "en")

    @property
    def unit_label(self) -> str:
        return catalog.localized_unit(self.unit, get_language() or "en")

    @property
    def source_label(self) -> str:
        return catalog.localized_source(self.source, get_language() or "en")

    @property
    def domain_label(self) -> str:
        return str(dict(self.Domain.choices).get(self.domain, self.domain))

    @property
    def lower_is_better(self) -> bool:
        return self.direction == self.Direction.LOWER

    def rules(self) -> ReliabilityRules:
        """The reliability rules for this indicator's estimates."""
        return ReliabilityRules(
            plausible_min=self.plausible_min,
            plausible_max=self.plausible_max,
            max_ci_width=self.max_ci_width,
        )


class ImportJob(TenantModel):
    """One file brought in: what it was, how far the import got, and what was wrong.

    A running import writes ``heartbeat_at`` as it goes. A job still "running" whose
    heartbeat is older than ``settings.IMPORT_STALE_AFTER`` (2 minutes) lost its worker
    and is marked failed the next time anyone looks; an administrator can retry it.
    ``attempt`` counts the runs: a worker writes only while the job is still on the
    attempt it claimed, so a worker that was given up on can never overwrite a retry.
    """

    class Layout(models.TextChoices):
        CHR_WIDE = "chr_wide", _("County Health Rankings measure file, wide (one row per place)")
        CHR_LONG = "chr_long", _("County Health Rankings measure file, long (one row per group)")
        CHR_COUNTS = "chr_counts", _("County Health Rankings counts file (num, denom, rate)")
        CHR_ANALYTIC = "chr_analytic", _("County Health Rankings analytic data (two header rows)")
        PLACES = "places", _("CDC PLACES county file")
        SVI = "svi", _("CDC/ATSDR Social Vulnerability Index county file")
        TIDY = "tidy", _("Tidy CSV or Excel (place, period, group, value)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Not imported")

    file_name = models.CharField(_("file name"), max_length=200)
    layout = models.CharField(_("layout"), max_length=16, choices=Layout.choices)
    period = models.CharField(_("period"), max_length=40, blank=True)
    indicator_code = models.CharField(_("indicator code"), max_length=80, blank=True)
    place_type = models.CharField(_("kind of place"), max_length=16, blank=True)
    only_states = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)  # share done, 0-1
    rows_read = models.PositiveIntegerField(default=0)
    observations_created = models.PositiveIntegerField(default=0)
    observations_updated = models.PositiveIntegerField(default=0)
    observations_unchanged = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # [{row, column, problem}]
    unmatched_places = models.JSONField(default=list, blank=True)  # codes no map knows
    content = models.BinaryField(editable=False, default=b"")  # cleared once finished
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        return round(100 * self.progress)


class StagedUpload(TenantModel):
    """A file uploaded to the import wizard, kept between its steps until it is imported,
    discarded or expires.

    It belongs to the coalition and to the person who uploaded it: nobody else sees it,
    and its key is a random UUID, so its address cannot be guessed. ``detected`` is
    the layout the file's headers showed; ``options`` the choices last made on the
    preview (layout, period, indicator code, kind of place, states kept).
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(default=0)
    detected = models.CharField(max_length=16, blank=True)
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class Observation(TenantModel):
    """One value of an indicator for a place, period and group, as its source gave it."""

    class PlaceType(models.TextChoices):
        NATION = "nation", _("Nation")
        STATE = "state", _("State")
        COUNTY = "county", _("County")
        TRACT = "tract", _("Census tract")
        ZIP = "zip", _("ZIP code")
        NEIGHBORHOOD = "neighborhood", _("Neighborhood")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    place_type = models.CharField(max_length=16, choices=PlaceType.choices)
    place_code = models.CharField(max_length=80)
    period = models.CharField(max_length=40)
    group = models.CharField(max_length=40, default="total")
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    population = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    source_unreliable = models.BooleanField(default=False)
    flags = models.PositiveSmallIntegerField(default=0)  # equity.reliability_flags bits
    import_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["indicator", "place_code", "period", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "indicator", "place_type", "place_code", "period", "group"],
                name="unique_observation",
            )
        ]
        indexes = [models.Index(fields=["indicator", "period", "group"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.place_code} {self.period} {self.group}"


class IndicatorRelease(TenantModel):
    """The metrics committee's approval of one indicator's values for one period.

    While ``status`` is released, the values are locked: every service that writes
    observations refuses to add, change, move or delete a row of that (indicator, period).
    A backbone admin reopens a release with a reason (audited); releasing it again locks
    the values anew. One row per (coalition, indicator, period): the history of releases
    and reopenings is in the activity log, the row keeps the latest of each.

    ``indicator`` is ``RESTRICT``: deleting an indicator would delete its released values
    with it (a change around the lock) and the record of the approval, so it is refused
    while the indicator has a release; deleting the whole coalition still deletes both.
    """

    class Status(models.TextChoices):
        RELEASED = "released", _("Released")
        REOPENED = "reopened", _("Reopened")

    indicator = models.ForeignKey(Indicator, on_delete=models.RESTRICT, related_name="releases")
    period = models.CharField(_("period"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RELEASED
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(_("reopened on"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "indicator", "period"], name="unique_indicator_release"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}"

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.RELEASED


class PriorityArea(TenantModel):
    """A priority area of the metrics framework (e.g. economic vitality)."""

    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Result(TenantModel, Versioned):
    """A condition of well-being in plain words, with its population indicators and
    the turn-the-curve thinking behind it. Contributors edit it together, so every edit
    is optimistic-locked (``version``)."""

    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.CASCADE, related_name="results"
    )
    statement = models.CharField(_("result"), max_length=240)
    order = models.PositiveSmallIntegerField(default=0)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="results")
    story_behind_curve = models.TextField(_("the story behind the curve"), blank=True)
    partners = models.TextField(_("partners with a role to play"), blank=True)
    what_works = models.TextField(_("what works"), blank=True)
    action_items = models.TextField(_("action items, one a line"), blank=True)

    class Meta:
        ordering = ["priority_area__order", "order", "id"]

    def __str__(self) -> str:
        return self.statement

    @property
    def action_list(self) -> list[str]:
        return [line.strip() for line in self.action_items.splitlines() if line.strip()]


class PerformanceMeasure(TenantModel):
    """How a program is doing: how much did we do, how well, is anyone better off."""

    class Kind(models.TextChoices):
        HOW_MUCH = "how_much", _("How much did we do?")
        HOW_WELL = "how_well", _("How well did we do it?")
        BETTER_OFF = "better_off", _("Is anyone better off?")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    program = models.CharField(_("program"), max_length=160, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(
        max_length=8, choices=Indicator.Direction.choices, blank=True, default="higher"
    )
    target_value = models.FloatField(_("target"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class MeasureValue(TenantModel):
    measure = models.ForeignKey(PerformanceMeasure, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=40)
    value = models.FloatField()

    class Meta:
        ordering = ["period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="unique_measure_period")
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.period}"


class Target(TenantModel):
    """A goal for one place: reach a value by a year, shrink a gap between two groups in
    the place, or shrink the gap between the place and another place for one group
    (the IHI guide's example: life expectancy in West Garfield Park against the Loop)."""

    class Kind(models.TextChoices):
        VALUE = "value", _("Reach a value")
        GAP = "gap", _("Shrink the gap between two groups")
        PLACE_GAP = "place_gap", _("Shrink the gap between two places")

    title = models.CharField(_("title"), max_length=200)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    place_code = models.CharField(max_length=80)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    group = models.CharField(max_length=40, default="total")
    reference_group = models.CharField(max_length=40, blank=True)
    reference_place = models.CharField(max_length=80, blank=True)  # place gap targets
    reduction = models.FloatField(default=0.5)  # share of the gap to close (gap targets)
    target_value = models.FloatField(null=True, blank=True)  # value targets
    target_year = models.PositiveSmallIntegerField()
    result = models.ForeignKey(
        Result, on_delete=models.SET_NULL, null=True, blank=True, related_name="targets"
    )

    class Meta:
        ordering = ["target_year", "title"]

    def __str__(self) -> str:
        return self.title
