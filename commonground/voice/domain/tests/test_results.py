"""Suppressed wave results: response rate, small shares, member-type views, the property."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.assessments.domain.suppression import exposed_source_sets
from commonground.voice.domain.results import (
    GROUPS,
    VIEWS,
    Sheet,
    plan_member_views,
    wave_results,
)
from commonground.voice.domain.scoring import ScaleDef

SCALE = ScaleDef("trust", ("t1", "t2"))


def sheets(member_type: str, n: int, *, value: int = 4, paper: bool = False) -> list[Sheet]:
    return [Sheet(member_type, {"t1": value, "t2": value}, is_paper=paper) for _ in range(n)]


def test_dissertation_survey_251_invited_33_answered_is_13_percent_small_shares_hidden() -> None:
    # 33 answers to one item: 1 (3 %), 2, 6, 10, 14 people chose options 1..5.
    values = [1] * 1 + [2] * 2 + [3] * 6 + [4] * 10 + [5] * 14
    data = [Sheet("partner", {"t1": v, "t2": 4}) for v in values]
    result = wave_results(data, [SCALE], invited=251)
    assert result.respondents == 33
    assert result.response_rate == pytest.approx(0.131, abs=0.001)
    assert f"{result.response_rate:.0%}" == "13%"
    shares = {o.value: o.share for o in result.distributions[0].options}
    # 1 and 2 people are hidden, and so is the next smallest (6), or 33 - 6 - 10 - 14
    # would give the 3 hidden people together.
    assert shares[1] is None and shares[2] is None
    assert shares[3] is None
    assert shares[4] == pytest.approx(10 / 33, abs=0.001)
    assert shares[5] == pytest.approx(14 / 33, abs=0.001)


@pytest.mark.parametrize(("residents", "shown"), [(4, False), (5, True)])
def test_a_group_of_4_is_hidden_and_5_is_shown(residents: int, shown: bool) -> None:
    data = sheets("community", residents, value=2) + sheets("partner", 6) + sheets("backbone", 5)
    result = wave_results(data, [SCALE], invited=40)
    community = result.scale("trust").views["community"]
    assert (community.mean is not None) is shown
    assert (community.n is not None) is shown
    if shown:
        assert community.mean == 2.0
        assert result.scale("trust").voice_gap == -2.0
    else:
        assert community.suppressed and result.scale("trust").voice_gap is None
        # nothing shown lets the four be derived
        shown_views = {
            v: VIEWS[v] for v, s in result.scale("trust").views.items() if not s.suppressed
        }
        counts = {"self": {"community": 4, "partner": 6, "backbone": 5, "unstated": 0}}
        assert exposed_source_sets(counts, shown_views) == ()
    cells = {c.key: c.count for c in result.by_member_type}
    assert (cells["community"] is not None) is shown


def test_paper_answers_typed_in_by_staff_count_as_their_own_source() -> None:
    # 6 residents answered online and 3 worksheets were typed in: 3 paper is small.
    data = sheets("community", 6) + sheets("community", 3, paper=True) + sheets("partner", 8)
    result = wave_results(data, [SCALE])
    assert result.scale("trust").views["community"].suppressed
    assert result.scale("trust").views["overall"].suppressed


def _views_shown(counts: dict[str, dict[str, int]]) -> dict[str, Sequence[str]]:
    plan = plan_member_views(counts)
    return {name: VIEWS[name] for name in plan.shown}


counts_strategy = st.fixed_dictionaries(
    {
        source: st.fixed_dictionaries({group: st.integers(0, 12) for group in GROUPS})
        for source in ("self", "paper")
    }
)


@settings(max_examples=150, deadline=None)
@given(counts_strategy)
def test_no_pair_of_allowed_views_reveals_a_suppressed_group(
    counts: dict[str, dict[str, int]],
) -> None:
    """Hypothesis: no difference of two shown views (nor any other combination) holds
    1 to 4 respondents of a source, staff-entered (paper) answers included."""
    shown = _views_shown(counts)
    assert exposed_source_sets(counts, shown) == ()
    for (name_a, a), (name_b, b) in combinations(shown.items(), 2):
        if set(b) <= set(a):
            for source, by_group in counts.items():
                left = sum(by_group[g] for g in set(a) - set(b))
                assert not 1 <= left <= 4, (name_a, name_b, source, left)
    for name, groups in shown.items():
        for source, by_group in counts.items():
            assert not 1 <= sum(by_group[g] for g in groups) <= 4, (name, source)


@settings(max_examples=60, deadline=None)
@given(counts_strategy)
def test_wave_results_only_publish_what_the_plan_shows(counts: dict[str, dict[str, int]]) -> None:
    data: list[Sheet] = []
    for source, by_group in counts.items():
        for group, n in by_group.items():
            data += sheets("" if group == "unstated" else group, n, paper=source == "paper")
    result = wave_results(data, [SCALE])
    shown = set(_views_shown(counts))
    for name, stat in result.scale("trust").views.items():
        assert (stat.mean is not None) == (name in shown and stat.n not in (None, 0))
