"""``orderBy`` and the range and any-of filters of ``projects``, ``resources`` and ``people``.

An order other than a list's default is named in its cursors, so a cursor is only ever read
under the order that made it (``schema/pagination.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import TypeVar

import strawberry

from graph.queries.filters import Order, SortKey
from graph.queries.ordering import MAX_VALUES
from schema.errors import UserError

E = TypeVar("E")


@strawberry.enum(description="Which way a list is sorted.")
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.enum(description="What projects and resources can be sorted by.")
class OrderField(Enum):
    TITLE = "TITLE"
    START_DATE = strawberry.enum_value(
        "START_DATE",
        description="A project's start date; a resource's start (events) or publication day. "
        "Those without one come last either way.",
    )
    LAST_UPDATED = strawberry.enum_value(
        "LAST_UPDATED", description="When this hub last changed it (`changedAt`)."
    )


@strawberry.enum(description="What people can be sorted by.")
class PersonOrderField(Enum):
    NAME = "NAME"
    LAST_UPDATED = strawberry.enum_value(
        "LAST_UPDATED",
        description="When this hub last changed what the caller may see of them: for "
        "anonymous callers only a change of name, role or agreement to be listed counts.",
    )


@strawberry.input(description="How to sort projects or resources; ties are broken by id.")
class Ordering:
    field: OrderField = OrderField.TITLE
    direction: SortDirection = SortDirection.ASC


@strawberry.input(description="How to sort people; ties are broken by id.")
class PersonOrdering:
    field: PersonOrderField = PersonOrderField.NAME
    direction: SortDirection = SortDirection.ASC


@strawberry.input(description="Days from `from` to `to`, both included; either may be left out.")
class DateRange:
    from_: date | None = strawberry.field(default=None, name="from")
    to: date | None = None


def graph_order(
    given: Ordering | PersonOrdering | None, keys: Mapping[str, SortKey], default: str
) -> Order | None:
    """The graph's order for ``orderBy``; None for the list's default (``default`` ascending),
    so its cursors stay those of a list asked for without ``orderBy``."""
    if given is None:
        return None
    descending = given.direction is SortDirection.DESC
    if given.field.value == default and not descending:
        return None
    return Order(keys[given.field.value], descending)


def order_tag(order: Order | None) -> str:
    return order.tag if order is not None else ""


def date_range(given: DateRange | None, argument: str) -> tuple[date | None, date | None]:
    """Both ends of a range, refused when ``from`` is after ``to``."""
    if given is None:
        return None, None
    if given.from_ and given.to and given.from_ > given.to:
        raise UserError(f"`{argument}`: `from` ({given.from_}) is after `to` ({given.to}).")
    return given.from_, given.to


def any_of(values: Sequence[E] | None, argument: str) -> tuple[E, ...]:
    """The values of an any-of filter, at most ``MAX_VALUES``; an empty list is refused
    (it would match nothing, which is never what was meant)."""
    if values is None:
        return ()
    if not values:
        raise UserError(f"`{argument}` is empty: leave it out, or give at least one value.")
    if len(values) > MAX_VALUES:
        raise UserError(f"`{argument}` takes at most {MAX_VALUES} values (got {len(values)}).")
    return tuple(dict.fromkeys(values))


def moment(value: datetime | None) -> datetime | None:
    """A moment to compare with stored ones: one without an offset is read as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
