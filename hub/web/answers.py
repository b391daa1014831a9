"""Answers to persisted queries, cached by the graph's version.

The graph changes only when something writes, and every such write bumps its version
(``graph.version``). An answer to a persisted query is kept under its operation, its
variables, the caller's role class and the version it was computed at, so an unchanged graph
answers from memory and a changed one never does. Each hub learns the version by reading it
at most once every ``poll`` seconds (on a request that finds its knowledge older than that),
so hubs behind a load balancer serve a write within that bound, without asking Neo4j on every
request; the hub that ran a mutation reads it again at once, so its caller sees their write.
Memory is bounded by entries and by bytes, least recently used first out.

Role classes: what one caller may see must be what every caller of the class sees. Anonymous
callers see the same; members see the same (contact details depend on the person's consent,
not on who asks); a partner admin sees their own partner's sync runs, so each partner is its
own class; hub admins see all.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graph.database import DatabaseUnavailable, Graph
from graph.version import graph_version
from schema.viewer import Role, Viewer


def role_class(viewer: Viewer) -> str:
    """Callers who see exactly the same answers share a class."""
    if viewer.role == Role.PARTNER_ADMIN:
        return f"partner_admin:{viewer.partner}"
    return viewer.role.value


class VersionClock:
    """The graph's version as this hub last read it, read again once it is ``poll`` s old."""

    def __init__(self, graph: Graph, poll: float) -> None:
        self.graph = graph
        self.poll = poll
        self.version: int | None = None
        self.read_at = -float("inf")
        self.lock = asyncio.Lock()

    async def current(self) -> int | None:
        """The version to cache under, or None while it cannot be read (cache nothing)."""
        if time.monotonic() - self.read_at < self.poll:
            return self.version
        async with self.lock:
            if time.monotonic() - self.read_at >= self.poll:
                try:
                    self.version = await graph_version(self.graph)
                except DatabaseUnavailable:
                    self.version = None
                self.read_at = time.monotonic()
        return self.version

    def forget(self) -> None:
        """Read the version again on the next request: this hub has just written, and its
        caller should see the write at once, not within ``poll``."""
        self.read_at = -float("inf")


@dataclass(frozen=True)
class Key:
    operation: str
    variables: str
    role: str
    version: int

    @classmethod
    def of(
        cls, operation: str, variables: dict[str, Any] | None, viewer: Viewer, version: int
    ) -> Key:
        canonical = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
        return cls(operation, canonical, role_class(viewer), version)


class AnswerCache:
    """A bounded LRU of answers' bytes, by ``Key``."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.entries: OrderedDict[Key, bytes] = OrderedDict()
        self.bytes = 0

    def get(self, key: Key) -> bytes | None:
        body = self.entries.get(key)
        if body is not None:
            self.entries.move_to_end(key)
        return body

    def put(self, key: Key, body: bytes) -> None:
        if len(body) > self.max_bytes or self.max_entries == 0:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= len(old)
        self.entries[key] = body
        self.bytes += len(body)
        while len(self.entries) > self.max_entries or self.bytes > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.bytes -= len(dropped)


class Answers:
    """The cache and the version clock of one hub, as the GraphQL endpoint uses them."""

    def __init__(self, graph: Graph, *, poll: float, max_entries: int, max_bytes: int) -> None:
        self.clock = VersionClock(graph, poll)
        self.cache = AnswerCache(max_entries, max_bytes)

    async def key(
        self, operation: str, variables: dict[str, Any] | None, viewer: Viewer
    ) -> Key | None:
        """Where this answer is kept, or None when nothing may be cached now."""
        if self.cache.max_entries == 0:
            return None
        version = await self.clock.current()
        return None if version is None else Key.of(operation, variables, viewer, version)
