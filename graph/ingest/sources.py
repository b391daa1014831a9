"""Sources and systems as ingestion describes them, and what a source's last pull left."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.database import Graph
from graph.ingest import statements
from graph.version import bump_version


@dataclass(frozen=True)
class SourceInfo:
    id: str
    partner: str
    name: str
    kind: str


@dataclass(frozen=True)
class SystemInfo:
    id: str
    name: str
    kind: str = "ics"
    neighbours: tuple[str, ...] = ()


async def store_systems(graph: Graph, systems: Sequence[SystemInfo]) -> None:
    """Upsert systems (ICSs, regions) and their neighbour links; idempotent. A new or renamed
    system or a new link changes answers (names on pages, the network), so it bumps the
    graph's version; storing the same again, as every sync does, does not."""
    rows = [
        {"id": s.id, "name": s.name, "kind": s.kind, "neighbours": list(s.neighbours)}
        for s in systems
    ]
    stored = await graph.write(statements.STORE_SYSTEMS, {"rows": rows})
    linked = await graph.write(statements.LINK_NEIGHBOURS, {"rows": rows})
    if stored[0]["changed"] or linked[0]["changed"]:
        await bump_version(graph)


async def source_state(graph: Graph, source_id: str) -> dict[str, Any]:
    """The incremental-pull state a source left last time: its bookmark and ETag."""
    records = await graph.read(statements.SOURCE_STATE, {"id": source_id})
    return records[0] if records else {"bookmark": None, "etag": None}
