"""How the activity log says what happened on the ecosystem map, in the reader's language.

Rows with an event code ("ecosystem.<what>") read their ``params``; rows written before
events existed are read from their ``before``/``after`` values and English ``summary``.
A row removed together with another one (a tie with its actor) says so, by the kind of
record, never by its class name and id.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commonground.coalitions import activity
from commonground.coalitions.activity import Entry, quote
from commonground.coalitions.models import AuditEvent

Action = AuditEvent.Action

activity.noun("Actor", gettext_lazy("actor"))
activity.noun("Tie", gettext_lazy("tie"))
activity.noun("NetworkSurvey", gettext_lazy("network survey"))
activity.noun("SurveyInvitation", gettext_lazy("survey link"))
activity.noun("SurveyResponse", gettext_lazy("network survey answer"))
activity.noun("Snapshot", gettext_lazy("snapshot"))


def _values(entry: Entry, pattern: str, *names: str) -> dict[str, Any]:
    """``params`` of an event-coded row; for a row without, ``after`` merged with the
    groups of ``pattern`` matched against the summary (named as ``names``)."""
    if entry.event:
        return dict(entry.params)
    values: dict[str, Any] = dict(entry.after)
    found = entry.match(pattern)
    if found:
        for name, value in zip(names, found.groups(), strict=False):
            values[name] = value
    return values


# Actors ---------------------------------------------------------------------------------

_ADDED = r"Added (.+) to the ecosystem map"
_UPDATED = r"Updated (.+) on the ecosystem map"
_ARCHIVED = r"Archived (.+): (\d+) partner ties and (\d+) survey answers refer to it"
_RESTORED = r"Restored (.+) to the ecosystem map"
_PLACED = r"Placed (.+) on the power map"
_REMOVED = r"Removed (.+) from the ecosystem map"


@activity.renders("ecosystem.actor_added")
def actor_added(entry: Entry) -> str | None:
    values = _values(entry, _ADDED, "name")
    return _("Added %(name)s to the ecosystem map") % {"name": quote(values["name"])}


@activity.renders("ecosystem.actor_updated")
def actor_updated(entry: Entry) -> str | None:
    values = _values(entry, _UPDATED, "name")
    return _("Updated %(name)s on the ecosystem map") % {"name": quote(values["name"])}


@activity.renders("ecosystem.actor_archived")
def actor_archived(entry: Entry) -> str | None:
    values = _values(entry, _ARCHIVED, "name", "partner_ties", "survey_answers")
    return _(
        "Archived %(name)s instead of removing it: %(ties)s partner ties and %(answers)s "
        "survey answers refer to it"
    ) % {
        "name": quote(values["name"]),
        "ties": values["partner_ties"],
        "answers": values["survey_answers"],
    }


@activity.renders("ecosystem.actor_restored")
def actor_restored(entry: Entry) -> str | None:
    values = _values(entry, _RESTORED, "name")
    return _("Restored %(name)s to the ecosystem map") % {"name": quote(values["name"])}


@activity.renders("ecosystem.power_map_placed")
def power_map_placed(entry: Entry) -> str | None:
    values = _values(entry, _PLACED, "name")
    if values.get("influence") is not None and values.get("alignment") is not None:
        return _(
            "Placed %(name)s on the power map (influence %(influence)s, alignment %(alignment)s)"
        ) % {
            "name": quote(values["name"]),
            "influence": values["influence"],
            "alignment": values["alignment"],
        }
    return _("Placed %(name)s on the power map") % {"name": quote(values["name"])}


@activity.renders("ecosystem.actor_removed")
def actor_removed(entry: Entry) -> str | None:
    values = _values(entry, _REMOVED, "name")
    return _("Removed %(name)s from the ecosystem map") % {"name": quote(values["name"])}


@activity.renders_legacy("Actor")
def _actor_legacy(entry: Entry) -> str | None:
    for pattern, renderer in (
        (_ADDED, actor_added),
        (_UPDATED, actor_updated),
        (_ARCHIVED, actor_archived),
        (_RESTORED, actor_restored),
        (_PLACED, power_map_placed),
        (_REMOVED, actor_removed),
    ):
        if entry.match(pattern):
            return renderer(entry)
    return None


# Ties -----------------------------------------------------------------------------------

_TIE = r"Tie (.+) → (.+)"
_TIE_REMOVED = r"Removed the tie (.+) → (.+)"


@activity.renders("ecosystem.tie_saved")
def tie_saved(entry: Entry) -> str | None:
    values = _values(entry, _TIE, "from_name", "to_name")
    names = {"from": quote(values["from_name"]), "to": quote(values["to_name"])}
    if entry.action == Action.CREATE:
        return _("Added the tie %(from)s → %(to)s") % names
    return _("Updated the tie %(from)s → %(to)s") % names


@activity.renders("ecosystem.tie_removed")
def tie_removed(entry: Entry) -> str | None:
    values = _values(entry, _TIE_REMOVED, "from_name", "to_name")
    return _("Removed the tie %(from)s → %(to)s") % {
        "from": quote(values["from_name"]),
        "to": quote(values["to_name"]),
    }


@activity.renders_legacy("Tie")
def _tie_legacy(entry: Entry) -> str | None:
    if entry.match(_TIE_REMOVED):
        return tie_removed(entry)
    if entry.match(_TIE):
        return tie_saved(entry)
    return None


# The network survey ---------------------------------------------------------------------

_SURVEY_OPENED = r"Opened the network survey (.+)"
_SURVEY_CLOSED = r"Closed the network survey (.+)"
_LINK = r"Survey link for (.+)"
_NEW_LINK = r"New survey link for (.+?)(, downloaded)?"
_EMAILED = r"E-mailed the survey link for (.+)"
_REMINDED = r"Sent a survey reminder for (.+) with a new link"
_ANSWERED = r"(.+) answered the network survey \((\d+) partners?\)"


@activity.renders("ecosystem.survey_opened")
def survey_opened(entry: Entry) -> str | None:
    values = _values(entry, _SURVEY_OPENED, "title")
    invited = values.get("invited")
    count = len(invited) if isinstance(invited, list) else invited
    if isinstance(count, int) and count:
        return ngettext(
            "Opened the network survey %(title)s for %(count)s partner",
            "Opened the network survey %(title)s for %(count)s partners",
            count,
        ) % {"title": quote(values["title"]), "count": count}
    return _("Opened the network survey %(title)s") % {"title": quote(values["title"])}


@activity.renders("ecosystem.survey_closed")
def survey_closed(entry: Entry) -> str | None:
    values = _values(entry, _SURVEY_CLOSED, "title")
    return _("Closed the network survey %(title)s") % {"title": quote(values["title"])}


@activity.renders_legacy("NetworkSurvey")
def _survey_legacy(entry: Entry) -> str | None:
    if entry.match(_SURVEY_OPENED):
        return survey_opened(entry)
    if entry.match(_SURVEY_CLOSED):
        return survey_closed(entry)
    return None


@activity.renders("ecosystem.survey_link_created")
def survey_link_created(entry: Entry) -> str | None:
    values = _values(entry, _LINK, "name")
    return _("Created a survey link for %(name)s") % {"name": quote(values["name"])}


@activity.renders("ecosystem.survey_link_renewed")
def survey_link_renewed(entry: Entry) -> str | None:
    values = _values(entry, _NEW_LINK, "name", "downloaded")
    if values.get("downloaded"):
        return _("Created a new survey link for %(name)s in the downloaded list") % {
            "name": quote(values["name"])
        }
    return _("Created a new survey link for %(name)s") % {"name": quote(values["name"])}


@activity.renders("ecosystem.survey_link_emailed")
def survey_link_emailed(entry: Entry) -> str | None:
    values = _values(entry, _EMAILED, "name")
    return _("E-mailed the survey link to %(name)s") % {"name": quote(values["name"])}


@activity.renders("ecosystem.survey_reminder_sent")
def survey_reminder_sent(entry: Entry) -> str | None:
    values = _values(entry, _REMINDED, "name")
    return _("Sent %(name)s a survey reminder with a new link") % {"name": quote(values["name"])}


@activity.renders_legacy("SurveyInvitation")
def _link_legacy(entry: Entry) -> str | None:
    for pattern, renderer in (
        (_LINK, survey_link_created),
        (_NEW_LINK, survey_link_renewed),
        (_EMAILED, survey_link_emailed),
        (_REMINDED, survey_reminder_sent),
    ):
        if entry.match(pattern):
            return renderer(entry)
    return None


@activity.renders("ecosystem.survey_answered")
@activity.renders_legacy("SurveyResponse")
def survey_answered(entry: Entry) -> str | None:
    values = _values(entry, _ANSWERED, "name", "partners")
    if not values.get("name"):
        return None
    count = int(values.get("partners", 0))
    return ngettext(
        "%(name)s answered the network survey, naming %(count)s partner",
        "%(name)s answered the network survey, naming %(count)s partners",
        count,
    ) % {"name": quote(values["name"]), "count": count}


# Snapshots ------------------------------------------------------------------------------

_SNAPSHOT_TAKEN = r"Took the snapshot (.+)"
_SNAPSHOT_DELETED = r"Deleted the snapshot (.+)"


@activity.renders("ecosystem.snapshot_taken")
def snapshot_taken(entry: Entry) -> str | None:
    values = _values(entry, _SNAPSHOT_TAKEN, "name")
    if values.get("actors") is not None and values.get("ties") is not None:
        return _("Took the snapshot %(name)s (%(actors)s actors, %(ties)s ties)") % {
            "name": quote(values["name"]),
            "actors": values["actors"],
            "ties": values["ties"],
        }
    return _("Took the snapshot %(name)s") % {"name": quote(values["name"])}


@activity.renders("ecosystem.snapshot_deleted")
def snapshot_deleted(entry: Entry) -> str | None:
    values = _values(entry, _SNAPSHOT_DELETED, "name")
    return _("Deleted the snapshot %(name)s") % {"name": quote(values["name"])}


@activity.renders_legacy("Snapshot")
def _snapshot_legacy(entry: Entry) -> str | None:
    if entry.match(_SNAPSHOT_TAKEN):
        return snapshot_taken(entry)
    if entry.match(_SNAPSHOT_DELETED):
        return snapshot_deleted(entry)
    return None


# Rows removed along with another --------------------------------------------------------

_WITH_IT = re.compile(r"(.+): removed (\w+) (\S+) with it", re.DOTALL)
_PARENTS = {
    "Actor": _REMOVED,
    "Tie": _TIE_REMOVED,
    "Snapshot": _SNAPSHOT_DELETED,
}


def removed_with_it(entry: Entry) -> str | None:
    """ "Removed X from the ecosystem map: removed Tie 12 with it" as "Removed “X” from
    the ecosystem map (also removed: a tie)"."""
    found = _WITH_IT.fullmatch(entry.summary)
    if not found or entry.action != Action.DELETE:
        return None
    parent_summary = found.group(1)
    parent = None
    for object_type, pattern in _PARENTS.items():
        if re.fullmatch(pattern, parent_summary, re.DOTALL):
            row = AuditEvent(
                action=Action.DELETE,
                object_type=object_type,
                object_id="",
                summary=parent_summary,
            )
            parent = activity.describe_one(row)
            break
    thing = activity.noun_of(found.group(2))
    if parent is None:
        return _("Removed along with another record: %(thing)s") % {"thing": thing}
    return _("%(parent)s (also removed: %(thing)s)") % {"parent": parent, "thing": thing}


# Tried before each kind's own renderer: the parent's words are in the summary too.
activity.renders_legacy(
    "Tie", "SurveyInvitation", "SurveyResponse", "Actor", "Snapshot", first=True
)(removed_with_it)
