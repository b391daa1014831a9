"""Batched reads for the API's loaders: nodes by id, and the lists that hang off nodes.

Every list (a project's topics, an organisation's people...) has one shape, so each is declared
once as a ``Related`` beside the queries of its owner's kind. ``related_lists`` runs one for a
batch of owners (a loader's batch); a page runs ``Related.subquery`` for its own rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import LiteralString

from graph.database import Graph
from graph.queries.common import Row
from graph.queries.fields import Entity


@dataclass(frozen=True)
class Edge:
    """What a list keeps of the relationships (bound to ``r``) to each item, beside the item."""

    name: LiteralString
    aggregate: LiteralString
    """Per item, over its relationships: ``collect(DISTINCT r.role) AS roles``."""
    value: LiteralString
    """The value kept, from the aggregate: ``head([x IN roles WHERE x IS NOT NULL])``."""


ROLE = Edge("role", "collect(DISTINCT r.role) AS roles", "head([x IN roles WHERE x IS NOT NULL])")
"""A person's role in a project (one of them, when sources give several)."""
LEAD = Edge("lead", "max(CASE type(r) WHEN 'RUN_BY' THEN 1 ELSE 0 END) = 1 AS lead", "lead")
"""Whether the organisation runs the project (else it is a partner)."""

SIZED: LiteralString = "$limit"
"""A list's ``limit`` when callers choose how many items (``first``)."""


@dataclass(frozen=True, eq=False)
class Related:
    """A list of ``item`` nodes hanging off each ``owner`` node, live ones only, ordered by the
    item's sort key then id (after ``sort_first``, when given).

    Each item is the item's row, or ``{<edge>: ..., <item variable>: row}`` with an ``edge``.
    Compared and hashed by identity: each is declared once.
    """

    name: LiteralString
    """The list's column where a statement returns it (``organisations``)."""
    owner: Entity
    path: LiteralString
    """From the owner to the item, the relationship bound to ``r``: ``-[r:ABOUT]->``."""
    item: Entity
    edge: Edge | None = None
    sort_first: LiteralString = ""
    """Sort terms before the item's own, each followed by a comma: ``lead DESC, ``."""
    limit: LiteralString | None = "100"
    """How many items at most: a number, ``SIZED``, or None for all."""
    where: LiteralString = ""
    """More conditions on ``r`` and the item, each starting with AND (the owner is
    ``endNode(r)`` or ``startNode(r)``, as the path points)."""

    def subquery(
        self,
        owner: LiteralString,
        projection: LiteralString | None = None,
        limit: LiteralString | None = None,
    ) -> LiteralString:
        """``CALL (owner) {...}`` binding the list as ``name``, for a statement that binds the
        owner to ``owner``; ``projection`` and ``limit`` replace the defaults when given."""
        item = self.item.variable
        row = projection or self.item.row
        most = limit or self.limit
        conditions: LiteralString = "r.retiredAt IS NULL AND " + item + ".retiredAt IS NULL"
        if self.item.visible:
            conditions += " AND " + self.item.visible
        conditions += self.where
        grouped: LiteralString = "DISTINCT " + item
        collected: LiteralString = row
        if self.edge is not None:
            grouped = item + ", " + self.edge.aggregate
            collected = (
                "{" + self.edge.name + ": " + self.edge.value + ", " + item + ": " + row + "}"
            )
        return (
            "\nCALL ("
            + owner
            + ") {\n  MATCH ("
            + owner
            + ")"
            + self.path
            + "("
            + item
            + ":"
            + self.item.label
            + ")\n  WHERE "
            + conditions
            + "\n  WITH "
            + grouped
            + " ORDER BY "
            + self.sort_first
            + item
            + "."
            + self.item.sort
            + ", "
            + item
            + ".id"
            # Cut before the rows are made: an organisation may have thousands of projects.
            + (" LIMIT " + most if most is not None else "")
            + "\n  RETURN collect("
            + collected
            + ") AS "
            + self.name
            + "\n}\n"
        )

    @cached_property
    def batch(self) -> LiteralString:
        """The list for each of ``$ids``, as rows ``{key, items}``."""
        return (
            "UNWIND $ids AS key MATCH (owner:"
            + self.owner.label
            + " {id: key})"
            + self.subquery("owner")
            + "RETURN key, "
            + self.name
            + " AS items"
        )


async def related_lists(
    graph: Graph,
    related: Related,
    ids: Sequence[str],
    *,
    limit: int | None = None,
    public_only: bool = True,
) -> list[list[Row]]:
    """``related`` for each of ``ids``, in their order ([] where an id has none); ``limit`` is
    the size of a ``SIZED`` list, ``public_only`` as for every read of people."""
    rows = await graph.read(
        related.batch, {"ids": list(ids), "limit": limit, "publicOnly": public_only}
    )
    found = {row["key"]: row["items"] for row in rows}
    return [found.get(key, []) for key in ids]


async def nodes_by_id(
    graph: Graph, entity: Entity, ids: Sequence[str], *, public_only: bool = True
) -> list[Row | None]:
    """The live node of ``entity`` with each of ``ids``, in their order; None where none is, or
    where the caller may not see it (``Entity.visible``)."""
    rows = await graph.read(_by_id(entity), {"ids": list(ids), "publicOnly": public_only})
    found = {row["key"]: row["item"] for row in rows}
    return [found.get(key) for key in ids]


@cache
def _by_id(entity: Entity) -> LiteralString:
    return live_by_id(entity, entity.row)


def live_by_id(
    entity: Entity,
    projection: LiteralString,
    ids: LiteralString = "$ids",
    then: LiteralString = "",
    more: LiteralString = "",
) -> LiteralString:
    """Rows ``key, item``: the live node of ``entity`` (one the caller may see) with each id
    of the list ``ids`` that has one, as ``projection``. ``then`` is read for each node before
    it is returned (subqueries over the entity's variable), and ``more`` adds columns (each
    starting with a comma)."""
    visible: LiteralString = " AND " + entity.visible if entity.visible else ""
    return (
        "UNWIND "
        + ids
        + " AS key MATCH ("
        + entity.variable
        + ":"
        + entity.label
        + " {id: key}) WHERE "
        + entity.variable
        + ".retiredAt IS NULL"
        + visible
        + then
        + " RETURN key, "
        + projection
        + " AS item"
        + more
    )
