"""The notices hook: any app's providers show at the top of the coalition home."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from commonground.accounts.models import User
from commonground.coalitions import notices
from commonground.coalitions.models import Coalition

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider() -> Iterator[list[tuple[Coalition, User]]]:
    """A registered provider that greets admins with a task and everyone with info, and
    records who it was asked about."""
    calls: list[tuple[Coalition, User]] = []

    def provide(coalition: Coalition, user: User) -> Iterable[notices.Notice]:
        calls.append((coalition, user))
        yield notices.Notice(text=f"Read the guide, {user.display_name}", kind="info")
        if user.email.startswith("admin@"):
            yield notices.Notice(
                text="Three tasks are overdue", url="/c/valley-a/members/", kind="task", count=3
            )
        yield notices.Notice(text="A warning <b>escaped</b>", kind="warning")

    notices.register(provide)
    notices.register(provide)  # twice: still one entry
    yield calls
    notices.unregister(provide)


def notice_region(html: str) -> str:
    match = re.search(r'<section class="card notices"[^>]*>(.*?)</section>', html, re.S)
    assert match, "no notices region on the page"
    return match.group(1)


def test_the_home_shows_every_notice_in_an_accessible_region(world: Any, provider: Any) -> None:
    html = world.client_for("admin").get("/c/valley-a/").content.decode()
    assert 'aria-labelledby="notices-heading"' in html
    region = notice_region(html)
    assert '<h2 id="notices-heading">Needs your attention</h2>' in region
    items = re.findall(r"<li[^>]*>(.*?)</li>", region, re.S)
    assert len(items) == 3  # the provider was registered twice but counted once
    # Tasks first, then warnings, then information.
    assert "Three tasks are overdue" in items[0]
    assert '<a href="/c/valley-a/members/">Three tasks are overdue</a>' in items[0]
    assert ">3</span>" in items[0] and 'aria-label="3 items"' in items[0]
    assert "A warning &lt;b&gt;escaped&lt;/b&gt;" in items[1]
    assert "Read the guide, Ada Admin" in items[2]
    # The region comes before the roadmap.
    assert html.index("notices-heading") < html.index("The roadmap")
    # The provider was asked about this coalition and this person.
    assert [(c.slug, u.email) for c, u in provider] == [("valley-a", "admin@a.example")]


def test_each_person_gets_their_own_notices(world: Any, provider: Any) -> None:
    region = notice_region(world.client_for("viewer").get("/c/valley-a/").content.decode())
    assert "Three tasks are overdue" not in region
    assert "Read the guide" in region


def test_no_notice_shows_nothing(world: Any) -> None:
    html = world.client_for("admin").get("/c/valley-a/").content.decode()
    assert "notices-heading" not in html
    assert "Needs your attention" not in html


def test_the_region_is_translated(world: Any, provider: Any) -> None:
    client = world.client_for("admin")
    html = client.get("/c/valley-a/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    region = notice_region(html)
    assert "Requiere su atención" in region
    assert "Pendiente" in region and "Aviso" in region


def test_a_notice_needs_a_known_kind_and_a_text() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        notices.Notice(text="x", kind="urgent")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs a text"):
        notices.Notice(text="")
