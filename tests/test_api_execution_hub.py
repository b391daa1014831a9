"""The API benchmark's documents on the hub's own schema: direct execution (schema/execution.py)
answers as strawberry's own execution context does, with graphql-core executing the root field
only (Project's fetched lists and Connection.nodes are called directly, search's union
completes directly).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from bench.workloads import CONVENER_PROJECTS, CONVENER_SEARCH, CONVENER_WHO_ELSE
from graph.database import Graph
from schema.api import schema
from schema.context import Context
from schema.execution import ConvenerExecutionContext
from tests.test_api_n_plus_one import fifty_projects


class Counting(ConvenerExecutionContext):
    """Counts the fields graphql-core executes itself."""

    executed = 0

    def execute_field(self, *args: Any, **kwargs: Any) -> Any:
        Counting.executed += 1
        return super().execute_field(*args, **kwargs)


async def _both(
    monkeypatch: pytest.MonkeyPatch, graph: Graph, document: str, variables: dict[str, Any]
) -> tuple[Any, int]:
    monkeypatch.setattr(schema, "execution_context_class", StrawberryGraphQLCoreExecutionContext)
    expected = await schema.execute(document, variables, context_value=Context(graph))
    monkeypatch.setattr(schema, "execution_context_class", Counting)
    Counting.executed = 0
    got = await schema.execute(document, variables, context_value=Context(graph))
    assert expected.errors is None and got.errors is None, (expected.errors, got.errors)
    assert json.dumps(got.data) == json.dumps(expected.data)  # the order of keys too
    return got.data, Counting.executed


async def test_the_benchmark_documents_run_directly_below_the_root(
    graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    await fifty_projects(graph)
    organisations = await graph.read("MATCH (o:Organisation) RETURN o.id AS id ORDER BY id")

    data, executed = await _both(
        monkeypatch, graph, CONVENER_PROJECTS, {"organisation": organisations[0]["id"]}
    )
    nodes = data["projects"]["nodes"]
    assert len(nodes) == 20 and all(n["organisations"] and n["people"] for n in nodes)
    assert executed == 1

    data, executed = await _both(monkeypatch, graph, CONVENER_SEARCH, {"text": "Project"})
    assert data["search"] and {hit["kind"] for hit in data["search"]} >= {"PROJECT"}
    assert executed == 1

    data, executed = await _both(monkeypatch, graph, CONVENER_WHO_ELSE, {"topic": "falls"})
    assert data["whoElse"] and all(m["projects"] for m in data["whoElse"])
    assert executed == 1
