"""The activity log in the reader's language, with names instead of codes.

An audit row (``AuditEvent``) stores what happened as an event code ("coalitions.role_changed")
and the ``params`` needed to say it (names, ids, values). Each app registers a renderer for
its codes in its own ``<app>/activity.py``, imported from its ``AppConfig.ready``::

    from commonground.coalitions import activity

    @activity.renders("ecosystem.actor_added")
    def actor_added(entry: activity.Entry) -> str:
        return _("Added %(name)s to the ecosystem map") % {"name": activity.quote(entry.params["name"])}

A renderer returns the text, already translated (gettext with placeholders, framework ids
resolved to their bilingual names), or ``None`` to let the next one try.

Rows written before events existed have no code: ``renders_legacy(object_type)`` registers
renderers for them, which read the row's ``before``/``after`` values and, where the values
are not there, the stored English ``summary``. A row nothing recognizes still reads as a
sentence: its action, the translated noun of its kind of record (``noun``) and a display
name taken from ``params``, ``after`` or ``before``. Nothing shows a raw snake_case code:
an unknown code is shown with spaces (``humanize``).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Choices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.coalitions.models import AuditEvent, Coalition, Membership

log = logging.getLogger(__name__)

#: Keys of ``params``/``after``/``before`` that hold a row's display name, best first.
NAME_KEYS = ("name", "title", "statement", "label", "file_name", "email")


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit row as a renderer sees it."""

    row: AuditEvent
    object_name: str = ""  # the record's name now, from a ``names`` loader; "" if unknown

    @property
    def event(self) -> str:
        return self.row.event

    @property
    def action(self) -> str:
        return self.row.action

    @property
    def object_type(self) -> str:
        return self.row.object_type

    @property
    def summary(self) -> str:
        return self.row.summary

    @property
    def params(self) -> Mapping[str, Any]:
        return self.row.params if isinstance(self.row.params, dict) else {}

    @property
    def before(self) -> Mapping[str, Any]:
        return self.row.before if isinstance(self.row.before, dict) else {}

    @property
    def after(self) -> Mapping[str, Any]:
        return self.row.after if isinstance(self.row.after, dict) else {}

    def match(self, pattern: str | re.Pattern[str]) -> re.Match[str] | None:
        """The stored English summary matched against ``pattern`` (whole string)."""
        return re.fullmatch(pattern, self.row.summary, re.DOTALL)


Renderer = Callable[[Entry], str | None]
NameLoader = Callable[[Coalition, list[str]], Mapping[str, str]]

_by_event: dict[str, Renderer] = {}
_legacy: dict[str, list[Renderer]] = defaultdict(list)
_nouns: dict[str, Promise | str] = {}
_names: dict[str, NameLoader] = {}


def renders(*codes: str) -> Callable[[Renderer], Renderer]:
    """Register the decorated function as the renderer of rows with these event codes."""

    def decorate(renderer: Renderer) -> Renderer:
        for code in codes:
            known = _by_event.get(code)
            if known is not None and known is not renderer:
                raise ValueError(f"The activity event {code!r} already has a renderer.")
            _by_event[code] = renderer
        return renderer

    return decorate


def renders_legacy(*object_types: str, first: bool = False) -> Callable[[Renderer], Renderer]:
    """Register the decorated function for rows with no event code whose ``object_type`` (the
    model's class name) is one of these; renderers are tried in registration order
    (``first=True``: before those already registered)."""

    def decorate(renderer: Renderer) -> Renderer:
        for object_type in object_types:
            if renderer not in _legacy[object_type]:
                _legacy[object_type].insert(0 if first else len(_legacy[object_type]), renderer)
        return renderer

    return decorate


def noun(object_type: str, text: Promise | str) -> None:
    """The translated noun for a kind of record ("Tie" -> gettext_lazy("tie")), used when a
    row has no renderer of its own."""
    _nouns[object_type] = text


def noun_of(object_type: str) -> str:
    """The translated noun of a kind of record ("record" when none is registered)."""
    return str(_nouns.get(object_type) or _("record"))


def names(object_type: str) -> Callable[[NameLoader], NameLoader]:
    """Register ``loader(coalition, ids) -> {id: display name}`` for a kind of record; the log
    calls it once per page for the rows of that kind and hands the name to the renderers
    (``Entry.object_name``)."""

    def decorate(loader: NameLoader) -> NameLoader:
        _names[object_type] = loader
        return loader

    return decorate


# Helpers for renderers ------------------------------------------------------------------


def humanize(code: object) -> str:
    """A code shown as words, the last resort for a value nothing can name:
    ``support_community_led`` -> ``support community led``."""
    return str(code).replace("_", " ").strip()


def quote(name: object) -> str:
    """A name set off in typographic quotes, in both languages: “Name”."""
    return f"“{name}”"


def choice_label(choices: type[Choices], value: object) -> str:
    """The translated label of a choice, or the value as words if it is not one."""
    for known, label in choices.choices:
        if str(known) == str(value):
            return str(label)
    return humanize(value)


def label_to_value(choices: type[Choices], label: str) -> str | None:
    """The choice whose label is ``label`` in any of the product's languages (to read a
    stored summary: most are English, a few older ones took the writer's language)."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, text in choices.choices:
                if str(text) == label:
                    return str(value)
    return None


def role_label(value: object) -> str:
    return choice_label(Membership.Role, value)


def display_name(*sources: Mapping[str, Any]) -> str:
    """The first non-empty name (``NAME_KEYS``) found in ``sources``, in order."""
    for source in sources:
        for key in NAME_KEYS:
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


# Rendering ----------------------------------------------------------------------------

_GENERIC_WITH_NAME: dict[str, Promise] = {
    AuditEvent.Action.CREATE.value: gettext_lazy("Created: %(thing)s %(name)s"),
    AuditEvent.Action.UPDATE.value: gettext_lazy("Changed: %(thing)s %(name)s"),
    AuditEvent.Action.DELETE.value: gettext_lazy("Deleted: %(thing)s %(name)s"),
}
_GENERIC: dict[str, Promise] = {
    AuditEvent.Action.CREATE.value: gettext_lazy("Created: %(thing)s"),
    AuditEvent.Action.UPDATE.value: gettext_lazy("Changed: %(thing)s"),
    AuditEvent.Action.DELETE.value: gettext_lazy("Deleted: %(thing)s"),
}


def generic(entry: Entry) -> str:
    """What any row says when nothing more specific does: action, kind of record, name."""
    thing = noun_of(entry.object_type)
    name = display_name(entry.params, entry.after, entry.before) or entry.object_name
    action = entry.action if entry.action in _GENERIC else AuditEvent.Action.UPDATE.value
    if name:
        return str(_GENERIC_WITH_NAME[action]) % {"thing": thing, "name": quote(name)}
    return str(_GENERIC[action]) % {"thing": thing}


def _render(entry: Entry) -> str:
    candidates: list[Renderer] = []
    if entry.event and entry.event in _by_event:
        candidates.append(_by_event[entry.event])
    if not entry.event:
        candidates.extend(_legacy.get(entry.object_type, ()))
    for renderer in candidates:
        try:
            text = renderer(entry)
        except (LookupError, ValueError, TypeError, AttributeError):
            # A row the renderer cannot read (params from an older shape): log it and let
            # the next renderer, at worst the generic sentence, say what it can.
            log.warning("activity renderer %s failed on audit row %s", renderer, entry.row.pk)
            continue
        if text:
            return text
    return generic(entry)


def _object_names(rows: Sequence[AuditEvent]) -> dict[tuple[str, str], str]:
    wanted: dict[tuple[int, str], list[str]] = defaultdict(list)
    coalitions: dict[int, Coalition] = {}
    for row in rows:
        if row.object_type in _names:
            wanted[(row.coalition_id, row.object_type)].append(row.object_id)
            if row.coalition_id not in coalitions:
                coalitions[row.coalition_id] = row.coalition
    found: dict[tuple[str, str], str] = {}
    for (coalition_id, object_type), ids in wanted.items():
        loaded = _names[object_type](coalitions[coalition_id], sorted(set(ids)))
        found.update({(object_type, str(pk)): name for pk, name in loaded.items()})
    return found


def describe(rows: Iterable[AuditEvent]) -> list[str]:
    """The text of each row, in the active language, in the order given."""
    rows = list(rows)
    loaded = _object_names(rows)
    return [_render(Entry(row, loaded.get((row.object_type, row.object_id), ""))) for row in rows]


def describe_one(row: AuditEvent) -> str:
    return describe([row])[0]


# The coalitions app's own events ------------------------------------------------------

noun("Coalition", gettext_lazy("coalition"))
noun("Membership", gettext_lazy("membership"))
noun("Invitation", gettext_lazy("invitation"))
noun("Place", gettext_lazy("place"))

#: Profile fields as the log names them when they change.
_PROFILE_LABELS: dict[str, Promise] = {
    "name": gettext_lazy("name"),
    "mission": gettext_lazy("mission"),
    "geographic_scale": gettext_lazy("geographic scale"),
    "population_type": gettext_lazy("population type"),
    "policy_context": gettext_lazy("policy context"),
    "focus_areas": gettext_lazy("focus areas"),
    "year_founded": gettext_lazy("year founded"),
    "initiatives": gettext_lazy("initiatives"),
    "places": gettext_lazy("places served"),
}


def _role(match_label: str) -> str:
    """A role named in a stored English summary, in the reader's language."""
    value = label_to_value(Membership.Role, match_label)
    return role_label(value) if value else humanize(match_label)


@renders("coalitions.coalition_created")
def _coalition_created(entry: Entry) -> str:
    return _("Created the coalition %(name)s") % {"name": quote(entry.params["name"])}


@renders("coalitions.profile_updated")
def _profile_updated(entry: Entry) -> str:
    changed = [
        str(label)
        for key, label in _PROFILE_LABELS.items()
        if entry.before.get(key) != entry.after.get(key)
    ]
    if entry.before and entry.after and changed:
        return _("Updated the partnership profile: %(fields)s") % {"fields": ", ".join(changed)}
    return _("Updated the partnership profile")


@renders_legacy("Coalition")
def _coalition_legacy(entry: Entry) -> str | None:
    if entry.action == AuditEvent.Action.CREATE:
        found = entry.match(r"Created coalition (.+)")
        name = entry.after.get("name") or (found.group(1) if found else "")
        return _("Created the coalition %(name)s") % {"name": quote(name)} if name else None
    if entry.action == AuditEvent.Action.UPDATE:
        return _profile_updated(entry)
    return None


@renders("coalitions.member_joined")
def _member_joined(entry: Entry) -> str:
    return _("%(name)s joined as %(role)s") % {
        "name": entry.params["name"],
        "role": role_label(entry.params["role"]),
    }


@renders("coalitions.invitation_accepted")
def _invitation_accepted(entry: Entry) -> str:
    return _("%(name)s accepted an invitation as %(role)s") % {
        "name": entry.params["name"],
        "role": role_label(entry.params["role"]),
    }


@renders("coalitions.exported")
def _exported(entry: Entry) -> str:
    if entry.params.get("deidentified"):
        return _("Exported a de-identified archive of the coalition's data")
    return _("Exported an archive of all the coalition's data")


@renders("coalitions.imported")
def _imported(entry: Entry) -> str:
    return _("Created this coalition from an archive of %(source)s") % {
        "source": entry.params.get("source", "")
    }


@renders("coalitions.role_changed")
def _role_changed(entry: Entry) -> str:
    return _("Changed the role of %(name)s from %(old)s to %(new)s") % {
        "name": entry.params["name"],
        "old": role_label(entry.params["old_role"]),
        "new": role_label(entry.params["new_role"]),
    }


@renders("coalitions.member_removed")
def _member_removed(entry: Entry) -> str:
    return _("Removed %(name)s (%(role)s) from the coalition") % {
        "name": entry.params["name"],
        "role": role_label(entry.params["role"]),
    }


@renders_legacy("Membership")
def _membership_legacy(entry: Entry) -> str | None:
    joined = entry.match(r"(.+) joined as (.+)")
    if joined:
        return _("%(name)s joined as %(role)s") % {
            "name": joined.group(1),
            "role": _role(joined.group(2)),
        }
    accepted = entry.match(r"(.+) accepted an invitation as (.+)")
    if accepted:
        return _("%(name)s accepted an invitation as %(role)s") % {
            "name": accepted.group(1),
            "role": _role(accepted.group(2)),
        }
    changed = entry.match(r"Changed (.+) from (\S+) to (\S+)")
    if changed:
        return _("Changed the role of %(name)s from %(old)s to %(new)s") % {
            "name": changed.group(1),
            "old": role_label(entry.before.get("role", changed.group(2))),
            "new": role_label(entry.after.get("role", changed.group(3))),
        }
    removed = entry.match(r"Removed (.+)")
    if removed and entry.action == AuditEvent.Action.DELETE:
        return _("Removed %(name)s (%(role)s) from the coalition") % {
            "name": removed.group(1),
            "role": role_label(entry.before.get("role", "")),
        }
    return None


@renders("coalitions.member_invited")
def _member_invited(entry: Entry) -> str:
    return _("Invited %(email)s as %(role)s") % {
        "email": entry.params["email"],
        "role": role_label(entry.params["role"]),
    }


@renders("coalitions.invitation_withdrawn")
def _invitation_withdrawn(entry: Entry) -> str:
    return _("Withdrew the invitation of %(email)s") % {"email": entry.params["email"]}


@renders_legacy("Invitation")
def _invitation_legacy(entry: Entry) -> str | None:
    invited = entry.match(r"Invited (\S+) as (.+)")
    if invited:
        return _("Invited %(email)s as %(role)s") % {
            "email": invited.group(1),
            "role": _role(invited.group(2)),
        }
    withdrawn = entry.match(r"Withdrew the invitation of (\S+)")
    if withdrawn:
        return _("Withdrew the invitation of %(email)s") % {"email": withdrawn.group(1)}
    return None


__all__ = [
    "Entry",
    "describe",
    "describe_one",
    "display_name",
    "generic",
    "humanize",
    "names",
    "noun",
    "noun_of",
    "quote",
    "renders",
    "renders_legacy",
    "role_label",
]
