"""Filtered, keyset-paged lists built from only the filters a caller gave.

A filter written ``($x IS NULL OR EXISTS {...})`` hides from the planner which filters are
set, so it scans every node of the label even when an organisation or a topic was given. A
``Listing`` instead writes the statement from the filters given: the first of them that has
an *anchor* (a match that starts from an indexed node, such as the organisation by id) starts
the statement; every other given filter becomes a condition. Only fixed fragments from the
listing's own table go into the Cypher; values always travel as parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, LiteralString

from graph.database import Graph
from graph.queries.common import AFTER_CURSOR, AFTER_CURSOR_DESCENDING, Page, to_page

READS_PER_ROW = 40
"""How many nodes a page in index order reads per row it returns (all of them, so it knows
when they were the last), before it gives up and gathers every match instead: filters
keeping a fortieth of the nodes or more (a system's, a status) are answered from the first
few hundred in order."""

HEAD_ROWS = 101
"""How many nodes a kept ``Head`` holds: the API's largest page, and the row that says more
follow."""


@dataclass(frozen=True)
class Head:
    """The first ``HEAD_ROWS`` nodes a filter by one topic alone lists, in the listing's own
    order, kept on the topic (``graph.counts`` works them out again with the kept counts): a
    first page for that filter reads them in order instead of gathering and sorting everything
    about the topic, which for a broad topic is most of the region."""

    property: LiteralString
    """The topic's property holding the nodes' ids."""
    of_one_root: LiteralString
    """Binds ``kept`` to the property ``$kept`` of the one topic asked for
    (``topics.KEPT_OF_ONE_ROOT``)."""


@dataclass(frozen=True)
class Narrowing:
    """One filter: the condition it puts on the listed node, and perhaps a match to start from.

    ``anchor`` must yield each matching node once, bound to the listing's variable, and check
    everything ``condition`` checks (it replaces the condition when it starts the statement).
    """

    condition: LiteralString
    anchor: LiteralString | None = None
    broad: bool = False
    """Keeps a large share of the nodes (a system's projects): a page in the listing's own
    order reads nodes in that order and checks this condition (``Listing.in_order``), rather
    than starting from the anchor and sorting everything it yields."""


@dataclass(frozen=True)
class SortKey:
    """A key a listing can be ordered by besides its default, as Cypher for each direction.

    A key is a string or an integer, never null: a missing value becomes a sentinel that sorts
    after every value in that direction, so empty values come last both ways and a cursor's
    key always compares.
    """

    name: str
    ascending: LiteralString
    descending: LiteralString


@dataclass(frozen=True)
class Order:
    """A sort key and its direction; ``tag`` names it in cursors."""

    key: SortKey
    descending: bool = False

    @property
    def tag(self) -> str:
        return self.key.name + ("_DESC" if self.descending else "_ASC")

    @property
    def expression(self) -> LiteralString:
        return self.key.descending if self.descending else self.key.ascending


@dataclass(frozen=True)
class Listing:
    """How to list one kind of node: a label scan, its filters (most selective first), a sort."""

    variable: LiteralString
    scan: LiteralString
    """``MATCH (project:Project)``: the start when no filter has an anchor."""
    alive: LiteralString
    """The condition every listed node meets (not retired, visible to the caller)."""
    sort_key: LiteralString
    narrowings: Mapping[str, Narrowing] = field(default_factory=dict)
    """By parameter name, in the order anchors are preferred."""
    text: LiteralString | None = None
    """A full-text CALL yielding the variable; it starts the statement when ``$lucene`` is set."""
    indexed: LiteralString | None = None
    """The label, when ``sort_key`` is a stored property with a range index on it (``sort_key``
    is then ``<variable>.<property>``, never null): pages in that order can read the index in
    order (``in_order``)."""
    head: Head | None = None
    """The first page of a filter by one topic alone, kept on the topic (``from_head``)."""

    def given(self, parameters: Mapping[str, Any]) -> list[str]:
        """The filters set in ``parameters`` (not None), in this listing's order."""
        return [name for name in self.narrowings if parameters.get(name) is not None]

    def alone(self, parameters: Mapping[str, Any]) -> str | None:
        """The one filter set in ``parameters``, when no other is and no full-text search."""
        given = self.given(parameters)
        return given[0] if len(given) == 1 and parameters.get("lucene") is None else None

    def match(self, parameters: Mapping[str, Any]) -> LiteralString:
        """MATCH (or CALL) and WHERE for the filters set in ``parameters``, and no others."""
        given = self.given(parameters)
        anchored = next((n for n in given if self.narrowings[n].anchor is not None), None)
        if self.text is not None and parameters.get("lucene") is not None:
            head, anchored = self.text, None
        elif anchored is not None:
            head = self.narrowings[anchored].anchor or ""
        else:
            head = self.scan
        conditions = [self.alive] + [
            self.narrowings[name].condition for name in given if name != anchored
        ]
        return head + "\nWHERE " + "\n  AND ".join(conditions) + "\n"

    def reads_in_order(self, parameters: Mapping[str, Any]) -> bool:
        """Whether a page in the listing's own order may read the sort key's index in order:
        it has one, no full-text search starts the statement, and every filter given with an
        anchor is broad (so the first nodes in order are likely to pass the others)."""
        return (
            self.indexed is not None
            and parameters.get("lucene") is None
            and all(
                self.narrowings[name].broad or self.narrowings[name].anchor is None
                for name in self.given(parameters)
            )
        )

    def reads_head(self, parameters: Mapping[str, Any], *, after: bool) -> bool:
        """Whether a page may be read from the topic's kept head: the first page, in the
        listing's own order, filtered by one topic alone, no longer than the head."""
        return (
            self.head is not None
            and not after
            and self.alone(parameters) == "topic"
            and parameters["limit"] <= HEAD_ROWS
        )

    def from_head(
        self,
        projection: LiteralString,
        *,
        nested: LiteralString = "",
        columns: LiteralString = "",
    ) -> LiteralString:
        """The first ``$limit`` nodes of the topic's kept head that are still alive, each row
        with ``whole``: whether the head holds every node the topic lists. Exact when it
        returns ``$limit`` rows or the head was whole; with no rows the topic named no one
        topic or no recount has reached it, and ``page`` must answer."""
        assert self.head is not None, "from_head needs a kept head"
        v = self.variable
        return (
            self.head.of_one_root
            + "WITH kept AS head WHERE head IS NOT NULL"
            + "\nUNWIND range(0, size(head) - 1) AS rank\n"
            + self.scan
            + " WHERE "
            + v
            + ".id = head[rank] AND "
            + self.alive
            + "\nWITH "
            + v
            + ", rank, size(head) < $headRows AS whole ORDER BY rank LIMIT $limit"
            + "\nWITH "
            + v
            + ", whole, "
            + self.sort_key
            + " AS sortKey, "
            + v
            + ".id AS id\n"
            + nested
            + "RETURN "
            + projection
            + " AS item, sortKey, whole"
            + columns
            + " ORDER BY sortKey, id"
        )

    def in_order(
        self,
        parameters: Mapping[str, Any],
        projection: LiteralString,
        *,
        nested: LiteralString = "",
        columns: LiteralString = "",
    ) -> LiteralString:
        """The page of ``page`` in the listing's own order, read from the sort key's index:
        the first ``$scan`` nodes after the cursor (``$afterKey`` "" for the first page), then
        the filters, ``$limit`` rows at most, each with ``exhausted``: whether the nodes read
        were all there are. Exact when it returns ``$limit`` rows or the read was exhausted;
        otherwise the filters kept too few of the nodes read and ``page`` must answer.
        """
        assert self.indexed is not None, "in_order needs an indexed sort key"
        v = self.variable
        conditions = [self.alive] + [
            self.narrowings[name].condition for name in self.given(parameters)
        ]
        return (
            "MATCH ("
            + v
            + ":"
            + self.indexed
            + ") WHERE "
            + self.sort_key
            + " >= $afterKey\n  AND ($afterId IS NULL OR "
            + self.sort_key
            + " > $afterKey OR "
            + v
            + ".id > $afterId)\nWITH "
            + v
            + " ORDER BY "
            + self.sort_key
            + ", "
            + v
            + ".id LIMIT $scan\nWITH collect("
            + v
            + ") AS read\nUNWIND read AS "
            + v
            + "\nWITH "
            + v
            + ", size(read) < $scan AS exhausted WHERE "
            + "\n  AND ".join(conditions)
            + "\nWITH "
            + v
            + ", exhausted, "
            + self.sort_key
            + " AS sortKey, "
            + v
            + ".id AS id ORDER BY sortKey, id LIMIT $limit\n"
            + nested
            + "RETURN "
            + projection
            + " AS item, sortKey, exhausted"
            + columns
            + " ORDER BY sortKey, id"
        )

    def page(
        self,
        parameters: Mapping[str, Any],
        projection: LiteralString,
        *,
        after: bool,
        nested: LiteralString = "",
        columns: LiteralString = "",
        order: Order | None = None,
    ) -> LiteralString:
        """One keyset page: rows ``{item, sortKey}`` by sort key then id, ``$limit`` of them.

        ``nested`` (subqueries) runs after ``LIMIT``, so only for the rows of the page, and
        ``columns`` (``, a, b``) returns what it bound beside the item. ``order`` replaces the
        listing's own sort key (ties are still broken by id, ascending).
        """
        sort_key = self.sort_key if order is None else order.expression
        descending = order is not None and order.descending
        direction: LiteralString = " DESC" if descending else ""
        after_cursor = AFTER_CURSOR_DESCENDING if descending else AFTER_CURSOR
        return (
            self.match(parameters)
            + "WITH "
            + self.variable
            + ", "
            + sort_key
            + " AS sortKey, "
            + self.variable
            + ".id AS id\n"
            + ("WHERE " + after_cursor + "\n" if after else "")
            + "WITH "
            + self.variable
            + ", sortKey, id ORDER BY sortKey"
            + direction
            + ", id LIMIT $limit\n"
            + nested
            + "RETURN "
            + projection
            + " AS item, sortKey"
            + columns
            + " ORDER BY sortKey"
            + direction
            + ", id"
        )

    def count(self, parameters: Mapping[str, Any]) -> LiteralString:
        """How many nodes the filters set in ``parameters`` keep, as ``n``."""
        return self.match(parameters) + "RETURN count(DISTINCT " + self.variable + ") AS n"


async def read_page(
    graph: Graph,
    listing: Listing,
    parameters: Mapping[str, Any],
    projection: LiteralString,
    *,
    first: int,
    after: bool,
    order: Order | None = None,
    nested: LiteralString = "",
    columns: LiteralString = "",
) -> Page:
    """One keyset page of ``listing`` (``parameters`` with ``page_parameters``): in its own
    order read from the sort key's index where it may (``Listing.reads_in_order``) and that
    read was exact, else every match gathered and sorted (``Listing.page``). The first page of
    a filter by one topic alone is read from the topic's kept head where that is exact
    (``Listing.from_head``)."""
    if order is None and listing.reads_head(parameters, after=after):
        statement = listing.from_head(projection, nested=nested, columns=columns)
        asked = {**parameters, "headRows": HEAD_ROWS, "kept": listing.head.property}
        rows = await graph.read(statement, asked)
        if len(rows) == parameters["limit"] or (rows and rows[0]["whole"]):
            return to_page([{k: v for k, v in row.items() if k != "whole"} for row in rows], first)
    if order is None and listing.reads_in_order(parameters):
        in_order = {
            **parameters,
            "afterKey": parameters["afterKey"] or "",
            "scan": parameters["limit"] * READS_PER_ROW,
        }
        statement = listing.in_order(parameters, projection, nested=nested, columns=columns)
        rows = await graph.read(statement, in_order)
        if len(rows) == parameters["limit"] or (rows and rows[0]["exhausted"]):
            return to_page(
                [{k: v for k, v in row.items() if k != "exhausted"} for row in rows], first
            )
    statement = listing.page(
        parameters, projection, after=after, nested=nested, columns=columns, order=order
    )
    return to_page(await graph.read(statement, parameters), first, order.tag if order else "")
