"""Looking ahead at what a `projects` page selects, so the page can fetch its nested lists too.

DataLoaders turn a page's nested fields into one query per field; a page query that collects
them itself turns them into none. The resolver reads the selection, asks the page query for
those lists and hands each project its own (``Project.fetched``): the nested fields then
resolve at once, without a round trip or a loader. The request's loaders are primed with them
as well, for any other field of the request that asks for the same projects' lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, LiteralString

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from graph.queries import search
from graph.queries.common import (
    ORGANISATION_KEYS,
    PERSON_KEYS,
    PROJECT_KEYS,
    RESOURCE_KEYS,
    TOPIC_KEYS,
    Page,
    Row,
    projection,
)
from graph.queries.matching import Projections
from graph.queries.projects import Nested
from schema.loaders import Loaders
from schema.pagination import DEFAULT_PAGE, MAX_PAGE

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
    names: set[str] = set()
    people_sizes: set[int] = set()
    selected: dict[str, list[SelectedField]] = {
        "project": [],
        "organisation": [],
        "topic": [],
        "person": [],
    }
    for field in _nodes(info):
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
        project=_projection("project", PROJECT_KEYS, selected["project"], PROJECT_NEEDS),
        organisation=_projection(
            "organisation", ORGANISATION_KEYS, selected["organisation"], ORGANISATION_NEEDS
        ),
        topic=_projection("topic", TOPIC_KEYS, selected["topic"], TOPIC_NEEDS),
        person=_projection("person", PERSON_KEYS, selected["person"], PERSON_NEEDS),
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
    that ask for the same projects' lists (``project(id:)`` beside the page, say): only when
    they are whole rows, as a loader would give them."""
    if not nested.whole_rows:
        return
    for item, columns in zip(page.items, page.columns, strict=True):
        key = str(item["id"])
        if nested.organisations:
            loaders.project_organisations.prime(key, columns["organisations"])
        if nested.topics:
            loaders.project_topics.prime(key, columns["topics"])
        for size in people_sizes:
            loaders.sized("project_people", size).prime(key, columns["people"][:size])


# What each GraphQL field of a type needs from its row, by the field's GraphQL name: its own
# key, or nothing beyond ``id`` for fields that load by id (or say only the type). A field not
# listed here (one added later, say) makes the read return the whole row.
Needs = dict[str, tuple[str, ...]]
_BY_ID = ("__typename",)
PERSON_NEEDS: Needs = {
    **{key: (key,) for key in ("name", "role", "orcid", "bio", "offers")},
    "offersMentoring": ("offers",),
    "offersCoaching": ("offers",),
    "contact": ("contactConsent", "email", "phone"),
    **{name: () for name in ("id", "organisations", "projects", "interests", *_BY_ID)},
}
PROJECT_NEEDS: Needs = {
    **{key: (key,) for key in PROJECT_KEYS},
    **{
        name: ()
        for name in (
            "id",
            "organisations",
            "leadOrganisation",
            "topics",
            "people",
            "resources",
            "similar",
            *_BY_ID,
        )
    },
}
ORGANISATION_NEEDS: Needs = {
    **{key: (key,) for key in ORGANISATION_KEYS},
    **{name: () for name in ("id", "systems", "projects", "people", *_BY_ID)},
}
TOPIC_NEEDS: Needs = {
    **{key: (key,) for key in TOPIC_KEYS},
    **{name: () for name in ("id", "broader", "narrower", "usage", *_BY_ID)},
}
RESOURCE_NEEDS: Needs = {
    **{key: (key,) for key in RESOURCE_KEYS},
    **{name: () for name in ("id", "topics", "project", "publisher", *_BY_ID)},
}


def _keys(fields: Iterable[SelectedField], needs: Needs, every: Iterable[str]) -> set[str]:
    """The row keys the selected ``fields`` read (all of ``every`` if one is not known)."""
    keys: set[str] = set()
    for field in fields:
        needed = needs.get(field.name)
        if needed is None:
            return set(every)
        keys.update(needed)
    return keys


def _projection(
    variable: LiteralString,
    table: dict[str, LiteralString],
    fields: list[SelectedField],
    needs: Needs,
) -> LiteralString:
    return projection(variable, table, _keys(fields, needs, table))


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
        person=projection("person", PERSON_KEYS, _keys(person, PERSON_NEEDS, PERSON_KEYS)),
        organisation=projection(
            "organisation",
            ORGANISATION_KEYS,
            _keys(lists["organisations"], ORGANISATION_NEEDS, ORGANISATION_KEYS) | {"name"},
        ),
        project=projection(
            "project",
            PROJECT_KEYS,
            _keys(lists["projects"], PROJECT_NEEDS, PROJECT_KEYS) | {"title"},
        ),
        topic=projection(
            "topic", TOPIC_KEYS, _keys(lists["topics"], TOPIC_NEEDS, TOPIC_KEYS) | {"label"}
        ),
    )


# A search hit's node, by the GraphQL type a fragment names: its kind, row keys and needs.
_SEARCH_KINDS: dict[str, tuple[str, dict[str, LiteralString], Needs]] = {
    "Project": ("project", PROJECT_KEYS, PROJECT_NEEDS),
    "Person": ("person", PERSON_KEYS, PERSON_NEEDS),
    "Resource": ("resource", RESOURCE_KEYS, RESOURCE_NEEDS),
    "Organisation": ("organisation", ORGANISATION_KEYS, ORGANISATION_NEEDS),
    "Topic": ("topic", TOPIC_KEYS, TOPIC_NEEDS),
}


def search_projections(info: Info) -> search.Projections:
    """What each kind of ``search`` hit must return for the fields its fragment on ``node``
    selects (why it matched always needs the searched fields, which ``search`` adds). A
    fragment on anything else (none is possible today) means every field of every kind."""
    selected: dict[str, list[SelectedField]] = {kind: [] for kind, _, _ in _SEARCH_KINDS.values()}
    for root in info.selected_fields:
        for field in fields_of(root.selections):
            if field.name != "node":
                continue
            for selection in field.selections:
                if isinstance(selection, SelectedField):
                    continue  # __typename: the only field of the union itself
                found = _SEARCH_KINDS.get(selection.type_condition or "")
                if found is None:
                    return search.Projections()
                selected[found[0]].extend(fields_of(selection.selections))
    return search.selected(
        {kind: _keys(selected[kind], needs, keys) for kind, keys, needs in _SEARCH_KINDS.values()}
    )
