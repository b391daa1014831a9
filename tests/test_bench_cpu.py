"""Warm-up rounds run until the JIT compiler threads' share of a process's CPU has settled
(bench/cpu.py, ``until_settled``), measured from /proc on a real thread named as a JVM's is."""

from __future__ import annotations

import asyncio
import ctypes
import os
import threading

from bench.cpu import until_settled

PR_SET_NAME = 15


def _compiling(stop: threading.Event) -> threading.Thread:
    """A thread that spends CPU under the name a JVM gives its JIT compiler threads."""

    def spin() -> None:
        ctypes.CDLL(None).prctl(PR_SET_NAME, b"C2 CompilerThre", 0, 0, 0)
        while not stop.is_set():
            sum(range(10_000))

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    return thread


async def test_rounds_go_on_while_the_compiler_is_busy_and_stop_once_it_is_not() -> None:
    seen: list[int] = []
    stop = threading.Event()

    async def one_round(number: int) -> None:
        seen.append(number)
        if number == 2:
            stop.set()  # the compiler is done by the end of the third round
        await asyncio.sleep(0.2)

    thread = _compiling(stop)
    try:
        rounds, share = await until_settled(os.getpid(), 10, one_round)
    finally:
        stop.set()
        thread.join()
    # Rounds 0 and 1 are mostly the compiler's CPU; round 2 stops it part way; round 3 has none.
    assert seen == list(range(rounds)) and 3 <= rounds <= 4
    assert share <= 0.15


async def test_rounds_stop_at_the_limit_when_the_compiler_never_settles() -> None:
    stop = threading.Event()
    thread = _compiling(stop)
    try:
        rounds, share = await until_settled(os.getpid(), 2, lambda _: asyncio.sleep(0.2))
    finally:
        stop.set()
        thread.join()
    assert rounds == 2 and share > 0.15


async def test_no_rounds_means_no_share_measured() -> None:
    assert await until_settled(os.getpid(), 0, lambda _: asyncio.sleep(0)) == (0, 1.0)
