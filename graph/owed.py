"""Follow-up work a sync (or a publish) could not finish, written down for the next sync.

After its pulls a sync refreshes what the graph keeps (links, counts, impact figures) and
re-scores the projects that changed; a publish of members' contributions re-scores too. When a
step fails the records are stored, but what is worked out from them is stale, and the next
sync with changes would put right only what it changed itself. So a failed step's work is
owed: kept in one node (any hub's next sync reads it; ``owedAt``: when it was last owed to)
and done by the next sync, whether or not anything changed since.

Settling is safe without locks: a sync that did all its work, owed part included, clears the
record only if no other sync owed more since it read it; otherwise the record stays and the
work it had done is done again, which costs time but loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

from graph.database import Graph


@dataclass(frozen=True)
class Owed:
    """What a sync owes, by step."""

    entities: frozenset[str] = frozenset()
    """Changed organisations, people and projects whose organisations' links are stale."""
    recount: bool = False
    """The kept counts and impact figures (``graph.kept.refresh_kept``)."""
    projects: frozenset[str] = frozenset()
    """Changed projects not re-scored for similarity."""
    scored: bool = False
    """Impact's duplicates found, counted again after scoring (``recount_scored``)."""
    version: int | None = None
    """How many times the record had been owed to when read; None for work not yet written."""

    def __or__(self, other: Owed) -> Owed:
        return Owed(
            entities=self.entities | other.entities,
            recount=self.recount or other.recount,
            projects=self.projects | other.projects,
            scored=self.scored or other.scored,
        )

    def __bool__(self) -> bool:
        return bool(self.entities or self.recount or self.projects or self.scored)


_READ: LiteralString = """
MATCH (o:Owed {id: 'sync'})
RETURN o.entities AS entities, o.recount AS recount, o.projects AS projects, o.scored AS scored,
       o.version AS version
"""
_OWE: LiteralString = """
MERGE (o:Owed {id: 'sync'})
WITH o
CALL (o) {
  UNWIND coalesce(o.entities, []) + $entities AS id RETURN collect(DISTINCT id) AS entities
}
CALL (o) {
  UNWIND coalesce(o.projects, []) + $projects AS id RETURN collect(DISTINCT id) AS projects
}
SET o.entities = entities, o.projects = projects,
    o.recount = coalesce(o.recount, false) OR $recount,
    o.scored = coalesce(o.scored, false) OR $scored,
    o.version = coalesce(o.version, 0) + 1, o.owedAt = datetime()
"""
_PAID: LiteralString = "MATCH (o:Owed {id: 'sync'}) WHERE o.version = $version DELETE o"


async def owed(graph: Graph) -> Owed:
    """What earlier syncs owe (nothing, if none failed a step since the last settled)."""
    rows = await graph.read(_READ)
    if not rows:
        return Owed()
    row = rows[0]
    return Owed(
        entities=frozenset(row["entities"] or ()),
        recount=bool(row["recount"]),
        projects=frozenset(row["projects"] or ()),
        scored=bool(row["scored"]),
        version=row["version"],
    )


async def owe(graph: Graph, work: Owed) -> None:
    """Add ``work`` to what is owed."""
    await graph.write(
        _OWE,
        {
            "entities": sorted(work.entities),
            "recount": work.recount,
            "projects": sorted(work.projects),
            "scored": work.scored,
        },
    )


async def paid(graph: Graph, read: Owed) -> None:
    """Clear what was owed when ``read`` was read, unless more has been owed since."""
    if read.version is not None:
        await graph.write(_PAID, {"version": read.version})
