"""Forms of the systems pages. Choices of related rows come from the coalition's own rows;
the services check them again (a posted id of another coalition's row is not in the
queryset, so the form rejects it with a message naming the field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from commonground.coalitions.models import Coalition
from commonground.ecosystem.models import Actor
from commonground.governance.models import Policy
from commonground.measurement.models import Indicator, PriorityArea
from commonground.systems import selectors
from commonground.systems.models import Asset, CausalLink, Commitment, Factor
from commonground.voice.models import ListeningSession


class FastSelect(forms.Select):
    """A select rendered in Python: Django's template-based widget rendering takes
    tens of milliseconds for the long indicator and actor lists of these pages."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        chosen = {
            str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None
        }
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) in chosen else "", label)  # nosec B308
                for v, label in self.choices
            ),
        )
        attributes = flatatt({"name": name, **final})
        return format_html("<select{}>{}</select>", attributes, options)


def _fast_selects(form: forms.Form) -> None:
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            choice: Any = field
            field.widget = FastSelect(attrs=field.widget.attrs, choices=choice.choices)
            field.widget.is_required = field.required


class FactorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Factor.Kind.choices)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    indicator = forms.ModelChoiceField(
        label=_("Equity indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        help_text=_("The indicator that shows this factor in the coalition's data."),
    )
    priority_area = forms.ModelChoiceField(
        label=_("Priority area"), queryset=PriorityArea.objects.none(), required=False
    )
    policy = forms.ModelChoiceField(
        label=_("Policy on the agenda"),
        queryset=Policy.objects.none(),
        required=False,
        help_text=_("The policy on the coalition's agenda this factor stands for, if any."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)  # fmt: skip

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicator: Any = self.fields["indicator"]
        indicator.queryset = selectors.list_indicators(coalition=coalition)
        indicator.label_from_instance = lambda i: i.label
        area: Any = self.fields["priority_area"]
        area.queryset = PriorityArea.objects.filter(coalition=coalition)
        policy: Any = self.fields["policy"]
        policy.queryset = Policy.objects.filter(coalition=coalition).order_by("title")
        _fast_selects(self)

    @staticmethod
    def initial_for(factor: Factor) -> dict[str, Any]:
        return {
            "name": factor.name,
            "kind": factor.kind,
            "description": factor.description,
            "indicator": factor.indicator_id,
            "priority_area": factor.priority_area_id,
            "policy": factor.policy_id,
            "version": factor.version,
        }

    def fields_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class LinkForm(forms.Form):
    source = forms.ModelChoiceField(label=_("From"), queryset=Factor.objects.none())
    target = forms.ModelChoiceField(label=_("To"), queryset=Factor.objects.none())
    polarity = forms.ChoiceField(
        label=_("Polarity"),
        choices=CausalLink.Polarity.choices,
        help_text=_(
            "Same: when the first rises, the second rises. Opposite: when the first rises, the second falls."
        ),
    )
    has_delay = forms.BooleanField(label=_("The effect comes with a delay"), required=False)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("What shows this link: a study, local data, what residents said."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)  # fmt: skip

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        factors = Factor.objects.filter(coalition=coalition).order_by("name")
        for key in ("source", "target"):
            field: Any = self.fields[key]
            field.queryset = factors
        _fast_selects(self)

    @staticmethod
    def initial_for(link: CausalLink) -> dict[str, Any]:
        return {
            "source": link.source_id,
            "target": link.target_id,
            "polarity": link.polarity,
            "has_delay": link.has_delay,
            "evidence": link.evidence,
            "version": link.version,
        }

    def fields_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class AssetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Asset.Category.choices)
    county_code = forms.ChoiceField(label=_("County"), required=False)
    neighborhood = forms.CharField(label=_("Neighborhood"), max_length=120, required=False)
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Optional, in decimal degrees (32.3668)."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=_("Optional, in decimal degrees (−86.3000)."),
    )
    organization = forms.ModelChoiceField(
        label=_("Ecosystem actor"), queryset=Actor.objects.none(), required=False
    )
    sessions = forms.ModelMultipleChoiceField(
        label=_("Listening sessions where residents named it"),
        queryset=ListeningSession.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    named_in_sessions = forms.BooleanField(
        label=_("Residents named it in a listening session not recorded here"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)  # fmt: skip

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county: Any = self.fields["county_code"]
        county.choices = [("", _("— none —")), *selectors.county_choices(coalition=coalition)]
        organization: Any = self.fields["organization"]
        organization.queryset = selectors.list_actors(coalition=coalition)
        sessions: Any = self.fields["sessions"]
        sessions.queryset = ListeningSession.objects.filter(coalition=coalition).order_by(
            "-held_on", "id"
        )
        sessions.label_from_instance = lambda s: f"{s.title} ({s.place}, {s.held_on.isoformat()})"
        _fast_selects(self)

    @staticmethod
    def initial_for(asset: Asset) -> dict[str, Any]:
        return {
            "name": asset.name,
            "category": asset.category,
            "county_code": asset.county_code,
            "neighborhood": asset.neighborhood,
            "latitude": asset.latitude,
            "longitude": asset.longitude,
            "organization": asset.organization_id,
            "named_in_sessions": asset.named_in_sessions,
            "sessions": [s.pk for s in asset.sessions.all()],
            "notes": asset.notes,
            "version": asset.version,
        }

    def fields_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class LayerForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Equity layer"), queryset=Indicator.objects.none())
    group = forms.ChoiceField(label=_("Group"), choices=())

    def __init__(
        self, *args: Any, coalition: Coalition, groups: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        indicator: Any = self.fields["indicator"]
        indicator.queryset = selectors.layer_indicators(coalition=coalition)
        indicator.label_from_instance = lambda i: i.label
        group: Any = self.fields["group"]
        group.choices = groups
        _fast_selects(self)


class ActorAssetsForm(forms.Form):
    county_code = forms.ChoiceField(label=_("Place them first in"))

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county: Any = self.fields["county_code"]
        county.choices = selectors.county_choices(coalition=coalition)
        _fast_selects(self)


class CommitmentForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Anchor institution"), queryset=Actor.objects.none()
    )
    kind = forms.ChoiceField(label=_("Commitment"), choices=Commitment.Kind.choices)
    measure = forms.CharField(
        label=_("Measure"),
        max_length=200,
        help_text=_("What is counted, e.g. “share of new hires who live in the six counties”."),
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=40, required=False, help_text=_("%, $, people…")
    )
    baseline = forms.FloatField(label=_("Baseline"), required=False)
    target_value = forms.FloatField(label=_("Target"))
    target_period = forms.CharField(
        label=_("Target period"), max_length=40, help_text=_("When the target is due, e.g. 2027.")
    )
    description = forms.CharField(
        label=_("What it commits to"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)  # fmt: skip

    def __init__(self, *args: Any, coalition: Coalition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institution: Any = self.fields["institution"]
        institution.queryset = selectors.list_actors(coalition=coalition)
        _fast_selects(self)

    @staticmethod
    def initial_for(c: Commitment) -> dict[str, Any]:
        return {
            "institution": c.institution_id,
            "kind": c.kind,
            "measure": c.measure,
            "unit": c.unit,
            "baseline": c.baseline,
            "target_value": c.target_value,
            "target_period": c.target_period,
            "description": c.description,
            "version": c.version,
        }

    def fields_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ProgressForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=40)
    value = forms.FloatField(label=_("Value"))
    note = forms.CharField(label=_("Note"), max_length=240, required=False)
