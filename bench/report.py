"""The latest numbers as Markdown, written into bench/README.md between its markers.

    .venv/bin/python -m bench.report

Reads bench/results/ingest.json and bench/results/api*.json and replaces what lies between
``<!-- latest:start -->`` and ``<!-- latest:end -->`` in bench/README.md; the rest of the file
(how to read the numbers, other benches' sections) stays as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
RESULTS = HERE / "results"
README = HERE / "README.md"
START, END = "<!-- latest:start -->", "<!-- latest:end -->"


def _load(name: str) -> dict[str, Any] | None:
    try:
        return json.loads((RESULTS / f"{name}.json").read_text())
    except (OSError, ValueError):
        return None


def _machine(result: dict[str, Any]) -> str:
    m = result["machine"]
    return f"{m['when']}, {m['cpus']} cores, {m['memory_gib']} GiB, Neo4j {result['neo4j']}"


def ingest_section(result: dict[str, Any]) -> list[str]:
    rows = [
        ("first load", result["first_load"]),
        ("unchanged re-load", result["unchanged_reload"]),
        ("row-by-row baseline", result["naive_baseline"]),
    ]
    return [
        f"### Ingestion ({result['records']:,} records; {_machine(result)})",
        "",
        "| | seconds | records/s |",
        "| --- | ---: | ---: |",
        *(f"| {label} | {row['seconds']} | {row['records_per_s']:,} |" for label, row in rows),
        "",
        f"First load {result['speedup_vs_baseline']}x the baseline (target 10x, and "
        f">= 10,000 records/s); unchanged re-load {result['reload_speedup']}x faster (target 3x).",
        "",
    ]


def api_section(result: dict[str, Any]) -> list[str]:
    region = result["region"]
    lines = [
        f"### API ({region['projects']:,} projects, {region['records']:,} records; "
        f"{_machine(result)})",
        "",
        "| query | implementation | concurrency | requests | errors | cut | p50 ms | p95 ms "
        "| p99 ms | req/s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for query in result["queries"]:
        for implementation, cells in query["results"].items():
            for c in cells:
                lines.append(
                    f"| {query['query']} | {implementation} | {c['concurrency']} | {c['requests']} "
                    f"| {c['errors']} | {c.get('cut', 0)} | {c['p50_ms']} | {c['p95_ms']} "
                    f"| {c['p99_ms']} "
                    f"| {c['throughput']} |"
                )
    lines += [
        "",
        "| query | p50 Convener / raw (c1, target <= 1.5) | req/s Convener / @neo4j/graphql "
        "(c16, target >= 1) | answers |",
        "| --- | ---: | ---: | --- |",
    ]
    for query in result["queries"]:
        ratios = query["ratios"]
        versus = ratios.get("throughput_vs_neo4j_graphql_c16", "not expressible")
        answers = ", ".join(
            f"{name}: {'same' if a['same'] else 'DIFFERENT'} ({a['compared']} sets)"
            for name, a in query["answers_match"].items()
        )
        p50 = ratios.get("p50_vs_raw_c1")
        if "p50_vs_raw_uncached_c1" in ratios:
            p50 = f"{p50} ({ratios['p50_vs_raw_uncached_c1']} vs raw Cypher without the cache)"
        lines.append(f"| {query['query']} | {p50} | {versus} | {answers} |")
    hub = result["memory_mib"]["hub"]
    workers = result.get("hub_workers", 1)
    lines += [
        "",
        f"Hub: {workers} worker process{'es' if workers > 1 else ''}. Hub memory after the run: "
        f"{hub['rss_mib']} MiB resident (peak {hub['peak_rss_mib']} MiB"
        f"{', all workers' if workers > 1 else ''}) at {region['projects']:,} projects.",
    ]
    if result.get("similarity_full_scan_s") is not None:
        lines.append(
            f"Similarity full scan before `duplicates`: {result['similarity_full_scan_s']} s."
        )
    for name, why in result.get("not_measured", {}).items():
        lines.append(f"Not measured: `{name}` ({why}).")
    return [*lines, ""]


def duplicates_section(result: dict[str, Any]) -> list[str]:
    targets = result["targets"]
    lines = [
        f"### Duplicate detection ({_machine(result)})",
        "",
        "| projects | full scan s | Python CPU s | Neo4j CPU s | candidates | stored pairs "
        "| one new project ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in result["runs"]:
        cpu = run.get("full_scan_cpu_s", {})
        lines.append(
            f"| {run['projects']:,} | {run['full_scan_s']} | {cpu.get('python', '')} "
            f"| {cpu.get('neo4j', '')} | {run['candidates']:,} | {run['stored_pairs']:,} "
            f"| {run['one_new_project_ms']} |"
        )
    return [
        *lines,
        "",
        f"Targets: 100,000 projects scanned in <= {targets['full_scan_100k_s']} s, one new "
        f"project in <= {targets['one_new_project_ms']} ms (median of five updates).",
        "",
    ]


def latest() -> str:
    parts: list[str] = []
    ingest = _load("ingest")
    if ingest:
        parts += ingest_section(ingest)
    for path in sorted(RESULTS.glob("api*.json"), key=lambda p: (p.stem != "api", p.stem)):
        api = _load(path.stem)
        if api:
            parts += api_section(api)
    duplicates = _load("duplicates")
    if duplicates:
        parts += duplicates_section(duplicates)
    return "\n".join(parts) or "No results yet: run `make bench`.\n"


def main() -> None:
    text = README.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{README} has no {START} ... {END} block")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{latest()}\n{END}{tail}")
    print(f"updated {README}")


if __name__ == "__main__":
    main()
