"""What the graph knows about a project that bears on duplication, in one read per batch.

A profile carries names beside ids so that an explanation can name real evidence ("same topic:
falls prevention", "shared people: Ada Quill") without another round trip.
"""

from __future__ import annotations

import asyncio
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
# instead of a dozen small subqueries per project. Each read returns one row holding a list
# of lists: the driver turns that into Python several times faster than one record per row.
_ALL_PROJECTS: LiteralString = """
MATCH (p:Project) WHERE p.retiredAt IS NULL
RETURN collect([p.id, p.title, p.aim, p.summary, p.startDate, p.endDate,
                coalesce(p.methods, [])]) AS rows
"""
_ALL_LINKS: dict[str, LiteralString] = {
    "topics": """
        MATCH (p:Project)-[r:ABOUT]->(t:Topic) WHERE p.retiredAt IS NULL AND r.retiredAt IS NULL
        WITH DISTINCT p.id AS project, t.id AS id, t.label AS name
        RETURN collect([project, id, name]) AS rows""",
    "leads": """
        MATCH (p:Project)-[r:RUN_BY]->(o:Organisation)
        WHERE p.retiredAt IS NULL AND r.retiredAt IS NULL AND o.retiredAt IS NULL
        WITH DISTINCT p.id AS project, o.id AS id, o.name AS name
        RETURN collect([project, id, name]) AS rows""",
    "partners": """
        MATCH (p:Project)-[r:IN_PARTNERSHIP_WITH]->(o:Organisation)
        WHERE p.retiredAt IS NULL AND r.retiredAt IS NULL AND o.retiredAt IS NULL
        WITH DISTINCT p.id AS project, o.id AS id, o.name AS name
        RETURN collect([project, id, name]) AS rows""",
    "people": """
        MATCH (person:Person)-[r:WORKS_ON]->(p:Project)
        WHERE p.retiredAt IS NULL AND r.retiredAt IS NULL AND person.retiredAt IS NULL
        WITH DISTINCT p.id AS project, person.id AS id, person.name AS name
        RETURN collect([project, id, name]) AS rows""",
    "systems": """
        MATCH (o:Organisation)-[q:PART_OF]->(s:System) WHERE q.retiredAt IS NULL
        RETURN collect([o.id, s.id, s.name]) AS rows""",
    "neighbours": """
        MATCH (s:System)-[:NEIGHBOUR_OF]-(n:System)
        WITH DISTINCT s.id AS id, n.id AS neighbour
        RETURN collect([id, neighbour, neighbour]) AS rows""",
    "broader": """
        MATCH (t:Topic)-[:BROADER*1..2]->(b:Topic)
        WITH DISTINCT t.id AS id, b.id AS broader
        RETURN collect([id, broader, broader]) AS rows""",
}


async def _grouped(graph: Graph, query: LiteralString) -> dict[str, list[dict[str, Any]]]:
    """[owner, id, name] rows grouped by owner, as ``{"id", "name"}`` items."""
    rows = await graph.read(query)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for owner, item, name in rows[0]["rows"]:
        grouped.setdefault(owner, []).append({"id": item, "name": name})
    return grouped


async def load_all_profiles(graph: Graph) -> list[ProjectProfile]:
    """Every live project's profile, as ``load_profiles`` would give it, in a few reads."""
    # All reads at once: Neo4j answers one while the driver decodes another's rows here.
    first, *grouped = await asyncio.gather(
        graph.read(_ALL_PROJECTS), *(_grouped(graph, query) for query in _ALL_LINKS.values())
    )
    projects = first[0]["rows"]
    links = dict(zip(_ALL_LINKS, grouped, strict=True))
    systems, neighbours, broader = links["systems"], links["neighbours"], links["broader"]
    profiles = []
    for pid, title, aim, summary, start, end, methods in sorted(projects, key=lambda r: r[0]):
        leads = links["leads"].get(pid, [])
        its_systems = [s for lead in leads for s in systems.get(lead["id"], [])]
        topics = links["topics"].get(pid, [])
        row = {
            "id": pid,
            "title": title,
            "aim": aim,
            "summary": summary,
            "start": start,
            "end": end,
            "methods": methods,
            "topics": topics,
            "leads": leads,
            "partners": links["partners"].get(pid, []),
            "people": links["people"].get(pid, []),
            "systems": its_systems,
            "neighbours": [n["id"] for s in its_systems for n in neighbours.get(s["id"], [])],
            "broader": [b["id"] for t in topics for b in broader.get(t["id"], [])],
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
