"""A synthetic region at any size for the duplicates bench, as the records connectors emit.

Projects are written like the labelled set's (eval/labelled.py: a topic, an intervention, a
setting and a population, each in several wordings), so text varies the way real registers
do; about one project in twenty re-describes an earlier one elsewhere. Same seed and size,
same records. Organisations, places and people are invented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from connectors.records import OrganisationRecord, OrganisationRef, ProjectRecord, Record
from eval.labelled import (
    AIM_TEMPLATES,
    INTERVENTIONS,
    METHODS,
    POPULATIONS,
    SETTINGS,
    TITLE_TEMPLATES,
    TOPICS,
    Idea,
    Writer,
)
from graph.ingest import SourceInfo, SystemInfo

ORGANISATIONS = 40
SOURCES = 4  # each source lists ten organisations and their projects
SYSTEMS = [
    SystemInfo("bench-north", "Bench North ICS", neighbours=("bench-east",)),
    SystemInfo("bench-east", "Bench East ICS", neighbours=("bench-north",)),
    SystemInfo("bench-west", "Bench West ICS"),
]


def idea(rng: random.Random) -> Idea:
    return Idea(
        rng.choice(list(TOPICS)),
        rng.randrange(len(INTERVENTIONS)),
        rng.randrange(len(SETTINGS)),
        rng.randrange(len(POPULATIONS)),
    )


def project_record(rng: random.Random, ref: str, work: Idea, lead: str) -> ProjectRecord:
    """One project realising ``work``, worded afresh."""
    words = Writer(rng).words
    title = rng.choice(TITLE_TEMPLATES).format(**words(work))
    aim = rng.choice(AIM_TEMPLATES).format(**words(work))
    start = date(2019, 1, 1) + timedelta(days=rng.randrange(2600))
    return ProjectRecord(
        ref=ref,
        title=title,
        aim=aim,
        start_date=start,
        methods=rng.sample(METHODS, 2),
        topics=[TOPICS[work.topic][0]] if rng.random() < 0.8 else [],
        lead_organisation=OrganisationRef(ods_code=lead),
    )


def region(projects: int, *, seed: int = 11) -> list[tuple[SourceInfo, list[Record]]]:
    """Four sources, each listing ten organisations and their share of the projects."""
    rng = random.Random(seed)
    buckets: list[list[Record]] = []
    for i in range(ORGANISATIONS):
        buckets.append(
            [
                OrganisationRecord(
                    ref=f"org-{i}",
                    name=f"Bench Organisation {i}",
                    ods_code=f"ZB{i:04d}",
                    system=SYSTEMS[i % len(SYSTEMS)].id,
                )
            ]
        )
    done: list[Idea] = []
    for n in range(projects):
        i = n % ORGANISATIONS
        work = rng.choice(done) if done and rng.random() < 0.05 else idea(rng)
        done.append(work)
        buckets[i].append(project_record(rng, f"project-{n}", work, f"ZB{i:04d}"))
    merged: list[list[Record]] = [[] for _ in range(SOURCES)]
    for i, records in enumerate(buckets):
        merged[i % SOURCES].extend(records)
    return [
        (SourceInfo(f"bench-{i}", f"bench-{i}", f"Bench register {i}", "json_api"), records)
        for i, records in enumerate(merged)
    ]
