from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commonground.coalitions import services
from commonground.coalitions.models import Coalition, Membership, Place


class ProfileForm(forms.ModelForm):
    """The partnership profile; places and focus areas are edited as plain text."""

    states = forms.CharField(
        label=_("States served"),
        required=False,
        help_text=_("Postal abbreviations or 2-digit FIPS codes, separated by commas."),
    )
    counties = forms.CharField(
        label=_("Counties served"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("5-digit county FIPS codes, separated by commas (e.g. 01101, 01001)."),
    )
    neighborhoods = forms.CharField(
        label=_("Neighborhoods served"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One neighborhood per line."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    focus_areas_text = forms.CharField(
        label=_("Focus areas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. “Maternal and infant health”."),
    )

    class Meta:
        model = Coalition
        fields = [
            "name",
            "mission",
            "geographic_scale",
            "population_type",
            "year_founded",
            "policy_context",
            "initiatives",
        ]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 3}),
            "policy_context": forms.Textarea(attrs={"rows": 3}),
            "initiatives": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "policy_context": _(
                "E.g. Medicaid expansion, state health improvement plan, local ordinances."
            ),
        }

    def __init__(self, *args: Any, places: list[Place] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if places is not None and not self.is_bound:
            self.initial["states"] = ", ".join(p.code for p in places if p.kind == Place.Kind.STATE)
            self.initial["counties"] = ", ".join(
                p.code for p in places if p.kind == Place.Kind.COUNTY
            )
            self.initial["neighborhoods"] = "\n".join(
                p.name for p in places if p.kind == Place.Kind.NEIGHBORHOOD
            )
        if self.instance.pk and not self.is_bound:
            self.initial["focus_areas_text"] = "\n".join(self.instance.focus_areas or [])
            self.initial["version"] = self.instance.version

    def clean_year_founded(self) -> int | None:
        year: int | None = self.cleaned_data.get("year_founded")
        if year is not None and not 1900 <= year <= timezone.now().year:
            raise ValidationError(_("Enter a year between 1900 and this year."))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["places"] = services.parse_places(
                states=data.get("states", ""),
                counties=data.get("counties", ""),
                neighborhoods=data.get("neighborhoods", ""),
            )
        except ValidationError as error:
            field = "counties" if any("county" in m for m in error.messages) else "states"
            self.add_error(field, error)
        data["focus_areas"] = [
            " ".join(line.split())
            for line in data.get("focus_areas_text", "").splitlines()
            if line.strip()
        ]
        return data

    def profile_values(self) -> dict[str, Any]:
        values = {field: self.cleaned_data[field] for field in self.Meta.fields}
        values["focus_areas"] = self.cleaned_data["focus_areas"]
        return values


class NewCoalitionForm(forms.Form):
    name = forms.CharField(label=_("Coalition name"), max_length=160)
    slug = forms.SlugField(
        label=_("Short name for links"),
        max_length=60,
        required=False,
        help_text=_(
            "Letters, numbers and dashes. Left empty, it is made from the name. Four random "
            "characters are added to make it unique, e.g. eastside-k3v9."
        ),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.PARTNER
    )
    organization = forms.CharField(
        label=_("Organization (optional)"), required=False, max_length=160
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
