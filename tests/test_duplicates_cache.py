"""Clusters kept between requests against a real Neo4j: never older than the pairs, reviews
and syncs they come from, and worked out once however many requests ask at the same moment."""

from __future__ import annotations

import asyncio

from eval import planted
from graph.database import Graph
from graph.ingest import sync_source
from graph.similarity import cluster_cache, reads
from graph.similarity.engine import rescore_all, update_similarity
from graph.similarity.reviews import ReviewStatus, review_pair

FALLS = {"nv-community:falls-night", "nv-hospitals:falls-sensors"}
FALLS_EM = "em-hospitals:falls-sensors-em"


async def clusters(graph: Graph) -> dict[str, set[str]]:
    """Every cluster as it reads now: its id, and its projects."""
    found = await reads.duplicate_clusters(graph, first=100)
    return {c.id: {p.id for p in c.projects} for c in found}


async def test_clusters_follow_rescoring_syncs_and_reviews_at_once(graph: Graph) -> None:
    await planted.load_region(graph)
    await rescore_all(graph)
    before = await clusters(graph)
    assert FALLS in before.values()

    # A new project like the falls pair, synced and scored: its cluster grows at once.
    falls = planted.project(
        "falls-sensors-em",
        "Falls sensors on acute wards at night",
        aim="Bed and chair sensors alert night staff when older inpatients get up, so that "
        "fewer of them fall.",
        topics=["falls"],
        start_date="2024-04-01",
        lead_organisation=planted.at("ZEM01"),
    )
    records = [*planted.em_hospitals(), falls]
    assert (await sync_source(graph, planted.EM_HOSPITALS, records)).succeeded
    await update_similarity(graph, [FALLS_EM])
    assert FALLS | {FALLS_EM} in (await clusters(graph)).values()

    # Dismissing two of its pairs leaves the third alone, straight away.
    for other in sorted(FALLS):
        await review_pair(graph, FALLS_EM, other, ReviewStatus.DISMISSED)
    assert FALLS in (await clusters(graph)).values()

    # The new project retired by its source's next full pull: gone, even before rescoring.
    assert (await sync_source(graph, planted.EM_HOSPITALS, planted.em_hospitals())).succeeded
    assert FALLS in (await clusters(graph)).values()
    dismissed = await reads.duplicate_clusters(graph, statuses=[ReviewStatus.DISMISSED])
    assert dismissed == []

    # A full rescore after the pairs were deleted behind its back: the clusters come back.
    await graph.write("MATCH ()-[s:SIMILAR_TO]->() DELETE s")
    assert await clusters(graph) == {}
    await rescore_all(graph)
    assert await clusters(graph) == before


async def test_requests_at_the_same_moment_group_the_pairs_once(graph: Graph) -> None:
    await planted.load_region(graph)
    await rescore_all(graph)
    cluster_cache.forget(graph)
    trips = graph.round_trips
    found = await asyncio.gather(*(reads.cluster_page(graph, first=20) for _ in range(8)))
    assert len({tuple(c.id for c in page.clusters) for page in found}) == 1
    assert found[0].total == 2
    # each request reads the fingerprint; one reads the pairs and describes the first page
    assert graph.round_trips - trips == 8 + 2

    trips = graph.round_trips
    again = await reads.cluster_page(graph, first=20)
    assert again.clusters == found[0].clusters
    assert graph.round_trips - trips == 1


async def test_uncached_clusters_are_the_cached_ones_worked_out_again(graph: Graph) -> None:
    """The API bench's second baseline: the same clusters, read and grouped on every call."""
    await planted.load_region(graph)
    await rescore_all(graph)
    cluster_cache.forget(graph)
    cached = await reads.duplicate_clusters(graph, first=20)
    assert cached

    trips = graph.round_trips
    uncached = await reads.duplicate_clusters(graph, first=20, cached=False)
    assert uncached == cached
    assert graph.round_trips - trips == 2  # the pairs, then the page's projects; no fingerprint
    trips = graph.round_trips
    assert await reads.duplicate_clusters(graph, first=20, cached=False) == cached
    assert graph.round_trips - trips == 2  # nothing kept from the call before
