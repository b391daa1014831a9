"""A real HTTP server on 127.0.0.1 that plays a partner's website, and misbehaves on request.

Each route is a function from the request to a ``Reply``; the server logs every request so a
test can check what a connector actually asked for (pages, If-None-Match, auth headers).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors.partners import PartnerConfig, PartnersFile, Source
from connectors.pull import new_client, pull_source
from connectors.result import PullResult, SourceState


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any = None


@dataclass
class Reply:
    status: int = 200
    body: Any = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


Handler = Callable[[Request], Reply]


class PartnerWeb:
    """Routes by path; ``log`` holds every request received, in order."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.log: list[Request] = []
        self._server: ThreadingHTTPServer | None = None

    def route(self, path: str, handler: Handler | Reply) -> None:
        self.routes[path] = handler if callable(handler) else (lambda _request: handler)

    def url(self, path: str = "") -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.log if request.path == path]

    def handle(self, request: Request) -> Reply:
        self.log.append(request)
        handler = self.routes.get(request.path)
        return handler(request) if handler else Reply(404, {"error": "not found"})

    @contextmanager
    def running(self) -> Iterator[PartnerWeb]:
        web = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=json.loads(raw) if raw else None,
                )
                reply = web.handle(request)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.payload()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", reply.content_type)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    if reply.status != 304:
                        self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as a timeout test wants

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        self._server = server
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


# Patient enough for 127.0.0.1, quick enough for a test suite.
FAST_HTTP = {"timeout": 0.5, "retries": 2, "backoff": 0.01, "backoff_max": 0.05}


def one_source(source: dict[str, Any], **partner: Any) -> tuple[PartnerConfig, Source]:
    """A validated partner with one source, as if read from a partners file."""
    entry = {
        "id": "zv-trust",
        "name": "Zedvale Community Trust",
        "sector": "nhs",
        "ods_code": "ZZV01",
        **partner,
        "sources": [{"http": FAST_HTTP, **source}],
    }
    return PartnersFile.model_validate({"partners": [entry]}).sources()[0]


async def pull(
    source: tuple[PartnerConfig, Source],
    state: SourceState | None = None,
    env: dict[str, str] | None = None,
) -> PullResult:
    async with new_client() as client:
        return await pull_source(*source, state, client=client, env=env or {})
