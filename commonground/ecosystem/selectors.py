"""Reads of the ecosystem map. Coalition reads assume ``scope(coalition=...)`` is active
(every page and API operation runs in it); ``actor_summaries`` and ``ecosystem_facts``
open the scope themselves so other capabilities can call them from anywhere.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django_scopes import scope

from commonground import framework
from commonground.coalitions.freshness import once_per_request
from commonground.coalitions.models import Coalition
from commonground.ecosystem.domain import eigenvector as eigen
from commonground.ecosystem.domain import model as domain
from commonground.ecosystem.domain.families import FAMILIES, family_of
from commonground.ecosystem.domain.fingerprint import fingerprint
from commonground.ecosystem.domain.missing import MissingReport, missing_sectors
from commonground.ecosystem.domain.network import ActorMetrics, NetworkReport, analyze
from commonground.ecosystem.domain.ratings import TRUST_DIMENSIONS
from commonground.ecosystem.domain.readings import ActorReading, read_actors
from commonground.ecosystem.domain.sectors import SECTORS_BY_ID
from commonground.ecosystem.domain.snapshots import (
    SnapshotComparison,
    compare_snapshots,
    network_from_data,
)
from commonground.ecosystem.domain.summaries import ActorSummary, EcosystemFacts, summarize_actors
from commonground.ecosystem.models import (
    RATING_FIELDS,
    Actor,
    NetworkSurvey,
    Snapshot,
    SurveyInvitation,
    SurveyResponse,
    Tie,
)
from commonground.ecosystem.readings import actor_sentences

__all__ = [
    "ActorSummary",
    "Analysis",
    "EcosystemFacts",
    "Filters",
    "MapData",
    "actor_summaries",
    "analyze_coalition",
    "build_network",
    "ecosystem_facts",
    "map_data",
]


@dataclass(frozen=True, slots=True)
class Filters:
    """A subnetwork chosen by an analyst; empty means no filter."""

    sectors: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    tie_types: frozenset[str] = frozenset()

    @property
    def is_active(self) -> bool:
        return bool(self.sectors or self.roles or self.tie_types)


@dataclass(frozen=True, slots=True)
class Analysis:
    """The live network of a coalition (possibly filtered) and its report."""

    network: domain.Network
    report: NetworkReport
    actors: dict[int, Actor]
    metrics: dict[int, ActorMetrics] = field(default_factory=dict)
    survey: NetworkSurvey | None = None


# ---------------------------------------------------------------- rows


def list_actors(
    *, coalition: Coalition, sector: str = "", query: str = "", kind: str = ""
) -> QuerySet[Actor]:
    queryset = Actor.objects.filter(coalition=coalition)
    if sector:
        queryset = queryset.filter(sector_id=sector)
    if kind:
        queryset = queryset.filter(kind=kind)
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(notes__icontains=query))
    return queryset.annotate(
        tie_count=Count(
            "ties_out", filter=Q(ties_out__to_actor__archived_at__isnull=True), distinct=True
        )
        + Count("ties_in", filter=Q(ties_in__from_actor__archived_at__isnull=True), distinct=True)
    ).order_by("name", "id")


def get_actor(*, coalition: Coalition, actor_id: int) -> Actor:
    """Return one actor of ``coalition`` or raise ``Actor.DoesNotExist``."""
    return Actor.objects.get(coalition=coalition, pk=actor_id)


def list_archived_actors(*, coalition: Coalition) -> QuerySet[Actor]:
    """Archived actors (``Actor.all_objects``), latest first, with the ties they keep."""
    return (
        Actor.all_objects.filter(coalition=coalition, archived_at__isnull=False)
        .select_related("archived_by")
        .annotate(
            kept_ties=Count("ties_out", distinct=True) + Count("ties_in", distinct=True),
            answers=Count("survey_responses", distinct=True),
        )
        .order_by("-archived_at", "name")
    )


def get_actor_even_archived(*, coalition: Coalition, actor_id: int) -> Actor:
    """One actor of ``coalition``, archived or not, or ``Actor.DoesNotExist``."""
    return Actor.all_objects.get(coalition=coalition, pk=actor_id)


def list_ties(*, coalition: Coalition) -> QuerySet[Tie]:
    return Tie.objects.filter(coalition=coalition).select_related(
        "from_actor", "to_actor", "reported_by"
    )


def get_tie(*, coalition: Coalition, tie_id: int) -> Tie:
    return list_ties(coalition=coalition).get(pk=tie_id)


def list_surveys(*, coalition: Coalition) -> QuerySet[NetworkSurvey]:
    return NetworkSurvey.objects.filter(coalition=coalition).annotate(
        invited_count=Count("invitations", distinct=True),
        responded_count=Count(
            "invitations", filter=Q(invitations__responded_at__isnull=False), distinct=True
        ),
    )


def get_survey(*, coalition: Coalition, survey_id: int) -> NetworkSurvey:
    return list_surveys(coalition=coalition).get(pk=survey_id)


def latest_survey(*, coalition: Coalition) -> NetworkSurvey | None:
    """The most recent survey round that invited anyone: its response rate is the map's."""
    return (
        list_surveys(coalition=coalition)
        .filter(pk__in=SurveyInvitation.objects.filter(coalition=coalition).values("survey_id"))
        .order_by("-created_at", "-id")
        .first()
    )


def list_invitations(*, survey: NetworkSurvey) -> QuerySet[SurveyInvitation]:
    return SurveyInvitation.objects.filter(
        coalition_id=survey.coalition_id, survey=survey
    ).select_related("actor")


def list_responses(*, coalition: Coalition, actor: Actor | None = None) -> QuerySet[SurveyResponse]:
    queryset = SurveyResponse.objects.filter(coalition=coalition).select_related("survey", "actor")
    if actor is not None:
        queryset = queryset.filter(actor=actor)
    return queryset


def list_snapshots(*, coalition: Coalition) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(coalition=coalition)


def get_snapshot(*, coalition: Coalition, snapshot_id: int) -> Snapshot:
    return Snapshot.objects.get(coalition=coalition, pk=snapshot_id)


# ---------------------------------------------------------------- network


def domain_actor(actor: Actor) -> domain.Actor:
    return _domain_actor(
        actor.pk,
        actor.sector_id,
        actor.role_ids,
        actor.is_coalition_member,
        actor.population_ids,
        actor.name,
    )


def _domain_actor(
    pk: int,
    sector_id: str,
    role_ids: list[str],
    is_coalition_member: bool,
    population_ids: list[str],
    name: str,
) -> domain.Actor:
    roles = set(role_ids)
    if is_coalition_member:
        roles.add(domain.COALITION_MEMBER_ROLE)
    return domain.Actor(
        id=str(pk),
        sector=sector_id or None,
        roles=frozenset(roles),
        populations_served=frozenset(population_ids),
        name=name,
    )


def _domain_actors(coalition: Coalition) -> list[domain.Actor]:
    """``domain_actor`` of every actor, by name, read as plain rows."""
    return [
        _domain_actor(*row)
        for row in Actor.objects.filter(coalition=coalition)
        .order_by("name", "id")
        .values_list("pk", "sector_id", "role_ids", "is_coalition_member", "population_ids", "name")
    ]


Participation = tuple[frozenset[str] | None, frozenset[str] | None]  # invited, respondents


def _participation(survey: NetworkSurvey | None) -> Participation:
    if survey is None:
        return None, None
    return _invited_and_respondents(
        list_invitations(survey=survey).values_list("actor_id", "responded_at")
    )


def _latest_participation(coalition: Coalition) -> Participation:
    """``_participation(latest_survey(...))`` in one query (``None``s without a survey)."""
    latest = (
        NetworkSurvey.objects.filter(
            coalition=coalition,
            pk__in=SurveyInvitation.objects.filter(coalition=coalition).values("survey_id"),
        )
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    rows = list(
        SurveyInvitation.objects.filter(coalition=coalition, survey_id=Subquery(latest))
        .order_by()
        .values_list("actor_id", "responded_at")
    )
    # The latest survey is one that invited someone, so no rows means no survey.
    return _invited_and_respondents(rows) if rows else (None, None)


def _invited_and_respondents(rows: Iterable[tuple[int, Any]]) -> Participation:
    rows = list(rows)
    invited = frozenset(str(actor_id) for actor_id, _ in rows)
    respondents = frozenset(str(actor_id) for actor_id, at in rows if at is not None)
    return invited, respondents


_TIE_COLUMNS = ("from_actor_id", "to_actor_id", "type_ids", "intensity", "reported_by_id")


def _domain_ties(coalition: Coalition) -> list[domain.Tie]:
    """Every tie of ``coalition`` as the core's :class:`Tie`, in the order entered.

    Read as plain rows, not model instances: a map has hundreds of ties. A tie carries
    its ratings only when it has a reporter (administrative ties carry none).
    """
    ties = []
    for source, target, types, intensity, reporter, *ratings in (
        Tie.objects.filter(coalition=coalition)
        .order_by("id")
        .values_list(*_TIE_COLUMNS, *RATING_FIELDS)
    ):
        ties.append(
            domain.Tie(
                source=str(source),
                target=str(target),
                types=frozenset(types),
                intensity=intensity,
                ratings={
                    name: value
                    for name, value in zip(RATING_FIELDS, ratings, strict=True)
                    if value is not None
                }
                if reporter is not None
                else {},
                reported_by=None if reporter is None else str(reporter),
            )
        )
    return ties


def build_network(*, coalition: Coalition, filters: Filters | None = None) -> domain.Network:
    """Return the live network of ``coalition`` as the pure core's :class:`Network`.

    Actor ids are the database ids as strings. Ratings count only on ties with a
    reporter at one end (the survey's ties). Invited and respondents come from the
    latest survey round.
    """
    return _to_network(
        _domain_actors(coalition),
        _domain_ties(coalition),
        _latest_participation(coalition),
        filters,
    )


def _to_network(
    actors: Sequence[domain.Actor],
    ties: Sequence[domain.Tie],
    participation: Participation,
    filters: Filters | None,
) -> domain.Network:
    invited, respondents = participation
    valid = {a.id for a in actors}
    network = domain.Network(
        actors=tuple(actors),
        ties=tuple(t for t in ties if t.source in valid and t.target in valid),
        invited=None if invited is None else invited & valid,
        respondents=None if respondents is None else respondents & valid,
    )
    if filters is not None and filters.is_active:
        network = domain.subnetwork(
            network,
            sectors=filters.sectors or None,
            roles=filters.roles or None,
            tie_types=filters.tie_types or None,
        )
    return network


# ---------------------------------------------------------------- analyses, cached
#
# An analysis is computed once per content of the network it reads, and kept in
# Django's cache (the "default" alias: per process with the default local-memory
# cache, shared when a shared cache is configured). The key is the network's
# fingerprint (a hash of every actor, tie, invitation and answer it reads, after
# filters), the options and ANALYSIS_VERSION, so an edit can never be served a
# stale analysis: any change gives a new key. Concurrent requests for the same key
# in one process wait for one computation (_single_flight); igraph itself runs under
# the domain's GRAPH_LOCK.

#: Bump when the analysis code changes what it returns (keys of older versions are ignored).
ANALYSIS_VERSION = 1
#: Seconds an analysis stays cached; a new network content gets a new key anyway.
ANALYSIS_TIMEOUT = 24 * 60 * 60

T = TypeVar("T")
_flights_guard = threading.Lock()
_flights: dict[str, threading.Lock] = {}


@contextmanager
def _single_flight(key: str) -> Iterator[None]:
    with _flights_guard:
        lock = _flights.setdefault(key, threading.Lock())
    try:
        with lock:
            yield
    finally:
        with _flights_guard:
            _flights.pop(key, None)


def cache_key(key: str) -> str:
    """The cache key of an analysis named ``key`` (kind and fingerprints)."""
    return f"cg:ecosystem:v{ANALYSIS_VERSION}:{key}"


def _cached(key: str, compute: Callable[[], T]) -> T:
    """Return the value cached under ``key``, computing it at most once at a time."""
    full_key = cache_key(key)
    value: T | None = cache.get(full_key)
    if value is not None:
        return value
    with _single_flight(full_key):
        value = cache.get(full_key)
        if value is None:
            value = compute()
            cache.set(full_key, value, ANALYSIS_TIMEOUT)
    return value


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """The eigenvector solver's settings (see :mod:`commonground.ecosystem.domain.eigenvector`)."""

    dense_max: int
    max_iter: int


def analysis_options() -> AnalysisOptions:
    """``COMMONGROUND_EIGENVECTOR_DENSE_MAX`` and ``COMMONGROUND_EIGENVECTOR_MAX_ITER``."""
    return AnalysisOptions(
        dense_max=int(getattr(settings, "COMMONGROUND_EIGENVECTOR_DENSE_MAX", eigen.DENSE_MAX)),
        max_iter=int(getattr(settings, "COMMONGROUND_EIGENVECTOR_MAX_ITER", eigen.MAX_ITER)),
    )


def _analysis_key(network: domain.Network, directed: bool, options: AnalysisOptions) -> str:
    return f"analysis:{fingerprint(network)}:{int(directed)}:{options.dense_max}:{options.max_iter}"


def analysis_cache_key(network: domain.Network, *, directed: bool = True) -> str:
    """The cache key under which :func:`network_report` keeps ``network``'s analysis."""
    return cache_key(_analysis_key(network, directed, analysis_options()))


def network_report(network: domain.Network, *, directed: bool = True) -> NetworkReport:
    """``analyze(network)``, computed once per network content and kept in the cache."""
    options = analysis_options()
    return _cached(
        _analysis_key(network, directed, options),
        lambda: analyze(
            network,
            directed=directed,
            eigenvector_dense_max=options.dense_max,
            eigenvector_max_iter=options.max_iter,
        ),
    )


def analyze_coalition(*, coalition: Coalition, filters: Filters | None = None) -> Analysis:
    """Build the (filtered) network of ``coalition`` and analyze it (directed ties).

    In a read-only request the whole result is kept per version of the coalition's data
    (``coalitions.freshness``); otherwise the rows are read on every call and the analysis
    comes from the cache when the network's content has not changed (see above).
    """
    chosen, options = filters or Filters(), analysis_options()
    key = "analysis:{}:{}:{}".format(
        options.dense_max,
        options.max_iter,
        "|".join(
            ",".join(sorted(part)) for part in (chosen.sectors, chosen.roles, chosen.tie_types)
        ),
    )
    return once_per_request(
        coalition, key, lambda: _analyze(coalition, filters), apps=("ecosystem",)
    )


def _analyze(coalition: Coalition, filters: Filters | None) -> Analysis:
    actors = list(Actor.objects.filter(coalition=coalition).order_by("name", "id"))
    survey = latest_survey(coalition=coalition)
    network = _to_network(
        [domain_actor(a) for a in actors], _domain_ties(coalition), _participation(survey), filters
    )
    report = network_report(network, directed=True)
    by_id = {a.pk: a for a in actors}
    kept = {int(a.id) for a in network.actors}
    return Analysis(
        network=network,
        report=report,
        actors={pk: actor for pk, actor in by_id.items() if pk in kept},
        metrics={int(m.id): m for m in report.actors},
        survey=survey,
    )


def missing_report(*, coalition: Coalition, network: domain.Network | None = None) -> MissingReport:
    return _missing(network or build_network(coalition=coalition))


def _missing(network: domain.Network) -> MissingReport:
    """``missing_sectors(network)``, cached by the network's content."""
    return _cached(f"missing:{fingerprint(network)}", lambda: missing_sectors(network))


def snapshot_network(snapshot: Snapshot) -> domain.Network:
    return network_from_data(snapshot.data)


def compare(*, before: Snapshot, after: Snapshot) -> SnapshotComparison:
    """Compare two snapshots; each snapshot's analysis and the comparison are cached."""
    old, new = snapshot_network(before), snapshot_network(after)
    old_report, new_report = network_report(old), network_report(new)
    return _cached(
        f"compare:{fingerprint(old)}:{fingerprint(new)}",
        lambda: compare_snapshots(
            old, new, directed=True, before_report=old_report, after_report=new_report
        ),
    )


# ---------------------------------------------------------------- the map's data
#
# What the interactive map draws: one node per actor (its family's colour and shape, its
# scores and the sentences that read them), one link per directed pair, the families
# and groups present. Built from the cached analysis and kept in the same cache: the key
# holds the network's fingerprint, the reader's language and whatever the node shows
# that the fingerprint does not cover (the coalition's address and the actors' kinds).


@dataclass(frozen=True, slots=True)
class MapData:
    """The analysis, each actor's reading, and the JSON the map script draws."""

    analysis: Analysis
    readings: dict[int, ActorReading]
    graph: dict[str, Any]


def actor_readings(analysis: Analysis) -> dict[int, ActorReading]:
    """:func:`~commonground.ecosystem.domain.readings.read_actors`, cached with the analysis."""
    found = _cached(
        f"readings:{fingerprint(analysis.network)}",
        lambda: read_actors(analysis.network, analysis.report),
    )
    return {int(actor_id): reading for actor_id, reading in found.items()}


def _sector_label(sector_id: str | None, language: str) -> str:
    if sector_id and sector_id in SECTORS_BY_ID:
        return SECTORS_BY_ID[sector_id].name.get(language)
    return gettext("Unknown sector")


def map_data(*, coalition: Coalition, filters: Filters | None = None) -> MapData:
    """The (filtered) network of ``coalition`` as the map draws it, in the active language."""
    analysis = analyze_coalition(coalition=coalition, filters=filters)
    readings = actor_readings(analysis)
    language = get_language() or "en"
    kinds = hashlib.sha256(
        repr(sorted((pk, a.kind) for pk, a in analysis.actors.items())).encode()
    ).hexdigest()[:16]
    key = f"map:{fingerprint(analysis.network)}:{language}:{coalition.pk}:{coalition.slug}:{kinds}"
    graph = _cached(key, lambda: _map_graph(coalition, analysis, readings, language))
    return MapData(analysis=analysis, readings=readings, graph=graph)


def _map_graph(
    coalition: Coalition,
    analysis: Analysis,
    readings: dict[int, ActorReading],
    language: str,
) -> dict[str, Any]:
    report = analysis.report
    base = reverse("ecosystem:actor_detail", args=[coalition.slug, 0])[: -len("0/")]
    role_names = {r.id: r.name.get(language) for r in framework.ROLES}
    community_of = {
        actor_id: index + 1
        for index, members in enumerate(report.communities)
        for actor_id in members
    }
    nodes = []
    family_counts: dict[str, int] = {}
    for pk, actor in analysis.actors.items():
        m = analysis.metrics.get(pk)
        family = family_of(actor.sector_id)
        family_counts[family.id] = family_counts.get(family.id, 0) + 1
        reading = readings.get(pk)
        sentences = (
            actor_sentences(
                name=actor.name,
                reading=reading,
                metrics=m,
                report=report,
                sector_name=lambda s: _sector_label(s, language),
            )
            if reading is not None and m is not None
            else {}
        )
        nodes.append(
            {
                "id": str(pk),
                "name": actor.name,
                "sector": _sector_label(actor.sector_id, language),
                "family": family.id,
                "color": family.color,
                "symbol": family.symbol,
                "kind": actor.get_kind_display(),
                "member": actor.is_coalition_member,
                "roles": [role_names.get(r, r) for r in actor.role_ids],
                "degree": m.degree if m else 0,
                "in_degree": m.in_degree if m else 0,
                "betweenness": round(m.betweenness, 4) if m else 0.0,
                "closeness": round(m.closeness, 4) if m else 0.0,
                "eigenvector": None
                if m is None or m.eigenvector is None
                else round(m.eigenvector, 4),
                "trust": None if m is None or m.trust is None else round(m.trust, 2),
                "community": community_of.get(str(pk), 0),
                "rank": reading.betweenness_rank if reading else len(analysis.actors),
                "partners": reading.partner_count if reading else 0,
                "readings": [
                    sentences[key]
                    for key in ("bridge", "betweenness", "partners", "trust")
                    if key in sentences
                ],
                "url": f"{base}{pk}/",
            }
        )
    trust_by_pair: dict[tuple[str, str], list[float]] = {}
    for tie in analysis.network.ties:
        trust = [tie.ratings[d] for d in TRUST_DIMENSIONS if d in tie.ratings]
        if trust:
            trust_by_pair.setdefault((tie.source, tie.target), []).append(sum(trust) / len(trust))
    pairs = {(t.source, t.target) for t in analysis.network.ties}
    links: dict[tuple[str, str], dict[str, Any]] = {}
    for tie in analysis.network.ties:
        if tie.source == tie.target:
            continue
        key = (tie.source, tie.target)
        link = links.setdefault(
            key,
            {
                "source": tie.source,
                "target": tie.target,
                "intensity": 0,
                "trust": None,
                "mutual": (tie.target, tie.source) in pairs,
            },
        )
        link["intensity"] = max(link["intensity"], tie.intensity or 1)
        if key in trust_by_pair:
            values = trust_by_pair[key]
            link["trust"] = round(sum(values) / len(values), 2)
    families = [
        {
            "id": f.id,
            "name": f.name.get(language),
            "color": f.color,
            "symbol": f.symbol,
            "count": family_counts[f.id],
        }
        for f in FAMILIES
        if f.id in family_counts
    ]
    return {
        "nodes": nodes,
        "links": list(links.values()),
        "families": families,
        "communityCount": len(report.communities),
    }


def power_positions(*, coalition: Coalition, actor_ids: Sequence[int]) -> dict[str, Any]:
    """The stored power-map place and version of some actors: ``{id: {...}}``."""
    return {
        str(pk): {"influence": influence, "alignment": alignment, "version": version}
        for pk, influence, alignment, version in Actor.objects.filter(
            coalition=coalition, pk__in=actor_ids
        ).values_list("pk", "influence", "alignment", "version")
    }


# ---------------------------------------------------------------- for other capabilities


def actor_summaries(*, coalition: Coalition) -> list[ActorSummary]:
    """Every actor of ``coalition`` with its sector, roles, tie to the core and trust received.

    See :mod:`commonground.ecosystem.domain.summaries` for the 0-3 intensity scale.
    Opens the coalition's scope itself; ordered by name.
    """
    with scope(coalition=coalition):
        network = build_network(coalition=coalition)
    ids = {a.id: int(a.id) for a in network.actors}
    return summarize_actors(network, ids)


def ecosystem_facts(*, coalition: Coalition) -> EcosystemFacts:
    """Headline facts of ``coalition``'s ecosystem map (opens the scope itself).

    Computed once per read-only request (the coalition home and the roadmap ask for
    them from more than one app) and kept per version of the ecosystem's data
    (:mod:`commonground.coalitions.freshness`).
    """
    return once_per_request(
        coalition, "ecosystem_facts", lambda: _ecosystem_facts(coalition), apps=("ecosystem",)
    )


def _ecosystem_facts(coalition: Coalition) -> EcosystemFacts:
    with scope(coalition=coalition):
        network = build_network(coalition=coalition)
        snapshot_count = list_snapshots(coalition=coalition).count()
    report = _missing(network)
    pairs = {(t.source, t.target) for t in network.ties if t.source != t.target}
    response_rate = None
    if network.invited:
        respondents = network.respondents or frozenset()
        response_rate = len(respondents & network.invited) / len(network.invited)
    missing = {*report.absent, *report.unconnected}
    return EcosystemFacts(
        actor_count=len(network.actors),
        tie_count=len(pairs),
        sector_ids_present=frozenset(a.sector for a in network.actors if a.sector),
        missing_sector_ids=tuple(p.id for p in report.sectors if p.id in missing),
        response_rate=response_rate,
        snapshot_count=snapshot_count,
    )


def reciprocated_pairs(ties: Collection[Tie]) -> set[tuple[int, int]]:
    """The directed pairs (from, to) whose reverse tie also exists among ``ties``."""
    pairs = {(t.from_actor_id, t.to_actor_id) for t in ties}
    return {(a, b) for a, b in pairs if (b, a) in pairs}


def ties_of(*, coalition: Coalition, actor: Actor) -> list[Tie]:
    return list(
        list_ties(coalition=coalition)
        .filter(Q(from_actor=actor) | Q(to_actor=actor))
        .order_by("id")
    )


def tie_rows(ties: Sequence[Tie]) -> list[dict[str, Any]]:
    """Ties with ``is_reciprocated`` computed, for tables and exports."""
    mutual = reciprocated_pairs(ties)
    return [{"tie": t, "is_reciprocated": (t.from_actor_id, t.to_actor_id) in mutual} for t in ties]


def survey_partner_choices(*, invitation: SurveyInvitation) -> list[tuple[int, str, str]]:
    """The actors a survey respondent may name: (id, name, sector id), respondent left out.

    The public survey page runs outside any coalition view, so this opens the scope of the
    invitation's own coalition and reads nothing else.
    """
    with scope(coalition=invitation.coalition):
        return list(
            Actor.objects.filter(coalition_id=invitation.coalition_id)
            .exclude(pk=invitation.actor_id)
            .order_by("sector_id", "name")
            .values_list("id", "name", "sector_id")
        )
