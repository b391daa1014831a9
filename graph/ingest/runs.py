"""Run bookkeeping: each pull of a source is a SyncRun, begun before anything is written and
finished with what the pull did."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from graph.database import Graph
from graph.ingest import statements
from graph.ingest.sources import SourceInfo

MAX_STORED_ERRORS = 20


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
    complete: bool = False
    """The pull listed everything the source has (so removals were seen and retired)."""

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


def new_run(source: SourceInfo, started: datetime, *, dry_run: bool) -> SyncSummary:
    """A running pull of ``source``, with an id that sorts by its start."""
    run_id = f"{source.id}:{started.strftime('%Y%m%dT%H%M%S')}:{uuid.uuid4().hex[:8]}"
    return SyncSummary(run_id=run_id, source=source.id, status="running", dry_run=dry_run)


async def begin_run(graph: Graph, source: SourceInfo, run: SyncSummary, started: datetime) -> None:
    """Store the source and its run as ``running``."""
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
        },
    )


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
