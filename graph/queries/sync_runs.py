"""Sync runs: what each pull of each source did, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph.database import Graph


async def recent_sync_runs(
    graph: Graph, *, source: str | None, last: int, partner: str | None = None
) -> list[dict[str, Any]]:
    """The ``last`` most recent runs, of one source or of all; of one partner's sources only
    when ``partner`` is given."""
    rows = await graph.read(
        "MATCH (run:SyncRun) WHERE ($source IS NULL OR run.source = $source) "
        "AND ($partner IS NULL OR EXISTS { (run)-[:OF]->(:Source {partner: $partner}) }) "
        "RETURN run {.id, .source, .startedAt, .endedAt, .status, .dryRun, .created, .updated, "
        ".unchanged, .retired, .rejected, .kept, .errors, .notes, .durationMs, .flagReason} "
        "AS item "
        "ORDER BY item.startedAt DESC, item.id DESC LIMIT $last",
        {"source": source, "last": last, "partner": partner},
    )
    return [row["item"] for row in rows]


@dataclass(frozen=True)
class Pulls:
    """When a source was last pulled (started), and last pulled in full."""

    latest: datetime
    latest_complete: datetime | None


async def last_pulls(graph: Graph) -> dict[str, Pulls]:
    """Per source, its latest pull whatever came of it, and its latest complete one.

    A failed pull counts as a pull: a broken partner is retried at its interval, not on every
    tick. An abandoned one does not: it never finished, so the source is pulled again. Only a
    complete pull saw what the source no longer lists.
    """
    rows = await graph.read(
        # Per source, newest first through the (source, startedAt) index: runs pile up.
        "MATCH (source:Source) "
        "CALL (source) { MATCH (run:SyncRun) "
        "WHERE run.source = source.id AND run.startedAt IS NOT NULL "
        "AND run.status <> 'abandoned' "
        "RETURN run.startedAt AS latest ORDER BY run.startedAt DESC LIMIT 1 } "
        "CALL (source) { OPTIONAL MATCH (run:SyncRun) "
        "WHERE run.source = source.id AND run.startedAt IS NOT NULL AND run.complete = true "
        "RETURN run.startedAt AS latestComplete ORDER BY run.startedAt DESC LIMIT 1 } "
        "RETURN source.id AS source, latest, latestComplete",
        {},
    )
    return {row["source"]: Pulls(row["latest"], row["latestComplete"]) for row in rows}
