"""The bench's HTTP client (bench/http.py) against a real server on 127.0.0.1 that misbehaves
on purpose: chunked bodies, closed connections, answers that are not JSON, silence."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from bench.http import HTTPError, JSONClient

Reply = Callable[[dict[str, str], bytes], Awaitable[bytes | None]]
"""Given a request's headers and body, the raw bytes to answer (None: close without a word)."""


class Server:
    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.connections = 0
        self.requests: list[tuple[str, dict[str, str], bytes]] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *fields = head.decode("latin-1").split("\r\n")[:-2]
                headers = {k.lower(): v.strip() for k, v in (f.split(":", 1) for f in fields)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests.append((line, headers, body))
                answer = await self.reply(headers, body)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if b"connection: close" in answer.lower():
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def serving(reply: Reply) -> AsyncIterator[tuple[Server, str]]:
    server = Server(reply)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield server, f"http://127.0.0.1:{port}/graphql"
    finally:
        listener.close()
        await listener.wait_closed()


def sized(body: bytes, status: str = "200 OK", extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def echo(headers: dict[str, str], body: bytes) -> bytes:
    answer = {"got": json.loads(body), "auth": headers.get("authorization")}
    return sized(json.dumps(answer).encode())


def run(coroutine: Awaitable[None]) -> None:
    asyncio.run(asyncio.wait_for(coroutine, 30))  # type: ignore[arg-type]


def test_posts_json_and_keeps_the_connection() -> None:
    async def main() -> None:
        async with serving(echo) as (server, url):
            client = JSONClient(url, {"Authorization": "Bearer k"})
            for n in range(3):
                status, answer = await client.post({"query": "{a}", "n": n})
                assert status == 200
                assert answer == {"got": {"query": "{a}", "n": n}, "auth": "Bearer k"}
            await client.aclose()
        assert server.connections == 1
        assert [line for line, _, _ in server.requests] == ["POST /graphql HTTP/1.1"] * 3
        assert server.requests[0][1]["content-type"] == "application/json"

    run(main())


def test_concurrent_requests_each_get_their_own_answer() -> None:
    async def slow_echo(headers: dict[str, str], body: bytes) -> bytes:
        await asyncio.sleep(0.01 * (3 - json.loads(body)["n"] % 3))
        return await echo(headers, body)

    async def main() -> None:
        async with serving(slow_echo) as (server, url):
            client = JSONClient(url)
            answers = await asyncio.gather(*(client.post({"n": n}) for n in range(8)))
            assert [a["got"]["n"] for _, a in answers] == list(range(8))
            again = await asyncio.gather(*(client.post({"n": n}) for n in range(8)))
            assert len(again) == 8
            await client.aclose()
        assert server.connections == 8  # one a request in flight, reused the second time

    run(main())


def test_chunked_bodies_are_joined() -> None:
    async def chunked(headers: dict[str, str], body: bytes) -> bytes:
        payload = b'{"data": {"word": "' + b"x" * 5000 + b'"}}'
        parts = [payload[i : i + 1000] for i in range(0, len(payload), 1000)]
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts)
        return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"

    async def main() -> None:
        async with serving(chunked) as (_, url):
            client = JSONClient(url)
            status, answer = await client.post({})
            assert status == 200 and answer["data"]["word"] == "x" * 5000
            await client.aclose()

    run(main())


def test_a_connection_the_server_closes_is_not_reused() -> None:
    async def closing(headers: dict[str, str], body: bytes) -> bytes:
        return sized(b"{}", extra="Connection: close\r\n")

    async def main() -> None:
        async with serving(closing) as (server, url):
            client = JSONClient(url)
            for _ in range(3):
                assert await client.post({}) == (200, {})
            await client.aclose()
        assert server.connections == 3

    run(main())


def test_a_server_that_hangs_up_is_an_error() -> None:
    async def hang_up(headers: dict[str, str], body: bytes) -> bytes | None:
        return None

    async def main() -> None:
        async with serving(hang_up) as (_, url):
            client = JSONClient(url)
            with pytest.raises(HTTPError, match="closed the connection"):
                await client.post({})

    run(main())


def test_an_answer_that_is_not_json_names_its_status() -> None:
    async def plain(headers: dict[str, str], body: bytes) -> bytes:
        return sized(b"Bad Gateway", status="502 Bad Gateway")

    async def main() -> None:
        async with serving(plain) as (_, url):
            with pytest.raises(HTTPError, match="status 502, not JSON: b'Bad Gateway'"):
                await JSONClient(url).post({})

    run(main())


def test_a_silent_server_times_out_and_its_connection_is_dropped() -> None:
    async def silent(headers: dict[str, str], body: bytes) -> bytes:
        if json.loads(body).get("wait"):
            await asyncio.sleep(5)
        return sized(b"{}")

    async def main() -> None:
        async with serving(silent) as (server, url):
            client = JSONClient(url, timeout=0.2)
            with pytest.raises(asyncio.TimeoutError):
                await client.post({"wait": True})
            assert await client.post({}) == (200, {})
            await client.aclose()
        assert server.connections == 2

    run(main())


def test_only_plain_http_urls_with_a_port() -> None:
    with pytest.raises(ValueError, match="plain http"):
        JSONClient("https://127.0.0.1:443/graphql")
    with pytest.raises(ValueError, match="plain http"):
        JSONClient("http://127.0.0.1/graphql")
