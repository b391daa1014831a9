"""API latency and throughput: Convener beside raw Cypher and beside @neo4j/graphql, in one run.

    .venv/bin/python -m bench.api [--projects 5000] [--concurrency 1,16,64] [--seconds 3]

Loads a synthetic region (bench/region.py) into a local Neo4j, starts the hub (uvicorn, a
subprocess) and the @neo4j/graphql server (Node, a subprocess) on the same Neo4j, checks that
the three implementations give the same answers, then, query by query and concurrency by
concurrency, measures each implementation (at concurrency 1 in turns, request by request; at
16 and 64 back to back, the order rotating) so the noise of a shared machine falls on all
three alike. Prints a table and writes bench/results/api.json with
the machine's details and the hub's memory. Convener is measured twice: sending each
document as text (never cached) and asking for the same document persisted, by its id, which
the hub answers from its cache while the graph is unchanged. Targets on our 2-core machine:
Convener's p50 within 1.5x of raw Cypher on every query; its throughput at concurrency 16 at
least @neo4j/graphql's (the better of its two ways of asking) where both can ask the question;
a cached answer's p50 at most half raw Cypher's, and at 16 at least 5x the uncached hub's
throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from graphql import DocumentNode, NameNode, OperationDefinitionNode, parse, print_ast

from bench import servers
from bench.cpu import until_settled
from bench.http import JSONClient
from bench.load import Budget, Measurement, measure, measure_in_turns
from bench.machine import machine_details
from bench.region import LoadedRegion, add_region_arguments, running_region, spec_from
from bench.synthetic import SyntheticRegion
from bench.workloads import GraphQLQuery, Workload, workloads
from graph import local_neo4j
from graph.database import Graph
from graph.similarity.engine import rescore_all

RESULTS = Path(__file__).parent / "results"
CONVENER, RAW, NEO4J_GRAPHQL = "convener", "raw-cypher", "neo4j-graphql"
CONVENER_CACHED = "convener-cached"
"""Convener answering the same document persisted (asked by its id), from its answer cache."""
CONVENER_BEFORE = "convener-before"
"""The hub of another checkout (``--before``), asked the same documents as text: this commit's
hub beside an earlier one's, on the same Neo4j, in the same run."""
NEO4J_GRAPHQL_OTHER_WAY = "neo4j-graphql-2"
"""The same question put to @neo4j/graphql another way (``Workload.neo4j_graphql_other_way``):
ratios to @neo4j/graphql count the better of its two."""
RAW_UNCACHED = "raw-cypher-uncached"
"""A workload's second raw baseline (``Workload.raw_uncached``), measured at concurrency 1
only: without the cache, each request does the whole work (duplicates: seconds at 16)."""
NOT_IN_API = "the hub's API has no such query yet"
HUB_WORKERS = 1
TARGETS = {
    "p50_ratio_to_raw_max": 1.5,
    "throughput_c16_ratio_to_neo4j_graphql_min": 1.0,
    "cached_p50_ratio_to_raw_max": 0.5,
    "cached_throughput_c16_ratio_to_uncached_min": 5.0,
}
PERSISTED_SUFFIX = "Persisted"


def persisted_documents(chosen: list[Workload]) -> str:
    """The workloads' Convener documents as persisted operations, each renamed with
    PERSISTED_SUFFIX: asked by id they are cached; sent as text, the originals are not."""
    texts = []
    for workload in chosen:
        document = parse(workload.convener.document)
        (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        assert operation.name is not None, workload.name
        name = NameNode(value=operation.name.value + PERSISTED_SUFFIX)
        renamed = [
            OperationDefinitionNode(
                operation=operation.operation,
                name=name,
                variable_definitions=operation.variable_definitions,
                directives=operation.directives,
                selection_set=operation.selection_set,
            )
            if d is operation
            else d
            for d in document.definitions
        ]
        texts.append(print_ast(DocumentNode(definitions=tuple(renamed))))
    return "\n\n".join(texts) + "\n"


def persisted_name(workload: Workload) -> str:
    document = parse(workload.convener.document)
    (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert operation.name is not None
    return operation.name.value + PERSISTED_SUFFIX


class GraphQLError(Exception):
    pass


async def ask(
    client: JSONClient, query: GraphQLQuery, params: dict, persisted: str | None = None
) -> Any:
    """One GraphQL request (by the persisted operation's id when given, else the document);
    its ``data``, or GraphQLError when the response carries errors."""
    asked = {"id": persisted} if persisted else {"query": query.document}
    status, body = await client.post({**asked, "variables": query.variables(params)})
    if status != 200 or not isinstance(body, dict) or body.get("errors"):
        errors = body.get("errors") if isinstance(body, dict) else body
        raise GraphQLError(f"status {status}: {str(errors)[:500]}")
    return body["data"]


class Bench:
    """The three implementations of every workload, ready to ask."""

    def __init__(
        self,
        graph: Graph,
        hub_url: str,
        neo4j_graphql_url: str | None,
        headers: dict[str, str],
        cached: bool = False,
        before_url: str | None = None,
    ) -> None:
        self.cached = cached
        self.graph = graph
        self.hub_url = hub_url
        self.neo4j_graphql_url = neo4j_graphql_url
        self.hub = JSONClient(hub_url, headers)
        self.other = JSONClient(neo4j_graphql_url) if neo4j_graphql_url else None
        self.before = JSONClient(before_url, headers) if before_url else None

    async def close(self) -> None:
        await self.hub.aclose()
        if self.before is not None:
            await self.before.aclose()
        if self.other is not None:
            await self.other.aclose()

    def implementations(self, workload: Workload) -> list[str]:
        found = [CONVENER, RAW]
        if self.cached:
            found.append(CONVENER_CACHED)
        if self.before is not None:
            found.append(CONVENER_BEFORE)
        if workload.raw_uncached is not None:
            found.append(RAW_UNCACHED)
        if workload.neo4j_graphql is not None and self.neo4j_graphql_url:
            found.append(NEO4J_GRAPHQL)
            if workload.neo4j_graphql_other_way is not None:
                found.append(NEO4J_GRAPHQL_OTHER_WAY)
        return found

    @staticmethod
    def other_query(workload: Workload, implementation: str) -> GraphQLQuery:
        query = (
            workload.neo4j_graphql_other_way
            if implementation == NEO4J_GRAPHQL_OTHER_WAY
            else workload.neo4j_graphql
        )
        assert query is not None
        return query

    def hub_for(self, implementation: str) -> JSONClient:
        """The hub an implementation of Convener's is asked on."""
        if implementation == CONVENER_BEFORE:
            assert self.before is not None
            return self.before
        return self.hub

    async def answer(self, workload: Workload, implementation: str, params: dict) -> Any:
        """The information one implementation gives for ``params``."""
        if implementation in (CONVENER, CONVENER_CACHED, CONVENER_BEFORE):
            persisted = persisted_name(workload) if implementation == CONVENER_CACHED else None
            data = await ask(self.hub_for(implementation), workload.convener, params, persisted)
            return workload.convener.answer(data, params)
        if implementation in (RAW, RAW_UNCACHED):
            raw = _raw_call(workload, implementation)
            return workload.raw_answer(await raw(self.graph, params), params)
        assert self.other is not None
        query = self.other_query(workload, implementation)
        data = await ask(self.other, query, params)
        return query.answer(data, params)

    def caller(self, workload: Workload, implementation: str) -> Any:
        """A request function for the load loop: request ``n`` uses parameter set ``n % len``."""
        params = workload.params

        if implementation in (CONVENER, CONVENER_CACHED, CONVENER_BEFORE):
            persisted = persisted_name(workload) if implementation == CONVENER_CACHED else None
            hub = self.hub_for(implementation)

            async def call(n: int) -> None:
                await ask(hub, workload.convener, params[n % len(params)], persisted)

        elif implementation in (RAW, RAW_UNCACHED):
            raw = _raw_call(workload, implementation)

            async def call(n: int) -> None:
                await raw(self.graph, params[n % len(params)])

        else:
            assert self.other is not None
            other, query = self.other, self.other_query(workload, implementation)

            async def call(n: int) -> None:
                await ask(other, query, params[n % len(params)])

        return call


def _raw_call(workload: Workload, implementation: str) -> Any:
    if implementation == RAW_UNCACHED:
        assert workload.raw_uncached is not None
        return workload.raw_uncached
    return workload.raw


async def check(bench: Bench, workload: Workload) -> dict[str, Any]:
    """Whether every implementation answers every parameter set as Convener does.

    ``compared`` counts the parameter sets, ``empty`` those where Convener found nothing (the
    same then, but it shows nothing).
    """
    found: dict[str, Any] = {}
    for implementation in bench.implementations(workload)[1:]:
        mismatches, empty = [], 0
        for params in workload.params:
            expected = await bench.answer(workload, CONVENER, params)
            got = await bench.answer(workload, implementation, params)
            empty += not expected
            if not workload.same(expected, got):
                mismatches.append({"params": params, "convener": expected[:2], "other": got[:2]})
        found[implementation] = {
            "same": not mismatches,
            "compared": len(workload.params),
            "empty": empty,
            "mismatches": mismatches[:2],
        }
    return found


async def warm_up(
    bench: Bench, chosen: list[Workload], server_pid: int, seconds: float, max_rounds: int
) -> dict[str, Any]:
    """Ask every workload of every implementation at concurrency 1, in rounds, until Neo4j's
    JIT compiler has settled.

    A fresh Neo4j compiles its hot paths over its first thousands of statements, and each
    implementation sends other statements: measured at once, whoever goes first pays for the
    compiling (in one run Convener's projects p50 went 16.9, 15.0, 14.9 and 12.1 ms over four
    cells in a row, raw Cypher's 8.6 to 7.1). Each round gives each workload and implementation
    ``seconds``; rounds go on until the compiler threads' share of Neo4j's CPU in a round is at
    most SETTLED_JIT_SHARE, or for ``max_rounds``. The cells then measure a server in the state a
    running hub's Neo4j is in.
    """
    started = time.perf_counter()
    budget = Budget(seconds=seconds, warmup=1)

    async def every_query(_: int) -> None:
        for workload in chosen:
            for implementation in bench.implementations(workload):
                await measure(bench.caller(workload, implementation), 1, budget)

    rounds, share = await until_settled(server_pid, max_rounds, every_query)
    return {
        "rounds": rounds,
        "seconds_per_query": seconds,
        "last_round_jit_share": round(share, 2),
        "seconds": round(time.perf_counter() - started, 1),
    }


async def run_workload(
    bench: Bench, workload: Workload, concurrencies: list[int], budget: Budget
) -> dict[str, Any]:
    implementations = bench.implementations(workload)
    answers = await check(bench, workload)
    cells: dict[str, list[dict[str, Any]]] = {name: [] for name in implementations}
    for turn, concurrency in enumerate(concurrencies):
        if concurrency == 1:
            # Side by side at 1: the implementations take turns request by request (the slow
            # uncached baseline alone after them, so it does not set the pace).
            together = [i for i in implementations if i != RAW_UNCACHED]
            found = await measure_in_turns({i: bench.caller(workload, i) for i in together}, budget)
            if RAW_UNCACHED in implementations:
                caller = bench.caller(workload, RAW_UNCACHED)
                found[RAW_UNCACHED] = await measure(caller, 1, budget)
            for implementation, result in found.items():
                cells[implementation].append(result.as_dict())
                print(_row(workload.name, implementation, result), flush=True)
            continue
        order = (
            implementations[turn % len(implementations) :]
            + implementations[: turn % len(implementations)]
        )
        for implementation in order:
            if implementation == RAW_UNCACHED:
                continue
            result: Measurement = await measure(
                bench.caller(workload, implementation), concurrency, budget
            )
            cells[implementation].append(result.as_dict())
            print(_row(workload.name, implementation, result), flush=True)
    return {
        "query": workload.name,
        "answers_match": answers,
        "neo4j_graphql_note": workload.neo4j_graphql.note if workload.neo4j_graphql else None,
        "neo4j_graphql_missing": workload.neo4j_graphql_missing or None,
        "results": cells,
        "ratios": _ratios(cells),
    }


def _ratios(cells: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    ratios: dict[str, Any] = {}
    convener = {c["concurrency"]: c for c in cells[CONVENER]}
    for c in cells[RAW]:
        mine = convener[c["concurrency"]]
        ratios[f"p50_vs_raw_c{c['concurrency']}"] = _ratio(mine["p50_ms"], c["p50_ms"])
        ratios[f"throughput_vs_raw_c{c['concurrency']}"] = _ratio(
            mine["throughput"], c["throughput"]
        )
    raw = {c["concurrency"]: c for c in cells[RAW]}
    for c in cells.get(CONVENER_CACHED, []):
        concurrency = c["concurrency"]
        if concurrency in raw:
            ratios[f"cached_p50_vs_raw_c{concurrency}"] = _ratio(
                c["p50_ms"], raw[concurrency]["p50_ms"]
            )
        ratios[f"cached_throughput_vs_uncached_c{concurrency}"] = _ratio(
            c["throughput"], convener[concurrency]["throughput"]
        )
    for c in cells.get(CONVENER_BEFORE, []):
        mine = convener[c["concurrency"]]
        ratios[f"p50_vs_before_c{c['concurrency']}"] = _ratio(mine["p50_ms"], c["p50_ms"])
        ratios[f"throughput_vs_before_c{c['concurrency']}"] = _ratio(
            mine["throughput"], c["throughput"]
        )
    for c in cells.get(RAW_UNCACHED, []):
        mine = convener[c["concurrency"]]
        ratios[f"p50_vs_raw_uncached_c{c['concurrency']}"] = _ratio(mine["p50_ms"], c["p50_ms"])
    for c in _better_of(cells.get(NEO4J_GRAPHQL, []), cells.get(NEO4J_GRAPHQL_OTHER_WAY, [])):
        mine = convener[c["concurrency"]]
        ratios[f"p50_vs_neo4j_graphql_c{c['concurrency']}"] = _ratio(mine["p50_ms"], c["p50_ms"])
        ratios[f"throughput_vs_neo4j_graphql_c{c['concurrency']}"] = _ratio(
            mine["throughput"], c["throughput"]
        )
    return ratios


def _better_of(one: list[dict[str, Any]], other: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per concurrency, @neo4j/graphql's better cell of its two ways of asking (the faster
    p50, the higher throughput; each taken where it is better)."""
    others = {c["concurrency"]: c for c in other}
    better = []
    for cell in one:
        alternative = others.get(cell["concurrency"])
        if alternative is None:
            better.append(cell)
            continue
        better.append(
            {
                **cell,
                "p50_ms": min(cell["p50_ms"], alternative["p50_ms"]),
                "throughput": max(cell["throughput"], alternative["throughput"]),
            }
        )
    return better


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def _row(query: str, implementation: str, m: Measurement) -> str:
    return (
        f"{query:20}{implementation:21}{m.concurrency:>5}{m.requests:>7}{m.errors:>5}{m.cut:>5}"
        f"{m.p50_ms:>10.1f}{m.p95_ms:>10.1f}{m.p99_ms:>10.1f}{m.throughput:>10.1f}"
    )


HEADER = (
    f"{'query':20}{'implementation':21}{'conc':>5}{'n':>7}{'err':>5}{'cut':>5}"
    f"{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'req/s':>10}"
)


async def root_fields(client: JSONClient) -> set[str]:
    """The root query fields the hub's API has (``duplicates`` lands with issue 6)."""
    introspect = GraphQLQuery(
        "{ __schema { queryType { fields { name } } } }", lambda _: {}, lambda data, _: data
    )
    data = await ask(client, introspect, {})
    return {field["name"] for field in data["__schema"]["queryType"]["fields"]}


async def score_similarity(graph: Graph) -> float:
    """Score every project (SIMILAR_TO) so ``duplicates`` has pairs to read; seconds taken."""
    started = time.perf_counter()
    await rescore_all(graph)
    return time.perf_counter() - started


async def choose(
    bench: Bench, region: SyntheticRegion, names: list[str]
) -> tuple[list[Workload], dict[str, str], float | None]:
    """The named workloads the hub's API can answer, those it cannot (and why), and the seconds
    the similarity scan took when ``duplicates`` needs one."""
    fields = await root_fields(bench.hub)
    wanted = [w for w in workloads(region) if w.name in names]
    chosen = [w for w in wanted if w.root_field in fields]
    absent = {w.name: NOT_IN_API for w in wanted if w.root_field not in fields}
    scan_s = None
    if any(w.name == "duplicates" for w in chosen):
        scan_s = await score_similarity(bench.graph)
    return chosen, absent, scan_s


async def run(args: argparse.Namespace) -> dict[str, Any]:
    spec = spec_from(args)
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    budget = Budget(seconds=args.seconds, max_requests=args.max_requests, warmup=args.warmup)
    hub_env = dict(item.split("=", 1) for item in args.hub_env)
    headers = dict(item.split(":", 1) for item in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    started = time.perf_counter()
    async with running_region(spec, args.data_dir) as loaded:
        print(_loaded(loaded), flush=True)
        with (
            tempfile.TemporaryDirectory(prefix="convener-bench-api-") as scratch,
            ExitStack() as stack,
        ):
            work = Path(scratch)
            persisted = work / "persisted"
            persisted.mkdir()
            (persisted / "bench.graphql").write_text(
                persisted_documents(workloads(loaded.region)), encoding="utf-8"
            )
            hub_env = {"CONVENER_EXTRA_PERSISTED_DIR": str(persisted), **hub_env}
            hub = stack.enter_context(
                servers.hub(loaded.server.uri, work, hub_env, workers=args.hub_workers)
            )
            missing = "skipped (--no-neo4j-graphql)" if args.no_neo4j_graphql else None
            missing = missing or servers.neo4j_graphql_missing()
            other = None
            if missing is None:
                other = stack.enter_context(servers.neo4j_graphql(loaded.server.uri, work))
            before = None
            if args.before is not None:
                before = stack.enter_context(
                    servers.hub(loaded.server.uri, work, hub_env, args.hub_workers, args.before)
                )
            bench = Bench(
                loaded.graph,
                hub.url,
                other.url if other else None,
                headers,
                cached=True,
                before_url=before.url if before else None,
            )
            try:
                chosen, absent, scan_s = await choose(bench, loaded.region, args.queries)
                if scan_s is not None:
                    print(f"similarity full scan (for duplicates): {scan_s:.1f} s", flush=True)
                warmed = await warm_up(
                    bench, chosen, loaded.server.pid, args.warmup_seconds, args.warmup_rounds
                )
                print(
                    f"warm-up: {warmed['rounds']} rounds in {warmed['seconds']} s, the JIT's "
                    f"share of Neo4j's CPU in the last {warmed['last_round_jit_share']:.0%}",
                    flush=True,
                )
                print(HEADER, flush=True)
                results = [await run_workload(bench, w, concurrencies, budget) for w in chosen]
                hub_errors = servers.logged_errors(hub.log)
                for line in hub_errors:
                    print(f"hub log: {line}", flush=True)
                memory = {
                    "hub": hub.memory(),
                    "neo4j_graphql": other.memory() if other else None,
                    "neo4j": servers.process_memory(loaded.server.pid),
                }
            finally:
                await bench.close()
    return {
        "name": "api",
        "machine": machine_details(),
        "neo4j": local_neo4j.neo4j_version(),
        "region": {
            **spec.__dict__,
            "records": loaded.records,
            "load_seconds": round(loaded.load_seconds, 1),
            "load_records_per_s": round(loaded.records_per_s) if not loaded.reused else None,
            "reused": loaded.reused,
        },
        "budget": budget.__dict__,
        "warmup": warmed,
        "concurrency": concurrencies,
        "hub_workers": args.hub_workers,
        "before": _before(args.before),
        "neo4j_graphql": "ran" if missing is None else missing,
        "not_measured": absent,
        "similarity_full_scan_s": round(scan_s, 1) if scan_s is not None else None,
        "queries": results,
        "hub_log_errors": hub_errors,
        "memory_mib": memory,
        "targets": TARGETS,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _before(code: Path | None) -> dict[str, str] | None:
    """Which commit ``--before`` ran, as git names it."""
    if code is None:
        return None
    commit = subprocess.run(
        ["git", "-C", str(code), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return {"path": str(code), "commit": commit}


def _loaded(loaded: LoadedRegion) -> str:
    if loaded.reused:
        return f"region: {loaded.records:,} records (reused)"
    return (
        f"region: {loaded.records:,} records loaded in {loaded.load_seconds:.1f} s "
        f"({loaded.records_per_s:,.0f} records/s through sync_source)"
    )


def summary(result: dict[str, Any]) -> list[str]:
    """Ratios against the targets, one line per query."""
    lines = []
    for q in result["queries"]:
        r = q["ratios"]
        match = ", ".join(
            f"{name} {'same' if v['same'] else 'DIFFERENT'}"
            for name, v in q["answers_match"].items()
        )
        line = f"{q['query']:20} p50 vs raw (c1): {r.get('p50_vs_raw_c1')}x (target <= 1.5)"
        if "p50_vs_raw_uncached_c1" in r:
            line += f" (vs raw Cypher without the cache: {r['p50_vs_raw_uncached_c1']}x)"
        if "throughput_vs_neo4j_graphql_c16" in r:
            ratio = r["throughput_vs_neo4j_graphql_c16"]
            line += f"; req/s vs @neo4j/graphql (c16): {ratio}x (target >= 1)"
        else:
            line += "; @neo4j/graphql: not expressible"
        if "p50_vs_before_c1" in r:
            line += (
                f"; vs before: p50 (c1) {r['p50_vs_before_c1']}x, "
                f"req/s (c16) {r.get('throughput_vs_before_c16')}x"
            )
        if "cached_p50_vs_raw_c1" in r:
            line += f"; cached answer p50 vs raw (c1): {r['cached_p50_vs_raw_c1']}x (target <= 0.5)"
        if "cached_throughput_vs_uncached_c16" in r:
            line += (
                f", req/s vs uncached (c16): {r['cached_throughput_vs_uncached_c16']}x "
                "(target >= 5)"
            )
        lines.append(f"{line}; answers: {match}")
    hub = result["memory_mib"]["hub"]
    lines.append(
        f"hub memory: {hub['rss_mib']} MiB RSS (peak {hub['peak_rss_mib']} MiB) "
        f"at {result['region']['projects']:,} projects"
    )
    for name, why in result["not_measured"].items():
        lines.append(f"{name}: not measured ({why})")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_region_arguments(parser, projects=5_000)
    parser.add_argument("--concurrency", default="1,16,64")
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per cell")
    parser.add_argument("--max-requests", type=int, default=2_000, help="per cell")
    parser.add_argument(
        "--warmup", type=int, default=4, help="requests before each cell (at least 1 a worker)"
    )
    parser.add_argument(
        "--warmup-seconds",
        type=float,
        default=1.0,
        help="seconds per query and implementation in each warm-up round (at concurrency 1)",
    )
    parser.add_argument(
        "--warmup-rounds",
        type=int,
        default=6,
        help="warm-up rounds at most, fewer once Neo4j's JIT has settled (0: none)",
    )
    parser.add_argument("--name", default="api", help="results file: bench/results/<name>.json")
    parser.add_argument(
        "--queries",
        default="projects,whoElse,search,crossBoundaryLinks,duplicates",
        type=lambda s: s.split(","),
    )
    parser.add_argument(
        "--hub-workers",
        type=int,
        default=HUB_WORKERS,
        help="hub processes (convener serve --workers); @neo4j/graphql runs one Node process",
    )
    parser.add_argument("--no-neo4j-graphql", action="store_true")
    parser.add_argument(
        "--before",
        type=Path,
        metavar="CHECKOUT",
        help="also run the hub of this checkout (e.g. a `git worktree` of an earlier commit) "
        "beside this one's, asked the same documents: a before/after table from one run",
    )
    parser.add_argument(
        "--hub-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the hub (e.g. to turn rate limits off); repeatable",
    )
    parser.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="NAME: VALUE",
        help="a header on every request to the hub (e.g. an admin key); repeatable",
    )
    args = parser.parse_args()
    result = asyncio.run(run(args))
    RESULTS.mkdir(exist_ok=True)
    result["name"] = args.name
    (RESULTS / f"{args.name}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    print()
    print("\n".join(summary(result)))


if __name__ == "__main__":
    main()
