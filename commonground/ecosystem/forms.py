"""Forms of the ecosystem pages; they parse input, the services validate and write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from commonground import framework
from commonground.ecosystem.domain.ratings import DIMENSION_NAMES
from commonground.ecosystem.domain.sectors import POPULATIONS, SECTORS
from commonground.ecosystem.models import RATING_FIELDS, Actor, Contribution, Tie
from commonground.ecosystem.services import TieAnswer


def sector_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [(s.id, s.name.get(language)) for s in SECTORS]


def role_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [(r.id, r.name.get(language)) for r in framework.ROLES]


def population_choices() -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [(p.id, p.name.get(language)) for p in POPULATIONS]


def rating_label(dimension: str) -> str:
    return DIMENSION_NAMES[dimension].get(get_language() or "en")


def version_field() -> forms.IntegerField:
    """The hidden version an edit form sends back; missing means the form was not ours."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": gettext_lazy(
                "This form came without the version of the record it edits, so nothing was "
                "saved. Reload the page and make the change again."
            ),
            "invalid": gettext_lazy("The form's version is damaged. Reload the page."),
            "min_value": gettext_lazy("The form's version is damaged. Reload the page."),
        },
    )


class VersionedForm(forms.Form):
    """An edit form of a shared record: sends the version its editor saw (``version``).

    ``versioned=False`` drops the field (a form that creates a record). A form that sends
    nothing is invalid (the version and the required fields are missing), so it can never
    blank a record.
    """

    version = version_field()

    def __init__(self, *args: Any, versioned: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not versioned:
            del self.fields["version"]

    def non_field_error_list(self) -> list[str]:
        """Errors to show above the fields (the hidden version's own errors included)."""
        return [*self.non_field_errors(), *self.errors.get("version", [])]


class ActorForm(VersionedForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Actor.Kind.choices)
    sector_id = forms.ChoiceField(label=gettext_lazy("Sector"))
    role_ids = forms.MultipleChoiceField(
        label=gettext_lazy("Roles it plays"), required=False, widget=forms.CheckboxSelectMultiple
    )
    geographic_scale = forms.ChoiceField(
        label=gettext_lazy("Geographic scale"), choices=Actor.Scale.choices
    )
    is_community_led = forms.BooleanField(label=gettext_lazy("Community-led"), required=False)
    population_ids = forms.MultipleChoiceField(
        label=gettext_lazy("Populations served"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contribution_ids = forms.MultipleChoiceField(
        label=gettext_lazy("What it contributes"),
        required=False,
        choices=Contribution.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    is_coalition_member = forms.BooleanField(
        label=gettext_lazy("Member of the coalition"), required=False
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contact name"), required=False, max_length=160
    )
    contact_email = forms.EmailField(label=gettext_lazy("Contact e-mail"), required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone"), required=False, max_length=40
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector_id"].choices = sector_choices()  # type: ignore[attr-defined]
        self.fields["role_ids"].choices = role_choices()  # type: ignore[attr-defined]
        self.fields["population_ids"].choices = population_choices()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, actor: Actor) -> dict[str, Any]:
        return {name: getattr(actor, name) for name in cls.base_fields}

    def actor_fields(self) -> dict[str, Any]:
        """The cleaned actor fields (the version left out)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class TieEditForm(VersionedForm):
    """Change a backbone-entered tie: its types, intensity and frequency (not its ends)."""

    type_ids = forms.MultipleChoiceField(
        label=gettext_lazy("Types"),
        choices=Tie.Type.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    intensity = forms.TypedChoiceField(
        label=gettext_lazy("Intensity"), choices=Tie.Intensity.choices, coerce=int
    )
    frequency = forms.ChoiceField(
        label=gettext_lazy("Frequency"),
        choices=[("", "–"), *Tie.Frequency.choices],
        required=False,
    )

    @classmethod
    def initial_for(cls, tie: Tie) -> dict[str, Any]:
        return {name: getattr(tie, name) for name in cls.base_fields}


class TieForm(forms.Form):
    from_actor = forms.TypedChoiceField(label=gettext_lazy("From"), coerce=int)
    to_actor = forms.TypedChoiceField(label=gettext_lazy("To"), coerce=int)
    type_ids = forms.MultipleChoiceField(
        label=gettext_lazy("Types"),
        choices=Tie.Type.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    intensity = forms.TypedChoiceField(
        label=gettext_lazy("Intensity"), choices=Tie.Intensity.choices, coerce=int
    )
    frequency = forms.ChoiceField(
        label=gettext_lazy("Frequency"),
        choices=[("", "–"), *Tie.Frequency.choices],
        required=False,
    )

    def __init__(self, *args: Any, actors: Iterable[Actor] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(a.pk, a.name) for a in actors]
        self.fields["from_actor"].choices = choices  # type: ignore[attr-defined]
        self.fields["to_actor"].choices = choices  # type: ignore[attr-defined]


class SurveyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=160)
    actor_ids = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Partners to invite"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    send_email = forms.BooleanField(
        label=gettext_lazy("E-mail each partner its link now"),
        help_text=gettext_lazy(
            "To the partner's contact e-mail and to the members who answer for it, each in "
            "their own language. Partners without an address get their link on the next page."
        ),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_send_email-help"}),
    )

    def __init__(self, *args: Any, actors: Iterable[Actor] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor_ids"].choices = [(a.pk, a.name) for a in actors]  # type: ignore[attr-defined]


class SnapshotForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the snapshot"), max_length=160)


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[
            ("actors", gettext_lazy("Actors (one row each; Kumu “Elements” sheets work)")),
            ("ties", gettext_lazy("Ties (From and To columns; Kumu “Connections” sheets work)")),
        ],
    )
    file = forms.FileField(
        label=gettext_lazy("CSV or Excel file"),
        help_text=gettext_lazy("Up to 10 MB. Several values in one cell are separated by “|”."),
    )


# The intensity scale of the network survey, explained in plain words on the form.
INTENSITY_MEANINGS: Mapping[int, Any] = {
    Tie.Intensity.AWARENESS: gettext_lazy(
        "You know each other and what each does, but you do not work together yet."
    ),
    Tie.Intensity.COOPERATION: gettext_lazy(
        "You share information and refer people to each other; each keeps its own work."
    ),
    Tie.Intensity.COORDINATION: gettext_lazy(
        "You plan and adjust your work together: joint events, aligned schedules, agreed referrals."
    ),
    Tie.Intensity.INTEGRATION: gettext_lazy(
        "You work as one on something: shared staff, money or programs, or a formal agreement."
    ),
}
# What each 1-4 rating asks about the partner.
RATING_QUESTIONS: Mapping[str, Any] = {
    "reliability": gettext_lazy("They do what they say they will do."),
    "mission_support": gettext_lazy("They share and support the coalition's mission."),
    "openness": gettext_lazy("They are open to talking things through, even when you disagree."),
    "power_influence": gettext_lazy("They can make things happen in the community."),
    "involvement": gettext_lazy("They take an active part in the shared work."),
    "resource_contribution": gettext_lazy(
        "They bring money, staff, data, space or other resources."
    ),
}
RATING_SCALE: Mapping[int, Any] = {
    1: gettext_lazy("not at all"),
    2: gettext_lazy("a little"),
    3: gettext_lazy("fairly"),
    4: gettext_lazy("very much"),
}


def parse_int(value: str | None, *, low: int, high: int) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if low <= number <= high else None


def parse_survey_answers(
    data: QueryDict, partner_ids: Mapping[int, str]
) -> tuple[list[TieAnswer], list[str]]:
    """Read the rating step of the survey form: fields ``p<id>-<name>`` per chosen partner.

    Return the answers and the problems found (each naming the partner and the field).
    """
    answers: list[TieAnswer] = []
    problems: list[str] = []
    for raw in data.getlist("partner"):
        try:
            partner_id = int(raw)
        except ValueError:
            continue
        if partner_id not in partner_ids:
            problems.append(_("A partner you chose is not on the list."))
            continue
        name = partner_ids[partner_id]
        prefix = f"p{partner_id}-"
        intensity = parse_int(data.get(prefix + "intensity"), low=1, high=4)
        if intensity is None:
            problems.append(_("%(name)s: choose how closely you work together.") % {"name": name})
            continue
        ratings: dict[str, int] = {}
        for dimension in RATING_FIELDS:
            raw_rating = data.get(prefix + dimension, "")
            if raw_rating:
                rating = parse_int(raw_rating, low=1, high=4)
                if rating is None:
                    problems.append(
                        _("%(name)s: %(field)s must be 1 to 4.")
                        % {"name": name, "field": rating_label(dimension)}
                    )
                    continue
                ratings[dimension] = rating
        types = tuple(t for t in data.getlist(prefix + "types") if t in Tie.Type.values)
        frequency = data.get(prefix + "frequency", "")
        answers.append(
            TieAnswer(
                partner_id=partner_id,
                type_ids=types,
                intensity=intensity,
                frequency=frequency if frequency in Tie.Frequency.values else "",
                ratings=ratings,
            )
        )
    return answers, problems
