"""Writes: every rejection names its field and changes nothing; every change is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from commonground.coalitions.activity import describe_one
from commonground.coalitions.models import AuditEvent, Place
from commonground.funding import selectors, services
from commonground.funding.models import Disbursement, FundingAmount, FundingSource
from commonground.funding.tests import factories
from commonground.lib.versioning import StaleEditError


def counts() -> tuple[int, int, int, int]:
    with scopes_disabled():
        return (
            FundingSource.objects.count(),
            FundingAmount.objects.count(),
            Disbursement.objects.count(),
            AuditEvent.objects.filter(event__startswith="funding.").count(),
        )


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "An amount cannot be negative."),
        ("lots", "lots is not a number."),
        ("NaN", "NaN is not a number."),
    ],
)
def test_a_negative_or_non_numeric_amount_is_refused_and_nothing_changes(
    world: Any, amount: str, message: str
) -> None:
    with scope(coalition=world.a):
        before = counts()
        with pytest.raises(ValidationError) as caught:
            factories.source(world.a, amount=amount)
        assert caught.value.message_dict == {"amount": [message]}
        assert counts() == before


def test_an_end_before_the_start_is_refused_and_nothing_changes(world: Any) -> None:
    with scope(coalition=world.a):
        before = counts()
        with pytest.raises(ValidationError) as caught:
            factories.source(world.a, starts_on=date(2026, 6, 1), ends_on=date(2026, 5, 31))
        assert caught.value.message_dict == {"ends_on": ["The end comes before the start."]}
        grant = factories.source(world.a)
        with pytest.raises(ValidationError):
            services.add_amount(
                source=grant,
                actor=None,
                starts_on=date(2026, 6, 1),
                ends_on=date(2026, 1, 1),
                amount="10",
            )
        assert grant.amounts.count() == 1
    assert before[0] + 1 == counts()[0]


def test_a_recipient_from_another_coalition_is_refused(world: Any) -> None:
    with scope(coalition=world.b):
        theirs = factories.actor(world.b, "Their Group")
        their_place = Place.objects.filter(coalition=world.b).first()
    with scope(coalition=world.a):
        before = counts()
        for field, value in (("recipient_actor", theirs), ("recipient_place", their_place)):
            with pytest.raises(ValidationError) as caught:
                services.add_disbursement(
                    coalition=world.a,
                    actor=world.people["admin"],
                    kind="grant",
                    amount="1000",
                    starts_on=date(2026, 1, 1),
                    ends_on=date(2026, 1, 31),
                    **{field: value},
                )
            assert caught.value.message_dict == {
                field: ["That record does not belong to this coalition."]
            }
        assert counts() == before


def test_a_recipient_is_an_actor_or_a_place_not_both_nor_neither(world: Any) -> None:
    with scope(coalition=world.a):
        group = factories.actor(world.a)
        place = Place.objects.filter(coalition=world.a).first()
        for kwargs in ({}, {"recipient_actor": group, "recipient_place": place}):
            with pytest.raises(ValidationError, match="either an organization or a place"):
                services.add_disbursement(
                    coalition=world.a,
                    actor=None,
                    kind="grant",
                    amount="1",
                    starts_on=date(2026, 1, 1),
                    ends_on=date(2026, 1, 1),
                    **kwargs,
                )
        assert not Disbursement.objects.exists()


def test_a_stale_edit_gets_409_and_the_first_writer_wins(world: Any) -> None:
    with scope(coalition=world.a):
        grant = factories.source(world.a)
        first = FundingSource.objects.get(pk=grant.pk)
        second = FundingSource.objects.get(pk=grant.pk)
        services.update_source(
            source=first, actor=world.people["admin"], expected_version=1, name="Renewed grant"
        )
        audits = counts()[3]
        with pytest.raises(StaleEditError):
            services.update_source(
                source=second, actor=world.people["admin"], expected_version=1, name="Other name"
            )
        grant.refresh_from_db()
        assert grant.name == "Renewed grant" and grant.version == 2
        assert counts()[3] == audits


def test_saving_a_source_unchanged_keeps_its_version_and_writes_no_audit(world: Any) -> None:
    with scope(coalition=world.a):
        grant = factories.source(world.a)
        audits = counts()[3]
        services.update_source(
            source=grant, actor=world.people["admin"], expected_version=1, name=grant.name
        )
        grant.refresh_from_db()
        assert grant.version == 1
        assert counts()[3] == audits
        # Unchanged but drawn before someone else saved: still a conflict.
        services.update_source(
            source=grant, actor=world.people["admin"], expected_version=1, name="Renewed"
        )
        with pytest.raises(StaleEditError):
            services.update_source(
                source=grant, actor=world.people["admin"], expected_version=1, name="Renewed"
            )


def test_the_audit_trail_shows_exactly_what_changed(world: Any) -> None:
    admin = world.people["admin"]
    with scope(coalition=world.a):
        grant = factories.source(world.a)
        services.update_source(
            source=grant,
            actor=admin,
            expected_version=1,
            name="Founding grant",  # unchanged: not in the trail
            renewal="likely",
            is_restricted=True,
            restricted_to="Staff",
        )
        row = AuditEvent.objects.filter(event="funding.source_changed").get()
        assert row.before == {"renewal": "unknown", "is_restricted": False, "restricted_to": ""}
        assert row.after == {"renewal": "likely", "is_restricted": True, "restricted_to": "Staff"}
        assert row.actor == admin
        assert describe_one(row) == (
            "Changed the funding source “Founding grant”: is_restricted, renewal, restricted_to"
        )
        added = AuditEvent.objects.get(event="funding.amount_added")
        assert added.params["amount"] == "120000.00"
        assert "$120,000" in describe_one(added)


def test_every_funding_event_renders_as_a_sentence(world: Any) -> None:
    from django.utils import translation

    with scope(coalition=world.a):
        grant = factories.source(world.a)
        group = factories.actor(world.a)
        services.add_disbursement(
            coalition=world.a,
            actor=None,
            kind="stipend",
            amount="300",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 3, 31),
            recipient_actor=group,
        )
        report = services.add_report(source=grant, actor=None, title="Q1", due_on=date(2026, 4, 15))
        services.mark_report_submitted(
            report=report, actor=None, submitted_on=date(2026, 4, 10), expected_version=1
        )
        services.add_requirement(source=grant, actor=None, name="Visits")
        budget = services.add_budget(
            coalition=world.a, actor=None, name="FY26", starts_on=date(2026, 1, 1)
        )
        services.add_budget_line(budget=budget, actor=None, category="staff", amount="1000")
        services.set_visibility(
            coalition=world.a, actor=None, roles=["viewer"], expected_version=None
        )
        rows = list(AuditEvent.objects.filter(event__startswith="funding."))
        assert {r.event for r in rows} >= {
            "funding.source_added",
            "funding.amount_added",
            "funding.disbursement_added",
            "funding.report_added",
            "funding.report_submitted",
            "funding.requirement_added",
            "funding.budget_added",
            "funding.budget_line_added",
            "funding.visibility_changed",
        }
        with translation.override("en"):
            english = [describe_one(r) for r in rows]
        assert all("_" not in text.split("“")[0] for text in english), english


def test_hostile_names_are_stored_as_text(world: Any) -> None:
    with scope(coalition=world.a):
        grant = factories.source(world.a, name="<script>alert(1)</script>")
    response = world.client_for("admin").get(f"/c/{world.a.slug}/funding/sources/")
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    assert grant.name == "<script>alert(1)</script>"


def test_visibility_defaults_to_admins_and_partners(world: Any) -> None:
    with scope(coalition=world.a):
        assert selectors.visible_roles(coalition=world.a) == {"backbone_admin", "partner"}
        services.set_visibility(
            coalition=world.a, actor=None, roles=["viewer"], expected_version=None
        )
        assert selectors.visible_roles(coalition=world.a) == {"backbone_admin", "viewer"}
        with pytest.raises(ValidationError):
            services.set_visibility(
                coalition=world.a, actor=None, roles=["backbone_admin2"], expected_version=None
            )


def test_an_award_outlives_its_recipient_leaving_the_map(world: Any) -> None:
    from commonground.ecosystem import services as ecosystem

    with scope(coalition=world.a):
        group = factories.actor(world.a, "Short-lived Group")
        award = services.add_disbursement(
            coalition=world.a,
            actor=None,
            kind="grant",
            amount="500",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 31),
            recipient_actor=group,
        )
        assert ecosystem.delete_actor(actor=group, user=None) == "deleted"
        award.refresh_from_db()
        assert award.recipient_actor_id is None and award.recipient_name == "Short-lived Group"
        services.update_disbursement(
            disbursement=award, actor=None, expected_version=award.version, status="paid"
        )
        shared, _rows = selectors.distribution(coalition=world.a)
    assert shared.total == 500 and shared.recipients == 1
