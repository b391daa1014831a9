"""One pull of one source, end to end: sort its records into new, changed and unchanged
against what the source asserted before, write them, retire what it no longer lists, and
record the run."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from connectors.records import Record, RecordError
from graph.database import Graph
from graph.ingest import statements
from graph.ingest.batches import BatchWriter
from graph.ingest.options import IngestOptions
from graph.ingest.retirement import retire_missing
from graph.ingest.rows import RowBuilder, content_hash, record_key
from graph.ingest.runs import (
    MAX_STORED_ERRORS,
    SyncSummary,
    close_stale_runs,
    finish_run,
    new_run,
    running,
)
from graph.ingest.sources import SourceInfo
from graph.kept import refresh_kept
from graph.organisations.decisions import store_name_decisions
from graph.version import bump_version


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
    notes: Sequence[str] = (),
    keep_links: bool = True,
    now: datetime | None = None,
) -> SyncSummary:
    """Ingest one pull of one source and record it as a SyncRun.

    ``complete`` says the pull listed everything the source has (so what is missing may be
    retired); ``failure`` says the pull broke (what did arrive is still ingested, nothing is
    retired); ``not_modified`` says the source answered that nothing changed; ``notes`` are
    what the pull itself noted (retries, an empty feed), kept with the run. What the graph keeps
    worked out (``graph.kept``: the links between the organisations the pull touched, kept
    counts) is refreshed, unless ``keep_links`` is False: a caller syncing many sources
    refreshes it once, from every run's ``changed_entities`` and counts. Runs of this
    source that an earlier process left running are closed first (``close_stale_runs``).
    ``now`` is when the pull happened (default: this moment): provenance's first and last seen
    and the run's start take it, so a history can be replayed (tests of impact series do).
    """
    options = options or IngestOptions()
    started = now or datetime.now(UTC)
    clock = time.monotonic()
    run = new_run(source, started, dry_run=dry_run)
    run.notes.extend(notes)
    if not dry_run:
        await close_stale_runs(graph, stale_after=options.stale_run_after, source_id=source.id)
    try:
        async with running(graph, source, run, started):
            await _ingest(
                graph,
                source.id,
                run,
                records,
                rejected,
                complete=complete,
                failure=failure,
                not_modified=not_modified,
                options=options,
                now=started,
                keep_links=keep_links,
            )
            run.duration_ms = int((time.monotonic() - clock) * 1000)
            if not dry_run:
                await finish_run(graph, run, bookmark, etag, failure is None)
    finally:
        # Whatever was written, even by a run that then failed, changes answers.
        if not dry_run and (run.created or run.updated or run.retired):
            await bump_version(graph)
    return run


async def _ingest(
    graph: Graph,
    source_id: str,
    run: SyncSummary,
    records: Iterable[Record],
    rejected: Sequence[RecordError],
    *,
    complete: bool,
    failure: str | None,
    not_modified: bool,
    options: IngestOptions,
    now: datetime,
    keep_links: bool,
) -> None:
    """Sort, write and retire what one pull delivered; what it did goes into ``run``."""
    dry_run = run.dry_run
    existing = await _source_assertions(graph, source_id)
    active = {key for key, known in existing.items() if known["retiredAt"] is None}

    errors = [_rejection(source_id, error, active) for error in rejected]
    unique = _unique_records(source_id, records, errors)
    run.rejected = len(rejected) + (len(errors) - len(rejected))
    still_listed = {_rejected_key(source_id, error) for error in rejected} - {None}
    unidentified = {error.kind for error in rejected if _rejected_key(source_id, error) is None}
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

    writer = BatchWriter(graph, source_id, run.run_id, now, options.batch_size)
    rows = RowBuilder(graph, source_id, options, existing, hashes)
    run.changed_projects = [
        f"{source_id}:{record.ref}" for record in fresh if record.kind == "project"
    ]
    if not dry_run:
        await writer.touch(unchanged)
        errors.extend(await writer.upsert(fresh, rows))
        await store_name_decisions(graph, source_id, run.run_id, rows.name_decisions())

    if not_modified:
        run.unchanged = len(active)
    elif complete and failure is None:
        run.complete = True
        # Everything this pull listed is active once written; a dry run wrote nothing. A record
        # the source still lists but that failed validation is kept as it was.
        listed = set(unique) | still_listed
        run.kept = len(still_listed & active)
        after = active if dry_run else active | set(unique)
        await retire_missing(after, listed, run, writer, dry_run, options, unidentified)

    if not dry_run:
        run.changed_entities = _changed_entities(rows, fresh, existing, run, source_id)
        if keep_links:
            changed = bool(run.created or run.updated or run.retired)
            await refresh_kept(graph, run.changed_entities, recount_needed=changed)

    if failure is not None:
        run.status = "failed"
        errors.insert(0, f"{source_id}: {failure}")
    elif run.flag_reason is not None:
        run.status = "flagged"
    else:
        run.status = "succeeded"
    run.errors = errors[:MAX_STORED_ERRORS]


LINKING_KINDS = ("organisation", "person", "project")
"""The kinds whose changes can change links between organisations."""


def _changed_entities(
    rows: RowBuilder,
    fresh: Sequence[Record],
    existing: Mapping[str, Mapping[str, Any]],
    run: SyncSummary,
    source_id: str,
) -> list[str]:
    """The organisations, people and projects this pull wrote or retired."""
    written = [
        rows.written[key]
        for record in fresh
        if record.kind in LINKING_KINDS and (key := record_key(source_id, record)) in rows.written
    ]
    retired = run.would_retire if run.retired else []
    ended = [existing[key]["entity"] for key in retired if key.split("|", 2)[1] in LINKING_KINDS]
    return written + ended


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


async def _source_assertions(graph: Graph, source: str) -> dict[str, dict[str, Any]]:
    """Everything this source has ever asserted, by record key, in one pass over its links.

    One walk from the Source node costs less than a key-by-key index lookup, answers both
    "is this record new or changed?" and "what is active, so what is missing?", and finds
    nothing at once for a source that never synced.
    """
    rows = await graph.read(statements.SOURCE_ASSERTIONS, {"source": source})
    return {
        key: {"key": key, "hash": hash_, "retiredAt": retired_at, "entity": entity}
        for key, hash_, retired_at, entity in (rows[0]["assertions"] if rows else ())
    }
