"""Records that show a part of the framework is in place.

A capability app knows when its records *are* a framework item: a governance body that
decides is "a governance structure" (``forming_infra_governance``), tracked funding with a
budget is the "governance and funding model" tactic, a listening tour is "time and money
spent on learning what the community needs". It says so by registering a provider in its
``AppConfig.ready``::

    from commonground.coalitions import evidence

    @evidence.register
    def governance_evidence(coalition):
        yield evidence.Evidence(
            item_id="forming_infra_governance",
            summary=_("%(n)d bodies with %(seats)d seats") % {...},
            url=reverse("governance:index", args=[coalition.slug]),
        )

``item_id`` is a framework id: a tactic (``framework.TACTICS``), a stage's infrastructure
item or characteristic, or a pillar. ``in_place=False`` says the work has started but the
records do not yet show it done. The assessments app counts a tactic with records in place
as in place on the roadmap, and shows every item's evidence beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from commonground.coalitions.models import Coalition
from commonground.coalitions.providers import Registry


@dataclass(frozen=True, slots=True)
class Evidence:
    item_id: str  # a framework id
    summary: str  # already translated, plain words: "3 bodies with 34 seats"
    url: str  # the page that shows the records
    in_place: bool = True


EvidenceProvider = Callable[[Coalition], Iterable[Evidence]]
registry: Registry[EvidenceProvider] = Registry()
register = registry.register
reads_of = registry.reads_of
unregister = registry.unregister


def collect(coalition: Coalition) -> dict[str, list[Evidence]]:
    """Every provider's evidence for the coalition, by framework id (gathered once per
    request)."""
    from commonground.coalitions.freshness import once_per_request, provided

    def gather() -> dict[str, list[Evidence]]:
        found: dict[str, list[Evidence]] = defaultdict(list)
        for provider in registry:
            for item in provided(coalition, provider, reads_of(provider)):
                found[item.item_id].append(item)
        return dict(found)

    return once_per_request(coalition, "evidence", gather)


def in_place_ids(coalition: Coalition) -> frozenset[str]:
    """The framework ids whose records show them in place."""
    return in_place(collect(coalition))


def in_place(found: dict[str, list[Evidence]]) -> frozenset[str]:
    """The framework ids of collected evidence (``collect``) whose records show them in
    place."""
    return frozenset(
        item_id for item_id, items in found.items() if any(item.in_place for item in items)
    )
