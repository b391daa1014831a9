"""The two ways similarity is brought up to date: a full rescore, and after a sync, an update.

``rescore_all(graph)`` reads every live project, scores the whole corpus (blocking keeps it
below quadratic) and replaces every ``SIMILAR_TO`` (writing only the pairs that are new or
say something new); it also stores the term statistics the incremental path weighs terms by.

``update_similarity(graph, project_ids)`` re-scores only the projects given (new, changed or
retired ones): each finds its candidates through the full-text index of blocking keys, and
only its own pairs are replaced. When too many projects changed, or no full scan has run yet,
it does a full rescore instead, which is then both faster and more accurate.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.lucene import escape
from graph.similarity import statistics, store
from graph.similarity.analysis import Analyzer
from graph.similarity.candidates import KEYS_PER_PROJECT
from graph.similarity.profiles import (
    PROFILE_FIELDS,
    ProjectProfile,
    load_all_profiles,
    profile_from_row,
)
from graph.similarity.scan import (
    Corpus,
    FullScan,
    corpus_with_statistics,
    key_text,
    score_against,
)
from graph.similarity.scoring import COLLABORATION, STORE_FLOOR
from graph.version import bump_version
from graph.vocabulary import Vocabulary

INCREMENTAL_LIMIT = 500  # more changed projects than this: rescore everything
CANDIDATES_PER_PROJECT = 25

_CANDIDATES: LiteralString = (
    """
OPTIONAL MATCH (m:SimilarityModel {id: $model})
WITH m.run AS modelRun, coalesce(m.version, 0) AS modelVersion
UNWIND $queries AS q
CALL db.index.fulltext.queryNodes('project_similarity_keys', q.query, {limit: $limit})
YIELD node AS p
WHERE p.retiredAt IS NULL AND p.id <> q.id
WITH DISTINCT p, collect(q.id) AS wantedBy, modelRun, modelVersion
"""
    + PROFILE_FIELDS
    + ", wantedBy, modelRun, modelVersion"
)
_TARGETS: LiteralString = (
    "OPTIONAL MATCH (m:SimilarityModel {id: $model}) "
    "WITH m.run AS modelRun, coalesce(m.version, 0) AS modelVersion "
    "UNWIND $ids AS id MATCH (p:Project {id: id}) WHERE p.retiredAt IS NULL "
    + PROFILE_FIELDS
    + ", p.simKeys IS NULL AS unscored, modelRun, modelVersion"
)


@dataclass
class SimilaritySummary:
    """What one rescore or update did."""

    mode: str  # full | incremental
    projects: int
    candidates: int
    stored: int
    duplicates: int
    collaborations: int
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)  # seconds each stage took
    written: int | None = None  # pairs a full scan wrote (new or changed); None: not counted


@lru_cache(maxsize=1)
def default_analyzer() -> Analyzer:
    return Analyzer(Vocabulary.load())


def _run_id() -> str:
    return f"similarity:{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}:{uuid.uuid4().hex[:8]}"


async def rescore_all(graph: Graph, *, analyzer: Analyzer | None = None) -> SimilaritySummary:
    """Score every live project against the others and replace every stored pair.

    Scoring runs in a worker thread while the event loop stores what is ready: the keys and
    term statistics while candidates are found, then each chunk of pairs while the next one
    is scored. Neo4j and Python work at the same time, and only one write runs at a time.
    """
    clock = time.perf_counter()
    phases = _Phases()
    analyzer = analyzer or default_analyzer()
    run = _run_id()
    reading = asyncio.create_task(store.read_stored(graph))
    profiles = await load_all_profiles(graph)
    stored = await reading
    phases.done("read")
    corpus = await asyncio.to_thread(Corpus.build, analyzer, profiles)
    phases.done("analyse")
    scan = await asyncio.to_thread(FullScan, corpus)
    keys = await asyncio.to_thread(scan.keys)
    phases.done("vectors")
    writing: asyncio.Task[int] = asyncio.create_task(_write_model(graph, keys, corpus, run))
    chunks = scan.pairs(STORE_FLOOR)
    # The first chunk waits for the candidates; the scoring's evidence is worked out meanwhile.
    first = asyncio.create_task(asyncio.to_thread(next, chunks, None))
    await asyncio.to_thread(scan.evidence)
    chunk = await first
    pairs: list[store.StoredPair] = []
    written = 0
    while chunk is not None:
        written += await writing
        pairs.extend(chunk)
        writing = asyncio.create_task(store.write_pairs(graph, chunk, run, stored))
        chunk = await asyncio.to_thread(next, chunks, None)
    written += await writing
    phases.done("candidates, scoring and writing")
    phases.seconds["of which candidates"] = round(scan.candidate_seconds, 3)
    await store.delete_pairs_not_found(graph, stored, (pair.pair for pair in pairs))
    phases.done("delete stale")
    summary = _summary("full", len(profiles), scan.candidates, pairs, clock, phases.seconds)
    summary.written = written
    await bump_version(graph)
    return summary


class _Phases:
    """Wall seconds of each stage of a scan, in order."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def done(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = round(now - self._last, 3)
        self._last = now


async def _write_model(graph: Graph, keys: dict[str, str], corpus: Corpus, run: str) -> int:
    await store.write_keys(graph, keys)
    await store.write_statistics(graph, corpus.df, corpus.docs, run)
    statistics.remember(run, corpus.docs, corpus.df)
    return 0  # pairs written


async def update_similarity(
    graph: Graph, project_ids: Sequence[str], *, analyzer: Analyzer | None = None
) -> SimilaritySummary:
    """Re-score only these projects (new, changed or retired) against everything else."""
    clock = time.perf_counter()
    ids = sorted(set(project_ids))
    if len(ids) > INCREMENTAL_LIMIT:
        return await rescore_all(graph, analyzer=analyzer)
    analyzer = analyzer or default_analyzer()
    run = _run_id()
    rows = await graph.read(_TARGETS, {"ids": ids, "model": store.MODEL_ID})
    targets = [profile_from_row(row) for row in rows]
    unscored = {row["id"] for row in rows if row["unscored"]}
    stats = await statistics.current(graph)
    if rows and not stats.matches(rows[0]["modelRun"], rows[0]["modelVersion"]):
        stats = await statistics.current(graph, fresh=True)  # scored elsewhere since: reload
    if stats.docs == 0:  # no full scan yet (or the graph was emptied since)
        return await rescore_all(graph, analyzer=analyzer)
    others = await candidates_for(graph, analyzer, targets, stats)
    if others and not stats.matches(others[0]["modelRun"], others[0]["modelVersion"]):
        stats = await statistics.current(graph, fresh=True)  # re-scored while we read: reload
        others = await candidates_for(graph, analyzer, targets, stats)
    corpus = corpus_with_statistics(
        analyzer, [*targets, *(profile_from_row(row) for row in others)], stats.df, stats.docs
    )
    keys = {p.id: key_text(corpus, i, KEYS_PER_PROJECT) for i, p in enumerate(targets)}
    position = {p.id: i for i, p in enumerate(targets)}
    candidates: dict[int, list[int]] = {}
    for offset, row in enumerate(others):
        for asker in row["wantedBy"]:
            candidates.setdefault(position[asker], []).append(len(targets) + offset)
    pairs = score_against(corpus, list(range(len(targets))), candidates, STORE_FLOOR)
    new_terms = [list(corpus.analyses[i].counts) for i, p in enumerate(targets) if p.id in unscored]
    version = await store.write_update(graph, keys, pairs, ids, run, new_terms)
    await bump_version(graph)
    if new_terms:
        stats.counted(new_terms, version)
    found = sum(len(c) for c in candidates.values())
    return _summary("incremental", len(targets), found, pairs, clock)


async def candidates_for(
    graph: Graph, analyzer: Analyzer, targets: list[ProjectProfile], stats: statistics.Statistics
) -> list[dict[str, Any]]:
    """The projects sharing blocking keys with the targets (rows with ``wantedBy``)."""
    corpus = corpus_with_statistics(analyzer, targets, stats.df, stats.docs)
    queries = []
    for i, p in enumerate(targets):
        keys = key_text(corpus, i, KEYS_PER_PROJECT)
        if keys:
            queries.append({"id": p.id, "query": " ".join(escape(k) for k in keys.split())})
    params = {"queries": queries, "limit": CANDIDATES_PER_PROJECT, "model": store.MODEL_ID}
    return await graph.read(_CANDIDATES, params)


def _summary(
    mode: str,
    projects: int,
    candidates: int,
    pairs: Sequence[store.StoredPair],
    clock: float,
    phases: dict[str, float] | None = None,
) -> SimilaritySummary:
    collaborations = sum(1 for p in pairs if p.kind == COLLABORATION)
    return SimilaritySummary(
        mode=mode,
        projects=projects,
        candidates=candidates,
        stored=len(pairs),
        duplicates=len(pairs) - collaborations,
        collaborations=collaborations,
        seconds=round(time.perf_counter() - clock, 3),
        phases=phases or {},
    )
