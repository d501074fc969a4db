"""Tables for CSV/XLSX export: survey aggregates only (suppressed), never an answer sheet."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from commonground.voice import selectors
from commonground.voice.domain import instrument
from commonground.voice.models import SurveyWave

Sheet = tuple[str, list[str], list[list[Any]]]
VIEW_NAMES = ("overall", "community", "institutional", "partner", "backbone")


def survey_tables(wave: SurveyWave) -> list[Sheet]:
    """The wave's scales, distributions and response counts, as published (None = hidden)."""
    result = selectors.results(wave=wave)
    language = get_language() or "en"
    scales: list[list[Any]] = []
    for scale in result.scales:
        for view in VIEW_NAMES:
            stat = scale.views[view]
            scales.append(
                [
                    scale.scale,
                    instrument.scale_name(scale.scale, language),
                    view,
                    stat.n,
                    stat.mean,
                    stat.sd,
                    "yes" if stat.suppressed else "no",
                    scale.alpha if view == "overall" else None,
                    scale.voice_gap if view == "overall" else None,
                ]
            )
    distributions = [
        [
            dist.item,
            dist.answered,
            *[o.count for o in dist.options],
            *[o.share for o in dist.options],
        ]
        for dist in result.distributions
    ]
    counts = [[cell.key, cell.count, cell.invited, cell.rate] for cell in result.by_member_type]
    counts.append(["total", result.respondents, result.invited, result.response_rate])
    return [
        (
            "scales",
            ["scale", "name", "view", "n", "mean", "sd", "suppressed", "alpha", "voice_gap"],
            scales,
        ),
        (
            "distributions",
            [
                "item",
                "answered",
                "n_1",
                "n_2",
                "n_3",
                "n_4",
                "n_5",
                "share_1",
                "share_2",
                "share_3",
                "share_4",
                "share_5",
            ],
            distributions,
        ),
        ("response_rate", ["member_type", "respondents", "invited", "rate"], counts),
    ]


def listening_tables(coalition: Any) -> list[Sheet]:
    sessions = selectors.sessions(coalition=coalition)
    codebook = selectors.codebook(coalition=coalition)
    counts = selectors.theme_counts(coalition=coalition)
    return [
        (
            "sessions",
            [
                "title",
                "tour",
                "date",
                "place",
                "county",
                "topic",
                "languages",
                "host",
                "residents_reached",
                "supports",
                "excerpts",
            ],
            [
                [
                    s.title,
                    s.tour,
                    s.held_on,
                    s.place,
                    s.county,
                    s.topic,
                    " ".join(s.languages),
                    s.host.name if s.host else "",
                    s.residents_reached,
                    " ".join(s.supports),
                    getattr(s, "excerpt_count", 0),
                ]
                for s in sessions
            ],
        ),
        (
            "themes",
            ["theme", "description", "excerpts", "pillars", "priority_areas", "indicators"],
            [
                [
                    t.name,
                    t.description,
                    counts["total"].get(t.pk, 0),
                    " ".join(t.pillar_ids),
                    "; ".join(a.name for a in t.priority_areas.all()),
                    "; ".join(i.label for i in t.indicators.all()),
                ]
                for t in codebook
            ],
        ),
        (
            "themes_by_place",
            ["theme", "place", "excerpts"],
            [
                [t.name, place, count]
                for t in codebook
                for place, count in sorted(counts["by_place"].get(t.pk, {}).items())
            ],
        ),
    ]


def priority_tables(coalition: Any) -> list[Sheet]:
    rows: list[list[Any]] = []
    for round_ in selectors.priority_rounds(coalition=coalition):
        table = selectors.side_by_side(round_=round_)
        for row in table["rows"]:
            residents, institutions = row["residents"], row["institutions"]
            rows.append(
                [
                    round_.title,
                    row["candidate"].name,
                    row["candidate"].origin,
                    residents.rank if residents else None,
                    residents.points if residents else None,
                    institutions.rank if institutions else None,
                    institutions.points if institutions else None,
                ]
            )
    chosen = [[p["rank"], p["name"]] for p in selectors.chosen_priorities(coalition=coalition)]
    return [
        (
            "rankings",
            [
                "round",
                "candidate",
                "origin",
                "residents_rank",
                "residents_points",
                "institutions_rank",
                "institutions_points",
            ],
            rows,
        ),
        ("chosen", ["rank", "priority"], chosen),
    ]


def capacity_tables(coalition: Any) -> list[Sheet]:
    return [
        (
            "trainings",
            [
                "title",
                "kind",
                "topic",
                "audience",
                "host",
                "date",
                "community",
                "partner",
                "backbone",
                "total",
            ],
            [
                [
                    t.title,
                    t.kind,
                    t.topic,
                    t.audience,
                    t.host.name if t.host else "",
                    t.held_on,
                    t.community_participants,
                    t.partner_participants,
                    t.backbone_participants,
                    t.participants,
                ]
                for t in selectors.trainings(coalition=coalition)
            ],
        )
    ]


def story_tables(coalition: Any) -> list[Sheet]:
    return [
        (
            "stories",
            ["title", "date", "figure", "priority_area", "partners", "public", "story"],
            [
                [
                    s.title,
                    s.happened_on,
                    s.figure,
                    s.priority_area.name if s.priority_area else "",
                    "; ".join(p.name for p in s.partners.all()),
                    "yes" if s.is_public else "no",
                    s.body,
                ]
                for s in selectors.stories(coalition=coalition)
            ],
        )
    ]


TABLES = {
    "listening": listening_tables,
    "priorities": priority_tables,
    "capacity": capacity_tables,
    "stories": story_tables,
}
