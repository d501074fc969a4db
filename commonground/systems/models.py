"""Systems change: the system map and its loops, the asset map, anchor-institution commitments.

Every table is tenant data. Factors, links, assets and commitments are edited together
by members, so each is ``Versioned`` (a stale edit answers 409). Links between apps are
foreign keys into the coalition's own rows (an indicator, a priority area, an ecosystem
actor); the services check that each belongs to the same coalition.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import TenantModel
from commonground.lib.versioning import Versioned


class Factor(TenantModel, Versioned):
    """One element of the system map: a condition, a root cause, an outcome or a policy."""

    class Kind(models.TextChoices):
        CONDITION = "condition", _("Condition")
        ROOT_CAUSE = "root_cause", _("Root cause")
        OUTCOME = "outcome", _("Outcome")
        POLICY = "policy", _("Policy")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CONDITION)
    description = models.TextField(_("description"), blank=True)
    indicator = models.ForeignKey(
        "measurement.Indicator",
        verbose_name=_("equity indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    priority_area = models.ForeignKey(
        "measurement.PriorityArea",
        verbose_name=_("priority area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    policy = models.ForeignKey(
        "governance.Policy",
        verbose_name=_("policy on the agenda"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "name"], name="unique_factor_name")
        ]

    def __str__(self) -> str:
        return self.name


class CausalLink(TenantModel, Versioned):
    """``source`` moves ``target`` in the same (+) or the opposite (−) direction."""

    class Polarity(models.TextChoices):
        SAME = "+", _("Same direction (+)")
        OPPOSITE = "-", _("Opposite direction (−)")

    source = models.ForeignKey(
        Factor, verbose_name=_("from"), on_delete=models.CASCADE, related_name="links_out"
    )
    target = models.ForeignKey(
        Factor, verbose_name=_("to"), on_delete=models.CASCADE, related_name="links_in"
    )
    polarity = models.CharField(_("polarity"), max_length=1, choices=Polarity.choices)
    has_delay = models.BooleanField(_("with a delay"), default=False)
    evidence = models.TextField(_("evidence"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source__name", "target__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="unique_causal_link")
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class Asset(TenantModel, Versioned):
    """A community asset on the asset map: a clinic, a food pantry, a church, a park…"""

    class Category(models.TextChoices):
        CLINIC = "clinic", _("Clinic")
        FOOD = "food", _("Food")
        FAITH = "faith", _("Faith community")
        PARK = "park", _("Park")
        LIBRARY = "library", _("Library")
        BARBERSHOP_SALON = "barbershop_salon", _("Barbershop or salon")
        SCHOOL = "school", _("School")
        TRANSIT_STOP = "transit_stop", _("Transit stop")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    organization = models.ForeignKey(
        "ecosystem.Actor",
        verbose_name=_("ecosystem actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    county_code = models.CharField(_("county"), max_length=5, blank=True)
    neighborhood = models.CharField(_("neighborhood"), max_length=120, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    named_in_sessions = models.BooleanField(
        _("named by residents in a listening session"), default=False
    )
    sessions = models.ManyToManyField(
        "voice.ListeningSession",
        verbose_name=_("listening sessions where residents named it"),
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["coalition", "name"], name="unique_asset_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_named(self) -> bool:
        """Named by residents: in a recorded listening session, or so marked by hand.
        Read after ``prefetch_related("sessions")`` to avoid a query per asset."""
        return self.named_in_sessions or bool(self.sessions.all())


class AssetMapLayer(TenantModel):
    """The equity layer the coalition chose to draw its assets over (one per coalition)."""

    indicator = models.ForeignKey(
        "measurement.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    group = models.CharField(_("group"), max_length=40, default="total")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coalition"], name="one_asset_layer_per_coalition")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.group}"


class Commitment(TenantModel, Versioned):
    """What an anchor institution (an ecosystem actor) commits to, measured against a target."""

    class Kind(models.TextChoices):
        LOCAL_HIRING = "local_hiring", _("Local hiring")
        LOCAL_PURCHASING = "local_purchasing", _("Local purchasing")
        PLACE_BASED_INVESTMENT = "place_based_investment", _("Place-based investment")
        COMMUNITY_BENEFIT = "community_benefit", _("Community benefit spending")

    institution = models.ForeignKey(
        "ecosystem.Actor",
        verbose_name=_("anchor institution"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("commitment"), max_length=24, choices=Kind.choices)
    description = models.TextField(_("what it commits to"), blank=True)
    measure = models.CharField(_("measure"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.FloatField(_("baseline"), null=True, blank=True)
    target_value = models.FloatField(_("target"))
    target_period = models.CharField(_("target period"), max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["institution__name", "kind", "id"]

    def __str__(self) -> str:
        return self.measure


class CommitmentProgress(TenantModel):
    """The measure's value in one period."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="progress")
    period = models.CharField(_("period"), max_length=40)
    value = models.FloatField(_("value"))
    note = models.CharField(_("note"), max_length=240, blank=True)

    class Meta:
        ordering = ["period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "period"], name="unique_commitment_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.period}"
