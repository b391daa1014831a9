"""What one pull of one source gives back: records, rejects, and how far it got."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from connectors.records import Record, RecordError


class SourceFailure(Exception):
    """The source as a whole could not be read; the message is for the person who runs sync."""


@dataclass(frozen=True)
class SourceState:
    """Incremental state kept between pulls: a bookmark and validators such as ETags.

    ``etag`` is opaque to everyone but the connector: a JSON object of one validator per stream
    (an ETag, or a file's content hash), so a source with several streams can say "unchanged".
    """

    bookmark: str | None = None
    etag: str | None = None

    def etags(self) -> dict[str, str]:
        if not self.etag:
            return {}
        try:
            value = json.loads(self.etag)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

    @staticmethod
    def pack_etags(etags: dict[str, str]) -> str | None:
        return json.dumps(etags, sort_keys=True) if etags else None


@dataclass
class PullResult:
    """The outcome of one pull.

    ``complete`` means the source listed everything it has (so what is missing was removed);
    an incremental or failed pull is never complete. ``failure`` says why the source failed as
    a whole (ingestion prefixes it with the source id); ``records`` then holds whatever arrived
    before the failure. ``requests`` and ``notes`` (retries, waits) say how the pull went.
    """

    source: str
    records: list[Record] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    complete: bool = False
    failure: str | None = None
    not_modified: bool = False
    state: SourceState = field(default_factory=SourceState)
    requests: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failure is None
