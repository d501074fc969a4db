"""The voice app's report sections and shared measure (commonground.reports.registry).

Data is plain JSON, suppressed (hidden values are None) and names no respondent; the
stories section lists only stories everyone named or shown in has consented to.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.reports.registry import (
    Measure,
    Period,
    Section,
    register_measure,
    register_section,
)
from commonground.voice import selectors
from commonground.voice.domain import instrument
from commonground.voice.models import SurveyWave


def _latest_wave(coalition: Coalition, period: Period | None) -> SurveyWave | None:
    found = SurveyWave.objects.filter(coalition=coalition)
    if period is not None:
        found = found.filter(opened_on__lte=period.end)
    return found.order_by("-number").first()


def build_survey(coalition: Coalition, period: Period) -> dict[str, Any]:
    language = get_language() or "en"
    with scope(coalition=coalition):
        wave = _latest_wave(coalition, period)
        if wave is None:
            return {"wave": None, "scales": [], "tables": []}
        result = selectors.results(wave=wave)
    scales = [
        {
            "scale": s.scale,
            "name": instrument.scale_name(s.scale, language),
            "mean": s.views["overall"].mean,
            "community": s.views["community"].mean,
            "institutional": s.views["institutional"].mean,
            "voice_gap": s.voice_gap,
            "alpha": s.alpha,
        }
        for s in result.scales
    ]
    return {
        "wave": wave.title,
        "synthetic": wave.is_synthetic,
        "respondents": result.respondents,
        "invited": result.invited,
        "response_rate": result.response_rate,
        "scales": scales,
        "tables": [
            {
                "title": "Collaboration survey",
                "columns": ["scale", "everyone", "community", "institutions", "voice_gap", "alpha"],
                "rows": [
                    [
                        s["name"],
                        s["mean"],
                        s["community"],
                        s["institutional"],
                        s["voice_gap"],
                        s["alpha"],
                    ]
                    for s in scales
                ],
            }
        ],
    }


def build_heard(coalition: Coalition, period: Period) -> dict[str, Any]:
    rows = selectors.heard_and_done(coalition=coalition)
    themes = [
        {
            "name": r["name"],
            "count": r["count"],
            "places": r["places"],
            "responses": [
                {
                    "kind": x["kind"],
                    "title": x["title"],
                    "date": str(x.get("date") or ""),
                    "status": str(x.get("status") or ""),
                }
                for x in r["responses"]
            ],
        }
        for r in rows
    ]
    places = selectors.places_named_in_sessions(coalition=coalition)
    return {
        "themes": themes,
        "sessions": sum(p["sessions"] for p in places),
        "residents_reached": sum(p["residents_reached"] for p in places),
        "tables": [
            {
                "title": "What we heard, what we did",
                "columns": ["theme", "excerpts", "responses"],
                "rows": [
                    [t["name"], t["count"], "; ".join(x["title"] for x in t["responses"])]
                    for t in themes
                ],
            }
        ],
    }


def build_stories(coalition: Coalition, period: Period) -> dict[str, Any]:
    with scope(coalition=coalition):
        found = [
            s
            for s in selectors.stories(coalition=coalition, public_only=True)
            if period.start <= s.happened_on <= period.end
        ]
        stories = [
            {
                "title": s.title,
                "date": s.happened_on.isoformat(),
                "figure": s.figure,
                "body": s.body,
                "priority_area": s.priority_area.name if s.priority_area else "",
                "partners": [p.name for p in s.partners.all()],
            }
            for s in found
        ]
    return {"stories": stories}


def survey_response_rate(coalition: Coalition) -> float | None:
    headline = selectors.survey_headline(coalition=coalition)
    return None if headline is None else headline["response_rate"]


register_section(
    Section(
        key="voice.survey",
        title=gettext_lazy("How partners and residents see the collaboration"),
        build=build_survey,
        template="voice/report_survey.html",
        order=62,
        reads=("voice",),
    )
)
register_section(
    Section(
        key="voice.heard",
        title=gettext_lazy("What we heard, what we did"),
        build=build_heard,
        template="voice/report_heard.html",
        order=63,
        reads=("voice", "assessments", "governance"),
    )
)
register_section(
    Section(
        key="voice.stories",
        title=gettext_lazy("Stories of small wins"),
        build=build_stories,
        template="voice/report_stories.html",
        order=64,
        reads=("voice", "ecosystem", "measurement"),
    )
)
register_measure(
    Measure(
        key="voice.survey_response_rate",
        label=gettext_lazy("Collaboration survey response rate"),
        compute=survey_response_rate,
        kind="share",
    )
)
