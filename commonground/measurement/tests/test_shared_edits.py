"""Nothing lost without a trace (issue 14): turn-the-curve notes are optimistic-locked and
a post that sends nothing blanks nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from commonground.coalitions.models import AuditEvent
from commonground.lib.versioning import StaleEditError
from commonground.measurement import services
from commonground.measurement.models import Result

NOTES = {
    "story_behind_curve": "Clinics closed in 2019.",
    "partners": "County health department",
    "what_works": "Community doulas",
    "action_items": "Recruit five doulas",
}


@pytest.fixture
def result(world: Any) -> Result:
    area = services.add_priority_area(coalition=world.a, actor=None, name="Health")
    return services.add_result(
        coalition=world.a, actor=None, priority_area=area, statement="Babies born healthy", **NOTES
    )


def _url(world: Any, result: Result) -> str:
    return f"/c/{world.a.slug}/measurement/framework/results/{result.pk}/edit/"


def _notes(world: Any, result: Result) -> dict[str, str]:
    with scope(coalition=world.a):
        fresh = Result.objects.get(pk=result.pk)
    return {name: getattr(fresh, name) for name in NOTES}


def _updates(world: Any) -> int:
    with scope(coalition=world.a):
        return AuditEvent.objects.filter(object_type="Result", action="update").count()


@pytest.mark.parametrize("persona", ["resident", "partner", "admin"])
def test_an_empty_post_blanks_nothing(world: Any, result: Result, persona: str) -> None:
    """Issue 14: a POST carrying only the CSRF token, by any contributor, blanked the
    four narrative fields. Reproduced with CSRF checks on, as a browser sends it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people[persona])
    page = client.get(_url(world, result))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = client.post(_url(world, result), {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 400
    assert "came without the version" in response.content.decode()
    assert _notes(world, result) == NOTES
    assert _updates(world) == 0


def test_a_post_with_the_version_and_no_notes_changes_nothing(world: Any, result: Result) -> None:
    response = world.client_for("partner").post(_url(world, result), {"version": 1})
    assert response.status_code == 302
    assert _notes(world, result) == NOTES
    assert _updates(world) == 0


def test_only_the_notes_sent_are_saved(world: Any, result: Result) -> None:
    response = world.client_for("resident").post(
        _url(world, result), {"version": 1, "what_works": "Home visits"}
    )
    assert response.status_code == 302
    assert _notes(world, result) == {**NOTES, "what_works": "Home visits"}
    with scope(coalition=world.a):
        event = AuditEvent.objects.get(object_type="Result", action="update")
    assert event.before == {"what_works": "Community doulas"}
    assert event.after == {"what_works": "Home visits"}


def test_a_stale_edit_gets_409_and_the_first_writer_keeps_her_text(
    world: Any, result: Result
) -> None:
    """Two contributors open the form at version 1; the second save must not win."""
    first, second = world.client_for("partner"), world.client_for("resident")
    for client in (first, second):
        assert 'name="version" value="1"' in client.get(_url(world, result)).content.decode()
    saved = first.post(_url(world, result), {**NOTES, "version": 1, "story_behind_curve": "A"})
    assert saved.status_code == 302
    stale = second.post(_url(world, result), {**NOTES, "version": 1, "story_behind_curve": "B"})
    assert stale.status_code == 409
    assert "Someone else saved this record" in stale.content.decode()
    assert _notes(world, result)["story_behind_curve"] == "A"
    assert _updates(world) == 1
    # Reloading gives the new version, and then the save goes through.
    assert 'name="version" value="2"' in second.get(_url(world, result)).content.decode()
    again = second.post(_url(world, result), {"version": 2, "story_behind_curve": "B"})
    assert again.status_code == 302
    assert _notes(world, result)["story_behind_curve"] == "B"


def test_the_service_refuses_a_stale_version(world: Any, result: Result) -> None:
    services.update_turn_the_curve(
        coalition=world.a, actor=None, result=result, expected_version=1, partners="X"
    )
    with scope(coalition=world.a):
        stale = Result.objects.get(pk=result.pk)
    stale.version = 1  # what a second editor's form still says
    with pytest.raises(StaleEditError):
        services.update_turn_the_curve(
            coalition=world.a, actor=None, result=stale, expected_version=1, partners="Y"
        )
    assert _notes(world, result)["partners"] == "X"
