"""Safe deletion: what a source stops listing is retired for that source alone, with guards."""

from __future__ import annotations

from graph.database import Graph
from graph.ingest import IngestOptions, sync_source
from tests.ingest_helpers import at, count, person, project, snapshot, source

TRUST = source("trust-register")
CHARITY = source("charity-register")
WHERE = at(ods_code="ZNV01")


def register(n: int = 20) -> list:
    """n projects, plus two people who also appear in the charity's register."""
    projects = [project(f"j{i}", f"Project number {i}", topics=["falls"]) for i in range(n - 2)]
    people = [
        person("p-ada", "Ada Quill", organisation=WHERE, email="ada@nvh.example"),
        person("p-bram", "Bram Ostrava", organisation=WHERE),
    ]
    return projects + people


async def active_keys(graph: Graph, source_id: str) -> set[str]:
    rows = await graph.read(
        "MATCH (:Source {id: $s})-[a:ASSERTS]->() WHERE a.retiredAt IS NULL RETURN a.key AS key",
        {"s": source_id},
    )
    return {row["key"] for row in rows}


async def test_a_pull_that_drops_80_percent_retires_nothing_and_is_flagged(graph: Graph) -> None:
    records = register()
    await sync_source(graph, TRUST, records)
    before = await snapshot(graph)

    dry = await sync_source(graph, TRUST, records[:4], dry_run=True)
    assert dry.status == "flagged" and "a sync would retire none of them" in (dry.flag_reason or "")
    assert "was retired" not in (dry.flag_reason or "")  # true of a dry run too, but not the news

    summary = await sync_source(graph, TRUST, records[:4])
    assert summary.status == "flagged"
    assert summary.retired == 0
    assert "would retire 16 of 20 records (80%)" in (summary.flag_reason or "")
    assert "; nothing was retired." in (summary.flag_reason or "")
    assert len(summary.would_retire) == 16
    assert len(await active_keys(graph, TRUST.id)) == 20
    assert await count(graph, "MATCH (n) WHERE n.retiredAt IS NOT NULL RETURN count(n) AS n") == 0
    assert await snapshot(graph) == before
    stored = await graph.read(
        "MATCH (r:SyncRun {id: $id}) RETURN r.status AS status, r.flagReason AS reason",
        {"id": summary.run_id},
    )
    assert stored[0]["status"] == "flagged" and "80%" in stored[0]["reason"]


async def test_a_pull_that_drops_10_percent_retires_exactly_those_for_that_source(
    graph: Graph,
) -> None:
    records = register()
    await sync_source(graph, TRUST, records)
    await sync_source(
        graph, CHARITY, [person("c-ada", "Ada Quill", organisation=WHERE, email="ada@nvh.example")]
    )
    dropped = {"j0", "p-ada"}  # 2 of 20: a project only the trust lists, a person both list
    summary = await sync_source(graph, TRUST, [r for r in records if r.ref not in dropped])

    assert (summary.status, summary.retired) == ("succeeded", 2)
    assert sorted(summary.would_retire) == [f"{TRUST.id}|person|p-ada", f"{TRUST.id}|project|j0"]
    assert len(await active_keys(graph, TRUST.id)) == 18
    assert await active_keys(graph, CHARITY.id) == {f"{CHARITY.id}|person|c-ada"}

    retired = await graph.read(
        "MATCH (n) WHERE n.retiredAt IS NOT NULL RETURN coalesce(n.title, n.name) AS name"
    )
    assert retired == [{"name": "Project number 0"}]  # Ada stays: the charity still lists her
    ada_links = await graph.read(
        "MATCH (:Person {name: 'Ada Quill'})-[r:WORKS_FOR]->() "
        "RETURN r.source AS source, r.retiredAt IS NULL AS active ORDER BY source"
    )
    assert ada_links == [
        {"source": CHARITY.id, "active": True},
        {"source": TRUST.id, "active": False},
    ]


async def test_a_retired_record_that_returns_is_active_again(graph: Graph) -> None:
    records = register()
    await sync_source(graph, TRUST, records)
    await sync_source(graph, TRUST, records[1:])
    back = await sync_source(graph, TRUST, records)
    assert (back.updated, back.retired) == (1, 0)
    assert await count(graph, "MATCH (n) WHERE n.retiredAt IS NOT NULL RETURN count(n) AS n") == 0
    assert (
        await count(graph, "MATCH ()-[r]->() WHERE r.retiredAt IS NOT NULL RETURN count(r) AS n")
        == 0
    )


async def test_failed_and_partial_pulls_retire_nothing(graph: Graph) -> None:
    records = register()
    await sync_source(graph, TRUST, records)
    failed = await sync_source(graph, TRUST, records[:15], failure="HTTP 500 on page 2")
    assert (failed.status, failed.retired) == ("failed", 0)
    assert failed.errors[0] == f"{TRUST.id}: HTTP 500 on page 2"
    partial = await sync_source(graph, TRUST, records[:15], complete=False)
    assert (partial.status, partial.retired) == ("succeeded", 0)
    assert len(await active_keys(graph, TRUST.id)) == 20


async def test_the_share_that_may_be_retired_is_configurable(graph: Graph) -> None:
    records = register()
    await sync_source(graph, TRUST, records)
    strict = IngestOptions(max_retire_share=0.05)
    summary = await sync_source(graph, TRUST, records[2:], options=strict)
    assert (summary.status, summary.retired) == ("flagged", 0)


async def test_a_dry_run_shows_what_would_change_and_writes_nothing(graph: Graph) -> None:
    records = register()
    await sync_source(graph, TRUST, records)
    before = await snapshot(graph)
    runs_before = await count(graph, "MATCH (r:SyncRun) RETURN count(r) AS n")

    changed = [
        r.model_copy(update={"title": "Renamed"}) if r.ref == "j1" else r for r in records[1:]
    ]
    changed.append(project("new", "A new project"))
    preview = await sync_source(graph, TRUST, changed, dry_run=True)

    assert preview.dry_run
    assert (preview.created, preview.updated, preview.unchanged, preview.retired) == (1, 1, 18, 1)
    assert preview.would_retire == [f"{TRUST.id}|project|j0"]
    assert await snapshot(graph) == before
    assert await count(graph, "MATCH (r:SyncRun) RETURN count(r) AS n") == runs_before
