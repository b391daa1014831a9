"""Ingestion: one pull of one source becomes batched, idempotent writes with provenance.

Each record is written through ``(:Source)-[:ASSERTS {key, hash, rule, ...}]->(entity)``.
Unchanged records (same content hash) are only marked as seen; new and changed ones are
resolved and upserted with ``UNWIND`` + ``MERGE`` in bounded batches. After a complete,
successful pull, what the source no longer lists is retired for that source alone, unless
that would retire more than a set share of it, in which case nothing is retired and the run is
flagged. See docs/graph-model.md for the stored shape.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
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
from graph.organisations.decisions import store_name_decisions
from graph.resolution import (
    NameDecision,
    OrganisationIndex,
    load_organisation_index,
    load_person_candidates,
    person_identity_keys,
    resolve_person,
)
from graph.vocabulary import Vocabulary

KIND_ORDER = ("organisation", "person", "project", "resource")
MAX_STORED_ERRORS = 20
# While one batch is written, the next is turned into rows; every this many records that work
# gives the event loop a turn, so the write can send its next statement without waiting.
_YIELD_EVERY = 25
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
    kept: int = 0
    """Records the source still lists that failed validation: kept as they were."""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flag_reason: str | None = None
    would_retire: list[str] = field(default_factory=list)
    duration_ms: int = 0
    changed_projects: list[str] = field(default_factory=list)
    complete: bool = False
    """The pull listed everything the source has (so removals were seen and retired)."""

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
    if not dry_run:
        await _begin(graph, source, run, started)
    existing = await _source_assertions(graph, source.id)
    active = {key for key, known in existing.items() if known["retiredAt"] is None}

    errors = [_rejection(source.id, error, active) for error in rejected]
    unique = _unique_records(source.id, records, errors)
    run.rejected = len(rejected) + (len(errors) - len(rejected))
    still_listed = {_rejected_key(source.id, error) for error in rejected} - {None}
    unidentified = {error.kind for error in rejected if _rejected_key(source.id, error) is None}
    fresh: list[Record] = []
    unchanged: list[str] = []
    hashes = {key: content_hash(record) for key, record in unique.items()}
    for key, record in unique.items():
        known = existing.get(key)
        if known is None:
            run.created += 1
            fresh.append(record)
        elif known["hash"] != hashes[key] or known["retiredAt"] is not None:
            run.updated += 1
            fresh.append(record)
        else:
            run.unchanged += 1
            unchanged.append(key)

    writer = _Writer(graph, source, run.run_id, started, options, existing, hashes)
    run.changed_projects = [
        f"{source.id}:{record.ref}" for record in fresh if record.kind == "project"
    ]
    if not dry_run:
        for batch in _batches(unchanged, options.batch_size):
            await writer.touch(batch)
        errors.extend(await writer.upsert_all(fresh))
        await store_name_decisions(graph, source.id, run.run_id, writer.name_decisions())

    if not_modified:
        run.unchanged = len(active)
    elif complete and failure is None:
        run.complete = True
        # Everything this pull listed is active once written; a dry run wrote nothing. A record
        # the source still lists but that failed validation is kept as it was.
        listed = set(unique) | still_listed
        run.kept = len(still_listed & active)
        after = active if dry_run else active | set(unique)
        await _retire_missing(after, listed, run, writer, dry_run, options, unidentified)

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


def _rejected_key(source: str, error: RecordError) -> str | None:
    """The record key of a rejected record, where the source named its kind and ref."""
    return f"{source}|{error.kind}|{error.ref}" if error.kind and error.ref else None


def _rejection(source: str, error: RecordError, active: set[str]) -> str:
    if _rejected_key(source, error) in active:
        return f"{error}; the {error.kind} is kept as it was"
    return str(error)


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
            r.rejected = $rejected, r.kept = $kept, r.errors = $errors, r.notes = $notes,
            r.durationMs = $durationMs,
            r.flagReason = $flagReason, r.complete = $complete
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
            "kept": run.kept,
            "errors": run.errors,
            "notes": run.notes,
            "durationMs": run.duration_ms,
            "flagReason": run.flag_reason,
            "complete": run.complete,
            "bookmark": bookmark,
            "etag": etag,
            "keepState": keep_state,
        },
    )


async def _source_assertions(graph: Graph, source: str) -> dict[str, dict[str, Any]]:
    """Everything this source has ever asserted, by record key, in one pass over its links.

    One walk from the Source node costs less than a key-by-key index lookup, answers both
    "is this record new or changed?" and "what is active, so what is missing?", and finds
    nothing at once for a source that never synced. The assertions come back as one row of
    small lists, not a row each: for an unchanged re-load, decoding tens of thousands of Bolt
    records was most of the Python time.
    """
    rows = await graph.read(
        """
        MATCH (:Source {id: $source})-[a:ASSERTS]->(e)
        RETURN collect([a.key, a.hash, a.retiredAt, e.id]) AS assertions
        """,
        {"source": source},
    )
    return {
        key: {"key": key, "hash": hash_, "retiredAt": retired_at, "entity": entity}
        for key, hash_, retired_at, entity in (rows[0]["assertions"] if rows else ())
    }


async def _retire_missing(
    active: set[str],
    listed: set[str],
    run: SyncSummary,
    writer: _Writer,
    dry_run: bool,
    options: IngestOptions,
    unidentified: set[str | None],
) -> None:
    """Retire what the source no longer lists, unless that is too much of it.

    A rejected record that names no ref might be any record of its kind (of any kind when it
    names none), so records of that kind are not retired this time; the run says so.
    """
    missing = sorted(active - listed)
    held = [key for key in missing if None in unidentified or _kind_of(key) in unidentified]
    if held:
        kinds = "records" if None in unidentified else " and ".join(sorted(unidentified)) + "s"
        run.notes.append(
            f"{len(held)} {kinds} missing from this pull were not retired: some rejected "
            "rows name no ref, so they may be those records."
        )
        missing = sorted(set(missing) - set(held))
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
    for key in missing:
        source_id, kind, ref = key.split("|", 2)
        if kind == "project":
            run.changed_projects.append(f"{source_id}:{ref}")


def _kind_of(key: str) -> str:
    return key.split("|", 2)[1]


class _Writer:
    """The Cypher of one run: entities, assertions, links, pruning, touches and retirements.

    Each batch is written with a few simple statements (entities, then the nodes links point
    at, then one statement per link type): small statements plan well, and a shared node (a
    busy topic or trust) is merged once per batch, not once per row. New projects and
    resources, most of a first load, are the exception: each is created with its assertion and
    its links by one statement that finds every end node once (``_CREATE_ENTITIES``).
    """

    def __init__(
        self,
        graph: Graph,
        source: SourceInfo,
        run_id: str,
        now: datetime,
        options: IngestOptions,
        existing: Mapping[str, Mapping[str, Any]],
        hashes: Mapping[str, str],
    ) -> None:
        self.graph = graph
        self.source = source
        self.run_id = run_id
        self.now = now
        self.options = options
        self.existing = existing
        self.hashes = hashes  # computed once per record when sorting new from unchanged
        # What this run has written so far, by record key: read by later kinds' links.
        self.written: dict[str, str] = {}
        self._organisations: OrganisationIndex | None = None
        # Each topic label and organisation reference is resolved once a run, with its row.
        self._topics: dict[str, tuple[str, dict[str, Any]]] = {}
        self._targets: dict[tuple[str | None, str | None], tuple[str, dict[str, Any]]] = {}

    def _params(self, **values: Any) -> dict[str, Any]:
        return {"source": self.source.id, "run": self.run_id, "now": self.now, **values}

    def name_decisions(self) -> list[NameDecision]:
        """How this run resolved organisations by name (rule, score), to keep for explaining."""
        return list(self._organisations.decisions.values()) if self._organisations else []

    async def touch(self, keys: Sequence[str]) -> None:
        await self.graph.write(_KEEP_PLAN + _TOUCH, self._params(keys=list(keys)))

    async def retire(self, keys: Sequence[str]) -> None:
        await self.graph.write(_KEEP_PLAN + _RETIRE, self._params(keys=list(keys)))

    async def upsert_all(self, records: Sequence[Record]) -> list[str]:
        """Write new and changed records, kind by kind in bounded batches; return warnings.

        One batch is written while the next is turned into rows, so Python and Neo4j work at
        the same time; the writes themselves stay one at a time and in order. Turning a batch
        into rows reads only what earlier pulls committed (person candidates of other
        sources) or what this run has already decided (``written``), never the batch before.
        """
        warnings: list[str] = []
        writing: asyncio.Task[None] | None = None
        try:
            for kind in KIND_ORDER:
                of_kind = [r for r in records if r.kind == kind]
                for chunk in _batches(of_kind, self.options.batch_size):
                    batch = await self._rows(kind, chunk, warnings)
                    if writing is not None:
                        await writing
                    writing = asyncio.create_task(self._write(batch))
            if writing is not None:
                await writing
        except BaseException:
            if writing is not None and not writing.done():
                # Let a write that is under way end (commit or roll back) before raising.
                with suppress(BaseException):
                    await writing
            raise
        return warnings

    async def _rows(self, kind: str, records: Sequence[Record], warnings: list[str]) -> _Batch:
        """One batch of records of one kind as rows; its link warnings go to ``warnings``."""
        batch = _Batch(kind)
        if kind == "organisation":
            await self._organisation_rows(records, batch)  # type: ignore[arg-type]
        elif kind == "person":
            await self._person_rows(records, batch)  # type: ignore[arg-type]
        elif kind == "project":
            warnings += await self._project_rows(records, batch)  # type: ignore[arg-type]
        else:
            warnings += await self._resource_rows(records, batch)  # type: ignore[arg-type]
        # Later batches link to these records; if this batch's write fails, the run fails.
        self.written.update(batch.keys)
        return batch

    # -- turning records into rows ---------------------------------------------------------

    async def _organisation_index(self) -> OrganisationIndex:
        if self._organisations is None:
            self._organisations = await load_organisation_index(
                self.graph, self.options.organisation_aliases, self.source.id
            )
        return self._organisations

    async def _organisation_target(self, batch: _Batch, ref: OrganisationRef | None) -> str | None:
        if ref is None:
            return None
        # Resolving the same name and code again gives the same organisation: the index only
        # adds what a resolution found, never changes it, and this run's own organisation
        # records are all resolved before the first reference.
        target = self._targets.get((ref.name, ref.ods_code))
        if target is None:
            index = await self._organisation_index()
            match = index.resolve(ref.name, ref.ods_code)
            row = {
                "id": match.id,
                "name": ref.name or ref.ods_code,
                "odsCode": ref.ods_code,
                "nameKeys": index.name_keys(ref.name) if ref.name else [],
            }
            target = self._targets[(ref.name, ref.ods_code)] = (match.id, row)
        batch.organisations.setdefault(*target)
        return target[0]

    def _topic_targets(self, batch: _Batch, labels: Iterable[str]) -> list[str]:
        ids = []
        for label in labels:
            target = self._topics.get(label)
            if target is None:  # resolving re-normalises every synonym: once per label is enough
                topic = self.options.vocabulary.resolve(label)
                row = {
                    "id": topic.id,
                    "label": topic.label,
                    "candidate": topic.candidate,
                    "keys": list(topic.keys),
                    "synonyms": list(topic.synonyms),
                }
                target = self._topics[label] = (topic.id, row)
            batch.topics.setdefault(*target)
            ids.append(target[0])
        return list(dict.fromkeys(ids))

    def _entity(
        self,
        batch: _Batch,
        record: Record,
        entity_id: str,
        rule: str,
        props: dict[str, Any],
        *,
        new_node: bool = False,
    ) -> None:
        key = record_key(self.source.id, record)
        batch.keys[key] = entity_id
        known = self.existing.get(key)
        assertion = {
            "key": key,
            "ref": record.ref,
            "kind": record.kind,
            "hash": self.hashes[key],
            "record": record.model_dump_json(exclude_none=True),
        }
        if known is None and (batch.kind in _OWNED_KINDS or new_node):
            # A project or resource belongs to its one source: a new record is a new node,
            # created with its assertion and links by one statement. So is a new person
            # who matched nobody (``new_node``): no link of this source can point at them yet.
            assertion["rule"] = rule
            row = {"id": entity_id, "props": props, "assertion": assertion}
            batch.fresh[entity_id] = row
            batch.new_entities.append(row)
            return
        batch.entities.append({"id": entity_id, "props": props})
        if known is None:
            batch.new_assertions.append({"id": entity_id, "props": {**assertion, "rule": rule}})
        else:
            batch.changed_assertions.append({"id": entity_id, "props": assertion})
            batch.changed_ids.append(entity_id)

    async def _organisation_rows(
        self, records: Sequence[OrganisationRecord], batch: _Batch
    ) -> None:
        index = await self._organisation_index()
        for number, record in enumerate(records):
            if number % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
            known = self.existing.get(record_key(self.source.id, record))
            if known is not None:
                entity_id, rule = known["entity"], "same_record"
            else:
                match = index.resolve(record.name, record.ods_code, record.org_type)
                entity_id, rule = match.id, match.rule
            index.learn(entity_id, record)
            keys = index.name_keys(record.name, record.aliases)
            for key in keys:
                index.remember(entity_id, key, record.ods_code)
            self._entity(
                batch,
                record,
                entity_id,
                rule,
                {
                    "name": record.name,
                    "sector": record.sector.value if record.sector else None,
                    "orgType": record.org_type,
                    "website": record.website,
                    "formerNames": record.former_names,
                    "formerCodes": record.former_codes,
                    "successorCodes": record.successors,
                    "closedOn": record.closed_on,
                },
            )
            batch.entities[-1].update(
                odsCode=record.ods_code, aliases=record.aliases, nameKeys=keys
            )
            if record.system:
                batch.link("PART_OF", "System", entity_id, record.system)

    async def _person_rows(self, records: Sequence[PersonRecord], batch: _Batch) -> None:
        salt = self.options.identity_salt
        employers = [await self._organisation_target(batch, r.organisation) for r in records]
        identity = {r.ref: person_identity_keys(r, salt) for r in records}
        by_key, in_organisation = await load_person_candidates(
            self.graph,
            [key for keys in identity.values() for key in keys],
            [org for org in employers if org],
        )
        for number, (record, employer) in enumerate(zip(records, employers, strict=True)):
            if number % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
            known = self.existing.get(record_key(self.source.id, record))
            if known is not None:
                person_id, rule = known["entity"], "same_record"
            else:
                match = resolve_person(
                    record,
                    source=self.source.id,
                    organisation_id=employer,
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
            offers = [offer.value for offer in record.offers]
            self._entity(
                batch,
                record,
                person_id,
                rule,
                {
                    "name": record.name,
                    "role": record.role,
                    "orcid": record.orcid,
                    "bio": record.bio,
                    "email": record.email if consent else None,
                    "phone": record.phone if consent else None,
                },
                new_node=rule == "new",
            )
            fresh = batch.fresh.get(person_id)
            if fresh is not None:
                # What _UPSERT_ENTITIES["person"] works out against an existing node, for none.
                fresh["props"].update(
                    contactConsent=consent, public=record.public, offers=list(dict.fromkeys(offers))
                )
                fresh["keys"] = identity[record.ref]
            else:
                row = batch.entities[-1]
                row.update(contactConsent=consent, public=record.public, offers=offers)
                batch.person_keys += [{"key": k, "id": person_id} for k in identity[record.ref]]
            if employer:
                batch.link("WORKS_FOR", "Organisation", person_id, employer)
            for topic in self._topic_targets(batch, record.interests):
                batch.link("INTERESTED_IN", "Topic", person_id, topic)

    def _active_entity(self, key: str) -> str | None:
        """The entity behind a record key of this source, unless that record is retired."""
        if key in self.written:
            return self.written[key]
        known = self.existing.get(key)
        if known is None or known["retiredAt"] is not None:
            return None
        return str(known["entity"])

    async def _project_rows(self, records: Sequence[ProjectRecord], batch: _Batch) -> list[str]:
        warnings = []
        for number, record in enumerate(records):
            if number % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
            project_id = f"{self.source.id}:{record.ref}"
            self._entity(
                batch,
                record,
                project_id,
                "new",
                {
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
            )
            lead = await self._organisation_target(batch, record.lead_organisation)
            if lead:
                batch.link("RUN_BY", "Organisation", project_id, lead)
            for partner in record.partner_organisations:
                partner_id = await self._organisation_target(batch, partner)
                if partner_id and partner_id != lead:
                    batch.link("IN_PARTNERSHIP_WITH", "Organisation", project_id, partner_id)
            for topic in self._topic_targets(batch, record.topics):
                batch.link("ABOUT", "Topic", project_id, topic)
            for member in record.members:
                person = self._active_entity(f"{self.source.id}|person|{member.person}")
                if person is None:
                    warnings.append(
                        f"{self.source.id}, project {record.ref!r}, field 'members': person "
                        f"{member.person!r} is not listed by this source; the link was left out"
                    )
                    continue
                batch.link(
                    "WORKS_ON",
                    "Project",
                    person,
                    project_id,
                    {"role": member.role},
                    start="Person",
                )
        return warnings

    async def _resource_rows(self, records: Sequence[ResourceRecord], batch: _Batch) -> list[str]:
        warnings = []
        for number, record in enumerate(records):
            if number % _YIELD_EVERY == 0:
                await asyncio.sleep(0)  # let the batch being written go on to its next statement
            resource_id = f"{self.source.id}:{record.ref}"
            self._entity(
                batch,
                record,
                resource_id,
                "new",
                {
                    "title": record.title,
                    "resourceType": record.resource_type.value,
                    "summary": record.summary,
                    "url": record.url,
                    "published": record.published,
                },
            )
            publisher = await self._organisation_target(batch, record.organisation)
            if publisher:
                batch.link("PUBLISHED_BY", "Organisation", resource_id, publisher)
            for topic in self._topic_targets(batch, record.topics):
                batch.link("ABOUT", "Topic", resource_id, topic)
            if record.project:
                # A project of this source that this run wrote, or an earlier one still listed.
                project_id = self._active_entity(f"{self.source.id}|project|{record.project}")
                if project_id is not None:
                    batch.link("FROM", "Project", resource_id, project_id)
                else:
                    warnings.append(
                        f"{self.source.id}, resource {record.ref!r}, field 'project': project "
                        f"{record.project!r} is not listed by this source; the link was left out"
                    )
        return warnings

    # -- writing rows ----------------------------------------------------------------------

    async def _write(self, batch: _Batch) -> None:
        """All statements of one batch in one transaction: a batch lands whole or not at all."""
        label = _LABELS[batch.kind]
        statements: list[tuple[LiteralString, dict[str, Any]]] = []
        if batch.organisations:
            rows = list(batch.organisations.values())
            statements.append((_MERGE_ORGANISATIONS, self._params(rows=rows)))
        if batch.topics:
            statements.append((_MERGE_TOPICS, self._params(rows=list(batch.topics.values()))))
        if batch.new_entities:
            ends = {end: list(batch.ends.get(end, ())) for end in _END_LABELS}
            rows = batch.new_entities
            statements.append((_CREATE_ENTITIES[label], self._params(rows=rows, ends=ends)))
        if batch.entities:
            statements.append((_UPSERT_ENTITIES[batch.kind], self._params(rows=batch.entities)))
        if batch.new_assertions:
            statements.append((_CREATE_ASSERTIONS[label], self._params(rows=batch.new_assertions)))
        if batch.changed_assertions:
            rows = batch.changed_assertions
            statements.append((_UPDATE_ASSERTIONS[label], self._params(rows=rows)))
        if batch.person_keys:
            statements.append((_MERGE_PERSON_KEYS, self._params(rows=batch.person_keys)))
        for link_type, rows in batch.links.items():
            statements.append((_LINKS[link_type], self._params(rows=rows)))
        if batch.changed_ids:
            statements.append((_PRUNE[batch.kind], self._params(ids=batch.changed_ids)))
        await self.graph.write_many([(_KEEP_PLAN + query, params) for query, params in statements])


@dataclass
class _Batch:
    """Rows of one batch, grouped by the statement that writes them."""

    kind: str
    keys: dict[str, str] = field(default_factory=dict)
    entities: list[dict[str, Any]] = field(default_factory=list)
    new_entities: list[dict[str, Any]] = field(default_factory=list)
    # New projects and resources by id: their rows also carry their links (_CREATE_ENTITIES).
    fresh: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The nodes those links point at, by label: id -> position in the statement's list.
    ends: dict[str, dict[str, int]] = field(default_factory=dict)
    new_assertions: list[dict[str, Any]] = field(default_factory=list)
    changed_assertions: list[dict[str, Any]] = field(default_factory=list)
    changed_ids: list[str] = field(default_factory=list)
    organisations: dict[str, dict[str, Any]] = field(default_factory=dict)
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)
    person_keys: list[dict[str, str]] = field(default_factory=list)
    links: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    linked: set[tuple[str, str, str]] = field(default_factory=set)

    def link(
        self,
        rel_type: str,
        end: str,
        start_id: str,
        end_id: str,
        props: dict[str, Any] | None = None,
        *,
        start: str | None = None,
    ) -> None:
        if (rel_type, start_id, end_id) in self.linked:
            return  # a record that names the same partner or member twice means one link
        self.linked.add((rel_type, start_id, end_id))
        start_label = start or _LABELS[self.kind]
        # A new project or resource is created with its links, in one statement: each link
        # is a position in the list of its end nodes, which that statement finds once each.
        own, other, other_label = (
            (start_id, end_id, end) if start is None else (end_id, start_id, start_label)
        )
        if own in self.fresh:
            positions = self.ends.setdefault(other_label, {})
            position = positions.setdefault(other, len(positions))
            links = self.fresh[own].setdefault(rel_type, [])
            links.append([position, props["role"]] if props else position)
            return
        rows = self.links.setdefault((rel_type, start_label, end), [])
        rows.append({"from": start_id, "to": end_id, "props": props or {}})


# --- statements ------------------------------------------------------------------------------
# Labels and relationship types below come from these fixed tables, never from input.

# Every batch statement runs with the plan it got the first time. Without this, a first load
# (each batch grows the counts the planner reads) re-plans every statement about every ten
# seconds, and that planning, with the JIT compiling the planner, was about half of Neo4j's
# CPU. The statements seek by unique keys whatever the counts are; tests/test_ingest_plans.py
# checks their plans on an empty graph, where a frozen plan is made.
_KEEP_PLAN: LiteralString = "CYPHER replan=skip "

_LABELS: dict[str, LiteralString] = {
    "organisation": "Organisation",
    "person": "Person",
    "project": "Project",
    "resource": "Resource",
}

_TOUCH: LiteralString = """
UNWIND $keys AS key
MATCH ()-[a:ASSERTS {key: key}]->()
SET a.lastSeen = $now, a.lastRun = $run
"""

_RETIRE: LiteralString = """
UNWIND $keys AS key
MATCH ()-[a:ASSERTS {key: key}]->(e)
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
"""

_MERGE_ORGANISATIONS: LiteralString = """
UNWIND $rows AS row
MERGE (o:Organisation {id: row.id})
ON CREATE SET o.name = row.name, o.odsCode = row.odsCode, o.nameKeys = row.nameKeys,
              o.firstSeen = $now
"""

_MERGE_TOPICS: LiteralString = """
UNWIND $rows AS row
MERGE (t:Topic {id: row.id})
ON CREATE SET t.label = row.label, t.candidate = row.candidate, t.keys = row.keys,
              t.synonyms = row.synonyms
"""

_MERGE_PERSON_KEYS: LiteralString = """
UNWIND $rows AS row
MATCH (p:Person {id: row.id})
MERGE (k:PersonKey {key: row.key})
MERGE (k)-[:IDENTIFIES]->(p)
"""


def _union(property_name: LiteralString, value: LiteralString) -> LiteralString:
    return (
        "reduce(xs = coalesce(e."
        + property_name
        + ", []), x IN "
        + value
        + " | CASE WHEN x IN xs THEN xs ELSE xs + x END)"
    )


_UPSERT_ENTITIES: dict[str, LiteralString] = {
    "organisation": """
        UNWIND $rows AS row
        MERGE (e:Organisation {id: row.id})
        ON CREATE SET e.firstSeen = $now
        SET e += row.props, e.odsCode = coalesce(row.odsCode, e.odsCode), e.retiredAt = null,
            e.aliases = """
    + _union("aliases", "row.aliases")
    + """,
            e.nameKeys = """
    + _union("nameKeys", "row.nameKeys"),
    # A person may be described by several sources: fill gaps, never blank what another gave.
    "person": """
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
            e.offers = """
    + _union("offers", "row.offers")
    + """,
            e.retiredAt = null""",
    "project": """
        UNWIND $rows AS row
        MERGE (e:Project {id: row.id})
        ON CREATE SET e.firstSeen = $now
        SET e += row.props, e.retiredAt = null""",
    "resource": """
        UNWIND $rows AS row
        MERGE (e:Resource {id: row.id})
        ON CREATE SET e.firstSeen = $now
        SET e += row.props, e.retiredAt = null""",
}

_OWNED_KINDS = {"project", "resource"}

# The links a new project or resource is created with: (type, end label), and for each end
# label the list the statement finds its nodes in. WORKS_ON comes from a person (with a role).
_FRESH_LINKS: dict[LiteralString, list[tuple[LiteralString, LiteralString]]] = {
    "Project": [
        ("RUN_BY", "Organisation"),
        ("IN_PARTNERSHIP_WITH", "Organisation"),
        ("ABOUT", "Topic"),
        ("WORKS_ON", "Person"),
    ],
    "Resource": [("PUBLISHED_BY", "Organisation"), ("ABOUT", "Topic"), ("FROM", "Project")],
    "Person": [("WORKS_FOR", "Organisation"), ("INTERESTED_IN", "Topic")],
}
_END_LABELS = ("Organisation", "Topic", "Person", "Project")
_LINK_PROVENANCE: LiteralString = "source: $source, firstSeen: $now, lastSeen: $now, lastRun: $run"


def _ends(label: LiteralString) -> LiteralString:
    # Positions, not a map: a node not found stays a null at its place and is skipped below.
    return (
        "CALL { UNWIND range(0, size($ends."
        + label
        + ") - 1) AS i OPTIONAL MATCH (n:"
        + label
        + " {id: $ends."
        + label
        + "[i]}) WITH i, n ORDER BY i RETURN collect([n]) AS ends"
        + label
        + " }\n"
    )


def _fresh_link(rel: LiteralString, end: LiteralString) -> LiteralString:
    if rel == "WORKS_ON":
        return (
            "FOREACH (m IN [m IN coalesce(row.WORKS_ON, []) WHERE endsPerson[m[0]][0] IS NOT NULL"
            " | [endsPerson[m[0]][0], m[1]]] | FOREACH (p IN [m[0]] |\n"
            "  CREATE (p)-[:WORKS_ON {" + _LINK_PROVENANCE + ", role: m[1]}]->(e)))\n"
        )
    return (
        "FOREACH (b IN [i IN coalesce(row."
        + rel
        + ", []) WHERE ends"
        + end
        + "[i][0] IS NOT NULL | ends"
        + end
        + "[i][0]] |\n  CREATE (e)-[:"
        + rel
        + " {"
        + _LINK_PROVENANCE
        + "}]->(b))\n"
    )


def _create_entities(label: LiteralString) -> LiteralString:
    ends = list(dict.fromkeys(end for _, end in _FRESH_LINKS[label]))
    return (
        "MATCH (s:Source {id: $source})\n"
        + "".join(_ends(end) for end in ends)
        + "UNWIND $rows AS row\nCREATE (e:"
        + label
        + " {id: row.id})\nSET e += row.props, e.firstSeen = $now\n"
        + "CREATE (s)-[a:ASSERTS]->(e)\n"
        + "SET a = row.assertion, a.firstSeen = $now, a.lastSeen = $now, a.lastRun = $run\n"
        + "".join(_fresh_link(rel, end) for rel, end in _FRESH_LINKS[label])
        + (_FRESH_PERSON_KEYS if label == "Person" else "")
    )


# A new person's identity keys: a key may already identify someone else (kept apart as
# ambiguous), so it is merged; the new person's link to it cannot exist yet.
_FRESH_PERSON_KEYS: LiteralString = (
    "FOREACH (key IN coalesce(row.keys, []) |\n"
    "  MERGE (k:PersonKey {key: key}) CREATE (k)-[:IDENTIFIES]->(e))\n"
)


# A new project or resource (it belongs to its one source) with its assertion and its links:
# one statement, each end node found once per batch rather than once per link.
_CREATE_ENTITIES: dict[str, LiteralString] = {
    label: _create_entities(label) for label in ("Project", "Resource", "Person")
}

_CREATE_ASSERTIONS: dict[str, LiteralString] = {
    label: """
        MATCH (s:Source {id: $source})
        UNWIND $rows AS row
        MATCH (e:"""
    + label
    + """ {id: row.id})
        CREATE (s)-[a:ASSERTS]->(e)
        SET a = row.props, a.firstSeen = $now, a.lastSeen = $now, a.lastRun = $run"""
    for label in _LABELS.values()
}

_UPDATE_ASSERTIONS: dict[str, LiteralString] = {
    label: """
        UNWIND $rows AS row
        MATCH ()-[a:ASSERTS {key: row.props.key}]->(:"""
    + label
    + """)
        SET a += row.props, a.lastSeen = $now, a.lastRun = $run, a.retiredAt = null"""
    for label in _LABELS.values()
}

LINK_TYPES: list[tuple[LiteralString, LiteralString, LiteralString]] = [
    ("PART_OF", "Organisation", "System"),
    ("WORKS_FOR", "Person", "Organisation"),
    ("INTERESTED_IN", "Person", "Topic"),
    ("RUN_BY", "Project", "Organisation"),
    ("IN_PARTNERSHIP_WITH", "Project", "Organisation"),
    ("ABOUT", "Project", "Topic"),
    ("WORKS_ON", "Person", "Project"),
    ("PUBLISHED_BY", "Resource", "Organisation"),
    ("ABOUT", "Resource", "Topic"),
    ("FROM", "Resource", "Project"),
]

_LINKS: dict[tuple[str, str, str], LiteralString] = {
    (rel, start, end): """
        UNWIND $rows AS row
        MATCH (a:"""
    + start
    + """ {id: row.from})
        MATCH (b:"""
    + end
    + """ {id: row.to})
        MERGE (a)-[r:"""
    + rel
    + """ {source: $source}]->(b)
        ON CREATE SET r.firstSeen = $now
        SET r += row.props, r.lastSeen = $now, r.lastRun = $run, r.retiredAt = null"""
    for rel, start, end in LINK_TYPES
}

# After a changed record is written, the links of its source that it no longer implies go.
_PRUNE: dict[str, LiteralString] = {
    kind: """
        UNWIND $ids AS id
        MATCH (e:"""
    + _LABELS[kind]
    + """ {id: id})-[r:"""
    + types
    + """]-()
        WHERE r.source = $source AND r.lastRun <> $run
        DELETE r"""
    for kind, types in [
        ("organisation", "PART_OF"),
        ("person", "WORKS_FOR|INTERESTED_IN"),
        ("project", "RUN_BY|IN_PARTNERSHIP_WITH|ABOUT|WORKS_ON"),
        ("resource", "PUBLISHED_BY|ABOUT|FROM"),
    ]
}


def batch_statements() -> list[LiteralString]:
    """Every statement a batch, touch or retirement runs (each with ``_KEEP_PLAN``)."""
    return [
        _TOUCH,
        _RETIRE,
        _MERGE_ORGANISATIONS,
        _MERGE_TOPICS,
        _MERGE_PERSON_KEYS,
        *_UPSERT_ENTITIES.values(),
        *_CREATE_ENTITIES.values(),
        *_CREATE_ASSERTIONS.values(),
        *_UPDATE_ASSERTIONS.values(),
        *_LINKS.values(),
        *_PRUNE.values(),
    ]
