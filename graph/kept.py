"""What the graph keeps worked out from its records, refreshed after the pulls that change them:
the links between organisations (``graph.links``), counts such as each topic's usage
(``graph.counts``) and the impact figures kept per system (``graph.impact.kept``)."""

from __future__ import annotations

from collections.abc import Iterable

from graph.counts import recount
from graph.database import Graph
from graph.impact.kept import recount_tallies
from graph.links import refresh_links_of


async def refresh_kept(
    graph: Graph, changed_entities: Iterable[str], *, recount_needed: bool
) -> None:
    """Refresh what pulls may have changed: the links of the organisations their changed
    organisations, people and projects touch, and (``recount_needed``: they wrote or retired
    records, or the vocabulary changed) the kept counts and impact figures."""
    await refresh_links_of(graph, changed_entities)
    if recount_needed:
        await recount(graph)
        await recount_tallies(graph)
