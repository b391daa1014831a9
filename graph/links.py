"""Links between organisations, kept in the graph as ingestion changes them.

``crossBoundaryLinks`` without an organisation or a topic ranks every pair of organisations;
worked out per request that aggregates the whole graph. So each pair's link is kept as a
``LINKED_WITH`` relationship (the lower id first) holding its counts and the ids of its first
few examples, and ingestion refreshes the links of the organisations a pull touched: those of
the changed or retired projects and people (and their projects' and employers'), and changed
organisations themselves. Refreshing an organisation also keeps the topics of its live projects
(``linkTopics``), so a link's shared topics are two short lists intersected when it is read,
not every project of both sides walked again. Counts and examples come from the very
statement the live query uses (``graph.queries.links.PAIRS_FROM_A``), so both give the same
answers; the test suite checks they do after loads, changes and retirements.

The same refresh keeps the day each pair was first linked, ended links included
(``FIRST_LINKED``, from the impact series' own chains in ``graph.impact.figures``): the
"new links" figure would otherwise walk every chain of a system's organisations per request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import LiteralString

from graph.database import Graph
from graph.impact.figures import FORGET_FIRST_LINKS, KEEP_FIRST_LINKS
from graph.queries.links import (
    COLLEAGUES,
    EXAMPLES,
    LIVE_PROJECT_LINK,
    PAIRS_FROM_A,
    TOPICS_OF,
)
from graph.queries.topics import topic_parameters
from graph.version import bump_version

BATCH = 500
"""Organisations refreshed per transaction."""

# The organisations whose links a change of these entities may change. Ended links count:
# a project that moved from one organisation to another changes the links of both.
AFFECTED: LiteralString = """
UNWIND $ids AS id
CALL (id) {
  MATCH (o:Organisation {id: id}) RETURN o
  UNION
  MATCH (:Project {id: id})-[:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation) RETURN o
  UNION
  MATCH (:Project {id: id})<-[:WORKS_ON]-(:Person)-[:WORKS_FOR]->(o:Organisation) RETURN o
  UNION
  MATCH (:Person {id: id})-[:WORKS_FOR]->(o:Organisation) RETURN o
  UNION
  MATCH (:Person {id: id})-[:WORKS_ON]->(:Project)-[:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)
  RETURN o
}
RETURN collect(DISTINCT o.id) AS ids
"""

TOPICS: LiteralString = (
    """
UNWIND $ids AS id
MATCH (o:Organisation {id: id})
"""
    + TOPICS_OF.replace("{org}", "o").replace("{topics}", "topics").replace("{shared_topic}", "")
    + """
SET o.linkTopics = COLLECT { UNWIND topics AS topic RETURN topic.id AS topicId ORDER BY topicId }
"""
)

FORGET: LiteralString = """
UNWIND $ids AS id
MATCH (:Organisation {id: id})-[link:LINKED_WITH]-()
DELETE link
"""

KEEP: LiteralString = (
    """
UNWIND $ids AS id
MATCH (a:Organisation {id: id}) WHERE a.retiredAt IS NULL
"""
    + PAIRS_FROM_A.replace("{colleagues}", COLLEAGUES)
    .replace("{live}", LIVE_PROJECT_LINK)
    .replace("{topic}", "")
    + """
WITH a, b, collect(DISTINCT project) AS projects, collect(DISTINCT person) AS people
CALL (projects) {
  UNWIND projects AS p
  WITH p ORDER BY toLower(coalesce(p.title, '')), p.id LIMIT $examples
  RETURN collect(p.id) AS exampleProjects
}
CALL (people) {
  UNWIND people AS p
  WITH p ORDER BY toLower(coalesce(p.name, '')), p.id LIMIT $examples
  RETURN collect(p.id) AS examplePeople
}
CALL (people) {
  UNWIND people AS p
  WITH p WHERE p.public = true
  WITH p ORDER BY toLower(coalesce(p.name, '')), p.id LIMIT $examples
  RETURN collect(p.id) AS examplePublicPeople
}
MERGE (a)-[link:LINKED_WITH]->(b)
SET link.projects = size(projects), link.people = size(people),
    link.weight = size(projects) + size(people), link.exampleProjects = exampleProjects,
    link.examplePeople = examplePeople, link.examplePublicPeople = examplePublicPeople
"""
)

ALL_ORGANISATIONS: LiteralString = "MATCH (o:Organisation) RETURN collect(o.id) AS ids"
KEPT_VERSION = 3
"""What kept links hold: 2 added organisations' ``linkTopics``, 3 the first day each pair was
linked (``FIRST_LINKED``, for the impact series' new links); a graph kept at an older version
is rebuilt once."""
KEPT_SINCE: LiteralString = (
    "MATCH (m:LinksKept {id: 'graph'}) WHERE m.version >= $version RETURN m.since AS since"
)
MARK_KEPT: LiteralString = """
MERGE (m:LinksKept {id: 'graph'}) ON CREATE SET m.since = datetime()
SET m.version = $version
"""


async def affected_organisations(graph: Graph, entity_ids: Iterable[str]) -> list[str]:
    """The organisations whose links changing these entities may change."""
    ids = sorted(set(entity_ids))
    if not ids:
        return []
    rows = await graph.read(AFFECTED, {"ids": ids})
    return sorted(rows[0]["ids"]) if rows else []


async def refresh_links(graph: Graph, organisation_ids: Iterable[str]) -> int:
    """Work out again every link of these organisations; how many organisations that was."""
    ids = sorted(set(organisation_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        parameters = {"ids": batch, "examples": EXAMPLES}
        first = {"ids": batch, **topic_parameters(None)}
        await graph.write_many(
            [
                (TOPICS, parameters),
                (FORGET, parameters),
                (KEEP, parameters),
                (FORGET_FIRST_LINKS, first),
                (KEEP_FIRST_LINKS, {**first, "publicOnly": False}),
                (KEEP_FIRST_LINKS, {**first, "publicOnly": True}),
            ]
        )
    if ids:
        await bump_version(graph)
    return len(ids)


async def refresh_links_of(graph: Graph, entity_ids: Iterable[str]) -> int:
    """Refresh the links that changing these entities (any kind) may have changed."""
    return await refresh_links(graph, await affected_organisations(graph, entity_ids))


async def rebuild_links(graph: Graph) -> int:
    """Every organisation's links, worked out again (for a graph that predates them)."""
    rows = await graph.read(ALL_ORGANISATIONS)
    return await refresh_links(graph, rows[0]["ids"] if rows else [])


async def ensure_links_kept(graph: Graph) -> bool:
    """Build every link once for a graph that predates kept links (or what they hold now);
    True if it had to.

    Ingestion keeps them from then on. Safe to call from every hub at start: a rebuild run
    twice gives the same links.
    """
    if await graph.read(KEPT_SINCE, {"version": KEPT_VERSION}):
        return False
    await rebuild_links(graph)
    await graph.write(MARK_KEPT, {"version": KEPT_VERSION})
    return True
