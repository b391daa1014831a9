"""What every resolver gets: the graph, who is asking, per-request loaders, the request."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from starlette.requests import Request
from strawberry.types.graphql import OperationType

from graph.database import Graph
from schema.loaders import Loaders
from schema.viewer import ANONYMOUS, Viewer


@dataclass
class Context:
    graph: Graph
    request: Request | None = None
    viewer: Viewer = ANONYMOUS
    operation_name: str | None = None
    operation_type: OperationType | None = None
    for_this_caller: bool = False
    """Set by a resolver whose answer depends on who exactly asks (their own submissions, say),
    not only on their role: such an answer is never shared through the answer cache."""

    def answer_is_for_this_caller(self) -> None:
        """Mark the answer as this caller's alone (see ``for_this_caller``)."""
        self.for_this_caller = True

    @cached_property
    def loaders(self) -> Loaders:
        """The request's DataLoaders, made when a resolver first needs one: many requests
        (search, whoElse, a projects page that fetched its own lists) never do."""
        return Loaders(self.graph, self.viewer)
