"""The abuse cases of the attack review, over HTTP against the real hub: each is refused
quickly as the client's error (4xx, or 200 with a clear error), never a 5xx or an internal
error, and the hub keeps answering others."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from graph.database import Graph
from hub.config import Settings
from hub.web.app import create_app
from hub.web.graphql_http import MAX_JSON_DEPTH
from tests.test_graphql_limits import fragment_bomb

RESPONSE = "application/graphql-response+json"


@pytest.fixture
async def client(graph: Graph) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(graph, close_graph=False, settings=Settings(_env_file=None))  # type: ignore[call-arg]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield client


def message(response: httpx.Response) -> str:
    return response.json()["errors"][0]["message"]


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1500])
async def test_deeply_nested_json_in_a_body_is_a_400(client: httpx.AsyncClient, depth: int) -> None:
    variables = "[" * depth + "]" * depth
    body = '{"query": "{ __typename }", "variables": {"v": ' + variables + "}}"
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert message(response) == (
        f"The request body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep."
    )


async def test_deeply_nested_json_in_get_variables_is_a_400(client: httpx.AsyncClient) -> None:
    variables = json.dumps({"v": "x"})[:-1] + ', "w": ' + "[" * 1500 + "]" * 1500 + "}"
    response = await client.get(
        "/graphql", params={"query": "{ __typename }", "variables": variables}
    )
    assert response.status_code == 400, response.text
    assert message(response) == (
        f"`variables` nests arrays and objects more than {MAX_JSON_DEPTH} levels deep."
    )


async def test_json_nested_within_the_limit_is_read(client: httpx.AsyncClient) -> None:
    nested = "[" * (MAX_JSON_DEPTH - 2) + "]" * (MAX_JSON_DEPTH - 2)
    body = '{"query": "{ __typename }", "variables": {"v": ' + nested + "}}"
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200 and response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("levels", [30, 60])
async def test_a_fragment_bomb_is_refused_and_the_hub_stays_healthy(
    client: httpx.AsyncClient, levels: int
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": fragment_bomb(levels, "systems { id }")},
        headers={"accept": RESPONSE},
    )
    assert response.status_code == 400
    assert message(response).startswith("The query `Bomb` would cost ")
    assert (await client.get("/healthz")).status_code == 200


async def test_repeated_fields_and_bad_representations_are_the_callers_errors(
    client: httpx.AsyncClient,
) -> None:
    repeated = await client.post(
        "/graphql", json={"query": "{ " + "__typename " * 1980 + "}"}, headers={"accept": RESPONSE}
    )
    assert repeated.status_code == 400
    assert message(repeated).startswith("`__typename` is asked for 1980 times")

    entities = await client.post(
        "/graphql",
        json={"query": '{ _entities(representations: [{id: "x"}]) { __typename } }'},
    )
    assert entities.status_code == 200
    (error,) = entities.json()["errors"]
    assert error["message"].startswith("`representations[0]` has no `__typename`")
    assert "INTERNAL" not in json.dumps(error)
