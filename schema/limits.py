"""Bounds on every query, and masking of internal errors.

Depth, tokens and aliases use strawberry's limiters. Cost is ours: each field costs 1, and a
field with ``first``/``last`` multiplies the cost of what is selected under it by that size,
so nested lists are paid for. Refusals say what to change. Parsing and validation are cached
per distinct document (bounded LRUs): the explorer and widgets send the same few documents
again and again. The cost check runs on every request, as it depends on the variables. Errors
the client did not cause are replaced by a message carrying an id, and logged in full with the
same id."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import MaskErrors, MaxTokensLimiter, ParserCache, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.schema import validate_document

from schema.errors import UserError
from schema.pagination import DEFAULT_PAGE, MAX_PAGE

log = logging.getLogger(__name__)

MAX_DEPTH = 12
MAX_TOKENS = 2000
MAX_ALIASES = 20
MAX_COST = 20_000
CACHED_DOCUMENTS = 256  # distinct documents whose parse and validation are kept
SIZE_ARGUMENTS = ("first", "last")


def _size(field: FieldNode, variables: dict[str, Any]) -> int | None:
    """The page size a field asks for (``first``/``last``), or None if it takes none."""
    for argument in field.arguments or ():
        if argument.name.value not in SIZE_ARGUMENTS:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return given if isinstance(given, int) else DEFAULT_PAGE
        return DEFAULT_PAGE
    return None


class _Costing:
    """Walks one operation, adding up its cost and noting page sizes over the maximum."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.too_large: list[str] = []

    def cost(self, selections: SelectionSetNode, parent: Any, seen: frozenset[str]) -> int:
        total = 0
        for node in selections.selections:
            if isinstance(node, FieldNode):
                total += self._field(node, parent, seen)
            elif isinstance(node, InlineFragmentNode):
                total += self.cost(node.selection_set, self._narrow(node, parent), seen)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    total += self.cost(
                        fragment.selection_set, self._narrow(fragment, parent), seen | {name}
                    )
        return total

    def _narrow(self, node: InlineFragmentNode | FragmentDefinitionNode, parent: Any) -> Any:
        if node.type_condition is None:
            return parent
        return self.schema.get_type(node.type_condition.name.value)

    def _field(self, node: FieldNode, parent: Any, seen: frozenset[str]) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        size = _size(node, self.variables)
        if size is None:
            size = DEFAULT_PAGE if any(a in definition.args for a in SIZE_ARGUMENTS) else 1
        if size > MAX_PAGE:
            self.too_large.append(f"`{name}` asks for {size}")
        inner = 0
        if node.selection_set is not None:
            inner = self.cost(node.selection_set, get_named_type(definition.type), seen)
        return 1 + max(size, 1) * inner


def cost_errors(
    schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any]
) -> list[GraphQLError]:
    """Refusals for operations over MAX_COST or asking for pages over MAX_PAGE (else none)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    errors = []
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        costing = _Costing(schema, fragments, variables)
        cost = costing.cost(
            operation.selection_set, schema.get_root_type(operation.operation), frozenset()
        )
        if costing.too_large:
            errors.append(
                GraphQLError(
                    f"Pages are at most {MAX_PAGE} items: "
                    + "; ".join(costing.too_large)
                    + f". Ask for {MAX_PAGE} or fewer and follow `pageInfo.endCursor`.",
                    operation,
                    extensions={"code": "PAGE_TOO_LARGE", "maxPage": MAX_PAGE},
                )
            )
        elif cost > MAX_COST:
            errors.append(
                GraphQLError(
                    f"This query would cost {cost}, over the limit of {MAX_COST}: ask for "
                    "fewer items (smaller `first`) or fewer nested lists, and page instead.",
                    operation,
                    extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": MAX_COST},
                )
            )
    return errors


# Depth and aliases as strawberry's limiters check them, built once: a validation cached by
# (document, rules) is only reused if the rules are the same objects on every request.
STATIC_RULES = (depth_rule(MAX_DEPTH, None), aliases_rule(MAX_ALIASES))


class _Same:
    """A cache key equal only to a key of the very same object.

    A document's own hash walks its whole syntax tree (about 20 microseconds for a page query);
    the parser cache hands out the same document object for the same text, so its identity is
    enough. The key holds the object, so its id is not reused while the entry lives.
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.value is self.value


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _validated(schema: GraphQLSchema, document: _Same, rules: tuple) -> list[GraphQLError]:
    return validate_document(schema, document.value, rules)


class CachedValidation(SchemaExtension):
    """Validates each distinct document once (its errors are kept in a bounded LRU), then
    checks the cost, which depends on the variables and so runs on every request."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        schema, document = context.schema._schema, context.graphql_document
        assert document is not None
        rules = (*context.validation_rules, *STATIC_RULES)
        errors = list(_validated(schema, _Same(document), rules))
        if not errors:
            errors = cost_errors(schema, document, dict(context.variables or {}))
        context.pre_execution_errors = errors
        yield


def is_internal(error: GraphQLError) -> bool:
    """Errors the client did not cause: anything raised that is not a UserError."""
    original = error.original_error
    return original is not None and not isinstance(original, UserError | GraphQLError)


def anonymise(error: GraphQLError) -> GraphQLError:
    """An internal error as the client sees it: a message with an id; the full error is logged."""
    error_id = uuid.uuid4().hex[:12]
    original = error.original_error
    log.error(
        "internal error %s at %s: %s",
        error_id,
        ".".join(str(p) for p in error.path or []) or "(operation)",
        original,
        exc_info=(type(original), original, original.__traceback__) if original else None,
        extra={"error_id": error_id},
    )
    return GraphQLError(
        message=f"Internal error (id {error_id}); it was logged. Quote the id to report it.",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
    )


def masked(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Errors fit for a client: internal ones anonymised, the client's own kept as they are."""
    return [anonymise(error) if is_internal(error) else error for error in errors]


class MaskInternalErrors(MaskErrors):
    """Masks internal errors raised while resolving fields (see ``anonymise``).

    Errors raised before execution (in validation or an extension) bypass extensions;
    the HTTP layer passes every response through ``masked`` as well.
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_internal)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return anonymise(error)


class RecordOperation(SchemaExtension):
    """Notes the operation's name in the context, for metrics and logs."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if hasattr(context.context, "operation_name"):
            with contextlib.suppress(RuntimeError):  # no operation in the document
                context.context.operation_name = context.operation_name
        yield


EXTENSIONS = [
    lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
    lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
    CachedValidation,
    RecordOperation,
    MaskInternalErrors,
]
