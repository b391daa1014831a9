"""Reads for access control: which origins may embed the hub, and which partners exist."""

from __future__ import annotations

from graph.database import Graph


async def embed_origins(graph: Graph) -> dict[str, str]:
    """Each allowed origin and the partner it belongs to."""
    rows = await graph.read(
        "MATCH (p:Partner) WHERE p.retiredAt IS NULL "
        "UNWIND coalesce(p.embedOrigins, []) AS origin RETURN origin, p.id AS partner"
    )
    return {row["origin"]: row["partner"] for row in rows}


async def partner_ids(graph: Graph) -> set[str]:
    """Partners known to the hub: from the partners file, and those whose sources were synced."""
    rows = await graph.read(
        "CALL { MATCH (p:Partner) WHERE p.retiredAt IS NULL RETURN p.id AS id "
        "UNION MATCH (s:Source) WHERE s.partner IS NOT NULL RETURN s.partner AS id } RETURN id"
    )
    return {row["id"] for row in rows}
