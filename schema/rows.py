"""The API's entity objects from graph rows, and the row keys each of their fields reads.

Both are derived from the entity's field table (``graph.queries.fields``) and its strawberry
type. A field reads the key of its own GraphQL name, if the table has one, and every key whose
``read_by`` names it; a field with no resolver is filled from its key when an object is made.
A field with no resolver and no key is an error at import: a field the table lacks cannot
quietly read as null, nor make a read fall back to whole rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any, Generic, TypeVar

from strawberry.types import get_object_definition
from strawberry.types.base import StrawberryList, StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.private import is_private
from strawberry.utils.str_converters import to_camel_case

from graph.queries.common import Row
from graph.queries.fields import Entity, parse_moment
from schema.enums import stored

T = TypeVar("T")
Read = Callable[[Any], Any]


def strings(value: Any) -> list[str]:
    """A stored list as strings ([] for none)."""
    if not value:  # most optional lists: no comprehension to run
        return []
    return [str(item) for item in value]


def _text(value: Any) -> str:
    return value or ""


def _reader(kind: object, where: str) -> Read | None:
    """How a stored value becomes a field's value of type ``kind``; None: as it is."""
    optional = isinstance(kind, StrawberryOptional)
    inner = kind.of_type if isinstance(kind, StrawberryOptional) else kind
    if isinstance(inner, StrawberryEnumDefinition):
        return partial(stored, inner.wrapped_cls)
    if isinstance(inner, StrawberryList) and inner.of_type is str:
        return strings
    if inner is datetime:
        return parse_moment
    if optional:
        return None
    if inner is str:
        return _text
    if inner is bool:
        return bool
    raise TypeError(f"{where}: no rule reads a stored value as {inner!r}; make it optional")


class Rows(Generic[T]):
    """How one strawberry type is made from rows of one entity, and what its fields read."""

    def __init__(self, kind: type[T], entity: Entity) -> None:
        self.kind = kind
        self.entity = entity
        self.needs: dict[str, frozenset[str]] = {"__typename": frozenset()}
        """The row keys each GraphQL field reads, by the field's name."""
        self.plain: list[tuple[str, str, Read | None]] = []
        """Fields filled from the row: Python name, row key, how its value is read."""
        for field in get_object_definition(kind, strict=True).fields:
            resolved = field.base_resolver is not None
            if not resolved and is_private(field.type):
                continue
            name = field.graphql_name or to_camel_case(field.python_name)
            self.needs[name] = frozenset(
                f.key for f in entity.fields if name == f.key or name in f.read_by
            )
            if resolved or name == "id":
                continue
            where = f"{kind.__name__}.{field.python_name}"
            if name not in entity.keys:
                raise TypeError(
                    f"{where}: no key {name!r} in the {entity.label} field table "
                    "(graph/queries/fields.py)"
                )
            self.plain.append((field.python_name, name, _reader(field.type, where)))
        unknown = {name for f in entity.fields for name in f.read_by} - self.needs.keys()
        if unknown:
            raise TypeError(f"{kind.__name__} has no field {sorted(unknown)} that read_by names")

    def make(self, row: Row, /, **private: Any) -> T:
        """The object for ``row`` (``private``: its strawberry.Private fields, if any)."""
        values = {
            name: row.get(key) if read is None else read(row.get(key))
            for name, key, read in self.plain
        }
        return self.kind(id=row["id"], **values, **private)

    def keys(self, fields: Iterable[str]) -> frozenset[str] | None:
        """The row keys that the GraphQL fields named read; None (every key) for a name this
        type does not have."""
        keys: set[str] = set()
        for name in fields:
            needed = self.needs.get(name)
            if needed is None:
                return None
            keys.update(needed)
        return frozenset(keys)
