"""Organisations by name as partners write them: registers, kinds, rules, explain and split."""

from __future__ import annotations

from graph.database import Graph
from graph.ingest import IngestOptions, sync_source
from graph.organisations.review import (
    SplitError,
    explain_organisation,
    names_for_review,
    split_name,
)
from tests.ingest_helpers import at, org, project, source

REGISTER = source("nhs-and-councils")
PARTNER = source("partner-projects")


async def registers(graph: Graph) -> None:
    await sync_source(
        graph,
        REGISTER,
        [
            org("QSL", "NHS SOMERSET INTEGRATED CARE BOARD", ods_code="QSL", org_type="icb"),
            org(
                "E06000066",
                "Somerset Council",
                ods_code="E06000066",
                org_type="council",
                former_names=["Mendip District Council", "Taunton Deane Borough Council"],
                former_codes=["E07000187"],
            ),
            org("E06000024", "North Somerset Council", ods_code="E06000024", org_type="council"),
            org("RAL", "ROYAL FREE LONDON NHS FOUNDATION TRUST", ods_code="RAL", org_type="trust"),
        ],
    )


async def lead_of(graph: Graph, ref: str) -> str:
    rows = await graph.read(
        "MATCH (:Project {id: $id})-[r:RUN_BY]->(o:Organisation) WHERE r.retiredAt IS NULL "
        "RETURN o.id AS id",
        {"id": f"{PARTNER.id}:{ref}"},
    )
    assert len(rows) == 1, rows
    return str(rows[0]["id"])


async def partner_leads(graph: Graph, *leads: str) -> None:
    """The partner's projects p1, p2... each led by the organisation named so."""
    records = [
        project(f"p{n}", f"Project {n}", lead_organisation=at(lead))
        for n, lead in enumerate(leads, start=1)
    ]
    await sync_source(graph, PARTNER, records)


async def test_names_as_partners_write_them_find_the_registered_body(graph: Graph) -> None:
    await registers(graph)
    await partner_leads(
        graph,
        "NHS Somerset CCG",
        "Mendip DC",
        "N. Somerset Council",
        "Royal Free London NHS FT",
        "Taunton Deane BC",
        "Sommerset Council",
    )
    await sync_source(
        graph, source("codes"), [project("p7", "Code", lead_organisation=at(ods_code="E07000187"))]
    )
    assert await lead_of(graph, "p1") == "ods:QSL"
    assert await lead_of(graph, "p2") == "ods:E06000066"
    assert await lead_of(graph, "p4") == "ods:RAL"
    assert await lead_of(graph, "p5") == "ods:E06000066"
    assert await lead_of(graph, "p6") == "ods:E06000066"
    codes = await graph.read("MATCH (:Project {id: 'codes:p7'})-[:RUN_BY]->(o) RETURN o.id AS id")
    assert codes == [{"id": "ods:E06000066"}]  # a former code
    # "N." is no word the matcher knows: North Somerset stays apart, never Somerset Council.
    assert await lead_of(graph, "p3") not in ("ods:E06000066", "ods:E06000024")
    rules = await graph.read(
        "MATCH (n:OrganisationName {source: $s}) RETURN n.name AS name, n.rule AS rule, "
        "n.score AS score ORDER BY name",
        {"s": PARTNER.id},
    )
    by_name = {row["name"]: (row["rule"], row["score"]) for row in rules}
    assert by_name["NHS Somerset CCG"] == ("ccg_to_icb", 0.95)
    assert by_name["Mendip DC"][0] == "former_name"
    assert by_name["Royal Free London NHS FT"] == ("normalised_name", 1.0)
    assert by_name["Sommerset Council"][0] == "fuzzy_name"
    assert 0.85 <= by_name["Sommerset Council"][1] < 1


async def test_kinds_keep_councils_and_trusts_apart_and_ambiguity_is_listed(graph: Graph) -> None:
    await registers(graph)
    await partner_leads(graph, "Royal Free London Council", "Royal London", "Somerset")
    assert await lead_of(graph, "p1") == "org:royal-free-london-council"
    assert await lead_of(graph, "p2") == "org:royal-london"
    assert await lead_of(graph, "p3") == "org:somerset"
    review = await names_for_review(graph)
    assert review == [
        {
            "source": PARTNER.id,
            "name": "Somerset",
            "organisation": "org:somerset",
            "candidates": ["ods:E06000066", "ods:QSL"],
        }
    ]


async def test_a_merge_is_explained_split_and_stays_split_at_the_next_sync(graph: Graph) -> None:
    await registers(graph)
    records = [
        project("p1", "Frailty", lead_organisation=at("NHS Somerset CCG")),
        project("p2", "Falls", lead_organisation=at("NHS Somerset ICB")),
    ]
    await sync_source(graph, PARTNER, records)
    explained = await explain_organisation(graph, "ods:QSL")
    assert explained is not None
    assert explained.records == [{"source": REGISTER.id, "ref": "QSL", "rule": "new"}]
    assert [(n["name"], n["rule"], n["score"]) for n in explained.names] == [
        ("NHS Somerset CCG", "ccg_to_icb", 0.95),
        ("NHS Somerset ICB", "normalised_name", 1.0),
    ]

    result = await split_name(
        graph, "ods:QSL", PARTNER.id, "NHS Somerset CCG", options=IngestOptions()
    )
    assert (result.records, result.pending) == (1, False)
    assert result.new_organisation == "org:nhs-somerset-ccg"
    assert await lead_of(graph, "p1") == "org:nhs-somerset-ccg"
    assert await lead_of(graph, "p2") == "ods:QSL"

    await sync_source(graph, PARTNER, records)  # unchanged records: nothing re-resolved
    changed = [
        project("p1", "Frailty (phase 2)", lead_organisation=at("NHS Somerset CCG")),
        records[1],
    ]
    await sync_source(graph, PARTNER, changed)  # a changed record is resolved again: still apart
    assert await lead_of(graph, "p1") == "org:nhs-somerset-ccg"
    explained = await explain_organisation(graph, "ods:QSL")
    assert explained is not None
    assert [n["name"] for n in explained.names] == ["NHS Somerset ICB"]
    assert [(s["source"], s["name"]) for s in explained.splits] == [
        (PARTNER.id, "NHS Somerset CCG")
    ]


async def test_a_split_without_ingest_options_waits_for_the_next_sync(graph: Graph) -> None:
    await registers(graph)
    records = [project("p1", "Frailty", lead_organisation=at("Somerset Council"))]
    await sync_source(graph, PARTNER, records)
    assert await lead_of(graph, "p1") == "ods:E06000066"
    result = await split_name(graph, "ods:E06000066", PARTNER.id, "Somerset Council")
    assert result.pending and result.records == 1
    assert await lead_of(graph, "p1") == "ods:E06000066"
    await sync_source(graph, PARTNER, records)
    assert await lead_of(graph, "p1") == "org:somerset-council"


async def test_a_split_that_matches_nothing_says_what_to_check(graph: Graph) -> None:
    await registers(graph)
    await sync_source(graph, PARTNER, [project("p1", "A", lead_organisation=at("Mendip DC"))])
    for organisation, name in [("ods:QSL", "Mendip DC"), ("ods:E06000066", "Mendip")]:
        try:
            await split_name(graph, organisation, PARTNER.id, name)
        except SplitError as error:
            assert "does not call organisation" in str(error)
        else:
            raise AssertionError("the split should have been refused")
    try:
        await split_name(graph, "ods:QSL", "no-such-source", "Mendip DC")
    except SplitError as error:
        assert "no source" in str(error)
