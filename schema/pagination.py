"""Relay-style connections with keyset cursors, and the page-size rules every list follows."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

from graph.queries.common import Cursor, Page
from schema.errors import UserError

DEFAULT_PAGE = 20
MAX_PAGE = 100

T = TypeVar("T")


def page_size(first: int | None, argument: str = "first") -> int:
    """The page size asked for, or the default; outside 1..MAX_PAGE is refused, not clipped."""
    if first is None:
        return DEFAULT_PAGE
    if not 1 <= first <= MAX_PAGE:
        raise UserError(f"`{argument}` must be between 1 and {MAX_PAGE} (got {first}).")
    return first


def encode_cursor(cursor: Cursor) -> str:
    """The sort key and id of a row (and the order, unless the list's default) as text."""
    parts = [cursor.key, cursor.id] + ([cursor.order] if cursor.order else [])
    raw = json.dumps(parts, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str | None, order: str = "") -> Cursor | None:
    """The cursor a previous page gave out in the same ``order`` ("" for a list's default);
    anything else is refused with a clear message."""
    if text is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        key, node_id, *rest = json.loads(raw)
        made_in = rest[0] if rest else ""
        if (
            isinstance(key, str | int)
            and not isinstance(key, bool)
            and isinstance(node_id, str)
            and isinstance(made_in, str)
            and len(rest) <= 1
        ):
            cursor = Cursor(key, node_id, made_in)
        else:
            cursor = None
    except (binascii.Error, ValueError, TypeError):
        cursor = None
    if cursor is None:
        raise UserError("`after` is not a cursor from this API: pass the `endCursor` of a page.")
    if cursor.order != order:
        raise UserError(
            "`after` is a cursor of a page in another `orderBy`: pass the `endCursor` of a page "
            "asked for with the same `orderBy`."
        )
    return cursor


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool = strawberry.field(
        description="True when this page was asked for `after` a cursor."
    )
    start_cursor: str | None
    end_cursor: str | None


def _edge_cursor(root: Edge) -> str:
    return encode_cursor(root.position)


@strawberry.type
class Edge(Generic[T]):
    # Encoded only when asked for: most pages ask for ``nodes``, and encoding is a JSON dump
    # and a base64 per edge.
    cursor: str = strawberry.field(resolver=_edge_cursor)
    node: T
    position: strawberry.Private[Cursor]


@strawberry.type(description="One page of a list, with a cursor to ask for the next.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list has (all pages).")
    async def total_count(self) -> int:
        return await self.count()

    @strawberry.field(description="The nodes of this page, for when cursors are not needed.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def connection(
    page: Page,
    make: Callable[[dict], T],
    count: Callable[[], Awaitable[int]],
    *,
    after: Cursor | None,
) -> Connection[T]:
    """A connection from a keyset page; ``count`` runs only if ``totalCount`` is asked for."""
    cursors = page.cursors
    return Connection(
        edges=[Edge(position=c, node=make(i)) for c, i in zip(cursors, page.items, strict=True)],
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=after is not None,
            start_cursor=encode_cursor(cursors[0]) if cursors else None,
            end_cursor=encode_cursor(cursors[-1]) if cursors else None,
        ),
        count=count,
    )
