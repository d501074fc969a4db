"""Notices on the coalition home: agreements to renew before they lapse.

(Overdue action items, decisions' included, are already announced by assessments: one
``ActionItem`` model, one notice.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from commonground.coalitions import notices
from commonground.coalitions import selectors as coalition_selectors
from commonground.coalitions.models import Coalition, Membership
from commonground.governance import selectors

if TYPE_CHECKING:
    from commonground.accounts.models import User


@notices.register(reads=("governance", "assessments", "ecosystem"))
def agreements_to_renew(coalition: Coalition, user: User) -> Iterator[notices.Notice]:
    with scope(coalition=coalition):
        membership = coalition_selectors.membership_of(coalition=coalition, user=user)
        if membership is None or membership.role not in (
            Membership.Role.BACKBONE_ADMIN,
            Membership.Role.PARTNER,
        ):
            return
        on = selectors.today()
        due = selectors.renewals_due(coalition=coalition, on=on)
    url = reverse("governance:agreements", args=[coalition.slug])
    for agreement in sorted(due, key=lambda a: (selectors.reminder_date(a), a.pk)):
        day = selectors.reminder_date(agreement)
        if day is None:
            continue
        if day < on:
            text = _("The agreement “%(title)s” was due for renewal on %(day)s.")
        else:
            text = _("The agreement “%(title)s” is due for renewal on %(day)s.")
        yield notices.Notice(
            text=text % {"title": agreement.title, "day": day.isoformat()},
            url=f"{url}#agreement-{agreement.pk}",
            kind="warning",
        )
