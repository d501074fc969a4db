"""What funding's records show on the roadmap: the funding side of the "governance and
funding model" tactic, evidence for the resources pillar, and a chapter-4 step."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from commonground.coalitions import evidence, roadmap
from commonground.coalitions.freshness import once_per_request
from commonground.coalitions.models import Coalition
from commonground.funding.models import (
    Budget,
    BudgetLine,
    Disbursement,
    FundingAmount,
    FundingKind,
    FundingSource,
)


def _counts(coalition: Coalition) -> tuple[int, bool, int, int]:
    """Sources tracked (loans aside), whether a budget has amounts, awards shared out and
    budgets; once per request, for the evidence and the steps alike."""
    return once_per_request(coalition, "funding_counts", lambda: _count(coalition))


def _count(coalition: Coalition) -> tuple[int, bool, int, int]:
    with scope(coalition=coalition):
        sources = (
            FundingSource.objects.filter(
                pk__in=FundingAmount.objects.filter(coalition=coalition).values("source_id")
            )
            .exclude(kind=FundingKind.LOAN)
            .count()
        )
        has_budget = BudgetLine.objects.filter(coalition=coalition, amount__gt=0).exists()
        shared = Disbursement.objects.filter(
            coalition=coalition, status__in=[Disbursement.Status.AWARDED, Disbursement.Status.PAID]
        ).count()
        budgets = Budget.objects.filter(coalition=coalition).count()
    return sources, has_budget, shared, budgets


@evidence.register(reads=("funding", "ecosystem"))
def funding_evidence(coalition: Coalition) -> Iterator[evidence.Evidence]:
    sources, has_budget, shared, _budgets = _counts(coalition)
    if not sources and not has_budget:
        return
    url = reverse("funding:overview", args=[coalition.slug])
    summary = ngettext("%(n)d funding source tracked", "%(n)d funding sources tracked", sources) % {
        "n": sources
    }
    summary += ", " + (_("with the backbone's budget") if has_budget else _("no budget recorded"))
    yield evidence.Evidence(
        item_id="governance_funding_model",
        summary=summary,
        url=url,
        in_place=sources > 0 and has_budget,
    )
    yield evidence.Evidence(item_id="resources", summary=summary, url=url, in_place=sources > 0)
    if shared:
        yield evidence.Evidence(
            item_id="invest_in_capacity_sharing",
            summary=ngettext(
                "%(n)d grant or award shared out", "%(n)d grants or awards shared out", shared
            )
            % {"n": shared},
            url=reverse("funding:distribution", args=[coalition.slug]),
        )


@roadmap.register(reads=("funding", "ecosystem"))
def funding_steps(coalition: Coalition) -> Iterator[roadmap.Step]:
    sources, has_budget, _shared, budgets = _counts(coalition)
    yield roadmap.Step(
        chapter=4,
        label=_("Track the backbone's funding and budget, and test it for the cliff"),
        is_done=sources > 0 and has_budget,
        url=reverse("funding:overview", args=[coalition.slug]),
        detail=ngettext("%(n)d funding source", "%(n)d funding sources", sources) % {"n": sources}
        + (", " + ngettext("%(n)d budget", "%(n)d budgets", budgets) % {"n": budgets}),
        key="funding.sources_and_budget",
    )
