"""Leases per source: two schedulers racing for one get exactly one winner; an expired lease
is taken over; release frees it; only the holder renews or releases."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from graph.database import Graph
from graph.leases import ACQUIRE_LEASE, acquire_lease, new_holder, release_lease, renew_lease
from graph.local_neo4j import LocalNeo4j
from tests.ingest_helpers import count

MINUTE = timedelta(minutes=1)
MOMENT = timedelta(milliseconds=300)
SOURCES = [f"zv-source-{i}" for i in range(25)]


@pytest.fixture
async def other(graph: Graph, neo4j_server: LocalNeo4j) -> AsyncIterator[Graph]:
    """A second scheduler: its own driver and connections to the same graph."""
    second = Graph.connect(neo4j_server.uri)
    try:
        yield second
    finally:
        await second.close()


async def race(graph: Graph, other: Graph, source_id: str) -> tuple[bool, bool]:
    first, second = await asyncio.gather(
        acquire_lease(graph, source_id, "scheduler-a", MINUTE),
        acquire_lease(other, source_id, "scheduler-b", MINUTE),
    )
    return first, second


async def holder_of(graph: Graph, source_id: str) -> str | None:
    rows = await graph.read(
        "MATCH (l:SourceLease {source: $source}) RETURN l.holder AS holder", {"source": source_id}
    )
    return rows[0]["holder"] if rows else None


async def test_two_schedulers_racing_for_a_new_lease_get_one_winner(
    graph: Graph, other: Graph
) -> None:
    outcomes = await asyncio.gather(*(race(graph, other, source) for source in SOURCES))
    assert [sum(outcome) for outcome in outcomes] == [1] * len(SOURCES)
    for source, (first, _) in zip(SOURCES, outcomes, strict=True):
        assert await holder_of(graph, source) == ("scheduler-a" if first else "scheduler-b")
    assert await count(graph, "MATCH (l:SourceLease) RETURN count(l) AS n") == len(SOURCES)


async def test_two_schedulers_racing_for_expired_leases_get_one_winner(
    graph: Graph, other: Graph
) -> None:
    for source in SOURCES:
        assert await acquire_lease(graph, source, "crashed", MOMENT)
    await asyncio.sleep(MOMENT.total_seconds() * 1.5)
    outcomes = await asyncio.gather(*(race(graph, other, source) for source in SOURCES))
    assert [sum(outcome) for outcome in outcomes] == [1] * len(SOURCES)
    for source, (first, _) in zip(SOURCES, outcomes, strict=True):
        assert await holder_of(graph, source) == ("scheduler-a" if first else "scheduler-b")


async def test_an_acquire_not_yet_committed_holds_off_the_other(graph: Graph, other: Graph) -> None:
    """The race at its narrowest: both see the lease expired before either has committed."""
    source = SOURCES[0]
    assert await acquire_lease(graph, source, "crashed", MOMENT)
    await asyncio.sleep(MOMENT.total_seconds() * 1.5)
    async with graph.driver.session(database=graph.database) as session:
        first = await session.begin_transaction()
        params = {"source": source, "holder": "scheduler-a", "ttl": MINUTE}
        granted = (await (await first.run(ACQUIRE_LEASE, params)).single(strict=True))["granted"]
        second = asyncio.create_task(acquire_lease(other, source, "scheduler-b", MINUTE))
        await asyncio.sleep(0.5)
        assert not second.done()  # waiting for the first to commit, not reading past it
        await first.commit()
    assert (granted, await second) == (True, False)
    assert await holder_of(graph, source) == "scheduler-a"


async def test_a_held_lease_is_refused_until_it_expires_or_is_released(
    graph: Graph, other: Graph
) -> None:
    source = SOURCES[0]
    assert await acquire_lease(graph, source, "scheduler-a", MOMENT)
    assert await acquire_lease(graph, source, "scheduler-a", MOMENT)  # its own: taken again
    assert not await acquire_lease(other, source, "scheduler-b", MINUTE)

    await asyncio.sleep(MOMENT.total_seconds() * 1.5)
    assert await acquire_lease(other, source, "scheduler-b", MINUTE)  # expired: taken over
    # The crashed holder, back, cannot renew or release what is now another's.
    assert not await renew_lease(graph, source, "scheduler-a", MINUTE)
    assert not await release_lease(graph, source, "scheduler-a")
    assert await holder_of(graph, source) == "scheduler-b"

    assert await release_lease(other, source, "scheduler-b")
    assert await holder_of(graph, source) is None
    assert await acquire_lease(graph, source, "scheduler-a", MINUTE)


async def test_a_renewed_lease_outlives_its_first_ttl(graph: Graph, other: Graph) -> None:
    source = SOURCES[0]
    assert await acquire_lease(graph, source, "scheduler-a", MOMENT)
    assert await renew_lease(graph, source, "scheduler-a", MINUTE)
    await asyncio.sleep(MOMENT.total_seconds() * 1.5)
    assert not await acquire_lease(other, source, "scheduler-b", MINUTE)
    assert not await renew_lease(other, "zv-never-leased", "scheduler-b", MINUTE)


async def test_holders_are_distinct_and_a_ttl_must_be_positive(graph: Graph) -> None:
    assert new_holder() != new_holder()
    with pytest.raises(ValueError, match="ttl must be positive"):
        await acquire_lease(graph, SOURCES[0], "scheduler-a", timedelta(0))
