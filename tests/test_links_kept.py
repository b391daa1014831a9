"""The links ingestion keeps give the same answers as working them out on the spot: after a
first load, and after pulls that change, move, hide and retire what makes links."""

from __future__ import annotations

from typing import Any

import pytest

from bench.region import load_region
from bench.synthetic import generate
from connectors.records import OrganisationRef, PersonRecord, ProjectRecord, Record
from graph.database import Graph
from graph.ingest import sync_source
from graph.links import ensure_links_kept
from graph.queries.links import cross_boundary_links

CASES = [
    {"system": None, "public_only": True},
    {"system": None, "public_only": False},
    {"system": "system-1", "public_only": True},
    {"system": "system-2", "public_only": False},
    {"organisation": "ods:Z0003", "public_only": True},
    {"organisation": "ods:Z0001", "public_only": False},
    {"organisation": "ods:Z0005", "system": "system-1", "public_only": True},
]


async def both(graph: Graph, **case: Any) -> tuple[list, list]:
    asked = {"organisation": None, "system": None, "limit": 100, **case}
    kept = await cross_boundary_links(graph, **asked)
    live = await cross_boundary_links(graph, live=True, **asked)
    return kept, live


async def assert_agree(graph: Graph) -> int:
    """Kept and live agree in every case; how many links the widest case has."""
    widest = 0
    for case in CASES:
        kept, live = await both(graph, **case)
        assert kept == live, case
        widest = max(widest, len(kept))
    return widest


def changed(records: list[Record]) -> list[Record]:
    """The same source's records after a month: some projects gone, one moved to another
    organisation, one about other topics, people who stopped being listed, one who moved
    employer."""
    projects = [r for r in records if isinstance(r, ProjectRecord)]
    people = [r for r in records if isinstance(r, PersonRecord)]
    gone = {p.ref for p in projects[:3]}
    moved = projects[3].ref
    hidden = {p.ref for p in people[:4]}
    out: list[Record] = []
    for record in records:
        if record.ref in gone:
            continue
        if record.ref == moved and isinstance(record, ProjectRecord):
            record = record.model_copy(
                update={"lead_organisation": OrganisationRef(ods_code="Z0007")}
            )
        elif record.ref in hidden and isinstance(record, PersonRecord):
            record = record.model_copy(update={"public": not record.public})
        elif record.ref == projects[4].ref and isinstance(record, ProjectRecord):
            record = record.model_copy(update={"topics": record.topics[1:] or ["Sepsis"]})
        elif isinstance(record, PersonRecord) and record.ref == people[5].ref:
            record = record.model_copy(update={"organisation": OrganisationRef(ods_code="Z0011")})
        out.append(record)
    return out


@pytest.mark.parametrize("projects", [300])
async def test_kept_links_agree_with_live_ones_through_changes(graph: Graph, projects: int) -> None:
    region = generate(projects, partners=12, seed=11)
    await load_region(graph, region)
    assert await assert_agree(graph) > 10

    for source, records in region.sources[:4]:
        summary = await sync_source(graph, source, changed(records))
        assert summary.status == "succeeded" and summary.retired >= 3, summary
    assert await assert_agree(graph) > 10


async def test_a_graph_from_before_kept_links_is_rebuilt(graph: Graph) -> None:
    region = generate(150, partners=8, seed=5)
    await load_region(graph, region)
    await graph.write("MATCH ()-[l:LINKED_WITH]->() DELETE l")
    kept, live = await both(graph, system=None, public_only=False)
    assert kept == [] and live != []
    assert await ensure_links_kept(graph) is True
    kept, live = await both(graph, system=None, public_only=False)
    assert kept == live
    assert await ensure_links_kept(graph) is False  # once

    # Links kept before organisations kept their topics: rebuilt once more, then agreeing.
    await graph.write("MATCH (m:LinksKept) REMOVE m.version")
    await graph.write("MATCH (o:Organisation) REMOVE o.linkTopics")
    assert await ensure_links_kept(graph) is True
    kept, live = await both(graph, system=None, public_only=False)
    assert kept == live and any(link["topicCount"] for link in kept)
