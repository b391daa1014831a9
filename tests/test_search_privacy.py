"""Search is no oracle on what a caller may not read: not in which people come back, not in
their order, and `matchedOn` names only fields the match really used.

The fixture region's people: Esme Lund (listed, bio "Leads diabetes reviews in general
practice.", offers mentoring and coaching), Ada Quill (listed, consented contact details),
Bram Ostrava (not listed, e-mail without consent), Dev Patel (listed, e-mail without consent).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from graph.database import Graph
from graph.queries import search as search_queries
from hub.config import Settings
from hub.web.app import create_app
from schema.viewer import ANONYMOUS, Role, Viewer
from tests.test_api_fixture import HUB_ADMIN, MEMBER, fresh_region, run

PARTNER_ADMIN = Viewer(Role.PARTNER_ADMIN, partner="north-vale", subject="test:partner")
SIGNED_IN = [MEMBER, PARTNER_ADMIN, HUB_ADMIN]
PEOPLE = """query ($t: String!) { search(text: $t, kinds: [PERSON], first: 50) {
    score matchedOn { field snippet } node { ... on Person { id name } } } }"""
BIO_WORDS = ["diabetes", "reviews general", "leads diabetes"]
OFFER_WORDS = ["mentoring", "coaching", "mentor", "coach"]
CONTACT_WORDS = ["ada.quill@nvh.example", "nvh.example", "carers.example", "01234 567890"]


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> Graph:
    return await fresh_region(session_graph)


async def people(graph: Graph, text: str, viewer: Viewer = ANONYMOUS) -> list[dict[str, Any]]:
    return (await run(graph, PEOPLE, as_viewer=viewer, t=text))["search"]


def names(hits: list[dict[str, Any]]) -> list[str]:
    return [hit["node"]["name"] for hit in hits]


@pytest.mark.parametrize("text", BIO_WORDS)
async def test_a_bio_word_finds_no_one_through_the_bio_for_an_anonymous_caller(
    region: Graph, text: str
) -> None:
    """What an anonymous caller gets is the same with Esme's bio in the graph and without it
    (a member's answer changes, so the bio really went). "leads" is also a misspelling away
    from Ada's public role, "Falls lead": she may be found by that, and only by that."""
    hits = await people(region, text)
    assert "Esme Lund" not in names(hits)
    assert {m["field"] for hit in hits for m in hit["matchedOn"]} <= {"name", "role"}
    member = await people(region, text, MEMBER)
    bio = "MATCH (p:Person {name: 'Esme Lund'}) SET p.bio = $bio RETURN count(p) AS n"
    rows = await region.write(bio, {"bio": None})
    assert rows[0]["n"] == 1
    try:
        assert await people(region, text) == hits
        assert await people(region, text, MEMBER) != member
    finally:
        await region.write(bio, {"bio": "Leads diabetes reviews in general practice."})


async def test_the_attack_of_many_short_words_and_a_bio_word_reveals_nothing(
    region: Graph,
) -> None:
    """Fifteen one-letter words and a bio word: what comes back, and in which order with which
    scores, is exactly what the one-letter words alone give."""
    letters = " ".join("abcdefghijklmno")
    with_bio = await people(region, f"{letters} diabetes")
    without = await people(region, letters)
    assert with_bio == without
    assert "Esme Lund" not in names(with_bio)


async def test_a_bio_word_does_not_lift_a_persons_rank_for_an_anonymous_caller(
    region: Graph,
) -> None:
    """Esme's role and Dev's role both hold a searched word; Esme's bio holds another."""
    plain = await people(region, "nurse worker")
    with_bio = await people(region, "nurse worker diabetes")
    assert plain == with_bio
    assert set(names(plain)) == {"Esme Lund", "Dev Patel"}


@pytest.mark.parametrize("viewer", SIGNED_IN, ids=lambda v: v.role.value)
async def test_signed_in_callers_find_people_by_their_bio(region: Graph, viewer: Viewer) -> None:
    hits = await people(region, "diabetes", viewer)
    assert names(hits) == ["Esme Lund"]
    assert hits[0]["matchedOn"] == [
        {"field": "bio", "snippet": "Leads diabetes reviews in general practice."}
    ]


@pytest.mark.parametrize("viewer", [ANONYMOUS, *SIGNED_IN], ids=lambda v: v.role.value)
@pytest.mark.parametrize("text", OFFER_WORDS)
async def test_offers_are_not_searched_for_any_role(
    region: Graph, viewer: Viewer, text: str
) -> None:
    """Offers are a filter for signed-in callers (`mentors`, `people(filter: {offers})`)."""
    assert await people(region, text, viewer) == []


@pytest.mark.parametrize("viewer", [ANONYMOUS, *SIGNED_IN], ids=lambda v: v.role.value)
@pytest.mark.parametrize("text", CONTACT_WORDS)
async def test_contact_details_are_not_searched_for_any_role(
    region: Graph, viewer: Viewer, text: str
) -> None:
    """Not even for signed-in callers: most people did not consent to their details being
    shown, so a match on them would tell whose they are."""
    assert await people(region, text, viewer) == []


async def test_an_unlisted_person_is_found_by_members_only(region: Graph) -> None:
    assert await people(region, "Ostrava") == []
    assert names(await people(region, "Ostrava", MEMBER)) == ["Bram Ostrava"]


async def test_matched_on_names_only_fields_the_match_used(region: Graph) -> None:
    """A one-letter word is searched whole, not as the start of longer words: "a" does not
    match "Ada", and "q" does not match "Quill"."""
    assert await people(region, "a q") == []
    hits = await people(region, "Qui")
    assert names(hits) == ["Ada Quill"]
    assert hits[0]["matchedOn"] == [{"field": "name", "snippet": "Ada Quill"}]


def test_why_matches_as_the_lucene_query_does() -> None:
    item = {"id": "x", "name": "Ada Quill", "role": "A and E nurse", "bio": "Mentor"}
    assert search_queries.why("person", item, "a") == [
        search_queries.Match("role", "A and E nurse")
    ]
    assert search_queries.why("person", item, "ad") == []  # too short to be a prefix
    assert search_queries.why("person", item, "ada") == [search_queries.Match("name", "Ada Quill")]
    assert search_queries.why("person", item, "ment", ("name", "role")) == []
    assert search_queries.why("person", item, "ment") == [search_queries.Match("bio", "Mentor")]


@pytest.fixture
async def production(region: Graph) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(_env_file=None, env="production")  # type: ignore[call-arg]
    app = create_app(region, close_graph=False, settings=settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        yield client


async def test_the_explorers_persisted_search_reveals_no_bio(
    production: httpx.AsyncClient,
) -> None:
    """The production path: an anonymous visitor running the explorer's own search."""

    async def hits(text: str) -> list[dict[str, Any]]:
        body = {"id": "ExplorerSearch", "variables": {"text": text}}
        answer = await production.post("/graphql", json=body)
        assert answer.status_code == 200, answer.text
        return [h for h in answer.json()["data"]["search"] if h["kind"] == "PERSON"]

    assert await hits("diabetes") == []
    assert await hits("nurse diabetes") == await hits("nurse")
    assert [h["node"]["name"] for h in await hits("nurse")] == ["Esme Lund"]
