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
from hub.schedule import due_now, due_sources, next_due, run_schedule
from hub.sync import run_sync
from tests.ingest_helpers import count
from tests.partner_web import FAST_HTTP, PartnerWeb, Reply

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
      - id: zv-off
        kind: json_api
        url: ${BASE}/off
        entities: [project]
        enabled: false
        mapping: {project: {fields: {ref: id, title: title}}}
""".replace("HTTP", str(FAST_HTTP).replace("'", ""))

RUNS = "MATCH (r:SyncRun {source: $source}) RETURN count(r) AS n"


@pytest.fixture
def web() -> Iterator[PartnerWeb]:
    with PartnerWeb().running() as server:
        server.route("/often", Reply(body=[{"id": "O1", "title": "Falls huddles"}]))
        server.route("/daily", Reply(body=[{"id": "D1", "title": "Sepsis screening"}]))
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
    assert due_sources(partners, {}, NOON) == ["zv-often", "zv-daily"]  # never: the disabled one
    pulled = {"zv-often": NOON, "zv-daily": NOON}
    assert due_sources(partners, pulled, NOON + timedelta(minutes=29)) == []
    assert due_sources(partners, pulled, NOON + timedelta(minutes=30)) == ["zv-often"]
    assert due_sources(partners, pulled, NOON + timedelta(days=1)) == ["zv-often", "zv-daily"]
    assert next_due(partners, pulled, NOON + timedelta(minutes=10)) == timedelta(minutes=20)
    assert next_due(partners, {"zv-often": NOON}, NOON) == timedelta(0)  # zv-daily never was


async def test_the_graph_remembers_when_each_source_was_pulled(
    graph: Graph, partners: PartnersFile
) -> None:
    assert await due_now(graph, partners) == ["zv-often", "zv-daily"]
    before = datetime.now(UTC)
    report = await run_sync(graph, partners, source_ids=["zv-often"])
    assert [outcome.source for outcome in report.outcomes] == ["zv-often"]
    assert await count(graph, RUNS, source="zv-daily") == 0  # only the one asked for

    pulled = await last_pulls(graph)
    assert before <= pulled["zv-often"] <= datetime.now(UTC)
    assert await due_now(graph, partners) == ["zv-daily"]
    later = pulled["zv-often"] + timedelta(minutes=30)
    assert await due_now(graph, partners, now=later) == ["zv-often", "zv-daily"]


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

    caplog.set_level(logging.INFO, logger="hub.schedule")
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
    assert sorted(r.path for r in web.log) == ["/daily", "/often"]
    assert any("partners file is broken" in r.getMessage() for r in caplog.records)

    stop.set()
    await asyncio.wait_for(scheduler, timeout=5)
