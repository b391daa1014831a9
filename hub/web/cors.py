"""CORS for partner websites: only the origins each partner configured (``embed_origins``).

The partners file names them; sync stores them on ``Partner`` nodes, so every hub behind a load
balancer reads the same list (re-read every ``CONVENER_ORIGINS_REFRESH`` seconds).
``CONVENER_EMBED_ORIGINS`` adds origins of the hub's own choosing. A request from any other
origin is refused with 403 (not merely left without CORS headers), so a misconfigured page
finds out why. The hub's own pages (same origin) and clients that send no ``Origin`` are not
affected: CORS is the browser's protection of its users, not an authentication.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping

from starlette.datastructures import Headers

from graph.database import Graph
from graph.queries.access import embed_origins
from hub.config import Settings

log = logging.getLogger(__name__)

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "accept, authorization, content-type, x-api-key, x-request-id"
EXPOSED_HEADERS = "etag, retry-after, x-request-id"
PREFLIGHT_MAX_AGE = "600"


class OriginPolicy:
    """Which cross-origin pages may call the hub, kept fresh from the graph."""

    def __init__(self, graph: Graph, settings: Settings) -> None:
        self.graph = graph
        self.extra = {origin: "hub" for origin in settings.embed_origins}
        self.refresh = settings.origins_refresh
        self._known: Mapping[str, str] = {}
        self._read_at: float | None = None
        self._lock = asyncio.Lock()

    async def partner_of(self, origin: str) -> str | None:
        """The partner (or ``hub``) an origin belongs to, or None when it is not allowed."""
        await self._fresh()
        return self.extra.get(origin) or self._known.get(origin)

    async def _fresh(self) -> None:
        if self._read_at is not None and time.monotonic() - self._read_at < self.refresh:
            return
        async with self._lock:
            if self._read_at is not None and time.monotonic() - self._read_at < self.refresh:
                return
            try:
                self._known = await embed_origins(self.graph)
            except Exception as error:  # keep the last list: Neo4j may be down for a moment
                log.warning("could not read embed origins: %s", error)
                if self._read_at is not None:
                    return
                raise
            self._read_at = time.monotonic()


def same_origin(origin: str, headers: Headers) -> bool:
    """The hub's own pages (its explorer, GraphiQL), whichever scheme a proxy terminated."""
    host = headers.get("host")
    return host is not None and origin in (f"http://{host}", f"https://{host}")


def refusal(origin: str) -> str:
    return (
        f"Origin {origin} may not call this hub. A partner adds its website's origin to "
        "`embed_origins` in the partners file; the hub admin then syncs."
    )


def cors_headers(origin: str) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Expose-Headers": EXPOSED_HEADERS,
        "Vary": "Origin",
    }


def preflight_headers(origin: str) -> dict[str, str]:
    return {
        **cors_headers(origin),
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
    }
