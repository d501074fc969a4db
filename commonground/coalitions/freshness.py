"""Derived facts computed once per request, and kept across requests per data version.

The coalition home and the action plan both ask for the roadmap and the framework
evidence, and several steps read the same facts. Within one read-only request they are
computed once (``lib.request_memo``). Across read-only requests they are kept in the
"derived" cache under the coalition's data version (``coalitions.data_version``), which
every write changes, in the same transaction: the next request after a change, whichever
way it was written, derives the value again. The key also names the language (values
hold translated text) and today's date (a step may be due or overdue).

Requests that may write (POST and the like), services, tasks and commands have no memo
open and always compute afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import get_language

from commonground.coalitions import data_version
from commonground.coalitions.models import Coalition
from commonground.lib.request_memo import is_active, memoized

T = TypeVar("T")

_MISSING = object()


def once_per_request(
    coalition: Coalition,
    name: str,
    compute: Callable[[], T],
    *,
    apps: tuple[str, ...] | None = None,
) -> T:
    """``compute()``, computed at most once per request for this coalition and language,
    and in read-only requests at most once per version of the coalition's data, or with
    ``apps`` of those apps' data only (``coalitions`` is always included). Name an app
    only when every table the value reads belongs to it."""
    language = get_language() or "en"
    return memoized(
        ("coalitions", name, coalition.pk, language),
        lambda: _across_requests(coalition, name, language, compute, apps),
    )


def current_version(coalition: Coalition, apps: tuple[str, ...] | None = None) -> str | None:
    """The coalition's data version (or its apps'): every version of the coalition is read
    in one query, once per request (a write drops the memo)."""
    found = memoized(("data_version", coalition.pk), lambda: data_version.snapshot(coalition.pk))
    return data_version.compose(found, coalition.pk, apps)


def provided(
    coalition: Coalition,
    provider: Callable[..., Iterable[T]],
    reads: tuple[str, ...] | None,
    *args: object,
    key: str = "",
) -> tuple[T, ...]:
    """What a registered provider yields for the coalition (``provider(coalition,
    *args)``), kept per version of the apps it ``reads`` (None: every app), so that a
    write to one app derives again only the providers that read it. ``key`` names the
    arguments after the coalition (a notice provider's reader)."""
    name = f"provider:{provider.__module__}.{provider.__qualname__}:{key}"
    return once_per_request(coalition, name, lambda: tuple(provider(coalition, *args)), apps=reads)


def _across_requests(
    coalition: Coalition,
    name: str,
    language: str,
    compute: Callable[[], T],
    apps: tuple[str, ...] | None,
) -> T:
    if not is_active():
        return compute()
    version = current_version(coalition, apps)
    if version is None:
        return compute()
    cache = caches["derived"]
    # The name may hold a reader's filter values: hashed, any length and character is safe.
    digest = hashlib.sha256(f"{name}\x1f{apps}".encode()).hexdigest()[:32]
    key = f"{coalition.pk}:{language}:{timezone.localdate():%Y%m%d}:{version}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value)
    return value
