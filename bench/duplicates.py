"""Similar-project detection at scale: a full scan, and an update for one new project.

    .venv/bin/python -m bench.duplicates [--sizes 1000,10000] [--with-100k]

For each size, starts a fresh local Neo4j in a temporary directory, loads a synthetic region
(eval/corpus.py) through the real ingestion path (not timed), then times ``rescore_all`` (read
every project, block, score, write ``SIMILAR_TO``) and, five times, the sync of one new
project followed by a timed ``update_similarity`` for it (the median is reported). Prints a
table and writes bench/results/duplicates.json. Targets on our 2-core machine: 100k projects
scanned in <= 60 s, one new project in <= 100 ms. Loading 100k projects takes several
minutes of ingestion, hence the flag.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.machine import machine_details
from bench.region import migrated_neo4j
from eval.corpus import SYSTEMS, idea, project_record, region
from graph import local_neo4j
from graph.database import Graph
from graph.ingest import IngestOptions, store_systems, sync_source
from graph.similarity.engine import rescore_all, update_similarity
from graph.vocabulary import Vocabulary, store_vocabulary

RESULTS = Path(__file__).parent / "results"
INCREMENTAL_RUNS = 5
TARGETS = {"full_scan_100k_s": 60, "one_new_project_ms": 100}


async def one_size(projects: int) -> dict[str, Any]:
    sources = region(projects)
    vocabulary = Vocabulary.load()
    options = IngestOptions(vocabulary=vocabulary)
    with tempfile.TemporaryDirectory() as home:
        async with migrated_neo4j(Path(home) / "neo4j") as (_, graph):
            await store_vocabulary(graph, vocabulary)
            await store_systems(graph, SYSTEMS)
            loading = time.perf_counter()
            for info, records in sources:
                await sync_source(graph, info, records, options=options)
            load_s = time.perf_counter() - loading
            full = await rescore_all(graph)
            incremental = await _one_new_project(graph, sources, options)
    return {
        "projects": projects,
        "load_s": round(load_s, 1),
        "full_scan_s": full.seconds,
        "candidates": full.candidates,
        "stored_pairs": full.stored,
        "duplicates": full.duplicates,
        "collaborations": full.collaborations,
        "one_new_project_ms": incremental,
    }


async def _one_new_project(graph: Graph, sources: list[Any], options: IngestOptions) -> float:
    """Median ms of update_similarity for one new project, each synced in first (not timed)."""
    rng = random.Random(99)
    info, records = sources[0]
    lead = records[0].ods_code
    timings = []
    for n in range(INCREMENTAL_RUNS):
        new = project_record(rng, f"new-{n}", idea(rng), lead)
        records = [*records, new]
        await sync_source(graph, info, records, options=options)
        started = time.perf_counter()
        summary = await update_similarity(graph, [f"{info.id}:new-{n}"])
        timings.append((time.perf_counter() - started) * 1000)
        assert summary.mode == "incremental", summary
    return round(statistics.median(timings), 1)


def show(rows: list[dict[str, Any]]) -> None:
    header = f"{'projects':>9} {'load s':>8} {'scan s':>8} {'pairs':>8} {'dups':>7} {'new ms':>7}"
    print(header)
    for row in rows:
        print(
            f"{row['projects']:>9} {row['load_s']:>8} {row['full_scan_s']:>8} "
            f"{row['stored_pairs']:>8} {row['duplicates']:>7} {row['one_new_project_ms']:>7}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated project counts")
    parser.add_argument("--with-100k", action="store_true", help="also run 100,000 projects")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.with_100k:
        sizes.append(100_000)
    rows = []
    for size in sizes:
        rows.append(asyncio.run(one_size(size)))
        show(rows[-1:])
    print()
    show(rows)
    RESULTS.mkdir(exist_ok=True)
    result = {
        "name": "duplicates",
        "machine": machine_details(),
        "neo4j": local_neo4j.neo4j_version(),
        "runs": rows,
        "targets": TARGETS,
    }
    (RESULTS / "duplicates.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
