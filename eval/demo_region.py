"""The demo region in a graph, synced for real as `convener demo` does: for evaluations.

The partner web (examples/) is served on 127.0.0.1 and pulled through the real connectors, so
what an evaluation measures is what a hub with the demo region holds.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from examples.demo_web import DEMO_SECRETS, EXAMPLES, PartnerWeb, Serving, demo_partners
from graph import local_neo4j
from graph.database import Graph
from graph.migrate import apply_migrations
from hub.sync.run import run_sync


async def sync_demo(graph: Graph) -> None:
    """Pull every demo partner's sources into ``graph``; fails if a source could not be pulled."""
    port = local_neo4j.free_port()
    partners, env = demo_partners(port)
    with Serving(PartnerWeb(partners, EXAMPLES / "web", DEMO_SECRETS).app(), port):
        report = await run_sync(graph, partners, env=env)
    if not report.ok:
        raise RuntimeError(f"the demo region did not sync: {[o.summary for o in report.failed]}")


@asynccontextmanager
async def scratch_graph() -> AsyncIterator[Graph]:
    """A local Neo4j in a temporary directory, migrated and empty; stopped on leaving."""
    with tempfile.TemporaryDirectory() as home:
        server = await asyncio.to_thread(
            local_neo4j.start,
            Path(home) / "neo4j",
            jvm_options=local_neo4j.QUICK_START_JVM_OPTIONS,
        )
        graph = Graph.connect(server.uri)
        try:
            await apply_migrations(graph)
            yield graph
        finally:
            await graph.close()
            await asyncio.to_thread(server.stop)
