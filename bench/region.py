"""A synthetic region in a local Neo4j, loaded through the real ingestion path.

    .venv/bin/python -m bench.region --projects 5000 [--data-dir DIR]

Starts a local Neo4j (in a temporary directory, or in ``--data-dir`` to keep it), applies the
migrations, stores the vocabulary and the systems first (as hub/sync/run.py does), then syncs each
partner's source with graph.ingest.sync_source. With ``--data-dir``, a directory that already
holds the same region (same sizes and seed) is reused instead of loaded again.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from bench.synthetic import SyntheticRegion, generate
from graph import local_neo4j
from graph.database import Graph
from graph.ingest import IngestOptions, store_systems, sync_source
from graph.kept import refresh_kept
from graph.local_neo4j import LocalNeo4j
from graph.migrate import apply_migrations
from graph.vocabulary import Vocabulary, store_vocabulary

MARKER = "bench-region.json"
PAGECACHE_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class RegionSpec:
    """The sizes and seed of a synthetic region; the same spec always gives the same records."""

    projects: int = 5_000
    people: int | None = None
    resources: int | None = None
    partners: int = 40
    seed: int = 7
    duplicate_rate: float = 0.05

    def generate(self) -> SyntheticRegion:
        return generate(**asdict(self))


@dataclass
class LoadedRegion:
    """A running Neo4j holding a region, with what loading it took (0 s when reused)."""

    server: LocalNeo4j
    graph: Graph
    spec: RegionSpec
    region: SyntheticRegion
    records: int
    load_seconds: float
    reused: bool

    @property
    def records_per_s(self) -> float:
        return self.records / self.load_seconds if self.load_seconds else 0.0


async def load_region(graph: Graph, region: SyntheticRegion) -> tuple[int, float]:
    """Vocabulary and systems first, then each partner's source; (records, seconds)."""
    vocabulary = Vocabulary.load()
    options = IngestOptions(vocabulary=vocabulary)
    started = time.perf_counter()
    await store_vocabulary(graph, vocabulary)
    await store_systems(graph, region.systems)
    changed: list[str] = []
    for source, records in region.sources:
        summary = await sync_source(graph, source, records, options=options, keep_links=False)
        if summary.status not in ("succeeded", "flagged"):
            raise RuntimeError(f"loading {source.id} ended {summary.status}: {summary.errors[:3]}")
        changed += summary.changed_entities
    # Once for all the sources, as the hub's sync does.
    await refresh_kept(graph, changed, recount_needed=True)
    return region.record_count, time.perf_counter() - started


def add_region_arguments(parser: argparse.ArgumentParser, *, projects: int) -> None:
    """The region's size and seed as command-line options (shared by the benches)."""
    parser.add_argument("--projects", type=int, default=projects)
    parser.add_argument("--people", type=int, default=None, help="default: 0.6 x projects")
    parser.add_argument("--resources", type=int, default=None, help="default: 0.4 x projects")
    parser.add_argument("--partners", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--duplicate-rate", type=float, default=0.05)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep the Neo4j here and reuse it when it holds the same region (default: temporary)",
    )


def spec_from(args: argparse.Namespace) -> RegionSpec:
    return RegionSpec(**{f.name: getattr(args, f.name) for f in fields(RegionSpec)})


@asynccontextmanager
async def running_region(
    spec: RegionSpec, data_dir: Path | None = None
) -> AsyncIterator[LoadedRegion]:
    """A local Neo4j holding ``spec``'s region for the length of the block."""
    with tempfile.TemporaryDirectory(prefix="convener-bench-") as scratch:
        home = (data_dir or Path(scratch)) / "neo4j"
        marker = home.parent / MARKER
        wanted = json.dumps(asdict(spec), sort_keys=True)
        reusable = data_dir is not None and marker.exists() and marker.read_text() == wanted
        if data_dir is not None and not reusable and home.exists():
            raise SystemExit(f"{home} holds another region; remove it or choose another --data-dir")
        async with migrated_neo4j(home) as (server, graph):
            region = spec.generate()
            records, seconds = region.record_count, 0.0
            if not reusable:
                records, seconds = await load_region(graph, region)
                marker.write_text(wanted)
            yield LoadedRegion(server, graph, spec, region, records, seconds, reusable)


@asynccontextmanager
async def migrated_neo4j(home: Path) -> AsyncIterator[tuple[LocalNeo4j, Graph]]:
    """A local Neo4j at ``home`` (the benches' page cache), migrated; stopped after the block."""
    server = await asyncio.to_thread(local_neo4j.start, home, pagecache_bytes=PAGECACHE_BYTES)
    graph = Graph.connect(server.uri)
    try:
        await apply_migrations(graph)
        yield server, graph
    finally:
        await graph.close()
        await asyncio.to_thread(server.stop)


async def _main(spec: RegionSpec, data_dir: Path | None) -> None:
    async with running_region(spec, data_dir) as loaded:
        if loaded.reused:
            print(f"{data_dir} already holds this region ({loaded.records:,} records)")
        else:
            print(
                f"loaded {loaded.records:,} records in {loaded.load_seconds:.1f} s "
                f"({loaded.records_per_s:,.0f} records/s) into {loaded.server.uri}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_region_arguments(parser, projects=5_000)
    args = parser.parse_args()
    asyncio.run(_main(spec_from(args), args.data_dir))


if __name__ == "__main__":
    main()
