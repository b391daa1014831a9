"""Generate the demo region's data files, deterministically (seeded; no clock, no network).

Run from the repository root: ``.venv/bin/python examples/generate_demo.py``. It rewrites the
files under examples/web/ (what partners publish on their websites) and examples/files/
(registers shared as files), planted.json, and the planted section of examples/README.md.
Each partner publishes in its own shape and vocabulary, as partners really do; the partners
file (examples/partners.yaml) maps each shape onto Convener's records.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).parent))
from demo_content import FIRST, IDEAS, LAST, ORGS, PLACES, ROLES, WARDS, WORKS, Idea

HERE = Path(__file__).parent
WEB, FILES = HERE / "web", HERE / "files"
TODAY = date(2025, 6, 30)
RNG = random.Random(20250630)

PROJECTS_PER_ORG = {
    "nv-hospitals": 26,
    "nv-community": 20,
    "nv-icb": 11,
    "nv-county": 14,
    "nv-gpfed": 15,
    "wyndham-carers": 7,
    "em-hospitals": 24,
    "em-icb": 8,
    "em-district": 10,
    "em-university": 7,
    "vale-collaborative": 14,
}
PEOPLE_PER_ORG = {
    "nv-hospitals": 25,
    "nv-community": 18,
    "nv-icb": 11,
    "nv-gpfed": 13,
    "em-hospitals": 23,
    "em-icb": 9,
    "em-university": 11,
    "vale-collaborative": 13,
}
RESOURCES_PER_ORG = {
    "nv-hospitals": 12,
    "nv-icb": 9,
    "nv-gpfed": 8,
    "em-icb": 8,
    "wyndham-carers": 14,
    "em-university": 12,
    "vale-collaborative": 14,
    "skills-academy": 32,
}
REGION = {"nv": ("nv-hospitals", "nv-community", "nv-icb", "nv-county", "nv-gpfed")}


@dataclass
class Person:
    ref: str
    org: str
    name: str
    role: str
    email: str
    phone: str | None
    offers: list[str]
    interests: list[str]
    consent: bool
    public: bool
    orcid: str | None = None
    bio: str | None = None
    on_project: str | None = None  # for people listed by two organisations
    kind: str | None = None  # staff, patient_or_carer, lived_experience_partner, ...
    kind_consent: bool = False


@dataclass
class Project:
    ref: str
    org: str
    title: str
    summary: str
    aim: str
    status: str
    start: date
    end: date | None
    methods: list[str]
    mode: str
    topics: list[str]
    updated: datetime
    partners: list[str] = field(default_factory=list)  # org keys
    members: list[tuple[str, str]] = field(default_factory=list)  # (person ref, role)


@dataclass
class Resource:
    ref: str
    org: str
    title: str
    kind: str
    summary: str
    published: date
    topics: list[str]
    project: str | None = None


# --- people ------------------------------------------------------------------------------

_used_names: set[str] = set()


def invent_name() -> str:
    while True:
        name = f"{RNG.choice(FIRST)} {RNG.choice(LAST)}"
        if name not in _used_names:
            _used_names.add(name)
            return name


def make_person(org: str, number: int, name: str | None = None, role: str | None = None) -> Person:
    name = name or invent_name()
    _used_names.add(name)
    kind = ORGS[org].kind
    role = role or RNG.choice(ROLES[kind])
    local = re.sub(r"[^a-z.]", "", name.lower().replace(" ", "."))
    offers = RNG.choices(
        [[], ["mentoring"], ["coaching"], ["mentoring", "coaching"]], [6, 2, 2, 1]
    )[0]
    interests = sorted({RNG.choice(IDEAS).topics[0] for _ in range(RNG.randint(1, 3))})
    person = Person(
        ref=f"{org}-p{number:03d}",
        org=org,
        name=name,
        role=role,
        email=f"{local}@{ORGS[org].domain}",
        phone=f"01632 960{RNG.randint(0, 999):03d}" if RNG.random() < 0.6 else None,
        offers=offers,
        interests=interests,
        consent=RNG.random() < 0.7,
        public=RNG.random() < 0.85,
    )
    if kind == "university":
        person.orcid = f"0000-0000-{RNG.randint(1000, 9999)}-{RNG.randint(100, 999)}X"
    if offers:
        person.bio = (
            f"{role} with {RNG.randint(4, 20)} years in improvement; happy to "
            f"{' and '.join('mentor' if o == 'mentoring' else 'coach' for o in offers)} "
            f"people starting out in {interests[0].lower()}."
        )
    return person


# --- projects ----------------------------------------------------------------------------


def place_for(org: str) -> str:
    return RNG.choice(PLACES["nv" if org.startswith("nv") else "em"])


def word(template: str, org: str) -> str:
    return template.format(ward=RNG.choice(WARDS), place=place_for(org))


def general(template: str, org: str) -> str:
    """A template filled without drawing from RNG, so adding it left the rest of the region as
    it was: a resource speaks of the partner's own area, not one ward."""
    area = PLACES["nv" if org.startswith("nv") else "em"][-1]
    return template.format(ward="our wards", place=area)


def dates(status: str) -> tuple[date, date | None]:
    start = date(2022, 1, 1) + timedelta(days=RNG.randint(0, 1200))
    start = min(start, TODAY - timedelta(days=30))
    if status in ("completed", "stopped"):
        end = min(start + timedelta(days=RNG.randint(90, 540)), TODAY)
        return start, end
    if status == "proposed":
        return TODAY + timedelta(days=RNG.randint(10, 120)), None
    return start, None


def updated_at() -> datetime:
    return datetime(2024, 1, 1, 9) + timedelta(minutes=RNG.randint(0, 60 * 24 * 530))


def make_project(org: str, ref: str, idea: Idea, title: str | None = None) -> Project:
    status = RNG.choices(
        ["active", "completed", "proposed", "paused", "stopped"], [55, 25, 8, 7, 5]
    )[0]
    start, end = dates(status)
    title = title or word(RNG.choice(idea.titles), org)
    aim = word(idea.aim, org)
    return Project(
        ref=ref,
        org=org,
        title=title,
        summary="",
        aim=aim,
        status=status,
        start=start,
        end=end,
        methods=list(idea.methods),
        mode=idea.mode,
        topics=list(idea.topics),
        updated=updated_at(),
    )


def summarise(project: Project) -> None:
    project.summary = (
        f"{project.title}. A {ORGS[project.org].name} team is using "
        f"{' and '.join(project.methods[:2])} to test changes; {RNG.choice(SUMMARY_ENDINGS)}"
    )


SUMMARY_ENDINGS = [
    "early PDSA cycles are promising and the SPC chart shows a shift.",
    "patients and carers co-designed the new process.",
    "the team is now planning to spread the change to two more sites.",
    "baseline data collection is under way.",
    "results were presented at the system quality board.",
    "the change is being written up as a case study.",
]

# The same improvement, worded differently by two organisations (for duplicate detection).
PLANTED_DUPLICATES = [
    (
        (
            "nv-hospitals",
            "Lying and standing blood pressure for over-65s on Ward 7",
            "Reduce inpatient falls on Ward 7 by a quarter by recording lying and standing blood "
            "pressure for every patient over 65 within 24 hours of admission.",
        ),
        (
            "em-hospitals",
            "Cutting inpatient falls with lying and standing blood pressure checks",
            "Fewer falls among older inpatients: measure lying and standing blood pressure on "
            "admission and act on a drop.",
        ),
        ("Falls prevention", "Care of older people"),
        ("PDSA", "SPC charts"),
    ),
    (
        (
            "nv-hospitals",
            "Sepsis screening at emergency department triage",
            "95% of adults with red-flag sepsis get antibiotics within an hour of arriving at "
            "the emergency department.",
        ),
        (
            "vale-collaborative",
            "Improving time to antibiotics for red-flag sepsis at the front door",
            "Shorten door-to-antibiotic time for suspected sepsis to under an hour at the "
            "emergency department front door.",
        ),
        ("Sepsis", "Deteriorating patient"),
        ("PDSA", "Run charts"),
    ),
    (
        (
            "nv-community",
            "Home First: discharge to assess from community beds",
            "Assess people at home, not in a bed: discharge within 24 "
            "hours of being medically fit.",
        ),
        (
            "nv-county",
            "Discharge to assess pathway 1: reablement at home",
            "People leaving hospital get reablement at home and are assessed there, within 24 "
            "hours of being medically fit.",
        ),
        ("Discharge", "Adult social care"),
        ("Process mapping", "Lean"),
    ),
    (
        (
            "nv-gpfed",
            "Link workers for loneliness in Kettleby",
            "Refer 300 lonely or isolated patients a year to community "
            "groups through link workers.",
        ),
        (
            "wyndham-carers",
            "Befriending referrals from Kettleby GP surgeries",
            "Take referrals from Kettleby surgeries for isolated people and match them with "
            "befrienders.",
        ),
        ("Social prescribing", "Loneliness"),
        ("Experience-based co-design",),
    ),
    (
        (
            "nv-community",
            "SSKIN bundle in North Vale care homes",
            "Halve category 2+ pressure ulcers in care homes by training "
            "staff in the SSKIN bundle.",
        ),
        (
            "em-icb",
            "Care home pressure ulcer prevention collaborative",
            "Prevent pressure damage in care home residents with SSKIN "
            "training and safety crosses.",
        ),
        ("Pressure ulcers", "Care homes"),
        ("PDSA", "SPC charts"),
    ),
    (
        (
            "em-hospitals",
            "Wellbeing huddles for ward teams",
            "Five-minute wellbeing huddles at every shift handover on the wards to support staff.",
        ),
        (
            "nv-icb",
            "Team wellbeing huddles across North Vale providers",
            "Spread short wellbeing huddles at shift handover to every provider in North Vale.",
        ),
        ("Staff wellbeing",),
        ("Experience-based co-design",),
    ),
    (
        (
            "nv-gpfed",
            "Structured medication reviews in care homes",
            "Every care home resident on ten or more medicines gets a "
            "structured medication review.",
        ),
        (
            "em-icb",
            "Care home polypharmacy reviews",
            "Reduce problematic polypharmacy in care home residents "
            "through pharmacist-led reviews.",
        ),
        ("Medicines safety", "Care homes"),
        ("PDSA", "Audit and feedback"),
    ),
    (
        (
            "nv-community",
            "Crisis café in Harlow Fen",
            "Offer an evening alternative to the emergency department for people in mental "
            "health crisis.",
        ),
        (
            "em-district",
            "Safe haven evening drop-in for people in crisis, Eastmoor",
            "A safe evening place for people in mental health crisis, so fewer go to the "
            "emergency department.",
        ),
        ("Mental health crisis",),
        ("Experience-based co-design", "Process mapping"),
    ),
]

# Projects with partners in other sectors: (org, title, aim, topics, partner orgs).
PLANTED_COLLABORATIONS = [
    (
        "nv-county",
        "Home First partnership: hospital to home in a day",
        "Get people home from hospital the day they are ready, with care in place.",
        ("Discharge", "Adult social care"),
        ("nv-community", "wyndham-carers"),
    ),
    (
        "nv-gpfed",
        "Hypertension case-finding in Oakridge",
        "Find and treat 1,000 people with undiagnosed high blood pressure in Oakridge.",
        ("Health inequalities", "Cardiovascular disease"),
        ("em-university", "nv-county"),
    ),
    (
        "vale-collaborative",
        "RESTORE2 in care homes across the Vale and Moor",
        "Every care home uses RESTORE2 to spot and escalate deterioration.",
        ("Deteriorating patient", "Care homes"),
        ("nv-community", "nv-county", "em-icb"),
    ),
    (
        "em-hospitals",
        "Tobacco dependence treatment from admission to home",
        "Every smoker admitted is offered treatment, and support continues after discharge.",
        ("Smoking cessation",),
        ("em-district",),
    ),
    (
        "wyndham-carers",
        "Carer passports at Eastmoor and Wyndham Hospitals",
        "Unpaid carers are recognised and involved on every ward.",
        ("Unpaid carers", "Discharge"),
        ("em-hospitals",),
    ),
    (
        "em-university",
        "Evaluating 4AT delirium screening in two trusts",
        "Measure whether routine 4AT screening changes delirium detection and outcomes.",
        ("Delirium",),
        ("nv-hospitals", "em-hospitals"),
    ),
    (
        "em-district",
        "Warm homes on prescription in Brackenfield",
        "Fund heating for people whose health is harmed by cold homes.",
        ("Health inequalities", "Respiratory"),
        ("em-icb", "wyndham-carers"),
    ),
]

# People who work across two organisations and are listed by both (same e-mail).
SHARED_PEOPLE = [
    (
        "Kavita Okafor",
        "nv-hospitals",
        "Consultant geriatrician",
        "em-university",
        "Honorary clinical lecturer",
    ),
    ("Aled Marchant", "nv-gpfed", "GP partner", "vale-collaborative", "Clinical lead"),
    (
        "Farah Lindqvist",
        "em-icb",
        "Medicines optimisation pharmacist",
        "nv-gpfed",
        "Clinical pharmacist",
    ),
    ("Siobhan Garside", "nv-community", "Tissue viability nurse", "nv-icb", "Transformation lead"),
]


@dataclass
class Region:
    people: dict[str, list[Person]] = field(default_factory=dict)
    projects: dict[str, list[Project]] = field(default_factory=dict)
    resources: dict[str, list[Resource]] = field(default_factory=dict)
    planted: dict[str, list[Any]] = field(default_factory=dict)


# People who bring lived experience, volunteer or study, by ref: (kind, consented, role).
# Set after the region is drawn, without drawing from RNG, so the rest stays as it was.
LIVED_EXPERIENCE = {
    "nv-community-p006": ("lived_experience_partner", True, "Lived experience partner"),
    "nv-community-p014": ("patient_or_carer", True, "Carer representative"),
    "nv-community-p017": ("volunteer", True, "Peer support volunteer"),
    "nv-community-p019": ("patient_or_carer", False, None),
    "em-university-p010": ("student", True, None),
}


def declare_kinds(region: Region) -> None:
    """Kinds for the two sources that publish them: staff (most consented), and the few above."""
    for org in ("nv-community", "em-university"):
        for number, person in enumerate(region.people[org]):
            kind, consent, role = LIVED_EXPERIENCE.get(person.ref, ("staff", number % 3 != 2, None))
            person.kind, person.kind_consent = kind, consent
            person.role = role or person.role


def build() -> Region:
    region = Region()
    for org, count in PEOPLE_PER_ORG.items():
        region.people[org] = [make_person(org, n) for n in range(1, count + 1)]
    shared = []
    for name, org_a, role_a, org_b, role_b in SHARED_PEOPLE:
        a = make_person(org_a, len(region.people[org_a]) + 1, name, role_a)
        b = make_person(org_b, len(region.people[org_b]) + 1, name, role_b)
        b.email, b.consent, b.public = a.email, a.consent, True
        a.public = True
        region.people[org_a].append(a)
        region.people[org_b].append(b)
        shared.append((a, b))

    for org in PROJECTS_PER_ORG:
        region.projects[org] = []
    duplicates = []
    for first, second, topics, methods in PLANTED_DUPLICATES:
        pair = []
        for org, title, aim in (first, second):
            project = make_project(org, ref_for(org, region), RNG.choice(IDEAS), title)
            project.aim, project.topics, project.methods = aim, list(topics), list(methods)
            project.status = "active"
            project.start, project.end = dates("active")
            region.projects[org].append(project)
            pair.append(project)
        duplicates.append(pair)
    collaborations = []
    for org, title, aim, topics, partners in PLANTED_COLLABORATIONS:
        project = make_project(org, ref_for(org, region), RNG.choice(IDEAS), title)
        project.aim, project.topics, project.partners = aim, list(topics), list(partners)
        region.projects[org].append(project)
        collaborations.append(project)
    unused = {idea.topics[0]: list(WORKS[idea.topics[0]]) for idea in IDEAS}
    for org, count in PROJECTS_PER_ORG.items():
        ideas = [idea for idea in IDEAS if ORGS[org].kind in idea.kinds] or IDEAS
        while len(region.projects[org]) < count:
            idea, title, aim = next_work(ideas, unused)
            project = make_project(org, ref_for(org, region), idea, word(title, org))
            project.aim = word(aim, org)
            if RNG.random() < 0.15:
                other = RNG.choice([o for o in ORGS if o != org and o != "skills-academy"])
                project.partners.append(other)
            region.projects[org].append(project)
    staff_projects(region)
    declare_kinds(region)
    for number, (a, b) in enumerate(shared):
        for person in (a, b):
            project = region.projects[person.org][number % 3]
            others = [m for m in project.members if m[0] != person.ref]
            project.members = [*others, (person.ref, "Clinical adviser")]
            person.on_project = project.ref
    for projects in region.projects.values():
        for project in projects:
            summarise(project)
    make_resources(region)
    region.planted = planted_lists(duplicates, collaborations, shared)
    return region


def next_work(ideas: list[Idea], unused: dict[str, list[tuple[str, str]]]) -> tuple[Idea, str, str]:
    """A piece of work no other project has done yet: of an idea this kind of organisation
    does, else of any idea (each work is used once while any is left)."""
    for pool in (ideas, IDEAS):
        left = [idea for idea in pool if unused[idea.topics[0]]]
        if left:
            idea = RNG.choice(left)
            works = unused[idea.topics[0]]
            title, aim = works.pop(RNG.randrange(len(works)))
            return idea, title, aim
    idea = RNG.choice(ideas)
    return idea, RNG.choice(idea.titles), idea.aim


def ref_for(org: str, region: Region) -> str:
    number = len(region.projects[org]) + 1
    prefix = {
        "nv-hospitals": "NVH-QI-",
        "nv-community": "nvc-",
        "nv-icb": "ICB-NV-",
        "nv-county": "NVCC/",
        "nv-gpfed": "GPF",
        "wyndham-carers": "WCN-",
        "em-hospitals": "EWH",
        "em-icb": "EW-ICB-",
        "em-district": "EDC-",
        "em-university": "UoE-",
        "vale-collaborative": "VMIC-",
    }[org]
    return (
        f"{prefix}{number:04d}"
        if org != "nv-county"
        else f"{prefix}{2022 + number % 4}/{number:03d}"
    )


def staff_projects(region: Region) -> None:
    """A lead and a few team members from the organisation's own people, where it lists any."""
    for org, projects in region.projects.items():
        people = region.people.get(org)
        if not people:
            continue
        for project in projects:
            team = RNG.sample(people, k=min(len(people), RNG.randint(1, 4)))
            project.members = [(team[0].ref, "Project lead")] + [
                (p.ref, RNG.choice(["Team member", "Data analyst", "Clinical lead", "Sponsor"]))
                for p in team[1:]
            ]


def make_resources(region: Region) -> None:
    kinds = {
        "skills-academy": ["training"] * 20 + ["event"] * 12,
        "wyndham-carers": ["case_study"] * 9 + ["blog_post"] * 5,
        "em-university": ["report"] * 7 + ["guide"] * 5,
        "vale-collaborative": ["case_study", "toolkit", "slideset", "video", "event"],
    }
    for org, count in RESOURCES_PER_ORG.items():
        region.resources[org] = []
        for number in range(1, count + 1):
            idea = RNG.choice(IDEAS)
            choices = kinds.get(org, ["toolkit", "slideset", "guide", "case_study", "video"])
            kind = choices[(number - 1) % len(choices)]
            project = None
            if org in region.projects and RNG.random() < 0.4:
                project = RNG.choice(region.projects[org]).ref
            region.resources[org].append(
                Resource(
                    ref=f"{org}-r{number:03d}",
                    org=org,
                    title=resource_title(kind, idea, org),
                    kind=kind,
                    summary=f"{RESOURCE_BLURB[kind]} {general(idea.aim, org)}",
                    published=TODAY - timedelta(days=RNG.randint(5, 900)),
                    topics=list(idea.topics),
                    project=project,
                )
            )


RESOURCE_BLURB = {
    "training": "A course for staff who want to lead improvement.",
    "event": "A learning event with teams who have done this.",
    "case_study": "How one team did it, what worked and what did not.",
    "blog_post": "Reflections from the front line.",
    "report": "A research briefing for practitioners.",
    "guide": "A practical guide with templates.",
    "toolkit": "Everything a team needs to start, with measures.",
    "slideset": "Slides to brief a team or a board.",
    "video": "A short film made with patients and staff.",
}


COURSE_SUBJECTS = [
    "PDSA and run charts",
    "SPC for improvers",
    "driver diagrams",
    "Lean thinking",
    "process mapping",
    "experience-based co-design",
    "measurement for improvement",
    "coaching for improvement",
]


def resource_title(kind: str, idea: Idea, org: str) -> str:
    topic = idea.topics[0]
    if idea.resources and kind in ("toolkit", "guide", "slideset"):
        return RNG.choice(idea.resources)
    return {
        "training": f"{RNG.choice(['Foundations of', 'Practitioner course:', 'Masterclass:'])} "
        f"{RNG.choice(COURSE_SUBJECTS)}",
        "event": f"{topic} learning network, {place_for(org)}",
        "case_study": f"Case study: {word(RNG.choice(idea.titles), org).lower()}",
        "blog_post": f"What we learned about {topic.lower()}",
        "report": f"Evidence briefing: {topic.lower()}",
        "video": f"{topic} in practice (film)",
    }.get(kind, f"{topic} {kind.replace('_', ' ')}")


def planted_lists(
    duplicates: list[list[Project]], collaborations: list[Project], shared: list[Any]
) -> dict[str, list[Any]]:
    def where(project: Project) -> dict[str, str]:
        return {"source": SOURCE_OF[project.org], "ref": project.ref, "title": project.title}

    return {
        "duplicates": [[where(a), where(b)] for a, b in duplicates],
        "collaborations": [
            {**where(p), "partners": [ORGS[o].name for o in p.partners]} for p in collaborations
        ],
        "shared_people": [
            {
                "name": a.name,
                "listed_by": [
                    {
                        "source": SOURCE_OF[p.org],
                        "ref": p.ref,
                        "role": p.role,
                        "project": p.on_project,
                    }
                    for p in (a, b)
                ],
            }
            for a, b in shared
        ],
        "rejects": [],
    }


# Which source publishes each organisation's projects and people.
SOURCE_OF = {
    "nv-hospitals": "nv-hospitals-api",
    "nv-community": "nv-community-api",
    "nv-icb": "nv-icb-register",
    "nv-county": "nv-county-register",
    "nv-gpfed": "nv-gpfed-api",
    "wyndham-carers": "wyndham-carers-projects",
    "em-hospitals": "em-hospitals-qi",
    "em-icb": "em-icb-register",
    "em-district": "em-district-register",
    "em-university": "em-university-api",
    "vale-collaborative": "vale-collaborative-hub",
}


# --- writers: each partner in its own shape ------------------------------------------------

STATUS_WORDS = {
    "nv-hospitals": {
        "active": "Active",
        "completed": "Complete",
        "proposed": "Proposed",
        "paused": "On hold",
        "stopped": "Closed",
    },
    "nv-county": {
        "active": "Live",
        "completed": "Closed",
        "proposed": "Planned",
        "paused": "On hold",
        "stopped": "Withdrawn",
    },
}


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def uk(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def org_ref(key: str) -> dict[str, str | None]:
    return {"name": ORGS[key].name, "ods": ORGS[key].ods}


def url_of(org: str, kind: str, ref: str) -> str:
    return f"https://{ORGS[org].domain}/{kind}/{re.sub(r'[^A-Za-z0-9-]', '-', ref).lower()}"


def write_json(path: Path, items: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(items, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def nv_hospitals(region: Region) -> None:
    base = WEB / "nv-hospitals" / "api"
    words = STATUS_WORDS["nv-hospitals"]
    write_json(
        base / "projects.json",
        [
            {
                "id": p.ref,
                "name": p.title,
                "description": p.summary,
                "aim_statement": p.aim,
                "state": words[p.status],
                "dates": {"start": iso(p.start), "end": iso(p.end)},
                "methodology": p.methods,
                "improvement_mode": p.mode,
                "themes": [{"name": t} for t in p.topics],
                "team": [{"staff_id": ref, "role": role} for ref, role in p.members],
                "partners": [org_ref(o) for o in p.partners],
                "last_modified": stamp(p.updated),
                "link": url_of(p.org, "quality-improvement", p.ref),
            }
            for p in region.projects["nv-hospitals"]
        ],
    )
    write_json(
        base / "people.json",
        [
            {
                "staff_id": p.ref,
                "display_name": p.name,
                "job_title": p.role,
                "contact": {"email": p.email, "phone": p.phone},
                "share_contact": p.consent,
                "directory_listed": p.public,
                "offers": ", ".join(o.title() for o in p.offers),
                "interests": p.interests,
                "about": p.bio,
            }
            for p in region.people["nv-hospitals"]
        ],
    )
    write_json(
        base / "resources.json",
        [
            {
                "id": r.ref,
                "headline": r.title,
                "format": r.kind.replace("_", " ").title(),
                "abstract": r.summary,
                "href": url_of(r.org, "library", r.ref),
                "date": iso(r.published),
                "tags": r.topics,
                "project_id": r.project,
            }
            for r in region.resources["nv-hospitals"]
        ],
    )


# How the community trust's hub words a person's involvement.
KIND_WORDS = {
    "staff": "Staff",
    "patient_or_carer": "Carer or patient",
    "lived_experience_partner": "Lived experience partner",
    "volunteer": "Volunteer",
    "student": "Student",
}


def nv_community(region: Region) -> None:
    base = WEB / "nv-community" / "api" / "v2"
    write_json(
        base / "projects.json",
        [
            {
                "projectId": p.ref,
                "projectTitle": p.title,
                "summary": p.summary,
                "aim": p.aim,
                "status": p.status,
                "startDate": iso(p.start),
                "endDate": iso(p.end),
                "methods": "; ".join(p.methods),
                "mode": p.mode,
                "topics": p.topics,
                "team": [{"staffId": ref, "teamRole": role} for ref, role in p.members],
                "partnerOrganisations": [org_ref(o)["name"] for o in p.partners],
                "updatedAt": stamp(p.updated),
            }
            for p in region.projects["nv-community"]
        ],
    )
    write_json(
        base / "staff.json",
        [
            {
                "staffId": p.ref,
                "fullName": p.name,
                "jobTitle": p.role,
                "email": p.email,
                "phone": p.phone,
                "consentToContact": p.consent,
                "public": p.public,
                "offers": p.offers,
                "interests": p.interests,
                "bio": p.bio,
                "involvement": KIND_WORDS[p.kind] if p.kind else None,
                "showInvolvement": p.kind_consent,
            }
            for p in region.people["nv-community"]
        ],
    )


def nv_gpfed(region: Region) -> None:
    base = WEB / "nv-gpfed" / "api"
    write_json(
        base / "projects.json",
        [
            {
                "ref": p.ref,
                "title": p.title,
                "summary": p.summary,
                "aim": p.aim,
                "status": p.status,
                "start": iso(p.start),
                "end": iso(p.end),
                "methods": p.methods,
                "mode": p.mode,
                "topics": p.topics,
                "team": [f"{ref}:{role}" for ref, role in p.members],
                "partners": [org_ref(o) for o in p.partners],
            }
            for p in region.projects["nv-gpfed"]
        ],
    )
    write_json(
        base / "clinicians.json",
        [
            {
                "ref": p.ref,
                "name": p.name,
                "role": p.role,
                "email": p.email,
                "tel": p.phone,
                "consent": p.consent,
                "listed": p.public,
                "offers": p.offers,
                "interests": p.interests,
            }
            for p in region.people["nv-gpfed"]
        ],
    )
    write_json(
        base / "resources.json",
        [
            {
                "ref": r.ref,
                "title": r.title,
                "type": r.kind,
                "summary": r.summary,
                "url": url_of(r.org, "resources", r.ref),
                "published": iso(r.published),
                "topics": r.topics,
                "project": r.project,
            }
            for r in region.resources["nv-gpfed"]
        ],
    )


def em_hospitals(region: Region) -> list[dict[str, str]]:
    base = WEB / "em-hospitals" / "qi"
    records = [
        {
            "ProjectRef": p.ref,
            "Title": p.title,
            "Summary": p.summary,
            "Aim": p.aim,
            "Status": p.status.title(),
            "StartDate": uk(p.start),
            "EndDate": uk(p.end),
            "Methods": p.methods,
            "Mode": p.mode.replace("_", " ").title().replace("Qi", "QI"),
            "Topics": p.topics,
            "Team": [{"EmployeeNo": ref, "Role": role} for ref, role in p.members],
            "Partners": [{"OrgName": ORGS[o].name, "OrgCode": ORGS[o].ods} for o in p.partners],
            "LastUpdated": stamp(p.updated),
        }
        for p in region.projects["em-hospitals"]
    ]
    records[5]["Title"] = ""  # planted: a record the partner sent without a title
    write_json(base / "projects.json", records)
    write_json(
        base / "staff.json",
        [
            {
                "EmployeeNo": p.ref,
                "Name": p.name,
                "JobTitle": p.role,
                "Email": p.email,
                "Phone": p.phone,
                "ContactConsent": "Y" if p.consent else "N",
                "Public": "Y" if p.public else "N",
                "Offers": "/".join(
                    {"mentoring": "Mentor", "coaching": "Coach"}[o] for o in p.offers
                ),
                "UpdatedOn": "2025-05-01T08:00:00Z",
            }
            for p in region.people["em-hospitals"]
        ],
    )
    return [
        {
            "source": "em-hospitals-qi",
            "ref": records[5]["ProjectRef"],
            "field": "title",
            "why": "the record has an empty title",
        }
    ]


def em_university(region: Region) -> None:
    base = WEB / "em-university" / "api"
    write_json(
        base / "projects.json",
        [
            {
                "id": p.ref,
                "title": p.title,
                "abstract": p.summary,
                "objective": p.aim,
                "status": p.status,
                "period": {"from": iso(p.start), "to": iso(p.end)},
                "approach": p.methods,
                "keywords": p.topics,
                "investigators": [{"id": ref, "role": role} for ref, role in p.members],
                "collaborators": [{"name": ORGS[o].name} for o in p.partners],
                "modified": stamp(p.updated),
            }
            for p in region.projects["em-university"]
        ],
    )
    write_json(
        base / "people.json",
        [
            {
                "id": p.ref,
                "name": p.name,
                "position": p.role,
                "email": p.email,
                "orcid": p.orcid,
                "contact_ok": p.consent,
                "listed": p.public,
                "offers": p.offers,
                "research_interests": p.interests,
                "profile": p.bio,
                "career_stage": "Postgraduate student" if p.kind == "student" else "Staff",
                "show_career_stage": p.kind_consent,
            }
            for p in region.people["em-university"]
        ],
    )


def vale_collaborative(region: Region) -> None:
    base = WEB / "vale-collaborative" / "graphql"
    write_json(
        base / "projects.json",
        [
            {
                "id": p.ref,
                "title": p.title,
                "summary": p.summary,
                "aim": p.aim,
                "status": p.status.upper(),
                "startDate": iso(p.start),
                "endDate": iso(p.end),
                "methods": p.methods,
                "mode": p.mode.upper(),
                "topics": [{"label": t} for t in p.topics],
                "team": [{"personId": ref, "role": role} for ref, role in p.members],
                "partners": [{"name": ORGS[o].name, "odsCode": ORGS[o].ods} for o in p.partners],
                "updatedAt": stamp(p.updated),
            }
            for p in region.projects["vale-collaborative"]
        ],
    )
    write_json(
        base / "people.json",
        [
            {
                "id": p.ref,
                "name": p.name,
                "role": p.role,
                "email": p.email,
                "phone": p.phone,
                "contactConsent": p.consent,
                "public": p.public,
                "offers": [o.upper() for o in p.offers],
                "interests": p.interests,
                "bio": p.bio,
            }
            for p in region.people["vale-collaborative"]
        ],
    )
    write_json(
        base / "resources.json",
        [
            {
                "id": r.ref,
                "title": r.title,
                "type": r.kind.upper(),
                "summary": r.summary,
                "url": url_of(r.org, "learning", r.ref),
                "published": iso(r.published),
                "topics": [{"label": t} for t in r.topics],
                "projectId": r.project,
            }
            for r in region.resources["vale-collaborative"]
        ],
    )


# --- spreadsheets ------------------------------------------------------------------------

FIXED = datetime(2025, 6, 30, 12, 0, 0)


def save_workbook(book: Workbook, path: Path) -> None:
    """Save with fixed timestamps, so the same data gives the same bytes (and ETag)."""
    book.properties.created = book.properties.modified = FIXED
    buffer = io.BytesIO()
    book.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-06-30T12:00:00Z", data
                )
            target.writestr(fixed, data)


def sheet(
    book: Workbook, title: str, header: list[str], rows: list[list[Any]], preamble: list[str] = ()
) -> None:  # type: ignore[assignment]
    ws = book.create_sheet(title)
    for line in preamble:
        ws.append([line])
    ws.append(header)
    for row in rows:
        ws.append(row)


def nv_icb(region: Region) -> None:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    sheet(
        book,
        "QI Projects",
        [
            "Project ID",
            "Project name",
            "Description",
            "Aim",
            "Status",
            "Start date",
            "End date",
            "QI methods",
            "Themes",
            "Team",
            "Partner organisations",
            "Last updated",
        ],
        [
            [
                p.ref,
                p.title,
                p.summary,
                p.aim,
                p.status.title(),
                p.start,
                p.end,
                "; ".join(p.methods),
                "\n".join(p.topics),
                "; ".join(f"{ref}: {role}" for ref, role in p.members),
                "; ".join(ORGS[o].name for o in p.partners),
                p.updated,
            ]
            for p in region.projects["nv-icb"]
        ],
        preamble=["NHS North Vale ICB: improvement register", "Exported 30/06/2025"],
    )
    sheet(
        book,
        "Improvement Network",
        [
            "Ref",
            "Name",
            "Job title",
            "Email",
            "Phone",
            "Share contact details?",
            "Show in directory?",
            "Offers",
            "Interests",
        ],
        [
            [
                p.ref,
                p.name,
                p.role,
                p.email,
                p.phone,
                "Yes" if p.consent else "No",
                "Yes" if p.public else "No",
                ", ".join(o.title() for o in p.offers),
                "; ".join(p.interests),
            ]
            for p in region.people["nv-icb"]
        ],
    )
    sheet(
        book,
        "Library",
        ["ID", "Title", "Type", "Summary", "Link", "Published", "Themes", "Project ID"],
        [
            [
                r.ref,
                r.title,
                r.kind.replace("_", " ").title(),
                r.summary,
                url_of(r.org, "library", r.ref),
                r.published,
                "; ".join(r.topics),
                r.project,
            ]
            for r in region.resources["nv-icb"]
        ],
    )
    save_workbook(book, FILES / "nv-icb-improvement-register.xlsx")


def em_icb(region: Region) -> None:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    sheet(
        book,
        "Projects",
        [
            "Ref",
            "Title",
            "Summary",
            "Aim",
            "Status",
            "Start",
            "End",
            "Methods",
            "Topics",
            "Team",
            "Partners",
        ],
        [
            [
                p.ref,
                p.title,
                p.summary,
                p.aim,
                p.status,
                p.start,
                p.end,
                ", ".join(p.methods),
                ", ".join(p.topics),
                ", ".join(f"{ref}:{role}" for ref, role in p.members),
                ", ".join(ORGS[o].name for o in p.partners),
            ]
            for p in region.projects["em-icb"]
        ],
    )
    sheet(
        book,
        "People",
        ["Ref", "Name", "Role", "Email", "Consent to contact", "Public", "Offers"],
        [
            [p.ref, p.name, p.role, p.email, p.consent, p.public, ", ".join(p.offers)]
            for p in region.people["em-icb"]
        ],
    )
    sheet(
        book,
        "Resources",
        ["Ref", "Title", "Type", "Summary", "URL", "Date", "Topics"],
        [
            [
                r.ref,
                r.title,
                r.kind,
                r.summary,
                url_of(r.org, "publications", r.ref),
                r.published,
                ", ".join(r.topics),
            ]
            for r in region.resources["em-icb"]
        ],
    )
    save_workbook(book, WEB / "em-icb" / "publications" / "qi-register.xlsx")


def write_csv(path: Path, rows: list[list[str]], *, encoding: str, delimiter: str = ",") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))


def nv_county(region: Region) -> list[dict[str, str]]:
    words = STATUS_WORDS["nv-county"]
    rows = [
        [
            "Ref",
            "Project",
            "Description",
            "Objective",
            "Status",
            "Start",
            "End",
            "Approach",
            "Themes",
            "Working with",
            "Service area",
        ]
    ]
    for p in region.projects["nv-county"]:
        summary = p.summary.replace("A North Vale", "Funded with £40k, a North Vale")
        rows.append(
            [
                p.ref,
                p.title.replace("'", "\u2019"),
                summary,
                p.aim,
                words[p.status],
                uk(p.start),
                uk(p.end),
                "; ".join(p.methods),
                "; ".join(p.topics),
                "|".join(ORGS[o].name for o in p.partners),
                RNG.choice(["Adult social care", "Public health", "Housing", "Communities"]),
            ]
        )
    bad = rows[4]
    bad[5], bad[6] = "01/09/2024", "01/03/2024"  # planted: ends before it starts
    write_csv(WEB / "nv-county" / "open-data" / "improvement-register.csv", rows, encoding="cp1252")
    return [
        {
            "source": "nv-county-register",
            "ref": bad[0],
            "field": "end_date",
            "why": "the end date is before the start date",
        }
    ]


def em_district(region: Region) -> None:
    rows = [
        [
            "Reference",
            "Name of project",
            "Summary",
            "Aims",
            "Status",
            "Started",
            "Ends",
            "Methods",
            "Topics",
            "Partners",
        ]
    ]
    rows += [
        [
            p.ref,
            p.title,
            p.summary,
            p.aim,
            p.status,
            iso(p.start) or "",
            iso(p.end) or "",
            ", ".join(p.methods),
            ", ".join(p.topics),
            ", ".join(ORGS[o].name for o in p.partners),
        ]
        for p in region.projects["em-district"]
    ]
    write_csv(FILES / "eastmoor-district-projects.csv", rows, encoding="utf-8-sig", delimiter=";")


def wyndham_carers(region: Region) -> list[dict[str, str]]:
    rows = [["id", "title", "what we are doing", "why", "status", "start", "topics", "partners"]]
    rows += [
        [
            p.ref,
            p.title,
            p.summary,
            p.aim,
            p.status,
            uk(p.start),
            "; ".join(p.topics),
            "; ".join(ORGS[o].name for o in p.partners),
        ]
        for p in region.projects["wyndham-carers"]
    ]
    write_csv(FILES / "wyndham-carers-projects.csv", rows, encoding="utf-8")
    items = [rss_item(r) for r in region.resources["wyndham-carers"]]
    items[3] = items[3].replace(
        f"<title>{escape(region.resources['wyndham-carers'][3].title)}</title>", ""
    )
    write_text(
        WEB / "wyndham-carers" / "stories.rss",
        RSS2.format(
            title="Wyndham Carers Network: stories and news",
            link="https://wyndham-carers.example",
            items="\n".join(items),
        ),
    )
    return [
        {
            "source": "wyndham-carers-stories",
            "ref": region.resources["wyndham-carers"][3].ref,
            "field": "title",
            "why": "the feed entry has no title",
        }
    ]


# --- feeds -------------------------------------------------------------------------------

RSS2 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>{title}</title><link>{link}</link><description>{title}</description>
{items}
</channel></rss>
"""
ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{title}</title><id>{link}/feed</id><link href="{link}"/>
<updated>2025-06-30T12:00:00Z</updated>
{items}
</feed>
"""
RSS1 = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{link}/events.rdf"><title>{title}</title><link>{link}</link>
<description>{title}</description></channel>
{items}
</rdf:RDF>
"""


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def rfc822(day: date) -> str:
    return datetime(day.year, day.month, day.day, 9).strftime("%a, %d %b %Y %H:%M:%S GMT")


def rss_item(r: Resource) -> str:
    categories = "".join(f"<category>{escape(t)}</category>" for t in [*r.topics, r.kind])
    return (
        f"<item><title>{escape(r.title)}</title><link>{url_of(r.org, 'stories', r.ref)}</link>"
        f'<guid isPermaLink="false">{r.ref}</guid>'
        f"<description>{escape('<p>' + r.summary + '</p>')}</description>"
        f"{categories}<pubDate>{rfc822(r.published)}</pubDate></item>"
    )


def atom_entry(r: Resource, section: str) -> str:
    categories = "".join(f'<category term="{escape(t)}"/>' for t in r.topics)
    return (
        f"<entry><title>{escape(r.title)}</title><id>urn:{r.org}:{r.ref}</id>"
        f'<link href="{url_of(r.org, section, r.ref)}"/>'
        f"<updated>{r.published.isoformat()}T09:00:00Z</updated>"
        f"<summary>{escape(r.summary)}</summary>{categories}"
        f'<category term="{r.kind}" scheme="urn:type"/></entry>'
    )


def feeds(region: Region) -> None:
    university = region.resources["em-university"]
    write_text(
        WEB / "em-university" / "briefings.atom",
        ATOM.format(
            title="University of Eastmoor: improvement research briefings",
            link="https://eastmoor-uni.example",
            items="\n".join(atom_entry(r, "briefings") for r in university),
        ),
    )
    academy = region.resources["skills-academy"]
    courses = [r for r in academy if r.kind == "training"]
    events = [r for r in academy if r.kind == "event"]
    write_text(
        WEB / "skills-academy" / "courses.atom",
        ATOM.format(
            title="Improvement Skills Academy: courses",
            link="https://skills-academy.example",
            items="\n".join(atom_entry(r, "courses") for r in courses),
        ),
    )
    rdf_items = "\n".join(
        f'<item rdf:about="{url_of(r.org, "events", r.ref)}"><title>{escape(r.title)}</title>'
        f"<link>{url_of(r.org, 'events', r.ref)}</link>"
        f"<description>{escape(r.summary)}</description>"
        + "".join(f"<dc:subject>{escape(t)}</dc:subject>" for t in r.topics)
        + f"<dc:date>{r.published.isoformat()}</dc:date></item>"
        for r in events
    )
    write_text(
        WEB / "skills-academy" / "events.rdf",
        RSS1.format(
            title="Improvement Skills Academy: events",
            link="https://skills-academy.example",
            items=rdf_items,
        ),
    )


# --- README and planted list -------------------------------------------------------------


def planted_markdown(planted: dict[str, list[Any]]) -> str:
    lines = [
        "### Planted duplicates (the same improvement, worded differently)",
        "",
        "| # | source | ref | title | source | ref | title |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n, (a, b) in enumerate(planted["duplicates"], start=1):
        lines.append(
            f"| D{n} | {a['source']} | {a['ref']} | {a['title']} "
            f"| {b['source']} | {b['ref']} | {b['title']} |"
        )
    lines += [
        "",
        "### Planted cross-sector collaborations",
        "",
        "| # | source | ref | title | partners |",
        "| --- | --- | --- | --- | --- |",
    ]
    for n, c in enumerate(planted["collaborations"], start=1):
        lines.append(
            f"| C{n} | {c['source']} | {c['ref']} | {c['title']} | {'; '.join(c['partners'])} |"
        )
    lines += [
        "",
        "### People listed by two organisations (same e-mail, on projects of both)",
        "",
        "| name | listed by | as | and by | as |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in planted["shared_people"]:
        a, b = s["listed_by"]
        lines.append(
            f"| {s['name']} | {a['source']} ({a['ref']}) | {a['role']}, on {a['project']} "
            f"| {b['source']} ({b['ref']}) | {b['role']}, on {b['project']} |"
        )
    lines += [
        "",
        "### Planted bad records (rejected with their place; the rest is ingested)",
        "",
        "| source | ref | field | why |",
        "| --- | --- | --- | --- |",
    ]
    for r in planted["rejects"]:
        lines.append(f"| {r['source']} | {r['ref']} | {r['field']} | {r['why']} |")
    return "\n".join(lines)


def update_readme(planted: dict[str, list[Any]], counts: dict[str, int]) -> None:
    path = HERE / "README.md"
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- planted:start -->", "<!-- planted:end -->"
    summary = (
        f"Generated: {counts['projects']} projects, {counts['people']} people records "
        f"({counts['unique_people']} people), {counts['resources']} resources.\n\n"
    )
    body = f"{start}\n{summary}{planted_markdown(planted)}\n{end}"
    text = re.sub(re.escape(start) + ".*" + re.escape(end), lambda _m: body, text, flags=re.S)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    region = build()
    nv_hospitals(region)
    nv_community(region)
    nv_gpfed(region)
    rejects = em_hospitals(region)
    em_university(region)
    vale_collaborative(region)
    nv_icb(region)
    em_icb(region)
    rejects += nv_county(region)
    em_district(region)
    rejects += wyndham_carers(region)
    feeds(region)
    region.planted["rejects"] = rejects
    people = [p for group in region.people.values() for p in group]
    counts = {
        "projects": sum(len(v) for v in region.projects.values()),
        "people": len(people),
        "unique_people": len({p.email for p in people}),
        "resources": sum(len(v) for v in region.resources.values()),
    }
    write_json(HERE / "planted.json", {**region.planted, "counts": counts})
    update_readme(region.planted, counts)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
