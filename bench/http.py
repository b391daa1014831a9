"""The load generator's HTTP client: JSON POSTs over kept-alive HTTP/1.1, parsed in C.

httpx parses HTTP/1.1 in pure Python (h11) and spent 1.6 to 2.0 ms of the bench process's CPU
on each GraphQL request and its answer, more than the hub spends on a small query. At
concurrency 1 that time adds to every latency measured through HTTP (Convener's and
@neo4j/graphql's, not raw Cypher's), and at 16 it takes a share of the two cores the servers
need. Browsers, curl and Node parse HTTP in native code, so the bench does too: this client
does only what the bench needs (POST a JSON body on a kept-alive connection, read the status and
the body, sized or chunked) with httptools, the C parser the hub's uvicorn uses, and orjson.
About 0.1 ms of CPU a request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httptools
import orjson


class HTTPError(Exception):
    """A response the bench cannot use: a broken or closed connection, or a body not JSON."""


class _Connection(asyncio.Protocol):
    """One kept-alive connection; one request at a time."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[tuple[int, bytes, bool]] | None = None
        self.body: list[bytes] = []
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, error: Exception | None) -> None:
        self.closed = True
        self._fail(HTTPError(f"the server closed the connection ({error or 'no error'})"))

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as error:
            self._fail(HTTPError(f"unreadable HTTP response: {error}"))
            self.close()

    # httptools callbacks
    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        body, self.body = b"".join(self.body), []
        if self.waiter is not None and not self.waiter.done():
            status = self.parser.get_status_code()
            self.waiter.set_result((status, body, self.parser.should_keep_alive()))

    def request(self, data: bytes) -> asyncio.Future[tuple[int, bytes, bool]]:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self.waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _fail(self, error: Exception) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(error)


class JSONClient:
    """POSTs JSON to one URL and parses the JSON answers; a pool of kept-alive connections,
    as many as requests run at once."""

    def __init__(
        self, url: str, headers: Mapping[str, str] | None = None, timeout: float = 120.0
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname is None or parts.port is None:
            raise ValueError(f"{url}: the bench's client speaks plain http to host:port only")
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        head = [
            f"POST {parts.path or '/'} HTTP/1.1",
            f"Host: {parts.hostname}:{parts.port}",
            "Content-Type: application/json",
            "Accept: application/json",
            *(f"{name}: {value}" for name, value in (headers or {}).items()),
        ]
        self._head = ("\r\n".join(head) + "\r\nContent-Length: ").encode("latin-1")
        self._idle: list[_Connection] = []

    async def post(self, payload: Any) -> tuple[int, Any]:
        """The status and the parsed JSON body of one POST of ``payload``."""
        body = orjson.dumps(payload)
        connection = await self._connection()
        try:
            status, answer, keep_alive = await asyncio.wait_for(
                connection.request(b"%s%d\r\n\r\n%s" % (self._head, len(body), body)),
                self.timeout,
            )
        except BaseException:
            connection.close()
            raise
        if keep_alive and not connection.closed:
            self._idle.append(connection)
        else:
            connection.close()
        try:
            return status, orjson.loads(answer)
        except orjson.JSONDecodeError:
            raise HTTPError(f"status {status}, not JSON: {answer[:200]!r}") from None

    async def _connection(self) -> _Connection:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
        _, connection = await asyncio.get_running_loop().create_connection(
            _Connection, self.host, self.port
        )
        return connection

    async def aclose(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()
