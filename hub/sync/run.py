"""Sync: the partners file, through the connectors, into the graph.

Pulls run concurrently, within a global bound and a smaller one per host, so no partner's
server sees more than a couple of requests from us at a time. Ingestion runs one source at a
time in partners-file order, so entity resolution sees a settled graph and the same file gives
the same graph every time. One source failing, even with a bug, never stops the others.
Members' contributions whose publishing failed after a decision are published again at the end.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

import httpx

from connectors.partners import REGISTRY_SOURCE, PartnerConfig, PartnersFile, Source
from connectors.pull import new_client, partner_records, pull_source
from connectors.result import PullResult, SourceState
from graph.access import store_partners
from graph.contributions import publish, store
from graph.contributions.records import partner_of
from graph.database import Graph
from graph.impact import recount_scored
from graph.ingest import (
    IngestOptions,
    SourceInfo,
    SyncSummary,
    SystemInfo,
    source_state,
    store_systems,
    sync_source,
)
from graph.kept import refresh_kept
from graph.owed import Owed, owe, owed, paid
from graph.similarity.engine import SimilaritySummary, update_similarity
from graph.vocabulary import store_vocabulary

log = logging.getLogger(__name__)

REGISTRY = SourceInfo(REGISTRY_SOURCE, "convener", "Partners file", "registry")


@dataclass
class SourceOutcome:
    """One source's pull and what ingesting it did."""

    partner: str
    source: str
    kind: str
    summary: SyncSummary
    pull: PullResult | None = None

    @property
    def failed(self) -> bool:
        return self.summary.status == "failed"


@dataclass
class SyncReport:
    registry: SyncSummary
    outcomes: list[SourceOutcome] = field(default_factory=list)
    similarity: SimilaritySummary | None = None  # similar projects re-scored after the sync
    similarity_error: str | None = None
    links_error: str | None = None

    @property
    def failed(self) -> list[SourceOutcome]:
        return [outcome for outcome in self.outcomes if outcome.failed]

    @property
    def flagged(self) -> list[SourceOutcome]:
        """Sources whose deletion guard held back retirement: a person should look at them."""
        return [outcome for outcome in self.outcomes if outcome.summary.status == "flagged"]

    @property
    def ok(self) -> bool:
        """No source failed or was flagged (`convener sync` exits 1 otherwise, so cron notices)."""
        return (
            not self.failed
            and not self.flagged
            and self.registry.status not in ("failed", "flagged")
        )


@dataclass(frozen=True)
class SyncLimits:
    """How many pulls at once, and how many to one host (politeness)."""

    concurrency: int = 4
    per_host: int = 2


# (source id, stage) where stage is "pulling", "ingesting" or "done"
Progress = Callable[[str, str, SourceOutcome | None], None]


def partner_access(partners: PartnersFile) -> list[dict[str, object]]:
    """What access control needs of each partner: its id, name and embed origins."""
    return [
        {"id": p.id, "name": p.name, "embedOrigins": list(p.embed_origins)}
        for p in partners.partners
    ]


def selected_sources(
    partners: PartnersFile,
    partner_id: str | None = None,
    source_ids: Collection[str] | None = None,
) -> list[tuple[PartnerConfig, Source]]:
    """Enabled sources, of one partner and/or among ``source_ids`` when asked; raises
    ``KeyError`` for an unknown partner."""
    if partner_id is not None and partner_id not in {p.id for p in partners.partners}:
        raise KeyError(partner_id)
    return [
        (partner, source)
        for partner, source in partners.sources()
        if source.enabled
        and (partner_id is None or partner.id == partner_id)
        and (source_ids is None or source.id in source_ids)
    ]


async def run_sync(
    graph: Graph,
    partners: PartnersFile,
    *,
    partner_id: str | None = None,
    source_ids: Collection[str] | None = None,
    dry_run: bool = False,
    full: bool = False,
    full_sources: Collection[str] = (),
    limits: SyncLimits = SyncLimits(),
    options: IngestOptions | None = None,
    env: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Store systems and the partner registry, then pull and ingest every selected source.

    ``source_ids`` narrows the pull to those sources (a scheduler's due ones). ``full`` ignores
    incremental state (bookmarks, ETags) for every source, ``full_sources`` for those only: a
    full pull can retire records that an incremental one cannot see were removed.
    """
    options = options or IngestOptions()
    notify = progress or (lambda _source, _stage, _outcome: None)
    vocabulary_changed = False  # the kept facets show topics' labels
    if not dry_run:
        systems = [SystemInfo(s.id, s.name, s.kind, tuple(s.neighbours)) for s in partners.systems]
        await store_systems(graph, systems)
        vocabulary_changed = await store_vocabulary(graph, options.vocabulary)
        await store_partners(graph, partner_access(partners))
    registry = await sync_source(
        graph,
        REGISTRY,
        partner_records(partners),
        dry_run=dry_run,
        options=options,
        keep_links=False,
    )
    report = SyncReport(registry=registry)
    chosen = selected_sources(partners, partner_id, source_ids)
    global_slots = asyncio.Semaphore(limits.concurrency)
    host_slots: dict[str, asyncio.Semaphore] = {}

    async def pull(partner: PartnerConfig, source: Source, http: httpx.AsyncClient) -> PullResult:
        in_full = full or source.id in full_sources
        state = SourceState() if in_full else SourceState(**await source_state(graph, source.id))
        host = host_slots.setdefault(source.host or source.id, asyncio.Semaphore(limits.per_host))
        async with host, global_slots:
            notify(source.id, "pulling", None)
            return await pull_source(partner, source, state, client=http, env=env)

    async with new_client() as http:
        pulls = [asyncio.create_task(pull(partner, source, http)) for partner, source in chosen]
        try:
            for (partner, source), task in zip(chosen, pulls, strict=True):
                outcome = await _ingest(graph, partner, source, task, dry_run, options, notify)
                report.outcomes.append(outcome)
                notify(source.id, "done", outcome)
        finally:
            for task in pulls:
                task.cancel()
    if not dry_run:
        summaries = (registry, *(o.summary for o in report.outcomes))
        changed = Owed(
            entities=frozenset(e for s in summaries for e in s.changed_entities),
            recount=vocabulary_changed
            or any(s.created or s.updated or s.retired for s in summaries),
            projects=frozenset(p for s in summaries for p in s.changed_projects),
        )
        await _follow_up(graph, changed, report)
        report.outcomes += await _publish_behind(graph, partner_id, options, notify)
    return report


async def _follow_up(graph: Graph, changed: Owed, report: SyncReport) -> None:
    """Refresh what the graph keeps and re-score the changed projects, with what earlier syncs
    owed (``graph.owed``). A step that fails does not fail the sync: the report says why, and
    its work is owed to the next sync."""
    earlier = await owed(graph)
    work = changed | earlier
    failed = Owed()
    try:
        await refresh_kept(graph, work.entities, recount_needed=work.recount)
    except Exception as error:  # the sync itself succeeded; say so, and why not
        log.exception("refreshing kept links and counts after the sync failed")
        report.links_error = (
            f"links between organisations and kept counts were not refreshed: {error}"
        )
        failed |= Owed(entities=work.entities, recount=work.recount)
    if work.projects:
        try:
            report.similarity = await update_similarity(graph, sorted(work.projects))
        except Exception as error:  # the sync itself succeeded; say so, and why not scored
            log.exception("re-scoring similar projects after the sync failed")
            report.similarity_error = f"similar projects were not re-scored: {error}"
            failed |= Owed(projects=work.projects, scored=True)
    if (work.projects or work.scored) and not failed.projects:
        try:
            await recount_scored(graph)
        except Exception as error:  # scored; the next sync counts again
            log.exception("counting the kept duplicates found after scoring failed")
            problem = f"Impact's kept duplicates found were not counted again: {error}"
            report.links_error = "; ".join(filter(None, (report.links_error, problem)))
            failed |= Owed(scored=True)
    if failed:
        await owe(graph, failed)
    else:
        await paid(graph, earlier)


async def _publish_behind(
    graph: Graph, partner_id: str | None, options: IngestOptions, notify: Progress
) -> list[SourceOutcome]:
    """Publish again the members' contributions whose publishing failed after a decision
    (each publish keeps its own links and scores, as a decision's does)."""
    outcomes = []
    for source_id in await store.sources_behind(graph, partner_id):
        notify(source_id, "ingesting", None)
        partner = partner_of(source_id)
        try:
            summary = await publish.publish(graph, source_id, options)
        except Exception as error:  # as a partner's source: this one fails, the report says so
            log.exception("publishing %s again failed", source_id)
            message = f"{source_id}: publishing failed ({type(error).__name__}: {error})"
            summary = SyncSummary(run_id="", source=source_id, status="failed", errors=[message])
        outcome = SourceOutcome(partner, source_id, "contributions", summary)
        notify(source_id, "done", outcome)
        outcomes.append(outcome)
    return outcomes


async def _ingest(
    graph: Graph,
    partner: PartnerConfig,
    source: Source,
    task: asyncio.Task[PullResult],
    dry_run: bool,
    options: IngestOptions,
    notify: Progress,
) -> SourceOutcome:
    info = SourceInfo(source.id, partner.id, source.name or source.id, source.kind)
    try:
        result = await task
        notify(source.id, "ingesting", None)
        summary = await sync_source(
            graph,
            info,
            result.records,
            rejected=result.errors,
            complete=result.complete,
            failure=result.failure,
            not_modified=result.not_modified,
            bookmark=result.state.bookmark,
            etag=result.state.etag,
            dry_run=dry_run,
            options=options,
            notes=result.notes,
            keep_links=False,
        )
    except Exception as error:  # the database, or a bug: this source fails, the rest go on
        log.exception("syncing %s failed", source.id)
        message = f"{source.id}: sync failed ({type(error).__name__}: {error})"
        summary = SyncSummary(run_id="", source=source.id, status="failed", errors=[message])
        return SourceOutcome(partner.id, source.id, source.kind, summary)
    return SourceOutcome(partner.id, source.id, source.kind, summary, result)
