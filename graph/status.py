"""Facts about the database itself, for health checks and the API's ``about`` field."""

from __future__ import annotations

from graph.database import Graph


async def server_version(graph: Graph) -> str:
    records = await graph.read(
        "CALL dbms.components() YIELD name, versions, edition "
        "WHERE name = 'Neo4j Kernel' RETURN versions[0] + ' ' + edition AS version"
    )
    return records[0]["version"] if records else "unknown"
