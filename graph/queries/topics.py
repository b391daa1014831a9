"""Topics: the shared vocabulary, its broader/narrower links, and how much uses each topic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graph.database import Graph
from graph.normalise import topic_key
from graph.queries.batch import Related
from graph.queries.common import Cursor, Page, page_parameters, to_page
from graph.queries.fields import TOPIC
from graph.queries.filters import HEAD_ROWS, Head, Listing, Narrowing

# How far down broader/narrower links a topic filter reaches: 'patient safety' finds work
# tagged 'falls prevention' through at most this many BROADER steps.
NARROWER_DEPTH = 5

# Matches ``root`` against a topic argument: its id, or any spelling the vocabulary knows.
TOPIC_IS_ROOT: LiteralString = "(root.id = $topic OR $topicKey IN root.keys)"
# The same for any of several topic arguments (``$topics``, ``$topicKeys``).
ANY_TOPIC_IS_ROOT: LiteralString = (
    "(root.id IN $topics OR any(givenKey IN $topicKeys WHERE givenKey IN root.keys))"
)


# Names unlikely to shadow a caller's variables (Cypher refuses shadowing in subqueries).
_PATH_IS_LIVE: LiteralString = (
    "all(step IN nodes(path) WHERE step.retiredAt IS NULL) "
    "AND all(hop IN relationships(path) WHERE hop.retiredAt IS NULL)"
)


def about_topic(
    variable: LiteralString, label: LiteralString, root: LiteralString = TOPIC_IS_ROOT
) -> Narrowing:
    """A filter for nodes ABOUT the topic ``$topic`` or a narrower one, live all the way
    (with ``root`` ``ANY_TOPIC_IS_ROOT``: about any of ``$topics``).

    As the start of a statement it finds the topic (a small label) and walks down to the
    nodes, instead of walking up from every node of ``label``.
    """
    path: LiteralString = (
        "(" + variable + ":" + label + ")-[:ABOUT]->(:Topic)-[:BROADER*0..5]->(root"
    )
    return Narrowing(
        condition="EXISTS { MATCH path = "
        + path
        + ":Topic) WHERE "
        + root
        + " AND "
        + _PATH_IS_LIVE
        + " }",
        # The walk sits in a subquery on ``root`` so that it starts there whatever the
        # planner's statistics say (on a small graph it would rather scan ``label``).
        anchor="MATCH (root:Topic) WHERE "
        + root
        + "\nCALL (root) { MATCH path = "
        + path
        + ") WHERE "
        + _PATH_IS_LIVE
        + " RETURN DISTINCT "
        + variable
        + " }\nWITH DISTINCT "
        + variable,
    )


def topic_parameters(topic: str | None) -> dict[str, Any]:
    """The ``$topic``/``$topicKey`` pair a topic filter needs (both None without a topic)."""
    if topic is None or not topic.strip():
        return {"topic": None, "topicKey": None}
    return {"topic": topic.strip(), "topicKey": topic_key(topic)}


def any_topic_parameters(topics: tuple[str, ...]) -> dict[str, Any]:
    """The ``$topics``/``$topicKeys`` pair an any-of topic filter needs (None without one)."""
    given = [t.strip() for t in topics if t.strip()]
    if not given:
        return {"topics": None, "topicKeys": None}
    return {"topics": given, "topicKeys": [topic_key(t) for t in given]}


async def find_topic(graph: Graph, text: str) -> dict[str, Any] | None:
    """The topic with this id, or else the one a label or synonym names (first by id)."""
    rows = await graph.read(
        "MATCH (root:Topic) WHERE root.retiredAt IS NULL AND " + TOPIC_IS_ROOT + " "
        "WITH root AS topic ORDER BY CASE WHEN topic.id = $topic THEN 0 ELSE 1 END, topic.id "
        "RETURN " + TOPIC.row + " AS item LIMIT 1",
        topic_parameters(text),
    )
    return rows[0]["item"] if rows else None


LISTING = Listing(
    variable="topic",
    scan="MATCH (topic:Topic)",
    alive="topic.retiredAt IS NULL",
    sort_key="toLower(coalesce(topic.label, ''))",
    narrowings={"candidates": Narrowing("coalesce(topic.candidate, false) = $candidates")},
)


async def topic_page(
    graph: Graph, *, candidates: bool | None, first: int, after: Cursor | None
) -> Page:
    """Topics by label; ``candidates`` False leaves out labels no vocabulary knows."""
    parameters = {"candidates": candidates, **page_parameters(after, first)}
    statement = LISTING.page(parameters, TOPIC.row, after=after is not None)
    return to_page(await graph.read(statement, parameters), first)


async def topic_count(graph: Graph, *, candidates: bool | None) -> int:
    parameters = {"candidates": candidates}
    rows = await graph.read(LISTING.count(parameters), parameters)
    return rows[0]["n"]


# A topic's broader and narrower topics, all of them.
BROADER = Related("broader", TOPIC, "-[r:BROADER]->", TOPIC, limit=None)
NARROWER = Related("narrower", TOPIC, "<-[r:BROADER]-", TOPIC, limit=None)


# What each count of a topic's usage counts: live items about it, listed people interested.
USAGE: dict[str, LiteralString] = {
    "projects": """COUNT { MATCH (p:Project)-[a:ABOUT]->(topic)
                  WHERE p.retiredAt IS NULL AND a.retiredAt IS NULL RETURN DISTINCT p }""",
    "people": """COUNT { MATCH (p:Person)-[i:INTERESTED_IN]->(topic)
                  WHERE p.retiredAt IS NULL AND i.retiredAt IS NULL
                    AND (NOT $publicOnly OR p.public = true)
                  RETURN DISTINCT p }""",
    "resources": """COUNT { MATCH (r:Resource)-[a:ABOUT]->(topic)
                  WHERE r.retiredAt IS NULL AND a.retiredAt IS NULL RETURN DISTINCT r }""",
}


# The topic property keeping each count of ``USAGE`` (``graph.counts`` recounts them after every
# pull that changes records), by count and whether the caller sees only listed people.
KEPT_USAGE: dict[tuple[str, bool], LiteralString] = {
    ("projects", False): "usageProjects",
    ("resources", False): "usageResources",
    ("people", False): "usagePeople",
    ("people", True): "usagePublicPeople",
}


def kept_usage(count: str, *, public_only: bool) -> LiteralString:
    """The topic property that keeps this count (only people differ by who is asking)."""
    return KEPT_USAGE[count, public_only and count == "people"]


async def topic_usage(
    graph: Graph, ids: Sequence[str], *, public_only: bool
) -> list[dict[str, int]]:
    """Every count of ``USAGE`` for each topic, by count, as kept on it: one statement for all
    of them (a page asks for a topic's projects, people and resources together). A count no
    recount has reached yet is counted on the spot (a walk over all the topic's projects, for
    a busy topic)."""
    kept = [kept_usage(count, public_only=public_only) for count in USAGE]
    rows = await graph.read(
        "UNWIND $ids AS key OPTIONAL MATCH (topic:Topic {id: key}) "
        "RETURN key, topic IS NOT NULL AS found, [name IN $kept | topic[name]] AS counts",
        {"ids": list(ids), "kept": kept},
    )
    found = {row["key"]: dict(zip(USAGE, row["counts"], strict=True)) for row in rows}
    for count in USAGE:
        uncounted = [r["key"] for r in rows if r["found"] and found[r["key"]][count] is None]
        if uncounted:
            counted = await counted_usage(graph, uncounted, count, public_only=public_only)
            for key, n in counted.items():
                found[key][count] = n
    return [{count: found.get(key, {}).get(count) or 0 for count in USAGE} for key in ids]


async def counted_usage(
    graph: Graph, ids: Sequence[str], count: str, *, public_only: bool
) -> dict[str, int]:
    """One of ``USAGE``'s counts for each of these topics, counted on the spot."""
    rows = await graph.read(
        "UNWIND $ids AS key MATCH (topic:Topic {id: key}) RETURN key, " + USAGE[count] + " AS n",
        {"ids": list(ids), "publicOnly": public_only},
    )
    return {row["key"]: row["n"] for row in rows}


# What a listing keeps for a topic filter alone (narrower topics included), kept on the topic
# (``graph.counts``) by count and whether the caller sees only listed people: the topic page's
# counts of projects, people and resources, each a walk down every narrower topic otherwise.
KEPT_WITHIN: dict[tuple[str, bool], LiteralString] = {
    ("projects", False): "projectsWithin",
    ("resources", False): "resourcesWithin",
    ("people", False): "peopleWithin",
    ("people", True): "publicPeopleWithin",
}

KEPT_HEAD: dict[str, LiteralString] = {"projects": "projectsHead", "resources": "resourcesHead"}
"""The topic's properties keeping the first page of what a filter by it alone lists."""


KEPT_OF_ONE_ROOT: LiteralString = (
    "MATCH (root:Topic) WHERE "
    + TOPIC_IS_ROOT
    + """
WITH collect(root) AS roots
WITH CASE WHEN size(roots) = 1 THEN roots[0][$kept] END AS kept
"""
)
"""Binds ``kept``: the property ``$kept`` of the topic ``$topic`` names, when it names exactly
one (else null, as for a topic no recount has reached): what every read of a count or list
kept on a topic starts with."""


def kept_head(listed: str) -> Head:
    """Where a listing of ``listed`` (projects, resources) finds its kept head."""
    return Head(property=KEPT_HEAD[listed], of_one_root=KEPT_OF_ONE_ROOT)


_KEPT_FOR_ONE_ROOT: LiteralString = KEPT_OF_ONE_ROOT + "RETURN kept AS n\n"


def within(match: LiteralString, variable: LiteralString) -> LiteralString:
    """The nodes a listing's MATCH for its topic filter alone (``match``, from
    ``Listing.match``) keeps for the topic bound to ``topic``: the listing's own statement
    with its one root fixed, as a subquery's body returning each node once."""
    return _rooted_at_topic(match) + "RETURN DISTINCT " + variable


def _rooted_at_topic(match: LiteralString) -> LiteralString:
    """A listing's MATCH for its topic filter alone with its root fixed to ``topic``."""
    if TOPIC_IS_ROOT not in match:
        raise ValueError("not the MATCH of a topic filter: no root to fix")
    return match.replace(TOPIC_IS_ROOT, "root = topic")


def counted_within(match: LiteralString, variable: LiteralString) -> LiteralString:
    """How many nodes ``within`` finds, as an expression to keep (``graph.counts``)."""
    return "COUNT { " + within(match, variable) + " }"


def head_within(listing: Listing) -> LiteralString:
    """The ids of the first ``HEAD_ROWS`` nodes ``listing`` keeps for the topic bound to
    ``topic`` alone, in its own order, as an expression to keep (``graph.counts``): the page
    ``Listing.page`` gathers and sorts for the filter, cut to the head."""
    v = listing.variable
    return (
        "COLLECT { "
        + _rooted_at_topic(listing.match({"topic": ""}))
        + "WITH DISTINCT "
        + v
        + " ORDER BY "
        + listing.sort_key
        + ", "
        + v
        + ".id LIMIT "
        + str(HEAD_ROWS)
        + " RETURN "
        + v
        + ".id }"
    )


async def kept_within(
    graph: Graph, count: str, parameters: dict[str, Any], *, public_only: bool = False
) -> int | None:
    """The count ``KEPT_WITHIN`` keeps for the topic ``parameters`` filter by, when they name
    exactly one topic and a recount has reached it; else None (count on the spot)."""
    kept = KEPT_WITHIN[count, public_only and count == "people"]
    rows = await graph.read(_KEPT_FOR_ONE_ROOT, {**parameters, "kept": kept})
    return rows[0]["n"] if rows else None
