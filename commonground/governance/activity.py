"""How the activity log says what happened in governance, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.coalitions import activity
from commonground.coalitions.activity import Entry, choice_label, quote
from commonground.governance.models import Decision, Policy, Vote

activity.noun("PowerTarget", gettext_lazy("power target"))
activity.noun("Body", gettext_lazy("governing body"))
activity.noun("Seat", gettext_lazy("seat"))
activity.noun("Meeting", gettext_lazy("meeting"))
activity.noun("Motion", gettext_lazy("motion"))
activity.noun("Vote", gettext_lazy("vote"))
activity.noun("Decision", gettext_lazy("decision"))
activity.noun("Agreement", gettext_lazy("agreement"))
activity.noun("Policy", gettext_lazy("policy"))


def _p(entry: Entry, key: str) -> str:
    return str(entry.params.get(key, ""))


@activity.renders("governance.target_set")
def target_set(entry: Entry) -> str:
    share = entry.params.get("share") or 0
    return _("Set the target for community voting power to %(pct)s%%") % {
        "pct": f"{float(share) * 100:g}"
    }


@activity.renders("governance.body_added")
def body_added(entry: Entry) -> str:
    return _("Added the governing body %(name)s") % {"name": quote(_p(entry, "name"))}


@activity.renders("governance.body_changed")
def body_changed(entry: Entry) -> str:
    return _("Changed the governing body %(name)s") % {"name": quote(_p(entry, "name"))}


@activity.renders("governance.seat_added")
def seat_added(entry: Entry) -> str:
    if entry.params.get("vacant"):
        return _("Added the vacant seat %(seat)s to %(body)s") % {
            "seat": quote(_p(entry, "seat")),
            "body": quote(_p(entry, "body")),
        }
    return _("Added the seat %(seat)s to %(body)s") % {
        "seat": quote(_p(entry, "seat")),
        "body": quote(_p(entry, "body")),
    }


@activity.renders("governance.seat_changed")
def seat_changed(entry: Entry) -> str:
    return _("Changed the seat %(seat)s of %(body)s") % {
        "seat": quote(_p(entry, "seat")),
        "body": quote(_p(entry, "body")),
    }


@activity.renders("governance.meeting_added")
def meeting_added(entry: Entry) -> str:
    return _("Scheduled a meeting of %(body)s on %(on)s") % {
        "body": quote(_p(entry, "body")),
        "on": _p(entry, "on"),
    }


@activity.renders("governance.meeting_changed")
def meeting_changed(entry: Entry) -> str:
    return _("Updated the meeting of %(body)s on %(on)s") % {
        "body": quote(_p(entry, "body")),
        "on": _p(entry, "on"),
    }


@activity.renders("governance.attendance_recorded")
def attendance_recorded(entry: Entry) -> str:
    return _("Recorded attendance at the meeting of %(body)s on %(on)s: %(n)s present") % {
        "body": quote(_p(entry, "body")),
        "on": _p(entry, "on"),
        "n": _p(entry, "present"),
    }


@activity.renders("governance.motion_added")
def motion_added(entry: Entry) -> str:
    return _("Put the motion %(title)s on the agenda of %(body)s") % {
        "title": quote(_p(entry, "title")),
        "body": quote(_p(entry, "body")),
    }


@activity.renders("governance.vote_cast")
def vote_cast(entry: Entry) -> str:
    values = {
        "seat": quote(_p(entry, "seat")),
        "choice": choice_label(Vote.Choice, entry.params.get("choice")),
        "motion": quote(_p(entry, "motion")),
    }
    if entry.params.get("roll_call"):
        return _("Recorded the seat %(seat)s's vote on %(motion)s: %(choice)s") % values
    return _("Voted %(choice)s on %(motion)s in the seat %(seat)s") % values


@activity.renders("governance.decision_recorded")
def decision_recorded(entry: Entry) -> str:
    return _("Recorded the decision %(title)s of %(body)s: %(result)s") % {
        "title": quote(_p(entry, "title")),
        "body": quote(_p(entry, "body")),
        "result": choice_label(Decision.Result, entry.params.get("result")),
    }


@activity.renders("governance.decision_reopened")
def decision_reopened(entry: Entry) -> str:
    return _("Reopened the decision %(title)s: %(reason)s") % {
        "title": quote(_p(entry, "title")),
        "reason": _p(entry, "reason"),
    }


@activity.renders("governance.decision_edited")
def decision_edited(entry: Entry) -> str:
    return _("Edited the decision %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("governance.agreement_added")
def agreement_added(entry: Entry) -> str:
    return _("Added the agreement %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("governance.agreement_changed")
def agreement_changed(entry: Entry) -> str:
    return _("Changed the agreement %(title)s") % {"title": quote(_p(entry, "title"))}


@activity.renders("governance.policy_added")
def policy_added(entry: Entry) -> str:
    return _("Added the policy %(title)s to the agenda") % {"title": quote(_p(entry, "title"))}


@activity.renders("governance.policy_changed")
def policy_changed(entry: Entry) -> str:
    return _("Changed the policy %(title)s (%(status)s)") % {
        "title": quote(_p(entry, "title")),
        "status": choice_label(Policy.Status, entry.params.get("status")),
    }
