"""``/export/csv`` and ``/export/jsonld``: the open-data export for signed-in callers.

The access gate in front (``hub.web.access``) authenticates and rate-limits these paths as it
does /graphql; people's personal fields follow the caller's role as in the API. The export is
written to a temporary file first (in memory while small), so a failure is answered with an
error instead of a cut-off download, then streamed.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import IO

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from graph.export import UnknownSystem
from hub.export import FORMATS, Format
from schema.permissions import SIGN_IN
from schema.viewer import ANONYMOUS, Viewer

PATHS = tuple(f"/export/{name}" for name in FORMATS)
IN_MEMORY = 8 * 1024 * 1024
"""Exports up to this size stay in memory; larger ones go to a temporary file."""
CHUNK = 64 * 1024
MAX_SYSTEM = 200


def _refuse(status: int, message: str) -> Response:
    body = json.dumps({"errors": [{"message": message}]})
    return Response(body, status_code=status, media_type="application/json")


async def _chunks(spooled: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := spooled.read(CHUNK):
            yield chunk
    finally:
        spooled.close()


def export_routes() -> list[BaseRoute]:
    return [
        Route(f"/export/{name}", _exporter(chosen), methods=["GET"])
        for name, chosen in FORMATS.items()
    ]


def _exporter(chosen: Format) -> Callable[[Request], Awaitable[Response]]:
    async def export(request: Request) -> Response:
        viewer: Viewer = getattr(request.state, "viewer", ANONYMOUS)
        if not viewer.signed_in:
            return _refuse(401, f"Sign in to export the graph. {SIGN_IN}")
        system = request.query_params.get("system") or None
        if system is not None and len(system) > MAX_SYSTEM:
            return _refuse(400, f"`system` is at most {MAX_SYSTEM} characters.")
        spooled = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (streamed)
        try:
            await chosen.write(request.app.state.graph, spooled, viewer, system)
        except UnknownSystem as error:
            spooled.close()
            return _refuse(404, f"{error} See `systems` in the API for the ids.")
        except BaseException:
            spooled.close()
            raise
        size = spooled.tell()
        spooled.seek(0)
        headers = {
            "Content-Disposition": f'attachment; filename="{chosen.file_name(system)}"',
            "Content-Length": str(size),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        }
        return StreamingResponse(_chunks(spooled), media_type=chosen.media_type, headers=headers)

    return export
