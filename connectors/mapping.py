"""Field mapping: from a partner's own item shape to the dict a record model validates.

A partner names things its own way; the partners file says, for each record field, where the
value lives in the partner's item (a dotted path, or a column name) and how to read it.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

_MISSING = object()


class FieldSpec(BaseModel):
    """How to read one record field; a plain string in the partners file is ``path``.

    ``split`` breaks a multi-value cell (``"falls; frailty"``) into a list; ``each`` reads a
    sub-path (or several sub-fields) from every item of a list; ``parts`` names the pieces of a
    split value such as ``"p01:lead"``; ``values`` translates the partner's vocabulary
    (``"Live": active``); ``value`` is a constant.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str | None = None
    value: Any = None
    split: list[str] | None = None
    each: str | dict[str, str] | None = None
    parts: list[str] | None = None
    part_separator: str = ":"
    values: dict[str, Any] | None = None

    @field_validator("split", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("path")
    @classmethod
    def _path(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("an empty path reads nothing; give a field name or a dotted path")
        return value


class FieldMap(BaseModel):
    """The record fields to fill (``fields``) and constants for fields the partner omits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    defaults: dict[str, Any] = Field(default_factory=dict)

    @field_validator("fields", mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: {"path": v} if isinstance(v, str) else v for k, v in value.items()}
        return value


def get_path(item: Any, path: str) -> Any:
    """The value at a dotted path (``org.code``, ``authors.0.name``), or None if absent.

    A key that itself contains dots (a spreadsheet column ``"Ref."``) is tried whole first.
    """
    value = _lookup(item, path)
    return None if value is _MISSING else value


def _lookup(item: Any, path: str) -> Any:
    if isinstance(item, dict) and path in item:
        return item[path]
    head, dot, rest = path.partition(".")
    if isinstance(item, dict):
        child = item.get(head, _MISSING)
    elif isinstance(item, list) and head.isdigit():
        index = int(head)
        child = item[index] if index < len(item) else _MISSING
    else:
        return _MISSING
    if child is _MISSING or not dot:
        return child
    return _lookup(child, rest)


def read_field(item: Any, spec: FieldSpec) -> Any:
    """One field's value from a partner item, following the spec."""
    value = spec.value if spec.path is None else get_path(item, spec.path)
    if value is None:
        return None
    if spec.split and isinstance(value, str):
        pattern = "|".join(re.escape(sep) for sep in spec.split)
        value = [piece.strip() for piece in re.split(pattern, value) if piece.strip()]
    if spec.each is not None and isinstance(value, list):
        value = [_read_each(element, spec.each) for element in value]
    if spec.parts and isinstance(value, list):
        value = [_name_parts(element, spec) for element in value]
    if spec.values is not None:
        value = (
            [_translate(v, spec.values) for v in value]
            if isinstance(value, list)
            else (_translate(value, spec.values))
        )
    return value


def _read_each(element: Any, each: str | dict[str, str]) -> Any:
    if isinstance(each, str):
        return get_path(element, each)
    return {name: get_path(element, path) for name, path in each.items()}


def _name_parts(element: Any, spec: FieldSpec) -> Any:
    if not isinstance(element, str) or not spec.parts:
        return element
    pieces = [p.strip() for p in element.split(spec.part_separator, len(spec.parts) - 1)]
    return {name: piece or None for name, piece in zip(spec.parts, pieces, strict=False)}


def _translate(value: Any, table: dict[str, Any]) -> Any:
    """The partner's word in our vocabulary; case and spacing do not matter; unknown passes."""
    if not isinstance(value, str):
        return value
    wanted = value.strip().casefold()
    for word, ours in table.items():
        if word.strip().casefold() == wanted:
            return ours
    return value


def apply_map(item: Any, field_map: FieldMap, kind: str) -> dict[str, Any]:
    """The record dict for ``parse_record``: defaults first, then what the item says.

    A record field with a dot (``lead_organisation.ods_code``) fills a nested object.
    """
    data: dict[str, Any] = {"kind": kind}
    for name, constant in field_map.defaults.items():
        _put(data, name, constant)
    for name, spec in field_map.fields.items():
        value = read_field(item, spec)
        if value is not None and value != "" and value != []:
            _put(data, name, value)
    return _ids_as_text(data)


_ID_FIELDS = frozenset({"ref", "person", "project"})


def _ids_as_text(value: Any, key: str = "") -> Any:
    """Ids that a JSON API or a spreadsheet gives as numbers (``101``, ``101.0``) as text."""
    if isinstance(value, dict):
        return {k: _ids_as_text(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_ids_as_text(v, key) for v in value]
    if key in _ID_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _put(data: dict[str, Any], name: str, value: Any) -> None:
    head, dot, rest = name.partition(".")
    if not dot:
        data[head] = value
        return
    child = data.get(head)
    if not isinstance(child, dict):
        child = {}
        data[head] = child
    _put(child, rest, value)
