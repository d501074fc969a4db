"""How the activity log says what happened in the systems app, in the reader's language."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from commonground.coalitions import activity
from commonground.coalitions.activity import Entry, quote
from commonground.measurement.domain.catalog import localized_name

activity.noun("Factor", gettext_lazy("system map factor"))
activity.noun("CausalLink", gettext_lazy("causal link"))
activity.noun("Asset", gettext_lazy("community asset"))
activity.noun("AssetMapLayer", gettext_lazy("asset map layer"))
activity.noun("Commitment", gettext_lazy("anchor commitment"))
activity.noun("CommitmentProgress", gettext_lazy("commitment progress"))


def _p(entry: Entry, key: str) -> str:
    return quote(entry.params.get(key, ""))


@activity.renders("systems.factor_added")
def factor_added(entry: Entry) -> str:
    return _("Added %(name)s to the system map") % {"name": _p(entry, "name")}


@activity.renders("systems.factor_changed")
def factor_changed(entry: Entry) -> str:
    return _("Changed the system map factor %(name)s") % {"name": _p(entry, "name")}


@activity.renders("systems.factor_removed")
def factor_removed(entry: Entry) -> str:
    return _("Removed %(name)s from the system map") % {"name": _p(entry, "name")}


@activity.renders("systems.link_added")
def link_added(entry: Entry) -> str:
    return _("Linked %(from)s to %(to)s on the system map") % {
        "from": _p(entry, "source"),
        "to": _p(entry, "target"),
    }


@activity.renders("systems.link_changed")
def link_changed(entry: Entry) -> str:
    return _("Changed the link from %(from)s to %(to)s") % {
        "from": _p(entry, "source"),
        "to": _p(entry, "target"),
    }


@activity.renders("systems.link_removed")
def link_removed(entry: Entry) -> str:
    return _("Removed the link from %(from)s to %(to)s") % {
        "from": _p(entry, "source"),
        "to": _p(entry, "target"),
    }


@activity.renders("systems.asset_added")
def asset_added(entry: Entry) -> str:
    return _("Added %(name)s to the asset map") % {"name": _p(entry, "name")}


@activity.renders("systems.asset_changed")
def asset_changed(entry: Entry) -> str:
    return _("Changed the asset %(name)s") % {"name": _p(entry, "name")}


@activity.renders("systems.asset_removed")
def asset_removed(entry: Entry) -> str:
    return _("Removed %(name)s from the asset map") % {"name": _p(entry, "name")}


# Rows written before each added asset had an audit row of its own.
@activity.renders("systems.assets_from_actors")
def assets_from_actors(entry: Entry) -> str:
    count = int(entry.params.get("count", 0))
    return ngettext(
        "Added %(n)d asset from the ecosystem map",
        "Added %(n)d assets from the ecosystem map",
        count,
    ) % {"n": count}


@activity.renders("systems.asset_layer_chosen")
def asset_layer_chosen(entry: Entry) -> str:
    # The indicator in the reader's language (the catalog's name unless it was renamed).
    name = localized_name(
        str(entry.params.get("code", "")),
        str(entry.params.get("indicator", "")),
        get_language() or "en",
    )
    return _("Drew the asset map over %(indicator)s") % {"indicator": quote(name)}


@activity.renders("systems.commitment_added")
def commitment_added(entry: Entry) -> str:
    return _("Added a commitment of %(institution)s: %(measure)s") % {
        "institution": _p(entry, "institution"),
        "measure": _p(entry, "measure"),
    }


@activity.renders("systems.commitment_changed")
def commitment_changed(entry: Entry) -> str:
    return _("Changed a commitment of %(institution)s: %(measure)s") % {
        "institution": _p(entry, "institution"),
        "measure": _p(entry, "measure"),
    }


@activity.renders("systems.progress_recorded")
def progress_recorded(entry: Entry) -> str:
    return _("Recorded %(value)s for %(measure)s (%(institution)s) in %(period)s") % {
        "value": entry.params.get("value", ""),
        "measure": _p(entry, "measure"),
        "institution": _p(entry, "institution"),
        "period": entry.params.get("period", ""),
    }
