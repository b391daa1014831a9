"""DataLoaders: each nested field of a page costs one query for the whole page, not one per row.

A request gets fresh loaders (so nothing is cached between requests), made on first use: one
per kind of node by id, one per list (``graph.queries.batch.Related``) and, for lists bounded
by a ``first`` argument, one per page size, since the size is part of the query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from strawberry.dataloader import DataLoader

from graph.database import Graph
from graph.queries import topics
from graph.queries.batch import Related, nodes_by_id, related_lists
from graph.queries.common import Row
from graph.queries.fields import Entity
from schema.viewer import Viewer


class Loaders:
    """The per-request loaders, by what they load."""

    def __init__(self, graph: Graph, viewer: Viewer) -> None:
        self.graph = graph
        self.viewer = viewer
        self._nodes: dict[Entity, DataLoader[str, Row | None]] = {}
        self._lists: dict[tuple[Related, int | None], DataLoader[str, list[Row]]] = {}
        self._usage: DataLoader[str, dict[str, int]] | None = None

    def node(self, entity: Entity) -> DataLoader[str, Row | None]:
        """Nodes of ``entity`` by id (None where there is none the caller may see)."""
        if entity not in self._nodes:
            batch = partial(nodes_by_id, self.graph, entity, public_only=self.viewer.public_only)
            self._nodes[entity] = _loader(batch)
        return self._nodes[entity]

    def related(self, related: Related, first: int | None = None) -> DataLoader[str, list[Row]]:
        """The list ``related`` of each owner by id; ``first`` items each for a sized list."""
        key = (related, first)
        if key not in self._lists:
            batch = partial(
                related_lists,
                self.graph,
                related,
                limit=first,
                public_only=self.viewer.public_only,
            )
            self._lists[key] = _loader(batch)
        return self._lists[key]

    def topic_usage(self) -> DataLoader[str, dict[str, int]]:
        """Each topic's usage (``topics.USAGE``, by count) by topic id."""
        if self._usage is None:
            batch = partial(topics.topic_usage, self.graph, public_only=self.viewer.public_only)
            self._usage = _loader(batch)
        return self._usage


def _loader(batch: Callable[[list[str]], Awaitable[list[Any]]]) -> DataLoader[str, Any]:
    return DataLoader(load_fn=lambda ids: batch(list(ids)))
