"""Sync runs: what each pull of each source did, newest first."""

from __future__ import annotations

from typing import Any

from graph.database import Graph
from graph.queries.common import fetch


async def recent_sync_runs(
    graph: Graph, *, source: str | None, last: int, partner: str | None = None
) -> list[dict[str, Any]]:
    """The ``last`` most recent runs, of one source or of all; of one partner's sources only
    when ``partner`` is given."""
    rows = await fetch(
        graph,
        "MATCH (run:SyncRun) WHERE ($source IS NULL OR run.source = $source) "
        "AND ($partner IS NULL OR EXISTS { (run)-[:OF]->(:Source {partner: $partner}) }) "
        "RETURN run {.id, .source, .startedAt, .endedAt, .status, .dryRun, .created, .updated, "
        ".unchanged, .retired, .rejected, .errors, .durationMs, .flagReason} AS item "
        "ORDER BY item.startedAt DESC, item.id DESC LIMIT $last",
        {"source": source, "last": last, "partner": partner},
    )
    return [row["item"] for row in rows]
