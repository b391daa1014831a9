"""Plain fields read directly (schema/execution.py) give what graphql-core gives, errors too.

Each document runs on two copies of one small schema: with strawberry's execution context and
with ``ConvenerExecutionContext``; data and errors (messages, paths, locations) must match.
No database: the objects are made here.
"""

from __future__ import annotations

import asyncio
import json
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission, PermissionExtension

from schema.api import schema as convener_schema
from schema.execution import ConvenerExecutionContext


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Child:
    id: strawberry.ID
    label: str
    weight: float | None = None


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Tagged(Named):
    tag: str


class Refuse(BasePermission):
    message = "Not for you."

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Item:
    id: strawberry.ID
    name: str
    count: int
    colour: Colour
    tags: list[str]
    maybe: str | None
    child: Child | None
    children: list[Child]
    tagged: Tagged | None = None
    secret: str | None = strawberry.field(
        default="kept back", extensions=[PermissionExtension(permissions=[Refuse()])]
    )

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return f"later {self.id}"


def _items() -> list[Any]:
    items: list[Any] = [
        Item(
            id=strawberry.ID(f"i{n}"),
            name=f"item {n}",
            count=n,
            colour=Colour.RED if n % 2 else Colour.BLUE,
            tags=[f"t{n}", "all"],
            maybe=None if n % 3 else f"m{n}",
            child=Child(id=strawberry.ID(f"c{n}"), label=f"child {n}") if n % 2 else None,
            children=[
                Child(id=strawberry.ID(f"c{n}.{k}"), label=f"{k}", weight=k) for k in range(3)
            ],
            tagged=Tagged(name=f"named {n}", tag="x"),
        )
        for n in range(12)
    ]
    return items


BROKEN: dict[str, Any] = {}


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return _items()

    @strawberry.field
    def maybe_items(self) -> list[Item | None]:
        return _items()

    @strawberry.field
    def broken(self, kind: str) -> list[Item | None]:
        items = _items()
        item = items[3]
        if kind == "null-name":
            item.name = None  # a non-null field with nothing in it
        elif kind == "bad-count":
            item.count = "many"  # a value Int refuses
        elif kind == "null-child-label":
            item.children[1].label = None
        elif kind == "bad-tags":
            item.tags = ["fine", None]
        elif kind == "tags-not-list":
            item.tags = "not a list"
        elif kind == "awaitable-name":

            async def name() -> str:
                return "awaited"

            item.name = name()
        elif kind == "exception-name":
            item.name = ValueError("kept as a value")
        elif kind == "generator-tags":
            item.tags = (tag for tag in ["a", "b"])
        elif kind == "coerced-values":  # not str, but String and ID take them
            item.name, item.id, items[4].name = 5, 44, True
        return items


class Shout(SchemaExtension):
    """A resolve hook: every field goes through it (the shortcut must step aside)."""

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        return _next(root, info, *args, **kwargs)


class Counting(ConvenerExecutionContext):
    """Counts the fields graphql-core executes itself."""

    executed = 0

    def execute_field(self, *args: Any, **kwargs: Any) -> Any:
        Counting.executed += 1
        return super().execute_field(*args, **kwargs)


PLAIN = strawberry.Schema(query=Query, types=[Tagged])
DIRECT = strawberry.Schema(query=Query, types=[Tagged], execution_context_class=Counting)
WITH_HOOK = strawberry.Schema(
    query=Query, types=[Tagged], extensions=[Shout], execution_context_class=Counting
)

FIELDS = """
  id name count colour tags maybe shout later
  child { id label weight __typename }
  children { id label weight }
  tagged { name tag }
"""

DOCUMENTS = [
    ("{ items { " + FIELDS + " } }", None),
    ("{ maybeItems { " + FIELDS + " } }", None),
    ("{ items { __typename first: name again: name id ...F } } fragment F on Item { count }", None),
    (
        "query($yes: Boolean!) { items { id name @include(if: $yes) count @skip(if: $yes) } }",
        {"yes": True},
    ),
    (
        "query($yes: Boolean!) { items { id name @include(if: $yes) count @skip(if: $yes) } }",
        {"yes": False},
    ),
    *[
        ('{ broken(kind: "' + kind + '") { ' + FIELDS + " } }", None)
        for kind in (
            "null-name",
            "bad-count",
            "null-child-label",
            "bad-tags",
            "tags-not-list",
            "awaitable-name",
            "exception-name",
            "generator-tags",
            "coerced-values",
        )
    ],
]


def _errors(result: Any) -> list[dict[str, Any]]:
    return sorted((e.formatted for e in result.errors or []), key=lambda e: str(e.get("path")))


@pytest.mark.parametrize(("document", "variables"), DOCUMENTS)
async def test_direct_reads_answer_as_graphql_core_does(
    document: str, variables: dict[str, Any] | None
) -> None:
    expected = await PLAIN.execute(document, variable_values=variables)
    got = await DIRECT.execute(document, variable_values=variables)
    assert json.dumps(got.data) == json.dumps(expected.data)  # the order of keys too
    assert _errors(got) == _errors(expected)
    if "broken" not in document:
        assert not got.errors
    hooked = await WITH_HOOK.execute(document, variable_values=variables)
    assert json.dumps(hooked.data) == json.dumps(expected.data)
    assert _errors(hooked) == _errors(expected)


async def test_the_broken_values_do_give_errors() -> None:
    """The broken documents exercise the fallback: each has at least one error to match."""
    for document, variables in DOCUMENTS:
        fine = ("awaitable", "generator", "coerced")
        if "broken" in document and not any(kind in document for kind in fine):
            result = await PLAIN.execute(document, variable_values=variables)
            assert result.errors, document


async def test_plain_fields_skip_graphql_cores_field_execution() -> None:
    Counting.executed = 0
    result = await DIRECT.execute("{ items { id name count tags child { id } children { id } } }")
    assert not result.errors and len(result.data["items"]) == 12
    assert Counting.executed == 1  # the root field only; 12 items x 6 fields read directly

    Counting.executed = 0
    await DIRECT.execute("{ items { id shout } }")
    assert Counting.executed == 1 + 12  # the resolver field of each item, the rest directly

    Counting.executed = 0
    await WITH_HOOK.execute("{ items { id name } }")
    assert Counting.executed == 1 + 12 * 2  # a resolve hook sees every field


async def test_a_field_with_a_permission_is_never_read_directly() -> None:
    """A field without a resolver but with a PermissionExtension is not plain: the check runs."""
    expected = await PLAIN.execute("{ items { id secret } }")
    got = await DIRECT.execute("{ items { id secret } }")
    assert len(got.errors or []) == 12 and {e.message for e in got.errors} == {"Not for you."}
    assert all(item["secret"] is None for item in got.data["items"])
    assert json.dumps(got.data) == json.dumps(expected.data)
    assert _errors(got) == _errors(expected)


def test_the_hub_schema_uses_it() -> None:
    assert convener_schema.execution_context_class is ConvenerExecutionContext
