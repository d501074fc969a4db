"""Functions that capability apps register with coalitions, each with the apps it reads.

The roadmap's steps (``coalitions.roadmap``), the framework evidence
(``coalitions.evidence``) and the home's notices (``coalitions.notices``) come from
providers that the capability apps register in their ``AppConfig.ready``; coalitions
imports none of those apps. Each of the three keeps a ``Registry``: its providers in the
order they were registered, with the apps each declared that it ``reads``, so that its
output is kept per version of those apps' data (``coalitions.freshness.provided``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, overload

Reads = tuple[str, ...] | None


class Registry[P: Callable[..., Any]]:
    """Providers in registration order, with the apps each reads."""

    def __init__(self) -> None:
        self._reads: dict[P, Reads] = {}

    @overload
    def register(self, provider: P, *, reads: Reads = None) -> P: ...
    @overload
    def register(self, provider: None = None, *, reads: Reads = None) -> Callable[[P], P]: ...
    def register(self, provider: P | None = None, *, reads: Reads = None) -> P | Callable[[P], P]:
        """Register ``provider``; usable as ``@register`` or ``@register(reads=(...))``.
        Registering a function again keeps its place and takes the new ``reads``.

        ``reads`` names the apps whose tables the provider reads (``coalitions`` and the
        accounts are always included): its output is then derived again only after a write
        to one of them. None, the default, means every app.

        >>> registry: Registry[Callable[[], int]] = Registry()
        >>> @registry.register(reads=("voice",))
        ... def answers() -> int:
        ...     return 1
        >>> list(registry) == [answers], registry.reads_of(answers)
        (True, ('voice',))
        """
        if provider is None:
            return lambda found: self.register(found, reads=reads)
        self._reads[provider] = reads
        return provider

    def unregister(self, provider: P) -> None:
        """Remove a provider (tests use this to clean up after themselves)."""
        self._reads.pop(provider, None)

    def reads_of(self, provider: P) -> Reads:
        return self._reads.get(provider)

    def __iter__(self) -> Iterator[P]:
        # A copy: a provider registered while the others run does not disturb the loop.
        return iter(tuple(self._reads))

    def __contains__(self, provider: object) -> bool:
        return provider in self._reads
