"""The explorer's GraphQL operations are on the hub's allowlist, so it works in production.

The explorer sends no GraphQL text: each `gql("Name", ...)` call in its JavaScript names an
operation in ``schema/persisted/explorer.graphql``. These tests read the names from the
JavaScript itself, so adding a call and forgetting the allowlist fails here, and then run each
operation by name as an anonymous caller of a production (persisted-only) hub.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from graphql import (
    NonNullTypeNode,
    OperationDefinitionNode,
    TypeNode,
    VariableDefinitionNode,
    parse,
)

from graph.database import Graph
from hub.config import Settings
from hub.web.app import create_app
from hub.web.explorer import EXPLORER_DIR
from hub.web.persisted import PERSISTED_DIR, load_documents

EXPLORER_OPERATIONS = PERSISTED_DIR / "explorer.graphql"
GQL_CALL = re.compile(r"\bgql\(")
NAMED_CALL = re.compile(r"""\bgql\(\s*"([A-Za-z_]\w*)"\s*[,)]""")
GRAPHQL_TEXT = re.compile(r"""\b(?:query|mutation|subscription)\s+[A-Za-z_]\w*\s*[({]|`\s*\{""")
# A value for each required variable type, so every operation can run (on an empty graph).
SAMPLE = {
    "ID": "nothing:here",
    "String": "falls",
    "ReviewStatus": "DISMISSED",
    "ImpactInterval": "QUARTER",
    "DraftProjectInput": {"title": "Falls prevention on the wards"},
    "SubmissionInput": {"kind": "PROJECT", "title": "Falls prevention on the wards"},
}
# Queries about the caller's own work: refused to anonymous callers while running.
SIGNED_IN_QUERIES = {"ExplorerMySubmissions", "ExplorerModeration"}


def javascript() -> dict[str, str]:
    return {
        str(path.relative_to(EXPLORER_DIR)): path.read_text(encoding="utf-8")
        for path in sorted((EXPLORER_DIR / "js").rglob("*.js"))
    }


def operations_the_explorer_sends() -> set[str]:
    """Every operation name the explorer's JavaScript passes to `gql`."""
    names: set[str] = set()
    for name, text in javascript().items():
        calls = len(GQL_CALL.findall(text)) - text.count("function gql(")
        named = NAMED_CALL.findall(text)
        assert len(named) == calls, f"{name}: every gql(...) call names its operation literally"
        names.update(named)
    return names


def explorer_file_operations() -> dict[str, OperationDefinitionNode]:
    parsed = parse(EXPLORER_OPERATIONS.read_text(encoding="utf-8"))
    return {
        d.name.value: d
        for d in parsed.definitions
        if isinstance(d, OperationDefinitionNode) and d.name is not None
    }


def test_every_operation_the_explorer_sends_is_on_the_allowlist() -> None:
    sent = operations_the_explorer_sends()
    assert len(sent) >= 15, sent  # search, pages, duplicates, review, network, sign-in
    missing = sent - set(load_documents())
    assert not missing, f"add {sorted(missing)} to {EXPLORER_OPERATIONS.name}"
    unused = set(explorer_file_operations()) - sent
    assert not unused, f"{sorted(unused)} are persisted for the explorer but it never sends them"


def test_the_explorer_keeps_no_graphql_text_of_its_own() -> None:
    """Documents live on the allowlist only, so the JavaScript cannot drift from it."""
    for name, text in javascript().items():
        found = GRAPHQL_TEXT.search(text)
        assert found is None, f"{name} holds GraphQL text ({found.group(0)!r}): persist it"
    api = (EXPLORER_DIR / "js" / "api.js").read_text(encoding="utf-8")
    assert "JSON.stringify({ id: operation, variables })" in api


def required(definition: VariableDefinitionNode) -> tuple[str, bool]:
    """The named type of a variable, and whether it must be given."""
    node: TypeNode = definition.type
    must = isinstance(node, NonNullTypeNode) and definition.default_value is None
    while not hasattr(node, "name"):
        node = node.type  # type: ignore[attr-defined]
    return node.name.value, must  # type: ignore[attr-defined]


def sample_variables(operation: OperationDefinitionNode) -> dict[str, Any]:
    variables: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        type_name, must = required(definition)
        if must:
            variables[definition.variable.name.value] = SAMPLE[type_name]
    return variables


@pytest.fixture
async def production(graph: Graph) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(_env_file=None, env="production")  # type: ignore[call-arg]
    app = create_app(graph, close_graph=False, settings=settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield client


async def test_an_anonymous_visitor_of_a_production_hub_may_run_every_explorer_operation(
    production: httpx.AsyncClient,
) -> None:
    # The hub really holds anonymous callers to the allowlist...
    adhoc = await production.post("/graphql", json={"query": "{ systems(first: 5) { id } }"})
    assert adhoc.status_code == 403, adhoc.text

    # ...and runs each operation the explorer sends, by name, the way the explorer sends it.
    definitions = explorer_file_operations()
    for name in sorted(operations_the_explorer_sends()):
        operation = definitions[name]
        body = {"id": name, "variables": sample_variables(operation)}
        answer = await production.post("/graphql", json=body)
        assert answer.status_code == 200, (name, answer.text)
        payload = answer.json()
        if operation.operation.value == "mutation" or name in SIGNED_IN_QUERIES:
            # Reviewing, sharing and one's own work need sign-in: refused while running, not
            # by the allowlist.
            assert [e["extensions"]["code"] for e in payload["errors"]] == ["UNAUTHENTICATED"], (
                payload
            )
        else:
            assert "errors" not in payload, (name, payload)
            assert payload["data"] is not None, name
