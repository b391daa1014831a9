"""The app's own routes against a real Neo4j."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from graph.database import Graph
from graph.local_neo4j import LocalNeo4j, neo4j_version
from hub.app import create_app


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
