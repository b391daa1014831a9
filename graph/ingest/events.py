"""What events, training and "go and see" visits add to a resource's or a project's row.

Moments are stored as ``graph.moments`` says: the events listing orders and pages by
``startsKey`` and finds what is still to come by ``untilKey`` (the end, or the start when no
end is given), which is indexed.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from connectors.records import ProjectRecord, ResourceRecord
from graph.moments import utc_key, with_offset
from graph.normalise import slug


def programme_id(name: str) -> str:
    return slug(name)


def module_id(programme: str, module: str) -> str:
    """A module is known within its programme: ``<programme>/<module>``."""
    return f"{slug(programme)}/{slug(module)}"


def event_props(record: ResourceRecord) -> dict[str, Any]:
    """The event, programme and mode keys of a resource (None where the record has none)."""
    starts = record.starts_at if isinstance(record.starts_at, datetime) else None
    ends = record.ends_at if isinstance(record.ends_at, datetime) else None
    return {
        "startsAt": with_offset(starts),
        "endsAt": with_offset(ends),
        "startsKey": utc_key(starts) if starts else None,
        "untilKey": utc_key(ends or starts) if starts else None,
        "timeZone": record.time_zone,
        "allDay": record.all_day if starts else None,
        "venue": record.venue,
        "online": record.online if starts else None,
        "bookingUrl": record.booking_url,
        "audience": record.audience,
        "organiser": record.organiser,
        "places": record.places,
        "programme": record.programme,
        "programmeId": programme_id(record.programme) if record.programme else None,
        "module": record.module,
        "moduleId": (
            module_id(record.programme, record.module)
            if record.programme and record.module
            else None
        ),
        "mode": record.mode.value if record.mode else None,
    }


OPEN_ON_REQUEST = "9999-12-31T23:59:59Z"
"""``visitsOpenUntil`` of an offer open on request: later than any date."""


def visit_props(record: ProjectRecord) -> dict[str, Any]:
    """A project's visit offer: the offer as JSON (read back whole), and until when it is open.

    ``visitsOpenUntil`` is the UTC key of the last date offered (``OPEN_ON_REQUEST`` for an
    offer on request), so "offers visits now" is one indexed comparison with the time now.
    """
    offer = record.visits
    if offer is None:
        return {"visits": None, "visitsOpenUntil": None}
    dates = []
    last = OPEN_ON_REQUEST if offer.on_request else ""
    for visit in offer.dates:
        starts = visit.starts_at if isinstance(visit.starts_at, datetime) else None
        ends = visit.ends_at if isinstance(visit.ends_at, datetime) else None
        if starts is None:
            continue
        dates.append(
            {
                "startsAt": starts.isoformat(),
                "endsAt": ends.isoformat() if ends else None,
                "places": visit.places,
            }
        )
        last = max(last, utc_key(ends or starts))
    stored = {
        "onRequest": offer.on_request,
        "howToAsk": offer.how_to_ask,
        "url": offer.url,
        "dates": dates,
    }
    return {"visits": json.dumps(stored, sort_keys=True), "visitsOpenUntil": last or None}
