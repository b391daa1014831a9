"""The hub's iCalendar feeds: ``/calendar.ics``, events and training for calendar apps.

People subscribe to a feed from Outlook, Google Calendar or Apple Calendar; the explorer shows
the feed's address for the filter chosen, and its "add to calendar" links ask for one event.

    /calendar.ics?system=north-vale-ics&topic=falls&organisation=ods:ZNV01&kind=training&online=true
    /calendar.ics?event=<resource id>

A feed holds the events still to come and those that ended in the last month (so a calendar
keeps what it showed recently), soonest first, at most ``MAX_EVENTS``. Answers are cached like
the widget's: an ETag over the body, ``Cache-Control: public, max-age=<embed max age>`` and 304
for a matching ``If-None-Match``. Times keep their zone (with its VTIMEZONE), all-day events
are dates, and organisers are names in the description, never addresses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from connectors.enums import ResourceType
from graph.database import DatabaseUnavailable, Graph
from graph.queries.events import EventFilter, calendar_events
from graph.queries.fields import parse_moment
from hub.web.persisted import etag_set

PATH = "/calendar.ics"
MAX_EVENTS = 500
RECENT = timedelta(days=31)
"""How long an event stays in feeds after it ended."""
MAX_VALUE = 200
FILTERS = ("system", "topic", "organisation", "kind", "online", "event")
REFRESH = timedelta(hours=1)
"""How often calendar apps are asked to check the feed again (REFRESH-INTERVAL)."""


class BadRequest(Exception):
    """A parameter the feed cannot use; the message says which and what to send."""


def calendar_routes(graph: Graph, *, max_age: int) -> list[BaseRoute]:
    """``/calendar.ics`` over ``graph``; ``max_age`` is how long caches may keep an answer."""

    async def feed(request: Request) -> Response:
        try:
            where, title = _filter(request.query_params)
        except BadRequest as problem:
            return JSONResponse({"error": str(problem)}, status_code=400)
        try:
            rows = await calendar_events(graph, where, limit=MAX_EVENTS)
        except DatabaseUnavailable as down:
            return JSONResponse(
                {"error": "The hub's database is not available just now; try again shortly."},
                status_code=503,
                headers={"Retry-After": str(max(1, round(down.retry_after)))},
            )
        if where.event is not None and not rows:
            return JSONResponse({"error": f"No event has the id {where.event!r}."}, 404)
        body = render(rows, title=title, hub=str(request.base_url).rstrip("/"))
        headers = {
            "ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"',
            "Cache-Control": f"public, max-age={max_age}",
            "X-Content-Type-Options": "nosniff",
        }
        if where.event is not None:
            name = "event.ics"
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
        if headers["ETag"] in etag_set(request.headers.get("if-none-match")):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

    return [Route(PATH, feed, methods=["GET", "HEAD"])]


def _filter(params: Mapping[str, str]) -> tuple[EventFilter, str]:
    """The events a request asks for, and the feed's name saying so."""
    unknown = sorted(set(params) - set(FILTERS))
    if unknown:
        raise BadRequest(
            f"Unknown parameter {unknown[0]!r}: a calendar takes {', '.join(FILTERS)}."
        )
    for name, value in params.items():
        if len(value) > MAX_VALUE:
            raise BadRequest(f"`{name}` is at most {MAX_VALUE} characters (got {len(value)}).")
    given = {name: value.strip() for name, value in params.items() if value.strip()}
    kind = given.get("kind")
    if kind is not None:
        try:
            kind = ResourceType(kind.lower()).value
        except ValueError:
            kinds = ", ".join(k.value for k in ResourceType)
            raise BadRequest(f"`kind` is one of {kinds} (got {kind!r}).") from None
    online = given.get("online")
    if online is not None and online.lower() not in ("true", "false"):
        raise BadRequest(f"`online` is true or false (got {online!r}).")
    event = given.get("event")
    where = EventFilter(
        starting=None if event else datetime.now(UTC) - RECENT,
        topic=given.get("topic"),
        system=given.get("system"),
        organisation=given.get("organisation"),
        resource_type=kind,
        online=None if online is None else online.lower() == "true",
        event=event,
    )
    chosen = [f"{name} {given[name]}" for name in FILTERS[:-1] if name in given]
    title = "Convener: what's on" + (f" ({', '.join(chosen)})" if chosen else "")
    return where, title


def render(rows: list[dict[str, Any]], *, title: str, hub: str) -> bytes:
    """The iCalendar document for ``rows`` (``calendar_events``'), with its VTIMEZONEs."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Convener//What's on//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-caldesc", f"Events and training from partners across the region ({hub})")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH).to_ical().decode())
    today = datetime.now(UTC).date()
    stamp = datetime.combine(today, time(), UTC)  # stable for a day, so is the ETag
    years = [today.year]
    for row in rows:
        event = _event(row, hub, stamp)
        years.append(event.decoded("DTSTART").year)
        calendar.add_component(event)
    # Time zones' rules only for the years the events need: a VTIMEZONE spanning decades
    # (icalendar's default) is read wrongly by some parsers, and is long.
    calendar.add_missing_timezones(
        first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
    )
    return calendar.to_ical()


def _event(row: dict[str, Any], hub: str, stamp: datetime) -> icalendar.Event:
    item = row["item"]
    page = f"{hub}/#/resource/{quote(item['id'], safe='')}"
    event = icalendar.Event()
    event.add("uid", f"{item['id']}@convener")
    event.add("dtstamp", stamp)
    zone = _zone(item.get("timeZone"))
    start = _native(item["startsAt"], zone)
    end = _native(item.get("endsAt"), zone)
    if item.get("allDay"):
        event.add("dtstart", start.date())
        last = end.date() if end is not None else start.date() + timedelta(days=1)
        event.add("dtend", max(last, start.date() + timedelta(days=1)))
    else:
        event.add("dtstart", start)
        if end is not None:
            event.add("dtend", end)
    event.add("summary", item["title"])
    event.add("description", _description(item, row, page))
    location = _location(item)
    if location:
        event.add("location", location)
    event.add("url", item.get("bookingUrl") or item.get("url") or page)
    labels = [t["label"] for t in row.get("topics") or [] if t.get("label")]
    if labels:
        event.add("categories", labels)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _native(value: Any, zone: ZoneInfo) -> datetime | None:
    """A stored moment (as a row holds it, or a day) in its event's zone."""
    if value is None:
        return None
    moment = parse_moment(value) if isinstance(value, str) else value
    if isinstance(moment, date) and not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(), zone)
    return moment.astimezone(zone)


def _location(item: dict[str, Any]) -> str | None:
    venue = item.get("venue")
    if venue and item.get("online") and "online" not in venue.lower():
        return f"{venue} (and online)"
    return venue or ("Online" if item.get("online") else None)


def _description(item: dict[str, Any], row: dict[str, Any], page: str) -> str:
    """What a calendar shows of the event: its summary and the facts people act on."""
    publisher = next((p["name"] for p in row.get("publishers") or [] if p.get("name")), None)
    facts = [
        ("For", item.get("audience")),
        ("Organised by", item.get("organiser") or publisher),
        ("Places", str(item["places"]) if item.get("places") is not None else None),
        ("Book", item.get("bookingUrl")),
        ("On Convener", page),
    ]
    lines = [f"{label}: {value}" for label, value in facts if value]
    summary = item.get("summary")
    return "\n".join([summary, "", *lines] if summary else lines)
