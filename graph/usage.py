"""How much uses each topic, kept on the topic as ingestion changes it.

A topic's usage (its live projects and resources, the people interested in it) is asked for
every topic a page lists: the network's topic choices ask it of a hundred topics, and counted
on the spot that walks nearly every project of the region per request. So the counts are kept
as properties of each topic, counted again after every pull that wrote or retired records,
with the very expressions the live count uses (``graph.queries.topics.USAGE``): both give the
same answers, and the test suite checks they do through changes.

A topic no recount has reached yet (one a vocabulary or a pull has just created) has no kept
counts; reads count it on the spot then (``graph.queries.topics.topic_usage``).
"""

from __future__ import annotations

from typing import LiteralString

from graph.database import Graph
from graph.queries.topics import KEPT_USAGE, USAGE
from graph.version import bump_version


def _recount() -> LiteralString:
    kept = [
        (USAGE[count].replace("$publicOnly", "true" if public_only else "false"), name)
        for (count, public_only), name in KEPT_USAGE.items()
    ]
    counted = ", ".join(expression + " AS " + name for expression, name in kept)
    names = ", ".join(name for _, name in kept)
    same = " AND ".join("topic." + name + " = " + name for _, name in kept)
    store = ", ".join("topic." + name + " = " + name for _, name in kept)
    return (
        "MATCH (topic:Topic)\nWITH topic, "
        + counted
        + "\nWITH topic, "
        + names
        + ", coalesce("
        + same
        + ", false) AS same\nSET "
        + store
        + "\nRETURN count(CASE WHEN same THEN null ELSE 1 END) AS changed"
    )


RECOUNT: LiteralString = _recount()
"""Every topic's kept counts, worked out again; how many topics' counts changed."""

UNCOUNTED: LiteralString = (
    "RETURN EXISTS { MATCH (topic:Topic) WHERE topic."
    + KEPT_USAGE["projects", False]
    + " IS NULL } AS any"
)


async def recount_topic_usage(graph: Graph) -> int:
    """Count every topic's usage again; how many topics' counts changed. A change moves the
    graph's version, so cached answers that showed the old counts are not served again.

    Every topic, not only those of the records a pull changed: a record that drops a topic
    loses its link to it outright (``graph.ingest.statements.PRUNE``), so afterwards nothing
    leads from the record to the topic whose count fell. One pass over the topics' links
    costs about what one uncounted page of topic choices did, once per changing pull.
    """
    rows = await graph.write(RECOUNT)
    changed = rows[0]["changed"] if rows else 0
    if changed:
        await bump_version(graph)
    return changed


async def ensure_usage_kept(graph: Graph) -> bool:
    """Count usage for a graph with topics no recount has reached (one from before kept
    counts, or whose last recount failed); True if it had to. Safe from every hub at start."""
    rows = await graph.read(UNCOUNTED)
    if not rows or not rows[0]["any"]:
        return False
    await recount_topic_usage(graph)
    return True
