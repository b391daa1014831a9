"""People: filtered pages, and their organisations, projects and interests.

Every query takes ``public_only``: anonymous callers see only people who agreed to be listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.batch import ROLE, SIZED, Related
from graph.queries.common import OF_KINDS, VISIBLE_PERSON, Cursor, Page, page_parameters, to_page
from graph.queries.fields import ORGANISATION, PERSON, PROJECT, TOPIC
from graph.queries.filters import Listing, Narrowing
from graph.queries.topics import TOPIC_IS_ROOT, topic_parameters


@dataclass(frozen=True)
class PersonFilter:
    """Every field narrows the list; ``offers`` keeps people offering any of those."""

    topic: str | None = None
    organisation: str | None = None
    system: str | None = None
    offers: tuple[str, ...] = field(default_factory=tuple)
    kinds: tuple[str, ...] = field(default_factory=tuple)
    """Only people who consented to showing their kind match: see ``OF_KINDS``."""

    def parameters(self) -> dict[str, Any]:
        return {
            **topic_parameters(self.topic),
            "organisation": self.organisation,
            "system": self.system,
            "offers": list(self.offers) or None,
            "kinds": list(self.kinds) or None,
        }


# A person works on a topic when they are interested in it or work on a project about it
# (or about a narrower topic).
WORKS_ON_TOPIC: LiteralString = (
    """
    (EXISTS {
        MATCH path = (person)-[:INTERESTED_IN]->(:Topic)-[:BROADER*0..5]->(root:Topic)
        WHERE """
    + TOPIC_IS_ROOT
    + """
          AND all(n IN nodes(path) WHERE n.retiredAt IS NULL)
          AND all(r IN relationships(path) WHERE r.retiredAt IS NULL) }
     OR EXISTS {
        MATCH path = (person)-[:WORKS_ON]->(:Project)-[:ABOUT]->(:Topic)
                     -[:BROADER*0..5]->(root:Topic)
        WHERE """
    + TOPIC_IS_ROOT
    + """
          AND all(n IN nodes(path) WHERE n.retiredAt IS NULL)
          AND all(r IN relationships(path) WHERE r.retiredAt IS NULL) })
"""
)

_LIVE_PATH: LiteralString = (
    "all(step IN nodes(path) WHERE step.retiredAt IS NULL) "
    "AND all(hop IN relationships(path) WHERE hop.retiredAt IS NULL)"
)
LISTING = Listing(
    variable="person",
    scan="MATCH (person:Person)",
    alive="person.retiredAt IS NULL AND " + VISIBLE_PERSON,
    sort_key="toLower(coalesce(person.name, ''))",
    narrowings={
        "organisation": Narrowing(
            condition="EXISTS { MATCH (person)-[w:WORKS_FOR]->(o:Organisation {id: $organisation}) "
            "WHERE w.retiredAt IS NULL AND o.retiredAt IS NULL }",
            anchor="MATCH (o:Organisation {id: $organisation})<-[w:WORKS_FOR]-(person:Person) "
            "WHERE o.retiredAt IS NULL AND w.retiredAt IS NULL WITH DISTINCT person",
        ),
        "topic": Narrowing(
            condition=WORKS_ON_TOPIC,
            # From the topic down to the people interested in it or working on it.
            anchor="MATCH (root:Topic) WHERE "
            + TOPIC_IS_ROOT
            + "\nCALL (root) {\n"
            + "  MATCH path = (person:Person)-[:INTERESTED_IN]->(:Topic)-[:BROADER*0..5]->(root)"
            + " WHERE "
            + _LIVE_PATH
            + " RETURN person\n  UNION\n"
            + "  MATCH path = (person:Person)-[:WORKS_ON]->(:Project)-[:ABOUT]->(:Topic)"
            + "-[:BROADER*0..5]->(root) WHERE "
            + _LIVE_PATH
            + " RETURN person\n}\nWITH DISTINCT person",
        ),
        "system": Narrowing(
            condition="EXISTS { MATCH (person)-[w:WORKS_FOR]->(o:Organisation)"
            "-[s:PART_OF]->(:System {id: $system}) WHERE w.retiredAt IS NULL "
            "AND o.retiredAt IS NULL AND s.retiredAt IS NULL }",
            anchor="MATCH (:System {id: $system})<-[s:PART_OF]-(o:Organisation)"
            "<-[w:WORKS_FOR]-(person:Person) WHERE s.retiredAt IS NULL AND o.retiredAt IS NULL "
            "AND w.retiredAt IS NULL WITH DISTINCT person",
        ),
        "offers": Narrowing("any(o IN coalesce(person.offers, []) WHERE o IN $offers)"),
        "kinds": Narrowing(OF_KINDS),
    },
)


async def person_page(
    graph: Graph, where: PersonFilter, *, public_only: bool, first: int, after: Cursor | None
) -> Page:
    """People matching ``where``, by name then id."""
    parameters = {**where.parameters(), "publicOnly": public_only, **page_parameters(after, first)}
    statement = LISTING.page(parameters, PERSON.row, after=after is not None)
    return to_page(await graph.read(statement, parameters), first)


async def person_count(graph: Graph, where: PersonFilter, *, public_only: bool) -> int:
    parameters = {**where.parameters(), "publicOnly": public_only}
    rows = await graph.read(LISTING.count(parameters), parameters)
    return rows[0]["n"]


# What hangs off each person, batched for the loaders (``graph.queries.batch``).
ORGANISATIONS = Related("organisations", PERSON, "-[r:WORKS_FOR]->", ORGANISATION)
PROJECTS = Related("projects", PERSON, "-[r:WORKS_ON]->", PROJECT, edge=ROLE, limit=SIZED)
INTERESTS = Related("interests", PERSON, "-[r:INTERESTED_IN]->", TOPIC)
