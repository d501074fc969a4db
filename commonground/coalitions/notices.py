"""Notices at the top of the coalition home: what needs this person's attention now.

Any app registers a provider in its ``AppConfig.ready``::

    from commonground.coalitions import notices

    @notices.register
    def pending_surveys(coalition, user):
        ...
        yield notices.Notice(text=_("A network survey waits for you."), url=..., kind="task")

A provider is called with the coalition and the signed-in user on every home page
view and yields ``Notice`` values whose ``text`` is already translated (call gettext
inside the provider, not at import time). The home renders every notice, tasks first,
then warnings, then information; with no notice nothing is shown. Coalitions itself
imports no other app this way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from commonground.coalitions.freshness import once_per_request, provided
from commonground.coalitions.models import Coalition
from commonground.coalitions.providers import Registry

if TYPE_CHECKING:
    from commonground.accounts.models import User

NoticeKind = Literal["task", "warning", "info"]
KINDS: tuple[NoticeKind, ...] = ("task", "warning", "info")


@dataclass(frozen=True, slots=True)
class Notice:
    text: str  # already translated, plain text (escaped when rendered)
    url: str = ""  # where to act on it; empty for a notice with nothing to open
    kind: NoticeKind = "info"
    count: int | None = None  # shown as a badge, e.g. 3 overdue tasks

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Notice kind must be one of {', '.join(KINDS)}, not {self.kind!r}.")
        if not self.text:
            raise ValueError("A notice needs a text.")


NoticeProvider = Callable[[Coalition, "User"], Iterable[Notice]]
registry: Registry[NoticeProvider] = Registry()
register = registry.register
reads_of = registry.reads_of
unregister = registry.unregister


def notices_for(coalition: Coalition, user: User) -> list[Notice]:
    """Every registered provider's notices for this person: tasks, then warnings, then
    information, each group in the providers' registration order (derived once per
    version of the coalition's data, per person: ``coalitions.freshness``)."""
    providers = tuple(registry)

    def gather() -> list[Notice]:
        found = [
            notice
            for provider in providers
            for notice in provided(coalition, provider, reads_of(provider), user, key=str(user.pk))
        ]
        return sorted(found, key=lambda notice: KINDS.index(notice.kind))

    return once_per_request(coalition, f"notices:{user.pk}:{hash(providers)}", gather)
