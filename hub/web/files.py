"""Uploads and downloads of contributions' files: ``POST /files`` and ``GET /files/{id}``.

Both sit behind the access gate (credentials and the per-caller rate limit, as /graphql).
An upload is streamed: the request body is counted as it arrives and cut off past the bound,
the file part is hashed while it is copied into the files directory, then its kind is judged
by its content (``hub.files.kinds``), its name made safe and its text read in a child process
bounded in time and memory (``hub.files.extraction``). A download is served only to those who
may read a submission attaching it (anyone, once approved), with headers that keep a browser
from running or sniffing it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive

from graph.contributions import store
from graph.database import Graph
from hub.files.extraction import TextReader
from hub.files.kinds import NotAccepted, detect
from hub.files.names import sanitise
from hub.files.store import FileStore
from hub.web.ratelimit import RateLimiter, retry_after
from schema.moderation import is_submitter, may_moderate
from schema.viewer import ANONYMOUS, Viewer

log = logging.getLogger(__name__)

FORM_SLACK = 64 * 1024
"""Bytes a multipart body may hold beyond its file: boundaries and part headers."""
CHUNK = 256 * 1024
DAY = 24 * 60 * 60
LOOSE_FOR = DAY
"""Seconds an upload may wait for a submission to attach it before it is forgotten."""
FORGET_AT_ONCE = 100
"""Loose uploads forgotten after each upload, at most (the oldest first)."""
IN_FLIGHT = 60 * 60
"""Bytes kept again this recently are not deleted: an upload of them may be recording."""
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-site",
    "Referrer-Policy": "no-referrer",
}


class TooLarge(Exception):
    pass


def problem(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps({"errors": [{"message": message}]})
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _bounded(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises TooLarge once the body passes ``limit`` bytes."""
    seen = 0

    async def bounded() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
        return message

    return bounded


def _viewer(request: Request) -> Viewer:
    return getattr(request.state, "viewer", ANONYMOUS)


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 one (RFC 6266)."""
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@dataclass
class Files:
    graph: Graph
    store: FileStore
    max_bytes: int
    limiter: RateLimiter
    per_minute: int
    texts: TextReader
    bytes_per_day: int

    async def upload(self, request: Request) -> Response:
        viewer = _viewer(request)
        if not viewer.signed_in or viewer.subject is None:
            return problem(401, "Sign in to upload files (`Authorization: Bearer <key>`).")
        wait = self.limiter.take(f"upload:{viewer.subject}", self.per_minute)
        if wait is not None:
            seconds = retry_after(wait)
            return problem(
                429,
                f"Too many uploads: at most {self.per_minute} a minute. Try again in {seconds} s.",
                {"Retry-After": seconds},
            )
        used, earliest = await store.uploaded_since(self.graph, viewer.subject, DAY)
        if used >= self.bytes_per_day:
            said = f"Your uploads of the last 24 hours come to {used}"
            return self._over_allowance(said, earliest)
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            return problem(400, "Send the file as multipart/form-data, in a part named `file`.")
        too_big = problem(413, f"The file is larger than {self.max_bytes} bytes, the most allowed.")
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.max_bytes + FORM_SLACK:
            return too_big
        bounded = Request(request.scope, _bounded(request.receive, self.max_bytes + FORM_SLACK))
        try:
            form = await bounded.form(max_files=1, max_fields=4)
        except TooLarge:
            return too_big
        except Exception as error:  # starlette's MultiPartException and the parser's own
            return problem(400, f"The multipart body could not be read: {error}")
        try:
            part = form.get("file")
            if not isinstance(part, UploadFile):
                return problem(400, "No file: send it in a multipart part named `file`.")
            return await self._keep(part, viewer, too_big, used, earliest)
        finally:
            await form.close()

    def _over_allowance(self, said: str, earliest: datetime | None) -> Response:
        """429, to try again once the earliest upload of the last day has left it."""
        wait = DAY if earliest is None else (earliest - datetime.now(UTC)).total_seconds() + DAY
        seconds = retry_after(wait)
        return problem(
            429,
            f"{said} bytes; at most {self.bytes_per_day} are allowed. Try again in {seconds} s.",
            {"Retry-After": seconds},
        )

    async def _keep(
        self,
        part: UploadFile,
        viewer: Viewer,
        too_big: Response,
        used: int,
        earliest: datetime | None,
    ) -> Response:
        incoming = self.store.incoming()
        temporary = Path(incoming.name)
        try:
            digest, size = hashlib.sha256(), 0
            with incoming:
                while chunk := await part.read(CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        return too_big
                    digest.update(chunk)
                    incoming.write(chunk)
            if size == 0:
                return problem(400, "The file is empty.")
            if used + size > self.bytes_per_day:
                said = f"This file would take your uploads of the last 24 hours to {used + size}"
                return self._over_allowance(said, earliest)
            try:
                kind = await asyncio.to_thread(detect, temporary)
            except NotAccepted as error:
                return problem(415, f"This file type is not accepted: {error}.")
            text = await self.texts.read(temporary, kind.content_type)
            sha256 = digest.hexdigest()
            await asyncio.to_thread(self.store.keep, temporary, sha256)
        finally:
            temporary.unlink(missing_ok=True)
        assert viewer.subject is not None
        record = await store.create_file(
            self.graph,
            {
                "name": sanitise(part.filename, kind.extension),
                "contentType": kind.content_type,
                "size": size,
                "sha256": sha256,
                "text": text,
            },
            viewer.subject,
        )
        await self._forget_loose()
        return JSONResponse(record, status_code=201)

    async def _forget_loose(self) -> None:
        """Forget uploads no submission attached within a day, and their bytes where no
        other record holds them: so an upload is not a way to keep files on the hub."""
        try:
            unheld = await store.forget_loose_files(self.graph, LOOSE_FOR, FORGET_AT_ONCE)
            for sha256 in unheld:
                await asyncio.to_thread(self.store.forget, sha256, IN_FLIGHT)
        except Exception:  # the upload itself is kept; the next one forgets them
            log.exception("forgetting loose uploads failed")

    async def download(self, request: Request) -> Response:
        viewer = _viewer(request)
        file, submissions = await store.file_access(self.graph, request.path_params["id"])
        if not file or not self._may_read(viewer, file, submissions):
            return problem(404, "No such file, or not one you may read.")
        path = self.store.path_of(file["sha256"])
        if not path.exists():
            log.error("file %s is recorded but its bytes are missing at %s", file["id"], path)
            return problem(404, "The file's bytes are missing from this hub's files directory.")
        public = any(s["status"] == "approved" for s in submissions)
        return FileResponse(
            path,
            media_type=file["contentType"],
            headers={
                **SAFE_HEADERS,
                "Content-Disposition": content_disposition(file["name"]),
                "Cache-Control": "public, max-age=300" if public else "private, no-store",
            },
        )

    @staticmethod
    def _may_read(viewer: Viewer, file: dict, submissions: list[dict]) -> bool:
        if viewer.signed_in and viewer.subject == file.get("uploadedBy"):
            return True
        return any(
            s["status"] == "approved" or is_submitter(viewer, s) or may_moderate(viewer, s)
            for s in submissions
        )


def file_routes(files: Files) -> list[Route]:
    return [
        Route("/files", files.upload, methods=["POST"]),
        Route("/files/{id}", files.download, methods=["GET"]),
    ]
