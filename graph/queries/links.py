"""Cross-boundary links: pairs of organisations that work together, and the evidence.

Two organisations are linked by a project they both run or partner in, or by a person who
works for one and for, or on a project of, the other. Topics their projects share are shown
as further evidence but do not make a link by themselves; through a topic, only that topic
and its narrower ones are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.common import VISIBLE_PERSON
from graph.queries.fields import (
    ORGANISATION,
    PERSON,
    PROJECT,
    STATEMENTS_KEPT,
    TOPIC,
    WHOLE,
    Projections,
)
from graph.queries.topics import TOPIC_IS_ROOT, about_topic, topic_parameters

EXAMPLES = 3

LIVE_PROJECT_LINK: LiteralString = "r.retiredAt IS NULL AND project.retiredAt IS NULL"

# Every link of the organisations bound to ``a`` (one side of each pair), as rows
# ``a, b, project, person``. The ``{...}`` marks are replaced by fixed fragments only.
PAIRS_FROM_A: LiteralString = """
    CALL (a) {
      MATCH (a)<-[ra:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project)
            -[r:RUN_BY|IN_PARTNERSHIP_WITH]->(b:Organisation)
      WHERE b <> a AND b.retiredAt IS NULL AND ra.retiredAt IS NULL
        AND {live} {topic}
      RETURN b, project, null AS person
      UNION
      MATCH (a)<-[w:WORKS_FOR]-(person:Person)-[x:WORKS_ON]->(project:Project)
            -[r:RUN_BY|IN_PARTNERSHIP_WITH]->(b:Organisation)
      WHERE b <> a AND b.retiredAt IS NULL AND person.retiredAt IS NULL
        AND w.retiredAt IS NULL AND x.retiredAt IS NULL AND {live} {topic}
      RETURN b, null AS project, person
      UNION
      MATCH (a)<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project)<-[x:WORKS_ON]-(person:Person)
            -[w:WORKS_FOR]->(b:Organisation)
      WHERE b <> a AND b.retiredAt IS NULL AND person.retiredAt IS NULL
        AND w.retiredAt IS NULL AND x.retiredAt IS NULL AND {live} {topic}
      RETURN b, null AS project, person
      {colleagues}
    }
    WITH CASE WHEN a.id < b.id THEN a ELSE b END AS first,
         CASE WHEN a.id < b.id THEN b ELSE a END AS second, project, person
    WITH first AS a, second AS b, project, person
"""

# People working for both organisations link them too, but not through a topic.
COLLEAGUES: LiteralString = """
      UNION
      MATCH (a)<-[w1:WORKS_FOR]-(person:Person)-[w2:WORKS_FOR]->(b:Organisation)
      WHERE b <> a AND b.retiredAt IS NULL AND person.retiredAt IS NULL
        AND w1.retiredAt IS NULL AND w2.retiredAt IS NULL
      RETURN b, null AS project, person
"""
_ALL_COLLEAGUES: LiteralString = """
      UNION
      MATCH (a:Organisation)<-[w1:WORKS_FOR]-(person:Person)-[w2:WORKS_FOR]->(b:Organisation)
      WHERE a.id < b.id AND a.retiredAt IS NULL AND b.retiredAt IS NULL
        AND person.retiredAt IS NULL AND w1.retiredAt IS NULL AND w2.retiredAt IS NULL
      RETURN a, b, null AS project, person
"""

# Every link in the graph, each pair once (``a.id < b.id``), for when neither an organisation
# nor a system is given.
_ALL_PAIRS: LiteralString = """
    CALL () {
      MATCH (a:Organisation)<-[ra:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project)
            -[r:RUN_BY|IN_PARTNERSHIP_WITH]->(b:Organisation)
      WHERE a.id < b.id AND a.retiredAt IS NULL AND b.retiredAt IS NULL AND ra.retiredAt IS NULL
        AND {live} {topic}
      RETURN a, b, project, null AS person
      UNION
      MATCH (o1:Organisation)<-[w:WORKS_FOR]-(person:Person)-[x:WORKS_ON]->(project:Project)
            -[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o2:Organisation)
      WHERE o1 <> o2 AND o1.retiredAt IS NULL AND o2.retiredAt IS NULL
        AND person.retiredAt IS NULL AND w.retiredAt IS NULL AND x.retiredAt IS NULL
        AND {live} {topic}
      RETURN CASE WHEN o1.id < o2.id THEN o1 ELSE o2 END AS a,
             CASE WHEN o1.id < o2.id THEN o2 ELSE o1 END AS b,
             null AS project, person
      {colleagues}
    }
"""

# Where the pairs start: the organisation asked for, or the organisations of the system.
_ANCHORS: dict[str, LiteralString] = {
    "organisation": "MATCH (a:Organisation {id: $organisation}) WHERE a.retiredAt IS NULL",
    "system": "MATCH (:System {id: $system})<-[s:PART_OF]-(a:Organisation) "
    "WHERE s.retiredAt IS NULL AND a.retiredAt IS NULL WITH DISTINCT a",
}

_IN_SYSTEM: LiteralString = """
    (EXISTS { MATCH (a)-[s:PART_OF]->(:System {id: $system}) WHERE s.retiredAt IS NULL }
     OR EXISTS { MATCH (b)-[s:PART_OF]->(:System {id: $system}) WHERE s.retiredAt IS NULL })"""
_WITH_OTHER: LiteralString = "(a.id = $other OR b.id = $other)"

# Under a topic filter, the shared topics shown are that topic and its narrower ones only:
# the others are the pair's other work, not evidence for the topic asked about.
_SHARED_ON_TOPIC: LiteralString = (
    "AND EXISTS { MATCH path = (topic)-[:BROADER*0..5]->(root:Topic) WHERE "
    + TOPIC_IS_ROOT
    + " AND all(step IN nodes(path) WHERE step.retiredAt IS NULL)"
    + " AND all(hop IN relationships(path) WHERE hop.retiredAt IS NULL) }"
)

# The live topics of an organisation's live projects ({org}), as a list named {topics}; kept
# links keep them per organisation (``graph.links``), the live statement walks them here.
TOPICS_OF: LiteralString = """
    CALL ({org}) {
      OPTIONAL MATCH ({org})<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(p:Project)-[x:ABOUT]->(topic:Topic)
      WHERE r.retiredAt IS NULL AND p.retiredAt IS NULL AND x.retiredAt IS NULL
        AND topic.retiredAt IS NULL {shared_topic}
      RETURN collect(DISTINCT topic) AS {topics}
    }
"""

# A pair's example topics, from the topics it shares (``topics``).
_EXAMPLE_TOPICS: LiteralString = (
    """
    CALL (topics) {
      UNWIND topics AS topic
      WITH topic ORDER BY toLower(coalesce(topic.label, '')), topic.id LIMIT $exampleTopics
      RETURN collect("""
    + "{topic_row}"
    + """) AS exampleTopics
    }
"""
)
# Where no example is asked for, none is looked up: the network page draws links by their
# counts, and asks for the one chosen link's examples on its own.
_NO_EXAMPLES: LiteralString = (
    "    WITH *, [] AS exampleProjects, [] AS examplePeople, [] AS exampleTopics\n"
)

# A described pair's row; {projects} and {people} are its counts.
_PAIR_ROW: LiteralString = (
    """
    RETURN [organisation IN [a, b] | """
    + "{organisation_row}"
    + """] AS organisations,
      CASE WHEN a.sector IS NULL OR b.sector IS NULL THEN null
           ELSE a.sector <> b.sector END AS crossesSector,
      {projects} AS projectCount,
      {people} AS personCount,
      size(topics) AS topicCount,
      exampleProjects AS projects,
      examplePeople AS people,
      exampleTopics AS topics
    ORDER BY projectCount + personCount DESC, toLower(a.name), toLower(b.name), a.id, b.id
    """
)

_RANK_AND_DESCRIBE: LiteralString = (
    """
    WITH a, b, collect(DISTINCT project) AS projects, collect(DISTINCT person) AS people
    ORDER BY size(projects) + size(people) DESC, toLower(a.name), toLower(b.name), a.id, b.id
    LIMIT $limit
"""
    + "{topics}{examples}"
    + _PAIR_ROW.replace("{projects}", "size(projects)").replace("{people}", "size(people)")
)
_LIVE_TOPICS: LiteralString = (
    TOPICS_OF.replace("{org}", "a").replace("{topics}", "topicsOfA")
    + TOPICS_OF.replace("{org}", "b").replace("{topics}", "topicsOfB")
    + """
    WITH a, b, projects, people, [t IN topicsOfA WHERE t IN topicsOfB] AS topics
"""
)
_LIVE_EXAMPLES: LiteralString = (
    """
    CALL (projects) {
      UNWIND projects AS project
      WITH project ORDER BY toLower(coalesce(project.title, '')), project.id LIMIT $examples
      RETURN collect("""
    + "{project_row}"
    + """) AS exampleProjects
    }
    CALL (people) {
      UNWIND people AS person
      WITH person WHERE """
    + VISIBLE_PERSON
    + """
      WITH person ORDER BY toLower(coalesce(person.name, '')), person.id LIMIT $examples
      RETURN collect("""
    + "{person_row}"
    + """) AS examplePeople
    }
"""
    + _EXAMPLE_TOPICS
)


# The kept links (``graph.links``), strongest first: every pair, those with a side in the
# system, or those of one organisation (with a side in the system, when one is given too).
# The same ranking, counts and examples as the live statement, without aggregating.
_KEPT_ALL: LiteralString = "MATCH (a:Organisation)-[link:LINKED_WITH]->(b:Organisation)"
# Found from the organisation in a subquery of its own: written as two MATCHes, the planner
# read every kept link of the graph and sorted them before keeping the organisation's.
_KEPT_OF_ORGANISATION: LiteralString = """
    CALL () {
      MATCH (:Organisation {id: $organisation})-[link:LINKED_WITH]-()
      RETURN link
    }
    MATCH (a:Organisation)-[link]->(b:Organisation)
"""
_KEPT_BETWEEN: LiteralString = """
    CALL () {
      MATCH (:Organisation {id: $organisation})-[link:LINKED_WITH]-(:Organisation {id: $other})
      RETURN link
    }
    MATCH (a:Organisation)-[link]->(b:Organisation)
"""
_KEPT_IN_SYSTEM: LiteralString = """
    CALL () {
      MATCH (:System {id: $system})<-[s:PART_OF]-(:Organisation)-[link:LINKED_WITH]-()
      WHERE s.retiredAt IS NULL
      RETURN DISTINCT link
    }
    MATCH (a:Organisation)-[link]->(b:Organisation)
"""
_KEPT_DESCRIBED: LiteralString = """
    WITH a, b, link
    ORDER BY link.weight DESC, toLower(a.name), toLower(b.name), a.id, b.id
    LIMIT $limit
{topics}{examples}""" + _PAIR_ROW.replace("{projects}", "link.projects").replace(
    "{people}", "link.people"
)
_KEPT_TOPICS: LiteralString = """
    CALL (a, b) {
      UNWIND [id IN coalesce(a.linkTopics, []) WHERE id IN coalesce(b.linkTopics, [])] AS id
      MATCH (topic:Topic {id: id}) WHERE topic.retiredAt IS NULL
      RETURN collect(topic) AS topics
    }
"""
# Where neither the shared topics' count nor examples are asked for, none is looked up: the
# network's check of which sides are in a system asks for the sides alone.
_NO_TOPICS: LiteralString = "    WITH *, [] AS topics\n"
_KEPT_EXAMPLES: LiteralString = (
    """
    CALL (link) {
      UNWIND range(0, size(link.exampleProjects) - 1) AS i
      MATCH (project:Project {id: link.exampleProjects[i]})
      WITH project ORDER BY i
      RETURN collect("""
    + "{project_row}"
    + """) AS exampleProjects
    }
    CALL (link) {
      WITH CASE WHEN $publicOnly THEN link.examplePublicPeople ELSE link.examplePeople END
           AS ids
      UNWIND range(0, size(ids) - 1) AS i
      MATCH (person:Person {id: ids[i]})
      WITH person ORDER BY i
      RETURN collect("""
    + "{person_row}"
    + """) AS examplePeople
    }
"""
    + _EXAMPLE_TOPICS
)


@dataclass(frozen=True)
class _Shape:
    """What a links statement is built for: which arguments are given (``organisation``,
    ``other``, ``system``, ``topic``), whether it works the links out on the spot (``live``)
    and whether it looks up examples and shared topics."""

    organisation: bool
    other: bool
    system: bool
    topic: bool
    live: bool
    examples: bool
    topics: bool


@lru_cache(maxsize=STATEMENTS_KEPT)
def _statement(shape: _Shape, projections: Projections) -> LiteralString:
    """The statement for ``shape`` and the fields ``projections`` returns of each kind, from
    the fixed fragments above and the field tables only.

    Without a topic, the kept links are read (``graph.links``); through a topic, the links
    are worked out on the spot, from the organisation or the system when given.
    """
    return (
        _pairs(shape)
        .replace("{project_row}", projections.of(PROJECT))
        .replace("{person_row}", projections.of(PERSON))
        .replace("{organisation_row}", projections.of(ORGANISATION))
        .replace("{topic_row}", projections.of(TOPIC))
    )


def _where(*conditions: LiteralString) -> LiteralString:
    """The conditions that apply, as one WHERE (nothing when none does)."""
    given = [condition for condition in conditions if condition]
    return "    WHERE " + "\n      AND ".join(given) + "\n" if given else ""


def _pairs(shape: _Shape) -> LiteralString:
    in_system: LiteralString = _IN_SYSTEM if shape.system else ""
    examples: LiteralString
    if not shape.topic and not shape.live:
        examples = _KEPT_EXAMPLES if shape.examples else _NO_EXAMPLES
        kept = _KEPT_DESCRIBED.replace("{examples}", examples).replace(
            "{topics}", _KEPT_TOPICS if shape.topics else _NO_TOPICS
        )
        if shape.organisation:
            anchor = _KEPT_BETWEEN if shape.other else _KEPT_OF_ORGANISATION
            return anchor + _where(in_system) + kept
        return (_KEPT_IN_SYSTEM if shape.system else _KEPT_ALL) + kept
    on_topic: LiteralString = (
        "AND " + about_topic("project", "Project").condition if shape.topic else ""
    )
    colleagues = "" if shape.topic else COLLEAGUES
    if shape.organisation or shape.system:
        anchor = _ANCHORS["organisation" if shape.organisation else "system"]
        pairs = anchor + PAIRS_FROM_A.replace("{colleagues}", colleagues)
    else:
        pairs = _ALL_PAIRS.replace("{colleagues}", "" if shape.topic else _ALL_COLLEAGUES)
    pairs = pairs.replace("{live}", LIVE_PROJECT_LINK).replace("{topic}", on_topic)
    # From one organisation, a system's other side may be anywhere, and the other
    # organisation asked for may be either side: check them after pairing.
    narrow = _where(
        in_system if shape.organisation else "",
        _WITH_OTHER if shape.organisation and shape.other else "",
    )
    examples = _LIVE_EXAMPLES if shape.examples else _NO_EXAMPLES
    described = (
        _RANK_AND_DESCRIBE.replace("{topics}", _LIVE_TOPICS if shape.topics else _NO_TOPICS)
        .replace("{shared_topic}", _SHARED_ON_TOPIC if shape.topic else "")
        .replace("{examples}", examples)
    )
    return pairs + narrow + described


async def cross_boundary_links(
    graph: Graph,
    *,
    system: str | None,
    organisation: str | None,
    public_only: bool,
    limit: int,
    topic: str | None = None,
    other: str | None = None,
    live: bool = False,
    examples: bool = True,
    topics: bool = True,
    projections: Projections = WHOLE,
) -> list[dict[str, Any]]:
    """The strongest links first (shared projects plus people across), ``limit`` of them.

    ``system`` keeps links with at least one side in that system; ``organisation`` keeps the
    links of that organisation, and ``other`` (with ``organisation``) its link with that one
    only; ``topic`` keeps the shared projects about that topic (or a narrower one), and
    people linking through them. The statement starts from the organisation or the system's
    organisations when given, so it reads their links only.
    Examples are the first few by name; counts cover everything. ``live`` works the links
    out on the spot even where the kept ones would be read (to check they agree). Without
    ``examples``, every example list is empty and none is looked up; without ``topics``, no
    shared topic is either (their count is 0, their examples empty).
    ``projections``: the fields returned of the pair's organisations and of the examples.
    """
    parameters = {
        "system": system,
        "organisation": organisation,
        "other": other,
        "publicOnly": public_only,
        "limit": limit,
        "examples": EXAMPLES,
        "exampleTopics": EXAMPLES + 2,
        **topic_parameters(topic),
    }
    shape = _Shape(
        organisation=organisation is not None,
        other=other is not None,
        system=system is not None,
        topic=parameters["topic"] is not None,
        live=live,
        examples=examples,
        topics=topics,
    )
    statement = _statement(shape, projections)
    return await graph.read(statement, parameters)
