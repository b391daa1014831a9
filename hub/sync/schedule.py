"""Scheduled pulls: each source when its partners-file ``interval`` has passed.

When a source was last pulled is read from its sync runs in the graph, not kept in memory, so
a scheduler that restarts (or a cron job running ``convener sync --due``) picks up where the
last one left off. Run one scheduler per graph: hubs stay stateless and never pull.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from connectors.partners import PartnersFile, PartnersFileError
from graph.database import Graph
from graph.impact import take_daily_snapshot
from graph.ingest import IngestOptions, close_stale_runs
from graph.queries.sync_runs import last_pulls
from hub.sync.run import run_sync, selected_sources

log = logging.getLogger(__name__)

LONGEST_NAP = timedelta(minutes=5)
"""A scheduler looks again at least this often, so an edited partners file is soon read."""
SHORTEST_NAP = timedelta(seconds=1)


def due_sources(partners: PartnersFile, pulled: Mapping[str, datetime], now: datetime) -> list[str]:
    """The enabled sources never pulled, or pulled at least their interval before ``now``."""
    return [
        source.id
        for _, source in selected_sources(partners)
        if source.id not in pulled or now - pulled[source.id] >= source.interval
    ]


def next_due(partners: PartnersFile, pulled: Mapping[str, datetime], now: datetime) -> timedelta:
    """How long until the next source falls due (zero if one already is)."""
    waits = [
        pulled[source.id] + source.interval - now if source.id in pulled else timedelta(0)
        for _, source in selected_sources(partners)
    ]
    return max(timedelta(0), min(waits, default=LONGEST_NAP))


def full_due(
    partners: PartnersFile, complete: Mapping[str, datetime], due: Collection[str], now: datetime
) -> list[str]:
    """Of the ``due`` sources, those whose last complete pull is ``full_interval`` old (or that
    never had one): their next pull ignores bookmarks and ETags, so removals are retired."""
    return [
        source.id
        for _, source in selected_sources(partners, source_ids=due)
        if source.id not in complete or now - complete[source.id] >= source.full_interval
    ]


@dataclass(frozen=True)
class Due:
    sources: list[str]
    full: list[str]
    """Those of ``sources`` to pull in full."""


async def due_now(
    graph: Graph,
    partners: PartnersFile,
    *,
    now: datetime | None = None,
    attempted: Mapping[str, datetime] | None = None,
) -> Due:
    """The sources due at ``now`` (default: this moment), as the graph's sync runs tell.

    ``attempted`` adds pulls the graph may not show (one that broke before its run was
    stored), so a source that fails that way waits its interval like any other. Runs left
    running by a process that died are closed as abandoned first, and do not count; and the
    day's impact snapshot is taken, once a day whichever scheduler or cron job comes first.
    """
    now = now or datetime.now(UTC)
    await close_stale_runs(graph)
    await take_daily_snapshot(graph, now)
    runs = await last_pulls(graph)
    pulled = latest({source: run.latest for source, run in runs.items()}, attempted or {})
    complete = {s: run.latest_complete for s, run in runs.items() if run.latest_complete}
    due = due_sources(partners, pulled, now)
    return Due(due, full_due(partners, complete, due, now))


def latest(*pulls: Mapping[str, datetime]) -> dict[str, datetime]:
    """Per source, the latest of the times given."""
    merged: dict[str, datetime] = {}
    for times in pulls:
        for source, at in times.items():
            merged[source] = max(at, merged.get(source, at))
    return merged


async def run_schedule(
    graph: Graph,
    load: Callable[[], PartnersFile],
    stop: asyncio.Event,
    *,
    options: IngestOptions | None = None,
    env: Mapping[str, str] | None = None,
    longest_nap: timedelta = LONGEST_NAP,
) -> None:
    """Sync due sources until ``stop`` is set, sleeping until the next one falls due.

    ``load`` reads the partners file; it is read again on every round (at least every
    ``longest_nap``), and while it is broken the last good version is used (and logged).
    """
    partners = load()
    attempted: dict[str, datetime] = {}
    while not stop.is_set():
        try:
            partners = load()
        except PartnersFileError as error:
            log.error("the partners file is broken; using the last good one: %s", error)
        now = datetime.now(UTC)
        try:
            due = await due_now(graph, partners, now=now, attempted=attempted)
            if due.sources:
                report = await run_sync(
                    graph,
                    partners,
                    source_ids=due.sources,
                    full_sources=due.full,
                    options=options,
                    env=env,
                )
                attempted.update({source: now for source in due.sources})
                failed = [outcome.source for outcome in report.failed]
                flagged = [outcome.source for outcome in report.flagged]
                log.info(
                    "scheduled sync of %s (in full: %s); failed: %s; flagged: %s",
                    ", ".join(due.sources),
                    ", ".join(due.full) or "none",
                    ", ".join(failed) or "none",
                    ", ".join(flagged) or "none",
                )
            runs = await last_pulls(graph)
            pulled = latest({source: run.latest for source, run in runs.items()}, attempted)
            wait = min(next_due(partners, pulled, datetime.now(UTC)), longest_nap)
        except Exception:  # the database is away, say: try again after a nap
            log.exception("scheduled sync failed")
            wait = longest_nap
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=max(wait, SHORTEST_NAP).total_seconds())
