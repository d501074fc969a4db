"""Community voice's notices on the coalition home: an open survey wave or ranking round,
with the link to share (all members may share it; it needs no sign-in)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.coalitions.notices import Notice, register
from commonground.voice.models import PriorityRound, SurveyWave


@register(reads=("voice",))
def open_voice_rounds(coalition: Coalition, user: Any) -> Iterator[Notice]:
    with scope(coalition=coalition):
        waves = list(
            SurveyWave.objects.filter(coalition=coalition, status=SurveyWave.Status.OPEN)
            .annotate(answers=Count("responses"))
            .only("pk", "title")
        )
        rounds = list(
            PriorityRound.objects.filter(
                coalition=coalition, status=PriorityRound.Status.OPEN
            ).only("pk", "title")
        )
    for wave in waves:
        yield Notice(
            text=_("The collaboration survey “%(title)s” is open: share its link")
            % {"title": wave.title},
            url=reverse("voice:wave_results", args=[coalition.slug, wave.pk]),
            count=getattr(wave, "answers", None),
        )
    for round_ in rounds:
        yield Notice(
            text=_("Priorities are being ranked in “%(title)s”: share the link")
            % {"title": round_.title},
            url=reverse("voice:priorities", args=[coalition.slug]),
        )
