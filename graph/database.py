"""One async Neo4j driver per process, and the only doors through which Cypher runs.

Writes go through ``execute_write``: managed transactions that the driver retries on transient
errors. Reads run as auto-commit queries in read sessions, one round trip each, retried here
the way the driver retries (``_read``). Both are routed correctly on a cluster (``neo4j://``).

Every call is bounded in time. When Neo4j cannot be reached, or does not answer in time, the
call raises ``DatabaseUnavailable`` with a reason and a time to retry after; when the database
is down (it does not answer a trivial query either), further calls fail at once for that long
instead of each waiting on it. A call refused memory raises ``QueryTooLarge``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Auth
from neo4j.exceptions import (
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time

Record = dict[str, Any]
T = TypeVar("T")

UNREACHABLE = (ServiceUnavailable, SessionExpired, TransientError, OSError)
"""What the driver raises when the database, not the query, is the problem."""

OUT_OF_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
"""Neo4j's code for a transaction refused more memory: the query, not the database, is the
problem (one request's limit, or the pool shared by all, is reached)."""

log = logging.getLogger(__name__)


class QueryTooLarge(Exception):
    """Neo4j refused one query the memory it needed. Only that request fails: the database is
    up for every other one, and asking again the same way would fail again."""

    def __init__(self) -> None:
        super().__init__(
            "Answering this needs more memory than one request may use. Ask for less: fewer "
            "items (a smaller first), or a narrower filter."
        )
        self.extensions = {"code": "QUERY_TOO_LARGE"}


class DatabaseUnavailable(Exception):
    """Neo4j could not be reached or did not answer in time; try again after ``retry_after``.

    ``reason`` names the database and the driver's words, for logs and operators;
    ``summary`` (also its ``str``) says the same without them, fit for clients.
    """

    def __init__(self, reason: str, retry_after: float, summary: str) -> None:
        super().__init__(summary)
        self.reason = reason
        self.retry_after = retry_after
        self.summary = summary


@dataclass(frozen=True)
class Timeouts:
    """How long one call may take, in seconds, retries included, and how long to fail fast
    after the database was found unavailable."""

    read: float = 15.0
    write: float = 120.0
    pause: float = 5.0
    probe: float = 2.0
    """After a call runs out of time: how long a trivial query may take for the database to
    count as up (the slow call was then too heavy, or one of too many at once)."""

    @property
    def retries(self) -> float:
        """How long a call keeps retrying what the database may answer next time: a quarter
        of the read bound, so the last failure's own reason is what a caller sees, not ours."""
        return min(30.0, self.read / 4)


class Graph:
    """The hub's connection to Neo4j: a driver, a database name, and a count of round trips."""

    def __init__(
        self,
        driver: AsyncDriver,
        database: str = "neo4j",
        *,
        timeouts: Timeouts = Timeouts(),
        address: str = "Neo4j",
    ) -> None:
        self.driver = driver
        self.database = database
        self.timeouts = timeouts
        self.address = address
        self.round_trips = 0
        self.down: DatabaseUnavailable | None = None
        self.down_until = 0.0

    @classmethod
    def connect(
        cls,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str = "neo4j",
        timeouts: Timeouts = Timeouts(),
    ) -> Graph:
        auth: Auth | None = Auth("basic", user, password) if user and password else None
        driver = AsyncGraphDatabase.driver(
            uri,
            auth=auth,
            max_connection_lifetime=300,
            connection_acquisition_timeout=min(10.0, timeouts.read),
            connection_timeout=min(5.0, timeouts.read),
            # The driver retries writes (waiting a second, then two...) and still gives up
            # with its own reason before our bound cuts it short; reads retry alike (``read``).
            max_transaction_retry_time=timeouts.retries,
            # Hints such as "label does not exist" on an empty graph are noise in our logs.
            notifications_min_severity="OFF",
        )
        return cls(driver, database, timeouts=timeouts, address=f"Neo4j at {uri}")

    async def read(
        self, query: LiteralString, parameters: Mapping[str, Any] | None = None
    ) -> list[Record]:
        """Run one read query and return its records as dicts (see ``_value`` for the values).

        An auto-commit transaction: one round trip where a managed one takes three (begin,
        run, commit), and a read has nothing to commit. It is retried as the driver retries
        managed transactions (``_read``), since a read repeated changes nothing."""
        self.round_trips += 1
        params = dict(parameters or {})
        retries = self.timeouts.retries
        return await self._bounded(
            self.timeouts.read,
            lambda s: _read(s, query, params, retries),
            access_mode=neo4j.READ_ACCESS,
        )

    async def write(
        self, query: LiteralString, parameters: Mapping[str, Any] | None = None
    ) -> list[Record]:
        """Run one write query in a managed transaction and return its records as dicts."""
        self.round_trips += 1
        params = dict(parameters or {})
        return await self._bounded(
            self.timeouts.write, lambda s: s.execute_write(_run, query, params)
        )

    async def write_many(
        self, statements: Sequence[tuple[LiteralString, Mapping[str, Any]]]
    ) -> None:
        """Run several write statements in one managed transaction: all land, or none."""
        if not statements:
            return
        self.round_trips += len(statements)
        await self._bounded(self.timeouts.write, lambda s: s.execute_write(_run_all, statements))

    async def _bounded(
        self,
        seconds: float,
        work: Callable[[neo4j.AsyncSession], Awaitable[T]],
        access_mode: str = neo4j.WRITE_ACCESS,
    ) -> T:
        """``work`` in a session, within ``seconds``; DatabaseUnavailable when Neo4j is down.
        ``access_mode`` routes what the session runs outside a managed transaction (reads go
        to any member of a cluster)."""
        if self.down is not None and time.monotonic() < self.down_until:
            down = self.down
            raise DatabaseUnavailable(down.reason, self.down_until - time.monotonic(), down.summary)
        try:
            async with asyncio.timeout(seconds):
                async with self.driver.session(
                    database=self.database, default_access_mode=access_mode
                ) as session:
                    result = await work(session)
        except TimeoutError:
            late = f"did not answer within {seconds:g} s"
            reason, summary = f"{self.address} {late}", f"the database {late}"
            if await self._answers_at_once():
                # Up, but this call took too long: its own failure. Taking the database for
                # down would refuse every other request for the pause as well.
                raise DatabaseUnavailable(reason, self.timeouts.pause, summary) from None
            raise self._unavailable(reason, summary) from None
        except UNREACHABLE as error:
            detail = str(error).strip() or type(error).__name__
            reason = f"{self.address} is not reachable ({detail})"
            raise self._unavailable(reason, "the database is not reachable") from error
        self.down = None
        return result

    async def _answers_at_once(self) -> bool:
        """Whether the database answers a trivial query within ``Timeouts.probe``."""
        try:
            async with asyncio.timeout(self.timeouts.probe):
                async with self.driver.session(database=self.database) as session:
                    await _ping(session)
        except (TimeoutError, *UNREACHABLE):
            return False
        return True

    def _unavailable(self, reason: str, summary: str) -> DatabaseUnavailable:
        self.down = DatabaseUnavailable(reason, self.timeouts.pause, summary)
        self.down_until = time.monotonic() + self.timeouts.pause
        return self.down

    async def ping(self) -> None:
        """Raise unless the database answers a trivial query, asked once: a probe wants the
        driver's reason now, not after the retries a managed transaction makes."""
        self.round_trips += 1
        await self._bounded(self.timeouts.read, _ping)

    async def close(self) -> None:
        await self.driver.close()


async def _ping(session: neo4j.AsyncSession) -> None:
    result = await session.run("RETURN 1 AS ok")
    await result.consume()


async def _run_all(
    tx: AsyncManagedTransaction, statements: Sequence[tuple[LiteralString, Mapping[str, Any]]]
) -> None:
    try:
        for query, parameters in statements:
            result = await tx.run(query, dict(parameters))
            await result.consume()
    except TransientError as error:
        if error.code == OUT_OF_MEMORY:
            raise _too_large(error) from error
        raise


async def _run(
    tx: AsyncManagedTransaction | neo4j.AsyncSession,
    query: LiteralString,
    parameters: dict[str, Any],
) -> list[Record]:
    try:
        result = await tx.run(query, parameters)
        return [
            dict(zip(record.keys(), map(_value, record), strict=True)) async for record in result
        ]
    except TransientError as error:
        if error.code == OUT_OF_MEMORY:
            raise _too_large(error) from error
        raise


RETRY_DELAY = 1.0
"""Seconds before the first retry of a read; each next waits twice as long (the driver's)."""
RETRY_JITTER = 0.2
"""Each wait is shortened or lengthened by up to this share, so retries spread out."""


async def _read(
    session: neo4j.AsyncSession, query: LiteralString, parameters: dict[str, Any], within: float
) -> list[Record]:
    """``query`` as an auto-commit transaction, tried again while what it raises is
    retryable (the driver's own verdict, ``is_retryable``) and a next try may start within
    ``within`` seconds: as the driver retries a managed transaction."""
    deadline = time.monotonic() + within
    delay = RETRY_DELAY
    while True:
        try:
            return await _run(session, query, parameters)
        except (Neo4jError, DriverError) as error:
            wait = delay * random.uniform(1 - RETRY_JITTER, 1 + RETRY_JITTER)
            if not error.is_retryable() or time.monotonic() + wait > deadline:
                raise
        log.info("retrying a read in %.1f s", wait)
        await asyncio.sleep(wait)
        delay *= 2


def _too_large(error: Neo4jError) -> QueryTooLarge:
    """A query refused memory, raised from the transaction function as our own error: the
    driver retries its transient errors, and this one would only be refused again, each retry
    taking memory from other requests meanwhile."""
    log.warning("a query was refused memory: %s", error.message)
    return QueryTooLarge()


_PLAIN = frozenset({str, int, float, bool, type(None)})
_KEPT = (Time, Duration, Point)
"""Values kept as the driver gives them (``data()`` keeps them too)."""


def _value(value: Any) -> Any:
    """A value as ``neo4j.Record.data()`` gives it (nodes as their properties, through lists
    and maps), with Neo4j's dates and datetimes as Python's.

    Every value of every row passes through here: ``data()`` tries a chain of ``isinstance``
    checks against abstract types on each (about a millisecond for a page of 20 projects with
    their nested lists), so exact types are tested first, as the driver builds plain ``str``,
    ``int``, ``list`` and ``dict``. Converting dates in the same walk spares callers a second
    one. Anything else (nodes, relationships, paths, bytes) goes to the driver's own
    conversion, and its result through here again for the dates in a node's properties.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [_value(item) for item in value]
    if kind is dict:
        return {key: _value(item) for key, item in value.items()}
    if isinstance(value, Date | DateTime):
        return value.to_native()
    if isinstance(value, _KEPT):
        return value
    converted = neo4j.Record({"value": value}).data()["value"]
    return _value(converted) if type(converted) in (list, dict) else converted
