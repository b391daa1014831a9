"""Resources (case studies, toolkits, training...): by id, filtered pages, and their links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries import lucene
from graph.queries.common import (
    AFTER_CURSOR,
    ORGANISATION,
    PROJECT,
    RESOURCE,
    TOPIC,
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
class ResourceFilter:
    """Every field narrows the list; ``organisation`` is the publisher."""

    topic: str | None = None
    organisation: str | None = None
    project: str | None = None
    resource_type: str | None = None
    system: str | None = None
    text: str | None = None

    def parameters(self) -> dict[str, Any]:
        return {
            **topic_parameters(self.topic),
            "organisation": self.organisation,
            "project": self.project,
            "resourceType": self.resource_type,
            "system": self.system,
            "lucene": lucene.query_for(self.text) if self.text else None,
        }


_ALL: LiteralString = "MATCH (resource:Resource) "
_MATCHING_TEXT: LiteralString = (
    "CALL db.index.fulltext.queryNodes('resource_text', $lucene) YIELD node AS resource "
)
_FILTER: LiteralString = (
    """
    WHERE resource.retiredAt IS NULL
      AND ($resourceType IS NULL OR resource.resourceType = $resourceType)
      AND ($topic IS NULL OR EXISTS {
            MATCH path = (resource)-[:ABOUT]->(:Topic)-[:BROADER*0..5]->(root:Topic)
            WHERE """
    + TOPIC_IS_ROOT
    + """
              AND all(n IN nodes(path) WHERE n.retiredAt IS NULL)
              AND all(r IN relationships(path) WHERE r.retiredAt IS NULL) })
      AND ($organisation IS NULL OR EXISTS {
            MATCH (resource)-[r:PUBLISHED_BY]->(o:Organisation {id: $organisation})
            WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL })
      AND ($project IS NULL OR EXISTS {
            MATCH (resource)-[r:FROM]->(p:Project {id: $project})
            WHERE r.retiredAt IS NULL AND p.retiredAt IS NULL })
      AND ($system IS NULL OR EXISTS {
            MATCH (resource)-[r:PUBLISHED_BY]->(o:Organisation)-[s:PART_OF]->(:System {id: $system})
            WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL })
"""
)


def _unmatchable(where: ResourceFilter) -> bool:
    return where.text is not None and lucene.query_for(where.text) is None


async def resource_page(
    graph: Graph, where: ResourceFilter, *, first: int, after: Cursor | None
) -> Page:
    """Resources matching ``where``, by title then id."""
    if _unmatchable(where):
        return Page([], False, [])
    head = _MATCHING_TEXT if where.text else _ALL
    rows = await fetch(
        graph,
        head
        + _FILTER
        + "WITH resource, toLower(coalesce(resource.title, '')) AS sortKey, resource.id AS id "
        + "WHERE "
        + AFTER_CURSOR
        + " RETURN "
        + RESOURCE
        + " AS item, sortKey ORDER BY sortKey, id LIMIT $limit",
        {**where.parameters(), **page_parameters(after, first)},
    )
    return to_page(rows, first)


async def resource_count(graph: Graph, where: ResourceFilter) -> int:
    if _unmatchable(where):
        return 0
    head = _MATCHING_TEXT if where.text else _ALL
    rows = await fetch(graph, head + _FILTER + "RETURN count(resource) AS n", where.parameters())
    return rows[0]["n"]


async def resources_by_id(graph: Graph, ids: Sequence[str]) -> list[dict[str, Any] | None]:
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (resource:Resource {id: key}) "
        "WHERE resource.retiredAt IS NULL RETURN key, " + RESOURCE + " AS item",
        {"ids": list(ids)},
    )
    return aligned(rows, ids)


async def resource_topics(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (:Resource {id: key})-[a:ABOUT]->(topic:Topic) "
        "WHERE a.retiredAt IS NULL AND topic.retiredAt IS NULL "
        "WITH DISTINCT key, topic ORDER BY topic.label, topic.id "
        "RETURN key, collect(" + TOPIC + ")[..100] AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)


async def resource_projects(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (:Resource {id: key})-[f:FROM]->(project:Project) "
        "WHERE f.retiredAt IS NULL AND project.retiredAt IS NULL "
        "WITH DISTINCT key, project ORDER BY project.title, project.id "
        "RETURN key, collect(" + PROJECT + ")[..100] AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)


async def resource_publishers(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    rows = await fetch(
        graph,
        "UNWIND $ids AS key "
        "MATCH (:Resource {id: key})-[p:PUBLISHED_BY]->(organisation:Organisation) "
        "WHERE p.retiredAt IS NULL AND organisation.retiredAt IS NULL "
        "WITH DISTINCT key, organisation ORDER BY organisation.name, organisation.id "
        "RETURN key, collect(" + ORGANISATION + ")[..100] AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)
