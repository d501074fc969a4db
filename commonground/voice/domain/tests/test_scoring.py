"""Scale scores and Cronbach's alpha: a hand-worked example and an independent numpy computation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.voice.domain.scoring import (
    ScaleDef,
    cronbach_alpha,
    sample_sd,
    scale_score,
)

ROWS = [
    {"a": 5, "b": 4, "c": 4},
    {"a": 4, "b": 4, "c": 3},
    {"a": 3, "b": 2, "c": 3},
    {"a": 2, "b": 2, "c": 1},
]


def numpy_alpha(matrix: np.ndarray) -> float:
    k = matrix.shape[1]
    item_var = matrix.var(axis=0, ddof=1).sum()
    total_var = matrix.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var))


def test_alpha_equals_the_hand_worked_example() -> None:
    # Item variances 5/3, 4/3, 19/12 (sum 55/12); totals 13, 11, 8, 5 have variance 49/4.
    # alpha = 3/2 * (1 - (55/12)/(49/4)) = 3/2 * 92/147 = 138/147.
    assert cronbach_alpha(ROWS, ScaleDef("s", ("a", "b", "c"))) == pytest.approx(138 / 147)


def test_alpha_reverse_scores_and_skips_incomplete_respondents() -> None:
    # Item c stored reversed (6 - value); an incomplete row is left out.
    stored = [{**row, "c": 6 - row["c"]} for row in ROWS] + [{"a": 1, "b": None, "c": 5}]
    scale = ScaleDef("s", ("a", "b", "c"), frozenset({"c"}))
    assert cronbach_alpha(stored, scale) == pytest.approx(138 / 147)
    matrix = np.array([[r["a"], r["b"], r["c"]] for r in ROWS], dtype=float)
    assert cronbach_alpha(stored, scale) == pytest.approx(numpy_alpha(matrix))


def test_alpha_is_none_with_one_item_two_few_people_or_no_variance() -> None:
    assert cronbach_alpha(ROWS, ScaleDef("s", ("a",))) is None
    assert cronbach_alpha(ROWS[:1], ScaleDef("s", ("a", "b"))) is None
    assert cronbach_alpha([{"a": 3, "b": 3}] * 4, ScaleDef("s", ("a", "b"))) is None


def test_scale_score_is_the_mean_of_answered_items_reverse_scored() -> None:
    scale = ScaleDef("s", ("a", "b", "c"), frozenset({"c"}))
    assert scale_score({"a": 4, "b": None, "c": 1}, scale) == 4.5  # (4 + 5) / 2
    assert scale_score({"a": None}, scale) is None


def test_sample_sd_matches_numpy() -> None:
    values = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
    assert sample_sd(values) == pytest.approx(float(np.std(values, ddof=1)))
    assert sample_sd([3.0]) is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=1, max_value=5), min_size=4, max_size=4),
        min_size=2,
        max_size=30,
    )
)
def test_alpha_agrees_with_numpy(rows: list[list[int]]) -> None:
    matrix = np.array(rows, dtype=float)
    scale = ScaleDef("s", ("q1", "q2", "q3", "q4"))
    answers = [dict(zip(scale.items, row, strict=True)) for row in rows]
    found = cronbach_alpha(answers, scale)
    if matrix.sum(axis=1).var(ddof=1) == 0:
        assert found is None
    else:
        assert found == pytest.approx(numpy_alpha(matrix))
