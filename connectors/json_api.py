"""JSON APIs: follow a partner's pagination, map each item, and pull only what changed.

Pagination styles: page number, offset/limit, cursor in the body, next link in the body, and
the ``Link`` header. A pagination that points back at a page already read, or that serves the
same page again, fails the source instead of looping.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

from connectors.collect import Collector
from connectors.http import Fetcher, read_json
from connectors.mapping import get_path
from connectors.partners import (
    CursorPagination,
    JsonApiSource,
    JsonApiStream,
    LinkHeaderPagination,
    NextLinkPagination,
    OffsetPagination,
    PagePagination,
)
from connectors.result import PullResult, SourceFailure, SourceState


@dataclass
class _Page:
    """Where the next request goes: a URL and its query parameters."""

    url: str
    params: dict[str, Any] = field(default_factory=dict)

    def key(self) -> str:
        request = httpx.Request("GET", self.url, params=self.params or None)
        return str(request.url)


async def pull_json_api(
    source: JsonApiSource,
    fetcher: Fetcher,
    state: SourceState,
    result: PullResult,
    collector: Collector,
) -> None:
    """Fill ``result`` from every stream of the source; raises ``SourceFailure`` on failure."""
    etags = state.etags()
    streams = {entity: source.mapping[entity] for entity in source.entities}
    if etags and set(etags) == set(streams) and await _all_unchanged(source, fetcher, etags):
        result.not_modified = True
        result.state = state
        return
    new_etags: dict[str, str] = {}
    incremental = False
    for entity, stream in streams.items():
        since = state.bookmark if stream.incremental else None
        incremental = incremental or since is not None
        etag = await _pull_stream(source, fetcher, entity, stream, since, collector)
        if etag:
            new_etags[entity] = etag
    result.complete = not incremental
    uses_bookmark = any(stream.incremental for stream in streams.values())
    bookmark = collector.latest_update(state.bookmark) if uses_bookmark else None
    result.state = SourceState(bookmark=bookmark, etag=SourceState.pack_etags(new_etags))


async def _all_unchanged(source: JsonApiSource, fetcher: Fetcher, etags: dict[str, str]) -> bool:
    """Ask each stream's single page "changed since this ETag?"; True if all answer 304."""
    for entity, etag in etags.items():
        stream = source.mapping[entity]  # type: ignore[index]
        response = await fetcher.get(
            _stream_url(source, stream),
            what=f"{entity} page 1",
            params=_first_params(stream.pagination, dict(stream.params)),
            headers={"If-None-Match": etag},
        )
        if response.status_code != 304:
            return False
    return True


def _stream_url(source: JsonApiSource, stream: JsonApiStream) -> str:
    if not stream.path:
        return source.url
    return urljoin(source.url.rstrip("/") + "/", stream.path)


async def _pull_stream(
    source: JsonApiSource,
    fetcher: Fetcher,
    entity: str,
    stream: JsonApiStream,
    since: str | None,
    collector: Collector,
) -> str | None:
    """Read every page of one stream; returns its ETag when it was one page and not incremental.

    An ETag vouches for one response; only a stream that fits in one page can be skipped whole.
    """
    pagination = stream.pagination
    params: dict[str, Any] = dict(stream.params)
    if since is not None and stream.incremental:
        params[stream.incremental.param] = since
    page: _Page | None = _Page(_stream_url(source, stream), _first_params(pagination, params))
    seen_requests: set[str] = set()
    last_body_hash = ""
    number = 0
    etag: str | None = None
    while page is not None:
        number += 1
        what = f"{entity} page {number}"
        if number > source.http.max_pages:
            raise SourceFailure(f"{what}: more than {source.http.max_pages} pages (http.max_pages)")
        key = page.key()
        if key in seen_requests:
            raise SourceFailure(f"{what}: pagination loops back to a page already read ({key})")
        seen_requests.add(key)
        # No params at all (not an empty dict) keeps the query string of a next link.
        response = await fetcher.get(page.url, what=what, params=page.params or None)
        body = read_json(response, what)
        items = body if not stream.items else get_path(body, stream.items)
        if not isinstance(items, list):
            found = type(items).__name__ if items is not None else "nothing"
            where = f"at {stream.items!r}" if stream.items else "as the body"
            raise SourceFailure(f"{what}: expected a list of items {where}, found {found}")
        body_hash = hashlib.sha256(response.content).hexdigest()
        if items and body_hash == last_body_hash:
            raise SourceFailure(f"{what}: the server sent the same page again (pagination loops)")
        last_body_hash = body_hash
        for index, item in enumerate(items, start=1):
            collector.add(item, stream, entity, f"{what}, item {index}")
        single_page = number == 1 and not stream.incremental
        etag = response.headers.get("etag") if single_page else None
        page = _next_page(pagination, page, body, items, response)
    return etag


def _first_params(pagination: Any, params: dict[str, Any]) -> dict[str, Any]:
    if isinstance(pagination, PagePagination):
        first = {pagination.page_param: pagination.first_page}
        if pagination.size_param:
            first[pagination.size_param] = pagination.size
        return {**params, **first}
    if isinstance(pagination, OffsetPagination):
        return {**params, pagination.offset_param: 0, pagination.limit_param: pagination.limit}
    return params


def _next_page(
    pagination: Any, page: _Page, body: Any, items: list[Any], response: httpx.Response
) -> _Page | None:
    """The request for the page after this one, or None when this was the last."""
    if isinstance(pagination, PagePagination):
        current = int(page.params[pagination.page_param])
        total = _number(body, pagination.total_pages)
        if not items or (total is not None and current >= total):
            return None
        if total is None and pagination.size_param and len(items) < pagination.size:
            return None
        return _Page(page.url, {**page.params, pagination.page_param: current + 1})
    if isinstance(pagination, OffsetPagination):
        offset = int(page.params[pagination.offset_param]) + len(items)
        total = _number(body, pagination.total)
        if not items or (total is not None and offset >= total):
            return None
        if total is None and len(items) < pagination.limit:
            return None
        return _Page(page.url, {**page.params, pagination.offset_param: offset})
    if isinstance(pagination, CursorPagination):
        cursor = get_path(body, pagination.cursor)
        if cursor in (None, "", False) or not items:
            return None
        return _Page(page.url, {**page.params, pagination.cursor_param: cursor})
    if isinstance(pagination, NextLinkPagination):
        return _link(str(response.url), get_path(body, pagination.next))
    if isinstance(pagination, LinkHeaderPagination):
        return _link(str(response.url), response.links.get("next", {}).get("url"))
    return None


def _link(current: str, target: Any) -> _Page | None:
    """A next link, relative or absolute; its own query string carries the parameters."""
    if not isinstance(target, str) or not target.strip():
        return None
    return _Page(urljoin(current, target.strip()))


def _number(body: Any, path: str | None) -> int | None:
    if path is None:
        return None
    value = get_path(body, path)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
