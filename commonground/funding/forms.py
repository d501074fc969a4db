"""Forms of the funding pages. They parse; the services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import Coalition, Membership, Place
from commonground.ecosystem.models import Actor
from commonground.funding.models import (
    Budget,
    BudgetLine,
    Disbursement,
    FundingKind,
    FundingSource,
)
from commonground.funding.selectors import CHOOSABLE_ROLES
from commonground.measurement.models import PerformanceMeasure, PriorityArea

DATE = forms.DateInput(attrs={"type": "date"})


def _limit(form: forms.Form, name: str, queryset: Any) -> None:
    """Offer only the coalition's rows in a choice field."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class MoneyField(forms.CharField):
    """Text that the service turns into an amount (so a bad one gets the service's
    message naming the field)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=FundingKind.choices)
    funder = forms.ModelChoiceField(
        label=_("Funder on the ecosystem map"), queryset=Actor.objects.none(), required=False
    )
    funder_name = forms.CharField(
        label=_("Funder (when not on the map)"), max_length=200, required=False
    )
    amount = MoneyField(label=_("Amount for the whole period"), required=False)
    starts_on = forms.DateField(label=_("Start"), widget=DATE)
    ends_on = forms.DateField(label=_("End"), widget=DATE)
    is_restricted = forms.BooleanField(label=_("Restricted"), required=False)
    restricted_to = forms.CharField(label=_("Restricted to"), max_length=200, required=False)
    renewal = forms.ChoiceField(
        label=_("Renewal likelihood"), choices=FundingSource.Renewal.choices
    )
    budget = forms.ModelChoiceField(
        label=_("Budget it supports"), queryset=Budget.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, coalition: Coalition, *args: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "funder", Actor.objects.filter(coalition=coalition).order_by("name"))
        _limit(self, "budget", Budget.objects.filter(coalition=coalition))
        if editing:
            del self.fields["amount"]


class AmountForm(forms.Form):
    amount = MoneyField(label=_("Amount"))
    starts_on = forms.DateField(label=_("Period start"), widget=DATE)
    ends_on = forms.DateField(label=_("Period end"), widget=DATE)


class BudgetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = forms.DateField(label=_("First day"), widget=DATE)


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=BudgetLine.Category.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = MoneyField(label=_("Amount"))


class DisbursementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Disbursement.Kind.choices)
    recipient_actor = forms.ModelChoiceField(
        label=_("Recipient organization"), queryset=Actor.objects.none(), required=False
    )
    recipient_place = forms.ModelChoiceField(
        label=_("Or a place (place-based support)"), queryset=Place.objects.none(), required=False
    )
    amount = MoneyField(label=_("Amount (or value)"))
    purpose = forms.CharField(label=_("Purpose"), max_length=240, required=False)
    priority_area = forms.ModelChoiceField(
        label=_("Priority area"), queryset=PriorityArea.objects.none(), required=False
    )
    source = forms.ModelChoiceField(
        label=_("Paid from"), queryset=FundingSource.objects.none(), required=False
    )
    starts_on = forms.DateField(label=_("Start"), widget=DATE)
    ends_on = forms.DateField(label=_("End"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=Disbursement.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, coalition: Coalition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "recipient_actor", Actor.objects.filter(coalition=coalition).order_by("name"))
        _limit(
            self,
            "recipient_place",
            Place.objects.filter(coalition=coalition).exclude(kind=Place.Kind.STATE),
        )
        _limit(self, "priority_area", PriorityArea.objects.filter(coalition=coalition))
        _limit(self, "source", FundingSource.objects.filter(coalition=coalition))


class RequirementForm(forms.Form):
    name = forms.CharField(label=_("What the funder asks for"), max_length=240)
    measure = forms.ModelChoiceField(
        label=_("Our measure that answers it"),
        queryset=PerformanceMeasure.objects.none(),
        required=False,
    )

    def __init__(self, coalition: Coalition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "measure", PerformanceMeasure.objects.filter(coalition=coalition))


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Report"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    remind_days = forms.IntegerField(
        label=_("Remind this many days before"), min_value=0, max_value=365, initial=30
    )


class SubmittedForm(forms.Form):
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VisibilityForm(forms.Form):
    visible_roles = forms.MultipleChoiceField(
        label=_("Besides backbone admins, who sees funding details?"),
        choices=[(r, Membership.Role(r).label) for r in CHOOSABLE_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
