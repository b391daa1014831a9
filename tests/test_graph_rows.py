"""Graph.read's rows are what the driver's ``Record.data()`` gives, value for value and type for
type, except Neo4j's dates and datetimes, which come as Python's (graph/database.py, ``_value``:
a shorter way for plain values, and the dates converted in the same walk)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from neo4j.time import Date, DateTime

from graph.database import Graph

EVERY_KIND = """
CREATE (a:Sample {name: 'Ash', tags: ['x', 'y'], born: date('1990-02-03')})
CREATE (b:Sample {name: 'Birch'})
CREATE (a)-[r:KNOWS {since: 2001}]->(b)
WITH a, b, r
MATCH p = (a)-[:KNOWS]->(b)
RETURN 1 AS int, 2.5 AS float, 'text' AS str, true AS bool, null AS nothing,
       [1, 'two', [3.0, null], {four: 4}] AS list,
       {name: a.name, inner: {deep: [a.tags, {x: null}]}, node: b} AS map,
       a AS node, [a, b] AS nodes, r AS relationship, p AS path,
       date('2024-05-06') AS date, datetime('2024-05-06T07:08:09Z') AS datetime,
       localtime('10:11:12') AS time, duration('P1DT2H') AS duration,
       point({x: 1.0, y: 2.0}) AS point, [date('2020-01-01')] AS dates,
       a.born AS born
"""


async def _driver_rows(graph: Graph, query: str) -> list[dict[str, Any]]:
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(query)  # type: ignore[arg-type]
        return [record.data() async for record in result]


def _python_dates(value: Any) -> Any:
    """``data()``'s value with Neo4j's dates and datetimes as Python's, through lists and maps."""
    if isinstance(value, Date | DateTime):
        return value.to_native()
    if isinstance(value, dict):
        return {k: _python_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_python_dates(v) for v in value]
    return value


def _typed(value: Any) -> Any:
    """A value with every type spelled out, so equal-but-different types do not pass."""
    if isinstance(value, dict):
        return ("dict", {k: _typed(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_typed(v) for v in value])
    return (type(value).__name__, value)


async def test_rows_match_record_data_for_every_kind_of_value(graph: Graph) -> None:
    rows = await graph.write(EVERY_KIND)
    await graph.write("MATCH (n:Sample) DETACH DELETE n")
    expected = [_python_dates(row) for row in await _driver_rows(graph, EVERY_KIND)]
    assert len(rows) == len(expected) == 1
    assert _typed(rows[0]) == _typed(expected[0])
    assert list(rows[0]) == list(expected[0])  # column order kept
    # Nodes come back as their properties, relationships and paths as data() shapes them.
    assert rows[0]["node"]["name"] == "Ash" and isinstance(rows[0]["node"], dict)
    assert rows[0]["relationship"][1] == "KNOWS"
    assert [type(v).__name__ for v in rows[0]["path"]] == ["dict", "str", "dict"]
    # Dates as Python's wherever they are: a column, a list, a node's properties.
    assert rows[0]["date"] == date(2024, 5, 6) and type(rows[0]["date"]) is date
    assert rows[0]["datetime"] == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert type(rows[0]["datetime"]) is datetime
    assert rows[0]["dates"] == [date(2020, 1, 1)]
    assert rows[0]["node"]["born"] == date(1990, 2, 3) == rows[0]["born"]


async def test_reads_give_the_same_rows_as_writes(graph: Graph) -> None:
    await graph.write("CREATE (:Sample {name: 'Elm', sizes: [1, 2]})")
    read = await graph.read("MATCH (n:Sample) RETURN n, n {.name, .sizes} AS m, count(*) AS k")
    assert read == [
        {"n": {"name": "Elm", "sizes": [1, 2]}, "m": {"name": "Elm", "sizes": [1, 2]}, "k": 1}
    ]
