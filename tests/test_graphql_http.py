"""/graphql over HTTP: media types and status codes, GET rules, GraphiQL, request ids, metrics."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from graph.database import Graph
from hub.web.app import create_app
from hub.web.graphql_http import MAX_BODY_BYTES

GQL = "application/graphql-response+json"
JSON_BODY = {"content-type": "application/json"}


@pytest.fixture
async def client(graph: Graph) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(graph, close_graph=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield client


async def test_the_media_type_follows_accept(client: httpx.AsyncClient) -> None:
    for accept, media in [
        (GQL, GQL),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
    ]:
        response = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"accept": accept}
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == f"{media}; charset=utf-8"
        assert response.json() == {"data": {"__typename": "Query"}}
    refused = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept": "text/csv"}
    )
    assert refused.status_code == 406


async def test_request_errors_are_400_without_data_for_graphql_response_json(
    client: httpx.AsyncClient,
) -> None:
    for query in ["{", "{ nope }", "{ projects(first: 500) { totalCount } }"]:
        response = await client.post("/graphql", json={"query": query}, headers={"accept": GQL})
        assert response.status_code == 400, query
        assert "data" not in response.json() and response.json()["errors"], query
        legacy = await client.post(
            "/graphql", json={"query": query}, headers={"accept": "application/json"}
        )
        assert legacy.status_code == 200, query
        assert "data" not in legacy.json() and legacy.json()["errors"], query


async def test_bad_http_requests_say_what_to_change(client: httpx.AsyncClient) -> None:
    cases = [
        (
            client.post("/graphql", content=b"{}", headers={"content-type": "text/plain"}),
            415,
            "POST a JSON body with `Content-Type: application/json`.",
        ),
        (
            client.post("/graphql", content=b"{oops", headers={"content-type": "application/json"}),
            400,
            "The request body is not valid JSON.",
        ),
        (
            client.post("/graphql", content=b"  ", headers={"content-type": "application/json"}),
            400,
            'The request body is empty: POST {"query": "..."}.',
        ),
        (client.post("/graphql", json=["query"]), 400, "The request body must be a JSON object."),
        (
            client.post("/graphql", json={}),
            400,
            "Give the GraphQL document as a string in `query`.",
        ),
        (
            client.post("/graphql", json={"query": "{ __typename }", "variables": [1]}),
            400,
            "`variables` must be a JSON object.",
        ),
        (
            client.post("/graphql", json={"query": "{ __typename }", "operationName": 3}),
            400,
            "`operationName` must be a string.",
        ),
        (
            client.get("/graphql", params={"query": "{ __typename }", "variables": "{oops"}),
            400,
            "`variables` is not valid JSON.",
        ),
    ]
    for request, status, message in cases:
        response = await request
        assert (response.status_code, response.json()["errors"][0]["message"]) == (
            status,
            message,
        )


async def test_bodies_past_the_limit_are_refused_unread(client: httpx.AsyncClient) -> None:
    padding = " " * (MAX_BODY_BYTES - 100)
    just_under = await client.post("/graphql", json={"query": "{ __typename }" + padding})
    assert just_under.status_code == 200

    over = ("{ __typename }" + padding + " " * 200).encode()
    declared = await client.post(
        "/graphql", content=json.dumps({"query": over.decode()}).encode(), headers=JSON_BODY
    )
    assert declared.status_code == 413
    assert str(MAX_BODY_BYTES) in declared.json()["errors"][0]["message"]

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the count must be kept
        yield b'{"query": "'
        for _ in range(MAX_BODY_BYTES // 1024 + 1):
            yield b" " * 1024
        yield b'{ __typename }"}'

    streamed = await client.post("/graphql", content=chunks(), headers=JSON_BODY)
    assert streamed.status_code == 413


async def test_get_runs_queries_only(client: httpx.AsyncClient) -> None:
    ok = await client.get(
        "/graphql", params={"query": "query Q { __typename }", "operationName": "Q"}
    )
    assert ok.status_code == 200 and ok.json() == {"data": {"__typename": "Query"}}
    mutation = await client.get(
        "/graphql", params={"query": "mutation { x }"}, headers={"accept": GQL}
    )
    assert mutation.status_code == 405
    assert mutation.headers["allow"] == "POST"


async def test_browsers_get_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unpkg" not in response.text
    for src in re.findall(r'(?:src|href)="([^"]+)"', response.text):
        assert src.startswith("/explorer/"), src  # every file from the hub itself
        assert (await client.get(src)).status_code == 200, src


async def test_request_ids_are_echoed_or_made_and_logged(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="hub.requests"):
        given = await client.get("/healthz", headers={"x-request-id": "abc-123"})
        made = await client.get("/healthz", headers={"x-request-id": "bad id\twith spaces"})
    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 32 and made.headers["x-request-id"] != "abc-123"
    logged = [(r.request_id, r.status, r.path) for r in caplog.records if r.name == "hub.requests"]
    assert logged == [("abc-123", 200, "/healthz"), (made.headers["x-request-id"], 200, "/healthz")]


async def test_metrics_count_operations_outcomes_and_errors(client: httpx.AsyncClient) -> None:
    await client.post("/graphql", json={"query": "query Hello { __typename }"})
    await client.post("/graphql", json={"query": "query Hello { __typename }"})
    await client.post("/graphql", json={"query": "query Broken { nope }"})
    await client.post("/graphql", json={"query": "{ whoElse { score } }"})
    text = (await client.get("/metrics")).text
    assert 'convener_graphql_requests_total{operation="Hello",outcome="ok"} 2.0' in text
    assert 'convener_graphql_requests_total{operation="Broken",outcome="request_error"} 1.0' in text
    assert 'convener_graphql_errors_total{kind="request",operation="Broken"} 1.0' in text
    assert 'convener_graphql_errors_total{kind="user",operation="anonymous"} 1.0' in text
    assert 'convener_graphql_request_duration_seconds_count{operation="Hello"} 2.0' in text
    assert 'convener_http_requests_total{method="POST",route="/graphql",status="200"} 4.0' in text
