"""The Starlette application: GraphQL, health, readiness and metrics."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from neo4j.exceptions import Neo4jError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph.counts import ensure_counted
from graph.database import DatabaseUnavailable, Graph
from graph.impact import ensure_tallied
from graph.links import ensure_links_kept
from graph.migrate import apply_migrations
from hub.config import Settings, ingest_options
from hub.files.extraction import TextReader
from hub.files.store import FileStore
from hub.local_database import DatabaseTarget
from hub.web.access import build_access
from hub.web.answers import Answers
from hub.web.calendar import calendar_routes
from hub.web.explorer import explorer_routes
from hub.web.export import export_routes
from hub.web.files import Files, file_routes
from hub.web.graphql_http import GraphQLEndpoint
from hub.web.logs import RequestLog, configure_logging
from hub.web.metrics import CONTENT_TYPE, Metrics
from hub.web.ratelimit import RateLimiter
from hub.web.unavailable import handle_unavailable
from schema.api import schema

log = logging.getLogger(__name__)

READINESS_TIMEOUT = 5.0
"""Seconds a readiness probe waits for Neo4j: a probe must answer sooner than a query."""

# `convener serve --workers N`: uvicorn imports this factory in each worker process; the
# supervising process names the Neo4j it resolved (perhaps a local one it started) here.
WORKER_APP = "hub.web.app:worker_app"
WORKER_NEO4J_URI = "CONVENER_WORKER_NEO4J_URI"


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
            await asyncio.wait_for(self.graph.ping(), timeout=READINESS_TIMEOUT)
        except TimeoutError:
            return f"Neo4j did not answer the readiness query within {READINESS_TIMEOUT:g} s"
        except DatabaseUnavailable as error:
            return error.reason
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
                built = await ensure_links_kept(self.graph)
                counted = await ensure_counted(self.graph)
                tallied = await ensure_tallied(self.graph)
            except DatabaseUnavailable as error:
                return error.reason
            except Exception as error:
                log.exception("migrations failed")
                return f"migrations could not be applied: {error}"
            if applied:
                log.info("applied migrations: %s", ", ".join(applied))
            if built:
                log.info("worked out the links between organisations once; ingestion keeps them")
            if counted:
                log.info("worked out the kept counts once; ingestion keeps them")
            if tallied:
                log.info("worked out the kept impact figures once; pulls and snapshots keep them")
            self.migrated = True
            return None


GC_YOUNGEST_THRESHOLD = 10_000
"""Allocations between collections of the youngest generation (Python's default is 700)."""


def settle_garbage_collector() -> None:
    """Collect once and freeze what survives; collect the young generation less often.

    For a process that serves the hub and nothing else (``convener serve`` and its workers
    call it once, with the app built); tests and embedding apps keep Python's defaults.

    After start-up the process holds about a hundred thousand long-lived objects (the schema,
    graphql-core's types, the driver). Without this, every full collection walks them all
    again, a few milliseconds that land on whichever request happens to be running; frozen,
    they are left out. A request's own garbage is mostly freed by reference counting, so a
    higher threshold only makes the collector run less often, not keep much more.
    """
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(max(gc.get_threshold()[0], GC_YOUNGEST_THRESHOLD), middle, oldest)


def create_app(
    graph: Graph,
    *,
    close_graph: bool = True,
    on_shutdown: Callable[[], None] | None = None,
    settings: Settings | None = None,
) -> Starlette:
    """The hub's ASGI app around an open graph; it applies migrations as it starts.

    ``on_shutdown`` runs (in a thread) after the graph is closed: the CLI stops the local Neo4j
    there, because uvicorn ends the process with the signal it caught once the app has shut down.
    """
    settings = settings or Settings()
    readiness = Readiness(graph)
    metrics = Metrics()
    access = build_access(graph, settings)
    answers = Answers(
        graph,
        poll=settings.graph_version_poll,
        max_entries=settings.answer_cache_entries,
        max_bytes=settings.answer_cache_bytes,
    )
    graphql = GraphQLEndpoint(schema, graph, metrics, access.persisted, answers)
    files = Files(
        graph,
        FileStore(settings.files_root),
        settings.file_max_bytes,
        RateLimiter(),
        settings.contribution_rate_limit,
        TextReader(),
        settings.upload_bytes_per_day,
    )

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "alive"})

    async def readyz(request: Request) -> Response:
        reason = await readiness.check()
        if reason is None:
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)

    async def prometheus(request: Request) -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        configure_logging()
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
            Route("/metrics", prometheus),
            Route("/graphql", graphql.handle, methods=["GET", "POST"]),
            *explorer_routes(),
            *export_routes(),
            *access.routes,
            *calendar_routes(graph, max_age=settings.embed_max_age),
            *file_routes(files),
        ],
        middleware=[Middleware(RequestLog, metrics=metrics), access.middleware],
        lifespan=lifespan,
        exception_handlers={DatabaseUnavailable: handle_unavailable},
    )
    app.state.graph = graph
    app.state.readiness = readiness
    app.state.metrics = metrics
    app.state.access = access
    app.state.ingest_options = ingest_options(settings)  # for splitting names, contributions
    # Submissions are limited per caller apart from requests (schema/contributions.py).
    app.state.submission_limiter = RateLimiter()
    app.state.submission_rate_limit = settings.contribution_rate_limit
    return app


def worker_app() -> Starlette:
    """The app of one of several worker processes, on the Neo4j the supervisor resolved.

    The hub keeps no state between requests beyond caches, so workers need not share any;
    rate-limit buckets and metrics are per worker (README.md, Deploying).
    """
    settings = Settings()
    uri = os.environ.get(WORKER_NEO4J_URI) or settings.neo4j_uri
    if not uri:
        raise RuntimeError(f"{WORKER_NEO4J_URI} is not set: start workers with `convener serve`.")
    app = create_app(DatabaseTarget(uri).connect(settings), settings=settings)
    settle_garbage_collector()
    return app
