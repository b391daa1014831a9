"""The counts ingestion keeps (topics' usage, systems' projects) are the counts worked out on
the spot: after a first load, and after pulls that drop topics, retire records, hide people
and move an organisation to another system."""

from __future__ import annotations

import pytest

from bench.region import load_region
from bench.synthetic import generate
from connectors.records import (
    OrganisationRecord,
    PersonRecord,
    ProjectRecord,
    Record,
    ResourceRecord,
)
from graph.counts import KEPT, ensure_counted, recount
from graph.database import Graph
from graph.ingest import sync_source
from graph.queries import events, projects
from graph.queries.projects import ProjectFilter
from graph.queries.resources import ResourceFilter
from graph.queries.topics import KEPT_USAGE, counted_usage, topic_usage
from graph.version import graph_version


async def topic_ids(graph: Graph) -> list[str]:
    rows = await graph.read("MATCH (t:Topic) RETURN t.id AS id ORDER BY id")
    return [row["id"] for row in rows]


async def assert_agree(graph: Graph) -> int:
    """Every node has its kept counts, and they agree with counting for every topic and
    count and every system; the most projects a topic has."""
    for kept in KEPT:
        assert (await graph.read(kept.uncounted))[0]["any"] is False, kept.label
    rows = await graph.read("MATCH (s:System) RETURN s.id AS id, s.projectCount AS n")
    for row in rows:
        live = await graph.read(
            projects.LISTING.count({"system": row["id"]}), {"system": row["id"]}
        )
        assert row["n"] == live[0]["n"] and row["n"] > 0, row
        counted = await projects.project_count(graph, ProjectFilter(system=row["id"]))
        assert counted == row["n"]
    kept_facets = await events.resource_facets(graph, ResourceFilter())
    (live,) = await graph.read(events.LIBRARY_FACETS, {"facetLimit": events.FACET_LIMIT})
    assert kept_facets == events.facets_of(live) and kept_facets.total > 0
    ids = await topic_ids(graph)
    busiest = 0
    for count, public_only in KEPT_USAGE:
        kept = await topic_usage(graph, ids, count, public_only=public_only)
        live = await counted_usage(graph, ids, count, public_only=public_only)
        assert kept == [live.get(i, 0) for i in ids], (count, public_only)
        if count == "projects":
            busiest = max(kept)
    return busiest


def changed(records: list[Record]) -> list[Record]:
    """The same source's records a month on: projects and a resource gone, a project and a
    resource about fewer topics, people no longer listed, one who lost an interest, an
    organisation now in another system."""
    projects = [r for r in records if isinstance(r, ProjectRecord)]
    people = [r for r in records if isinstance(r, PersonRecord)]
    resources = [r for r in records if isinstance(r, ResourceRecord)]
    gone = {p.ref for p in projects[:3]} | {r.ref for r in resources[:1]}
    fewer = {projects[4].ref, *(r.ref for r in resources[1:2])}
    hidden = {p.ref for p in people[:4]}
    out: list[Record] = []
    for record in records:
        if record.ref in gone:
            continue
        if record.ref in fewer and isinstance(record, ProjectRecord | ResourceRecord):
            record = record.model_copy(update={"topics": record.topics[:1]})
        elif record.ref in hidden and isinstance(record, PersonRecord):
            record = record.model_copy(update={"public": not record.public})
        elif isinstance(record, PersonRecord) and record.ref == people[5].ref:
            record = record.model_copy(update={"interests": record.interests[1:]})
        elif isinstance(record, OrganisationRecord) and record.system == "system-1":
            record = record.model_copy(update={"system": "system-2"})
        out.append(record)
    return out


@pytest.mark.parametrize("projects", [300])
async def test_kept_usage_agrees_with_counting_through_changes(graph: Graph, projects: int) -> None:
    region = generate(projects, partners=12, seed=11)
    await load_region(graph, region)
    assert await assert_agree(graph) > 5

    before = await graph_version(graph)
    for source, records in region.sources[:4]:
        summary = await sync_source(graph, source, changed(records))
        assert summary.status == "succeeded" and summary.retired >= 3, summary
    assert await assert_agree(graph) > 5
    assert await graph_version(graph) > before
    assert await recount(graph) == 0  # the pulls left nothing to recount


async def test_nodes_no_recount_reached_are_counted_on_the_spot(graph: Graph) -> None:
    region = generate(120, partners=6, seed=5)
    await load_region(graph, region)
    kept = await topic_usage(graph, await topic_ids(graph), "projects", public_only=True)
    in_system = await projects.project_count(graph, ProjectFilter(system="system-1"))
    await graph.write(
        "MATCH (t:Topic) REMOVE " + ", ".join("t." + name for name in KEPT_USAGE.values())
    )
    await graph.write("MATCH (s:System) REMOVE s.projectCount")
    facets = await events.resource_facets(graph, ResourceFilter())
    await graph.write("MATCH (k:KeptFacets) DELETE k")
    assert await events.resource_facets(graph, ResourceFilter()) == facets
    assert await topic_usage(graph, await topic_ids(graph), "projects", public_only=True) == kept
    assert await projects.project_count(graph, ProjectFilter(system="system-1")) == in_system
    assert any(kept) and in_system > 0

    assert await ensure_counted(graph) is True
    assert await assert_agree(graph) > 0
    assert await ensure_counted(graph) is False  # once
