"""Topics' usage as ingestion keeps it gives the same counts as counting on the spot: after a
first load, and after pulls that drop topics, retire records and hide people."""

from __future__ import annotations

import pytest

from bench.region import load_region
from bench.synthetic import generate
from connectors.records import PersonRecord, ProjectRecord, Record, ResourceRecord
from graph.database import Graph
from graph.ingest import sync_source
from graph.queries.topics import KEPT_USAGE, counted_usage, topic_usage
from graph.usage import UNCOUNTED, ensure_usage_kept, recount_topic_usage
from graph.version import graph_version


async def topic_ids(graph: Graph) -> list[str]:
    rows = await graph.read("MATCH (t:Topic) RETURN t.id AS id ORDER BY id")
    return [row["id"] for row in rows]


async def assert_agree(graph: Graph) -> int:
    """Every topic has kept counts, and they agree with counting for every topic and count;
    the most projects a topic has."""
    assert (await graph.read(UNCOUNTED))[0]["any"] is False
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
    resource about fewer topics, people no longer listed, one who lost an interest."""
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
    assert await recount_topic_usage(graph) == 0  # the pulls left nothing to recount


async def test_topics_no_recount_reached_are_counted_on_the_spot(graph: Graph) -> None:
    region = generate(120, partners=6, seed=5)
    await load_region(graph, region)
    kept = await topic_usage(graph, await topic_ids(graph), "projects", public_only=True)
    await graph.write(
        "MATCH (t:Topic) REMOVE " + ", ".join("t." + name for name in KEPT_USAGE.values())
    )
    assert await topic_usage(graph, await topic_ids(graph), "projects", public_only=True) == kept
    assert any(kept)

    assert await ensure_usage_kept(graph) is True
    assert await assert_agree(graph) > 0
    assert await ensure_usage_kept(graph) is False  # once
