"""What every resolver gets: the graph to read from and the request it serves."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from graph.database import Graph


@dataclass
class Context:
    graph: Graph
    request: Request | None = None
