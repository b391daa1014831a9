"""CPU time a process and its threads have used, from /proc (Linux).

On a shared machine wall-clock time depends on the neighbours; the CPU a server spends on the
work does much less, and a JVM's threads say whether it is still compiling.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# Neo4j's threads by what they do, from their names as /proc shows them (cut to 15 characters).
THREAD_GROUPS = [
    ("jit", ("CompilerThre",)),
    ("gc", ("GC Thread", "G1 ", "VM Thread")),
    ("queries", ("neo4j.BoltWorke", "neo4j.BoltNetwo")),
    ("index", ("neo4j.IndexPopu", "neo4j.IndexSamp", "neo4j.IndexClea")),
    ("storage", ("neo4j.CheckPoin", "neo4j.PageCache", "MuninnPageCache", "neo4j.LogRotati")),
]


def thread_cpu_seconds(pid: int) -> dict[str, float]:
    """CPU time of a process's threads so far, grouped by what they do (THREAD_GROUPS).

    A young JVM spends much of its CPU compiling; this tells that apart from the queries
    (Bolt workers run the statements and their commits) and from the collector.
    """
    totals: dict[str, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:  # the thread ended
            continue
        name, rest = stat.split("(", 1)[1].rsplit(")", 1)
        group = next(
            (group for group, marks in THREAD_GROUPS if any(m in name for m in marks)), "other"
        )
        fields = rest.split()
        totals[group] = totals.get(group, 0) + int(fields[11]) + int(fields[12])
    return {group: ticks / os.sysconf("SC_CLK_TCK") for group, ticks in totals.items()}


SETTLED_JIT_SHARE = 0.15
"""A JVM whose compiler threads take at most this share of its CPU over a stretch of work has
compiled its hot paths: the benches warm Neo4j up until it is there."""


def cpu_mark(pid: int) -> tuple[float, float]:
    """A process's CPU seconds so far, in all and in its JIT compiler threads (``jit_share``)."""
    return process_cpu_seconds(pid), thread_cpu_seconds(pid).get("jit", 0.0)


def jit_share(pid: int, since: tuple[float, float]) -> float:
    """The JIT compiler threads' share of a process's CPU since ``since`` (a ``cpu_mark``)."""
    cpu, jit = cpu_mark(pid)
    spent = cpu - since[0]
    return (jit - since[1]) / spent if spent else 0.0


async def until_settled(
    pid: int, max_rounds: int, one_round: Callable[[int], Awaitable[object]]
) -> tuple[int, float]:
    """Runs ``one_round(n)`` for n = 0, 1, ... until the JIT compiler threads' share of process
    ``pid``'s CPU over a round is at most SETTLED_JIT_SHARE, or ``max_rounds`` have run; gives
    the rounds run and the last round's share (1.0 when none ran)."""
    rounds, share = 0, 1.0
    while rounds < max_rounds and share > SETTLED_JIT_SHARE:
        mark = cpu_mark(pid)
        await one_round(rounds)
        share = jit_share(pid, mark)
        rounds += 1
    return rounds, share
