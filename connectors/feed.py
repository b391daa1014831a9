"""RSS 0.9x/1.0/2.0 and Atom feeds into resources: case studies, blog posts, events.

A feed lists recent entries only, so a pull is never complete: an entry that drops off the
end of a feed is old, not withdrawn, and must not be retired.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from time import struct_time
from typing import Any

import feedparser

from connectors.collect import Collector
from connectors.http import Fetcher, if_none_match, validator_of
from connectors.mapping import FieldMap
from connectors.partners import FeedSource, FeedStream
from connectors.result import PullResult, SourceFailure, SourceState

_VALIDATOR = "feed"
_NOT_FEEDS = ("text/html", "application/json")
_STANDARD = FieldMap.model_validate(
    {
        "fields": {
            "ref": "ref",
            "title": "title",
            "summary": "summary",
            "url": "url",
            "published": "published",
            "updated_at": "updated_at",
            "topics": "topics",
        }
    }
)


async def pull_feed(
    source: FeedSource,
    fetcher: Fetcher,
    state: SourceState,
    result: PullResult,
    collector: Collector,
) -> None:
    """Fill ``result`` from the feed; raises ``SourceFailure`` when it is not a feed."""
    known = state.etags().get(_VALIDATOR)
    response = await fetcher.get(source.url, what="the feed", headers=if_none_match(known))
    validator = validator_of(response)
    if response.status_code == 304 or validator == known:
        result.not_modified = True
        result.state = state
        return
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in _NOT_FEEDS:
        raise SourceFailure(
            f"the feed: answered {content_type}, not RSS or Atom (is the url right?)"
        )
    if not response.content.strip():
        raise SourceFailure("the feed: the answer is empty, not RSS or Atom (is the url right?)")
    parsed = feedparser.parse(response.content, response_headers=dict(response.headers))
    readable = [entry for entry in parsed.entries if entry.get("link") or entry.get("id")]
    if parsed.bozo and not readable:
        reason = getattr(parsed, "bozo_exception", "unreadable")
        raise SourceFailure(f"the feed: not a readable RSS or Atom feed ({reason})")
    if not parsed.get("version") and not readable:
        raise SourceFailure(
            "the feed: the answer is a document but not RSS or Atom "
            f"(it starts {_opening(response.content)!r}; is the url right?)"
        )
    if parsed.bozo:
        fetcher.notes.append(f"the feed is not well formed, read anyway ({parsed.bozo_exception})")
    if not parsed.entries:
        fetcher.notes.append("the feed lists no entries: nothing was read")
    stream = source.mapping.get("resource", FeedStream())
    field_map = FieldMap(fields={**_STANDARD.fields, **stream.fields}, defaults={**stream.defaults})
    for number, entry in enumerate(parsed.entries, start=1):
        collector.add(_item(entry), field_map, "resource", f"entry {number}")
    result.complete = False
    result.state = SourceState(etag=SourceState.pack_etags({_VALIDATOR: validator}))


def _opening(content: bytes) -> str:
    """The first characters of an answer, to name what came instead of a feed."""
    return content[:60].decode("utf-8", errors="replace").strip()


def _item(entry: Any) -> dict[str, Any]:
    """The entry with the standard fields under plain names, beside feedparser's own keys."""
    item = dict(entry)
    item["ref"] = entry.get("id") or entry.get("link") or entry.get("title")
    item["title"] = _text(entry.get("title"))
    item["summary"] = _text(entry.get("summary"))
    item["url"] = entry.get("link")
    # dict.get, not entry.get: feedparser's own get warns about a deprecated fallback.
    published = dict.get(entry, "published_parsed")
    updated = dict.get(entry, "updated_parsed")
    item["published"] = _date(published or updated)
    item["updated_at"] = _instant(updated or published)
    item["topics"] = [tag.get("term") or tag.get("label") for tag in entry.get("tags", [])]
    return item


def _text(value: str | None) -> str | None:
    """Feed summaries are HTML; a resource summary is plain text."""
    if not value:
        return value
    plain = html.unescape(re.sub(r"<[^>]+>", " ", value))
    return " ".join(plain.split())


def _instant(value: struct_time | None) -> datetime | None:
    return datetime(*value[:6], tzinfo=UTC) if value else None


def _date(value: struct_time | None) -> date | None:
    return date(*value[:3]) if value else None
