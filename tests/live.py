"""Real servers for tests: a throw-away local Neo4j, and an ASGI app served on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from graph import local_neo4j
from graph.local_neo4j import LocalNeo4j, free_port

SESSION_SETTINGS = {"dbms.cypher.min_replan_interval": "1h"}
"""A test session's graph goes from empty to a region and back for every test, so Neo4j's
statistics always look changed and it plans its statements again (at most every ten seconds
by default). Plans made on a small graph serve a small graph; a hub in service keeps the
default, which adapts its plans as its graph grows."""


@contextmanager
def neo4j(home: Path) -> Iterator[LocalNeo4j]:
    """A throw-away server for a test session, with the JIT's full tiers: the session plans
    hundreds of large statements, and C1-only code plans them several times slower than it
    saves in warming up (``QUICK_START_JVM_OPTIONS`` is for servers that live seconds).
    Planned once each (``SESSION_SETTINGS``)."""
    server = local_neo4j.start(home, settings=SESSION_SETTINGS)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def serving(app: ASGIApp, what: str = "the hub") -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started or not thread.is_alive():
            break
        time.sleep(0.05)
    assert server.started, f"{what} did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
