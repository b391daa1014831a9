"""Reading similar pairs back: filtered lists, clusters on demand, one project's similar ones.

Every list is bounded (default 20, at most 100). Retired projects never appear. Dismissed
pairs are hidden unless asked for by status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from graph.database import Graph
from graph.similarity.reviews import VISIBLE_BY_DEFAULT, ReviewStatus
from graph.similarity.scoring import COLLABORATION, DEFAULT_THRESHOLD, DUPLICATE, explanation

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

    @property
    def explanation(self) -> str:
        """The reasons as one sentence (stored once, as the list)."""
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
    pairs: tuple[SimilarPair, ...]

    @property
    def id(self) -> str:
        return self.projects[0].id

    @property
    def top_score(self) -> float:
        return max(p.score for p in self.pairs)


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


def _statuses(statuses: Sequence[ReviewStatus] | None) -> list[str]:
    chosen = statuses if statuses else VISIBLE_BY_DEFAULT
    return [ReviewStatus(s).value for s in chosen]


def _kinds(kinds: Sequence[str] | None) -> list[str]:
    chosen = kinds if kinds else (DUPLICATE,)
    unknown = [k for k in chosen if k not in (DUPLICATE, COLLABORATION)]
    if unknown:
        raise ValueError(f"unknown kind {unknown[0]!r}: use duplicate or collaboration")
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
) -> list[Cluster]:
    """Connected groups of projects through pairs above ``min_score``, strongest first."""
    pairs = await _pairs(
        graph, system, organisation, min_score, statuses, kinds, limit=MAX_CLUSTER_PAIRS
    )
    return clusters_of(pairs)[: page(first)]


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
            Cluster(tuple(projects[k] for k in sorted(projects)), tuple(members[:MAX_PAGE]))
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
    """One project's similar projects, duplicates and collaborations alike, best first."""
    rows = await graph.read(
        _OF_PROJECT,
        {
            "id": project_id,
            "minScore": DEFAULT_THRESHOLD if min_score is None else min_score,
            "statuses": _statuses(statuses),
            "kinds": [DUPLICATE, COLLABORATION],
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


def _pair(row: dict[str, Any]) -> SimilarPair:
    when = row.get("reviewedAt")
    return SimilarPair(
        a=_summary(row["a"]),
        b=_summary(row["b"]),
        score=float(row["score"]),
        kind=row["kind"],
        reasons=tuple(row["reasons"] or ()),
        status=ReviewStatus(row["status"]),
        note=row.get("note"),
        reviewer=row.get("reviewer"),
        reviewed_at=when.to_native() if hasattr(when, "to_native") else when,
    )
