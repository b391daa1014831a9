"""Looking ahead at what a `projects` page selects, so the page can fetch its nested lists too.

DataLoaders turn a page's nested fields into one query per field; a page query that collects
them itself turns them into none. The resolver reads the selection, asks the page query for
those lists and hands each project its own (``Project.fetched``): the nested fields then
resolve at once, without a round trip or a loader. The request's loaders are primed with them
as well, for any other field of the request that asks for the same projects' lists.

A connection asked for its ``totalCount`` alone reads no page at all (``unless_counted``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from graph.queries import projects, search
from graph.queries.common import Page, Row
from graph.queries.fields import Keys, Projections
from graph.queries.projects import Nested
from schema.loaders import Loaders
from schema.pagination import DEFAULT_PAGE, MAX_PAGE
from schema.rows import Rows
from schema.types import ORGANISATION_ROWS, PERSON_ROWS, PROJECT_ROWS, RESOURCE_ROWS, TOPIC_ROWS

Selection = SelectedField | FragmentSpread | InlineFragment


def fields_of(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, through fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from fields_of(selection.selections)


def _nodes(info: Info) -> Iterator[SelectedField]:
    """The fields selected on a connection's nodes (``nodes { ... }`` or ``edges { node }``)."""
    for root in info.selected_fields:
        for field in fields_of(root.selections):
            if field.name == "nodes":
                yield from fields_of(field.selections)
            elif field.name == "edges":
                for inner in fields_of(field.selections):
                    if inner.name == "node":
                        yield from fields_of(inner.selections)


def counts_only(info: Info) -> bool:
    """Whether a connection is asked for its ``totalCount`` alone (a page's or a topic's count
    of people, say): then its page need not be read at all."""
    return all(
        field.name in ("totalCount", "__typename")
        for root in info.selected_fields
        for field in fields_of(root.selections)
    )


async def unless_counted(info: Info, read: Callable[[], Awaitable[Page]]) -> Page:
    """The page ``read`` gives, or an empty one when the connection is asked only to count."""
    if counts_only(info):
        return Page([], False, [])
    return await read()


def _size(arguments: dict[str, Any]) -> int | None:
    """A list's ``first`` (literals arrive as the text of the number); None if out of range."""
    first = arguments.get("first", DEFAULT_PAGE)
    if first is None:
        return DEFAULT_PAGE
    if isinstance(first, str) and first.isdigit():
        first = int(first)
    return first if isinstance(first, int) and 1 <= first <= MAX_PAGE else None


def _inner(field: SelectedField, name: str) -> Iterator[SelectedField]:
    """The fields selected under ``name`` in ``field`` (``organisation { ... }`` in ``organisations
    { lead organisation { ... } }``)."""
    for inner in fields_of(field.selections):
        if inner.name == name:
            yield from fields_of(inner.selections)


def project_nesting(info: Info, public_only: bool) -> tuple[Nested, set[int]]:
    """The lists a projects page should fetch, with only the fields selected on them and on the
    projects, and each ``people(first:)`` size asked for."""
    return _nesting(_nodes(info), public_only)


def _nesting(fields: Iterable[SelectedField], public_only: bool) -> tuple[Nested, set[int]]:
    """The lists to fetch with projects whose selected fields are ``fields``, as
    ``project_nesting`` gives them."""
    names: set[str] = set()
    people_sizes: set[int] = set()
    selected: dict[str, list[SelectedField]] = {
        "project": [],
        "organisation": [],
        "topic": [],
        "person": [],
    }
    for field in fields:
        names.add(field.name)
        selected["project"].append(field)
        if field.name == "people":
            size = _size(field.arguments)
            if size is not None:
                people_sizes.add(size)
            selected["person"].extend(_inner(field, "person"))
        elif field.name == "organisations":
            selected["organisation"].extend(_inner(field, "organisation"))
        elif field.name == "leadOrganisation":
            selected["organisation"].extend(fields_of(field.selections))
        elif field.name == "topics":
            selected["topic"].extend(fields_of(field.selections))
    nested = Nested(
        organisations=bool(names & {"organisations", "leadOrganisation"}),
        topics="topics" in names,
        people=max(people_sizes) if people_sizes else None,
        public_only=public_only,
        projections=Projections(
            project=_keys(PROJECT_ROWS, selected["project"]),
            organisation=_keys(ORGANISATION_ROWS, selected["organisation"]),
            topic=_keys(TOPIC_ROWS, selected["topic"]),
            person=_keys(PERSON_ROWS, selected["person"]),
        ),
    )
    return nested, people_sizes


def fetched_lists(page: Page, nested: Nested) -> list[Row | None]:
    """Per item of ``page``, the lists it fetched, as ``Project.fetched`` holds them (or None).

    The page's nested fields read these at once (no loader, no awaiting per item).
    """
    lists = nested.lists()
    if not lists:
        return [None] * len(page.items)
    found: list[Row | None] = []
    for columns in page.columns:
        fetched = {related.name: columns[related.name] for related in lists}
        if nested.people is not None:
            fetched["peopleLimit"] = nested.people
        found.append(fetched)
    return found


def prime_projects(loaders: Loaders, page: Page, nested: Nested, people_sizes: set[int]) -> None:
    """Put the lists a page fetched into the loaders too, for other fields of the same request
    that ask for the same projects' lists (``project(id:)`` beside the page, say): only when
    they are whole rows, as a loader would give them."""
    if not nested.projections.whole:
        return
    for item, columns in zip(page.items, page.columns, strict=True):
        key = str(item["id"])
        for related in nested.lists():
            sizes: set[int | None] = {*people_sizes} if related is projects.PEOPLE else {None}
            for size in sizes:
                loaders.related(related, size).prime(key, columns[related.name][:size])


def _keys(rows: Rows[Any], fields: Iterable[SelectedField], sort: bool = False) -> Keys:
    """The row keys the selected ``fields`` of ``rows``' type read (None: every key); with
    ``sort``, the key its lists are sorted by too."""
    keys = rows.keys(field.name for field in fields)
    if keys is None or not sort:
        return keys
    return keys | {rows.entity.sort}


def who_else_projections(info: Info) -> Projections:
    """What a ``whoElse`` (or ``mentors``) row must return for the fields selected on it.

    The evidence is sorted in Python by name, title and label, so those are always returned.
    """
    person: list[SelectedField] = []
    lists: dict[str, list[SelectedField]] = {"organisations": [], "projects": [], "topics": []}
    for root in info.selected_fields:
        for field in fields_of(root.selections):
            if field.name == "person":
                person.extend(fields_of(field.selections))
            elif field.name in lists:
                lists[field.name].extend(fields_of(field.selections))
            elif field.name in ("offersMentoring", "offersCoaching"):
                person.append(field)
    return Projections(
        person=_keys(PERSON_ROWS, person),
        organisation=_keys(ORGANISATION_ROWS, lists["organisations"], sort=True),
        project=_keys(PROJECT_ROWS, lists["projects"], sort=True),
        topic=_keys(TOPIC_ROWS, lists["topics"], sort=True),
    )


# A link's lists, by the kind each holds.
_LINK_LISTS: dict[str, Rows[Any]] = {
    "organisations": ORGANISATION_ROWS,
    "exampleProjects": PROJECT_ROWS,
    "examplePeople": PERSON_ROWS,
    "exampleTopics": TOPIC_ROWS,
}


def link_projections(info: Info) -> Projections:
    """What a ``crossBoundaryLinks`` row must return of the pair and its examples for the
    fields selected on them (the statement orders the examples from the nodes themselves)."""
    selected: dict[str, list[SelectedField]] = {name: [] for name in _LINK_LISTS}
    for root in info.selected_fields:
        for field in fields_of(root.selections):
            if field.name in selected:
                selected[field.name].extend(fields_of(field.selections))
    keys = {name: _keys(rows, selected[name]) for name, rows in _LINK_LISTS.items()}
    return Projections(
        organisation=keys["organisations"],
        project=keys["exampleProjects"],
        person=keys["examplePeople"],
        topic=keys["exampleTopics"],
    )


_LINK_EXAMPLES = frozenset({"exampleProjects", "examplePeople", "exampleTopics"})


_LINK_TOPICS = frozenset({"sharedTopicCount", "exampleTopics"})


def asks_for_link_examples(info: Info) -> bool:
    """Whether a ``crossBoundaryLinks`` query selects any of a link's examples: without them
    the statement looks none up."""
    return _selects_any(info, _LINK_EXAMPLES)


def asks_for_link_topics(info: Info) -> bool:
    """Whether a ``crossBoundaryLinks`` query selects a link's shared topics (their count or
    examples): without them the statement looks none up."""
    return _selects_any(info, _LINK_TOPICS)


def _selects_any(info: Info, names: frozenset[str]) -> bool:
    """Whether the field resolved selects any of ``names`` directly (fragments followed)."""
    return any(
        field.name in names for root in info.selected_fields for field in fields_of(root.selections)
    )


# A search hit's node, by the GraphQL type a fragment names.
_SEARCH_KINDS: dict[str, Rows[Any]] = {
    "Project": PROJECT_ROWS,
    "Person": PERSON_ROWS,
    "Resource": RESOURCE_ROWS,
    "Organisation": ORGANISATION_ROWS,
    "Topic": TOPIC_ROWS,
}


def search_projections(info: Info) -> Projections:
    """What each kind of ``search`` hit must return for the fields its fragment on ``node``
    selects (why it matched always needs the searched fields, which ``search`` adds). A
    fragment on anything else (none is possible today) means every field of every kind."""
    selected = _search_selected(info)
    if selected is None:
        return search.selected({})
    return search.selected(
        {rows.entity.variable: _keys(rows, selected[kind]) for kind, rows in _SEARCH_KINDS.items()}
    )


def search_nesting(info: Info) -> Nested:
    """The lists of project hits a ``search`` reads with the hits, with only the fields
    selected on them, as a projects page reads its own (``project_nesting``). Whether people
    may be read is the search's to say (``search.search`` sets it)."""
    selected = _search_selected(info)
    if selected is None:
        return Nested()
    nested, _ = _nesting(selected["Project"], public_only=True)
    return nested


def _search_selected(info: Info) -> dict[str, list[SelectedField]] | None:
    """The fields selected on each kind of ``search`` hit's ``node``, by GraphQL type; None
    when a fragment is on anything else."""
    selected: dict[str, list[SelectedField]] = {kind: [] for kind in _SEARCH_KINDS}
    for root in info.selected_fields:
        for field in fields_of(root.selections):
            if field.name != "node":
                continue
            for selection in field.selections:
                if isinstance(selection, SelectedField):
                    continue  # __typename: the only field of the union itself
                kind = selection.type_condition or ""
                if kind not in selected:
                    return None
                selected[kind].extend(fields_of(selection.selections))
    return selected
