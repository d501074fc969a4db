"""Listening sessions and coding, priorities into focus areas, trainings, stories, evidence."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from commonground.coalitions import evidence
from commonground.coalitions.models import Coalition
from commonground.ecosystem.models import Actor
from commonground.reports.registry import Period, get_measure, get_section
from commonground.voice import selectors, services
from commonground.voice.models import ListeningSession, PriorityRound, Story, Theme
from commonground.voice.tests.matrix import PNG

TODAY = datetime.date(2026, 5, 1)


def session_data(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Tour stop",
        "held_on": "2026-05-01",
        "place": "Hayneville",
        "county": "Lowndes",
        "topic": "Transport",
        "residents_reached": "12",
        "languages": ["en", "es"],
        "supports": ["food", "childcare"],
        **changes,
    }


def test_admin_records_a_session_codes_two_excerpts_and_counts_change(world: Any) -> None:
    admin = world.client_for("admin")
    admin.post(
        "/c/valley-a/voice/codebook/new/", {"name": "Transportation", "pillar_ids": ["trust"]}
    )
    admin.post("/c/valley-a/voice/codebook/new/", {"name": "Housing <b>now</b>"})
    response = admin.post("/c/valley-a/voice/listening/new/", session_data())
    assert response.status_code == 302
    with scope(coalition=world.a):
        session = ListeningSession.objects.get()
        transport, housing = (
            Theme.objects.get(name="Transportation"),
            Theme.objects.get(name__startswith="Housing"),
        )
    assert session.supports == ["food", "childcare"] and session.residents_reached == 12
    url = f"/c/valley-a/voice/listening/{session.pk}/excerpts/"
    admin.post(url, {"text": "No bus after six.", "themes": [transport.pk]})
    admin.post(url, {"text": "Roof leaks.", "themes": [transport.pk, housing.pk]})
    counts = {t["name"]: t["count"] for t in selectors.themes(coalition=world.a)}
    assert counts == {"Transportation": 2, "Housing <b>now</b>": 1}
    page = admin.get("/c/valley-a/voice/codebook/").content.decode()
    assert "Housing &lt;b&gt;now&lt;/b&gt;" in page
    assert 'data-theme-count="Transportation">2<' in page
    # an excerpt without a theme is refused with the field named
    admin.post(url, {"text": "Nothing", "themes": []})
    assert selectors.themes(coalition=world.a)[1]["count"] == 2
    places = selectors.places_named_in_sessions(coalition=world.a)
    assert places[0]["place"] == "Hayneville" and places[0]["residents_reached"] == 12


def test_foreign_keys_into_another_coalition_are_refused(world: Any) -> None:
    with scope(coalition=world.b):
        other = Actor.objects.create(coalition=world.b, name="B clinic", sector_id="health_care")
        theme_b = Theme.objects.create(coalition=world.b, name="B theme")
    with scope(coalition=world.a), pytest.raises(ValidationError) as error:
        services.record_session(
            coalition=world.a,
            actor=world.people["admin"],
            data=services.SessionInput(
                title="x", held_on=TODAY, place="p", topic="t", host_id=other.pk
            ),
        )
    assert "host" in error.value.message_dict
    with scope(coalition=world.a):
        session = ListeningSession.objects.create(
            coalition=world.a, title="s", held_on=TODAY, place="p", topic="t"
        )
        with pytest.raises(ValidationError) as error:
            services.code_excerpt(session=session, actor=None, text="x", theme_ids=[theme_b.pk])
    assert "themes" in error.value.message_dict


def test_stale_edit_of_a_session_gets_409(world: Any) -> None:
    admin = world.client_for("admin")
    admin.post("/c/valley-a/voice/listening/new/", session_data())
    with scope(coalition=world.a):
        session = ListeningSession.objects.get()
    url = f"/c/valley-a/voice/listening/{session.pk}/edit/"
    assert admin.post(url, session_data(title="First", version="1")).status_code == 302
    assert admin.post(url, session_data(title="Second", version="1")).status_code == 409
    with scope(coalition=world.a):
        assert ListeningSession.objects.get().title == "First"


def test_residents_and_institutions_rank_side_by_side_and_choice_sets_focus_areas(
    world: Any,
) -> None:
    admin = world.client_for("admin")
    admin.post(
        "/c/valley-a/voice/priorities/open/",
        {"title": "Round", "proposed": "Transport\nHousing\nFood"},
    )
    with scope(coalition=world.a):
        round_ = PriorityRound.objects.get()
        ids = {c.name: c.pk for c in round_.candidates.all()}
    from django.test import Client

    public = Client()
    for _ in range(5):
        public.post(
            f"/voice/rank/{round_.token}/",
            {"group": "residents", f"c{ids['Transport']}": "1", f"c{ids['Housing']}": "2"},
        )
    for _ in range(4):
        public.post(
            f"/voice/rank/{round_.token}/", {"group": "institutions", f"c{ids['Food']}": "1"}
        )
    page = admin.get("/c/valley-a/voice/priorities/").content.decode()
    assert page.count('data-group="institutions"><span class="suppressed">') == 3
    data = admin.get("/api/coalitions/valley-a/voice/priorities").json()
    groups = data["rounds"][0]["groups"]
    assert groups["residents"]["ranking"][0]["name"] == "Transport"
    assert groups["residents"]["ranking"][0]["points"] == 15  # 5 ballots x 3 points
    assert groups["institutions"]["suppressed"] and groups["institutions"]["ranking"] == []
    public.post(f"/voice/rank/{round_.token}/", {"group": "institutions", f"c{ids['Food']}": "1"})
    groups = admin.get("/api/coalitions/valley-a/voice/priorities").json()["rounds"][0]["groups"]
    assert groups["institutions"]["ranking"][0]["name"] == "Food"
    admin.post("/c/valley-a/voice/priorities/choose/", {"chosen": "Transport\nHousing"})
    assert Coalition.objects.get(pk=world.a.pk).focus_areas == ["Transport", "Housing"]
    assert selectors.chosen_priorities(coalition=world.a) == [
        {
            "id": selectors.chosen_priorities(coalition=world.a)[0]["id"],
            "name": "Transport",
            "rank": 1,
        },
        {
            "id": selectors.chosen_priorities(coalition=world.a)[1]["id"],
            "name": "Housing",
            "rank": 2,
        },
    ]
    with scope(coalition=world.a):
        ids_found = {e.item_id for items in evidence.collect(world.a).values() for e in items}
    assert "scaling_infra_community_informed_agendas" in ids_found


def test_story_needs_consent_to_be_public_and_photo_rules(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = world.client_for("admin")
    base = {
        "title": "Rides",
        "happened_on": "2026-04-01",
        "body": "A win.",
        "is_public": "on",
        "photo_alt": "Van",
        "person": ["Ms. Varnum"],
        "appears": ["named"],
    }
    response = admin.post("/c/valley-a/voice/stories/new/", base)
    assert response.status_code == 200 and b"must consent" in response.content
    fake = SimpleUploadedFile("x.png", b"<?php echo 1; ?>", content_type="image/png")
    response = admin.post(
        "/c/valley-a/voice/stories/new/", {**base, "consented": ["0"], "photo": fake}
    )
    assert b"PNG or JPEG" in response.content
    photo = SimpleUploadedFile("x.png", PNG, content_type="image/png")
    assert (
        admin.post(
            "/c/valley-a/voice/stories/new/", {**base, "consented": ["0"], "photo": photo}
        ).status_code
        == 302
    )
    with scope(coalition=world.a):
        story = Story.objects.get()
    image = world.client_for("viewer").get(f"/c/valley-a/voice/stories/{story.pk}/photo/")
    assert image["Content-Type"] == "image/png" and image["X-Content-Type-Options"] == "nosniff"
    section = get_section("voice.stories")
    assert section is not None
    data = section.build(world.a, Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
    assert [s["title"] for s in data["stories"]] == ["Rides"]
    assert "Varnum" not in str([s.get("consents") for s in data["stories"]])


def test_training_and_measure(world: Any) -> None:
    admin = world.client_for("admin")
    admin.post(
        "/c/valley-a/voice/capacity/new/",
        {
            "title": "CHW basics",
            "topic": "BP",
            "held_on": "2026-03-01",
            "community_participants": "9",
        },
    )
    assert b"CHW basics" in admin.get("/c/valley-a/voice/capacity/").content
    with scope(coalition=world.a):
        ids = {e.item_id for items in evidence.collect(world.a).values() for e in items}
    assert "invest_in_capacity_sharing" in ids
    measure = get_measure("voice.survey_response_rate")
    assert measure is not None and measure.compute(world.a) is None


def test_roadmap_steps_and_home_notice(world: Any) -> None:
    from commonground.coalitions.roadmap import build_roadmap

    admin = world.client_for("admin")
    admin.post("/c/valley-a/voice/survey/open/", {"title": "Wave <i>one</i>"})
    home = admin.get("/c/valley-a/").content.decode()
    assert "The collaboration survey “Wave &lt;i&gt;one&lt;/i&gt;” is open" in home
    with scope(coalition=world.a):
        steps = {s.key: s for c in build_roadmap(world.a).chapters for s in c.steps}
    assert steps["voice.listening"].is_done is False
    assert steps["voice.feedback"].detail == "1 survey wave"


def test_the_codebook_reads_the_same_number_of_queries_whatever_the_indicators(
    world: Any,
) -> None:
    """The theme form lists every indicator by its label; the label must not cost a query
    per indicator (it once did: 91 of the demo codebook's 104 queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commonground.measurement.models import Indicator

    client = world.client_for("admin")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/c/valley-a/voice/codebook/").status_code == 200
        return len(captured.captured_queries)

    def add(start: int, count: int) -> None:
        with scope(coalition=world.a):
            Indicator.objects.bulk_create(
                Indicator(coalition=world.a, code=f"x{n}", name=f"Indicator {n}")
                for n in range(start, start + count)
            )

    add(0, 3)
    queries()  # the session's first request also restarts its idle clock (one write)
    few = queries()
    add(3, 30)
    assert queries() == few
