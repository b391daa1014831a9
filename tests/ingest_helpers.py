"""Small builders for ingestion tests: sources, records and whole-graph snapshots."""

from __future__ import annotations

from typing import Any

from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    PersonRecord,
    ProjectMember,
    ProjectRecord,
    ResourceRecord,
)
from graph.database import Graph
from graph.ingest import SourceInfo

# Provenance that changes with every pull by design; everything else must be identical.
VOLATILE = {"lastSeen", "lastRun", "startedAt", "endedAt", "durationMs"}


def source(source_id: str, partner: str | None = None) -> SourceInfo:
    return SourceInfo(source_id, partner or source_id, f"{source_id} register", "json_api")


def org(ref: str, name: str, **fields: Any) -> OrganisationRecord:
    return OrganisationRecord(ref=ref, name=name, **fields)


def person(ref: str, name: str, **fields: Any) -> PersonRecord:
    return PersonRecord(ref=ref, name=name, **fields)


def at(name: str | None = None, ods_code: str | None = None) -> OrganisationRef:
    return OrganisationRef(name=name, ods_code=ods_code)


def project(ref: str, title: str, **fields: Any) -> ProjectRecord:
    members = fields.pop("members", [])
    return ProjectRecord(
        ref=ref,
        title=title,
        members=[ProjectMember(person=m) if isinstance(m, str) else m for m in members],
        **fields,
    )


def resource(ref: str, title: str, **fields: Any) -> ResourceRecord:
    return ResourceRecord(ref=ref, title=title, **fields)


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


async def snapshot(
    graph: Graph, ignore: frozenset[str] = frozenset()
) -> tuple[list[Any], list[Any]]:
    """Every node and relationship with its properties, minus per-pull provenance and runs,
    and the graph's version (it counts writes, not what they wrote)."""
    skipped = VOLATILE | ignore
    nodes = await graph.read(
        "MATCH (n) WHERE NOT n:SyncRun AND NOT n:SchemaMigration AND NOT n:GraphVersion "
        "RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props"
    )
    ids = {
        row["eid"]: (row["labels"], row["props"].get("id") or row["props"].get("key"))
        for row in nodes
    }
    rels = await graph.read(
        "MATCH (a)-[r]->(b) WHERE NOT a:SyncRun "
        "RETURN elementId(a) AS a, type(r) AS type, properties(r) AS props, elementId(b) AS b"
    )

    def clean(props: dict[str, Any]) -> dict[str, Any]:
        return {k: _plain(v) for k, v in sorted(props.items()) if k not in skipped}

    node_view = sorted((repr(row["labels"]), repr(clean(row["props"]))) for row in nodes)
    rel_view = sorted(
        (repr(ids[row["a"]]), row["type"], repr(clean(row["props"])), repr(ids[row["b"]]))
        for row in rels
    )
    return node_view, rel_view


async def count(graph: Graph, query: str, **params: Any) -> int:
    rows = await graph.read(query, params)  # type: ignore[arg-type]
    return int(rows[0]["n"])
