"""Forms of the governance pages. Choices of members, actors, indicators and themes are
read inside the coalition's scope, so another coalition's rows are never offered; the
services check them again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.assessments.models import ActionItem
from commonground.coalitions.models import Coalition, Membership
from commonground.ecosystem.models import Actor
from commonground.governance.models import (
    Agreement,
    Body,
    Decision,
    Policy,
    SeatType,
    Support,
    Vote,
)
from commonground.measurement.models import Indicator

DATE = forms.DateInput(attrs={"type": "date"})


def _members(coalition: Coalition) -> Any:
    return (
        Membership.objects.filter(coalition=coalition)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )


def _actors(coalition: Coalition) -> Any:
    return Actor.objects.filter(coalition=coalition).order_by("name")


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        label = str(obj.user)
        return f"{label} ({obj.organization})" if obj.organization else label


class TargetForm(forms.Form):
    community_share = forms.DecimalField(
        label=_("Target community share of votes (0 to 1)"),
        min_value=0,
        max_value=1,
        decimal_places=3,
        initial=0.5,
    )
    count_community_organizations = forms.BooleanField(
        label=_("Seats of community-based organizations count as community"),
        required=False,
        initial=True,
    )


class BodyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=Body.Kind.choices)
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    authority = forms.ChoiceField(label=_("Authority"), choices=Body.Authority.choices)
    decision_rule = forms.ChoiceField(label=_("Decision rule"), choices=Body.Rule.choices)
    quorum = forms.IntegerField(
        label=_("Quorum (seats present)"), min_value=0, max_value=500, initial=0
    )
    schedule = forms.CharField(label=_("Meeting schedule"), max_length=200, required=False)
    supports = forms.MultipleChoiceField(
        label=_("Accessibility supports offered"),
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(label=_("Interpretation languages"), max_length=200, required=False)
    ends_on = forms.DateField(label=_("Ends on (time-limited bodies)"), required=False, widget=DATE)


class SeatForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("Seat"), max_length=160)
    seat_type = forms.ChoiceField(label=_("Seat type"), choices=SeatType.choices)
    votes = forms.IntegerField(label=_("Votes"), min_value=0, max_value=100, initial=1)
    term_starts_on = forms.DateField(label=_("Term starts"), required=False, widget=DATE)
    term_ends_on = forms.DateField(label=_("Term ends"), required=False, widget=DATE)
    is_paid = forms.BooleanField(label=_("Paid"), required=False)
    stipend = forms.DecimalField(
        label=_("Stipend per year"), required=False, min_value=0, max_digits=9, decimal_places=2
    )
    holder_member = MemberChoice(
        label=_("Held by (member)"), queryset=Membership.objects.none(), required=False
    )
    holder_actor = forms.ModelChoiceField(
        label=_("Representing (organization)"), queryset=Actor.objects.none(), required=False
    )
    holder_name = forms.CharField(
        label=_("Holder's name (no account)"),
        max_length=160,
        required=False,
        help_text=_("Leave every holder field blank for a vacant seat."),
    )

    def __init__(self, coalition: Coalition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder_member"].queryset = _members(coalition)  # type: ignore[attr-defined]
        self.fields["holder_actor"].queryset = _actors(coalition)  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none())
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    supports_provided = forms.MultipleChoiceField(
        label=_("Supports provided"),
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, coalition: Coalition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(coalition=coalition)  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    supports_provided = forms.MultipleChoiceField(
        label=_("Supports provided"),
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MotionForm(forms.Form):
    title = forms.CharField(label=_("Motion"), max_length=200)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    topic = forms.CharField(label=_("Topic"), max_length=80, required=False)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Vote.Choice.choices, widget=forms.RadioSelect
    )


class CloseMotionForm(forms.Form):
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    dissent = forms.CharField(
        label=_("Dissenting views"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen this decision?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.CharField(label=_("Topic"), max_length=80, required=False)
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    dissent = forms.CharField(
        label=_("Dissenting views"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators it should move"), queryset=Indicator.objects.none(), required=False
    )

    def __init__(self, coalition: Coalition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = Indicator.objects.filter(coalition=coalition)  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = MemberChoice(
        label=_("Owner (person)"), queryset=Membership.objects.none(), required=False
    )
    owner_actor = forms.ModelChoiceField(
        label=_("Owner (organization)"), queryset=Actor.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)

    def __init__(self, coalition: Coalition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _members(coalition)  # type: ignore[attr-defined]
        self.fields["owner_actor"].queryset = _actors(coalition)  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class AgreementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Agreement.Status.choices)
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"), queryset=Actor.objects.none(), required=False
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)
    renewal_on = forms.DateField(label=_("Renewal due"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (.docx), OpenDocument (.odt) or text. At most 10 MB."),
    )

    def __init__(self, coalition: Coalition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = _actors(coalition)  # type: ignore[attr-defined]


class PolicyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Policy.Level.choices)
    position = forms.ChoiceField(label=_("Position"), choices=Policy.Position.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Policy.Status.choices)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners engaged"), queryset=Actor.objects.none(), required=False
    )
    decisions = forms.ModelMultipleChoiceField(
        label=_("Decisions behind it"), queryset=Decision.objects.none(), required=False
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators it should move"), queryset=Indicator.objects.none(), required=False
    )

    def __init__(self, coalition: Coalition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = _actors(coalition)  # type: ignore[attr-defined]
        self.fields["decisions"].queryset = Decision.objects.filter(coalition=coalition)  # type: ignore[attr-defined]
        self.fields["indicators"].queryset = Indicator.objects.filter(coalition=coalition)  # type: ignore[attr-defined]


class DecisionFilterForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none(), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, coalition: Coalition, topics: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(coalition=coalition)  # type: ignore[attr-defined]
        self.fields["topic"].choices = [("", _("Any topic"))] + [(t, t) for t in topics]  # type: ignore[attr-defined]
