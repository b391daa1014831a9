"""People's verdicts on pairs: confirmed, dismissed, or back to unreviewed, with a note.

A review is its own node, ``(:DuplicateReview {pair})``, keyed like the ``SIMILAR_TO`` it is
about but not stored on it: re-scoring deletes and rewrites pairs freely, and a re-sync may
drop a pair below the threshold for a while, yet the verdict stays and applies again as soon
as the pair is found. Read queries join the two by ``pair``.

Who may review is decided by the caller (the API checks it in one place,
``schema.duplicates.ensure_may_review``); this module only records who did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, LiteralString

from graph.database import Graph
from graph.similarity.store import ordered, pair_key
from graph.version import bump_version

MAX_NOTE = 2000


class ReviewStatus(StrEnum):
    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


VISIBLE_BY_DEFAULT = (ReviewStatus.UNREVIEWED, ReviewStatus.CONFIRMED)


class ReviewError(ValueError):
    """A review that cannot be recorded; the message says what to change."""


@dataclass(frozen=True)
class Review:
    pair: str
    status: ReviewStatus
    note: str | None
    reviewer: str | None
    reviewed_at: datetime | None


_PROJECTS_EXIST: LiteralString = """
MATCH (p:Project) WHERE p.id IN [$a, $b] AND p.retiredAt IS NULL
RETURN count(p) AS n
"""

_WRITE_REVIEW: LiteralString = """
MERGE (r:DuplicateReview {pair: $pair})
ON CREATE SET r.a = $a, r.b = $b, r.firstReviewedAt = $now
SET r.status = $status, r.note = $note, r.reviewer = $reviewer, r.reviewedAt = $now
RETURN r.pair AS pair, r.status AS status, r.note AS note, r.reviewer AS reviewer,
       r.reviewedAt AS reviewedAt
"""


async def review_pair(
    graph: Graph,
    a: str,
    b: str,
    status: ReviewStatus,
    *,
    note: str | None = None,
    reviewer: str | None = None,
) -> Review:
    """Record a verdict on the pair (a, b), in either order; the latest verdict wins."""
    if a == b:
        raise ReviewError("a project cannot duplicate itself: give two different project ids")
    if note is not None and len(note) > MAX_NOTE:
        raise ReviewError(f"the note is at most {MAX_NOTE} characters (got {len(note)})")
    found = await graph.read(_PROJECTS_EXIST, {"a": a, "b": b})
    if found[0]["n"] != 2:
        raise ReviewError(f"no live projects {a!r} and {b!r}: check both ids")
    first, second = ordered(a, b)
    rows = await graph.write(
        _WRITE_REVIEW,
        {
            "pair": pair_key(a, b),
            "a": first,
            "b": second,
            "status": ReviewStatus(status).value,
            "note": note,
            "reviewer": reviewer,
            "now": datetime.now(UTC),
        },
    )
    await bump_version(graph)
    return _review(rows[0])


def _review(row: dict[str, Any]) -> Review:
    when = row.get("reviewedAt")
    return Review(
        pair=row["pair"],
        status=ReviewStatus(row["status"]),
        note=row.get("note"),
        reviewer=row.get("reviewer"),
        reviewed_at=when.to_native() if hasattr(when, "to_native") else when,
    )
