"""Rate limits: a token bucket per API key or token subject, and one per client address.

Each bucket holds a minute's allowance and refills continuously, so short bursts pass and a
steady flood is held to the limit. Over the limit the hub answers 429 with ``Retry-After``:
the seconds until one more request would pass. Buckets live in this process: with several
hubs behind a load balancer each enforces its own share (set the limits per hub).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_BUCKETS = 50_000  # beyond this, full (idle) buckets are dropped


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """Token buckets keyed by a string (``key:<id>``, ``oidc:<sub>`` or ``ip:<address>``)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def take(self, bucket: str, per_minute: int) -> float | None:
        """Spend one request from ``bucket``: None if allowed, else seconds to wait."""
        now = self.clock()
        rate = per_minute / 60.0
        state = self._buckets.get(bucket)
        if state is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._prune(now)
            state = self._buckets[bucket] = _Bucket(float(per_minute), now)
        state.tokens = min(float(per_minute), state.tokens + (now - state.at) * rate)
        state.at = now
        if state.tokens >= 1.0:
            state.tokens -= 1.0
            return None
        return (1.0 - state.tokens) / rate

    def _prune(self, now: float) -> None:
        """Forget buckets idle for a minute (they are full again), or else the oldest tenth."""
        idle = [k for k, b in self._buckets.items() if now - b.at > 60.0]
        for key in idle or list(self._buckets)[: MAX_BUCKETS // 10]:
            del self._buckets[key]


def retry_after(seconds: float) -> str:
    """Whole seconds, rounded up (at least 1), as ``Retry-After`` wants them."""
    return str(max(1, math.ceil(seconds)))
