"""What's on: events and training still to come, "go and see" visits, and the library's facets.

An event is any resource with a start (``startsKey``); it is still to come while its end (or
its start, when it has no end) is not past (``untilKey``, indexed). Lists are keyset-paged like
every other: events by start then id, projects offering visits by title then id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from graph.database import Graph
from graph.moments import utc_key
from graph.queries import projects, resources
from graph.queries.common import Cursor, Page, page_parameters, to_page
from graph.queries.fields import ORGANISATION, PROJECT, RESOURCE, TOPIC
from graph.queries.filters import Listing, Narrowing
from graph.queries.topics import topic_parameters


@dataclass(frozen=True)
class EventFilter:
    """Events that end at or after ``starting`` and start before ``before``; the other fields
    narrow as for resources (``organisation`` is the publisher). ``event`` picks one by id."""

    starting: datetime | None = None
    before: datetime | None = None
    topic: str | None = None
    system: str | None = None
    organisation: str | None = None
    resource_type: str | None = None
    online: bool | None = None
    event: str | None = None

    def parameters(self) -> dict[str, Any]:
        return {
            **topic_parameters(self.topic),
            "fromKey": utc_key(self.starting) if self.starting else "",
            "toKey": utc_key(self.before) if self.before else None,
            "system": self.system,
            "organisation": self.organisation,
            "resourceType": self.resource_type,
            "online": self.online,
            "event": self.event,
        }


def _from_resources(*names: str) -> dict[str, Narrowing]:
    return {name: resources.LISTING.narrowings[name] for name in names}


EVENTS = Listing(
    variable="resource",
    scan="MATCH (resource:Resource)",
    alive="resource.untilKey >= $fromKey AND resource.retiredAt IS NULL",
    sort_key="resource.startsKey",
    narrowings={
        "event": Narrowing("resource.id = $event", anchor="MATCH (resource:Resource {id: $event})"),
        **_from_resources("organisation", "topic", "system", "resourceType"),
        "online": Narrowing("coalesce(resource.online, false) = $online"),
        "toKey": Narrowing("resource.startsKey < $toKey"),
    },
)


async def event_page(graph: Graph, where: EventFilter, *, first: int, after: Cursor | None) -> Page:
    """Events matching ``where``, soonest first (by start, then id)."""
    parameters = {**where.parameters(), **page_parameters(after, first)}
    statement = EVENTS.page(parameters, RESOURCE.row, after=after is not None)
    return to_page(await graph.read(statement, parameters), first)


async def event_count(graph: Graph, where: EventFilter) -> int:
    parameters = where.parameters()
    rows = await graph.read(EVENTS.count(parameters), parameters)
    return rows[0]["n"]


# What a calendar shows beside each event: its topics (categories) and its publisher.
_CALENDAR_LISTS: LiteralString = resources.TOPICS.subquery(
    "resource", TOPIC.projection({"label"})
) + resources.PUBLISHERS.subquery("resource", ORGANISATION.projection({"name"}))


async def calendar_events(graph: Graph, where: EventFilter, *, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` events, soonest first, each ``{item, topics, publishers}``."""
    parameters = {**where.parameters(), **page_parameters(None, limit)}
    statement = EVENTS.page(
        parameters,
        RESOURCE.row,
        after=False,
        nested=_CALENDAR_LISTS,
        columns=", topics, publishers",
    )
    page = to_page(await graph.read(statement, parameters), limit)
    return [{"item": item, **lists} for item, lists in zip(page.items, page.columns, strict=True)]


# --- "go and see" ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFilter:
    """Projects whose visit offer is open at ``now``; the rest narrows as for projects."""

    now: datetime
    topic: str | None = None
    system: str | None = None
    organisation: str | None = None

    def parameters(self) -> dict[str, Any]:
        return {
            **topic_parameters(self.topic),
            "nowKey": utc_key(self.now),
            "system": self.system,
            "organisation": self.organisation,
        }


VISITS = Listing(
    variable="project",
    scan="MATCH (project:Project)",
    alive="project.visitsOpenUntil >= $nowKey AND project.retiredAt IS NULL",
    sort_key=projects.LISTING.sort_key,
    narrowings={
        name: projects.LISTING.narrowings[name] for name in ("organisation", "topic", "system")
    },
)


async def visit_page(graph: Graph, where: VisitFilter, *, first: int, after: Cursor | None) -> Page:
    """Projects offering visits now (a date to come, or on request), by title then id."""
    parameters = {**where.parameters(), **page_parameters(after, first)}
    statement = VISITS.page(parameters, PROJECT.row, after=after is not None)
    return to_page(await graph.read(statement, parameters), first)


async def visit_count(graph: Graph, where: VisitFilter) -> int:
    parameters = where.parameters()
    rows = await graph.read(VISITS.count(parameters), parameters)
    return rows[0]["n"]


# --- the library's facets ----------------------------------------------------------------------

FACET_LIMIT = 100
"""At most this many organisations and topics in a facet, the most used first."""

_FACETS: LiteralString = """WITH collect(DISTINCT resource) AS found
CALL (found) {
  UNWIND found AS resource
  WITH resource.resourceType AS value, count(*) AS n WHERE value IS NOT NULL
  RETURN collect({value: value, count: n}) AS kinds
}
CALL (found) {
  UNWIND found AS resource
  WITH resource WHERE resource.programmeId IS NOT NULL
  WITH resource.programmeId AS id, resource.moduleId AS moduleId,
       min(resource.programme) AS name, min(resource.module) AS module, count(*) AS n
  RETURN collect({id: id, name: name, moduleId: moduleId, module: module, count: n}) AS modules
}
CALL (found) {
  UNWIND found AS resource
  MATCH (resource)-[r:PUBLISHED_BY]->(o:Organisation)
  WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL
  WITH o, count(DISTINCT resource) AS n ORDER BY n DESC, o.name, o.id LIMIT $facetLimit
  RETURN collect({id: o.id, name: o.name, count: n}) AS organisations
}
CALL (found) {
  UNWIND found AS resource
  MATCH (resource)-[a:ABOUT]->(t:Topic)
  WHERE a.retiredAt IS NULL AND t.retiredAt IS NULL
  WITH t, count(DISTINCT resource) AS n ORDER BY n DESC, t.label, t.id LIMIT $facetLimit
  RETURN collect({id: t.id, label: t.label, count: n}) AS topics
}
CALL (found) {
  UNWIND found AS resource
  WITH resource, COLLECT { MATCH (resource)-[f:FROM]->(p:Project)
                           WHERE f.retiredAt IS NULL AND p.retiredAt IS NULL
                             AND p.mode IS NOT NULL RETURN p.mode } AS projectModes
  WITH coalesce(resource.mode, head(projectModes)) AS value, count(*) AS n
  WHERE value IS NOT NULL
  RETURN collect({value: value, count: n}) AS modes
}
RETURN size(found) AS total, kinds, modules, organisations, topics, modes"""


@dataclass(frozen=True)
class Facets:
    """How many of the resources a filter keeps have each kind, programme and module,
    publisher, topic and mode of improvement (the library's choices, with their counts)."""

    total: int
    kinds: list[dict[str, Any]]
    programmes: list[dict[str, Any]]
    organisations: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    modes: list[dict[str, Any]]


LIBRARY_FACETS: LiteralString = resources.LISTING.match({}) + _FACETS
"""The facets of the whole library (every live resource), as ``graph.counts`` keeps them."""
KEPT_LIBRARY_FACETS: LiteralString = (
    "MATCH (kept:KeptFacets {id: 'library'}) RETURN kept.facets AS facets"
)


async def resource_facets(graph: Graph, where: resources.ResourceFilter) -> Facets:
    """The facets of the resources ``where`` keeps (none for a text with no words); the whole
    library's as kept, where they are."""
    parameters = {**where.parameters(), "facetLimit": FACET_LIMIT}
    if where.text is not None and parameters["lucene"] is None:
        return Facets(0, [], [], [], [], [])
    row = None
    if not resources.LISTING.given(parameters) and parameters["lucene"] is None:
        kept = await graph.read(KEPT_LIBRARY_FACETS)
        row = json.loads(kept[0]["facets"]) if kept and kept[0]["facets"] else None
    if row is None:
        statement = resources.LISTING.match(parameters) + _FACETS
        row = (await graph.read(statement, parameters))[0]
    return facets_of(row)


def facets_of(row: Mapping[str, Any]) -> Facets:
    """The facets from the row of their statement, each list in the order it is shown."""
    by_count = sorted(row["kinds"], key=lambda k: (-k["count"], k["value"]))
    return Facets(
        total=row["total"],
        kinds=by_count,
        programmes=_programmes(row["modules"]),
        organisations=row["organisations"],
        topics=row["topics"],
        modes=sorted(row["modes"], key=lambda m: (-m["count"], m["value"])),
    )


def _programmes(rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Programmes by name, each with its count and its modules (by name) with theirs."""
    programmes: dict[str, dict[str, Any]] = {}
    for row in rows:
        programme = programmes.setdefault(
            row["id"], {"id": row["id"], "name": row["name"], "count": 0, "modules": []}
        )
        programme["count"] += row["count"]
        if row["moduleId"] is not None:
            programme["modules"].append(
                {"id": row["moduleId"], "name": row["module"], "count": row["count"]}
            )
    for programme in programmes.values():
        programme["modules"].sort(key=lambda m: (m["name"].lower(), m["id"]))
    return sorted(programmes.values(), key=lambda p: (p["name"].lower(), p["id"]))
