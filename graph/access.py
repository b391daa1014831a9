"""Writes and reads for access: API keys (hashes only, never the key) and partners' origins.

A key is found by its public id and checked against its hash by the caller
(``hub.web.auth``), so the secret itself never reaches the database, a log line or a query plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph.database import Graph
from graph.version import bump_version


@dataclass(frozen=True)
class ApiKey:
    id: str
    hash: str
    role: str
    partner: str | None
    label: str | None
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ApiKey:
        return cls(
            id=row["id"],
            hash=row["hash"],
            role=row["role"],
            partner=row.get("partner"),
            label=row.get("label"),
            created_at=row["createdAt"],
            revoked_at=row.get("revokedAt"),
        )


_KEY = "key {.id, .hash, .role, .partner, .label, .createdAt, .revokedAt} AS key"


async def create_api_key(
    graph: Graph, *, key_id: str, key_hash: str, role: str, partner: str | None, label: str | None
) -> ApiKey:
    rows = await graph.write(
        "CREATE (key:ApiKey {id: $id, hash: $hash, role: $role, partner: $partner, "
        "label: $label, createdAt: datetime()}) RETURN " + _KEY,
        {"id": key_id, "hash": key_hash, "role": role, "partner": partner, "label": label},
    )
    return ApiKey.from_row(rows[0]["key"])


async def api_key(graph: Graph, key_id: str) -> ApiKey | None:
    rows = await graph.read("MATCH (key:ApiKey {id: $id}) RETURN " + _KEY, {"id": key_id})
    return ApiKey.from_row(rows[0]["key"]) if rows else None


async def api_keys(graph: Graph) -> list[ApiKey]:
    rows = await graph.read("MATCH (key:ApiKey) RETURN " + _KEY + " ORDER BY key.createdAt")
    return [ApiKey.from_row(row["key"]) for row in rows]


async def revoke_api_key(graph: Graph, key_id: str) -> ApiKey | None:
    """Revoke a key (once: a second revocation keeps the first date); None if unknown."""
    rows = await graph.write(
        "MATCH (key:ApiKey {id: $id}) SET key.revokedAt = coalesce(key.revokedAt, datetime()) "
        "RETURN " + _KEY,
        {"id": key_id},
    )
    await bump_version(graph)
    return ApiKey.from_row(rows[0]["key"]) if rows else None


async def store_partners(graph: Graph, partners: list[dict[str, Any]]) -> None:
    """Partners as the partners file lists them (``id``, ``name``, ``embedOrigins``).

    A partner that left the file keeps its node but loses its origins, so its widgets stop
    working at once while its keys and history still name it. The graph's version moves only
    when something changed (this runs at the start of every sync).
    """
    before = await graph.read(
        "MATCH (p:Partner) WHERE p.retiredAt IS NULL "
        "RETURN p.id AS id, p.name AS name, p.embedOrigins AS embedOrigins ORDER BY id"
    )
    wanted = sorted(
        ({"id": p["id"], "name": p["name"], "embedOrigins": p["embedOrigins"]} for p in partners),
        key=lambda p: p["id"],
    )
    if before == wanted:
        return
    await graph.write(
        "UNWIND $partners AS row MERGE (p:Partner {id: row.id}) "
        "SET p.name = row.name, p.embedOrigins = row.embedOrigins, p.retiredAt = null "
        "WITH collect(row.id) AS listed "
        "MATCH (gone:Partner) WHERE NOT gone.id IN listed "
        "SET gone.embedOrigins = [], gone.retiredAt = coalesce(gone.retiredAt, datetime())",
        {"partners": partners},
    )
    await bump_version(graph)
