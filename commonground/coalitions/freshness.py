"""Derived facts computed once per request.

The coalition home and the action plan both ask for the roadmap and the framework
evidence, and several steps read the same facts; within one read-only request they are
computed once (``lib.request_memo``). Nothing is kept across requests: the next request
sees every change, whichever way it was written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.utils.translation import get_language

from commonground.coalitions.models import Coalition
from commonground.lib.request_memo import memoized

T = TypeVar("T")


def once_per_request(coalition: Coalition, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, computed at most once per request for this coalition and language."""
    return memoized(("coalitions", name, coalition.pk, get_language() or "en"), compute)
