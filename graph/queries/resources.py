"""Resources (case studies, toolkits, training...): filtered pages, and their links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries import lucene
from graph.queries.batch import Related
from graph.queries.common import Cursor, Page, page_parameters
from graph.queries.fields import ORGANISATION, PROJECT, RESOURCE, TOPIC
from graph.queries.filters import Listing, Narrowing, Order, SortKey, read_page
from graph.queries.ordering import between, changed_since, moment_key
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
class ResourceFilter:
    """Every field narrows the list; ``organisation`` is the publisher."""

    topic: str | None = None
    organisation: str | None = None
    project: str | None = None
    resource_type: str | None = None
    system: str | None = None
    text: str | None = None
    programme: str | None = None
    module: str | None = None
    mode: str | None = None
    topics: tuple[str, ...] = ()
    """Any of these topics (ids or labels), narrower ones too."""
    resource_types: tuple[str, ...] = ()
    published_from: date | None = None
    published_to: date | None = None
    updated_since: datetime | None = None
    """Changed in this hub at or after this moment."""

    def parameters(self) -> dict[str, Any]:
        return {
            **topic_parameters(self.topic),
            **any_topic_parameters(self.topics),
            "resourceTypes": list(self.resource_types) or None,
            "publishedFrom": self.published_from,
            "publishedTo": self.published_to,
            "updatedSince": self.updated_since,
            "programme": self.programme,
            "module": self.module,
            "mode": self.mode,
            "organisation": self.organisation,
            "project": self.project,
            "resourceType": self.resource_type,
            "system": self.system,
            "lucene": lucene.query_for(self.text) if self.text else None,
        }


TITLE_KEY: LiteralString = "resource.titleKey"
"""A resource's title in lower case, stored by ingestion (migration 0010 indexes it): lists by
title read it in order instead of sorting every resource they find."""

LISTING = Listing(
    variable="resource",
    scan="MATCH (resource:Resource)",
    alive="resource.retiredAt IS NULL",
    sort_key=TITLE_KEY,
    indexed="Resource",
    head=kept_head("resources"),
    narrowings={
        # A module or a programme (issue 19): the most selective start, through its index.
        "module": Narrowing(
            "resource.moduleId = $module",
            anchor="MATCH (resource:Resource {moduleId: $module})",
        ),
        "programme": Narrowing(
            "resource.programmeId = $programme",
            anchor="MATCH (resource:Resource {programmeId: $programme})",
        ),
        "project": Narrowing(
            condition="EXISTS { MATCH (resource)-[r:FROM]->(p:Project {id: $project}) "
            "WHERE r.retiredAt IS NULL AND p.retiredAt IS NULL }",
            anchor="MATCH (p:Project {id: $project})<-[r:FROM]-(resource:Resource) "
            "WHERE p.retiredAt IS NULL AND r.retiredAt IS NULL WITH DISTINCT resource",
        ),
        "organisation": Narrowing(
            condition="EXISTS { MATCH (resource)-[r:PUBLISHED_BY]->"
            "(o:Organisation {id: $organisation}) WHERE r.retiredAt IS NULL "
            "AND o.retiredAt IS NULL }",
            anchor="MATCH (o:Organisation {id: $organisation})<-[r:PUBLISHED_BY]-"
            "(resource:Resource) WHERE o.retiredAt IS NULL AND r.retiredAt IS NULL "
            "WITH DISTINCT resource",
        ),
        "topic": about_topic("resource", "Resource"),
        "topics": about_topic("resource", "Resource", ANY_TOPIC_IS_ROOT),
        "system": Narrowing(
            condition="EXISTS { MATCH (resource)-[r:PUBLISHED_BY]->(o:Organisation)"
            "-[s:PART_OF]->(:System {id: $system}) WHERE r.retiredAt IS NULL "
            "AND o.retiredAt IS NULL AND s.retiredAt IS NULL }",
            anchor="MATCH (:System {id: $system})<-[s:PART_OF]-(o:Organisation)"
            "<-[r:PUBLISHED_BY]-(resource:Resource) WHERE s.retiredAt IS NULL "
            "AND o.retiredAt IS NULL AND r.retiredAt IS NULL WITH DISTINCT resource",
            broad=True,
        ),
        "resourceType": Narrowing("resource.resourceType = $resourceType"),
        "resourceTypes": Narrowing("resource.resourceType IN $resourceTypes"),
        **between("resource.published", "publishedFrom", "publishedTo"),
        "updatedSince": changed_since("resource"),
        # The resource's own mode of improvement, else the mode of the project it came from.
        "mode": Narrowing(
            "(resource.mode = $mode OR (resource.mode IS NULL AND EXISTS { "
            "MATCH (resource)-[f:FROM]->(p:Project {mode: $mode}) "
            "WHERE f.retiredAt IS NULL AND p.retiredAt IS NULL }))"
        ),
    },
    text="CALL db.index.fulltext.queryNodes('resource_text', $lucene) YIELD node AS resource",
)


# The orders ``resources`` offers besides the default (title, ascending). A resource starts
# when its event does (``startsKey``, a sortable UTC text), else on the day it was published.
ORDERS = {
    "TITLE": SortKey("TITLE", TITLE_KEY, TITLE_KEY),
    "START_DATE": SortKey(
        "START_DATE",
        "coalesce(resource.startsKey, toString(resource.published), '~')",
        "coalesce(resource.startsKey, toString(resource.published), '')",
    ),
    "LAST_UPDATED": moment_key("LAST_UPDATED", "resource.changedAt"),
}


def _unmatchable(where: ResourceFilter) -> bool:
    return where.text is not None and lucene.query_for(where.text) is None


async def resource_page(
    graph: Graph,
    where: ResourceFilter,
    *,
    first: int,
    after: Cursor | None,
    order: Order | None = None,
) -> Page:
    """Resources matching ``where``, by title (or ``order``) then id."""
    if _unmatchable(where):
        return Page([], False, [])
    parameters = {**where.parameters(), **page_parameters(after, first)}
    return await read_page(
        graph, LISTING, parameters, RESOURCE.row, first=first, after=after is not None, order=order
    )


TOPIC_RESOURCES: LiteralString = counted_within(LISTING.match({"topic": ""}), "resource")
"""How many resources ``LISTING`` keeps for the topic bound to ``topic`` (``KEPT_WITHIN``)."""
TOPIC_RESOURCES_HEAD: LiteralString = head_within(LISTING)
"""The first page of resources ``LISTING`` keeps for the topic bound to ``topic`` (``Head``)."""


async def resource_count(graph: Graph, where: ResourceFilter) -> int:
    """How many resources ``where`` keeps: for a topic alone, as kept on it."""
    if _unmatchable(where):
        return 0
    parameters = where.parameters()
    if LISTING.alone(parameters) == "topic":
        kept = await kept_within(graph, "resources", parameters)
        if kept is not None:
            return kept
    rows = await graph.read(LISTING.count(parameters), parameters)
    return rows[0]["n"]


# What hangs off each resource, batched for the loaders (``graph.queries.batch``).
TOPICS = Related("topics", RESOURCE, "-[r:ABOUT]->", TOPIC)
PROJECTS = Related("projects", RESOURCE, "-[r:FROM]->", PROJECT)
PUBLISHERS = Related("publishers", RESOURCE, "-[r:PUBLISHED_BY]->", ORGANISATION)
