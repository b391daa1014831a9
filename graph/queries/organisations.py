"""Organisations: pages by system and sector, and their systems, projects and people."""

from __future__ import annotations

from datetime import datetime

from graph.database import Graph
from graph.queries.batch import LEAD, SIZED, Related
from graph.queries.common import Cursor, Page, page_parameters, to_page
from graph.queries.fields import ORGANISATION, PERSON, PROJECT, SYSTEM
from graph.queries.filters import Listing, Narrowing
from graph.queries.ordering import changed_since

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
        "updatedSince": changed_since("organisation"),
    },
)


async def organisation_page(
    graph: Graph,
    *,
    system: str | None,
    sector: str | None,
    first: int,
    after: Cursor | None,
    updated_since: datetime | None = None,
) -> Page:
    """Organisations by name then id, narrowed to a system, a sector and those changed at or
    after ``updated_since`` when given."""
    parameters = {
        "system": system,
        "sector": sector,
        "updatedSince": updated_since,
        **page_parameters(after, first),
    }
    statement = LISTING.page(parameters, ORGANISATION.row, after=after is not None)
    return to_page(await graph.read(statement, parameters), first)


async def organisation_count(
    graph: Graph, *, system: str | None, sector: str | None, updated_since: datetime | None = None
) -> int:
    parameters = {"system": system, "sector": sector, "updatedSince": updated_since}
    rows = await graph.read(LISTING.count(parameters), parameters)
    return rows[0]["n"]


# What hangs off each organisation, batched for the loaders (``graph.queries.batch``).
SYSTEMS = Related("systems", ORGANISATION, "-[r:PART_OF]->", SYSTEM)
PROJECTS = Related(
    "projects", ORGANISATION, "<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-", PROJECT, edge=LEAD, limit=SIZED
)
RUNS = Related("projects", ORGANISATION, "<-[r:RUN_BY]-", PROJECT, edge=LEAD, limit=SIZED)
"""The projects it runs: ``PROJECTS`` whose ``lead`` is true."""
PARTNERS_IN = Related(
    "projects",
    ORGANISATION,
    "<-[r:IN_PARTNERSHIP_WITH]-",
    PROJECT,
    edge=LEAD,
    limit=SIZED,
    where=" AND NOT EXISTS { MATCH (project)-[run:RUN_BY]->(runner) "
    "WHERE runner = endNode(r) AND run.retiredAt IS NULL }",
)
"""The projects it partners in and does not run: ``PROJECTS`` whose ``lead`` is false."""
PEOPLE = Related("people", ORGANISATION, "<-[r:WORKS_FOR]-", PERSON, limit=SIZED)
