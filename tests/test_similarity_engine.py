"""Similarity on a real Neo4j: planted duplicates found and explained, incremental updates,
collaborations told apart, clusters, and reviews that survive re-syncs and re-scoring."""

from __future__ import annotations

from eval import planted
from graph.database import Graph
from graph.ingest import sync_source
from graph.similarity import reads, statistics
from graph.similarity.engine import rescore_all, update_similarity
from graph.similarity.profiles import load_all_profiles, load_profiles
from graph.similarity.reviews import ReviewStatus, review_pair
from graph.similarity.scoring import COLLABORATION, DEFAULT_THRESHOLD, DUPLICATE
from tests.ingest_helpers import count


async def pairs_above(graph: Graph, **filters: object) -> dict[tuple[str, str], reads.SimilarPair]:
    found = await reads.similar_pairs(graph, first=100, **filters)  # type: ignore[arg-type]
    return {(p.a.id, p.b.id): p for p in found}


async def test_every_planted_duplicate_is_found_and_explained(graph: Graph) -> None:
    await planted.load_region(graph)
    summary = await rescore_all(graph)
    assert summary.projects == 9

    found = await pairs_above(graph)
    assert found.keys() >= planted.PLANTED
    for key in planted.PLANTED:
        pair = found[key]
        assert pair.kind == DUPLICATE
        assert pair.score >= DEFAULT_THRESHOLD
    falls = found[("nv-community:falls-night", "nv-hospitals:falls-sensors")]
    assert "same topic: falls prevention" in falls.reasons
    assert "both started 2024" in falls.reasons
    assert any(
        r.startswith("different organisations in the same system (North Vale ICS)")
        and "North Vale Community NHS Trust" in r
        and "North Vale Hospitals NHS Foundation Trust" in r
        for r in falls.reasons
    )
    assert any("shared key terms" in r and "sensor" in r for r in falls.reasons)
    assert "both use PDSA" in falls.reasons
    assert falls.explanation == "; ".join(falls.reasons)
    sepsis = found[("em-hospitals:sepsis-ed", "nv-hospitals:sepsis-screening")]
    assert "neighbouring systems: Eastmoor ICS and North Vale ICS" in sepsis.reasons
    unrelated = ("em-hospitals:smoking", "nv-hospitals:discharge-lounge")
    assert unrelated not in found

    # One region for the rest too: loading it is most of a test's time.
    await _collaboration_is_told_apart(graph)
    await _filters_by_system_and_organisation(graph)
    await _a_projects_similar_projects(graph)


async def _collaboration_is_told_apart(graph: Graph) -> None:
    assert planted.COLLABORATION not in await pairs_above(graph)
    both = await pairs_above(graph, kinds=[DUPLICATE, COLLABORATION])
    pair = both[planted.COLLABORATION]
    assert pair.kind == COLLABORATION
    assert "declared partnership through North Vale Community NHS Trust" in pair.reasons


async def _filters_by_system_and_organisation(graph: Graph) -> None:
    in_west = await pairs_above(graph, system="sys-west")
    assert in_west == {}
    in_east = await pairs_above(graph, system="sys-em")
    assert set(in_east) == {("em-hospitals:sepsis-ed", "nv-hospitals:sepsis-screening")}
    community = await pairs_above(graph, organisation="ods:ZNV02")
    assert set(community) == {("nv-community:falls-night", "nv-hospitals:falls-sensors")}


async def test_a_new_project_is_scored_incrementally(graph: Graph) -> None:
    await planted.load_region(graph)
    await rescore_all(graph)
    before = await pairs_above(graph)

    records = [
        *planted.em_hospitals(),
        planted.project(
            "falls-sensors-em",
            "Bed sensors to reduce falls at night on acute wards",
            aim="Fitting bed and chair sensors so that staff are alerted when older patients "
            "get up at night, cutting inpatient falls.",
            topics=["falls"],
            start_date="2024-05-01",
            lead_organisation=planted.at("ZEM01"),
        ),
    ]
    summary = await sync_source(graph, planted.EM_HOSPITALS, records)
    assert summary.created == 1
    update = await update_similarity(graph, ["em-hospitals:falls-sensors-em"])
    assert update.mode == "incremental"

    after = await pairs_above(graph)
    new = {k for k in after if "em-hospitals:falls-sensors-em" in k}
    assert new == {
        ("em-hospitals:falls-sensors-em", "nv-community:falls-night"),
        ("em-hospitals:falls-sensors-em", "nv-hospitals:falls-sensors"),
    }
    assert before.keys() <= after.keys()
    clusters = await reads.duplicate_clusters(graph)
    falls = next(c for c in clusters if len(c.projects) == 3)
    assert {p.id for p in falls.projects} == {
        "em-hospitals:falls-sensors-em",
        "nv-community:falls-night",
        "nv-hospitals:falls-sensors",
    }
    assert len(falls.pairs) == 3


async def test_a_new_project_counts_in_the_term_statistics_once(graph: Graph) -> None:
    await planted.load_region(graph)
    await rescore_all(graph)
    stored = await statistics.current(graph, fresh=True)
    docs, df = stored.docs, dict(stored.df)
    records = [
        *planted.em_hospitals(),
        planted.project(
            "hydration",
            "Hydration trolleys for care home residents",
            aim="Drinks rounds every two hours so residents drink enough.",
            topics=["Nutrition and hydration"],
            lead_organisation=planted.at("ZEM01"),
        ),
    ]
    await sync_source(graph, planted.EM_HOSPITALS, records)
    for _ in range(2):  # scored twice: counted the first time only
        await update_similarity(graph, ["em-hospitals:hydration"])

    in_memory = await statistics.current(graph)
    after = await statistics.current(graph, fresh=True)  # what the graph holds
    assert (in_memory.docs, in_memory.df, in_memory.version) == (after.docs, after.df, 1)
    assert after.docs == docs + 1 == await count(graph, "MATCH (n:Project) RETURN count(n) AS n")
    grown = {t for t, n in after.df.items() if n == df.get(t, 0) + 1}
    assert {"topic_nutrition_hydration", "trolley", "drink"} <= grown
    assert {t for t, n in after.df.items() if n != df.get(t, 0)} == grown
    assert after.version == 1


async def test_statistics_remembered_from_an_emptied_graph_are_not_used(graph: Graph) -> None:
    await planted.load_region(graph)
    await rescore_all(graph)  # this process now remembers the region's term statistics
    expected = set(await pairs_above(graph))
    assert expected

    await graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    await planted.load_region(graph)
    projects = await graph.read("MATCH (p:Project) RETURN collect(p.id) AS ids")
    update = await update_similarity(graph, projects[0]["ids"])
    assert update.mode == "full"  # the graph has no model any more: everything is scored
    assert set(await pairs_above(graph)) == expected


async def test_a_retired_project_leaves_no_pairs(graph: Graph) -> None:
    await planted.load_region(graph)
    await rescore_all(graph)
    without_sepsis = [r for r in planted.em_hospitals() if r.ref != "sepsis-ed"]
    await sync_source(graph, planted.EM_HOSPITALS, without_sepsis)
    assert ("em-hospitals:sepsis-ed", "nv-hospitals:sepsis-screening") not in await pairs_above(
        graph
    )
    await update_similarity(graph, ["em-hospitals:sepsis-ed"])
    stored = await graph.read(
        "MATCH (:Project {id: 'em-hospitals:sepsis-ed'})-[s:SIMILAR_TO]-() RETURN count(s) AS n"
    )
    assert stored[0]["n"] == 0


async def test_a_rescan_rewrites_only_what_changed_and_drops_what_is_gone(graph: Graph) -> None:
    await planted.load_region(graph)
    first = await rescore_all(graph)
    assert first.written == first.stored > 0
    runs = "MATCH ()-[s:SIMILAR_TO]->() RETURN s.pair AS pair, s.run AS run ORDER BY pair"
    before = await graph.read(runs)

    again = await rescore_all(graph)  # nothing changed: nothing to write, nothing to delete
    assert (again.written, again.stored) == (0, first.stored)
    assert await graph.read(runs) == before

    gone = {row["pair"] for row in before if "em-hospitals:sepsis-ed" in row["pair"]}
    assert gone
    without_sepsis = [r for r in planted.em_hospitals() if r.ref != "sepsis-ed"]
    await sync_source(graph, planted.EM_HOSPITALS, without_sepsis)  # retired, not re-scored
    await rescore_all(graph)
    left = {row["pair"] for row in await graph.read(runs)}
    assert left and not left & gone


async def test_reviews_survive_a_full_resync_and_rescoring(graph: Graph) -> None:
    await planted.load_region(graph)
    await rescore_all(graph)
    falls = ("nv-community:falls-night", "nv-hospitals:falls-sensors")
    sepsis = ("em-hospitals:sepsis-ed", "nv-hospitals:sepsis-screening")
    # Given in the other order on purpose: a pair is the same pair either way.
    await review_pair(graph, falls[1], falls[0], ReviewStatus.CONFIRMED, note="same sensors")
    await review_pair(
        graph, *sepsis, ReviewStatus.DISMISSED, note="different pathways", reviewer="lead"
    )

    # A full re-sync: one source changed (the falls project's aim), the others unchanged.
    changed = planted.nv_hospitals(
        aim="To cut falls among older patients on acute wards with bed and chair sensors that "
        "alert staff overnight, and a falls huddle every morning."
    )
    await planted.load_region(graph, hospitals=changed)
    await update_similarity(graph, ["nv-hospitals:falls-sensors"])
    await rescore_all(graph)

    visible = await pairs_above(graph)
    assert falls in visible
    assert visible[falls].status == ReviewStatus.CONFIRMED
    assert visible[falls].note == "same sensors"
    assert sepsis not in visible  # dismissed pairs are hidden by default
    dismissed = await pairs_above(graph, statuses=[ReviewStatus.DISMISSED])
    assert set(dismissed) == {sepsis}
    assert dismissed[sepsis].note == "different pathways"
    assert dismissed[sepsis].reviewer == "lead"

    await review_pair(graph, *sepsis, ReviewStatus.UNREVIEWED)
    assert sepsis in await pairs_above(graph)


async def _a_projects_similar_projects(graph: Graph) -> None:
    similar = await reads.similar_to(graph, "nv-community:pressure-ulcers")
    assert [p.other("nv-community:pressure-ulcers").id for p in similar] == [
        "em-hospitals:pressure-care"
    ]
    assert similar[0].kind == COLLABORATION
    assert await reads.similar_to(graph, "em-hospitals:smoking") == []


async def test_the_bulk_load_gives_the_same_profiles_as_the_per_project_one(graph: Graph) -> None:
    await planted.load_region(graph)
    bulk = await load_all_profiles(graph)
    one_by_one = await load_profiles(graph, [p.id for p in bulk])
    assert len(bulk) == 9
    assert sorted(bulk, key=lambda p: p.id) == sorted(one_by_one, key=lambda p: p.id)
    falls = next(p for p in bulk if p.id == "nv-hospitals:falls-sensors")
    assert falls.systems == {"sys-nv": "North Vale ICS"}
    assert falls.neighbours == {"sys-em"}
    assert {"patient-safety", "older-people"} <= falls.broader
