"""Ingestion: one pull of one source becomes batched, idempotent writes with provenance.

Each record is written through ``(:Source)-[:ASSERTS {key, hash, rule, ...}]->(entity)``.
Unchanged records (same content hash) are only marked as seen; new and changed ones are
resolved and upserted with ``UNWIND`` + ``MERGE`` in bounded batches. After a complete,
successful pull, what the source no longer lists is retired for that source alone, unless
that would retire more than a set share of it, in which case nothing is retired and the run is
flagged. See docs/graph-model.md for the stored shape.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, LiteralString, TypeVar

from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    PersonRecord,
    ProjectRecord,
    Record,
    RecordError,
    ResourceRecord,
)
from graph.database import Graph
from graph.resolution import (
    OrganisationIndex,
    load_organisation_index,
    load_person_candidates,
    person_identity_keys,
    resolve_person,
)
from graph.vocabulary import Vocabulary

KIND_ORDER = ("organisation", "person", "project", "resource")
MAX_STORED_ERRORS = 20
DEFAULT_SALT = "convener-development-salt"
T = TypeVar("T")


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


@dataclass(frozen=True)
class IngestOptions:
    """How ingestion resolves and protects: batch size, retirement guard, identity salt."""

    batch_size: int = 2000
    max_retire_share: float = 0.5
    identity_salt: str = DEFAULT_SALT
    organisation_aliases: Mapping[str, str] = field(default_factory=dict)
    vocabulary: Vocabulary = field(default_factory=Vocabulary.load)


@dataclass
class SyncSummary:
    """What one pull of one source did (or, in a dry run, would do)."""

    run_id: str
    source: str
    status: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    flag_reason: str | None = None
    would_retire: list[str] = field(default_factory=list)
    duration_ms: int = 0

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


def record_key(source: str, record: Record) -> str:
    return f"{source}|{record.kind}|{record.ref}"


def content_hash(record: Record) -> str:
    body = record.model_dump(mode="json", exclude={"updated_at"})
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]


async def store_systems(graph: Graph, systems: Sequence[SystemInfo]) -> None:
    """Upsert systems (ICSs, regions) and their neighbour links; idempotent."""
    rows = [
        {"id": s.id, "name": s.name, "kind": s.kind, "neighbours": list(s.neighbours)}
        for s in systems
    ]
    await graph.write(
        "UNWIND $rows AS row MERGE (s:System {id: row.id}) "
        "SET s.name = row.name, s.kind = row.kind",
        {"rows": rows},
    )
    await graph.write(
        """
        UNWIND $rows AS row
        UNWIND row.neighbours AS other
        MATCH (a:System {id: row.id}), (b:System {id: other})
        WHERE a <> b
        MERGE (a)-[:NEIGHBOUR_OF]-(b)
        """,
        {"rows": rows},
    )


async def source_state(graph: Graph, source_id: str) -> dict[str, Any]:
    """The incremental-pull state a source left last time: its bookmark and ETag."""
    records = await graph.read(
        "MATCH (s:Source {id: $id}) RETURN s.bookmark AS bookmark, s.etag AS etag",
        {"id": source_id},
    )
    return records[0] if records else {"bookmark": None, "etag": None}


async def sync_source(
    graph: Graph,
    source: SourceInfo,
    records: Iterable[Record],
    *,
    rejected: Sequence[RecordError] = (),
    complete: bool = True,
    failure: str | None = None,
    not_modified: bool = False,
    bookmark: str | None = None,
    etag: str | None = None,
    dry_run: bool = False,
    options: IngestOptions | None = None,
) -> SyncSummary:
    """Ingest one pull of one source and record it as a SyncRun.

    ``complete`` says the pull listed everything the source has (so what is missing may be
    retired); ``failure`` says the pull broke (what did arrive is still ingested, nothing is
    retired); ``not_modified`` says the source answered that nothing changed.
    """
    options = options or IngestOptions()
    started = datetime.now(UTC)
    clock = time.monotonic()
    run = SyncSummary(
        run_id=f"{source.id}:{started.strftime('%Y%m%dT%H%M%S')}:{uuid.uuid4().hex[:8]}",
        source=source.id,
        status="running",
        dry_run=dry_run,
    )
    errors = [str(error) for error in rejected]
    unique = _unique_records(source.id, records, errors)
    run.rejected = len(rejected) + (len(errors) - len(rejected))

    if not dry_run:
        await _begin(graph, source, run, started)
    existing = await _existing_assertions(graph, source.id, list(unique))
    fresh: list[Record] = []
    unchanged: list[str] = []
    for key, record in unique.items():
        known = existing.get(key)
        if known is None:
            run.created += 1
            fresh.append(record)
        elif known["hash"] != content_hash(record) or known["retiredAt"] is not None:
            run.updated += 1
            fresh.append(record)
        else:
            run.unchanged += 1
            unchanged.append(key)

    writer = _Writer(graph, source, run.run_id, started, options)
    if not dry_run:
        for batch in _batches(unchanged, options.batch_size):
            await writer.touch(batch)
        for kind in KIND_ORDER:
            of_kind = [r for r in fresh if r.kind == kind]
            for batch in _batches(of_kind, options.batch_size):
                errors.extend(await writer.upsert(kind, batch))

    if not_modified:
        run.unchanged = await _active_count(graph, source.id)
    elif complete and failure is None:
        await _retire_missing(graph, source.id, set(unique), run, writer, dry_run, options)

    if failure is not None:
        run.status = "failed"
        errors.insert(0, f"{source.id}: {failure}")
    elif run.flag_reason is not None:
        run.status = "flagged"
    else:
        run.status = "succeeded"
    run.errors = errors[:MAX_STORED_ERRORS]
    run.duration_ms = int((time.monotonic() - clock) * 1000)
    if not dry_run:
        await _finish(graph, run, bookmark, etag, failure is None)
    return run


def _unique_records(source: str, records: Iterable[Record], errors: list[str]) -> dict[str, Record]:
    unique: dict[str, Record] = {}
    for record in records:
        key = record_key(source, record)
        if key in unique:
            errors.append(
                f"{source}, {record.kind} {record.ref!r}: the source lists this {record.kind} "
                "twice; the first one was kept"
            )
            continue
        unique[key] = record
    return unique


def _batches(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _begin(graph: Graph, source: SourceInfo, run: SyncSummary, started: datetime) -> None:
    await graph.write(
        """
        MERGE (s:Source {id: $source.id})
        SET s.partner = $source.partner, s.name = $source.name, s.kind = $source.kind
        CREATE (r:SyncRun {id: $run, source: $source.id, startedAt: $started,
                           status: 'running', dryRun: false})
        CREATE (r)-[:OF]->(s)
        """,
        {
            "source": {
                "id": source.id,
                "partner": source.partner,
                "name": source.name,
                "kind": source.kind,
            },
            "run": run.run_id,
            "started": started,
        },
    )


async def _finish(
    graph: Graph, run: SyncSummary, bookmark: str | None, etag: str | None, keep_state: bool
) -> None:
    await graph.write(
        """
        MATCH (r:SyncRun {id: $run})-[:OF]->(s:Source)
        SET r.status = $status, r.endedAt = datetime(), r.created = $created,
            r.updated = $updated, r.unchanged = $unchanged, r.retired = $retired,
            r.rejected = $rejected, r.errors = $errors, r.durationMs = $durationMs,
            r.flagReason = $flagReason
        SET s.lastRun = $run,
            s.bookmark = CASE WHEN $keepState AND $bookmark IS NOT NULL
                              THEN $bookmark ELSE s.bookmark END,
            s.etag = CASE WHEN $keepState AND $etag IS NOT NULL THEN $etag ELSE s.etag END
        """,
        {
            "run": run.run_id,
            "status": run.status,
            "created": run.created,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "retired": run.retired,
            "rejected": run.rejected,
            "errors": run.errors,
            "durationMs": run.duration_ms,
            "flagReason": run.flag_reason,
            "bookmark": bookmark,
            "etag": etag,
            "keepState": keep_state,
        },
    )


async def _existing_assertions(
    graph: Graph, source: str, keys: list[str]
) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for batch in _batches(keys, 10_000):
        rows = await graph.read(
            """
            UNWIND $keys AS key
            MATCH (:Source {id: $source})-[a:ASSERTS {key: key}]->(e)
            RETURN key, a.hash AS hash, a.retiredAt AS retiredAt, e.id AS entity
            """,
            {"source": source, "keys": list(batch)},
        )
        found.update({row["key"]: row for row in rows})
    return found


async def _active_count(graph: Graph, source: str) -> int:
    rows = await graph.read(
        "MATCH (:Source {id: $source})-[a:ASSERTS]->() WHERE a.retiredAt IS NULL "
        "RETURN count(a) AS n",
        {"source": source},
    )
    return int(rows[0]["n"])


async def _retire_missing(
    graph: Graph,
    source: str,
    listed: set[str],
    run: SyncSummary,
    writer: _Writer,
    dry_run: bool,
    options: IngestOptions,
) -> None:
    rows = await graph.read(
        "MATCH (:Source {id: $source})-[a:ASSERTS]->() WHERE a.retiredAt IS NULL "
        "RETURN a.key AS key",
        {"source": source},
    )
    active = {row["key"] for row in rows}
    # In a dry run nothing was written, so what this pull lists is not yet "active".
    missing = sorted(active - listed)
    if not missing:
        return
    share = len(missing) / len(active)
    if share > options.max_retire_share:
        run.flag_reason = (
            f"this pull would retire {len(missing)} of {len(active)} records "
            f"({share:.0%}), more than the allowed {options.max_retire_share:.0%}; "
            "nothing was retired. Check the source, then sync again."
        )
        run.would_retire = missing
        return
    run.would_retire = missing
    if dry_run:
        run.retired = len(missing)
        return
    for batch in _batches(missing, options.batch_size):
        await writer.retire(batch)
    run.retired = len(missing)


class _Writer:
    """The Cypher of one run: upserts by kind, touches and retirements, with provenance."""

    def __init__(
        self,
        graph: Graph,
        source: SourceInfo,
        run_id: str,
        now: datetime,
        options: IngestOptions,
    ) -> None:
        self.graph = graph
        self.source = source
        self.run_id = run_id
        self.now = now
        self.options = options

    def _params(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {"rows": rows, "source": self.source.id, "run": self.run_id, "now": self.now}

    async def touch(self, keys: Sequence[str]) -> None:
        await self.graph.write(
            """
            UNWIND $keys AS key
            MATCH (:Source {id: $source})-[a:ASSERTS {key: key}]->()
            SET a.lastSeen = $now, a.lastRun = $run
            """,
            {"keys": list(keys), "source": self.source.id, "run": self.run_id, "now": self.now},
        )

    async def retire(self, keys: Sequence[str]) -> None:
        await self.graph.write(
            """
            UNWIND $keys AS key
            MATCH (:Source {id: $source})-[a:ASSERTS {key: key}]->(e)
            SET a.retiredAt = $now
            WITH DISTINCT e
            CALL {
              WITH e
              MATCH (e)-[r]-()
              WHERE r.source = $source AND r.retiredAt IS NULL
              SET r.retiredAt = $now
            }
            WITH e
            WHERE NOT EXISTS {
              MATCH (:Source)-[other:ASSERTS]->(e) WHERE other.retiredAt IS NULL
            }
            SET e.retiredAt = $now
            """,
            {"keys": list(keys), "source": self.source.id, "now": self.now},
        )

    async def upsert(self, kind: str, records: Sequence[Record]) -> list[str]:
        """Write one batch of new or changed records of one kind; return link warnings."""
        if kind == "organisation":
            await self._organisations(records)  # type: ignore[arg-type]
            return []
        if kind == "person":
            await self._people(records)  # type: ignore[arg-type]
            return []
        if kind == "project":
            return await self._projects(records)  # type: ignore[arg-type]
        return await self._resources(records)  # type: ignore[arg-type]

    def _assertion(self, record: Record, rule: str) -> dict[str, Any]:
        return {
            "key": record_key(self.source.id, record),
            "ref": record.ref,
            "kind": record.kind,
            "hash": content_hash(record),
            "rule": rule,
            "record": record.model_dump_json(exclude_none=True),
        }

    def _topics(self, labels: Iterable[str]) -> list[dict[str, Any]]:
        topics = {}
        for label in labels:
            topic = self.options.vocabulary.resolve(label)
            topics.setdefault(
                topic.id,
                {
                    "id": topic.id,
                    "label": topic.label,
                    "candidate": topic.candidate,
                    "keys": list(topic.keys),
                    "synonyms": list(topic.synonyms),
                },
            )
        return list(topics.values())

    @staticmethod
    def _organisation_row(
        index: OrganisationIndex, ref: OrganisationRef | None
    ) -> dict[str, Any] | None:
        if ref is None:
            return None
        match = index.resolve(ref.name, ref.ods_code)
        name = ref.name or ref.ods_code
        return {
            "id": match.id,
            "name": name,
            "odsCode": ref.ods_code,
            "nameKeys": index.name_keys(ref.name) if ref.name else [],
        }

    async def _organisations(self, records: Sequence[OrganisationRecord]) -> None:
        index = await load_organisation_index(
            self.graph, records, self.options.organisation_aliases
        )
        rows = []
        for record in records:
            match = index.resolve(record.name, record.ods_code)
            keys = index.name_keys(record.name, record.aliases)
            for key in keys:
                index.remember(match.id, key, record.ods_code)
            rows.append(
                {
                    "id": match.id,
                    "odsCode": record.ods_code,
                    "props": {
                        "name": record.name,
                        "sector": record.sector.value if record.sector else None,
                        "orgType": record.org_type,
                        "website": record.website,
                    },
                    "aliases": record.aliases,
                    "nameKeys": keys,
                    "system": record.system,
                    "assertion": self._assertion(record, match.rule),
                }
            )
        await self.graph.write(_UPSERT_ORGANISATIONS, self._params(rows))

    async def _people(self, records: Sequence[PersonRecord]) -> None:
        salt = self.options.identity_salt
        index = await load_organisation_index(
            self.graph,
            [r.organisation for r in records if r.organisation],
            self.options.organisation_aliases,
        )
        organisations = [self._organisation_row(index, r.organisation) for r in records]
        existing = await _existing_assertions(
            self.graph, self.source.id, [record_key(self.source.id, r) for r in records]
        )
        identity = {r.ref: person_identity_keys(r, salt) for r in records}
        by_key, in_organisation = await load_person_candidates(
            self.graph,
            [key for keys in identity.values() for key in keys],
            [org["id"] for org in organisations if org],
        )
        rows = []
        for record, organisation in zip(records, organisations, strict=True):
            known = existing.get(record_key(self.source.id, record))
            if known is not None:
                person_id, rule = known["entity"], "same_record"
            else:
                match = resolve_person(
                    record,
                    source=self.source.id,
                    organisation_id=organisation["id"] if organisation else None,
                    by_key=by_key,
                    in_organisation=in_organisation,
                    salt=salt,
                )
                if match is None:
                    digest = hashlib.sha256(record_key(self.source.id, record).encode())
                    person_id, rule = f"person:{digest.hexdigest()[:16]}", "new"
                else:
                    person_id, rule = match.id, match.rule
            consent = record.contact_consent
            rows.append(
                {
                    "id": person_id,
                    "props": {
                        "name": record.name,
                        "role": record.role,
                        "orcid": record.orcid,
                        "bio": record.bio,
                        "email": record.email if consent else None,
                        "phone": record.phone if consent else None,
                    },
                    "contactConsent": consent,
                    "public": record.public,
                    "offers": [offer.value for offer in record.offers],
                    "identityKeys": identity[record.ref],
                    "organisation": organisation,
                    "topics": self._topics(record.interests),
                    "assertion": self._assertion(record, rule),
                }
            )
        await self.graph.write(_UPSERT_PEOPLE, self._params(rows))

    async def _projects(self, records: Sequence[ProjectRecord]) -> list[str]:
        refs = [r.lead_organisation for r in records if r.lead_organisation]
        refs += [p for r in records for p in r.partner_organisations]
        index = await load_organisation_index(self.graph, refs, self.options.organisation_aliases)
        rows = []
        for record in records:
            lead = self._organisation_row(index, record.lead_organisation)
            partners = [
                row
                for row in (self._organisation_row(index, p) for p in record.partner_organisations)
                if row is not None and (lead is None or row["id"] != lead["id"])
            ]
            rows.append(
                {
                    "id": f"{self.source.id}:{record.ref}",
                    "props": {
                        "title": record.title,
                        "summary": record.summary,
                        "aim": record.aim,
                        "status": record.status.value if record.status else None,
                        "startDate": record.start_date,
                        "endDate": record.end_date,
                        "methods": record.methods,
                        "mode": record.mode.value if record.mode else None,
                        "url": record.url,
                        "updatedAt": record.updated_at,
                    },
                    "lead": lead,
                    "partners": partners,
                    "topics": self._topics(record.topics),
                    "members": [
                        {
                            "key": f"{self.source.id}|person|{m.person}",
                            "ref": m.person,
                            "role": m.role,
                        }
                        for m in record.members
                    ],
                    "assertion": self._assertion(record, "new"),
                }
            )
        result = await self.graph.write(_UPSERT_PROJECTS, self._params(rows))
        return [
            f"{self.source.id}, project {row['ref']!r}, field 'members': person "
            f"{missing!r} is not listed by this source; the link was left out"
            for row in result
            for missing in row["missing"]
        ]

    async def _resources(self, records: Sequence[ResourceRecord]) -> list[str]:
        index = await load_organisation_index(
            self.graph,
            [r.organisation for r in records if r.organisation],
            self.options.organisation_aliases,
        )
        rows = [
            {
                "id": f"{self.source.id}:{record.ref}",
                "props": {
                    "title": record.title,
                    "resourceType": record.resource_type.value,
                    "summary": record.summary,
                    "url": record.url,
                    "published": record.published,
                },
                "organisation": self._organisation_row(index, record.organisation),
                "project": f"{self.source.id}:{record.project}" if record.project else None,
                "projectRef": record.project,
                "topics": self._topics(record.topics),
                "assertion": self._assertion(record, "new"),
            }
            for record in records
        ]
        result = await self.graph.write(_UPSERT_RESOURCES, self._params(rows))
        return [
            f"{self.source.id}, resource {row['ref']!r}, field 'project': project "
            f"{row['projectRef']!r} is not listed by this source; the link was left out"
            for row in result
        ]


# Shared fragments. Every relationship a record implies carries its source and run; after a
# changed record is written, the links of that source it no longer implies are removed.
_ASSERT: LiteralString = """
    MERGE (s:Source {id: $source})
    MERGE (s)-[a:ASSERTS {key: row.assertion.key}]->(e)
    ON CREATE SET a.firstSeen = $now
    SET a.ref = row.assertion.ref, a.kind = row.assertion.kind, a.hash = row.assertion.hash,
        a.rule = CASE WHEN a.rule IS NULL OR row.assertion.rule <> 'same_record'
                      THEN row.assertion.rule ELSE a.rule END,
        a.record = row.assertion.record, a.lastSeen = $now, a.lastRun = $run,
        a.retiredAt = null
"""

_LINK_PROPS: LiteralString = (
    "ON CREATE SET r.firstSeen = $now SET r.lastSeen = $now, r.lastRun = $run, r.retiredAt = null"
)

_MERGE_ORGANISATION: LiteralString = """
    MERGE (o:Organisation {id: org.id})
    ON CREATE SET o.name = org.name, o.odsCode = org.odsCode, o.nameKeys = org.nameKeys,
                  o.firstSeen = $now
    SET o.nameKeys = reduce(keys = coalesce(o.nameKeys, []), k IN org.nameKeys |
                            CASE WHEN k IN keys THEN keys ELSE keys + k END),
        o.odsCode = coalesce(o.odsCode, org.odsCode)
"""

_TOPIC_LINKS: LiteralString = """
    FOREACH (t IN row.topics |
      MERGE (topic:Topic {id: t.id})
      ON CREATE SET topic.label = t.label, topic.candidate = t.candidate, topic.keys = t.keys,
                    topic.synonyms = t.synonyms
      MERGE (e)-[r:%s {source: $source}]->(topic)
      %s)
"""

_PRUNE: LiteralString = """
    WITH *
    CALL {
      WITH e
      MATCH (e)-[r:%s]-()
      WHERE r.source = $source AND r.lastRun <> $run
      DELETE r
    }
"""

_UPSERT_ORGANISATIONS: LiteralString = (
    """
    UNWIND $rows AS row
    MERGE (e:Organisation {id: row.id})
    ON CREATE SET e.firstSeen = $now
    SET e += row.props,
        e.odsCode = coalesce(row.odsCode, e.odsCode),
        e.aliases = reduce(xs = coalesce(e.aliases, []), x IN row.aliases |
                           CASE WHEN x IN xs THEN xs ELSE xs + x END),
        e.nameKeys = reduce(xs = coalesce(e.nameKeys, []), x IN row.nameKeys |
                            CASE WHEN x IN xs THEN xs ELSE xs + x END),
        e.retiredAt = null
    WITH e, row
    """
    + _ASSERT
    + """
    WITH e, row
    CALL {
      WITH e, row
      MATCH (system:System {id: row.system})
      MERGE (e)-[r:PART_OF {source: $source}]->(system)
      """
    + _LINK_PROPS
    + """
    }
    """
    + (_PRUNE % "PART_OF")
)

_UPSERT_PEOPLE: LiteralString = (
    """
    UNWIND $rows AS row
    MERGE (e:Person {id: row.id})
    ON CREATE SET e.firstSeen = $now
    SET e.name = row.props.name,
        e.role = coalesce(row.props.role, e.role),
        e.orcid = coalesce(row.props.orcid, e.orcid),
        e.bio = coalesce(row.props.bio, e.bio),
        e.email = coalesce(row.props.email, e.email),
        e.phone = coalesce(row.props.phone, e.phone),
        e.contactConsent = coalesce(e.contactConsent, false) OR row.contactConsent,
        e.public = coalesce(e.public, false) OR row.public,
        e.offers = reduce(xs = coalesce(e.offers, []), x IN row.offers |
                          CASE WHEN x IN xs THEN xs ELSE xs + x END),
        e.retiredAt = null
    WITH e, row
    """
    + _ASSERT
    + """
    WITH e, row
    FOREACH (key IN row.identityKeys |
      MERGE (k:PersonKey {key: key})
      MERGE (k)-[:IDENTIFIES]->(e))
    WITH e, row
    CALL {
      WITH e, row
      WITH e, row WHERE row.organisation IS NOT NULL
      WITH e, row, row.organisation AS org
      """
    + _MERGE_ORGANISATION
    + """
      MERGE (e)-[r:WORKS_FOR {source: $source}]->(o)
      """
    + _LINK_PROPS
    + """
    }
    """
    + (_TOPIC_LINKS % ("INTERESTED_IN", _LINK_PROPS))
    + (_PRUNE % "WORKS_FOR|INTERESTED_IN")
)

_UPSERT_PROJECTS: LiteralString = (
    """
    UNWIND $rows AS row
    MERGE (e:Project {id: row.id})
    ON CREATE SET e.firstSeen = $now
    SET e += row.props, e.retiredAt = null
    WITH e, row
    """
    + _ASSERT
    + """
    WITH e, row
    CALL {
      WITH e, row
      WITH e, row WHERE row.lead IS NOT NULL
      WITH e, row, row.lead AS org
      """
    + _MERGE_ORGANISATION
    + """
      MERGE (e)-[r:RUN_BY {source: $source}]->(o)
      """
    + _LINK_PROPS
    + """
    }
    CALL {
      WITH e, row
      UNWIND row.partners AS org
      """
    + _MERGE_ORGANISATION
    + """
      MERGE (e)-[r:IN_PARTNERSHIP_WITH {source: $source}]->(o)
      """
    + _LINK_PROPS
    + """
    }
    """
    + (_TOPIC_LINKS % ("ABOUT", _LINK_PROPS))
    + """
    WITH e, row
    CALL {
      WITH e, row
      UNWIND row.members AS member
      OPTIONAL MATCH (:Source {id: $source})-[:ASSERTS {key: member.key}]->(person:Person)
      FOREACH (p IN CASE WHEN person IS NULL THEN [] ELSE [person] END |
        MERGE (p)-[r:WORKS_ON {source: $source}]->(e)
        """
    + _LINK_PROPS
    + """, r.role = member.role)
      RETURN collect(CASE WHEN person IS NULL THEN member.ref END) AS missing
    }
    """
    + (_PRUNE % "RUN_BY|IN_PARTNERSHIP_WITH|ABOUT|WORKS_ON")
    + """
    WITH row, missing WHERE size(missing) > 0
    RETURN row.assertion.ref AS ref, missing
    """
)

_UPSERT_RESOURCES: LiteralString = (
    """
    UNWIND $rows AS row
    MERGE (e:Resource {id: row.id})
    ON CREATE SET e.firstSeen = $now
    SET e += row.props, e.retiredAt = null
    WITH e, row
    """
    + _ASSERT
    + """
    WITH e, row
    CALL {
      WITH e, row
      WITH e, row WHERE row.organisation IS NOT NULL
      WITH e, row, row.organisation AS org
      """
    + _MERGE_ORGANISATION
    + """
      MERGE (e)-[r:PUBLISHED_BY {source: $source}]->(o)
      """
    + _LINK_PROPS
    + """
    }
    """
    + (_TOPIC_LINKS % ("ABOUT", _LINK_PROPS))
    + """
    WITH e, row
    OPTIONAL MATCH (project:Project {id: row.project})
    FOREACH (p IN CASE WHEN project IS NULL THEN [] ELSE [project] END |
      MERGE (e)-[r:FROM {source: $source}]->(p)
      """
    + _LINK_PROPS
    + """)
    """
    + (_PRUNE % "PUBLISHED_BY|ABOUT|FROM")
    + """
    WITH row, project WHERE row.project IS NOT NULL AND project IS NULL
    RETURN row.assertion.ref AS ref, row.projectRef AS projectRef
    """
)
