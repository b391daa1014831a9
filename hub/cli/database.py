"""The database a command works on: resolved once, released when the command ends."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from graph.database import Graph
from graph.local_neo4j import LocalNeo4jError
from graph.migrate import apply_migrations
from hub.cli.console import fail
from hub.config import Settings
from hub.local_database import DatabaseTarget, resolve_database

T = TypeVar("T")


def resolve_or_fail(settings: Settings, code: int = 1) -> DatabaseTarget:
    """The configured Neo4j or the local one; when neither can be had, exit with ``code``."""
    try:
        return resolve_database(settings)
    except LocalNeo4jError as error:
        raise fail(str(error), code) from None


def with_graph(work: Callable[[Graph], Awaitable[T]], settings: Settings | None = None) -> T:
    """Run ``work`` on the migrated graph, then close it (and stop a local Neo4j we started)."""
    settings = settings or Settings()
    target = resolve_or_fail(settings)

    async def run() -> T:
        graph = target.connect(settings)
        try:
            await apply_migrations(graph)
            return await work(graph)
        finally:
            await graph.close()

    try:
        return asyncio.run(run())
    finally:
        target.release()
