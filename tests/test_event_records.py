"""Event, programme and visit fields of records: times read in their zone, bad values named."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from connectors.records import ProjectRecord, RecordError, ResourceRecord, parse_record

LONDON = ZoneInfo("Europe/London")


def resource(**fields: Any) -> ResourceRecord | RecordError:
    data = {"kind": "resource", "ref": "e1", "title": "Masterclass", **fields}
    return parse_record(data, source="s", location="item 1")


def test_a_time_without_an_offset_is_read_in_its_zone_else_london() -> None:
    summer = resource(starts_at="2026-07-05T10:00", ends_at="05/07/2026 12:30")
    assert isinstance(summer, ResourceRecord)
    assert summer.starts_at == datetime(2026, 7, 5, 10, 0, tzinfo=LONDON)
    assert summer.starts_at.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert (summer.time_zone, summer.all_day) == ("Europe/London", False)
    lisbon = resource(starts_at="2026-01-05T10:00", time_zone="Europe/Lisbon")
    assert isinstance(lisbon, ResourceRecord)
    assert lisbon.starts_at == datetime(2026, 1, 5, 10, 0, tzinfo=ZoneInfo("Europe/Lisbon"))
    offset = resource(starts_at="2026-01-05T10:00:00+02:00")
    assert isinstance(offset, ResourceRecord)
    assert offset.time_zone is None  # an offset is not a zone; it is kept as given
    assert offset.starts_at.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]


def test_a_bare_day_is_all_day_and_its_end_day_is_included() -> None:
    day = resource(starts_at="2026-03-05", ends_at="2026-03-06")
    assert isinstance(day, ResourceRecord) and day.all_day
    assert day.starts_at == datetime(2026, 3, 5, tzinfo=LONDON)
    assert day.ends_at == datetime(2026, 3, 7, tzinfo=LONDON)  # midnight after the last day


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"starts_at": "soon"}, "starts_at", "not a date and time: 'soon'"),
        (
            {"starts_at": "2026-07-05T10:00", "ends_at": "2026-07-05T09:00"},
            "ends_at",
            "2026-07-05 09:00:00 is before starts_at 2026-07-05 10:00:00",
        ),
        ({"ends_at": "2026-07-05T09:00"}, "ends_at", "an end is given without starts_at"),
        ({"starts_at": "2026-07-05", "time_zone": "Vale/Central"}, "time_zone", "not a time"),
        ({"places": -3}, "places", "greater than or equal to 0"),
        ({"module": "Leadership"}, "module", "module 'Leadership' needs the programme"),
        ({"booking_url": "javascript:alert(1)"}, "booking_url", "should match pattern"),
        ({"mode": "vibes"}, "mode", "Input should be"),
    ],
)
def test_bad_event_fields_are_named(fields: dict[str, Any], field: str, message: str) -> None:
    error = resource(**fields)
    assert isinstance(error, RecordError)
    assert (error.field, error.ref) == (field, "e1")
    assert message in error.message, error.message


def test_programme_module_and_mode_in_partner_spellings() -> None:
    record = resource(programme="Improvement Leaders", module="Leadership", mode="Iterative QI")
    assert isinstance(record, ResourceRecord)
    assert (record.programme, record.module, record.mode) == (
        "Improvement Leaders",
        "Leadership",
        "iterative_qi",
    )


def project(visits: Any) -> ProjectRecord | RecordError:
    data = {"kind": "project", "ref": "p1", "title": "Falls huddles", "visits": visits}
    return parse_record(data, source="s", location="row 2")


def test_a_visit_offer_on_dates_in_order_or_on_request() -> None:
    offer = project(
        {
            "dates": [
                {"starts_at": "2026-09-01T14:00", "places": "4"},
                {"starts_at": "2026-08-01"},
            ],
            "how_to_ask": "E-mail the team",
        }
    )
    assert isinstance(offer, ProjectRecord) and offer.visits is not None
    assert [d.starts_at for d in offer.visits.dates] == [
        datetime(2026, 8, 1, tzinfo=LONDON),
        datetime(2026, 9, 1, 14, tzinfo=LONDON),
    ]
    assert offer.visits.dates[1].places == 4
    asked = project({"on_request": "yes", "url": "https://team.example/visit"})
    assert isinstance(asked, ProjectRecord) and asked.visits is not None
    assert asked.visits.on_request and asked.visits.dates == []


@pytest.mark.parametrize(
    ("visits", "field", "message"),
    [
        ({"how_to_ask": "Ask"}, "visits", "a visit offer needs dates or on_request: true"),
        ({"dates": [{"places": 3}]}, "visits.dates.0.starts_at", "Field required"),
        (
            {"dates": [{"starts_at": "2026-08-01T10:00", "ends_at": "2026-08-01T09:00"}]},
            "visits.dates.0.ends_at",
            "is before starts_at",
        ),
        ({"on_request": True, "phone": "0100"}, "visits.phone", "Extra inputs"),
    ],
)
def test_bad_visit_offers_are_named(visits: Any, field: str, message: str) -> None:
    error = project(visits)
    assert isinstance(error, RecordError)
    assert error.field == field and message in error.message, error
