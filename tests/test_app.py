"""The app's own routes against a real Neo4j."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bench import servers
from graph.database import Graph
from graph.local_neo4j import LocalNeo4j, neo4j_version
from hub.web.app import create_app


@pytest.fixture
async def client(graph: Graph) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(graph, close_graph=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield client


async def test_healthz_says_alive(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


async def test_readyz_applies_migrations_and_says_ready(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_graphql_answers_from_the_real_database(
    client: httpx.AsyncClient, neo4j_server: LocalNeo4j
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ about { name version neo4jVersion } }"}
    )
    assert response.status_code == 200
    about = response.json()["data"]["about"]
    assert about["name"] == "Convener"
    assert about["neo4jVersion"] == f"{neo4j_version()} community"


async def test_a_routing_uri_reaches_the_same_database(neo4j_server: LocalNeo4j) -> None:
    """neo4j:// (what a cluster or Aura needs) works as well as bolt:// against one server."""
    routed = Graph.connect(f"neo4j://{neo4j_server.host}:{neo4j_server.port}")
    try:
        await routed.ping()
        rows = await routed.read("RETURN 41 + 1 AS answer")
        assert rows == [{"answer": 42}]
    finally:
        await routed.close()


async def test_serve_runs_several_workers_on_one_port(
    graph: Graph, neo4j_server: LocalNeo4j, tmp_path: Path
) -> None:
    """`convener serve --workers 2`: two processes answer on one port, on the same Neo4j."""
    await graph.write("CREATE (:System {id: 'north-vale', name: 'North Vale ICS', kind: 'ics'})")
    with servers.hub(neo4j_server.uri, tmp_path, {}, workers=2) as hub:
        workers = servers.child_processes(hub.pid)
        assert len(workers) >= 2
        async with httpx.AsyncClient(timeout=30.0) as client:
            answers = await asyncio.gather(
                *(client.post(hub.url, json={"query": "{ systems { id } }"}) for _ in range(12))
            )
        assert [a.json() for a in answers] == [{"data": {"systems": [{"id": "north-vale"}]}}] * 12
    assert hub.process.returncode is not None  # the supervisor ended, and its workers with it
    for _ in range(100):
        if not any(Path(f"/proc/{pid}").exists() for pid in workers):
            break
        await asyncio.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
