"""Funding stability and the fairness of what is shared out, on plain data.

Money is exact here (``Fraction``): a grant spread over months and summed back, or a month
compared with a twelfth of the budget, gives no rounding surprises. Callers turn the
results into floats at the edge.

Definitions (the command line and the pages use the same ones):

- an **amount** is spread evenly over the months from its start's month to its end's
  month, both included; a **loan** (or impact investment) is never revenue and takes part
  in none of the measures below;
- **mix**: each type's share of the total revenue;
- **HHI**: the sum of the squared shares of the sources (0-1; 1 = one source);
- **runway**: the number of consecutive months from the as-of month whose spread money
  reaches a twelfth of the annual budget; the **cliff month** is the first that does not;
- **ending share**: of the revenue amounts still running in the as-of month or later, the
  share whose end month comes within 24 months (before ``as_of + 24``);
- **Gini** over recipients' totals: the mean absolute difference between all pairs
  (self-pairs included) over twice the mean.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from commonground.funding.domain.errors import FundingError

KINDS: tuple[str, ...] = (
    "private_philanthropy",
    "federal_grant",
    "state_grant",
    "local_grant",
    "partner_contribution",
    "health_system_community_benefit",
    "payer_value_based",
    "hie_fees",
    "donations",
    "earned_income",
    "loan",
)
LOAN = "loan"
#: Grants end: money of these types is time-limited.
TIME_LIMITED: frozenset[str] = frozenset(
    {"private_philanthropy", "federal_grant", "state_grant", "local_grant"}
)
#: Money the partners put in, or the coalition earns: the seeds' sign of a sustainable base.
PARTNER_OR_EARNED: frozenset[str] = frozenset({"partner_contribution", "hie_fees", "earned_income"})

MOST_FROM_ONE_SOURCE = "most_from_one_source"
MOST_ENDING_WITHIN_TWO_YEARS = "most_ending_within_two_years"
NO_PARTNER_OR_EARNED_INCOME = "no_partner_or_earned_income"
FLAGS: tuple[str, ...] = (
    MOST_FROM_ONE_SOURCE,
    MOST_ENDING_WITHIN_TWO_YEARS,
    NO_PARTNER_OR_EARNED_INCOME,
)
HALF = Fraction(1, 2)
ENDING_WINDOW_MONTHS = 24
TIMELINE_MONTHS = 36


@dataclass(frozen=True, slots=True)
class Amount:
    """Money from one source for one period (``start``/``end`` are month integers)."""

    source: str
    kind: str
    amount: Fraction
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FundingError(f"type {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.amount < 0:
            raise FundingError("an amount cannot be negative")
        if self.end < self.start:
            raise FundingError("the end comes before the start")

    @property
    def is_revenue(self) -> bool:
        return self.kind != LOAN

    @property
    def month_count(self) -> int:
        return self.end - self.start + 1


def revenue(amounts: Iterable[Amount]) -> list[Amount]:
    """The amounts that are revenue (every type but loans)."""
    return [a for a in amounts if a.is_revenue]


def spread(amounts: Iterable[Amount]) -> dict[int, Fraction]:
    """Revenue per month: each amount divided evenly over its months.

    >>> spread([Amount("a", "donations", Fraction(300), 10, 12)])
    {10: Fraction(100, 1), 11: Fraction(100, 1), 12: Fraction(100, 1)}
    """
    by_month: dict[int, Fraction] = defaultdict(Fraction)
    for item in revenue(amounts):
        each = item.amount / item.month_count
        for month in range(item.start, item.end + 1):
            by_month[month] += each
    return dict(sorted(by_month.items()))


def total(amounts: Iterable[Amount]) -> Fraction:
    return sum((a.amount for a in revenue(amounts)), Fraction(0))


def _shares(totals: Mapping[str, Fraction]) -> dict[str, Fraction]:
    whole = sum(totals.values(), Fraction(0))
    if whole == 0:
        return {}
    return {key: value / whole for key, value in totals.items()}


def mix(amounts: Iterable[Amount]) -> dict[str, Fraction]:
    """Each revenue type's share of the total, keys in alphabetical order.

    >>> {k: str(v) for k, v in mix([Amount("a", "donations", Fraction(1), 1, 1),
    ...                              Amount("b", "federal_grant", Fraction(3), 1, 1)]).items()}
    {'donations': '1/4', 'federal_grant': '3/4'}
    """
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for item in revenue(amounts):
        totals[item.kind] += item.amount
    return dict(sorted(_shares(totals).items()))


def source_shares(amounts: Iterable[Amount]) -> dict[str, Fraction]:
    """Each source's share of the total revenue."""
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for item in revenue(amounts):
        totals[item.source] += item.amount
    return _shares(totals)


def hhi(shares: Iterable[Fraction]) -> Fraction:
    """Herfindahl-Hirschman index: the sum of the squared shares (0-1).

    >>> float(hhi([Fraction(60, 100), Fraction(35, 100), Fraction(5, 100)]))
    0.485
    """
    return sum((s * s for s in shares), Fraction(0))


def time_limited_share(amounts: Iterable[Amount]) -> Fraction | None:
    """The share of revenue from grants (philanthropy, federal, state and local)."""
    money = revenue(amounts)
    whole = total(money)
    if whole == 0:
        return None
    return sum((a.amount for a in money if a.kind in TIME_LIMITED), Fraction(0)) / whole


def runway(by_month: Mapping[int, Fraction], *, as_of: int, annual_budget: Fraction) -> int:
    """Consecutive months from ``as_of`` whose money reaches a twelfth of the budget.

    >>> runway({5: Fraction(10), 6: Fraction(10), 7: Fraction(9)}, as_of=5,
    ...        annual_budget=Fraction(120))
    2
    """
    if annual_budget <= 0:
        raise FundingError("the annual budget must be more than 0")
    monthly = annual_budget / 12
    count = 0
    while by_month.get(as_of + count, Fraction(0)) >= monthly:
        count += 1
    return count


def ending_share(amounts: Iterable[Amount], *, as_of: int) -> Fraction | None:
    """Of the revenue still running in ``as_of`` or later, the share ending within 24
    months (end month before ``as_of + 24``); None when nothing is still running."""
    running = [a for a in revenue(amounts) if a.end >= as_of]
    whole = sum((a.amount for a in running), Fraction(0))
    if whole == 0:
        return None
    soon = sum((a.amount for a in running if a.end < as_of + ENDING_WINDOW_MONTHS), Fraction(0))
    return soon / whole


def flags(amounts: Sequence[Amount], *, as_of: int) -> list[str]:
    """The seeds' warnings that hold, in the order of ``FLAGS``:

    - ``most_from_one_source``: one source gives more than half the revenue;
    - ``most_ending_within_two_years``: more than half the running revenue ends within
      two years (``ending_share``);
    - ``no_partner_or_earned_income``: no partner contribution, membership or HIE fees, or
      earned income (with an amount above 0).
    """
    found = []
    shares = source_shares(amounts)
    if shares and max(shares.values()) > HALF:
        found.append(MOST_FROM_ONE_SOURCE)
    ending = ending_share(amounts, as_of=as_of)
    if ending is not None and ending > HALF:
        found.append(MOST_ENDING_WITHIN_TWO_YEARS)
    if not any(a.kind in PARTNER_OR_EARNED and a.amount > 0 for a in amounts):
        found.append(NO_PARTNER_OR_EARNED_INCOME)
    return found


@dataclass(frozen=True, slots=True)
class MonthPoint:
    month: int
    secured: Fraction
    below_budget: bool | None  # None without a budget


@dataclass(frozen=True, slots=True)
class FundingSummary:
    """Everything the pages, the API and the command line say about stability."""

    total: Fraction
    mix: dict[str, Fraction]
    hhi: Fraction | None
    largest_source: str | None
    largest_source_share: Fraction | None
    time_limited_share: Fraction | None
    ending_share: Fraction | None
    runway_months: int | None
    cliff_month: int | None
    flags: list[str]
    timeline: list[MonthPoint] = field(default_factory=list)
    monthly_budget: Fraction | None = None


def summarize(
    amounts: Sequence[Amount],
    *,
    as_of: int,
    annual_budget: Fraction | None = None,
    timeline_months: int = TIMELINE_MONTHS,
) -> FundingSummary:
    """The stability summary of ``amounts`` seen from the month ``as_of``."""
    by_month = spread(amounts)
    shares = source_shares(amounts)
    largest = max(shares.items(), key=lambda kv: (kv[1], kv[0])) if shares else None
    run = (
        runway(by_month, as_of=as_of, annual_budget=annual_budget)
        if annual_budget is not None
        else None
    )
    monthly = annual_budget / 12 if annual_budget is not None else None
    points = [
        MonthPoint(
            month,
            by_month.get(month, Fraction(0)),
            None if monthly is None else by_month.get(month, Fraction(0)) < monthly,
        )
        for month in range(as_of, as_of + timeline_months)
    ]
    return FundingSummary(
        total=total(amounts),
        mix=mix(amounts),
        hhi=hhi(shares.values()) if shares else None,
        largest_source=largest[0] if largest else None,
        largest_source_share=largest[1] if largest else None,
        time_limited_share=time_limited_share(amounts),
        ending_share=ending_share(amounts, as_of=as_of),
        runway_months=run,
        cliff_month=None if run is None else as_of + run,
        flags=flags(amounts, as_of=as_of),
        timeline=points,
        monthly_budget=monthly,
    )


def mix_by_year(amounts: Iterable[Amount], years: Sequence[int]) -> dict[int, dict[str, Fraction]]:
    """Revenue per calendar year and type (spread by month, then summed), for ``years``."""
    result: dict[int, dict[str, Fraction]] = {year: defaultdict(Fraction) for year in years}
    for item in revenue(amounts):
        each = item.amount / item.month_count
        for month in range(item.start, item.end + 1):
            year = month // 12
            if year in result:
                result[year][item.kind] += each
    return {year: dict(kinds) for year, kinds in result.items()}


# --- what is shared out -----------------------------------------------------------------


def gini(values: Sequence[Fraction]) -> Fraction | None:
    """Gini coefficient: ``Σi Σj |xi − xj| / (2 n² mean)``, self-pairs included.

    Computed from the sorted values as ``2 Σ i·x(i) / (n Σx) − (n + 1) / n`` (1-based
    ranks), which is the same number. None for no values or a total of 0.

    >>> gini([Fraction(1000)] * 5)
    Fraction(0, 1)
    >>> gini([Fraction(0), Fraction(0), Fraction(0), Fraction(1)])
    Fraction(3, 4)
    """
    n = len(values)
    whole = sum(values, Fraction(0))
    if n == 0 or whole == 0:
        return None
    if any(v < 0 for v in values):
        raise FundingError("an amount cannot be negative")
    ranked = sum((i * v for i, v in enumerate(sorted(values), start=1)), Fraction(0))
    return 2 * ranked / (n * whole) - Fraction(n + 1, n)


@dataclass(frozen=True, slots=True)
class Grant:
    """Money or support shared out to one recipient."""

    recipient: str
    amount: Fraction
    community_led: bool = False
    sector: str = ""
    place: str = ""
    kind: str = "grant"


@dataclass(frozen=True, slots=True)
class Distribution:
    total: Fraction
    recipients: int
    gini: Fraction | None
    community_led_share: Fraction | None
    by_sector: dict[str, Fraction]
    by_place: dict[str, Fraction]
    by_kind: dict[str, Fraction]
    by_recipient_type: dict[str, Fraction]  # "community_led", "other", "place"
    community_led_by_sector: dict[str, Fraction | None]
    community_led_by_place: dict[str, Fraction | None]


def _sums(grants: Iterable[Grant], key: str) -> dict[str, Fraction]:
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for grant in grants:
        totals[getattr(grant, key)] += grant.amount
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))


def _led_share(grants: Sequence[Grant]) -> Fraction | None:
    whole = sum((g.amount for g in grants), Fraction(0))
    if whole == 0:
        return None
    return sum((g.amount for g in grants if g.community_led), Fraction(0)) / whole


def _recipient_types(grants: Iterable[Grant]) -> dict[str, Fraction]:
    """Totals to community-led organizations, other organizations, and places."""
    totals: dict[str, Fraction] = {
        "community_led": Fraction(0),
        "other": Fraction(0),
        "place": Fraction(0),
    }
    for grant in grants:
        kind = "place" if grant.place else "community_led" if grant.community_led else "other"
        totals[kind] += grant.amount
    return totals


def distribute(grants: Sequence[Grant]) -> Distribution:
    """Totals, Gini across recipients' totals, and the community-led share overall, by
    sector and by place."""
    per_recipient = _sums(grants, "recipient")
    by_sector_groups: dict[str, list[Grant]] = defaultdict(list)
    by_place_groups: dict[str, list[Grant]] = defaultdict(list)
    for grant in grants:
        by_sector_groups[grant.sector].append(grant)
        by_place_groups[grant.place].append(grant)
    return Distribution(
        total=sum((g.amount for g in grants), Fraction(0)),
        recipients=len(per_recipient),
        gini=gini(list(per_recipient.values())),
        community_led_share=_led_share(grants),
        by_sector=_sums(grants, "sector"),
        by_place=_sums(grants, "place"),
        by_kind=_sums(grants, "kind"),
        by_recipient_type=_recipient_types(grants),
        community_led_by_sector={k: _led_share(v) for k, v in sorted(by_sector_groups.items())},
        community_led_by_place={k: _led_share(v) for k, v in sorted(by_place_groups.items())},
    )


def stipend_paid_share(seats: Iterable[tuple[bool, bool]]) -> Fraction | None:
    """Of the filled community seats (``(vacant, paid)`` pairs), the share paid a stipend.

    >>> stipend_paid_share([(False, True), (False, False), (True, False)])
    Fraction(1, 2)
    """
    filled = [paid for vacant, paid in seats if not vacant]
    if not filled:
        return None
    return Fraction(sum(1 for paid in filled if paid), len(filled))
