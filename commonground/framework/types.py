"""Plain data types for the collaborative infrastructure framework.

Every piece of framework content has a stable ``id`` (lower snake case, never
renamed once published: assessments store these ids) and bilingual text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("en", "es")


@dataclass(frozen=True, slots=True)
class Text:
    """One sentence or name in every language the product speaks."""

    en: str
    es: str

    def get(self, language: str) -> str:
        """Return the text in ``language`` ('es-mx' counts as 'es'), English otherwise.

        >>> Text(en="Trust", es="Confianza").get("es-mx")
        'Confianza'
        """
        return self.es if language[:2] == "es" else self.en


@dataclass(frozen=True, slots=True)
class Item:
    """A statement inside a larger piece: a stage characteristic, a guiding question."""

    id: str
    text: Text


@dataclass(frozen=True, slots=True)
class Pillar:
    id: str
    order: int
    name: Text
    summary: Text
    challenge: Text


@dataclass(frozen=True, slots=True)
class Stage:
    id: str
    order: int
    name: Text
    summary: Text
    characteristics: tuple[Item, ...]
    infrastructure: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    order: int
    name: Text
    summary: Text
    examples: Text


@dataclass(frozen=True, slots=True)
class DecisionPoint:
    id: str
    order: int
    name: Text
    question: Text
    pole_a: Text
    pole_z: Text
    # What the choice tends to imply in practice; shown beside the slider.
    consideration: Text | None = None


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    order: int
    name: Text
    summary: Text
    questions: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Chapter:
    """One of the four roadmap chapters, with the steps it asks of a coalition."""

    id: str
    order: int
    name: Text
    summary: Text
    steps: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Tactic:
    """A chapter-4 capacity tactic and the kind of tool that helps with it."""

    id: str
    order: int
    name: Text
    summary: Text
    tool: Text
    pillar_ids: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Feature:
    """A feature of multi-sector collaboration (process or context)."""

    id: str
    order: int
    group: str  # "process" or "context"
    name: Text
    summary: Text
