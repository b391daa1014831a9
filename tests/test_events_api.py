"""events, visits, programmes and the library's facets, through the real ingestion path.

The fixture region (tests/test_api_fixture.py) plus a learning source whose events sit around
the time the tests run: one past, one under way, the rest to come, in two systems, online and
in person, one all day; a programme with two modules; projects offering visits (set dates, on
request, and only past dates).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from connectors.records import OrganisationRef, ProjectRecord, Record, ResourceRecord
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from tests.test_api_fixture import fresh_region, run, run_with_errors

LONDON = ZoneInfo("Europe/London")
LEARNING = SourceInfo("learning", "north-vale", "Learning and events", "json_api")
TRUST = OrganisationRef(ods_code="ZNV01")
COUNCIL = OrganisationRef(name="Eastmoor County Council")
CARERS = OrganisationRef(name="Vale Carers Trust")
NOW = datetime.now(UTC)


def local(days: float, hour: int = 10) -> datetime:
    """A London wall-clock time ``days`` from today (naive: the record reads it in London)."""
    day = (NOW + timedelta(days=days)).astimezone(LONDON)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0, tzinfo=None)


def _records() -> list[Record]:
    return [
        ResourceRecord(
            ref="e-masterclass",
            title="Falls prevention masterclass",
            resource_type="training",
            topics=["inpatient falls"],
            organisation=TRUST,
            starts_at=local(3, 10),
            ends_at=local(3, 16),
            venue="Education Centre, North Vale General",
            booking_url="https://nvh.example/book/falls",
            audience="Ward sisters and physiotherapists",
            organiser="Falls team",
            places=40,
        ),
        ResourceRecord(
            ref="e-webinar",
            title="Sepsis webinar",
            resource_type="event",
            topics=["sepsis"],
            organisation=TRUST,
            starts_at=(NOW + timedelta(days=1)).replace(microsecond=0),
            ends_at=(NOW + timedelta(days=1, hours=1)).replace(microsecond=0),
            online=True,
        ),
        ResourceRecord(
            ref="e-past",
            title="Last month's falls huddle",
            resource_type="event",
            topics=["falls"],
            organisation=TRUST,
            starts_at=(NOW - timedelta(days=30)).replace(microsecond=0),
            ends_at=(NOW - timedelta(days=30, hours=-1)).replace(microsecond=0),
        ),
        ResourceRecord(
            ref="e-now",
            title="Frailty drop-in, under way",
            resource_type="event",
            topics=["frailty"],
            organisation=COUNCIL,
            starts_at=(NOW - timedelta(hours=1)).replace(microsecond=0),
            ends_at=(NOW + timedelta(hours=2)).replace(microsecond=0),
            venue="Eastmoor Library",
            online=True,
        ),
        ResourceRecord(
            ref="e-carers",
            title="Carers' falls day",
            resource_type="event",
            topics=["falls"],
            organisation=CARERS,
            starts_at=local(10).date(),
        ),
        ResourceRecord(
            ref="e-eastmoor",
            title="Frailty learning set",
            resource_type="training",
            topics=["frailty"],
            organisation=COUNCIL,
            starts_at=local(40, 13),
            ends_at=local(40, 17),
            venue="County Hall",
        ),
        ResourceRecord(
            ref="m1",
            title="Seeing the whole system",
            resource_type="guide",
            organisation=TRUST,
            programme="Improvement Leaders",
            module="Systems thinking",
            mode="pathway_transformation",
        ),
        ResourceRecord(
            ref="m2",
            title="Leading change in a team",
            resource_type="video",
            organisation=TRUST,
            programme="Improvement leaders",  # another spelling: the same programme
            module="Leadership",
        ),
        ResourceRecord(
            ref="m3",
            title="Programme handbook",
            resource_type="guide",
            organisation=CARERS,
            programme="Improvement Leaders",
        ),
        ProjectRecord(
            ref="v-dates",
            title="Falls huddles: come and see",
            topics=["falls"],
            lead_organisation=TRUST,
            visits={
                "dates": [
                    {"starts_at": local(-5), "ends_at": local(-5, 12)},
                    {"starts_at": local(14), "ends_at": local(14, 12), "places": 6},
                ],
                "how_to_ask": "E-mail the falls team with your role and the date.",
                "url": "https://nvh.example/visits",
            },
        ),
        ProjectRecord(
            ref="v-request",
            title="Carers' kitchen-table falls checks",
            topics=["falls prevention"],
            lead_organisation=CARERS,
            visits={"on_request": True, "how_to_ask": "Ring the office."},
        ),
        ProjectRecord(
            ref="v-over",
            title="Frailty ward visits (finished)",
            topics=["frailty"],
            lead_organisation=COUNCIL,
            visits={"dates": [{"starts_at": local(-20)}]},
        ),
    ]


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> Graph:
    graph = await fresh_region(session_graph)
    summary = await sync_source(graph, LEARNING, _records())
    assert summary.succeeded and summary.errors == [], summary.errors
    return graph


EVENTS = """
query ($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id title resourceType startsAt endsAt timeZone allDay venue online bookingUrl audience
      organiser places topics { id } publisher { id }
    }
  }
}
"""
UPCOMING = [
    "Frailty drop-in, under way",
    "Sepsis webinar",
    "Falls prevention masterclass",
    "Carers' falls day",
    "Frailty learning set",
]


async def titles(graph: Graph, **filter: object) -> list[str]:
    data = await run(graph, EVENTS, filter=filter or None, first=100)
    return [node["title"] for node in data["events"]["nodes"]]


async def test_upcoming_events_soonest_first_with_what_is_under_way(region: Graph) -> None:
    data = (await run(region, EVENTS))["events"]
    assert [node["title"] for node in data["nodes"]] == UPCOMING
    assert data["totalCount"] == len(UPCOMING)
    masterclass = data["nodes"][2]
    expected_start = local(3, 10).replace(tzinfo=LONDON)
    assert datetime.fromisoformat(masterclass["startsAt"]) == expected_start
    # the wall-clock time where it happens, with that day's London offset
    assert masterclass["startsAt"].startswith(local(3, 10).isoformat())
    assert masterclass["timeZone"] == "Europe/London"
    assert masterclass | {"startsAt": None, "endsAt": None, "id": None} == {
        "id": None,
        "title": "Falls prevention masterclass",
        "resourceType": "TRAINING",
        "startsAt": None,
        "endsAt": None,
        "timeZone": "Europe/London",
        "allDay": False,
        "venue": "Education Centre, North Vale General",
        "online": False,
        "bookingUrl": "https://nvh.example/book/falls",
        "audience": "Ward sisters and physiotherapists",
        "organiser": "Falls team",
        "places": 40,
        "topics": [{"id": "falls"}],
        "publisher": {"id": "ods:ZNV01"},
    }
    carers_day = data["nodes"][3]
    assert carers_day["allDay"] is True
    assert carers_day["endsAt"] is None


async def test_pages_follow_on_by_start_without_gaps_or_repeats(region: Graph) -> None:
    seen: list[str] = []
    after = None
    for _ in range(5):
        page = (await run(region, EVENTS, first=2, after=after))["events"]
        seen += [node["title"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == UPCOMING


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"topic": "falls"}, ["Falls prevention masterclass", "Carers' falls day"]),
        (
            {"topic": "patient safety"},  # falls and sepsis are narrower topics of it
            ["Sepsis webinar", "Falls prevention masterclass", "Carers' falls day"],
        ),
        ({"system": "east-moor"}, ["Frailty drop-in, under way", "Frailty learning set"]),
        ({"organisation": "ods:ZNV01"}, ["Sepsis webinar", "Falls prevention masterclass"]),
        ({"kind": "TRAINING"}, ["Falls prevention masterclass", "Frailty learning set"]),
        ({"online": True}, ["Frailty drop-in, under way", "Sepsis webinar"]),
        (
            {"online": False},
            ["Falls prevention masterclass", "Carers' falls day", "Frailty learning set"],
        ),
        ({"system": "east-moor", "online": False}, ["Frailty learning set"]),
    ],
)
async def test_each_filter_narrows(
    region: Graph, filter: dict[str, object], expected: list[str]
) -> None:
    assert await titles(region, **filter) == expected


async def test_a_window_from_and_to(region: Graph) -> None:
    start = (NOW - timedelta(days=31)).isoformat()
    end = (NOW + timedelta(days=2)).isoformat()
    assert await titles(region, **{"from": start, "to": end}) == [
        "Last month's falls huddle",
        "Frailty drop-in, under way",
        "Sepsis webinar",
    ]
    errors = await run_with_errors(
        region, EVENTS, filter={"from": end, "to": start}, first=5, after=None
    )
    assert errors == ["`filter.to` must be later than `filter.from` (or than now)."]


VISITS = """
query ($filter: VisitFilter) {
  visits(filter: $filter) {
    totalCount
    nodes {
      title
      visits { onRequest howToAsk url dates { startsAt endsAt places } }
    }
  }
}
"""


async def test_projects_offering_visits_now_with_their_dates_to_come(region: Graph) -> None:
    data = (await run(region, VISITS))["visits"]
    assert [node["title"] for node in data["nodes"]] == [
        "Carers' kitchen-table falls checks",
        "Falls huddles: come and see",
    ]
    on_request, dated = (node["visits"] for node in data["nodes"])
    assert on_request == {
        "onRequest": True,
        "howToAsk": "Ring the office.",
        "url": None,
        "dates": [],
    }
    assert dated["onRequest"] is False and dated["url"] == "https://nvh.example/visits"
    (upcoming,) = dated["dates"]  # the past date is not offered any more
    assert datetime.fromisoformat(upcoming["startsAt"]) == local(14).replace(tzinfo=LONDON)
    assert upcoming["places"] == 6
    assert (await run(region, VISITS, filter={"topic": "frailty"}))["visits"]["nodes"] == []
    by_system = await run(region, VISITS, filter={"system": "north-vale", "topic": "falls"})
    assert by_system["visits"]["totalCount"] == 2


async def test_a_project_page_shows_its_offer_and_past_dates_when_asked(region: Graph) -> None:
    query = """
    query ($id: ID!) {
      project(id: $id) {
        visits { dates { startsAt } }
        all: visits(upcoming: false) { dates { startsAt } }
      }
    }
    """
    finished = (await run(region, query, id="learning:v-over"))["project"]
    assert finished["visits"] is None
    assert len(finished["all"]["dates"]) == 1
    dated = (await run(region, query, id="learning:v-dates"))["project"]
    assert (len(dated["visits"]["dates"]), len(dated["all"]["dates"])) == (1, 2)
    plain = (await run(region, query, id="nv:j1"))["project"]
    assert plain == {"visits": None, "all": None}


LIBRARY = """
query ($filter: ResourceFilter) {
  resources(filter: $filter, first: 100) {
    nodes { title programme { id name } module { id name } mode }
  }
}
"""


async def test_resources_by_programme_module_and_mode(region: Graph) -> None:
    programme = await run(region, LIBRARY, filter={"programme": "improvement-leaders"})
    nodes = programme["resources"]["nodes"]
    assert [n["title"] for n in nodes] == [
        "Leading change in a team",
        "Programme handbook",
        "Seeing the whole system",
    ]
    assert nodes[2]["programme"]["id"] == "improvement-leaders"
    assert nodes[2]["module"] == {
        "id": "improvement-leaders/systems-thinking",
        "name": "Systems thinking",
    }
    module = await run(region, LIBRARY, filter={"module": "improvement-leaders/leadership"})
    assert [n["title"] for n in module["resources"]["nodes"]] == ["Leading change in a team"]
    # its own mode, or else the mode of the project it came from (the falls toolkit, j1)
    mode = await run(region, LIBRARY, filter={"mode": "PATHWAY_TRANSFORMATION"})
    assert [n["title"] for n in mode["resources"]["nodes"]] == ["Seeing the whole system"]
    iterative = await run(region, LIBRARY, filter={"mode": "ITERATIVE_QI"})
    assert [n["title"] for n in iterative["resources"]["nodes"]] == ["Falls toolkit"]


FACETS = """
query ($filter: ResourceFilter) {
  resourceFacets(filter: $filter) {
    totalCount
    kinds { kind count }
    programmes { programme { id name } count modules { module { id name } count } }
    organisations { id name count }
    topics { id count }
    modes { mode count }
  }
}
"""


async def test_facets_count_what_the_filter_keeps(region: Graph) -> None:
    facets = (await run(region, FACETS))["resourceFacets"]
    assert facets["totalCount"] == 11  # two from the fixture, nine from the learning source
    assert {k["kind"]: k["count"] for k in facets["kinds"]} == {
        "EVENT": 4,
        "TRAINING": 2,
        "GUIDE": 2,
        "VIDEO": 1,
        "TOOLKIT": 1,
        "CASE_STUDY": 1,
    }
    (programme,) = facets["programmes"]
    assert programme["count"] == 3
    assert [(m["module"]["name"], m["count"]) for m in programme["modules"]] == [
        ("Leadership", 1),
        ("Systems thinking", 1),
    ]
    assert facets["modes"] == [
        {"mode": "ITERATIVE_QI", "count": 1},
        {"mode": "PATHWAY_TRANSFORMATION", "count": 1},
    ]
    assert facets["organisations"][0] == {
        "id": "ods:ZNV01",
        "name": "North Vale Hospitals NHS Foundation Trust",
        "count": 7,
    }
    narrowed = (await run(region, FACETS, filter={"programme": "improvement-leaders"}))[
        "resourceFacets"
    ]
    assert narrowed["totalCount"] == 3
    assert {k["kind"]: k["count"] for k in narrowed["kinds"]} == {"GUIDE": 2, "VIDEO": 1}
    assert (await run(region, FACETS, filter={"text": "?!"}))["resourceFacets"]["totalCount"] == 0
