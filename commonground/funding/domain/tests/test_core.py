"""The funding core against hand-worked examples and an independent numpy computation."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonground.funding.domain import core, months
from commonground.funding.domain.errors import FundingError

JAN_2026 = months.index(2026, 1)


def amount(source: str, kind: str, value: int, start: int, end: int) -> core.Amount:
    return core.Amount(source, kind, Fraction(value), start, end)


def test_the_60_35_5_mix_gives_hhi_0_485() -> None:
    # 0.6² + 0.35² + 0.05² = 0.36 + 0.1225 + 0.0025 = 0.485
    amounts = [
        amount("Grants", "private_philanthropy", 600_000, JAN_2026, JAN_2026 + 11),
        amount("HIE members", "hie_fees", 350_000, JAN_2026, JAN_2026 + 11),
        amount("Donors", "donations", 50_000, JAN_2026, JAN_2026 + 11),
    ]
    summary = core.summarize(amounts, as_of=JAN_2026)
    assert summary.hhi == Fraction(485, 1000)
    assert float(summary.hhi) == 0.485
    assert summary.largest_source_share == Fraction(3, 5)
    assert summary.mix == {
        "donations": Fraction(1, 20),
        "hie_fees": Fraction(7, 20),
        "private_philanthropy": Fraction(3, 5),
    }
    # 60% from one source; every source ends within two years; HIE fees count as partners'.
    assert summary.flags == [core.MOST_FROM_ONE_SOURCE, core.MOST_ENDING_WITHIN_TWO_YEARS]
    assert summary.time_limited_share == Fraction(3, 5)


def test_a_loan_is_not_revenue() -> None:
    grant = amount("Foundation", "private_philanthropy", 120_000, JAN_2026, JAN_2026 + 11)
    loan = amount("Bank", "loan", 1_000_000, JAN_2026, JAN_2026 + 23)
    with_loan = core.summarize([grant, loan], as_of=JAN_2026, annual_budget=Fraction(120_000))
    without = core.summarize([grant], as_of=JAN_2026, annual_budget=Fraction(120_000))
    assert with_loan.total == without.total == 120_000
    assert with_loan.mix == {"private_philanthropy": 1}
    assert with_loan.hhi == 1 and with_loan.largest_source_share == 1
    # The loan's $41,667 a month would cover the $10,000 budget for two years; it does not.
    assert with_loan.runway_months == without.runway_months == 12
    assert with_loan.flags == without.flags
    assert core.spread([loan]) == {}


def test_a_cliff_with_two_grants_ending_in_the_same_month() -> None:
    # Budget $240,000 a year = $20,000 a month. Two grants of $12,000 a month each end in
    # June 2026 (months Jan-Jun: $72,000 each); a $6,000-a-month contribution runs on to
    # December. Jan-Jun: 12,000 + 12,000 + 6,000 = 30,000 ≥ 20,000; July: 6,000 < 20,000.
    amounts = [
        amount("A", "federal_grant", 72_000, JAN_2026, JAN_2026 + 5),
        amount("B", "state_grant", 72_000, JAN_2026, JAN_2026 + 5),
        amount("C", "partner_contribution", 72_000, JAN_2026, JAN_2026 + 11),
    ]
    summary = core.summarize(amounts, as_of=JAN_2026, annual_budget=Fraction(240_000))
    assert summary.runway_months == 6
    assert months.label(summary.cliff_month or 0) == "2026-07"
    assert [p.secured for p in summary.timeline[:8]] == [30_000] * 6 + [6_000] * 2
    assert [p.below_budget for p in summary.timeline[:8]] == [False] * 6 + [True] * 2
    assert len(summary.timeline) == 36 and summary.timeline[-1].secured == 0
    # Seen from March, the runway is the four months left before the cliff.
    from_march = core.summarize(amounts, as_of=JAN_2026 + 2, annual_budget=Fraction(240_000))
    assert from_march.runway_months == 4 and from_march.cliff_month == summary.cliff_month


def test_runway_needs_the_month_to_reach_a_twelfth_of_the_budget_exactly() -> None:
    # $120,000 over 12 months is exactly $10,000 a month: it reaches a twelfth of $120,000.
    exact = [amount("A", "donations", 120_000, JAN_2026, JAN_2026 + 11)]
    assert (
        core.summarize(exact, as_of=JAN_2026, annual_budget=Fraction(120_000)).runway_months == 12
    )
    assert core.summarize(exact, as_of=JAN_2026, annual_budget=Fraction(120_001)).runway_months == 0
    assert core.summarize(exact, as_of=JAN_2026 - 1, annual_budget=Fraction(1)).runway_months == 0


def test_an_amount_is_spread_over_its_months_both_included() -> None:
    spread = core.spread([amount("A", "donations", 300, JAN_2026 - 1, JAN_2026 + 1)])
    assert spread == {JAN_2026 - 1: 100, JAN_2026: 100, JAN_2026 + 1: 100}


def test_no_partner_or_earned_income_flag() -> None:
    only_grants = [amount("A", "federal_grant", 10, JAN_2026, JAN_2026 + 40)]
    assert core.flags(only_grants, as_of=JAN_2026) == [
        core.MOST_FROM_ONE_SOURCE,
        core.NO_PARTNER_OR_EARNED_INCOME,
    ]
    earned = [*only_grants, amount("B", "earned_income", 10, JAN_2026, JAN_2026 + 40)]
    assert core.flags(earned, as_of=JAN_2026) == []


def test_ending_share_counts_money_still_running() -> None:
    old = amount("Old", "federal_grant", 1_000, JAN_2026 - 30, JAN_2026 - 1)  # already over
    soon = amount("Soon", "federal_grant", 300, JAN_2026, JAN_2026 + 23)  # last month inside
    later = amount("Later", "partner_contribution", 100, JAN_2026, JAN_2026 + 24)
    assert core.ending_share([old, soon, later], as_of=JAN_2026) == Fraction(3, 4)
    assert core.ending_share([old], as_of=JAN_2026) is None


def test_five_equal_grants_give_a_gini_of_zero() -> None:
    assert core.gini([Fraction(1000)] * 5) == 0
    shared = core.distribute([core.Grant(f"group {i}", Fraction(1000)) for i in range(5)])
    assert shared.gini == 0 and shared.recipients == 5 and shared.total == 5000


def test_gini_hand_worked() -> None:
    # One of four recipients gets everything: Σ|xi-xj| = 2·3·1 = 6; 6 / (2·16·0.25) = 0.75.
    assert core.gini([Fraction(0), Fraction(0), Fraction(0), Fraction(1)]) == Fraction(3, 4)
    # 1 and 3: pairs |1-3| twice = 4; mean 2; 4 / (2·4·2) = 0.25.
    assert core.gini([Fraction(1), Fraction(3)]) == Fraction(1, 4)
    assert core.gini([]) is None and core.gini([Fraction(0)]) is None


def _numpy_gini(values: list[int]) -> float:
    x = np.asarray(values, dtype=float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=40))
def test_gini_matches_an_independent_numpy_computation(values: list[int]) -> None:
    result = core.gini([Fraction(v) for v in values])
    if sum(values) == 0:
        assert result is None
    else:
        assert float(result or 0) == pytest.approx(_numpy_gini(values), abs=1e-9)


@given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=12))
def test_hhi_matches_numpy(values: list[int]) -> None:
    amounts = [amount(f"s{i}", "donations", v, JAN_2026, JAN_2026) for i, v in enumerate(values)]
    shares = np.asarray(values, dtype=float) / sum(values)
    assert float(core.summarize(amounts, as_of=JAN_2026).hhi or 0) == pytest.approx(
        float((shares**2).sum()), abs=1e-12
    )


def test_community_led_share_by_sector_and_place() -> None:
    grants = [
        core.Grant("a", Fraction(300), True, "faith", ""),
        core.Grant("b", Fraction(100), False, "faith", ""),
        core.Grant("c", Fraction(600), False, "hospital", ""),
        core.Grant("d", Fraction(1000), True, "", "Lowndes County"),
    ]
    shared = core.distribute(grants)
    assert shared.community_led_share == Fraction(1300, 2000)
    assert shared.community_led_by_sector == {
        "": 1,
        "faith": Fraction(3, 4),
        "hospital": 0,
    }
    assert shared.by_place == {"Lowndes County": 1000, "": 1000}
    assert shared.by_recipient_type == {"community_led": 300, "other": 700, "place": 1000}


def test_stipend_share_counts_filled_seats_only() -> None:
    assert core.stipend_paid_share([(False, True), (False, False), (True, False)]) == Fraction(1, 2)
    assert core.stipend_paid_share([(True, False)]) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": Fraction(-1)}, "negative"),
        ({"end": JAN_2026 - 1}, "before the start"),
        ({"kind": "bake_sale"}, "bake_sale"),
    ],
)
def test_bad_amounts_raise_the_one_error_type(kwargs: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "source": "A",
        "kind": "donations",
        "amount": Fraction(1),
        "start": JAN_2026,
        "end": JAN_2026,
    } | kwargs
    with pytest.raises(FundingError, match=message):
        core.Amount(**values)  # type: ignore[arg-type]


def test_months_round_trip() -> None:
    assert months.label(months.parse("2026-12") + 1) == "2027-01"
    with pytest.raises(FundingError):
        months.parse("2026-13")
