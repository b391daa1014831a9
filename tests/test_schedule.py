"""Scheduled pulls: each source at its own interval, told by the sync runs in the graph."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors.partners import PartnersFile, load_partners
from graph.database import Graph
from graph.queries.sync_runs import last_pulls
from hub.sync.run import run_sync
from hub.sync.schedule import due_now, due_sources, leased, next_due, run_schedule
from tests.ingest_helpers import count
from tests.partner_web import FAST_HTTP, PartnerWeb, Reply, Request

PARTNERS = """
partners:
  - id: zv-trust
    name: Zedvale Hospitals NHS Foundation Trust
    sector: nhs
    sources:
      - id: zv-often
        kind: json_api
        url: ${BASE}/often
        entities: [project]
        interval: 30m
        http: HTTP
        mapping: {project: {fields: {ref: id, title: title}}}
      - id: zv-daily
        kind: json_api
        url: ${BASE}/daily
        entities: [project]
        interval: 1d
        http: HTTP
        mapping: {project: {fields: {ref: id, title: title}}}
      - id: zv-changes
        kind: json_api
        url: ${BASE}/changes
        entities: [project]
        interval: 1h
        full_interval: 7d
        http: HTTP
        mapping:
          project:
            incremental: {param: updated_since}
            fields: {ref: id, title: title, updated_at: updated}
      - id: zv-off
        kind: json_api
        url: ${BASE}/off
        entities: [project]
        enabled: false
        mapping: {project: {fields: {ref: id, title: title}}}
""".replace("HTTP", str(FAST_HTTP).replace("'", ""))

RUNS = "MATCH (r:SyncRun {source: $source}) RETURN count(r) AS n"


class ChangeFeed:
    """A project list that answers ``updated_since`` with only what changed since."""

    def __init__(self) -> None:
        self.projects = [
            {"id": "C1", "title": "Frailty huddles", "updated": "2026-01-01T00:00:00Z"},
            {"id": "C2", "title": "Carer passports", "updated": "2026-01-02T00:00:00Z"},
            {"id": "C3", "title": "Sepsis at the door", "updated": "2026-01-03T00:00:00Z"},
        ]
        self.asked_since: list[str | None] = []

    def __call__(self, request: Request) -> Reply:
        since = request.query.get("updated_since")
        self.asked_since.append(since)
        return Reply(body=[p for p in self.projects if since is None or p["updated"] > since])


@pytest.fixture
def changes() -> ChangeFeed:
    return ChangeFeed()


@pytest.fixture
def web(changes: ChangeFeed) -> Iterator[PartnerWeb]:
    with PartnerWeb().running() as server:
        server.route("/often", Reply(body=[{"id": "O1", "title": "Falls huddles"}]))
        server.route("/daily", Reply(body=[{"id": "D1", "title": "Sepsis screening"}]))
        server.route("/changes", changes)
        yield server


@pytest.fixture
def partners_path(tmp_path: Path, web: PartnerWeb) -> Path:
    path = tmp_path / "partners.yaml"
    path.write_text(PARTNERS.replace("${BASE}", web.url()))
    return path


@pytest.fixture
def partners(partners_path: Path) -> PartnersFile:
    return load_partners(partners_path)


NOON = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_a_source_is_due_when_never_pulled_or_its_interval_has_passed(
    partners: PartnersFile,
) -> None:
    assert due_sources(partners, {}, NOON) == ["zv-often", "zv-daily", "zv-changes"]  # not zv-off
    pulled = {"zv-often": NOON, "zv-daily": NOON, "zv-changes": NOON}
    assert due_sources(partners, pulled, NOON + timedelta(minutes=29)) == []
    assert due_sources(partners, pulled, NOON + timedelta(minutes=30)) == ["zv-often"]
    assert due_sources(partners, pulled, NOON + timedelta(hours=1)) == ["zv-often", "zv-changes"]
    assert due_sources(partners, pulled, NOON + timedelta(days=1)) == [
        "zv-often",
        "zv-daily",
        "zv-changes",
    ]
    assert next_due(partners, pulled, NOON + timedelta(minutes=10)) == timedelta(minutes=20)
    assert next_due(partners, {"zv-often": NOON}, NOON) == timedelta(0)  # zv-daily never was


async def test_the_graph_remembers_when_each_source_was_pulled(
    graph: Graph, partners: PartnersFile
) -> None:
    everything = ["zv-often", "zv-daily", "zv-changes"]
    assert (await due_now(graph, partners)).sources == everything
    before = datetime.now(UTC)
    report = await run_sync(graph, partners, source_ids=["zv-often"])
    assert [outcome.source for outcome in report.outcomes] == ["zv-often"]
    assert await count(graph, RUNS, source="zv-daily") == 0  # only the one asked for

    pulled = (await last_pulls(graph))["zv-often"]
    assert before <= pulled.latest <= datetime.now(UTC)
    assert pulled.latest_complete == pulled.latest  # a plain list is complete every time
    assert (await due_now(graph, partners)).sources == ["zv-daily", "zv-changes"]
    later = pulled.latest + timedelta(minutes=30)
    assert (await due_now(graph, partners, now=later)).sources == everything


async def test_an_incremental_source_is_pulled_in_full_at_its_full_interval(
    graph: Graph, partners: PartnersFile, changes: ChangeFeed
) -> None:
    first = await run_sync(graph, partners, source_ids=["zv-changes"])
    assert first.outcomes[0].summary.created == 3
    changes.projects = [p for p in changes.projects if p["id"] != "C2"]  # removed at the source

    hour_later = (await last_pulls(graph))["zv-changes"].latest + timedelta(hours=1)
    due = await due_now(graph, partners, now=hour_later)
    assert "zv-changes" in due.sources and "zv-changes" not in due.full  # full pull is recent
    incremental = await run_sync(graph, partners, source_ids=["zv-changes"], full_sources=due.full)
    assert changes.asked_since[-1] is not None
    assert incremental.outcomes[-1].summary.retired == 0  # it cannot see the removal
    runs = (await last_pulls(graph))["zv-changes"]
    assert runs.latest_complete is not None and runs.latest_complete < runs.latest

    week_later = runs.latest_complete + timedelta(days=7)
    due = await due_now(graph, partners, now=week_later)
    assert "zv-changes" in due.full
    full = await run_sync(graph, partners, source_ids=["zv-changes"], full_sources=due.full)
    assert changes.asked_since[-1] is None
    by_source = {outcome.source: outcome.summary for outcome in full.outcomes}
    assert by_source["zv-changes"].retired == 1 and by_source["zv-changes"].complete
    live = "MATCH (p:Project) WHERE p.retiredAt IS NULL RETURN count(p) AS n"
    assert await count(graph, live) == 2


async def test_the_scheduler_pulls_what_is_due_once_and_stops_when_told(
    graph: Graph, partners_path: Path, web: PartnerWeb, caplog: pytest.LogCaptureFixture
) -> None:
    stop = asyncio.Event()
    reads = 0

    def load() -> PartnersFile:
        nonlocal reads
        reads += 1
        if reads == 3:  # someone saves a broken file: the last good one goes on being used
            partners_path.write_text("partners: [oops")
        return load_partners(partners_path)

    caplog.set_level(logging.INFO, logger="hub.sync.schedule")
    scheduler = asyncio.create_task(
        run_schedule(graph, load, stop, longest_nap=timedelta(seconds=0.2))
    )
    for _ in range(600):
        if await count(graph, RUNS, source="zv-daily") and reads >= 4:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.5)  # time for a second round, which must find nothing due
    assert await count(graph, RUNS, source="zv-often") == 1
    assert await count(graph, RUNS, source="zv-daily") == 1
    assert sorted(r.path for r in web.log) == ["/changes", "/daily", "/often"]
    assert any("partners file is broken" in r.getMessage() for r in caplog.records)

    stop.set()
    await asyncio.wait_for(scheduler, timeout=5)


async def test_two_schedulers_pull_each_due_source_once(
    graph: Graph, partners: PartnersFile, web: PartnerWeb
) -> None:
    """Both see every source due at the same moment; leases let each pull happen once."""
    stop = asyncio.Event()
    schedulers = [
        asyncio.create_task(
            run_schedule(graph, lambda: partners, stop, longest_nap=timedelta(seconds=1))
        )
        for _ in range(2)
    ]
    try:
        for _ in range(200):
            pulled = await last_pulls(graph)
            if {"zv-often", "zv-daily", "zv-changes"} <= pulled.keys():
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.5)  # a second round of both, with nothing due
    finally:
        stop.set()
        await asyncio.gather(*schedulers)
    for source in ("zv-often", "zv-daily", "zv-changes"):
        assert await count(graph, RUNS, source=source) == 1, source
    for path in ("/often", "/daily", "/changes"):
        assert len(web.requests_to(path)) == 1, path


async def test_leases_split_the_due_sources_between_holders(graph: Graph) -> None:
    sources = ["a", "b", "c", "d"]
    async with leased(graph, sources, "one") as first, leased(graph, sources, "two") as second:
        assert first == sources and second == []
    async with leased(graph, sources, "two") as again:  # released when the first block ended
        assert again == sources
