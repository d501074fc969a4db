"""Checks on the framework content and its lookups (no database, no Django)."""

from __future__ import annotations

import ast
import dataclasses
import io
import itertools
import re
import subprocess
import sys
import tokenize
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from commonground import framework
from commonground.framework import (
    CHAPTERS,
    DECISION_POINTS,
    DOMAINS,
    FEATURE_GROUPS,
    FEATURES,
    ITEMS,
    KINDS,
    PILLARS,
    ROLE_MATRIX_QUESTIONS,
    ROLES,
    STAGES,
    TACTICS,
    Text,
    UnknownFrameworkId,
    all_ids,
    find,
)

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")

COLLECTIONS: dict[str, Sequence[object]] = {
    "pillar": PILLARS,
    "stage": STAGES,
    "role": ROLES,
    "decision_point": DECISION_POINTS,
    "domain": DOMAINS,
    "chapter": CHAPTERS,
    "tactic": TACTICS,
    "feature": FEATURES,
}

LOOKUPS: dict[str, Callable[[str], object]] = {
    "pillar": framework.get_pillar,
    "stage": framework.get_stage,
    "role": framework.get_role,
    "decision_point": framework.get_decision_point,
    "domain": framework.get_domain,
    "chapter": framework.get_chapter,
    "tactic": framework.get_tactic,
    "feature": framework.get_feature,
    "item": framework.get_item,
}


def _walk(value: object, path: str) -> Iterator[tuple[str, object]]:
    """Yield every value reachable through dataclass fields and tuples, with its path."""
    yield path, value
    if isinstance(value, Text):
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _walk(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, tuple):
        for index, element in enumerate(value):
            label = getattr(element, "id", index)
            yield from _walk(element, f"{path}[{label}]")


def _everything() -> Iterator[tuple[str, object]]:
    for kind, entries in COLLECTIONS.items():
        yield from _walk(tuple(entries), kind)
    yield from _walk(ROLE_MATRIX_QUESTIONS, "role_matrix")


ALL_TEXTS = [(path, value) for path, value in _everything() if isinstance(value, Text)]
IDS_FOUND_BY_WALKING = [
    value.id
    for _, value in _everything()
    if dataclasses.is_dataclass(value) and hasattr(value, "id")
]


# Counts and order ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("pillar", 7),
        ("stage", 5),
        ("role", 8),
        ("decision_point", 6),
        ("domain", 4),
        ("chapter", 4),
        ("tactic", 8),
    ],
)
def test_collection_has_expected_count(kind: str, expected: int) -> None:
    assert len(COLLECTIONS[kind]) == expected


def test_features_cover_both_tables_and_named_practices() -> None:
    required = {
        "interdependence",
        "shared_problem_definition",
        "leaders_and_sponsors",
        "incentives",
        "governance",
        "diverse_stakeholders",
        "internal_legitimacy",
        "accountability",
        "adaptiveness",
        "adequate_funding",
        "supportive_policies",
        "messaging_and_health_literacy",
        "equity_vision",
        "tracking_decisions_and_agreements",
        "collecting_and_sharing_data",
        "celebrating_small_wins",
    }
    assert required <= {feature.id for feature in FEATURES}


@pytest.mark.parametrize(
    ("kind", "expected_ids"),
    [
        (
            "pillar",
            (
                "call_to_action",
                "power_redistribution",
                "resources",
                "narratives_objectives",
                "capacity",
                "data_metrics",
                "trust",
            ),
        ),
        ("stage", ("emerging", "forming", "scaling", "sustaining", "transforming")),
        (
            "role",
            (
                "community_organizing",
                "service_provision",
                "advocating",
                "advising",
                "funding",
                "learning",
                "amplifying",
                "convening",
            ),
        ),
        (
            "decision_point",
            ("focus", "upstream", "geography", "partnership_depth", "ideology", "time_allocation"),
        ),
    ],
)
def test_published_ids_keep_their_order(kind: str, expected_ids: tuple[str, ...]) -> None:
    # Assessments store these ids; renaming or reordering one breaks stored answers.
    assert tuple(entry.id for entry in COLLECTIONS[kind]) == expected_ids  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", list(COLLECTIONS))
def test_orders_run_from_one_without_gaps(kind: str) -> None:
    orders = [entry.order for entry in COLLECTIONS[kind]]  # type: ignore[attr-defined]
    assert orders == list(range(1, len(orders) + 1))


def test_stage_orders_are_one_to_five() -> None:
    assert [(stage.id, stage.order) for stage in STAGES] == [
        ("emerging", 1),
        ("forming", 2),
        ("scaling", 3),
        ("sustaining", 4),
        ("transforming", 5),
    ]


# Ids --------------------------------------------------------------------


def test_ids_are_unique_across_all_kinds() -> None:
    duplicates = sorted(id_ for id_, count in Counter(all_ids()).items() if count > 1)
    assert duplicates == []


def test_all_ids_lists_every_id_in_the_content() -> None:
    assert sorted(all_ids()) == sorted(IDS_FOUND_BY_WALKING)


@pytest.mark.parametrize("framework_id", all_ids())
def test_id_is_lower_snake_case(framework_id: str) -> None:
    assert SNAKE_CASE.fullmatch(framework_id), framework_id


def test_item_ids_are_prefixed_by_their_parent() -> None:
    misnamed = [
        *(i.id for s in STAGES for i in s.characteristics if not i.id.startswith(f"{s.id}_char_")),
        *(i.id for s in STAGES for i in s.infrastructure if not i.id.startswith(f"{s.id}_infra_")),
        *(i.id for d in DOMAINS for i in d.questions if not i.id.startswith(f"{d.id}_q_")),
        *(i.id for c in CHAPTERS for i in c.steps if not i.id.startswith(f"{c.id}_step_")),
        *(i.id for i in ROLE_MATRIX_QUESTIONS if not i.id.startswith("role_matrix_")),
    ]
    assert misnamed == []


def test_items_index_holds_every_nested_item() -> None:
    nested = [
        *(i for s in STAGES for i in (*s.characteristics, *s.infrastructure)),
        *(i for d in DOMAINS for i in d.questions),
        *(i for c in CHAPTERS for i in c.steps),
        *ROLE_MATRIX_QUESTIONS,
    ]
    assert list(ITEMS) == nested


# Texts ------------------------------------------------------------------


@pytest.mark.parametrize(("path", "text"), ALL_TEXTS, ids=[path for path, _ in ALL_TEXTS])
def test_text_is_translated(path: str, text: Text) -> None:
    assert text.en.strip(), path
    assert text.es.strip(), path
    assert text.en != text.es, path


@pytest.mark.parametrize(("path", "text"), ALL_TEXTS, ids=[path for path, _ in ALL_TEXTS])
def test_text_is_tidy(path: str, text: Text) -> None:
    for value in (text.en, text.es):
        assert value == value.strip(), path
        assert "  " not in value, path
        # Adjacent string literals joined without a space leave "word.Word" or "word,word".
        assert not re.search(r"[a-záéíóúñ][.,;:][A-Za-zÁÉÍÓÚÑáéíóúñ]", value), (path, value)


@pytest.mark.parametrize(("path", "text"), ALL_TEXTS, ids=[path for path, _ in ALL_TEXTS])
def test_both_languages_end_alike(path: str, text: Text) -> None:
    assert text.en[-1:] in ".?" or text.en[-1:].isalnum(), path
    assert text.en[-1:] == text.es[-1:] or (text.en[-1:].isalnum() and text.es[-1:].isalnum()), path
    assert text.en.endswith("?") == text.es.startswith("¿"), path


def test_split_string_literals_keep_the_space_between_words() -> None:
    # Long texts are split over adjacent literals; a missing space glues two words.
    source = (Path(framework.__file__).parent / "content.py").read_text(encoding="utf-8")
    tokens = [
        token
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type not in (tokenize.NL, tokenize.COMMENT)
    ]
    glued = [
        f"line {left.start[0]}"
        for left, right in itertools.pairwise(tokens)
        if left.type == right.type == tokenize.STRING
        and not ast.literal_eval(left.string)[-1:].isspace()
        and not ast.literal_eval(right.string)[:1].isspace()
    ]
    assert glued == []


def test_every_decision_point_explains_its_implications() -> None:
    assert [dp.id for dp in DECISION_POINTS if dp.consideration is None] == []


# Structure --------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES, ids=[stage.id for stage in STAGES])
def test_stage_has_characteristics_and_infrastructure(stage: framework.Stage) -> None:
    assert 4 <= len(stage.characteristics) <= 7
    assert 3 <= len(stage.infrastructure) <= 8


def test_forming_stage_names_the_deck_infrastructure() -> None:
    infrastructure = {item.id for item in framework.get_stage("forming").infrastructure}
    assert infrastructure == {
        "forming_infra_shared_agenda",
        "forming_infra_common_metrics",
        "forming_infra_data_needs",
        "forming_infra_roadmap",
        "forming_infra_ecosystem_map",
        "forming_infra_governance",
        "forming_infra_accountability",
    }


@pytest.mark.parametrize("domain", DOMAINS, ids=[domain.id for domain in DOMAINS])
def test_domain_has_three_to_five_questions(domain: framework.Domain) -> None:
    assert 3 <= len(domain.questions) <= 5


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[chapter.id for chapter in CHAPTERS])
def test_chapter_asks_for_steps(chapter: framework.Chapter) -> None:
    assert len(chapter.steps) >= 3


@pytest.mark.parametrize("tactic", TACTICS, ids=[tactic.id for tactic in TACTICS])
def test_tactic_strengthens_real_pillars(tactic: framework.Tactic) -> None:
    pillar_ids = {pillar.id for pillar in PILLARS}
    assert tactic.pillar_ids, tactic.id
    assert set(tactic.pillar_ids) <= pillar_ids
    assert len(set(tactic.pillar_ids)) == len(tactic.pillar_ids)


def test_every_pillar_is_strengthened_by_some_tactic() -> None:
    strengthened = {pillar_id for tactic in TACTICS for pillar_id in tactic.pillar_ids}
    assert [p.id for p in PILLARS if p.id not in strengthened] == []


def test_features_use_known_groups_and_both_appear() -> None:
    assert {feature.group for feature in FEATURES} == set(FEATURE_GROUPS)


# Lookups ----------------------------------------------------------------

ENTRIES = [
    *((kind, entry) for kind, entries in COLLECTIONS.items() for entry in entries),
    *(("item", item) for item in ITEMS),
]


@pytest.mark.parametrize(
    ("kind", "entry"),
    ENTRIES,
    ids=[f"{kind}:{entry.id}" for kind, entry in ENTRIES],  # type: ignore[attr-defined]
)
def test_lookups_return_the_entry(kind: str, entry: framework.Entry) -> None:
    assert LOOKUPS[kind](entry.id) is entry
    assert find(kind, entry.id) is entry


def test_kinds_match_the_lookups() -> None:
    assert set(KINDS) == set(LOOKUPS)


@pytest.mark.parametrize("kind", list(LOOKUPS))
def test_lookup_of_unknown_id_raises_naming_id_and_kind(kind: str) -> None:
    with pytest.raises(UnknownFrameworkId) as raised:
        LOOKUPS[kind]("no_such_thing")
    assert isinstance(raised.value, KeyError)
    assert raised.value.kind == kind
    assert raised.value.framework_id == "no_such_thing"
    assert "'no_such_thing'" in str(raised.value)
    assert kind in str(raised.value)


@pytest.mark.parametrize("kind", list(LOOKUPS))
def test_find_of_unknown_id_raises(kind: str) -> None:
    with pytest.raises(
        UnknownFrameworkId, match=f"'no_such_thing' is not a known framework {kind}"
    ):
        find(kind, "no_such_thing")


def test_lookup_does_not_cross_kinds() -> None:
    with pytest.raises(UnknownFrameworkId):
        framework.get_role("trust")


def test_find_of_unknown_kind_raises() -> None:
    with pytest.raises(UnknownFrameworkId, match="'widget' is not a known framework kind id"):
        find("widget", "trust")


def test_framework_never_imports_django() -> None:
    code = (
        "import sys, commonground.framework; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'ninja'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
