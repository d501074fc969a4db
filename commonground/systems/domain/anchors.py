"""Anchor-institution commitments: progress toward a target, period by period.

Progress is the share of the way from the baseline to the target that the latest value
has come: ``(latest − baseline) / (target − baseline)``, with a baseline of 0 when none
was given. It may exceed 1 (target passed) or fall below 0 (moved away).

>>> round(progress_share(latest=30, baseline=10, target=50), 2)
0.5
>>> progress_share(latest=5, baseline=None, target=0) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def progress_share(*, latest: float | None, baseline: float | None, target: float) -> float | None:
    """The share of the way from baseline (0 when None) to target that ``latest`` has come;
    None when there is no value yet or the target equals the baseline."""
    if latest is None:
        return None
    start = 0.0 if baseline is None else baseline
    if target == start:
        return None
    return (latest - start) / (target - start)


@dataclass(frozen=True, slots=True)
class PeriodProgress:
    period: str
    value: float
    share: float | None  # of the way from baseline to target
    met: bool


def progress_by_period(
    values: Sequence[tuple[str, float]], *, baseline: float | None, target: float
) -> list[PeriodProgress]:
    """Each period's value with its share of the way to the target, in the order given.

    A period meets the target when the value has reached it in the target's direction
    (above it when the target is above the baseline, below it otherwise).

    >>> [(p.period, p.share, p.met) for p in progress_by_period(
    ...     [("2024", 20.0), ("2025", 45.0)], baseline=10, target=40)]
    [('2024', 0.3333333333333333, False), ('2025', 1.1666666666666667, True)]
    """
    start = 0.0 if baseline is None else baseline
    rising = target >= start
    return [
        PeriodProgress(
            period,
            value,
            progress_share(latest=value, baseline=baseline, target=target),
            value >= target if rising else value <= target,
        )
        for period, value in values
    ]
