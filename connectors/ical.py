"""iCalendar feeds (what Outlook, Google Calendar and booking sites export) into events.

Each VEVENT becomes a resource (an ``event`` unless the mapping says otherwise) with its times
and time zone, venue or online, organiser (the name only, never the address) and categories as
topics. A recurring event is expanded over a bounded window (``expand``: a week back to a year
ahead by default), one resource per occurrence (``<UID>#<start in UTC>``), at most
``max_occurrences`` per series; moved and cancelled occurrences are honoured. A cancelled event
is not listed, so a complete pull retires it. A bad event is rejected with its UID and the
iCalendar property at fault.

A calendar lists all its events, so a pull is complete. It is asked with ``If-None-Match`` (or
its content hash compared) and ``If-Modified-Since`` (the bookmark), but only on the day of the
last expansion: the window moves each day, so a calendar that did not change may still have
occurrences to add.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events
from icalendar.timezone import tzid_from_dt
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from connectors.collect import Collector
from connectors.http import Fetcher, if_none_match, validator_of
from connectors.mapping import FieldMap
from connectors.partners import IcalSource, IcalStream
from connectors.records import DEFAULT_TIME_ZONE, RecordError
from connectors.result import PullResult, SourceFailure, SourceState

_VALIDATOR = "ical"
_WINDOW = "window"  # the day occurrences were expanded from, kept beside the validator
_NOT_CALENDARS = ("text/html", "application/json")
_TOO_OFTEN = ("SECONDLY", "MINUTELY")
_ITEM_FIELDS = (
    "ref",
    "title",
    "summary",
    "url",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue",
    "online",
    "organiser",
    "topics",
    "updated_at",
)
_STANDARD = FieldMap(
    fields={name: {"path": name} for name in _ITEM_FIELDS},  # type: ignore[misc]
    defaults={"resource_type": "event"},
)
# The iCalendar property each standard field is read from, to name it in a rejection.
_PROPERTY = {
    "ref": "UID",
    "title": "SUMMARY",
    "summary": "DESCRIPTION",
    "url": "URL",
    "starts_at": "DTSTART",
    "ends_at": "DTEND",
    "time_zone": "DTSTART",
    "venue": "LOCATION",
    "online": "LOCATION",
    "organiser": "ORGANIZER",
    "topics": "CATEGORIES",
    "updated_at": "LAST-MODIFIED",
}
_ONLINE_PROPERTIES = ("CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-GOOGLE-CONFERENCE")
_URL = re.compile(r"^\s*https?://\S+\s*$", re.IGNORECASE)
_SAYS_ONLINE = re.compile(r"\b(online|virtual|webinar|microsoft teams|ms teams|zoom)\b", re.I)


class BadEvent(Exception):
    """One event (or series) cannot be read; ``property`` is the iCalendar property at fault."""

    def __init__(self, property: str, message: str) -> None:
        super().__init__(message)
        self.property = property
        self.ref: str | None = None
        """The ref of what it delivered before, when that is known (a single event's UID)."""


@dataclass(frozen=True)
class Window:
    """Where recurring events are expanded: occurrences ending after ``start`` and starting
    before ``end``, at most ``most`` of each series."""

    start: datetime
    end: datetime
    most: int


async def pull_ical(
    source: IcalSource,
    fetcher: Fetcher,
    state: SourceState,
    result: PullResult,
    collector: Collector,
) -> None:
    """Fill ``result`` from the calendar; raises ``SourceFailure`` when it is not one."""
    today = datetime.now(UTC).date()
    known = state.etags()
    # Validators count only on the day they were taken: the window moves with the date.
    same_day = known.get(_WINDOW) == today.isoformat()
    known_validator = known.get(_VALIDATOR) if same_day else None
    headers = if_none_match(known_validator)
    if same_day and state.bookmark:
        headers["If-Modified-Since"] = state.bookmark
    response = await fetcher.get(source.url, what="the calendar", headers=headers)
    validator = validator_of(response)
    if response.status_code == 304 or validator == known_validator:
        result.not_modified = True
        result.state = state
        return
    calendar = _calendar(response.headers.get("content-type", ""), response.content)
    zone = _default_zone(source, calendar, fetcher.notes)
    stream = source.mapping.get("resource", IcalStream())
    field_map = FieldMap(
        fields={**_STANDARD.fields, **stream.fields},
        defaults={**_STANDARD.defaults, **stream.defaults},
    )
    midnight = datetime.combine(today, time(), UTC)
    window = Window(
        start=midnight - timedelta(days=source.expand.past_days),
        end=midnight + timedelta(days=source.expand.future_days),
        most=source.expand.max_occurrences,
    )
    events = calendar.walk("VEVENT")
    if not events:
        fetcher.notes.append("the calendar lists no events: nothing was read")
    for number, uid, items in _series(events, calendar, zone, window, fetcher.notes):
        if isinstance(items, BadEvent):
            result.errors.append(_rejection(result.source, number, uid, items))
            continue
        for item in items:
            where = f"event {number} (UID {uid!r}" + (
                f", on {item['starts_at'].isoformat()})" if "#" in item["ref"] else ")"
            )
            before = len(result.errors)
            collector.add(item, field_map, "resource", where, named=True)
            for error in result.errors[before:]:
                error.field = _property_of(error.field, field_map)
    result.complete = True
    result.state = SourceState(
        bookmark=response.headers.get("last-modified"),
        etag=SourceState.pack_etags({_VALIDATOR: validator, _WINDOW: today.isoformat()}),
    )


def _calendar(content_type: str, content: bytes) -> icalendar.Calendar:
    """The parsed calendar, or ``SourceFailure`` naming what came instead."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in _NOT_CALENDARS:
        raise SourceFailure(f"the calendar: answered {kind}, not iCalendar (is the url right?)")
    if not content.strip():
        raise SourceFailure("the calendar: the answer is empty, not iCalendar (is the url right?)")
    if not content.lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCALENDAR"):
        opening = content[:40].decode("utf-8", errors="replace").strip()
        raise SourceFailure(
            f"the calendar: not iCalendar (it starts {opening!r}; is the url right?)"
        )
    try:
        return icalendar.Calendar.from_ical(content)
    except ValueError as error:
        raise SourceFailure(f"the calendar: not readable iCalendar ({error})") from None


def _default_zone(source: IcalSource, calendar: icalendar.Calendar, notes: list[str]) -> ZoneInfo:
    """The zone of times the calendar gives without one: the source's ``time_zone``, else the
    calendar's own X-WR-TIMEZONE, else the hub's default."""
    if source.time_zone:
        return ZoneInfo(source.time_zone)
    named = calendar.get("X-WR-TIMEZONE")
    if named:
        try:
            return ZoneInfo(str(named))
        except (ZoneInfoNotFoundError, ValueError):
            notes.append(
                f"the calendar's X-WR-TIMEZONE {str(named)!r} is not a time zone; times without "
                f"one are read in {DEFAULT_TIME_ZONE}"
            )
    return ZoneInfo(DEFAULT_TIME_ZONE)


def _series(
    events: list[icalendar.Event],
    calendar: icalendar.Calendar,
    zone: ZoneInfo,
    window: Window,
    notes: list[str],
) -> Iterator[tuple[int, str | None, list[dict[str, Any]] | BadEvent]]:
    """For each UID (with the number of its first VEVENT), its items or why none can be read.

    A series is read apart from the others, so one bad RRULE costs only its own events.
    """
    by_uid: dict[str, list[tuple[int, icalendar.Event]]] = {}
    for number, event in enumerate(events, start=1):
        uid = str(event.get("UID") or "").strip()
        if not uid:
            yield number, None, BadEvent("UID", "an event needs a UID")
            continue
        by_uid.setdefault(uid, []).append((number, event))
    timezones = calendar.walk("VTIMEZONE")
    for uid, members in by_uid.items():
        number = members[0][0]
        recurring = any(_recurs(e) and "RECURRENCE-ID" not in e for _, e in members)
        try:
            for _, event in members:
                _check(event)
            if recurring:
                found = _occurrences(uid, [e for _, e in members], timezones, zone, window, notes)
            else:
                found = [_item(e, uid, zone) for _, e in members]
        except BadEvent as bad:
            # A single event is kept as it was; a series' occurrences are not known by ref.
            bad.ref = None if recurring else uid
            yield number, uid, bad
            continue
        except Exception as error:  # what no check above foresaw costs this event, not the pull
            bad = BadEvent("VEVENT", f"cannot be read ({type(error).__name__}: {error})")
            bad.ref = None if recurring else uid
            yield number, uid, bad
            continue
        yield number, uid, [item for item in found if item is not None]


def _check(event: icalendar.Event) -> None:
    """The first property icalendar could not read, or a rule that recurs too often."""
    for name, message in event.errors:
        raise BadEvent(str(name), str(message))
    if "DTSTART" not in event:
        raise BadEvent("DTSTART", "an event needs DTSTART")
    rules = event.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        frequency = (rule.get("FREQ") or [""])[0]
        if str(frequency).upper() in _TOO_OFTEN:
            raise BadEvent("RRULE", f"recurs {str(frequency).lower()}: events recur hourly at most")


def _recurs(event: icalendar.Event) -> bool:
    return "RRULE" in event or "RDATE" in event


def _occurrences(
    uid: str,
    members: list[icalendar.Event],
    timezones: list[icalendar.Timezone],
    zone: ZoneInfo,
    window: Window,
    notes: list[str],
) -> list[dict[str, Any] | None]:
    """The occurrences of one series in the window, soonest first, at most ``window.most``."""
    series = icalendar.Calendar()
    for component in [*timezones, *members]:
        series.add_component(component)
    found: list[dict[str, Any] | None] = []
    try:
        for occurrence in recurring_ical_events.of(series).after(window.start.date()):
            if _utc(occurrence.decoded("DTSTART"), zone) >= window.end:
                break
            if len(found) == window.most:
                notes.append(
                    f"event UID {uid!r} recurs more than {window.most} times in the window: "
                    f"the first {window.most} are listed (expand.max_occurrences)"
                )
                break
            found.append(_item(occurrence, uid, zone))
    except BadEvent:
        raise
    except Exception as error:  # the partner's rule, not our bug: this series alone fails
        raise BadEvent("RRULE", f"the recurrence cannot be expanded ({error})") from None
    return found


def _item(event: icalendar.Event, uid: str, zone: ZoneInfo) -> dict[str, Any] | None:
    """One event or occurrence as an item for the field map; None when it is cancelled.

    An occurrence (anything with a RECURRENCE-ID) has its original start in its ref. Beside
    the standard fields, every X- property is there by name (``X-BOOKING-URL``...).
    """
    if str(event.get("STATUS") or "").upper() == "CANCELLED":
        return None
    start = event.decoded("DTSTART")
    end = _end(event, start)
    ref = uid
    if "RECURRENCE-ID" in event:
        original = _utc(event.decoded("RECURRENCE-ID"), zone)
        ref = f"{uid}#{original.strftime('%Y%m%dT%H%M%SZ')}"
    location = _text(event.get("LOCATION"))
    link = location if location and _URL.match(location) else None
    conference = any(name in event for name in _ONLINE_PROPERTIES)
    online = bool(link or conference or (location and _SAYS_ONLINE.search(location)))
    start, end, named_zone = _in_its_zone(start, end, zone)
    item: dict[str, Any] = {name: _plain(event[name]) for name in event if name.startswith("X-")}
    item.update(
        ref=ref,
        title=_text(event.get("SUMMARY")),
        summary=_text(event.get("DESCRIPTION")),
        url=_text(event.get("URL")),
        starts_at=start,
        ends_at=end,
        time_zone=named_zone,
        venue=None if link else location,
        online=online,
        organiser=_organiser(event.get("ORGANIZER")),
        topics=list(event.categories),
        updated_at=_updated(event),
    )
    return item


def _end(event: icalendar.Event, start: date | datetime) -> date | datetime | None:
    """The end as a record says it: None when the event gives none; for an all-day event its
    last day (iCalendar's DTEND is the day after)."""
    if "DTEND" not in event and "DURATION" not in event:
        return None
    try:
        end = event.end
    except icalendar.InvalidCalendar as error:  # both DTEND and DURATION, a date and a time
        raise BadEvent("DTEND", str(error)) from None
    if isinstance(start, datetime) or end < start:
        return end  # one before its start is the partner's to fix: the record rejects it
    last = end - timedelta(days=1)
    return last if last > start else None


def _zone_name(moment: datetime) -> str | None:
    """The IANA name of a time's zone: its own, or Outlook's Windows name translated."""
    key = getattr(moment.tzinfo, "key", None)
    if key:
        return str(key)
    named = tzid_from_dt(moment)
    if named in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[named]
    try:
        return ZoneInfo(named).key if named else None
    except (ZoneInfoNotFoundError, ValueError):
        return None  # a zone only the calendar defines: the time keeps its offset


def _in_its_zone(
    start: date | datetime, end: date | datetime | None, zone: ZoneInfo
) -> tuple[date | datetime, date | datetime | None, str | None]:
    """Start and end as the record reads them, and the name of their zone.

    A floating time or a day is read in the calendar's zone; a UTC time is shown there too (an
    instant in UTC says nothing about where it happens); a zoned time keeps its zone.
    """
    if not isinstance(start, datetime) or start.tzinfo is None:
        return start, end, zone.key
    if start.utcoffset() == timedelta(0) and tzid_from_dt(start) in ("UTC", None):
        moved = end.astimezone(zone) if isinstance(end, datetime) else end
        return start.astimezone(zone), moved, zone.key
    return start, end, _zone_name(start)


def _utc(moment: date | datetime, zone: tzinfo) -> datetime:
    """A start as a UTC instant: a day or a floating time read in ``zone``."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _plain(value: Any) -> Any:
    """A property's value as text (a list for a repeated property), for a mapping to read."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value.to_ical().decode("utf-8", errors="replace")


def _organiser(value: Any) -> str | None:
    """The organiser's name (CN); their address is personal data and is never read."""
    if value is None or isinstance(value, list):
        value = value[0] if value else None
    return _text(value.params.get("CN")) if value is not None else None


def _updated(event: icalendar.Event) -> datetime | None:
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        if name in event:
            stamp = event.decoded(name)
            if isinstance(stamp, datetime):
                return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return None


def _rejection(source: str, number: int, uid: str | None, bad: BadEvent) -> RecordError:
    """A bad single event names its ref, so it is kept as it was; a bad series names none (its
    occurrences' refs are unknown), which holds back retirement for the pull instead."""
    where = f"event {number}" + (f" (UID {uid!r})" if uid else "")
    return RecordError(
        source=source,
        location=where,
        field=bad.property,
        message=str(bad),
        kind="resource",
        ref=bad.ref,
    )


def _property_of(field: str | None, field_map: FieldMap) -> str | None:
    """The iCalendar property a rejected record field was read from (its mapped path)."""
    if field is None:
        return None
    spec = field_map.fields.get(field.split(".")[0])
    path = spec.path if spec is not None else None
    if path is None:
        return field
    return _PROPERTY.get(path, path)
