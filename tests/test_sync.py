"""Sync end to end: a partners file, real partner servers and files, the real graph."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.partners import PartnersFile, load_partners
from graph.contributions import store
from graph.contributions.records import source_of
from graph.database import Graph
from graph.impact import recount_scored
from hub.sync.run import SyncLimits, run_sync, selected_sources
from tests.ingest_helpers import count, snapshot
from tests.partner_web import FAST_HTTP, PartnerWeb, Reply, Request

PARTNERS = """
systems:
  - {id: zedvale-ics, name: Zedvale Integrated Care System, neighbours: [yarrow-ics]}
  - {id: yarrow-ics, name: Yarrow Integrated Care System}
partners:
  - id: zv-trust
    name: Zedvale Hospitals NHS Foundation Trust
    sector: nhs
    system: zedvale-ics
    ods_code: ZZV01
    sources:
      - id: zv-api
        kind: json_api
        url: ${BASE}/zv
        entities: [project, person]
        http: HTTP
        mapping:
          person: {path: people, fields: {ref: id, name: name, offers: offers}}
          project:
            path: projects
            items: data
            fields:
              ref: id
              title: title
              topics: topics
              members: {path: team, each: {person: id, role: role}}
  - id: em-council
    name: Eastmoor County Council
    sector: local_government
    system: yarrow-ics
    sources:
      - id: em-register
        kind: tabular
        path: register.csv
        entities: [project]
        mapping:
          project: {fields: {ref: Ref, title: Title, topics: {path: Topics, split: ";"}}}
  - id: yc-carers
    name: Yarrow Carers Trust
    sector: voluntary
    system: yarrow-ics
    sources:
      - id: yc-stories
        kind: feed
        url: ${BASE}/yc/feed
        http: HTTP
        mapping: {resource: {defaults: {resource_type: case_study}}}
      - id: yc-flaky
        kind: json_api
        url: ${BASE}/yc/projects
        entities: [project]
        http: HTTP
        mapping: {project: {fields: {ref: id, title: title}}}
      - id: yc-old
        kind: json_api
        url: ${BASE}/yc/old
        entities: [project]
        enabled: false
        mapping: {project: {fields: {ref: id, title: title}}}
""".replace("HTTP", str(FAST_HTTP).replace("'", ""))

CSV = "Ref,Title,Topics\nEM-1,Warm homes on prescription,health inequalities;frailty\n"
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Stories</title>
<link>https://yc.example</link><description>x</description>
<item><title>Carers at the discharge lounge</title><link>https://yc.example/s/1</link>
<guid>s1</guid><category>Discharge</category></item></channel></rss>"""
ZV = {
    "people": [{"id": "u1", "name": "Priya Lindqvist", "offers": ["mentoring"]}],
    "projects": {
        "data": [
            {
                "id": "Z1",
                "title": "Falls PDSA on Ward 7",
                "topics": ["falls"],
                "team": [{"id": "u1"}],
            },
            {"id": "Z2", "title": "Sepsis six in ED", "topics": ["sepsis"], "team": []},
        ]
    },
}


def tagged(body: object, tag: str, content_type: str = "application/json") -> Reply | object:
    def answer(request: Request) -> Reply:
        if request.headers.get("if-none-match") == tag:
            return Reply(304, b"")
        return Reply(body=body, content_type=content_type, headers={"ETag": tag})

    return answer


class FlakyProjects:
    """The Yarrow Carers project list: fine until it is broken."""

    def __init__(self) -> None:
        self.broken = False

    def __call__(self, request: Request) -> Reply:
        if self.broken:
            return Reply(500, {"error": "maintenance"})
        if request.headers.get("if-none-match") == '"y"':
            return Reply(304, b"")
        return Reply(body=[{"id": "Y1", "title": "Carer passports"}], headers={"ETag": '"y"'})


@pytest.fixture
def flaky() -> FlakyProjects:
    return FlakyProjects()


@pytest.fixture
def web(flaky: FlakyProjects) -> Iterator[PartnerWeb]:
    with PartnerWeb().running() as server:
        server.route("/zv/people", tagged(ZV["people"], '"p1"'))
        server.route("/zv/projects", tagged(ZV["projects"], '"j1"'))
        server.route("/yc/feed", tagged(RSS, '"f1"', "application/rss+xml"))
        server.route("/yc/projects", flaky)
        yield server


@pytest.fixture
def partners(tmp_path: Path, web: PartnerWeb) -> PartnersFile:
    (tmp_path / "register.csv").write_text(CSV)
    path = tmp_path / "partners.yaml"
    path.write_text(PARTNERS)
    return load_partners(path, env={"BASE": web.url()})


PROJECTS = "MATCH (p:Project) WHERE p.retiredAt IS NULL RETURN count(p) AS n"


async def test_everything_lands_and_people_join_projects(
    graph: Graph, partners: PartnersFile
) -> None:
    report = await run_sync(graph, partners)
    assert report.ok, [o.summary.errors for o in report.outcomes]
    assert report.registry.created == 3
    assert [o.source for o in report.outcomes] == [
        "zv-api",
        "em-register",
        "yc-stories",
        "yc-flaky",
    ]
    assert await count(graph, PROJECTS) == 4
    assert await count(graph, "MATCH (r:Resource) RETURN count(r) AS n") == 1
    assert (
        await count(
            graph,
            "MATCH (:Person)-[:WORKS_ON]->(:Project {title: 'Falls PDSA on Ward 7'}) "
            "RETURN count(*) AS n",
        )
        == 1
    )
    assert (
        await count(graph, "MATCH (:Organisation)-[:PART_OF]->(:System) RETURN count(*) AS n") == 3
    )
    assert await count(graph, "MATCH (:System)-[:NEIGHBOUR_OF]-(:System) RETURN count(*) AS n") == 2
    # The vocabulary comes with the sync, so broader topics are there to reason with.
    assert (
        await count(graph, "MATCH (:Topic {id: 'falls'})-[:BROADER]->(:Topic) RETURN count(*) AS n")
        == 2
    )


async def test_a_broken_source_fails_alone_and_keeps_what_it_gave_before(
    graph: Graph, partners: PartnersFile, flaky: FlakyProjects
) -> None:
    await run_sync(graph, partners)
    flaky.broken = True
    report = await run_sync(graph, partners, full=True)
    assert not report.ok
    (failed,) = report.failed
    assert failed.source == "yc-flaky"
    assert failed.summary.errors[0] == (
        "yc-flaky: project page 1: answered 500 Internal Server Error (3 attempts)"
    )
    others = [o for o in report.outcomes if o is not failed]
    assert all(o.summary.status == "succeeded" for o in others)
    assert await count(graph, PROJECTS) == 4  # Carer passports is still there
    assert (
        await count(
            graph,
            "MATCH (p:Project {title: 'Carer passports'}) WHERE p.retiredAt IS NULL "
            "RETURN count(p) AS n",
        )
        == 1
    )


async def test_a_second_sync_of_unchanged_sources_changes_nothing_and_asks_conditionally(
    graph: Graph, partners: PartnersFile, web: PartnerWeb
) -> None:
    first = await run_sync(graph, partners)
    assert first.similarity is not None and first.similarity.projects == 4
    before = await snapshot(graph)
    asked = len(web.log)
    report = await run_sync(graph, partners)
    assert report.ok
    assert report.similarity is None  # nothing changed, so nothing is re-scored
    for outcome in report.outcomes:
        assert outcome.pull is not None and outcome.pull.not_modified, outcome.source
        summary = outcome.summary
        assert (summary.created, summary.updated, summary.retired) == (0, 0, 0), outcome.source
    again = web.log[asked:]
    assert len(again) == 4 and all(r.headers.get("if-none-match") for r in again)
    assert await snapshot(graph) == before


async def test_a_dry_run_writes_nothing(graph: Graph, partners: PartnersFile) -> None:
    report = await run_sync(graph, partners, dry_run=True)
    assert report.ok and report.registry.created == 3
    assert sum(o.summary.created for o in report.outcomes) == 6
    assert await count(graph, "MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) AS n") == 0


async def test_one_partner_at_a_time(graph: Graph, partners: PartnersFile) -> None:
    report = await run_sync(graph, partners, partner_id="em-council")
    assert [o.source for o in report.outcomes] == ["em-register"]
    with pytest.raises(KeyError):
        selected_sources(partners, "nobody")


async def test_no_more_than_one_request_at_a_time_to_one_host(
    graph: Graph, partners: PartnersFile, web: PartnerWeb
) -> None:
    lock = threading.Lock()
    active = [0, 0]  # now, most

    def slow(request: Request) -> Reply:
        with lock:
            active[0] += 1
            active[1] = max(active)
        try:
            threading.Event().wait(0.05)
            return Reply(body=[{"id": request.path, "title": "A slow register"}])
        finally:
            with lock:
                active[0] -= 1

    for path in ("/zv/people", "/zv/projects", "/yc/feed", "/yc/projects"):
        web.route(path, slow)
    await run_sync(graph, partners, limits=SyncLimits(concurrency=4, per_host=1))
    assert active[1] == 1
    # The limit holds pulls back, not the sync itself: with room for two, two run at once.
    active[1] = 0
    await run_sync(graph, partners, full=True, limits=SyncLimits(concurrency=4, per_host=2))
    assert active[1] == 2


OWED = "MATCH (o:Owed) RETURN o.projects AS projects, o.recount AS recount, o.scored AS scored"
KEPT = "MATCH (k:KeptFacets) RETURN count(k) AS n"
SYSTEM_COUNTS = "MATCH (s:System) WHERE s.projectCount IS NOT NULL RETURN count(s) AS n"
SCORED = "MATCH (p:Project) WHERE p.simKeys IS NOT NULL RETURN count(p) AS n"


async def test_a_failing_similarity_rescore_does_not_fail_the_sync_and_the_next_one_does_it(
    graph: Graph, partners: PartnersFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(_graph: Graph, _ids: list[str]) -> None:
        raise RuntimeError("similarity store unavailable")

    with monkeypatch.context() as patched:
        patched.setattr("hub.sync.run.update_similarity", broken)
        report = await run_sync(graph, partners)
    assert report.ok
    assert report.similarity is None
    assert report.similarity_error == (
        "similar projects were not re-scored: similarity store unavailable"
    )
    assert await count(graph, PROJECTS) == 4
    assert await count(graph, SCORED) == 0
    (owed,) = await graph.read(OWED)
    assert len(owed["projects"]) == 4 and owed["scored"]

    # Nothing changed at the partners since: the next sync scores what the first changed.
    again = await run_sync(graph, partners)
    assert again.ok and again.similarity_error is None
    assert again.similarity is not None and again.similarity.projects == 4
    assert await count(graph, SCORED) == 4
    assert await graph.read(OWED) == []


async def test_failing_to_count_impacts_figures_after_scoring_does_not_fail_the_sync(
    graph: Graph, partners: PartnersFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(_graph: Graph) -> None:
        raise RuntimeError("database busy")

    with monkeypatch.context() as patched:
        patched.setattr("hub.sync.run.recount_scored", broken)
        report = await run_sync(graph, partners)
        assert report.ok
        assert report.similarity is not None and report.similarity_error is None
        assert (
            report.links_error
            == "Impact's kept duplicates found were not counted again: database busy"
        )
        assert [(o["projects"], o["scored"]) for o in await graph.read(OWED)] == [([], True)]
        # Still failing: still owed, and said again.
        again = await run_sync(graph, partners)
        assert again.links_error == report.links_error
        assert len(await graph.read(OWED)) == 1
    counted: list[Graph] = []

    async def counting(graph: Graph) -> None:
        counted.append(graph)
        await recount_scored(graph)

    monkeypatch.setattr("hub.sync.run.recount_scored", counting)
    done = await run_sync(graph, partners)
    assert done.links_error is None and counted == [graph]
    assert await graph.read(OWED) == []


async def test_kept_counts_a_failed_sync_left_stale_are_counted_by_the_next(
    graph: Graph, partners: PartnersFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("out of memory")

    with monkeypatch.context() as patched:
        patched.setattr("hub.sync.run.refresh_kept", broken)
        report = await run_sync(graph, partners)
    assert report.ok
    assert report.links_error == (
        "links between organisations and kept counts were not refreshed: out of memory"
    )
    assert await count(graph, KEPT) == await count(graph, SYSTEM_COUNTS) == 0
    (owed,) = await graph.read(OWED)
    assert owed["recount"]

    again = await run_sync(graph, partners)  # nothing changed at the partners since
    assert again.links_error is None
    assert await count(graph, KEPT) == 1
    assert await count(graph, SYSTEM_COUNTS) > 0
    assert await graph.read(OWED) == []


async def test_what_a_pull_noted_is_kept_with_its_run(
    graph: Graph, partners: PartnersFile, web: PartnerWeb
) -> None:
    empty = '<rss version="2.0"><channel><title>Stories</title></channel></rss>'
    web.route("/yc/feed", Reply(body=empty, content_type="application/rss+xml"))
    report = await run_sync(graph, partners, source_ids=["yc-stories"])
    (outcome,) = report.outcomes
    assert outcome.summary.status == "succeeded"
    assert outcome.summary.notes == ["the feed lists no entries: nothing was read"]
    stored = await graph.read(
        "MATCH (r:SyncRun {id: $id}) RETURN r.notes AS notes", {"id": outcome.summary.run_id}
    )
    assert stored == [{"notes": ["the feed lists no entries: nothing was read"]}]


async def test_an_approval_whose_publishing_never_happened_is_published_by_the_next_sync(
    graph: Graph, partners: PartnersFile
) -> None:
    """A hub that stopped between recording an approval and publishing it: the decision stands,
    and the next sync publishes the partner's contributions, once."""
    await run_sync(graph, partners)
    source = source_of("em-council")
    props = {"kind": "project", "title": "Hydration rounds in care homes", "aim": "Fewer UTIs"}
    made = await store.create(graph, props, [], "key:member")
    approved = await store.decide(
        graph,
        made["id"],
        action="approved",
        to=store.APPROVED,
        from_statuses=[store.PENDING],
        by="key:admin",
        source=source,
    )
    assert approved is not None and approved["status"] == store.APPROVED
    assert await store.sources_behind(graph) == [source]
    titles = "MATCH (p:Project {title: $title}) WHERE p.retiredAt IS NULL RETURN count(p) AS n"
    assert await count(graph, titles, title=props["title"]) == 0

    report = await run_sync(graph, partners)
    assert report.ok, [o.summary.errors for o in report.outcomes]
    published = report.outcomes[-1]
    assert (published.source, published.kind, published.partner) == (
        source,
        "contributions",
        "em-council",
    )
    assert published.summary.status == "succeeded" and published.summary.created >= 1
    assert await count(graph, titles, title=props["title"]) == 1
    assert await store.sources_behind(graph) == []
    again = await run_sync(graph, partners)
    assert source not in [o.source for o in again.outcomes]
