"""How the activity log says that a proposed action was set aside or brought back."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.coalitions import activity
from commonground.coalitions.activity import Entry, quote

activity.noun("DismissedProposal", gettext_lazy("set-aside proposal"))


@activity.renders("assessments.proposal_set_aside")
def proposal_set_aside(entry: Entry) -> str:
    return _("Set aside the proposal %(title)s") % {"title": quote(entry.params["title"])}


@activity.renders("assessments.proposal_restored")
def proposal_restored(entry: Entry) -> str:
    return _("Brought back the proposal %(title)s") % {"title": quote(entry.params["title"])}
