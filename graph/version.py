"""The graph's version: a number every write that changes answers increases.

Hubs cache answers per version (``hub.web.answers``) and learn the current version by reading
one node now and then, not on every request. Writes bump it after they commit: a sync that
changed records, a re-score of similar projects, a review, a split of an organisation name, a
change of API keys or of partners' origins. An answer computed after a hub learned a version
therefore never predates that version's data.
"""

from __future__ import annotations

from typing import LiteralString

from graph.database import Graph

BUMP: LiteralString = """
MERGE (v:GraphVersion {id: 'graph'})
SET v.version = coalesce(v.version, 0) + 1, v.changedAt = datetime()
RETURN v.version AS version
"""
READ: LiteralString = "MATCH (v:GraphVersion {id: 'graph'}) RETURN v.version AS version"


async def bump_version(graph: Graph) -> int:
    """Mark the graph changed; the new version."""
    rows = await graph.write(BUMP)
    return int(rows[0]["version"])


async def graph_version(graph: Graph) -> int:
    """The current version (0 for a graph nothing has changed yet)."""
    rows = await graph.read(READ)
    return int(rows[0]["version"]) if rows else 0
