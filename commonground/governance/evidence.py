"""Framework items that governance records show (``coalitions.evidence``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scope

from commonground.coalitions import evidence
from commonground.coalitions.models import Coalition
from commonground.governance import selectors


@evidence.register(reads=("governance", "assessments", "ecosystem"))
def governance_evidence(coalition: Coalition) -> Iterator[evidence.Evidence]:
    with scope(coalition=coalition):
        counts = selectors.counts(coalition=coalition)
    adopted = counts["adopted_policies"]
    charters = counts["active_charters"]
    decisions = counts["decisions"]
    slug = coalition.slug
    if counts["bodies"]:
        structure = ngettext(
            "%(n)d governing body with %(seats)d seats",
            "%(n)d governing bodies with %(seats)d seats",
            counts["bodies"],
        ) % {"n": counts["bodies"], "seats": counts["seats"]}
        in_place = counts["deciding"] > 0 and counts["seats"] > 0
        yield evidence.Evidence(
            item_id="forming_infra_governance",
            summary=structure,
            url=reverse("governance:index", args=[slug]),
            in_place=in_place,
        )
        # The governance half of the tactic; funding shows the other half.
        yield evidence.Evidence(
            item_id="governance_funding_model",
            summary=structure,
            url=reverse("governance:index", args=[slug]),
            in_place=False,
        )
    if decisions or counts["decision_actions"] or charters:
        summary = _(
            "%(decisions)d decisions in the log, %(actions)d action items from decisions, "
            "%(agreements)d active charters, bylaws or MOUs"
        ) % {
            "decisions": decisions,
            "actions": counts["decision_actions"],
            "agreements": charters,
        }
        in_place = decisions > 0 and (counts["decision_actions"] > 0 or charters > 0)
        for item_id in ("forming_infra_accountability", "promote_accountability"):
            yield evidence.Evidence(
                item_id=item_id,
                summary=summary,
                url=reverse("governance:decisions", args=[slug]),
                in_place=in_place,
            )
    if counts["policies"]:
        yield evidence.Evidence(
            item_id="transforming_infra_policy_influence",
            summary=ngettext(
                "%(n)d policy on the agenda, %(adopted)d adopted or implemented",
                "%(n)d policies on the agenda, %(adopted)d adopted or implemented",
                counts["policies"],
            )
            % {"n": counts["policies"], "adopted": adopted},
            url=reverse("governance:policies", args=[slug]),
            in_place=adopted > 0,
        )
