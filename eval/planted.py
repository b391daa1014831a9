"""A small invented region with planted duplicates, loaded through the real sync path.

Three sources in two neighbouring systems. Two duplicate pairs are planted (falls sensors in
two North Vale trusts; sepsis screening in two systems), and one pair of alike projects that
are declared partners (pressure ulcers), which must come out as a collaboration.
"""

from __future__ import annotations

from typing import Any

from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    PersonRecord,
    ProjectMember,
    ProjectRecord,
    Record,
)
from graph.database import Graph
from graph.ingest import SourceInfo, SystemInfo, store_systems, sync_source
from graph.vocabulary import Vocabulary, store_vocabulary


def source(source_id: str) -> SourceInfo:
    return SourceInfo(source_id, source_id, f"{source_id} register", "json_api")


def at(ods_code: str) -> OrganisationRef:
    return OrganisationRef(ods_code=ods_code)


def org(ref: str, name: str, **fields: Any) -> OrganisationRecord:
    return OrganisationRecord(ref=ref, name=name, **fields)


def person(ref: str, name: str, **fields: Any) -> PersonRecord:
    return PersonRecord(ref=ref, name=name, **fields)


def project(ref: str, title: str, **fields: Any) -> ProjectRecord:
    members = [ProjectMember(person=m) for m in fields.pop("members", [])]
    return ProjectRecord(ref=ref, title=title, members=members, **fields)


SYSTEMS = [
    SystemInfo("sys-nv", "North Vale ICS", neighbours=("sys-em",)),
    SystemInfo("sys-em", "Eastmoor ICS", neighbours=("sys-nv",)),
    SystemInfo("sys-west", "Westbrook ICS"),
]

NV_HOSPITALS = source("nv-hospitals")
NV_COMMUNITY = source("nv-community")
EM_HOSPITALS = source("em-hospitals")

# Planted pairs: (project id, project id) that the engine must report as duplicates.
PLANTED = {
    ("nv-community:falls-night", "nv-hospitals:falls-sensors"),
    ("em-hospitals:sepsis-ed", "nv-hospitals:sepsis-screening"),
}
COLLABORATION = ("em-hospitals:pressure-care", "nv-community:pressure-ulcers")


def nv_hospitals(**changes: Any) -> list[Record]:
    falls = {
        "aim": "To cut falls among older patients on our acute wards by fitting bed and chair "
        "sensors that alert staff at night.",
        "topics": ["Falls prevention"],
        "start_date": "2024-03-01",
        "methods": ["PDSA"],
        "lead_organisation": at("ZNV01"),
    }
    falls.update(changes)
    return [
        org("nvh", "North Vale Hospitals NHS Foundation Trust", ods_code="ZNV01", system="sys-nv"),
        project("falls-sensors", "Reducing inpatient falls at night with bed sensors", **falls),
        project(
            "sepsis-screening",
            "Sepsis screening in the emergency department",
            aim="Screen every adult arriving in the emergency department for sepsis and give "
            "antibiotics within the hour.",
            topics=["Sepsis"],
            start_date="2023-09-01",
            methods=["Driver diagram"],
            lead_organisation=at("ZNV01"),
        ),
        project(
            "discharge-lounge",
            "A discharge lounge for earlier discharges",
            aim="Open a discharge lounge so that patients leave before noon and beds free up.",
            topics=["Discharge"],
            start_date="2022-01-01",
            lead_organisation=at("ZNV01"),
        ),
    ]


def nv_community() -> list[Record]:
    return [
        org("nvc", "North Vale Community NHS Trust", ods_code="ZNV02", system="sys-nv"),
        person("p-ada", "Ada Quillfeather", organisation=at("ZNV02")),
        project(
            "falls-night",
            "Night-time sensor alarms to prevent falls on inpatient wards",
            aim="Reducing inpatient falls among older patients with bed sensor alarms that "
            "alert staff at night on our wards.",
            topics=["inpatient falls"],
            start_date="2024-06-01",
            methods=["PDSA", "SPC charts"],
            lead_organisation=at("ZNV02"),
            members=["p-ada"],
        ),
        project(
            "pressure-ulcers",
            "Preventing pressure ulcers in care homes with skin checks",
            aim="Daily skin checks and repositioning charts to prevent pressure ulcers among "
            "care home residents.",
            topics=["Pressure ulcers"],
            start_date="2024-01-01",
            lead_organisation=at("ZNV02"),
        ),
        project(
            "staff-wellbeing",
            "Wellbeing hub for community nurses",
            aim="A wellbeing hub offering peer support and rest spaces to reduce burnout.",
            topics=["Staff wellbeing"],
            start_date="2023-01-01",
            lead_organisation=at("ZNV02"),
        ),
    ]


def em_hospitals() -> list[Record]:
    return [
        org("emh", "Eastmoor Hospitals NHS Trust", ods_code="ZEM01", system="sys-em"),
        project(
            "sepsis-ed",
            "Screening for sepsis in A&E",
            aim="Every adult attending the emergency department is screened for sepsis, with "
            "antibiotics given within one hour.",
            topics=["sepsis screening"],
            start_date="2023-11-01",
            methods=["Driver diagram", "PDSA"],
            lead_organisation=at("ZEM01"),
        ),
        project(
            "pressure-care",
            "Skin checks to prevent pressure ulcers in care homes",
            aim="Preventing pressure ulcers among care home residents with daily skin checks and "
            "repositioning.",
            topics=["Pressure ulcers"],
            start_date="2024-02-01",
            lead_organisation=at("ZEM01"),
            partner_organisations=[at("ZNV02")],
        ),
        project(
            "smoking",
            "Stop smoking support for pregnant women",
            aim="Offer tobacco dependency treatment at every antenatal booking appointment.",
            topics=["Smoking cessation"],
            start_date="2021-05-01",
            lead_organisation=at("ZEM01"),
        ),
    ]


async def load_region(graph: Graph, hospitals: list[Record] | None = None) -> None:
    """The vocabulary, the systems and the three sources, in a fixed order."""
    await store_vocabulary(graph, Vocabulary.load())
    await store_systems(graph, SYSTEMS)
    pulls: list[tuple[SourceInfo, list[Record]]] = [
        (NV_HOSPITALS, hospitals if hospitals is not None else nv_hospitals()),
        (NV_COMMUNITY, nv_community()),
        (EM_HOSPITALS, em_hospitals()),
    ]
    for info, records in pulls:
        summary = await sync_source(graph, info, records)
        assert summary.succeeded, summary.errors
