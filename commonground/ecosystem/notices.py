"""The ecosystem's notices on the coalition home (``commonground.coalitions.notices``):
a member sees the network survey waiting for their organization's answer; a backbone admin
sees how many invited partners have not answered an open survey."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from commonground.coalitions import selectors as coalition_selectors
from commonground.coalitions.models import Coalition, Membership
from commonground.coalitions.notices import Notice
from commonground.ecosystem import selectors, survey_selectors
from commonground.ecosystem.models import NetworkSurvey


def pending_surveys(coalition: Coalition, user: Any) -> Iterator[Notice]:
    """A task for each open survey this person's organization has not answered."""
    for invitation in survey_selectors.pending_invitations(coalition=coalition, user=user):
        yield Notice(
            text=_("Answer the partner network survey “%(title)s” for %(organization)s")
            % {"title": invitation.survey.title, "organization": invitation.actor.name},
            url=reverse("ecosystem:survey_answer", args=[coalition.slug, invitation.pk]),
            kind="task",
        )


def unanswered_surveys(coalition: Coalition, user: Any) -> Iterator[Notice]:
    """For backbone admins: open surveys with partners that have not answered."""
    with scope(coalition=coalition):
        membership = coalition_selectors.membership_of(coalition=coalition, user=user)
        if membership is None or membership.role != Membership.Role.BACKBONE_ADMIN:
            return
        surveys = list(
            selectors.list_surveys(coalition=coalition).filter(status=NetworkSurvey.Status.OPEN)
        )
    for survey in surveys:
        counts: Any = survey  # annotated by list_surveys
        missing = int(counts.invited_count) - int(counts.responded_count)
        if missing <= 0:
            continue
        yield Notice(
            text=ngettext(
                "“%(title)s”: %(count)d invited partner has not answered yet",
                "“%(title)s”: %(count)d invited partners have not answered yet",
                missing,
            )
            % {"title": survey.title, "count": missing},
            url=reverse("ecosystem:survey_detail", args=[coalition.slug, survey.pk]),
            kind="info",
            count=missing,
        )
