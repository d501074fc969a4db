"""Reminders on the coalition home before a funder's report is due (``coalitions.notices``).

Those who see funding details are reminded of every report not yet submitted that is due
within its reminder window (a task) or overdue (a warning).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import ngettext
from django_scopes import scope

from commonground.coalitions import notices
from commonground.coalitions import selectors as coalition_selectors
from commonground.coalitions.models import Coalition
from commonground.funding import selectors

if TYPE_CHECKING:
    from commonground.accounts.models import User


@notices.register(reads=("funding", "ecosystem"))
def reports_due(coalition: Coalition, user: User) -> Iterator[notices.Notice]:
    with scope(coalition=coalition):
        membership = coalition_selectors.membership_of(coalition=coalition, user=user)
        if membership is None or not selectors.can_see(membership):
            return
        on = selectors.today()
        waiting = selectors.reports_needing_attention(coalition=coalition, on=on)
    url = reverse("funding:calendar", args=[coalition.slug])
    overdue = [r for r in waiting if r.due_on < on]
    soon = [r for r in waiting if r.due_on >= on]
    if soon:
        first = min(soon, key=lambda r: r.due_on)
        yield notices.Notice(
            text=ngettext(
                "A funder report is due soon: %(title)s for %(source)s, due %(due)s.",
                "%(n)d funder reports are due soon; the first is %(title)s for %(source)s, "
                "due %(due)s.",
                len(soon),
            )
            % {
                "n": len(soon),
                "title": first.title,
                "source": first.source.name,
                "due": first.due_on,
            },
            url=url,
            kind="task",
            count=len(soon),
        )
    if overdue:
        yield notices.Notice(
            text=ngettext(
                "%(n)d funder report is overdue.", "%(n)d funder reports are overdue.", len(overdue)
            )
            % {"n": len(overdue)},
            url=url,
            kind="warning",
            count=len(overdue),
        )
