"""Similar-project detection at scale: a full scan, and an update for one new project.

    .venv/bin/python -m bench.duplicates [--sizes 1000,10000] [--with-100k] [--data-dir DIR]

For each size, starts a fresh local Neo4j in a temporary directory, loads a synthetic region
(eval/corpus.py) through the real ingestion path (not timed), then times ``rescore_all`` (read
every project, block, score, write ``SIMILAR_TO``) and, seven times, the sync of one new
project followed by a timed ``update_similarity`` for it (the median of the last five is
reported; the first two plan the update's statements on the fresh server), and, as often, a
``similarTo`` draft scored against the graph without writing (``draft_similar_ms``, the
median likewise: what a member waits for while typing a new project). Prints a
table and writes bench/results/duplicates.json. Targets on our 2-core machine: 100k projects
scanned in <= 60 s, one new project in <= 100 ms, a draft in <= 100 ms. Loading 100k
projects takes several minutes of ingestion, hence the flag; ``--data-dir DIR`` keeps each
size's loaded Neo4j in ``DIR/<size>`` and reuses it on the next run (each run's new projects
replace the last run's).

Besides wall seconds, each scan reports its stages (``phases``) and the CPU seconds this
process and the Neo4j server spent on it: on a shared machine those move less than wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, LiteralString

from bench.machine import machine_details
from bench.region import migrated_neo4j
from eval.corpus import SYSTEMS, idea, project_record, region
from graph import local_neo4j
from graph.contributions.drafts import Draft, similar_to_draft
from graph.database import Graph
from graph.ingest import IngestOptions, store_systems, sync_source
from graph.similarity.engine import rescore_all, update_similarity
from graph.vocabulary import Vocabulary, store_vocabulary

RESULTS = Path(__file__).parent / "results"
INCREMENTAL_RUNS = 5
WARMUP_RUNS = 2
MARKER = "bench-duplicates.json"
TARGETS = {"full_scan_100k_s": 60, "one_new_project_ms": 100, "draft_similar_ms": 100}


async def one_size(
    projects: int, data_dir: Path | None = None, rescan: bool = False
) -> dict[str, Any]:
    sources = region(projects)
    vocabulary = Vocabulary.load()
    options = IngestOptions(vocabulary=vocabulary)
    with tempfile.TemporaryDirectory() as scratch:
        home = (data_dir / str(projects) if data_dir else Path(scratch)) / "neo4j"
        marker = home.parent / MARKER
        reused = marker.exists()
        async with migrated_neo4j(home) as (server, graph):
            load_s = 0.0
            if reused:
                await _forget_similarity(graph)  # scan as on a freshly loaded graph
            else:
                await store_vocabulary(graph, vocabulary)
                await store_systems(graph, SYSTEMS)
                loading = time.perf_counter()
                for info, records in sources:
                    await sync_source(graph, info, records, options=options)
                load_s = time.perf_counter() - loading
                if data_dir:
                    marker.write_text(json.dumps({"projects": projects}))
            cpu = _Cpu(server.pid)
            full = await rescore_all(graph)
            scan_cpu = cpu.spent()
            again = await rescore_all(graph) if rescan else None
            incremental, every_update = await _one_new_project(graph, sources, options)
            draft, every_draft = await _drafts(graph, sources, vocabulary)
    return {
        "projects": projects,
        "load_s": round(load_s, 1),
        "full_scan_s": full.seconds,
        "full_scan_phases_s": full.phases,
        "full_scan_cpu_s": scan_cpu,
        "candidates": full.candidates,
        "stored_pairs": full.stored,
        "duplicates": full.duplicates,
        "collaborations": full.collaborations,
        "one_new_project_ms": incremental,
        "new_project_runs_ms": every_update,  # the first WARMUP_RUNS are not in the median
        "draft_similar_ms": draft,
        "draft_runs_ms": every_draft,
        **({"rescan_s": again.seconds, "rescan_written": again.written} if again else {}),
    }


_FORGET: list[LiteralString] = [
    "MATCH ()-[s:SIMILAR_TO]->() WITH s LIMIT 50000 DELETE s RETURN count(*) AS n",
    "MATCH (t:SimilarityTerm) WITH t LIMIT 50000 DELETE t RETURN count(*) AS n",
    "MATCH (m:SimilarityModel) WITH m LIMIT 50000 DELETE m RETURN count(*) AS n",
    "MATCH (p:Project) WHERE p.simKeys IS NOT NULL WITH p LIMIT 50000 "
    "REMOVE p.simKeys RETURN count(*) AS n",
]


async def _forget_similarity(graph: Graph) -> None:
    """Remove what an earlier run's scan stored (pairs, statistics, keys); not timed."""
    for query in _FORGET:
        while (await graph.write(query))[0]["n"]:
            pass


class _Cpu:
    """CPU seconds this process (with the worker processes it waited for) and the Neo4j
    server spend from now on."""

    def __init__(self, neo4j_pid: int) -> None:
        self.pid = neo4j_pid
        self.start = (self._python(), self._neo4j())

    @staticmethod
    def _python() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def _neo4j(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def spent(self) -> dict[str, float]:
        python, neo4j = self._python() - self.start[0], self._neo4j() - self.start[1]
        return {"python": round(python, 1), "neo4j": round(neo4j, 1)}


async def _one_new_project(
    graph: Graph, sources: list[Any], options: IngestOptions
) -> tuple[float, list[float]]:
    """Median ms of update_similarity for one new project, each synced in first (not timed),
    after ``WARMUP_RUNS`` updates that are timed but not in the median: on a server just
    started, the first updates plan their statements (2 s, then 300 ms, at 100k projects
    where later ones take 50 to 100 ms). Returns the median and every run's ms, in order."""
    rng = random.Random(99)
    info, records = sources[0]
    lead = records[0].ods_code
    timings = []
    tag = int(time.time())  # a reused graph holds earlier runs' new projects: these are new
    for n in range(WARMUP_RUNS + INCREMENTAL_RUNS):
        new = project_record(rng, f"new-{tag}-{n}", idea(rng), lead)
        records = [*records, new]
        await sync_source(graph, info, records, options=options)
        started = time.perf_counter()
        summary = await update_similarity(graph, [f"{info.id}:new-{tag}-{n}"])
        timings.append((time.perf_counter() - started) * 1000)
        assert summary.mode == "incremental", summary
    every = [round(ms, 1) for ms in timings]
    return round(statistics.median(timings[WARMUP_RUNS:]), 1), every


async def _drafts(
    graph: Graph, sources: list[Any], vocabulary: Vocabulary
) -> tuple[float, list[float]]:
    """Median ms of ``similar_to_draft`` for a fresh draft (five, after two warm-ups), and
    every run's ms; the drafts are worded as new projects are, and nothing is written."""
    rng = random.Random(7)
    lead = sources[0][1][0].ods_code
    timings = []
    for n in range(WARMUP_RUNS + INCREMENTAL_RUNS):
        work = project_record(rng, f"draft-{n}", idea(rng), lead)
        draft = Draft(title=work.title, aim=work.aim, topics=work.topics, methods=work.methods)
        started = time.perf_counter()
        await similar_to_draft(graph, draft, vocabulary, 5)
        timings.append((time.perf_counter() - started) * 1000)
    every = [round(ms, 1) for ms in timings]
    return round(statistics.median(timings[WARMUP_RUNS:]), 1), every


def show(rows: list[dict[str, Any]]) -> None:
    header = (
        f"{'projects':>9} {'load s':>8} {'scan s':>8} {'py cpu':>7} {'db cpu':>7} "
        f"{'pairs':>8} {'dups':>7} {'new ms':>7} {'draft ms':>8}"
    )
    print(header)
    for row in rows:
        cpu = row.get("full_scan_cpu_s", {})
        print(
            f"{row['projects']:>9} {row['load_s']:>8} {row['full_scan_s']:>8} "
            f"{cpu.get('python', ''):>7} {cpu.get('neo4j', ''):>7} "
            f"{row['stored_pairs']:>8} {row['duplicates']:>7} {row['one_new_project_ms']:>7} "
            f"{row.get('draft_similar_ms', ''):>8}"
        )
        phases = ", ".join(f"{k} {v}" for k, v in row.get("full_scan_phases_s", {}).items())
        print(f"{'':>9} scan stages (s): {phases}")
        if "rescan_s" in row:
            print(f"{'':>9} rescan {row['rescan_s']} s, {row['rescan_written']} pairs rewritten")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated project counts")
    parser.add_argument("--with-100k", action="store_true", help="also run 100,000 projects")
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="keep each size's loaded Neo4j here, reuse it"
    )
    parser.add_argument("--name", default="duplicates", help="results/<name>.json")
    parser.add_argument(
        "--rescan", action="store_true", help="also time a second full scan of the unchanged graph"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.with_100k:
        sizes.append(100_000)
    rows = []
    for size in sizes:
        rows.append(asyncio.run(one_size(size, args.data_dir, args.rescan)))
        show(rows[-1:])
    print()
    show(rows)
    RESULTS.mkdir(exist_ok=True)
    result = {
        "name": args.name,
        "machine": machine_details(),
        "neo4j": local_neo4j.neo4j_version(),
        "runs": rows,
        "targets": TARGETS,
    }
    (RESULTS / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
