"""What ingestion keeps worked out gives the same answers as working it out on the spot: the
links between organisations (``graph.links``) and the kept counts (``graph.counts``: topics'
usage, systems' projects, the library's facets, who else works on each topic, each topic's
first pages and a search's candidates tagged with it). After a first load, and after pulls
that change, move, hide and retire what makes links and counts: projects and a resource gone,
one project moved to another organisation, another and a resource about fewer topics, people
hidden, one who moved employer, one who lost an interest, an organisation now in another
system."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from bench.region import load_region
from bench.synthetic import generate
from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    PersonRecord,
    ProjectRecord,
    Record,
    ResourceRecord,
)
from graph.counts import KEPT, ensure_counted, recount
from graph.database import Graph
from graph.impact import BY_KEY, Interval, Scope, count_figures, counting, ensure_tallied, periods
from graph.impact.figures import new_links_live
from graph.ingest import sync_source
from graph.links import ensure_links_kept
from graph.queries import events, people, projects, resources
from graph.queries.filters import HEAD_ROWS
from graph.queries.links import cross_boundary_links
from graph.queries.matching import KEPT_MOST, KEPT_RANKING, people_matching
from graph.queries.people import PersonFilter
from graph.queries.projects import ProjectFilter
from graph.queries.resources import ResourceFilter
from graph.queries.search import CANDIDATES, KEPT_TAGGED, search
from graph.queries.topics import (
    KEPT_HEAD,
    KEPT_USAGE,
    KEPT_WITHIN,
    counted_usage,
    topic_usage,
)
from graph.version import graph_version

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


async def assert_links_agree(graph: Graph) -> int:
    """Kept and live links agree in every case; how many links the widest case has."""
    widest = 0
    for case in CASES:
        kept, live = await both(graph, **case)
        assert kept == live, case
        widest = max(widest, len(kept))
    return widest


async def assert_new_links_agree(graph: Graph) -> int:
    """The impact series' new links, read from the pairs' kept first days, agree month by
    month with the chains walked on the spot, in every case; the most links a case counts."""
    today = date.today()
    months = periods(date(2018, 1, 1), today, Interval.MONTH, today=today)
    kept_figure = BY_KEY["new_links"]
    live_figure = dataclasses.replace(kept_figure, statement=new_links_live)
    widest = 0
    for case in CASES:
        scope = Scope(system=case.get("system"), organisation=case.get("organisation"))
        how = await counting(
            graph, scope, Interval.MONTH, months, today=today, public_only=case["public_only"]
        )
        (kept,) = await count_figures(graph, how, [kept_figure], signed_in=True)
        (live,) = await count_figures(graph, how, [live_figure], signed_in=True)
        assert (kept.total, kept.categories) == (live.total, live.categories), case
        widest = max(widest, sum(value or 0 for value in kept.total or []))
    return widest


async def topic_ids(graph: Graph) -> list[str]:
    rows = await graph.read("MATCH (t:Topic) RETURN t.id AS id ORDER BY id")
    return [row["id"] for row in rows]


async def assert_counts_agree(graph: Graph) -> int:
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
        kept = [u[count] for u in await topic_usage(graph, ids, public_only=public_only)]
        live = await counted_usage(graph, ids, count, public_only=public_only)
        assert kept == [live.get(i, 0) for i in ids], (count, public_only)
        if count == "projects":
            busiest = max(kept)
    await assert_topic_filters_agree(graph, ids)
    return busiest


async def live_count(graph: Graph, listing: Any, parameters: dict[str, Any]) -> int:
    return (await graph.read(listing.count(parameters), parameters))[0]["n"]


async def assert_topic_filters_agree(graph: Graph, ids: list[str]) -> None:
    """Each topic's kept counts of what a filter by it lists (``KEPT_WITHIN``) are what the
    listings count, and the counts the API gives for such a filter are too."""
    rows = await graph.read(
        "UNWIND $ids AS id MATCH (t:Topic {id: id}) RETURN id, t {.*} AS kept", {"ids": ids}
    )
    kept = {row["id"]: row["kept"] for row in rows}
    for topic in ids:
        work = ProjectFilter(topic=topic)
        found = await live_count(graph, projects.LISTING, work.parameters())
        assert kept[topic][KEPT_WITHIN["projects", False]] == found, topic
        assert await projects.project_count(graph, work) == found, topic
        held = ResourceFilter(topic=topic)
        found = await live_count(graph, resources.LISTING, held.parameters())
        assert kept[topic][KEPT_WITHIN["resources", False]] == found, topic
        assert await resources.resource_count(graph, held) == found, topic
        for public_only in (False, True):
            who = PersonFilter(topic=topic)
            asked = {**who.parameters(), "publicOnly": public_only}
            found = await live_count(graph, people.LISTING, asked)
            assert kept[topic][KEPT_WITHIN["people", public_only]] == found, (topic, public_only)
            assert await people.person_count(graph, who, public_only=public_only) == found


WHO_ELSE_CASES: list[dict[str, Any]] = [
    {"limit": 50},
    {"limit": 3},
    {"limit": 20, "exclude_organisation": "ods:Z0003"},
    {"limit": 20, "system": "system-2"},
    {"limit": 10, "offers": ["mentoring"]},
]


async def who_else(graph: Graph, topic: str, *, live: bool, **case: Any) -> list[dict[str, Any]]:
    return await people_matching(graph, topic=topic, project_id=None, live=live, **case)


async def assert_who_else_agrees(graph: Graph) -> int:
    """Who else works on a topic, read from its kept ranking, is who ranking on the spot
    finds, for both caller classes and with each filter, on the four topics with the most
    people and the one with the fewest; the most people one answer lists."""
    rows = await graph.read(
        "MATCH (t:Topic) WHERE size(t.rankedPeople) > 0 "
        "RETURN t.id AS id ORDER BY size(t.rankedPeople) DESC, id"
    )
    ids = [row["id"] for row in rows]
    most = 0
    for topic in [*ids[:4], ids[-1]]:
        for public_only in (False, True):
            for case in WHO_ELSE_CASES:
                asked = {**case, "public_only": public_only}
                kept = await who_else(graph, topic, live=False, **asked)
                live = await who_else(graph, topic, live=True, **asked)
                assert kept == live, (topic, asked)
                most = max(most, len(kept))
    return most


async def first_pages(graph: Graph, ids: list[str]) -> list[Any]:
    """Per topic, the first pages (of three and of twenty) of its projects and resources."""
    pages = []
    for topic in ids:
        for first in (3, 20):
            work = ProjectFilter(topic=topic)
            pages.append(await projects.project_page(graph, work, first=first, after=None))
            held = ResourceFilter(topic=topic)
            pages.append(await resources.resource_page(graph, held, first=first, after=None))
    return pages


async def assert_first_pages_agree(graph: Graph, ids: list[str]) -> int:
    """The first pages of what a filter by each topic lists, read from the topic's kept
    heads, are the pages gathered and sorted on the spot (the heads taken away); the most
    rows a page has."""
    kept = await first_pages(graph, ids)
    heads = ", ".join("t." + name for name in KEPT_HEAD.values())
    await graph.write("MATCH (t:Topic) REMOVE " + heads)
    assert await first_pages(graph, ids) == kept
    assert await recount(graph) == len(ids)  # the heads, worked out again
    return max(len(page.items) for page in kept)


SEARCHED = ["patient safety", "falls prevention work", "dementia", "sepsis"]
"""Searches that name topics: their candidates include the work tagged with them."""


async def searches(graph: Graph) -> list[Any]:
    """Each of SEARCHED across the hub, with a search's own number of candidates and with
    three (so that a topic's kept candidates are cut too), and within a system."""
    found = []
    for text in SEARCHED:
        for candidates, system in ((CANDIDATES, None), (3, None), (CANDIDATES, "system-2")):
            found.append(
                await search(
                    graph,
                    text,
                    system=system,
                    public_only=True,
                    may_read_bios=False,
                    limit=20,
                    candidates=candidates,
                )
            )
    return found


async def assert_searches_agree(graph: Graph) -> int:
    """Searches read the candidates tagged with the topics they name from the topics' kept
    lists (``KEPT_TAGGED``), and find what they find with the lists taken away; the most hits
    a search found."""
    kept = await searches(graph)
    tagged = ", ".join("t." + name for name in KEPT_TAGGED.values())
    await graph.write("MATCH (t:Topic) REMOVE " + tagged)
    assert await searches(graph) == kept
    assert await recount(graph) > 0  # the lists, worked out again
    return max(len(hits) for hits in kept)


def changed(records: list[Record]) -> list[Record]:
    """The same source's records a month on (see the module's docstring)."""
    works = [r for r in records if isinstance(r, ProjectRecord)]
    people = [r for r in records if isinstance(r, PersonRecord)]
    resources = [r for r in records if isinstance(r, ResourceRecord)]
    gone = {p.ref for p in works[:3]} | {r.ref for r in resources[:1]}
    moved = works[3].ref
    fewer = {works[4].ref, *(r.ref for r in resources[1:2])}
    hidden = {p.ref for p in people[:4]}
    out: list[Record] = []
    for record in records:
        if record.ref in gone:
            continue
        if record.ref == moved and isinstance(record, ProjectRecord):
            record = record.model_copy(
                update={"lead_organisation": OrganisationRef(ods_code="Z0007")}
            )
        elif record.ref in fewer and isinstance(record, ProjectRecord | ResourceRecord):
            record = record.model_copy(update={"topics": record.topics[:1] or ["Sepsis"]})
        elif record.ref in hidden and isinstance(record, PersonRecord):
            record = record.model_copy(update={"public": not record.public})
        elif isinstance(record, PersonRecord) and record.ref == people[5].ref:
            record = record.model_copy(update={"organisation": OrganisationRef(ods_code="Z0011")})
        elif isinstance(record, PersonRecord) and record.ref == people[6].ref:
            record = record.model_copy(update={"interests": record.interests[1:]})
        elif isinstance(record, OrganisationRecord) and record.system == "system-1":
            record = record.model_copy(update={"system": "system-2"})
        out.append(record)
    return out


@pytest.mark.parametrize("size", [300])
async def test_kept_links_and_counts_agree_with_live_ones_through_changes(
    graph: Graph, size: int
) -> None:
    region = generate(size, partners=12, seed=11)
    await load_region(graph, region)
    assert await assert_links_agree(graph) > 10
    assert await assert_new_links_agree(graph) > 10
    assert await assert_counts_agree(graph) > 5

    before = await graph_version(graph)
    for source, records in region.sources[:4]:
        summary = await sync_source(graph, source, changed(records))
        assert summary.status == "succeeded" and summary.retired >= 3, summary
    assert await assert_links_agree(graph) > 10
    assert await assert_new_links_agree(graph) > 10
    assert await assert_counts_agree(graph) > 5
    assert await assert_who_else_agrees(graph) == 50
    assert await assert_first_pages_agree(graph, await topic_ids(graph)) == 20
    assert await assert_searches_agree(graph) == 20
    assert await graph_version(graph) > before
    assert await recount(graph) == 0  # the pulls left nothing to recount


async def test_a_graph_from_before_kept_links_and_counts_is_worked_out_once(
    graph: Graph,
) -> None:
    region = generate(150, partners=8, seed=5)
    await load_region(graph, region)
    usages = await topic_usage(graph, await topic_ids(graph), public_only=True)
    kept_usage = [u["projects"] for u in usages]
    in_system = await projects.project_count(graph, ProjectFilter(system="system-1"))
    facets = await events.resource_facets(graph, ResourceFilter())
    await graph.write("MATCH ()-[l:LINKED_WITH|FIRST_LINKED]->() DELETE l")
    kept_on_topics = [
        *KEPT_USAGE.values(),
        *KEPT_WITHIN.values(),
        *KEPT_RANKING.values(),
        *KEPT_HEAD.values(),
        *KEPT_TAGGED.values(),
    ]
    await graph.write("MATCH (t:Topic) REMOVE " + ", ".join("t." + name for name in kept_on_topics))
    await graph.write("MATCH (s:System) REMOVE s.projectCount")
    await graph.write("MATCH (k:KeptFacets) DELETE k")
    tallies = "MATCH (t:ImpactTally) RETURN t.key AS key, t.days AS days, t.counts AS counts"
    tallied = sorted(await graph.read(tallies), key=str)
    await graph.write("MATCH (t:ImpactTally) DELETE t")

    # Counts not kept are counted on the spot; links not kept are missing until worked out.
    usages = await topic_usage(graph, await topic_ids(graph), public_only=True)
    usage = [u["projects"] for u in usages]
    assert usage == kept_usage and any(usage)
    assert await projects.project_count(graph, ProjectFilter(system="system-1")) == in_system
    assert await events.resource_facets(graph, ResourceFilter()) == facets
    kept, live = await both(graph, system=None, public_only=False)
    assert kept == [] and live != []

    assert await ensure_links_kept(graph) is True
    assert await ensure_counted(graph) is True
    assert await ensure_tallied(graph) is True
    assert sorted(await graph.read(tallies), key=str) == tallied and tallied
    kept, live = await both(graph, system=None, public_only=False)
    assert kept == live
    assert await assert_new_links_agree(graph) > 0
    assert await assert_counts_agree(graph) > 0
    assert await assert_who_else_agrees(graph) > 10
    assert await ensure_links_kept(graph) is False  # once
    assert await ensure_counted(graph) is False
    assert await ensure_tallied(graph) is False
    # A figure kept since the graph's tallies were worked out: all are worked out again.
    await graph.write("MATCH (t:ImpactTally) WHERE t.key STARTS WITH 'duplicates_found|' DELETE t")
    assert await ensure_tallied(graph) is True
    assert sorted(await graph.read(tallies), key=str) == tallied

    # Links kept before organisations kept their topics: rebuilt once more, then agreeing.
    await graph.write("MATCH (m:LinksKept) REMOVE m.version")
    await graph.write("MATCH (o:Organisation) REMOVE o.linkTopics")
    assert await ensure_links_kept(graph) is True
    kept, live = await both(graph, system=None, public_only=False)
    assert kept == live and any(link["topicCount"] for link in kept)


async def test_who_else_reads_its_topics_kept_ranking_and_ranks_on_the_spot_when_it_must(
    graph: Graph,
) -> None:
    region = generate(150, partners=8, seed=5)
    await load_region(graph, region)
    (busiest,) = await graph.read(
        "MATCH (t:Topic) RETURN t.id AS id ORDER BY size(t.rankedPeople) DESC, id LIMIT 1"
    )
    topic = busiest["id"]
    honest = await who_else(graph, topic, live=True, limit=5, public_only=False)
    assert len(honest) == 5
    fifth = honest[-1]["person"]["id"]
    kept = "MATCH (t:Topic {id: $topic}) SET t.rankedPeople = $ids"

    # The answer follows the kept list: put the fifth first.
    others = [row["person"]["id"] for row in honest[:-1]]
    await graph.write(kept, {"topic": topic, "ids": [fifth, *others]})
    read = await who_else(graph, topic, live=False, limit=5, public_only=False)
    assert [row["person"]["id"] for row in read] == [fifth, *others]
    assert {row["person"]["id"]: row["score"] for row in read} == {
        row["person"]["id"]: row["score"] for row in honest
    }
    # Mentors (filtered by offers) are ranked on the spot: a kept list of one of them is not
    # read (it would be the whole answer).
    mentors = {"limit": 5, "public_only": False, "offers": ["mentoring"]}
    ranked = await who_else(graph, topic, live=True, **mentors)
    assert len(ranked) >= 2
    await graph.write(kept, {"topic": topic, "ids": [ranked[-1]["person"]["id"]]})
    assert await who_else(graph, topic, live=False, **mentors) == ranked

    # A list as long as kept lists are cut, of people a filter leaves out: ranked on the spot.
    (home,) = honest[0]["organisations"]
    leave_out = {"exclude_organisation": home["id"], "limit": 5, "public_only": False}
    await graph.write(kept, {"topic": topic, "ids": [honest[0]["person"]["id"]] * KEPT_MOST})
    filtered = await who_else(graph, topic, live=False, **leave_out)
    assert filtered == await who_else(graph, topic, live=True, **leave_out)
    assert len(filtered) == 5 and home["id"] not in str(filtered)
    # A shorter list holds everyone: what the filter leaves of it is the answer.
    await graph.write(kept, {"topic": topic, "ids": [honest[0]["person"]["id"], fifth]})
    filtered = await who_else(graph, topic, live=False, **leave_out)
    assert [row["person"]["id"] for row in filtered] == [fifth]

    assert await recount(graph) == 1
    assert await who_else(graph, topic, live=False, limit=5, public_only=False) == honest


async def test_a_topics_first_page_is_read_from_its_kept_head_where_that_is_exact(
    graph: Graph,
) -> None:
    region = generate(150, partners=8, seed=5)
    await load_region(graph, region)
    (busiest,) = await graph.read(
        "MATCH (t:Topic) RETURN t.id AS id ORDER BY t.projectsWithin DESC, id LIMIT 1"
    )
    work = ProjectFilter(topic=busiest["id"])
    honest = await projects.project_page(graph, work, first=4, after=None)
    ids = [item["id"] for item in honest.items]
    assert len(ids) == 4 and honest.has_next
    head = "MATCH (t:Topic {id: $topic}) SET t.projectsHead = $ids"

    # The page is the head's: one without the first project starts at the second.
    await graph.write(head, {"topic": busiest["id"], "ids": ids[1:]})
    read = await projects.project_page(graph, work, first=2, after=None)
    assert [item["id"] for item in read.items] == ids[1:3] and read.has_next
    # A head as long as heads are kept, with too few live nodes in it: gathered on the spot.
    await graph.write(head, {"topic": busiest["id"], "ids": [ids[0]] + ["gone"] * HEAD_ROWS})
    assert await projects.project_page(graph, work, first=4, after=None) == honest
    # A shorter head holds every node: what is live of it is the page.
    await graph.write(head, {"topic": busiest["id"], "ids": [ids[1], "gone"]})
    read = await projects.project_page(graph, work, first=3, after=None)
    assert [item["id"] for item in read.items] == [ids[1]] and not read.has_next

    assert await recount(graph) == 1
    assert await projects.project_page(graph, work, first=4, after=None) == honest


async def test_a_search_naming_a_topic_reads_its_kept_candidates(graph: Graph) -> None:
    region = generate(150, partners=8, seed=5)
    await load_region(graph, region)
    asked = {"kinds": ["project"], "public_only": True, "may_read_bios": False, "limit": 50}
    honest = await search(graph, "sepsis", **asked)
    by_tag = [hit for hit in honest if not any(m.field != "topics" for m in hit["why"])]
    assert by_tag, "some work is found through its topic alone"

    # With no kept candidates, work tagged with sepsis alone is not found; within a system,
    # the topic is walked as before.
    await graph.write("MATCH (t:Topic {id: 'sepsis'}) SET t.taggedProjects = []")
    emptied = await search(graph, "sepsis", **asked)
    assert not any(hit in emptied for hit in by_tag) and len(emptied) < len(honest)
    in_system = await search(graph, "sepsis", system="system-1", **asked)
    assert any(not any(m.field != "topics" for m in hit["why"]) for hit in in_system)

    assert await recount(graph) == 1
    assert await search(graph, "sepsis", **asked) == honest
