"""Counts the graph keeps on its nodes as ingestion changes what they count: each topic's
usage, and each system's live projects.

A topic's usage (its live projects and resources, the people interested in it) is asked for
every topic a page lists: the network's topic choices ask it of a hundred topics, and counted
on the spot that walks nearly every project of the region per request. A system's page shows
how many projects it has, a walk over all of them. So these counts are kept as properties,
counted again after every pull that wrote or retired records, with the very expressions the
live counts use: both give the same answers, and the test suite checks they do through
changes.

A node no recount has reached yet (a topic a vocabulary or a pull has just created, a new
system) has no kept counts; reads count on the spot then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import LiteralString

from graph.database import Graph
from graph.queries.projects import SYSTEM_PROJECTS
from graph.queries.topics import KEPT_USAGE, USAGE
from graph.version import bump_version


@dataclass(frozen=True)
class KeptCounts:
    """Counts kept on every node of one label: each property with the expression (over the
    node bound to ``variable``) that counts it."""

    label: LiteralString
    variable: LiteralString
    counts: Mapping[LiteralString, LiteralString]

    @cached_property
    def recount(self) -> LiteralString:
        """Every node's counts, worked out again; how many nodes' counts changed."""
        v = self.variable
        names = ", ".join(self.counts)
        counted = ", ".join(expression + " AS " + name for name, expression in self.counts.items())
        same = " AND ".join(v + "." + name + " = " + name for name in self.counts)
        store = ", ".join(v + "." + name + " = " + name for name in self.counts)
        return (
            "MATCH (" + v + ":" + self.label + ")\nWITH " + v + ", " + counted
            + "\nWITH " + v + ", " + names + ", coalesce(" + same + ", false) AS same"
            + "\nSET " + store
            + "\nRETURN count(CASE WHEN same THEN null ELSE 1 END) AS changed"
        )  # fmt: skip

    @cached_property
    def uncounted(self) -> LiteralString:
        """Whether any node has no kept counts yet."""
        first = next(iter(self.counts))
        v = self.variable
        return (
            "RETURN EXISTS { MATCH (" + v + ":" + self.label + ") WHERE "
            + v + "." + first + " IS NULL } AS any"
        )  # fmt: skip


TOPIC_USAGE = KeptCounts(
    "Topic",
    "topic",
    {
        name: USAGE[count].replace("$publicOnly", "true" if public_only else "false")
        for (count, public_only), name in KEPT_USAGE.items()
    },
)
PROJECTS_OF_SYSTEMS = KeptCounts("System", "system", {"projectCount": SYSTEM_PROJECTS})
KEPT: tuple[KeptCounts, ...] = (TOPIC_USAGE, PROJECTS_OF_SYSTEMS)


async def recount(graph: Graph) -> int:
    """Work every kept count out again; how many nodes' counts changed. A change moves the
    graph's version, so cached answers that showed the old counts are not served again.

    Every node, not only those of the records a pull changed: a record that drops a topic
    loses its link to it outright (``graph.ingest.statements.PRUNE``), so afterwards nothing
    leads from the record to the topic whose count fell. One pass over the links each count
    walks costs about what one request counting on the spot did, once per changing pull.
    """
    changed = 0
    for kept in KEPT:
        rows = await graph.write(kept.recount)
        changed += rows[0]["changed"] if rows else 0
    if changed:
        await bump_version(graph)
    return changed


async def ensure_counted(graph: Graph) -> bool:
    """Count for a graph with nodes no recount has reached (one from before kept counts, or
    whose last recount failed); True if it had to. Safe from every hub at start."""
    for kept in KEPT:
        rows = await graph.read(kept.uncounted)
        if rows and rows[0]["any"]:
            await recount(graph)
            return True
    return False
