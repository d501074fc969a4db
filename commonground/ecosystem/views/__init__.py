"""Ecosystem pages, one module per page group. Each view declares its access policy
(``coalitions.access``), parses its input, makes one call to selectors or services, and renders."""

from commonground.ecosystem.views.actors import (
    actor_archive,
    actor_delete,
    actor_detail,
    actor_edit,
    actor_list,
    actor_new,
    actor_restore,
)
from commonground.ecosystem.views.exchange import data_export, data_import, network_export
from commonground.ecosystem.views.network import (
    missing,
    network_map,
    power_map,
    power_map_place,
    scores,
)
from commonground.ecosystem.views.snapshots import snapshot_new, snapshots
from commonground.ecosystem.views.surveys import (
    my_surveys,
    respond,
    survey_answer,
    survey_close,
    survey_detail,
    survey_link,
    survey_links_csv,
    survey_list,
    survey_remind,
)
from commonground.ecosystem.views.ties import tie_delete, tie_edit, tie_new

__all__ = [
    "actor_archive",
    "actor_delete",
    "actor_detail",
    "actor_edit",
    "actor_list",
    "actor_new",
    "actor_restore",
    "data_export",
    "data_import",
    "missing",
    "my_surveys",
    "network_export",
    "network_map",
    "power_map",
    "power_map_place",
    "respond",
    "scores",
    "snapshot_new",
    "snapshots",
    "survey_answer",
    "survey_close",
    "survey_detail",
    "survey_link",
    "survey_links_csv",
    "survey_list",
    "survey_remind",
    "tie_delete",
    "tie_edit",
    "tie_new",
]
