"""Tenancy and permissions, enumerated over every URL pattern and API operation.

New pages and endpoints are covered without editing these tests. Each app keeps its
rows of the matrix in ``<app>/tests/matrix.py``: ``PAGES`` and ``API`` (view name ->
"public" | "signed_in" | roles allowed), ``objects(coalition)`` (URL keyword -> an
object of that coalition, made for the test) and optionally ``BODIES`` (operation ->
a valid JSON body). A view without a row, or whose declared policy differs from its
row, fails here; so does a URL keyword nobody gives a sample for.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_scopes import scopes_disabled

from commonground.api.main import api
from commonground.coalitions.models import Membership

ADMIN, PARTNER, RESIDENT, VIEWER = "backbone_admin", "partner", "community_member", "viewer"
EVERY_ROLE = frozenset({ADMIN, PARTNER, RESIDENT, VIEWER})
PERSONA_ROLE = {"admin": ADMIN, "partner": PARTNER, "resident": RESIDENT, "viewer": VIEWER}

# name -> "public" | "signed_in" | roles allowed in the coalition
PAGE_MATRIX: dict[str, str | frozenset[str]] = {
    "index": "public",
    "health": "public",
    "set_language": "public",
    "accounts:login": "public",
    "accounts:logout": "public",
    "accounts:password_reset": "public",
    "accounts:password_reset_done": "public",
    "accounts:password_reset_confirm": "public",
    "accounts:password_reset_complete": "public",
    "accounts:tokens": "signed_in",
    "accounts:token_revoke": "signed_in",
    "guide:index": "public",
    "guide:pillar": "public",
    "guide:stage": "public",
    "guide:role": "public",
    "coalitions:choose": "signed_in",
    "coalitions:new": "signed_in",
    "coalitions:accept": "public",
    "coalitions:home": EVERY_ROLE,
    "coalitions:profile": EVERY_ROLE,
    "coalitions:profile_edit": frozenset({ADMIN}),
    "coalitions:members": EVERY_ROLE,
    "coalitions:invite": frozenset({ADMIN}),
    "coalitions:member_role": frozenset({ADMIN}),
    "coalitions:member_remove": frozenset({ADMIN}),
    "coalitions:invitation_revoke": frozenset({ADMIN}),
    "coalitions:audit": frozenset({ADMIN}),
    "coalitions:exports": frozenset({ADMIN}),
    "coalitions:export_detail": frozenset({ADMIN}),
    "coalitions:export_download": frozenset({ADMIN}),
}

API_MATRIX: dict[str, str | frozenset[str]] = {
    "list_my_coalitions": "signed_in",
    "get_coalition": EVERY_ROLE,
    "update_coalition": frozenset({ADMIN}),
    "list_memberships": EVERY_ROLE,
    "change_membership_role": frozenset({ADMIN}),
    "create_invitation": frozenset({ADMIN}),
    "get_framework": "public",
    "get_framework_part": "public",
}


def app_matrices() -> list[Any]:
    import commonground

    modules = []
    for info in pkgutil.iter_modules(commonground.__path__):
        try:
            modules.append(importlib.import_module(f"commonground.{info.name}.tests.matrix"))
        except ModuleNotFoundError as error:
            if not (error.name or "").startswith(f"commonground.{info.name}.tests"):
                raise
    return modules


MATRICES = app_matrices()
for _module in MATRICES:
    PAGE_MATRIX.update(getattr(_module, "PAGES", {}))
    API_MATRIX.update(getattr(_module, "API", {}))
OBJECT_MAKERS: list[Callable[[Any], dict[str, Any]]] = [
    m.objects for m in MATRICES if hasattr(m, "objects")
]


def iter_patterns(
    resolver: URLResolver, prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from iter_patterns(entry, prefix + str(entry.pattern), namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{ns}{entry.name}", entry.callback


def app_patterns() -> list[tuple[str, str, Any]]:
    """Every page pattern except Django's admin (staff-only, tested separately) and the API."""
    return [
        (route, name, view)
        for route, name, view in iter_patterns(get_resolver())
        if not name.startswith(("admin:", "api:"))
    ]


def fill(route: str, values: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        key = match.group(2)
        if key not in values:
            raise AssertionError(f"add a sample value for <{key}> in {route}")
        return str(values[key])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def declared(view: Any) -> str | frozenset[str] | None:
    policy = getattr(view, "access_policy", None)
    if policy is None:
        return None
    return policy.kind if policy.kind != "coalition" else policy.roles


def test_every_page_declares_the_policy_in_its_matrix_row() -> None:
    found = {name: declared(view) for _, name, view in app_patterns()}
    assert set(found) == set(PAGE_MATRIX), "add new views to PAGE_MATRIX (and remove deleted ones)"
    for name, policy in found.items():
        assert policy == PAGE_MATRIX[name], name


def test_every_api_operation_declares_the_policy_in_its_matrix_row() -> None:
    found = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                found[operation.view_func.__name__] = declared(operation.view_func)
    assert set(found) == set(API_MATRIX)
    for name, policy in found.items():
        assert policy == API_MATRIX[name], name


def a_values(world: Any) -> dict[str, Any]:
    if not hasattr(world, "_a_values"):
        world._a_values = _a_values(world)
    return dict(world._a_values)


def b_values(world: Any) -> dict[str, Any]:
    if not hasattr(world, "_b_values"):
        world._b_values = _b_values(world)
    return dict(world._b_values)


def _finished_export(coalition: Any) -> int:
    """A ready export of the coalition, so its download page has something to send."""
    from commonground.coalitions.models import CoalitionExport

    with scopes_disabled():
        job = CoalitionExport.objects.create(
            coalition=coalition, status=CoalitionExport.Status.SUCCEEDED, content=b"PK", size=2
        )
    return job.pk


def _a_values(world: Any) -> dict[str, Any]:
    with scopes_disabled():
        viewer_seat = Membership.objects.get(coalition=world.a, user=world.people["viewer"])
        invitation = world.a_invitation_token
    from commonground.coalitions.models import Invitation

    with scopes_disabled():
        invitation_id = Invitation.objects.filter(coalition=world.a).first().pk
    values = {
        "coalition_slug": world.a.slug,
        "export_id": _finished_export(world.a),
        "membership_id": viewer_seat.pk,
        "invitation_id": invitation_id,
        "item_id": "trust",
        "token": invitation,
        "token_id": 999999,
    }
    for make in OBJECT_MAKERS:
        values.update(make(world.a))
    return values


def _b_values(world: Any) -> dict[str, Any]:
    values = {
        "coalition_slug": world.b.slug,
        "export_id": _finished_export(world.b),
        "membership_id": world.b_membership.pk,
        "invitation_id": world.b_invitation.pk,
        "item_id": "trust",
        "token": "not-a-token",
        "token_id": 999999,
    }
    for make in OBJECT_MAKERS:
        values.update(make(world.b))
    return values


COALITION_PAGES = [
    (route, name) for route, name, view in app_patterns() if "<slug:coalition_slug>" in route
]


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one request's effects in a savepoint that is undone, so that many requests can
    share one ``world`` without seeing each other's changes."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def allowed_status(status: int) -> bool:
    """A permitted request may be refused for its input, never for access or by a crash."""
    return status not in {401, 403, 404} and status < 500


@pytest.mark.parametrize(("route", "name"), COALITION_PAGES, ids=[n for _, n in COALITION_PAGES])
def test_member_of_a_gets_404_for_every_page_of_b(world: Any, route: str, name: str) -> None:
    url = fill(route, b_values(world))
    for method in ("get", "post"):
        with rolled_back():
            client = world.client_for("admin")  # the most powerful role in A
            response = getattr(client, method)(url, {"role": "viewer", "email": "x@y.example"})
            assert response.status_code == 404, f"{method.upper()} {name}: {response.status_code}"


@pytest.mark.parametrize(
    ("route", "name"),
    [(r, n) for r, n in COALITION_PAGES if "_id>" in r],
    ids=[n for r, n in COALITION_PAGES if "_id>" in r],
)
def test_objects_of_b_are_404_through_a_pages(world: Any, route: str, name: str) -> None:
    values = {**b_values(world), "coalition_slug": world.a.slug}
    for method in ("get", "post"):
        with rolled_back():
            response = getattr(world.client_for("admin"), method)(
                fill(route, values), {"role": "viewer"}
            )
            assert response.status_code in {404, 405}, (method, response.status_code)
    with scopes_disabled():
        world.b_membership.refresh_from_db()
    assert world.b_membership.role == PARTNER


@pytest.mark.parametrize(("route", "name"), COALITION_PAGES, ids=[n for _, n in COALITION_PAGES])
def test_a_person_without_membership_gets_404(
    world: Any, route: str, name: str, django_user_model: Any
) -> None:
    loner = django_user_model.objects.create_user("loner@example.org", "a-long-test-passphrase")
    client = Client()
    client.force_login(loner)
    assert client.get(fill(route, a_values(world))).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in_from_coalition_pages(world: Any) -> None:
    for route, _name in COALITION_PAGES:
        response = Client().get(fill(route, a_values(world)))
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize(("route", "name"), COALITION_PAGES, ids=[n for _, n in COALITION_PAGES])
def test_permission_matrix_for_pages(world: Any, route: str, name: str) -> None:
    allowed = PAGE_MATRIX[name]
    assert isinstance(allowed, frozenset)
    url = fill(route, a_values(world))
    for persona, role in sorted(PERSONA_ROLE.items()):
        with rolled_back():
            client = world.client_for(persona)
            response = client.get(url)
            if response.status_code == 405:  # POST-only action
                response = client.post(url, {"role": "not-a-role", "email": "not-an-email"})
            if role in allowed:
                assert allowed_status(response.status_code), (name, persona, response.status_code)
            else:
                assert response.status_code == 403, (name, persona, response.status_code)


def api_operations() -> list[tuple[str, str, str]]:
    schema = api.get_openapi_schema()
    return [
        (path, method, operation["operationId"])
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


COALITION_API = [(p, m, o) for p, m, o in api_operations() if "{coalition_slug}" in p]


SAMPLE_BODIES = {
    "update_coalition": {"version": 1, "name": "Renamed"},
    "change_membership_role": {"role": "viewer"},
    "create_invitation": {"email": "someone@example.org", "role": "viewer"},
}


for _module in MATRICES:
    SAMPLE_BODIES.update(getattr(_module, "BODIES", {}))


def body_for(operation: str) -> dict[str, Any]:
    return next((body for key, body in SAMPLE_BODIES.items() if operation.endswith(key)), {})


def fill_api(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


@pytest.mark.parametrize(
    ("path", "method", "operation"), COALITION_API, ids=[o for _, _, o in COALITION_API]
)
def test_member_of_a_gets_404_for_every_api_path_of_b(
    world: Any, path: str, method: str, operation: str
) -> None:
    client = world.client_for("admin")
    response = getattr(client, method)(
        fill_api(path, b_values(world)), body_for(operation), content_type="application/json"
    )
    assert response.status_code == 404, operation


API_WITH_IDS = [(p, m, o) for p, m, o in COALITION_API if re.search(r"_id\}", p)]


@pytest.mark.parametrize(
    ("path", "method", "operation"), API_WITH_IDS, ids=[o for _, _, o in API_WITH_IDS]
)
def test_objects_of_b_are_404_through_a_api_paths(
    world: Any, path: str, method: str, operation: str
) -> None:
    """B's object ids under A's slug, with A's most powerful role: never found, never changed."""
    values = {**b_values(world), "coalition_slug": world.a.slug}
    with rolled_back():
        response = getattr(world.client_for("admin"), method)(
            fill_api(path, values), body_for(operation), content_type="application/json"
        )
        assert response.status_code == 404, (
            operation,
            response.status_code,
            response.content[:300],
        )
    with scopes_disabled():
        world.b_membership.refresh_from_db()
    assert world.b_membership.role == PARTNER


@pytest.mark.parametrize(
    ("path", "method", "operation"), COALITION_API, ids=[o for _, _, o in COALITION_API]
)
def test_permission_matrix_for_api(world: Any, path: str, method: str, operation: str) -> None:
    allowed = next(v for k, v in API_MATRIX.items() if operation.endswith(k))
    assert isinstance(allowed, frozenset), operation
    url = fill_api(path, a_values(world))
    for persona, role in sorted(PERSONA_ROLE.items()):
        with rolled_back():
            client = world.client_for(persona)
            response = getattr(client, method)(
                url, body_for(operation), content_type="application/json"
            )
            if role in allowed:
                assert allowed_status(response.status_code), (
                    operation,
                    persona,
                    response.status_code,
                )
            else:
                assert response.status_code == 403, (operation, persona, response.status_code)


def test_signed_out_api_request_is_401(world: Any) -> None:
    for path, method, operation in COALITION_API:
        response = getattr(Client(), method)(fill_api(path, a_values(world)))
        assert response.status_code == 401, operation


def test_admin_site_is_closed_to_non_staff(world: Any) -> None:
    response = world.client_for("admin").get("/admin/coalitions/coalition/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_no_two_apps_give_the_same_url_keyword(world: Any) -> None:
    """Each app names its URL ids after its own records (``pdf_job_id``, not ``job_id``):
    two apps giving one keyword would feed one app's id to the other's pages."""
    from collections import Counter

    given = Counter(key for make in OBJECT_MAKERS for key in make(world.a))
    assert sorted(key for key, count in given.items() if count > 1) == []
