"""`convener sync` in a real process: its exit status, its JSON and its table."""

from __future__ import annotations

import asyncio
import io
import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from connectors.result import PullResult
from graph.database import Graph
from graph.ingest.runs import SyncSummary
from graph.local_neo4j import LocalNeo4j, free_port
from hub.cli.report import show_report
from hub.sync.run import SourceOutcome, SyncReport
from tests.partner_web import FAST_HTTP, PartnerWeb, Reply

CONVENER = Path(sys.executable).parent / "convener"
SPINNER = re.compile("[\u2800-\u28ff]")  # rich's spinner frames are Braille patterns
TEN = [{"id": f"A{n}", "title": f"Sepsis at the front door, ward {n}"} for n in range(10)]
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
    tmp_path: Path, server: LocalNeo4j, web: PartnerWeb, *args: str, columns: int = 200
) -> subprocess.CompletedProcess[str]:
    write_partners(tmp_path)
    env = {
        "PATH": "/usr/bin:/bin",
        "CONVENER_NEO4J_URI": server.uri,
        "BASE": web.url(),
        "COLUMNS": str(columns),
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


async def test_exit_1_when_the_deletion_guard_trips_and_the_table_fits_80_columns(
    graph: Graph, neo4j_server: LocalNeo4j, web: PartnerWeb, tmp_path: Path
) -> None:
    web.route("/api", Reply(body=TEN))
    first = sync(tmp_path, neo4j_server, web)
    assert first.returncode == 0, first.stdout + first.stderr
    web.route("/api", Reply(body=TEN[:1]))  # nine of ten gone at once: the guard holds them
    done = sync(tmp_path, neo4j_server, web, columns=80)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    table = lines[: lines.index("  em-register: not modified")]
    assert all(len(line) <= 80 for line in table), done.stdout
    assert "\u2026" not in done.stdout  # nothing cut short with an ellipsis
    (header,) = [line for line in lines if line.split()[:2] == ["source", "status"]]
    assert header.split() == ["source", "status", "new", "changed", "same", "retired", "rejected"]
    (row,) = [line for line in lines if line.split()[:1] == ["em-api"]]
    assert row.split()[1:] == ["flagged", "0", "0", "1", "0", "0"]
    # The reason is below the table, not wrapped down a narrow column; in a log, one line.
    (reason,) = [line for line in lines if line.startswith("  em-api: this pull would retire")]
    assert "9 of 10 records" in reason and reason.endswith("then sync again.")
    assert "1 source flagged" in done.stdout
    # Not a terminal: no spinner, no progress lines in the log.
    assert not SPINNER.search(done.stderr) and "pulling" not in done.stderr, done.stderr
    live = "MATCH (p:Project) WHERE p.retiredAt IS NULL RETURN count(p) AS n"
    assert await graph.read(live) == [{"n": 11}]  # the register's one and all ten


async def test_a_dry_run_says_nothing_was_written_not_that_the_others_were_synced(
    graph: Graph, neo4j_server: LocalNeo4j, web: PartnerWeb, tmp_path: Path
) -> None:
    web.route("/api", Reply(502, b"bad gateway", content_type="text/plain"))
    dry = sync(tmp_path, neo4j_server, web, "--dry-run", columns=80)
    assert dry.returncode == 1, dry.stdout + dry.stderr
    assert "1 of 2 sources failed." in dry.stdout
    assert "Dry run: nothing was written." in dry.stdout
    assert "synced" not in dry.stdout
    assert await graph.read("MATCH (p:Project) RETURN count(p) AS n") == [{"n": 0}]
    real = sync(tmp_path, neo4j_server, web, columns=80)
    assert real.returncode == 1
    assert "1 of 2 sources failed; the others were synced." in real.stdout
    assert "Dry run" not in real.stdout


def test_exit_2_in_one_line_when_the_database_or_the_vocabulary_cannot_be_used(
    web: PartnerWeb, tmp_path: Path
) -> None:
    config = str(write_partners(tmp_path))
    nobody = f"bolt://127.0.0.1:{free_port()}"  # nothing listens there
    cases = [
        (["sync"], {}, f"convener: Neo4j at {nobody} cannot be used: "),
        (["schedule"], {}, f"convener: Neo4j at {nobody} cannot be used: "),
        (
            ["sync"],
            {"CONVENER_VOCABULARY_FILE": str(tmp_path / "nowhere.yaml")},
            "nowhere.yaml: cannot read",
        ),
    ]
    for command, extra, expected in cases:
        # The driver alone would retry for 30 s before giving up (and then with a traceback).
        done = subprocess.run(
            [str(CONVENER), *command, "--config", config],
            env={"PATH": "/usr/bin:/bin", "BASE": web.url(), "CONVENER_NEO4J_URI": nobody, **extra},
            capture_output=True,
            text=True,
            timeout=25,
        )
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr.count("\n") == 1 and expected in done.stderr, (command, done.stderr)
        assert "Traceback" not in done.stderr


def busy_report() -> SyncReport:
    """A run with a lot to say: a flagged source retried on every page that rejected rows."""
    retries = [
        f"page {n}: answered 429 Too Many Requests, waited 2 s, then retried" for n in range(6)
    ]
    rejects = [
        f"nv-hospitals-qi-api, project page 1, item {n} (ref 'NVH{n:04d}'), field 'title': "
        "Field required"
        for n in range(8)
    ]
    flagged = SyncSummary(
        run_id="r1",
        source="nv-hospitals-qi-api",
        status="flagged",
        unchanged=1,
        rejected=8,
        notes=retries,
        errors=rejects,
        flag_reason="this pull would retire 9 of 10 records (90%), more than the allowed 50%; "
        "nothing was retired. Check the source, then sync again.",
    )
    register = SyncSummary(run_id="r2", source="em-register", status="succeeded", created=4)
    return SyncReport(
        registry=SyncSummary(run_id="r0", source="partners", status="succeeded", unchanged=12),
        outcomes=[
            SourceOutcome("nv-hospitals", "nv-hospitals-qi-api", "json_api", flagged, None),
            SourceOutcome(
                "em-council",
                "em-register",
                "tabular",
                register,
                PullResult(source="em-register", not_modified=True),
            ),
        ],
    )


def rendered(terminal: bool, every_note: bool = False, dry_run: bool = False) -> str:
    file = io.StringIO()
    console = Console(file=file, width=80, force_terminal=terminal, color_system=None)
    show_report(busy_report(), dry_run=dry_run, console=console, every_note=every_note)
    return file.getvalue()


def test_a_dry_run_with_a_flagged_source_says_what_a_sync_would_do() -> None:
    dry = rendered(terminal=False, dry_run=True).splitlines()
    assert dry[-2:] == [
        "1 source flagged: a sync would retire nothing of theirs; see the note and check the "
        "source.",
        "Dry run: nothing was written.",
    ]
    real = rendered(terminal=False).splitlines()
    assert real[-1].startswith("1 source flagged: nothing of theirs was retired;")


def test_the_report_reads_well_in_80_columns_and_says_what_it_left_out() -> None:
    shown = rendered(terminal=True)
    lines = shown.splitlines()
    assert all(len(line) <= 80 for line in lines), shown
    (header,) = [line for line in lines if line.split()[:2] == ["source", "status"]]
    assert header.split() == ["source", "status", "new", "changed", "same", "retired", "rejected"]
    (row,) = [line for line in lines if line.split()[:1] == ["nv-hospitals-qi-api"]]
    assert row.split()[1:] == ["flagged", "0", "0", "1", "0", "8"]
    words = " ".join(shown.split())  # wrapped at word boundaries, never cut
    assert "more than the allowed 50%; nothing was retired. Check the source, then sync again." in (
        words
    )
    assert "page 2: answered 429" in words and "page 3: answered 429" not in words
    assert "item 2 (ref 'NVH0002')" in words and "item 3 (ref 'NVH0003')" not in words
    assert (
        "nv-hospitals-qi-api: and 3 more notes and 5 more errors (--notes lists every one)" in words
    )
    assert "\u2026" not in shown and "em-register: not modified" in words
    assert "1 source flagged" in words


def test_every_note_is_listed_when_asked_and_a_log_keeps_each_on_one_line() -> None:
    everything = rendered(terminal=False, every_note=True)
    lines = everything.splitlines()
    for n in range(6):
        assert (
            f"  nv-hospitals-qi-api: page {n}: answered 429 Too Many Requests, waited 2 s, "
            "then retried" in lines
        )
    for n in range(8):
        assert any(
            line.endswith(f"item {n} (ref 'NVH{n:04d}'), field 'title': Field required")
            for line in lines
        )
    assert "more notes" not in everything
    log = rendered(terminal=False)
    (reason,) = [line for line in log.splitlines() if "would retire" in line]
    assert reason.startswith("  nv-hospitals-qi-api: this pull") and reason.endswith("sync again.")
    assert not SPINNER.search(log) and "\x1b[" not in log  # plain text, no frames or colours
