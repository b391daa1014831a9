"""Systems (integrated care systems and regions), their neighbours and organisations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.database import Graph
from graph.queries.common import ORGANISATION, SYSTEM, aligned, by_key


async def all_systems(graph: Graph, *, limit: int) -> list[dict[str, Any]]:
    """Systems by name; there are a few dozen, so one bounded list, not pages."""
    rows = await graph.read(
        "MATCH (system:System) WHERE system.retiredAt IS NULL "
        "RETURN " + SYSTEM + " AS item ORDER BY item.name, item.id LIMIT $limit",
        {"limit": limit},
    )
    return [row["item"] for row in rows]


async def systems_by_id(graph: Graph, ids: Sequence[str]) -> list[dict[str, Any] | None]:
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (system:System {id: key}) WHERE system.retiredAt IS NULL "
        "RETURN key, " + SYSTEM + " AS item",
        {"ids": list(ids)},
    )
    return aligned(rows, ids)


async def system_neighbours(graph: Graph, ids: Sequence[str]) -> list[list[dict[str, Any]]]:
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (:System {id: key})-[n:NEIGHBOUR_OF]-(system:System) "
        "WHERE n.retiredAt IS NULL AND system.retiredAt IS NULL "
        "WITH DISTINCT key, system ORDER BY system.name, system.id "
        "RETURN key, collect(" + SYSTEM + ")[..100] AS items",
        {"ids": list(ids)},
    )
    return by_key(rows, ids)


async def system_organisations(
    graph: Graph, ids: Sequence[str], *, limit: int
) -> list[list[dict[str, Any]]]:
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (organisation:Organisation)-[p:PART_OF]->(:System {id: key}) "
        "WHERE p.retiredAt IS NULL AND organisation.retiredAt IS NULL "
        "WITH DISTINCT key, organisation ORDER BY organisation.name, organisation.id "
        "RETURN key, collect(" + ORGANISATION + ")[..$limit] AS items",
        {"ids": list(ids), "limit": limit},
    )
    return by_key(rows, ids)
