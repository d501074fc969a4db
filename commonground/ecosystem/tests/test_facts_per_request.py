"""The ecosystem map's headline facts are read once per request (``lib.request_memo``) and
once per version of the coalition's data (``coalitions.freshness``)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django_scopes import scope

from commonground.ecosystem import selectors as eco_selectors
from commonground.ecosystem.models import Actor

pytestmark = pytest.mark.django_db


def test_home_reads_the_ecosystem_facts_once_per_request(world: Any) -> None:
    client = world.client_for("admin")
    real = eco_selectors._ecosystem_facts
    with mock.patch.object(eco_selectors, "_ecosystem_facts", side_effect=real) as compute:
        assert client.get(f"/c/{world.a.slug}/").status_code == 200
        assert compute.call_count == 1  # three apps ask for them on the home page
        assert client.get(f"/c/{world.a.slug}/").status_code == 200
        assert compute.call_count == 1  # nothing changed: the next request reuses them
        with scope(coalition=world.a):
            Actor.objects.create(
                coalition=world.a, name="Clinic", sector_id="hospital_health_system"
            )
        assert client.get(f"/c/{world.a.slug}/").status_code == 200
        assert compute.call_count == 2  # after a write the next request computes afresh
    # Outside a request, selectors compute directly each time.
    with mock.patch.object(eco_selectors, "_ecosystem_facts", side_effect=real) as compute:
        eco_selectors.ecosystem_facts(coalition=world.a)
        eco_selectors.ecosystem_facts(coalition=world.a)
        assert compute.call_count == 2


def test_the_next_request_sees_a_change_to_the_map(world: Any) -> None:
    client = world.client_for("admin")
    url = f"/c/{world.a.slug}/"
    count = eco_selectors.ecosystem_facts(coalition=world.a).actor_count
    assert f"{count} actors" in client.get(url).content.decode()
    with scope(coalition=world.a):
        Actor.objects.create(coalition=world.a, name="Clinic", sector_id="hospital_health_system")
    assert f"{count + 1} actors" in client.get(url).content.decode()
