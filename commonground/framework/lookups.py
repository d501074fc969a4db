"""Find framework content by id.

Every lookup raises :class:`UnknownFrameworkId` for an id it does not know, so
callers handle one error type whatever they look up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Literal, Protocol, overload

from commonground.framework.content import (
    CHAPTERS,
    DECISION_POINTS,
    DOMAINS,
    FEATURES,
    PILLARS,
    ROLE_MATRIX_QUESTIONS,
    ROLES,
    STAGES,
    TACTICS,
)
from commonground.framework.types import (
    Chapter,
    DecisionPoint,
    Domain,
    Feature,
    Item,
    Pillar,
    Role,
    Stage,
    Tactic,
)

Kind = Literal[
    "pillar", "stage", "role", "decision_point", "domain", "chapter", "tactic", "feature", "item"
]
Entry = Pillar | Stage | Role | DecisionPoint | Domain | Chapter | Tactic | Feature | Item


class UnknownFrameworkId(KeyError):
    """No framework content of ``kind`` has the id ``framework_id``."""

    def __init__(self, kind: str, framework_id: str) -> None:
        super().__init__(kind, framework_id)
        self.kind = kind
        self.framework_id = framework_id

    def __str__(self) -> str:
        # KeyError would show the repr of its args; a sentence is easier to read in logs.
        return f"{self.framework_id!r} is not a known framework {self.kind} id"


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def _index[T: _HasId](entries: Iterable[T]) -> dict[str, T]:
    return {entry.id: entry for entry in entries}


def _all_items() -> tuple[Item, ...]:
    items: list[Item] = []
    for stage in STAGES:
        items += stage.characteristics
        items += stage.infrastructure
    for domain in DOMAINS:
        items += domain.questions
    for chapter in CHAPTERS:
        items += chapter.steps
    items += ROLE_MATRIX_QUESTIONS
    return tuple(items)


ITEMS: Final[tuple[Item, ...]] = _all_items()

_PILLARS = _index(PILLARS)
_STAGES = _index(STAGES)
_ROLES = _index(ROLES)
_DECISION_POINTS = _index(DECISION_POINTS)
_DOMAINS = _index(DOMAINS)
_CHAPTERS = _index(CHAPTERS)
_TACTICS = _index(TACTICS)
_FEATURES = _index(FEATURES)
_ITEMS = _index(ITEMS)

_BY_KIND: Final[Mapping[str, Mapping[str, Entry]]] = {
    "pillar": _PILLARS,
    "stage": _STAGES,
    "role": _ROLES,
    "decision_point": _DECISION_POINTS,
    "domain": _DOMAINS,
    "chapter": _CHAPTERS,
    "tactic": _TACTICS,
    "feature": _FEATURES,
    "item": _ITEMS,
}

KINDS: Final[tuple[str, ...]] = tuple(_BY_KIND)


def _lookup[T: _HasId](table: Mapping[str, T], kind: str, framework_id: str) -> T:
    try:
        return table[framework_id]
    except KeyError:
        raise UnknownFrameworkId(kind, framework_id) from None


def get_pillar(framework_id: str) -> Pillar:
    """Return the pillar with this id.

    >>> get_pillar("trust").name.es
    'Confianza'
    >>> get_pillar("bogus")
    Traceback (most recent call last):
    ...
    commonground.framework.lookups.UnknownFrameworkId: 'bogus' is not a known framework pillar id
    """
    return _lookup(_PILLARS, "pillar", framework_id)


def get_stage(framework_id: str) -> Stage:
    """Return the stage with this id.

    >>> get_stage("scaling").order
    3
    """
    return _lookup(_STAGES, "stage", framework_id)


def get_role(framework_id: str) -> Role:
    """Return the role with this id."""
    return _lookup(_ROLES, "role", framework_id)


def get_decision_point(framework_id: str) -> DecisionPoint:
    """Return the decision point with this id."""
    return _lookup(_DECISION_POINTS, "decision_point", framework_id)


def get_domain(framework_id: str) -> Domain:
    """Return the domain of action with this id."""
    return _lookup(_DOMAINS, "domain", framework_id)


def get_chapter(framework_id: str) -> Chapter:
    """Return the roadmap chapter with this id."""
    return _lookup(_CHAPTERS, "chapter", framework_id)


def get_tactic(framework_id: str) -> Tactic:
    """Return the capacity tactic with this id."""
    return _lookup(_TACTICS, "tactic", framework_id)


def get_feature(framework_id: str) -> Feature:
    """Return the feature of multi-sector collaboration with this id."""
    return _lookup(_FEATURES, "feature", framework_id)


def get_item(framework_id: str) -> Item:
    """Return the item (stage characteristic or infrastructure, domain question,
    chapter step, role matrix question) with this id.

    >>> get_item("forming_infra_shared_agenda").text.en
    'A shared agenda'
    """
    return _lookup(_ITEMS, "item", framework_id)


@overload
def find(kind: Literal["pillar"], framework_id: str) -> Pillar: ...
@overload
def find(kind: Literal["stage"], framework_id: str) -> Stage: ...
@overload
def find(kind: Literal["role"], framework_id: str) -> Role: ...
@overload
def find(kind: Literal["decision_point"], framework_id: str) -> DecisionPoint: ...
@overload
def find(kind: Literal["domain"], framework_id: str) -> Domain: ...
@overload
def find(kind: Literal["chapter"], framework_id: str) -> Chapter: ...
@overload
def find(kind: Literal["tactic"], framework_id: str) -> Tactic: ...
@overload
def find(kind: Literal["feature"], framework_id: str) -> Feature: ...
@overload
def find(kind: Literal["item"], framework_id: str) -> Item: ...
@overload
def find(kind: str, framework_id: str) -> Entry: ...
def find(kind: str, framework_id: str) -> Entry:
    """Return the entry of ``kind`` (one of :data:`KINDS`) with this id.

    An unknown kind raises :class:`UnknownFrameworkId` too, with kind "kind".

    >>> find("role", "convening").name.en
    'Convening'
    >>> find("widget", "convening")
    Traceback (most recent call last):
    ...
    commonground.framework.lookups.UnknownFrameworkId: 'widget' is not a known framework kind id
    """
    try:
        table = _BY_KIND[kind]
    except KeyError:
        raise UnknownFrameworkId("kind", kind) from None
    return _lookup(table, kind, framework_id)


def all_ids() -> tuple[str, ...]:
    """Return every id in the framework, items included, in content order.

    Duplicates are kept, so ``len(set(all_ids())) == len(all_ids())`` checks that
    ids are unique across all kinds.
    """
    tables: tuple[tuple[_HasId, ...], ...] = (
        PILLARS,
        STAGES,
        ROLES,
        DECISION_POINTS,
        DOMAINS,
        CHAPTERS,
        TACTICS,
        FEATURES,
        ITEMS,
    )
    return tuple(entry.id for table in tables for entry in table)
