"""The Starlette application: GraphQL, health and readiness."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from strawberry.asgi import GraphQL

from graph.database import Graph
from graph.migrate import apply_migrations
from schema.api import schema
from schema.context import Context

log = logging.getLogger(__name__)

DATABASE_DOWN = (ServiceUnavailable, SessionExpired, OSError, asyncio.TimeoutError)


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app, handing each request the process-wide graph."""

    def __init__(self, graph: Graph, **options: Any) -> None:
        super().__init__(schema, **options)
        self.graph = graph

    async def get_context(self, request: Any, response: Any = None) -> Context:
        return Context(graph=self.graph, request=request)


class Readiness:
    """Whether the hub can serve: Neo4j answers and the migrations are applied.

    Migrations are applied at start-up; if Neo4j was down then, the next readiness check
    applies them, so a hub started before its database recovers by itself.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.migrated = False
        self._lock = asyncio.Lock()

    async def check(self) -> str | None:
        """None when ready, else the reason in a sentence."""
        try:
            await asyncio.wait_for(self.graph.ping(), timeout=5.0)
        except DATABASE_DOWN as error:
            return f"Neo4j is not reachable: {error}"
        except Neo4jError as error:
            return f"Neo4j refused the readiness query: {error.message}"
        if not self.migrated:
            return await self.migrate()
        return None

    async def migrate(self) -> str | None:
        async with self._lock:
            if self.migrated:
                return None
            try:
                applied = await apply_migrations(self.graph)
            except DATABASE_DOWN as error:
                return f"Neo4j is not reachable: {error}"
            except Exception as error:
                log.exception("migrations failed")
                return f"migrations could not be applied: {error}"
            if applied:
                log.info("applied migrations: %s", ", ".join(applied))
            self.migrated = True
            return None


def create_app(
    graph: Graph,
    *,
    close_graph: bool = True,
    on_shutdown: Callable[[], None] | None = None,
) -> Starlette:
    """The hub's ASGI app around an open graph; it applies migrations as it starts.

    ``on_shutdown`` runs (in a thread) after the graph is closed: the CLI stops the local Neo4j
    there, because uvicorn ends the process with the signal it caught once the app has shut down.
    """
    readiness = Readiness(graph)
    graphql = GraphQLApp(graph)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "alive"})

    async def readyz(request: Request) -> Response:
        reason = await readiness.check()
        if reason is None:
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        reason = await readiness.migrate()
        if reason is not None:
            log.warning("starting while not ready: %s", reason)
        try:
            yield
        finally:
            if close_graph:
                await graph.close()
            if on_shutdown is not None:
                await asyncio.to_thread(on_shutdown)

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
        ],
        lifespan=lifespan,
    )
    app.state.graph = graph
    app.state.readiness = readiness
    return app
