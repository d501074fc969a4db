"""The coalition's roadmap: what each chapter has done and should do next, from every app.

Apps register a step provider (``@register``) in their ``AppConfig.ready``; a
provider yields ``Step`` values for the coalition. ``build_roadmap`` is the one
function that gathers them and computes each chapter's progress: the coalition home,
the "Roadmap and action plan" page and the API all render what it returns, so they
always agree. Coalitions itself imports no other app this way.

Progress rule: a chapter's steps are every step any provider yields for it, done
steps first and otherwise in the providers' order; its progress is
``done steps / steps`` (``percent`` rounds it to a whole number); its next step is the
first step not done. A chapter no provider tells has no steps and no progress.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from commonground import framework
from commonground.coalitions.models import Coalition
from commonground.coalitions.providers import Registry


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a chapter. ``key`` is stable (the API gives it); ``label`` and
    ``detail`` are already translated."""

    chapter: int  # 1-4, the roadmap chapter's order
    label: str
    is_done: bool
    url: str = ""
    detail: str = ""
    key: str = ""


@dataclass(frozen=True, slots=True)
class ChapterProgress:
    """One chapter of the roadmap with its steps and progress (module docstring)."""

    chapter: framework.Chapter
    steps: tuple[Step, ...]
    done: int
    total: int
    progress: float  # 0 to 1
    percent: int  # 0 to 100
    next: Step | None


@dataclass(frozen=True, slots=True)
class Roadmap:
    chapters: tuple[ChapterProgress, ...]


StepProvider = Callable[[Coalition], Iterable[Step]]
registry: Registry[StepProvider] = Registry()
register = registry.register
reads_of = registry.reads_of
unregister = registry.unregister


def _keyed(provider: StepProvider, steps: Iterable[Step]) -> Iterable[Step]:
    """Give a step without a key one made from its provider and position (a provider
    should set its own: this one changes when the provider's steps change)."""
    for position, step in enumerate(steps):
        if step.key:
            yield step
        else:
            name = f"{provider.__module__.removeprefix('commonground.')}.{provider.__name__}"
            yield Step(
                step.chapter, step.label, step.is_done, step.url, step.detail, f"{name}.{position}"
            )


def steps_by_chapter(coalition: Coalition) -> dict[int, list[Step]]:
    """Every registered step, grouped by chapter order, done steps first."""
    from commonground.coalitions.freshness import provided

    chapters: dict[int, list[Step]] = defaultdict(list)
    for provider in registry:
        found = provided(coalition, provider, reads_of(provider))
        for step in _keyed(provider, found):
            chapters[step.chapter].append(step)
    return {
        chapter: sorted(steps, key=lambda step: not step.is_done)
        for chapter, steps in chapters.items()
    }


def build_roadmap(coalition: Coalition) -> Roadmap:
    """The four chapters with their steps, done count, progress and next step (built
    once per request: the home and the action plan ask more than once)."""
    from commonground.coalitions.freshness import once_per_request

    return once_per_request(coalition, "roadmap", lambda: _build_roadmap(coalition))


def _build_roadmap(coalition: Coalition) -> Roadmap:
    steps = steps_by_chapter(coalition)
    chapters = []
    for chapter in framework.CHAPTERS:
        chapter_steps = tuple(steps.get(chapter.order, ()))
        done = sum(step.is_done for step in chapter_steps)
        total = len(chapter_steps)
        chapters.append(
            ChapterProgress(
                chapter=chapter,
                steps=chapter_steps,
                done=done,
                total=total,
                progress=done / total if total else 0.0,
                percent=round(100 * done / total) if total else 0,
                next=next((step for step in chapter_steps if not step.is_done), None),
            )
        )
    return Roadmap(chapters=tuple(chapters))
