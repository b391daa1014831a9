"""What every resolver gets: the graph, who is asking, per-request loaders, the request."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from graph.database import Graph
from schema.loaders import Loaders
from schema.viewer import ANONYMOUS, Viewer


@dataclass
class Context:
    graph: Graph
    request: Request | None = None
    viewer: Viewer = ANONYMOUS
    loaders: Loaders = field(init=False)
    operation_name: str | None = None

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.graph, self.viewer)
