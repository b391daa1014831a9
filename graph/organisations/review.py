"""Explaining why records became one organisation, listing names left apart, and splitting.

A split says "this source's name X is not organisation O". It is kept as an
``(:OrganisationSplit {source, key, organisation})`` node that every later pull of the source
reads (graph.resolution.load_organisation_index), so the next sync does not merge them again.
The source's records that use the name are then resolved again from the copies their
assertions keep: at once when the caller passes the hub's ingest options, else at the
source's next sync (their content hashes are cleared so that sync rewrites them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from connectors.records import RECORD_ADAPTER
from graph.database import Graph
from graph.ingest import IngestOptions, SourceInfo, sync_source
from graph.normalise import organisation_key
from graph.organisations.decisions import name_id
from graph.version import bump_version

MAX_NAMES = 200


class SplitError(ValueError):
    """The split asked for does not match what is stored; the message says what to change."""


@dataclass
class Explanation:
    organisation: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)
    names: list[dict[str, Any]] = field(default_factory=list)
    splits: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class SplitResult:
    organisation: str
    source: str
    name: str
    records: int
    new_organisation: str | None
    pending: bool
    """True when the records are resolved again at the source's next sync, not yet."""


async def explain_organisation(graph: Graph, organisation_id: str) -> Explanation | None:
    """The organisation, the records that assert it (with their rule) and the names resolved to
    it (with rule, score and the other candidates), and the names split from it."""
    rows = await graph.read(
        """
        MATCH (o:Organisation {id: $id})
        RETURN o {.id, .name, .odsCode, .orgType, .formerNames, .formerCodes,
                  .successorCodes, .closedOn} AS organisation,
               [(s:Source)-[a:ASSERTS]->(o) WHERE a.retiredAt IS NULL |
                {source: s.id, ref: a.ref, rule: a.rule}][..$limit] AS records,
               [(n:OrganisationName)-[:RESOLVES_TO]->(o) |
                n {.source, .name, .rule, .score, .candidates}][..$limit] AS names
        """,
        {"id": organisation_id, "limit": MAX_NAMES},
    )
    if not rows:
        return None
    splits = await graph.read(
        "MATCH (x:OrganisationSplit {organisation: $id}) "
        "RETURN x.source AS source, x.name AS name, x.at AS at ORDER BY source, name LIMIT $limit",
        {"id": organisation_id, "limit": MAX_NAMES},
    )
    row = rows[0]
    by = lambda item: (item["source"], item.get("name") or item.get("ref") or "")  # noqa: E731
    return Explanation(
        organisation=row["organisation"],
        records=sorted(row["records"], key=by),
        names=sorted(row["names"], key=by),
        splits=splits,
    )


async def names_for_review(graph: Graph, first: int = 50) -> list[dict[str, Any]]:
    """Names left apart because several known organisations fit them, with the candidates."""
    return await graph.read(
        """
        MATCH (n:OrganisationName {rule: 'ambiguous'})-[:RESOLVES_TO]->(o:Organisation)
        RETURN n.source AS source, n.name AS name, o.id AS organisation,
               n.candidates AS candidates
        ORDER BY source, name LIMIT $first
        """,
        {"first": max(1, min(first, MAX_NAMES))},
    )


async def split_name(
    graph: Graph,
    organisation_id: str,
    source_id: str,
    name: str,
    *,
    options: IngestOptions | None = None,
) -> SplitResult:
    """Keep ``source_id``'s ``name`` apart from ``organisation_id``, now and at every sync."""
    key = organisation_key(name)
    assertions = await graph.read(
        """
        MATCH (s:Source {id: $source})
        OPTIONAL MATCH (s)-[a:ASSERTS]->(e)
        WHERE a.retiredAt IS NULL
        RETURN s.partner AS partner, s.name AS sourceName, s.kind AS kind,
               collect({key: a.key, kind: a.kind, record: a.record, entity: e.id}) AS assertions
        """,
        {"source": source_id},
    )
    if not assertions:
        raise SplitError(f"there is no source {source_id!r}")
    source = assertions[0]
    using = [
        a
        for a in source["assertions"]
        if a["key"] is not None and key in _name_keys(a["kind"], json.loads(a["record"]))
    ]
    named = await graph.read(
        "MATCH (:OrganisationName {id: $id})-[:RESOLVES_TO]->(o:Organisation {id: $org}) "
        "RETURN o.id AS id",
        {"id": name_id(source_id, key), "org": organisation_id},
    )
    own = [a for a in using if a["kind"] == "organisation" and a["entity"] == organisation_id]
    if not named and not own:
        raise SplitError(
            f"source {source_id!r} does not call organisation {organisation_id!r} {name!r}; "
            "see `convener organisations explain` for the names it was resolved from"
        )
    await graph.write(
        """
        MERGE (x:OrganisationSplit {id: $id})
        SET x.source = $source, x.key = $key, x.name = $name, x.organisation = $org,
            x.at = datetime()
        WITH x
        OPTIONAL MATCH (n:OrganisationName {id: $nameId})
        DETACH DELETE n
        """,
        {
            "id": f"{source_id}|{key}|{organisation_id}",
            "source": source_id,
            "key": key,
            "name": name,
            "org": organisation_id,
            "nameId": name_id(source_id, key),
        },
    )
    # The source's own record of the organisation keeps its entity while asserted: let go of
    # it, so that resolving the record again can land elsewhere.
    await graph.write(
        """
        UNWIND $keys AS key
        MATCH (:Source {id: $source})-[a:ASSERTS {key: key}]->(o:Organisation)
        OPTIONAL MATCH (o)-[p:PART_OF {source: $source}]->()
        DELETE p, a
        """,
        {"source": source_id, "keys": [a["key"] for a in own]},
    )
    # A cleared content hash makes ingestion rewrite the record even though it is unchanged.
    await graph.write(
        "UNWIND $keys AS key MATCH ()-[a:ASSERTS {key: key}]->() SET a.hash = 'split'",
        {"keys": [a["key"] for a in using]},
    )
    await bump_version(graph)  # the split shows in explanations at once
    if options is None:
        return SplitResult(organisation_id, source_id, name, len(using), None, pending=True)
    records = [RECORD_ADAPTER.validate_json(a["record"]) for a in using]
    info = SourceInfo(source_id, source["partner"], source["sourceName"], source["kind"])
    await sync_source(graph, info, records, complete=False, options=options)
    after = await graph.read(
        "MATCH (:OrganisationName {id: $id})-[:RESOLVES_TO]->(o:Organisation) RETURN o.id AS id",
        {"id": name_id(source_id, key)},
    )
    new_id = after[0]["id"] if after else None
    return SplitResult(organisation_id, source_id, name, len(records), new_id, pending=False)


def _name_keys(kind: str, record: dict[str, Any]) -> set[str]:
    """Name keys of the organisations a stored record names (itself, for an organisation)."""
    if kind == "organisation":
        names = [record.get("name"), *record.get("aliases", [])]
    else:
        refs = [record.get("organisation"), record.get("lead_organisation")]
        refs += record.get("partner_organisations", [])
        names = [ref.get("name") for ref in refs if isinstance(ref, dict)]
    return {organisation_key(n) for n in names if isinstance(n, str) and n.strip()}
