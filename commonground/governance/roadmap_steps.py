"""Roadmap steps governance can tell: a governance structure, accountability, power share."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from commonground.coalitions.models import Coalition
from commonground.coalitions.roadmap import Step, register
from commonground.governance import selectors


@register(reads=("governance", "assessments", "ecosystem"))
def governance_steps(coalition: Coalition) -> Iterator[Step]:
    with scope(coalition=coalition):
        counts = selectors.counts(coalition=coalition)
    summary = selectors.power_summary(coalition=coalition)
    slug = coalition.slug
    yield Step(
        chapter=4,
        label=_("Set up a governance structure: bodies that decide, and their seats"),
        key="governance.structure",
        is_done=counts["deciding"] > 0 and counts["seats"] > 0,
        url=reverse("governance:index", args=[slug]),
        detail=ngettext("%(n)d body", "%(n)d bodies", counts["bodies"]) % {"n": counts["bodies"]},
    )
    share = summary["community_share"] if summary else None
    yield Step(
        chapter=4,
        label=_("Put at least half of the decision-making power in community hands"),
        key="governance.community_power",
        is_done=summary is not None and not summary["below_target"],
        url=reverse("governance:power", args=[slug]),
        detail=_("Community share of votes: %(pct)s") % {"pct": f"{share * 100:.0f}%"}
        if share is not None
        else _("No body decides yet"),
    )
    yield Step(
        chapter=4,
        label=_("Keep an accountable record: decisions and the actions that follow them"),
        key="governance.accountability",
        is_done=counts["decisions"] > 0 and counts["decision_actions"] > 0,
        url=reverse("governance:decisions", args=[slug]),
        detail=ngettext("%(n)d decision", "%(n)d decisions", counts["decisions"])
        % {"n": counts["decisions"]},
    )
