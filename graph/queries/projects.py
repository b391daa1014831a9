"""Projects: by id, filtered pages, and what hangs off a project (organisations, people...)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries import lucene
from graph.queries.common import (
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
    page_parameters,
    to_page,
)
from graph.queries.filters import Listing, Narrowing
from graph.queries.topics import about_topic, topic_parameters


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


LISTING = Listing(
    variable="project",
    scan="MATCH (project:Project)",
    alive="project.retiredAt IS NULL",
    sort_key="toLower(coalesce(project.title, ''))",
    narrowings={
        "organisation": Narrowing(
            condition="EXISTS { MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->"
            "(o:Organisation {id: $organisation}) WHERE r.retiredAt IS NULL "
            "AND o.retiredAt IS NULL }",
            anchor="MATCH (o:Organisation {id: $organisation})<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-"
            "(project:Project) WHERE o.retiredAt IS NULL AND r.retiredAt IS NULL "
            "WITH DISTINCT project",
        ),
        "topic": about_topic("project", "Project"),
        "system": Narrowing(
            condition="EXISTS { MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)"
            "-[s:PART_OF]->(:System {id: $system}) WHERE r.retiredAt IS NULL "
            "AND o.retiredAt IS NULL AND s.retiredAt IS NULL }",
            anchor="MATCH (:System {id: $system})<-[s:PART_OF]-(o:Organisation)"
            "<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project) WHERE s.retiredAt IS NULL "
            "AND o.retiredAt IS NULL AND r.retiredAt IS NULL WITH DISTINCT project",
        ),
        "status": Narrowing("project.status = $status"),
        "mode": Narrowing("project.mode = $mode"),
        "method": Narrowing("any(m IN coalesce(project.methods, []) WHERE toLower(m) = $method)"),
    },
    text="CALL db.index.fulltext.queryNodes('project_text', $lucene) YIELD node AS project",
)


# What hangs off each project, as subqueries on a bound ``project``: the batched loaders run
# them for a list of ids, and a page runs them for its own rows when the caller asks for them
# (with only the fields its selection reads, when it says so: ``Nested``).
def _organisations(organisation: LiteralString) -> LiteralString:
    return (
        """
    CALL (project) {
      MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(organisation:Organisation)
      WHERE r.retiredAt IS NULL AND organisation.retiredAt IS NULL
      WITH organisation, max(CASE type(r) WHEN 'RUN_BY' THEN 1 ELSE 0 END) = 1 AS lead
      ORDER BY lead DESC, organisation.name, organisation.id
      RETURN collect({lead: lead, organisation: """
        + organisation
        + """})[..100] AS organisations
    }
"""
    )


def _topics(topic: LiteralString) -> LiteralString:
    return (
        """
    CALL (project) {
      MATCH (project)-[a:ABOUT]->(topic:Topic)
      WHERE a.retiredAt IS NULL AND topic.retiredAt IS NULL
      WITH DISTINCT topic ORDER BY topic.label, topic.id
      RETURN collect("""
        + topic
        + """)[..100] AS topics
    }
"""
    )


def _people(person: LiteralString) -> LiteralString:
    return (
        """
    CALL (project) {
      MATCH (person:Person)-[w:WORKS_ON]->(project)
      WHERE w.retiredAt IS NULL AND person.retiredAt IS NULL AND """
        + VISIBLE_PERSON
        + """
      WITH person, collect(DISTINCT w.role) AS roles ORDER BY person.name, person.id
      RETURN collect({role: head([r IN roles WHERE r IS NOT NULL]), person: """
        + person
        + """})[..$peopleLimit] AS people
    }
"""
    )


_ORGANISATIONS = _organisations(ORGANISATION)
_TOPICS = _topics(TOPIC)
_PEOPLE = _people(PERSON)


@dataclass(frozen=True)
class Nested:
    """The lists of each project a page fetches in its own statement (none by default).

    ``people`` is how many people each (None: none); ``public_only`` as for every person read.
    ``project``, ``organisation``, ``topic`` and ``person`` are the projections returned (each
    binding its node's variable, as ``graph.queries.common``'s do): every field by default.
    """

    organisations: bool = False
    topics: bool = False
    people: int | None = None
    public_only: bool = True
    project: LiteralString = PROJECT
    organisation: LiteralString = ORGANISATION
    topic: LiteralString = TOPIC
    person: LiteralString = PERSON

    @property
    def whole_rows(self) -> bool:
        """Whether every projection returns every field (rows a loader could give out too)."""
        return (self.project, self.organisation, self.topic, self.person) == (
            PROJECT,
            ORGANISATION,
            TOPIC,
            PERSON,
        )

    def subqueries(self) -> tuple[LiteralString, LiteralString]:
        """The subqueries and the columns they add, chosen from the fixed fragments above."""
        nested: LiteralString = ""
        columns: LiteralString = ""
        if self.organisations:
            nested, columns = (
                nested + _organisations(self.organisation),
                columns + ", organisations",
            )
        if self.topics:
            nested, columns = nested + _topics(self.topic), columns + ", topics"
        if self.people is not None:
            nested, columns = nested + _people(self.person), columns + ", people"
        return nested, columns

    def parameters(self) -> dict[str, Any]:
        return {"peopleLimit": self.people or 0, "publicOnly": self.public_only}


def _unmatchable(where: ProjectFilter) -> bool:
    """A text filter with no words in it matches nothing (and must not reach Lucene)."""
    return where.text is not None and lucene.query_for(where.text) is None


async def project_page(
    graph: Graph,
    where: ProjectFilter,
    *,
    first: int,
    after: Cursor | None,
    nested: Nested | None = None,
) -> Page:
    """Projects matching ``where``, by title then id, ``first`` of them after ``after``.

    With ``nested``, each row's ``columns`` carry those lists, fetched in the same statement.
    """
    if _unmatchable(where):
        return Page([], False, [])
    nested = nested or Nested()
    subqueries, columns = nested.subqueries()
    parameters = {**where.parameters(), **page_parameters(after, first), **nested.parameters()}
    statement = LISTING.page(
        parameters, nested.project, after=after is not None, nested=subqueries, columns=columns
    )
    return to_page(await graph.read(statement, parameters), first)


async def project_count(graph: Graph, where: ProjectFilter) -> int:
    if _unmatchable(where):
        return 0
    parameters = where.parameters()
    rows = await graph.read(LISTING.count(parameters), parameters)
    return rows[0]["n"]


async def projects_by_id(graph: Graph, ids: Sequence[str]) -> list[dict[str, Any] | None]:
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (project:Project {id: key}) WHERE project.retiredAt IS NULL "
        "RETURN key, " + PROJECT + " AS item",
        {"ids": list(ids)},
    )
    return aligned(rows, ids)


async def project_organisations(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    """Each project's organisations as ``{lead, organisation}``, the lead first."""
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (project:Project {id: key})"
        + _ORGANISATIONS
        + "RETURN key, organisations AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)


async def project_topics(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (project:Project {id: key})"
        + _TOPICS
        + "RETURN key, topics AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)


async def project_people(
    graph: Graph, ids: Sequence[str], *, limit: int, public_only: bool
) -> list[list[dict[str, Any]]]:
    """Each project's people as ``{role, person}``, by name, at most ``limit`` each."""
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (project:Project {id: key})"
        + _PEOPLE
        + "RETURN key, people AS items",
        {"ids": list(ids), "peopleLimit": limit, "publicOnly": public_only},
    )
    return by_key(rows, ids)


async def project_resources(
    graph: Graph, ids: Sequence[str], *, limit: int
) -> list[list[dict[str, Any]]]:
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (resource:Resource)-[f:FROM]->(:Project {id: key}) "
        "WHERE f.retiredAt IS NULL AND resource.retiredAt IS NULL "
        "WITH DISTINCT key, resource ORDER BY resource.title, resource.id "
        "RETURN key, collect(" + RESOURCE + ")[..$limit] AS items",
        {"ids": list(ids), "limit": limit},
    )
    return by_key(rows, ids)
