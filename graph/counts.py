"""Counts the graph keeps as ingestion changes what they count: each topic's usage and what
its filter lists (narrower topics included), each system's live projects, and the whole
library's facets; and beside them, lists cut short the same way: each topic's first page of
projects and of resources (``Head``), the candidates a search naming it takes from the work
tagged with it, and the head of its who-else ranking.

A topic's usage (its live projects and resources, the people interested in it) is asked for
every topic a page lists: the network's topic choices ask it of a hundred topics, and counted
on the spot that walks nearly every project of the region per request. A topic's page shows
how many projects, people and resources its filter lists, each a walk down every narrower
topic. A system's page shows how many projects it has, a walk over all of them; the library
opens on the facets of every resource. So these counts are kept (on the nodes they count;
the facets as the JSON of their statement's row), counted again after every pull that wrote
or retired records or changed the vocabulary, with the very statements the live counts use:
both give the same answers, and the test suite checks they do through changes.

A node no recount has reached yet (a topic a vocabulary or a pull has just created, a new
system) has no kept counts; reads count on the spot then.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.common import VISIBLE_PERSON
from graph.queries.events import FACET_LIMIT, LIBRARY_FACETS
from graph.queries.matching import KEPT_MOST, KEPT_RANKING, RANKED_UNDER
from graph.queries.people import TOPIC_PEOPLE
from graph.queries.projects import SYSTEM_PROJECTS, TOPIC_PROJECTS, TOPIC_PROJECTS_HEAD
from graph.queries.resources import TOPIC_RESOURCES, TOPIC_RESOURCES_HEAD
from graph.queries.search import KEPT_TAGGED, tagged_within
from graph.queries.topics import KEPT_HEAD, KEPT_USAGE, KEPT_WITHIN, USAGE
from graph.version import bump_version


@dataclass(frozen=True)
class KeptCounts:
    """Counts kept on every node of one label: each property with the expression (over the
    node bound to ``variable``, and the ``walks`` bound before them) that counts it."""

    label: LiteralString
    variable: LiteralString
    counts: Mapping[LiteralString, LiteralString]
    walks: Mapping[LiteralString, LiteralString] = field(default_factory=dict)
    """Lists bound per node first (name: expression), for counts that share one walk."""

    @cached_property
    def ids(self) -> LiteralString:
        """Every node's id."""
        return "MATCH (n:" + self.label + ") RETURN n.id AS id ORDER BY id"

    @cached_property
    def recount(self) -> LiteralString:
        """The counts of the nodes with the ids ``$ids``, worked out again; how many of those
        nodes' counts changed."""
        v = self.variable
        names = ", ".join(self.counts)
        walked = "".join(
            "\nWITH " + v + ", " + expression + " AS " + name
            for name, expression in self.walks.items()
        )
        counted = ", ".join(expression + " AS " + name for name, expression in self.counts.items())
        same = " AND ".join(v + "." + name + " = " + name for name in self.counts)
        store = ", ".join(v + "." + name + " = " + name for name in self.counts)
        return (
            "UNWIND $ids AS id MATCH (" + v + ":" + self.label + " {id: id})" + walked
            + "\nWITH " + v + ", " + counted
            + "\nWITH " + v + ", " + names + ", coalesce(" + same + ", false) AS same"
            + "\nSET " + store
            + "\nRETURN count(CASE WHEN same THEN null ELSE 1 END) AS changed"
        )  # fmt: skip

    @cached_property
    def uncounted(self) -> LiteralString:
        """Whether any node lacks one of its kept counts (one no recount has reached, or one
        from before a count was kept)."""
        v = self.variable
        missing = " OR ".join(v + "." + name + " IS NULL" for name in self.counts)
        return (
            "RETURN EXISTS { MATCH (" + v + ":" + self.label + ") WHERE "
            + missing + " } AS any"
        )  # fmt: skip


TOPIC_USAGE = KeptCounts(
    "Topic",
    "topic",
    {
        name: USAGE[count].replace("$publicOnly", "true" if public_only else "false")
        for (count, public_only), name in KEPT_USAGE.items()
    },
)
# The people under a topic are walked once for both counts: everyone, and those listed.
# Each other count walks on its own rather than from a list per kind: a batch's topics would
# hold those lists all at once, which outgrew a transaction's memory at 100,000 projects.
TOPIC_WITHIN = KeptCounts(
    "Topic",
    "topic",
    {
        KEPT_WITHIN["projects", False]: TOPIC_PROJECTS,
        KEPT_WITHIN["resources", False]: TOPIC_RESOURCES,
        KEPT_HEAD["projects"]: TOPIC_PROJECTS_HEAD,
        KEPT_HEAD["resources"]: TOPIC_RESOURCES_HEAD,
        **{KEPT_TAGGED[kind]: tagged_within(kind) for kind in KEPT_TAGGED},
        KEPT_WITHIN["people", False]: "size(people)",
        KEPT_WITHIN["people", True]: "size([person IN people WHERE "
        + VISIBLE_PERSON.replace("$publicOnly", "true")
        + "])",
    },
    walks={"people": TOPIC_PEOPLE.replace("$publicOnly", "false")},
)
# Who else works on a topic: the head of its ranking, for everyone and for those listed.
TOPIC_RANKING = KeptCounts(
    "Topic",
    "keptTopic",
    {
        KEPT_RANKING[False]: "[person IN ranked | person.id][.." + str(KEPT_MOST) + "]",
        KEPT_RANKING[True]: "[person IN ranked WHERE "
        + VISIBLE_PERSON.replace("$publicOnly", "true")
        + " | person.id][.."
        + str(KEPT_MOST)
        + "]",
    },
    walks={"ranked": RANKED_UNDER.replace("{topic}", "keptTopic")},
)
PROJECTS_OF_SYSTEMS = KeptCounts("System", "system", {"projectCount": SYSTEM_PROJECTS})
KEPT: tuple[KeptCounts, ...] = (TOPIC_USAGE, TOPIC_WITHIN, TOPIC_RANKING, PROJECTS_OF_SYSTEMS)

RECOUNT_BATCH = 8
"""Nodes whose counts one transaction works out: what the walks hold for a broad topic (its
people, its ranked people) is held for a few topics at a time, not for all of them."""

KEEP_FACETS: LiteralString = """
MERGE (kept:KeptFacets {id: 'library'})
WITH kept, coalesce(kept.facets = $facets, false) AS same
SET kept.facets = $facets
RETURN same
"""
FACETS_KEPT: LiteralString = "RETURN EXISTS { MATCH (:KeptFacets {id: 'library'}) } AS any"
UNORDERED = frozenset({"kinds", "modules", "modes"})
"""The facets' lists collected in no particular order."""


def _canonical(facets: Mapping[str, Any]) -> str:
    """The facets as JSON that is the same text whenever they are the same (the statement
    collects some lists in no particular order; reads sort them)."""
    return json.dumps(
        {
            key: sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
            if key in UNORDERED
            else value
            for key, value in facets.items()
        },
        sort_keys=True,
    )


async def recount(graph: Graph) -> int:
    """Work every kept count out again; how many changed (each node's counts, and the
    library's facets, as one). A change moves the graph's version, so cached answers that
    showed the old counts are not served again.

    Every node, not only those of the records a pull changed: a record that drops a topic
    loses its link to it outright (``graph.ingest.statements.PRUNE``), so afterwards nothing
    leads from the record to the topic whose count fell. One pass over the links each count
    walks costs about what one request counting on the spot did, once per changing pull; what
    a topic's filter lists costs one such request per topic (each walks its narrower topics),
    paid by the pull rather than by every uncached topic page.
    """
    changed = 0
    for kept in KEPT:
        ids = [row["id"] for row in await graph.read(kept.ids)]
        for start in range(0, len(ids), RECOUNT_BATCH):
            rows = await graph.write(kept.recount, {"ids": ids[start : start + RECOUNT_BATCH]})
            changed += rows[0]["changed"] if rows else 0
    (facets,) = await graph.read(LIBRARY_FACETS, {"facetLimit": FACET_LIMIT})
    stored = await graph.write(KEEP_FACETS, {"facets": _canonical(facets)})
    changed += 0 if stored[0]["same"] else 1
    if changed:
        await bump_version(graph)
    return changed


async def ensure_counted(graph: Graph) -> bool:
    """Count for a graph with nodes no recount has reached (one from before kept counts, or
    whose last recount failed); True if it had to. Safe from every hub at start."""
    facets = await graph.read(FACETS_KEPT)
    uncounted = [await graph.read(kept.uncounted) for kept in KEPT]
    if facets[0]["any"] and not any(rows and rows[0]["any"] for rows in uncounted):
        return False
    await recount(graph)
    return True
