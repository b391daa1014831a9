"""Prometheus metrics for the hub: GraphQL requests by operation, latency, errors.

Each app has its own registry, so several apps in one process (as in the tests) never clash.
Operation names come from clients, so the label is bounded: names that are not plain
identifiers, and any beyond the first MAX_OPERATIONS seen, are counted as ``other``.
"""

from __future__ import annotations

import re

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from hub.web.answers import AnswerCache

MAX_OPERATIONS = 200
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """The hub's counters and histograms, in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._operations: set[str] = set()
        self.graphql_requests = Counter(
            "convener_graphql_requests",
            "GraphQL requests, by operation name and outcome (ok, field_error, request_error).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.graphql_latency = Histogram(
            "convener_graphql_request_duration_seconds",
            "Time to answer a GraphQL request, by operation name.",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.graphql_errors = Counter(
            "convener_graphql_errors",
            "Errors in GraphQL responses, by operation name and kind (request, user, internal).",
            ["operation", "kind"],
            registry=self.registry,
        )
        self.answer_cache = Counter(
            "convener_answer_cache_lookups",
            "Answers to persisted queries looked up in the cache, by result (hit, miss).",
            ["result"],
            registry=self.registry,
        )
        self.answer_cache_entries = Gauge(
            "convener_answer_cache_entries", "Answers kept in the cache.", registry=self.registry
        )
        self.answer_cache_bytes = Gauge(
            "convener_answer_cache_bytes", "Bytes the kept answers take.", registry=self.registry
        )
        self.http_requests = Counter(
            "convener_http_requests",
            "HTTP requests, by method, route and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )

    def answer_cache_size(self, cache: AnswerCache) -> None:
        """Record how full the answer cache is."""
        self.answer_cache_entries.set(len(cache.entries))
        self.answer_cache_bytes.set(cache.bytes)

    def operation(self, name: str | None) -> str:
        """The label for an operation name: bounded in spelling and in number."""
        if not name:
            return "anonymous"
        if not _NAME.match(name):
            return "other"
        if name not in self._operations:
            if len(self._operations) >= MAX_OPERATIONS:
                return "other"
            self._operations.add(name)
        return name

    def render(self) -> bytes:
        return generate_latest(self.registry)
