"""Every database call is bounded: a hung or absent Neo4j gives DatabaseUnavailable with a
reason soon, and for a short pause after, calls fail at once instead of queueing on it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from graphql import located_error

from graph.database import DatabaseUnavailable, Graph, QueryTooLarge, Timeouts
from graph.local_neo4j import LocalNeo4j
from schema.extensions.masking import masked
from tests.faults import StallingProxy, free_port

QUICK = Timeouts(read=3.0, write=3.0, pause=30.0)


@pytest.fixture
def proxy(neo4j_server: LocalNeo4j) -> Iterator[StallingProxy]:
    with StallingProxy(neo4j_server.host, neo4j_server.port).running() as running:
        yield running


async def test_a_hung_database_gives_a_reason_within_the_timeout(proxy: StallingProxy) -> None:
    graph = Graph.connect(proxy.uri, timeouts=QUICK)
    try:
        assert await graph.read("RETURN 1 AS ok") == [{"ok": 1}]
        proxy.stalled.set()
        with pytest.raises(DatabaseUnavailable) as raised:
            await graph.read("RETURN 2 AS ok")
        assert raised.value.reason == f"Neo4j at {proxy.uri} did not answer within 3 s"
        assert 0 < raised.value.retry_after <= QUICK.pause

        # Within the pause, a call fails at once: it opens no connection and sends nothing.
        connections = proxy.connections
        with pytest.raises(DatabaseUnavailable, match="the database did not answer within 3 s"):
            await graph.write("CREATE (:Never)")
        assert proxy.connections == connections
    finally:
        proxy.stalled.clear()
        await graph.close()


async def test_a_database_that_is_not_there_is_named_with_the_drivers_reason() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    graph = Graph.connect(uri, timeouts=QUICK)
    try:
        with pytest.raises(DatabaseUnavailable) as raised:
            await graph.read("RETURN 1 AS ok")
        reason = raised.value.reason
        assert reason.startswith(f"Neo4j at {uri} is not reachable (")
        assert reason != f"Neo4j at {uri} is not reachable ()"
    finally:
        await graph.close()


async def test_calls_try_again_after_the_pause_and_recover(proxy: StallingProxy) -> None:
    graph = Graph.connect(proxy.uri, timeouts=Timeouts(read=1.0, write=1.0, pause=0.0))
    try:
        proxy.stalled.set()
        with pytest.raises(DatabaseUnavailable):
            await graph.read("RETURN 1 AS ok")
        proxy.stalled.clear()
        assert await graph.read("RETURN 3 AS ok") == [{"ok": 3}]
        assert graph.down is None
    finally:
        await graph.close()


async def test_a_read_whose_connection_dropped_is_tried_again_on_a_new_one(
    proxy: StallingProxy,
) -> None:
    """Reads run outside a managed transaction, so the hub retries them itself, as the
    driver retries a managed one: the pooled connection is gone, the next read still answers."""
    graph = Graph.connect(proxy.uri, timeouts=Timeouts(read=8.0, write=8.0, pause=30.0))
    try:
        assert await graph.read("RETURN 1 AS ok") == [{"ok": 1}]
        connections = proxy.connections
        proxy.drop()
        assert await graph.read("RETURN 2 AS ok") == [{"ok": 2}]
        assert proxy.connections > connections and graph.down is None
    finally:
        await graph.close()


async def test_a_query_error_is_not_taken_for_an_unavailable_database(graph: Graph) -> None:
    with pytest.raises(Exception) as raised:
        await graph.read("RETURN nosuchfunction(1)")
    assert not isinstance(raised.value, DatabaseUnavailable)
    assert graph.down is None


async def test_a_query_refused_memory_fails_alone_and_the_database_stays_up(graph: Graph) -> None:
    """One request's memory is bounded (the local Neo4j's launcher sets it); a query beyond it
    is that request's error, said in words a client can act on, not an outage for everyone."""
    with pytest.raises(QueryTooLarge, match="Ask for less") as raised:
        await graph.read("UNWIND range(1, 100000000) AS i WITH collect(i) AS xs RETURN size(xs)")
    assert raised.value.extensions == {"code": "QUERY_TOO_LARGE"}
    assert graph.down is None
    assert await graph.read("RETURN 1 AS ok") == [{"ok": 1}]
    # Through the API the client reads the message and the code, not a masked internal error.
    error = located_error(raised.value, None, ["search"])
    assert masked([error]) == [error] and error.extensions == {"code": "QUERY_TOO_LARGE"}


async def test_a_call_too_slow_on_a_database_that_answers_fails_alone(
    neo4j_server: LocalNeo4j,
) -> None:
    """A heavy query (or one of too many at once) that runs out of time is that request's
    503; the database still answers a trivial query, so it is not taken for down and the next
    call is answered, not refused for the pause."""
    graph = Graph.connect(neo4j_server.uri, timeouts=Timeouts(read=1.0, write=1.0, pause=30.0))
    slow = "UNWIND range(1, 900000000) AS i WITH i WHERE i % 7 = 0 RETURN count(*)"
    try:
        with pytest.raises(DatabaseUnavailable, match="did not answer within 1 s"):
            await graph.read(slow)
        assert graph.down is None
        assert await graph.read("RETURN 1 AS ok") == [{"ok": 1}]
        # Neo4j ends the work too: the driver drops the connection when the hub stops waiting,
        # so a slow query does not go on taking the CPU from the others.
        for _ in range(40):
            running = await graph.read(
                "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $slow "
                "RETURN count(*) AS n",
                {"slow": "range(1, 900000000)"},
            )
            if running[0]["n"] == 0:
                break
            await asyncio.sleep(0.25)
        assert running[0]["n"] == 0
    finally:
        await graph.close()
