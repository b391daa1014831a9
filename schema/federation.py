"""Checking `_entities` representations before strawberry resolves them.

A gateway sends ``{"__typename": "Project", "id": "..."}`` for each entity it wants. One
without a known ``__typename`` or a string ``id`` is the caller's mistake: that entry gets an
error saying what to send, and the others still resolve, instead of the whole answer being
nulled by an internal error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from schema.errors import UserError

ENTITIES = ("Organisation", "Person", "Project", "Resource", "Topic")
"""The entity types keyed by ``id`` (the ``_Entity`` union of the SDL)."""


def problem(representation: Any) -> str | None:
    """What is wrong with one representation, or None if it can be resolved."""
    if not isinstance(representation, dict):
        return "is not an object"
    typename = representation.get("__typename")
    if typename is None:
        return "has no `__typename`"
    if typename not in ENTITIES:
        return f"names `{typename}`, which is not an entity here"
    if not isinstance(representation.get("id"), str) or set(representation) != {"__typename", "id"}:
        return "must give exactly `__typename` and a string `id`"
    return None


def resolve_entities(
    resolve: Callable[[Any, list[Any]], list[Any]], info: Any, representations: Sequence[Any]
) -> list[Any]:
    """``resolve`` (strawberry's resolver) for the representations that are well formed, and
    an error in place of each one that is not."""
    found: list[Any] = []
    good = []
    for index, representation in enumerate(representations):
        wrong = problem(representation)
        if wrong is None:
            good.append(index)
            found.append(None)
        else:
            found.append(
                UserError(
                    f"`representations[{index}]` {wrong}: send "
                    f'{{"__typename": one of {", ".join(ENTITIES)}, "id": "..."}}.'
                )
            )
    resolved = resolve(info, [dict(representations[i]) for i in good]) if good else []
    for index, result in zip(good, resolved, strict=True):
        found[index] = result
    return found
