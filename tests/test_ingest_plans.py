"""Ingestion keeps each batch statement's first plan (``CYPHER replan=skip``), and on a new
hub that first plan is made on an empty graph: it must still find every row by an index."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graph.database import Graph
from graph.ingest import batch_statements
from graph.resolution import PERSON_CANDIDATES


def _operators(plan: Any) -> list[str]:
    found = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


async def test_batch_statements_seek_by_index_even_on_an_empty_graph(graph: Graph) -> None:
    params = {
        "source": "s",
        "run": "r",
        "now": datetime.now(UTC),
        "rows": [],
        "keys": [],
        "ids": [],
        "orgs": [],
        "ends": {"Organisation": [], "Topic": [], "Person": [], "Project": []},
    }
    scans = {}
    async with graph.driver.session(database=graph.database) as session:
        for statement in [*batch_statements(), PERSON_CANDIDATES]:
            result = await session.run("EXPLAIN " + statement, params)
            summary = await result.consume()
            assert summary.plan is not None
            operators = _operators(summary.plan)
            # A scan (of a label, a relationship type, all nodes) would grow with the graph.
            if any("Scan" in op for op in operators):
                scans[statement.strip()] = operators
    assert not scans, scans
