"""The River Region's funding: a founding philanthropic grant and a federal cooperative
agreement that end in the same month about a year from now (the cliff), hospital community
benefit, a health plan's value-based payments, partner dues, donations and a loan; small
grants to community organizations in its counties; stipends; a budget; and a reporting
calendar tied to the metrics framework. Dates are relative to today, so the cliff always
sits within the next two years. Every name of a person is invented."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from django_scopes import scope

from commonground.coalitions.models import Coalition, Membership, Place
from commonground.ecosystem.models import Actor
from commonground.funding import selectors, services
from commonground.funding.domain import months
from commonground.measurement.models import PerformanceMeasure, PriorityArea


def _first(month: int) -> date:
    return months.first_day(month)


def _last(month: int) -> date:
    day = months.first_day(month)
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _admin(coalition: Coalition) -> Any:
    seat = (
        Membership.objects.filter(coalition=coalition, role=Membership.Role.BACKBONE_ADMIN)
        .select_related("user")
        .first()
    )
    return seat.user if seat else None


def seed_river_region(coalition: Coalition) -> None:
    with scope(coalition=coalition):
        _seed(coalition)


def _seed(coalition: Coalition) -> None:
    actor = _admin(coalition)
    today = selectors.today()
    now = months.of(today)
    year = today.year
    actors = {a.name: a for a in Actor.objects.filter(coalition=coalition)}
    areas = {a.name: a for a in PriorityArea.objects.filter(coalition=coalition)}
    measures = {m.name: m for m in PerformanceMeasure.objects.filter(coalition=coalition)}
    # Counties are named "Lowndes, Alabama"; neighborhoods by their own name.
    places = {p.name.split(",")[0]: p for p in Place.objects.filter(coalition=coalition)}

    def who(name: str) -> Actor | None:
        return actors.get(name)

    # Budgets: last year's and this year's, the sum of their lines.
    budgets = {}
    for y, lines in (
        (year - 1, [("staff", "Director, two coordinators, data analyst", 560000),
                    ("operations", "Office, insurance, accounting", 130000),
                    ("stipends", "Community Advisory Council stipends", 36000),
                    ("grants_out", "Small grants to community organizations", 200000),
                    ("data", "Shared measurement and evaluation", 80000),
                    ("communications", "Report to the community, translation", 34000)]),
        (year, [("staff", "Director, three coordinators, data analyst", 620000),
                ("operations", "Office, insurance, accounting", 140000),
                ("stipends", "Community Advisory Council stipends", 48000),
                ("grants_out", "Small grants to community organizations", 250000),
                ("data", "Shared measurement and evaluation", 90000),
                ("communications", "Report to the community, translation", 40000)]),
    ):  # fmt: skip
        budget = services.add_budget(
            coalition=coalition, actor=actor, name=f"FY{y}", starts_on=date(y, 1, 1)
        )
        for category, description, amount in lines:
            services.add_budget_line(
                budget=budget,
                actor=actor,
                category=category,
                description=description,
                amount=amount,
            )
        budgets[y] = budget
    current = budgets[year]

    start, cliff_end = now - 23, now + 12
    foundation = services.add_source(
        coalition=coalition,
        actor=actor,
        name="Founding grant",
        kind="private_philanthropy",
        funder=who("River Region Community Foundation"),
        funder_name="River Region Community Foundation",
        starts_on=_first(start),
        ends_on=_last(cliff_end),
        amount=1000000,
        renewal="possible",
        budget=current,
        notes="The founding donation: three years of backbone staff.",
    )
    cdc = services.add_source(
        coalition=coalition,
        actor=actor,
        name="REACH cooperative agreement",
        kind="federal_grant",
        funder_name="Centers for Disease Control and Prevention",
        starts_on=_first(start),
        ends_on=_last(cliff_end),
        amount=1350000,
        is_restricted=True,
        restricted_to="Community health workers and blood-pressure control",
        renewal="unlikely",
        budget=current,
    )
    yearly = [
        ("Community benefit", "health_system_community_benefit", "Capital City Medical Center", 150000, "committed", ""),
        ("Community benefit", "health_system_community_benefit", "Southview Regional Hospital", 75000, "likely", ""),
        ("Value-based care partnership", "payer_value_based", "Alabama River Health Plan", 120000, "likely",
         "Community health worker visits for members"),
        ("Partner dues", "partner_contribution", "", 60000, "committed", ""),
        ("Rides to care", "local_grant", "City of Montgomery Office of Community Development", 80000, "possible",
         "Rides to care pilot"),
        ("Individual donations", "donations", "", 15000, "unknown", ""),
    ]  # fmt: skip
    sources = {}
    for name, kind, funder, per_year, renewal, restricted in yearly:
        label = f"{name} — {funder}" if funder else name
        source = services.add_source(
            coalition=coalition,
            actor=actor,
            name=label,
            kind=kind,
            funder=who(funder),
            funder_name=funder if who(funder) is None else "",
            starts_on=date(year - 2, 1, 1),
            ends_on=date(year + 1, 12, 31),
            is_restricted=bool(restricted),
            restricted_to=restricted,
            renewal=renewal,
            budget=current,
        )
        # Each year's letter of commitment is an amount; next year's only where committed
        # or likely.
        last = year + 1 if renewal in {"committed", "likely"} else year
        for y in range(year - 2, last + 1):
            services.add_amount(
                source=source,
                actor=actor,
                starts_on=date(y, 1, 1),
                ends_on=date(y, 12, 31),
                amount=per_year,
            )
        sources[name + funder] = source
    services.add_source(
        coalition=coalition,
        actor=actor,
        name="Program-related investment (loan)",
        kind="loan",
        funder=who("Alabama Black Belt Fund"),
        funder_name="Alabama Black Belt Fund",
        starts_on=date(year - 1, 7, 1),
        ends_on=date(year + 4, 6, 30),
        amount=500000,
        notes="A 1% loan that the coalition lends on to small businesses; not revenue.",
    )

    # Shared out: small grants to community organizations, five $1,000 grants to residents'
    # groups by county, stipends, a loan and in-kind space.
    health = areas.get("Health and health care")
    neighborhood = areas.get("Neighborhood and physical environment")
    economic = areas.get("Economic vitality")
    education = areas.get("Education")
    grants = [
        ("grant", "River Region Doulas Collective", 60000, "Community doulas for Black mothers", health),
        ("grant", "Community Health Workers Network", 55000, "Train 12 community health workers", health),
        ("grant", "Centro Latino del Río", 40000, "Spanish-language health navigation", health),
        ("grant", "Greater Mt. Zion Baptist Church", 25000, "Sunday blood-pressure checks", health),
        ("grant", "Mothers of West Montgomery", 15000, "Safe routes to school walks", neighborhood),
        ("grant", "Community Gardens of the River Region", 12000, "Two new garden plots", neighborhood),
        ("grant", "Fresh Cuts Barbershop", 5000, "Barbershop blood-pressure station", health),
        ("grant", "Autauga Literacy Council", 8000, "Health literacy classes", education),
        ("grant", "Riverside Community Health Center", 30000, "Referral follow-up nurse", health),
        ("grant", "Second Chance Jobs Center", 10000, "Job coaching for returning citizens", economic),
        ("loan", "Montgomery Housing Partnership", 150000, "Low-interest repair loans", neighborhood),
        ("in_kind", "West Montgomery Neighbors United", 3600, "Meeting space and interpretation", None),
    ]  # fmt: skip
    for kind, name, amount, purpose, area in grants:
        recipient = who(name)
        if recipient is None:
            continue
        services.add_disbursement(
            coalition=coalition,
            actor=actor,
            kind=kind,
            amount=amount,
            recipient_actor=recipient,
            purpose=purpose,
            priority_area=area,
            source=foundation if kind == "grant" else None,
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
            status="paid" if amount < 30000 else "awarded",
        )
    for county in (
        "Lowndes",
        "Bullock",
        "Macon",
        "Elmore",
        "Autauga",
    ):
        place = places.get(county)
        if place is None:
            continue
        services.add_disbursement(
            coalition=coalition,
            actor=actor,
            kind="grant",
            amount=1000,
            recipient_place=place,
            purpose="Neighborhood health fair run by residents",
            priority_area=health,
            starts_on=date(year, 4, 1),
            ends_on=date(year, 9, 30),
            status="paid",
        )
    council = who("Community Advisory Council")
    if council is not None:
        for quarter in range(4):
            services.add_disbursement(
                coalition=coalition,
                actor=actor,
                kind="stipend",
                amount=12000,
                recipient_actor=council,
                purpose=f"Council members' stipends, quarter {quarter + 1}",
                starts_on=date(year, quarter * 3 + 1, 1),
                ends_on=_last(months.index(year, quarter * 3 + 3)),
                status="paid" if quarter < 3 else "awarded",
            )

    # The reporting calendar and the funder-metric crosswalk.
    for source, name, measure in (
        (cdc, "Home visits by community health workers", "Home visits by community health workers"),
        (cdc, "Participants with controlled blood pressure", "Clients with blood pressure under control"),
        (cdc, "Partner organizations engaged", None),
        (foundation, "Residents placed in jobs", "Residents placed in jobs"),
        (sources["Rides to careCity of Montgomery Office of Community Development"], "Rides provided",
         "Rides to care given"),
    ):  # fmt: skip
        services.add_requirement(
            source=source, actor=actor, name=name, measure=measures.get(measure or "")
        )
    past = services.add_report(
        source=cdc,
        actor=actor,
        title="Annual performance report",
        due_on=_first(now - 2).replace(day=28),
    )
    services.mark_report_submitted(
        report=past,
        actor=actor,
        submitted_on=_first(now - 2).replace(day=20),
        expected_version=None,
    )
    services.add_report(
        source=cdc,
        actor=actor,
        title="Quarterly progress report",
        due_on=today + timedelta(days=12),
        remind_days=21,
    )
    services.add_report(
        source=cdc,
        actor=actor,
        title="Quarterly progress report",
        due_on=_first(now + 3).replace(day=15),
    )
    services.add_report(
        source=foundation,
        actor=actor,
        title="Annual report to the foundation",
        due_on=_last(now + 1),
    )
    services.add_report(
        source=sources["Rides to careCity of Montgomery Office of Community Development"],
        actor=actor,
        title="Rides to care: year-end report",
        due_on=_last(now + 2),
    )
