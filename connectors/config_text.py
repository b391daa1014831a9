"""A configuration file's YAML, with the line of every key and list item.

So a problem found later, by a path of keys and indexes, can say where in the file it is; and
a YAML syntax error names the file and the line, not ``"<unicode string>"``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Loc = tuple[str | int, ...]


def load_yaml(text: str, path: Path) -> tuple[Any, dict[Loc, int]]:
    """The document and, for each key path (``("partners", 0, "sources")``), its line (1-based).

    Raises ``yaml.YAMLError`` (its marks name ``path``).
    """
    loader = yaml.SafeLoader(text)
    loader.name = str(path)  # marks name the file, not the string it was read into
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    if node is not None:
        _collect(node, (), lines)
    return data, lines


def _collect(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[(*loc, key.value)] = key.start_mark.line + 1
                _collect(value, (*loc, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            _collect(item, (*loc, index), lines)


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc``, else of the nearest entry that holds it (a missing key's entry)."""
    for end in range(len(loc), 0, -1):
        if (found := lines.get(loc[:end])) is not None:
            return found
    return None


def yaml_problem(error: yaml.YAMLError) -> str:
    """A syntax error in one line: where, what, and what it was in the middle of."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None)
    if mark is None or problem is None:
        return f"is not valid YAML: {error}"
    said = f"line {mark.line + 1}, column {mark.column + 1}: not valid YAML: {problem}"
    context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context and context_mark is not None:
        said += f" ({context} on line {context_mark.line + 1})"
    return said
