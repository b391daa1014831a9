"""Sync runs: what each pull of each source did, newest first."""

from __future__ import annotations

from typing import Any

from graph.database import Graph
from graph.queries.common import fetch


async def recent_sync_runs(graph: Graph, *, source: str | None, last: int) -> list[dict[str, Any]]:
    """The ``last`` most recent runs, of one source or of all."""
    rows = await fetch(
        graph,
        "MATCH (run:SyncRun) WHERE $source IS NULL OR run.source = $source "
        "RETURN run {.id, .source, .startedAt, .endedAt, .status, .dryRun, .created, .updated, "
        ".unchanged, .retired, .rejected, .errors, .durationMs, .flagReason} AS item "
        "ORDER BY item.startedAt DESC, item.id DESC LIMIT $last",
        {"source": source, "last": last},
    )
    return [row["item"] for row in rows]
