"""ical: iCalendar feeds from a real HTTP server into events, and back into the graph.

Times sit around the day the tests run, so recurring events expand inside the real window.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from connectors.partners import PartnersFile, load_partners
from connectors.records import ResourceRecord
from connectors.result import SourceState
from graph.database import Graph
from hub.sync.run import run_sync
from tests.ingest_helpers import count
from tests.partner_web import FAST_HTTP, PartnerWeb, Reply, Request, one_source, pull

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.now(UTC).date()


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def stamp(offset: int, hour: int = 10, minute: int = 0) -> str:
    """An iCalendar local DATE-TIME ``offset`` days from today."""
    return day(offset).strftime("%Y%m%d") + f"T{hour:02d}{minute:02d}00"


def calendar(*events: str, extra: str = "") -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Zedvale Academy//Events//EN\r\n"
        f"{extra}{body}END:VCALENDAR\r\n"
    ).replace("\n\r\n", "\r\n")


def lines(*parts: str) -> str:
    return "\r\n".join(parts)


MASTERCLASS = lines(
    "UID:masterclass-1@zedvale.example",
    "DTSTAMP:20250101T000000Z",
    f"DTSTART;TZID=Europe/London:{stamp(5)}",
    f"DTEND;TZID=Europe/London:{stamp(5, 16)}",
    "SUMMARY:Falls prevention masterclass",
    "DESCRIPTION:A day on lying and standing blood pressure\\, with practice.",
    "LOCATION:Education Centre\\, Zedvale General",
    "URL:https://academy.zedvale.example/falls",
    "CATEGORIES:Falls prevention,Frailty",
    "ORGANIZER;CN=Zedvale Falls Team:mailto:ada.quill@zedvale.example",
    "X-BOOKING-URL:https://academy.zedvale.example/book/falls",
    "X-PLACES:40",
)
WEBINAR = lines(
    "UID:webinar-7@zedvale.example",
    f"DTSTART:{stamp(2, 12)}Z",
    "DURATION:PT1H",
    "SUMMARY:Sepsis webinar",
    "LOCATION:https://meet.zedvale.example/sepsis",
)
ALL_DAY = lines(
    "UID:carers-day@zedvale.example",
    f"DTSTART;VALUE=DATE:{day(9):%Y%m%d}",
    f"DTEND;VALUE=DATE:{day(11):%Y%m%d}",
    "SUMMARY:Carers' festival",
)
OUTLOOK = lines(
    "UID:outlook-3@zedvale.example",
    f"DTSTART;TZID=GMT Standard Time:{stamp(20, 9)}",
    f"DTEND;TZID=GMT Standard Time:{stamp(20, 10)}",
    "SUMMARY:Board development session",
    "CONFERENCE;VALUE=URI:https://teams.zedvale.example/board",
)
GMT_STANDARD = lines(
    "BEGIN:VTIMEZONE",
    "TZID:GMT Standard Time",
    "BEGIN:STANDARD",
    "DTSTART:16011028T020000",
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:-0000",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:16010325T010000",
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
    "TZOFFSETFROM:-0000",
    "TZOFFSETTO:+0100",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
    "",
)
FLOATING = lines(
    "UID:floating@zedvale.example",
    f"DTSTART:{stamp(30, 14)}",
    f"DTEND:{stamp(30, 15)}",
    "SUMMARY:Floating huddle",
)
CANCELLED = lines(
    "UID:gone@zedvale.example",
    f"DTSTART:{stamp(3)}Z",
    "SUMMARY:Called off",
    "STATUS:CANCELLED",
)


@pytest.fixture
def web() -> Iterator[PartnerWeb]:
    with PartnerWeb().running() as server:
        yield server


def ical(web: PartnerWeb, **options: Any) -> Any:
    source = {"id": "zv-calendar", "kind": "ical", "url": web.url("/events.ics"), **options}
    return one_source(source)


def serve(web: PartnerWeb, body: str, **headers: str) -> None:
    web.route("/events.ics", Reply(body=body, content_type="text/calendar", headers=headers))


def by_ref(records: list[Any]) -> dict[str, ResourceRecord]:
    return {record.ref: record for record in records}


async def test_each_event_with_its_times_place_and_organiser_name(web: PartnerWeb) -> None:
    serve(web, calendar(MASTERCLASS, WEBINAR, ALL_DAY, FLOATING, CANCELLED))
    result = await pull(
        ical(
            web,
            mapping={
                "resource": {
                    "defaults": {"resource_type": "training"},
                    "fields": {"booking_url": "X-BOOKING-URL", "places": "X-PLACES"},
                }
            },
        )
    )
    assert result.failure is None and result.errors == [] and result.complete
    events = by_ref(result.records)
    assert sorted(events) == [
        "carers-day@zedvale.example",
        "floating@zedvale.example",
        "masterclass-1@zedvale.example",
        "webinar-7@zedvale.example",
    ]  # the cancelled one is not listed, so a complete pull retires it
    masterclass = events["masterclass-1@zedvale.example"]
    assert masterclass.starts_at == datetime.combine(day(5), datetime.min.time()).replace(
        hour=10, tzinfo=LONDON
    )
    assert masterclass.time_zone == "Europe/London"
    assert masterclass.title == "Falls prevention masterclass"
    assert masterclass.summary == "A day on lying and standing blood pressure, with practice."
    assert (masterclass.venue, masterclass.online) == ("Education Centre, Zedvale General", False)
    assert masterclass.organiser == "Zedvale Falls Team"  # never the address
    assert "ada.quill" not in masterclass.model_dump_json()
    assert masterclass.topics == ["Falls prevention", "Frailty"]
    assert masterclass.booking_url == "https://academy.zedvale.example/book/falls"
    assert (masterclass.places, masterclass.resource_type) == (40, "training")
    assert masterclass.organisation is not None
    assert masterclass.organisation.name == "Zedvale Community Trust"

    webinar = events["webinar-7@zedvale.example"]
    assert (webinar.venue, webinar.online) == (None, True)  # its location is a link
    assert webinar.time_zone == "Europe/London"  # a UTC time, shown where the calendar is
    assert webinar.ends_at - webinar.starts_at == timedelta(hours=1)  # type: ignore[operator]
    festival = events["carers-day@zedvale.example"]
    assert festival.all_day and festival.starts_at == datetime.combine(
        day(9), datetime.min.time(), LONDON
    )
    # DTEND is the day after the last: two days, ending at midnight after the second
    assert festival.ends_at == datetime.combine(day(11), datetime.min.time(), LONDON)
    floating = events["floating@zedvale.example"]
    assert floating.starts_at.tzinfo is not None  # type: ignore[union-attr]
    assert floating.time_zone == "Europe/London"


async def test_outlook_zones_and_the_calendars_own_zone(web: PartnerWeb) -> None:
    serve(
        web,
        calendar(OUTLOOK, FLOATING, extra=GMT_STANDARD + "X-WR-TIMEZONE:Europe/Lisbon\r\n"),
    )
    events = by_ref((await pull(ical(web))).records)
    board = events["outlook-3@zedvale.example"]
    assert board.time_zone == "Europe/London"  # Outlook's Windows name, translated
    assert board.online and board.venue is None  # a CONFERENCE property
    assert (
        board.starts_at.utcoffset()
        == datetime.combine(  # type: ignore[union-attr]
            day(20), datetime.min.time(), LONDON
        ).utcoffset()
    )
    floating = events["floating@zedvale.example"]
    assert floating.time_zone == "Europe/Lisbon"  # the calendar's X-WR-TIMEZONE
    # the source's own time_zone wins over the calendar's
    events = by_ref((await pull(ical(web, time_zone="Europe/Dublin"))).records)
    assert events["floating@zedvale.example"].time_zone == "Europe/Dublin"


WEEKLY = lines(
    "UID:clinic@zedvale.example",
    f"DTSTART;TZID=Europe/London:{stamp(1, 13)}",
    f"DTEND;TZID=Europe/London:{stamp(1, 14)}",
    "RRULE:FREQ=WEEKLY;COUNT=6",
    f"EXDATE;TZID=Europe/London:{stamp(8, 13)}",
    "SUMMARY:QI coaching clinic",
    "LOCATION:Online (Microsoft Teams)",
)
MOVED = lines(
    "UID:clinic@zedvale.example",
    f"RECURRENCE-ID;TZID=Europe/London:{stamp(15, 13)}",
    f"DTSTART;TZID=Europe/London:{stamp(16, 15)}",
    f"DTEND;TZID=Europe/London:{stamp(16, 16)}",
    "SUMMARY:QI coaching clinic (moved to Thursday)",
)
DROPPED = lines(
    "UID:clinic@zedvale.example",
    f"RECURRENCE-ID;TZID=Europe/London:{stamp(22, 13)}",
    f"DTSTART;TZID=Europe/London:{stamp(22, 13)}",
    "SUMMARY:QI coaching clinic",
    "STATUS:CANCELLED",
)


def utc_ref(offset: int, hour: int) -> str:
    moment = datetime.combine(day(offset), datetime.min.time(), LONDON).replace(hour=hour)
    return "clinic@zedvale.example#" + moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


async def test_a_recurring_event_becomes_its_occurrences(web: PartnerWeb) -> None:
    serve(web, calendar(WEEKLY, MOVED, DROPPED))
    result = await pull(ical(web))
    assert result.errors == []
    events = by_ref(result.records)
    # six weeks: one excluded (EXDATE), one cancelled, one moved (its ref keeps its place)
    assert sorted(events) == sorted(utc_ref(n, 13) for n in (1, 15, 29, 36))
    moved = events[utc_ref(15, 13)]
    assert moved.title == "QI coaching clinic (moved to Thursday)"
    assert moved.starts_at.astimezone(LONDON).hour == 15  # type: ignore[union-attr]
    assert moved.starts_at.date() == day(16)  # type: ignore[union-attr]
    # "Online (Microsoft Teams)"; the moved one is a whole VEVENT of its own, with no location
    assert [e.online for ref, e in sorted(events.items())] == [
        ref != utc_ref(15, 13) for ref in sorted(events)
    ]


async def test_expansion_is_bounded_by_the_window_and_a_count(web: PartnerWeb) -> None:
    forever = lines(
        "UID:daily@zedvale.example",
        f"DTSTART:{stamp(-30, 8)}Z",
        "RRULE:FREQ=DAILY",
        "SUMMARY:Daily safety huddle",
    )
    serve(web, calendar(forever))
    result = await pull(ical(web, expand={"past_days": 2, "future_days": 10}))
    starts = sorted(r.starts_at.date() for r in result.records)  # type: ignore[union-attr]
    assert starts == [day(n) for n in range(-2, 10)]
    capped = await pull(ical(web, expand={"max_occurrences": 5}))
    assert len(capped.records) == 5
    assert capped.notes[-1] == (
        "event UID 'daily@zedvale.example' recurs more than 5 times in the window: the first "
        "5 are listed (expand.max_occurrences)"
    )


async def test_a_bad_event_is_named_by_uid_and_property_and_the_rest_read(
    web: PartnerWeb,
) -> None:
    bad = [
        lines(f"DTSTART:{stamp(4)}Z", "SUMMARY:No UID"),
        lines("UID:bad-end@zedvale.example", f"DTSTART:{stamp(4)}Z", "DTEND:tomorrowish"),
        lines(
            "UID:backwards@zedvale.example",
            f"DTSTART:{stamp(4, 12)}Z",
            f"DTEND:{stamp(4, 9)}Z",
            "SUMMARY:Ends before it starts",
        ),
        lines("UID:no-start@zedvale.example", "SUMMARY:Some time"),
        lines("UID:no-title@zedvale.example", f"DTSTART:{stamp(4)}Z"),
        lines(
            "UID:every-second@zedvale.example",
            f"DTSTART:{stamp(4)}Z",
            "RRULE:FREQ=SECONDLY",
            "SUMMARY:Too often",
        ),
        lines(
            "UID:places@zedvale.example",
            f"DTSTART:{stamp(4)}Z",
            "SUMMARY:Plenty",
            "X-PLACES:lots",
        ),
        lines(
            "UID:both@zedvale.example",
            f"DTSTART:{stamp(4)}Z",
            f"DTEND:{stamp(4, 11)}Z",
            "DURATION:PT1H",
            "SUMMARY:Two ends",
        ),
    ]
    serve(web, calendar(MASTERCLASS, *bad))
    result = await pull(ical(web, mapping={"resource": {"fields": {"places": "X-PLACES"}}}))
    assert [r.ref for r in result.records] == ["masterclass-1@zedvale.example"]
    named = [(f"{e.location}, {e.field}", e.ref, e.message) for e in result.errors]
    assert [(where, ref) for where, ref, _ in named] == [
        ("event 2, UID", None),
        ("event 3 (UID 'bad-end@zedvale.example'), DTEND", "bad-end@zedvale.example"),
        ("event 4 (UID 'backwards@zedvale.example'), DTEND", "backwards@zedvale.example"),
        ("event 5 (UID 'no-start@zedvale.example'), DTSTART", "no-start@zedvale.example"),
        ("event 6 (UID 'no-title@zedvale.example'), SUMMARY", "no-title@zedvale.example"),
        ("event 7 (UID 'every-second@zedvale.example'), RRULE", None),  # a series: no ref
        ("event 8 (UID 'places@zedvale.example'), X-PLACES", "places@zedvale.example"),
        ("event 9 (UID 'both@zedvale.example'), DTEND", "both@zedvale.example"),
    ]
    messages = [message for _, _, message in named]
    assert messages[0] == "an event needs a UID"
    assert "tomorrowish" in messages[1]  # in icalendar's words
    assert "is before starts_at" in messages[2]
    assert messages[3] == "an event needs DTSTART"
    assert messages[4] == "Field required"
    assert messages[5] == "recurs secondly: events recur hourly at most"
    assert "valid integer" in messages[6]
    assert "DTEND and DURATION" in messages[7]
    assert str(result.errors[1]).startswith(
        "zv-calendar, event 3 (UID 'bad-end@zedvale.example'), field 'DTEND': "
    )


@pytest.mark.parametrize(
    ("body", "content_type", "failure"),
    [
        ("<html><body>Events</body></html>", "text/html", "the calendar: answered text/html"),
        ("", "text/calendar", "the calendar: the answer is empty"),
        ("BEGIN:VCARD\r\nEND:VCARD\r\n", "text/calendar", "the calendar: not iCalendar (it"),
        ('{"events": []}', "application/json", "the calendar: answered application/json"),
    ],
)
async def test_an_answer_that_is_no_calendar_fails_the_source(
    web: PartnerWeb, body: str, content_type: str, failure: str
) -> None:
    web.route("/events.ics", Reply(body=body, content_type=content_type))
    result = await pull(ical(web))
    assert result.failure is not None and result.failure.startswith(failure), result.failure


async def test_a_flaky_server_is_retried(web: PartnerWeb) -> None:
    answers = iter(
        [Reply(503, b"busy"), Reply(body=calendar(WEBINAR), content_type="text/calendar")]
    )
    web.route("/events.ics", lambda request: next(answers))
    result = await pull(ical(web))
    assert result.failure is None and len(result.records) == 1
    assert result.requests == 2 and "retrying" in result.notes[0]


def conditional(body: str, etag: str | None, modified: str) -> Any:
    def answer(request: Request) -> Reply:
        if etag and request.headers.get("if-none-match") == etag:
            return Reply(304, b"")
        if not etag and request.headers.get("if-modified-since") == modified:
            return Reply(304, b"")
        headers = {"Last-Modified": modified, **({"ETag": etag} if etag else {})}
        return Reply(body=body, content_type="text/calendar; charset=utf-8", headers=headers)

    return answer


async def test_asked_again_with_etag_and_bookmark_on_the_same_day_only(web: PartnerWeb) -> None:
    modified = "Mon, 05 Jan 2026 09:00:00 GMT"
    web.route("/events.ics", conditional(calendar(MASTERCLASS), '"cal-1"', modified))
    first = await pull(ical(web))
    assert first.state.bookmark == modified
    again = await pull(ical(web), first.state)
    assert again.not_modified and again.records == []
    asked = web.requests_to("/events.ics")[-1].headers
    assert (asked["if-none-match"], asked["if-modified-since"]) == ('"cal-1"', modified)
    # Taken on another day, the validators are not used: the window has moved.
    stale = first.state.etags() | {"window": (TODAY - timedelta(days=1)).isoformat()}
    yesterday = SourceState(first.state.bookmark, SourceState.pack_etags(stale))
    moved_on = await pull(ical(web), yesterday)
    assert not moved_on.not_modified and len(moved_on.records) == 1
    assert "if-none-match" not in web.requests_to("/events.ics")[-1].headers


async def test_without_an_etag_last_modified_and_the_content_hash_say_unchanged(
    web: PartnerWeb,
) -> None:
    modified = "Mon, 05 Jan 2026 09:00:00 GMT"
    web.route("/events.ics", conditional(calendar(MASTERCLASS), None, modified))
    first = await pull(ical(web))
    again = await pull(ical(web), first.state)
    assert again.not_modified  # 304 to If-Modified-Since
    serve(web, calendar(MASTERCLASS))  # no validators at all now: the same bytes
    third = await pull(ical(web), first.state)
    assert third.not_modified and third.records == []


PARTNERS = """
partners:
  - id: zv-academy
    name: Zedvale Improvement Academy
    sector: improvement_body
    sources:
      - id: zv-calendar
        kind: ical
        url: ${BASE}/events.ics
        http: HTTP
        mapping: {resource: {defaults: {resource_type: training}}}
""".replace("HTTP", str(FAST_HTTP).replace("'", ""))
LIVE_EVENTS = "MATCH (r:Resource) WHERE r.retiredAt IS NULL RETURN count(r) AS n"


@pytest.fixture
def partners(tmp_path: Path, web: PartnerWeb) -> PartnersFile:
    path = tmp_path / "partners.yaml"
    path.write_text(PARTNERS)
    return load_partners(path, env={"BASE": web.url()})


async def test_synced_events_survive_a_failed_pull_and_a_bad_series(
    graph: Graph, partners: PartnersFile, web: PartnerWeb
) -> None:
    serve(web, calendar(MASTERCLASS, WEEKLY, CANCELLED))
    first = await run_sync(graph, partners)
    assert first.ok
    assert await count(graph, LIVE_EVENTS) == 6  # the masterclass and five clinics
    stored = await graph.read(
        "MATCH (r:Resource {id: 'zv-calendar:masterclass-1@zedvale.example'}) "
        "RETURN r.startsKey AS starts, r.timeZone AS zone, r.resourceType AS kind"
    )
    start = datetime.combine(day(5), datetime.min.time(), LONDON).replace(hour=10)
    assert stored == [
        {
            "starts": start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "zone": "Europe/London",
            "kind": "training",
        }
    ]

    web.route("/events.ics", Reply(500, b"down"))
    failed = await run_sync(graph, partners, full=True)
    assert not failed.ok
    assert await count(graph, LIVE_EVENTS) == 6  # nothing already stored is lost

    broken = WEEKLY.replace("FREQ=WEEKLY;COUNT=6", "FREQ=WEEKLY;COUNT=six")
    serve(web, calendar(MASTERCLASS, broken))
    held = await run_sync(graph, partners, full=True)
    (outcome,) = held.outcomes
    assert outcome.summary.errors[0].startswith(
        "zv-calendar, event 2 (UID 'clinic@zedvale.example'), field 'RRULE'"
    ), outcome.summary.errors
    assert outcome.summary.retired == 0
    assert await count(graph, LIVE_EVENTS) == 6  # the series' occurrences are kept

    serve(web, calendar(MASTERCLASS))  # the series withdrawn: five of six would go...
    withdrawn = await run_sync(graph, partners, full=True)
    assert withdrawn.outcomes[0].summary.status == "flagged"  # ...too many at once
    assert await count(graph, LIVE_EVENTS) == 6
    others = [
        lines(f"UID:new-{n}@zedvale.example", f"DTSTART:{stamp(n + 2)}Z", f"SUMMARY:Talk {n}")
        for n in range(5)
    ]
    serve(web, calendar(MASTERCLASS, *others))  # with new events beside it, it retires
    replaced = await run_sync(graph, partners, full=True)
    assert replaced.outcomes[0].summary.retired == 5
    assert await count(graph, LIVE_EVENTS) == 6
    clinics = "MATCH (r:Resource) WHERE r.id CONTAINS 'clinic' AND r.retiredAt IS NULL"
    assert await count(graph, clinics + " RETURN count(r) AS n") == 0


def test_the_partners_file_names_a_bad_calendar_option(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(
        PARTNERS.replace(
            "mapping:",
            "time_zone: Vale/Central\n        expand: {future_days: 0}\n        mapping:",
        )
    )
    with pytest.raises(ValueError) as raised:
        load_partners(path, env={"BASE": "http://127.0.0.1:9"})
    assert [line.split(": ", 1)[1] for line in str(raised.value).splitlines()[1:]] == [
        "partner 'zv-academy', source 'zv-calendar', field time_zone: not a time zone: "
        "'Vale/Central' (use an IANA name such as Europe/London)",
        "partner 'zv-academy', source 'zv-calendar', field expand.future_days: Input should "
        "be greater than or equal to 1",
    ]
