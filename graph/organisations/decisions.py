"""Keeping how each source's spelling of an organisation was resolved.

One ``(:OrganisationName {id: "<source>|<name key>"})`` node per source and spelling, with the
rule, the score and the other candidates, linked ``-[:RESOLVES_TO]->`` the organisation it was
resolved to. A merge can then be explained ("this source's 'NHS Somerset CCG' is NHS Somerset
ICB by ccg_to_icb, score 0.95") and split; an ambiguous name is listed for review.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from graph.database import Graph
from graph.resolution import NameDecision

_STORE: LiteralString = """
UNWIND $rows AS row
MATCH (o:Organisation {id: row.organisation})
MERGE (n:OrganisationName {id: row.id})
ON CREATE SET n.firstSeen = datetime()
SET n.source = $source, n.key = row.key, n.name = row.name, n.rule = row.rule,
    n.score = row.score, n.candidates = row.candidates, n.organisation = row.organisation,
    n.lastRun = $run, n.lastSeen = datetime()
WITH n, o
CALL {
  WITH n, o
  MATCH (n)-[old:RESOLVES_TO]->(other:Organisation)
  WHERE other <> o
  DELETE old
}
MERGE (n)-[:RESOLVES_TO]->(o)
"""


def name_id(source: str, key: str) -> str:
    return f"{source}|{key}"


async def store_name_decisions(
    graph: Graph, source: str, run: str, decisions: Sequence[NameDecision]
) -> None:
    """Upsert this run's decisions in one statement per thousand (idempotent by id)."""
    rows = [
        {
            "id": name_id(source, d.key),
            "key": d.key,
            "name": d.name,
            "rule": d.rule,
            "score": d.score,
            "candidates": list(d.candidates),
            "organisation": d.organisation,
        }
        for d in decisions
    ]
    for start in range(0, len(rows), 1000):
        await graph.write(
            _STORE, {"rows": rows[start : start + 1000], "source": source, "run": run}
        )
