"""Schemathesis over our own OpenAPI document: no request the schema allows may make the
server fail (5xx), and an operation that needs a sign-in refuses a request without one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import ignored_auth

from commonground.accounts.models import ApiToken
from commonground.wsgi import application

MAX_EXAMPLES = 10


@pytest.fixture
def connections_kept_open() -> Iterator[None]:
    """Keep the test's database connection across WSGI requests, as Django's test client does.

    Schemathesis calls the WSGI handler itself; its request signals would otherwise close the
    connection that holds the test's transaction (PostgreSQL then refuses every query).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_no_request_the_schema_allows_makes_the_api_fail(
    world: Any, connections_kept_open: None
) -> None:
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=world.people["admin"], name="fuzz", prefix=key[3:9], key_hash=ApiToken.hash_key(key)
    )
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            if "coalition_slug" in (case.path_parameters or {}):
                case.path_parameters["coalition_slug"] = world.a.slug
            case.call_and_validate(
                headers={"Authorization": f"Bearer {key}"},
                checks=[not_a_server_error, ignored_auth],
            )

        check()
