from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from commonground.lib.request_memo import RequestMemoMiddleware, is_active, memoized, request_memo


def counter() -> Callable[[], int]:
    """A computation that answers how many times it has run."""
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return compute


def test_outside_a_request_every_call_computes() -> None:
    compute = counter()
    assert not is_active()
    assert [memoized("k", compute), memoized("k", compute)] == [1, 2]


def test_inside_a_memo_a_key_is_computed_once_and_forgotten_after() -> None:
    compute = counter()
    with request_memo():
        assert is_active()
        assert [memoized("k", compute), memoized("k", compute)] == [1, 1]
        assert memoized("other", compute) == 2
    assert not is_active()
    with request_memo():
        assert memoized("k", compute) == 3  # a new request starts empty


def run_middleware(method: str, view: Any) -> None:
    request = getattr(RequestFactory(), method.lower())("/")
    RequestMemoMiddleware(view)(request)


def test_middleware_opens_a_memo_for_reads_only() -> None:
    seen: dict[str, bool] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen[request.method or ""] = is_active()
        return HttpResponse()

    for method in ("GET", "HEAD", "POST", "PUT", "DELETE"):
        run_middleware(method, view)
    assert seen == {"GET": True, "HEAD": True, "POST": False, "PUT": False, "DELETE": False}
    assert not is_active()
