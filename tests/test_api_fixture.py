"""The small region the API tests read, built through the real ingestion path.

North Vale (an ICS) has a hospital trust, a carers' charity and a GP surgery; Eastmoor (its
neighbour) has a county council. Four live projects and one retired, five people (one not
public, one without contact consent), two resources. Test modules import ``build_region``.
"""

from __future__ import annotations

from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    PersonRecord,
    ProjectMember,
    ProjectRecord,
    Record,
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

SOURCE = SourceInfo("nv", "north-vale", "North Vale register", "json_api")
TRUST = "ods:ZNV01"
SURGERY = "ods:ZRS01"


def _records(*, with_retired: bool) -> list[Record]:
    trust = OrganisationRef(ods_code="ZNV01")
    council = OrganisationRef(name="Eastmoor County Council")
    carers = OrganisationRef(name="Vale Carers Trust")
    records: list[Record] = [
        OrganisationRecord(
            ref="o1",
            name="North Vale Hospitals NHS Foundation Trust",
            ods_code="ZNV01",
            sector="nhs",
            system="north-vale",
            aliases=["NVH"],
        ),
        OrganisationRecord(
            ref="o2", name="Eastmoor County Council", sector="local_government", system="east-moor"
        ),
        OrganisationRecord(
            ref="o3", name="Vale Carers Trust", sector="voluntary", system="north-vale"
        ),
        OrganisationRecord(
            ref="o4",
            name="Riverside Surgery",
            ods_code="ZRS01",
            sector="primary_care",
            system="north-vale",
        ),
        PersonRecord(
            ref="p1",
            name="Ada Quill",
            role="Falls lead",
            organisation=trust,
            email="ada.quill@nvh.example",
            phone="01234 567890",
            contact_consent=True,
            public=True,
            offers=["mentoring"],
            interests=["falls"],
        ),
        PersonRecord(
            ref="p2",
            name="Bram Ostrava",
            organisation=trust,
            email="bram@nvh.example",
            interests=["sepsis"],
        ),
        PersonRecord(
            ref="p3",
            name="Cleo Marsh",
            role="Frailty commissioner",
            organisation=council,
            public=True,
            offers=["coaching"],
            interests=["frailty"],
        ),
        PersonRecord(
            ref="p4",
            name="Dev Patel",
            role="Carers support worker",
            organisation=carers,
            email="dev@carers.example",
            public=True,
            interests=["Falls prevention"],
        ),
        PersonRecord(
            ref="p5",
            name="Esme Lund",
            role="Practice nurse",
            organisation=OrganisationRef(ods_code="ZRS01"),
            public=True,
            offers=["mentoring", "coaching"],
            bio="Leads diabetes reviews in general practice.",
        ),
        ProjectRecord(
            ref="j1",
            title="Reducing inpatient falls on elderly care wards",
            aim="Cut falls with harm by a third",
            summary="Ward teams test bedside changes to stop falls among frail older patients.",
            topics=["Inpatient falls", "Frailty"],
            methods=["PDSA", "SPC charts"],
            status="active",
            mode="iterative_qi",
            start_date="2024-03-01",
            lead_organisation=trust,
            partner_organisations=[council],
            members=[ProjectMember(person="p1", role="lead"), ProjectMember(person="p2")],
        ),
        ProjectRecord(
            ref="j2",
            title="Sepsis screening in the emergency department",
            topics=["sepsis"],
            status="completed",
            lead_organisation=trust,
            members=[ProjectMember(person="p2", role="analyst")],
        ),
        ProjectRecord(
            ref="j3",
            title="Community falls prevention with carers",
            summary="Carers learn simple checks that prevent falls at home.",
            topics=["falls"],
            methods=["co-design"],
            status="active",
            mode="spread_innovation",
            lead_organisation=carers,
            partner_organisations=[trust],
            members=[ProjectMember(person="p4", role="lead")],
        ),
        ProjectRecord(
            ref="j4",
            title="Frailty hub for Eastmoor",
            topics=["frailty"],
            status="proposed",
            mode="pathway_transformation",
            lead_organisation=council,
            members=[ProjectMember(person="p3")],
        ),
        ResourceRecord(
            ref="r1",
            title="Falls toolkit",
            resource_type="toolkit",
            summary="Checklists and posters from the falls project.",
            topics=["falls"],
            project="j1",
            organisation=trust,
            published="2024-09-01",
        ),
        ResourceRecord(
            ref="r2",
            title="Sepsis case study",
            resource_type="case_study",
            topics=["sepsis"],
            organisation=trust,
        ),
    ]
    if with_retired:
        records.append(
            ProjectRecord(
                ref="j9",
                title="Retired falls audit",
                topics=["falls"],
                lead_organisation=trust,
                members=[ProjectMember(person="p1")],
            )
        )
    return records


async def build_region(graph: Graph) -> None:
    """The fixture region; project j9 was listed once, then dropped, so it is retired."""
    await store_vocabulary(graph, Vocabulary.load())
    await store_systems(
        graph,
        [
            SystemInfo("north-vale", "North Vale ICS", "ics", ("east-moor",)),
            SystemInfo("east-moor", "Eastmoor ICS", "ics"),
        ],
    )
    first = await sync_source(graph, SOURCE, _records(with_retired=True))
    second = await sync_source(graph, SOURCE, _records(with_retired=False))
    assert first.succeeded and second.succeeded, (first, second)
    assert first.errors == [] and second.errors == [], (first.errors, second.errors)
    assert second.retired == 1
    await graph.read("CALL db.awaitIndexes(60)")


async def test_the_region_ingests_cleanly(graph: Graph) -> None:
    await build_region(graph)
    rows = await graph.read(
        "MATCH (n) WHERE n:Project OR n:Person OR n:Organisation OR n:Resource "
        "RETURN labels(n)[0] AS label, count(*) AS total, count(n.retiredAt) AS retired "
        "ORDER BY label"
    )
    assert rows == [
        {"label": "Organisation", "total": 4, "retired": 0},
        {"label": "Person", "total": 5, "retired": 0},
        {"label": "Project", "total": 5, "retired": 1},
        {"label": "Resource", "total": 2, "retired": 0},
    ]


async def run(graph: Graph, query: str, as_viewer: Viewer = ANONYMOUS, **variables: object) -> dict:
    """Execute a query against the schema (as an anonymous caller unless told); fail on errors."""
    context = Context(graph, viewer=as_viewer)
    result = await schema.execute(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def run_with_errors(graph: Graph, query: str, **variables: object) -> list[str]:
    """Execute a query that must fail and return its error messages."""
    result = await schema.execute(query, variable_values=variables, context_value=Context(graph))
    assert result.errors, result.data
    return [error.message for error in result.errors]


async def fresh_region(graph: Graph) -> Graph:
    """An emptied graph with the region in it, for a module's tests to share (read only)."""
    await graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    await build_region(graph)
    return graph
