"""Funding as other parts of the product read it: notices, evidence, the roadmap step, the
report section and measures, and governance's stipends when that app provides them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django_scopes import scope

from commonground.coalitions import evidence, notices
from commonground.funding import notices as funding_notices
from commonground.funding import report_sections, selectors, services
from commonground.funding.roadmap_steps import funding_steps
from commonground.funding.tests import factories
from commonground.reports.registry import Period, get_measure, get_section


def test_a_reminder_shows_before_a_report_is_due_and_a_warning_once_overdue(world: Any) -> None:
    today = selectors.today()
    with scope(coalition=world.a):
        grant = factories.source(world.a)
        services.add_report(
            source=grant, actor=None, title="Q4 report", due_on=today + timedelta(days=10)
        )
        services.add_report(
            source=grant, actor=None, title="Late report", due_on=today - timedelta(days=3)
        )
        services.add_report(
            source=grant, actor=None, title="Far report", due_on=today + timedelta(days=90)
        )
    admin = funding_notices.reports_due(world.a, world.people["admin"])
    texts = [(n.kind, n.text) for n in admin]
    assert texts == [
        (
            "task",
            f"A funder report is due soon: Q4 report for Founding grant, due {today + timedelta(days=10)}.",
        ),
        ("warning", "1 funder report is overdue."),
    ]
    # Viewers do not see funding details, so they get no reminder.
    assert list(funding_notices.reports_due(world.a, world.people["viewer"])) == []
    home = notices.notices_for(world.a, world.people["partner"])
    assert any("Q4 report" in n.text for n in home)


def test_the_tactic_is_in_place_once_sources_and_a_budget_are_recorded(world: Any) -> None:
    with scope(coalition=world.a):
        assert "governance_funding_model" not in evidence.in_place_ids(world.a)
        factories.source(world.a)
        found = evidence.collect(world.a)["governance_funding_model"]
        assert [e.in_place for e in found] == [False]
        budget = services.add_budget(
            coalition=world.a, actor=None, name="FY", starts_on=date(2026, 1, 1)
        )
        services.add_budget_line(budget=budget, actor=None, category="staff", amount="100000")
        assert {"governance_funding_model", "resources"} <= evidence.in_place_ids(world.a)
        steps = list(funding_steps(world.a))
    assert [(s.key, s.is_done) for s in steps] == [("funding.sources_and_budget", True)]


def test_the_report_section_and_measures(world: Any) -> None:
    with scope(coalition=world.a):
        factories.source(world.a, amount="600000")
        factories.source(world.a, "Dues", kind="hie_fees", amount="350000")
        factories.source(world.a, "Gifts", kind="donations", amount="50000")
    section = get_section("funding.mix")
    assert section is not None and section.template == "funding/report_section.html"
    data = report_sections.build_mix_section(world.a, Period(date(2026, 1, 1), date(2026, 12, 31)))
    json.dumps(data)  # plain JSON
    assert data["hhi"] == 0.485
    assert [m["type"] for m in data["mix"]] == ["donations", "hie_fees", "private_philanthropy"]
    hhi = get_measure("funding.hhi")
    runway = get_measure("funding.runway_months")
    assert hhi is not None and hhi.kind == "number" and hhi.compute(world.a) == 0.485
    assert runway is not None and runway.kind == "months" and runway.compute(world.a) is None


def test_stipends_stand_alone_when_governance_has_no_seats(world: Any) -> None:
    with scope(coalition=world.a):
        council = factories.actor(world.a, "Community council")
        for status in ("paid", "paid", "awarded", "cancelled"):
            services.add_disbursement(
                coalition=world.a,
                actor=None,
                kind="stipend",
                amount="300",
                recipient_actor=council,
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 1, 31),
                status=status,
            )
        stipends = selectors.stipends(coalition=world.a)
    # Governance (when installed) has no seats in this coalition, so the stand-alone
    # records count: 2 paid of 3 not cancelled.
    assert (stipends.origin, stipends.paid, stipends.filled) == ("funding", 2, 3)


def test_stipends_come_from_governance_seats_when_it_has_them(world: Any) -> None:
    from commonground.governance import services as governance

    with scope(coalition=world.a):
        council = governance.create_body(
            coalition=world.a, actor=None, name="Community council", kind="community_advisory"
        )
        for label, holder, paid in (
            ("Seat 1", "Rosa Díaz", True),
            ("Seat 2", "Marcus Hill", True),
            ("Seat 3", "Lena Ortiz", False),
            ("Seat 4", "", False),  # vacant: not counted
        ):
            governance.add_seat(
                body=council,
                actor=None,
                label=label,
                seat_type="resident",
                holder_name=holder,
                is_paid=paid,
                stipend="150" if paid else None,
            )
        stipends = selectors.stipends(coalition=world.a)
    # Three filled community seats, two paid: 2/3.
    assert (stipends.origin, stipends.paid, stipends.filled) == ("governance", 2, 3)
    assert float(stipends.paid_share or 0) == 2 / 3
