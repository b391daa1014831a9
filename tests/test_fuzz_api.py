"""Generated queries over the whole schema, as an anonymous caller and as a member, against the
real hub over HTTP: no 5xx, no internal error, and no personal value reaches a caller who may
not see it.

The queries come from hypothesis-graphql over the schema as introspection gives it (it cannot
read the federation SDL). The budget is fixed and the examples derandomised, so a run takes
the same time and finds the same things each time; a failure prints the query to reproduce.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from graphql import (
    NameNode,
    ObjectFieldNode,
    ObjectValueNode,
    StringValueNode,
    build_client_schema,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries

from graph.database import Graph
from hub.config import Settings
from hub.keys import create_key
from hub.web.app import create_app
from schema.api import schema
from schema.viewer import Role
from tests.test_api_fixture import fresh_region

EXAMPLES = 120
# What the fixture region holds that is personal: only a member may see Ada's consented
# contact details and Esme's bio; nobody may see the details of people who did not consent.
NOBODY = ["bram@nvh.example", "dev@carers.example"]
MEMBERS_ONLY = ["ada.quill@nvh.example", "01234 567890", "Leads diabetes reviews"]
SCHEMA = build_client_schema(schema.introspect())
# Ids and texts the region has, so generated queries reach real rows, not only empty answers.
IDS = st.sampled_from(["nv:j1", "nv:j3", "ods:ZNV01", "falls", "north-vale", "x"])
STRINGS = st.sampled_from(["falls", "Ada", "sepsis", "", "mentor", "a b c"])


@pytest.fixture(scope="module")
async def hub(session_graph: Graph) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    await fresh_region(session_graph)
    key, _ = await create_key(session_graph, Role.MEMBER, None, "fuzz member")
    app = create_app(session_graph, close_graph=False, settings=Settings(_env_file=None))  # type: ignore[call-arg]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield client, key


TYPENAMES = st.sampled_from(["Project", "Person", "Organisation", "Nonsense", None])


def representation(typename: str | None, id_: str) -> ObjectValueNode:
    """An `_entities` representation, well formed or not (unknown or missing `__typename`)."""
    fields = [ObjectFieldNode(name=NameNode(value="id"), value=StringValueNode(value=id_))]
    if typename is not None:
        name = NameNode(value="__typename")
        fields.append(ObjectFieldNode(name=name, value=StringValueNode(value=typename)))
    return ObjectValueNode(fields=tuple(fields))


def generated() -> st.SearchStrategy[Any]:
    return queries(
        SCHEMA,
        custom_scalars={
            "ID": IDS.map(lambda value: StringValueNode(value=value)),
            "String": STRINGS.map(lambda value: StringValueNode(value=value)),
            "_Any": st.builds(representation, TYPENAMES, IDS),
        },
    )


def check(response: httpx.Response, query: str, hidden: list[str]) -> None:
    assert response.status_code < 500, (query, response.text)
    payload = response.json()
    for error in payload.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code != "INTERNAL_SERVER_ERROR", (query, error)
    for value in hidden:
        assert value not in response.text, (query, value)


async def run_generated(client: httpx.AsyncClient, headers: dict[str, str], hidden: list[str]):
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=generated())
    def one(query: str) -> None:
        sent.append(query)

    sent: list[str] = []
    one()
    for query in sent:
        response = await client.post("/graphql", json={"query": query}, headers=headers)
        check(response, query, hidden)
    return sent


async def test_generated_queries_as_an_anonymous_caller(
    hub: tuple[httpx.AsyncClient, str],
) -> None:
    client, _ = hub
    sent = await run_generated(client, {}, NOBODY + MEMBERS_ONLY)
    assert len(sent) == EXAMPLES


async def test_generated_queries_as_a_member(hub: tuple[httpx.AsyncClient, str]) -> None:
    client, key = hub
    sent = await run_generated(client, {"authorization": f"Bearer {key}"}, NOBODY)
    assert len(sent) == EXAMPLES
