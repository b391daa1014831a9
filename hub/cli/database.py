"""The database a command works on: resolved once, released when the command ends."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from neo4j.exceptions import DriverError, Neo4jError

from graph.database import Graph
from graph.local_neo4j import LocalNeo4jError
from graph.migrate import apply_migrations
from hub.cli.console import fail
from hub.config import Settings
from hub.local_database import DatabaseTarget, resolve_database

T = TypeVar("T")

CONNECT_TIMEOUT = 15.0
"""Seconds to wait for Neo4j to answer before a command gives up on it."""


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
            await ensure_reachable(graph, target.uri)
            await apply_migrations(graph)
            return await work(graph)
        finally:
            await graph.close()

    try:
        return asyncio.run(run())
    finally:
        target.release()


async def ensure_reachable(graph: Graph, uri: str, code: int = 2) -> None:
    """Exit with one line when Neo4j does not answer or refuses us, before any work starts.

    The driver retries a query for up to 30 seconds while the server is unavailable, which
    suits a hub riding out a restart; a command run by hand or from cron says so at once.
    """
    try:
        await asyncio.wait_for(graph.driver.verify_connectivity(), CONNECT_TIMEOUT)
    except TimeoutError:
        raise fail(f"Neo4j at {uri} did not answer within {CONNECT_TIMEOUT:.0f} s", code) from None
    except (DriverError, Neo4jError, OSError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise fail(f"Neo4j at {uri} cannot be used: {reason}", code) from None
