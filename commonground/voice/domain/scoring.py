"""Scale scores, means, sample standard deviations and Cronbach's alpha.

A respondent's scale score is the mean of their answered items of that scale (reverse
items scored 6 minus the answer). Cronbach's alpha uses only the respondents who
answered every item of the scale:

    alpha = k / (k - 1) * (1 - sum(item variances) / variance(total score))

with sample variances (n - 1). It is None with fewer than 2 items or 2 such
respondents, or when the total score does not vary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Answers = Mapping[str, int | None]


@dataclass(frozen=True, slots=True)
class ScaleDef:
    """A scale: its items, and which of them are reverse-scored."""

    id: str
    items: tuple[str, ...]
    reverse: frozenset[str] = frozenset()


def scored(item: str, value: int, scale: ScaleDef, top: int = 5) -> int:
    """The answer as scored: ``top + 1 - value`` for a reverse item.

    >>> scored("q3", 2, ScaleDef("trust", ("q1", "q3"), frozenset({"q3"})))
    4
    """
    return top + 1 - value if item in scale.reverse else value


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def sample_sd(values: Sequence[float]) -> float | None:
    """Sample standard deviation (n - 1); None for fewer than two values.

    >>> sample_sd([2, 4, 4, 4, 5, 5, 7, 9])
    2.138089935299395
    """
    if len(values) < 2:
        return None
    centre = sum(values) / len(values)
    return math.sqrt(sum((value - centre) ** 2 for value in values) / (len(values) - 1))


def _variance(values: Sequence[float]) -> float:
    centre = sum(values) / len(values)
    return sum((value - centre) ** 2 for value in values) / (len(values) - 1)


def scale_score(answers: Answers, scale: ScaleDef) -> float | None:
    """Mean of the answered items of ``scale`` (reverse-scored); None if none answered.

    >>> scale_score({"q1": 4, "q2": None, "q3": 2}, ScaleDef("s", ("q1", "q2", "q3"),
    ...     frozenset({"q3"})))
    4.0
    """
    values = [
        scored(item, value, scale)
        for item in scale.items
        if (value := answers.get(item)) is not None
    ]
    return mean(values)


def cronbach_alpha(rows: Sequence[Answers], scale: ScaleDef) -> float | None:
    """Cronbach's alpha of ``scale`` over the respondents who answered all its items.

    Hand-worked: three items, four complete respondents (scores 5 4 4 / 4 4 3 / 3 2 3 /
    2 2 1). Item variances 5/3, 4/3, 19/12 sum to 55/12; totals 13, 11, 8, 5 have variance
    49/4; alpha = 3/2 * (1 - (55/12) / (49/4)) = 138/147 = 0.938776...

    >>> rows = [{"a": 5, "b": 4, "c": 4}, {"a": 4, "b": 4, "c": 3},
    ...         {"a": 3, "b": 2, "c": 3}, {"a": 2, "b": 2, "c": 1}]
    >>> round(cronbach_alpha(rows, ScaleDef("s", ("a", "b", "c"))), 6)
    0.938776
    """
    k = len(scale.items)
    if k < 2:
        return None
    complete = [
        [
            scored(item, int(value), scale)
            for item in scale.items
            if (value := row.get(item)) is not None
        ]
        for row in rows
    ]
    complete = [values for values in complete if len(values) == k]
    if len(complete) < 2:
        return None
    item_variance = sum(_variance([row[index] for row in complete]) for index in range(k))
    total_variance = _variance([sum(row) for row in complete])
    if total_variance == 0:
        return None
    return k / (k - 1) * (1 - item_variance / total_variance)


def rounded(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(value, places)
