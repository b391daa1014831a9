"""Clusters kept between requests, until the pairs, the reviews or the projects change.

Grouping pairs into clusters reads up to ``MAX_CLUSTER_PAIRS`` pairs and runs in Python: far
too much to do on every request. At 5,000 projects it took a second a request, every request
in flight held its own copy, and 64 at once kept Neo4j so busy that the driver could not open
new connections within its acquisition timeout (the API bench's errors at concurrency 64:
``ConnectionAcquisitionTimeoutError``). Every process keeps the answers it worked out, per
graph and per filter, under a *fingerprint* of what they were made from, read in one cheap
statement on every request (counts from Neo4j's count store, the similarity model's run and
version, the newest pair run through its index, the sources' last sync runs, and the reviews):

- a full rescore or an incremental update changes the model's run or version, the number of
  pairs or the newest pair run;
- a review changes the number of reviews or the newest review time, so it shows at once;
- a sync (which may retire projects or move them between organisations and systems) changes
  the number of sync runs when it starts and its source's last run when it ends.

A change that none of these sees (a rescore that rewrites pairs in place while a request reads
them, say) lasts at most ``MAX_AGE`` seconds. At most ``MOST_ENTRIES`` answers are kept, and
requests that arrive while an answer is being worked out wait for it instead of working it out
again, so memory stays bounded under load.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, LiteralString, TypeVar

from graph.database import Graph
from graph.similarity.store import MODEL_ID

MAX_AGE = 60.0  # seconds an answer is trusted without a visible change
MOST_ENTRIES = 16  # answers kept per graph (one per filter asked for)

T = TypeVar("T")

FINGERPRINT: LiteralString = """
OPTIONAL MATCH (m:SimilarityModel {id: $model})
WITH m.run AS run, m.version AS version, m.scoredAt AS scoredAt,
     COLLECT { MATCH ()-[s:SIMILAR_TO]->() WHERE s.run IS NOT NULL
               RETURN s.run ORDER BY s.run DESC LIMIT 1 } AS newestRun
CALL { MATCH ()-[s:SIMILAR_TO]->() RETURN count(s) AS pairs }
CALL { MATCH (r:SyncRun) RETURN count(r) AS syncs }
CALL { MATCH (s:Source) RETURN collect(s.lastRun) AS lastRuns }
CALL { MATCH (r:DuplicateReview) RETURN count(r) AS reviews, max(r.reviewedAt) AS reviewedAt }
RETURN run, version, scoredAt, pairs, newestRun, syncs, lastRuns, reviews, reviewedAt
"""


async def fingerprint(graph: Graph) -> tuple[Any, ...]:
    """What the cached answers were made from, in one round trip."""
    row = (await graph.read(FINGERPRINT, {"model": MODEL_ID}))[0]
    return (
        row["run"],
        row["version"],
        str(row["scoredAt"]),
        row["pairs"],
        tuple(row["newestRun"]),
        row["syncs"],
        tuple(sorted(str(run) for run in row["lastRuns"])),
        row["reviews"],
        str(row["reviewedAt"]),
    )


@dataclass
class _Entry(Generic[T]):
    value: T
    made: float


@dataclass
class _Store:
    entries: OrderedDict[Hashable, _Entry[Any]] = field(default_factory=OrderedDict)
    working: dict[Hashable, asyncio.Task[Any]] = field(default_factory=dict)


_stores: weakref.WeakKeyDictionary[Graph, _Store] = weakref.WeakKeyDictionary()


async def cached(graph: Graph, key: Hashable, make: Callable[[], Awaitable[T]]) -> T:
    """The answer for ``key`` made from the graph as it is now: kept, or made once by ``make``.

    ``key`` names the question (the filters); the fingerprint is added to it here.
    """
    store = _stores.setdefault(graph, _Store())
    full = (key, await fingerprint(graph))
    now = time.monotonic()
    entry = store.entries.get(full)
    if entry is not None and now - entry.made <= MAX_AGE:
        store.entries.move_to_end(full)
        return entry.value
    task = store.working.get(full)
    if task is None or task.get_loop() is not asyncio.get_running_loop():
        task = asyncio.get_running_loop().create_task(make())
        store.working[full] = task
        task.add_done_callback(lambda done: _keep(store, full, done))
    # A caller that goes away (a client hung up) leaves the work to finish for the others.
    return await asyncio.shield(task)


def _keep(store: _Store, key: Hashable, done: asyncio.Task[Any]) -> None:
    if store.working.get(key) is done:
        del store.working[key]
    if done.cancelled() or done.exception() is not None:
        return
    store.entries[key] = _Entry(done.result(), time.monotonic())
    store.entries.move_to_end(key)
    while len(store.entries) > MOST_ENTRIES:
        store.entries.popitem(last=False)


def forget(graph: Graph | None = None) -> None:
    """Drop what is kept (for one graph, or all): the next request works it out again."""
    if graph is None:
        _stores.clear()
    else:
        _stores.pop(graph, None)
