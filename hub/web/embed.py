"""The widget script at ``/embed/convener.js``, for partner pages on other origins.

A classic script (not a module), so a plain ``<script src>`` loads it without CORS. Caches may
keep it five minutes and then revalidate with its ETag (a 304 when unchanged), so a fix reaches
partner pages quickly without every page view fetching it again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.web.persisted import etag_set

WIDGET = Path(__file__).resolve().parent / "static" / "embed" / "convener.js"
HEADERS = {
    "Cache-Control": "public, max-age=300, must-revalidate",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "cross-origin",
}


def embed_routes(script: Path = WIDGET) -> list[BaseRoute]:
    """`/embed/convener.js`, read once: the file changes only with a release."""
    body = script.read_bytes()
    headers = {**HEADERS, "ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"'}

    async def widget(request: Request) -> Response:
        if headers["ETag"] in etag_set(request.headers.get("if-none-match")):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)

    return [Route("/embed/convener.js", widget, methods=["GET", "HEAD"])]
