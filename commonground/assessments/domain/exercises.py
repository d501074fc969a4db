"""What each answered exercise asks, and the check of one set of answers against it.

Answers are stored as JSON in one of two shapes:

- *marked* (stage assessment): ``{"marked": [item ids that are true]}``;
- *rated* (pillar check, decision points, readiness, health care equity):
  ``{"ratings": {item id: whole number}, "notes": {item id: text}}``. An item may be
  skipped; a note ("why", "rationale") needs no rating.

``check_answers`` returns the answers normalized (sorted ids, trimmed notes) or
raises ``ScoringError`` naming the item and value.

The health care organization equity self-assessment follows the five components of
the IHI framework for improving health equity; its items are written here, in both
languages, because the framework content (``commonground.framework``) does not carry
them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from commonground.assessments.domain.errors import ScoringError
from commonground.assessments.domain.ratings import FIVE_POINT, SLIDER, Scale
from commonground.framework import DECISION_POINTS, FEATURES, PILLARS, STAGES, Text

MARKED: Final = "marked"
RATED: Final = "rated"
MAX_NOTE_LENGTH: Final = 2000


@dataclass(frozen=True, slots=True)
class HcoComponent:
    id: str
    order: int
    name: Text
    items: tuple[tuple[str, Text], ...]


HCO_COMPONENTS: Final[tuple[HcoComponent, ...]] = (
    HcoComponent(
        "hco_strategic_priority",
        1,
        Text(
            en="Make health equity a strategic priority",
            es="Hacer de la equidad en salud una prioridad estratégica",
        ),
        (
            (
                "hco_strategic_priority_leadership",
                Text(
                    en="Our board and senior leaders name health equity as a priority and report on it.",
                    es="Nuestra junta y la alta dirección nombran la equidad en salud como prioridad e informan sobre ella.",
                ),
            ),
            (
                "hco_strategic_priority_plan",
                Text(
                    en="Our strategic plan sets equity goals with a budget and a person responsible.",
                    es="Nuestro plan estratégico fija metas de equidad con presupuesto y una persona responsable.",
                ),
            ),
        ),
    ),
    HcoComponent(
        "hco_infrastructure",
        2,
        Text(
            en="Build infrastructure to support health equity",
            es="Crear la infraestructura que apoye la equidad en salud",
        ),
        (
            (
                "hco_infrastructure_data",
                Text(
                    en="We collect race, ethnicity, language and social needs data and stratify our quality measures by them.",
                    es="Recopilamos datos de raza, etnia, idioma y necesidades sociales y desglosamos por ellos nuestras medidas de calidad.",
                ),
            ),
            (
                "hco_infrastructure_staff",
                Text(
                    en="Dedicated staff and resources support our equity work.",
                    es="Personal y recursos dedicados apoyan nuestro trabajo de equidad.",
                ),
            ),
        ),
    ),
    HcoComponent(
        "hco_multiple_determinants",
        3,
        Text(
            en="Address the multiple determinants of health",
            es="Atender los múltiples determinantes de la salud",
        ),
        (
            (
                "hco_multiple_determinants_screening",
                Text(
                    en="We screen for social needs and connect people to help that exists.",
                    es="Detectamos necesidades sociales y conectamos a las personas con la ayuda disponible.",
                ),
            ),
            (
                "hco_multiple_determinants_investment",
                Text(
                    en="We invest in housing, food, jobs or transportation in the places we serve.",
                    es="Invertimos en vivienda, alimentos, empleo o transporte en los lugares que atendemos.",
                ),
            ),
        ),
    ),
    HcoComponent(
        "hco_eliminate_racism",
        4,
        Text(
            en="Eliminate racism and other forms of oppression",
            es="Eliminar el racismo y otras formas de opresión",
        ),
        (
            (
                "hco_eliminate_racism_policies",
                Text(
                    en="We review our policies, hiring and pay for racism and bias, and change what we find.",
                    es="Revisamos nuestras políticas, contrataciones y salarios en busca de racismo y sesgos, y cambiamos lo que encontramos.",
                ),
            ),
            (
                "hco_eliminate_racism_care",
                Text(
                    en="Patients can report unfair treatment and see that it is acted on.",
                    es="Los pacientes pueden denunciar un trato injusto y ver que se actúa al respecto.",
                ),
            ),
        ),
    ),
    HcoComponent(
        "hco_partner_community",
        5,
        Text(en="Partner with the community", es="Colaborar con la comunidad"),
        (
            (
                "hco_partner_community_voice",
                Text(
                    en="Community members help decide our equity priorities, and are paid for their time.",
                    es="Miembros de la comunidad ayudan a decidir nuestras prioridades de equidad y se les paga por su tiempo.",
                ),
            ),
            (
                "hco_partner_community_partners",
                Text(
                    en="We share data, money and credit with community organizations.",
                    es="Compartimos datos, dinero y reconocimiento con organizaciones comunitarias.",
                ),
            ),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Exercise:
    """One answered exercise: its answer shape, item ids, scale and factors."""

    kind: str
    shape: str
    item_ids: tuple[str, ...]
    scale: Scale | None = None
    factors: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _stage_item_ids() -> tuple[str, ...]:
    return tuple(
        item.id for stage in STAGES for item in (*stage.characteristics, *stage.infrastructure)
    )


EXERCISES: Final[Mapping[str, Exercise]] = {
    "stage": Exercise("stage", MARKED, _stage_item_ids()),
    "pillars": Exercise("pillars", RATED, tuple(p.id for p in PILLARS), FIVE_POINT),
    "decision_points": Exercise(
        "decision_points", RATED, tuple(d.id for d in DECISION_POINTS), SLIDER
    ),
    "readiness": Exercise(
        "readiness",
        RATED,
        tuple(f.id for f in FEATURES),
        FIVE_POINT,
        tuple((f.id, (f.id,)) for f in FEATURES),
    ),
    "hco_equity": Exercise(
        "hco_equity",
        RATED,
        tuple(item_id for c in HCO_COMPONENTS for item_id, _ in c.items),
        FIVE_POINT,
        tuple((c.id, tuple(item_id for item_id, _ in c.items)) for c in HCO_COMPONENTS),
    ),
}
"""The exercises members answer in rounds. The role matrix, the four domains and the
capacity tactics are kept together as shared records instead."""


def get_exercise(kind: str) -> Exercise:
    """Return the exercise of ``kind`` or raise ``ScoringError``.

    >>> get_exercise("pillars").scale
    Scale(minimum=1, maximum=5, bin_width=1)
    """
    try:
        return EXERCISES[kind]
    except KeyError:
        raise ScoringError(f"{kind!r} is not an exercise answered in rounds") from None


def _checked_note(item_id: str, note: object) -> str:
    if not isinstance(note, str):
        raise ScoringError(f"note for item {item_id!r} must be text")
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ScoringError(
            f"note for item {item_id!r} is {len(note)} characters; at most {MAX_NOTE_LENGTH}"
        )
    return note


def check_answers(exercise: Exercise, answers: object) -> dict[str, object]:
    """Return ``answers`` normalized for ``exercise``; raise ``ScoringError`` naming the problem.

    >>> check_answers(get_exercise("pillars"), {"ratings": {"trust": 4}, "notes": {"trust": " x "}})
    {'ratings': {'trust': 4}, 'notes': {'trust': 'x'}}
    >>> check_answers(get_exercise("pillars"), {"ratings": {"trust": 9}})
    Traceback (most recent call last):
    ...
    commonground.assessments.domain.errors.ScoringError: rating for item 'trust' is 9; expected 1 to 5
    """
    if not isinstance(answers, Mapping):
        raise ScoringError("answers must be an object")
    known = set(exercise.item_ids)
    if exercise.shape == MARKED:
        extra = sorted(set(answers) - {"marked"})
        if extra:
            raise ScoringError(f"unexpected answer fields {extra}")
        marked = answers.get("marked", [])
        if isinstance(marked, str) or not isinstance(marked, list | tuple | set | frozenset):
            raise ScoringError("marked items must be a list of item ids")
        if not all(isinstance(item_id, str) for item_id in marked):
            raise ScoringError("marked items must be a list of item ids")
        unknown = sorted(set(marked) - known)
        if unknown:
            raise ScoringError(f"unknown items {unknown} for the {exercise.kind} exercise")
        return {"marked": sorted(set(marked), key=exercise.item_ids.index)}
    extra = sorted(set(answers) - {"ratings", "notes"})
    if extra:
        raise ScoringError(f"unexpected answer fields {extra}")
    ratings = answers.get("ratings", {})
    notes = answers.get("notes", {})
    if not isinstance(ratings, Mapping) or not isinstance(notes, Mapping):
        raise ScoringError("ratings and notes must be objects keyed by item id")
    unknown = sorted((set(ratings) | set(notes)) - known)
    if unknown:
        raise ScoringError(f"unknown items {unknown} for the {exercise.kind} exercise")
    assert exercise.scale is not None
    scale = exercise.scale
    checked: dict[str, int] = {}
    for item_id in exercise.item_ids:
        if item_id not in ratings:
            continue
        value = ratings[item_id]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScoringError(f"rating for item {item_id!r} is {value!r}; expected a whole number")
        if not scale.minimum <= value <= scale.maximum:
            raise ScoringError(
                f"rating for item {item_id!r} is {value}; "
                f"expected {scale.minimum} to {scale.maximum}"
            )
        checked[item_id] = value
    checked_notes = {
        item_id: note
        for item_id in exercise.item_ids
        if item_id in notes
        for note in [_checked_note(item_id, notes[item_id])]
        if note
    }
    return {"ratings": checked, "notes": checked_notes}


def is_empty(exercise: Exercise, answers: Mapping[str, object]) -> bool:
    """Return whether normalized ``answers`` say nothing at all.

    >>> is_empty(get_exercise("stage"), {"marked": []})
    True
    """
    if exercise.shape == MARKED:
        return not answers.get("marked")
    return not answers.get("ratings") and not answers.get("notes")
