"""Pages: what each role sees, the forms' rejections, 409 on a stale edit, exports."""

from __future__ import annotations

import io
from datetime import date
from fractions import Fraction
from typing import Any

import openpyxl
from django_scopes import scope

from commonground.coalitions.models import Place
from commonground.funding import selectors, services
from commonground.funding.domain import core, months
from commonground.funding.models import Disbursement, FundingSource
from commonground.funding.tests import factories

PAGES = ["", "sources/", "shared/", "budget/", "calendar/", "export/"]


def url(world: Any, path: str = "") -> str:
    return f"/c/{world.a.slug}/funding/{path}"


def seed(world: Any) -> dict[str, Any]:
    with scope(coalition=world.a):
        grant = factories.source(world.a, ends_on=date(2026, 6, 30))
        factories.source(
            world.a, "State grant", kind="state_grant", ends_on=date(2026, 6, 30), amount="60000"
        )
        budget = services.add_budget(
            coalition=world.a, actor=None, name="FY2026", starts_on=date(2026, 1, 1)
        )
        services.add_budget_line(budget=budget, actor=None, category="staff", amount="240000")
        group = factories.actor(world.a, is_community_led=True)
        award = services.add_disbursement(
            coalition=world.a,
            actor=None,
            kind="grant",
            amount="25000",
            recipient_actor=group,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
        )
        services.add_report(
            source=grant, actor=None, title="Interim report", due_on=date(2026, 3, 1)
        )
    return {"grant": grant, "award": award, "group": group}


def test_admins_and_partners_see_the_pages_residents_and_viewers_do_not(world: Any) -> None:
    seed(world)
    for persona, expected in (("admin", 200), ("partner", 200), ("resident", 403), ("viewer", 403)):
        client = world.client_for(persona)
        for path in PAGES:
            assert client.get(url(world, path)).status_code == expected, (persona, path)


def test_a_coalition_can_open_funding_to_viewers(world: Any) -> None:
    admin = world.client_for("admin")
    response = admin.post(url(world, "settings/"), {"visible_roles": ["viewer"], "version": 1})
    assert response.status_code == 302
    assert world.client_for("viewer").get(url(world)).status_code == 200
    assert world.client_for("partner").get(url(world)).status_code == 403
    api = world.client_for("viewer").get(f"/api/coalitions/{world.a.slug}/funding/summary")
    assert api.status_code == 200


def test_the_overview_shows_the_cliff_and_flags_in_plain_words(world: Any) -> None:
    seed(world)
    text = world.client_for("partner").get(url(world)).content.decode()
    # Both grants ended in June 2026; seen from today (later), nothing covers the budget.
    assert "does not cover this month" in text
    assert "Most of the money comes from one source" in text  # $120,000 of $180,000
    assert "No money comes from partners" in text
    assert text.count("<svg") == 2 and "The cliff as a table" in text


def test_the_stability_picture_on_a_hand_worked_coalition(world: Any) -> None:
    seed(world)
    with scope(coalition=world.a):
        picture = selectors.stability(coalition=world.a, on=date(2026, 1, 15))
    summary = picture.summary
    # $20,000 + $10,000 a month from January to June against $240,000 / 12 = $20,000.
    assert summary.runway_months == 6 and months.label(summary.cliff_month or 0) == "2026-07"
    assert summary.hhi == Fraction(5, 9)  # (2/3)² + (1/3)²
    assert picture.largest_source_name == "Founding grant"
    assert summary.flags == [
        core.MOST_FROM_ONE_SOURCE,
        core.MOST_ENDING_WITHIN_TWO_YEARS,
        core.NO_PARTNER_OR_EARNED_INCOME,
    ]
    with scope(coalition=world.a):
        headline = selectors.funding_headline(coalition=world.a)
    assert headline is not None and set(headline) == {
        "hhi",
        "largest_source_share",
        "runway_months",
        "cliff_month",
        "flags",
    }
    assert headline["hhi"] == 5 / 9


def test_a_bad_amount_on_the_form_is_named_and_saves_nothing(world: Any) -> None:
    admin = world.client_for("admin")
    data = {
        "name": "Grant",
        "kind": "federal_grant",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "renewal": "unknown",
        "amount": "-100",
    }
    response = admin.post(url(world, "sources/new/"), data)
    assert response.status_code == 400
    assert "An amount cannot be negative." in response.content.decode()
    response = admin.post(url(world, "sources/new/"), data | {"amount": "12,5x"})
    assert "is not a number." in response.content.decode()
    response = admin.post(
        url(world, "sources/new/"), data | {"amount": "5", "ends_on": "2025-01-01"}
    )
    assert "The end comes before the start." in response.content.decode()
    with scope(coalition=world.a):
        assert not FundingSource.objects.exists()
    response = admin.post(url(world, "sources/new/"), data | {"amount": "1,500.50"})
    assert response.status_code == 302
    with scope(coalition=world.a):
        assert FundingSource.objects.get().amounts.get().amount == 1500.5


def test_a_stale_edit_of_a_source_answers_409(world: Any) -> None:
    objects = seed(world)
    admin = world.client_for("admin")
    path = url(world, f"sources/{objects['grant'].pk}/edit/")
    form = {
        "name": "Founding grant",
        "kind": "private_philanthropy",
        "starts_on": "2026-01-01",
        "ends_on": "2026-06-30",
        "renewal": "likely",
        "version": 1,
    }
    assert admin.get(path).status_code == 200
    assert admin.post(path, form).status_code == 302
    stale = admin.post(path, form | {"renewal": "unlikely"})
    assert stale.status_code == 409
    assert "Reload the page" in stale.content.decode()
    with scope(coalition=world.a):
        assert FundingSource.objects.get(pk=objects["grant"].pk).renewal == "likely"


def test_a_stale_edit_of_an_award_answers_409(world: Any) -> None:
    objects = seed(world)
    admin = world.client_for("admin")
    path = url(world, f"shared/{objects['award'].pk}/edit/")
    form = {
        "kind": "grant",
        "recipient_actor": objects["group"].pk,
        "amount": "30000",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "status": "paid",
        "version": 1,
    }
    assert admin.post(path, form).status_code == 302
    assert admin.post(path, form | {"amount": "1"}).status_code == 409
    with scope(coalition=world.a):
        assert Disbursement.objects.get().amount == 30000


def test_a_place_of_another_coalition_is_not_offered_nor_accepted(world: Any) -> None:
    with scope(coalition=world.b):
        theirs = Place.objects.filter(coalition=world.b).first()
    response = world.client_for("admin").post(
        url(world, "shared/new/"),
        {
            "kind": "grant",
            "recipient_place": theirs.pk,
            "amount": "1000",
            "starts_on": "2026-01-01",
            "ends_on": "2026-01-31",
            "status": "paid",
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with scope(coalition=world.a):
        assert not Disbursement.objects.exists()


def test_exports_go_through_the_safe_writer(world: Any) -> None:
    seed(world)
    with scope(coalition=world.a):
        factories.source(world.a, '=HYPERLINK("http://x")', amount="1")
    client = world.client_for("partner")
    csv = client.get(url(world, "export/") + "?table=sources&format=csv")
    assert csv.status_code == 200 and csv["Content-Disposition"].startswith("attachment")
    body = csv.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("id,source,funder,type")
    assert "'=HYPERLINK" in body  # made inert
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(url(world, "export/") + "?format=xlsx").content)
    )
    assert book.sheetnames == ["sources", "amounts", "shared", "calendar"]
    assert book["shared"].max_row == 2
    assert client.get(url(world, "export/") + "?format=pdf").status_code == 404


def test_budget_amount_and_calendar_forms(world: Any) -> None:
    objects = seed(world)
    admin = world.client_for("admin")
    grant = objects["grant"]
    r = admin.post(
        url(world, f"sources/{grant.pk}/amounts/"),
        {"amount": "-1", "starts_on": "2026-01-01", "ends_on": "2026-02-01"},
    )
    assert r.status_code == 302
    page = admin.get(url(world, f"sources/{grant.pk}/")).content.decode()
    assert "An amount cannot be negative." in page
    r = admin.post(
        url(world, f"sources/{grant.pk}/amounts/"),
        {"amount": "600", "starts_on": "2026-07-01", "ends_on": "2026-12-31"},
    )
    with scope(coalition=world.a):
        assert grant.amounts.count() == 2
        report = grant.reports.get()
    r = admin.post(
        url(world, f"reports/{report.pk}/submitted/"), {"submitted_on": "2026-02-27", "version": 1}
    )
    assert r.status_code == 302
    r = admin.post(
        url(world, f"reports/{report.pk}/submitted/"), {"submitted_on": "2026-02-28", "version": 1}
    )
    assert r.status_code == 409
    assert "Interim report" in admin.get(url(world, "calendar/")).content.decode()
