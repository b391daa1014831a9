"""Cross-boundary links: pairs of organisations that work together, and the evidence.

Two organisations are linked by a project they both run or partner in, or by a person who
works for one and for, or on a project of, the other. Topics their projects share are shown
as further evidence but do not make a link by themselves.
"""

from __future__ import annotations

from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.common import ORGANISATION, PERSON, PROJECT, TOPIC, VISIBLE_PERSON, fetch

EXAMPLES = 3

_LINKS: LiteralString = (
    """
    CALL () {
      MATCH (a:Organisation)<-[ra:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project)
            -[rb:RUN_BY|IN_PARTNERSHIP_WITH]->(b:Organisation)
      WHERE a.id < b.id AND a.retiredAt IS NULL AND b.retiredAt IS NULL
        AND project.retiredAt IS NULL AND ra.retiredAt IS NULL AND rb.retiredAt IS NULL
      RETURN a, b, project, null AS person
      UNION
      MATCH (o1:Organisation)<-[w:WORKS_FOR]-(person:Person)-[x:WORKS_ON]->(p:Project)
            -[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o2:Organisation)
      WHERE o1 <> o2 AND o1.retiredAt IS NULL AND o2.retiredAt IS NULL
        AND person.retiredAt IS NULL AND p.retiredAt IS NULL
        AND w.retiredAt IS NULL AND x.retiredAt IS NULL AND r.retiredAt IS NULL
      RETURN CASE WHEN o1.id < o2.id THEN o1 ELSE o2 END AS a,
             CASE WHEN o1.id < o2.id THEN o2 ELSE o1 END AS b,
             null AS project, person
      UNION
      MATCH (a:Organisation)<-[w1:WORKS_FOR]-(person:Person)-[w2:WORKS_FOR]->(b:Organisation)
      WHERE a.id < b.id AND a.retiredAt IS NULL AND b.retiredAt IS NULL
        AND person.retiredAt IS NULL AND w1.retiredAt IS NULL AND w2.retiredAt IS NULL
      RETURN a, b, null AS project, person
    }
    WITH a, b, collect(DISTINCT project) AS projects, collect(DISTINCT person) AS people
    WHERE ($organisation IS NULL OR $organisation IN [a.id, b.id])
      AND ($system IS NULL
           OR EXISTS { MATCH (a)-[s:PART_OF]->(:System {id: $system}) WHERE s.retiredAt IS NULL }
           OR EXISTS { MATCH (b)-[s:PART_OF]->(:System {id: $system}) WHERE s.retiredAt IS NULL })
    WITH a, b, projects, people
    ORDER BY size(projects) + size(people) DESC, toLower(a.name), toLower(b.name), a.id, b.id
    LIMIT $limit
    CALL (a) {
      OPTIONAL MATCH (a)<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(p:Project)-[x:ABOUT]->(topic:Topic)
      WHERE r.retiredAt IS NULL AND p.retiredAt IS NULL AND x.retiredAt IS NULL
        AND topic.retiredAt IS NULL
      RETURN collect(DISTINCT topic) AS topicsOfA
    }
    CALL (b) {
      OPTIONAL MATCH (b)<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(p:Project)-[x:ABOUT]->(topic:Topic)
      WHERE r.retiredAt IS NULL AND p.retiredAt IS NULL AND x.retiredAt IS NULL
        AND topic.retiredAt IS NULL
      RETURN collect(DISTINCT topic) AS topicsOfB
    }
    WITH a, b, projects, people, [t IN topicsOfA WHERE t IN topicsOfB] AS topics
    RETURN [organisation IN [a, b] | """
    + ORGANISATION
    + """] AS organisations,
      CASE WHEN a.sector IS NULL OR b.sector IS NULL THEN null
           ELSE a.sector <> b.sector END AS crossesSector,
      size(projects) AS projectCount,
      size(people) AS personCount,
      size(topics) AS topicCount,
      [project IN projects | """
    + PROJECT
    + """] AS projects,
      [person IN people WHERE """
    + VISIBLE_PERSON
    + " | "
    + PERSON
    + """] AS people,
      [topic IN topics | """
    + TOPIC
    + """] AS topics
    """
)


def _first(items: list[dict[str, Any]], field: str, count: int) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: ((item.get(field) or "").lower(), item["id"]))[:count]


async def cross_boundary_links(
    graph: Graph,
    *,
    system: str | None,
    organisation: str | None,
    public_only: bool,
    limit: int,
) -> list[dict[str, Any]]:
    """The strongest links first (shared projects plus people across), ``limit`` of them.

    ``system`` keeps links with at least one side in that system; ``organisation`` keeps the
    links of that organisation. Examples are the first few by name; counts cover everything.
    """
    rows = await fetch(
        graph,
        _LINKS,
        {
            "system": system,
            "organisation": organisation,
            "publicOnly": public_only,
            "limit": limit,
        },
    )
    for row in rows:
        row["projects"] = _first(row["projects"], "title", EXAMPLES)
        row["people"] = _first(row["people"], "name", EXAMPLES)
        row["topics"] = _first(row["topics"], "label", EXAMPLES + 2)
    return rows
