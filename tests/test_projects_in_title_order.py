"""Pages of projects (and resources) by title read the stored title key's index in order,
checking broad filters on the way, and gather every match instead when the first nodes read
hold too few.

Either way a page is the same: the next projects by title then id after the cursor, none
missed or repeated. A region through the real ingestion path: 180 projects in two systems
(two in three in the first), titles with ties in lower case, and three stopped projects that
come last by title, so a page of them is not found among the first nodes read; a resource
from each project, published by its lead organisation.
"""

from __future__ import annotations

from typing import Any

import pytest

from connectors.enums import ProjectStatus
from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    ProjectRecord,
    Record,
    ResourceRecord,
)
from graph.database import Graph
from graph.ingest import SourceInfo, SystemInfo, store_systems, sync_source
from graph.queries import projects, resources
from graph.queries.filters import READS_PER_ROW
from graph.queries.projects import ProjectFilter
from graph.queries.resources import ResourceFilter
from tests.test_api_fixture import run

SOURCE = SourceInfo("to", "title-order", "Title order register", "json_api")
NORTH = OrganisationRef(name="Northfold Trust")
SOUTH = OrganisationRef(name="Southmere Council")
PROJECTS = 180
PAGE = """query ($filter: %sFilter, $first: Int, $after: String) {
  %s(filter: $filter, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor } nodes { id title } } }"""


def _title(n: int) -> str:
    # Every fifth title differs from another only in case: ties in the sort key, broken by id.
    return f"Ward round {n // 2:03d}" if n % 5 else f"WARD ROUND {n // 2:03d}"


def _records() -> list[Record]:
    records: list[Record] = [
        OrganisationRecord(ref="o1", name="Northfold Trust", sector="nhs", system="north"),
        OrganisationRecord(ref="o2", name="Southmere Council", sector="local_government",
                           system="south"),
    ]  # fmt: skip
    for n in range(PROJECTS):
        stopped = n >= PROJECTS - 3
        records.append(
            ProjectRecord(
                ref=f"p{n:03d}",
                title=f"Zero waste {n}" if stopped else _title(n),
                lead_organisation=SOUTH if n % 3 == 0 else NORTH,
                status=ProjectStatus.STOPPED if stopped else ProjectStatus.ACTIVE,
            )
        )
        records.append(
            ResourceRecord(
                ref=f"r{n:03d}",
                title=_title(PROJECTS - n),
                organisation=SOUTH if n % 3 == 0 else NORTH,
            )
        )
    return records


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> Graph:
    await session_graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    await store_systems(
        session_graph,
        [SystemInfo("north", "North ICS", "ics"), SystemInfo("south", "South ICS", "ics")],
    )
    outcome = await sync_source(session_graph, SOURCE, _records())
    assert outcome.succeeded, outcome
    return session_graph


async def every_page(graph: Graph, first: int, kind: str = "Project", **filter: Any) -> list[str]:
    """The ids of every page of ``first`` projects (or another kind), following the cursors."""
    ids: list[str] = []
    after = None
    field = kind.lower() + "s"
    document = PAGE % (kind, field)
    while True:
        data = (await run(graph, document, filter=filter, first=first, after=after))[field]
        ids += [node["id"] for node in data["nodes"]]
        if not data["pageInfo"]["hasNextPage"]:
            return ids
        after = data["pageInfo"]["endCursor"]


async def expected(graph: Graph, system: str | None = None, status: str | None = None) -> list[str]:
    """The same list worked out apart: by title in lower case, then id."""
    rows = await graph.read(
        "MATCH (project:Project)-[:RUN_BY]->(:Organisation)-[:PART_OF]->(system:System) "
        "RETURN project.id AS id, project.title AS title, project.status AS status, "
        "system.id AS system"
    )
    kept = [
        row
        for row in rows
        if (system is None or row["system"] == system) and (status in (None, row["status"]))
    ]
    return [row["id"] for row in sorted(kept, key=lambda row: (row["title"].lower(), row["id"]))]


async def test_pages_of_a_broad_filter_read_in_order_give_every_project_once(
    region: Graph,
) -> None:
    assert projects.LISTING.reads_in_order({"system": "north"})
    region.round_trips = 0
    page = await projects.project_page(region, ProjectFilter(system="north"), first=7, after=None)
    assert len(page.items) == 7 and region.round_trips == 1  # read in order, nothing gathered
    assert await every_page(region, 7) == await expected(region)
    assert await every_page(region, 7, system="north") == await expected(region, system="north")


async def test_a_filter_the_first_nodes_read_do_not_satisfy_is_answered_all_the_same(
    region: Graph,
) -> None:
    """Three stopped projects, last by title: a page of two reads 3 x READS_PER_ROW nodes in
    order, finds none, and the page is gathered and sorted instead."""
    assert 3 * READS_PER_ROW < PROJECTS - 3
    stopped = await expected(region, status="stopped")
    assert len(stopped) == 3
    assert await every_page(region, 2, status="STOPPED") == stopped
    page = await projects.project_page(region, ProjectFilter(status="stopped"), first=2, after=None)
    assert [item["id"] for item in page.items] == stopped[:2] and page.has_next


async def test_pages_of_resources_read_in_order_give_every_resource_once(region: Graph) -> None:
    rows = await region.read(
        "MATCH (r:Resource)-[:PUBLISHED_BY]->(:Organisation)-[:PART_OF]->(s:System) "
        "RETURN r.id AS id, r.title AS title, s.id AS system"
    )
    by_title = sorted(rows, key=lambda row: (row["title"].lower(), row["id"]))
    assert len(by_title) == PROJECTS
    assert resources.LISTING.reads_in_order({"system": "south"})
    region.round_trips = 0
    page = await resources.resource_page(region, ResourceFilter(), first=9, after=None)
    assert len(page.items) == 9 and region.round_trips == 1
    assert await every_page(region, 9, "Resource") == [row["id"] for row in by_title]
    south = [row["id"] for row in by_title if row["system"] == "south"]
    assert await every_page(region, 9, "Resource", system="south") == south


def test_narrow_anchored_filters_start_from_their_anchor() -> None:
    assert not projects.LISTING.reads_in_order({"organisation": "org:x"})
    assert not projects.LISTING.reads_in_order({"system": "north", "topic": "falls"})
    assert not projects.LISTING.reads_in_order({"lucene": "falls"})
