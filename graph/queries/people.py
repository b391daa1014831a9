"""People: filtered pages, and their organisations, projects and interests.

Every query takes ``public_only``: anonymous callers see only people who agreed to be listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.batch import ROLE, SIZED, Related
from graph.queries.common import OF_KINDS, VISIBLE_PERSON, Cursor, Page, page_parameters, to_page
from graph.queries.fields import ORGANISATION, PERSON, PROJECT, TOPIC
from graph.queries.filters import Listing, Narrowing, Order
from graph.queries.ordering import moment_key, text_key
from graph.queries.topics import (
    ANY_TOPIC_IS_ROOT,
    TOPIC_IS_ROOT,
    any_topic_parameters,
    kept_within,
    topic_parameters,
    within,
)


@dataclass(frozen=True)
class PersonFilter:
    """Every field narrows the list; ``offers`` keeps people offering any of those."""

    topic: str | None = None
    organisation: str | None = None
    system: str | None = None
    offers: tuple[str, ...] = field(default_factory=tuple)
    topics: tuple[str, ...] = ()
    """Any of these topics (ids or labels), narrower ones too."""
    organisations: tuple[str, ...] = ()
    updated_since: datetime | None = None
    """Changed at or after this moment, in what the caller may see of them (``CHANGED``)."""
    kinds: tuple[str, ...] = field(default_factory=tuple)
    """Only people who consented to showing their kind match: see ``OF_KINDS``."""

    def parameters(self) -> dict[str, Any]:
        return {
            **topic_parameters(self.topic),
            **any_topic_parameters(self.topics),
            "organisations": list(self.organisations) or None,
            "updatedSince": self.updated_since,
            "organisation": self.organisation,
            "system": self.system,
            "offers": list(self.offers) or None,
            "kinds": list(self.kinds) or None,
        }


_LIVE_PATH: LiteralString = (
    "all(step IN nodes(path) WHERE step.retiredAt IS NULL) "
    "AND all(hop IN relationships(path) WHERE hop.retiredAt IS NULL)"
)


def works_on_topic(root: LiteralString) -> Narrowing:
    """People interested in a topic ``root`` matches or working on a project about it (or
    about a narrower topic); as a start, from the topic down to those people."""
    condition: LiteralString = (
        "(EXISTS { MATCH path = (person)-[:INTERESTED_IN]->(:Topic)-[:BROADER*0..5]->"
        "(root:Topic) WHERE "
        + root
        + " AND "
        + _LIVE_PATH
        + " } OR EXISTS { MATCH path = (person)-[:WORKS_ON]->(:Project)-[:ABOUT]->(:Topic)"
        "-[:BROADER*0..5]->(root:Topic) WHERE " + root + " AND " + _LIVE_PATH + " })"
    )
    anchor: LiteralString = (
        "MATCH (root:Topic) WHERE "
        + root
        + "\nCALL (root) {\n"
        + "  MATCH path = (person:Person)-[:INTERESTED_IN]->(:Topic)-[:BROADER*0..5]->(root)"
        + " WHERE "
        + _LIVE_PATH
        + " RETURN person\n  UNION\n"
        + "  MATCH path = (person:Person)-[:WORKS_ON]->(:Project)-[:ABOUT]->(:Topic)"
        + "-[:BROADER*0..5]->(root) WHERE "
        + _LIVE_PATH
        + " RETURN person\n}\nWITH DISTINCT person"
    )
    return Narrowing(condition=condition, anchor=anchor)


# When a person last changed in what the caller may see: anonymous callers, who see only
# name, role and organisations, get ``publicChangedAt`` (set only when one of those, or the
# person's agreement to be listed, changed), so their order and ``updatedSince`` never tell
# when someone's personal data changed.
CHANGED: LiteralString = (
    "(CASE WHEN $publicOnly THEN person.publicChangedAt ELSE person.changedAt END)"
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
        "organisations": Narrowing(
            condition="EXISTS { MATCH (person)-[w:WORKS_FOR]->(o:Organisation) "
            "WHERE o.id IN $organisations AND w.retiredAt IS NULL AND o.retiredAt IS NULL }",
            anchor="MATCH (o:Organisation) WHERE o.id IN $organisations AND o.retiredAt IS NULL "
            "MATCH (o)<-[w:WORKS_FOR]-(person:Person) WHERE w.retiredAt IS NULL "
            "WITH DISTINCT person",
        ),
        "topic": works_on_topic(TOPIC_IS_ROOT),
        "topics": works_on_topic(ANY_TOPIC_IS_ROOT),
        "system": Narrowing(
            condition="EXISTS { MATCH (person)-[w:WORKS_FOR]->(o:Organisation)"
            "-[s:PART_OF]->(:System {id: $system}) WHERE w.retiredAt IS NULL "
            "AND o.retiredAt IS NULL AND s.retiredAt IS NULL }",
            anchor="MATCH (:System {id: $system})<-[s:PART_OF]-(o:Organisation)"
            "<-[w:WORKS_FOR]-(person:Person) WHERE s.retiredAt IS NULL AND o.retiredAt IS NULL "
            "AND w.retiredAt IS NULL WITH DISTINCT person",
        ),
        "offers": Narrowing("any(o IN coalesce(person.offers, []) WHERE o IN $offers)"),
        "updatedSince": Narrowing(CHANGED + " >= $updatedSince"),
        "kinds": Narrowing(OF_KINDS),
    },
)

# The orders ``people`` offers besides the default (name, ascending). Names are never hidden
# from a caller who may list the person (anonymous callers list only people who agreed), and
# the moment is the one the caller may see (``CHANGED``).
ORDERS = {
    "NAME": text_key("NAME", "person.name"),
    "LAST_UPDATED": moment_key("LAST_UPDATED", CHANGED),
}


async def person_page(
    graph: Graph,
    where: PersonFilter,
    *,
    public_only: bool,
    first: int,
    after: Cursor | None,
    order: Order | None = None,
) -> Page:
    """People matching ``where``, by name (or ``order``) then id."""
    parameters = {**where.parameters(), "publicOnly": public_only, **page_parameters(after, first)}
    statement = LISTING.page(parameters, PERSON.row, after=after is not None, order=order)
    return to_page(await graph.read(statement, parameters), first, order.tag if order else "")


TOPIC_PEOPLE: LiteralString = "COLLECT { " + within(LISTING.match({"topic": ""}), "person") + " }"
"""The people ``LISTING`` keeps for the topic bound to ``topic`` (``KEPT_WITHIN`` counts them),
for ``$publicOnly`` callers or not."""


async def person_count(graph: Graph, where: PersonFilter, *, public_only: bool) -> int:
    """How many people ``where`` keeps: for a topic alone, as kept on it."""
    parameters = {**where.parameters(), "publicOnly": public_only}
    if LISTING.alone(parameters) == "topic":
        kept = await kept_within(graph, "people", parameters, public_only=public_only)
        if kept is not None:
            return kept
    rows = await graph.read(LISTING.count(parameters), parameters)
    return rows[0]["n"]


# What hangs off each person, batched for the loaders (``graph.queries.batch``).
ORGANISATIONS = Related("organisations", PERSON, "-[r:WORKS_FOR]->", ORGANISATION)
PROJECTS = Related("projects", PERSON, "-[r:WORKS_ON]->", PROJECT, edge=ROLE, limit=SIZED)
INTERESTS = Related("interests", PERSON, "-[r:INTERESTED_IN]->", TOPIC)
