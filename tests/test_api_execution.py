"""Plain fields read directly (schema/execution.py) give what graphql-core gives, errors too;
so do resolvers that opted in to being called directly.

Each document runs on two copies of one small schema: with strawberry's execution context and
with ``ConvenerExecutionContext``; data and errors (messages, paths, locations) must match.
No database: the objects are made here.
"""

from __future__ import annotations

import asyncio
import gc
import json
from enum import Enum
from types import SimpleNamespace
from typing import Annotated, Any, Generic, TypeVar

import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission, PermissionExtension

from schema.api import schema as convener_schema
from schema.execution import DIRECT_RESOLVER, ConvenerExecutionContext

DIRECT = {DIRECT_RESOLVER: True}
CALLS: list[str] = []
"""The direct resolvers' calls, by field (a direct call may be repeated by graphql-core)."""


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"
    CRIMSON = "red"  # an alias: the same member as RED


class Half(float):
    """A float that is not exactly a float: graphql-core's path takes it."""


class Shade(Enum):
    """Not the field's enum, but with a value Colour has."""

    BLUE = "blue"


@strawberry.type
class Child:
    id: strawberry.ID
    label: str
    weight: float | None = None


@strawberry.input
class Window:
    skip: int = 0
    take: int = 2
    colours: list[Colour] | None = None


@strawberry.interface
class Named:
    name: str


@strawberry.type
class Tagged(Named):
    tag: str


@strawberry.type
class Picky:
    """A type with its own is_type_of: graphql-core must ask it."""

    note: str

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, Picky)


@strawberry.type
class Stray:
    """In the schema, but in no union."""

    note: str


class ChildToo(Child):
    """Not decorated: strawberry takes it as a Child (its class's definition)."""


Node = Annotated[Child | Tagged | Picky, strawberry.union("Node")]
T = TypeVar("T")


@strawberry.type
class Bunch(Generic[T]):
    """A generic type (as schema/pagination.py's Connection) with an opted-in resolver."""

    wrapped: list[T]

    @strawberry.field(metadata=DIRECT)
    def members(self, last: int | None = None) -> list[T]:
        return self.wrapped if last is None else self.wrapped[-last:]


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
    node: Node | None = None
    nodes: list[Node] = strawberry.field(default_factory=list)
    named: Named | None = None
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

    # Resolvers that opted in to being called directly.

    @strawberry.field(metadata=DIRECT)
    def loud(self) -> str:
        CALLS.append("loud")
        return self.name.upper()  # a broken name (None, an awaitable...) raises

    @strawberry.field(metadata=DIRECT)
    def first_children(self, info: strawberry.Info, first: int = 2) -> list[Child]:
        assert info.field_name == "firstChildren"
        return self.children[:first]

    @strawberry.field(metadata=DIRECT)
    def caller(self, info: strawberry.Info) -> str:
        return info.context["who"] if info.context else "nobody"

    @strawberry.field(metadata=DIRECT)
    def window(self, window: Window | None = None, upper: bool = False) -> str:
        if window is None:
            return "none"
        text = f"{window.skip}:{window.take}:{window.colours}"
        return text.upper() if upper else text

    @strawberry.field(metadata=DIRECT)
    def counted(root: Item) -> int:  # strawberry passes the source as ``root``
        return root.count * 10

    @strawberry.field(metadata=DIRECT)
    def label_now_or_later(self) -> str:
        """At once for odd counts, an awaitable otherwise (as Project's fetched lists)."""
        if self.count % 2:
            return f"now {self.id}"

        async def later() -> str:
            return f"later {self.id}"

        return later()  # type: ignore[return-value]

    @strawberry.field(metadata=DIRECT)
    def where(self, info: strawberry.Info) -> str:
        """Reads info.path: taken by graphql-core, which has it right."""
        return str(info.path.as_list())

    @strawberry.field(metadata=DIRECT)
    def required_child(self) -> Child:
        return self.child  # type: ignore[return-value]  (null for even counts: an error)

    @strawberry.field(metadata=DIRECT)
    def failing(self) -> str | None:
        if self.count == 5:
            raise ValueError("five is not allowed")
        return "fine"

    @strawberry.field(metadata=DIRECT, extensions=[PermissionExtension(permissions=[Refuse()])])
    def guarded(self) -> str | None:
        CALLS.append("guarded")
        return "let through"


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
                Child(id=strawberry.ID(f"c{n}.{k}"), label=f"{k}", weight=[0, 1.5, n / 7][k])
                for k in range(3)
            ],
            tagged=Tagged(name=f"named {n}", tag="x"),
            node=[
                Child(id=strawberry.ID(f"n{n}"), label="node"),
                Tagged(name=f"node {n}", tag="y"),
                Picky(note="picky"),
            ][n % 3]
            if n % 4
            else None,
            nodes=[Tagged(name="first", tag="z"), Child(id=strawberry.ID(f"n{n}"), label="c")],
            named=Tagged(name=f"also {n}", tag="w") if n % 2 else None,
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
    def bunch(self) -> Bunch[Item]:
        return Bunch(wrapped=_items())

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
        elif kind == "colours-not-members":  # a value and an alias are taken, Shade is refused
            item.colour, items[4].colour, items[5].colour = "blue", Colour.CRIMSON, Shade.BLUE
        elif kind == "colour-unknown":
            item.colour = "green"
        elif kind == "weights-not-finite":  # Float refuses these; a bool and a str it takes
            item.children[0].weight, item.children[1].weight = float("inf"), float("nan")
            items[4].children[0].weight, items[4].children[1].weight = True, "2.5"
            items[5].children[0].weight = Half(0.5)
        elif kind == "node-not-in-union":
            item.node = Stray(note="stray")
        elif kind == "node-no-type":
            item.node = SimpleNamespace(id="x", label="y")
        elif kind == "node-cast":
            item.node = strawberry.cast(Tagged, SimpleNamespace(name="cast", tag="c"))
        elif kind == "node-subclass":
            item.node = ChildToo(id=strawberry.ID("too"), label="too")
        elif kind == "nodes-null":
            item.nodes = [None, Child(id=strawberry.ID("n"), label="n")]
        elif kind == "nodes-exception":
            item.nodes = [ValueError("kept as a value")]
        elif kind == "named-not-implementing":
            item.named = Child(id=strawberry.ID("c"), label="c")
        elif kind == "named-subclass-of-interface":
            item.named = Tagged(name="tagged", tag="t")
            items[5].named = ChildToo(id=strawberry.ID("too"), label="too")
        elif kind == "node-definition-of-its-own":
            item.node = Child(id=strawberry.ID("own"), label="own")
            item.node.__strawberry_definition__ = Tagged.__strawberry_definition__
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


TYPES = [Tagged, Stray]
PLAIN = strawberry.Schema(query=Query, types=TYPES)
DIRECT = strawberry.Schema(query=Query, types=TYPES, execution_context_class=Counting)
WITH_HOOK = strawberry.Schema(
    query=Query, types=TYPES, extensions=[Shout], execution_context_class=Counting
)

FIELDS = """
  id name count colour tags maybe shout later
  child { id label weight __typename }
  children { id label weight }
  tagged { name tag }
"""

NODE = "{ __typename ... on Child { id label } ... on Tagged { name tag } ... on Picky { note } }"
ABSTRACT_FIELDS = f"""
  id node {NODE} nodes {NODE} again: nodes {{ ... on Tagged {{ tag }} }}
  named {{ __typename name ... on Tagged {{ tag }} }}
"""

DIRECT_FIELDS = """
  id name loud firstChildren { id label } fewer: firstChildren(first: 1) { id }
  window none: window(window: null) upper: window(window: {take: 3}, upper: true)
  counted labelNowOrLater where caller
"""
DIRECT_ERRORS = " failing guarded "
"""Opted-in fields with errors: the resolver raises, or a permission refuses."""

DOCUMENTS = [
    ("{ items { " + FIELDS + " } }", None),
    ("{ items { " + DIRECT_FIELDS + " } }", None),
    ("{ items { " + DIRECT_FIELDS + DIRECT_ERRORS + " } }", None),
    ("{ maybeItems { " + DIRECT_FIELDS + DIRECT_ERRORS + " requiredChild { id } } }", None),
    (
        "query($n: Int!, $w: Window) { items { firstChildren(first: $n) { id } window(window: $w)"
        " } }",
        {"n": 3, "w": {"skip": 1, "colours": ["RED", "BLUE"]}},
    ),
    (
        "query($n: Int!, $w: Window) { items { firstChildren(first: $n) { id } window(window: $w)"
        " } }",
        {"n": 0, "w": None},
    ),
    ("query($w: Window) { items { id window(window: $w) } }", {"w": {"take": "many"}}),
    ("{ items { id window(window: {take: 1, colours: [GREEN]}) } }", None),
    ("{ items { loud firstChildren(first: 1) { ... on Child { id } } } }", None),
    ("{ items { " + ABSTRACT_FIELDS + " } }", None),
    ("{ maybeItems { " + ABSTRACT_FIELDS + DIRECT_FIELDS + " } }", None),
    ("{ items { node { ... on Child { id } } named { name } } }", None),
    ("{ items { node { __typename } } }", None),
    ("{ bunch { members { " + DIRECT_FIELDS + " } last: members(last: 2) { id } } }", None),
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
            "colours-not-members",
            "colour-unknown",
            "weights-not-finite",
        )
    ],
    *[
        ('{ broken(kind: "' + kind + '") { ' + DIRECT_FIELDS + DIRECT_ERRORS + " } }", None)
        for kind in ("null-name", "awaitable-name", "exception-name", "null-child-label")
    ],
    *[
        ('{ broken(kind: "' + kind + '") { ' + ABSTRACT_FIELDS + " } }", None)
        for kind in (
            "node-not-in-union",
            "node-no-type",
            "node-cast",
            "node-subclass",
            "nodes-null",
            "nodes-exception",
            "named-not-implementing",
            "named-subclass-of-interface",
            "node-definition-of-its-own",
        )
    ],
]


def _errors(result: Any) -> list[dict[str, Any]]:
    return sorted((e.formatted for e in result.errors or []), key=lambda e: str(e.get("path")))


@pytest.mark.parametrize(("document", "variables"), DOCUMENTS)
async def test_direct_reads_answer_as_graphql_core_does(
    document: str, variables: dict[str, Any] | None
) -> None:
    context = {"who": "tester"}
    expected = await PLAIN.execute(document, variable_values=variables, context_value=context)
    got = await DIRECT.execute(document, variable_values=variables, context_value=context)
    assert json.dumps(got.data) == json.dumps(expected.data)  # the order of keys too
    assert _errors(got) == _errors(expected)
    failing = ("broken", DIRECT_ERRORS, "GREEN", "many")
    if not any(marker in document + json.dumps(variables) for marker in failing):
        assert not got.errors
    hooked = await WITH_HOOK.execute(document, variable_values=variables, context_value=context)
    assert json.dumps(hooked.data) == json.dumps(expected.data)
    assert _errors(hooked) == _errors(expected)


async def test_the_broken_values_do_give_errors() -> None:
    """The broken documents exercise the fallback: each has at least one error to match."""
    for document, variables in DOCUMENTS:
        fine = ("awaitable", "generator", "coerced", "cast", "subclass", "own", "members")
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


async def test_a_requests_plans_are_dropped_with_its_response() -> None:
    """Plans hold closures over their execution context: left in it, they would be cycles the
    garbage collector has to find after every request. None is left for it."""
    document = "{ items { id child { id } children { id } loud firstChildren(first: 1) { id } } }"
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = await DIRECT.execute(document)
        gc.collect()
        left = [o for o in gc.garbage if type(o).__module__ == "schema.execution"]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert not result.errors and len(result.data["items"]) == 12
    assert left == []


async def test_a_field_with_a_permission_is_never_read_directly() -> None:
    """A field without a resolver but with a PermissionExtension is not plain: the check runs."""
    expected = await PLAIN.execute("{ items { id secret } }")
    got = await DIRECT.execute("{ items { id secret } }")
    assert len(got.errors or []) == 12 and {e.message for e in got.errors} == {"Not for you."}
    assert all(item["secret"] is None for item in got.data["items"])
    assert json.dumps(got.data) == json.dumps(expected.data)
    assert _errors(got) == _errors(expected)


async def test_resolvers_that_opted_in_are_called_directly() -> None:
    Counting.executed = 0
    CALLS.clear()
    document = "{ items { id loud firstChildren(first: 1) { id } window counted } }"
    result = await DIRECT.execute(document)
    assert not result.errors and result.data["items"][3]["loud"] == "ITEM 3"
    assert Counting.executed == 1  # the root field only: every resolver was called directly
    assert CALLS == ["loud"] * 12  # once each

    Counting.executed = 0
    await DIRECT.execute("{ items { id labelNowOrLater } }")
    assert Counting.executed == 1 + 6  # the even items' awaitables went to graphql-core

    Counting.executed = 0
    await DIRECT.execute("{ items { id where } }")
    assert Counting.executed == 1 + 12  # info.path is graphql-core's to give

    Counting.executed = 0
    await DIRECT.execute("{ bunch { members(last: 3) { id loud } } }")
    assert Counting.executed == 1  # a generic type's resolver keeps its opt-in

    Counting.executed = 0
    await WITH_HOOK.execute("{ items { id loud } }")
    assert Counting.executed == 1 + 12 * 2  # a resolve hook sees every field


async def test_an_opted_in_resolver_with_a_permission_is_never_called_directly() -> None:
    CALLS.clear()
    expected = await PLAIN.execute("{ items { id guarded } }")
    got = await DIRECT.execute("{ items { id guarded } }")
    assert not CALLS  # the permission refused every call
    assert len(got.errors or []) == 12 and {e.message for e in got.errors} == {"Not for you."}
    assert json.dumps(got.data) == json.dumps(expected.data)
    assert _errors(got) == _errors(expected)


async def test_unions_and_interfaces_complete_directly() -> None:
    Counting.executed = 0
    result = await DIRECT.execute(
        "{ items { nodes { __typename ... on Tagged { name } } named { name ... on Tagged { tag } }"
        " } }"
    )
    assert not result.errors and result.data["items"][1]["named"] == {"name": "also 1", "tag": "w"}
    assert result.data["items"][0]["nodes"] == [
        {"__typename": "Tagged", "name": "first"},
        {"__typename": "Child"},
    ]
    assert Counting.executed == 1  # the root field only

    Counting.executed = 0
    result = await DIRECT.execute(
        "{ items { node { ... on Child { id } ... on Tagged { name } } } }"
    )
    assert [item["node"] for item in result.data["items"][:4]] == [
        None,
        {"name": "node 1"},
        {},
        {"id": "n3"},
    ]
    assert Counting.executed == 1 + 3  # items 2, 6 and 10 hold a Picky: its is_type_of is its own


def test_the_hub_schema_uses_it() -> None:
    assert convener_schema.execution_context_class is ConvenerExecutionContext
