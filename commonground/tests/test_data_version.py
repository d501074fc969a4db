"""Every write changes its coalition's data version, in the write's own transaction, and
derived values kept across requests follow it (``coalitions.data_version``, ``freshness``).
"""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from commonground.accounts.models import User
from commonground.coalitions import data_version, notices, roadmap
from commonground.coalitions.models import Coalition, DataVersion
from commonground.conftest import PASSWORD
from commonground.ecosystem.models import Actor

pytestmark = pytest.mark.django_db


def both(world: Any) -> tuple[str | None, str | None]:
    return data_version.current(world.a.pk), data_version.current(world.b.pk)


def add_actor(coalition: Coalition, name: str = "Clinic") -> Actor:
    with scope(coalition=coalition):
        return Actor.objects.create(
            coalition=coalition, name=name, sector_id="hospital_health_system"
        )


def bumps(queries: CaptureQueriesContext) -> int:
    return sum("INTO coalitions_dataversion" in q["sql"] for q in queries.captured_queries)


def test_a_write_in_a_coalition_changes_its_version_and_no_other(world: Any) -> None:
    a_before, b_before = both(world)
    assert a_before and b_before  # creating the coalitions wrote in their scopes
    add_actor(world.a)
    a_after, b_after = both(world)
    assert a_after != a_before
    assert b_after == b_before


def test_a_write_outside_any_coalition_changes_every_version(world: Any) -> None:
    a_before, b_before = both(world)
    with scopes_disabled():
        Coalition.objects.filter(pk=world.a.pk).update(name="Renamed")
    a_after, b_after = both(world)
    assert a_after != a_before and b_after != b_before


def test_raw_sql_and_bulk_writes_count_too(world: Any) -> None:
    add_actor(world.a)
    before = data_version.current(world.a.pk)
    with scope(coalition=world.a), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ecosystem_actor SET name = name WHERE coalition_id = %s", [world.a.pk]
        )
    middle = data_version.current(world.a.pk)
    assert middle != before
    # A statement that matched no row changed nothing.
    with scope(coalition=world.a), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM ecosystem_actor WHERE coalition_id = %s AND 1 = 0", [world.a.pk]
        )
    assert data_version.current(world.a.pk) == middle
    with scope(coalition=world.a):
        Actor.objects.bulk_create(
            [Actor(coalition=world.a, name=f"A{i}", sector_id="faith") for i in range(3)]
        )
    assert data_version.current(world.a.pk) != middle


def test_sessions_and_reads_change_nothing(world: Any) -> None:
    before = both(world)
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    with scope(coalition=world.a):
        list(Actor.objects.all())
    assert both(world) == before


def test_a_rolled_back_savepoint_takes_its_version_back(world: Any) -> None:
    before = data_version.current(world.a.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        add_actor(world.a)
        raise RuntimeError("undo")
    assert data_version.current(world.a.pk) == before
    # The marker of the undone change went with it: the next write changes the version.
    add_actor(world.a, "After")
    assert data_version.current(world.a.pk) != before


def test_one_change_per_transaction_until_someone_reads_the_version(world: Any) -> None:
    data_version.current(world.a.pk)  # the fixture's writes were read: start afresh
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        add_actor(world.a, "One")
        add_actor(world.a, "Two")
        assert bumps(queries) == 1
        seen = data_version.current(world.a.pk)
        add_actor(world.a, "Three")  # written after a read: must not hide behind it
        assert bumps(queries) == 2
        assert data_version.current(world.a.pk) != seen


def test_the_home_reuses_the_roadmap_until_a_write(world: Any) -> None:
    client = world.client_for("admin")
    url = f"/c/{world.a.slug}/"
    real = roadmap._build_roadmap
    with mock.patch.object(roadmap, "_build_roadmap", side_effect=real) as build:
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
        assert build.call_count == 1
        # Another coalition's write leaves A's roadmap alone...
        add_actor(world.b)
        assert client.get(url).status_code == 200
        assert build.call_count == 1
        # ...A's own write does not, and neither does another language.
        add_actor(world.a)
        assert client.get(url).status_code == 200
        assert build.call_count == 2
        assert client.get(url, headers={"accept-language": "es"}).status_code == 200
        assert build.call_count == 3


def test_outside_a_read_only_request_nothing_is_kept(world: Any) -> None:
    """Services, tasks and requests that may write compute afresh: no memo, no cache."""
    client = world.client_for("admin")
    client.get(f"/c/{world.a.slug}/")
    real = roadmap._build_roadmap
    with mock.patch.object(roadmap, "_build_roadmap", side_effect=real) as build:
        with scope(coalition=world.a):
            roadmap.build_roadmap(world.a)
            roadmap.build_roadmap(world.a)
        assert build.call_count == 2


@pytest.mark.django_db(transaction=True)
def test_other_connections_see_the_new_version_only_with_the_data(world: Any) -> None:
    """The version is written in the write's transaction: until it commits, another
    connection reads the old version and the old data together."""
    if connection.vendor != "postgresql":
        # SQLite has one writer and the test database is shared memory: another
        # connection cannot read a table a transaction is writing at all.
        assert connection.is_in_memory_db()
        return
    before = data_version.current(world.a.pk)
    written, release, seen = threading.Event(), threading.Event(), {}

    def writer() -> None:
        try:
            with transaction.atomic():
                add_actor(world.a, "Uncommitted")
                written.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert written.wait(10)
        seen["version"] = data_version.current(world.a.pk)
        with scope(coalition=world.a):
            seen["names"] = set(Actor.objects.values_list("name", flat=True))
    finally:
        release.set()
        thread.join(10)
    assert seen["version"] == before
    assert "Uncommitted" not in seen["names"]
    assert data_version.current(world.a.pk) != before


def test_the_table_holds_one_row_per_scope(world: Any) -> None:
    add_actor(world.a)
    add_actor(world.a, "Again")
    scopes = list(DataVersion.objects.values_list("scope", flat=True))
    assert len(scopes) == len(set(scopes))
    assert {data_version.GLOBAL, f"c{world.a.pk}", f"c{world.b.pk}"} <= set(scopes)


def test_notices_are_kept_per_person(world: Any) -> None:
    """Two members of one coalition, no write between their visits: each reads their own."""

    def whose(coalition: Coalition, user: Any) -> list[notices.Notice]:
        return [notices.Notice(text=f"For {user.email} only", kind="task")]

    notices.register(whose)
    try:
        url = f"/c/{world.a.slug}/"
        admin, viewer = world.people["admin"], world.people["viewer"]
        first = world.client_for("admin").get(url).content.decode()
        second = world.client_for("viewer").get(url).content.decode()
    finally:
        notices.unregister(whose)
    assert f"For {admin.email} only" in first and viewer.email not in first
    assert f"For {viewer.email} only" in second and admin.email not in second
    third = world.client_for("viewer").get(url).content.decode()
    assert f"For {viewer.email} only" not in third  # the provider is gone: so is its notice


def test_a_write_changes_its_app_s_version_and_no_other_app_s(world: Any) -> None:
    ecosystem = ("ecosystem",)
    measurement = ("measurement",)
    before = {apps: data_version.current(world.a.pk, apps) for apps in (ecosystem, measurement)}
    whole = data_version.current(world.a.pk)
    add_actor(world.a)
    assert data_version.current(world.a.pk, ecosystem) != before[ecosystem]
    assert data_version.current(world.a.pk, measurement) == before[measurement]
    assert data_version.current(world.a.pk) != whole
    # Memberships, places and the profile belong to every app's version.
    with scope(coalition=world.a):
        Coalition.objects.filter(pk=world.a.pk).update(name="Renamed in scope")
    assert data_version.current(world.a.pk, measurement) != before[measurement]


def test_an_audited_change_counts_for_its_own_app_only(world: Any) -> None:
    """The audit row an edit writes counts for the coalition as a whole, not for every app."""
    from commonground.ecosystem import services as ecosystem

    measurement = data_version.current(world.a.pk, ("measurement",))
    whole = data_version.current(world.a.pk)
    ecosystem.create_actor(
        coalition=world.a, user=world.people["admin"], name="Audited", sector_id="faith_community"
    )
    assert data_version.current(world.a.pk, ("measurement",)) == measurement
    assert data_version.current(world.a.pk) != whole


def test_signing_in_changes_no_version_but_a_new_name_does(world: Any) -> None:
    before = both(world)
    client = Client()
    signed_in = client.post(
        "/accounts/sign-in/", {"username": "admin@a.example", "password": PASSWORD}
    )
    assert signed_in.status_code == 302  # stamps last_login
    assert both(world) == before
    User.objects.filter(pk=world.people["admin"].pk).update(display_name="Ada Renamed")
    after = both(world)
    assert after[0] != before[0] and after[1] != before[1]


def test_a_new_name_written_in_one_coalition_changes_every_coalition_s_version(
    world: Any,
) -> None:
    """A person shows in every coalition they belong to: renaming them inside one
    coalition's scope must not leave another coalition's kept pages with the old name."""
    before = both(world)
    with scope(coalition=world.a):
        User.objects.filter(pk=world.people["admin"].pk).update(display_name="Ada Renamed")
    after = both(world)
    assert after[0] != before[0] and after[1] != before[1]
