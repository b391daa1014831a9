"""A deterministic synthetic region at any scale, as the records connectors would emit.

Same seed and sizes, same records: runs on different days compare like with like.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from connectors.records import (
    OrganisationRecord,
    OrganisationRef,
    PersonRecord,
    ProjectMember,
    ProjectRecord,
    Record,
    ResourceRecord,
)
from graph.ingest import SourceInfo, SystemInfo
from graph.vocabulary import Vocabulary

PLACES = [
    "Northvale",
    "Eastmoor",
    "Westbrook",
    "Southfen",
    "Highcombe",
    "Lowmere",
    "Ashford Vale",
    "Kestrel Bay",
    "Redwater",
    "Stonebridge",
    "Millhaven",
    "Oakridge",
]
ORG_KINDS = [
    ("Hospitals NHS Foundation Trust", "nhs", "acute trust"),
    ("Community and Mental Health NHS Trust", "nhs", "community and mental health trust"),
    ("Integrated Care Board", "nhs", "ICB"),
    ("County Council", "local_government", "county council"),
    ("District Council", "local_government", "district council"),
    ("Carers Network", "voluntary", "charity"),
    ("GP Federation", "primary_care", "GP federation"),
    ("University", "academic", "university"),
]
FIRST = [
    "Ada",
    "Bram",
    "Cerys",
    "Dev",
    "Esme",
    "Farid",
    "Gwen",
    "Hal",
    "Ines",
    "Jory",
    "Kit",
    "Lowri",
    "Milo",
    "Nia",
    "Orla",
    "Pip",
    "Quinn",
    "Rhys",
    "Suki",
    "Tam",
    "Una",
    "Vik",
]
LAST = [
    "Quill",
    "Ostrava",
    "Farrow",
    "Wren",
    "Hart",
    "Kerr",
    "Lune",
    "Moss",
    "Nyle",
    "Orme",
    "Pike",
    "Rook",
    "Sloe",
    "Tarn",
    "Vane",
    "Wick",
    "Yarrow",
    "Zeal",
    "Brook",
    "Crane",
]
METHODS = [
    "PDSA",
    "Driver diagram",
    "SPC charts",
    "Process mapping",
    "Lean",
    "Experience-based co-design",
    "Model for Improvement",
    "Kaizen",
]
VERBS = ["Reducing", "Improving", "Preventing", "Redesigning", "Spreading", "Standardising"]
SETTINGS = [
    "on acute wards",
    "in care homes",
    "in the community",
    "in the emergency department",
    "across primary care",
    "for older people at home",
    "in mental health services",
]
RESOURCE_TYPES = ["case_study", "toolkit", "slideset", "guide", "training", "event", "video"]


@dataclass
class SyntheticRegion:
    systems: list[SystemInfo]
    sources: list[tuple[SourceInfo, list[Record]]] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return sum(len(records) for _, records in self.sources)


def generate(
    projects: int,
    *,
    people: int | None = None,
    resources: int | None = None,
    partners: int = 40,
    seed: int = 7,
    duplicate_rate: float = 0.05,
) -> SyntheticRegion:
    """A region of ``partners`` organisations, each one source carrying its own records."""
    rng = random.Random(seed)
    people = people if people is not None else int(projects * 0.6)
    resources = resources if resources is not None else int(projects * 0.4)
    topics = [t for t in Vocabulary.load().topics.values() if t.broader]
    systems = [SystemInfo(f"system-{i}", f"{PLACES[i]} ICS") for i in range(3)]
    region = SyntheticRegion(systems=systems)

    orgs = []
    for i in range(partners):
        suffix, sector, org_type = ORG_KINDS[i % len(ORG_KINDS)]
        name = f"{PLACES[i % len(PLACES)]} {suffix}" + (f" {i // len(PLACES)}" if i >= 12 else "")
        orgs.append(
            OrganisationRecord(
                ref=f"org-{i}",
                name=name,
                ods_code=f"Z{i:04d}",
                sector=sector,
                org_type=org_type,
                system=systems[i % len(systems)].id,
            )
        )
    buckets: list[list[Record]] = [[org] for org in orgs]

    def share(total: int, i: int) -> int:
        return total // partners + (1 if i < total % partners else 0)

    titles: list[str] = []
    for i, org in enumerate(orgs):
        here = OrganisationRef(ods_code=org.ods_code)
        person_refs = []
        for j in range(share(people, i)):
            ref = f"person-{i}-{j}"
            person_refs.append(ref)
            buckets[i].append(
                PersonRecord(
                    ref=ref,
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}-{i}-{j}",
                    role=rng.choice(["Improvement lead", "Matron", "Analyst", "Consultant", "GP"]),
                    organisation=here,
                    email=f"person{i}.{j}@org{i}.example",
                    contact_consent=rng.random() < 0.6,
                    public=rng.random() < 0.8,
                    offers=["mentoring"] if rng.random() < 0.15 else [],
                    interests=[rng.choice(topics).label],
                )
            )
        project_refs = []
        for j in range(share(projects, i)):
            ref = f"project-{i}-{j}"
            project_refs.append(ref)
            if titles and rng.random() < duplicate_rate:
                title = rng.choice(titles).replace("Reducing", "Cutting")
            else:
                topic = rng.choice(topics)
                title = f"{rng.choice(VERBS)} {topic.label.lower()} {rng.choice(SETTINGS)} {j}"
                titles.append(title)
            partner = orgs[rng.randrange(partners)]
            buckets[i].append(
                ProjectRecord(
                    ref=ref,
                    title=title,
                    aim=f"Aim of {title.lower()}",
                    status=rng.choice(["active", "completed", "proposed"]),
                    start_date=f"20{rng.randint(19, 26)}-0{rng.randint(1, 9)}-01",
                    methods=rng.sample(METHODS, 2),
                    lead_organisation=here,
                    partner_organisations=[OrganisationRef(ods_code=partner.ods_code)],
                    topics=[t.label for t in rng.sample(topics, 2)],
                    members=[
                        ProjectMember(person=p, role="member")
                        for p in rng.sample(person_refs, min(2, len(person_refs)))
                    ],
                )
            )
        for j in range(share(resources, i)):
            buckets[i].append(
                ResourceRecord(
                    ref=f"resource-{i}-{j}",
                    title=f"Resource {i}-{j}",
                    resource_type=rng.choice(RESOURCE_TYPES),
                    url=f"https://org{i}.example/resources/{j}",
                    project=rng.choice(project_refs) if project_refs else None,
                    topics=[rng.choice(topics).label],
                    organisation=here,
                )
            )
    for i, records in enumerate(buckets):
        source = SourceInfo(f"partner-{i}-register", f"partner-{i}", f"Partner {i}", "json_api")
        region.sources.append((source, records))
    return region
