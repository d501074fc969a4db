"""Nothing removed can be reached again (check 22's ``use_after_free``).

The JSON API has no DELETE operation: things are removed from pages, behind a confirmation.
So the check is made here, over every removing page: the backbone admin removes an object
of the coalition (the access matrix's samples), and then every page and every API path
that names the object by its id answers 404 to every method (405 to a GET of a page
that only takes POST), even for the admin who could reach it before. A new
removing page, or a new page or API path naming a removable object, is covered without
editing this test.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from commonground.tests.test_access_matrix import (
    COALITION_API,
    COALITION_PAGES,
    a_values,
    body_for,
    fill,
    fill_api,
    rolled_back,
)

REMOVING = re.compile(r"_(delete|remove)$")
REMOVING_PAGES = [(route, name) for route, name in COALITION_PAGES if REMOVING.search(name)]


def keyword(route: str) -> str:
    (found,) = re.findall(r"<int:(\w+_id)>", route)
    return found


def test_every_removing_page_is_covered() -> None:
    names = {name for _, name in REMOVING_PAGES}
    assert {
        "coalitions:member_remove",
        "ecosystem:actor_delete",
        "ecosystem:tie_delete",
        "funding:amount_remove",
        "voice:excerpt_delete",
        "systems:factor_delete",
        "systems:link_delete",
        "systems:asset_delete",
    } <= names


@pytest.mark.parametrize(("route", "name"), REMOVING_PAGES, ids=[n for _, n in REMOVING_PAGES])
def test_a_removed_object_is_404_on_every_page_and_api_path(
    world: Any, route: str, name: str
) -> None:
    values = a_values(world)
    key = keyword(route)
    pages = [r for r, _ in COALITION_PAGES if f"<int:{key}>" in r and r != route]
    api_paths = [(p, m, o) for p, m, o in COALITION_API if "{" + key + "}" in p]
    with rolled_back():
        admin = world.client_for("admin")
        removed = admin.post(fill(route, values))
        assert removed.status_code in {302, 303}, (name, removed.status_code)
        # The removing page itself (a second removal finds nothing), then every other.
        for page in [route, *pages]:
            for method in ("get", "post"):
                status = getattr(admin, method)(fill(page, values)).status_code
                assert status in {404, 405}, f"{method.upper()} {page}: {status}"
        for path, method, operation in api_paths:
            response = getattr(admin, method)(
                fill_api(path, values), body_for(operation), content_type="application/json"
            )
            assert response.status_code == 404, f"{operation}: {response.status_code}"
