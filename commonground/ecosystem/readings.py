"""Plain-language sentences for the network scores, in the reader's language.

The numbers come from :mod:`commonground.ecosystem.domain.readings`; this module only
words them (gettext, plural forms, localized numbers), so the map, the scores page and
the actor profile say the same thing about the same score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commonground.ecosystem.domain.network import ActorMetrics, NetworkReport
from commonground.ecosystem.domain.readings import (
    ActorReading,
    NetworkReading,
    PerHundred,
    read_network,
)
from commonground.ecosystem.domain.response import ResponseReport

__all__ = ["RESPONSE_REASON", "actor_sentences", "network_sentences", "response_rules"]


def _number(value: float, places: int = 0) -> str:
    return number_format(round(value, places), places, force_grouping=True)


def _fill(text: str, share: PerHundred, **more: str) -> str:
    """Put a :class:`PerHundred`'s ``count`` and ``base`` (and ``more``) into ``text``."""
    return text % {"count": _number(share.count), "base": _number(share.base), **more}


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


# ---------------------------------------------------------------- the whole network


def network_sentences(report: NetworkReport) -> dict[str, str]:
    """One sentence per headline score of ``report``, keyed like the headline."""
    reading: NetworkReading = read_network(report)
    sentences: dict[str, str] = {}
    density = reading.density
    counts = {
        "ties": _number(report.tie_count),
        "possible": _number(reading.possible_tie_count),
    }
    if density.below:
        sentences["density"] = (
            _("Fewer than 1 of every 1,000 possible ties exists (%(ties)s of %(possible)s).")
            % counts
        )
    else:
        sentences["density"] = _fill(
            ngettext(
                "About %(count)s of every %(base)s possible ties exists (%(ties)s of "
                "%(possible)s).",
                "About %(count)s of every %(base)s possible ties exist (%(ties)s of %(possible)s).",
                density.count,
            ),
            density,
            **counts,
        )
    if reading.reciprocity is not None:
        sentences["reciprocity"] = _fill(
            ngettext(
                "%(count)s of every %(base)s ties is reported by both sides.",
                "%(count)s of every %(base)s ties are reported by both sides.",
                reading.reciprocity.count,
            ),
            reading.reciprocity,
        )
    sentences["centralization"] = {
        "low": _("Spread out: no single hub holds the network together."),
        "moderate": _("A few hubs hold many of the ties, and the network leans on them."),
        "high": _("Centred on a few hubs: efficient, but fragile if one of them steps back."),
    }[reading.centralization]
    if reading.cross_sector is not None:
        sentences["cross_sector_share"] = _fill(
            ngettext(
                "%(count)s of every %(base)s ties joins two different sectors.",
                "%(count)s of every %(base)s ties join two different sectors.",
                reading.cross_sector.count,
            ),
            reading.cross_sector,
        )
    for key, score, level in (
        ("trust", report.trust, reading.trust),
        ("value", report.value, reading.value),
    ):
        if score is None or level is None:
            continue
        words = {
            "high": _("High: on average partners rate each other %(score)s out of 4."),
            "moderate": _("Moderate: on average partners rate each other %(score)s out of 4."),
            "low": _("Low: on average partners rate each other %(score)s out of 4."),
        }
        sentences[key] = words[level] % {"score": _number(score.score, 1)}
    if reading.component_count <= 1:
        sentences["components"] = _("Everyone can reach everyone else through the ties.")
    else:
        sentences["components"] = ngettext(
            "%(n)s part cannot reach the others through any tie.",
            "%(n)s parts cannot reach each other through any tie.",
            reading.component_count,
        ) % {"n": _number(reading.component_count)}
    sentences["communities"] = ngettext(
        "%(n)s group of actors more tied to each other than to the rest.",
        "%(n)s groups of actors more tied to each other than to the rest.",
        reading.community_count,
    ) % {"n": _number(reading.community_count)}
    return sentences


# ---------------------------------------------------------------- one actor


def actor_sentences(
    *,
    name: str,
    reading: ActorReading,
    metrics: ActorMetrics,
    report: NetworkReport,
    sector_name: Callable[[str | None], str],
) -> dict[str, str]:
    """Sentences about one actor's scores: partners, bridging, sectors it links, trust."""
    total = report.actor_count
    sentences: dict[str, str] = {}
    sentences["partners"] = ngettext(
        "Works with %(count)s of the %(others)s other actors.",
        "Works with %(count)s of the %(others)s other actors.",
        reading.partner_count,
    ) % {"count": _number(reading.partner_count), "others": _number(reading.other_count)}
    if metrics.betweenness <= 0:
        sentences["betweenness"] = _(
            "Lies on no shortest path between two other actors: its partners reach each "
            "other another way."
        )
    else:
        ranked = {"rank": _number(reading.betweenness_rank), "total": _number(total)}
        if reading.betweenness.below:
            sentences["betweenness"] = (
                _(
                    "Lies on fewer than 1 of every 1,000 shortest paths between two other actors "
                    "(ranked %(rank)s of %(total)s)."
                )
                % ranked
            )
        else:
            sentences["betweenness"] = _fill(
                ngettext(
                    "Lies on about %(count)s of every %(base)s shortest paths between two "
                    "other actors (ranked %(rank)s of %(total)s).",
                    "Lies on about %(count)s of every %(base)s shortest paths between two "
                    "other actors (ranked %(rank)s of %(total)s).",
                    reading.betweenness.count,
                ),
                reading.betweenness,
                **ranked,
            )
    bridge = reading.bridge
    if bridge.sectors:
        sentences["bridge"] = ngettext(
            "%(name)s connects %(n)s sector that is not otherwise tied: %(sectors)s.",
            "%(name)s connects %(n)s sectors that are not otherwise tied: %(sectors)s.",
            len(bridge.sectors),
        ) % {
            "name": name,
            "n": _number(len(bridge.sectors)),
            "sectors": _join([sector_name(s) for s in bridge.sectors]),
        }
    elif bridge.sectors_reached:
        sentences["bridge"] = ngettext(
            "Its partners come from %(n)s other sector.",
            "Its partners come from %(n)s other sectors, which are also tied to each other "
            "directly.",
            len(bridge.sectors_reached),
        ) % {"n": _number(len(bridge.sectors_reached))}
    sentences["closeness"] = _("Ranked %(rank)s of %(total)s for reach.") % {
        "rank": _number(reading.closeness_rank),
        "total": _number(total),
    }
    if reading.eigenvector_rank is not None:
        sentences["eigenvector"] = _(
            "Ranked %(rank)s of %(total)s for ties to well-connected partners."
        ) % {"rank": _number(reading.eigenvector_rank), "total": _number(total)}
    if metrics.trust is not None and reading.trust_vs_network is not None and report.trust:
        words = {
            "above": _("Rated %(score)s out of 4 for trust, above the network's %(average)s."),
            "near": _("Rated %(score)s out of 4 for trust, close to the network's %(average)s."),
            "below": _("Rated %(score)s out of 4 for trust, below the network's %(average)s."),
        }
        sentences["trust"] = words[reading.trust_vs_network] % {
            "score": _number(metrics.trust, 1),
            "average": _number(report.trust.score, 1),
        }
    return sentences


# ---------------------------------------------------------------- response rate

#: How each metric the response rate affects is named in the rule sentences.
METRIC_NAMES = {
    "betweenness": gettext_lazy("bridging"),
    "brokers": gettext_lazy("brokers"),
    "degree_centralization": gettext_lazy("centralization"),
    "reciprocity": gettext_lazy("reciprocity"),
    "closeness": gettext_lazy("reach"),
    "eigenvector": gettext_lazy("well-connected partners"),
    "communities": gettext_lazy("groups"),
    "density": gettext_lazy("density"),
    "degree": gettext_lazy("ties"),
    "cross_sector_share": gettext_lazy("cross-sector share"),
    "trust": gettext_lazy("trust"),
    "value": gettext_lazy("value"),
}


def response_rules(response: ResponseReport) -> list[dict[str, str]]:
    """The rules that apply at ``response``'s rate, strictest first, in plain words.

    Each is ``{"severity", "text"}``: "With fewer than 75% of invited partners answering,
    bridging, brokers and centralization can be far off: do not base decisions on them."
    """
    groups: dict[tuple[str, float], list[str]] = {}
    for warning in response.warnings:
        groups.setdefault((warning.severity, warning.threshold), []).append(
            str(METRIC_NAMES.get(warning.metric, warning.metric))
        )
    rules = []
    order = sorted(groups, key=lambda key: (key[0] != "unreliable", -key[1]))
    for severity, threshold in order:
        values = {
            "share": f"{round(threshold * 100)}%",
            "metrics": _join(groups[(severity, threshold)]),
        }
        if severity == "unreliable":
            text = _(
                "With fewer than %(share)s of invited partners answering, %(metrics)s can be "
                "far off: do not base decisions on them."
            )
        else:
            text = _(
                "With fewer than %(share)s of invited partners answering, read %(metrics)s "
                "with caution."
            )
        rules.append({"severity": severity, "text": text % values})
    return rules


RESPONSE_REASON = gettext_lazy(
    "Why: the ties that only a partner who did not answer would have named are missing. "
    "Missing ties hide bridges and shortcuts, so bridging, reach and centralization shift "
    "the most; counts of ties and density shift less."
)
