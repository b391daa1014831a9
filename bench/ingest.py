"""Ingestion throughput: first load and unchanged re-load, against a row-by-row baseline.

    .venv/bin/python -m bench.ingest [--projects 50000] [--warmup-projects 5000] [--name NAME]

Starts its own local Neo4j in a temporary directory, loads a synthetic region through the
real ingestion path (graph.ingest.sync_source), loads it again unchanged, and then times a
naive baseline (one transaction per record: MERGE the entity by its id, then MERGE each of its
links, with the same constraints in place) on a sample of the same records in the same run,
and the physical limit: all the records' nodes and links written by plain batched
``UNWIND ... MERGE`` statements, without provenance, resolution or change detection.

A fresh JVM spends tens of CPU-seconds compiling Neo4j's own code, and goes on compiling
through the first 100,000 or so records it loads. So before timing anything both paths run on
a throw-away region (other contents), loaded and deleted again until the JIT compiler's share
of a round's CPU has settled (``--warmup-rounds`` at most): the numbers are those of a hub's
server that has synced before, for the pipeline and the baseline alike; the timed load is
still a first load of records the database has never held. ``--warmup-projects 0`` measures
a cold server instead. Prints a table and writes bench/results/ingest.json (``--name``).
Targets on our 2-core machine: >= 10,000 records/s first load, >= 10x the baseline,
unchanged re-load >= 3x faster.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, LiteralString

from bench.cpu import process_cpu_seconds, thread_cpu_seconds, until_settled
from bench.machine import machine_details
from bench.region import migrated_neo4j
from bench.synthetic import generate
from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    PersonRecord,
    ProjectRecord,
    Record,
    ResourceRecord,
)
from graph import local_neo4j
from graph.database import Graph
from graph.ingest import LINK_TYPES, IngestOptions, store_systems, sync_source
from graph.kept import refresh_kept
from graph.vocabulary import Vocabulary, store_vocabulary

RESULTS = Path(__file__).parent / "results"

# The baseline's statements: what a first script does for one record. Every MERGE matches on a
# key that has a uniqueness constraint, exactly as the pipeline's do.
NAIVE_ENTITY: dict[str, LiteralString] = {
    "organisation": "MERGE (e:Organisation {id: $id}) SET e += $props",
    "person": "MERGE (e:Person {id: $id}) SET e += $props",
    "project": "MERGE (e:Project {id: $id}) SET e += $props",
    "resource": "MERGE (e:Resource {id: $id}) SET e += $props",
}
NAIVE_LINK: dict[tuple[str, str, str], LiteralString] = {
    (rel, start, end): "MATCH (a:"
    + start
    + " {id: $a}), (b:"
    + end
    + " {id: $b}) MERGE (a)-[:"
    + rel
    + "]->(b)"
    for rel, start, end in LINK_TYPES
}
NAIVE_PREFIX = "naive:"
BULK_PREFIX = "bulk:"
WARMUP_SEED = 11

# The physical limit: the same nodes and links written by the simplest batched statements
# there are (UNWIND ... MERGE on the constrained keys), with no provenance, no resolution and
# no change detection. What Convener's first load adds to this is its own work.
BULK_ENTITY: dict[str, LiteralString] = {
    kind: "UNWIND $rows AS row MERGE (e:" + label + " {id: row.id}) SET e += row.props"
    for kind, label in (
        ("organisation", "Organisation"),
        ("person", "Person"),
        ("project", "Project"),
        ("resource", "Resource"),
    )
}
BULK_LINK: dict[tuple[str, str, str], LiteralString] = {
    (rel, start, end): "UNWIND $rows AS row MATCH (a:"
    + start
    + " {id: row.a}), (b:"
    + end
    + " {id: row.b}) MERGE (a)-[:"
    + rel
    + "]->(b)"
    for rel, start, end in LINK_TYPES
}


async def load(graph: Graph, region: Any, options: IngestOptions) -> tuple[float, int, dict]:
    started = time.perf_counter()
    totals = {"created": 0, "updated": 0, "unchanged": 0}
    changed: list[str] = []
    for source, records in region.sources:
        summary = await sync_source(graph, source, records, options=options, keep_links=False)
        for key in totals:
            totals[key] += getattr(summary, key)
        changed += summary.changed_entities
    # Once for all the sources, as the hub's sync does.
    await refresh_kept(graph, changed, recount_needed=bool(totals["created"] or totals["updated"]))
    return time.perf_counter() - started, region.record_count, totals


def _org(ref: OrganisationRef | None) -> str | None:
    return f"ods:{ref.ods_code}" if ref is not None and ref.ods_code else None


def naive_statements(
    record: Record, vocabulary: Vocabulary, prefix: str = NAIVE_PREFIX
) -> list[tuple[LiteralString, dict[str, Any]]]:
    """One record as a first script would write it: its node, then each link, by MERGE.

    The same entity and links the pipeline writes (ids under ``naive:`` so they do not touch
    the loaded region; organisations, systems and topics are the real, shared nodes), without
    the pipeline's provenance, resolution or change detection: if anything, a cheaper job.
    """
    own = f"{prefix}{record.ref}"
    props = record.model_dump(
        mode="json",
        exclude={
            "kind",
            "ref",
            "organisation",
            "lead_organisation",
            "partner_organisations",
            "members",
            "topics",
            "interests",
            "project",
            "system",
            "offers",
        },
        exclude_none=True,
    )
    statements: list[tuple[LiteralString, dict[str, Any]]] = [
        (NAIVE_ENTITY[record.kind], {"id": own, "props": props})
    ]
    links: list[tuple[tuple[str, str, str], str, str | None]] = []

    def topics(rel: str, start: str, labels: list[str]) -> None:
        for label in labels:
            links.append(((rel, start, "Topic"), own, vocabulary.resolve(label).id))

    if isinstance(record, OrganisationRecord):
        links.append((("PART_OF", "Organisation", "System"), own, record.system))
    elif isinstance(record, PersonRecord):
        links.append((("WORKS_FOR", "Person", "Organisation"), own, _org(record.organisation)))
        topics("INTERESTED_IN", "Person", record.interests)
    elif isinstance(record, ProjectRecord):
        links.append((("RUN_BY", "Project", "Organisation"), own, _org(record.lead_organisation)))
        for partner in record.partner_organisations:
            links.append((("IN_PARTNERSHIP_WITH", "Project", "Organisation"), own, _org(partner)))
        topics("ABOUT", "Project", record.topics)
        for member in record.members:
            person = f"{prefix}{member.person}"
            links.append((("WORKS_ON", "Person", "Project"), person, own))
    elif isinstance(record, ResourceRecord):
        links.append((("PUBLISHED_BY", "Resource", "Organisation"), own, _org(record.organisation)))
        topics("ABOUT", "Resource", record.topics)
        project = f"{prefix}{record.project}" if record.project else None
        links.append((("FROM", "Resource", "Project"), own, project))
    for key, start, end in links:
        if end is not None:
            statements.append((NAIVE_LINK[key], {"a": start, "b": end}))
    return statements


async def naive_baseline(graph: Graph, records: list[Record], vocabulary: Vocabulary) -> float:
    """One transaction per record, as a first script against Neo4j would do it."""
    started = time.perf_counter()
    for record in records:
        await graph.write_many(naive_statements(record, vocabulary))
    return time.perf_counter() - started


async def bulk_baseline(
    graph: Graph, records: list[Record], vocabulary: Vocabulary, batch_size: int
) -> float:
    """The physical limit: every record's node, then every link, in batches of
    ``batch_size`` rows per UNWIND statement, one transaction per batch."""
    entities: dict[str, list[dict[str, Any]]] = {kind: [] for kind in BULK_ENTITY}
    links: dict[tuple[str, str, str], list[dict[str, Any]]] = {key: [] for key in BULK_LINK}
    link_of = {statement: key for key, statement in NAIVE_LINK.items()}
    for record in records:
        (_, node), *rest = naive_statements(record, vocabulary, BULK_PREFIX)
        entities[record.kind].append(node)
        for statement, parameters in rest:
            links[link_of[statement]].append(parameters)
    started = time.perf_counter()
    for statements, rows_by in ((BULK_ENTITY, entities), (BULK_LINK, links)):
        for key, rows in rows_by.items():
            for start in range(0, len(rows), batch_size):
                await graph.write(statements[key], {"rows": rows[start : start + batch_size]})
    return time.perf_counter() - started


async def reset(graph: Graph, vocabulary: Vocabulary, region: Any) -> None:
    """Delete everything but the schema, then store the vocabulary and systems again."""
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
        )
        await result.consume()
    await store_vocabulary(graph, vocabulary)
    await store_systems(graph, region.systems)


async def warm_up(
    graph: Graph,
    server_pid: int,
    vocabulary: Vocabulary,
    options: IngestOptions,
    projects: int,
    max_rounds: int,
) -> dict[str, Any]:
    """Run both paths on a throw-away region of other contents until the JIT has settled.

    Each round is a first load of the warm-up region and its deletion (the first round also
    re-loads it unchanged and runs the baseline on a sample), until the compiler threads' CPU
    in a round is at most SETTLED_JIT_SHARE of Neo4j's, or after ``max_rounds``: the timed load
    then meets a server in the state a running hub's is in, not one still compiling.
    """
    started = time.perf_counter()
    region = generate(projects, seed=WARMUP_SEED)

    async def load_and_delete(round_number: int) -> None:
        await load(graph, region, options)
        if round_number == 0:
            await load(graph, region, options)
            records = [r for _, listed in region.sources for r in listed]
            await naive_baseline(graph, records[: max(200, projects // 5)], vocabulary)
        await reset(graph, vocabulary, region)

    rounds, share = await until_settled(server_pid, max_rounds, load_and_delete)
    return {
        "projects": projects,
        "rounds": rounds,
        "last_round_jit_share": round(share, 2),
        "seconds": round(time.perf_counter() - started, 2),
    }


async def run(
    projects: int,
    baseline_sample: int,
    warmup_projects: int,
    batch_size: int = 2000,
    warmup_rounds: int = 12,
) -> dict[str, Any]:
    region = generate(projects)
    vocabulary = Vocabulary.load()
    options = IngestOptions(vocabulary=vocabulary, batch_size=batch_size)
    with tempfile.TemporaryDirectory() as home:
        async with migrated_neo4j(Path(home) / "neo4j") as (server, graph):
            await store_vocabulary(graph, vocabulary)
            await store_systems(graph, region.systems)
            warm: dict[str, Any] = {"projects": 0, "rounds": 0, "seconds": 0.0}
            if warmup_projects and warmup_rounds:
                warm = await warm_up(
                    graph, server.pid, vocabulary, options, warmup_projects, warmup_rounds
                )
            load_before = os.getloadavg()[0]
            cpu = (process_cpu_seconds(server.pid), time.process_time())
            threads = thread_cpu_seconds(server.pid)
            first_s, count, first_totals = await load(graph, region, options)
            first_cpu = (
                process_cpu_seconds(server.pid) - cpu[0],
                time.process_time() - cpu[1],
            )
            by_group = {
                group: round(seconds - threads.get(group, 0.0), 2)
                for group, seconds in sorted(thread_cpu_seconds(server.pid).items())
            }
            # Threads that ended during the load (a pool's idle workers) are only in the total.
            by_group["ended"] = round(first_cpu[0] - sum(by_group.values()), 2)
            again_s, _, again_totals = await load(graph, region, options)
            everything = [r for _, records in region.sources for r in records]
            cpu = (process_cpu_seconds(server.pid), time.process_time())
            bulk_s = await bulk_baseline(graph, everything, vocabulary, batch_size)
            bulk_cpu = (
                process_cpu_seconds(server.pid) - cpu[0],
                time.process_time() - cpu[1],
            )
            sample = everything[:baseline_sample]
            naive_s = await naive_baseline(graph, sample, vocabulary)
            load_after = os.getloadavg()[0]
    first_rate = count / first_s
    naive_rate = len(sample) / naive_s
    return {
        "name": "ingest",
        "machine": machine_details(),
        "neo4j": local_neo4j.neo4j_version(),
        "records": count,
        "batch_size": batch_size,
        "warmup": warm,
        "load_average": {"before": round(load_before, 2), "after": round(load_after, 2)},
        "first_load": {
            "seconds": round(first_s, 2),
            "records_per_s": round(first_rate),
            "neo4j_cpu_s": round(first_cpu[0], 2),
            "neo4j_jit_cpu_s": by_group.get("jit", 0.0),
            "neo4j_threads_cpu_s": by_group,
            "python_cpu_s": round(first_cpu[1], 2),
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
        "bulk_baseline": {
            "records": count,
            "seconds": round(bulk_s, 2),
            "records_per_s": round(count / bulk_s),
            "neo4j_cpu_s": round(bulk_cpu[0], 2),
            "python_cpu_s": round(bulk_cpu[1], 2),
        },
        "share_of_physical_limit": round(first_rate / (count / bulk_s), 2),
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
    parser.add_argument(
        "--warmup-projects",
        type=int,
        default=5_000,
        help="projects in the throw-away warm-up region (0: measure a cold server)",
    )
    parser.add_argument(
        "--warmup-rounds",
        type=int,
        default=12,
        help="at most this many loads of the warm-up region, fewer once the JIT has settled",
    )
    parser.add_argument("--batch-size", type=int, default=2000, help="records per transaction")
    parser.add_argument(
        "--name",
        default="ingest",
        help="results file name: bench/results/NAME.json (another name keeps ingest.json)",
    )
    args = parser.parse_args()
    result = asyncio.run(
        run(
            args.projects,
            args.baseline_sample,
            args.warmup_projects,
            args.batch_size,
            args.warmup_rounds,
        )
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"records: {result['records']:,} (Neo4j {result['neo4j']}, "
        f"{result['machine']['cpus']} cores; load average {result['load_average']['before']} "
        f"before, {result['load_average']['after']} after; warm-up "
        f"{result['warmup']['rounds']} rounds, {result['warmup']['seconds']} s)"
    )
    print(f"{'':24}{'seconds':>10}{'records/s':>12}")
    for label, key in [
        ("first load", "first_load"),
        ("unchanged re-load", "unchanged_reload"),
        ("row-by-row baseline", "naive_baseline"),
        ("bulk UNWIND (the limit)", "bulk_baseline"),
    ]:
        row = result[key]
        print(f"{label:24}{row['seconds']:>10}{row['records_per_s']:>12,}")
    first = result["first_load"]
    print(
        f"first load CPU: Neo4j {first['neo4j_cpu_s']} s (of which JIT compiling "
        f"{first['neo4j_jit_cpu_s']} s), Python {first['python_cpu_s']} s"
    )
    groups = ", ".join(f"{g} {s}" for g, s in first["neo4j_threads_cpu_s"].items())
    print(f"Neo4j threads' CPU on the first load, s: {groups}")
    bulk = result["bulk_baseline"]
    print(
        f"first load as a share of the bulk limit: {result['share_of_physical_limit']:.0%}; "
        f"the limit's CPU: Neo4j {bulk['neo4j_cpu_s']} s, Python {bulk['python_cpu_s']} s "
        "(the rest of the first load's is provenance, resolution and change detection)"
    )
    print(
        f"first load vs baseline: {result['speedup_vs_baseline']}x (target 10x); "
        f"re-load speed-up: {result['reload_speedup']}x (target 3x)"
    )


if __name__ == "__main__":
    main()
