"""The River Region's assessments: a closed 2025 round and an open 2026 round of the
stage assessment, the pillar check and the decision points, a 2025 readiness round,
the role matrix, the four-domains document, the capacity tactics and an action plan.

Answers are drawn from a seeded generator, so every run makes the same demo. Residents
see trust and power differently from institutions, which the voice gap shows. The 2025
pillar check also has five paper worksheets from a community workshop, typed in by the
backbone: with 5 residents answering themselves and 5 worksheets, both sources reach
the minimum of 5 and the community results (and the voice gap) are shown. In 2026 two
people who sign in during the demo, Denise (community member) and Priya (partner),
have not answered yet.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping

from django.utils import timezone

from commonground import framework
from commonground.accounts.models import User
from commonground.assessments import services
from commonground.assessments.models import Assessment
from commonground.coalitions.models import Coalition, Membership
from commonground.demo.seed import DEMO_PASSWORD

Role = Membership.Role

# More residents and partners than the core demo has, so that each group reaches
# the minimum of 5 respondents and results by member type can be shown.
EXTRA_PEOPLE = (
    (
        "marisol@residents.example",
        "Marisol Vega",
        Role.COMMUNITY_MEMBER,
        "Community Advisory Council",
    ),
    (
        "curtis@residents.example",
        "Curtis Bell",
        Role.COMMUNITY_MEMBER,
        "Community Advisory Council",
    ),
    ("ana@residents.example", "Ana Lucía Cruz", Role.COMMUNITY_MEMBER, "West Montgomery Neighbors"),
    ("earl@residents.example", "Earl Thompson", Role.COMMUNITY_MEMBER, "Lowndes County Residents"),
    ("grace@foodbank.example", "Grace Okafor", Role.PARTNER, "Montgomery Area Food Bank"),
    ("victor@rrschools.example", "Victor Hale", Role.PARTNER, "River Region Public Schools"),
)
NOT_YET_ANSWERED_2026 = {"denise@residents.example", "priya@capitalcitymed.example"}

# Share of each group marking a stage statement true: (institutions, residents). The
# River Region plainly is forming: members recognize forming's characteristics, not yet
# scaling's; most of forming's infrastructure is in place, but not the governance
# structure or the accountability mechanisms, which residents in particular do not see.
STAGE_SHARES: Mapping[str, tuple[float, float]] = {
    "emerging_char_unifying_factors": (0.9, 0.9),
    "emerging_char_low_trust": (0.3, 0.7),
    "emerging_char_cross_sector_conversations": (0.8, 0.6),
    "emerging_char_fragmented_leadership": (0.15, 0.3),
    "emerging": (0.95, 0.9),
    "forming_char_community_voices": (0.75, 0.45),
    "forming_infra_shared_agenda": (0.9, 0.7),
    "forming_infra_common_metrics": (0.8, 0.6),
    "forming_infra_data_needs": (0.8, 0.7),
    "forming_infra_roadmap": (0.75, 0.6),
    "forming_infra_ecosystem_map": (0.9, 0.6),
    "forming_infra_governance": (0.55, 0.15),
    "forming_infra_accountability": (0.45, 0.1),
    "forming": (0.85, 0.7),
    "scaling_infra_data_access_analysis": (0.6, 0.3),
    "scaling_infra_impact_reports": (0.2, 0.1),
    "scaling_infra_success_stories": (0.55, 0.5),
    "scaling_infra_leading_practices": (0.3, 0.2),
    "scaling_infra_community_informed_agendas": (0.35, 0.1),
    "scaling": (0.3, 0.2),
    "sustaining": (0.15, 0.1),
    "transforming": (0.05, 0.05),
}
# Mean pillar rating (how much the challenge holds us back, 1-5): (institutions, residents).
PILLAR_MEANS: Mapping[str, tuple[float, float]] = {
    "call_to_action": (2.4, 2.6),
    "power_redistribution": (2.6, 4.4),
    "resources": (4.1, 3.9),
    "narratives_objectives": (2.8, 3.0),
    "capacity": (3.4, 3.2),
    "data_metrics": (3.6, 2.6),
    "trust": (2.2, 4.2),
}
# Mean slider position and spread (0-100): (institutions, residents, spread).
DECISION_MEANS: Mapping[str, tuple[float, float, float]] = {
    "focus": (40, 30, 12),
    "upstream": (45, 40, 40),
    "geography": (65, 30, 15),
    "partnership_depth": (55, 50, 10),
    "ideology": (60, 55, 12),
    "time_allocation": (40, 45, 10),
}
PILLAR_REASONS = {
    "trust": (
        "Residents were promised things before and nothing came back to the neighborhood.",
        "We need to report back to residents on what happened with their input.",
        "Meetings happen in the daytime downtown; people who work cannot come.",
        "Some partners still talk about residents rather than with them.",
        "The hospital's history in West Montgomery is still remembered.",
        "Trust is growing where the community health workers are.",
    ),
    "power_redistribution": (
        "Residents sit at the table but the budget is decided elsewhere.",
        "The advisory council should vote, not only advise.",
        "Partners bring staff; residents bring themselves, unpaid.",
        "Decisions are often made before the meeting.",
        "We should pay residents for their time.",
    ),
    "resources": (
        "Every grant comes with its own reports.",
        "Two counties have no hospital and little funding.",
        "Staff time for the collaborative is not in anyone's budget.",
        "Small grants reached new groups this year.",
        "Funding is short-term; hard to plan beyond a year.",
    ),
}
DECISION_REASONS = {
    "upstream": (
        "People need rides to the clinic now; housing policy takes years.",
        "If we only fix today's problems we will be doing this forever.",
        "Both, but the money is for services.",
        "Root causes are why we formed.",
        "Start with services to build trust, then policy.",
    ),
}


def _people(coalition: Coalition) -> list[Membership]:
    for email, name, role, organization in EXTRA_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, display_name=name)
        Membership.objects.get_or_create(
            coalition=coalition, user=user, defaults={"role": role, "organization": organization}
        )
    return list(
        Membership.objects.filter(coalition=coalition)
        .exclude(role=Role.VIEWER)
        .select_related("user")
        .order_by("user__email")
    )


def _is_resident(membership: Membership) -> bool:
    return membership.role == Role.COMMUNITY_MEMBER


def _stage_answers(rng: random.Random, resident: bool, lift: float) -> dict[str, object]:
    marked = []
    for stage in framework.STAGES:
        for item in (*stage.characteristics, *stage.infrastructure):
            shares = STAGE_SHARES.get(item.id) or STAGE_SHARES[stage.id]
            share = shares[1] if resident else shares[0]
            if rng.random() < min(1.0, share + lift):
                marked.append(item.id)
    return {"marked": marked}


def _rating(rng: random.Random, mean: float, low: int, high: int, spread: float) -> int:
    return max(low, min(high, round(rng.gauss(mean, spread))))


def _pillar_answers(rng: random.Random, resident: bool, shift: float) -> dict[str, object]:
    ratings = {}
    notes = {}
    for pillar_id, means in PILLAR_MEANS.items():
        ratings[pillar_id] = _rating(rng, (means[1] if resident else means[0]) + shift, 1, 5, 0.7)
        reasons = PILLAR_REASONS.get(pillar_id)
        if reasons and rng.random() < 0.6:
            notes[pillar_id] = rng.choice(reasons)
    return {"ratings": ratings, "notes": notes}


def _decision_answers(rng: random.Random, resident: bool) -> dict[str, object]:
    ratings = {}
    notes = {}
    for point_id, (institutional, community, spread) in DECISION_MEANS.items():
        value = _rating(rng, community if resident else institutional, 0, 100, spread)
        ratings[point_id] = 5 * round(value / 5)
        reasons = DECISION_REASONS.get(point_id)
        if reasons and rng.random() < 0.7:
            notes[point_id] = rng.choice(reasons)
    return {"ratings": ratings, "notes": notes}


def _readiness_answers(rng: random.Random, resident: bool) -> dict[str, object]:
    weak = {"adequate_funding", "supportive_policies", "accountability", "internal_legitimacy"}
    strong = {
        "interdependence",
        "shared_problem_definition",
        "equity_vision",
        "leaders_and_sponsors",
    }
    ratings = {}
    for feature in framework.FEATURES:
        mean = 2.4 if feature.id in weak else 4.2 if feature.id in strong else 3.6
        if resident and feature.id in {"accountability", "diverse_stakeholders"}:
            mean -= 1.0
        ratings[feature.id] = _rating(rng, mean, 1, 5, 0.6)
    return {"ratings": ratings, "notes": {}}


def _answer(
    assessment: Assessment, membership: Membership, answers: dict[str, object], on: datetime.date
) -> None:
    response = services.submit_response(
        assessment=assessment, membership=membership, answers=answers
    )
    type(response).objects.filter(pk=response.pk).update(submitted_on=on)


def _round(
    coalition: Coalition,
    admin: Membership,
    kind: str,
    year: int,
    people: list[Membership],
    make: object,
    *,
    close: bool,
    community_worksheets: int = 0,
) -> Assessment:
    assessment = services.open_round(
        coalition=coalition, actor=admin.user, kind=kind, round_number=year, is_anonymous=True
    )
    rng = random.Random(f"{kind}-{year}")
    on = datetime.date(year, 3, 14)
    for membership in people:
        answers = make(rng, _is_resident(membership))  # type: ignore[operator]
        _answer(assessment, membership, answers, on)
    workshop = random.Random(f"{kind}-{year}-workshop")
    for _worksheet in range(community_worksheets):
        services.enter_paper_response(
            assessment=assessment,
            actor=admin.user,
            member_type="community",
            answers=make(workshop, True),  # type: ignore[operator]
            submitted_on=datetime.date(year, 3, 21),
        )
    if close:
        services.close_round(assessment=assessment, actor=admin.user)
        Assessment.objects.filter(pk=assessment.pk).update(
            closed_at=timezone.make_aware(datetime.datetime(year, 4, 30, 17, 0))
        )
    return assessment


def seed_river_region(coalition: Coalition) -> None:
    people = _people(coalition)
    admin = next(m for m in people if m.user.email == "alicia@riverregion.example")
    # 2025: fewer residents had joined (5 of 7), and one partner did not answer.
    residents = [m for m in people if _is_resident(m)]
    others = [m for m in people if not _is_resident(m)]
    first_round = residents[:5] + others[:-1]
    second_round = [m for m in people if m.user.email not in NOT_YET_ANSWERED_2026]

    _round(
        coalition,
        admin,
        "stage",
        2025,
        first_round,
        lambda r, c: _stage_answers(r, c, 0.0),
        close=True,
    )
    _round(
        coalition,
        admin,
        "stage",
        2026,
        second_round,
        lambda r, c: _stage_answers(r, c, 0.1),
        close=False,
    )
    _round(
        coalition,
        admin,
        "pillars",
        2025,
        first_round,
        lambda r, c: _pillar_answers(r, c, 0.3),
        close=True,
        community_worksheets=5,
    )
    _round(
        coalition,
        admin,
        "pillars",
        2026,
        second_round,
        lambda r, c: _pillar_answers(r, c, 0.0),
        close=False,
    )
    decisions = _round(
        coalition, admin, "decision_points", 2025, first_round, _decision_answers, close=True
    )
    _round(coalition, admin, "decision_points", 2026, second_round, _decision_answers, close=False)
    _round(coalition, admin, "readiness", 2025, first_round, _readiness_answers, close=True)

    services.record_agreed_position(
        assessment=decisions,
        membership=admin,
        decision_point_id="geography",
        position=40,
        rationale=(
            "Start in West Montgomery and the two Black Belt counties without a hospital; "
            "take what works region-wide once it is proven."
        ),
    )
    services.record_agreed_position(
        assessment=decisions,
        membership=admin,
        decision_point_id="focus",
        position=35,
        rationale="Four focus areas are enough; maternal and infant health comes first.",
    )

    _role_matrix(coalition, admin)
    _tactics(coalition, admin, people)
    _domains(coalition, admin, people)
    by_email = {m.user.email: m for m in people}
    for title, source_key, owner, due in (
        (
            "Put in place: A governance structure with community seats",
            "infrastructure:forming_infra_governance",
            "marcus@riverregion.example",
            (2026, 6, 30),
        ),
        (
            "Report back to residents on what was done with the 2025 listening sessions",
            "voice_gap:trust",
            "alicia@riverregion.example",
            (2026, 5, 15),
        ),
        (
            "Pay Community Advisory Council members for meeting time",
            "",
            "alicia@riverregion.example",
            (2026, 7, 1),
        ),
    ):
        services.accept_action(
            coalition=coalition,
            actor=admin.user,
            title=title,
            source_key=source_key,
            owner=by_email[owner],
            due_on=datetime.date(*due),
        )


def _role_matrix(coalition: Coalition, admin: Membership) -> None:
    covered = {"convening", "learning", "service_provision", "advising"}
    needed_everywhere = {
        "community_organizing",
        "funding",
        "advocating",
        "convening",
        "service_provision",
    }
    decisions = []
    for position, area in enumerate(coalition.focus_areas or []):
        for role in framework.ROLES:
            is_needed = role.id in needed_everywhere or (
                position % 2 == 0 and role.id == "amplifying"
            )
            internal = role.id in covered
            decisions.append(
                services.RoleDecision(
                    area, role.id, is_needed, internal, is_needed and not internal
                )
            )
    services.save_role_matrix(coalition=coalition, actor=admin.user, decisions=decisions)


def _tactics(coalition: Coalition, admin: Membership, people: list[Membership]) -> None:
    by_email = {m.user.email: m for m in people}
    for tactic_id, status, owner, url, note in (
        (
            "build_trusted_partnerships",
            "in_progress",
            "marcus@riverregion.example",
            "",
            "Decision log started in January; partners review it monthly.",
        ),
        (
            "create_shared_measurement",
            "in_progress",
            "james@rrphd.example",
            "",
            "Draft metrics framework with the health district.",
        ),
        (
            "promote_common_agenda",
            "in_place",
            "alicia@riverregion.example",
            "",
            "Shared agenda adopted by the steering group in 2025.",
        ),
        ("support_community_led_activities", "not_started", "denise@residents.example", "", ""),
        (
            "promote_accountability",
            "in_progress",
            "lena@riversidechc.example",
            "",
            "Partner survey planned for the fall.",
        ),
        (
            "governance_funding_model",
            "in_place",
            "alicia@riverregion.example",
            "",
            "Charter names the collaborative as backbone.",
        ),
    ):
        services.set_tactic_status(
            coalition=coalition,
            actor=admin.user,
            tactic_id=tactic_id,
            status=status,
            owner=by_email.get(owner),
            evidence_url=url,
            evidence_note=note,
        )


def _domains(coalition: Coalition, admin: Membership, people: list[Membership]) -> None:
    first = {
        "strengths_capabilities_q_unique_strengths": "Trusted community health workers and a faith network that reaches every county.",
        "reach_and_role_q_communities": "West Montgomery and the Black Belt counties, where life expectancy is lowest.",
        "community_partnership_q_elevate_voice": "A paid Community Advisory Council with two seats on the steering group.",
        "systems_change_q_root_causes": "Housing, transportation to care and the lack of Medicaid expansion.",
    }
    version = services.save_domain_version(
        coalition=coalition,
        actor=admin.user,
        answers=first,
        note="First draft from the March retreat",
    )
    resident = next(m for m in people if m.user.email == "tamika@residents.example")
    services.add_domain_comment(
        version=version,
        actor=resident.user,
        body="Two seats is a start. Residents should hold half of the votes, as other collaboratives do.",
    )
    second = {
        **first,
        "community_partnership_q_elevate_voice": (
            "A paid Community Advisory Council; by 2027 residents hold half of the steering "
            "group's seats."
        ),
        "reach_and_role_q_roles": "Convening, learning and service provision; we look to partners for funding and advocacy.",
    }
    services.save_domain_version(
        coalition=coalition,
        actor=admin.user,
        answers=second,
        note="Residents' seats after the April comment",
    )


def seed_northside(coalition: Coalition) -> None:
    """A small coalition: its three members' pillar check stays suppressed (fewer than 5)."""
    people = list(
        Membership.objects.filter(coalition=coalition)
        .exclude(role=Role.VIEWER)
        .select_related("user")
        .order_by("user__email")
    )
    admin = next(m for m in people if m.role == Role.BACKBONE_ADMIN)
    _round(
        coalition,
        admin,
        "pillars",
        2026,
        people,
        lambda r, c: _pillar_answers(r, c, 0.0),
        close=True,
    )
