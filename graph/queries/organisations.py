"""Organisations: by id, pages by system and sector, and their systems, projects and people."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.database import Graph
from graph.queries.common import (
    ORGANISATION,
    PERSON,
    PROJECT,
    SYSTEM,
    VISIBLE_PERSON,
    Cursor,
    Page,
    aligned,
    by_key,
    page_parameters,
    to_page,
)
from graph.queries.filters import Listing, Narrowing

LISTING = Listing(
    variable="organisation",
    scan="MATCH (organisation:Organisation)",
    alive="organisation.retiredAt IS NULL",
    sort_key="toLower(coalesce(organisation.name, ''))",
    narrowings={
        "system": Narrowing(
            condition="EXISTS { MATCH (organisation)-[s:PART_OF]->(:System {id: $system}) "
            "WHERE s.retiredAt IS NULL }",
            anchor="MATCH (:System {id: $system})<-[s:PART_OF]-(organisation:Organisation) "
            "WHERE s.retiredAt IS NULL WITH DISTINCT organisation",
        ),
        "sector": Narrowing("organisation.sector = $sector"),
    },
)


async def organisation_page(
    graph: Graph, *, system: str | None, sector: str | None, first: int, after: Cursor | None
) -> Page:
    """Organisations by name then id, narrowed to a system and a sector when given."""
    parameters = {"system": system, "sector": sector, **page_parameters(after, first)}
    statement = LISTING.page(parameters, ORGANISATION, after=after is not None)
    return to_page(await graph.read(statement, parameters), first)


async def organisation_count(graph: Graph, *, system: str | None, sector: str | None) -> int:
    parameters = {"system": system, "sector": sector}
    rows = await graph.read(LISTING.count(parameters), parameters)
    return rows[0]["n"]


async def organisations_by_id(graph: Graph, ids: Sequence[str]) -> list[dict[str, Any] | None]:
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (organisation:Organisation {id: key}) "
        "WHERE organisation.retiredAt IS NULL RETURN key, " + ORGANISATION + " AS item",
        {"ids": list(ids)},
    )
    return aligned(rows, ids)


async def organisation_systems(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (:Organisation {id: key})-[p:PART_OF]->(system:System) "
        "WHERE p.retiredAt IS NULL AND system.retiredAt IS NULL "
        "WITH DISTINCT key, system ORDER BY system.name, system.id "
        "RETURN key, collect(" + SYSTEM + ")[..100] AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)


async def organisation_projects(
    graph: Graph, ids: Sequence[str], *, limit: int
) -> list[list[dict[str, Any]]]:
    """Projects each organisation runs or partners in, as ``{lead, project}``, by title."""
    rows = await graph.read(
        "UNWIND $ids AS key "
        "MATCH (project:Project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(:Organisation {id: key}) "
        "WHERE r.retiredAt IS NULL AND project.retiredAt IS NULL "
        "WITH key, project, max(CASE type(r) WHEN 'RUN_BY' THEN 1 ELSE 0 END) = 1 AS lead "
        "ORDER BY project.title, project.id "
        "RETURN key, collect({lead: lead, project: " + PROJECT + "})[..$limit] AS items",
        {"ids": list(ids), "limit": limit},
    )
    return by_key(rows, ids)


async def organisation_people(
    graph: Graph, ids: Sequence[str], *, limit: int, public_only: bool
) -> list[list[dict[str, Any]]]:
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (person:Person)-[w:WORKS_FOR]->(:Organisation {id: key}) "
        "WHERE w.retiredAt IS NULL AND person.retiredAt IS NULL AND " + VISIBLE_PERSON + " "
        "WITH DISTINCT key, person ORDER BY person.name, person.id "
        "RETURN key, collect(" + PERSON + ")[..$limit] AS items",
        {"ids": list(ids), "limit": limit, "publicOnly": public_only},
    )
    return by_key(rows, ids)
