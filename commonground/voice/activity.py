"""How the activity log says what happened in community voice, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.coalitions import activity
from commonground.coalitions.activity import Entry, quote

activity.noun("Theme", gettext_lazy("theme"))
activity.noun("SurveyQuestion", gettext_lazy("survey question"))
activity.noun("SurveyWave", gettext_lazy("survey wave"))
activity.noun("AnswerSheet", gettext_lazy("anonymous survey answer"))
activity.noun("ListeningSession", gettext_lazy("listening session"))
activity.noun("Excerpt", gettext_lazy("coded excerpt"))
activity.noun("PriorityRound", gettext_lazy("priority ranking round"))
activity.noun("PriorityBallot", gettext_lazy("anonymous ranking"))
activity.noun("ChosenPriority", gettext_lazy("chosen priority"))
activity.noun("Training", gettext_lazy("training"))
activity.noun("Story", gettext_lazy("story"))


def _p(entry: Entry, key: str) -> str:
    return str(entry.params.get(key, ""))


@activity.renders("voice.theme_added")
def theme_added(entry: Entry) -> str:
    return _("Added the theme %(name)s to the codebook") % {"name": quote(_p(entry, "name"))}


@activity.renders("voice.theme_edited")
def theme_edited(entry: Entry) -> str:
    return _("Edited the theme %(name)s") % {"name": quote(_p(entry, "name"))}


@activity.renders("voice.question_added")
def question_added(entry: Entry) -> str:
    return _("Added the survey question %(text)s") % {"text": quote(_p(entry, "text"))}


@activity.renders("voice.question_asked_in_wave")
def question_asked_in_wave(entry: Entry) -> str:
    return _("Asked the new survey question %(text)s in the open wave %(title)s") % {
        "text": quote(_p(entry, "text")),
        "title": quote(_p(entry, "title")),
    }


@activity.renders("voice.wave_opened")
def wave_opened(entry: Entry) -> str:
    return _("Opened the survey wave %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("voice.wave_closed")
def wave_closed(entry: Entry) -> str:
    return _("Closed the survey wave %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("voice.survey_answered")
def survey_answered(entry: Entry) -> str:
    if entry.params.get("paper"):
        return _("Paper answers to %(title)s were typed in") % {"title": quote(_p(entry, "wave"))}
    return _("Someone answered %(title)s anonymously") % {"title": quote(_p(entry, "wave"))}


@activity.renders("voice.session_recorded")
def session_recorded(entry: Entry) -> str:
    return _("Recorded the listening session %(title)s in %(place)s") % {
        "title": quote(_p(entry, "title")),
        "place": _p(entry, "place"),
    }


@activity.renders("voice.session_edited")
def session_edited(entry: Entry) -> str:
    return _("Edited the listening session %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("voice.excerpt_coded")
def excerpt_coded(entry: Entry) -> str:
    themes = entry.params.get("themes") or []
    return _("Coded an excerpt of %(title)s as %(themes)s") % {
        "title": quote(_p(entry, "session")),
        "themes": ", ".join(quote(str(t)) for t in themes),
    }


@activity.renders("voice.excerpt_removed")
def excerpt_removed(entry: Entry) -> str:
    return _("Removed an excerpt of %(title)s") % {"title": quote(_p(entry, "session"))}


@activity.renders("voice.priority_round_opened")
def round_opened(entry: Entry) -> str:
    return _("Opened the priority ranking %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("voice.priority_round_closed")
def round_closed(entry: Entry) -> str:
    return _("Closed the priority ranking %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("voice.ballot_cast")
def ballot_cast(entry: Entry) -> str:
    return _("Someone ranked the priorities of %(title)s anonymously") % {
        "title": quote(_p(entry, "round"))
    }


@activity.renders("voice.priorities_chosen")
def priorities_chosen(entry: Entry) -> str:
    names = entry.params.get("names") or []
    return _("Chose the priorities %(names)s") % {"names": ", ".join(quote(str(n)) for n in names)}


@activity.renders("voice.training_recorded")
def training_recorded(entry: Entry) -> str:
    return _("Recorded the training %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("voice.training_edited")
def training_edited(entry: Entry) -> str:
    return _("Edited the training %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("voice.story_added")
def story_added(entry: Entry) -> str:
    return _("Added the story %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("voice.story_edited")
def story_edited(entry: Entry) -> str:
    return _("Edited the story %(title)s") % {"title": quote(_p(entry, "title"))}
