"""What the graph keeps worked out from its records, refreshed after the pulls that change them:
the links between organisations (``graph.links``) and how much uses each topic
(``graph.usage``)."""

from __future__ import annotations

from collections.abc import Iterable

from graph.database import Graph
from graph.links import refresh_links_of
from graph.usage import recount_topic_usage


async def refresh_kept(
    graph: Graph, changed_entities: Iterable[str], *, records_changed: bool
) -> None:
    """Refresh what pulls may have changed: the links of the organisations their changed
    organisations, people and projects touch, and (if they wrote or retired any record)
    every topic's usage."""
    await refresh_links_of(graph, changed_entities)
    if records_changed:
        await recount_topic_usage(graph)
