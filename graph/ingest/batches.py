"""Batching: one run's writes in bounded batches, each batch in one transaction.

Each batch is written with a few simple statements (entities, then the nodes links point at,
then one statement per link type): small statements plan well, and a shared node (a busy
topic or trust) is merged once per batch, not once per row. New projects, resources and
people, most of a first load, are the exception: each is created with its assertion and its
links by one statement that finds every end node once (``CREATE_ENTITIES``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import datetime
from typing import Any, LiteralString, TypeVar

from connectors.records import Record
from graph.database import Graph
from graph.ingest import statements
from graph.ingest.rows import Batch, RowBuilder

KIND_ORDER = ("organisation", "person", "project", "resource")
"""Kinds are written in this order, so links find the records they point at."""
T = TypeVar("T")


def batched(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class BatchWriter:
    """The writes of one run of one source, ``batch_size`` rows at a time."""

    def __init__(
        self, graph: Graph, source_id: str, run_id: str, now: datetime, batch_size: int
    ) -> None:
        self.graph = graph
        self.source_id = source_id
        self.run_id = run_id
        self.now = now
        self.batch_size = batch_size

    def _params(self, **values: Any) -> dict[str, Any]:
        return {"source": self.source_id, "run": self.run_id, "now": self.now, **values}

    async def touch(self, keys: Sequence[str]) -> None:
        """Mark unchanged records (by record key) as seen by this run."""
        for batch in batched(keys, self.batch_size):
            await self.graph.write(statements.TOUCH, self._params(keys=list(batch)))

    async def retire(self, keys: Sequence[str]) -> None:
        """Retire records (by record key) for this source, and entities no source asserts."""
        for batch in batched(keys, self.batch_size):
            await self.graph.write(statements.RETIRE, self._params(keys=list(batch)))

    async def upsert(self, records: Sequence[Record], rows: RowBuilder) -> list[str]:
        """Write new and changed records, kind by kind in bounded batches; return warnings.

        One batch is written while the next is turned into rows, so Python and Neo4j work at
        the same time; the writes themselves stay one at a time and in order.
        """
        warnings: list[str] = []
        writing: asyncio.Task[None] | None = None
        try:
            for kind in KIND_ORDER:
                of_kind = [r for r in records if r.kind == kind]
                for chunk in batched(of_kind, self.batch_size):
                    batch = await rows.batch(kind, chunk, warnings)
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

    async def _write(self, batch: Batch) -> None:
        """All statements of one batch in one transaction: a batch lands whole or not at all."""
        kind = batch.kind
        writes: list[tuple[LiteralString, dict[str, Any]]] = []
        if batch.organisations:
            rows = list(batch.organisations.values())
            writes.append((statements.MERGE_ORGANISATIONS, self._params(rows=rows)))
        if batch.topics:
            rows = list(batch.topics.values())
            writes.append((statements.MERGE_TOPICS, self._params(rows=rows)))
        if batch.new_entities:
            ends = {end: list(batch.ends.get(end, ())) for end in statements.END_LABELS}
            params = self._params(rows=batch.new_entities, ends=ends)
            writes.append((statements.CREATE_ENTITIES[kind], params))
        if batch.entities:
            writes.append((statements.UPSERT_ENTITIES[kind], self._params(rows=batch.entities)))
        if batch.new_assertions:
            rows = batch.new_assertions
            writes.append((statements.CREATE_ASSERTIONS[kind], self._params(rows=rows)))
        if batch.changed_assertions:
            rows = batch.changed_assertions
            writes.append((statements.UPDATE_ASSERTIONS[kind], self._params(rows=rows)))
        if batch.person_keys:
            writes.append((statements.MERGE_PERSON_KEYS, self._params(rows=batch.person_keys)))
        for link_type, rows in batch.links.items():
            writes.append((statements.LINKS[link_type], self._params(rows=rows)))
        if batch.changed_ids:
            writes.append((statements.PRUNE[kind], self._params(ids=batch.changed_ids)))
        await self.graph.write_many(writes)
