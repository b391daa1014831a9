"""The duplicates API a page of clusters at a time against a real Neo4j: cursors that follow
on to the whole list, a total, and a cluster's strongest pairs."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from bench.explorer import view_constant
from eval import planted
from graph.database import Graph
from graph.similarity.engine import rescore_all
from hub.web.persisted import PERSISTED_DIR, load_documents
from schema.api import schema
from schema.context import Context
from schema.duplicates import DuplicatesQuery
from schema.viewer import Role, Viewer

SCHEMA = strawberry.federation.Schema(query=DuplicatesQuery)
BOTH_KINDS = ["DUPLICATE", "COLLABORATION"]

LIST = """
query ($kind: [SimilarityKind!]) {
  duplicates(kind: $kind, first: 100) { id topScore pairs { a { id } b { id } } }
}
"""
PAGE = """
query ($kind: [SimilarityKind!], $first: Int, $after: String) {
  duplicateClusters(kind: $kind, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id topScore pairCount pairs { score } } }
  }
}
"""


async def run(graph: Graph, query: str, **variables: Any) -> dict[str, Any]:
    result = await SCHEMA.execute(
        query,
        variable_values=variables,
        context_value=Context(graph, viewer=Viewer(role=Role.MEMBER, subject="key:test")),
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def test_pages_of_clusters_follow_on_to_the_whole_list(graph: Graph) -> None:
    await planted.load_region(graph)
    await rescore_all(graph)
    whole = (await run(graph, LIST, kind=BOTH_KINDS))["duplicates"]
    assert len(whole) == 3  # two planted duplicates and the collaboration

    seen, after, pages = [], None, 0
    while True:
        page = (await run(graph, PAGE, kind=BOTH_KINDS, first=1, after=after))["duplicateClusters"]
        pages += 1
        assert page["totalCount"] == len(whole)
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        seen += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert pages == len(whole)
    assert [c["id"] for c in seen] == [c["id"] for c in whole]
    for node, listed in zip(seen, whole, strict=True):
        assert node["pairCount"] == len(listed["pairs"])
        assert len(node["pairs"]) == len(listed["pairs"])
        assert node["pairs"][0]["score"] == listed["topScore"]

    other = await SCHEMA.execute(
        PAGE, variable_values={"after": "bm90LWEtY3Vyc29y"}, context_value=Context(graph)
    )
    assert other.errors is not None
    assert "endCursor" in other.errors[0].message


async def test_a_clusters_projects_have_every_field_asked_for(graph: Graph) -> None:
    await planted.load_region(graph)
    await rescore_all(graph)
    title = "Reducing inpatient falls at night with bed sensors"
    short = "{ duplicates { projects { id title } pairs { a { id title } b { id title } } } }"
    full = "{ duplicates { projects { id aim } pairs { a { id title aim } b { id aim } } } }"
    # id and title come with the clusters; anything more is read from the projects.
    for query in (short, full):
        found = (await run(graph, query))["duplicates"]
        projects = {p["id"]: p for c in found for p in c["projects"]}
        sides = {s["id"]: s for c in found for p in c["pairs"] for s in (p["a"], p["b"])}
        falls = "nv-hospitals:falls-sensors"
        if query is short:
            assert projects[falls]["title"] == sides[falls]["title"] == title
        else:
            assert projects[falls]["aim"].startswith("To cut falls among older patients")
            assert sides[falls]["aim"] == projects[falls]["aim"]


@pytest.mark.parametrize(
    ("first", "pairs"),
    [
        ("PAGE", "PAIRS"),  # the view's pages
        ("CSV_PAGE", "MOST"),  # the CSV's pages, every pair of each cluster
    ],
)
async def test_the_explorers_largest_pages_of_clusters_are_within_the_limits(
    graph: Graph, first: str, pairs: str
) -> None:
    # The persisted document as the hub keeps it: the operation with the fragments it uses.
    document = load_documents(PERSISTED_DIR)["ExplorerDuplicates"].text
    await planted.load_region(graph)
    await rescore_all(graph)
    result = await schema.execute(
        document,
        variable_values={
            "first": view_constant("duplicates", first),
            "pairs": view_constant("duplicates", pairs),
        },
        operation_name="ExplorerDuplicates",
        context_value=Context(graph),
    )
    assert result.errors is None, result.errors
    assert result.data is not None and len(result.data["duplicateClusters"]["edges"]) == 2


PAIR_PROJECTS = """
{ duplicates { projectCount pairCount
  pairProjects(first: 100) { id title organisations { organisation { id } } }
  pairs(first: 100) { a { id title organisations { organisation { id } } } b { id } } } }
"""


async def test_pair_projects_are_the_listed_pairs_projects_each_once(graph: Graph) -> None:
    # Sixteen projects all alike (120 pairs, more than a cluster lists) and a seventeenth alike
    # only to the first, more weakly than any other pair: its pair is left out, and so is it.
    ids = [f"big:{n:02d}" for n in range(17)]
    pairs = [
        {"a": ids[i], "b": ids[j], "score": 0.95 - 0.001 * (i + j)}
        for i in range(16)
        for j in range(i + 1, 16)
    ] + [{"a": ids[0], "b": ids[16], "score": 0.71}]
    await graph.write(
        """
        MERGE (o:Organisation {id: 'org:big'})
        WITH o UNWIND $ids AS id
        CREATE (p:Project {id: id, title: 'Project ' + id})-[:RUN_BY]->(o)
        """,
        {"ids": ids},
    )
    await graph.write(
        """
        UNWIND $pairs AS pair
        MATCH (a:Project {id: pair.a}), (b:Project {id: pair.b})
        CREATE (a)-[:SIMILAR_TO {pair: pair.a + '|' + pair.b, score: pair.score,
                                 kind: 'duplicate', reasons: ['same words'], run: 'test'}]->(b)
        """,
        {"pairs": pairs},
    )
    (cluster,) = (await run(graph, PAIR_PROJECTS))["duplicates"]
    assert (cluster["projectCount"], cluster["pairCount"], len(cluster["pairs"])) == (17, 121, 100)
    await assert_the_strongest_pairs_and_their_projects(graph, ids)
    sides = {s["id"] for p in cluster["pairs"] for s in (p["a"], p["b"])}
    assert [p["id"] for p in cluster["pairProjects"]] == sorted(sides) == ids[:16]
    # The same project, whether asked through a pair or once for the cluster.
    first = next(p["a"] for p in cluster["pairs"] if p["a"]["id"] == ids[0])
    assert cluster["pairProjects"][0] == first
    assert first["organisations"] == [{"organisation": {"id": "org:big"}}]


STRONGEST = """
query ($pairs: Int) { duplicates { pairCount
  pairProjects(first: $pairs) { id title organisations { organisation { id } } }
  pairs(first: $pairs) { score a { id } b { id } } } }
"""


async def assert_the_strongest_pairs_and_their_projects(graph: Graph, ids: list[str]) -> None:
    """A cluster's ``first`` strongest pairs, and only the projects they name."""
    (every,) = (await run(graph, STRONGEST, pairs=100))["duplicates"]
    # Scores fall with i + j: the first twenty pairs reach (0, 8), ties in id order.
    for first, named in [(1, ids[:2]), (3, ids[:4]), (None, ids[:9])]:
        (cluster,) = (await run(graph, STRONGEST, pairs=first))["duplicates"]
        listed = 20 if first is None else first  # every list's default page
        assert cluster["pairs"] == every["pairs"][:listed]
        assert cluster["pairCount"] == 121
        sides = {s["id"] for p in cluster["pairs"] for s in (p["a"], p["b"])}
        assert [p["id"] for p in cluster["pairProjects"]] == sorted(sides) == named
        assert all(p["organisations"] for p in cluster["pairProjects"])
