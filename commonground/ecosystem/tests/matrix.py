"""This app's rows of the access matrix (see commonground/tests/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

ADMIN, PARTNER, RESIDENT, VIEWER = "backbone_admin", "partner", "community_member", "viewer"
EVERY = frozenset({ADMIN, PARTNER, RESIDENT, VIEWER})
ADMINS = frozenset({ADMIN})

PAGES: dict[str, Any] = {
    "ecosystem:map": EVERY,
    "ecosystem:scores": EVERY,
    "ecosystem:missing": EVERY,
    "ecosystem:actor_list": EVERY,
    "ecosystem:actor_new": ADMINS,
    "ecosystem:actor_detail": EVERY,
    "ecosystem:actor_edit": ADMINS,
    "ecosystem:actor_delete": ADMINS,
    "ecosystem:actor_archive": ADMINS,
    "ecosystem:actor_restore": ADMINS,
    "ecosystem:tie_new": ADMINS,
    "ecosystem:tie_edit": ADMINS,
    "ecosystem:tie_delete": ADMINS,
    "ecosystem:survey_list": ADMINS,
    "ecosystem:survey_detail": ADMINS,
    "ecosystem:survey_close": ADMINS,
    "ecosystem:survey_link": ADMINS,
    "ecosystem:survey_remind": ADMINS,
    "ecosystem:survey_links_csv": ADMINS,
    "ecosystem:my_surveys": EVERY,
    "ecosystem:survey_answer": EVERY,
    "ecosystem:power_map": EVERY,
    "ecosystem:power_map_place": ADMINS,
    "ecosystem:snapshots": EVERY,
    "ecosystem:snapshot_new": ADMINS,
    "ecosystem:network_export": EVERY,
    "ecosystem:data_export": EVERY,
    "ecosystem:data_import": ADMINS,
    "ecosystem:respond": "public",
}
API: dict[str, Any] = {
    "list_ecosystem_actors": EVERY,
    "create_ecosystem_actor": ADMINS,
    "get_ecosystem_actor": EVERY,
    "update_ecosystem_actor": ADMINS,
    "list_ecosystem_ties": EVERY,
    "record_ecosystem_tie": ADMINS,
    "update_ecosystem_tie": ADMINS,
    "list_network_surveys": ADMINS,
    "open_network_survey": ADMINS,
    "get_network_metrics": EVERY,
    "get_missing_sectors": EVERY,
    "export_ecosystem_network": EVERY,
}
# Bodies are valid in shape; ids in them name no actor, so a permitted write answers 422.
BODIES: dict[str, dict[str, Any]] = {
    "create_ecosystem_actor": {"name": "API Food Pantry", "sector_id": "food"},
    "update_ecosystem_actor": {"version": 1, "notes": "Changed through the API"},
    "record_ecosystem_tie": {"from_actor_id": 999999, "to_actor_id": 999998},
    "update_ecosystem_tie": {"version": 1, "intensity": 3},
    "open_network_survey": {"title": "API round", "actor_ids": [999999]},
}


def objects(coalition: Any) -> dict[str, Any]:
    """URL keyword -> an object of coalition made for the test (its id or key)."""
    from commonground.ecosystem import services
    from commonground.ecosystem.models import Actor

    with scope(coalition=coalition):
        actors = [
            services.create_actor(coalition=coalition, user=None, name=name, sector_id=sector)
            for name, sector in (
                ("Matrix Clinic", "community_health_center"),
                ("Matrix Church", "faith_community"),
                ("Matrix School", "k12_schools"),
            )
        ]
        tie = services.record_tie(
            coalition=coalition, user=None, from_actor=actors[0], to_actor=actors[1]
        )
        survey, links = services.create_survey(
            coalition=coalition, user=None, title="Matrix survey", actors=actors[:2]
        )
        snapshot = services.take_snapshot(coalition=coalition, user=None, name="Matrix snapshot")
        assert Actor.objects.filter(coalition=coalition).count() >= 3
    return {
        "actor_id": actors[2].pk,
        "tie_id": tie.pk,
        "survey_id": survey.pk,
        "link_id": links[1][0].pk,
        "snapshot_id": snapshot.pk,
        "survey_token": links[0][1],
        "network_format": "graphml",
        "data_format": "xlsx",
    }
