"""The demo's partner web: the demo region's websites, served for real on 127.0.0.1.

The partners file says how each source paginates and where its items sit; the partner web
reads the same file and serves ``web/`` beside it exactly that way, so the demo goes through the
real connectors over real HTTP: paginated JSON APIs (with ETags, an ``updated_since`` filter
and the demo credentials checked), registers and feeds as files, and a small GraphQL peer.
What is on (events, training, visits) is computed from the day it starts (``demo_events``).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from graphql import build_schema, graphql
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.mapping import get_path
from connectors.partners import (
    ApiKeyAuth,
    BearerAuth,
    CursorPagination,
    GraphQLSource,
    JsonApiSource,
    JsonApiStream,
    LinkHeaderPagination,
    NextLinkPagination,
    OffsetPagination,
    PagePagination,
    PartnersFile,
    load_partners,
)
from examples.demo_events import live_content

EXAMPLES = Path(__file__).resolve().parent
DEMO_SECRETS = {
    "CONVENER_DEMO_TOKEN": "demo-token-not-a-secret",
    "CONVENER_DEMO_API_KEY": "demo-key-not-a-secret",
}
DEFAULT_PAGE = 10


@dataclass
class JsonStream:
    """One paginated JSON endpoint and the file it serves."""

    stream: JsonApiStream
    items: list[Any]
    etag: str


class PartnerWeb:
    """Routes: each json_api stream and graphql source by its URL path; anything else a file."""

    def __init__(
        self,
        partners: PartnersFile,
        web_dir: Path,
        secrets: dict[str, str],
        today: date | None = None,
    ) -> None:
        self.web_dir = web_dir
        self.secrets = secrets
        self.streams: dict[str, JsonStream] = {}
        self.graphql: dict[str, Path] = {}
        self.auth: dict[str, BearerAuth | ApiKeyAuth] = {}
        live = live_content(today or date.today())
        self.live_files = live.files
        for _, source in partners.sources():
            if isinstance(source, JsonApiSource):
                for stream in source.mapping.values():
                    path = urlsplit(_join(source.url, stream.path)).path
                    items = live.streams.get(path)
                    if items is None:
                        items = json.loads((web_dir / f"{path.strip('/')}.json").read_bytes())
                    if path in live.patches:
                        items = live.patches[path](items)
                    data = json.dumps(items, sort_keys=True).encode()
                    etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
                    self.streams[path] = JsonStream(stream, items, etag)
                    if source.auth is not None:
                        self.auth[path] = source.auth
            elif isinstance(source, GraphQLSource):
                path = urlsplit(source.url).path
                self.graphql[path] = web_dir / path.strip("/")

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self.answer, methods=["GET", "POST"])])

    async def answer(self, request: Request) -> Response:
        path = request.url.path
        if (refusal := self._refused(path, request)) is not None:
            return refusal
        if path in self.streams:
            return self._json_page(self.streams[path], request)
        if path in self.graphql and request.method == "POST":
            return await self._graphql(self.graphql[path], request)
        return self._file(path, request)

    def _refused(self, path: str, request: Request) -> Response | None:
        auth = self.auth.get(path)
        if auth is None:
            return None
        if isinstance(auth, BearerAuth):
            ok = request.headers.get("authorization") == f"Bearer {self.secrets[auth.token_env]}"
        else:
            ok = request.headers.get(auth.header) == self.secrets[auth.key_env]
        return None if ok else JSONResponse({"error": "unauthorised"}, status_code=401)

    def _json_page(self, served: JsonStream, request: Request) -> Response:
        if request.headers.get("if-none-match") == served.etag:
            return Response(status_code=304, headers={"ETag": served.etag})
        stream, query = served.stream, request.query_params
        items = _changed_since(served.items, stream, query)
        pagination = stream.pagination
        headers = {"ETag": served.etag}
        extra: dict[str, Any] = {}
        if isinstance(pagination, PagePagination):
            size = int(query.get(pagination.size_param or "", pagination.size))
            page = int(query.get(pagination.page_param, pagination.first_page))
            start = (page - pagination.first_page) * size
            chunk = items[start : start + size]
            if pagination.total_pages:
                extra[pagination.total_pages] = max(1, -(-len(items) // size))
        elif isinstance(pagination, OffsetPagination):
            start = int(query.get(pagination.offset_param, 0))
            chunk = items[start : start + int(query.get(pagination.limit_param, pagination.limit))]
            if pagination.total:
                extra[pagination.total] = len(items)
        elif isinstance(pagination, CursorPagination):
            start = int(query.get(pagination.cursor_param, "c0")[1:])
            chunk = items[start : start + DEFAULT_PAGE]
            following = start + DEFAULT_PAGE
            extra[pagination.cursor] = f"c{following}" if following < len(items) else None
        elif isinstance(pagination, NextLinkPagination | LinkHeaderPagination):
            page = int(query.get("page", 1))
            start = (page - 1) * DEFAULT_PAGE
            chunk = items[start : start + DEFAULT_PAGE]
            more = start + DEFAULT_PAGE < len(items)
            following = f"{request.url.path}?page={page + 1}" if more else None
            if isinstance(pagination, NextLinkPagination):
                extra[pagination.next] = following
            elif following:
                headers["Link"] = f'<{request.url.replace(query=f"page={page + 1}")}>; rel="next"'
        else:
            chunk = items
        return JSONResponse(_body(stream.items, chunk, extra), headers=headers)

    async def _graphql(self, directory: Path, request: Request) -> Response:
        schema = build_schema((directory / "schema.graphql").read_text(encoding="utf-8"))
        payload = await request.json()
        root = {
            name: _connection(json.loads((directory / f"{name}.json").read_text("utf-8")))
            for name in ("projects", "people", "resources")
        }
        result = await graphql(
            schema, payload["query"], root_value=root, variable_values=payload.get("variables")
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [{"message": error.message} for error in result.errors]
        return JSONResponse(body)

    def _file(self, path: str, request: Request) -> Response:
        if path in self.live_files:
            data, media_type = self.live_files[path]
        else:
            target = (self.web_dir / path.strip("/")).resolve()
            if not target.is_file() or self.web_dir.resolve() not in target.parents:
                return JSONResponse({"error": "not found"}, status_code=404)
            data, media_type = target.read_bytes(), _content_type(target)
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return Response(data, media_type=media_type, headers={"ETag": etag})


def _join(url: str, path: str | None) -> str:
    return url.rstrip("/") + "/" + path if path else url


def _changed_since(items: list[Any], stream: JsonApiStream, query: Any) -> list[Any]:
    """What changed after the bookmark, comparing the item's own updated_at field."""
    field = stream.fields.get("updated_at")
    if stream.incremental is None or field is None or field.path is None:
        return items
    since = query.get(stream.incremental.param)
    if not since:
        return items
    return [item for item in items if str(get_path(item, field.path) or "") > since]


def _body(items_path: str, chunk: list[Any], extra: dict[str, Any]) -> Any:
    """The page as the partner shapes it: items at their path, paging facts at theirs.

    With no items path the body is the bare list, so paging can only be told in headers.
    """
    if not items_path:
        return chunk
    body: dict[str, Any] = {}
    for path, value in {items_path: chunk, **extra}.items():
        *parents, last = path.split(".")
        node = body
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return body


def _connection(rows: list[dict[str, Any]]) -> Any:
    def resolve(_info: Any, first: int, after: str | None = None) -> dict[str, Any]:
        start = int(after or 0)
        page = rows[start : start + first]
        end = start + len(page)
        return {
            "edges": [{"node": row, "cursor": str(start + i + 1)} for i, row in enumerate(page)],
            "pageInfo": {"hasNextPage": end < len(rows), "endCursor": str(end) if page else None},
        }

    return resolve


def _content_type(path: Path) -> str:
    known = {
        ".rss": "application/rss+xml",
        ".atom": "application/atom+xml",
        ".rdf": "application/rdf+xml",
        ".csv": "text/csv",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    guessed = mimetypes.guess_type(path.name)[0]
    return known.get(path.suffix) or guessed or "application/octet-stream"


def demo_partners(port: int, examples: Path = EXAMPLES) -> tuple[PartnersFile, dict[str, str]]:
    """The demo partners file with its base URL on ``port``, and the environment it needs."""
    env = {**os.environ, **DEMO_SECRETS, "CONVENER_DEMO_BASE_URL": f"http://127.0.0.1:{port}"}
    return load_partners(examples / "partners.yaml", env), env


class Serving:
    """A uvicorn server in a background thread, for the partner web while the demo runs."""

    def __init__(self, app: Starlette, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self) -> Serving:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the demo partner web did not start on {self.url}")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
