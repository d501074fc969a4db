"""Derived facts cached until the coalition's data changes.

Every change to a coalition's data writes an audit row in the same transaction (the rule
of ``services.record_audit``), anonymous answers and background imports included. So
the id of the coalition's latest audit row is a version of all its data: a value derived
from that data and cached under that id can never be served after a change. The day is
part of the key too, for facts that depend on today's date (overdue items).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django_scopes import scopes_disabled

from commonground.coalitions.models import AuditEvent, Coalition
from commonground.lib.request_memo import memoized

T = TypeVar("T")
SECONDS = 10 * 60


def data_version(coalition: Coalition) -> int:
    """The id of the coalition's latest audit row (0 before any)."""

    def latest() -> int:
        with scopes_disabled():
            found = (
                AuditEvent.objects.filter(coalition=coalition)
                .order_by("-id")
                .values_list("id", flat=True)
                .first()
            )
        return found or 0

    return memoized(("coalitions.data_version", coalition.pk), latest)


def cached_for_data(coalition: Coalition, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept until the coalition's data changes (or ten minutes pass);
    computed once per request in any case. The value is per language."""
    key = (
        f"cg:{name}:{coalition.pk}:{data_version(coalition)}:"
        f"{get_language() or 'en'}:{timezone.localdate().isoformat()}"
    )

    def from_cache() -> T:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, SECONDS)
        return value

    return memoized(("coalitions.cached_for_data", key), from_cache)
