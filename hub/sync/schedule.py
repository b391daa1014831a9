"""Scheduled pulls: each source when its partners-file ``interval`` has passed.

When a source was last pulled is read from its sync runs in the graph, not kept in memory, so
a scheduler that restarts (or a cron job running ``convener sync --due``) picks up where the
last one left off. Each scheduled pull takes its source's lease in the graph first
(``graph.leases``), so several schedulers, or a scheduler and cron, never pull one source at
once; a crashed holder's lease expires. Hubs stay stateless and never pull.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from connectors.partners import PartnersFile, PartnersFileError
from graph.database import Graph
from graph.impact import take_daily_snapshot
from graph.ingest import IngestOptions, close_stale_runs
from graph.leases import acquire_lease, new_holder, release_lease, renew_lease
from graph.queries.sync_runs import last_pulls
from hub.sync.run import run_sync, selected_sources

log = logging.getLogger(__name__)

LEASE_TTL = timedelta(minutes=15)
"""How long a source's lease lasts unless renewed: its holder renews it every third of this
while it pulls, so only a holder that died lets it lapse."""
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


@contextlib.asynccontextmanager
async def leased(
    graph: Graph, sources: Collection[str], holder: str, ttl: timedelta = LEASE_TTL
) -> AsyncIterator[list[str]]:
    """The ``sources`` whose lease ``holder`` took (the others are being pulled elsewhere),
    renewed while the block runs and released after it."""
    held = [source for source in sources if await acquire_lease(graph, source, holder, ttl)]
    renewing = asyncio.create_task(_renew(graph, held, holder, ttl))
    try:
        yield held
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
        for source in held:
            try:
                await release_lease(graph, source, holder)
            except Exception:  # the database is away: the lease lapses by itself
                log.warning("could not release the lease of %s; it will expire", source)


async def _renew(graph: Graph, held: list[str], holder: str, ttl: timedelta) -> None:
    while held:
        await asyncio.sleep(ttl.total_seconds() / 3)
        for source in held:
            if not await renew_lease(graph, source, holder, ttl):
                log.warning("the lease of %s lapsed and another holder took it", source)


async def still_due(
    graph: Graph,
    partners: PartnersFile,
    held: Collection[str],
    attempted: Mapping[str, datetime] | None = None,
) -> list[str]:
    """Of the sources whose leases were just taken, those still due: another holder may have
    pulled one (and let its lease go) since the due sources were worked out."""
    if not held:
        return []
    due = set((await due_now(graph, partners, attempted=attempted)).sources)
    return [source for source in held if source in due]


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
    holder = new_holder()
    while not stop.is_set():
        try:
            partners = load()
        except PartnersFileError as error:
            log.error("the partners file is broken; using the last good one: %s", error)
        now = datetime.now(UTC)
        try:
            due = await due_now(graph, partners, now=now, attempted=attempted)
            async with leased(graph, due.sources, holder) as held:
                report = None
                pulling = await still_due(graph, partners, held, attempted)
                if pulling:
                    report = await run_sync(
                        graph,
                        partners,
                        source_ids=pulling,
                        full_sources=[source for source in due.full if source in pulling],
                        options=options,
                        env=env,
                    )
            others = sorted(set(due.sources) - set(held))
            if others:
                log.info("left to another scheduler, which holds their leases: %s", others)
            if report is not None:
                attempted.update({source: now for source in pulling})
                failed = [outcome.source for outcome in report.failed]
                flagged = [outcome.source for outcome in report.flagged]
                log.info(
                    "scheduled sync of %s (in full: %s); failed: %s; flagged: %s",
                    ", ".join(pulling),
                    ", ".join(source for source in due.full if source in pulling) or "none",
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
