"""Bounded load: ``concurrency`` workers call one request function until time or count runs out.

Every loop stops by itself: after ``seconds`` of measuring or ``max_requests`` requests,
whichever comes first. Latencies are per request, throughput is completed requests over the
measured wall time.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Call = Callable[[int], Awaitable[Any]]
"""One request: takes the request's sequence number (to pick its parameters)."""


@dataclass(frozen=True)
class Budget:
    seconds: float = 3.0
    max_requests: int = 2_000
    grace: float = 15.0
    """Seconds requests still in flight at the deadline may take before they are cancelled
    (and counted as ``cut``), so a cell of very slow requests still ends."""
    warmup: int = 4
    """Requests before measuring (plans and connections warm): this many in all, at least one
    per worker, so a slow query at high concurrency does not spend minutes warming up."""
    warmup_seconds: float = 0.0
    """Go on warming, at the cell's concurrency, until this long has passed too. A database
    just started compiles the code a new kind of query runs hot (the JVM's JIT) over its first
    few hundred requests, on the same cores as the queries; a hub in service asks one that
    finished long ago, and a cell measured straight after start measures the compiler."""


@dataclass(frozen=True)
class Measurement:
    concurrency: int
    requests: int
    errors: int
    cut: int
    """Requests cancelled ``grace`` seconds after the deadline (not in the latencies)."""
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    throughput: float
    """Completed requests per second."""
    first_error: str | None = None
    """What the first failed request raised (type and message), so an error count has a cause."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "cut": self.cut,
            "seconds": round(self.seconds, 2),
            "p50_ms": round(self.p50_ms, 1),
            "p95_ms": round(self.p95_ms, 1),
            "p99_ms": round(self.p99_ms, 1),
            "throughput": round(self.throughput, 1),
            "first_error": self.first_error,
        }


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values (nan when there are none)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[rank - 1]


async def measure(call: Call, concurrency: int, budget: Budget) -> Measurement:
    """Warm up, then run ``concurrency`` workers against ``call`` within ``budget``."""
    per_worker = max(1, budget.warmup // concurrency)
    until = time.perf_counter() + budget.warmup_seconds
    warming = [asyncio.ensure_future(_warm(call, w, per_worker, until)) for w in range(concurrency)]
    await _within(warming, budget.warmup_seconds + budget.grace)
    latencies: list[float] = []
    errors = 0
    first_error: str | None = None
    issued = 0
    started = time.perf_counter()
    deadline = started + budget.seconds

    async def worker() -> None:
        nonlocal issued, errors, first_error
        while issued < budget.max_requests and time.perf_counter() < deadline:
            number = issued
            issued += 1
            begun = time.perf_counter()
            try:
                await call(number)
            except Exception as error:
                errors += 1
                first_error = first_error or f"{type(error).__name__}: {error}"[:300]
                continue
            latencies.append(time.perf_counter() - begun)

    tasks = [asyncio.ensure_future(worker()) for _ in range(concurrency)]
    cut = await _within(tasks, budget.seconds + budget.grace)
    elapsed = time.perf_counter() - started
    return _summary(concurrency, sorted(latencies), errors, cut, elapsed, first_error)


async def _within(tasks: list[asyncio.Future[None]], timeout: float) -> int:
    """Wait for ``tasks`` up to ``timeout`` seconds, cancel the rest; how many were cancelled."""
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    await asyncio.gather(*done, *pending, return_exceptions=True)
    return len(pending)


async def _warm(call: Call, worker: int, count: int, until: float = 0.0) -> None:
    """``count`` requests, and more until ``until`` (``time.perf_counter``) has passed."""
    n = 0
    while n < count or time.perf_counter() < until:
        await call(worker * count + n)
        n += 1


async def measure_in_turns(calls: Mapping[str, Call], budget: Budget) -> dict[str, Measurement]:
    """Concurrency 1 with the calls taking turns, one request each a round, all with the same
    parameter set (``n``), for ``budget.seconds`` each (in all, that times their number) or
    ``budget.max_requests`` rounds.

    Back-to-back cells give each implementation its own stretch of time, and whatever drifts on
    a shared machine meanwhile (another process, Neo4j's background work, a collector) lands on
    one of them; taking turns spreads it over all alike. The order rotates every round, so none
    always runs straight after another. A request still running ``budget.grace`` seconds after
    the deadline is cancelled and counted as ``cut``.
    """
    names = list(calls)
    for name in names:
        await _within([asyncio.ensure_future(_warm(calls[name], 0, budget.warmup))], budget.grace)
    latencies: dict[str, list[float]] = {name: [] for name in names}
    spent = dict.fromkeys(names, 0.0)
    errors = dict.fromkeys(names, 0)
    cut = dict.fromkeys(names, 0)
    first_error: dict[str, str | None] = dict.fromkeys(names)
    deadline = time.perf_counter() + budget.seconds * len(names)
    running: list[str] = []

    async def rounds() -> None:
        number = 0
        while number < budget.max_requests and time.perf_counter() < deadline:
            shift = number % len(names)
            for name in names[shift:] + names[:shift]:
                running[:] = [name]
                begun = time.perf_counter()
                try:
                    await calls[name](number)
                except Exception as error:
                    errors[name] += 1
                    first_error[name] = (
                        first_error[name] or f"{type(error).__name__}: {error}"[:300]
                    )
                else:
                    latencies[name].append(time.perf_counter() - begun)
                spent[name] += time.perf_counter() - begun
            number += 1
        running.clear()

    # No timer around each request (on Python 3.11 one costs a task, which would fall on the
    # in-process raw Cypher calls): the rounds as a whole get the grace after the deadline.
    if await _within([asyncio.ensure_future(rounds())], budget.seconds * len(names) + budget.grace):
        cut[running[0]] += 1
    return {
        name: _summary(
            1, sorted(latencies[name]), errors[name], cut[name], spent[name], first_error[name]
        )
        for name in names
    }


def _summary(
    concurrency: int,
    latencies: list[float],
    errors: int,
    cut: int,
    seconds: float,
    first_error: str | None,
) -> Measurement:
    """A cell's numbers from its sorted latencies and the wall time it took."""
    return Measurement(
        concurrency=concurrency,
        requests=len(latencies),
        errors=errors,
        cut=cut,
        seconds=seconds,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p95_ms=percentile(latencies, 0.95) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        throughput=len(latencies) / seconds if seconds else 0.0,
        first_error=first_error,
    )
