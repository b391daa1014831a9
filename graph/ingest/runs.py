"""Run bookkeeping: each pull of a source is a SyncRun, begun before anything is written and
finished with what the pull did.

A process killed mid-pull never finishes its run, so each run stores the host and pid that
began it. Runs left running are closed as ``abandoned`` (with ``endedAt`` and a note) when the
next sync of the source, or a scheduler round, starts: those whose process is gone, and those
marked running for longer than a bound (``IngestOptions.stale_run_after``). Whether a process
is gone can be told only on its own host; elsewhere the bound decides.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from graph.database import Graph
from graph.ingest import statements
from graph.ingest.options import STALE_RUN_AFTER
from graph.ingest.sources import SourceInfo

MAX_STORED_ERRORS = 20
_HOST = socket.gethostname()
_IN_FLIGHT: set[str] = set()
"""Runs this process has begun and not yet left: its own runs that are still going."""


@dataclass
class SyncSummary:
    """What one pull of one source did (or, in a dry run, would do)."""

    run_id: str
    source: str
    status: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    rejected: int = 0
    kept: int = 0
    """Records the source still lists that failed validation: kept as they were."""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flag_reason: str | None = None
    would_retire: list[str] = field(default_factory=list)
    duration_ms: int = 0
    changed_projects: list[str] = field(default_factory=list)
    changed_entities: list[str] = field(default_factory=list)
    """Organisations, people and projects written or retired: their organisations' links may
    have changed (``graph.links.refresh_links_of``)."""
    complete: bool = False
    """The pull listed everything the source has (so removals were seen and retired)."""

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


def new_run(source: SourceInfo, started: datetime, *, dry_run: bool) -> SyncSummary:
    """A running pull of ``source``, with an id that sorts by its start."""
    run_id = f"{source.id}:{started.strftime('%Y%m%dT%H%M%S')}:{uuid.uuid4().hex[:8]}"
    return SyncSummary(run_id=run_id, source=source.id, status="running", dry_run=dry_run)


@asynccontextmanager
async def running(
    graph: Graph, source: SourceInfo, run: SyncSummary, started: datetime
) -> AsyncIterator[None]:
    """Store ``run`` as running (unless a dry run) for the block, which ends it with
    ``finish_run``; should the block raise, the run is left for ``close_stale_runs``."""
    _IN_FLIGHT.add(run.run_id)  # before it is stored: a sweep must never take it for gone
    try:
        if not run.dry_run:
            await graph.write(
                statements.BEGIN_RUN,
                {
                    "source": {
                        "id": source.id,
                        "partner": source.partner,
                        "name": source.name,
                        "kind": source.kind,
                    },
                    "run": run.run_id,
                    "started": started,
                    "host": _HOST,
                    "pid": os.getpid(),
                },
            )
        yield
    finally:
        _IN_FLIGHT.discard(run.run_id)


async def finish_run(
    graph: Graph, run: SyncSummary, bookmark: str | None, etag: str | None, keep_state: bool
) -> None:
    """Store what the run did; keep the source's bookmark and ETag only when ``keep_state``."""
    await graph.write(
        statements.FINISH_RUN,
        {
            "run": run.run_id,
            "status": run.status,
            "created": run.created,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "retired": run.retired,
            "rejected": run.rejected,
            "kept": run.kept,
            "errors": run.errors,
            "notes": run.notes,
            "durationMs": run.duration_ms,
            "flagReason": run.flag_reason,
            "complete": run.complete,
            "bookmark": bookmark,
            "etag": etag,
            "keepState": keep_state,
        },
    )


async def close_stale_runs(
    graph: Graph, *, stale_after: timedelta = STALE_RUN_AFTER, source_id: str | None = None
) -> list[str]:
    """Close as ``abandoned`` the runs (of one source, or of all) left running by a process
    that is gone, or running longer than ``stale_after``; return their ids."""
    now = datetime.now(UTC)
    runs = []
    for row in await graph.read(statements.RUNNING_RUNS, {"source": source_id}):
        note = _gone(row["host"], row["pid"], row["id"])
        if note is None and row["startedAt"] is not None and now - row["startedAt"] > stale_after:
            note = f"still marked running more than {_span(stale_after)} after it started"
        if note is not None:
            runs.append({"id": row["id"], "note": f"abandoned: {note}"})
    if not runs:
        return []
    closed = await graph.write(statements.ABANDON_RUNS, {"runs": runs})
    return [row["id"] for row in closed]


def _gone(host: str | None, pid: int | None, run_id: str) -> str | None:
    """Why the process that began a run has certainly stopped running it, if it has."""
    if host != _HOST or pid is None:
        return None  # another host's processes cannot be seen from here
    if pid == os.getpid():
        if run_id in _IN_FLIGHT:
            return None
        # Ours and it raised, or an earlier process that had our pid (a restarted container's).
        return f"it stopped without being finished (process {pid} on {host})"
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return f"its process ({pid} on {host}) is gone"
    except PermissionError:
        pass  # alive, and another user's
    return None  # alive, or its pid taken by another process: the time bound decides


def _span(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    for unit, size in (("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} seconds"
