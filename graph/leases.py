"""Leases: at most one holder per source at a time, across processes and machines.

Two schedulers (or a scheduler and cron's ``convener sync --due``) pulling the same graph
each take a source's lease before pulling it, so each pull runs once. A lease expires after
its ``ttl``, so a crashed holder's lease is soon taken over. Expiry is judged by the
database's clock, so the holders' clocks need not agree. Use::

    holder = new_holder()  # once per scheduler process
    if await acquire_lease(graph, source_id, holder, timedelta(minutes=10)):
        try:
            ...  # pull; a pull that may outlast the ttl renews it every ttl/3 and stops
            # when renew_lease says False (the lease expired and another holder took it)
        finally:
            await release_lease(graph, source_id, holder)
    # else another holder is pulling this source: leave it to them this round
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta
from typing import LiteralString

from graph.database import Graph

# Each statement first writes to the lease (a throw-away property) to take its write lock,
# and only then reads who holds it: without the lock, two callers could both read an expired
# lease and both take it (read-committed isolation). The MERGE meets on one node thanks to
# the uniqueness constraint in graph/migrations/0006_source_leases.cypher.
ACQUIRE_LEASE: LiteralString = """
MERGE (lease:SourceLease {source: $source})
SET lease.locking = true
REMOVE lease.locking
WITH lease, datetime() AS now
WITH lease, now,
     lease.holder IS NULL OR lease.holder = $holder OR lease.expiresAt <= now AS free
SET lease.holder = CASE WHEN free THEN $holder ELSE lease.holder END,
    lease.expiresAt = CASE WHEN free THEN now + $ttl ELSE lease.expiresAt END
RETURN free AS granted
"""

RENEW_LEASE: LiteralString = """
MATCH (lease:SourceLease {source: $source})
SET lease.locking = true
REMOVE lease.locking
WITH lease WHERE lease.holder = $holder
SET lease.expiresAt = datetime() + $ttl
RETURN true AS granted
"""

RELEASE_LEASE: LiteralString = """
MATCH (lease:SourceLease {source: $source})
SET lease.locking = true
REMOVE lease.locking
WITH lease WHERE lease.holder = $holder
SET lease.holder = null, lease.expiresAt = null
RETURN true AS granted
"""


def new_holder() -> str:
    """A name for this process as a lease holder, unique across machines and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def acquire_lease(graph: Graph, source_id: str, holder: str, ttl: timedelta) -> bool:
    """Take the source's lease for ``ttl`` if it is free, expired or already ``holder``'s."""
    return await _granted(graph, ACQUIRE_LEASE, source_id, holder, ttl)


async def renew_lease(graph: Graph, source_id: str, holder: str, ttl: timedelta) -> bool:
    """Extend ``holder``'s lease to ``ttl`` from now; False if another holder has taken it."""
    return await _granted(graph, RENEW_LEASE, source_id, holder, ttl)


async def release_lease(graph: Graph, source_id: str, holder: str) -> bool:
    """Free the lease if ``holder`` still has it; False (and nothing changed) otherwise."""
    return await _granted(graph, RELEASE_LEASE, source_id, holder, None)


async def _granted(
    graph: Graph, statement: LiteralString, source_id: str, holder: str, ttl: timedelta | None
) -> bool:
    if ttl is not None and ttl <= timedelta(0):
        raise ValueError(f"a lease's ttl must be positive, not {ttl}")
    rows = await graph.write(statement, {"source": source_id, "holder": holder, "ttl": ttl})
    return bool(rows and rows[0]["granted"])
