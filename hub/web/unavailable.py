"""The answer while the database is down: 503, what is wrong in a sentence, and when to retry.

The graph raises ``DatabaseUnavailable`` at once while Neo4j is known to be down, so these
answers come quickly instead of after every request's own timeout. Clients get the summary;
the full reason (which database, the driver's words) goes to the log.
"""

from __future__ import annotations

import json
import logging
import math

from starlette.requests import Request
from starlette.responses import Response

from graph.database import DatabaseUnavailable

log = logging.getLogger(__name__)


def retry_seconds(error: DatabaseUnavailable) -> int:
    return max(1, math.ceil(error.retry_after))


def unavailable(error: DatabaseUnavailable, media_type: str = "application/json") -> Response:
    """A 503 response for clients, with ``Retry-After``; the reason is logged in full."""
    seconds = retry_seconds(error)
    log.warning("answering 503: %s", error.reason)
    body = {
        "errors": [
            {
                "message": f"The hub cannot answer now: {error.summary}. Try again in {seconds} s.",
                "extensions": {"code": "DATABASE_UNAVAILABLE", "retryAfter": seconds},
            }
        ]
    }
    return Response(
        json.dumps(body),
        status_code=503,
        media_type=media_type,
        headers={"Retry-After": str(seconds), "Cache-Control": "no-store"},
    )


async def handle_unavailable(request: Request, error: Exception) -> Response:
    """Starlette's exception handler for any route that met a down database."""
    assert isinstance(error, DatabaseUnavailable)
    return unavailable(error)


def unavailable_cause(errors: list) -> DatabaseUnavailable | None:
    """The DatabaseUnavailable behind any of a GraphQL result's errors, if one is."""
    for error in errors:
        original = getattr(error, "original_error", None)
        if isinstance(original, DatabaseUnavailable):
            return original
    return None
