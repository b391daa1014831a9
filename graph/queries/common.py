"""What the read queries share: rows, who may be listed, and keyset pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, LiteralString

Row = dict[str, Any]

# Whether a person may be listed: everyone, or (for anonymous callers) only those who agreed.
VISIBLE_PERSON: LiteralString = "(NOT $publicOnly OR person.public = true)"

# A person is of one of ``$kinds`` only where they consented to showing their kind, so a filter
# by kind can never tell a caller what the answer does not show.
OF_KINDS: LiteralString = "(person.kindConsent = true AND person.personKind IN $kinds)"

# Keyset paging: rows after the cursor's (sort key, id), in that order.
AFTER_CURSOR: LiteralString = (
    "($afterKey IS NULL OR sortKey > $afterKey OR (sortKey = $afterKey AND id > $afterId))"
)
# The same for a descending sort key (ties still by id ascending).
AFTER_CURSOR_DESCENDING: LiteralString = (
    "($afterKey IS NULL OR sortKey < $afterKey OR (sortKey = $afterKey AND id > $afterId))"
)


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the sort key and id of its last row, and the order it was made in
    ("" for a list's default order), so a cursor is never read under another order."""

    key: str | int
    id: str
    order: str = ""


@dataclass(frozen=True)
class Page:
    items: list[Row]
    has_next: bool
    cursors: list[Cursor]
    columns: list[Row] = field(default_factory=list)
    """Per item, what else its row returned (lists fetched with the page); else empty."""


def page_parameters(after: Cursor | None, first: int) -> dict[str, Any]:
    """Parameters for a keyset page: one row more than asked, to know whether more follow."""
    return {
        "afterKey": after.key if after else None,
        "afterId": after.id if after else None,
        "limit": first + 1,
    }


def to_page(rows: Sequence[Row], first: int, order: str = "") -> Page:
    """Rows shaped ``{item, sortKey, ...}`` (one extra when more follow) as a page; its
    cursors name ``order`` (the ``SortKey.name`` the rows were sorted by, "" by default)."""
    kept = list(rows[:first])
    return Page(
        items=[row["item"] for row in kept],
        has_next=len(rows) > first,
        cursors=[Cursor(row["sortKey"], row["item"]["id"], order) for row in kept],
        columns=[{k: v for k, v in row.items() if k not in ("item", "sortKey")} for row in kept],
    )
