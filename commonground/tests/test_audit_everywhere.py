"""One audit row per change (reliability check 10), over every API operation that writes
and every page that takes a POST, enumerated the way the access matrix is.

Each request runs as coalition A's backbone admin in a savepoint that is undone
afterwards. API operations carry the matrix's sample bodies; pages carry what their own
forms send when nobody changes anything (every GET page of A is read first and its POST
forms collected by action), else a generic form. Before and after the request every row
of A is read: the coalition, its tenant tables and the many-to-many tables between them
(the audit log aside). Then:

* no object has two audit rows from one request;
* every audit row names an object the request created, changed or deleted, or the one
  such rows belong to (an anonymous answer is logged against its assessment);
* every row the request created, changed or deleted has its own audit row, or belongs to
  an object that has one (it points at that object: a survey response and its answers
  are one change), or is one of the few declared parts in ``PART_OF``;
* a request that changed nothing wrote no audit row.

The few writes that are deliberately not audited are listed in ``UNAUDITED``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve
from django_scopes import scopes_disabled

from commonground.coalitions.models import AuditEvent, Coalition, TenantModel
from commonground.lib.html_forms import defaults, forms_of
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

#: Rows whose change is recorded in the audit row of another kind of object, which has no
#: foreign key to tie them to it: label -> that object's class.
PART_OF: dict[str, str] = {
    # The profile's audit row holds the list of places served, before and after.
    "coalitions.Place": "Coalition",
    # The role matrix's audit row holds every entry's flags, before and after.
    "assessments.RoleMatrixEntry": "RoleMatrix",
    # Confirming an import turns the wizard's staged copy into the queued job.
    "measurement.StagedUpload": "ImportJob",
}

WRITING_API = [(p, m, o) for p, m, o in COALITION_API if m in {"post", "put", "patch", "delete"}]

Rows = dict[str, dict[Any, dict[str, Any]]]
ObjectKey = tuple[str, str]


def _tables() -> list[tuple[type[models.Model], str]]:
    """Every model holding a coalition's rows, with the lookup that finds them."""
    found: list[tuple[type[models.Model], str]] = [(Coalition, "pk")]
    for model in apps.get_models(include_auto_created=True):
        if model is AuditEvent:
            continue
        if issubclass(model, TenantModel):
            found.append((model, "coalition"))
        elif model._meta.auto_created:
            side = next(
                (
                    f
                    for f in model._meta.concrete_fields
                    if f.is_relation and issubclass(f.related_model, TenantModel)
                ),
                None,
            )
            if side is not None:
                found.append((model, f"{side.name}__coalition"))
    return found


TABLES = _tables()


def _columns(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if not isinstance(f, (models.BinaryField, models.FileField))
    ]


def rows_of(coalition: Coalition) -> Rows:
    """Every row of the coalition, by model label and primary key."""
    found: Rows = {}
    with scopes_disabled():
        for model, lookup in TABLES:
            names = _columns(model)
            found[model._meta.label] = {
                row["pk"]: row
                for row in model._base_manager.filter(**{lookup: coalition.pk}).values("pk", *names)
            }
    return found


def changed_rows(before: Rows, after: Rows) -> dict[tuple[str, Any], dict[str, Any]]:
    """(label, pk) of each row created, changed or deleted -> its values (after, else before)."""
    changed: dict[tuple[str, Any], dict[str, Any]] = {}
    for label, old in before.items():
        new = after[label]
        for pk in old.keys() | new.keys():
            if old.get(pk) != new.get(pk):
                changed[(label, pk)] = new.get(pk) or old[pk]
    return changed


def _links(label: str, row: dict[str, Any]) -> set[tuple[str, str]]:
    """The objects a row points at (class name, id), the coalition key left out."""
    model = apps.get_model(label)
    return {
        (f.related_model.__name__, str(row[f.attname]))
        for f in model._meta.concrete_fields
        if f.is_relation and f.name != "coalition" and row.get(f.attname) is not None
    }


def audit_failures(before: Rows, after: Rows, written: list[tuple[str, str, str]]) -> list[str]:
    """What breaks "one audit row per change" (empty when nothing does)."""
    changed = changed_rows(before, after)
    if not changed:
        return [f"changed nothing and wrote {len(written)} audit rows"] if written else []
    names = {key: (apps.get_model(key[0]).__name__, str(key[1])) for key in changed}
    problems = []
    counts = Counter((kind, object_id) for kind, object_id, _action in written)
    problems += [
        f"{count} audit rows for {kind} {object_id}"
        for (kind, object_id), count in counts.items()
        if count > 1
    ]
    audited = set(counts)
    tenant_names = {model.__name__ for model, _lookup in TABLES}
    # An audit row may name the object the changed rows belong to: an anonymous answer
    # is logged against its assessment, never as a row of its own.
    touched = set(names.values()).union(
        *(_links(label, row) for (label, _pk), row in changed.items())
    )
    problems += [
        f"an audit row names {kind} {object_id}, which did not change"
        for kind, object_id in audited
        if kind in tenant_names and (kind, object_id) not in touched
    ]
    audited_kinds = {kind for kind, _object_id in audited}
    for key, row in changed.items():
        name = names[key]
        if name in audited or _links(key[0], row) & audited or PART_OF.get(key[0]) in audited_kinds:
            continue
        old, new = before[key[0]].get(key[1]), after[key[0]].get(key[1])
        how = (
            "created"
            if old is None
            else "deleted"
            if new is None
            else "changed (" + ", ".join(sorted(k for k in old if old[k] != new[k])) + ")"
        )
        problems.append(f"{key[0]} {key[1]} {how} with no audit row of its own or its object")
    return problems


def written_since(coalition: Coalition, last: int) -> list[tuple[str, str, str]]:
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(coalition=coalition, pk__gt=last).values_list(
                "object_type", "object_id", "action"
            )
        )


def last_audit_id(coalition: Coalition) -> int:
    with scopes_disabled():
        found = AuditEvent.objects.filter(coalition=coalition).order_by("-pk").first()
    return found.pk if found else 0


def check(world: Any, name: str, send: Callable[[Client], Any]) -> tuple[list[str], bool]:
    """Send one request in a savepoint; return what breaks check 10, and whether it
    wrote audit rows."""
    with rolled_back():
        before, last = rows_of(world.a), last_audit_id(world.a)
        response = send(world.client_for("admin"))
        after, written = rows_of(world.a), written_since(world.a, last)
    if name in UNAUDITED:
        return [], False
    if response.status_code >= 500:
        return [f"answered {response.status_code}"], False
    return audit_failures(before, after, written), bool(written)


@pytest.mark.parametrize(
    ("path", "method", "operation"), WRITING_API, ids=[o for _, _, o in WRITING_API]
)
def test_every_api_write_is_audited(world: Any, path: str, method: str, operation: str) -> None:
    url = fill_api(path, a_values(world))
    problems, _audited = check(
        world,
        operation,
        lambda client: getattr(client, method)(
            url, body_for(operation), content_type="application/json"
        ),
    )
    assert not problems, f"{operation}: " + "; ".join(problems)


def page_forms(world: Any, values: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Each POST form found on A's pages, by the view it posts to, with its default values."""
    client = world.client_for("admin")
    found: dict[str, list[tuple[str, str]]] = {}
    for route, _name in COALITION_PAGES:
        url = fill(route, values)
        with rolled_back():
            response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in forms_of(response.content.decode()):
            if form["method"] != "post":
                continue
            action = form["action"] or url
            try:
                match = resolve(action.split("?")[0])
            except Resolver404:
                continue  # a form posting outside the app is not ours to send
            found.setdefault(match.view_name, defaults(form))
    return found


#: Pages whose own forms must change data and be audited (kept honest as pages change).
MIN_PAGES_THAT_WRITE = 75


def test_every_page_post_is_audited_with_its_own_form(world: Any) -> None:
    values = a_values(world)
    forms = page_forms(world, values)
    wrote: list[str] = []
    failures: list[str] = []
    for route, name in COALITION_PAGES:
        url = fill(route, values)
        data = forms.get(name)
        payload: Any = data if data is not None else {"role": "viewer", "email": "x@y.example"}
        if isinstance(payload, list):
            payload = _as_query(payload)
        problems, audited = check(
            world, name, lambda client, url=url, payload=payload: client.post(url, payload)
        )
        failures += [f"{name}: {problem}" for problem in problems]
        if audited:
            wrote.append(name)
    assert not failures, "\n".join(failures)
    assert len(wrote) >= MIN_PAGES_THAT_WRITE, (len(wrote), wrote)


def _as_query(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data
