"""The cost limit: nested lists are paid for, and pages are at most MAX_PAGE items.

Each field costs 1, and a field that takes ``first``/``last`` multiplies the cost of what is
selected under it by the page size asked for (the default page when none is given). The cost
depends on the request's variables, so it is worked out for every request, after validation
and before anything is resolved; each fragment is costed once however often it is spread, so
the check is linear in the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    build_schema,
    get_named_type,
    get_operation_ast,
)
from strawberry import Schema
from strawberry.extensions import SchemaExtension

from schema.extensions.fragments import fragment_definitions, measure_fragments
from schema.extensions.limits import operation_label
from schema.pagination import DEFAULT_PAGE, MAX_PAGE

MAX_COST = 20_000
SIZE_ARGUMENTS = ("first", "last")
CEILING = 10**12
"""Costs are counted up to here and no further: far over the limit, and a small number."""


@cache
def shape(schema: Schema) -> GraphQLSchema:
    """The schema's types, fields and arguments, read from its printed SDL (public API)."""
    return build_schema(schema.as_str(), assume_valid_sdl=True)


@dataclass(frozen=True)
class Cost:
    """What a selection costs, and the page sizes in it that are over the maximum."""

    total: int = 0
    too_large: tuple[str, ...] = ()

    def __add__(self, other: Cost) -> Cost:
        return Cost(min(self.total + other.total, CEILING), _union(self.too_large, other.too_large))


NOTHING = Cost()


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    if not second:
        return first
    return first + tuple(item for item in second if item not in first)


class Costing:
    """Costs selections of one document with one request's variables."""

    def __init__(self, schema: GraphQLSchema, variables: dict[str, Any]) -> None:
        self.schema = schema
        self.variables = variables

    def selections(
        self, selection_set: SelectionSetNode, parent: Any, measured: Callable[[str], Cost]
    ) -> Cost:
        cost = NOTHING
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                cost += self.field(node, parent, measured)
            elif isinstance(node, InlineFragmentNode):
                cost += self.selections(node.selection_set, self.narrow(node, parent), measured)
            elif isinstance(node, FragmentSpreadNode):
                cost += measured(node.name.value)
        return cost

    def narrow(self, node: Any, parent: Any) -> GraphQLNamedType | None:
        if node.type_condition is None:
            return parent
        return self.schema.get_type(node.type_condition.name.value)

    def field(self, node: FieldNode, parent: Any, measured: Callable[[str], Cost]) -> Cost:
        name = node.name.value
        if name.startswith("__") or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return NOTHING
        definition = parent.fields.get(name)
        if definition is None:
            return NOTHING
        size = self.page_size(node)
        if size is None:
            size = DEFAULT_PAGE if any(a in definition.args for a in SIZE_ARGUMENTS) else 1
        too_large = (f"`{name}` asks for {size}",) if size > MAX_PAGE else ()
        inner = NOTHING
        if node.selection_set is not None:
            inner = self.selections(node.selection_set, get_named_type(definition.type), measured)
        total = min(1 + max(size, 1) * inner.total, CEILING)
        return Cost(total, _union(too_large, inner.too_large))

    def page_size(self, field: FieldNode) -> int | None:
        """The page size a field asks for (``first``/``last``), or None if it gives none."""
        for argument in field.arguments or ():
            if argument.name.value not in SIZE_ARGUMENTS:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return given if isinstance(given, int) else DEFAULT_PAGE
            return DEFAULT_PAGE
        return None


def cost_of(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
) -> Cost:
    """What ``operation`` of ``document`` costs with these variables."""
    costing = Costing(schema, variables)
    costs = measure_fragments(
        fragment_definitions(document),
        lambda fragment, measured: costing.selections(
            fragment.selection_set, costing.narrow(fragment, None), measured
        ),
        NOTHING,
    )

    def measured(name: str) -> Cost:
        return costs.get(name, NOTHING)

    root = schema.get_root_type(operation.operation)
    return costing.selections(operation.selection_set, root, measured)


def refusal(operation: OperationDefinitionNode, cost: Cost) -> GraphQLError | None:
    """Why an operation of this cost may not run, or None if it may."""
    if cost.too_large:
        return GraphQLError(
            f"Pages are at most {MAX_PAGE} items: "
            + "; ".join(cost.too_large)
            + f". Ask for {MAX_PAGE} or fewer and follow `pageInfo.endCursor`.",
            operation,
            extensions={"code": "PAGE_TOO_LARGE", "maxPage": MAX_PAGE},
        )
    if cost.total > MAX_COST:
        amount = f"at least {CEILING}" if cost.total >= CEILING else str(cost.total)
        return GraphQLError(
            f"{operation_label(operation)} would cost {amount}, over the limit of {MAX_COST}: "
            "ask for fewer items (smaller `first`) or fewer nested lists, and page instead.",
            operation,
            extensions={"code": "QUERY_TOO_COSTLY", "cost": cost.total, "limit": MAX_COST},
        )
    return None


class QueryCost(SchemaExtension):
    """Refuses an operation over MAX_COST, or asking for a page over MAX_PAGE, before it runs.

    A refusal becomes the request's result, as strawberry lets ``on_execute`` decide it, so
    nothing is resolved.
    """

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = None
        if document is not None and context.result is None:
            operation = get_operation_ast(document, context.operation_name)
        if operation is not None:
            cost = cost_of(shape(context.schema), document, operation, context.variables or {})
            refused = refusal(operation, cost)
            if refused is not None:
                context.result = ExecutionResult(data=None, errors=[refused])
        yield
