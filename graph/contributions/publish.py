"""Publishing: a ``contributions:<partner>`` source is synced from its approved submissions.

Each decision that changes what a source publishes (an approval; a withdrawal or an edit of
an approved submission) syncs the whole source as one complete pull: what is still approved
is written (unchanged records are only touched), what is no longer approved is retired, and
the projects that changed are re-scored for duplicates, exactly as after any partner's pull.
A publish that failed leaves its decision standing; every sync publishes such a source again
(``store.sources_behind``).
The hub is the source's only author, so the share guard that protects partners' sources from
a broken pull does not hold back a withdrawal here. One hub at a time publishes a source (the
source's lease); a hub that finds it taken waits its turn.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import timedelta

from graph.contributions import store
from graph.contributions.records import HUB, partner_of, records_of
from graph.database import Graph
from graph.impact import recount_scored
from graph.ingest import IngestOptions, SourceInfo, SyncSummary, sync_source
from graph.leases import acquire_lease, new_holder, release_lease
from graph.owed import Owed, owe
from graph.similarity.engine import update_similarity

log = logging.getLogger(__name__)

LEASE_TTL = timedelta(minutes=2)
LEASE_WAIT = 0.2  # seconds between tries while another hub publishes the source
LEASE_TRIES = 150
_HOLDER = new_holder()
_LOCKS: dict[str, asyncio.Lock] = {}


def source_info(source_id: str) -> SourceInfo:
    partner = partner_of(source_id)
    return SourceInfo(
        id=source_id,
        partner=None if partner == HUB else partner,  # type: ignore[arg-type]
        name=f"Members' contributions ({partner})",
        kind="contributions",
    )


async def publish(graph: Graph, source_id: str, options: IngestOptions) -> SyncSummary:
    """Sync ``source_id`` from its approved submissions, then re-score what changed (owed to
    the next sync, ``graph.owed``, if that fails: the submissions are published all the same)."""
    lock = _LOCKS.setdefault(source_id, asyncio.Lock())
    async with lock:
        for _ in range(LEASE_TRIES):
            if await acquire_lease(graph, source_id, _HOLDER, LEASE_TTL):
                break
            await asyncio.sleep(LEASE_WAIT)
        else:
            raise RuntimeError(f"{source_id}: another hub held the source's lease too long")
        try:
            approved = await store.approved_of_source(graph, source_id)
            records = [record for submission in approved for record in records_of(submission)]
            summary = await sync_source(
                graph,
                source_info(source_id),
                records,
                complete=True,
                options=replace(options, max_retire_share=1.0),
            )
        finally:
            await release_lease(graph, source_id, _HOLDER)
    if summary.changed_projects:
        try:
            await update_similarity(graph, summary.changed_projects)
            await recount_scored(graph)
        except Exception:  # published: the decision stands, and the next sync scores it
            log.exception("scoring what publishing %s changed failed; owed", source_id)
            changed = frozenset(summary.changed_projects)
            await owe(graph, Owed(projects=changed, scored=True))
    return summary
