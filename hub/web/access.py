"""The hub's access gate in front of /graphql (and /calendar.ics): origin, credentials, rate
limit, in that order.

1. A browser page from an origin no partner configured is refused (403); a preflight from an
   allowed one is answered here (204) and every answer to it carries its CORS headers.
2. Credentials become a Viewer (``hub.web.auth``); bad ones get 401, counted against the address.
3. Each API key or token subject, and each anonymous client address, has a bucket
   (``hub.web.ratelimit``); over it, 429 with ``Retry-After``.
The Viewer goes to the GraphQL endpoint in ``request.state.viewer``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.database import DatabaseUnavailable, Graph
from hub.config import Settings
from hub.web import cors
from hub.web.auth import Authenticator, AuthError
from hub.web.embed import embed_routes
from hub.web.persisted import PersistedQueries, load_documents
from hub.web.ratelimit import RateLimiter, retry_after
from hub.web.unavailable import unavailable

log = logging.getLogger(__name__)

GUARDED = (
    "/graphql",
    "/calendar.ics",
    "/export/csv",
    "/export/jsonld",
)  # all read the graph: bounded alike
GUARDED_PREFIXES = ("/files",)  # uploads and downloads of contributions' files


def refuse(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps({"errors": [{"message": message}]})
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _guarded(path: str) -> bool:
    return path in GUARDED or any(
        path == prefix or path.startswith(prefix + "/") for prefix in GUARDED_PREFIXES
    )


def client_address(scope: Scope, trust_proxy: bool) -> str:
    if trust_proxy:
        forwarded = Headers(scope=scope).get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()
    client = scope.get("client")
    return client[0] if client else "unknown"


class AccessGate:
    """ASGI middleware applying origin, authentication and rate limits to /graphql."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        origins: cors.OriginPolicy,
        authenticator: Authenticator,
        limiter: RateLimiter,
        settings: Settings,
    ) -> None:
        self.app = app
        self.origins = origins
        self.authenticator = authenticator
        self.limiter = limiter
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _guarded(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        cross = origin is not None and not cors.same_origin(origin, headers)
        if cross and origin is not None:
            try:
                partner = await self.origins.partner_of(origin)
            except DatabaseUnavailable as error:
                await unavailable(error)(scope, receive, send)
                return
            if partner is None:
                await refuse(403, cors.refusal(origin))(scope, receive, send)
                return
            if scope["method"] == "OPTIONS":
                await Response(status_code=204, headers=cors.preflight_headers(origin))(
                    scope, receive, send
                )
                return
        extra = cors.cors_headers(origin) if cross and origin is not None else {}
        try:
            problem = await self._admit(scope, headers)
        except DatabaseUnavailable as error:
            problem = unavailable(error)
        if problem is not None:
            problem.headers.update(extra)
            await problem(scope, receive, send)
            return
        await self.app(scope, receive, _adding(send, extra) if extra else send)

    async def _admit(self, scope: Scope, headers: Headers) -> Response | None:
        """None when the request may go on (its viewer set), else the refusal."""
        address = client_address(scope, self.settings.trust_proxy)
        try:
            viewer = await self.authenticator.viewer(headers)
        except AuthError as error:
            over = self.limiter.take(f"ip:{address}", self.settings.rate_limit)
            if over is not None:
                return self._over(over, "this address", self.settings.rate_limit)
            challenge = 'Bearer error="invalid_token"' if error.status == 401 else None
            return refuse(
                error.status, str(error), {"WWW-Authenticate": challenge} if challenge else None
            )
        if viewer.signed_in:
            bucket, limit, who = f"{viewer.subject}", self.settings.rate_limit_key, "this key"
        else:
            bucket, limit, who = f"ip:{address}", self.settings.rate_limit, "this address"
        over = self.limiter.take(bucket, limit)
        if over is not None:
            return self._over(over, who, limit)
        scope.setdefault("state", {})["viewer"] = viewer
        return None

    @staticmethod
    def _over(wait: float, who: str, limit: int) -> Response:
        seconds = retry_after(wait)
        return refuse(
            429,
            f"Too many requests from {who}: at most {limit} a minute. Try again in {seconds} s.",
            {"Retry-After": seconds},
        )


def _adding(send: Send, extra: dict[str, str]) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in extra.items():
                if name == "Vary":
                    if value.lower() not in headers.get("vary", "").lower():
                        headers.add_vary_header(value)
                else:
                    headers[name] = value
        await send(message)

    return wrapped


@dataclass
class Access:
    """Everything create_app needs for issue 7: the gate, the persisted queries, the routes."""

    middleware: Middleware
    persisted: PersistedQueries
    origins: cors.OriginPolicy
    routes: list[BaseRoute]


def build_access(graph: Graph, settings: Settings) -> Access:
    origins = cors.OriginPolicy(graph, settings)
    gate = Middleware(
        AccessGate,
        origins=origins,
        authenticator=Authenticator(graph, settings),
        limiter=RateLimiter(),
        settings=settings,
    )
    documents = load_documents()
    if settings.extra_persisted_dir is not None:
        extra = load_documents(settings.extra_persisted_dir)
        clash = sorted(set(extra) & set(documents))
        if clash:
            raise ValueError(
                f"{settings.extra_persisted_dir}: operations {', '.join(clash)} are persisted "
                "by the hub already; name them differently"
            )
        documents |= extra
    persisted = PersistedQueries(
        documents,
        persisted_only=settings.persisted_only,
        max_age=settings.embed_max_age,
    )
    return Access(gate, persisted, origins, embed_routes())
