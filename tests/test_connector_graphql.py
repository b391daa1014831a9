"""graphql: a peer endpoint on 127.0.0.1 with Relay connections, and its failures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from connectors.records import ProjectRecord
from tests.partner_web import PartnerWeb, Reply, Request, one_source, pull

PROJECTS = [
    {
        "id": f"YR-{n}",
        "title": f"Deteriorating patient escalation, site {n}",
        "leadOrganisation": {"name": "Yarrow Hospitals NHS Trust", "odsCode": "ZYR01"},
        "topics": [{"label": "deteriorating patient"}],
        "updatedAt": f"2025-01-{n:02d}T12:00:00Z",
    }
    for n in range(1, 6)
]
QUERY = """query($first: Int!, $after: String, $since: String) {
  region { projects(first: $first, after: $after, updatedSince: $since) {
    edges { node { id title leadOrganisation { name odsCode } topics { label } updatedAt } }
    pageInfo { hasNextPage endCursor } } } }"""
FIELDS = {
    "ref": "id",
    "title": "title",
    "lead_organisation.name": "leadOrganisation.name",
    "lead_organisation.ods_code": "leadOrganisation.odsCode",
    "topics": {"path": "topics", "each": "label"},
    "updated_at": "updatedAt",
}


def relay(request: Request, rows: list[dict[str, Any]] = PROJECTS) -> Reply:
    variables = request.body["variables"]
    since = variables.get("since")
    rows = [row for row in rows if since is None or row["updatedAt"] > since]
    start = int(variables["after"] or 0)
    page = rows[start : start + variables["first"]]
    end = start + len(page)
    connection = {
        "edges": [{"node": node, "cursor": str(start + i + 1)} for i, node in enumerate(page)],
        "pageInfo": {"hasNextPage": end < len(rows), "endCursor": str(end) if page else None},
    }
    return Reply(body={"data": {"region": {"projects": connection}}})


@pytest.fixture
def web() -> Iterator[PartnerWeb]:
    with PartnerWeb().running() as server:
        yield server


def peer(web: PartnerWeb, **stream: Any) -> Any:
    mapping = {"query": QUERY, "connection": "region.projects", "page_size": 2, "fields": FIELDS}
    return one_source(
        {
            "id": "yarrow-hub",
            "kind": "graphql",
            "url": web.url("/graphql"),
            "entities": ["project"],
            "mapping": {"project": {**mapping, **stream}},
        }
    )


async def test_pages_follow_end_cursor_and_nodes_keep_their_own_lead(web: PartnerWeb) -> None:
    web.route("/graphql", relay)
    result = await pull(peer(web))
    assert result.failure is None and result.complete and not result.errors
    assert [r.ref for r in result.records] == [p["id"] for p in PROJECTS]
    first = result.records[0]
    assert isinstance(first, ProjectRecord)
    assert first.lead_organisation is not None and first.lead_organisation.ods_code == "ZYR01"
    # Each record keeps its id at the endpoint it came from.
    assert first.same_as == [f"{web.url('/graphql')}#YR-1"]
    assert [r.body["variables"]["after"] for r in web.log] == [None, "2", "4"]
    assert web.log[0].body["query"] == QUERY


async def test_a_nodes_connection_and_a_bad_node(web: PartnerWeb) -> None:
    nodes = [PROJECTS[0], {**PROJECTS[1], "title": "  "}]
    connection = {"nodes": nodes, "pageInfo": {"hasNextPage": False, "endCursor": None}}
    web.route("/graphql", Reply(body={"data": {"region": {"projects": connection}}}))
    result = await pull(peer(web))
    assert len(result.records) == 1
    (error,) = result.errors
    assert (error.location, error.field) == ("project page 1, node 2 (ref 'YR-2')", "title")


async def test_graphql_errors_fail_the_source_with_their_message(web: PartnerWeb) -> None:
    body = {"errors": [{"message": "Cannot query field 'region' on type 'Query'."}], "data": None}
    web.route("/graphql", Reply(body=body))
    result = await pull(peer(web))
    assert result.failure == (
        "project page 1: the endpoint answered errors: Cannot query field 'region' on type 'Query'."
    )


async def test_a_wrong_connection_path(web: PartnerWeb) -> None:
    web.route("/graphql", relay)
    result = await pull(peer(web, connection="projects"))
    assert (
        result.failure
        == "project page 1: no connection at data.projects (check mapping connection)"
    )


async def test_an_end_cursor_that_comes_back_is_a_loop(web: PartnerWeb) -> None:
    stuck = {"edges": [{"node": PROJECTS[0]}], "pageInfo": {"hasNextPage": True, "endCursor": "x"}}
    web.route("/graphql", Reply(body={"data": {"region": {"projects": stuck}}}))
    result = await pull(peer(web))
    assert result.failure == "project page 2: pagination loops (endCursor 'x' came back)"


async def test_the_bookmark_is_passed_as_a_variable(web: PartnerWeb) -> None:
    web.route("/graphql", relay)
    source = peer(web, incremental={"variable": "since"})
    first = await pull(source)
    assert first.complete and first.state.bookmark == "2025-01-05T12:00:00Z"
    second = await pull(source, first.state)
    assert web.log[-1].body["variables"]["since"] == "2025-01-05T12:00:00Z"
    assert second.records == [] and not second.complete and second.failure is None
