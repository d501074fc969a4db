"""Reads of the voice app; what other apps call returns plain data (dicts), never querysets.

Survey results are computed by ``voice.domain.results`` (suppressed, k = 5); nothing in
this module hands out an anonymous row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import get_language
from django_scopes import scope

from commonground.coalitions.models import Coalition, Membership
from commonground.ecosystem.domain.sectors import SECTORS
from commonground.voice.domain import instrument
from commonground.voice.domain.priorities import Ballot, GroupRanking, rank_by_group
from commonground.voice.domain.results import Sheet, WaveResults, change_between, wave_results
from commonground.voice.domain.scoring import ScaleDef
from commonground.voice.models import (
    AnswerSheet,
    ChosenPriority,
    Excerpt,
    ListeningSession,
    PriorityBallot,
    PriorityCandidate,
    PriorityRound,
    Story,
    StoryConsent,
    SurveyQuestion,
    SurveyWave,
    Theme,
    Training,
)

ROLE_TYPES = {
    Membership.Role.COMMUNITY_MEMBER: "community",
    Membership.Role.PARTNER: "partner",
    Membership.Role.BACKBONE_ADMIN: "backbone",
}


def _es() -> bool:
    return (get_language() or "en").startswith("es")


# ------------------------------------------------------------------ survey


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    scale: str
    text: str
    reverse: bool


def questions(*, wave: SurveyWave) -> list[Question]:
    """The wave's questions in the reader's language, grouped by scale."""
    language = get_language() or "en"
    custom = {q.item_id: q for q in SurveyQuestion.objects.filter(coalition=wave.coalition)}
    builtin = {item.id: item for item in instrument.ITEMS}
    out = []
    for item_id in wave.items:
        if item_id in builtin:
            item = builtin[item_id]
            out.append(
                Question(item.id, item.scale, instrument.item_text(item, language), item.reverse)
            )
        elif item_id in custom:
            q = custom[item_id]
            text = q.text_es if language.startswith("es") and q.text_es else q.text_en
            out.append(Question(item_id, q.scale, text, q.reverse))
    order = {scale: index for index, scale in enumerate(instrument.SCALE_IDS)}
    return sorted(out, key=lambda q: order.get(q.scale, 99))


def scale_defs(*, wave: SurveyWave) -> list[ScaleDef]:
    items: dict[str, list[str]] = defaultdict(list)
    reverse: set[str] = set()
    for question in questions(wave=wave):
        items[question.scale].append(question.id)
        if question.reverse:
            reverse.add(question.id)
    return [
        ScaleDef(scale, tuple(items[scale]), frozenset(reverse & set(items[scale])))
        for scale in instrument.SCALE_IDS
        if items.get(scale)
    ]


def invited_by_type(*, coalition: Coalition) -> dict[str, int]:
    counts = Counter(
        ROLE_TYPES[role]
        for role in Membership.objects.filter(coalition=coalition).values_list("role", flat=True)
        if role in ROLE_TYPES
    )
    return dict(counts)


def sheets(*, wave: SurveyWave) -> list[Sheet]:
    return [
        Sheet(
            member_type=row["member_type"],
            answers=row["answers"],
            is_paper=row["is_paper"],
            sector=row["sector"],
            years=row["years"],
        )
        for row in AnswerSheet.objects.filter(wave=wave).values(
            "member_type", "answers", "is_paper", "sector", "years"
        )
    ]


_RESULTS: dict[tuple[Any, ...], WaveResults] = {}
_RESULTS_KEPT = 64


def results(*, wave: SurveyWave) -> WaveResults:
    """The wave's published results (suppressed).

    Answer sheets are never edited or deleted one by one, so a wave's results change only
    when a sheet is added (sheets have random ids), the wave's items or invited count
    change, or the membership does: those make the key of a small in-process memo.
    """
    by_type = invited_by_type(coalition=wave.coalition)
    invited = wave.invited if wave.invited is not None else sum(by_type.values())
    key = (
        wave.pk,
        wave.coalition_id,
        hash(tuple(sorted(AnswerSheet.objects.filter(wave=wave).values_list("id", flat=True)))),
        tuple(wave.items),
        invited,
        tuple(sorted(by_type.items())) if wave.invited is None else (),
        get_language() or "en",
    )
    found = _RESULTS.get(key)
    if found is None:
        if len(_RESULTS) >= _RESULTS_KEPT:
            _RESULTS.clear()
        found = _RESULTS[key] = _compute(wave, invited, by_type)
    return found


def _compute(wave: SurveyWave, invited: int, by_type: dict[str, int]) -> WaveResults:
    return wave_results(
        sheets(wave=wave),
        scale_defs(wave=wave),
        invited=invited or None,
        invited_by_type=by_type if wave.invited is None else None,
        attributes={
            "sector": [s.id for s in SECTORS],
            "years": list(AnswerSheet.Years.values),
        },
    )


def comments(*, wave: SurveyWave, results: WaveResults) -> list[str]:
    """Open comments, only when the whole wave is shown (k or more), in alphabetical order."""
    overall = results.scales[0].views["overall"] if results.scales else None
    if overall is None or overall.suppressed or results.respondents < results.min_group_size:
        return []
    return sorted(
        c for c in AnswerSheet.objects.filter(wave=wave).values_list("comment", flat=True) if c
    )


def waves(*, coalition: Coalition) -> list[SurveyWave]:
    return list(
        SurveyWave.objects.filter(coalition=coalition)
        .annotate(answers=Count("responses"))
        .order_by("-number")
    )


def wave_change(*, coalition: Coalition) -> dict[str, Any] | None:
    """Scale means of the two latest waves and the change (None where hidden)."""
    found = list(SurveyWave.objects.filter(coalition=coalition).order_by("-number")[:2])
    if len(found) < 2:
        return None
    later, earlier = found
    before, after = results(wave=earlier), results(wave=later)
    return {
        "earlier": earlier,
        "later": later,
        "rows": [
            {
                "scale": scale.scale,
                "name": instrument.scale_name(scale.scale, get_language() or "en"),
                "before": before.scale(scale.scale).views["overall"].mean
                if any(s.scale == scale.scale for s in before.scales)
                else None,
                "after": scale.views["overall"].mean,
                "change": change_between(before, after).get(scale.scale),
            }
            for scale in after.scales
        ],
    }


def survey_headline(*, coalition: Coalition) -> dict[str, Any] | None:
    """The latest wave's response rate and scale means (suppressed values None)."""
    with scope(coalition=coalition):
        wave = SurveyWave.objects.filter(coalition=coalition).order_by("-number").first()
        if wave is None:
            return None
        result = results(wave=wave)
    return {
        "wave": wave.title,
        "respondents": result.respondents,
        "invited": result.invited,
        "response_rate": result.response_rate,
        "synthetic": wave.is_synthetic,
        "scales": {
            scale.scale: {
                "mean": scale.views["overall"].mean,
                "community": scale.views["community"].mean,
                "institutional": scale.views["institutional"].mean,
                "voice_gap": scale.voice_gap,
                "alpha": scale.alpha,
            }
            for scale in result.scales
        },
    }


# ------------------------------------------------------------------ listening and themes


def sessions(*, coalition: Coalition) -> list[ListeningSession]:
    return list(
        ListeningSession.objects.filter(coalition=coalition)
        .select_related("host")
        .annotate(excerpt_count=Count("excerpts"))
        .order_by("-held_on", "-id")
    )


def theme_counts(*, coalition: Coalition) -> dict[str, Any]:
    """Coded excerpts per theme, and per theme by place and by topic."""
    rows = list(
        Excerpt.themes.through.objects.filter(theme__coalition=coalition).values_list(
            "theme_id", "excerpt__session__place", "excerpt__session__topic"
        )
    )
    total = Counter(theme for theme, _place, _topic in rows)
    by_place: dict[int, Counter[str]] = defaultdict(Counter)
    by_topic: dict[int, Counter[str]] = defaultdict(Counter)
    for theme, place, topic in rows:
        by_place[theme][place] += 1
        by_topic[theme][topic] += 1
    places = sorted({place for _t, place, _p in rows})
    topics = sorted({topic for _t, _p, topic in rows})
    return {
        "total": total,
        "by_place": by_place,
        "by_topic": by_topic,
        "places": places,
        "topics": topics,
    }


def codebook(*, coalition: Coalition) -> list[Theme]:
    return list(
        Theme.objects.filter(coalition=coalition).prefetch_related("priority_areas", "indicators")
    )


def themes(*, coalition: Coalition) -> list[dict[str, Any]]:
    """Every theme of the codebook: {"id", "name", "count" (coded excerpts), "url"}."""
    with scope(coalition=coalition):
        counts = theme_counts(coalition=coalition)["total"]
        found = list(Theme.objects.filter(coalition=coalition))
    url = reverse("voice:codebook", args=[coalition.slug])
    return [
        {"id": t.pk, "name": t.name, "count": counts.get(t.pk, 0), "url": f"{url}#theme-{t.pk}"}
        for t in found
    ]


def places_named_in_sessions(*, coalition: Coalition) -> list[dict[str, Any]]:
    """One dict per place named by a listening session:
    {"place": str, "county": str, "sessions": int, "residents_reached": int,
    "session_ids": [int], "url": str} (sorted by place)."""
    with scope(coalition=coalition):
        found = list(
            ListeningSession.objects.filter(coalition=coalition).values(
                "pk", "place", "county", "residents_reached"
            )
        )
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    url = reverse("voice:sessions", args=[coalition.slug])
    for row in found:
        entry = grouped.setdefault(
            (row["place"], row["county"]),
            {
                "place": row["place"],
                "county": row["county"],
                "sessions": 0,
                "residents_reached": 0,
                "session_ids": [],
                "url": url,
            },
        )
        entry["sessions"] += 1
        entry["residents_reached"] += row["residents_reached"]
        entry["session_ids"].append(row["pk"])
    return sorted(grouped.values(), key=lambda e: (e["place"], e["county"]))


def responses_to_themes(
    *, coalition: Coalition, theme_ids: list[int]
) -> dict[int, list[dict[str, Any]]]:
    """Governance's decisions and actions answering each theme ({} until governance exists)."""
    if not apps.is_installed("commonground.governance"):
        return {}
    try:
        from commonground.governance import selectors as governance
    except ImportError:
        return {}
    reader = getattr(governance, "responses_to_themes", None)
    if reader is None:
        return {}
    found: dict[int, list[dict[str, Any]]] = reader(coalition=coalition, theme_ids=theme_ids)
    return found


def heard_and_done(*, coalition: Coalition) -> list[dict[str, Any]]:
    """Each theme with its count, its places, and the decisions and actions that answered it."""
    listed = themes(coalition=coalition)
    with scope(coalition=coalition):
        counts = theme_counts(coalition=coalition)
    answered = responses_to_themes(coalition=coalition, theme_ids=[t["id"] for t in listed])
    rows = [
        {
            **theme,
            "places": sorted(counts["by_place"].get(theme["id"], {})),
            "responses": answered.get(theme["id"], []),
        }
        for theme in listed
    ]
    return sorted(rows, key=lambda r: (-r["count"], r["name"]))


# ------------------------------------------------------------------ priorities


def priority_rounds(*, coalition: Coalition) -> list[PriorityRound]:
    return list(
        PriorityRound.objects.filter(coalition=coalition)
        .prefetch_related(
            Prefetch("candidates", queryset=PriorityCandidate.objects.select_related("indicator"))
        )
        .annotate(ballot_count=Count("ballots"))
        .order_by("-opened_on", "-id")
    )


def round_rankings(*, round_: PriorityRound) -> dict[str, GroupRanking]:
    candidates = [c.pk for c in round_.candidates.all()]
    ballots = [
        Ballot(group=row["group"], ranking=tuple(row["ranking"]), is_paper=row["is_paper"])
        for row in PriorityBallot.objects.filter(round=round_).values(
            "group", "ranking", "is_paper"
        )
    ]
    return rank_by_group(ballots, candidates)


def side_by_side(*, round_: PriorityRound) -> dict[str, Any]:
    """Both groups' rankings, with candidate names, in rows of one table."""
    names = {c.pk: c for c in round_.candidates.all()}
    rankings = round_rankings(round_=round_)
    rows = []
    for candidate in names.values():
        row: dict[str, Any] = {"candidate": candidate}
        for group, ranking in rankings.items():
            found = next((r for r in ranking.ranking if r.candidate == candidate.pk), None)
            row[group] = found
        rows.append(row)
    residents = rankings["residents"]

    def key(row: dict[str, Any]) -> tuple[int, str]:
        mine = row["residents"]
        return (mine.rank if mine else 999, row["candidate"].name)

    return {
        "rankings": rankings,
        "rows": sorted(rows, key=key) if not residents.suppressed else rows,
    }


def chosen_priorities(*, coalition: Coalition) -> list[dict[str, Any]]:
    """The coalition's chosen priorities: {"id", "name", "rank"}."""
    with scope(coalition=coalition):
        return [
            {"id": p.pk, "name": p.name, "rank": p.rank}
            for p in ChosenPriority.objects.filter(coalition=coalition)
        ]


def gap_candidates(*, coalition: Coalition, limit: int = 3) -> list[dict[str, Any]]:
    """The equity dashboard's largest gaps (index of disparity), as candidate focus areas.

    Kept for five minutes in the cache: the gaps change only with a data import.
    """
    key = f"voice:gaps:{coalition.pk}:{limit}:{get_language() or 'en'}"
    found: list[dict[str, Any]] | None = cache.get(key)
    if found is None:
        found = _gap_candidates(coalition, limit)
        cache.set(key, found, 300)
    return found


def _gap_candidates(coalition: Coalition, limit: int) -> list[dict[str, Any]]:
    from commonground.measurement import selectors as measurement

    counties = measurement.served_counties(coalition=coalition)
    if not counties:
        return []
    found: list[dict[str, Any]] = []
    for summary in measurement.key_gaps(coalition=coalition, counties=counties):
        worst = max(
            (p for p in summary.places if p.index_of_disparity is not None),
            key=lambda p: p.index_of_disparity or 0,
            default=None,
        )
        if worst is not None:
            found.append(
                {
                    "indicator_id": summary.indicator.pk,
                    "name": summary.indicator.label,
                    "index": worst.index_of_disparity,
                    "detail": str(worst.summary),
                }
            )
    return sorted(found, key=lambda f: -float(f["index"] or 0))[:limit]


# ------------------------------------------------------------------ capacity and stories


def trainings(*, coalition: Coalition) -> list[Training]:
    return list(Training.objects.filter(coalition=coalition).select_related("host"))


def stories(*, coalition: Coalition, public_only: bool = False) -> list[Story]:
    found = (
        Story.objects.filter(coalition=coalition)
        .select_related("priority_area")
        .prefetch_related("partners", Prefetch("consents", queryset=StoryConsent.objects.all()))
        .defer("photo")
    )
    if public_only:
        found = found.filter(is_public=True)
    return [
        story
        for story in found
        if not public_only or all(consent.consented for consent in story.consents.all())
    ]
