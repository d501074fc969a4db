"""What each roadmap chapter has done and should do next, gathered from every app.

Apps register a step provider (``@register``) in their ``AppConfig.ready``; the
coalition home asks them all. Coalitions itself imports no other app this way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from commonground.coalitions.models import Coalition


@dataclass(frozen=True, slots=True)
class Step:
    chapter: int  # 1-4, the roadmap chapter's order
    label: str
    is_done: bool
    url: str = ""
    detail: str = ""


StepProvider = Callable[[Coalition], Iterable[Step]]
_providers: list[StepProvider] = []


def register(provider: StepProvider) -> StepProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def steps_by_chapter(coalition: Coalition) -> dict[int, list[Step]]:
    """Every registered step, grouped by chapter, done steps first."""
    chapters: dict[int, list[Step]] = defaultdict(list)
    for provider in _providers:
        for step in provider(coalition):
            chapters[step.chapter].append(step)
    return {
        chapter: sorted(steps, key=lambda step: not step.is_done)
        for chapter, steps in chapters.items()
    }
