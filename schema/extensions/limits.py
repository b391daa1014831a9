"""Depth and alias limits, as graphql-core validation rules that cost time linear in the document.

Strawberry's own limiters walk a fragment again at every spread, so a document whose fragments
each spread the next one twice takes time doubling per level. Here each fragment is measured
once (``schema.extensions.fragments``) and the rules are fixed classes, so strawberry's
validation cache can keep their verdict per document. Introspection fields (``__schema``,
``__type``) do not count towards depth, as with strawberry's limiter: GraphiQL's introspection
query is deeper than any data query needs to be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from graphql.validation.validate import ValidationAbortedError
from strawberry.extensions import SchemaExtension

from schema.extensions.fragments import fragment_definitions, measure_fragments

MAX_DEPTH = 12
MAX_ALIASES = 20
MAX_REPEATS = 10


@dataclass(frozen=True)
class Size:
    """How deep a selection nests (a leaf field is 0) and how many aliases it holds, with the
    fragments it spreads counted at every spread."""

    depth: int = 0
    aliases: int = 0


EMPTY = Size()


def size_of(selection_set: SelectionSetNode, measured: Callable[[str], Size]) -> Size:
    """The size of a selection set; spreads read their fragment's size from ``measured``.

    Nesting past ``MAX_DEPTH + 1`` is not followed: the depth is over the limit either way,
    and the walk stays shallow whatever the document holds.
    """
    return _walk(selection_set, measured, 0)


def _walk(selection_set: SelectionSetNode, measured: Callable[[str], Size], level: int) -> Size:
    depth = aliases = 0
    for node in selection_set.selections:
        if isinstance(node, FragmentSpreadNode):
            inner = measured(node.name.value)
            depth, aliases = max(depth, inner.depth), aliases + inner.aliases
        elif isinstance(node, InlineFragmentNode):
            inner = _walk(node.selection_set, measured, level)
            depth, aliases = max(depth, inner.depth), aliases + inner.aliases
        elif isinstance(node, FieldNode):
            aliases += node.alias is not None
            if node.selection_set is None or node.name.value.startswith("__"):
                continue
            if level > MAX_DEPTH:
                depth = max(depth, MAX_DEPTH + 1)
                continue
            inner = _walk(node.selection_set, measured, level + 1)
            depth, aliases = max(depth, 1 + inner.depth), aliases + inner.aliases
    return Size(depth, aliases)


def operation_label(operation: OperationDefinitionNode) -> str:
    """How a refusal names an operation: by its name, or as "this query" when it has none."""
    kind = operation.operation.value
    if operation.name is None:
        return f"This {kind}"
    return f"The {kind} `{operation.name.value}`"


def most_repeated(document: DocumentNode) -> tuple[str, int, Node] | None:
    """The response name asked for most often in one selection set (inline fragments count
    with the set they are in; spreads are not followed), with its count and the set's node."""
    worst: tuple[str, int, Node] | None = None
    stack: list[tuple[SelectionSetNode, Node]] = [
        (d.selection_set, d) for d in document.definitions if hasattr(d, "selection_set")
    ]
    while stack:
        selection_set, owner = stack.pop()
        counts: dict[str, int] = {}
        flat = list(selection_set.selections)
        while flat:
            node = flat.pop()
            if isinstance(node, InlineFragmentNode):
                flat.extend(node.selection_set.selections)
            elif isinstance(node, FieldNode):
                name = (node.alias or node.name).value
                counts[name] = counts.get(name, 0) + 1
                if node.selection_set is not None:
                    stack.append((node.selection_set, node))
        for name, count in counts.items():
            if worst is None or count > worst[1]:
                worst = (name, count, owner)
    return worst


class DepthAndAliasLimit(ValidationRule):
    """Refuses operations nested deeper than MAX_DEPTH or holding more than MAX_ALIASES aliases,
    and documents that ask for one field more than MAX_REPEATS times in one selection set.

    Repeats are checked first and abort validation at once: graphql-core's rule that fields
    can be merged compares every pair of fields with the same name, so a few hundred repeats
    of one field would cost it seconds (or exhaust the stack).
    """

    def enter_document(self, document: DocumentNode, *_: Any) -> Any:
        repeated = most_repeated(document)
        if repeated is not None and repeated[1] > MAX_REPEATS:
            name, count, node = repeated
            raise ValidationAbortedError(
                f"`{name}` is asked for {count} times in one selection; the limit is "
                f"{MAX_REPEATS}. Ask for each field once (aliases give different arguments "
                "their own names).",
                node,
                extensions={"code": "FIELD_REPEATED", "limit": MAX_REPEATS},
            )
        fragments = fragment_definitions(document)
        sizes = measure_fragments(
            fragments, lambda fragment, measured: size_of(fragment.selection_set, measured), EMPTY
        )

        def measured(name: str) -> Size:
            return sizes.get(name, EMPTY)

        for operation in document.definitions:
            if isinstance(operation, OperationDefinitionNode):
                for error in refusals(operation, size_of(operation.selection_set, measured)):
                    self.report_error(error)
        return self.SKIP


def refusals(operation: OperationDefinitionNode, size: Size) -> Iterator[GraphQLError]:
    label = operation_label(operation)
    if size.depth > MAX_DEPTH:
        yield GraphQLError(
            f"{label} nests fields more than {MAX_DEPTH} levels deep, the limit. Ask for "
            "fewer levels at once, and fetch deeper items by id in a second query.",
            operation,
            extensions={"code": "QUERY_TOO_DEEP", "limit": MAX_DEPTH},
        )
    if size.aliases > MAX_ALIASES:
        yield GraphQLError(
            f"{label} uses {size.aliases} aliases (fragments counted wherever they are "
            f"spread); the limit is {MAX_ALIASES}. Use fewer aliases, or send several queries.",
            operation,
            extensions={"code": "TOO_MANY_ALIASES", "limit": MAX_ALIASES},
        )


class QueryLimits(SchemaExtension):
    """Adds the depth and alias rule to validation, as strawberry's ``AddValidationRules`` does.

    The rule is one class for every request, so a document's validation (with this rule) is
    cached like any other by strawberry's ``ValidationCache``.
    """

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (*context.validation_rules, DepthAndAliasLimit)
        yield
