"""graphql-http's GraphQL-over-HTTP audit against the live hub: every audit ok, no warnings."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from graph.database import Graph
from graph.local_neo4j import LocalNeo4j
from hub.web.app import create_app
from tests.live import serving
from tests.test_graphql_federation import run_node


@pytest.fixture(scope="module")
def live_hub(neo4j_server: LocalNeo4j) -> Iterator[str]:
    """The hub served by uvicorn on a free loopback port, in a thread with its own driver."""
    with serving(create_app(Graph.connect(neo4j_server.uri))) as url:
        yield url


def test_every_audit_passes(live_hub: str) -> None:
    results = run_node("audit.mjs", f"{live_hub}/graphql")
    assert isinstance(results, list) and len(results) > 50
    not_ok = [f"{r['id']} {r['status']}: {r['name']} ({r['reason']})" for r in results]
    not_ok = [line for line, r in zip(not_ok, results, strict=True) if r["status"] != "ok"]
    assert not_ok == []


def test_the_live_hub_answers_a_query_over_get(live_hub: str) -> None:
    response = httpx.get(
        f"{live_hub}/graphql",
        params={"query": "{ __typename }"},
        headers={"accept": "application/graphql-response+json"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/graphql-response+json; charset=utf-8"
    assert response.json() == {"data": {"__typename": "Query"}}
