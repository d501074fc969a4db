"""This app's rows of the access matrix (see commonground/tests/test_access_matrix.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django_scopes import scope

ADMIN, PARTNER, RESIDENT, VIEWER = "backbone_admin", "partner", "community_member", "viewer"
EVERYONE = frozenset({ADMIN, PARTNER, RESIDENT, VIEWER})
ADMINS = frozenset({ADMIN})

PAGES: dict[str, Any] = {
    "voice:index": EVERYONE,
    "voice:wave_open": ADMINS,
    "voice:question_add": ADMINS,
    "voice:wave_results": EVERYONE,
    "voice:wave_close": ADMINS,
    "voice:wave_paper": ADMINS,
    "voice:wave_export": EVERYONE,
    "voice:sessions": EVERYONE,
    "voice:session_new": ADMINS,
    "voice:session_detail": EVERYONE,
    "voice:session_edit": ADMINS,
    "voice:excerpt_add": ADMINS,
    "voice:excerpt_delete": ADMINS,
    "voice:codebook": EVERYONE,
    "voice:theme_new": ADMINS,
    "voice:theme_edit": ADMINS,
    "voice:heard": EVERYONE,
    "voice:priorities": EVERYONE,
    "voice:round_open": ADMINS,
    "voice:round_close": ADMINS,
    "voice:choose": ADMINS,
    "voice:trainings": EVERYONE,
    "voice:training_new": ADMINS,
    "voice:training_edit": ADMINS,
    "voice:stories": EVERYONE,
    "voice:story_new": ADMINS,
    "voice:story_edit": ADMINS,
    "voice:story_photo": EVERYONE,
    "voice:export": EVERYONE,
    "voice:respond": "public",
    "voice:rank": "public",
}
API: dict[str, Any] = {
    "list_voice_waves": EVERYONE,
    "get_voice_wave_results": EVERYONE,
    "add_voice_paper_sheet": ADMINS,
    "list_voice_sessions": EVERYONE,
    "create_voice_session": ADMINS,
    "code_voice_excerpt": ADMINS,
    "list_voice_themes": EVERYONE,
    "create_voice_theme": ADMINS,
    "update_voice_theme": ADMINS,
    "get_voice_priorities": EVERYONE,
    "set_voice_chosen_priorities": ADMINS,
    "list_voice_trainings": EVERYONE,
    "list_voice_stories": EVERYONE,
}
BODIES: dict[str, dict[str, Any]] = {
    "add_voice_paper_sheet": {"answers": {"tru1": 4}, "member_type": "partner"},
    "create_voice_session": {
        "title": "Session",
        "held_on": "2026-05-01",
        "place": "Downtown",
        "topic": "Access",
    },
    "code_voice_excerpt": {"text": "We need buses.", "theme_ids": []},
    "create_voice_theme": {"name": "Matrix theme"},
    "update_voice_theme": {"name": "Matrix theme 2", "version": 1},
    "set_voice_chosen_priorities": {"names": ["Transport"]},
}

# A 1x1 PNG.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def objects(coalition: Any) -> dict[str, Any]:
    """URL keyword -> an object of coalition made for the test (its id or key)."""
    from commonground.voice.models import (
        Excerpt,
        ListeningSession,
        PriorityCandidate,
        PriorityRound,
        Story,
        SurveyWave,
        Theme,
        Training,
    )

    today = datetime.date(2026, 5, 1)
    with scope(coalition=coalition):
        wave = SurveyWave.objects.create(
            coalition=coalition, title="Wave", number=1, opened_on=today, items=["tru1"]
        )
        session = ListeningSession.objects.create(
            coalition=coalition, title="Session", held_on=today, place="Park", topic="Access"
        )
        theme = Theme.objects.create(coalition=coalition, name=f"Theme {coalition.slug}")
        excerpt = Excerpt.objects.create(coalition=coalition, session=session, text="Quote")
        excerpt.themes.add(theme)
        round_ = PriorityRound.objects.create(coalition=coalition, title="Round", opened_on=today)
        for name in ("One", "Two"):
            PriorityCandidate.objects.create(coalition=coalition, round=round_, name=name)
        training = Training.objects.create(
            coalition=coalition, title="Training", topic="Data", held_on=today
        )
        story = Story.objects.create(
            coalition=coalition,
            title="Story",
            happened_on=today,
            body="Text",
            photo=PNG,
            photo_type="image/png",
        )
    return {
        "wave_id": wave.pk,
        "wave_token": wave.token,
        "session_id": session.pk,
        "excerpt_id": excerpt.pk,
        "theme_id": theme.pk,
        "round_id": round_.pk,
        "round_token": round_.token,
        "training_id": training.pk,
        "story_id": story.pk,
        "what": "listening",
    }
