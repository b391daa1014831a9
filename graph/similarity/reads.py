"""Reading similar pairs back: filtered lists, clusters on demand, one project's similar ones.

Every list is bounded (default 20, at most 100). Retired projects never appear. Dismissed
pairs are hidden unless asked for by status.

Clusters are grouped from at most ``MAX_CLUSTER_PAIRS`` pairs (ids only, read from the system
or organisation asked for), kept per filter until the pairs, reviews or syncs change
(``cluster_cache``), and handed out a page at a time (``cluster_page``, keyset cursors on
top score and id); a page's projects are described (title, organisations, systems) when it
is first shown.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.common import Cursor
from graph.similarity import cluster_cache
from graph.similarity.reviews import VISIBLE_BY_DEFAULT, ReviewStatus
from graph.similarity.scoring import (
    COLLABORATION,
    DEFAULT_THRESHOLD,
    DUPLICATE,
    SAME_PROJECT,
    explanation,
)

DEFAULT_PAGE = 20
MAX_PAGE = 100
MAX_CLUSTER_PAIRS = 5000  # pairs read to build clusters; the strongest first
MAX_CLUSTER_PROJECTS = 50  # a group larger than this is no longer one piece of duplicated work


def page(first: int | None) -> int:
    """A page size within bounds: default 20, at least 1, at most 100."""
    if first is None:
        return DEFAULT_PAGE
    return max(1, min(MAX_PAGE, first))


@dataclass(frozen=True)
class ProjectSummary:
    id: str
    title: str
    organisations: tuple[str, ...]
    systems: tuple[str, ...]


@dataclass(frozen=True)
class SimilarPair:
    a: ProjectSummary
    b: ProjectSummary
    score: float
    kind: str
    reasons: tuple[str, ...]
    status: ReviewStatus
    note: str | None
    reviewer: str | None
    reviewed_at: datetime | None

    @cached_property
    def explanation(self) -> str:
        """The reasons as one sentence (stored once, as the list; made once per pair kept in
        the clusters' cache, not once per request that shows it)."""
        return explanation(self.reasons)

    @property
    def pair(self) -> str:
        return f"{self.a.id}|{self.b.id}"

    def other(self, project_id: str) -> ProjectSummary:
        return self.b if self.a.id == project_id else self.a


@dataclass(frozen=True)
class Cluster:
    """Projects connected through pairs above the threshold, with those pairs."""

    projects: tuple[ProjectSummary, ...]
    pairs: tuple[SimilarPair, ...]  # the strongest, at most MAX_PAGE
    pair_count: int = 0  # all its pairs (0: as many as ``pairs``)

    @property
    def id(self) -> str:
        return self.projects[0].id

    @cached_property
    def top_score(self) -> float:
        """Made once per cluster kept in the clusters' cache: pages order, cursor and show by
        it on every request."""
        return max(p.score for p in self.pairs)

    def projects_of_pairs(self, first: int) -> tuple[ProjectSummary, ...]:
        """The projects its ``first`` strongest listed pairs name, each once, by id: a page of
        clusters lists them once rather than once per pair."""
        named = {side.id: side for pair in self.pairs[:first] for side in (pair.a, pair.b)}
        return tuple(named[i] for i in sorted(named))


_SUMMARY: LiteralString = """{
    id: {x}.id, title: {x}.title,
    organisations: COLLECT { MATCH ({x})-[r:RUN_BY]->(o:Organisation)
                             WHERE r.retiredAt IS NULL RETURN DISTINCT o.name },
    systems: COLLECT { MATCH ({x})-[r:RUN_BY]->(:Organisation)-[q:PART_OF]->(y:System)
                       WHERE r.retiredAt IS NULL AND q.retiredAt IS NULL
                       RETURN DISTINCT y.name }
}"""

_RETURN_PAIR: LiteralString = (
    """
OPTIONAL MATCH (rv:DuplicateReview {pair: s.pair})
WITH a, b, s, rv, coalesce(rv.status, 'unreviewed') AS status
WHERE status IN $statuses
RETURN """
    + _SUMMARY.replace("{x}", "a")
    + " AS a, "
    + _SUMMARY.replace("{x}", "b")
    + """ AS b,
       s.score AS score, s.kind AS kind, s.reasons AS reasons,
       status, rv.note AS note, rv.reviewer AS reviewer, rv.reviewedAt AS reviewedAt
ORDER BY score DESC, s.pair
LIMIT $limit
"""
)

_PAIRS: LiteralString = (
    """
MATCH (a:Project)-[s:SIMILAR_TO]->(b:Project)
WHERE s.score >= $minScore AND s.kind IN $kinds
  AND a.retiredAt IS NULL AND b.retiredAt IS NULL
  AND ($system IS NULL OR EXISTS {
        MATCH (x:Project)-[r:RUN_BY]->(:Organisation)-[q:PART_OF]->(:System {id: $system})
        WHERE x IN [a, b] AND r.retiredAt IS NULL AND q.retiredAt IS NULL })
  AND ($organisation IS NULL OR EXISTS {
        MATCH (x:Project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(:Organisation {id: $organisation})
        WHERE x IN [a, b] AND r.retiredAt IS NULL })
"""
    + _RETURN_PAIR
)

_OF_PROJECT: LiteralString = (
    """
MATCH (p:Project {id: $id})-[s:SIMILAR_TO]-(other:Project)
WHERE p.retiredAt IS NULL AND other.retiredAt IS NULL
  AND s.score >= $minScore AND s.kind IN $kinds
MATCH (a:Project)-[s]->(b:Project)
"""
    + _RETURN_PAIR
)

_PAIR: LiteralString = (
    """
MATCH (a:Project)-[s:SIMILAR_TO {pair: $pair}]->(b:Project)
WHERE a.retiredAt IS NULL AND b.retiredAt IS NULL
"""
    + _RETURN_PAIR
)


# Clusters: the pairs' ids only (titles, organisations and systems are read for the page shown),
# starting from the system or organisation asked for when there is one.
_CLUSTER_PAIRS_EVERYWHERE: LiteralString = """
MATCH (a:Project)-[s:SIMILAR_TO]->(b:Project)
WHERE s.score >= $minScore AND s.kind IN $kinds
  AND a.retiredAt IS NULL AND b.retiredAt IS NULL
"""
_PAIRS_OF_X: LiteralString = """
WITH DISTINCT x
MATCH (x)-[s:SIMILAR_TO]-(:Project)
WHERE s.score >= $minScore AND s.kind IN $kinds
WITH DISTINCT s
MATCH (a:Project)-[s]->(b:Project)
WHERE a.retiredAt IS NULL AND b.retiredAt IS NULL
"""
_CLUSTER_PAIRS_OF_SYSTEM: LiteralString = (
    """
MATCH (:System {id: $system})<-[q:PART_OF]-(:Organisation)<-[r:RUN_BY]-(x:Project)
WHERE q.retiredAt IS NULL AND r.retiredAt IS NULL AND x.retiredAt IS NULL
"""
    + _PAIRS_OF_X
)
_CLUSTER_PAIRS_OF_ORGANISATION: LiteralString = (
    """
MATCH (:Organisation {id: $organisation})<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(x:Project)
WHERE r.retiredAt IS NULL AND x.retiredAt IS NULL
"""
    + _PAIRS_OF_X
)
_AND_ORGANISATION: LiteralString = """
  AND EXISTS { MATCH (x:Project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(:Organisation {id: $organisation})
               WHERE x IN [a, b] AND r.retiredAt IS NULL }
"""
_CLUSTER_PAIRS_RETURN: LiteralString = """
OPTIONAL MATCH (rv:DuplicateReview {pair: s.pair})
WITH a, b, s, rv, coalesce(rv.status, 'unreviewed') AS status
WHERE status IN $statuses
RETURN a.id AS a, b.id AS b, s.score AS score, s.kind AS kind, s.reasons AS reasons,
       status, rv.note AS note, rv.reviewer AS reviewer, rv.reviewedAt AS reviewedAt
ORDER BY score DESC, s.pair
LIMIT $limit
"""

_SUMMARIES: LiteralString = (
    """
UNWIND $ids AS id
MATCH (x:Project {id: id})
RETURN """
    + _SUMMARY.replace("{x}", "x")
    + " AS project"
)


def _cluster_pairs_query(filters: _Filters) -> LiteralString:
    """The statement for these filters: anchored on the system, else the organisation."""
    if filters.system is not None:
        start = _CLUSTER_PAIRS_OF_SYSTEM
        if filters.organisation is not None:
            start += _AND_ORGANISATION
    elif filters.organisation is not None:
        start = _CLUSTER_PAIRS_OF_ORGANISATION
    else:
        start = _CLUSTER_PAIRS_EVERYWHERE
    return start + _CLUSTER_PAIRS_RETURN


def _statuses(statuses: Sequence[ReviewStatus] | None) -> list[str]:
    chosen = statuses if statuses else VISIBLE_BY_DEFAULT
    return [ReviewStatus(s).value for s in chosen]


KINDS = (DUPLICATE, SAME_PROJECT, COLLABORATION)
# One project listed twice is shown where duplicates are: both are work to merge or share.
DEFAULT_KINDS = (DUPLICATE, SAME_PROJECT)


def _kinds(kinds: Sequence[str] | None) -> list[str]:
    chosen = kinds if kinds else DEFAULT_KINDS
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown kind {unknown[0]!r}: use {', '.join(KINDS)}")
    return list(chosen)


async def similar_pairs(
    graph: Graph,
    *,
    system: str | None = None,
    organisation: str | None = None,
    min_score: float | None = None,
    statuses: Sequence[ReviewStatus] | None = None,
    kinds: Sequence[str] | None = None,
    first: int | None = None,
) -> list[SimilarPair]:
    """Pairs with at least one project run in ``system`` / involving ``organisation``."""
    return await _pairs(graph, system, organisation, min_score, statuses, kinds, limit=page(first))


async def _pairs(
    graph: Graph,
    system: str | None,
    organisation: str | None,
    min_score: float | None,
    statuses: Sequence[ReviewStatus] | None,
    kinds: Sequence[str] | None,
    *,
    limit: int,
) -> list[SimilarPair]:
    rows = await graph.read(
        _PAIRS,
        {
            "system": system,
            "organisation": organisation,
            "minScore": DEFAULT_THRESHOLD if min_score is None else min_score,
            "statuses": _statuses(statuses),
            "kinds": _kinds(kinds),
            "limit": limit,
        },
    )
    return [_pair(row) for row in rows]


async def duplicate_clusters(
    graph: Graph,
    *,
    system: str | None = None,
    organisation: str | None = None,
    min_score: float | None = None,
    statuses: Sequence[ReviewStatus] | None = None,
    kinds: Sequence[str] | None = None,
    first: int | None = None,
    cached: bool = True,
) -> list[Cluster]:
    """Connected groups of projects through pairs above ``min_score``, strongest first.

    ``cached=False`` works them out from the graph on this call (and keeps nothing), as a
    program without the clusters' cache would: the API bench's second baseline."""
    found = await cluster_page(
        graph,
        system=system,
        organisation=organisation,
        min_score=min_score,
        statuses=statuses,
        kinds=kinds,
        first=page(first),
        cached=cached,
    )
    return found.clusters


class CursorError(ValueError):
    """A cursor that does not come from a page of clusters."""


@dataclass(frozen=True)
class ClusterPage:
    """Some clusters in order, where each ends (for ``after``), and how many there are."""

    clusters: list[Cluster]
    cursors: list[Cursor]
    has_next: bool
    total: int


def cluster_cursor(cluster: Cluster) -> Cursor:
    """Where a cluster sits in the order: its top score (exactly, as text) and its id."""
    return Cursor(repr(cluster.top_score), cluster.id)


async def cluster_page(
    graph: Graph,
    *,
    system: str | None = None,
    organisation: str | None = None,
    min_score: float | None = None,
    statuses: Sequence[ReviewStatus] | None = None,
    kinds: Sequence[str] | None = None,
    first: int = DEFAULT_PAGE,
    after: Cursor | None = None,
    cached: bool = True,
) -> ClusterPage:
    """``first`` clusters after the cluster ``after`` names (strongest first), and the total.

    The grouping is kept between requests until pairs, reviews or syncs change it
    (``cluster_cache``); a page then costs one small read, plus one for the projects'
    organisations and systems the first time a page is shown. ``cached=False`` reads the
    pairs and groups them on this call.
    """
    filters = _Filters(
        system=system,
        organisation=organisation,
        min_score=DEFAULT_THRESHOLD if min_score is None else float(min_score),
        statuses=tuple(_statuses(statuses)),
        kinds=tuple(_kinds(kinds)),
    )
    if cached:
        grouped = await cluster_cache.cached(graph, filters, lambda: _group(graph, filters))
    else:
        grouped = await _group(graph, filters)
    start = 0
    if after is not None:
        try:
            start = bisect_right(grouped.order, (-float(after.key), after.id))
        except ValueError:
            raise CursorError(
                "`after` is not a cursor of these clusters: pass the `endCursor` of a page."
            ) from None
    stop = min(start + max(1, first), len(grouped.clusters))
    clusters = await grouped.described(graph, range(start, stop))
    return ClusterPage(
        clusters=clusters,
        cursors=[cluster_cursor(c) for c in clusters],
        has_next=stop < len(grouped.clusters),
        total=len(grouped.clusters),
    )


@dataclass(frozen=True)
class _Filters:
    system: str | None
    organisation: str | None
    min_score: float
    statuses: tuple[str, ...]
    kinds: tuple[str, ...]

    def parameters(self, limit: int) -> dict[str, Any]:
        return {
            "system": self.system,
            "organisation": self.organisation,
            "minScore": self.min_score,
            "statuses": list(self.statuses),
            "kinds": list(self.kinds),
            "limit": limit,
        }


@dataclass
class _Grouped:
    """One filter's clusters, with projects known by id only until a page shows them."""

    clusters: list[Cluster]
    order: list[tuple[float, str]]  # (-top score, id) of each cluster, ascending
    described_at: dict[int, Cluster] = field(default_factory=dict)

    async def described(self, graph: Graph, positions: range) -> list[Cluster]:
        """The clusters at these positions with their projects' titles, organisations and
        systems (read once, for the projects not yet described)."""
        missing = [i for i in positions if i not in self.described_at]
        if missing:  # (two requests may both read them; both find the same)
            ids = sorted({p.id for i in missing for p in self.clusters[i].projects})
            rows = await graph.read(_SUMMARIES, {"ids": ids})
            summaries = {row["project"]["id"]: _summary(row["project"]) for row in rows}
            for i in missing:
                self.described_at[i] = _describe(self.clusters[i], summaries)
        return [self.described_at[i] for i in positions]


def _describe(cluster: Cluster, summaries: dict[str, ProjectSummary]) -> Cluster:
    def known(project: ProjectSummary) -> ProjectSummary:
        return summaries.get(project.id, project)

    return Cluster(
        projects=tuple(known(p) for p in cluster.projects),
        pairs=tuple(replace(p, a=known(p.a), b=known(p.b)) for p in cluster.pairs),
        pair_count=cluster.pair_count,
    )


async def _group(graph: Graph, filters: _Filters) -> _Grouped:
    """Read the strongest pairs for these filters (ids only) and group them."""
    query = _cluster_pairs_query(filters)
    rows = await graph.read(query, filters.parameters(MAX_CLUSTER_PAIRS))
    clusters = clusters_of([_bare_pair(row) for row in rows])
    grouped = _Grouped(clusters, [(-c.top_score, c.id) for c in clusters])
    # The first page is what nearly every request asks for: describe it while the others wait.
    await grouped.described(graph, range(min(DEFAULT_PAGE, len(clusters))))
    return grouped


def clusters_of(pairs: Sequence[SimilarPair], most: int = MAX_CLUSTER_PROJECTS) -> list[Cluster]:
    """Group pairs into connected groups, strongest pair first, strongest cluster first.

    Pairs join groups strongest first (union-find), but never into a group of more than
    ``most`` projects: near-identical work chains pair by pair into groups of thousands that
    nobody can act on. A pair that would overflow its group is shown in the group of its first
    project, so its other project may appear in two clusters.
    """
    parent: dict[str, str] = {}
    size: dict[str, int] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    ranked = sorted(pairs, key=lambda p: (-p.score, p.pair))
    for pair in ranked:
        first, second = root(pair.a.id), root(pair.b.id)
        joined = size.get(first, 1) + size.get(second, 1)
        if first != second and joined <= most:
            low, high = sorted((first, second))
            parent[high] = low
            size[low] = joined
    grouped: dict[str, list[SimilarPair]] = {}
    for pair in ranked:
        grouped.setdefault(root(pair.a.id), []).append(pair)
    clusters = []
    for members in grouped.values():
        projects = {p.a.id: p.a for p in members} | {p.b.id: p.b for p in members}
        clusters.append(
            Cluster(
                tuple(projects[k] for k in sorted(projects)),
                tuple(members[:MAX_PAGE]),
                len(members),
            )
        )
    return sorted(clusters, key=lambda c: (-c.top_score, c.id))


async def similar_to(
    graph: Graph,
    project_id: str,
    *,
    first: int | None = None,
    min_score: float | None = None,
    statuses: Sequence[ReviewStatus] | None = None,
) -> list[SimilarPair]:
    """One project's similar projects, of every kind, best first."""
    rows = await graph.read(
        _OF_PROJECT,
        {
            "id": project_id,
            "minScore": DEFAULT_THRESHOLD if min_score is None else min_score,
            "statuses": _statuses(statuses),
            "kinds": list(KINDS),
            "limit": page(first),
        },
    )
    return [_pair(row) for row in rows]


async def get_pair(graph: Graph, a: str, b: str) -> SimilarPair | None:
    """The stored pair (a, b), in either order, whatever its review status."""
    first, second = sorted((a, b))
    rows = await graph.read(
        _PAIR,
        {"pair": f"{first}|{second}", "statuses": [s.value for s in ReviewStatus], "limit": 1},
    )
    return _pair(rows[0]) if rows else None


def _summary(row: dict[str, Any]) -> ProjectSummary:
    return ProjectSummary(
        id=row["id"],
        title=row["title"] or "",
        organisations=tuple(sorted(row["organisations"])),
        systems=tuple(sorted(row["systems"])),
    )


def _bare_pair(row: dict[str, Any]) -> SimilarPair:
    """A pair whose projects are known by id only (``_Grouped.described`` adds the rest)."""
    return _pair_of(row, ProjectSummary(row["a"], "", (), ()), ProjectSummary(row["b"], "", (), ()))


def _pair(row: dict[str, Any]) -> SimilarPair:
    return _pair_of(row, _summary(row["a"]), _summary(row["b"]))


def _pair_of(row: dict[str, Any], a: ProjectSummary, b: ProjectSummary) -> SimilarPair:
    when = row.get("reviewedAt")
    return SimilarPair(
        a=a,
        b=b,
        score=float(row["score"]),
        kind=row["kind"],
        reasons=tuple(row["reasons"] or ()),
        status=ReviewStatus(row["status"]),
        note=row.get("note"),
        reviewer=row.get("reviewer"),
        reviewed_at=when.to_native() if hasattr(when, "to_native") else when,
    )
