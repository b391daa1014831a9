"""A real Apollo gateway (npm @apollo/gateway) composes the live hub with a second subgraph at
run time and resolves queries that cross both through `_entities`; the hub's personal fields
stay refused to anonymous callers on that path, and a member's key passed on unlocks them."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest

from connectors.records import OrganisationRef, ProjectMember, Record
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from graph.local_neo4j import LocalNeo4j
from hub.keys import create_key
from hub.web.app import create_app
from schema.viewer import Role
from tests.ingest_helpers import org, person, project
from tests.live import serving
from tests.test_graphql_federation import JS, ensure_node_modules

SOURCE = SourceInfo("gw", "gw-trust", "Gateway test register", "json_api")
TRUST = OrganisationRef(ods_code="ZGW01")
FALLS = "gw:falls"


def records() -> list[Record]:
    return [
        org("o1", "Gatewick Hospitals NHS Trust", ods_code="ZGW01"),
        person(
            "ada",
            "Ada Pell",
            organisation=TRUST,
            public=True,
            role="Falls lead",
            bio="Runs the ward huddles.",
            email="ada@gatewick.example",
            contact_consent=True,
        ),
        # Listed to members only.
        person("bram", "Bram Hale", organisation=TRUST, bio="Night shift lead."),
        project(
            "falls",
            "Falls huddles",
            lead_organisation=TRUST,
            members=[ProjectMember(person="ada", role="lead"), ProjectMember(person="bram")],
        ),
    ]


@dataclass
class Hub:
    url: str
    member_key: str
    ada: str
    bram: str


@pytest.fixture(scope="module")
async def hub(session_graph: Graph, neo4j_server: LocalNeo4j) -> AsyncIterator[Hub]:
    await session_graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    assert (await sync_source(session_graph, SOURCE, records())).succeeded
    rows = await session_graph.read("MATCH (p:Person) RETURN p.name AS name, p.id AS id")
    ids = {row["name"]: row["id"] for row in rows}
    key, _ = await create_key(session_graph, Role.MEMBER, None, "gateway test")
    with serving(create_app(Graph.connect(neo4j_server.uri))) as url:
        yield Hub(url, key, ids["Ada Pell"], ids["Bram Hale"])


@pytest.fixture(scope="module")
def gateway(hub: Hub) -> Iterator[str]:
    """The gateway as a Node process on 127.0.0.1; stopped by closing its stdin."""
    ensure_node_modules()
    visits = [
        {"note": "Ward 4 huddle at 8am", "project": FALLS, "host": hub.ada},
        {"note": "Night huddle", "project": FALLS, "host": hub.bram},
    ]
    process = subprocess.Popen(
        ["node", str(JS / "gateway.mjs"), f"{hub.url}/graphql"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps({"visits": visits}) + "\n")
    process.stdin.flush()
    ready: queue.Queue[str] = queue.Queue()

    def read_until_ready() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            if line.startswith("READY "):
                ready.put(line.removeprefix("READY "))
        ready.put("")  # the process ended

    threading.Thread(target=read_until_ready, daemon=True).start()
    try:
        first = ready.get(timeout=60)
    except queue.Empty:
        process.kill()
        raise AssertionError("the gateway did not start in 60 s") from None
    if not first:
        process.wait(timeout=10)
        raise AssertionError(f"the gateway stopped: {process.stderr.read()}")  # type: ignore[union-attr]
    try:
        yield json.loads(first)["gateway"]
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def ask(gateway: str, query: str, key: str | None = None) -> dict:
    headers = {"authorization": f"Bearer {key}"} if key else {}
    response = httpx.post(gateway, json={"query": query}, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


VISITS = """{
  hostedVisits {
    note
    project { title visitNotes people { role person { name bio } } }
    host { name role bio contact { email } }
  }
}"""


def test_a_query_from_the_second_subgraph_reaches_the_hubs_entities(gateway: str) -> None:
    visits = ask(gateway, VISITS)["hostedVisits"]
    assert [v["note"] for v in visits] == ["Ward 4 huddle at 8am", "Night huddle"]
    falls = visits[0]["project"]
    assert falls["title"] == "Falls huddles"  # from the hub, by `_entities`
    assert falls["visitNotes"] == ["Ward 4 huddle at 8am", "Night huddle"]  # and back
    # Anonymous through the gateway: the hub lists only Ada, and none of her personal data.
    assert falls["people"] == [{"role": "lead", "person": {"name": "Ada Pell", "bio": None}}]
    ada = visits[0]["host"]
    assert ada == {"name": "Ada Pell", "role": "Falls lead", "bio": None, "contact": None}
    assert visits[1]["host"] is None  # Bram is not listed to anonymous callers


def test_a_members_key_passed_on_unlocks_what_members_see(gateway: str, hub: Hub) -> None:
    """The refusals above come from the caller's role, not from missing data."""
    visits = ask(gateway, VISITS, hub.member_key)["hostedVisits"]
    ada, bram = visits[0]["host"], visits[1]["host"]
    assert ada["bio"] == "Runs the ward huddles."
    assert ada["contact"] == {"email": "ada@gatewick.example"}
    assert bram == {"name": "Bram Hale", "role": None, "bio": "Night shift lead.", "contact": None}
    assert len(visits[0]["project"]["people"]) == 2


def test_a_query_from_the_hub_reaches_the_second_subgraph(gateway: str) -> None:
    data = ask(gateway, '{ project(id: "gw:falls") { title visitNotes } }')
    assert data["project"] == {
        "title": "Falls huddles",
        "visitNotes": ["Ward 4 huddle at 8am", "Night huddle"],
    }
