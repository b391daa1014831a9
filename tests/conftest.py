"""One real local Neo4j per test session; every test starts from an empty graph."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from graph import local_neo4j
from graph.database import Graph
from graph.local_neo4j import LocalNeo4j
from graph.migrate import apply_migrations
from tests import live


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    with live.neo4j(tmp_path_factory.mktemp("neo4j") / "home") as server:
        yield server


@pytest.fixture(scope="session")
async def session_graph(neo4j_server: LocalNeo4j) -> AsyncIterator[Graph]:
    graph = Graph.connect(neo4j_server.uri)
    await apply_migrations(graph)
    try:
        yield graph
    finally:
        await graph.close()


@pytest.fixture
async def graph(session_graph: Graph) -> Graph:
    """The session's graph, emptied of data (the schema and its bookkeeping stay)."""
    await session_graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    session_graph.round_trips = 0
    return session_graph


@pytest.fixture
def hub_env(tmp_path: Path) -> dict[str, str]:
    """An environment for a `convener` subprocess with its own data directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONVENER_")}
    env["CONVENER_DATA_DIR"] = str(tmp_path / ".convener")
    env[local_neo4j.JVM_OPTS_ENV] = " ".join(local_neo4j.QUICK_START_JVM_OPTIONS)
    return env
