"""Notices on the coalition home about overdue action items (``coalitions.notices``).

Every member who owns overdue items sees how many, linked to "My tasks"; backbone
admins also see how many items of the whole plan are overdue, linked to the plan. The
overdue rule is ``domain.roadmap.is_overdue``, on the site's date.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import ngettext
from django_scopes import scope

from commonground.assessments import selectors
from commonground.coalitions import notices
from commonground.coalitions import selectors as coalition_selectors
from commonground.coalitions.models import Coalition, Membership

if TYPE_CHECKING:
    from commonground.accounts.models import User


@notices.register(reads=("assessments",))
def overdue_actions(coalition: Coalition, user: User) -> Iterator[notices.Notice]:
    with scope(coalition=coalition):
        membership = coalition_selectors.membership_of(coalition=coalition, user=user)
        if membership is None:
            return
        on = selectors.today()
        mine = selectors.count_overdue(coalition=coalition, on=on, owner=membership)
        everyone = (
            selectors.count_overdue(coalition=coalition, on=on)
            if membership.role == Membership.Role.BACKBONE_ADMIN
            else 0
        )
    if mine:
        yield notices.Notice(
            text=ngettext(
                "%(n)d of your tasks is overdue.", "%(n)d of your tasks are overdue.", mine
            )
            % {"n": mine},
            url=reverse("assessments:my_tasks", args=[coalition.slug]),
            kind="task",
            count=mine,
        )
    if everyone:
        yield notices.Notice(
            text=ngettext(
                "%(n)d action in the action plan is overdue.",
                "%(n)d actions in the action plan are overdue.",
                everyone,
            )
            % {"n": everyone},
            url=reverse("assessments:roadmap", args=[coalition.slug]) + "#plan-title",
            kind="warning",
            count=everyone,
        )
