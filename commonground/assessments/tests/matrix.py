"""This app's rows of the access matrix (see commonground/tests/test_access_matrix.py)."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

ADMIN, PARTNER, RESIDENT, VIEWER = "backbone_admin", "partner", "community_member", "viewer"
EVERYONE = frozenset({ADMIN, PARTNER, RESIDENT, VIEWER})
CONTRIBUTORS = frozenset({ADMIN, PARTNER, RESIDENT})
ADMINS = frozenset({ADMIN})

PAGES: dict[str, Any] = {
    "assessments:index": EVERYONE,
    "assessments:open_round": ADMINS,
    "assessments:answer": CONTRIBUTORS,
    "assessments:paper": ADMINS,
    "assessments:results": EVERYONE,
    "assessments:export": EVERYONE,
    "assessments:close_round": ADMINS,
    "assessments:reopen_round": ADMINS,
    "assessments:agreed": ADMINS,
    "assessments:agreed_reopen": ADMINS,
    "assessments:worksheet": EVERYONE,
    "assessments:roles": EVERYONE,
    "assessments:roles_save": ADMINS,
    "assessments:tactics": EVERYONE,
    "assessments:tactics_save": ADMINS,
    "assessments:domains": EVERYONE,
    "assessments:domains_save": CONTRIBUTORS,
    "assessments:domains_comment": CONTRIBUTORS,
    "assessments:roadmap": EVERYONE,
    "assessments:action_accept": ADMINS,
    "assessments:action_status": ADMINS,
    "assessments:proposal_dismiss": ADMINS,
    "assessments:proposal_restore": ADMINS,
    "assessments:my_tasks": EVERYONE,
}
API: dict[str, Any] = {
    "list_assessments": EVERYONE,
    "get_assessment_results": EVERYONE,
    "submit_assessment_response": CONTRIBUTORS,
    "list_my_assessment_responses": CONTRIBUTORS,
    "list_action_items": EVERYONE,
    "update_action_item": ADMINS,
    "get_roadmap": EVERYONE,
    "get_action_plan": EVERYONE,
    "list_my_tasks": EVERYONE,
}
BODIES: dict[str, dict[str, Any]] = {
    "submit_assessment_response": {"answers": {"ratings": {"trust": 4}, "notes": {}}},
    "update_action_item": {"version": 1, "status": "in_progress"},
}


def objects(coalition: Any) -> dict[str, Any]:
    """URL keyword -> an object of coalition made for the test (its id or key)."""
    from commonground.assessments.models import (
        ActionItem,
        Assessment,
        DomainDocument,
        DomainDocumentVersion,
    )

    with scope(coalition=coalition):
        assessment = Assessment.objects.create(
            coalition=coalition, kind="pillars", round_number=2026
        )
        document = DomainDocument.objects.create(coalition=coalition, title="Domains")
        version = DomainDocumentVersion.objects.create(
            coalition=coalition, document=document, number=1, answers={}
        )
        action = ActionItem.objects.create(coalition=coalition, title="Do something")
    return {
        "assessment_id": assessment.pk,
        "version_id": version.pk,
        "action_id": action.pk,
        "kind": "pillars",
    }
