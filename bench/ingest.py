"""Ingestion throughput: first load and unchanged re-load, against a row-by-row baseline.

    .venv/bin/python -m bench.ingest [--projects 50000]

Starts its own local Neo4j in a temporary directory, loads a synthetic region through the
real ingestion path (graph.ingest.sync_source), loads it again unchanged, and then times a
naive baseline (one MERGE transaction per record) on a sample of the same records in the same
run. Prints a table and writes bench/results/ingest.json. Targets on our 2-core machine:
>= 10,000 records/s first load, >= 10x the baseline, unchanged re-load >= 3x faster.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.machine import machine_details
from bench.synthetic import generate
from connectors.records import ProjectRecord, Record
from graph import local_neo4j
from graph.database import Graph
from graph.ingest import IngestOptions, store_systems, sync_source
from graph.migrate import apply_migrations
from graph.vocabulary import Vocabulary, store_vocabulary

RESULTS = Path(__file__).parent / "results"

NAIVE_PROJECT = """
MERGE (p:Project {id: $id}) SET p.title = $title, p.aim = $aim, p.status = $status
WITH p
MATCH (o:Organisation {id: $lead}) MERGE (p)-[:RUN_BY]->(o)
WITH p
UNWIND $topics AS topic
MERGE (t:Topic {id: topic}) MERGE (p)-[:ABOUT]->(t)
"""
NAIVE_OTHER = "MERGE (n:Entity {id: $id}) SET n.title = $title"


async def load(graph: Graph, region: Any, options: IngestOptions) -> tuple[float, int, dict]:
    started = time.perf_counter()
    totals = {"created": 0, "updated": 0, "unchanged": 0}
    for source, records in region.sources:
        summary = await sync_source(graph, source, records, options=options)
        for key in totals:
            totals[key] += getattr(summary, key)
    return time.perf_counter() - started, region.record_count, totals


async def naive_baseline(graph: Graph, records: list[Record]) -> float:
    """One transaction per record, as a first script against Neo4j would do it."""
    started = time.perf_counter()
    for record in records:
        if isinstance(record, ProjectRecord):
            await graph.write(
                NAIVE_PROJECT,
                {
                    "id": f"naive:{record.ref}",
                    "title": record.title,
                    "aim": record.aim,
                    "status": record.status,
                    "lead": f"ods:{record.lead_organisation.ods_code}"
                    if record.lead_organisation
                    else None,
                    "topics": record.topics,
                },
            )
        else:
            await graph.write(
                NAIVE_OTHER,
                {"id": f"naive:{record.ref}", "title": getattr(record, "title", record.ref)},
            )
    return time.perf_counter() - started


async def run(projects: int, baseline_sample: int) -> dict[str, Any]:
    region = generate(projects)
    vocabulary = Vocabulary.load()
    options = IngestOptions(vocabulary=vocabulary, batch_size=2000)
    with tempfile.TemporaryDirectory() as home:
        server = await asyncio.to_thread(
            local_neo4j.start, Path(home) / "neo4j", pagecache_bytes=2 * 1024**3
        )
        graph = Graph.connect(server.uri)
        try:
            await apply_migrations(graph)
            await store_vocabulary(graph, vocabulary)
            await store_systems(graph, region.systems)
            first_s, count, first_totals = await load(graph, region, options)
            again_s, _, again_totals = await load(graph, region, options)
            sample = [r for _, records in region.sources for r in records][:baseline_sample]
            naive_s = await naive_baseline(graph, sample)
        finally:
            await graph.close()
            await asyncio.to_thread(server.stop)
    first_rate = count / first_s
    naive_rate = len(sample) / naive_s
    return {
        "name": "ingest",
        "machine": machine_details(),
        "neo4j": local_neo4j.neo4j_version(),
        "records": count,
        "first_load": {
            "seconds": round(first_s, 2),
            "records_per_s": round(first_rate),
            **first_totals,
        },
        "unchanged_reload": {
            "seconds": round(again_s, 2),
            "records_per_s": round(count / again_s),
            **again_totals,
        },
        "naive_baseline": {
            "records": len(sample),
            "seconds": round(naive_s, 2),
            "records_per_s": round(naive_rate),
        },
        "speedup_vs_baseline": round(first_rate / naive_rate, 1),
        "reload_speedup": round(first_s / again_s, 1),
        "targets": {
            "first_load_records_per_s": 10_000,
            "speedup_vs_baseline": 10,
            "reload_speedup": 3,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--projects",
        type=int,
        default=50_000,
        help="projects in the synthetic region (records are about 2x this)",
    )
    parser.add_argument("--baseline-sample", type=int, default=3_000)
    args = parser.parse_args()
    result = asyncio.run(run(args.projects, args.baseline_sample))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"records: {result['records']:,} (Neo4j {result['neo4j']}, "
        f"{result['machine']['cpus']} cores)"
    )
    print(f"{'':24}{'seconds':>10}{'records/s':>12}")
    for label, key in [
        ("first load", "first_load"),
        ("unchanged re-load", "unchanged_reload"),
        ("row-by-row baseline", "naive_baseline"),
    ]:
        row = result[key]
        print(f"{label:24}{row['seconds']:>10}{row['records_per_s']:>12,}")
    print(
        f"first load vs baseline: {result['speedup_vs_baseline']}x (target 10x); "
        f"re-load speed-up: {result['reload_speedup']}x (target 3x)"
    )


if __name__ == "__main__":
    main()
