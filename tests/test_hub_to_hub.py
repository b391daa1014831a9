"""Hub to hub, for real: hub B syncs from hub A over HTTP with the example partners file.

Hub A is a second Convener (its own local Neo4j, served by uvicorn on 127.0.0.1); hub B is
the session's graph. The first pull takes everything; the second asks only for what hub A
changed since (``updatedSince`` from hub B's last successful run), and every pulled record
keeps its id at hub A in ``sameAs``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.partners import load_partners
from connectors.records import OrganisationRef, ProjectMember, Record
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from graph.ingest.sources import source_state
from graph.local_neo4j import LocalNeo4j
from graph.migrate import apply_migrations
from graph.vocabulary import Vocabulary, store_vocabulary
from hub.sync.run import SyncReport, run_sync
from hub.web.app import create_app
from tests import live
from tests.ingest_helpers import org, person, project, resource
from tests.live import serving
from tests.test_api_fixture import run

EXAMPLE = Path(__file__).parent.parent / "examples" / "peer-hub.yaml"
PEER_SOURCE = "yarrow-hub-graphql"
REGISTER = SourceInfo("yv", "yarrow-trust", "Yarrow register", "json_api")
STUDY_DAYS = SourceInfo("yv-days", "yarrow-trust", "Yarrow study days", "ical")
T0 = datetime(2025, 4, 1, 8, 0, tzinfo=UTC)
T1 = datetime(2025, 4, 2, 8, 0, tzinfo=UTC)
T2 = datetime(2025, 4, 9, 8, 0, tzinfo=UTC)
TRUST = OrganisationRef(ods_code="ZYH01")
CARERS = OrganisationRef(name="Yarrow Carers Collective")


def register(*, later: bool) -> list[Record]:
    """Hub A's register at T0; ``later`` at T2: a summary and a role changed, a project added."""
    records: list[Record] = [
        org("o1", "Yarrow Hospitals NHS Trust", ods_code="ZYH01", sector="nhs"),
        org("o2", "Yarrow Carers Collective", sector="voluntary"),
        person("ivy", "Ivy Marsh", organisation=TRUST, public=True, role="Lead" if later else None),
        # Not listed to anyone but hub A's own members: an anonymous peer never gets him.
        person("jon", "Jon Fell", organisation=TRUST, email="jon@yarrow.example"),
        project(
            "falls",
            "Falls huddles on every ward",
            status="active",
            start_date="2024-10-01",
            topics=["falls"],
            lead_organisation=TRUST,
            partner_organisations=[CARERS],
            members=[ProjectMember(person="ivy", role="lead"), ProjectMember(person="jon")],
        ),
        project(
            "sepsis",
            "Sepsis sniffer in the emergency department",
            status="active",
            topics=["sepsis"],
            lead_organisation=TRUST,
            summary="Now in three departments." if later else "One department.",
        ),
        resource("guide", "Huddle guide", resource_type="guide", project="falls", topics=["falls"]),
    ]
    if later:
        records.append(
            project("frailty", "Frailty walks", lead_organisation=CARERS, topics=["frailty"])
        )
    return records


@pytest.fixture(scope="module")
def peer_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    """Hub A's own Neo4j: a community server holds one graph, and each hub needs its own."""
    with live.neo4j(tmp_path_factory.mktemp("peer-neo4j") / "home") as server:
        yield server


@pytest.fixture(scope="module")
async def hub_a_graph(peer_neo4j: LocalNeo4j) -> AsyncIterator[Graph]:
    graph = Graph.connect(peer_neo4j.uri)
    await apply_migrations(graph)
    await store_vocabulary(graph, Vocabulary.load())
    try:
        yield graph
    finally:
        await graph.close()


@pytest.fixture(scope="module")
def hub_a(peer_neo4j: LocalNeo4j, hub_a_graph: Graph) -> Iterator[str]:
    """Hub A served on a free loopback port, in a thread with its own driver."""
    with serving(create_app(Graph.connect(peer_neo4j.uri)), "hub A") as url:
        yield url


async def sync_from(graph: Graph, hub_a: str) -> SyncReport:
    partners = load_partners(EXAMPLE, env={"PEER_HUB_URL": hub_a})
    report = await run_sync(graph, partners)
    (outcome,) = report.outcomes
    assert outcome.summary.status == "succeeded", outcome.summary
    assert outcome.summary.errors == [], outcome.summary.errors
    return report


def pulled(report: SyncReport) -> dict[str, set[str]]:
    """The refs each kind of record the pull brought, by kind."""
    result = report.outcomes[0].pull
    assert result is not None
    kinds: dict[str, set[str]] = {}
    for record in result.records:
        kinds.setdefault(record.kind, set()).add(record.ref)
    return kinds


PROJECT = """
query ($id: ID!) {
  project(id: $id) {
    title summary sameAs updatedAt
    leadOrganisation { name odsCode }
    organisations { lead organisation { name } }
    topics { id }
    people { role person { name sameAs } }
  }
}
"""


async def test_hub_b_pulls_hub_a_then_only_what_changed_keeping_origin_ids(
    graph: Graph, hub_a_graph: Graph, hub_a: str
) -> None:
    origin = f"{hub_a}/graphql"
    for records, source, now in (
        (register(later=False), REGISTER, T0),
        ([resource("day", "Falls study day", starts_at="2025-05-01T09:00:00Z")], STUDY_DAYS, T1),
    ):
        assert (await sync_source(hub_a_graph, source, records, now=now)).succeeded

    first = await sync_from(graph, hub_a)
    kinds = pulled(first)
    assert kinds["project"] == {"yv:falls", "yv:sepsis"}
    assert kinds["resource"] == {"yv:guide", "yv-days:day"}
    assert len(kinds["person"]) == 1  # Ivy; Jon is not listed to an anonymous peer
    assert first.outcomes[0].pull is not None and first.outcomes[0].pull.complete
    # The bookmark: the latest `changedAt` hub A answered (the study day's, at T1).
    assert (await source_state(graph, PEER_SOURCE))["bookmark"] == "2025-04-02T08:00:00Z"

    falls = (await run(graph, PROJECT, id=f"{PEER_SOURCE}:yv:falls"))["project"]
    assert falls["title"] == "Falls huddles on every ward"
    assert falls["sameAs"] == [f"{origin}#yv:falls"]
    assert falls["updatedAt"] == "2025-04-01T08:00:00+00:00"  # hub A's changedAt
    assert falls["leadOrganisation"] == {"name": "Yarrow Hospitals NHS Trust", "odsCode": "ZYH01"}
    assert [o["organisation"]["name"] for o in falls["organisations"]] == [
        "Yarrow Hospitals NHS Trust",
        "Yarrow Carers Collective",
    ]
    assert [t["id"] for t in falls["topics"]] == ["falls"]
    (member,) = falls["people"]
    assert member["role"] == "lead" and member["person"]["name"] == "Ivy Marsh"
    (ivy_at_a,) = kinds["person"]
    assert member["person"]["sameAs"] == [f"{origin}#{ivy_at_a}"]
    assert await graph.read("MATCH (p:Person {name: 'Jon Fell'}) RETURN p") == []
    guide = await run(
        graph,
        "query ($id: ID!) { resource(id: $id) { sameAs project { title } } }",
        id=f"{PEER_SOURCE}:yv:guide",
    )
    assert guide["resource"] == {
        "sameAs": [f"{origin}#yv:guide"],
        "project": {"title": "Falls huddles on every ward"},
    }

    # Hub A changes; hub B's next sync asks only for what changed at or after its bookmark.
    assert (await sync_source(hub_a_graph, REGISTER, register(later=True), now=T2)).succeeded
    second = await sync_from(graph, hub_a)
    kinds = pulled(second)
    assert kinds["project"] == {"yv:sepsis", "yv:frailty"}
    assert kinds["person"] == {ivy_at_a}  # her role changed
    assert kinds["resource"] == {"yv-days:day"}  # at the bookmark itself: pulled again
    assert "organisation" not in kinds
    summary = second.outcomes[0].summary
    assert (summary.created, summary.updated, summary.unchanged, summary.retired) == (1, 2, 1, 0)
    assert second.outcomes[0].pull is not None and not second.outcomes[0].pull.complete
    assert (await source_state(graph, PEER_SOURCE))["bookmark"] == "2025-04-09T08:00:00Z"

    sepsis = (await run(graph, PROJECT, id=f"{PEER_SOURCE}:yv:sepsis"))["project"]
    assert sepsis["summary"] == "Now in three departments."
    frailty = (await run(graph, PROJECT, id=f"{PEER_SOURCE}:yv:frailty"))["project"]
    assert frailty["sameAs"] == [f"{origin}#yv:frailty"]
    # What the incremental pull did not list is kept, not retired.
    still = (await run(graph, PROJECT, id=f"{PEER_SOURCE}:yv:falls"))["project"]
    assert still is not None and still["people"][0]["person"]["name"] == "Ivy Marsh"
    roles = await graph.read("MATCH (p:Person {name: 'Ivy Marsh'}) RETURN p.role AS role")
    assert roles == [{"role": "Lead"}]
