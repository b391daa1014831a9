"""Moments as the graph stores them: with the offset they had where they happen, and as UTC
keys (``2026-03-05T10:00:00Z``) that sort and compare as text, so lists can order and page by
them and range indexes can seek them."""

from __future__ import annotations

from datetime import UTC, datetime, timezone


def utc_key(moment: datetime) -> str:
    """A moment as the UTC text that sorts in time order (to the second, ``Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def with_offset(moment: datetime | None) -> datetime | None:
    """The moment with a fixed offset, which the driver stores as it is whatever the tzinfo
    (a zone such as Europe/London is kept by name beside it, in ``timeZone``)."""
    if moment is None:
        return None
    offset = moment.utcoffset()
    return moment.replace(tzinfo=timezone(offset)) if offset is not None else moment
