"""Ingestion: idempotent upserts with provenance, skipped unchanged records, sync runs."""

from __future__ import annotations

from connectors.records import ProjectMember, RecordError
from graph.database import Graph
from graph.ingest import IngestOptions, SystemInfo, store_systems, sync_source
from tests.ingest_helpers import at, count, org, person, project, resource, snapshot, source

REGISTER = source("nv-hospitals-projects", "nv-hospitals")


def region() -> list:
    return [
        org(
            "o1",
            "North Vale Hospitals NHS Foundation Trust",
            ods_code="ZNV01",
            sector="nhs",
            system="north-vale",
        ),
        person(
            "p1",
            "Ada Quill",
            role="Falls lead",
            organisation=at(ods_code="ZNV01"),
            email="ada.quill@nvh.example",
            contact_consent=True,
            public=True,
            offers=["mentoring"],
            interests=["falls"],
        ),
        person(
            "p2",
            "Bram Ostrava",
            organisation=at(ods_code="ZNV01"),
            email="bram@nvh.example",
            contact_consent=False,
            interests=["sepsis"],
        ),
        project(
            "j1",
            "Reducing inpatient falls on elderly care wards",
            aim="Cut falls with harm by a third",
            topics=["Inpatient falls", "Frailty"],
            methods=["PDSA", "SPC charts"],
            status="active",
            start_date="2024-03-01",
            lead_organisation=at("North Vale Hospitals NHS Foundation Trust"),
            partner_organisations=[at("Eastmoor County Council")],
            members=[ProjectMember(person="p1", role="lead"), "p2"],
        ),
        project(
            "j2",
            "Sepsis screening in the emergency department",
            topics=["sepsis"],
            lead_organisation=at(ods_code="ZNV01"),
            members=["p2"],
        ),
        resource(
            "r1",
            "Falls prevention toolkit",
            resource_type="toolkit",
            project="j1",
            topics=["falls"],
            organisation=at(ods_code="ZNV01"),
        ),
    ]


async def test_ingesting_the_same_records_twice_leaves_the_graph_identical(graph: Graph) -> None:
    await store_systems(graph, [SystemInfo("north-vale", "North Vale ICS")])
    first = await sync_source(graph, REGISTER, region())
    assert (first.status, first.created, first.updated) == ("succeeded", 6, 0)
    before = await snapshot(graph)

    second = await sync_source(graph, REGISTER, region())
    assert (second.created, second.updated, second.unchanged) == (0, 0, 6)
    assert await snapshot(graph) == before


async def test_the_graph_has_the_model_with_provenance(graph: Graph) -> None:
    await store_systems(graph, [SystemInfo("north-vale", "North Vale ICS")])
    summary = await sync_source(graph, REGISTER, region())

    links = await graph.read(
        "MATCH (a)-[r]->(b) WHERE r.source = $source "
        "RETURN a.id AS a, type(r) AS type, b.id AS b, r.role AS role ORDER BY a, type, b",
        {"source": REGISTER.id},
    )
    ada = (await graph.read("MATCH (p:Person {name: 'Ada Quill'}) RETURN p.id AS id"))[0]["id"]
    bram = (await graph.read("MATCH (p:Person {name: 'Bram Ostrava'}) RETURN p.id AS id"))[0]["id"]
    j1, j2, r1 = (f"{REGISTER.id}:{ref}" for ref in ("j1", "j2", "r1"))
    expected = [
        {"a": j1, "type": "ABOUT", "b": "falls", "role": None},
        {"a": j1, "type": "ABOUT", "b": "frailty", "role": None},
        {"a": j1, "type": "IN_PARTNERSHIP_WITH", "b": "org:eastmoor-county-council", "role": None},
        {"a": j1, "type": "RUN_BY", "b": "ods:ZNV01", "role": None},
        {"a": j2, "type": "ABOUT", "b": "sepsis", "role": None},
        {"a": j2, "type": "RUN_BY", "b": "ods:ZNV01", "role": None},
        {"a": "ods:ZNV01", "type": "PART_OF", "b": "north-vale", "role": None},
        {"a": r1, "type": "ABOUT", "b": "falls", "role": None},
        {"a": r1, "type": "FROM", "b": j1, "role": None},
        {"a": r1, "type": "PUBLISHED_BY", "b": "ods:ZNV01", "role": None},
    ]
    people_links = [
        {"a": ada, "type": "INTERESTED_IN", "b": "falls", "role": None},
        {"a": ada, "type": "WORKS_FOR", "b": "ods:ZNV01", "role": None},
        {"a": ada, "type": "WORKS_ON", "b": j1, "role": "lead"},
        {"a": bram, "type": "INTERESTED_IN", "b": "sepsis", "role": None},
        {"a": bram, "type": "WORKS_FOR", "b": "ods:ZNV01", "role": None},
        {"a": bram, "type": "WORKS_ON", "b": j1, "role": None},
        {"a": bram, "type": "WORKS_ON", "b": j2, "role": None},
    ]
    key = lambda row: (row["a"], row["type"], row["b"])  # noqa: E731
    assert sorted(links, key=key) == sorted(expected + people_links, key=key)

    provenance = await graph.read(
        "MATCH (:Source {id: $source})-[a:ASSERTS]->(e) "
        "RETURN a.key AS key, a.rule AS rule, a.lastRun AS run, a.firstSeen IS NOT NULL AS seen "
        "ORDER BY key",
        {"source": REGISTER.id},
    )
    assert len(provenance) == 6
    assert all(row["run"] == summary.run_id and row["seen"] for row in provenance)
    assert {row["key"] for row in provenance} >= {f"{REGISTER.id}|project|j1"}


async def test_contact_details_are_kept_only_with_consent(graph: Graph) -> None:
    await sync_source(graph, REGISTER, region())
    people = await graph.read(
        "MATCH (p:Person) RETURN p.name AS name, p.email AS email, p.contactConsent AS consent, "
        "[(k:PersonKey)-[:IDENTIFIES]->(p) | k.key] AS keys ORDER BY name"
    )
    ada, bram = people
    assert (ada["email"], ada["consent"]) == ("ada.quill@nvh.example", True)
    assert (bram["email"], bram["consent"]) == (None, False)
    # Bram's address is still matchable, but only as a salted hash.
    assert len(bram["keys"]) == 1 and bram["keys"][0].startswith("email:")
    assert "bram" not in bram["keys"][0]


async def test_a_changed_record_replaces_its_links_and_keeps_its_history(graph: Graph) -> None:
    records = region()
    first = await sync_source(graph, REGISTER, records)
    changed = [
        r if r.ref != "j1" else r.model_copy(update={"topics": ["falls"], "members": []})
        for r in records
    ]
    second = await sync_source(graph, REGISTER, changed)
    assert (second.updated, second.unchanged) == (1, 5)
    topics = await graph.read(
        "MATCH (:Project {id: $id})-[:ABOUT]->(t) RETURN collect(t.id) AS ids",
        {"id": f"{REGISTER.id}:j1"},
    )
    assert topics[0]["ids"] == ["falls"]
    assert (
        await count(
            graph,
            "MATCH (:Person)-[r:WORKS_ON]->(:Project {id: $id}) RETURN count(r) AS n",
            id=f"{REGISTER.id}:j1",
        )
        == 0
    )
    kept = await graph.read(
        "MATCH (:Project {id: $id})-[r:ABOUT]->(:Topic {id: 'falls'}) "
        "RETURN r.firstSeen AS first, r.lastRun AS run",
        {"id": f"{REGISTER.id}:j1"},
    )
    assert kept[0]["run"] == second.run_id
    assert kept[0]["first"] is not None and first.run_id != second.run_id


async def test_links_made_with_a_new_record_match_those_merged_for_a_changed_one(
    graph: Graph,
) -> None:
    # A new project or resource is created with its links in one statement; a changed one has
    # its links merged one type at a time. Both must leave the same links, with provenance.
    await store_systems(graph, [SystemInfo("north-vale", "North Vale ICS")])
    first = await sync_source(graph, REGISTER, region())
    links = (
        "MATCH (a)-[r]->(b) WHERE r.source = $source "
        "RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props"
    )
    created = await graph.read(links, {"source": REGISTER.id})
    assert {row["type"] for row in created} >= {"RUN_BY", "IN_PARTNERSHIP_WITH", "FROM"}
    for row in created:
        assert row["props"]["lastRun"] == first.run_id
        assert row["props"]["firstSeen"] == row["props"]["lastSeen"]

    changed = [
        r.model_copy(update={"summary": "changed"}) if r.kind in ("project", "resource") else r
        for r in region()
    ]
    second = await sync_source(graph, REGISTER, changed)
    assert (second.updated, second.unchanged) == (3, 3)
    merged = await graph.read(links, {"source": REGISTER.id})

    def view(rows: list, skip: set[str]) -> list:
        return sorted(
            (
                r["a"],
                r["type"],
                r["b"],
                sorted((k, v) for k, v in r["props"].items() if k not in skip),
            )
            for r in rows
        )

    assert view(merged, {"lastSeen", "lastRun"}) == view(created, {"lastSeen", "lastRun"})
    rewritten = [
        row for row in merged if row["type"] not in ("PART_OF", "WORKS_FOR", "INTERESTED_IN")
    ]
    assert len(rewritten) == 12
    assert all(row["props"]["lastRun"] == second.run_id for row in rewritten)


async def test_a_new_person_is_stored_as_a_changed_one_is_merged(graph: Graph) -> None:
    # A new person who matched nobody is created with links and keys by one statement; a
    # changed one is merged property by property. Both must give the same node and links.
    await sync_source(graph, REGISTER, region())
    person_view = (
        "MATCH (p:Person {name: 'Ada Quill'}) "
        "RETURN properties(p) AS props, "
        "[(p)-[r]->(x) | [type(r), x.id, r.source]] AS links, "
        "[(k:PersonKey)-[:IDENTIFIES]->(p) | k.key] AS keys"
    )
    created = (await graph.read(person_view))[0]
    assert created["props"]["offers"] == ["mentoring"]
    assert created["props"]["contactConsent"] is True and created["props"]["public"] is True
    assert len(created["keys"]) == 1

    changed = [r.model_copy(update={"bio": "Falls"}) if r.ref == "p1" else r for r in region()]
    second = await sync_source(graph, REGISTER, changed)
    assert (second.updated, second.unchanged) == (1, 5)
    merged = (await graph.read(person_view))[0]
    # The change is this hub's change: ``changedAt`` moves on, ``publicChangedAt`` does not
    # (a bio is personal data, not what anonymous callers see).
    assert merged["props"]["changedAt"] > created["props"]["changedAt"]
    assert merged["props"]["publicChangedAt"] == created["props"]["publicChangedAt"]
    assert merged["props"] == {
        **created["props"],
        "bio": "Falls",
        "changedAt": merged["props"]["changedAt"],
    }
    assert sorted(merged["links"]) == sorted(created["links"])
    assert merged["keys"] == created["keys"]


async def test_a_partner_or_member_named_twice_gives_one_link(graph: Graph) -> None:
    twice = [
        person("p1", "Ada Quill"),
        project(
            "j1",
            "Twice over",
            partner_organisations=[at("Eastmoor County Council"), at("eastmoor county council")],
            members=["p1", "p1"],
            topics=["falls", "Falls prevention"],
        ),
    ]
    await sync_source(graph, REGISTER, twice)
    rows = await graph.read(
        "MATCH (:Project {id: $id})-[r]-() RETURN type(r) AS type, count(r) AS n ORDER BY type",
        {"id": f"{REGISTER.id}:j1"},
    )
    assert rows == [
        {"type": "ABOUT", "n": 1},
        {"type": "ASSERTS", "n": 1},
        {"type": "IN_PARTNERSHIP_WITH", "n": 1},
        {"type": "WORKS_ON", "n": 1},
    ]


async def test_sync_runs_record_counts_and_located_errors(graph: Graph) -> None:
    bad = RecordError(source=REGISTER.id, location="item 7", field="title", message="missing")
    records = [*region(), project("j1", "A second j1 in the same pull")]
    summary = await sync_source(graph, REGISTER, records, rejected=[bad])
    assert summary.rejected == 2
    runs = await graph.read(
        "MATCH (r:SyncRun)-[:OF]->(:Source {id: $source}) RETURN r {.*} AS run",
        {"source": REGISTER.id},
    )
    run = runs[0]["run"]
    assert run["status"] == "succeeded"
    assert (run["created"], run["updated"], run["unchanged"], run["retired"], run["rejected"]) == (
        6,
        0,
        0,
        0,
        2,
    )
    assert run["errors"][0] == f"{REGISTER.id}, item 7, field 'title': missing"
    assert "lists this project twice" in run["errors"][1]
    assert run["endedAt"] is not None and run["durationMs"] >= 0


async def test_links_to_records_the_source_does_not_list_are_reported(graph: Graph) -> None:
    summary = await sync_source(
        graph,
        REGISTER,
        [project("j9", "Orphan", members=["ghost"]), resource("r9", "Loose", project="nowhere")],
    )
    assert summary.status == "succeeded"
    assert f"{REGISTER.id}, project 'j9', field 'members': person 'ghost'" in summary.errors[0]
    assert "resource 'r9', field 'project': project 'nowhere'" in summary.errors[1]


async def test_members_from_earlier_pulls_link_unless_retired(graph: Graph) -> None:
    people = [person(f"p{i}", f"Member {i}", organisation=at(ods_code="ZNV01")) for i in range(6)]
    await sync_source(graph, REGISTER, people)
    dropped = await sync_source(graph, REGISTER, people[1:])
    assert dropped.retired == 1
    # A partial pull of one project: p1 is still active from before, p0 was retired.
    summary = await sync_source(
        graph, REGISTER, [project("j7", "Later", members=["p0", "p1"])], complete=False
    )
    linked = await graph.read(
        "MATCH (p:Person)-[:WORKS_ON]->(:Project {id: $id}) RETURN p.name AS name",
        {"id": f"{REGISTER.id}:j7"},
    )
    assert [row["name"] for row in linked] == ["Member 1"]
    assert summary.errors == [
        f"{REGISTER.id}, project 'j7', field 'members': person 'p0' is not listed by this "
        "source; the link was left out"
    ]


async def test_batches_are_bounded_and_give_the_same_graph(graph: Graph) -> None:
    records = region() + [
        project(f"x{i}", f"Extra project {i}", topics=["falls"]) for i in range(25)
    ]
    await sync_source(graph, REGISTER, records, options=IngestOptions(batch_size=4))
    # Two separate first loads: only the time things were first seen (and so changed) may
    # differ.
    first_seen = frozenset({"firstSeen", "changedAt", "publicChangedAt"})
    small_batches = await snapshot(graph, first_seen)
    await graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    await sync_source(graph, REGISTER, records, options=IngestOptions(batch_size=1000))
    assert await snapshot(graph, first_seen) == small_batches


async def test_a_sync_says_which_projects_changed_for_similarity(graph: Graph) -> None:
    records = region()
    first = await sync_source(graph, REGISTER, records)
    assert sorted(first.changed_projects) == [f"{REGISTER.id}:j1", f"{REGISTER.id}:j2"]
    again = await sync_source(graph, REGISTER, records)
    assert again.changed_projects == []
    changed = [r.model_copy(update={"title": "Renamed"}) if r.ref == "j1" else r for r in records]
    without_j2 = [r for r in changed if r.ref != "j2"]
    third = await sync_source(graph, REGISTER, without_j2)
    assert sorted(third.changed_projects) == [f"{REGISTER.id}:j1", f"{REGISTER.id}:j2"]


async def test_incremental_state_is_kept_only_after_a_good_pull(graph: Graph) -> None:
    from graph.ingest import source_state

    await sync_source(graph, REGISTER, region(), complete=False, bookmark="2026-01-01", etag='"a"')
    assert await source_state(graph, REGISTER.id) == {"bookmark": "2026-01-01", "etag": '"a"'}
    await sync_source(
        graph, REGISTER, [], complete=False, failure="HTTP 500", bookmark="x", etag='"b"'
    )
    assert await source_state(graph, REGISTER.id) == {"bookmark": "2026-01-01", "etag": '"a"'}
    unchanged = await sync_source(graph, REGISTER, [], not_modified=True)
    assert (unchanged.status, unchanged.unchanged, unchanged.retired) == ("succeeded", 6, 0)
    assert await source_state(graph, "never-synced") == {"bookmark": None, "etag": None}
