"""Systems (integrated care systems and regions), their neighbours and organisations."""

from __future__ import annotations

from typing import Any

from graph.database import Graph
from graph.queries.batch import SIZED, Related
from graph.queries.fields import ORGANISATION, SYSTEM


async def all_systems(graph: Graph, *, limit: int) -> list[dict[str, Any]]:
    """Systems by name; there are a few dozen, so one bounded list, not pages."""
    rows = await graph.read(
        "MATCH (system:System) WHERE system.retiredAt IS NULL "
        "RETURN " + SYSTEM.row + " AS item ORDER BY item.name, item.id LIMIT $limit",
        {"limit": limit},
    )
    return [row["item"] for row in rows]


# What hangs off each system, batched for the loaders (``graph.queries.batch``).
NEIGHBOURS = Related("neighbours", SYSTEM, "-[r:NEIGHBOUR_OF]-", SYSTEM)
ORGANISATIONS = Related("organisations", SYSTEM, "<-[r:PART_OF]-", ORGANISATION, limit=SIZED)
