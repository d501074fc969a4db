"""No write without an audit row (reliability check 10), over every API operation that
writes and every page that takes a POST, enumerated the way the access matrix is.

Each request runs as coalition A's backbone admin with the matrix's sample values and
bodies, in a savepoint that is undone afterwards. Before and after it, every tenant
table of A is fingerprinted (its rows and values, the audit log aside). A request that
changed anything must have written audit rows of A in the same transaction; one that
changed nothing must have written none. The few writes that are deliberately not
audited are listed in ``UNAUDITED`` with the reason.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django_scopes import scopes_disabled

from commonground.coalitions.models import AuditEvent, TenantModel
from commonground.tests.test_access_matrix import (
    COALITION_API,
    COALITION_PAGES,
    a_values,
    body_for,
    fill,
    fill_api,
    rolled_back,
)

#: operation or view name -> why its writes carry no audit row.
UNAUDITED: dict[str, str] = {}

WRITING_API = [(p, m, o) for p, m, o in COALITION_API if m in {"post", "put", "patch", "delete"}]


def fingerprint(coalition: Any) -> dict[str, str]:
    """A digest of each tenant table's rows of the coalition (the audit log left out)."""
    digests: dict[str, str] = {}
    with scopes_disabled():
        for model in apps.get_models():
            if not issubclass(model, TenantModel) or model is AuditEvent:
                continue
            names = [
                f.attname
                for f in model._meta.concrete_fields
                if not isinstance(f, (models.BinaryField, models.FileField))
            ]
            rows = (
                model._base_manager.filter(coalition=coalition).order_by("pk").values_list(*names)
            )
            digests[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digests


def audit_rows(coalition: Any) -> int:
    with scopes_disabled():
        return AuditEvent.objects.filter(coalition=coalition).count()


def check(world: Any, name: str, send: Any) -> None:
    with rolled_back():
        before, audited = fingerprint(world.a), audit_rows(world.a)
        response = send(world.client_for("admin"))
        after, written = fingerprint(world.a), audit_rows(world.a) - audited
    changed = sorted(label for label in before if before[label] != after[label])
    if name in UNAUDITED:
        return
    assert response.status_code < 500, (name, response.status_code)
    if changed:
        assert written >= 1, f"{name} changed {changed} and wrote no audit row"
    else:
        assert written == 0, f"{name} changed nothing and wrote {written} audit rows"


@pytest.mark.parametrize(
    ("path", "method", "operation"), WRITING_API, ids=[o for _, _, o in WRITING_API]
)
def test_every_api_write_is_audited(world: Any, path: str, method: str, operation: str) -> None:
    url = fill_api(path, a_values(world))
    check(
        world,
        operation,
        lambda client: getattr(client, method)(
            url, body_for(operation), content_type="application/json"
        ),
    )


@pytest.mark.parametrize(("route", "name"), COALITION_PAGES, ids=[n for _, n in COALITION_PAGES])
def test_every_page_post_is_audited(world: Any, route: str, name: str) -> None:
    url = fill(route, a_values(world))
    check(world, name, lambda client: client.post(url, {"role": "viewer", "email": "x@y.example"}))
