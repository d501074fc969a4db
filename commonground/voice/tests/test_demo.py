"""The demo seed: two labelled synthetic waves, a tour across counties, codes, priorities."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.voice import demo_data, selectors
from commonground.voice.models import AnswerSheet, Excerpt, ListeningSession, SurveyWave


def test_seed_river_region_tells_the_whole_story(world: Any) -> None:
    demo_data.seed_river_region(world.a)
    with scope(coalition=world.a):
        waves = list(SurveyWave.objects.order_by("number"))
        assert [w.is_synthetic for w in waves] == [True, True]
        assert AnswerSheet.objects.filter(wave=waves[0]).count() == 33
        first = selectors.results(wave=waves[0])
        assert first.invited == 251 and f"{first.response_rate:.0%}" == "13%"
        sessions = ListeningSession.objects.all()
        assert sessions.count() == 8 and len({s.county for s in sessions}) == 6
        assert Excerpt.objects.count() == 16
    assert [p["name"] for p in selectors.chosen_priorities(coalition=world.a)] == [
        "Transportation to care",
        "Housing conditions",
        "Language access",
    ]
    assert Coalition.objects.get(pk=world.a.pk).focus_areas[0] == "Transportation to care"
    latest = selectors.survey_headline(coalition=world.a)
    assert latest is not None and latest["scales"]["influence"]["voice_gap"] < 0
