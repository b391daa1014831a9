"""No field marked ``@personal`` reaches an anonymous caller, by whatever path: proved by walking
the schema as introspection describes it.

The walk starts at every root query field (the federation ``_entities`` one included), follows
every field that leads towards a type with personal fields (three levels deep, unions through
each member), and selects every personal field. Each query runs as
an anonymous caller, a member and a hub admin (every object selects ``__typename``, so the
answers say where personal fields are) against a small region built through real
ingestion: one listed person who consented to contact, one listed who did not, one unlisted.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    parse,
)
from graphql.language import FieldDefinitionNode, ObjectTypeDefinitionNode

from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    PersonRecord,
    ProjectMember,
    ProjectRecord,
    ResourceRecord,
)
from graph.database import Graph
from graph.ingest import SourceInfo, SystemInfo, store_systems, sync_source
from graph.vocabulary import Vocabulary, store_vocabulary
from schema.api import schema
from schema.context import Context
from schema.viewer import ANONYMOUS, Role, Viewer

MEMBER = Viewer(Role.MEMBER, subject="test:member")
HUB_ADMIN = Viewer(Role.HUB_ADMIN, subject="test:admin")
DEPTH = 3
TRUST = OrganisationRef(ods_code="ZZV01")

# What anonymous callers may see of a person; every other Person field must be @personal.
# ``sameAs`` (the person's ids at the hubs they were pulled from) says no more than the
# listing itself: where else this listed person is listed.
LISTING_FIELDS = {"id", "name", "role", "organisations", "projects", "interests", "sameAs"}

NIA = PersonRecord(
    ref="p1",
    name="Nia Brook",
    role="Falls lead",
    organisation=TRUST,
    email="nia.brook@zv.example",
    phone="01000 000001",
    contact_consent=True,
    public=True,
    orcid="0000-0002-1825-0097",
    bio="Runs the falls huddle on ward nine.",
    offers=["mentoring", "coaching"],
    interests=["falls"],
    person_kind="lived_experience_partner",
    kind_consent=True,
)
OWEN = PersonRecord(
    ref="p2",
    name="Owen Hale",
    role="Analyst",
    organisation=TRUST,
    email="owen.hale@zv.example",
    phone="01000 000002",
    public=True,
    bio="Quiet analyst of falls data.",
    interests=["falls"],
    person_kind="patient_or_carer",  # without consent: never shown
)
PIA = PersonRecord(
    ref="p3",
    name="Pia Stone",
    role="Ward sister",
    organisation=TRUST,
    email="pia.stone@zv.example",
    phone="01000 000003",
    contact_consent=True,
    bio="Unlisted, but a member may find her.",
    offers=["mentoring"],
    interests=["falls"],
)
# Nothing here may appear anywhere in an anonymous caller's answers.
NEVER_ANONYMOUS = [
    "nia.brook@zv.example",
    "01000 000001",
    "0000-0002-1825-0097",
    "falls huddle on ward nine",
    "owen.hale@zv.example",
    "01000 000002",
    "Quiet analyst",
    "LIVED_EXPERIENCE_PARTNER",
    "Pia Stone",
    "pia.stone@zv.example",
    "01000 000003",
    "MENTORING",
    "COACHING",
]
# Owen did not consent: his contact details are stored nowhere, so no caller gets them.
NEVER_ANYONE = ["owen.hale@zv.example", "01000 000002", "PATIENT_OR_CARER"]


async def build(graph: Graph) -> dict[str, str]:
    """The region, and the ids a root field may be asked for, by type."""
    await graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    await store_vocabulary(graph, Vocabulary.load())
    await store_systems(graph, [SystemInfo("zv-ics", "Zedvale ICS", "ics")])
    records = [
        OrganisationRecord(
            ref="o1", name="Zedvale Hospitals", ods_code="ZZV01", sector="nhs", system="zv-ics"
        ),
        NIA,
        OWEN,
        PIA,
        ProjectRecord(
            ref="j1",
            title="Falls huddles on every ward",
            topics=["falls"],
            lead_organisation=TRUST,
            members=[
                ProjectMember(person="p1", role="lead"),
                ProjectMember(person="p2"),
                ProjectMember(person="p3"),
            ],
        ),
        ResourceRecord(
            ref="r1", title="Huddle cards", topics=["falls"], project="j1", organisation=TRUST
        ),
    ]
    summary = await sync_source(graph, SourceInfo("zv", "zv", "Zedvale", "json_api"), records)
    assert summary.succeeded and not summary.errors, summary
    await graph.read("CALL db.awaitIndexes(60)")
    rows = await graph.read("MATCH (p:Person {name: 'Nia Brook'}) RETURN p.id AS id")
    return {
        "Person": rows[0]["id"],
        "Project": "zv:j1",
        "Resource": "zv:r1",
        "Organisation": "ods:ZZV01",
        "Topic": "falls",
        "System": "zv-ics",
    }


@pytest.fixture(scope="module")
async def ids(session_graph: Graph) -> dict[str, str]:
    return await build(session_graph)


async def execute(graph: Graph, viewer: Viewer, query: str, **variables: Any) -> Any:
    context = Context(graph, viewer=viewer)
    return await schema.execute(query, variable_values=variables, context_value=context)


async def client_schema(graph: Graph) -> GraphQLSchema:
    result = await execute(graph, ANONYMOUS, get_introspection_query())
    assert result.errors is None, result.errors
    return build_client_schema(result.data)


async def personal_fields(graph: Graph) -> set[tuple[str, str]]:
    """(type, field) pairs carrying ``@personal`` in the SDL the API publishes."""
    result = await execute(graph, ANONYMOUS, "{ _service { sdl } }")
    marked = set()
    for definition in parse(result.data["_service"]["sdl"]).definitions:
        if isinstance(definition, ObjectTypeDefinitionNode):
            for field in definition.fields or ():
                assert isinstance(field, FieldDefinitionNode)
                if any(d.name.value == "personal" for d in field.directives or ()):
                    marked.add((definition.name.value, field.name.value))
    return marked


class Walk:
    """Builds, for one root field, a selection reaching every personal field below it."""

    def __init__(self, api: GraphQLSchema, personal: set[tuple[str, str]]) -> None:
        self.api = api
        self.personal = personal

    def selection(self, type_: Any, depth: int) -> str | None:
        named = get_named_type(type_)
        if isinstance(named, GraphQLUnionType):
            parts = [
                f"... on {member.name} {sub}"
                for member in named.types
                if (sub := self.selection(member, depth)) is not None
            ]
            return "{ " + " ".join(parts) + " }" if parts else None
        if not isinstance(named, GraphQLObjectType):
            return None
        chosen = []
        for name, field in named.fields.items():
            if (named.name, name) in self.personal:
                chosen.append(f"{name}{self.everything(field.type)}")
            elif depth > 0 and not required_arguments(field):
                sub = self.selection(field.type, depth - 1)
                if sub is not None:
                    chosen.append(f"{name}{small_page(field)} {sub}")
        if not chosen:
            return None
        return "{ __typename " + " ".join(chosen) + " }"

    def everything(self, type_: Any) -> str:
        named = get_named_type(type_)
        if not isinstance(named, GraphQLObjectType):
            return ""
        return "{ " + " ".join(named.fields) + " }"


def required_arguments(field: GraphQLField) -> list[str]:
    return [name for name, arg in field.args.items() if isinstance(arg.type, GraphQLNonNull)]


def small_page(field: GraphQLField) -> str:
    return "(first: 5)" if "first" in field.args else ""


def arguments(name: str, field: GraphQLField, ids: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """Arguments for a root field, from the region: ids by the type returned, known words."""
    returned = get_named_type(field.type).name
    values: dict[str, Any] = {}
    for arg_name, arg in field.args.items():
        if arg_name == "id":
            values["id"] = ids.get(returned, "nothing:here")  # no Submission in this region
        elif arg_name == "draft":
            values[arg_name] = {"title": "falls huddle on the ward"}
        elif arg_name == "representations":
            values[arg_name] = [{"__typename": "Person", "id": ids["Person"]}]
        elif arg_name == "topic":
            values[arg_name] = "falls"
        elif arg_name == "text":
            values[arg_name] = "falls huddle analyst ward"
        elif arg_name == "first" and isinstance(arg.type, GraphQLNonNull):
            values[arg_name] = 5
        elif isinstance(arg.type, GraphQLNonNull):
            raise AssertionError(f"the walk has no value for {name}({arg_name})")
    declared = ", ".join(f"${a}: {field.args[a].type}" for a in values)
    return (f"({declared})" if declared else ""), values


# Root fields refused to members (FORBIDDEN), so no member walk reaches a person through them.
MODERATORS_ONLY = {"submissionsToModerate"}


def walk_queries(api: GraphQLSchema, personal: set[tuple[str, str]], ids: dict[str, str]) -> dict:
    walk = Walk(api, personal)
    assert api.query_type is not None
    queries = {}
    for name, field in api.query_type.fields.items():
        sub = walk.selection(field.type, DEPTH)
        if sub is None or name in MODERATORS_ONLY:
            continue
        declared, values = arguments(name, field, ids)
        passed = ", ".join(f"{a}: ${a}" for a in values)
        call = f"{name}({passed})" if passed else name
        queries[name] = (f"query Walk{declared} {{ {call} {sub} }}", values)
    return queries


def marked_values(
    data: Any, personal: set[tuple[str, str]], found: list[tuple[str, Any]]
) -> list[tuple[str, Any]]:
    """Every (field, value) of the response at a personal field (each object names its type)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if (data.get("__typename"), key) in personal:
                found.append((key, value))
            marked_values(value, personal, found)
    elif isinstance(data, list):
        for item in data:
            marked_values(item, personal, found)
    return found


@pytest.fixture(scope="module")
async def walked(session_graph: Graph, ids: dict[str, str]) -> dict[str, Any]:
    """Every walk query's answer, for each of the three roles."""
    api = await client_schema(session_graph)
    personal = await personal_fields(session_graph)
    queries = walk_queries(api, personal, ids)
    answers: dict[str, Any] = {"personal": personal, "queries": queries, "api": api}
    for role, viewer in (("anonymous", ANONYMOUS), ("member", MEMBER), ("admin", HUB_ADMIN)):
        answers[role] = {
            # federation pops __typename out of representations: each run gets a fresh copy
            name: await execute(session_graph, viewer, query, **copy.deepcopy(values))
            for name, (query, values) in queries.items()
        }
    return answers


def test_personal_fields_are_marked_and_walked(walked: dict[str, Any]) -> None:
    personal = walked["personal"]
    person = {f for t, f in personal if t == "Person"}
    assert {"contact", "orcid", "bio", "offers", "offersMentoring", "offersCoaching"} <= person
    api: GraphQLSchema = walked["api"]
    person_type = api.get_type("Person")
    assert isinstance(person_type, GraphQLObjectType)
    # A new field on Person is personal unless it joins the listing on purpose.
    assert set(person_type.fields) - person == LISTING_FIELDS
    # Contact details are reachable only through a personal field.
    for type_ in api.type_map.values():
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__"):
            for name, field in type_.fields.items():
                if get_named_type(field.type).name == "Contact":
                    assert (type_.name, name) in personal, f"{type_.name}.{name}"
    # The walk starts from every root field that leads to a person, federation included.
    assert {"person", "people", "whoElse", "mentors", "search", "project", "_entities"} <= set(
        walked["queries"]
    )


def test_no_personal_field_reaches_an_anonymous_caller(walked: dict[str, Any]) -> None:
    reached = 0
    for name, result in walked["anonymous"].items():
        for error in result.errors or []:
            # Refusals are fine (mentors needs sign-in); anything else is a broken walk.
            assert error.extensions.get("code") == "UNAUTHENTICATED", (name, error)
        values = marked_values(result.data, walked["personal"], [])
        assert all(value is None for _, value in values), (name, values)
        reached += len(values)
        text = json.dumps(result.data)
        leaked = [secret for secret in NEVER_ANONYMOUS if secret in text]
        assert leaked == [], (name, leaked)
    assert reached > 20  # the anonymous walk really met personal fields, and found them empty


@pytest.mark.parametrize("role", ["member", "admin"])
def test_signed_in_callers_see_personal_fields_with_consent(
    walked: dict[str, Any], role: str
) -> None:
    seen: dict[str, set[str]] = {}
    for name, result in walked[role].items():
        assert result.errors is None, (role, name, result.errors)
        for field, value in marked_values(result.data, walked["personal"], []):
            if value is not None:
                seen.setdefault(field, set()).add(json.dumps(value, sort_keys=True))
        text = json.dumps(result.data)
        assert [s for s in NEVER_ANYONE if s in text] == [], (role, name)
    personal_names = {field for _, field in walked["personal"]}
    assert set(seen) == personal_names  # every personal field was reached with a value
    assert seen["contact"] == {
        json.dumps({"email": "nia.brook@zv.example", "phone": "01000 000001"}, sort_keys=True),
        json.dumps({"email": "pia.stone@zv.example", "phone": "01000 000003"}, sort_keys=True),
    }
    assert seen["orcid"] == {'"0000-0002-1825-0097"'}
    assert seen["offersCoaching"] == {"true", "false"}
    assert seen["kind"] == {'"LIVED_EXPERIENCE_PARTNER"'}


async def test_members_and_admins_differ_only_in_what_admins_run(
    session_graph: Graph, walked: dict[str, Any]
) -> None:
    for name in walked["queries"]:
        assert walked["member"][name].data == walked["admin"][name].data, name
    runs = "{ syncRuns { source status } }"
    assert (await execute(session_graph, HUB_ADMIN, runs)).data == {
        "syncRuns": [{"source": "zv", "status": "succeeded"}]
    }
    for viewer in (ANONYMOUS, MEMBER):
        refused = await execute(session_graph, viewer, runs)
        assert refused.data is None
        assert refused.errors[0].message.startswith("Only partner admins and hub admins")
