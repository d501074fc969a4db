"""This app's rows of the access matrix (see commonground/tests/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

ADMIN, PARTNER, RESIDENT, VIEWER = "backbone_admin", "partner", "community_member", "viewer"
EVERY_ROLE = frozenset({ADMIN, PARTNER, RESIDENT, VIEWER})
CONTRIBUTORS = frozenset({ADMIN, PARTNER, RESIDENT})
ADMINS = frozenset({ADMIN})
ANCHOR_EDITORS = frozenset({ADMIN, PARTNER})

PAGES: dict[str, Any] = {
    "systems:map": EVERY_ROLE,
    "systems:loops": EVERY_ROLE,
    "systems:export": EVERY_ROLE,
    "systems:factor_new": CONTRIBUTORS,
    "systems:factor_edit": CONTRIBUTORS,
    "systems:factor_delete": ADMINS,
    "systems:link_new": CONTRIBUTORS,
    "systems:link_edit": CONTRIBUTORS,
    "systems:link_delete": ADMINS,
    "systems:assets": EVERY_ROLE,
    "systems:asset_new": CONTRIBUTORS,
    "systems:asset_edit": CONTRIBUTORS,
    "systems:asset_delete": ADMINS,
    "systems:asset_layer": ADMINS,
    "systems:assets_from_actors": ADMINS,
    "systems:anchors": EVERY_ROLE,
    "systems:commitment_new": ANCHOR_EDITORS,
    "systems:commitment_edit": ANCHOR_EDITORS,
    "systems:progress_record": ANCHOR_EDITORS,
}
API: dict[str, Any] = {
    "list_system_factors": EVERY_ROLE,
    "create_system_factor": CONTRIBUTORS,
    "update_system_factor": CONTRIBUTORS,
    "list_system_links": EVERY_ROLE,
    "create_system_link": CONTRIBUTORS,
    "update_system_link": CONTRIBUTORS,
    "list_system_loops": EVERY_ROLE,
    "list_system_assets": EVERY_ROLE,
    "create_system_asset": CONTRIBUTORS,
    "update_system_asset": CONTRIBUTORS,
    "list_system_commitments": EVERY_ROLE,
    "create_system_commitment": ANCHOR_EDITORS,
    "record_system_progress": ANCHOR_EDITORS,
}
BODIES: dict[str, dict[str, Any]] = {
    "create_system_factor": {"name": "Matrix factor", "kind": "condition"},
    "update_system_factor": {"version": 1, "description": "Changed by the matrix"},
    "create_system_link": {"from_id": 1, "to_id": 1, "polarity": "+"},
    "update_system_link": {"version": 1, "evidence": "Changed by the matrix"},
    "create_system_asset": {"name": "Matrix asset", "category": "park", "county_code": "01101"},
    "update_system_asset": {"version": 1, "notes": "Changed by the matrix"},
    "create_system_commitment": {
        "institution_id": 1,
        "kind": "local_hiring",
        "measure": "Local hires",
        "target": 50,
        "target_period": "2027",
    },
    "record_system_progress": {"period": "2025", "value": 20},
}


def objects(coalition: Any) -> dict[str, Any]:
    """URL keyword -> an object of coalition made for the test (its id or key)."""
    from commonground.ecosystem.models import Actor
    from commonground.systems import services

    with scope(coalition=coalition):
        a = services.create_factor(coalition=coalition, actor=None, name="Stress")
        b = services.create_factor(coalition=coalition, actor=None, name="Chronic illness")
        link = services.create_link(
            coalition=coalition, actor=None, source=a, target=b, polarity="+"
        )
        asset = services.create_asset(
            coalition=coalition, actor=None, name="Oak Park", category="park", county_code="01101"
        )
        hospital = Actor.objects.create(
            coalition=coalition, name="Matrix Hospital", sector_id="hospital_health_system"
        )
        commitment = services.create_commitment(
            coalition=coalition,
            actor=None,
            institution=hospital, kind="local_hiring", measure="Local hires", target_value=50,
            target_period="2027",
        )  # fmt: skip
    return {
        "factor_id": a.pk,
        "causal_link_id": link.pk,
        "asset_id": asset.pk,
        "commitment_id": commitment.pk,
        "systems_export": "factors",
        "systems_format": "csv",
    }
