"""Which keys a place in a configuration file allows, and the nearest to a misspelt one.

Pydantic says a key is unknown; a person wants to know what they meant. The models say what
each place allows: ``model_at`` walks them along a key path (choosing a union's member by its
``kind``, ``style`` or ``type``), and ``did_you_mean`` finds the closest allowed spelling.
A mapping's record fields (``fields: {titel: Title}``) are checked against the record's model.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterable
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from connectors.records import (
    OrganisationRecord,
    PersonRecord,
    ProjectRecord,
    ResourceRecord,
)

RECORDS: dict[str, type[BaseModel]] = {
    "organisation": OrganisationRecord,
    "person": PersonRecord,
    "project": ProjectRecord,
    "resource": ResourceRecord,
}
TAGS = ("kind", "style", "type")  # the discriminators of the partners file's unions


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean `title`?)`` for the closest choice, or '' when none is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def model_at(root: type[BaseModel], loc: Iterable[str | int], data: Any) -> type[BaseModel] | None:
    """The model that validates the value at ``loc`` of ``data`` (None where none does)."""
    kind: Any = root
    node = data
    for part in loc:
        node = _child(node, part)
        kind = _resolve(_step(_resolve(kind, None), part), node)
        if kind is None:
            return None
    return kind if _is_model(kind) else None


def record_field_problem(entity: str, name: str) -> str | None:
    """Why ``name`` is not a field of an ``entity`` record (dotted names go into nested
    objects: ``lead_organisation.ods_code``), or None when it is one."""
    model: Any = RECORDS.get(entity)
    if model is None:
        return None
    path = name.split(".")
    for depth, part in enumerate(path):
        allowed = [field for field in model.model_fields if field != "kind"]
        if part not in allowed:
            inside = f" of {'.'.join(path[:depth])}" if depth else f" of a {entity}"
            return f"{part!r} is not a field{inside}{did_you_mean(part, allowed)}"
        model = _inner_model(model.model_fields[part].annotation)
        if model is None and depth < len(path) - 1:
            return f"{part!r} holds no fields to name with a dot"
    return None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``X | None`` or ``list[X]``, if there is one."""
    for candidate in (annotation, *get_args(annotation)):
        if _is_model(candidate):
            return candidate
        if get_origin(candidate) is list and _is_model(get_args(candidate)[0]):
            return get_args(candidate)[0]
    return None


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _step(kind: Any, part: str | int) -> Any:
    """The declared type of ``part`` inside a value of type ``kind``."""
    origin = get_origin(kind)
    if origin is list and isinstance(part, int):
        return get_args(kind)[0]
    if origin is dict:
        return get_args(kind)[1]
    if _is_model(kind) and isinstance(part, str) and part in kind.model_fields:
        return kind.model_fields[part].annotation
    return None


def _resolve(kind: Any, value: Any) -> Any:
    """``kind`` without ``Annotated`` and ``| None``; a union's member tagged as ``value`` is."""
    while kind is not None:
        origin = get_origin(kind)
        if origin is Annotated:
            kind = get_args(kind)[0]
        elif origin in (Union, types.UnionType):
            members = [m for m in get_args(kind) if m is not type(None)]
            if len(members) == 1:
                kind = members[0]
            else:
                kind = next((m for m in members if _tagged(m, value)), None)
        else:
            return kind
    return None


def _tagged(model: Any, value: Any) -> bool:
    if not _is_model(model) or not isinstance(value, dict):
        return False
    for tag in TAGS:
        field = model.model_fields.get(tag)
        if field is not None and get_origin(field.annotation) is Literal:
            return value.get(tag) in get_args(field.annotation)
    return False


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)
