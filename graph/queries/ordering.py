"""The sort keys and the range and any-of filters that projects, resources and people share.

Sort keys are built from fixed fragments only. A text key sorts case-insensitively; a date key
as its ISO text (which sorts as the date); a moment as epoch milliseconds. A missing date or
moment sorts last in both directions (see ``SortKey``).
"""

from __future__ import annotations

from typing import LiteralString

from graph.queries.filters import Narrowing, SortKey

LATEST_MILLIS: LiteralString = "9007199254740991"
"""Above every moment a node holds: the ascending sentinel for a missing one."""

MAX_VALUES = 20
"""At most this many values in one any-of filter."""


def text_key(name: str, value: LiteralString) -> SortKey:
    key: LiteralString = "toLower(coalesce(" + value + ", ''))"
    return SortKey(name, key, key)


def date_key(name: str, value: LiteralString) -> SortKey:
    return SortKey(
        name,
        "coalesce(toString(" + value + "), '~')",
        "coalesce(toString(" + value + "), '')",
    )


def moment_key(name: str, value: LiteralString) -> SortKey:
    return SortKey(
        name,
        "coalesce((" + value + ").epochMillis, " + LATEST_MILLIS + ")",
        "coalesce((" + value + ").epochMillis, -1)",
    )


def changed_since(variable: LiteralString) -> Narrowing:
    """Nodes this hub changed at or after ``$updatedSince`` (a peer's bookmark, inclusive, so
    a write that committed in the same instant as the bookmark is pulled again, not lost)."""
    return Narrowing(variable + ".changedAt >= $updatedSince")


def between(value: LiteralString, low: LiteralString, high: LiteralString) -> dict[str, Narrowing]:
    """The two ends of an inclusive range filter on ``value``, each given alone or both."""
    return {
        low: Narrowing(value + " >= $" + low),
        high: Narrowing(value + " <= $" + high),
    }
