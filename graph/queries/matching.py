"""Who else works on this: people ranked by the evidence that links them to a topic or project.

Evidence is a project about the topic (or a narrower one) that the person works on, or an
interest the person declared. Projects weigh twice what an interest does. People in
organisations other than the asking project's come first, because meeting them is the point.

Ranking everyone with evidence for a broad topic walks thousands of projects and their
people per request, to show fifty of them. So each topic keeps its best-ranked people
(``KEPT_RANKING``, counted again with the kept counts of ``graph.counts``, from the very
statements ranked here): a request about one topic alone reads them in order and filters
them as the ranking would. When its filters leave fewer people than it asked for and the kept
list was cut short, or no recount has reached the topic, it ranks on the spot; so does a request
filtered by offers or kinds, which keep too few of the kept people to fill a page.
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
from graph.queries.topics import KEPT_OF_ONE_ROOT, TOPIC_IS_ROOT, topic_parameters

MAX_EVIDENCE = 5
KEPT_MOST = 200
"""People each topic keeps ranked per caller class: twice the largest page, so that a filter
that leaves out a few (one organisation's people) seldom sends a request to rank on the spot."""
KEPT_RANKING: dict[bool, LiteralString] = {False: "rankedPeople", True: "rankedListedPeople"}
"""The topic's property holding its best-ranked people's ids, by whether the caller sees only
people who agreed to be listed (``$publicOnly``)."""


def _columns(p: Projections) -> LiteralString:
    return (
        p.of(PERSON)
        + " AS person, [organisation IN organisations | "
        + p.of(ORGANISATION)
        + "] AS organisations, [project IN projects | "
        + p.of(PROJECT)
        + "] AS projects, [topic IN topics | "
        + p.of(TOPIC)
        + "] AS topics, elsewhere, score"
    )


@lru_cache(maxsize=STATEMENTS_KEPT)
def _people_matching(p: Projections) -> LiteralString:
    return _MATCHING + _columns(p)


@lru_cache(maxsize=STATEMENTS_KEPT)
def _kept_people_matching(p: Projections) -> LiteralString:
    return _KEPT_MATCHING + _columns(p) + ", whole"


# The topics under the root ``{root}`` picks, live all the way down, as ``seeds``.
_SEEDS: LiteralString = """
      OPTIONAL MATCH path = (t:Topic)-[:BROADER*0..5]->(root:Topic)
      WHERE {root}
        AND all(n IN nodes(path) WHERE n.retiredAt IS NULL)
        AND all(r IN relationships(path) WHERE r.retiredAt IS NULL)"""

# A person's work on a project about one of ``seeds`` (the topics asked about), and their
# interest in one: walked from the topics to rank every candidate, and from each person
# shown to list their evidence.
_WORK: LiteralString = "(person{label})-[w:WORKS_ON]->(project:Project)-[a:ABOUT]->(topic)"
_WORK_IS_LIVE: LiteralString = """w.retiredAt IS NULL AND project.retiredAt IS NULL
        AND a.retiredAt IS NULL AND ($projectId IS NULL OR project.id <> $projectId)"""
_INTEREST: LiteralString = "(person{label})-[i:INTERESTED_IN]->(topic)"
_INTEREST_IS_LIVE: LiteralString = "i.retiredAt IS NULL"


def _from_seeds(pattern: LiteralString, live: LiteralString) -> LiteralString:
    """``pattern`` walked from each of ``seeds`` to everyone it reaches."""
    return (
        "\n      UNWIND seeds AS topic\n      MATCH "
        + pattern.replace("{label}", ":Person")
        + "\n      WHERE "
        + live
    )


def _of_person(pattern: LiteralString, live: LiteralString) -> LiteralString:
    """``pattern`` walked from the person bound to ``person`` to any of ``seeds``."""
    return (
        "\n      MATCH "
        + pattern.replace("{label}", "")
        + "\n      WHERE topic IN seeds AND "
        + live
    )


# Everyone with evidence for ``seeds``, with how much of each kind.
_CANDIDATES: LiteralString = (
    """
    CALL (seeds) {"""
    + _from_seeds(_WORK, _WORK_IS_LIVE)
    + """ AND person.retiredAt IS NULL
      RETURN person, count(DISTINCT project) AS projectCount, 0 AS interestCount
      UNION ALL"""
    + _from_seeds(_INTEREST, _INTEREST_IS_LIVE)
    + """ AND person.retiredAt IS NULL
      RETURN person, 0 AS projectCount, count(DISTINCT topic) AS interestCount
    }"""
)
_SCORE: LiteralString = "2 * projectCount + interestCount"
_BEST_FIRST: LiteralString = "score DESC, toLower(person.name), person.id"

# What the caller asked to leave out, and whom they may not see.
_FILTERS: LiteralString = (
    VISIBLE_PERSON
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
            WHERE w.retiredAt IS NULL AND o.retiredAt IS NULL })"""
)

# The evidence and organisations of each person ranked (with ``seeds`` and ``elsewhere``),
# then ``{carried}``: their score, and what else the statement returns.
_EVIDENCE: LiteralString = (
    """
    CALL (person, seeds) {"""
    + _of_person(_WORK, _WORK_IS_LIVE)
    + """
      RETURN collect(DISTINCT project) AS projects, collect(DISTINCT topic) AS worked
    }
    CALL (person, seeds) {"""
    + _of_person(_INTEREST, _INTEREST_IS_LIVE)
    + """
      RETURN collect(DISTINCT topic) AS interests
    }
    WITH person, elsewhere, {carried}, projects,
         worked + [t IN interests WHERE NOT t IN worked] AS topics
    CALL (person) {
      OPTIONAL MATCH (person)-[w:WORKS_FOR]->(organisation:Organisation)
      WHERE w.retiredAt IS NULL AND organisation.retiredAt IS NULL
      RETURN collect(DISTINCT organisation) AS organisations
    }
    RETURN """
)

_MATCHING: LiteralString = (
    """
    CALL () {"""
    + _SEEDS.replace("{root}", "$topic IS NOT NULL AND " + TOPIC_IS_ROOT)
    + """
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
    WITH asked + [t IN projectTopics WHERE NOT t IN asked] AS seeds, homeOrganisations"""
    + _CANDIDATES
    + """
    WITH person, homeOrganisations, seeds,
         sum(projectCount) AS projectCount, sum(interestCount) AS interestCount
    WHERE """
    + _FILTERS
    + """
    WITH person, seeds, projectCount, interestCount,
         size(homeOrganisations) = 0 OR NOT EXISTS {
           MATCH (person)-[w:WORKS_FOR]->(o:Organisation)
           WHERE o.id IN homeOrganisations AND w.retiredAt IS NULL AND o.retiredAt IS NULL
         } AS elsewhere
    WITH person, seeds, elsewhere, """
    + _SCORE
    + """ AS score
    ORDER BY elsewhere DESC, """
    + _BEST_FIRST
    + """
    LIMIT $limit"""
    + _EVIDENCE.replace("{carried}", "score")
)

RANKED_UNDER: LiteralString = (
    "COLLECT {"
    + _SEEDS.replace("{root}", "root = {topic}")
    + """
      WITH collect(DISTINCT t) AS seeds"""
    + _CANDIDATES.replace("$projectId", "null")
    + """
      WITH person, sum(projectCount) AS projectCount, sum(interestCount) AS interestCount
      WITH person, """
    + _SCORE
    + """ AS score
      ORDER BY """
    + _BEST_FIRST
    + """
      RETURN person
    }"""
)
"""Everyone with evidence for the topic bound to ``{topic}``, best first: the ranking of a
request about that topic alone, before its filters (``graph.counts`` keeps its head)."""

# A request about one topic alone: the kept ranking's head, filtered in order. ``whole``:
# the kept list holds everyone with evidence, so fewer rows than asked is the answer.
_KEPT_MATCHING: LiteralString = (
    KEPT_OF_ONE_ROOT
    + """
    WITH kept AS ranked WHERE ranked IS NOT NULL
    CALL () {"""
    + _SEEDS.replace("{root}", TOPIC_IS_ROOT)
    + """
      RETURN collect(DISTINCT t) AS seeds
    }
    UNWIND range(0, size(ranked) - 1) AS rank
    MATCH (person:Person {id: ranked[rank]})
    WHERE person.retiredAt IS NULL AND """
    + _FILTERS
    + """
    WITH person, seeds, rank, true AS elsewhere, size(ranked) < $most AS whole
    ORDER BY rank
    LIMIT $limit"""
    + _EVIDENCE.replace("{carried}", "2 * size(projects) + size(interests) AS score, whole")
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
    live: bool = False,
) -> list[dict[str, Any]]:
    """People with evidence for ``topic`` and/or work like ``project_id``, best first.

    Each row: ``person``, ``organisations``, ``projects`` and ``topics`` (the evidence, at most
    MAX_EVIDENCE projects), ``elsewhere`` (not in the project's organisations) and ``score``;
    each of them with the fields ``projections`` returns, which must include the evidence's
    sort keys (``Entity.sort``: name, title, label). ``live``: rank on the spot even where the
    topic keeps its ranking (to check that both agree).
    """
    parameters = {
        **topic_parameters(topic),
        "projectId": project_id,
        "excludeOrganisation": exclude_organisation,
        "system": system,
        "offers": list(offers) or None,
        "kinds": list(kinds) or None,
        "publicOnly": public_only,
        "limit": limit,
    }
    rows = None
    # Offers and kinds keep few people (a page of mentors seldom fits among the kept 200), so
    # with either the kept list is not read first only to be given up.
    keeps_few = bool(offers or kinds)
    if not live and project_id is None and parameters["topic"] is not None and not keeps_few:
        rows = await _kept_matching(graph, projections, parameters)
    if rows is None:
        rows = await graph.read(_people_matching(projections), parameters)
    for row in rows:
        row["organisations"].sort(key=_by(ORGANISATION))
        row["projects"] = sorted(row["projects"], key=_by(PROJECT))[:MAX_EVIDENCE]
        row["topics"].sort(key=_by(TOPIC))
    return rows


async def _kept_matching(
    graph: Graph, projections: Projections, parameters: dict[str, Any]
) -> list[dict[str, Any]] | None:
    """The rows read from the topic's kept ranking, or None where they may not be the answer:
    no recount has reached the topic (or the text names several), or the filters left fewer
    rows than asked of a list that was cut short."""
    kept = KEPT_RANKING[parameters["publicOnly"]]
    rows = await graph.read(
        _kept_people_matching(projections), {**parameters, "kept": kept, "most": KEPT_MOST}
    )
    if len(rows) < parameters["limit"] and not (rows and rows[0]["whole"]):
        return None
    for row in rows:
        del row["whole"]
    return rows
