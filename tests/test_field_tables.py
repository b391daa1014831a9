"""The field tables (graph/queries/fields.py) decide what each read returns, and the API derives
from them what each field needs (schema/rows.py): a field selected alone answers exactly as it
does beside every other field, and a plain field the table lacks is refused at import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import strawberry
from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    build_client_schema,
    get_named_type,
    is_leaf_type,
    is_object_type,
)

from graph.database import Graph
from graph.queries.fields import Entity, Field, stored
from schema.api import schema
from schema.enums import ProjectStatus
from schema.rows import Rows
from tests.test_api_fixture import HUB_ADMIN, fresh_region, run

Items = Callable[[dict[str, Any]], list[dict[str, Any]]]

PAGE = "{ projects(first: 10) { nodes { SELECTION } } }"
SEARCH = '{ search(text: "falls sepsis frailty Ada Vale Eastmoor", first: 50) { kind node { '
WHO_ELSE = '{ whoElse(topic: "falls", first: 50) { '
LINKS = "{ crossBoundaryLinks(first: 50) { "


def _nodes(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["projects"]["nodes"]


def _in_page(type_name: str, path: str, inner: str | None = None) -> tuple[str, str, Items]:
    """A type read in each project of a page, at ``path`` (in each entry's ``inner``)."""
    selection = f"{inner} {{ SELECTION }}" if inner else "SELECTION"
    document = PAGE.replace("SELECTION", f"id {path} {{ {selection} }}")

    def items(data: dict[str, Any]) -> list[dict[str, Any]]:
        found = []
        for node in _nodes(data):
            entries = node[path] if isinstance(node[path], list) else [node[path]]
            found += [entry[inner] if inner else entry for entry in entries if entry is not None]
        return found

    return type_name, document, items


def _hits(kind: str) -> Items:
    return lambda data: [hit["node"] for hit in data["search"] if hit["kind"] == kind]


def _evidence(path: str) -> Items:
    return lambda data: [
        item
        for match in data["whoElse"]
        for item in (match[path] if isinstance(match[path], list) else [match[path]])
    ]


def _in_links(path: str) -> Items:
    return lambda data: [item for link in data["crossBoundaryLinks"] for item in link[path]]


# Where each type is read with only the fields selected: the GraphQL type, a document with
# SELECTION in the place of the fields, and how to find the objects in the answer. (whoElse's
# organisations and projects are read as its topics are: the keys selected and the sort key.)
PLACES: dict[str, tuple[str, str, Items]] = {
    "a page's projects": ("Project", PAGE, _nodes),
    "a page's organisations": _in_page("Organisation", "organisations", "organisation"),
    "a page's lead organisations": _in_page("Organisation", "leadOrganisation"),
    "a page's people": _in_page("Person", "people", "person"),
    "a page's topics": _in_page("Topic", "topics"),
    **{
        f"search's {kind.lower()} hits": (
            kind,
            SEARCH + f"... on {kind} {{ SELECTION }} }} }} }}",
            _hits(kind.upper()),
        )
        for kind in ("Project", "Person", "Resource", "Organisation", "Topic")
    },
    "whoElse's people": ("Person", WHO_ELSE + "person { SELECTION } } }", _evidence("person")),
    "whoElse's topics": ("Topic", WHO_ELSE + "topics { SELECTION } } }", _evidence("topics")),
    **{
        f"a link's {path}": (kind, LINKS + path + " { SELECTION } } }", _in_links(path))
        for kind, path in (
            ("Organisation", "organisations"),
            ("Project", "exampleProjects"),
            ("Person", "examplePeople"),
            ("Topic", "exampleTopics"),
        )
    },
}


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> Graph:
    return await fresh_region(session_graph)


@pytest.fixture(scope="module")
def api() -> GraphQLSchema:
    return build_client_schema(schema.introspect())


def _selections(api: GraphQLSchema, type_name: str) -> dict[str, str]:
    """Every field of the type, each with what selects it (an object's leaves, one level;
    five items of a list that takes ``first``, to keep the documents under the cost limit)."""
    kind = api.get_type(type_name)
    assert isinstance(kind, GraphQLObjectType)
    found = {}
    for name, field in kind.fields.items():
        inner = get_named_type(field.type)
        if is_leaf_type(inner):
            found[name] = name
            continue
        leaves = []
        if is_object_type(inner):
            assert isinstance(inner, GraphQLObjectType)
            leaves = [n for n, f in inner.fields.items() if is_leaf_type(get_named_type(f.type))]
        sized = f"{name}(first: 5)" if "first" in field.args else name
        found[name] = f"{sized} {{ {' '.join(leaves or ['__typename'])} }}"
    return found


@pytest.mark.parametrize("place", PLACES)
async def test_each_field_alone_answers_as_beside_every_other(
    region: Graph, api: GraphQLSchema, place: str
) -> None:
    type_name, document, items = PLACES[place]
    selections = _selections(api, type_name)

    async def read(selection: str) -> list[dict[str, Any]]:
        data = await run(region, document.replace("SELECTION", selection), as_viewer=HUB_ADMIN)
        return items(data)

    everything = await read("id " + " ".join(selections.values()))
    assert len(everything) >= 2, place  # the region has some, or the test checks nothing
    for name, selection in selections.items():
        alone = await read("id " + selection)
        assert alone == [{"id": item["id"], name: item[name]} for item in everything], name


def test_every_place_reads_each_entity_the_api_has() -> None:
    assert {type_name for type_name, _, _ in PLACES.values()} == {
        "Project",
        "Person",
        "Organisation",
        "Topic",
        "Resource",
    }


GRANT = Entity(label="Grant", variable="grant", sort="title", fields=stored("title", "status"))


@strawberry.type
class Grant:
    id: strawberry.ID
    title: str
    status: ProjectStatus | None


@strawberry.type
class Award(Grant):
    awarded: date | None


def test_a_new_field_is_one_table_entry_plus_the_graphql_field() -> None:
    rows = Rows(Grant, GRANT)
    grant = rows.make({"id": "g1", "title": None, "status": "active", "emailHashes": ["x"]})
    assert (grant.id, grant.title, grant.status) == ("g1", "", ProjectStatus.ACTIVE)
    assert rows.needs == {
        "__typename": set(),
        "id": set(),
        "title": {"title"},
        "status": {"status"},
    }
    assert rows.keys(["title"]) == {"title"} and rows.keys(["nothing"]) is None
    assert GRANT.projection(["status", "unknown"]) == "grant {.id, .status}"

    awarded = Entity("Grant", "grant", "title", (*GRANT.fields, Field("awarded")))
    award = Rows(Award, awarded).make({"id": "g2", "title": "Falls", "awarded": date(2026, 1, 5)})
    assert award.awarded == date(2026, 1, 5)
    assert awarded.row == "grant {.id, .title, .status, .awarded}"


def test_a_plain_field_missing_from_the_table_or_a_reader_not_in_the_type_is_refused() -> None:
    with pytest.raises(TypeError, match=r"Award\.awarded: no key 'awarded' in the Grant field"):
        Rows(Award, GRANT)
    misread = Entity(
        "Grant", "grant", "title", (Field("title", read_by=("heading",)), Field("status"))
    )
    with pytest.raises(TypeError, match=r"Grant has no field \['heading'\] that read_by names"):
        Rows(Grant, misread)


def test_a_key_shown_only_on_a_condition_is_null_elsewhere_in_the_cypher() -> None:
    consented = Field("email", read_by=("contact",), only_if="person.contactConsent = true")
    assert consented.cypher("person") == (
        "email: CASE WHEN person.contactConsent = true THEN person.email END"
    )
    assert Field("name").cypher("person") == ".name"


@strawberry.type
class Meeting(Grant):
    held: datetime | None


async def test_a_moment_leaves_neo4j_as_text_and_the_api_reads_the_same_moment(
    graph: Graph,
) -> None:
    """Datetimes travel as text (the driver is slow to build them): stored with an offset,
    with a zone's name or in UTC with nanoseconds, each reads back as the moment stored."""
    meetings = Entity("Meeting", "meeting", "title", (*GRANT.fields, Field("held", moment=True)))
    assert meetings.projection(["held"]) == "meeting {.id, held: toString(meeting.held)}"
    stored_as = {
        "m1": ("datetime('2026-03-04T09:30:00+01:00')", datetime(2026, 3, 4, 8, 30, tzinfo=UTC)),
        "m2": (
            "datetime({year: 2026, month: 7, day: 1, hour: 18, timezone: 'Europe/London'})",
            datetime(2026, 7, 1, 17, 0, tzinfo=UTC),
        ),
        "m3": (
            "datetime('2026-01-02T03:04:05.123456789Z')",
            datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
        ),
        "m4": ("null", None),
    }
    for key, (value, _) in stored_as.items():
        await graph.write("CREATE (:Meeting {id: $id, title: 'Falls', held: " + value + "})",
                          {"id": key})  # fmt: skip
    rows = await graph.read("MATCH (meeting:Meeting) RETURN " + meetings.row + " AS row")
    made = {row["row"]["id"]: Rows(Meeting, meetings).make(row["row"]) for row in rows}
    assert all(isinstance(row["row"]["held"], str | None) for row in rows)
    assert {key: meeting.held for key, meeting in made.items()} == {
        key: moment for key, (_, moment) in stored_as.items()
    }
    assert made["m2"].held is not None and made["m2"].held.utcoffset() == timedelta(hours=1)
