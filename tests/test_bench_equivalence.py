"""The API benchmark compares like with like: on a tiny synthetic region, Convener (through a
real hub), the raw-Cypher baselines and @neo4j/graphql give the same answers to every query
the benchmark times (`make test` installs bench/neo4j_graphql's packages for it)."""

from __future__ import annotations

from pathlib import Path

from bench import servers
from bench.api import (
    CONVENER_CACHED,
    RAW,
    RAW_UNCACHED,
    Bench,
    check,
    choose,
    persisted_documents,
    warm_up,
)
from bench.region import RegionSpec, load_region
from bench.workloads import workloads
from graph.database import Graph
from graph.local_neo4j import LocalNeo4j

TINY = RegionSpec(projects=80, partners=6)


async def test_the_implementations_answer_alike(
    graph: Graph, neo4j_server: LocalNeo4j, tmp_path: Path
) -> None:
    region = TINY.generate()
    await load_region(graph, region)
    persisted = tmp_path / "persisted"
    persisted.mkdir()
    (persisted / "bench.graphql").write_text(persisted_documents(workloads(region)))
    env = {"CONVENER_EXTRA_PERSISTED_DIR": str(persisted)}
    with servers.hub(neo4j_server.uri, tmp_path, env) as hub:
        missing = servers.neo4j_graphql_missing()
        assert missing is None, f"{missing}: `make test` installs it"
        with servers.neo4j_graphql(neo4j_server.uri, tmp_path) as other:
            await _check_all(graph, region, hub.url, other.url, neo4j_server.pid)


async def _check_all(
    graph: Graph, region: object, hub_url: str, other_url: str | None, neo4j_pid: int
) -> None:
    bench = Bench(graph, hub_url, other_url, headers={}, cached=True)
    try:
        names = ["projects", "whoElse", "search", "crossBoundaryLinks", "duplicates"]
        chosen, absent, _ = await choose(bench, region, names)  # type: ignore[arg-type]
        assert set(absent) <= {"duplicates"}, absent
        for workload in chosen:
            answers = await check(bench, workload)
            assert RAW in answers and CONVENER_CACHED in answers
            if workload.name == "duplicates":
                assert RAW_UNCACHED in answers  # the clusters worked out without the cache
            if other_url and workload.neo4j_graphql is not None:
                assert "neo4j-graphql" in answers
            if other_url and workload.neo4j_graphql_other_way is not None:
                assert "neo4j-graphql-2" in answers
            for implementation, outcome in answers.items():
                assert outcome["same"], (workload.name, implementation, outcome["mismatches"])
                assert outcome["empty"] < outcome["compared"], (workload.name, "all empty")
        # The warm-up gives every query of every implementation its time, round by round.
        warmed = await warm_up(bench, chosen, neo4j_pid, seconds=0.05, max_rounds=2)
        pairs = sum(len(bench.implementations(w)) for w in chosen)
        assert 1 <= warmed["rounds"] <= 2
        assert warmed["seconds"] >= 0.05 * pairs * warmed["rounds"] - 0.05
    finally:
        await bench.close()
