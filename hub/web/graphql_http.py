"""GraphQL over HTTP, as the spec asks: GET and POST, media types, status codes; GraphiQL.

``application/graphql-response+json`` (when the client accepts it) gets 400 for requests that
never reach execution (bad JSON, parse, validation or variable errors) and no ``data`` entry;
``application/json`` keeps the older convention of 200 with the errors. GET runs queries only.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from graph.database import Graph
from hub.web.answers import Answers
from hub.web.explorer import graphiql_page
from hub.web.metrics import Metrics
from hub.web.unavailable import unavailable, unavailable_cause
from schema.api import ConvenerSchema
from schema.context import Context
from schema.extensions.masking import masked
from schema.viewer import ANONYMOUS, Viewer

log = logging.getLogger(__name__)

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
MAX_BODY_BYTES = 256 * 1024
"""Far above any real query with its variables; a bigger body is refused before it is read."""


class RequestProblem(Exception):
    """A request this endpoint cannot run; the status code and message say why."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


@dataclass(frozen=True)
class Params:
    query: str | None
    operation_name: str | None
    variables: dict[str, Any] | None
    document_id: str | None = None
    """A persisted document asked for by id or hash (``id``, ``documentId`` or APQ's hash)."""
    persisted: str | None = None
    """The allowlisted operation the document is, once found on the allowlist."""
    cacheable: bool = False
    """A persisted query (not a mutation): its answer may come from the answer cache."""


class Gate(Protocol):
    """Access rules around execution: persisted documents in, caching headers out."""

    def resolve(self, params: Params, viewer: Viewer) -> Params: ...

    def finish(
        self, request: Request, params: Params, viewer: Viewer, response: Response, ok: bool
    ) -> Response: ...


class GraphQLJSONResponse(JSONResponse):
    """A GraphQL result as JSON, encoded by orjson.

    The same bytes as starlette's ``JSONResponse`` for what a result holds (strings, numbers,
    booleans, null, lists and objects; UTF-8, no spaces) in a tenth of the time: a page of
    nested projects is 15 to 30 kB, and ``json.dumps`` took about a millisecond of it.
    """

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def response_type(accept: str | None) -> str | None:
    """The media type to answer with, or None if the client accepts neither of ours."""
    if not accept:
        return JSON
    offered = {}
    for part in accept.split(","):
        media, *options = (item.strip() for item in part.split(";"))
        quality = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    quality = float(option[2:])
                except ValueError:
                    quality = 0.0
        offered[media.lower()] = quality
    if offered.get(GRAPHQL_RESPONSE, 0) > 0:
        return GRAPHQL_RESPONSE
    if any(offered.get(m, 0) > 0 for m in (JSON, "application/*", "*/*")):
        return JSON
    return None


def wants_graphiql(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.method == "GET" and "text/html" in accept and "query" not in request.query_params


MAX_JSON_DEPTH = 64
"""Far deeper than any real variables; deeper JSON is refused before anything walks it."""


def _json_parameter(raw: str | None, name: str) -> Any:
    if raw is None or raw == "":
        return None
    return parse_json(raw, f"`{name}`")


def parse_json(raw: str | bytes, what: str) -> Any:
    """JSON from a client, refused with 400 when it is not JSON or nests too deeply."""
    too_deep = RequestProblem(
        400, f"{what} nests arrays and objects more than {MAX_JSON_DEPTH} levels deep."
    )
    try:
        value = json.loads(raw)
    except RecursionError:
        raise too_deep from None
    except ValueError:
        raise RequestProblem(400, f"{what} is not valid JSON.") from None
    if nesting(value) > MAX_JSON_DEPTH:
        raise too_deep
    return value


def nesting(value: Any) -> int:
    """How deeply arrays and objects nest in a JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            if depth <= MAX_JSON_DEPTH:
                stack.extend((child, depth) for child in _children(item))
    return deepest


def _children(item: dict[str, Any] | list[Any]) -> Any:
    return item.values() if isinstance(item, dict) else item


async def read_params(request: Request) -> Params:
    """The request's query, operation name and variables, checked for shape."""
    if request.method == "GET":
        body: dict[str, Any] = {
            "query": request.query_params.get("query"),
            "operationName": request.query_params.get("operationName"),
            "variables": _json_parameter(request.query_params.get("variables"), "variables"),
            "extensions": _json_parameter(request.query_params.get("extensions"), "extensions"),
            "id": request.query_params.get("id"),
        }
    else:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != JSON:
            raise RequestProblem(415, "POST a JSON body with `Content-Type: application/json`.")
        raw = await read_body(request)
        if not raw.strip():
            raise RequestProblem(400, 'The request body is empty: POST {"query": "..."}.')
        body = parse_json(raw, "The request body")
        if not isinstance(body, dict):
            raise RequestProblem(400, "The request body must be a JSON object.")
    query = body.get("query")
    operation_name = body.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestProblem(400, "`operationName` must be a string.")
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestProblem(400, "`variables` must be a JSON object.")
    extensions = body.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestProblem(400, "`extensions` must be a JSON object.")
    document_id = _document_id(body)
    if document_id is None and (not isinstance(query, str) or not query.strip()):
        raise RequestProblem(400, "Give the GraphQL document as a string in `query`.")
    if query is not None and not isinstance(query, str):
        raise RequestProblem(400, "`query` must be a string.")
    return Params(query or None, operation_name, variables, document_id)


async def read_body(request: Request) -> bytes:
    """The POST body, refused with 413 once it passes ``MAX_BODY_BYTES`` (declared or sent)."""
    too_large = RequestProblem(
        413, f"The request body is larger than {MAX_BODY_BYTES} bytes; send a smaller document."
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _document_id(body: dict[str, Any]) -> str | None:
    """The persisted document asked for: ``id``/``documentId``, or APQ's ``sha256Hash``."""
    for name in ("id", "documentId"):
        value = body.get(name)
        if value is not None:
            if not isinstance(value, str) or not value.strip():
                raise RequestProblem(400, f"`{name}` must be a non-empty string.")
            return value.strip()
    persisted = (body.get("extensions") or {}).get("persistedQuery")
    if isinstance(persisted, dict) and isinstance(persisted.get("sha256Hash"), str):
        return f"sha256:{persisted['sha256Hash']}"
    return None


def is_request_error(data: Any, errors: list[GraphQLError]) -> bool:
    """Errors raised before execution (parse, validation, variables) carry no path."""
    return data is None and bool(errors) and all(error.path is None for error in errors)


def error_kind(error: GraphQLError) -> str:
    code = (error.extensions or {}).get("code")
    if code == "INTERNAL_SERVER_ERROR":
        return "internal"
    return "user" if error.path is not None else "request"


class GraphQLEndpoint:
    """The Starlette endpoint for /graphql."""

    def __init__(
        self,
        schema: ConvenerSchema,
        graph: Graph,
        metrics: Metrics,
        gate: Gate | None = None,
        answers: Answers | None = None,
    ) -> None:
        self.schema = schema
        self.graph = graph
        self.metrics = metrics
        self.gate = gate
        self.answers = answers

    async def handle(self, request: Request) -> Response:
        if wants_graphiql(request):
            return graphiql_page()
        media = response_type(request.headers.get("accept"))
        if media is None:
            return PlainTextResponse(
                f"Ask for {GRAPHQL_RESPONSE} or {JSON} in the Accept header.", status_code=406
            )
        started = time.perf_counter()
        viewer = getattr(request.state, "viewer", ANONYMOUS)
        context = Context(graph=self.graph, request=request, viewer=viewer)
        try:
            params = await read_params(request)
            if self.gate is not None:
                params = self.gate.resolve(params, viewer)
            if params.query is None:
                raise RequestProblem(400, "This hub keeps no persisted documents; send `query`.")
            context.operation_name = params.operation_name
            key = None
            if self.answers is not None and params.persisted and params.cacheable:
                key = await self.answers.key(params.persisted, params.variables, viewer)
            if key is not None:
                cached = self.answers.cache.get(key)  # type: ignore[union-attr]
                self.metrics.answer_cache.labels("hit" if cached else "miss").inc()
                if cached is not None:
                    return self._cached(request, params, viewer, media, cached, started)
            result = await self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                allowed_operation_types=(
                    {OperationType.QUERY} if request.method == "GET" else None
                ),
            )
        except RequestProblem as problem:
            return self._problem(problem, media, context, started)
        except InvalidOperationTypeError:
            problem = RequestProblem(
                405, "Only queries may be sent with GET; POST other operations.", {"Allow": "POST"}
            )
            return self._problem(problem, media, context, started)
        except (CannotGetOperationTypeError, MissingQueryError) as error:
            problem = RequestProblem(400, _operation_problem(error))
            return self._problem(problem, media, context, started)

        if context.operation_type == OperationType.MUTATION and self.answers is not None:
            self.answers.clock.forget()
        down = unavailable_cause(list(result.errors or []))
        if down is not None:
            self._observe(self.metrics.operation(context.operation_name), "unavailable", started)
            response = unavailable(down, f"{media}; charset=utf-8")
            response.headers.update(_VARY)
            return response
        errors = masked(list(result.errors or []))
        operation = self.metrics.operation(context.operation_name)
        payload: dict[str, Any] = {}
        if is_request_error(result.data, errors):
            status, outcome = (400 if media == GRAPHQL_RESPONSE else 200), "request_error"
        else:
            status, outcome = 200, "field_error" if errors else "ok"
            payload["data"] = result.data
        if errors:
            payload["errors"] = [error.formatted for error in errors]
            for error in errors:
                self.metrics.graphql_errors.labels(operation, error_kind(error)).inc()
        self._observe(operation, outcome, started)
        response = GraphQLJSONResponse(
            payload, status_code=status, media_type=f"{media}; charset=utf-8", headers=_VARY
        )
        shareable = outcome == "ok" and not context.for_this_caller
        if key is not None and shareable and self.answers is not None:
            self.answers.cache.put(key, bytes(response.body))
            self.metrics.answer_cache_size(self.answers.cache)
        if self.gate is None:
            return response
        return self.gate.finish(request, params, viewer, response, ok=outcome == "ok")

    def _cached(
        self,
        request: Request,
        params: Params,
        viewer: Viewer,
        media: str,
        body: bytes,
        started: float,
    ) -> Response:
        """An answer from the cache, with the same headers a computed one gets."""
        self._observe(self.metrics.operation(params.operation_name), "ok", started)
        response = Response(body, media_type=f"{media}; charset=utf-8", headers=_VARY)
        if self.gate is None:
            return response
        return self.gate.finish(request, params, viewer, response, ok=True)

    def _problem(
        self, problem: RequestProblem, media: str, context: Context, started: float
    ) -> Response:
        operation = self.metrics.operation(context.operation_name)
        self.metrics.graphql_errors.labels(operation, "request").inc()
        self._observe(operation, "request_error", started)
        return JSONResponse(
            {"errors": [{"message": str(problem)}]},
            status_code=problem.status,
            media_type=f"{media}; charset=utf-8",
            headers={**_VARY, **problem.headers},
        )

    def _observe(self, operation: str, outcome: str, started: float) -> None:
        self.metrics.graphql_requests.labels(operation, outcome).inc()
        self.metrics.graphql_latency.labels(operation).observe(time.perf_counter() - started)


_VARY = {"Vary": "Accept"}


def _operation_problem(error: Exception) -> str:
    if isinstance(error, MissingQueryError):
        return "Give the GraphQL document as a string in `query`."
    return (
        "Could not tell which operation to run: name it in `operationName` when the document "
        "has several, and check the name matches one in the document."
    )
