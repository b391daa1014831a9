"""Access over HTTP against the real hub app and Neo4j: API keys (and revoked ones), partner
admins' sync runs, persisted queries and their caching, origins, and rate limits.

Every refusal is checked for its status and for a message that says what to do.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from connectors.records import OrganisationRecord
from graph.access import revoke_api_key, store_partners
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from hub.config import Settings
from hub.keys import create_key
from hub.web.app import create_app
from hub.web.persisted import load_documents
from schema.viewer import Role
from tests.test_personal_data import build

PARTNER_SITE = "http://partner.example:8100"
PERSON = "query ($id: ID!) { person(id: $id) { name contact { email } } }"
RELATED = {"topic": "falls"}


def settings(**overrides: Any) -> Settings:
    return Settings(_env_file=None, **overrides)  # type: ignore[call-arg]


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> dict[str, str]:
    ids = await build(session_graph)
    other = SourceInfo("ov", "other", "Other register", "json_api")
    await sync_source(session_graph, other, [OrganisationRecord(ref="o9", name="Other Trust")])
    await store_partners(
        session_graph,
        [
            {"id": "zv", "name": "Zedvale", "embedOrigins": [PARTNER_SITE]},
            {"id": "other", "name": "Other", "embedOrigins": []},
        ],
    )
    return ids


async def client_for(graph: Graph, **overrides: Any) -> httpx.AsyncClient:
    app = create_app(graph, close_graph=False, settings=settings(**overrides))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub")


@pytest.fixture(scope="module")
async def hub(session_graph: Graph, region: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with await client_for(session_graph) as client:
        yield client


@pytest.fixture(scope="module")
async def strict(session_graph: Graph, region: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """A production hub: anonymous callers may run persisted queries only."""
    async with await client_for(session_graph, env="production") as client:
        yield client


def bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


def message(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["message"])


async def test_an_api_key_makes_a_member_until_it_is_revoked(
    session_graph: Graph, hub: httpx.AsyncClient, region: dict[str, str]
) -> None:
    key, record = await create_key(session_graph, Role.MEMBER, None, "test member")
    body = {"query": PERSON, "variables": {"id": region["Person"]}}
    anonymous = await hub.post("/graphql", json=body)
    assert anonymous.json()["data"]["person"]["contact"] is None
    member = await hub.post("/graphql", json=body, headers=bearer(key))
    assert member.status_code == 200
    assert member.json()["data"]["person"]["contact"] == {"email": "nia.brook@zv.example"}
    assert member.headers["cache-control"] == "private, no-store"
    same = await hub.post("/graphql", json=body, headers={"x-api-key": key})
    assert same.json() == member.json()

    await revoke_api_key(session_graph, record.id)
    revoked = await hub.post("/graphql", json=body, headers=bearer(key))
    assert revoked.status_code == 401
    assert message(revoked).startswith(f"API key {record.id} was revoked on ")
    assert message(revoked).endswith("ask the hub admin for a new one.")
    assert revoked.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert key not in revoked.text


async def test_unknown_and_malformed_credentials_are_refused(hub: httpx.AsyncClient) -> None:
    body = {"query": "{ __typename }"}
    forged = "cvk_000000000000_" + "A" * 43
    unknown = await hub.post("/graphql", json=body, headers=bearer(forged))
    assert (unknown.status_code, message(unknown)) == (
        401,
        "Unknown API key: check it was copied whole.",
    )
    basic = await hub.post("/graphql", json=body, headers={"authorization": "Basic eDp5"})
    assert basic.status_code == 401
    assert message(basic) == "Send credentials as `Authorization: Bearer <key or token>`."
    token = await hub.post("/graphql", json=body, headers=bearer("eyJhbGciOi.x.y"))
    assert token.status_code == 401
    assert message(token) == "This hub accepts API keys only (no token issuer is configured)."


async def test_partner_admins_see_their_own_sync_runs_and_hub_admins_all(
    session_graph: Graph, hub: httpx.AsyncClient
) -> None:
    runs = {"query": "{ syncRuns { source } }"}
    zv, _ = await create_key(session_graph, Role.PARTNER_ADMIN, "zv", None)
    admin, _ = await create_key(session_graph, Role.HUB_ADMIN, None, None)
    member, _ = await create_key(session_graph, Role.MEMBER, None, None)
    own = await hub.post("/graphql", json=runs, headers=bearer(zv))
    assert own.json() == {"data": {"syncRuns": [{"source": "zv"}]}}
    everything = await hub.post("/graphql", json=runs, headers=bearer(admin))
    assert sorted(r["source"] for r in everything.json()["data"]["syncRuns"]) == ["ov", "zv"]
    refused = await hub.post("/graphql", json=runs, headers=bearer(member))
    assert refused.json()["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    with pytest.raises(ValueError, match="no partner 'nowhere' is known"):
        await create_key(session_graph, Role.PARTNER_ADMIN, "nowhere", None)
    with pytest.raises(ValueError, match="give --partner"):
        await create_key(session_graph, Role.PARTNER_ADMIN, None, None)


async def test_persisted_queries_by_id_and_hash_with_etags(hub: httpx.AsyncClient) -> None:
    related = load_documents()["ConvenerRelated"]
    params = {"id": "ConvenerRelated", "variables": '{"topic": "falls"}'}
    first = await hub.get("/graphql", params=params)
    assert first.status_code == 200, first.text
    nodes = first.json()["data"]["projects"]["nodes"]
    assert [p["title"] for p in nodes] == ["Falls huddles on every ward"]
    assert first.headers["cache-control"] == "public, max-age=60"
    etag = first.headers["etag"]
    again = await hub.get("/graphql", params=params, headers={"if-none-match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)

    by_hash = await hub.get("/graphql", params={**params, "id": f"sha256:{related.hash}"})
    assert by_hash.json() == first.json()
    apq = {"persistedQuery": {"version": 1, "sha256Hash": related.hash}}
    posted = await hub.post("/graphql", json={"extensions": apq, "variables": RELATED})
    assert posted.json() == first.json()
    assert posted.headers["cache-control"] == "no-cache"  # POSTs revalidate

    unknown = await hub.get("/graphql", params={"id": "StealEverything"})
    assert unknown.status_code == 404
    persisted = ", ".join(sorted(load_documents()))  # the widget's and the explorer's
    assert persisted.startswith("ConvenerEvents, ConvenerRelated, ConvenerWhoElse, Explorer")
    assert message(unknown) == (
        f"Unknown persisted query 'StealEverything'. This hub persists: {persisted}."
    )


async def test_production_holds_anonymous_callers_to_persisted_queries(
    session_graph: Graph, strict: httpx.AsyncClient
) -> None:
    adhoc = {"query": "{ people { totalCount } }"}
    refused = await strict.post("/graphql", json=adhoc)
    assert refused.status_code == 403
    assert message(refused).startswith(
        "Anonymous callers may run only this hub's persisted queries: send `id` with one of "
        f"{', '.join(sorted(load_documents()))}, or sign in"
    )
    # The full text of an allowlisted operation is as good as its id, whatever its spacing.
    text = load_documents()["ConvenerWhoElse"].text.replace("\n", " ")
    sent = await strict.post("/graphql", json={"query": text, "variables": RELATED})
    assert sent.status_code == 200
    names = [m["person"]["name"] for m in sent.json()["data"]["whoElse"]]
    assert names == ["Nia Brook", "Owen Hale"]  # listed people only: not Pia
    key, _ = await create_key(session_graph, Role.MEMBER, None, None)
    member = await strict.post("/graphql", json=adhoc, headers=bearer(key))
    assert member.json() == {"data": {"people": {"totalCount": 3}}}


async def test_only_configured_origins_get_cors(hub: httpx.AsyncClient) -> None:
    params = {"id": "ConvenerWhoElse", "variables": '{"topic": "falls"}'}
    allowed = await hub.get("/graphql", params=params, headers={"origin": PARTNER_SITE})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == PARTNER_SITE
    # Shared caches keep one answer per origin and never hand an anonymous one to a key holder.
    assert allowed.headers["vary"] == "Accept, Origin, Authorization, X-API-Key"
    preflight = await hub.options(
        "/graphql",
        headers={
            "origin": PARTNER_SITE,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == PARTNER_SITE
    assert "content-type" in preflight.headers["access-control-allow-headers"]

    stranger = "https://stranger.example"
    for refused in (
        await hub.get("/graphql", params=params, headers={"origin": stranger}),
        await hub.options("/graphql", headers={"origin": stranger}),
    ):
        assert refused.status_code == 403
        assert "access-control-allow-origin" not in refused.headers
        assert message(refused) == (
            "Origin https://stranger.example may not call this hub. A partner adds its "
            "website's origin to `embed_origins` in the partners file; the hub admin then syncs."
        )
    # The hub's own pages, and clients that are not browsers, are not cross-origin.
    own = await hub.get("/graphql", params=params, headers={"origin": "http://hub"})
    assert own.status_code == 200 and "access-control-allow-origin" not in own.headers
    assert (await hub.get("/graphql", params=params)).status_code == 200


async def test_rate_limits_per_address_and_per_key_say_when_to_retry(
    session_graph: Graph, region: dict[str, str]
) -> None:
    key, _ = await create_key(session_graph, Role.MEMBER, None, None)
    body = {"query": "{ __typename }"}
    async with await client_for(session_graph, rate_limit=3, rate_limit_key=2) as client:
        answers = [(await client.post("/graphql", json=body)).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        over = await client.post("/graphql", json=body, headers={"origin": PARTNER_SITE})
        assert over.status_code == 429
        said = re.fullmatch(
            r"Too many requests from this address: at most 3 a minute\. Try again in (\d+) s\.",
            message(over),
        )
        assert said is not None, message(over)
        assert said[1] == over.headers["retry-after"] and 1 <= int(said[1]) <= 20
        assert over.headers["access-control-allow-origin"] == PARTNER_SITE  # readable by pages
        # A key has its own bucket: the busy address does not hold it back, its own limit does.
        keyed = [
            (await client.post("/graphql", json=body, headers=bearer(key))).status_code
            for _ in range(3)
        ]
        assert keyed == [200, 200, 429]
        refused = await client.post("/graphql", json=body, headers=bearer(key))
        assert message(refused).startswith("Too many requests from this key: at most 2 a minute.")
        assert int(refused.headers["retry-after"]) in range(1, 31)
