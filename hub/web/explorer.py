"""The explorer: the web app for people who never write GraphQL, served at `/`.

Its files live in ``explorer/public`` and are served as they are (no build at run time): the
page at ``/`` and its styles, modules and one vendored library under ``/explorer/``. The app
talks to the hub only through ``/graphql``, like any other client.

Caching: the page and the app's own modules are revalidated on every use (``no-cache`` with an
ETag, so an unchanged file costs a 304); vendored files carry their version in their name and
are cached for a year. Every response forbids content sniffing and framing, and the page has a
content security policy that allows only the hub's own scripts, styles and API.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope


def _explorer_dir() -> Path:
    """The files beside the source tree (a checkout, an editable install), else in the working
    directory (an image that installs the package and copies ``explorer/public`` beside it)."""
    beside = Path(__file__).resolve().parents[2] / "explorer" / "public"
    return beside if beside.is_dir() else Path.cwd() / "explorer" / "public"


EXPLORER_DIR = _explorer_dir()

REVALIDATE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SAFE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


# GraphiQL (React and CodeMirror) sets styles inline; its scripts are still the hub's own.
GRAPHIQL_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
).replace("img-src 'self' data:", "img-src 'self' data:; font-src 'self' data:")


def graphiql_page(directory: Path = EXPLORER_DIR) -> Response:
    """GraphiQL for /graphql, from the explorer's vendored files (no CDN): the page, or a
    plain answer saying what to do when the explorer's files are not installed."""
    try:
        page = (directory / "graphiql.html").read_text(encoding="utf-8")
    except OSError:
        return PlainTextResponse(
            "GraphiQL's files (explorer/public) are not installed beside this hub. POST GraphQL "
            "to /graphql with any client, or install them (see the README).",
            status_code=404,
        )
    headers = {
        **SAFE,
        "Cache-Control": REVALIDATE,
        "Content-Security-Policy": GRAPHIQL_SECURITY_POLICY,
    }
    return HTMLResponse(page, headers=headers)


def explorer_headers(path: str) -> dict[str, str]:
    """Caching and safety headers for one of the explorer's files."""
    immutable = f"{os.sep}vendor{os.sep}" in path
    headers = {"Cache-Control": IMMUTABLE if immutable else REVALIDATE, **SAFE}
    if path.endswith(".html"):
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return headers


class ExplorerFiles(StaticFiles):
    """Static files with the explorer's caching and safety headers, 304s included."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        headers = explorer_headers(str(full_path))
        response = FileResponse(
            full_path, status_code=status_code, stat_result=stat_result, headers=headers
        )
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response


def explorer_routes(directory: Path = EXPLORER_DIR) -> list[BaseRoute]:
    """`/` (the page) and `/explorer/...` (its files), for the hub's route list."""
    if not (directory / "index.html").is_file():

        async def missing(request: Request) -> Response:
            return PlainTextResponse(
                f"The explorer's files are missing from {directory}; the API is at /graphql.",
                status_code=503,
            )

        return [Route("/", missing), Route("/explorer/{path:path}", missing)]

    files = ExplorerFiles(directory=directory)

    async def page(request: Request) -> Response:
        return await files.get_response("index.html", request.scope)

    return [
        Route("/", page, methods=["GET", "HEAD"]),
        Mount("/explorer", app=GZipMiddleware(files, minimum_size=1000)),
    ]
