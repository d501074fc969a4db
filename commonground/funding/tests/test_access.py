"""This app's part of the access matrix, run on its own: every funding page and API
operation against every role of coalition A and the admin of coalition B.

The product-wide matrix (``commonground/tests/test_access_matrix.py``) runs the same rows;
this keeps the funding rows checked even while another app's rows are being written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.urls import URLResolver, get_resolver

from commonground.api.main import api
from commonground.funding.tests import matrix

PERSONAS = {
    "admin": "backbone_admin",
    "partner": "partner",
    "resident": "community_member",
    "viewer": "viewer",
}


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def funding_routes() -> list[tuple[str, str, Any]]:
    found = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "funding":
            for pattern in entry.url_patterns:
                found.append(
                    (
                        str(entry.pattern) + str(pattern.pattern),
                        f"funding:{pattern.name}",
                        pattern.callback,
                    )
                )
    return found


def fill(route: str, values: dict[str, Any]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def test_every_page_and_operation_has_its_row() -> None:
    routes = funding_routes()
    assert {name for _, name, _ in routes} == set(matrix.PAGES)
    for _, name, view in routes:
        assert view.access_policy.roles == matrix.PAGES[name], name
    operations = {
        op.view_func.__name__: op.view_func.access_policy.roles
        for prefix, router in api._routers
        for path in router.path_operations.values()
        for op in path.operations
        if op.view_func.__module__ == "commonground.funding.api"
    }
    assert operations == matrix.API


def test_pages_answer_each_role_and_404_for_another_coalition(world: Any) -> None:
    a = {"coalition_slug": world.a.slug, **matrix.objects(world.a)}
    b = {"coalition_slug": world.b.slug, **matrix.objects(world.b)}
    for route, name, _ in funding_routes():
        allowed = matrix.PAGES[name]
        for persona, role in PERSONAS.items():
            with rolled_back():
                client = world.client_for(persona)
                response = client.get(fill(route, a))
                if response.status_code == 405:
                    response = client.post(fill(route, a), {})
                if role in allowed:
                    assert (
                        response.status_code not in {401, 403, 404} and response.status_code < 500
                    ), (name, persona, response.status_code)
                else:
                    assert response.status_code == 403, (name, persona, response.status_code)
        for method in ("get", "post"):
            with rolled_back():
                client = world.client_for("admin")
                assert getattr(client, method)(fill(route, b)).status_code == 404, name
                # A's slug with B's objects: 404 (or 405 for a POST-only page's GET).
                mixed = {**b, "coalition_slug": world.a.slug}
                if "_id>" in route:
                    assert getattr(client, method)(fill(route, mixed)).status_code in {404, 405}, (
                        name
                    )


def test_api_answers_each_role_and_404_for_another_coalition(world: Any) -> None:
    a = {"coalition_slug": world.a.slug, **matrix.objects(world.a)}
    b = {"coalition_slug": world.b.slug, **matrix.objects(world.b)}
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            name = next((k for k in matrix.API if operation["operationId"].endswith("_" + k)), None)
            if name is None:
                continue
            body = matrix.BODIES.get(name, {})
            allowed = matrix.API[name]
            url = re.sub(r"\{(\w+)\}", lambda m: str(a[m.group(1)]), path)
            for persona, role in PERSONAS.items():
                with rolled_back():
                    response = getattr(world.client_for(persona), method)(
                        url, body, content_type="application/json"
                    )
                    if role in allowed:
                        assert (
                            response.status_code not in {401, 403, 404}
                            and response.status_code < 500
                        ), (
                            name,
                            persona,
                            response.content,
                        )
                    else:
                        assert response.status_code == 403, (name, persona, response.status_code)
            other = re.sub(r"\{(\w+)\}", lambda m: str(b[m.group(1)]), path)
            with rolled_back():
                response = getattr(world.client_for("admin"), method)(
                    other, body, content_type="application/json"
                )
                assert response.status_code == 404, name
