"""`convener serve`: the hub in the foreground, on one process or several."""

from __future__ import annotations

import asyncio
import os
from typing import Annotated, Any

import typer
import uvicorn

from graph.migrate import apply_migrations
from hub.cli.console import err
from hub.cli.database import resolve_or_fail
from hub.config import Settings
from hub.local_database import DatabaseTarget
from hub.web.app import WORKER_APP, WORKER_NEO4J_URI, create_app, settle_garbage_collector


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=64,
            metavar="<int>",
            help="Hub processes sharing the port (default: CONVENER_WORKERS, 1).",
        ),
    ] = None,
) -> None:
    """Run the hub in the foreground.

    The explorer at /, GraphQL at /graphql (GraphiQL in a browser), health at /healthz and
    /readyz, Prometheus metrics at /metrics.
    """
    settings = Settings()
    target = resolve_or_fail(settings)
    try:
        run_hub(settings, target, host, port, workers=workers or settings.workers)
    finally:
        target.release()  # a no-op when the app's shutdown already stopped it


def run_hub(
    settings: Settings,
    target: DatabaseTarget,
    host: str | None,
    port: int | None,
    *,
    workers: int = 1,
) -> None:
    """Serve the hub in the foreground until it is stopped (shared by `serve` and `demo`).

    With several workers, uvicorn starts that many processes, each with its own app and
    driver (``hub.web.app.worker_app``); this process only supervises them, and stops the local
    Neo4j (when it started one) after they have ended.
    """
    where = "the local Neo4j" if target.owned else "Neo4j"
    err.print(f"Using {where} at {target.uri}", highlight=False)
    target.supervise(cache_dir=settings.cache_dir, timeout=settings.neo4j_startup_timeout)
    host, port = host or settings.host, port or settings.port
    if workers > 1:
        asyncio.run(_migrate(target, settings))  # once, not once per worker at the same time
        os.environ[WORKER_NEO4J_URI] = target.uri
        uvicorn.run(WORKER_APP, factory=True, workers=workers, host=host, port=port, **SERVING)
        return
    hub = create_app(target.connect(settings), on_shutdown=target.release)
    settle_garbage_collector()
    uvicorn.run(hub, host=host, port=port, **SERVING)


SERVING: dict[str, Any] = {"access_log": False}
"""uvicorn's own line per request is off: ``hub.web.logs.RequestLog`` already logs each one
(with its request id, status and duration), and a second line cost every request its
formatting."""


async def _migrate(target: DatabaseTarget, settings: Settings) -> None:
    graph = target.connect(settings)
    try:
        await apply_migrations(graph)
    finally:
        await graph.close()
