"""The open-data export: the graph (or one system's part of it) as files a BI tool reads.

``csv``: a zip of one CSV file per entity and per relationship (``csv_zip``, columns declared
in ``tables``), which the hub's CSV connector can load back. ``jsonld``: one JSON-LD document
with schema.org types (``jsonld``). People's personal fields follow the caller's role exactly
as the API does (``schema.viewer``); the CLI acts as a hub admin unless told otherwise.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import IO

from graph.database import Graph
from hub.export.csv_zip import write_csv_zip
from hub.export.jsonld import write_jsonld
from schema.viewer import Viewer


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str
    write: Callable[[Graph, IO[bytes], Viewer, str | None], Awaitable[dict[str, int]]]

    def file_name(self, system: str | None) -> str:
        """The same name every time for the same export, so a BI tool's source stays put."""
        return f"convener-export{'-' + system if system else ''}{self.suffix}"


async def _csv(graph: Graph, out: IO[bytes], viewer: Viewer, system: str | None) -> dict[str, int]:
    return await write_csv_zip(graph, out, viewer=viewer, system=system)


async def _jsonld(
    graph: Graph, out: IO[bytes], viewer: Viewer, system: str | None
) -> dict[str, int]:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    try:
        return await write_jsonld(graph, text, viewer=viewer, system=system)
    finally:
        text.detach()  # leave ``out`` open for the caller


FORMATS: dict[str, Format] = {
    "csv": Format("csv", "application/zip", ".zip", _csv),
    "jsonld": Format("jsonld", "application/ld+json", ".jsonld", _jsonld),
}

__all__ = ["FORMATS", "Format", "write_csv_zip", "write_jsonld"]
