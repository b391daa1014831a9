"""GraphQL endpoints, such as a neighbouring Convener hub, read through Relay connections.

This is how the hubs of neighbouring systems federate into a regional view: each stream is a
configured query taking ``$first`` and ``$after``, followed page by page by ``endCursor``.
Every record keeps where it came from: ``<endpoint URL>#<its ref>`` in its ``same_as``.
"""

from __future__ import annotations

from typing import Any

from connectors.collect import Collector
from connectors.http import Fetcher, read_json
from connectors.mapping import get_path
from connectors.partners import GraphQLSource, GraphQLStream
from connectors.result import PullResult, SourceFailure, SourceState


async def pull_graphql(
    source: GraphQLSource,
    fetcher: Fetcher,
    state: SourceState,
    result: PullResult,
    collector: Collector,
) -> None:
    """Fill ``result`` from every stream; raises ``SourceFailure`` on failure."""
    incremental = False
    for entity in source.entities:
        stream = source.mapping[entity]
        since = state.bookmark if stream.incremental else None
        incremental = incremental or since is not None
        await _pull_stream(source, fetcher, entity, stream, since, collector)
    result.complete = not incremental
    uses_bookmark = any(source.mapping[e].incremental for e in source.entities)
    result.state = SourceState(
        bookmark=collector.latest_update(state.bookmark) if uses_bookmark else None
    )


async def _pull_stream(
    source: GraphQLSource,
    fetcher: Fetcher,
    entity: str,
    stream: GraphQLStream,
    since: str | None,
    collector: Collector,
) -> None:
    variables: dict[str, Any] = {**stream.variables, "first": stream.page_size, "after": None}
    if since is not None and stream.incremental:
        variables[stream.incremental.variable] = since
    cursors: set[str] = set()
    number = 0
    while True:
        number += 1
        what = f"{entity} page {number}"
        if number > source.http.max_pages:
            raise SourceFailure(f"{what}: more than {source.http.max_pages} pages (http.max_pages)")
        response = await fetcher.request(
            "POST",
            source.url,
            what=what,
            json_body={"query": stream.query, "variables": variables},
            headers={"Accept": "application/graphql-response+json, application/json"},
        )
        body = read_json(response, what)
        connection = _connection(body, stream.connection, what)
        for index, node in enumerate(_nodes(connection, what), start=1):
            collector.add(node, stream, entity, f"{what}, node {index}", origin=str(source.url))
        info = connection.get("pageInfo") or {}
        cursor = info.get("endCursor")
        if not info.get("hasNextPage") or not cursor:
            return
        if cursor in cursors:
            raise SourceFailure(f"{what}: pagination loops (endCursor {cursor!r} came back)")
        cursors.add(cursor)
        variables = {**variables, "after": cursor}


def _connection(body: Any, path: str, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise SourceFailure(f"{what}: not a GraphQL response")
    errors = body.get("errors")
    if errors and not body.get("data"):
        messages = "; ".join(str(e.get("message", e)) for e in errors[:3] if isinstance(e, dict))
        raise SourceFailure(f"{what}: the endpoint answered errors: {messages or errors}")
    connection = get_path(body.get("data") or {}, path)
    if not isinstance(connection, dict):
        raise SourceFailure(f"{what}: no connection at data.{path} (check mapping connection)")
    return connection


def _nodes(connection: dict[str, Any], what: str) -> list[Any]:
    if isinstance(connection.get("edges"), list):
        edges = connection["edges"]
        return [edge.get("node") if isinstance(edge, dict) else None for edge in edges]
    if isinstance(connection.get("nodes"), list):
        return list(connection["nodes"])
    raise SourceFailure(f"{what}: the connection has neither edges nor nodes")
