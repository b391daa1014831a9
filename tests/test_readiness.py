"""/readyz follows the database: 503 with the reason while it is down, 200 once it is back."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from graph import local_neo4j
from graph.database import Graph
from hub.web.app import create_app

QUICK = local_neo4j.QUICK_START_JVM_OPTIONS


async def test_readyz_reports_a_down_neo4j_and_recovers_by_itself(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    port = local_neo4j.free_port()
    server = await asyncio.to_thread(local_neo4j.start, home, port=port, jvm_options=QUICK)
    graph = Graph.connect(server.uri)
    app = create_app(graph)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
            assert await ready_within(client, 30)  # a fresh server's first answer may be slow

            await asyncio.to_thread(server.stop)
            down = await client.get("/readyz")
            assert down.status_code == 503
            assert down.json()["status"] == "unavailable"
            reason = down.json()["reason"]
            assert reason.startswith(f"Neo4j at {server.uri} is not reachable (")
            assert not reason.endswith("()")
            assert (await client.get("/healthz")).status_code == 200

            server = await asyncio.to_thread(local_neo4j.start, home, port=port, jvm_options=QUICK)
            assert await ready_within(client, 30)
    finally:
        await graph.close()
        await asyncio.to_thread(server.stop)


async def ready_within(client: httpx.AsyncClient, seconds: float) -> bool:
    """Whether /readyz says ready within ``seconds`` (asked every half second)."""
    for _ in range(int(seconds * 2)):
        if (await client.get("/readyz")).status_code == 200:
            return True
        await asyncio.sleep(0.5)
    return False
