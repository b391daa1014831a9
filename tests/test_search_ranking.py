"""Search ranks by what a query names: vocabulary topics (through tags, narrower ones too) and
words, misspelt ones included; every hit says truthfully why it is there.

A small region built through the real ingestion path: projects tagged with falls, delirium,
pressure ulcers, sepsis, discharge, homelessness and population health, some sharing words
with the queries and some not; a resource tagged falls; a person interested in sepsis whose
name and role say nothing of it. "Old falls audit" was tagged falls and then was not.
"""

from __future__ import annotations

from typing import Any

import pytest

from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    PersonRecord,
    ProjectRecord,
    Record,
    ResourceRecord,
)
from graph.database import Graph
from graph.ingest import SourceInfo, SystemInfo, store_systems, sync_source
from graph.queries import lucene, named_topics, search
from graph.vocabulary import Vocabulary, store_vocabulary
from tests.test_api_fixture import MEMBER, run

SOURCE = SourceInfo("rk", "ranking", "Ranking register", "json_api")
TRUST = OrganisationRef(name="Vale Trust")
COUNCIL = OrganisationRef(name="Moor Council")
FALLS = {
    "Home hazard checks by occupational therapists": "rk:h1",
    "Non-slip footwear on admission": "rk:h2",
    "Post-fall review within the hour": "rk:h3",
}
SHARING_A_WORD = {
    "Delirium prevention bundle": "rk:w1",
    "Care home pressure ulcer prevention": "rk:w2",
}
HITS = """query ($t: String!, $k: [SearchKind!], $s: ID) {
  search(text: $t, kinds: $k, system: $s, first: 50) {
    kind score matchedOn { field snippet }
    node { ... on Project { id title } ... on Resource { id title } ... on Person { id name }
           ... on Topic { id label } } } }"""


def _records(*, first_pull: bool) -> list[Record]:
    def work(ref: str, title: str, topics: list[str], lead: OrganisationRef = TRUST) -> Record:
        return ProjectRecord(ref=ref, title=title, topics=topics, lead_organisation=lead)

    return [
        OrganisationRecord(ref="o1", name="Vale Trust", sector="nhs", system="vale"),
        OrganisationRecord(ref="o2", name="Moor Council", sector="local_government", system="moor"),
        work("h1", "Home hazard checks by occupational therapists", ["Falls prevention"]),
        work("h2", "Non-slip footwear on admission", ["inpatient falls"]),
        work("h3", "Post-fall review within the hour", ["falls"], COUNCIL),
        work("w1", "Delirium prevention bundle", ["delirium"]),
        work("w2", "Care home pressure ulcer prevention", ["pressure ulcers"]),
        work("s1", "Sepsis screening at triage", ["sepsis"]),
        work("d1", "Board rounds with an expected date of discharge", ["discharge"]),
        work("d2", "Hospital discharge for people sleeping rough", ["homelessness"]),
        work("p1", "Prevention at scale", ["population health"]),
        work("x1", "Old falls audit", ["falls"] if first_pull else []),
        ResourceRecord(ref="r1", title="Toolkit for ward teams", topics=["falls"]),
        PersonRecord(
            ref="a1", name="Ada Quill", role="Ward sister", interests=["sepsis"], public=True
        ),
        PersonRecord(ref="a2", name="Bo Lind", role="Falls lead", public=True),
    ]


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> Graph:
    graph = session_graph
    await graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    await store_vocabulary(graph, Vocabulary.load())
    await store_systems(
        graph, [SystemInfo("vale", "Vale ICS", "ics"), SystemInfo("moor", "Moor ICS", "ics")]
    )
    for first_pull in (True, False):
        outcome = await sync_source(graph, SOURCE, _records(first_pull=first_pull))
        assert outcome.succeeded and outcome.errors == [], outcome
    return graph


async def hits(graph: Graph, text: str, kinds: list[str] | None = None, **more: Any) -> list[dict]:
    data = await run(graph, HITS, t=text, k=kinds or ["PROJECT"], **more)
    return data["search"]


def titles(found: list[dict]) -> list[str]:
    return [hit["node"].get("title") or hit["node"].get("name") for hit in found]


def reasons(found: list[dict], title: str) -> list[dict[str, str]]:
    return next(hit["matchedOn"] for hit in found if title in titles([hit]))


@pytest.mark.parametrize(
    "text", ["falls prevention", "Falls prevention", "inpatient falls", "falls"]
)
async def test_a_named_topic_ranks_tagged_work_above_work_sharing_a_word(
    region: Graph, text: str
) -> None:
    """The issue's flagship: projects tagged falls (by any spelling the vocabulary knows),
    whatever their words, come before projects that only share "prevention"."""
    found = await hits(region, text)
    first = titles(found)[: len(FALLS)]
    assert sorted(first) == sorted(FALLS), titles(found)
    for title in FALLS:
        assert {"field": "topics", "snippet": "Falls prevention"} in reasons(found, title)
    for title in SHARING_A_WORD:
        if title in titles(found):
            assert all(m["field"] != "topics" for m in reasons(found, title))


async def test_the_longest_run_of_words_names_the_topic(region: Graph) -> None:
    """ "falls prevention" names Falls prevention; "prevention" alone would name Population
    health (a synonym), but here it is part of the longer name, so "Prevention at scale" is
    found by its word only."""
    found = await hits(region, "falls prevention")
    assert reasons(found, "Prevention at scale") == [
        {"field": "title", "snippet": "Prevention at scale"}
    ]
    alone = await hits(region, "prevention")
    assert {"field": "topics", "snippet": "Population health"} in reasons(
        alone, "Prevention at scale"
    )


async def test_a_broader_topic_finds_work_tagged_with_a_narrower_one(region: Graph) -> None:
    found = await hits(region, "patient safety")
    assert reasons(found, "Sepsis screening at triage") == [
        {"field": "topics", "snippet": "Sepsis (narrower than Patient safety)"}
    ]
    assert "Hospital discharge for people sleeping rough" not in titles(found)


async def test_more_words_than_the_topic_rank_work_that_matches_them_all(
    region: Graph,
) -> None:
    """ "discharge" names a topic, but the project that says all the other words too ranks
    above the one that is only tagged with it."""
    found = await hits(region, "discharge for people sleeping rough")
    assert titles(found)[:2] == [
        "Hospital discharge for people sleeping rough",
        "Board rounds with an expected date of discharge",
    ]


async def test_a_dropped_tag_no_longer_finds_work(region: Graph) -> None:
    found = await hits(region, "falls prevention")
    assert reasons(found, "Old falls audit") == [{"field": "title", "snippet": "Old falls audit"}]
    assert titles(found).index("Old falls audit") >= len(FALLS)


async def test_work_found_through_a_topic_keeps_to_the_system_asked_for(region: Graph) -> None:
    found = await hits(region, "falls prevention", s="moor")
    assert titles(found) == ["Post-fall review within the hour"]


async def test_resources_are_found_through_their_topics_too(region: Graph) -> None:
    found = await hits(region, "inpatient falls", ["RESOURCE"])
    assert found[0]["node"]["title"] == "Toolkit for ward teams"
    assert found[0]["matchedOn"] == [{"field": "topics", "snippet": "Falls prevention"}]


@pytest.mark.parametrize("viewer", [None, MEMBER], ids=["anonymous", "member"])
async def test_people_are_not_found_or_ranked_by_their_topics(region: Graph, viewer: Any) -> None:
    """Ada is interested in sepsis, which neither her name nor her role says: search does not
    find her by it (``whoElse`` answers who works on a topic); Bo's role says "Falls"."""
    data = await run(
        region, HITS, **({"as_viewer": viewer} if viewer else {}), t="sepsis falls", k=["PERSON"]
    )
    assert titles(data["search"]) == ["Bo Lind"]
    assert data["search"][0]["matchedOn"] == [{"field": "role", "snippet": "Falls lead"}]


async def test_the_topic_itself_comes_first_among_topics(region: Graph) -> None:
    found = await hits(region, "inpatient falls", ["TOPIC"])
    assert found[0]["node"]["id"] == "falls"


@pytest.mark.parametrize(
    ("text", "title", "snippet_field"),
    [
        ("sepsiss", "Sepsis screening at triage", "title"),
        ("SEPSISS", "Sepsis screening at triage", "title"),
        ("hazrd checks", "Home hazard checks by occupational therapists", "title"),
        ("ocupational", "Home hazard checks by occupational therapists", "title"),
    ],
)
async def test_a_misspelt_word_of_five_letters_or_more_still_finds_its_match(
    region: Graph, text: str, title: str, snippet_field: str
) -> None:
    found = await hits(region, text)
    assert titles(found)[0] == title
    assert reasons(found, title) == [{"field": snippet_field, "snippet": title}]


@pytest.mark.parametrize("text", ["bord", "sepss~"])
async def test_shorter_words_and_typed_operators_are_not_searched_fuzzily(
    region: Graph, text: str
) -> None:
    """ "bord" is one edit from "board" but under five letters; a typed "~" is escaped."""
    assert await hits(region, text) == []


def test_weights_keep_words_before_topics_before_wording() -> None:
    """A hit that accounts for one more word of the query outranks any number of topics and
    any Lucene score; one more topic outranks any Lucene score."""
    assert lucene.MAX_TERMS * search.TOPIC_WEIGHT + search.TEXT_WEIGHT < search.WORD_WEIGHT
    assert search.TEXT_WEIGHT < search.TOPIC_WEIGHT


def test_runs_are_bounded_and_cover_the_words_that_spell_them() -> None:
    runs = named_topics.runs(["Falls", "co-design"])
    assert [(r["start"], r["size"], r["key"], r["words"]) for r in runs] == [
        (0, 3, "fall co design", [0, 1]),
        (0, 2, "fall co", [0, 1]),
        (0, 1, "fall", [0]),
        (1, 2, "co design", [1]),
        (1, 1, "co", [1]),
        (2, 1, "design", [1]),
    ]
    many = named_topics.runs(lucene.words(" ".join(["x-y"] * 40)))
    assert len(many) <= lucene.MAX_TERMS * named_topics.MAX_TOPIC_WORDS
