"""People: by id, filtered pages, and their organisations, projects and interests.

Every query takes ``public_only``: anonymous callers see only people who agreed to be listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.common import (
    AFTER_CURSOR,
    ORGANISATION,
    PERSON,
    PROJECT,
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
class PersonFilter:
    """Every field narrows the list; ``offers`` keeps people offering any of those."""

    topic: str | None = None
    organisation: str | None = None
    system: str | None = None
    offers: tuple[str, ...] = field(default_factory=tuple)

    def parameters(self) -> dict[str, Any]:
        return {
            **topic_parameters(self.topic),
            "organisation": self.organisation,
            "system": self.system,
            "offers": list(self.offers) or None,
        }


# A person works on a topic when they are interested in it or work on a project about it
# (or about a narrower topic).
WORKS_ON_TOPIC: LiteralString = (
    """
    (EXISTS {
        MATCH path = (person)-[:INTERESTED_IN]->(:Topic)-[:BROADER*0..5]->(root:Topic)
        WHERE """
    + TOPIC_IS_ROOT
    + """
          AND all(n IN nodes(path) WHERE n.retiredAt IS NULL)
          AND all(r IN relationships(path) WHERE r.retiredAt IS NULL) }
     OR EXISTS {
        MATCH path = (person)-[:WORKS_ON]->(:Project)-[:ABOUT]->(:Topic)
                     -[:BROADER*0..5]->(root:Topic)
        WHERE """
    + TOPIC_IS_ROOT
    + """
          AND all(n IN nodes(path) WHERE n.retiredAt IS NULL)
          AND all(r IN relationships(path) WHERE r.retiredAt IS NULL) })
"""
)

_FILTER: LiteralString = (
    """
    MATCH (person:Person)
    WHERE person.retiredAt IS NULL AND """
    + VISIBLE_PERSON
    + """
      AND ($offers IS NULL OR any(o IN coalesce(person.offers, []) WHERE o IN $offers))
      AND ($topic IS NULL OR """
    + WORKS_ON_TOPIC
    + """)
      AND ($organisation IS NULL OR EXISTS {
            MATCH (person)-[w:WORKS_FOR]->(o:Organisation {id: $organisation})
            WHERE w.retiredAt IS NULL AND o.retiredAt IS NULL })
      AND ($system IS NULL OR EXISTS {
            MATCH (person)-[w:WORKS_FOR]->(o:Organisation)-[s:PART_OF]->(:System {id: $system})
            WHERE w.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL })
    """
)


async def person_page(
    graph: Graph, where: PersonFilter, *, public_only: bool, first: int, after: Cursor | None
) -> Page:
    """People matching ``where``, by name then id."""
    rows = await fetch(
        graph,
        _FILTER
        + "WITH person, toLower(coalesce(person.name, '')) AS sortKey, person.id AS id "
        + "WHERE "
        + AFTER_CURSOR
        + " RETURN "
        + PERSON
        + " AS item, sortKey ORDER BY sortKey, id LIMIT $limit",
        {**where.parameters(), "publicOnly": public_only, **page_parameters(after, first)},
    )
    return to_page(rows, first)


async def person_count(graph: Graph, where: PersonFilter, *, public_only: bool) -> int:
    rows = await fetch(
        graph,
        _FILTER + "RETURN count(person) AS n",
        {**where.parameters(), "publicOnly": public_only},
    )
    return rows[0]["n"]


async def people_by_id(
    graph: Graph, ids: Sequence[str], *, public_only: bool
) -> list[dict[str, Any] | None]:
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (person:Person {id: key}) "
        "WHERE person.retiredAt IS NULL AND " + VISIBLE_PERSON + " "
        "RETURN key, " + PERSON + " AS item",
        {"ids": list(ids), "publicOnly": public_only},
    )
    return aligned(rows, ids)


async def person_organisations(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (:Person {id: key})-[w:WORKS_FOR]->(organisation:Organisation) "
        "WHERE w.retiredAt IS NULL AND organisation.retiredAt IS NULL "
        "WITH DISTINCT key, organisation ORDER BY organisation.name, organisation.id "
        "RETURN key, collect(" + ORGANISATION + ")[..100] AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)


async def person_projects(
    graph: Graph, ids: Sequence[str], *, limit: int
) -> list[list[dict[str, Any]]]:
    """Each person's projects as ``{role, project}``, by title, at most ``limit`` each."""
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (:Person {id: key})-[w:WORKS_ON]->(project:Project) "
        "WHERE w.retiredAt IS NULL AND project.retiredAt IS NULL "
        "WITH key, project, collect(DISTINCT w.role) AS roles "
        "ORDER BY project.title, project.id "
        "RETURN key, collect({role: head([r IN roles WHERE r IS NOT NULL]), project: "
        + PROJECT
        + "})[..$limit] AS items",
        {"ids": list(ids), "limit": limit},
    )
    return by_key(rows, ids)


async def person_interests(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    rows = await fetch(
        graph,
        "UNWIND $ids AS key MATCH (:Person {id: key})-[i:INTERESTED_IN]->(topic:Topic) "
        "WHERE i.retiredAt IS NULL AND topic.retiredAt IS NULL "
        "WITH DISTINCT key, topic ORDER BY topic.label, topic.id "
        "RETURN key, collect(" + TOPIC + ")[..100] AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)
