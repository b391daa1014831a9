"""The latest numbers as Markdown, written into bench/README.md between its markers.

    .venv/bin/python -m bench.report

Reads bench/results/ingest.json, api*.json, explorer.json and duplicates.json and replaces
what lies between
``<!-- latest:start -->`` and ``<!-- latest:end -->`` in bench/README.md; the rest of the file
(how to read the numbers, other benches' sections) stays as it is.
"""

from __future__ import annotations

import json
import re
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


def met(ok: bool | None) -> str:
    return "no result" if ok is None else ("met" if ok else "**missed**")


def ingest_section(result: dict[str, Any]) -> list[str]:
    rows = [
        ("first load", result["first_load"]),
        ("unchanged re-load", result["unchanged_reload"]),
        ("row-by-row baseline", result["naive_baseline"]),
    ]
    bulk = result.get("bulk_baseline")
    if bulk:
        rows.append(("bulk UNWIND ... MERGE (the physical limit)", bulk))
    first = result["first_load"]
    lines = [
        f"### Ingestion ({result['records']:,} records; {_machine(result)})",
        "",
        "| | seconds | records/s |",
        "| --- | ---: | ---: |",
        *(f"| {label} | {row['seconds']} | {row['records_per_s']:,} |" for label, row in rows),
        "",
        f"First load {first['records_per_s']:,} records/s (target 10,000: "
        f"{met(first['records_per_s'] >= 10_000)}), {result['speedup_vs_baseline']}x the "
        f"row-by-row baseline (target 10x: {met(result['speedup_vs_baseline'] >= 10)}); "
        f"unchanged re-load {result['reload_speedup']}x faster (target 3x: "
        f"{met(result['reload_speedup'] >= 3)}).",
    ]
    if bulk:
        lines.append(
            f"The first load is {result['share_of_physical_limit']:.0%} of the physical limit: "
            f"that writes the same nodes and links with {bulk['neo4j_cpu_s']} s of Neo4j CPU and "
            f"{bulk['python_cpu_s']} s of Python, the first load with {first['neo4j_cpu_s']} s "
            f"and {first['python_cpu_s']} s (provenance on every node and link, resolution of "
            "organisations, people and topics, change detection, links between organisations "
            "and the kept counts)."
        )
    return [*lines, ""]


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
    cached = [q for q in result["queries"] if "cached_p50_vs_raw_c1" in q["ratios"]]
    if cached:
        lines += [
            "",
            "| query | cached answer p50 / raw (c1, target <= 0.5) | cached req/s / uncached "
            "(c16, target >= 5) |",
            "| --- | ---: | ---: |",
        ]
        for query in cached:
            r = query["ratios"]
            p50, speedup = r.get("cached_p50_vs_raw_c1"), r.get("cached_throughput_vs_uncached_c16")
            uncached_raw = _cached_vs_uncached_raw(query)
            lines.append(
                f"| {query['query']} | {p50} ({met(p50 is not None and p50 <= 0.5)})"
                + (f"; {uncached_raw} vs raw Cypher without the cache" if uncached_raw else "")
                + f" | {speedup} ({met(None if speedup is None else speedup >= 5)}) |"
            )
    lines += before_after(result)
    lines += links_at_scale(result)
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


def links_at_scale(result: dict[str, Any]) -> list[str]:
    """Issue 24's target for ``crossBoundaryLinks`` uncached at 100,000 projects."""
    if result["region"]["projects"] < 100_000:
        return []
    for query in result["queries"]:
        if query["query"] != "crossBoundaryLinks":
            continue
        cells = {c["concurrency"]: c for c in query["results"].get("convener", [])}
        if 1 not in cells or 16 not in cells:
            return []
        p50, p95 = cells[1]["p50_ms"], cells[16]["p95_ms"]
        return [
            "",
            f"crossBoundaryLinks uncached: p50 {p50} ms at concurrency 1 (target < 100: "
            f"{met(p50 < 100)}), p95 {p95} ms at 16 (target < 1000: {met(p95 < 1000)}).",
        ]
    return []


def before_after(result: dict[str, Any]) -> list[str]:
    """This commit's hub beside an earlier one's (``--before``), measured in the same run."""
    before = result.get("before")
    if not before:
        return []
    lines = [
        "",
        f"Before ({before['commit']}) and after (this commit), the same documents as text, "
        "side by side in this run:",
        "",
        "| query | p50 ms c1 before | p50 ms c1 after | req/s c16 before | req/s c16 after |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for query in result["queries"]:
        cells = query["results"]
        old = {c["concurrency"]: c for c in cells.get("convener-before", [])}
        new = {c["concurrency"]: c for c in cells.get("convener", [])}
        if 1 not in old or 16 not in old:
            continue
        lines.append(
            f"| {query['query']} | {old[1]['p50_ms']} | {new[1]['p50_ms']} "
            f"| {old[16]['throughput']} | {new[16]['throughput']} |"
        )
    return lines


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


def _explorer_cell(cell: dict[str, Any]) -> str:
    """p50 / p95, or why no request was answered (every one refused, say)."""
    if cell["requests"] == 0:
        error = cell.get("first_error") or ""
        message = re.search(r"'message': '([^']*)'", error)
        reason = message.group(1) if message else error[:90]
        return f"none answered ({cell['errors']} errors: {reason})"
    return f"{cell['p50_ms']} / {cell['p95_ms']}"


def _missed(result: dict[str, Any], kind: str, limit: float) -> list[str]:
    """The queries whose ``kind`` cell's p95 is over ``limit``, failed, or was not measured."""
    missed = []
    for query in result["queries"]:
        cell = query["cells"].get(kind)
        if cell is None or cell["requests"] == 0 or not cell["p95_ms"] <= limit:
            missed.append(query["query"])
    return missed


def _cached_vs_uncached_raw(query: dict[str, Any]) -> float | None:
    """The cached answer's p50 over ``raw-cypher-uncached``'s at concurrency 1, where the raw
    side reads a cache of its own (``duplicates``) and the uncached one works the answer out."""
    p50 = {
        name: next((c["p50_ms"] for c in cells if c["concurrency"] == 1), None)
        for name, cells in query["results"].items()
    }
    cached, raw = p50.get("convener-cached"), p50.get("raw-cypher-uncached")
    return round(cached / raw, 3) if cached and raw else None


def explorer_section(result: dict[str, Any]) -> list[str]:
    region = result["region"]
    kinds = next((list(q["cells"]) for q in result["queries"] if q["cells"]), [])
    warmed = result.get("warmup_s")
    lines = [
        f"### The explorer's queries ({region['projects']:,} projects; "
        f"{result['machine']['when']}, {result['machine']['cpus']} cores)",
        "",
        *(
            [f"Each cell measured after {warmed:g} s of the same requests at its concurrency.", ""]
            if warmed
            else []
        ),
        "| query | " + " | ".join(f"{k} p50 / p95 ms" for k in kinds) + " |",
        "| --- | " + " | ".join("---:" for _ in kinds) + " |",
    ]
    for query in result["queries"]:
        if not query["cells"]:
            refused = f"not measured: {query.get('error', '')[:160]}"
            lines.append(f"| {query['query']} | {refused} |" + " |" * (len(kinds) - 1))
            continue
        cells = [_explorer_cell(query["cells"][k]) for k in kinds]
        lines.append(f"| {query['query']} | " + " | ".join(cells) + " |")
    targets = result["targets"]
    c1, c16 = targets["uncached_p95_ms_c1_max"], targets["uncached_p95_ms_c16_max"]
    missed_c1, missed_c16 = _missed(result, "uncached_c1", c1), _missed(result, "uncached_c16", c16)
    lines += [
        "",
        f"Every query's p95 uncached under {c1:g} ms at concurrency 1: "
        f"{met(not missed_c1)}" + (f" ({', '.join(missed_c1)})" if missed_c1 else "") + "; "
        f"under {c16:g} ms at 16: {met(not missed_c16)}"
        + (
            f" ({len(missed_c16)} of {len(result['queries'])}: {', '.join(missed_c16)})"
            if missed_c16
            else ""
        )
        + ".",
        "",
    ]
    return lines


def latest() -> str:
    parts: list[str] = []
    ingest = _load("ingest")
    if ingest:
        parts += ingest_section(ingest)
    for path in sorted(RESULTS.glob("api*.json"), key=lambda p: (p.stem != "api", p.stem)):
        api = _load(path.stem)
        if api:
            parts += api_section(api)
    explorer = _load("explorer")
    if explorer:
        parts += explorer_section(explorer)
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
