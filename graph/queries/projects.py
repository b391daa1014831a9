"""Projects: by id, filtered pages, and what hangs off a project (organisations, people...)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries import lucene
from graph.queries.common import (
    AFTER_CURSOR,
    ORGANISATION,
    PERSON,
    PROJECT,
    RESOURCE,
    TOPIC,
    VISIBLE_PERSON,
    Cursor,
    Page,
    aligned,
    by_key,
    fetch,
    page_parameters,
    to_page,
)
from graph.queries.topics import TOPIC_IS_ROOT, topic_parameters


@dataclass(frozen=True)
class ProjectFilter:
    """Every field narrows the list; None means 'any'. ``topic`` is an id or a label."""

    topic: str | None = None
    organisation: str | None = None
    system: str | None = None
    status: str | None = None
    method: str | None = None
    mode: str | None = None
    text: str | None = None

    def parameters(self) -> dict[str, Any]:
        return {
            **topic_parameters(self.topic),
            "organisation": self.organisation,
            "system": self.system,
            "status": self.status,
            "method": self.method.strip().lower() if self.method else None,
            "mode": self.mode,
            "lucene": lucene.query_for(self.text) if self.text else None,
        }


_ALL: LiteralString = "MATCH (project:Project) "
_MATCHING_TEXT: LiteralString = (
    "CALL db.index.fulltext.queryNodes('project_text', $lucene) YIELD node AS project "
)
_FILTER: LiteralString = (
    """
    WHERE project.retiredAt IS NULL
      AND ($status IS NULL OR project.status = $status)
      AND ($mode IS NULL OR project.mode = $mode)
      AND ($method IS NULL OR any(m IN coalesce(project.methods, []) WHERE toLower(m) = $method))
      AND ($topic IS NULL OR EXISTS {
            MATCH path = (project)-[:ABOUT]->(:Topic)-[:BROADER*0..5]->(root:Topic)
            WHERE """
    + TOPIC_IS_ROOT
    + """
              AND all(n IN nodes(path) WHERE n.retiredAt IS NULL)
              AND all(r IN relationships(path) WHERE r.retiredAt IS NULL) })
      AND ($organisation IS NULL OR EXISTS {
            MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation {id: $organisation})
            WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL })
      AND ($system IS NULL OR EXISTS {
            MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)
                  -[s:PART_OF]->(:System {id: $system})
            WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL })
"""
)
_PAGE: LiteralString = (
    _FILTER
    + "WITH project, toLower(coalesce(project.title, '')) AS sortKey, project.id AS id "
    + "WHERE "
    + AFTER_CURSOR
    + " RETURN "
    + PROJECT
    + " AS item, sortKey ORDER BY sortKey, id LIMIT $limit"
)
_COUNT: LiteralString = _FILTER + "RETURN count(DISTINCT project) AS n"


def _unmatchable(where: ProjectFilter) -> bool:
    """A text filter with no words in it matches nothing (and must not reach Lucene)."""
    return where.text is not None and lucene.query_for(where.text) is None


async def project_page(
    graph: Graph, where: ProjectFilter, *, first: int, after: Cursor | None
) -> Page:
    """Projects matching ``where``, by title then id, ``first`` of them after ``after``."""
    if _unmatchable(where):
        return Page([], False, [])
    head = _MATCHING_TEXT if where.text else _ALL
    rows = await fetch(graph, head + _PAGE, {**where.parameters(), **page_parameters(after, first)})
    return to_page(rows, first)


async def project_count(graph: Graph, where: ProjectFilter) -> int:
    if _unmatchable(where):
        return 0
    head = _MATCHING_TEXT if where.text else _ALL
    rows = await fetch(graph, head + _COUNT, where.parameters())
    return rows[0]["n"]


async def projects_by_id(graph: Graph, ids: Sequence[str]) -> list[dict[str, Any] | None]:
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (project:Project {id: key}) WHERE project.retiredAt IS NULL "
        "RETURN key, " + PROJECT + " AS item",
        {"ids": list(ids)},
    )
    return aligned(rows, ids)


async def project_organisations(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    """Each project's organisations as ``{lead, organisation}``, the lead first."""
    rows = await fetch(
        graph,
        "UNWIND $ids AS key "
        "MATCH (:Project {id: key})-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(organisation:Organisation) "
        "WHERE r.retiredAt IS NULL AND organisation.retiredAt IS NULL "
        "WITH key, organisation, max(CASE type(r) WHEN 'RUN_BY' THEN 1 ELSE 0 END) = 1 AS lead "
        "ORDER BY lead DESC, organisation.name, organisation.id "
        "RETURN key, collect({lead: lead, organisation: " + ORGANISATION + "})[..100] AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)


async def project_topics(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (:Project {id: key})-[a:ABOUT]->(topic:Topic) "
        "WHERE a.retiredAt IS NULL AND topic.retiredAt IS NULL "
        "WITH DISTINCT key, topic ORDER BY topic.label, topic.id "
        "RETURN key, collect(" + TOPIC + ")[..100] AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)


async def project_people(
    graph: Graph, ids: Sequence[str], *, limit: int, public_only: bool
) -> list[list[dict[str, Any]]]:
    """Each project's people as ``{role, person}``, by name, at most ``limit`` each."""
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (person:Person)-[w:WORKS_ON]->(:Project {id: key}) "
        "WHERE w.retiredAt IS NULL AND person.retiredAt IS NULL AND " + VISIBLE_PERSON + " "
        "WITH key, person, collect(DISTINCT w.role) AS roles "
        "ORDER BY person.name, person.id "
        "RETURN key, collect({role: head([r IN roles WHERE r IS NOT NULL]), person: "
        + PERSON
        + "})[..$limit] AS items",
        {"ids": list(ids), "limit": limit, "publicOnly": public_only},
    )
    return by_key(rows, ids)


async def project_resources(
    graph: Graph, ids: Sequence[str], *, limit: int
) -> list[list[dict[str, Any]]]:
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (resource:Resource)-[f:FROM]->(:Project {id: key}) "
        "WHERE f.retiredAt IS NULL AND resource.retiredAt IS NULL "
        "WITH DISTINCT key, resource ORDER BY resource.title, resource.id "
        "RETURN key, collect(" + RESOURCE + ")[..$limit] AS items",
        {"ids": list(ids), "limit": limit},
    )
    return by_key(rows, ids)
