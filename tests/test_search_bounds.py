"""Search ranks a bounded number of candidates, and the bound does not cost it the best hit.

Each word brings at most ``candidates`` hits of a kind, best first; so do all the words at
once, so work that matches every word of the query is found even when each word alone has
many stronger hits. A small region through the real ingestion path: projects that say one
word three times, and one project that says both once.
"""

from __future__ import annotations

import pytest

from connectors.records import OrganisationRecord, OrganisationRef, ProjectRecord, Record
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from graph.queries.search import every_word, search

SOURCE = SourceInfo("bd", "bounds", "Bounds register", "json_api")
TRUST = OrganisationRef(name="Hollow Trust")
BOTH = "Sepsis at triage"


def _records() -> list[Record]:
    strong = [f"Sepsis sepsis sepsis bundle {n}" for n in range(5)]
    strong += [f"Triage triage triage board {n}" for n in range(5)]
    return [
        OrganisationRecord(ref="o1", name="Hollow Trust", sector="nhs"),
        *(
            ProjectRecord(ref=f"p{n}", title=title, lead_organisation=TRUST)
            for n, title in enumerate([*strong, BOTH])
        ),
    ]


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> Graph:
    await session_graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    outcome = await sync_source(session_graph, SOURCE, _records())
    assert outcome.succeeded, outcome
    return session_graph


async def titles(graph: Graph, text: str, candidates: int, limit: int) -> list[str]:
    found = await search(
        graph,
        text,
        kinds=["project"],
        public_only=True,
        may_read_bios=False,
        limit=limit,
        candidates=candidates,
    )
    return [hit["item"]["title"] for hit in found]


async def test_work_matching_every_word_is_found_beyond_each_words_best(region: Graph) -> None:
    """With three candidates a word, "Sepsis at triage" is in neither word's best three;
    found through both words together, it ranks first, as it does unbounded."""
    bounded = await titles(region, "sepsis triage", candidates=3, limit=3)
    assert bounded[0] == BOTH, bounded
    assert all(title != BOTH for title in bounded[1:])
    assert (await titles(region, "sepsis triage", candidates=50, limit=50))[0] == BOTH


def test_every_word_requires_each_counted_word_and_skips_stop_words() -> None:
    query = every_word(["sepsis", "at", "triage"])
    assert query is not None and query["at"] == [0, 2]
    assert query["lucene"].startswith("+(sepsis ") and " +(triage " in query["lucene"]
    assert every_word(["sepsis"]) is None
    assert every_word(["the", "and"]) is None
