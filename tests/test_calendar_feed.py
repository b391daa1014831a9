"""/calendar.ics: what the hub publishes, read back by icalendar and by vobject (a second,
independent parser), with its filters, one-event downloads, refusals and caching."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest
import vobject

from graph.database import Graph
from graph.ingest import sync_source
from hub.config import Settings
from hub.web.app import create_app
from tests.test_api_fixture import fresh_region
from tests.test_events_api import LEARNING, _records, local

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
async def hub(session_graph: Graph) -> AsyncIterator[httpx.AsyncClient]:
    graph = await fresh_region(session_graph)
    summary = await sync_source(graph, LEARNING, _records())
    assert summary.succeeded
    settings = Settings(_env_file=None, env="production", embed_max_age=120)  # type: ignore[call-arg]
    app = create_app(graph, close_graph=False, settings=settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield client


def parsed(body: bytes) -> tuple[dict[str, icalendar.Event], dict[str, vobject.base.Component]]:
    """The feed's events by UID, as each parser reads them."""
    first = icalendar.Calendar.from_ical(body)
    second = vobject.readOne(body.decode("utf-8"))
    by_icalendar = {str(e["UID"]): e for e in first.walk("VEVENT")}
    by_vobject = {e.uid.value: e for e in second.contents.get("vevent", [])}
    return by_icalendar, by_vobject


async def test_the_feed_holds_what_is_coming_and_both_parsers_agree(
    hub: httpx.AsyncClient,
) -> None:
    answer = await hub.get("/calendar.ics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    assert answer.headers["cache-control"] == "public, max-age=120"
    events, again = parsed(answer.content)
    assert (
        sorted(events)
        == sorted(again)
        == sorted(
            f"learning:{ref}@convener"
            for ref in ("e-masterclass", "e-webinar", "e-past", "e-now", "e-carers", "e-eastmoor")
        )
    )  # still to come, and last month's (a calendar keeps what it showed recently)
    for uid, event in events.items():
        other = again[uid]
        assert str(event["SUMMARY"]) == other.summary.value
        assert event.decoded("DTSTART") == other.dtstart.value, uid
        if "DTEND" in event:
            assert event.decoded("DTEND") == other.dtend.value, uid

    masterclass = events["learning:e-masterclass@convener"]
    start = masterclass.decoded("DTSTART")
    assert start == local(3, 10).replace(tzinfo=LONDON)
    assert masterclass["DTSTART"].params["TZID"] == "Europe/London"
    assert "Europe/London" in {
        str(tz["TZID"]) for tz in icalendar.Calendar.from_ical(answer.content).walk("VTIMEZONE")
    }
    assert str(masterclass["LOCATION"]) == "Education Centre, North Vale General"
    assert str(masterclass["URL"]) == "https://nvh.example/book/falls"
    assert [str(c) for c in masterclass.categories] == ["Falls prevention"]
    description = str(masterclass["DESCRIPTION"])
    assert "For: Ward sisters and physiotherapists" in description
    assert "Organised by: Falls team" in description
    assert "Places: 40" in description
    assert "On Convener: http://hub.test/#/resource/learning%3Ae-masterclass" in description
    # vobject reads the same time zone
    assert again["learning:e-masterclass@convener"].dtstart.value.utcoffset() == start.utcoffset()

    festival = events["learning:e-carers@convener"]
    assert festival.decoded("DTSTART") == local(10).date()  # all day: a date
    assert festival.decoded("DTEND") == local(10).date() + timedelta(days=1)
    assert isinstance(again["learning:e-carers@convener"].dtstart.value, date)
    drop_in = events["learning:e-now@convener"]
    assert str(drop_in["LOCATION"]) == "Eastmoor Library (and online)"
    webinar = events["learning:e-webinar@convener"]
    assert str(webinar["LOCATION"]) == "Online"
    assert str(webinar["URL"]) == "http://hub.test/#/resource/learning%3Ae-webinar"
    calendar = icalendar.Calendar.from_ical(answer.content)
    assert str(calendar["X-WR-CALNAME"]) == "Convener: what's on"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    description = vobject.readOne(answer.content.decode()).x_wr_caldesc.value
    assert description == "Events and training from partners across the region (http://hub.test)"


@pytest.mark.parametrize(
    ("query", "refs", "name"),
    [
        ("system=east-moor", ["e-now", "e-eastmoor"], "system east-moor"),
        ("topic=falls", ["e-past", "e-masterclass", "e-carers"], "topic falls"),
        ("organisation=ods:ZNV01", ["e-past", "e-webinar", "e-masterclass"], None),
        ("kind=training", ["e-masterclass", "e-eastmoor"], "kind training"),
        ("online=true", ["e-now", "e-webinar"], "online true"),
        (
            "system=north-vale&topic=falls&online=false",
            ["e-past", "e-masterclass", "e-carers"],
            "system north-vale, topic falls, online false",
        ),
    ],
)
async def test_each_filter_narrows_the_feed(
    hub: httpx.AsyncClient, query: str, refs: list[str], name: str | None
) -> None:
    answer = await hub.get(f"/calendar.ics?{query}")
    assert answer.status_code == 200, answer.text
    calendar = icalendar.Calendar.from_ical(answer.content)
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert uids == [f"learning:{ref}@convener" for ref in refs]  # soonest first
    if name is not None:
        assert str(calendar["X-WR-CALNAME"]) == f"Convener: what's on ({name})"


async def test_one_event_to_add_to_a_calendar(hub: httpx.AsyncClient) -> None:
    answer = await hub.get("/calendar.ics", params={"event": "learning:e-past"})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="event.ics"'
    events, again = parsed(answer.content)
    assert list(events) == list(again) == ["learning:e-past@convener"]  # past, yet asked for
    missing = await hub.get("/calendar.ics", params={"event": "learning:nothing"})
    assert missing.status_code == 404
    assert missing.json() == {"error": "No event has the id 'learning:nothing'."}


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (
            "colour=red",
            "Unknown parameter 'colour': a calendar takes system, topic, "
            "organisation, kind, online, event.",
        ),
        (
            "kind=party",
            "`kind` is one of case_study, toolkit, slideset, guide, training, event, "
            "video, blog_post, report, other (got 'party').",
        ),
        ("online=maybe", "`online` is true or false (got 'maybe')."),
        ("topic=" + "x" * 201, "`topic` is at most 200 characters (got 201)."),
    ],
)
async def test_a_bad_parameter_is_refused_with_what_to_send(
    hub: httpx.AsyncClient, query: str, error: str
) -> None:
    answer = await hub.get(f"/calendar.ics?{query}")
    assert answer.status_code == 400
    assert answer.json() == {"error": error}


async def test_cached_like_the_widgets_answers(hub: httpx.AsyncClient) -> None:
    first = await hub.get("/calendar.ics?topic=frailty")
    etag = first.headers["etag"]
    again = await hub.get("/calendar.ics?topic=frailty", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = await hub.get("/calendar.ics?topic=sepsis", headers={"if-none-match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag


async def test_an_empty_feed_is_still_a_calendar(hub: httpx.AsyncClient) -> None:
    answer = await hub.get("/calendar.ics?topic=maternity")
    assert answer.status_code == 200
    events, again = parsed(answer.content)
    assert events == {} and again == {}


def test_times_are_read_back_in_their_zone_across_a_clock_change() -> None:
    """Two events either side of the October change keep their London wall-clock times."""
    from hub.web.calendar import render

    summer = datetime(2026, 10, 20, 9, 0, tzinfo=LONDON)
    winter = datetime(2026, 11, 3, 9, 0, tzinfo=LONDON)
    rows = [
        {
            "item": {
                "id": f"x:{n}",
                "title": f"Huddle {n}",
                "startsAt": moment,
                "timeZone": "Europe/London",
            }
        }
        for n, moment in enumerate((summer, winter))
    ]
    body = render(rows, title="t", hub="http://hub.test")
    events, again = parsed(body)
    for n, moment in enumerate((summer, winter)):
        read = events[f"x:{n}@convener"].decoded("DTSTART")
        assert (read, read.hour, read.utcoffset()) == (moment, 9, moment.utcoffset())
        assert again[f"x:{n}@convener"].dtstart.value == moment
