"""Our subgraph composes with another hub's under Apollo Federation 2 (npm @apollo/composition)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from graph.database import Graph
from schema import federation
from schema.api import schema
from schema.context import Context

JS = Path(__file__).parent / "js"

# A second hub that extends our Project and Person entities with its own fields.
EVENTS_SUBGRAPH = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Project @key(fields: "id") {
  id: ID!
  events: [Event!]!
}

type Person @key(fields: "id") {
  id: ID!
  talks: [Event!]!
}

type Event {
  id: ID!
  title: String!
}

type Query {
  conferenceEvents(first: Int = 20): [Event!]!
}
"""


def ensure_node_modules() -> None:
    """The npm packages of tests/js, installed from the lock file when missing (make test
    installs them first; this is for a plain `pytest`)."""
    if not (JS / "node_modules" / ".package-lock.json").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=JS,
            check=True,
            timeout=300,
        )


def run_node(script: str, *args: str, stdin: str = "") -> object:
    """Run a script of tests/js and return the JSON it printed."""
    ensure_node_modules()
    done = subprocess.run(
        ["node", str(JS / script), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


async def service_sdl() -> str:
    result = await schema.execute("{ _service { sdl } }", context_value=Context(graph=None))  # type: ignore[arg-type]
    assert result.errors is None
    return result.data["_service"]["sdl"]  # type: ignore[index]


def compose(*subgraphs: tuple[str, str]) -> dict:
    services = [
        {"name": name, "url": f"http://{name}.invalid/graphql", "sdl": sdl}
        for name, sdl in subgraphs
    ]
    return run_node("compose.mjs", stdin=json.dumps(services))  # type: ignore[return-value]


async def test_our_subgraph_composes_with_another() -> None:
    result = compose(("convener", await service_sdl()), ("events", EVENTS_SUBGRAPH))
    assert result["errors"] == []
    supergraph = result["supergraph"]
    project = supergraph.split("type Project")[1].split("\n}")[0]
    assert "events: [Event!]!" in project and "title: String!" in project
    assert "whoElse" in supergraph


async def test_every_entity_has_a_key() -> None:
    sdl = await service_sdl()
    for entity in ("Project", "Person", "Organisation", "Resource", "Topic"):
        assert f'type {entity} @key(fields: "id")' in sdl


async def test_a_conflicting_subgraph_is_reported() -> None:
    """The check can fail: a subgraph giving Project.title another type does not compose."""
    clash = EVENTS_SUBGRAPH.replace("events: [Event!]!\n}", "events: [Event!]!\n  title: Int\n}", 1)
    result = compose(("convener", await service_sdl()), ("events", clash))
    assert any("FIELD_TYPE_MISMATCH" in error for error in result["errors"]), result["errors"]


def test_the_checked_entities_are_the_sdls_entity_union() -> None:
    union = schema.as_str().split("union _Entity = ")[1].split("\n")[0]
    assert tuple(sorted(union.split(" | "))) == federation.ENTITIES


async def test_a_bad_representation_is_the_callers_error_and_spares_the_others(
    graph: Graph,
) -> None:
    """Unknown or missing `__typename`, a missing id, or not an object: each entry says what to
    send; well-formed entries still resolve (here to null: the graph is empty)."""
    query = """{ _entities(representations: [
        {__typename: "Project", id: "nothing"}, {id: "x"}, {__typename: "Nope", id: "y"},
        {__typename: "Topic"}, "text"]) { __typename } }"""
    result = await schema.execute(query, context_value=Context(graph))
    assert result.data == {"_entities": [None] * 5}
    send = (
        'send {"__typename": one of Organisation, Person, Project, Resource, Topic, "id": "..."}.'
    )
    assert [(e.path, e.message) for e in result.errors or []] == [
        (["_entities", 1], f"`representations[1]` has no `__typename`: {send}"),
        (
            ["_entities", 2],
            f"`representations[2]` names `Nope`, which is not an entity here: {send}",
        ),
        (
            ["_entities", 3],
            f"`representations[3]` must give exactly `__typename` and a string `id`: {send}",
        ),
        (["_entities", 4], f"`representations[4]` is not an object: {send}"),
    ]
