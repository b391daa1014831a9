"""A sync killed mid-run is closed as abandoned when the next sync or scheduler round starts,
and an abandoned run does not count as a pull."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from connectors.partners import PartnersFile, load_partners
from graph.database import Graph
from graph.ingest import close_stale_runs, statements, sync_source
from graph.local_neo4j import LocalNeo4j
from graph.queries.sync_runs import last_pulls
from hub.sync.schedule import due_now
from tests.ingest_helpers import project, source

ROOT = Path(__file__).parent.parent
STUCK = source("zv-stuck", "zv-trust")

# A sync that stores its run, then hangs while reading the partner's records.
HANGING_SYNC = """
import asyncio, sys, time
from graph.database import Graph
from graph.ingest import sync_source
from tests.ingest_helpers import project, source

def records():
    yield project("j1", "Falls huddles")
    print("pulling", flush=True)
    time.sleep(600)

graph = Graph.connect(sys.argv[1])
asyncio.run(sync_source(graph, source("zv-stuck", "zv-trust"), records()))
"""

PARTNERS = """
partners:
  - id: zv-trust
    name: Zedvale Hospitals NHS Foundation Trust
    sector: nhs
    sources:
      - id: zv-stuck
        kind: json_api
        url: http://127.0.0.1:9/projects
        entities: [project]
        interval: 1h
        mapping: {project: {fields: {ref: id, title: title}}}
"""


@asynccontextmanager
async def hanging_sync(neo4j: LocalNeo4j) -> AsyncIterator[asyncio.subprocess.Process]:
    """A real sync in another process, stopped in the middle of its pull."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HANGING_SYNC, neo4j.uri, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        assert await asyncio.wait_for(process.stdout.readline(), timeout=60) == b"pulling\n"
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()  # reaped: a zombie would still look alive


async def runs(graph: Graph) -> list[dict[str, Any]]:
    rows = await graph.read(
        "MATCH (r:SyncRun {source: $source}) RETURN r {.*} AS run ORDER BY r.startedAt",
        {"source": STUCK.id},
    )
    return [row["run"] for row in rows]


@pytest.fixture
def partners(tmp_path: Path) -> PartnersFile:
    path = tmp_path / "partners.yaml"
    path.write_text(PARTNERS)
    return load_partners(path)


async def test_a_killed_sync_is_abandoned_at_the_next_scheduler_round_and_not_counted(
    graph: Graph, neo4j_server: LocalNeo4j, partners: PartnersFile
) -> None:
    async with hanging_sync(neo4j_server) as process:
        [run] = await runs(graph)
        assert (run["status"], run["host"], run["pid"]) == (
            "running",
            socket.gethostname(),
            process.pid,
        )
        # While its process lives, the run is a pull under way: the source is not due again.
        assert (await due_now(graph, partners)).sources == []
        assert STUCK.id in await last_pulls(graph)

        process.kill()
        await process.wait()
        assert (await due_now(graph, partners)).sources == [STUCK.id]

    [run] = await runs(graph)
    assert run["status"] == "abandoned"
    assert run["endedAt"] is not None
    assert run["notes"] == [
        f"abandoned: its process ({process.pid} on {socket.gethostname()}) is gone"
    ]
    assert STUCK.id not in await last_pulls(graph)


async def test_a_run_going_on_longer_than_the_bound_is_abandoned(
    graph: Graph, neo4j_server: LocalNeo4j
) -> None:
    async with hanging_sync(neo4j_server):
        [run] = await runs(graph)
        assert await close_stale_runs(graph) == []  # alive, and far from six hours old
        await asyncio.sleep(max(0.0, 1.1 - (datetime.now(UTC) - run["startedAt"]).total_seconds()))
        assert await close_stale_runs(graph, stale_after=timedelta(seconds=1)) == [run["id"]]
        [run] = await runs(graph)
        assert run["status"] == "abandoned"
        assert run["notes"] == [
            "abandoned: still marked running more than 1 seconds after it started"
        ]


async def test_the_next_sync_closes_a_run_this_process_left_running(graph: Graph) -> None:
    def broken_pull() -> Any:
        yield project("j1", "Falls huddles")
        raise ConnectionResetError("the partner hung up")

    with pytest.raises(ConnectionResetError):
        await sync_source(graph, STUCK, broken_pull())
    [left] = await runs(graph)
    assert left["status"] == "running"

    summary = await sync_source(graph, STUCK, [project("j1", "Falls huddles")])
    first, second = await runs(graph)
    assert first["id"] == left["id"] and second["id"] == summary.run_id
    assert (first["status"], second["status"]) == ("abandoned", "succeeded")
    assert first["notes"] == [
        f"abandoned: it stopped without being finished (process {left['pid']} on "
        f"{socket.gethostname()})"
    ]
    assert (await last_pulls(graph))[STUCK.id].latest == second["startedAt"]


async def test_a_run_that_finished_is_never_abandoned(graph: Graph) -> None:
    await sync_source(graph, STUCK, [project("j1", "Falls huddles")])
    assert await close_stale_runs(graph, stale_after=timedelta(0)) == []
    [run] = await runs(graph)
    assert run["status"] == "succeeded"


async def test_running_runs_are_found_by_their_status_not_by_walking_every_run(
    graph: Graph,
) -> None:
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run("EXPLAIN " + statements.RUNNING_RUNS, {"source": None})
        plan = (await result.consume()).plan
    assert plan is not None
    operators = []
    pending = [plan]
    while pending:
        step = pending.pop()
        operators.append(step["operatorType"].split("@")[0])
        pending += step.get("children", [])
    assert "NodeIndexSeek" in operators and not any("Scan" in op for op in operators), operators
