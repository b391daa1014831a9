"""The demo's members' submissions (examples/demo_submissions.py) are sent once, through the
API's own mutation, and wait for moderation; `tests/test_demo.py` checks them in the whole demo
(and that the duplicate finds its planted twin)."""

from __future__ import annotations

from connectors.records import OrganisationRecord
from examples.demo_submissions import PENDING, send_pending
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from graph.vocabulary import Vocabulary, store_vocabulary

NAMED = sorted({given["organisation"] for given in PENDING if "organisation" in given})


async def test_the_demos_submissions_are_sent_once_and_wait_for_moderation(graph: Graph) -> None:
    await store_vocabulary(graph, Vocabulary.load())
    organisations = [OrganisationRecord(ref=f"o{n}", name=name) for n, name in enumerate(NAMED)]
    registry = SourceInfo("partners", "demo", "Partners", "registry")
    assert (await sync_source(graph, registry, organisations)).succeeded

    assert await send_pending(graph) == len(PENDING)
    assert await send_pending(graph) == 0  # a second `convener demo` adds nothing
    rows = await graph.read(
        "MATCH (s:Submission) RETURN s.status AS status, s.title AS title, "
        "s.newOrganisationName AS newName ORDER BY title"
    )
    assert {row["status"] for row in rows} == {"pending"}
    assert sorted(row["title"] for row in rows) == sorted(given["title"] for given in PENDING)
    assert [row["newName"] for row in rows if row["newName"]] == ["Harrowfield Patient Voices"]
