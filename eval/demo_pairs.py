"""How the demo region's planted duplicates score: a check for tuning, not part of CI.

    .venv/bin/python -m eval.demo_pairs

Starts a local Neo4j in a temporary directory, syncs the demo region (examples/) over real
HTTP as `convener demo` does, re-scores everything, and prints each planted duplicate's score,
kind and reasons against the default threshold. Acceptance wants all of them at or above it;
tests/test_duplicates_demo.py checks the same through the API, with each reason's evidence.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from examples.demo_web import DEMO_SECRETS, EXAMPLES, PartnerWeb, Serving, demo_partners
from graph import local_neo4j
from graph.database import Graph
from graph.migrate import apply_migrations
from graph.similarity import reads
from graph.similarity.engine import rescore_all
from graph.similarity.scoring import DEFAULT_THRESHOLD
from hub.sync.run import run_sync


async def check() -> int:
    planted = json.loads((EXAMPLES / "planted.json").read_text())
    found = 0
    with tempfile.TemporaryDirectory() as home:
        server = await asyncio.to_thread(local_neo4j.start, Path(home) / "neo4j")
        graph = Graph.connect(server.uri)
        try:
            await apply_migrations(graph)
            port = local_neo4j.free_port()
            partners, env = demo_partners(port)
            with Serving(PartnerWeb(partners, EXAMPLES / "web", DEMO_SECRETS).app(), port):
                await run_sync(graph, partners, env=env)
            await rescore_all(graph)
            for a, b in planted["duplicates"]:
                pair = await reads.get_pair(
                    graph, f"{a['source']}:{a['ref']}", f"{b['source']}:{b['ref']}"
                )
                ok = pair is not None and pair.score >= DEFAULT_THRESHOLD
                found += ok
                score = f"{pair.score:.3f} {pair.kind}" if pair else "not stored"
                print(f"{'ok  ' if ok else 'MISS'} {score}: {a['title']} | {b['title']}")
                if pair:
                    print(f"     {pair.explanation}")
        finally:
            await graph.close()
            await asyncio.to_thread(server.stop)
    print(f"{found} of {len(planted['duplicates'])} planted duplicates at >= {DEFAULT_THRESHOLD}")
    return found


if __name__ == "__main__":
    asyncio.run(check())
