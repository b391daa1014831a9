"""Nested fields are batched: the round trips for a page do not grow with its size."""

from __future__ import annotations

from connectors.records import OrganisationRecord, PersonRecord, ProjectMember, ProjectRecord
from connectors.records import OrganisationRef as At
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from tests.test_api_fixture import run

PAGE = """
query ($first: Int) {
  projects(first: $first) {
    totalCount
    edges { node {
      id title
      organisations { lead organisation { id name systems { id } } }
      topics { id label broader { id } }
      people { role person { id name organisations { id } contact { email } } }
    } }
  }
}
"""


async def fifty_projects(graph: Graph) -> None:
    records = [OrganisationRecord(ref=f"o{i}", name=f"Trust {i}", sector="nhs") for i in range(5)]
    records += [
        PersonRecord(
            ref=f"p{i}", name=f"Person {i}", organisation=At(name=f"Trust {i % 5}"), public=True
        )
        for i in range(20)
    ]
    records += [
        ProjectRecord(
            ref=f"j{i:02}",
            title=f"Project {i:02}",
            topics=["falls", "sepsis"],
            lead_organisation=At(name=f"Trust {i % 5}"),
            partner_organisations=[At(name=f"Trust {(i + 1) % 5}")],
            members=[
                ProjectMember(person=f"p{i % 20}", role="lead"),
                ProjectMember(person=f"p{(i + 7) % 20}"),
            ],
        )
        for i in range(50)
    ]
    summary = await sync_source(graph, SourceInfo("many", "many", "Many", "json_api"), records)
    assert summary.succeeded and summary.errors == []


async def round_trips(graph: Graph, first: int) -> tuple[int, int]:
    graph.round_trips = 0
    data = await run(graph, PAGE, first=first)
    edges = data["projects"]["edges"]
    assert len(edges) == first
    assert all(
        len(e["node"]["people"]) == 2 and len(e["node"]["organisations"]) == 2 for e in edges
    )
    return graph.round_trips, len(edges)


async def test_round_trips_are_few_and_independent_of_page_size(graph: Graph) -> None:
    await fifty_projects(graph)
    small, _ = await round_trips(graph, 5)
    large, _ = await round_trips(graph, 50)
    # page, count, organisations, their systems, topics, broader, people, their organisations
    assert large == small == 8
