"""Looking ahead at what a `projects` page selects, so the page can fetch its nested lists too.

DataLoaders turn a page's nested fields into one query per field; a page query that collects
them itself turns them into none. The resolver reads the selection, asks the page query for
those lists and hands each project its own (``Project.fetched``): the nested fields then
resolve at once, without a round trip or a loader. The request's loaders are primed with them
as well, for any other field of the request that asks for the same projects' lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from graph.queries.common import Page, Row
from graph.queries.projects import Nested
from schema.loaders import Loaders
from schema.pagination import DEFAULT_PAGE, MAX_PAGE

Selection = SelectedField | FragmentSpread | InlineFragment


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, through fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)


def _nodes(info: Info) -> Iterator[SelectedField]:
    """The fields selected on a connection's nodes (``nodes { ... }`` or ``edges { node }``)."""
    for root in info.selected_fields:
        for field in _fields(root.selections):
            if field.name == "nodes":
                yield from _fields(field.selections)
            elif field.name == "edges":
                for inner in _fields(field.selections):
                    if inner.name == "node":
                        yield from _fields(inner.selections)


def _size(arguments: dict[str, Any]) -> int | None:
    """A list's ``first`` (literals arrive as the text of the number); None if out of range."""
    first = arguments.get("first", DEFAULT_PAGE)
    if first is None:
        return DEFAULT_PAGE
    if isinstance(first, str) and first.isdigit():
        first = int(first)
    return first if isinstance(first, int) and 1 <= first <= MAX_PAGE else None


def project_nesting(info: Info, public_only: bool) -> tuple[Nested, set[int]]:
    """The lists a projects page should fetch, and each ``people(first:)`` size asked for."""
    names: set[str] = set()
    people_sizes: set[int] = set()
    for field in _nodes(info):
        names.add(field.name)
        if field.name == "people":
            size = _size(field.arguments)
            if size is not None:
                people_sizes.add(size)
    nested = Nested(
        organisations=bool(names & {"organisations", "leadOrganisation"}),
        topics="topics" in names,
        people=max(people_sizes) if people_sizes else None,
        public_only=public_only,
    )
    return nested, people_sizes


def fetched_lists(page: Page, nested: Nested) -> list[Row | None]:
    """Per item of ``page``, the lists it fetched, as ``Project.fetched`` holds them (or None).

    The page's nested fields read these at once (no loader, no awaiting per item).
    """
    if not (nested.organisations or nested.topics or nested.people is not None):
        return [None] * len(page.items)
    found: list[Row | None] = []
    for columns in page.columns:
        lists: Row = {}
        if nested.organisations:
            lists["organisations"] = columns["organisations"]
        if nested.topics:
            lists["topics"] = columns["topics"]
        if nested.people is not None:
            lists["people"], lists["peopleLimit"] = columns["people"], nested.people
        found.append(lists)
    return found


def prime_projects(loaders: Loaders, page: Page, nested: Nested, people_sizes: set[int]) -> None:
    """Put the lists a page fetched into the loaders too, for other fields of the same request
    that ask for the same projects' lists (``project(id:)`` beside the page, say)."""
    for item, columns in zip(page.items, page.columns, strict=True):
        key = str(item["id"])
        if nested.organisations:
            loaders.project_organisations.prime(key, columns["organisations"])
        if nested.topics:
            loaders.project_topics.prime(key, columns["topics"])
        for size in people_sizes:
            loaders.sized("project_people", size).prime(key, columns["people"][:size])
