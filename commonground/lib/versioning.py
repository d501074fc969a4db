"""Optimistic locking for records that several people edit: a stale edit never wins.

A shared record carries a ``version`` counter (``Versioned``). The edit form sends back
the version the editor saw; the service saves with ``save_versioned``, which writes only
if the stored version is still that one, in the same UPDATE (``WHERE version = seen``).
When someone saved in between, nothing is written and ``StaleEditError`` is raised, so
the first writer's values persist and the view answers 409 with a message to reload.

    actor.name = form.cleaned_data["name"]
    save_versioned(actor, expected=form.cleaned_data["version"])

``expected=None`` means the caller has no version to compare (a service called from a
command or an import): the save still bumps the counter, so open forms go stale.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class StaleEditError(Exception):
    """The record changed since the editor opened it; the second writer must reload."""

    def __init__(self, message: object | None = None) -> None:
        super().__init__(
            message
            or _(
                "Someone else saved this record after you opened it, so your changes were "
                "not saved. Reload the page to see theirs."
            )
        )


class Versioned(models.Model):
    """Abstract base: a counter that every save through ``save_versioned`` increments."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def parse_version(value: object) -> int | None:
    """The version a form or JSON body sent back, or None when it sent none (or garbage)."""
    if value is None or value == "":
        return None
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if number > 0 else None


def save_versioned(
    obj: Versioned, *, expected: int | None, update_fields: list[str] | None = None
) -> None:
    """Save ``obj`` only if its stored version is ``expected``; bump the version.

    ``obj`` must already exist. Raises ``StaleEditError`` (and writes nothing) when the
    stored version differs or the row is gone. Call inside the change's transaction.
    """
    model = type(obj)
    manager: Any = model._base_manager
    if update_fields is None:
        update_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key and f.attname != "version"
        ]
    values = {name: getattr(obj, name) for name in update_fields}
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) and field.attname in values:
            values[field.attname] = field.pre_save(obj, add=False)
    rows = manager.filter(pk=obj.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    changed = rows.update(version=F("version") + 1, **values)
    if changed != 1:
        raise StaleEditError()
    obj.refresh_from_db(fields=["version"])


def check_version(obj: Versioned, *, expected: int | None) -> None:
    """Raise ``StaleEditError`` unless ``obj``'s stored version is ``expected`` (None: no
    check), for an edit that turns out to change nothing and so saves nothing: it still
    answers 409 when someone saved since the form was drawn."""
    if expected is None:
        return
    if not type(obj)._base_manager.filter(pk=obj.pk, version=expected).exists():
        raise StaleEditError()
