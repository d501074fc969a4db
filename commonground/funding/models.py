"""Resources: funding sources, concentration, runway and the cliff, and support shared out.

The backbone records where its money comes from (``FundingSource`` with its
``FundingAmount`` rows by period), its annual ``Budget`` and budget lines, what it shares
out (``Disbursement``: grants, loans, stipends, in-kind support), and each funder's
reporting calendar (``FunderReport``) and required measures (``FunderRequirement``, the
crosswalk to the coalition's performance measures). Stability and fairness are computed
by ``funding.domain.core`` from these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import TenantModel
from commonground.lib.versioning import Versioned


class FundingKind(models.TextChoices):
    """A source's type; the values are the command line's ``type`` codes."""

    PRIVATE_PHILANTHROPY = "private_philanthropy", _("Private philanthropy")
    FEDERAL_GRANT = "federal_grant", _("Federal grant")
    STATE_GRANT = "state_grant", _("State grant")
    LOCAL_GRANT = "local_grant", _("Local grant")
    PARTNER_CONTRIBUTION = "partner_contribution", _("Partner contribution")
    HEALTH_SYSTEM_COMMUNITY_BENEFIT = (
        "health_system_community_benefit",
        _("Health system community benefit"),
    )
    PAYER_VALUE_BASED = "payer_value_based", _("Payer or value-based arrangement")
    HIE_FEES = "hie_fees", _("Health information exchange or membership fees")
    DONATIONS = "donations", _("Individual donations")
    EARNED_INCOME = "earned_income", _("Earned income")
    LOAN = "loan", _("Loan or impact investment")


class FundingSettings(TenantModel, Versioned):
    """Who in the coalition sees the funding pages. Backbone admins always do."""

    visible_roles = models.JSONField(_("roles that see funding details"), default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["coalition"], name="one_funding_settings")]


class Budget(TenantModel, Versioned):
    """The backbone's budget for one year; its annual amount is the sum of its lines."""

    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("first day"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(TenantModel):
    class Category(models.TextChoices):
        STAFF = "staff", _("Backbone staff")
        OPERATIONS = "operations", _("Operations and space")
        STIPENDS = "stipends", _("Community stipends")
        GRANTS_OUT = "grants_out", _("Grants to partners")
        DATA = "data", _("Data and evaluation")
        COMMUNICATIONS = "communications", _("Communications")
        OTHER = "other", _("Other")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["budget", "category", "id"]


class FundingSource(TenantModel, Versioned):
    class Renewal(models.TextChoices):
        UNKNOWN = "unknown", _("Unknown")
        UNLIKELY = "unlikely", _("Unlikely")
        POSSIBLE = "possible", _("Possible")
        LIKELY = "likely", _("Likely")
        COMMITTED = "committed", _("Committed")

    name = models.CharField(_("name"), max_length=200)
    funder = models.ForeignKey(
        "ecosystem.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funder on the ecosystem map"),
    )
    funder_name = models.CharField(_("funder (when not on the map)"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=40, choices=FundingKind.choices)
    is_restricted = models.BooleanField(_("restricted"), default=False)
    restricted_to = models.CharField(_("restricted to"), max_length=200, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    renewal = models.CharField(
        _("renewal likelihood"), max_length=12, choices=Renewal.choices, default=Renewal.UNKNOWN
    )
    budget = models.ForeignKey(
        Budget,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sources",
        verbose_name=_("budget it supports"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def funder_display(self) -> str:
        return self.funder.name if self.funder_id and self.funder else self.funder_name


class FundingAmount(TenantModel):
    """Money from a source for one period, spread evenly over the period's months."""

    source = models.ForeignKey(FundingSource, on_delete=models.CASCADE, related_name="amounts")
    starts_on = models.DateField(_("period start"))
    ends_on = models.DateField(_("period end"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["source", "starts_on", "id"]


class Disbursement(TenantModel, Versioned):
    """Money or support the coalition shares out, to an actor or to a place."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        LOAN = "loan", _("Loan")
        STIPEND = "stipend", _("Stipend")
        IN_KIND = "in_kind", _("In-kind support")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        AWARDED = "awarded", _("Awarded")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The recipient's name is kept too (``recipient_label``), so the award still says who
    # got it if the actor is ever deleted from the map.
    recipient_actor = models.ForeignKey(
        "ecosystem.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient organization"),
    )
    # A place is kept by its kind, code and name, not by a link to ``coalitions.Place``:
    # the coalition's profile replaces its place rows on every save, and a grant's
    # recipient must outlive that.
    place_kind = models.CharField(_("recipient place kind"), max_length=16, blank=True)
    place_code = models.CharField(_("recipient place code"), max_length=80, blank=True)
    place_name = models.CharField(_("recipient place"), max_length=160, blank=True)
    recipient_label = models.CharField(_("recipient"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (or value)"), max_digits=14, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=240, blank=True)
    priority_area = models.ForeignKey(
        "measurement.PriorityArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("priority area"),
    )
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disbursements",
        verbose_name=_("paid from"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.AWARDED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]

    @property
    def recipient_name(self) -> str:
        if self.recipient_actor_id and self.recipient_actor:
            return self.recipient_actor.name
        return self.place_name or self.recipient_label


class FunderRequirement(TenantModel):
    """A measure a funder requires, and which of the coalition's measures answers it."""

    source = models.ForeignKey(FundingSource, on_delete=models.CASCADE, related_name="requirements")
    name = models.CharField(_("what the funder asks for"), max_length=240)
    measure = models.ForeignKey(
        "measurement.PerformanceMeasure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("our measure that answers it"),
    )

    class Meta:
        ordering = ["source", "name", "id"]


class FunderReport(TenantModel, Versioned):
    """A report a funder expects by a date; a reminder shows before it is due."""

    source = models.ForeignKey(FundingSource, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("report"), max_length=200)
    due_on = models.DateField(_("due"))
    remind_days = models.PositiveSmallIntegerField(_("remind this many days before"), default=30)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title
