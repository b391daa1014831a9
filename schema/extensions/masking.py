"""Errors the client did not cause reach it as a message with an id, logged in full.

Errors raised while resolving fields are masked by ``MaskInternalErrors`` (strawberry's
``MaskErrors`` with our test and message). Errors raised before execution bypass extensions,
so the HTTP layer passes every response through ``masked`` as well.
"""

from __future__ import annotations

import logging
import uuid

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from graph.database import DatabaseUnavailable, QueryTooLarge
from schema.errors import UserError

log = logging.getLogger(__name__)


def is_internal(error: GraphQLError) -> bool:
    """Errors the client did not cause: anything raised that is not a UserError, nor the
    database being unavailable (no bug: its message is fit for clients, and the HTTP layer
    answers 503 for it), nor a query the database refused memory (the client can ask for
    less)."""
    original = error.original_error
    return original is not None and not isinstance(
        original, UserError | GraphQLError | DatabaseUnavailable | QueryTooLarge
    )


def anonymise(error: GraphQLError) -> GraphQLError:
    """An internal error as the client sees it: a message with an id; the full error is logged."""
    error_id = uuid.uuid4().hex[:12]
    original = error.original_error
    log.error(
        "internal error %s at %s: %s",
        error_id,
        ".".join(str(p) for p in error.path or []) or "(operation)",
        original,
        exc_info=(type(original), original, original.__traceback__) if original else None,
        extra={"error_id": error_id},
    )
    return GraphQLError(
        message=f"Internal error (id {error_id}); it was logged. Quote the id to report it.",
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "errorId": error_id},
    )


def masked(errors: list[GraphQLError]) -> list[GraphQLError]:
    """Errors fit for a client: internal ones anonymised, the client's own kept as they are."""
    return [anonymise(error) if is_internal(error) else error for error in errors]


class MaskInternalErrors(MaskErrors):
    """Masks internal errors raised while resolving fields (see ``anonymise``)."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_internal)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return anonymise(error)
