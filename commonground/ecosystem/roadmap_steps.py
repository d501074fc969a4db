"""Roadmap steps the ecosystem map can tell (chapter 1: understand the local ecosystem)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonground.coalitions.models import Coalition
from commonground.coalitions.roadmap import Step, register
from commonground.ecosystem import selectors

MAPPED_ACTORS = 20
MAPPED_TIES = 20
GOOD_RESPONSE_SHARE = 0.7


@register(reads=("ecosystem",))
def ecosystem_steps(coalition: Coalition) -> Iterator[Step]:
    facts = selectors.ecosystem_facts(coalition=coalition)
    slug = coalition.slug
    yield Step(
        chapter=1,
        label=_("Map the local health ecosystem"),
        key="ecosystem.map",
        is_done=facts.actor_count >= MAPPED_ACTORS and facts.tie_count >= MAPPED_TIES,
        url=reverse("ecosystem:map", args=[slug]),
        detail=_("%(actors)s actors, %(ties)s ties")
        % {"actors": facts.actor_count, "ties": facts.tie_count},
    )
    rate = facts.response_rate
    yield Step(
        chapter=1,
        label=_("Hear from partners through the network survey"),
        key="ecosystem.survey",
        is_done=rate is not None and rate >= GOOD_RESPONSE_SHARE,
        url=reverse("ecosystem:map", args=[slug]),
        detail=_("no survey yet")
        if rate is None
        else _("%(share)s%% of invited partners answered") % {"share": round(100 * rate)},
    )
    missing = len(facts.missing_sector_ids)
    yield Step(
        chapter=1,
        label=_("Bring the missing sectors to the table"),
        key="ecosystem.missing_sectors",
        is_done=facts.actor_count > 0 and missing == 0,
        url=reverse("ecosystem:missing", args=[slug]),
        detail=ngettext(
            "%(n)d sector missing or unconnected", "%(n)d sectors missing or unconnected", missing
        )
        % {"n": missing},
    )
    yield Step(
        chapter=4,
        label=_("Take a network snapshot to track partnerships over time"),
        key="ecosystem.snapshots",
        is_done=facts.snapshot_count >= 2,
        url=reverse("ecosystem:snapshots", args=[slug]),
        detail=ngettext("%(n)d snapshot", "%(n)d snapshots", facts.snapshot_count)
        % {"n": facts.snapshot_count},
    )
