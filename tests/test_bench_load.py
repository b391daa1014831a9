"""The load loop that times implementations side by side at concurrency 1 (bench/load.py,
``measure_in_turns``): turns, shared parameter sets, each its own latencies, errors and cuts."""

from __future__ import annotations

import asyncio

import pytest

from bench.load import Budget, measure, measure_in_turns


def _recorder(log: list[tuple[str, int]], name: str, seconds: float):  # type: ignore[no-untyped-def]
    async def call(n: int) -> None:
        log.append((name, n))
        await asyncio.sleep(seconds)

    return call


def test_calls_take_turns_with_the_same_parameters_and_keep_their_own_latencies() -> None:
    log: list[tuple[str, int]] = []
    calls = {"fast": _recorder(log, "fast", 0.002), "slow": _recorder(log, "slow", 0.012)}
    budget = Budget(seconds=0.3, max_requests=10_000, warmup=1)
    found = asyncio.run(measure_in_turns(calls, budget))
    timed = log[2:]  # after one warm-up request each
    # Rounds: each call once with the round's number, the order rotating every round.
    assert [n for _, n in timed[::2]] == [n for _, n in timed[1::2]]
    firsts = [name for name, _ in timed[::2]]
    assert firsts[:4] == ["fast", "slow", "fast", "slow"]
    assert found["fast"].requests == found["slow"].requests > 10
    assert 2 <= found["fast"].p50_ms < found["slow"].p50_ms
    assert found["slow"].p50_ms >= 12
    assert found["fast"].concurrency == found["slow"].concurrency == 1
    assert found["slow"].throughput < found["fast"].throughput


def test_rounds_stop_at_max_requests() -> None:
    log: list[tuple[str, int]] = []
    calls = {"a": _recorder(log, "a", 0.0), "b": _recorder(log, "b", 0.0)}
    found = asyncio.run(measure_in_turns(calls, Budget(seconds=30, max_requests=7, warmup=1)))
    assert found["a"].requests == found["b"].requests == 7


def test_errors_count_against_the_call_that_failed() -> None:
    async def fine(n: int) -> None:
        await asyncio.sleep(0)

    async def broken(n: int) -> None:
        if n % 2:
            raise RuntimeError(f"bad answer to {n}")

    found = asyncio.run(
        measure_in_turns({"fine": fine, "broken": broken}, Budget(0.1, 20, warmup=0))
    )
    assert found["fine"].errors == 0 and found["fine"].requests == 20
    assert found["broken"].errors == 10 and found["broken"].requests == 10
    assert found["broken"].first_error == "RuntimeError: bad answer to 1"


def test_a_call_that_hangs_is_cut_after_the_grace() -> None:
    async def quick(n: int) -> None:
        await asyncio.sleep(0.001)

    async def hangs(n: int) -> None:
        if n == 3:
            await asyncio.sleep(60)

    budget = Budget(seconds=0.05, max_requests=1000, grace=0.2, warmup=0)
    found = asyncio.run(asyncio.wait_for(measure_in_turns({"q": quick, "h": hangs}, budget), 5))
    assert found["h"].cut == 1 and found["q"].cut == 0
    assert found["h"].requests == 3  # rounds 0 to 2; round 3 never came back


@pytest.mark.parametrize("warmup", [0, 3])
def test_warm_up_requests_are_not_timed(warmup: int) -> None:
    log: list[tuple[str, int]] = []
    calls = {"a": _recorder(log, "a", 0.0)}
    found = asyncio.run(measure_in_turns(calls, Budget(seconds=10, max_requests=5, warmup=warmup)))
    assert found["a"].requests == 5
    assert len(log) == 5 + warmup


def test_warming_for_seconds_goes_on_until_they_pass_and_is_not_timed() -> None:
    log: list[tuple[str, int]] = []
    budget = Budget(seconds=10, max_requests=6, warmup=2, warmup_seconds=0.2)
    found = asyncio.run(measure(_recorder(log, "a", 0.01), 4, budget))
    assert found.requests == 6
    # Four workers for 0.2 s of 10 ms requests: tens of warm-up requests, not one each.
    assert len(log) - found.requests > 20
