"""Projects: filtered pages, and what hangs off a project (organisations, people...)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries import lucene
from graph.queries.batch import LEAD, ROLE, SIZED, Related
from graph.queries.common import Cursor, Page, page_parameters
from graph.queries.fields import ORGANISATION, PERSON, PROJECT, RESOURCE, TOPIC, WHOLE, Projections
from graph.queries.filters import Listing, Narrowing, Order, SortKey, read_page
from graph.queries.ordering import between, changed_since, date_key, moment_key
from graph.queries.topics import (
    ANY_TOPIC_IS_ROOT,
    about_topic,
    any_topic_parameters,
    counted_within,
    head_within,
    kept_head,
    kept_within,
    topic_parameters,
)


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
    topics: tuple[str, ...] = ()
    """Any of these topics (ids or labels), narrower ones too."""
    organisations: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    started_from: date | None = None
    started_to: date | None = None
    updated_since: datetime | None = None
    """Changed in this hub at or after this moment."""

    def parameters(self) -> dict[str, Any]:
        return {
            **topic_parameters(self.topic),
            **any_topic_parameters(self.topics),
            "organisations": list(self.organisations) or None,
            "statuses": list(self.statuses) or None,
            "modes": list(self.modes) or None,
            "startedFrom": self.started_from,
            "startedTo": self.started_to,
            "updatedSince": self.updated_since,
            "organisation": self.organisation,
            "system": self.system,
            "status": self.status,
            "method": self.method.strip().lower() if self.method else None,
            "mode": self.mode,
            "lucene": lucene.query_for(self.text) if self.text else None,
        }


TITLE_KEY: LiteralString = "project.titleKey"
"""A project's title in lower case, stored by ingestion (migration 0009 indexes it): lists
by title read it in order instead of sorting every project they find."""

# From a system to its projects: those its live organisations run or partner.
_IN_SYSTEM: LiteralString = (
    "<-[s:PART_OF]-(o:Organisation)<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project) "
    "WHERE s.retiredAt IS NULL AND o.retiredAt IS NULL AND r.retiredAt IS NULL"
)

LISTING = Listing(
    variable="project",
    scan="MATCH (project:Project)",
    alive="project.retiredAt IS NULL",
    sort_key=TITLE_KEY,
    indexed="Project",
    head=kept_head("projects"),
    narrowings={
        "organisation": Narrowing(
            condition="EXISTS { MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->"
            "(o:Organisation {id: $organisation}) WHERE r.retiredAt IS NULL "
            "AND o.retiredAt IS NULL }",
            anchor="MATCH (o:Organisation {id: $organisation})<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-"
            "(project:Project) WHERE o.retiredAt IS NULL AND r.retiredAt IS NULL "
            "WITH DISTINCT project",
        ),
        "organisations": Narrowing(
            condition="EXISTS { MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation) "
            "WHERE o.id IN $organisations AND r.retiredAt IS NULL AND o.retiredAt IS NULL }",
            anchor="MATCH (o:Organisation) WHERE o.id IN $organisations AND o.retiredAt IS NULL "
            "MATCH (o)<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project) "
            "WHERE r.retiredAt IS NULL WITH DISTINCT project",
        ),
        "topic": about_topic("project", "Project"),
        "topics": about_topic("project", "Project", ANY_TOPIC_IS_ROOT),
        "system": Narrowing(
            condition="EXISTS { MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)"
            "-[s:PART_OF]->(:System {id: $system}) WHERE r.retiredAt IS NULL "
            "AND o.retiredAt IS NULL AND s.retiredAt IS NULL }",
            anchor="MATCH (:System {id: $system})" + _IN_SYSTEM + " WITH DISTINCT project",
            broad=True,
        ),
        "status": Narrowing("project.status = $status"),
        "mode": Narrowing("project.mode = $mode"),
        "method": Narrowing("any(m IN coalesce(project.methods, []) WHERE toLower(m) = $method)"),
        "statuses": Narrowing("project.status IN $statuses"),
        "modes": Narrowing("project.mode IN $modes"),
        **between("project.startDate", "startedFrom", "startedTo"),
        "updatedSince": changed_since("project"),
    },
    text="CALL db.index.fulltext.queryNodes('project_text', $lucene) YIELD node AS project",
)


# The orders ``projects`` offers besides the default (title, ascending).
ORDERS = {
    "TITLE": SortKey("TITLE", TITLE_KEY, TITLE_KEY),
    "START_DATE": date_key("START_DATE", "project.startDate"),
    "LAST_UPDATED": moment_key("LAST_UPDATED", "project.changedAt"),
}

# What hangs off each project: the loaders read these for a batch of projects, and a page
# fetches them for its own rows when the caller asks for them (``Nested``).
ORGANISATIONS = Related(
    "organisations",
    PROJECT,
    "-[r:RUN_BY|IN_PARTNERSHIP_WITH]->",
    ORGANISATION,
    edge=LEAD,
    sort_first="lead DESC, ",
)
TOPICS = Related("topics", PROJECT, "-[r:ABOUT]->", TOPIC)
PEOPLE = Related("people", PROJECT, "<-[r:WORKS_ON]-", PERSON, edge=ROLE, limit=SIZED)
RESOURCES = Related("resources", PROJECT, "<-[r:FROM]-", RESOURCE, limit=SIZED)


@dataclass(frozen=True)
class Nested:
    """The lists of each project a page fetches in its own statement (none by default).

    ``people`` is how many people each (None: none); ``public_only`` as for every person read.
    ``projections`` says what the page returns of the projects and of the items in the lists.
    """

    organisations: bool = False
    topics: bool = False
    people: int | None = None
    public_only: bool = True
    projections: Projections = WHOLE

    def lists(self) -> list[Related]:
        """The lists fetched, each returned in the column of its name."""
        asked = (self.organisations, self.topics, self.people is not None)
        return [r for r, yes in zip((ORGANISATIONS, TOPICS, PEOPLE), asked, strict=True) if yes]

    def subqueries(self) -> tuple[LiteralString, LiteralString]:
        """The subqueries and the columns they add, from the lists' fixed fragments."""
        nested: LiteralString = ""
        columns: LiteralString = ""
        for related in self.lists():
            limit: LiteralString | None = "$peopleLimit" if related is PEOPLE else None
            projection = self.projections.of(related.item)
            nested += related.subquery("project", projection, limit)
            columns += ", " + related.name
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
    order: Order | None = None,
) -> Page:
    """Projects matching ``where``, by title (or ``order``) then id, ``first`` of them after
    ``after``.

    With ``nested``, each row's ``columns`` carry those lists, fetched in the same statement.
    """
    if _unmatchable(where):
        return Page([], False, [])
    nested = nested or Nested()
    subqueries, columns = nested.subqueries()
    parameters = {**where.parameters(), **page_parameters(after, first), **nested.parameters()}
    return await read_page(
        graph,
        LISTING,
        parameters,
        nested.projections.of(PROJECT),
        first=first,
        after=after is not None,
        order=order,
        nested=subqueries,
        columns=columns,
    )


SYSTEM_PROJECTS: LiteralString = (
    "COUNT { MATCH (system)" + _IN_SYSTEM + " AND " + LISTING.alive + " RETURN DISTINCT project }"
)
"""How many projects ``LISTING`` keeps for a system's id (bound to ``system``): the count
``graph.counts`` keeps on each system as ``projectCount``."""
KEPT_SYSTEM_COUNT: LiteralString = (
    "MATCH (system:System {id: $system}) RETURN system.projectCount AS n"
)
TOPIC_PROJECTS: LiteralString = counted_within(LISTING.match({"topic": ""}), "project")
"""How many projects ``LISTING`` keeps for the topic bound to ``topic`` (``KEPT_WITHIN``)."""
TOPIC_PROJECTS_HEAD: LiteralString = head_within(LISTING)
"""The first page of projects ``LISTING`` keeps for the topic bound to ``topic`` (``Head``)."""


async def project_count(graph: Graph, where: ProjectFilter) -> int:
    """How many projects ``where`` keeps: for a system or a topic alone, as kept on it."""
    if _unmatchable(where):
        return 0
    parameters = where.parameters()
    alone = LISTING.alone(parameters)
    if alone == "system":
        kept = await graph.read(KEPT_SYSTEM_COUNT, parameters)
        if kept and kept[0]["n"] is not None:
            return kept[0]["n"]
    if alone == "topic":
        within = await kept_within(graph, "projects", parameters)
        if within is not None:
            return within
    rows = await graph.read(LISTING.count(parameters), parameters)
    return rows[0]["n"]
