"""How the activity log says what happened in assessments, in the reader's language.

The assessment services write an English ``summary`` with framework ids and choice codes
in it ("Tactic support_community_led_activities: not_started", "Opened the 2026 round of
decision_points"). These renderers read the row's ``after``/``before`` values and, where a
value is only in the summary, the summary itself, and name every exercise, tactic,
decision point and status in the reader's language. Rows that carry an event code
("assessments.<what>", with the same values in ``params``) render the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from commonground import framework
from commonground.assessments.models import ActionItem, Assessment, MemberType, TacticStatus
from commonground.coalitions import activity
from commonground.coalitions.activity import Entry, choice_label, humanize, label_to_value, quote
from commonground.coalitions.models import AuditEvent

Action = AuditEvent.Action

activity.noun("Assessment", gettext_lazy("assessment round"))
activity.noun("Response", gettext_lazy("answer"))
activity.noun("AnonymousResponse", gettext_lazy("anonymous answer"))
activity.noun("Participation", gettext_lazy("participation"))
activity.noun("AgreedPosition", gettext_lazy("agreed position"))
activity.noun("DomainDocument", gettext_lazy("four-domains document"))
activity.noun("DomainDocumentVersion", gettext_lazy("version of the four-domains document"))
activity.noun("DomainComment", gettext_lazy("comment"))
activity.noun("TacticStatus", gettext_lazy("capacity tactic"))
activity.noun("RoleMatrix", gettext_lazy("role matrix"))
activity.noun("RoleMatrixEntry", gettext_lazy("role matrix entry"))
activity.noun("ActionItem", gettext_lazy("action"))

_EXERCISE_LABEL = re.compile(r"(.+?) (\d{4})")


def _language() -> str:
    return get_language() or "en"


def exercise(kind: object) -> str:
    """An exercise's name in the reader's language, quoted: “Decision points”."""
    return quote(choice_label(Assessment.Kind, kind))


def round_of(kind: object, round_number: object) -> str:
    return _("the %(round)s round of %(exercise)s") % {
        "exercise": exercise(kind),
        "round": round_number,
    }


def _round_from_label(label: str) -> str:
    """ "Collaboration readiness 2025" (an assessment as its ``__str__`` wrote it, in
    whichever language) in the reader's language."""
    found = _EXERCISE_LABEL.fullmatch(label.strip())
    if found:
        kind = label_to_value(Assessment.Kind, found.group(1))
        if kind:
            return round_of(kind, found.group(2))
    return quote(label)


def tactic_name(tactic_id: object) -> str:
    try:
        return quote(framework.get_tactic(str(tactic_id)).name.get(_language()))
    except framework.UnknownFrameworkId:
        return quote(humanize(tactic_id))


def decision_point_name(point_id: object) -> str:
    try:
        return quote(framework.get_decision_point(str(point_id)).name.get(_language()))
    except framework.UnknownFrameworkId:
        return quote(humanize(point_id))


def _values(entry: Entry, pattern: str, *names: str) -> dict[str, Any]:
    """``params`` of an event-coded row; for a row without, ``after`` merged with the
    groups of ``pattern`` matched against the summary (named as ``names``)."""
    if entry.event:
        return dict(entry.params)
    values: dict[str, Any] = dict(entry.after)
    found = entry.match(pattern)
    if found:
        for name, value in zip(names, found.groups(), strict=False):
            values.setdefault(name, value)
    return values


# Rounds ---------------------------------------------------------------------------------

_OPENED = r"Opened the (\d+) round of (\S+)"
_CLOSED = r"Closed the (\d+) round of (\S+?)(?: \(release \d+\))?"
_REOPENED = r"Reopened the (\d+) round of (\S+)"


@activity.renders("assessments.round_opened")
def round_opened(entry: Entry) -> str | None:
    values = _values(entry, _OPENED, "round_number", "kind")
    if "kind" not in values:
        return None
    if values.get("is_anonymous"):
        return _("Opened the %(round)s round of %(exercise)s, with anonymous answers") % {
            "round": values["round_number"],
            "exercise": exercise(values["kind"]),
        }
    return _("Opened the %(round)s round of %(exercise)s") % {
        "round": values["round_number"],
        "exercise": exercise(values["kind"]),
    }


@activity.renders("assessments.round_closed")
def round_closed(entry: Entry) -> str | None:
    values = _values(entry, _CLOSED, "round_number", "kind")
    if "kind" not in values:
        return None
    return _("Closed the %(round)s round of %(exercise)s and released its results") % {
        "round": values["round_number"],
        "exercise": exercise(values["kind"]),
    }


@activity.renders("assessments.round_reopened")
def round_reopened(entry: Entry) -> str | None:
    values = _values(entry, _REOPENED, "round_number", "kind")
    if "kind" not in values:
        return None
    return _("Reopened the %(round)s round of %(exercise)s") % {
        "round": values["round_number"],
        "exercise": exercise(values["kind"]),
    }


@activity.renders("assessments.anonymous_answer")
def anonymous_answer(entry: Entry) -> str | None:
    if entry.event:
        where = round_of(entry.params["kind"], entry.params["round_number"])
    else:
        found = entry.match(r"An anonymous answer to (.+) was recorded")
        if not found:
            return None
        where = _round_from_label(found.group(1))
    return _("An anonymous answer to %(round)s was recorded") % {"round": where}


@activity.renders("assessments.paper_worksheet")
def paper_worksheet(entry: Entry) -> str | None:
    if entry.event:
        where = round_of(entry.params["kind"], entry.params["round_number"])
    else:
        found = entry.match(r"Entered a paper worksheet for (.+)")
        if not found:
            return None
        where = _round_from_label(found.group(1))
    member_type = (entry.params if entry.event else entry.after).get("member_type")
    if member_type:
        return _("Entered a paper worksheet for %(round)s (%(group)s)") % {
            "round": where,
            "group": choice_label(MemberType, member_type),
        }
    return _("Entered a paper worksheet for %(round)s") % {"round": where}


@activity.renders("assessments.answered")
def answered(entry: Entry) -> str | None:
    if entry.event:
        name = entry.params["name"]
        where = round_of(entry.params["kind"], entry.params["round_number"])
    else:
        found = entry.match(r"(.+) answered (.+)")
        if not found:
            return None
        name, where = found.group(1), _round_from_label(found.group(2))
    return _("%(name)s answered %(round)s") % {"name": name, "round": where}


@activity.renders_legacy("Assessment")
def _assessment_legacy(entry: Entry) -> str | None:
    for renderer in (round_opened, round_closed, round_reopened, anonymous_answer):
        text = renderer(entry)
        if text:
            return text
    return paper_worksheet(entry)


@activity.renders_legacy("Response", "AnonymousResponse")
def _response_legacy(entry: Entry) -> str | None:
    return paper_worksheet(entry) or answered(entry)


# Decision points and the four-domains document ---------------------------------------------

_AGREED = r"Agreed position on (\S+): (-?\d+)"
_POSITION_REOPENED = r"Reopened the agreed position on (\S+) for changes"


@activity.renders("assessments.position_agreed")
def position_agreed(entry: Entry) -> str | None:
    values = _values(entry, _AGREED, "decision_point", "position")
    if "decision_point" not in values:
        return None
    return _("Set the agreed position on %(point)s at %(position)s") % {
        "point": decision_point_name(values["decision_point"]),
        "position": values["position"],
    }


@activity.renders("assessments.position_reopened")
def position_reopened(entry: Entry) -> str | None:
    values = _values(entry, _POSITION_REOPENED, "decision_point")
    if "decision_point" not in values:
        return None
    return _("Reopened the agreed position on %(point)s for changes") % {
        "point": decision_point_name(values["decision_point"])
    }


@activity.renders_legacy("AgreedPosition")
def _position_legacy(entry: Entry) -> str | None:
    return position_reopened(entry) if entry.match(_POSITION_REOPENED) else position_agreed(entry)


@activity.renders("assessments.domains_version_saved")
@activity.renders_legacy("DomainDocumentVersion")
def domains_version_saved(entry: Entry) -> str | None:
    values = _values(entry, r"Saved version (\d+) of the four-domains document", "number")
    if "number" not in values:
        return None
    return _("Saved version %(number)s of the four-domains document") % {"number": values["number"]}


@activity.renders("assessments.domains_commented")
@activity.renders_legacy("DomainComment")
def domains_commented(entry: Entry) -> str | None:
    values = _values(entry, r"Commented on version (\d+) of the four-domains document", "number")
    if "number" not in values:
        return None
    return _("Commented on version %(number)s of the four-domains document") % {
        "number": values["number"]
    }


# Tactics, the role matrix and the action plan -------------------------------------------


def _status(choices: Any, value: object) -> str:
    return choice_label(choices, value)


@activity.renders("assessments.tactic_status_changed")
@activity.renders_legacy("TacticStatus")
def tactic_status(entry: Entry) -> str | None:
    values = _values(entry, r"Tactic (\S+): (\S+)", "tactic", "status")
    if "tactic" not in values:
        return None
    before: Mapping[str, Any] = entry.before
    old, new = before.get("status"), values.get("status")
    name = tactic_name(values["tactic"])
    if old and new and old != new:
        return _("Capacity tactic %(tactic)s: %(old)s → %(new)s") % {
            "tactic": name,
            "old": _status(TacticStatus.Status, old),
            "new": _status(TacticStatus.Status, new),
        }
    if new and (entry.action == Action.CREATE or not old):
        return _("Capacity tactic %(tactic)s: %(status)s") % {
            "tactic": name,
            "status": _status(TacticStatus.Status, new),
        }
    return _("Updated the owner or evidence of the capacity tactic %(tactic)s") % {"tactic": name}


@activity.renders("assessments.role_matrix_saved")
@activity.renders_legacy("RoleMatrix")
def role_matrix_saved(entry: Entry) -> str:
    return _("Saved the role matrix")


@activity.renders("assessments.action_added", "assessments.action_changed")
@activity.renders_legacy("ActionItem")
def action_item(entry: Entry) -> str | None:
    values = dict(entry.params) if entry.event else dict(entry.after)
    title = values.get("title")
    if not title:
        found = entry.match(r"Added action: (.+)") or entry.match(r"Action “(.+)” changed")
        title = found.group(1) if found else ""
    if not title:
        return None
    if entry.action == Action.CREATE:
        return _("Added the action %(title)s to the action plan") % {"title": quote(title)}
    before: Mapping[str, Any] = entry.before
    old, new = before.get("status"), values.get("status")
    if old and new and old != new:
        return _("Action %(title)s: %(old)s → %(new)s") % {
            "title": quote(title),
            "old": _status(ActionItem.Status, old),
            "new": _status(ActionItem.Status, new),
        }
    return _("Updated the action %(title)s") % {"title": quote(title)}
