"""What the graph knows about a project that bears on duplication, in one read per batch.

A profile carries names beside ids so that an explanation can name real evidence ("same topic:
falls prevention", "shared people: Ada Quill") without another round trip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, LiteralString

from graph.database import Graph
from graph.normalise import fold

LOAD_BATCH = 5000


@dataclass(frozen=True)
class ProjectProfile:
    id: str
    title: str
    body: str = ""
    start: date | None = None
    end: date | None = None
    methods: frozenset[str] = frozenset()
    method_names: dict[str, str] = field(default_factory=dict, compare=False)
    topics: dict[str, str] = field(default_factory=dict)  # id -> label
    broader: frozenset[str] = frozenset()  # broader topics of those (two levels)
    leads: dict[str, str] = field(default_factory=dict)  # organisation id -> name
    partners: dict[str, str] = field(default_factory=dict)
    systems: dict[str, str] = field(default_factory=dict)  # system id -> name (of the leads)
    neighbours: frozenset[str] = frozenset()  # systems next to those
    people: dict[str, str] = field(default_factory=dict)  # person id -> name


# Every part of a profile comes through relationships that are not retired, to live nodes.
PROFILE_FIELDS: LiteralString = """
RETURN p.id AS id, p.title AS title, p.aim AS aim, p.summary AS summary,
       p.startDate AS start, p.endDate AS end, coalesce(p.methods, []) AS methods,
       COLLECT { MATCH (p)-[r:ABOUT]->(t:Topic) WHERE r.retiredAt IS NULL
                 RETURN DISTINCT {id: t.id, name: t.label} } AS topics,
       COLLECT { MATCH (p)-[r:ABOUT]->(:Topic)-[:BROADER*1..2]->(b:Topic)
                 WHERE r.retiredAt IS NULL RETURN DISTINCT b.id } AS broader,
       COLLECT { MATCH (p)-[r:RUN_BY]->(o:Organisation)
                 WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL
                 RETURN DISTINCT {id: o.id, name: o.name} } AS leads,
       COLLECT { MATCH (p)-[r:IN_PARTNERSHIP_WITH]->(o:Organisation)
                 WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL
                 RETURN DISTINCT {id: o.id, name: o.name} } AS partners,
       COLLECT { MATCH (p)-[r:RUN_BY]->(o:Organisation)-[q:PART_OF]->(s:System)
                 WHERE r.retiredAt IS NULL AND q.retiredAt IS NULL AND o.retiredAt IS NULL
                 RETURN DISTINCT {id: s.id, name: s.name} } AS systems,
       COLLECT { MATCH (p)-[r:RUN_BY]->(o:Organisation)-[q:PART_OF]->(:System)
                       -[:NEIGHBOUR_OF]-(n:System)
                 WHERE r.retiredAt IS NULL AND q.retiredAt IS NULL AND o.retiredAt IS NULL
                 RETURN DISTINCT n.id } AS neighbours,
       COLLECT { MATCH (person:Person)-[r:WORKS_ON]->(p)
                 WHERE r.retiredAt IS NULL AND person.retiredAt IS NULL
                 RETURN DISTINCT {id: person.id, name: person.name} } AS people
"""

_BY_IDS: LiteralString = (
    "UNWIND $ids AS id MATCH (p:Project {id: id}) WHERE p.retiredAt IS NULL " + PROFILE_FIELDS
)
# The whole corpus, for the full scan: one linear read per kind of evidence, joined here,
# instead of a dozen small subqueries per project.
_ALL_PROJECTS: LiteralString = """
MATCH (p:Project) WHERE p.retiredAt IS NULL
RETURN p.id AS id, p.title AS title, p.aim AS aim, p.summary AS summary,
       p.startDate AS start, p.endDate AS end, coalesce(p.methods, []) AS methods
ORDER BY id
"""
_ALL_LINKS: dict[str, LiteralString] = {
    "topics": """
        MATCH (p:Project)-[r:ABOUT]->(t:Topic) WHERE p.retiredAt IS NULL AND r.retiredAt IS NULL
        RETURN DISTINCT p.id AS project, t.id AS id, t.label AS name""",
    "leads": """
        MATCH (p:Project)-[r:RUN_BY]->(o:Organisation)
        WHERE p.retiredAt IS NULL AND r.retiredAt IS NULL AND o.retiredAt IS NULL
        RETURN DISTINCT p.id AS project, o.id AS id, o.name AS name""",
    "partners": """
        MATCH (p:Project)-[r:IN_PARTNERSHIP_WITH]->(o:Organisation)
        WHERE p.retiredAt IS NULL AND r.retiredAt IS NULL AND o.retiredAt IS NULL
        RETURN DISTINCT p.id AS project, o.id AS id, o.name AS name""",
    "people": """
        MATCH (person:Person)-[r:WORKS_ON]->(p:Project)
        WHERE p.retiredAt IS NULL AND r.retiredAt IS NULL AND person.retiredAt IS NULL
        RETURN DISTINCT p.id AS project, person.id AS id, person.name AS name""",
}
_ORGANISATION_SYSTEMS: LiteralString = """
MATCH (o:Organisation)-[q:PART_OF]->(s:System) WHERE q.retiredAt IS NULL
RETURN o.id AS organisation, s.id AS id, s.name AS name
"""
_SYSTEM_NEIGHBOURS: LiteralString = """
MATCH (s:System)-[:NEIGHBOUR_OF]-(n:System) RETURN DISTINCT s.id AS id, n.id AS neighbour
"""
_TOPIC_BROADER: LiteralString = """
MATCH (t:Topic)-[:BROADER*1..2]->(b:Topic) RETURN DISTINCT t.id AS id, b.id AS broader
"""


async def load_all_profiles(graph: Graph) -> list[ProjectProfile]:
    """Every live project's profile, as ``load_profiles`` would give it, in a few reads."""
    rows = await graph.read(_ALL_PROJECTS)
    links: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for field_name, query in _ALL_LINKS.items():
        for link in await graph.read(query):
            per_project = links.setdefault(link["project"], {})
            per_project.setdefault(field_name, []).append(link)
    systems: dict[str, list[dict[str, Any]]] = {}
    for link in await graph.read(_ORGANISATION_SYSTEMS):
        systems.setdefault(link["organisation"], []).append(link)
    neighbours: dict[str, set[str]] = {}
    for link in await graph.read(_SYSTEM_NEIGHBOURS):
        neighbours.setdefault(link["id"], set()).add(link["neighbour"])
    broader: dict[str, set[str]] = {}
    for link in await graph.read(_TOPIC_BROADER):
        broader.setdefault(link["id"], set()).add(link["broader"])
    profiles = []
    for row in rows:
        found = links.get(row["id"], {})
        leads = found.get("leads", [])
        its_systems = [s for lead in leads for s in systems.get(lead["id"], [])]
        topics = found.get("topics", [])
        row = {
            **row,
            **found,
            "systems": its_systems,
            "neighbours": [n for s in its_systems for n in neighbours.get(s["id"], ())],
            "broader": [b for t in topics for b in broader.get(t["id"], ())],
        }
        profiles.append(profile_from_row(row))
    return profiles


async def load_profiles(graph: Graph, ids: Sequence[str]) -> list[ProjectProfile]:
    """Profiles of the live projects among ``ids`` (retired or unknown ids are left out)."""
    profiles: list[ProjectProfile] = []
    for start in range(0, len(ids), LOAD_BATCH):
        rows = await graph.read(_BY_IDS, {"ids": list(ids[start : start + LOAD_BATCH])})
        profiles.extend(profile_from_row(row) for row in rows)
    return profiles


def method_key(method: str) -> str:
    return fold(method)


def _named(items: list[dict[str, Any]]) -> dict[str, str]:
    return {item["id"]: item["name"] or item["id"] for item in items}


def profile_from_row(row: dict[str, Any]) -> ProjectProfile:
    body = " ".join(part for part in (row.get("aim"), row.get("summary")) if part)
    methods = {method_key(m): m for m in row.get("methods") or []}
    return ProjectProfile(
        id=row["id"],
        title=row.get("title") or "",
        body=body,
        start=_day(row.get("start")),
        end=_day(row.get("end")),
        methods=frozenset(methods),
        method_names=methods,
        topics=_named(row.get("topics") or []),
        broader=frozenset(row.get("broader") or []),
        leads=_named(row.get("leads") or []),
        partners=_named(row.get("partners") or []),
        systems=_named(row.get("systems") or []),
        neighbours=frozenset(row.get("neighbours") or []),
        people=_named(row.get("people") or []),
    )


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if hasattr(value, "to_native"):
        native = value.to_native()
        return native if isinstance(native, date) else None
    return value if isinstance(value, date) else None
