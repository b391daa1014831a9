"""A submission as the records ingestion takes: its kind decides project or resource, the
case-study parts follow the summary, each attachment is a resource holding the file's text."""

from __future__ import annotations

from connectors.enums import ResourceType
from connectors.records import OrganisationRecord, PersonRecord, ProjectRecord, ResourceRecord
from graph.contributions import store
from graph.contributions.records import records_of, source_of
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from hub.sync.run import REGISTRY

CASE = {
    "id": "sub_1",
    "kind": "case_study",
    "title": "Fewer falls on ward seven",
    "summary": "Night falls halved in a year.",
    "aim": "Halve night-time falls",
    "problem": "Falls at night",
    "whatWasDone": "Hourly rounding",
    "results": "Falls halved",
    "lessonsLearned": "Start small",
    "organisationName": "Eastmoor Hospitals NHS Trust",
    "organisationOds": "ZEM01",
    "topicLabels": ["Falls prevention"],
    "attachments": [{"id": "f_1", "name": "audit.pdf", "text": "The audit found..."}],
}


def test_a_case_study_is_a_resource_with_its_parts_and_its_files() -> None:
    main, attached = records_of(CASE)
    assert isinstance(main, ResourceRecord) and main.resource_type == ResourceType.CASE_STUDY
    assert main.ref == "sub_1" and main.organisation is not None
    assert main.organisation.ods_code == "ZEM01"
    assert main.summary == (
        "Night falls halved in a year.\n\nAim: Halve night-time falls\n\nThe problem: Falls at "
        "night\n\nWhat was done: Hourly rounding\n\nResults: Falls halved\n\nLessons learned: "
        "Start small"
    )
    assert isinstance(attached, ResourceRecord)
    assert attached.ref == "sub_1/f_1" and attached.summary == "The audit found..."
    assert attached.title == "audit.pdf (Fewer falls on ward seven)"
    assert attached.project is None  # only a project's files link to it


def test_a_project_keeps_its_aim_dates_and_a_new_organisation_by_name() -> None:
    project = {
        **CASE,
        "kind": "project",
        "organisationName": None,
        "organisationOds": None,
        "newOrganisationName": "Vale Men's Sheds",
        "methods": ["PDSA"],
        "mode": "iterative_qi",
        "projectStatus": "active",
        "startDate": "2024-01-01",
    }
    main, attached = records_of(project)
    assert isinstance(main, ProjectRecord)
    assert main.aim == "Halve night-time falls" and "Aim:" not in (main.summary or "")
    assert main.lead_organisation is not None
    assert main.lead_organisation.name == "Vale Men's Sheds"
    assert main.lead_organisation.ods_code is None
    assert main.methods == ["PDSA"] and str(main.start_date) == "2024-01-01"
    assert isinstance(attached, ResourceRecord) and attached.project == "sub_1"
    assert source_of(None) == "contributions:hub"
    assert source_of("em-hospitals") == "contributions:em-hospitals"


async def test_a_partner_moderates_its_own_organisation_listed_by_the_partners_file(
    graph: Graph,
) -> None:
    """The partners file lists each partner's organisation through the hub's registry source
    (its pseudo-partner): the organisation's moderating partner is the partner itself, beside
    any other partner whose own sources list it."""
    trust = OrganisationRecord(ref="nv-hospitals", name="North Vale Hospitals", ods_code="ZNV01")
    await sync_source(graph, REGISTRY, [trust])
    listed = await store.organisation(graph, "ods:ZNV01")
    assert listed is not None and listed.partners == ("nv-hospitals",)

    register = SourceInfo("em-register", "em-hospitals", "Eastmoor register", "json_api")
    await sync_source(graph, register, [trust.model_copy(update={"ref": "nvh"})])
    both = await store.organisation(graph, "ods:ZNV01")
    assert both is not None and both.partners == ("em-hospitals", "nv-hospitals")


def test_the_person_to_talk_to_joins_the_project_with_the_consent_they_gave() -> None:
    project = {
        **CASE,
        "kind": "project",
        "contributorName": "Rowan Ashby",
        "contributorRole": "Patient partner",
        "contributorKind": "lived_experience_partner",
        "contributorKindConsent": True,
        "contributorPublic": False,
    }
    main, person, _ = records_of(project)
    assert isinstance(main, ProjectRecord) and isinstance(person, PersonRecord)
    assert [m.person for m in main.members] == [person.ref] == ["sub_1/contributor"]
    assert person.person_kind is not None and person.person_kind.value == (
        "lived_experience_partner"
    )
    assert person.kind_consent and not person.public
    assert person.organisation is not None and person.organisation.ods_code == "ZEM01"
    assert person.interests == ["Falls prevention"]

    unshown = records_of({**project, "contributorKindConsent": False})[1]
    assert isinstance(unshown, PersonRecord) and unshown.person_kind is None
    assert [type(r) for r in records_of(CASE)] == [ResourceRecord, ResourceRecord]
