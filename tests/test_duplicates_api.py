"""The duplicates GraphQL module against a real Neo4j: clusters with explanations, the review
mutation (signed-in only), and dismissed pairs hidden by default."""

from __future__ import annotations

import gc
from typing import Any

import strawberry

from eval import planted
from graph.database import Graph
from graph.similarity.engine import rescore_all
from graph.similarity.reads import Cluster, ProjectSummary, SimilarPair
from graph.similarity.reviews import ReviewStatus
from schema.context import Context
from schema.duplicates import BARE_CLUSTERS, BareCluster, DuplicatesMutation, DuplicatesQuery
from schema.viewer import Role, Viewer

SCHEMA = strawberry.federation.Schema(query=DuplicatesQuery, mutation=DuplicatesMutation)
MEMBER = Viewer(role=Role.MEMBER, subject="key:test-reviewer")

CLUSTERS = """
query ($system: ID, $status: [ReviewStatus!]) {
  duplicates(system: $system, status: $status, first: 10) {
    id topScore projects { id title organisations { lead organisation { name } } }
    pairs { a { id } b { id } score kind reasons explanation status note }
  }
}
"""
REVIEW = """
mutation ($a: ID!, $b: ID!, $status: ReviewStatus!, $note: String) {
  reviewDuplicate(a: $a, b: $b, status: $status, note: $note) { status note a { id } }
}
"""
FALLS = ("nv-community:falls-night", "nv-hospitals:falls-sensors")


async def run(
    graph: Graph, query: str, viewer: Viewer = MEMBER, **variables: Any
) -> strawberry.types.ExecutionResult:
    return await SCHEMA.execute(
        query, variable_values=variables, context_value=Context(graph, viewer=viewer)
    )


async def test_clusters_reviews_and_who_may_review(graph: Graph) -> None:
    await planted.load_region(graph)
    await rescore_all(graph)

    result = await run(graph, CLUSTERS, system="sys-nv")
    assert result.errors is None, result.errors
    clusters = result.data["duplicates"]
    pairs = {(p["a"]["id"], p["b"]["id"]): p for c in clusters for p in c["pairs"]}
    assert set(pairs) == planted.PLANTED
    falls = pairs[FALLS]
    assert falls["kind"] == "DUPLICATE"
    assert falls["status"] == "UNREVIEWED"
    assert "same topic: falls prevention" in falls["explanation"]
    projects = {p["id"]: p for c in clusters for p in c["projects"]}
    assert projects[FALLS[1]]["organisations"] == [
        {"lead": True, "organisation": {"name": "North Vale Hospitals NHS Foundation Trust"}}
    ]

    refused = await run(graph, REVIEW, Viewer(), a=FALLS[0], b=FALLS[1], status="DISMISSED")
    assert refused.errors is not None
    assert "Sign in" in refused.errors[0].message

    bad = await run(graph, REVIEW, a=FALLS[0], b=FALLS[0], status="DISMISSED")
    assert bad.errors is not None
    assert "two different project ids" in bad.errors[0].message

    done = await run(graph, REVIEW, a=FALLS[0], b=FALLS[1], status="DISMISSED", note="checked")
    assert done.errors is None, done.errors
    assert done.data["reviewDuplicate"] == {
        "status": "DISMISSED",
        "note": "checked",
        "a": {"id": FALLS[0]},
    }

    hidden = await run(graph, CLUSTERS, system="sys-nv")
    shown = {(p["a"]["id"], p["b"]["id"]) for c in hidden.data["duplicates"] for p in c["pairs"]}
    assert FALLS not in shown
    asked = await run(graph, CLUSTERS, system="sys-nv", status=["DISMISSED"])
    only = [(p["a"]["id"], p["b"]["id"]) for c in asked.data["duplicates"] for p in c["pairs"]]
    assert only == [FALLS]


PAIRS_ONLY = "query { duplicates(first: 10) { id pairs { a { id } b { id } status note } } }"


async def test_pages_made_from_the_cache_show_a_review_at_once(graph: Graph) -> None:
    """The pairs of a page that asks only ids and titles are made once per cached cluster
    (schema/duplicates.py, ``BareCluster``): a review makes new cached clusters, so the next page
    shows it."""
    await planted.load_region(graph)
    await rescore_all(graph)
    first = await run(graph, PAIRS_ONLY)
    assert first.errors is None, first.errors
    assert (await run(graph, PAIRS_ONLY)).data == first.data

    done = await run(graph, REVIEW, a=FALLS[0], b=FALLS[1], status="CONFIRMED", note="one team")
    assert done.errors is None, done.errors
    after = await run(graph, PAIRS_ONLY)
    falls = [
        p
        for c in after.data["duplicates"]
        for p in c["pairs"]
        if (p["a"]["id"], p["b"]["id"]) == FALLS
    ]
    assert falls == [
        {"a": {"id": FALLS[0]}, "b": {"id": FALLS[1]}, "status": "CONFIRMED", "note": "one team"}
    ]


def test_what_is_made_for_a_cluster_is_kept_while_the_cluster_lives() -> None:
    summary = ProjectSummary(id="p1", title="One", organisations=(), systems=())
    other = ProjectSummary(id="p2", title="Two", organisations=(), systems=())
    pair = SimilarPair(
        a=summary,
        b=other,
        score=0.9,
        kind="duplicate",
        reasons=("same topic",),
        status=ReviewStatus("unreviewed"),
        note=None,
        reviewer=None,
        reviewed_at=None,
    )
    cluster = Cluster(projects=(summary, other), pairs=(pair,))
    made = BareCluster.of(cluster)
    assert BareCluster.of(cluster) is made
    assert [(p.a.id, p.b.id, p.score) for p in made.pairs] == [("p1", "p2", 0.9)]
    assert [p.title for p in made.projects] == ["One", "Two"]
    key = id(cluster)
    del cluster
    gc.collect()
    assert key not in BARE_CLUSTERS
