"""The River Region's community voice: two survey waves (synthetic answers, labelled as
such), a listening tour across its six counties with a codebook and coded excerpts,
priorities ranked by residents and institutions, trainings and stories. Every person
is invented."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django_scopes import scope

from commonground.coalitions.models import Coalition, Membership
from commonground.ecosystem.models import Actor
from commonground.measurement.models import PriorityArea
from commonground.voice import services
from commonground.voice.domain.instrument import ITEMS
from commonground.voice.models import PriorityCandidate, SurveyWave

# Scale means by member type: residents see less influence and a less fair share.
_LEAN = {
    "community": {
        "inclusion": 3.3,
        "trust": 3.4,
        "benefits": 2.6,
        "vision": 3.7,
        "influence": 2.5,
        "value": 3.9,
    },
    "partner": {
        "inclusion": 3.8,
        "trust": 3.6,
        "benefits": 3.5,
        "vision": 3.9,
        "influence": 3.6,
        "value": 3.8,
    },
    "backbone": {
        "inclusion": 4.0,
        "trust": 3.9,
        "benefits": 3.6,
        "vision": 4.2,
        "influence": 3.7,
        "value": 4.1,
    },
}
SECTORS = {
    "community": ["faith", "community_based_org", ""],
    "partner": ["health_care", "public_health", "social_services", "education"],
    "backbone": [""],
}
COMMENTS = [
    "Meetings at 2 pm on a weekday shut out people who work hourly jobs.",
    "The Spanish interpretation at the spring forum made a real difference.",
    "We hear back on what was decided much more than last year.",
    "Small groups get asked for data but never see it again.",
    "The stipend for resident members should cover childcare too.",
    "Las reuniones en la iglesia fueron muy accesibles para mi familia.",
]


def _admin(coalition: Coalition) -> Any:
    membership = (
        Membership.objects.filter(coalition=coalition, role=Membership.Role.BACKBONE_ADMIN)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _sheet(rng: random.Random, member_type: str, shift: float) -> services.SheetInput:
    person = rng.gauss(0, 0.55)
    answers: dict[str, Any] = {}
    for item in ITEMS:
        if rng.random() < 0.06:
            continue  # skipped question
        level = _LEAN[member_type][item.scale] + shift + person + rng.gauss(0, 0.6)
        value = max(1, min(5, round(level)))
        answers[item.id] = 6 - value if item.reverse else value
    sector = rng.choice(SECTORS[member_type])
    sector = sector if sector in _sector_ids() else ""
    return services.SheetInput(
        answers=answers,
        member_type=member_type,
        sector=sector,
        years=rng.choice(["0-1", "2-5", "2-5", "6+", ""]),
        comment=rng.choice(COMMENTS) if rng.random() < 0.25 else "",
    )


def _sector_ids() -> set[str]:
    from commonground.ecosystem.domain.sectors import SECTORS_BY_ID

    return set(SECTORS_BY_ID)


def _actor(name: str) -> int | None:
    found = Actor.objects.filter(name=name).only("pk").first()
    return found.pk if found else None


def _survey(coalition: Coalition, actor: Any, rng: random.Random) -> None:
    first = services.open_wave(
        coalition=coalition,
        actor=actor,
        title="Collaboration survey 2025",
        opened_on=datetime.date(2025, 3, 3),
        invited=251,
        is_synthetic=True,
    )
    for member_type, count in (("community", 12), ("partner", 16), ("backbone", 5)):
        for _ in range(count):
            services.submit_survey(wave=first, sheet=_sheet(rng, member_type, 0.0))
    services.close_wave(wave=first, actor=actor, closed_on=datetime.date(2025, 4, 11))
    second = services.open_wave(
        coalition=coalition,
        actor=actor,
        title="Collaboration survey 2026",
        opened_on=datetime.date(2026, 3, 2),
        invited=238,
        is_synthetic=True,
    )
    for member_type, count in (("community", 19), ("partner", 20), ("backbone", 7)):
        for _ in range(count):
            services.submit_survey(wave=second, sheet=_sheet(rng, member_type, 0.25))
    SurveyWave.objects.filter(pk__in=[first.pk, second.pk]).update(is_synthetic=True)


THEMES = [
    ("Transportation to care", "Getting to clinics, pharmacies and jobs without a car.", ["trust"]),
    ("Clinic hours and access", "Evening and weekend hours, wait times, walk-in care.", []),
    ("Language access", "Interpretation, translated forms, bilingual staff.", []),
    ("Food access", "Groceries, fresh food, food pantries.", []),
    ("Housing conditions", "Repairs, mold, rent burden, evictions.", []),
    ("Being heard by institutions", "Residents' input changing decisions; reporting back.", []),
    ("Youth and safety", "Safe places for young people, violence, recreation.", []),
]

SESSIONS = [
    (
        "West Montgomery kickoff",
        "2025-05-06",
        "West Montgomery",
        "Montgomery County",
        "Health care access",
        ["en"],
        "Greater Mt. Zion Baptist Church",
        64,
        ["food", "childcare", "evening"],
    ),
    (
        "Hayneville listening session",
        "2025-05-13",
        "Hayneville",
        "Lowndes County",
        "Getting to care",
        ["en"],
        "Black Belt Rural Health Clinic",
        38,
        ["transport", "food", "stipends"],
    ),
    (
        "Tuskegee community conversation",
        "2025-05-20",
        "Tuskegee",
        "Macon County",
        "Getting to care",
        ["en"],
        "Tuskegee Area Extension Office",
        41,
        ["food", "evening"],
    ),
    (
        "Conversación en Nueva Vida",
        "2025-05-31",
        "East Montgomery",
        "Montgomery County",
        "Salud y familia",
        ["es", "en"],
        "Iglesia Nueva Vida",
        52,
        ["interpretation", "childcare", "food"],
    ),
    (
        "Prattville food and health",
        "2025-06-07",
        "Prattville",
        "Autauga County",
        "Food and health",
        ["en"],
        "Prattville Church of Christ Food Pantry",
        29,
        ["food", "evening"],
    ),
    (
        "Wetumpka seniors' morning",
        "2025-06-12",
        "Wetumpka",
        "Elmore County",
        "Aging well at home",
        ["en"],
        "Wetumpka Senior Center",
        33,
        ["transport", "food"],
    ),
    (
        "Union Springs evening session",
        "2025-06-19",
        "Union Springs",
        "Bullock County",
        "Housing and health",
        ["en"],
        None,
        22,
        ["evening", "remote", "stipends"],
    ),
    (
        "Youth voices at the library",
        "2025-06-26",
        "North Montgomery",
        "Montgomery County",
        "Youth and safety",
        ["en", "es"],
        None,
        27,
        ["food", "evening", "remote"],
    ),
]

EXCERPTS = [
    (
        0,
        "The bus stops running at six, and the clinic closes at five. You choose between work and the doctor.",
        ["Transportation to care", "Clinic hours and access"],
    ),
    (
        0,
        "Every year somebody comes and asks us what we need. We never hear what happened next.",
        ["Being heard by institutions"],
    ),
    (
        1,
        "Closest specialist is in Montgomery, forty minutes each way if you have a ride.",
        ["Transportation to care"],
    ),
    (1, "The dollar store is the grocery store here.", ["Food access"]),
    (
        2,
        "The clinic van came twice and then stopped. Nobody told us why.",
        ["Transportation to care", "Being heard by institutions"],
    ),
    (2, "Young people leave because there is nothing for them here.", ["Youth and safety"]),
    (
        3,
        "Mi mamá no fue a su cita porque no había intérprete la última vez.",
        ["Language access", "Clinic hours and access"],
    ),
    (3, "Los formularios solo vienen en inglés.", ["Language access"]),
    (
        3,
        "Tenemos miedo de dar nuestros datos en la clínica.",
        ["Being heard by institutions", "Language access"],
    ),
    (4, "The pantry runs out by Thursday, and there's nothing fresh.", ["Food access"]),
    (
        5,
        "I can't drive at night anymore, so evening meetings leave me out.",
        ["Transportation to care", "Clinic hours and access"],
    ),
    (
        5,
        "My landlord won't fix the heat, and my breathing gets worse every winter.",
        ["Housing conditions"],
    ),
    (6, "Half the houses on my street have roofs that leak.", ["Housing conditions"]),
    (
        6,
        "We asked the county for repairs help two years ago.",
        ["Housing conditions", "Being heard by institutions"],
    ),
    (
        7,
        "There's no safe place to be after school, so kids end up on the street.",
        ["Youth and safety"],
    ),
    (
        7,
        "If you want young people at the table, hold it where we already are.",
        ["Being heard by institutions", "Youth and safety"],
    ),
]


def _listening(coalition: Coalition, actor: Any) -> dict[str, int]:
    themes = {}
    for name, description, pillars in THEMES:
        theme = services.create_theme(
            coalition=coalition, actor=actor, name=name, description=description, pillar_ids=pillars
        )
        themes[name] = theme.pk
    areas = {a.name: a.pk for a in PriorityArea.objects.all()}
    links = {
        "Transportation to care": "Health and health care",
        "Clinic hours and access": "Health and health care",
        "Food access": "Economic vitality",
        "Housing conditions": "Neighborhood and physical environment",
    }
    from commonground.voice.models import Theme

    for theme_name, area_name in links.items():
        if area_name in areas:
            Theme.objects.get(pk=themes[theme_name]).priority_areas.add(areas[area_name])
    sessions = []
    for title, day, place, county, topic, languages, host, reached, supports in SESSIONS:
        sessions.append(
            services.record_session(
                coalition=coalition,
                actor=actor,
                data=services.SessionInput(
                    title=title,
                    held_on=datetime.date.fromisoformat(day),
                    place=place,
                    county=county,
                    topic=topic,
                    tour="River Region listening tour 2025",
                    languages=tuple(languages),
                    host_id=_actor(host) if host else None,
                    residents_reached=reached,
                    supports=tuple(supports),
                    notes="Notes taken by two volunteers; quotes shared with permission, no names.",
                ),
            )
        )
    for index, text, names in EXCERPTS:
        services.code_excerpt(
            session=sessions[index], actor=actor, text=text, theme_ids=[themes[n] for n in names]
        )
    return themes


def _priorities(
    coalition: Coalition, actor: Any, themes: dict[str, int], rng: random.Random
) -> None:
    from commonground.voice import selectors

    candidates = [
        services.CandidateInput(name, PriorityCandidate.Origin.THEME, theme_id=themes[name])
        for name in (
            "Transportation to care",
            "Housing conditions",
            "Language access",
            "Food access",
        )
    ]
    for gap in selectors.gap_candidates(coalition=coalition, limit=2):
        candidates.append(
            services.CandidateInput(
                gap["name"][:160], PriorityCandidate.Origin.GAP, indicator_id=gap["indicator_id"]
            )
        )
    round_ = services.open_priority_round(
        coalition=coalition,
        actor=actor,
        title="Setting priorities together, summer 2025",
        opened_on=datetime.date(2025, 7, 10),
        candidates=candidates,
    )
    ids = list(round_.candidates.values_list("pk", flat=True))
    resident_taste = [ids[0], ids[1], ids[2], ids[3], *ids[4:]]
    institution_taste = [*ids[4:], ids[0], ids[3], ids[2], ids[1]]
    for group, taste, count in (
        ("residents", resident_taste, 31),
        ("institutions", institution_taste, 17),
    ):
        for _ in range(count):
            order = sorted(taste, key=lambda pk: taste.index(pk) + rng.gauss(0, 1.3))
            services.submit_ballot(round_=round_, group=group, ranking=order[:4])
    services.close_priority_round(round_=round_, actor=actor)
    services.choose_priorities(
        coalition=coalition,
        actor=actor,
        chosen_on=datetime.date(2025, 8, 14),
        chosen=[
            services.ChoiceInput("Transportation to care", candidate_id=ids[0]),
            services.ChoiceInput("Housing conditions", candidate_id=ids[1]),
            services.ChoiceInput("Language access", candidate_id=ids[2]),
        ],
    )


def _capacity(coalition: Coalition, actor: Any) -> None:
    rows = [
        (
            "Community health worker basics",
            "training",
            "Blood pressure checks and referrals",
            "Residents and church health ministries",
            "Black Belt Rural Health Clinic",
            "2025-09-13",
            18,
            3,
            1,
        ),
        (
            "Reading your county's health data",
            "skill_share",
            "Using the equity dashboard",
            "Resident members",
            None,
            "2025-10-04",
            11,
            2,
            2,
        ),
        (
            "Resident leadership fellowship",
            "leadership",
            "Facilitation, budgeting, public testimony",
            "Resident advisory council",
            None,
            "2025-11-01",
            9,
            0,
            2,
        ),
        (
            "Language access for front desks",
            "training",
            "Working with interpreters",
            "Clinic and agency staff",
            "Iglesia Nueva Vida",
            "2026-01-24",
            2,
            21,
            1,
        ),
    ]
    for title, kind, topic, audience, host, day, c, p, b in rows:
        services.record_training(
            coalition=coalition,
            actor=actor,
            data=services.TrainingInput(
                title=title,
                kind=kind,
                topic=topic,
                audience=audience,
                host_id=_actor(host) if host else None,
                held_on=datetime.date.fromisoformat(day),
                community_participants=c,
                partner_participants=p,
                backbone_participants=b,
            ),
        )


def _stories(coalition: Coalition, actor: Any) -> None:
    areas = {a.name: a.pk for a in PriorityArea.objects.all()}
    services.save_story(
        coalition=coalition,
        actor=actor,
        data=services.StoryInput(
            title="A Saturday ride to the clinic",
            happened_on=datetime.date(2025, 11, 8),
            body="After residents in Hayneville and Tuskegee named transport as the first barrier, the health plan and the rural clinic started a Saturday ride service. Ms. Odessa Varnum, a resident fellow, helped plan the route.",
            figure="212 rides in the first three months",
            partner_ids=tuple(
                pk
                for pk in (
                    _actor("Black Belt Rural Health Clinic"),
                    _actor("Alabama River Health Plan"),
                )
                if pk
            ),
            priority_area_id=areas.get("Health and health care"),
            is_public=True,
            consents=(
                services.ConsentInput(
                    "Odessa Varnum",
                    "named",
                    True,
                    datetime.date(2025, 11, 20),
                    "Signed consent form",
                ),
            ),
        ),
    )
    services.save_story(
        coalition=coalition,
        actor=actor,
        data=services.StoryInput(
            title="Forms in Spanish at three clinics",
            happened_on=datetime.date(2026, 2, 2),
            body="Intake forms are now in Spanish at three clinics, after the Nueva Vida session. Front-desk staff took the language access training.",
            figure="3 clinics, 21 staff trained",
            partner_ids=tuple(pk for pk in (_actor("Iglesia Nueva Vida"),) if pk),
            priority_area_id=areas.get("Health and health care"),
            is_public=True,
        ),
    )
    services.save_story(
        coalition=coalition,
        actor=actor,
        data=services.StoryInput(
            title="Roof repairs on Oak Street",
            happened_on=datetime.date(2026, 3, 15),
            body="Volunteers repaired four roofs in Union Springs. Waiting for consent from the homeowner pictured before sharing.",
            figure="4 roofs",
            is_public=False,
            consents=(services.ConsentInput("Cleotha Brantley", "shown", False),),
        ),
    )


ANSWERED_BY = {
    "Recommend evening meetings with Spanish interpretation": [
        "Language access",
        "Clinic hours and access",
    ],
    "Recommend bus passes instead of mileage for members": ["Transportation to care"],
    "Recommend healthy-homes repairs as the next priority": ["Housing conditions"],
    "Pay community representatives for their time": ["Being heard by institutions"],
}


def _link_governance(coalition: Coalition, actor: Any, themes: dict[str, int]) -> None:
    """Link the advisory council's decisions to the themes they answer, the way an admin
    does it: reopen the decision (with the reason kept), edit its themes, locked again."""
    from django.apps import apps

    if not apps.is_installed("commonground.governance"):
        return
    from commonground.governance import services as governance
    from commonground.governance.models import Decision
    from commonground.voice.models import Theme

    for decision in Decision.objects.filter(coalition=coalition, title__in=list(ANSWERED_BY)):
        linked = list(Theme.objects.filter(pk__in=[themes[n] for n in ANSWERED_BY[decision.title]]))
        if decision.is_locked:
            decision = governance.reopen_decision(
                decision=decision, actor=actor, reason="Link the listening themes it answers."
            )
        governance.edit_decision(
            decision=decision, actor=actor, expected=decision.version, themes=linked
        )


def seed_river_region(coalition: Coalition) -> None:
    rng = random.Random(20250303)
    with scope(coalition=coalition):
        actor = _admin(coalition)
        _survey(coalition, actor, rng)
        themes = _listening(coalition, actor)
        _link_governance(coalition, actor, themes)
        _priorities(coalition, actor, themes, rng)
        _capacity(coalition, actor)
        _stories(coalition, actor)
