"""`convener sync` in a real process: its exit status, its JSON and its table."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.database import Graph
from graph.local_neo4j import LocalNeo4j
from tests.partner_web import FAST_HTTP, PartnerWeb, Reply

CONVENER = Path(sys.executable).parent / "convener"
PARTNERS = """
partners:
  - id: em-council
    name: Eastmoor County Council
    sector: local_government
    sources:
      - id: em-register
        kind: tabular
        path: register.csv
        entities: [project]
        mapping: {project: {fields: {ref: Ref, title: Title}}}
      - id: em-api
        kind: json_api
        url: ${BASE}/api
        entities: [project]
        http: HTTP
        mapping: {project: {fields: {ref: id, title: title}}}
""".replace("HTTP", str(FAST_HTTP).replace("'", ""))


@pytest.fixture
def web() -> Iterator[PartnerWeb]:
    with PartnerWeb().running() as server:
        yield server


def write_partners(tmp_path: Path) -> Path:
    """The partners file and the register it names, in ``tmp_path``."""
    (tmp_path / "register.csv").write_text("Ref,Title\nE1,Falls champions in care homes\n")
    (tmp_path / "partners.yaml").write_text(PARTNERS)
    return tmp_path / "partners.yaml"


def sync(
    tmp_path: Path, server: LocalNeo4j, web: PartnerWeb, *args: str
) -> subprocess.CompletedProcess[str]:
    write_partners(tmp_path)
    env = {
        "PATH": "/usr/bin:/bin",
        "CONVENER_NEO4J_URI": server.uri,
        "BASE": web.url(),
        "COLUMNS": "200",
    }
    return subprocess.run(
        [str(CONVENER), "sync", "--config", str(tmp_path / "partners.yaml"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


async def test_exit_1_when_a_source_fails_and_the_json_says_which(
    graph: Graph, neo4j_server: LocalNeo4j, web: PartnerWeb, tmp_path: Path
) -> None:
    web.route("/api", Reply(502, b"bad gateway", content_type="text/plain"))
    done = sync(tmp_path, neo4j_server, web, "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is False
    by_source = {s["source"]: s for s in report["sources"]}
    assert by_source["em-register"]["status"] == "succeeded"
    assert by_source["em-register"]["created"] == 1
    assert by_source["em-api"]["status"] == "failed"
    assert by_source["em-api"]["errors"] == [
        "em-api: project page 1: answered 502 Bad Gateway (3 attempts)"
    ]


async def test_exit_0_with_a_table_when_all_succeed(
    graph: Graph, neo4j_server: LocalNeo4j, web: PartnerWeb, tmp_path: Path
) -> None:
    web.route("/api", Reply(body=[{"id": "A1", "title": "Sepsis at the front door"}]))
    done = sync(tmp_path, neo4j_server, web)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "em-register" in done.stdout and "em-api" in done.stdout
    again = sync(tmp_path, neo4j_server, web, "--partner", "em-council")
    assert again.returncode == 0
    assert "not modified" in again.stdout  # the register file has not changed


async def test_due_pulls_only_sources_whose_interval_has_passed(
    graph: Graph, neo4j_server: LocalNeo4j, web: PartnerWeb, tmp_path: Path
) -> None:
    web.route("/api", Reply(body=[{"id": "A1", "title": "Sepsis at the front door"}]))
    first = sync(tmp_path, neo4j_server, web, "--due")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "em-register" in first.stdout and "em-api" in first.stdout  # never pulled: both due
    runs = "MATCH (r:SyncRun) RETURN count(r) AS n"
    (before,) = await graph.read(runs)
    again = sync(tmp_path, neo4j_server, web, "--due")  # a minute later from cron, say
    assert again.returncode == 0
    assert "No source is due." in again.stderr
    assert await graph.read(runs) == [before]  # not even the partners registry was re-run


async def test_schedule_pulls_what_is_due_and_stops_cleanly_on_sigterm(
    graph: Graph, neo4j_server: LocalNeo4j, web: PartnerWeb, tmp_path: Path
) -> None:
    web.route("/api", Reply(body=[{"id": "A1", "title": "Sepsis at the front door"}]))
    scheduler = subprocess.Popen(
        [str(CONVENER), "schedule", "--config", str(write_partners(tmp_path))],
        env={"PATH": "/usr/bin:/bin", "CONVENER_NEO4J_URI": neo4j_server.uri, "BASE": web.url()},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        runs = "MATCH (r:SyncRun) WHERE r.endedAt IS NOT NULL RETURN count(r) AS n"
        for _ in range(300):
            if (await graph.read(runs))[0]["n"] >= 3:  # the registry and both sources
                break
            await asyncio.sleep(0.1)
        assert [r["n"] for r in await graph.read(runs)] == [3]
    finally:
        scheduler.send_signal(signal.SIGTERM)
        _, stderr = scheduler.communicate(timeout=30)
    assert scheduler.returncode == 0, stderr
    assert "scheduled sync of em-register, em-api" in stderr


async def test_exit_2_for_a_broken_partners_file_or_an_unknown_partner(
    neo4j_server: LocalNeo4j, web: PartnerWeb, tmp_path: Path
) -> None:
    unknown = sync(tmp_path, neo4j_server, web, "--partner", "nobody")
    assert unknown.returncode == 2 and "no partner 'nobody'" in unknown.stderr
    (tmp_path / "broken.yaml").write_text(PARTNERS.replace("sector:", "sectr:"))
    broken = subprocess.run(
        [str(CONVENER), "sync", "--config", str(tmp_path / "broken.yaml")],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "BASE": web.url(), "COLUMNS": "200"},
        timeout=60,
    )
    assert broken.returncode == 2
    assert "partner 'em-council', field sectr: unknown key" in broken.stderr
