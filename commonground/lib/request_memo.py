"""A memo that lives for one read-only request, so shared facts are computed once.

Several parts of one page may ask for the same derived facts (the coalition home asks
every app for its roadmap steps, and more than one of them reads the ecosystem map).
``RequestMemoMiddleware`` opens an empty memo for each GET or HEAD request and drops it
when the response is ready; ``memoized(key, compute)`` returns the value computed
earlier in the same request, or computes and keeps it.

Outside a request (services, commands, tasks, tests calling selectors directly), and in
requests that may write (POST and the like), no memo is open and ``memoized`` simply
calls ``compute``: nothing can be served stale after a write, and nothing outlives the
request. Only read-only selectors should use it, with a key that names everything the
value depends on (e.g. ``("ecosystem_facts", coalition.pk)``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponseBase

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("cg_request_memo", default=None)

#: Methods that do not change data; only their requests get a memo.
SAFE_METHODS = frozenset({"GET", "HEAD"})


@contextmanager
def request_memo() -> Iterator[None]:
    """Open an empty memo for the duration of the block (one request)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def forget() -> None:
    """Drop what the current request has memoized (its data has just been written)."""
    store = _memo.get()
    if store:
        store.clear()


def is_active() -> bool:
    return _memo.get() is not None


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, computed at most once per request for ``key``.

    >>> calls = []
    >>> memoized("k", lambda: calls.append(1) or len(calls))  # no memo open
    1
    >>> with request_memo():
    ...     memoized("k", lambda: calls.append(1) or len(calls)), memoized("k", lambda: 99)
    (2, 2)
    """
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    value: T = store[key]
    return value


class RequestMemoMiddleware:
    """Give each GET and HEAD request its own memo (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        with request_memo():
            return self.get_response(request)
