"""While Neo4j is down or hung, the hub answers 503 quickly, with a reason and Retry-After;
/readyz names the real reason; nothing answers 500 or 'Internal error'."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from graph.database import Graph, Timeouts
from graph.local_neo4j import LocalNeo4j
from hub.config import Settings
from hub.keys import create_key
from hub.web.app import create_app
from schema.viewer import Role
from tests.faults import StallingProxy, free_port

QUICK = Timeouts(read=3.0, write=3.0, pause=20.0)
PROJECTS = {"query": "{ projects(first: 3) { nodes { id } } }"}


@pytest.fixture
def proxy(neo4j_server: LocalNeo4j) -> Iterator[StallingProxy]:
    with StallingProxy(neo4j_server.host, neo4j_server.port).running() as running:
        yield running


@pytest.fixture
async def hub(proxy: StallingProxy) -> AsyncIterator[tuple[httpx.AsyncClient, Graph]]:
    graph = Graph.connect(proxy.uri, timeouts=QUICK)
    app = create_app(graph, close_graph=False, settings=Settings(_env_file=None))  # type: ignore[call-arg]
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
            yield client, graph
    finally:
        proxy.stalled.clear()
        await graph.close()


def refusal(response: httpx.Response) -> dict:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"].isdigit()
    assert 1 <= int(response.headers["retry-after"]) <= QUICK.pause
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    return error


async def test_a_hung_database_gives_503_then_fails_fast_without_touching_it(
    hub: tuple[httpx.AsyncClient, Graph], proxy: StallingProxy, session_graph: Graph
) -> None:
    client, _ = hub
    key, _ = await create_key(session_graph, Role.MEMBER, None, "down test")
    assert (await client.post("/graphql", json=PROJECTS)).status_code == 200
    proxy.stalled.set()

    error = refusal(await client.post("/graphql", json=PROJECTS))
    assert error["message"].startswith(
        "The hub cannot answer now: the database did not answer within 3 s. Try again in "
    )
    assert proxy.uri not in error["message"] and "127.0.0.1" not in error["message"]

    connections = proxy.connections
    refusal(await client.post("/graphql", json=PROJECTS))  # at once, from what the hub knows
    refusal(
        await client.post("/graphql", json=PROJECTS, headers={"authorization": f"Bearer {key}"})
    )
    ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["reason"] == f"Neo4j at {proxy.uri} did not answer within 3 s"
    assert proxy.connections == connections


async def test_a_database_with_nothing_listening_gives_503_with_its_reason() -> None:
    graph = Graph.connect(f"bolt://127.0.0.1:{free_port()}", timeouts=QUICK)
    app = create_app(graph, close_graph=False, settings=Settings(_env_file=None))  # type: ignore[call-arg]
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
            error = refusal(await client.post("/graphql", json=PROJECTS))
            assert error["message"].startswith(
                "The hub cannot answer now: the database is not reachable. Try again in "
            )
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            assert "is not reachable (" in ready.json()["reason"]
    finally:
        await graph.close()
