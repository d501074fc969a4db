"""How the activity log says what happened in measurement, in the reader's language.

The measurement services write an English ``summary`` ("Added indicator EP_AFAM from
places.csv", "Imported x.csv: 10 new, 0 changed, 0 unchanged observations"). These
renderers read the row's ``before``/``after`` values and, where a value is only in the
summary, the summary itself; an indicator is named by its name in the catalog, not its
code. Rows that carry an event code ("measurement.<what>", with the same values in
``params``) render the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django_scopes import scope

from commonground.coalitions import activity
from commonground.coalitions.activity import Entry, quote
from commonground.coalitions.models import AuditEvent, Coalition
from commonground.measurement.domain.catalog import localized_name
from commonground.measurement.models import Indicator, Result

Action = AuditEvent.Action

activity.noun("ImportJob", gettext_lazy("data import"))
activity.noun("Indicator", gettext_lazy("indicator"))
activity.noun("Observation", gettext_lazy("observation"))
activity.noun("Target", gettext_lazy("target"))
activity.noun("PriorityArea", gettext_lazy("priority area"))
activity.noun("Result", gettext_lazy("result"))
activity.noun("PerformanceMeasure", gettext_lazy("performance measure"))
activity.noun("MeasureValue", gettext_lazy("performance measure value"))
activity.noun("StagedUpload", gettext_lazy("uploaded file"))
activity.noun("IndicatorRelease", gettext_lazy("indicator release"))


@activity.names("Indicator")
def indicator_names(coalition: Coalition, ids: list[str]) -> Mapping[str, str]:
    """The indicators' names in the reader's language (the catalog's, unless the coalition
    renamed one), by id."""
    pks = [int(pk) for pk in ids if pk.isdigit()]
    language = get_language() or "en"
    with scope(coalition=coalition):
        rows = Indicator.objects.filter(coalition=coalition, pk__in=pks)
        return {
            str(pk): localized_name(code, name, language)
            for pk, code, name in rows.values_list("pk", "code", "name")
        }


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


# Imports --------------------------------------------------------------------------------


@activity.renders("measurement.import_started")
def import_started(entry: Entry) -> str | None:
    values = _values(entry, r"Started importing (.+)", "file_name")
    if not values.get("file_name"):
        return None
    return _("Started importing %(file)s") % {"file": quote(values["file_name"])}


@activity.renders("measurement.import_finished")
def import_finished(entry: Entry) -> str | None:
    values = _values(
        entry, r"Imported (.+?): \d+ new, \d+ changed, \d+ unchanged observations?", "file_name"
    )
    if not values.get("file_name") or "created" not in values:
        return None
    return _(
        "Imported %(file)s: %(created)s new, %(updated)s changed and %(unchanged)s "
        "unchanged observations"
    ) % {
        "file": quote(values["file_name"]),
        "created": values["created"],
        "updated": values.get("updated", 0),
        "unchanged": values.get("unchanged", 0),
    }


@activity.renders("measurement.import_stalled")
def import_stalled(entry: Entry) -> str | None:
    values = _values(entry, r"Marked the import of (.+) failed: its worker stopped", "file_name")
    if not values.get("file_name"):
        return None
    return _("The import of %(file)s was marked failed: its worker stopped") % {
        "file": quote(values["file_name"])
    }


@activity.renders("measurement.import_retried")
def import_retried(entry: Entry) -> str | None:
    values = _values(entry, r"Retried the import of (.+) \(attempt (\d+)\)", "file_name", "attempt")
    if not values.get("file_name"):
        return None
    return _("Tried the import of %(file)s again (attempt %(attempt)s)") % {
        "file": quote(values["file_name"]),
        "attempt": values.get("attempt", "?"),
    }


@activity.renders_legacy("ImportJob")
def _import_legacy(entry: Entry) -> str | None:
    for renderer in (import_started, import_finished, import_stalled, import_retried):
        text = renderer(entry)
        if text:
            return text
    return None


@activity.renders("measurement.indicator_added")
@activity.renders_legacy("Indicator")
def indicator_added(entry: Entry) -> str | None:
    values = _values(entry, r"Added indicator (\S+) from (.+)", "code", "file_name")
    code = str(values.get("code") or "")
    name = entry.object_name or (
        localized_name(code, values["name"], get_language() or "en") if values.get("name") else code
    )
    if not name or entry.action != Action.CREATE:
        return None
    if values.get("file_name"):
        return _("Added the indicator %(name)s from %(file)s") % {
            "name": quote(name),
            "file": quote(values["file_name"]),
        }
    return _("Added the indicator %(name)s") % {"name": quote(name)}


# The metrics framework ------------------------------------------------------------------


@activity.renders("measurement.target_set")
@activity.renders_legacy("Target")
def target_set(entry: Entry) -> str | None:
    values = _values(entry, r"Set the target “(.+)”", "title")
    if not values.get("title"):
        return None
    return _("Set the target %(title)s") % {"title": quote(values["title"])}


@activity.renders("measurement.priority_area_added")
@activity.renders_legacy("PriorityArea")
def priority_area_added(entry: Entry) -> str | None:
    values = _values(entry, r"Added priority area (.+)", "name")
    if not values.get("name"):
        return None
    return _("Added the priority area %(name)s") % {"name": quote(values["name"])}


_TURN_THE_CURVE_FIELDS = ("story_behind_curve", "partners", "what_works", "action_items")


@activity.renders("measurement.result_added", "measurement.turn_the_curve_updated")
@activity.renders_legacy("Result")
def result_event(entry: Entry) -> str | None:
    added = entry.match(r"Added result “(.+)”")
    updated = entry.match(r"Updated the turn-the-curve notes of “(.+?)”?")
    found = added or updated
    statement = entry.params.get("statement") or (found.group(1) if found else "")
    if not statement:
        return None
    if entry.event == "measurement.result_added" or (not entry.event and added):
        return _("Added the result %(statement)s") % {"statement": quote(statement)}
    changed = [
        str(getattr(Result._meta.get_field(name), "verbose_name", name))
        for name in _TURN_THE_CURVE_FIELDS
        if name in entry.after and entry.before.get(name) != entry.after.get(name)
    ]
    if changed:
        return _("Updated the turn-the-curve notes of %(statement)s: %(fields)s") % {
            "statement": quote(statement),
            "fields": "; ".join(changed),
        }
    return _("Updated the turn-the-curve notes of %(statement)s") % {"statement": quote(statement)}


@activity.renders("measurement.performance_measure_added")
@activity.renders_legacy("PerformanceMeasure")
def performance_measure_added(entry: Entry) -> str | None:
    values = _values(entry, r"Added performance measure “(.+)”", "name")
    if not values.get("name"):
        return None
    periods = len(values.get("values") or [])
    if periods:
        return ngettext(
            "Added the performance measure %(name)s with %(count)s value",
            "Added the performance measure %(name)s with %(count)s values",
            periods,
        ) % {"name": quote(values["name"]), "count": periods}
    return _("Added the performance measure %(name)s") % {"name": quote(values["name"])}


@activity.renders("measurement.measure_value_recorded")
@activity.renders_legacy("MeasureValue")
def measure_value_recorded(entry: Entry) -> str | None:
    values = _values(entry, r"Recorded (.+) for (.+): (\S+)", "name", "period", "shown")
    if not values.get("name") or "period" not in values:
        return None
    old = entry.before.get("value")
    value = values.get("value", values.get("shown"))
    if old is not None and old != value:
        return _("Changed %(name)s for %(period)s from %(old)s to %(value)s") % {
            "name": quote(values["name"]),
            "period": values["period"],
            "old": _number(old),
            "value": _number(value),
        }
    return _("Recorded %(name)s for %(period)s: %(value)s") % {
        "name": quote(values["name"]),
        "period": values["period"],
        "value": _number(value),
    }


def _number(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# The import wizard's uploads ------------------------------------------------------------


@activity.renders(
    "measurement.upload_staged", "measurement.upload_discarded", "measurement.upload_expired"
)
def upload_event(entry: Entry) -> str | None:
    name = entry.params.get("file_name")
    if not name:
        return None
    if entry.event == "measurement.upload_staged":
        return _("Uploaded %(file)s to check it before importing") % {"file": quote(name)}
    if entry.event == "measurement.upload_discarded":
        return _("Discarded the upload of %(file)s") % {"file": quote(name)}
    return _("The upload of %(file)s expired without being imported") % {"file": quote(name)}


@activity.renders("measurement.periods_merged")
def periods_merged(entry: Entry) -> str | None:
    values = entry.params
    if not values.get("from") or not values.get("to"):
        return None
    name = entry.object_name or str(values.get("name") or values.get("code") or "")
    return _(
        "Stored the values of %(name)s for %(old)s under %(new)s, where the same data already were"
    ) % {"name": quote(name), "old": values["from"], "new": values["to"]}


# Releases: the metrics committee's approval lock --------------------------------------------


def _indicator_name(entry: Entry) -> str:
    values = entry.params
    code = str(values.get("code") or "")
    name = str(values.get("name") or "")
    return localized_name(code, name, get_language() or "en") if name else code


@activity.renders("measurement.period_released")
def period_released(entry: Entry) -> str | None:
    values = entry.params
    name = _indicator_name(entry)
    if not name or not values.get("period"):
        return None
    fill = {"name": quote(name), "period": values["period"], "note": values.get("note") or ""}
    if values.get("again"):
        if fill["note"]:
            return _("Released the %(period)s values of %(name)s again: %(note)s") % fill
        return _("Released the %(period)s values of %(name)s again") % fill
    if fill["note"]:
        return _("Released the %(period)s values of %(name)s: %(note)s") % fill
    return _("Released the %(period)s values of %(name)s") % fill


@activity.renders("measurement.release_reopened")
def release_reopened(entry: Entry) -> str | None:
    values = entry.params
    name = _indicator_name(entry)
    if not name or not values.get("period"):
        return None
    return _("Reopened the release of the %(period)s values of %(name)s: %(reason)s") % {
        "name": quote(name),
        "period": values["period"],
        "reason": values.get("reason") or "",
    }
