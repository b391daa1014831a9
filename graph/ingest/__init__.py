"""Ingestion: one pull of one source becomes batched, idempotent writes with provenance.

Each record is written through ``(:Source)-[:ASSERTS {key, hash, rule, ...}]->(entity)``.
Unchanged records (same content hash) are only marked as seen; new and changed ones are
resolved and upserted with ``UNWIND`` + ``MERGE`` in bounded batches. After a complete,
successful pull, what the source no longer lists is retired for that source alone, unless
that would retire more than a set share of it, in which case nothing is retired and the run is
flagged. See docs/graph-model.md for the stored shape.

``sync`` runs one pull end to end; ``runs`` keeps its SyncRun and closes abandoned ones;
``rows`` turns records into rows; ``batches`` writes them; ``retirement`` decides what a
complete pull retires; ``statements`` holds every Cypher statement; ``sources`` stores
systems and reads a source's incremental state; ``options`` says how all of it resolves and
protects.
"""

from graph.ingest.options import IngestOptions
from graph.ingest.runs import SyncSummary, close_stale_runs
from graph.ingest.sources import SourceInfo, SystemInfo, source_state, store_systems
from graph.ingest.statements import LINK_TYPES, batch_statements
from graph.ingest.sync import sync_source

__all__ = [
    "LINK_TYPES",
    "IngestOptions",
    "SourceInfo",
    "SyncSummary",
    "SystemInfo",
    "batch_statements",
    "close_stale_runs",
    "source_state",
    "store_systems",
    "sync_source",
]
