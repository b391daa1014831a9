"""Turning a partner's items into records, one at a time, so a bad one never stops the rest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from connectors.mapping import FieldMap, apply_map
from connectors.records import RecordError, parse_record
from connectors.result import PullResult

# The field that says "whose is this" for each kind; a partner's own register rarely names
# the partner itself, so it defaults to the organisation that publishes the source.
_OWNER_FIELD = {
    "project": "lead_organisation",
    "person": "organisation",
    "resource": "organisation",
}


MAX_SAME_AS = 10
"""As many ``same_as`` as a record keeps (the nearest hubs, the origin last)."""


class Collector:
    """Maps, validates and gathers the records of one pull into its ``PullResult``."""

    def __init__(self, result: PullResult, owner: dict[str, str] | None = None) -> None:
        self.result = result
        self.owner = owner

    def add(
        self,
        item: Any,
        field_map: FieldMap,
        kind: str,
        location: str,
        *,
        named: bool = False,
        origin: str | None = None,
    ) -> None:
        """Map, validate and keep one item; ``named``: ``location`` already names its id.

        ``origin`` (another hub's GraphQL URL) adds ``<origin>#<ref>`` to the record's
        ``same_as``, after any the item itself names: a record pulled from a hub keeps its id
        there instead of becoming an anonymous copy.
        """
        data = apply_map(item, field_map, kind)
        owner_field = _OWNER_FIELD.get(kind)
        if self.owner and owner_field and owner_field not in data:
            data[owner_field] = dict(self.owner)
        ref = data.get("ref")
        if origin is not None and isinstance(ref, str) and ref.strip():
            named_already = data.get("same_as")
            earlier = list(named_already) if isinstance(named_already, list) else []
            data["same_as"] = [*earlier, f"{origin}#{ref.strip()}"][-MAX_SAME_AS:]
        if isinstance(ref, str) and ref.strip() and not named:
            location = f"{location} (ref {ref.strip()!r})"
        parsed = parse_record(data, source=self.result.source, location=location)
        if isinstance(parsed, RecordError):
            self.result.errors.append(parsed)
        else:
            self.result.records.append(parsed)

    def latest_update(self, since: str | None) -> str | None:
        """The newest ``updated_at`` seen (ISO 8601, UTC), or ``since`` when nothing is newer."""
        stamps = [_utc(r.updated_at) for r in self.result.records if r.updated_at]
        newest = max(stamps, default=None)
        if newest is None or (since is not None and newest <= _utc(datetime.fromisoformat(since))):
            return since
        return newest.isoformat().replace("+00:00", "Z")


def _utc(stamp: datetime) -> datetime:
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
