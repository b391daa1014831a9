"""Nested fields are batched: the round trips for a page do not grow with its size.

A `projects` page, and a search's project hits, fetch the organisations, topics and people
they select in their own statement; deeper fields (an organisation's systems...) go through
one batched loader each.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bench.workloads import CONVENER_PROJECTS, CONVENER_SEARCH, CONVENER_WHO_ELSE
from connectors.records import OrganisationRecord, PersonRecord, ProjectMember, ProjectRecord
from connectors.records import OrganisationRef as At
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from schema.viewer import Role, Viewer
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


async def fifty_projects(graph: Graph, unlisted: frozenset[int] = frozenset()) -> None:
    """Fifty projects of five trusts, two people each; people in ``unlisted`` are not public."""
    records = [OrganisationRecord(ref=f"o{i}", name=f"Trust {i}", sector="nhs") for i in range(5)]
    records += [
        PersonRecord(
            ref=f"p{i}",
            name=f"Person {i}",
            organisation=At(name=f"Trust {i % 5}"),
            public=i not in unlisted,
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
    # page (with organisations, topics, people), count, systems, broader, people's organisations
    assert large == small == 5


NESTED = """
query ($first: Int) {
  projects(first: $first) {
    nodes { ...Lists }
  }
}
""" + (
    LISTS := """
fragment Lists on Project {
  id
  leadOrganisation { id }
  organisations { lead organisation { id name sector } }
  topics { id label }
  people { role person { id name contact { email } } }
  two: people(first: 1) { person { id } }
}
"""
)

ONE = """
query ($id: ID!) {
  project(id: $id) {
    id
    leadOrganisation { id }
    organisations { lead organisation { id name sector } }
    topics { id label }
    people { role person { id name contact { email } } }
    two: people(first: 1) { person { id } }
  }
}
"""


SEARCHED = (
    """
query ($text: String!) {
  search(text: $text, kinds: [PROJECT], first: 12) { node { __typename ...Lists } }
}
"""
    + LISTS
)


async def page_nodes(graph: Graph, **as_viewer: Any) -> list[dict[str, Any]]:
    return (await run(graph, NESTED, first=12, **as_viewer))["projects"]["nodes"]  # type: ignore[no-any-return]


async def search_nodes(graph: Graph, **as_viewer: Any) -> list[dict[str, Any]]:
    hits = (await run(graph, SEARCHED, text="Project", **as_viewer))["search"]
    return [{k: v for k, v in hit["node"].items() if k != "__typename"} for hit in hits]


@pytest.mark.parametrize(
    ("read", "round_trips"),
    [(page_nodes, 1), (search_nodes, 2)],  # a search ranks first, then reads the hits
    ids=["a page", "search's project hits"],
)
async def test_projects_are_read_with_their_nested_lists(
    graph: Graph, read: Callable[..., Awaitable[list[dict[str, Any]]]], round_trips: int
) -> None:
    await fifty_projects(graph, unlisted=frozenset({3}))
    seen: dict[bool, set[str]] = {}
    for viewer in (None, Viewer(role=Role.MEMBER, subject="test")):
        as_viewer = {"as_viewer": viewer} if viewer else {}
        graph.round_trips = 0
        nodes = await read(graph, **as_viewer)
        assert graph.round_trips == round_trips
        assert len(nodes) == 12
        # The same lists as the loaders give one project at a time (which reads them apart).
        for node in nodes:
            graph.round_trips = 0
            alone = await run(graph, ONE, id=node["id"], **as_viewer)
            assert graph.round_trips > 1
            assert alone["project"] == node
        first_person = [
            (n["two"][0]["person"]["id"], n["people"][0]["person"]["id"]) for n in nodes
        ]
        assert all(a == b for a, b in first_person)
        seen[viewer is None] = {m["person"]["name"] for n in nodes for m in n["people"]}
    # Person 3 did not agree to be listed: members see them, anonymous callers do not.
    assert "Person 3" in seen[False] and "Person 3" not in seen[True]


async def test_the_benchmark_documents_answer_in_one_round_trip_each(graph: Graph) -> None:
    """The API benchmark's documents (bench/workloads.py) on the hub's own schema: a page with
    its nested lists and a whoElse each answer from one statement; a search from two (its
    ranking, one statement whatever is selected, then the hits' selected fields)."""
    await fifty_projects(graph)
    organisations = await graph.read("MATCH (o:Organisation) RETURN o.id AS id ORDER BY id")

    graph.round_trips = 0
    data = await run(graph, CONVENER_PROJECTS, organisation=organisations[0]["id"])
    nodes = data["projects"]["nodes"]
    assert len(nodes) == 20 and all(n["organisations"] and n["people"] for n in nodes)
    assert graph.round_trips == 1

    graph.round_trips = 0
    data = await run(graph, CONVENER_SEARCH, text="Project")
    assert data["search"] and {hit["kind"] for hit in data["search"]} >= {"PROJECT"}
    assert graph.round_trips == 2

    graph.round_trips = 0
    data = await run(graph, CONVENER_WHO_ELSE, topic="falls")
    assert data["whoElse"] and all(m["projects"] for m in data["whoElse"])
    assert graph.round_trips == 1
