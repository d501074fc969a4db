"""This app's rows of the access matrix (see commonground/tests/test_access_matrix.py).

Funding details are seen by the roles the coalition chooses; the rows here are the
default (backbone admins and partners). ``test_visibility`` checks a changed choice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django_scopes import scope

ADMIN, PARTNER, RESIDENT, VIEWER = "backbone_admin", "partner", "community_member", "viewer"
READERS = frozenset({ADMIN, PARTNER})
ADMINS = frozenset({ADMIN})

PAGES: dict[str, Any] = {
    "funding:overview": READERS,
    "funding:sources": READERS,
    "funding:source_detail": READERS,
    "funding:distribution": READERS,
    "funding:budget": READERS,
    "funding:calendar": READERS,
    "funding:export": READERS,
    "funding:source_new": ADMINS,
    "funding:source_edit": ADMINS,
    "funding:amount_add": ADMINS,
    "funding:amount_remove": ADMINS,
    "funding:requirement_add": ADMINS,
    "funding:report_add": ADMINS,
    "funding:report_submit": ADMINS,
    "funding:disbursement_new": ADMINS,
    "funding:disbursement_edit": ADMINS,
    "funding:budget_new": ADMINS,
    "funding:budget_line_add": ADMINS,
    "funding:settings": ADMINS,
}
API: dict[str, Any] = {
    "get_funding_summary": READERS,
    "list_funding_sources": READERS,
    "create_funding_source": ADMINS,
    "update_funding_source": ADMINS,
    "add_funding_amount": ADMINS,
    "list_funding_shared_out": READERS,
    "create_funding_shared_out": ADMINS,
    "update_funding_shared_out": ADMINS,
    "list_funding_calendar": READERS,
}
BODIES: dict[str, dict[str, Any]] = {
    "create_funding_source": {
        "name": "Matrix grant",
        "kind": "federal_grant",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "amount": "1000",
    },
    "update_funding_source": {"version": 1, "name": "Renamed grant"},
    "add_funding_amount": {"amount": "500", "starts_on": "2026-01-01", "ends_on": "2026-06-30"},
    "create_funding_shared_out": {
        "kind": "in_kind",
        "amount": "250",
        "starts_on": "2026-01-01",
        "ends_on": "2026-01-31",
    },
    "update_funding_shared_out": {"version": 1, "status": "paid"},
}


def objects(coalition: Any) -> dict[str, Any]:
    """URL keyword -> an object of coalition made for the test (its id)."""
    from commonground.ecosystem.models import Actor
    from commonground.funding import services

    with scope(coalition=coalition):
        actor = Actor.objects.create(
            coalition=coalition,
            name="Matrix Community Group",
            sector_id="community_based_organization",
        )
        source = services.add_source(
            coalition=coalition,
            actor=None,
            name="Matrix Foundation grant",
            kind="private_philanthropy",
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            amount="240000",
        )
        amount = source.amounts.get()
        budget = services.add_budget(
            coalition=coalition, actor=None, name="FY2026", starts_on=date(2026, 1, 1)
        )
        report = services.add_report(
            source=source, actor=None, title="Interim report", due_on=date(2026, 6, 30)
        )
        grant = services.add_disbursement(
            coalition=coalition,
            actor=None,
            kind="grant",
            amount="5000",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            recipient_actor=actor,
        )
    return {
        "funding_source_id": source.pk,
        "funding_amount_id": amount.pk,
        "funding_budget_id": budget.pk,
        "funder_report_id": report.pk,
        "disbursement_id": grant.pk,
    }
