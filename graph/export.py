"""Reads for the open-data export: every live entity and relationship, or a system's, a page
at a time, with provenance (the sources that assert it, when it was first and last seen).

What is in a system's export: its organisations, the projects they run or partner on, the
people working for them or on those projects, the resources they publish or that came from
those projects; and what those refer to (the other organisations of their projects, people's
employers, topics with their broader topics, systems), so every id in the files resolves.

Personal data is decided here as in the API: ``public_only`` keeps people who agreed to be
listed, and ``profile`` says whether the caller may read personal fields at all. E-mail and
phone leave the database only with ``profile`` and the person's consent; the hashes used for
matching never do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.common import VISIBLE_PERSON

PAGE = 1000

KINDS: tuple[str, ...] = ("system", "organisation", "person", "project", "resource", "topic")
LABELS: dict[str, LiteralString] = {
    "system": "System",
    "organisation": "Organisation",
    "person": "Person",
    "project": "Project",
    "resource": "Resource",
    "topic": "Topic",
}


class UnknownSystem(LookupError):
    """The export asked for a system the hub does not have."""

    def __init__(self, system: str) -> None:
        super().__init__(f"No system has the id {system!r}.")


@dataclass
class ExportScope:
    """The ids of everything exported, by kind, sorted."""

    ids: dict[str, list[str]]

    def has(self, kind: str, entity_id: str) -> bool:
        return entity_id in self._sets.get(kind, ())

    @cached_property
    def _sets(self) -> dict[str, frozenset[str]]:
        return {kind: frozenset(ids) for kind, ids in self.ids.items()}


# --- what is exported -------------------------------------------------------------------------

_ALL: dict[str, LiteralString] = {
    kind: "MATCH (n:"
    + label
    + ") WHERE n.retiredAt IS NULL"
    + (" AND " + VISIBLE_PERSON.replace("person.", "n.") if kind == "person" else "")
    + " RETURN n.id AS id ORDER BY id"
    for kind, label in LABELS.items()
}

# The nodes that hang off the system's organisations (``home``) or their projects, live.
_REACHED: LiteralString = """
CALL (home, projects) {
  CALL (home, projects) {
    UNWIND home AS o
    MATCH (o)<-[r:{fromHome}]-({variable}:{label})
    WHERE r.retiredAt IS NULL AND {variable}.retiredAt IS NULL
    RETURN {variable}
    UNION
    UNWIND projects AS project
    MATCH (project)<-[r:{fromProject}]-({variable}:{label})
    WHERE r.retiredAt IS NULL AND {variable}.retiredAt IS NULL
    RETURN {variable}
  }
  {visible}
  RETURN collect(DISTINCT {variable}) AS {name}
}
"""

_SYSTEM_SCOPE: LiteralString = (
    """
MATCH (system:System {id: $system})
CALL (system) {
  OPTIONAL MATCH (system)<-[s:PART_OF]-(o:Organisation)
  WHERE s.retiredAt IS NULL AND o.retiredAt IS NULL
  RETURN collect(DISTINCT o) AS home
}
CALL (home) {
  UNWIND home AS o
  MATCH (o)<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project)
  WHERE r.retiredAt IS NULL AND project.retiredAt IS NULL
  RETURN collect(DISTINCT project) AS projects
}
"""
    + _REACHED.replace("{variable}", "person")
    .replace("{label}", "Person")
    .replace("{fromHome}", "WORKS_FOR")
    .replace("{fromProject}", "WORKS_ON")
    .replace("{visible}", "WITH person WHERE " + VISIBLE_PERSON)
    .replace("{name}", "people")
    + _REACHED.replace("{variable}", "resource")
    .replace("{label}", "Resource")
    .replace("{fromHome}", "PUBLISHED_BY")
    .replace("{fromProject}", "FROM")
    .replace("{visible}", "")
    .replace("{name}", "resources")
    + """CALL (home, projects, people, resources) {
  CALL (home, projects, people, resources) {
    UNWIND home AS o RETURN o
    UNION
    UNWIND projects + resources AS item
    MATCH (item)-[r:RUN_BY|IN_PARTNERSHIP_WITH|PUBLISHED_BY]->(o:Organisation)
    WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL
    RETURN o
    UNION
    UNWIND people AS person
    MATCH (person)-[w:WORKS_FOR]->(o:Organisation)
    WHERE w.retiredAt IS NULL AND o.retiredAt IS NULL
    RETURN o
  }
  RETURN collect(DISTINCT o) AS organisations
}
CALL (projects, people, resources) {
  UNWIND projects + people + resources AS item
  MATCH (item)-[r:ABOUT|INTERESTED_IN]->(:Topic)-[:BROADER*0..5]->(topic:Topic)
  WHERE r.retiredAt IS NULL AND topic.retiredAt IS NULL
  RETURN collect(DISTINCT topic.id) AS topics
}
CALL (system, organisations) {
  CALL (system, organisations) {
    RETURN system AS s
    UNION
    UNWIND organisations AS o
    MATCH (o)-[r:PART_OF]->(s:System) WHERE r.retiredAt IS NULL
    RETURN s
  }
  RETURN collect(DISTINCT s.id) AS systems
}
RETURN systems,
       [o IN organisations | o.id] AS organisations,
       [p IN people | p.id] AS people,
       [p IN projects | p.id] AS projects,
       [r IN resources | r.id] AS resources,
       topics
"""
)


async def export_scope(graph: Graph, *, system: str | None, public_only: bool) -> ExportScope:
    """What an export holds: everything live, or a system's (``UnknownSystem`` if none)."""
    if system is None:
        ids = {}
        for kind in KINDS:
            rows = await graph.read(_ALL[kind], {"publicOnly": public_only})
            ids[kind] = [row["id"] for row in rows]
        return ExportScope(ids)
    rows = await graph.read(_SYSTEM_SCOPE, {"system": system, "publicOnly": public_only})
    if not rows:
        raise UnknownSystem(system)
    found = rows[0]
    plural = {"person": "people"}
    return ExportScope({kind: sorted(found[plural.get(kind, kind + "s")]) for kind in KINDS})


# --- entities ---------------------------------------------------------------------------------

# The sources that assert the node now, and when one last listed it; bound before RETURN.
_ASSERTED: LiteralString = """
CALL (n) {
  OPTIONAL MATCH (source:Source)-[a:ASSERTS]->(n) WHERE a.retiredAt IS NULL
  WITH source, a ORDER BY source.id
  RETURN [s IN collect(DISTINCT source.id) WHERE s IS NOT NULL] AS sources,
         max(a.lastSeen) AS lastSeen
}"""
_PROVENANCE: LiteralString = " sources, n.firstSeen AS firstSeen, lastSeen"

# An organisation a record points at, as the record would name it again.
_ORGANISATION_REF: LiteralString = "{id: o.id, name: o.name, odsCode: o.odsCode}"


def _related(rel: LiteralString, end: LiteralString, value: LiteralString) -> LiteralString:
    """The live ``end`` nodes ``n`` links to by ``rel``, as ``value`` of ``o``, in order."""
    return (
        "COLLECT { MATCH (n)-[r:"
        + rel
        + "]->(o:"
        + end
        + ") WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL RETURN DISTINCT "
        + value
        + " AS item ORDER BY item }"
    )


_ORGANISATIONS: LiteralString = "Organisation"
_TOPIC_LABELS: LiteralString = "o.label"

_ENTITIES: dict[str, LiteralString] = {
    "system": """
UNWIND $ids AS wanted MATCH (n:System {id: wanted})
RETURN n.id AS id, n.name AS name, n.kind AS kind,
       COLLECT { MATCH (n)-[:NEIGHBOUR_OF]-(o:System) RETURN DISTINCT o.id AS id ORDER BY id }
         AS neighbours
ORDER BY id
""",
    "organisation": """
UNWIND $ids AS wanted MATCH (n:Organisation {id: wanted})"""
    + _ASSERTED
    + """
RETURN n.id AS id, n.name AS name, n.odsCode AS odsCode, n.sector AS sector,
       n.orgType AS orgType, n.website AS website, n.aliases AS aliases, """
    + _related("PART_OF", "System", "o.id")
    + "[0] AS system,"
    + _PROVENANCE
    + "\nORDER BY id\n",
    "person": """
UNWIND $ids AS wanted MATCH (n:Person {id: wanted})"""
    + _ASSERTED
    + """
RETURN n.id AS id, n.name AS name, n.role AS role, """
    + _related("WORKS_FOR", _ORGANISATIONS, _ORGANISATION_REF)
    + "[0] AS organisation, "
    + _related("INTERESTED_IN", "Topic", _TOPIC_LABELS)
    + """ AS interests,
       CASE WHEN $profile THEN n.orcid END AS orcid,
       CASE WHEN $profile THEN n.bio END AS bio,
       CASE WHEN $profile THEN coalesce(n.offers, []) END AS offers,
       CASE WHEN $profile THEN n.personKind END AS personKind,
       CASE WHEN $profile AND n.contactConsent = true THEN n.email END AS email,
       CASE WHEN $profile AND n.contactConsent = true THEN n.phone END AS phone,
       CASE WHEN $profile THEN n.contactConsent = true END AS contactConsent,"""
    + _PROVENANCE
    + "\nORDER BY id\n",
    "project": """
UNWIND $ids AS wanted MATCH (n:Project {id: wanted})"""
    + _ASSERTED
    + """
RETURN n.id AS id, n.title AS title, n.summary AS summary, n.aim AS aim, n.status AS status,
       n.startDate AS startDate, n.endDate AS endDate, n.methods AS methods, n.mode AS mode,
       n.url AS url, n.updatedAt AS updatedAt, """
    + _related("RUN_BY", _ORGANISATIONS, _ORGANISATION_REF)
    + "[0] AS lead, "
    + _related("IN_PARTNERSHIP_WITH", _ORGANISATIONS, _ORGANISATION_REF)
    + " AS partners, "
    + _related("ABOUT", "Topic", _TOPIC_LABELS)
    + " AS topics,"
    + _PROVENANCE
    + "\nORDER BY id\n",
    "resource": """
UNWIND $ids AS wanted MATCH (n:Resource {id: wanted})"""
    + _ASSERTED
    + """
RETURN n.id AS id, n.title AS title, n.resourceType AS resourceType, n.summary AS summary,
       n.url AS url, n.published AS published, n.attendance AS attendance, """
    + _related("PUBLISHED_BY", _ORGANISATIONS, _ORGANISATION_REF)
    + "[0] AS publisher, "
    + _related("FROM", "Project", "o.id")
    + "[0] AS project, "
    + _related("ABOUT", "Topic", _TOPIC_LABELS)
    + " AS topics,"
    + _PROVENANCE
    + "\nORDER BY id\n",
    "topic": """
UNWIND $ids AS wanted MATCH (n:Topic {id: wanted})
RETURN n.id AS id, n.label AS label, coalesce(n.synonyms, []) AS synonyms,
       coalesce(n.candidate, false) AS candidate,
       COLLECT { MATCH (n)-[:BROADER]->(o:Topic) RETURN DISTINCT o.id AS id ORDER BY id }
         AS broader
ORDER BY id
""",
}


async def entity_rows(
    graph: Graph, kind: str, scope: ExportScope, *, profile: bool
) -> AsyncIterator[list[dict[str, Any]]]:
    """The exported entities of one kind, a page at a time, by id."""
    for page in _pages(scope.ids.get(kind, [])):
        yield await graph.read(_ENTITIES[kind], {"ids": page, "profile": profile})


# --- relationships ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """One relationship type between two kinds, exported as its own file."""

    name: str
    type: LiteralString
    start: str
    end: str
    provenance: bool = True
    """Whether sources assert it (vocabulary and system links have no provenance)."""


LINKS: tuple[Link, ...] = (
    Link("organisation_systems", "PART_OF", "organisation", "system"),
    Link("system_neighbours", "NEIGHBOUR_OF", "system", "system", provenance=False),
    Link("person_organisations", "WORKS_FOR", "person", "organisation"),
    Link("person_projects", "WORKS_ON", "person", "project"),
    Link("person_topics", "INTERESTED_IN", "person", "topic"),
    Link("project_lead_organisations", "RUN_BY", "project", "organisation"),
    Link("project_partner_organisations", "IN_PARTNERSHIP_WITH", "project", "organisation"),
    Link("project_topics", "ABOUT", "project", "topic"),
    Link("resource_publishers", "PUBLISHED_BY", "resource", "organisation"),
    Link("resource_projects", "FROM", "resource", "project"),
    Link("resource_topics", "ABOUT", "resource", "topic"),
    Link("topic_broader", "BROADER", "topic", "topic", provenance=False),
)

# Two sources asserting one link are two relationships: one row each pair, with both sources.
_LINK_ROWS: dict[str, LiteralString] = {
    link.name: "UNWIND $ids AS wanted MATCH (a:"
    + LABELS[link.start]
    + " {id: wanted})-[r:"
    + link.type
    + "]->(b:"
    + LABELS[link.end]
    + """)
WHERE r.retiredAt IS NULL AND b.retiredAt IS NULL
RETURN a.id AS start, b.id AS end, collect(DISTINCT r.source) AS sources,
       min(r.firstSeen) AS firstSeen, max(r.lastSeen) AS lastSeen,
       collect(DISTINCT r.role) AS roles
ORDER BY start, end
"""
    for link in LINKS
}


async def link_rows(
    graph: Graph, link: Link, scope: ExportScope
) -> AsyncIterator[list[dict[str, Any]]]:
    """The link's rows between exported entities, a page of start ids at a time."""
    for page in _pages(scope.ids.get(link.start, [])):
        rows = await graph.read(_LINK_ROWS[link.name], {"ids": page})
        yield [row for row in rows if scope.has(link.end, row["end"])]


def _pages(ids: Sequence[str]) -> list[list[str]]:
    return [list(ids[start : start + PAGE]) for start in range(0, len(ids), PAGE)]
