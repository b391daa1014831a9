"""Bad rows never retire good records: a record the source still lists but that fails validation
is kept as it was and named in the run; only what the source no longer lists is retired."""

from __future__ import annotations

from pathlib import Path

from connectors.partners import PartnersFile, load_partners
from graph.database import Graph
from hub.sync.run import run_sync

PARTNERS = """
systems:
  - {id: zedvale-ics, name: Zedvale Integrated Care System}
partners:
  - id: em-council
    name: Eastmoor County Council
    sector: local_government
    system: zedvale-ics
    sources:
      - id: em-register
        kind: tabular
        path: register.csv
        entities: [project]
        mapping:
          project:
            fields: {ref: Ref, title: Title, start_date: Start, end_date: End}
"""
HEADER = "Ref,Title,Start,End\n"
GOOD = [f"EM-{i},Warm homes scheme {i},2025-01-0{i},2025-06-0{i}\n" for i in range(1, 10)]
GOOD.append("EM-10,Warm homes scheme 10,2025-01-10,2025-06-10\n")
BROKEN = {
    "EM-2": "EM-2,,2025-01-02,2025-06-02\n",  # the title was deleted
    "EM-5": "EM-5,Warm homes scheme 5,2025-06-05,2025-01-05\n",  # ends before it starts
    "EM-7": "EM-7,Warm homes scheme 7,2025-02-30,2025-06-07\n",  # no such day
}
ACTIVE = """MATCH (p:Project) WHERE p.retiredAt IS NULL
            RETURN p.id AS id, p.title AS title, toString(p.startDate) AS start ORDER BY id"""


def partners_with(tmp_path: Path, rows: list[str]) -> PartnersFile:
    (tmp_path / "register.csv").write_text(HEADER + "".join(rows))
    path = tmp_path / "partners.yaml"
    path.write_text(PARTNERS)
    return load_partners(path)


def with_broken(rows: list[str]) -> list[str]:
    return [BROKEN.get(row.split(",")[0], row) for row in rows]


async def test_three_rows_now_invalid_keep_their_projects_as_they_were(
    graph: Graph, tmp_path: Path
) -> None:
    first = await run_sync(graph, partners_with(tmp_path, GOOD))
    assert first.ok and first.outcomes[0].summary.created == 10
    before = await graph.read(ACTIVE)
    assert len(before) == 10

    report = await run_sync(graph, partners_with(tmp_path, with_broken(GOOD)))
    summary = report.outcomes[0].summary
    assert (summary.status, summary.retired, summary.rejected, summary.kept) == (
        "succeeded",
        0,
        3,
        3,
    )
    assert await graph.read(ACTIVE) == before  # all ten, EM-2, EM-5 and EM-7 as they were
    assert len(summary.errors) == 3
    for ref, field in (("EM-2", "title"), ("EM-5", "end_date"), ("EM-7", "start_date")):
        (error,) = [e for e in summary.errors if f"(ref '{ref}')" in e]
        assert error.startswith("em-register, line ")
        assert field in error
        assert error.endswith("; the project is kept as it was")
    stored = await graph.read(
        "MATCH (r:SyncRun {id: $id}) RETURN r.kept AS kept, r.rejected AS rejected",
        {"id": summary.run_id},
    )
    assert stored == [{"kept": 3, "rejected": 3}]


async def test_a_row_the_source_no_longer_lists_is_still_retired(
    graph: Graph, tmp_path: Path
) -> None:
    await run_sync(graph, partners_with(tmp_path, GOOD))
    rows = [row for row in with_broken(GOOD) if not row.startswith("EM-9,")]
    summary = (await run_sync(graph, partners_with(tmp_path, rows))).outcomes[0].summary
    assert (summary.retired, summary.kept) == (1, 3)
    assert summary.would_retire == ["em-register|project|EM-9"]
    active = {row["id"] for row in await graph.read(ACTIVE)}
    assert len(active) == 9 and "em-register:EM-9" not in active


async def test_a_rejected_row_without_a_ref_holds_back_retirement_of_its_kind(
    graph: Graph, tmp_path: Path
) -> None:
    """The row lost its ref as well as its title: it may be the project that went missing, so
    nothing of that kind is retired this time, and the run says why."""
    await run_sync(graph, partners_with(tmp_path, GOOD))
    rows = [",,2025-01-03,2025-06-03\n" if row.startswith("EM-3,") else row for row in GOOD]
    summary = (await run_sync(graph, partners_with(tmp_path, rows))).outcomes[0].summary
    assert (summary.status, summary.retired, summary.rejected, summary.kept) == (
        "succeeded",
        0,
        1,
        0,
    )
    assert summary.notes == [
        "1 projects missing from this pull were not retired: some rejected rows name no ref, "
        "so they may be those records."
    ]
    assert len(await graph.read(ACTIVE)) == 10
