"""A person's kind (staff, patient or carer, lived-experience partner, volunteer, student): shown
only where the person consented, to signed-in callers, and no filter by it ever tells a caller
more than the answer shows.

On top of the API fixture region, the carers' charity lists: Fern Alder (lived-experience
partner, consented), Gus Brook (patient or carer, did NOT consent), Hana Cole (patient or
carer, consented, not listed publicly) and Ivo Dunn (volunteer, consented). All four care
about falls.
"""

from __future__ import annotations

from typing import Any

import pytest

from connectors.mapping import FieldMap, apply_map
from connectors.records import OrganisationRef, PersonRecord, RecordError, parse_record
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from schema.api import schema
from schema.context import Context
from schema.viewer import ANONYMOUS, Role, Viewer
from tests.test_api_fixture import HUB_ADMIN, MEMBER, fresh_region, run

PARTNER_ADMIN = Viewer(Role.PARTNER_ADMIN, partner="north-vale", subject="test:partner")
SIGNED_IN = [MEMBER, PARTNER_ADMIN, HUB_ADMIN]
KINDS_SOURCE = SourceInfo("vct-people", "vale-carers", "Vale Carers people", "tabular")

PEOPLE = """query ($kinds: [PersonKind!]) {
  people(filter: {kinds: $kinds}, first: 50) { totalCount nodes { name kind } } }"""
WHO_ELSE = """query ($kinds: [PersonKind!]) {
  whoElse(topic: "falls", kinds: $kinds, first: 50) { person { name kind } } }"""


def _people() -> list[PersonRecord]:
    carers = OrganisationRef(name="Vale Carers Trust")

    def person(ref: str, name: str, kind: str, *, consent: bool, public: bool) -> PersonRecord:
        return PersonRecord(
            ref=ref,
            name=name,
            organisation=carers,
            interests=["falls"],
            person_kind=kind,
            kind_consent=consent,
            public=public,
        )

    return [
        person("k1", "Fern Alder", "lived_experience_partner", consent=True, public=True),
        person("k2", "Gus Brook", "patient_or_carer", consent=False, public=True),
        person("k3", "Hana Cole", "patient_or_carer", consent=True, public=False),
        person("k4", "Ivo Dunn", "volunteer", consent=True, public=True),
    ]


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> Graph:
    graph = await fresh_region(session_graph)
    result = await sync_source(graph, KINDS_SOURCE, _people())
    assert result.succeeded and result.errors == [], result.errors
    return graph


async def errors(graph: Graph, query: str, viewer: Viewer, **variables: Any) -> list[str]:
    context = Context(graph, viewer=viewer)
    result = await schema.execute(query, variable_values=variables, context_value=context)
    assert result.errors, result.data
    return [error.message for error in result.errors]


def kinds_by_name(nodes: list[dict[str, Any]]) -> dict[str, str | None]:
    return {node["name"]: node["kind"] for node in nodes}


# --- records and mapping ----------------------------------------------------------------------


def test_a_partners_word_for_a_kind_is_read_and_an_unknown_one_names_the_field() -> None:
    field_map = FieldMap.model_validate(
        {
            "fields": {
                "ref": "id",
                "name": "name",
                "person_kind": {"path": "involvement", "values": {"Carer": "patient_or_carer"}},
                "kind_consent": "show_involvement",
            }
        }
    )

    def parsed(involvement: str) -> PersonRecord | RecordError:
        item = {"id": 7, "name": "Jo Fell", "involvement": involvement, "show_involvement": True}
        record = parse_record(apply_map(item, field_map, "person"), source="s", location="item 1")
        assert isinstance(record, PersonRecord | RecordError)
        return record

    carer = parsed("carer")
    assert isinstance(carer, PersonRecord) and carer.person_kind == "patient_or_carer"
    partner = parsed("Lived-experience  partner")
    assert isinstance(partner, PersonRecord) and partner.person_kind == "lived_experience_partner"
    assert partner.kind_consent is True
    bad = parsed("manager")
    assert isinstance(bad, RecordError)
    assert bad.field == "person_kind" and bad.ref == "7"


async def test_a_kind_without_consent_is_never_stored(region: Graph) -> None:
    rows = await region.read(
        "MATCH (p:Person) WHERE p.name IN ['Fern Alder', 'Gus Brook'] "
        "RETURN p.name AS name, p.personKind AS kind, p.kindConsent AS consent ORDER BY name"
    )
    assert rows == [
        {"name": "Fern Alder", "kind": "lived_experience_partner", "consent": True},
        {"name": "Gus Brook", "kind": None, "consent": False},
    ]


# --- who sees a kind --------------------------------------------------------------------------


async def test_anonymous_callers_see_no_kind(region: Graph) -> None:
    nodes = (await run(region, PEOPLE, kinds=None))["people"]["nodes"]
    assert {"Fern Alder", "Ivo Dunn"} <= {n["name"] for n in nodes}
    assert all(n["kind"] is None for n in nodes)


@pytest.mark.parametrize("viewer", SIGNED_IN, ids=lambda v: v.role.value)
async def test_signed_in_callers_see_a_kind_only_where_the_person_consented(
    region: Graph, viewer: Viewer
) -> None:
    nodes = (await run(region, PEOPLE, as_viewer=viewer, kinds=None))["people"]["nodes"]
    shown = kinds_by_name(nodes)
    assert shown["Fern Alder"] == "LIVED_EXPERIENCE_PARTNER"
    assert shown["Hana Cole"] == "PATIENT_OR_CARER"
    assert shown["Ivo Dunn"] == "VOLUNTEER"
    assert shown["Gus Brook"] is None
    assert shown["Ada Quill"] is None  # her source says nothing of a kind


# --- filtering by kind ------------------------------------------------------------------------


@pytest.mark.parametrize("query", [PEOPLE, WHO_ELSE], ids=["people", "whoElse"])
async def test_anonymous_callers_cannot_filter_by_kind(region: Graph, query: str) -> None:
    messages = await errors(region, query, ANONYMOUS, kinds=["PATIENT_OR_CARER"])
    assert any("needs sign-in" in m and "kind" in m for m in messages), messages


@pytest.mark.parametrize("viewer", SIGNED_IN, ids=lambda v: v.role.value)
async def test_a_kind_filter_matches_only_people_whose_kind_the_caller_sees(
    region: Graph, viewer: Viewer
) -> None:
    """Gus's kind, stored without his consent (as an older hub may have done), still does not
    put him in the answer: the filter and the field read the same consent."""
    carers = ["PATIENT_OR_CARER"]
    answer = (await run(region, PEOPLE, as_viewer=viewer, kinds=carers))["people"]
    assert kinds_by_name(answer["nodes"]) == {"Hana Cole": "PATIENT_OR_CARER"}
    assert answer["totalCount"] == 1
    gus = "MATCH (p:Person {name: 'Gus Brook'}) SET p.personKind = $kind RETURN count(p) AS n"
    assert (await region.write(gus, {"kind": "patient_or_carer"}))[0]["n"] == 1
    try:
        assert (await run(region, PEOPLE, as_viewer=viewer, kinds=carers))["people"] == answer
        who = (await run(region, WHO_ELSE, as_viewer=viewer, kinds=carers))["whoElse"]
        assert [m["person"]["name"] for m in who] == ["Hana Cole"]
    finally:
        await region.write(gus, {"kind": None})


@pytest.mark.parametrize("viewer", SIGNED_IN, ids=lambda v: v.role.value)
async def test_who_else_narrows_to_the_kinds_asked_for(region: Graph, viewer: Viewer) -> None:
    everyone = (await run(region, WHO_ELSE, as_viewer=viewer, kinds=None))["whoElse"]
    assert {"Fern Alder", "Gus Brook", "Ada Quill"} <= {m["person"]["name"] for m in everyone}
    asked = ["LIVED_EXPERIENCE_PARTNER", "VOLUNTEER"]
    narrowed = (await run(region, WHO_ELSE, as_viewer=viewer, kinds=asked))["whoElse"]
    assert kinds_by_name([m["person"] for m in narrowed]) == {
        "Fern Alder": "LIVED_EXPERIENCE_PARTNER",
        "Ivo Dunn": "VOLUNTEER",
    }
