"""The demo coalition's systems work: a system map of its housing-and-health priority area
(a reinforcing loop of housing instability, stress, chronic illness and medical debt; two
balancing loops with delays), tied to its equity indicators and policy agenda; an asset map
over its six counties; and two anchor institutions' commitments with progress.

Every organization and figure is invented (places are real Alabama counties and towns);
the indicators are the ones the measurement demo imported from public data.
"""

from __future__ import annotations

from typing import Any

from commonground.coalitions.models import Coalition, Membership
from commonground.ecosystem.models import Actor
from commonground.governance.models import Policy
from commonground.measurement.models import Indicator, PriorityArea
from commonground.systems import services
from commonground.voice.models import ListeningSession

MONTGOMERY, AUTAUGA, ELMORE, LOWNDES, MACON, BULLOCK = (
    "01101",
    "01001",
    "01051",
    "01085",
    "01087",
    "01011",
)

# name, kind, indicator code, priority area, policy keyword, description
FACTORS = (
    ("Wages below the cost of living", "root_cause", "EP_POV150", "Economic vitality", "",
     "Many jobs in the region pay too little to cover rent, food and care."),
    ("Segregation and disinvestment", "root_cause", "", "Neighborhood and physical environment", "",
     "Decades of redlining and disinvestment left West Montgomery and the Black Belt with old housing and few clinics."),
    ("Housing instability", "condition", "EP_HBURD", "Neighborhood and physical environment", "housing code",
     "Rent that takes more than half of income, doubling up, moves and evictions."),
    ("Stress", "condition", "MHLTH_CrudePrev", "Health and health care", "",
     "Chronic worry about rent, bills and safety, which residents described at every listening session."),
    ("Chronic illness", "condition", "BPHIGH_CrudePrev", "Health and health care", "",
     "High blood pressure and diabetes that go untreated."),
    ("Distance to care", "condition", "", "Neighborhood and physical environment", "bus route",
     "Clinics a long drive away, and no bus to reach them."),
    ("Medical debt", "condition", "", "Economic vitality", "medicaid",
     "Bills from emergency visits and hospital stays that families cannot pay."),
    ("Missed work", "condition", "", "Economic vitality", "",
     "Shifts lost to illness and appointments, with no paid sick leave."),
    ("Community health worker outreach", "policy", "", "Health and health care", "blood-pressure",
     "Community health workers who find people with uncontrolled blood pressure and follow them between visits."),
    ("Emergency rental assistance", "policy", "", "Neighborhood and physical environment", "",
     "County and city funds that pay back rent before an eviction."),
    ("Early death", "outcome", "v147", "Health and health care", "",
     "Years of life lost before 75; the life-expectancy gap between Black and White residents."),
    ("Babies born too small", "outcome", "v037", "Health and health care", "",
     "Low birthweight, about twice as common for Black babies."),
)  # fmt: skip

# from, to, polarity, delay, evidence
LINKS = (
    ("Housing instability", "Stress", "+", False, "Listening sessions in West Montgomery and Hayneville (2024)."),
    ("Stress", "Chronic illness", "+", True, "Chronic stress raises blood pressure over years (allostatic load studies)."),
    ("Chronic illness", "Medical debt", "+", False, "Hospital financial-assistance data: most collections follow chronic-disease admissions."),
    ("Medical debt", "Housing instability", "+", False, "Legal aid intake: medical debt came before half of the eviction cases."),
    ("Chronic illness", "Missed work", "+", False, "Workforce board survey of employers (2023)."),
    ("Missed work", "Housing instability", "+", False, "Residents: one missed paycheck is one missed rent payment."),
    ("Chronic illness", "Community health worker outreach", "+", False, "Clinics refer people with uncontrolled blood pressure to the CHW network."),
    ("Community health worker outreach", "Chronic illness", "-", True, "Blood pressure under control rose from 38% to 51% among CHW clients in two years."),
    ("Housing instability", "Emergency rental assistance", "+", True, "Council funds more assistance after eviction filings rise, a budget cycle later."),
    ("Emergency rental assistance", "Housing instability", "-", False, "Households that received assistance mostly stayed housed a year later."),
    ("Chronic illness", "Early death", "+", True, "Heart disease and diabetes explain most of the life-expectancy gap."),
    ("Early death", "Stress", "+", False, "Residents spoke of losing parents and siblings young, and of the strain that follows."),
    ("Stress", "Babies born too small", "+", False, "Maternal stress is linked to low birthweight."),
    ("Wages below the cost of living", "Housing instability", "+", False, "Half of renters pay more than 30% of income for housing."),
    ("Wages below the cost of living", "Stress", "+", False, "Listening sessions (2024)."),
    ("Segregation and disinvestment", "Housing instability", "+", False, "Old housing stock and low home values in redlined neighborhoods."),
    ("Segregation and disinvestment", "Distance to care", "+", False, "Few clinics and grocery stores within reach."),
    ("Distance to care", "Chronic illness", "+", True, "Residents at the Black Belt sessions: the nearest clinic is 40 minutes away."),
)  # fmt: skip

# name, category, actor name (or ""), county, neighborhood, lat, lon, named
ASSETS = (
    ("Riverside Community Health Center", "clinic", "Riverside Community Health Center", MONTGOMERY, "West Montgomery", 32.3760, -86.3400, True),
    ("Elmore County Family Clinic", "clinic", "Elmore County Family Clinic", ELMORE, "Wetumpka", 32.5438, -86.2119, False),
    ("Black Belt Rural Health Clinic", "clinic", "Black Belt Rural Health Clinic", LOWNDES, "Hayneville", 32.1840, -86.5803, True),
    ("Bullock County Health Department", "clinic", "", BULLOCK, "Union Springs", 32.1443, -85.7150, False),
    ("Tri-County Food Bank", "food", "Tri-County Food Bank", MONTGOMERY, "North Montgomery", None, None, False),
    ("Community Gardens of the River Region", "food", "Community Gardens of the River Region", MONTGOMERY, "West Montgomery", None, None, True),
    ("La Esperanza Tienda", "food", "La Esperanza Tienda", MONTGOMERY, "East Montgomery", None, None, False),
    ("Macon County Farmers Market", "food", "", MACON, "Tuskegee", 32.4240, -85.6910, False),
    ("Greater Mt. Zion Baptist Church", "faith", "Greater Mt. Zion Baptist Church", MONTGOMERY, "West Montgomery", None, None, True),
    ("Hayneville First AME Church", "faith", "Hayneville First AME Church", LOWNDES, "Hayneville", None, None, True),
    ("Iglesia Nueva Vida", "faith", "Iglesia Nueva Vida", MONTGOMERY, "East Montgomery", None, None, False),
    ("Prattville Church of Christ Food Pantry", "faith", "Prattville Church of Christ Food Pantry", AUTAUGA, "Prattville", 32.4640, -86.4597, False),
    ("Union Springs Missionary Baptist Church", "faith", "", BULLOCK, "Union Springs", None, None, True),
    ("Oak Park", "park", "", MONTGOMERY, "Cloverdale", None, None, False),
    ("Wetumpka Riverfront Park", "park", "", ELMORE, "Wetumpka", None, None, False),
    ("Autauga-Prattville Public Library", "library", "", AUTAUGA, "Prattville", None, None, False),
    ("Tuskegee Public Library", "library", "", MACON, "Tuskegee", None, None, True),
    ("Bullock County Public Library", "library", "", BULLOCK, "Union Springs", None, None, False),
    ("Fresh Cuts Barbershop", "barbershop_salon", "Fresh Cuts Barbershop", MONTGOMERY, "West Montgomery", None, None, True),
    ("Crowned Beauty Salon", "barbershop_salon", "Crowned Beauty Salon", MONTGOMERY, "West Montgomery", None, None, False),
    ("Kingdom Kutz Barber Lounge", "barbershop_salon", "Kingdom Kutz Barber Lounge", MACON, "Tuskegee", None, None, False),
    ("Lowndes County Middle School", "school", "", LOWNDES, "Fort Deposit", None, None, False),
    ("Elmore County Schools", "school", "Elmore County Schools", ELMORE, "Millbrook", None, None, False),
    ("Rosa Parks Avenue bus stop (Route 4)", "transit_stop", "", MONTGOMERY, "West Montgomery", None, None, True),
    ("Prattville Transit Center", "transit_stop", "", AUTAUGA, "Prattville", None, None, False),
)  # fmt: skip

# institution, kind, measure, unit, baseline, target, target period, description, progress
COMMITMENTS = (
    ("Capital City Medical Center", "local_hiring", "Share of new hires who live in the six counties", "%",
     38.0, 50.0, "2027", "Hire from the six counties, starting with West Montgomery, through a pipeline with the workforce board.",
     [("2023", 38.0), ("2024", 41.5), ("2025", 44.0)]),
    ("Capital City Medical Center", "local_purchasing", "Spending with local and minority-owned suppliers", "$ million",
     4.2, 10.0, "2027", "Buy food, laundry and construction locally.",
     [("2023", 4.2), ("2024", 5.1), ("2025", 6.8)]),
    ("Capital City Medical Center", "community_benefit", "Share of community benefit spent on social needs", "%",
     3.0, 10.0, "2027", "Move community benefit dollars toward housing and food.",
     [("2024", 4.5), ("2025", 6.2)]),
    ("Alabama Riverside State University", "place_based_investment", "Invested in West Montgomery housing and small businesses", "$ million",
     0.0, 5.0, "2028", "Part of the endowment invested in community development loans.",
     [("2024", 0.8), ("2025", 2.1)]),
    ("Alabama Riverside State University", "local_hiring", "Share of new staff hires from the six counties", "%",
     55.0, 65.0, "2027", "Open entry-level jobs first to residents of the six counties.",
     [("2024", 56.0), ("2025", 58.5)]),
)  # fmt: skip


def _admin(coalition: Coalition) -> Any:
    membership = (
        Membership.objects.filter(coalition=coalition, role=Membership.Role.BACKBONE_ADMIN)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _policy(keyword: str, policies: list[Policy]) -> Policy | None:
    if not keyword:
        return None
    return next((p for p in policies if keyword in p.title.lower()), None)


def seed_river_region(coalition: Coalition) -> None:
    actor = _admin(coalition)
    indicators = {i.code: i for i in Indicator.objects.filter(coalition=coalition)}
    areas = {a.name: a for a in PriorityArea.objects.filter(coalition=coalition)}
    policies = list(Policy.objects.filter(coalition=coalition))
    factors = {}
    for name, kind, code, area, keyword, description in FACTORS:
        factors[name] = services.create_factor(
            coalition=coalition,
            actor=actor,
            name=name,
            kind=kind,
            description=description,
            indicator=indicators.get(code),
            priority_area=areas.get(area),
            policy=_policy(keyword, policies),
        )
    for source, target, polarity, delay, evidence in LINKS:
        services.create_link(
            coalition=coalition,
            actor=actor,
            source=factors[source],
            target=factors[target],
            polarity=polarity,
            has_delay=delay,
            evidence=evidence,
        )
    actors = {a.name: a for a in Actor.objects.filter(coalition=coalition)}
    sessions = list(ListeningSession.objects.filter(coalition=coalition).order_by("held_on", "id"))
    for name, category, actor_name, county, neighborhood, lat, lon, named in ASSETS:
        in_sessions = (
            [s for s in sessions if neighborhood.lower() in s.place.lower()][:2] if named else []
        )
        services.create_asset(
            coalition=coalition,
            actor=actor,
            name=name,
            category=category,
            organization=actors.get(actor_name),
            county_code=county,
            neighborhood=neighborhood,
            latitude=lat,
            longitude=lon,
            named_in_sessions=named and not in_sessions,
            sessions=in_sessions,
        )
    layer = indicators.get("EP_POV150") or indicators.get("v147")
    if layer is not None:
        services.set_asset_layer(coalition=coalition, actor=actor, indicator=layer, group="total")
    for (
        institution,
        kind,
        measure,
        unit,
        baseline,
        goal,
        period,
        description,
        progress,
    ) in COMMITMENTS:
        if institution not in actors:
            continue
        commitment = services.create_commitment(
            coalition=coalition,
            actor=actor,
            institution=actors[institution],
            kind=kind,
            measure=measure,
            unit=unit,
            baseline=baseline,
            target_value=goal,
            target_period=period,
            description=description,
        )
        for when, value in progress:
            services.record_progress(commitment=commitment, actor=actor, period=when, value=value)
