from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.measurement.models import ImportJob

PLACE_KINDS = [
    ("county", _("Counties (5-digit FIPS)")),
    ("state", _("States (2-digit FIPS)")),
    ("tract", _("Census tracts (11-digit)")),
    ("zip", _("ZIP codes")),
    ("neighborhood", _("Our own neighborhoods (names as written)")),
]


class UploadForm(forms.Form):
    """The import wizard's first step: only the file. What it holds is read from it."""

    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV, or Excel (.xlsx) for a tidy file. At most 10 MB. CommonGround reads its "
            "columns to tell what kind of file it is, and shows you what will be stored "
            "before anything is imported."
        ),
    )


class ImportOptionsForm(forms.Form):
    """The wizard's second step: what the file is (detected, and changeable). The states to
    keep are two radio buttons of the template.

    Only drawn: the choices are checked by ``services.preview_import``, which names the
    field of each problem.
    """

    layout = forms.ChoiceField(
        label=_("Layout"),
        choices=[("", _("— choose —")), *ImportJob.Layout.choices],
        required=False,
    )
    period = forms.CharField(
        label=_("Period (the years the data describe)"),
        required=False,
        max_length=40,
        help_text=_("e.g. 2020-2022. Needed only when the file does not say it."),
    )
    indicator_code = forms.CharField(
        label=_("Indicator code"),
        required=False,
        max_length=80,
        help_text=_("Needed only when the file does not say it (e.g. v037 for low birthweight)."),
    )
    place_type = forms.ChoiceField(
        label=_("Kind of place (tidy files)"), choices=PLACE_KINDS, required=False
    )


class MeasureValueForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=40)
    value = forms.FloatField(label=_("Value"))

    def clean(self) -> dict[str, Any]:
        return super().clean() or {}


class TargetForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    place_code = forms.ChoiceField(label=_("Place"))
    kind = forms.ChoiceField(
        label=_("Kind of target"),
        choices=[
            ("gap", _("Shrink the gap between two groups")),
            ("place_gap", _("Shrink the gap between two places")),
            ("value", _("Reach a value")),
        ],
    )
    reference_place = forms.ChoiceField(
        label=_("Compared with the place (gaps between places)"),
        required=False,
        help_text=_("The place the gap is measured from, e.g. the best-off neighborhood."),
    )
    group = forms.CharField(
        label=_("Group"),
        max_length=40,
        initial="total",
        help_text=_("e.g. black, or total (everyone; usual for gaps between places)"),
    )
    reference_group = forms.CharField(
        label=_("Compared with (gap targets)"),
        max_length=40,
        required=False,
        help_text=_("The group the gap is measured from, e.g. white."),
    )
    reduction_percent = forms.FloatField(
        label=_("Share of the gap to close (%)"),
        min_value=1,
        max_value=100,
        initial=50,
        required=False,
    )
    target_value = forms.FloatField(
        label=_("Value to reach (value targets)"),
        required=False,
        help_text=_("In the indicator's units as stored: proportions from 0 to 1."),
    )
    target_year = forms.IntegerField(label=_("By the year"), min_value=2000, max_value=2100)

    def __init__(
        self,
        *args: Any,
        indicators: list[tuple[int, str]],
        places: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicators  # type: ignore[attr-defined]
        self.fields["place_code"].choices = places  # type: ignore[attr-defined]
        self.fields["reference_place"].choices = [("", "—"), *places]  # type: ignore[attr-defined]


class TurnTheCurveForm(forms.Form):
    """The four notes, and the version of the result they were drawn from."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _(
                "This form came without the version of the notes it edits, so nothing was "
                "saved. Reload the page and try again."
            ),
            "invalid": _("The form's version is damaged. Reload the page."),
            "min_value": _("The form's version is damaged. Reload the page."),
        },
    )
    story_behind_curve = forms.CharField(
        label=_("The story behind the curve"), widget=forms.Textarea, required=False
    )
    partners = forms.CharField(
        label=_("Partners with a role to play (one a line)"), widget=forms.Textarea, required=False
    )
    what_works = forms.CharField(label=_("What works"), widget=forms.Textarea, required=False)
    action_items = forms.CharField(
        label=_("Action items (one a line)"), widget=forms.Textarea, required=False
    )


class ReleaseForm(forms.Form):
    """Release one period of an indicator (the explorer page draws one per period)."""

    period = forms.CharField(label=_("Period"), max_length=40)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class ReopenReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen this release?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
