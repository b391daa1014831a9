"""Entity resolution across sources: each rule, and the near misses that must stay apart."""

from __future__ import annotations

from graph.database import Graph
from graph.ingest import IngestOptions, sync_source
from graph.normalise import organisation_key, person_key, topic_key
from tests.ingest_helpers import at, org, person, project, source

TRUST = source("trust-register")
UNIVERSITY = source("university-people")
COUNCIL = source("council-projects")


async def organisations(graph: Graph) -> list[dict]:
    return await graph.read(
        "MATCH (o:Organisation) RETURN o.id AS id, o.name AS name, o.odsCode AS ods ORDER BY id"
    )


async def people(graph: Graph) -> list[dict]:
    return await graph.read(
        """
        MATCH (p:Person)
        RETURN p.id AS id, p.name AS name,
               [(s:Source)-[a:ASSERTS]->(p) | s.id + '=' + a.rule] AS asserted
        ORDER BY name
        """
    )


# --- organisations -------------------------------------------------------------------------


async def test_organisations_with_one_ods_code_are_one(graph: Graph) -> None:
    await sync_source(graph, TRUST, [org("t1", "North Vale Hospitals NHS FT", ods_code="znv01")])
    await sync_source(
        graph, COUNCIL, [project("c1", "Joint falls work", lead_organisation=at(ods_code="ZNV01"))]
    )
    await sync_source(graph, UNIVERSITY, [org("u1", "NVH Foundation Trust", ods_code="ZNV01")])
    assert [o["id"] for o in await organisations(graph)] == ["ods:ZNV01"]
    rules = await graph.read("MATCH (:Source)-[a:ASSERTS]->(:Organisation) RETURN a.rule AS rule")
    assert sorted(r["rule"] for r in rules) == ["new", "ods_code"]


async def test_organisations_match_by_normalised_name(graph: Graph) -> None:
    await sync_source(graph, TRUST, [org("t1", "The Eastmoor Carers' Trust & Network")])
    await sync_source(graph, COUNCIL, [org("c1", "eastmoor carers trust and network")])
    found = await organisations(graph)
    assert [o["id"] for o in found] == ["org:eastmoor-carers-trust-and-network"]
    rules = await graph.read(
        "MATCH (:Source {id: $s})-[a:ASSERTS]->(:Organisation) RETURN a.rule AS rule",
        {"s": COUNCIL.id},
    )
    assert rules == [{"rule": "name"}]


async def test_organisations_match_through_the_alias_table(graph: Graph) -> None:
    options = IngestOptions(organisation_aliases={"NV Council": "North Vale Borough Council"})
    await sync_source(graph, TRUST, [org("t1", "North Vale Borough Council")], options=options)
    await sync_source(graph, COUNCIL, [org("c1", "NV Council")], options=options)
    assert [o["id"] for o in await organisations(graph)] == ["org:north-vale-borough-council"]
    rules = await graph.read(
        "MATCH (:Source {id: $s})-[a:ASSERTS]->() RETURN a.rule AS rule", {"s": COUNCIL.id}
    )
    assert rules == [{"rule": "alias"}]


async def test_near_miss_organisation_names_stay_apart(graph: Graph) -> None:
    await sync_source(
        graph,
        TRUST,
        [
            org("t1", "North Vale Hospitals NHS Foundation Trust"),
            org("t2", "North Vale Community NHS Foundation Trust"),
            org("t3", "North Vale Hospital"),
        ],
    )
    assert len(await organisations(graph)) == 3


async def test_same_name_with_different_ods_codes_stays_apart(graph: Graph) -> None:
    await sync_source(graph, TRUST, [org("t1", "Riverside Surgery", ods_code="ZRS01")])
    await sync_source(graph, COUNCIL, [org("c1", "Riverside Surgery", ods_code="ZRS02")])
    assert [o["id"] for o in await organisations(graph)] == ["ods:ZRS01", "ods:ZRS02"]


# --- people ----------------------------------------------------------------------------------


async def test_people_match_by_orcid_across_organisations(graph: Graph) -> None:
    orcid = "0000-0002-1825-0097"
    await sync_source(
        graph,
        TRUST,
        [person("a", "Imogen Farrow", orcid=orcid, organisation=at("North Vale Hospitals"))],
    )
    await sync_source(
        graph,
        UNIVERSITY,
        [
            person(
                "x",
                "I. Farrow",
                orcid=f"https://orcid.org/{orcid}",
                organisation=at("Vale University"),
            )
        ],
    )
    found = await people(graph)
    assert len(found) == 1
    assert sorted(found[0]["asserted"]) == [f"{TRUST.id}=new", f"{UNIVERSITY.id}=orcid"]


async def test_people_match_by_email_and_the_address_is_not_stored_without_consent(
    graph: Graph,
) -> None:
    await sync_source(graph, TRUST, [person("a", "Tomasz Wren", email="T.Wren@nvh.example")])
    await sync_source(graph, COUNCIL, [person("c", "Tom Wren", email="t.wren@nvh.example")])
    found = await people(graph)
    assert len(found) == 1
    assert sorted(found[0]["asserted"]) == [f"{COUNCIL.id}=email", f"{TRUST.id}=new"]
    stored = await graph.read("MATCH (p:Person) RETURN p.email AS email")
    assert stored == [{"email": None}]


async def test_people_match_by_normalised_name_within_one_organisation(graph: Graph) -> None:
    where = at(ods_code="ZNV01")
    await sync_source(graph, TRUST, [person("a", "Dr Oluwaseun Adeyemi-Hart", organisation=where)])
    await sync_source(graph, COUNCIL, [person("c", "Adeyemi Hart, Oluwaseun", organisation=where)])
    found = await people(graph)
    assert len(found) == 1
    assert sorted(found[0]["asserted"]) == [
        f"{COUNCIL.id}=name_in_organisation",
        f"{TRUST.id}=new",
    ]


async def test_near_miss_person_names_stay_apart(graph: Graph) -> None:
    where = at(ods_code="ZNV01")
    await sync_source(graph, TRUST, [person("a", "Jane Smith", organisation=where)])
    await sync_source(
        graph,
        COUNCIL,
        [
            person("c1", "Jane Smyth", organisation=where),
            person("c2", "Janet Smith", organisation=where),
        ],
    )
    await sync_source(graph, UNIVERSITY, [person("u", "Jane Smith", organisation=at("Vale Uni"))])
    assert len(await people(graph)) == 4


async def test_people_with_different_orcids_never_merge_by_name(graph: Graph) -> None:
    where = at(ods_code="ZNV01")
    await sync_source(
        graph, TRUST, [person("a", "Sam Kerr", orcid="0000-0001-0000-0001", organisation=where)]
    )
    await sync_source(
        graph, COUNCIL, [person("c", "Sam Kerr", orcid="0000-0001-0000-0002", organisation=where)]
    )
    assert len(await people(graph)) == 2


async def test_an_ambiguous_name_is_kept_apart(graph: Graph) -> None:
    """Two people of one name in one organisation: a third record cannot say which it is."""
    where = at(ods_code="ZNV01")
    await sync_source(
        graph,
        TRUST,
        [
            person("a1", "Alex Morgan", organisation=where),
            person("a2", "Alex Morgan", organisation=where),
        ],
    )
    await sync_source(graph, COUNCIL, [person("c", "Alex Morgan", organisation=where)])
    assert len(await people(graph)) == 3


async def test_a_merge_keeps_each_record_so_it_can_be_explained(graph: Graph) -> None:
    orcid = "0000-0002-1825-0097"
    await sync_source(graph, TRUST, [person("a", "Imogen Farrow", orcid=orcid, role="Matron")])
    await sync_source(
        graph, UNIVERSITY, [person("x", "Imogen Farrow", orcid=orcid, role="Honorary lecturer")]
    )
    records = await graph.read(
        "MATCH (s:Source)-[a:ASSERTS]->(:Person) RETURN s.id AS source, a.rule AS rule, "
        "a.record AS record ORDER BY source"
    )
    assert [(r["source"], r["rule"]) for r in records] == [
        (TRUST.id, "new"),
        (UNIVERSITY.id, "orcid"),
    ]
    assert '"role":"Matron"' in records[0]["record"]
    assert '"role":"Honorary lecturer"' in records[1]["record"]


# --- topics ----------------------------------------------------------------------------------


async def test_topics_resolve_through_vocabulary_synonyms(graph: Graph) -> None:
    await sync_source(graph, TRUST, [project("t", "A", topics=["Inpatient Falls", "NEWS2"])])
    await sync_source(graph, COUNCIL, [project("c", "B", topics=["falls prevention"])])
    rows = await graph.read(
        "MATCH (p:Project)-[:ABOUT]->(t:Topic) RETURN p.title AS p, t.id AS topic, "
        "t.candidate AS candidate ORDER BY p, topic"
    )
    assert rows == [
        {"p": "A", "topic": "deteriorating-patient", "candidate": False},
        {"p": "A", "topic": "falls", "candidate": False},
        {"p": "B", "topic": "falls", "candidate": False},
    ]


async def test_unknown_labels_become_shared_candidate_topics(graph: Graph) -> None:
    await sync_source(graph, TRUST, [project("t", "A", topics=["Tea trolley rounds"])])
    await sync_source(graph, COUNCIL, [project("c", "B", topics=["tea-trolley round"])])
    rows = await graph.read(
        "MATCH (t:Topic)<-[:ABOUT]-(p) RETURN t.id AS id, t.candidate AS candidate, "
        "count(p) AS projects"
    )
    assert rows == [{"id": "candidate:tea-trolley-round", "candidate": True, "projects": 2}]


def test_normal_forms() -> None:
    assert organisation_key("The Eastmoor Carers' Trust & Co.") == "eastmoor carers trust and co"
    assert person_key("Prof. Zoë O'Neill") == person_key("O'Neill, Zoe")
    assert person_key("Jane Smith") != person_key("Jane Smyth")
    assert topic_key("Pressure Ulcers") == topic_key("pressure ulcer")
    assert topic_key("Sepsis") == "sepsis"
