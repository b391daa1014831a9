"""Answers to persisted queries are cached by the graph's version: a hit asks nothing of
Neo4j, a write is served within the poll bound by every hub, and no answer crosses role
classes (personal data stays with those who may see it)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from graph.database import Graph
from graph.ingest import SystemInfo, store_systems, sync_source
from graph.similarity.engine import rescore_all
from graph.version import bump_version, graph_version
from graph.vocabulary import Vocabulary, store_vocabulary
from hub.config import Settings
from hub.keys import create_key
from hub.web.answers import AnswerCache, Key
from hub.web.app import create_app
from schema.viewer import Role
from tests.ingest_helpers import project
from tests.test_api_fixture import SOURCE, fresh_region

POLL = 0.2
ADA = "ExplorerPerson"


def settings(**overrides: Any) -> Settings:
    given = {"graph_version_poll": POLL, **overrides}
    return Settings(_env_file=None, **given)  # type: ignore[call-arg]


@pytest.fixture
async def region(graph: Graph) -> Graph:
    return await fresh_region(graph)


@pytest.fixture
async def hubs(region: Graph) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two hubs over the one graph, as behind a load balancer."""
    clients = []
    for _ in range(2):
        app = create_app(region, close_graph=False, settings=settings())
        clients.append(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub")
        )
    try:
        yield clients
    finally:
        for client in clients:
            await client.aclose()


async def ask(client: httpx.AsyncClient, operation: str, key: str | None = None, **variables):
    headers = {"authorization": f"Bearer {key}"} if key else {}
    response = await client.post(
        "/graphql", json={"id": operation, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def lookups(metrics: str, result: str) -> float:
    for line in metrics.splitlines():
        if line.startswith(f'convener_answer_cache_lookups_total{{result="{result}"}}'):
            return float(line.split()[-1])
    return 0.0


async def person_id(graph: Graph, name: str) -> str:
    rows = await graph.read("MATCH (p:Person {name: $n}) RETURN p.id AS id", {"n": name})
    return rows[0]["id"]


async def test_a_repeated_persisted_query_is_answered_without_neo4j(region: Graph) -> None:
    app = create_app(region, close_graph=False, settings=settings(graph_version_poll=60.0))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hub"
    ) as hub:
        await check_hits(region, hub)


async def check_hits(region: Graph, hub: httpx.AsyncClient) -> None:
    first = await ask(hub, "ExplorerSearch", text="falls")
    region.round_trips = 0
    again = await ask(hub, "ExplorerSearch", text="falls")
    assert again == first
    assert region.round_trips == 0
    other = await ask(hub, "ExplorerSearch", text="sepsis")  # other variables: computed
    assert other != first and region.round_trips > 0
    metrics = (await hub.get("/metrics")).text
    assert lookups(metrics, "hit") == 1 and lookups(metrics, "miss") == 2
    assert "convener_answer_cache_entries 2.0" in metrics


async def test_a_write_is_served_by_every_hub_within_the_poll(
    region: Graph, hubs: list[httpx.AsyncClient]
) -> None:
    query = "ExplorerOrganisation"
    trust = "ods:ZNV01"
    before = [await ask(hub, query, id=trust) for hub in hubs]
    titles = {p["project"]["title"] for p in before[0]["organisation"]["runs"]}
    assert "Hand hygiene audits" not in titles

    # A sync through the hub's ingestion path: it bumps the graph's version.
    version = await graph_version(region)
    added = project("j9", "Hand hygiene audits", lead_organisation={"ods_code": "ZNV01"})
    await sync_source(region, SOURCE, [added], complete=False)
    assert await graph_version(region) > version

    await asyncio.sleep(POLL * 1.5)
    for hub in hubs:
        after = await ask(hub, query, id=trust)
        titles = {p["project"]["title"] for p in after["organisation"]["runs"]}
        assert "Hand hygiene audits" in titles


async def test_no_answer_crosses_role_classes(region: Graph, hubs: list[httpx.AsyncClient]) -> None:
    """Ada consented to showing her contact details: members and admins see them, anonymous
    callers never do, whichever asked first and however often."""
    hub = hubs[0]
    ada = await person_id(region, "Ada Quill")
    member, _ = await create_key(region, Role.MEMBER, None, "cache member")
    partner, _ = await create_key(region, Role.PARTNER_ADMIN, "north-vale", "cache partner")
    admin, _ = await create_key(region, Role.HUB_ADMIN, None, "cache admin")
    await asyncio.sleep(POLL * 1.5)  # the keys bumped the version: start from a settled one
    for round_ in range(2):
        anonymous = await ask(hub, ADA, id=ada)
        assert anonymous["person"]["contact"] is None, round_
        for key in (member, partner, admin):
            signed_in = await ask(hub, ADA, key, id=ada)
            assert signed_in["person"]["contact"] == {
                "email": "ada.quill@nvh.example",
                "phone": "01234 567890",
            }
        assert (await ask(hub, ADA, id=ada))["person"]["contact"] is None
    metrics = (await hub.get("/metrics")).text
    assert lookups(metrics, "hit") >= 4  # the second round came from the cache


async def test_an_answer_for_this_caller_alone_is_not_kept() -> None:
    from schema.context import Context

    context = Context(graph=None)  # type: ignore[arg-type]
    assert context.for_this_caller is False
    context.answer_is_for_this_caller()
    assert context.for_this_caller is True


def test_the_cache_is_bounded_by_entries_and_bytes() -> None:
    cache = AnswerCache(max_entries=2, max_bytes=10)

    def key(name: str) -> Key:
        return Key(name, "{}", "anonymous", 1)

    cache.put(key("a"), b"1234")
    cache.put(key("b"), b"1234")
    assert cache.get(key("a")) == b"1234"  # a is now the most recently used
    cache.put(key("c"), b"12")
    assert cache.get(key("b")) is None and cache.get(key("a")) is not None
    cache.put(key("d"), b"123456789")  # over the byte bound with a: a and c go
    assert list(cache.entries) == [key("d")] and cache.bytes == 9
    cache.put(key("e"), b"x" * 11)  # bigger than the whole cache: not kept
    assert cache.get(key("e")) is None


async def test_the_version_moves_on_each_write(graph: Graph) -> None:
    assert await graph_version(graph) == 0
    assert await bump_version(graph) == 1
    assert await bump_version(graph) == 2
    assert await graph_version(graph) == 2


async def test_the_hub_that_wrote_serves_the_write_at_once(region: Graph) -> None:
    """A reviewer who dismisses a pair and reloads the page must not get it back from the
    cache: the hub that ran the mutation reads the version again at once, whatever its poll."""
    twins = [
        project(
            ref,
            "Reducing falls on older people's wards with hourly rounding",
            summary="Hourly rounding and falls risk assessment on older people's wards.",
            lead_organisation={"ods_code": ods},
        )
        for ref, ods in (("twin-1", "ZNV01"), ("twin-2", "ZEM01"))
    ]
    await sync_source(region, SOURCE, twins, complete=False)
    await rescore_all(region)
    admin, _ = await create_key(region, Role.HUB_ADMIN, None, "cache reviewer")
    app = create_app(region, close_graph=False, settings=settings(graph_version_poll=60.0))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hub"
    ) as hub:
        unreviewed = {"status": ["UNREVIEWED"], "first": 10, "pairs": 100}
        before = await ask(hub, "ExplorerDuplicates", admin, **unreviewed)
        pairs = [p for edge in before["duplicateClusters"]["edges"] for p in edge["node"]["pairs"]]
        assert pairs, "the region has similar projects to review"
        a, b = pairs[0]["a"]["id"], pairs[0]["b"]["id"]
        assert await ask(hub, "ExplorerDuplicates", admin, **unreviewed) == before  # cached

        reviewed = await ask(hub, "ExplorerReview", admin, a=a, b=b, status="DISMISSED")
        assert reviewed["reviewDuplicate"]["status"] == "DISMISSED"
        after = await ask(hub, "ExplorerDuplicates", admin, **unreviewed)
        clusters = [edge["node"] for edge in after["duplicateClusters"]["edges"]]
        left = {(p["a"]["id"], p["b"]["id"]) for c in clusters for p in c["pairs"]}
        assert (a, b) not in left and len(left) == len(pairs) - 1


async def test_systems_and_the_vocabulary_move_the_version_only_when_they_change(
    graph: Graph,
) -> None:
    """Every sync stores the systems and the vocabulary again: unchanged, cached answers stay;
    a renamed system, a new neighbour, a new synonym or a moved topic are served at once."""
    vocabulary = Vocabulary.load()
    systems = [SystemInfo("north", "North ICS", "ics"), SystemInfo("south", "South ICS", "ics")]

    async def moved(write: Any) -> bool:
        before = await graph_version(graph)
        await write
        return await graph_version(graph) > before

    assert await moved(store_vocabulary(graph, vocabulary))
    assert not await moved(store_vocabulary(graph, vocabulary))
    assert await moved(store_systems(graph, systems))
    assert not await moved(store_systems(graph, systems))
    renamed = [SystemInfo("north", "North and Fen ICS", "ics"), systems[1]]
    assert await moved(store_systems(graph, renamed))
    assert await moved(
        store_systems(graph, [*renamed[:1], SystemInfo("south", "South ICS", "ics", ("north",))])
    )
    topics = list(vocabulary.topics.values())
    falls = next(t for t in topics if t.id == "falls")
    synonym = falls.model_copy(update={"synonyms": [*falls.synonyms, "tumbles"]})
    assert await moved(
        store_vocabulary(graph, Vocabulary([synonym if t is falls else t for t in topics]))
    )
    assert await moved(store_vocabulary(graph, vocabulary))  # the synonym is dropped again
    moved_up = falls.model_copy(update={"broader": []})
    assert falls.broader, "falls has a broader topic to move it from"
    assert await moved(
        store_vocabulary(graph, Vocabulary([moved_up if t is falls else t for t in topics]))
    )
