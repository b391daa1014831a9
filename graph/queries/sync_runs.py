"""Sync runs: what each pull of each source did, newest first."""

from __future__ import annotations

from datetime import datetime
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


async def last_pulls(graph: Graph) -> dict[str, datetime]:
    """When each source was last pulled (started), whatever came of it.

    A failed pull counts: a broken partner is retried at its interval, not on every tick.
    """
    rows = await fetch(
        graph,
        # Per source, newest first through the (source, startedAt) index: runs pile up.
        "MATCH (source:Source) "
        "CALL (source) { MATCH (run:SyncRun) "
        "WHERE run.source = source.id AND run.startedAt IS NOT NULL "
        "RETURN run.startedAt AS startedAt ORDER BY run.startedAt DESC LIMIT 1 } "
        "RETURN source.id AS source, startedAt",
        {},
    )
    return {row["source"]: row["startedAt"] for row in rows}
