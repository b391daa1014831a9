"""Who else works on this: people ranked by the evidence that links them to a topic or project.

Evidence is a project about the topic (or a narrower one) that the person works on, or an
interest the person declared. Projects weigh twice what an interest does. People in
organisations other than the asking project's come first, because meeting them is the point.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.common import OF_KINDS, VISIBLE_PERSON
from graph.queries.fields import (
    ORGANISATION,
    PERSON,
    PROJECT,
    STATEMENTS_KEPT,
    TOPIC,
    WHOLE,
    Entity,
    Projections,
)
from graph.queries.topics import TOPIC_IS_ROOT, topic_parameters

MAX_EVIDENCE = 5


@lru_cache(maxsize=STATEMENTS_KEPT)
def _people_matching(p: Projections) -> LiteralString:
    return (
        _MATCHING
        + p.of(PERSON)
        + " AS person, [organisation IN organisations | "
        + p.of(ORGANISATION)
        + "] AS organisations, [project IN projects | "
        + p.of(PROJECT)
        + "] AS projects, [topic IN topics | "
        + p.of(TOPIC)
        + "] AS topics, elsewhere, score"
    )


# A person's work on a project about one of ``seeds`` (the topics asked about), and their
# interest in one: counted for every candidate to rank them, listed for those shown.
_WORK_ON_SEEDS: LiteralString = """
      UNWIND seeds AS topic
      MATCH (person{label})-[w:WORKS_ON]->(project:Project)-[a:ABOUT]->(topic)
      WHERE w.retiredAt IS NULL AND project.retiredAt IS NULL AND a.retiredAt IS NULL
        AND ($projectId IS NULL OR project.id <> $projectId)"""
_INTEREST_IN_SEEDS: LiteralString = """
      UNWIND seeds AS topic
      MATCH (person{label})-[i:INTERESTED_IN]->(topic)
      WHERE i.retiredAt IS NULL"""

_MATCHING: LiteralString = (
    """
    CALL () {
      OPTIONAL MATCH path = (t:Topic)-[:BROADER*0..5]->(root:Topic)
      WHERE $topic IS NOT NULL AND """
    + TOPIC_IS_ROOT
    + """
        AND all(n IN nodes(path) WHERE n.retiredAt IS NULL)
        AND all(r IN relationships(path) WHERE r.retiredAt IS NULL)
      RETURN collect(DISTINCT t) AS asked
    }
    CALL () {
      OPTIONAL MATCH (seed:Project {id: $projectId})-[a:ABOUT]->(t:Topic)
      WHERE seed.retiredAt IS NULL AND a.retiredAt IS NULL AND t.retiredAt IS NULL
      RETURN collect(DISTINCT t) AS projectTopics
    }
    CALL () {
      OPTIONAL MATCH (seed:Project {id: $projectId})
                     -[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)
      WHERE seed.retiredAt IS NULL AND r.retiredAt IS NULL AND o.retiredAt IS NULL
      RETURN collect(DISTINCT o.id) AS homeOrganisations
    }
    WITH asked + [t IN projectTopics WHERE NOT t IN asked] AS seeds, homeOrganisations
    CALL (seeds) {"""
    + _WORK_ON_SEEDS.replace("{label}", ":Person")
    + """ AND person.retiredAt IS NULL
      RETURN person, count(DISTINCT project) AS projectCount, 0 AS interestCount
      UNION ALL"""
    + _INTEREST_IN_SEEDS.replace("{label}", ":Person")
    + """ AND person.retiredAt IS NULL
      RETURN person, 0 AS projectCount, count(DISTINCT topic) AS interestCount
    }
    WITH person, homeOrganisations, seeds,
         sum(projectCount) AS projectCount, sum(interestCount) AS interestCount
    WHERE """
    + VISIBLE_PERSON
    + """
      AND ($offers IS NULL OR any(o IN coalesce(person.offers, []) WHERE o IN $offers))
      AND ($kinds IS NULL OR """
    + OF_KINDS
    + """)
      AND ($projectId IS NULL OR NOT EXISTS {
            MATCH (person)-[w:WORKS_ON]->(:Project {id: $projectId}) WHERE w.retiredAt IS NULL })
      AND ($system IS NULL OR EXISTS {
            MATCH (person)-[w:WORKS_FOR]->(o:Organisation)-[s:PART_OF]->(:System {id: $system})
            WHERE w.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL })
      AND ($excludeOrganisation IS NULL OR NOT EXISTS {
            MATCH (person)-[w:WORKS_FOR]->(o:Organisation {id: $excludeOrganisation})
            WHERE w.retiredAt IS NULL AND o.retiredAt IS NULL })
    WITH person, seeds, projectCount, interestCount,
         size(homeOrganisations) = 0 OR NOT EXISTS {
           MATCH (person)-[w:WORKS_FOR]->(o:Organisation)
           WHERE o.id IN homeOrganisations AND w.retiredAt IS NULL AND o.retiredAt IS NULL
         } AS elsewhere
    WITH person, seeds, elsewhere, 2 * projectCount + interestCount AS score
    ORDER BY elsewhere DESC, score DESC, toLower(person.name), person.id
    LIMIT $limit
    CALL (person, seeds) {"""
    + _WORK_ON_SEEDS.replace("{label}", "")
    + """
      RETURN collect(DISTINCT project) AS projects, collect(DISTINCT topic) AS worked
    }
    CALL (person, seeds) {"""
    + _INTEREST_IN_SEEDS.replace("{label}", "")
    + """
      RETURN collect(DISTINCT topic) AS interests
    }
    WITH person, elsewhere, score, projects,
         worked + [t IN interests WHERE NOT t IN worked] AS topics
    CALL (person) {
      OPTIONAL MATCH (person)-[w:WORKS_FOR]->(organisation:Organisation)
      WHERE w.retiredAt IS NULL AND organisation.retiredAt IS NULL
      RETURN collect(DISTINCT organisation) AS organisations
    }
    RETURN """
)


def _by(entity: Entity) -> Any:
    return lambda item: ((item.get(entity.sort) or "").lower(), item["id"])


async def people_matching(
    graph: Graph,
    *,
    topic: str | None,
    project_id: str | None,
    exclude_organisation: str | None = None,
    system: str | None = None,
    offers: Sequence[str] = (),
    kinds: Sequence[str] = (),
    public_only: bool,
    limit: int,
    projections: Projections = WHOLE,
) -> list[dict[str, Any]]:
    """People with evidence for ``topic`` and/or work like ``project_id``, best first.

    Each row: ``person``, ``organisations``, ``projects`` and ``topics`` (the evidence, at most
    MAX_EVIDENCE projects), ``elsewhere`` (not in the project's organisations) and ``score``;
    each of them with the fields ``projections`` returns, which must include the evidence's
    sort keys (``Entity.sort``: name, title, label).
    """
    rows = await graph.read(
        _people_matching(projections),
        {
            **topic_parameters(topic),
            "projectId": project_id,
            "excludeOrganisation": exclude_organisation,
            "system": system,
            "offers": list(offers) or None,
            "kinds": list(kinds) or None,
            "publicOnly": public_only,
            "limit": limit,
        },
    )
    for row in rows:
        row["organisations"].sort(key=_by(ORGANISATION))
        row["projects"] = sorted(row["projects"], key=_by(PROJECT))[:MAX_EVIDENCE]
        row["topics"].sort(key=_by(TOPIC))
    return rows
