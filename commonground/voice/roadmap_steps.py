"""Roadmap steps the voice app can tell: listening to the community, priorities set together,
a feedback loop (the collaboration survey run more than once)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.coalitions.roadmap import Step, register
from commonground.voice.models import ChosenPriority, ListeningSession, SurveyWave


@register(reads=("voice",))
def voice_steps(coalition: Coalition) -> Iterator[Step]:
    with scope(coalition=coalition):
        sessions = ListeningSession.objects.filter(coalition=coalition).count()
        chosen = ChosenPriority.objects.filter(coalition=coalition).count()
        waves = SurveyWave.objects.filter(coalition=coalition).count()
    slug = coalition.slug
    yield Step(
        chapter=1,
        label=_("Listen to residents: hold listening sessions and code what you heard"),
        key="voice.listening",
        is_done=sessions > 0,
        url=reverse("voice:sessions", args=[slug]),
        detail=ngettext("%(n)d session", "%(n)d sessions", sessions) % {"n": sessions},
    )
    yield Step(
        chapter=1,
        label=_("Set prioritized focus areas together with residents"),
        key="voice.priorities",
        is_done=chosen > 0,
        url=reverse("voice:priorities", args=[slug]),
        detail=ngettext("%(n)d priority chosen", "%(n)d priorities chosen", chosen) % {"n": chosen},
    )
    yield Step(
        chapter=4,
        label=_("Ask partners and residents how the collaboration works, every year"),
        key="voice.feedback",
        is_done=waves >= 2,
        url=reverse("voice:index", args=[slug]),
        detail=ngettext("%(n)d survey wave", "%(n)d survey waves", waves) % {"n": waves},
    )
