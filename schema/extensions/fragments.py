"""Measuring a document once per fragment, however often each fragment is spread.

A fragment that spreads the next one twice, thirty levels deep, is a 1 KB document that
stands for two to the thirtieth fields. Every measure the limits take (depth, aliases, cost)
is therefore worked out once per fragment, its spreads' measures looked up rather than
walked again: time linear in the document, whatever it expands to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    Node,
    SelectionSetNode,
)

M = TypeVar("M")


def fragment_definitions(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The document's fragments by name (the first of a name, if it is defined twice)."""
    found: dict[str, FragmentDefinitionNode] = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            found.setdefault(definition.name.value, definition)
    return found


def spreads_in(selection_set: SelectionSetNode | None) -> Iterator[str]:
    """The names of the fragments spread anywhere inside a selection set (not followed)."""
    stack: list[Node] = [selection_set] if selection_set is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, FragmentSpreadNode):
            yield node.name.value
            continue
        inner = getattr(node, "selection_set", None)
        if isinstance(node, SelectionSetNode):
            stack.extend(node.selections)
        elif inner is not None:
            stack.append(inner)


def measure_fragments(
    fragments: dict[str, FragmentDefinitionNode],
    measure: Callable[[FragmentDefinitionNode, Callable[[str], M]], M],
    empty: M,
) -> dict[str, M]:
    """Each fragment's measure, made after the measures of the fragments it spreads.

    ``measure(fragment, measured)`` reads a spread's measure with ``measured(name)``; a spread
    of an unknown fragment, or one that closes a cycle (validation reports both), reads
    ``empty``.
    The order is found without recursion, so a long chain of spreads cannot exhaust the stack.
    """
    done: dict[str, M] = {}

    def measured(name: str) -> M:
        return done.get(name, empty)

    started: set[str] = set()
    for root in fragments:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            name, children_done = stack.pop()
            if name in done:
                continue
            fragment = fragments.get(name)
            if fragment is None:
                continue
            if children_done:
                done[name] = measure(fragment, measured)
                continue
            if name in started:  # a cycle: measured as empty where it closes
                continue
            started.add(name)
            stack.append((name, True))
            stack.extend((spread, False) for spread in spreads_in(fragment.selection_set))
    return done
