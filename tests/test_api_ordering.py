"""orderBy, any-of and range filters and updatedSince on projects, resources, people and
organisations: keyset pages in every order, and what anonymous callers may not learn."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.records import OrganisationRef, Record
from graph.database import Graph
from graph.ingest import SourceInfo, SystemInfo, store_systems, sync_source
from graph.vocabulary import Vocabulary, store_vocabulary
from tests.ingest_helpers import org, person, project, resource
from tests.test_api_fixture import MEMBER, run, run_with_errors

SOURCE = SourceInfo("ord", "ord-partner", "Ordering register", "json_api")
T1 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
T2 = datetime(2025, 3, 8, 9, 0, tzinfo=UTC)
TRUST = OrganisationRef(ods_code="ZQT01")
COUNCIL = OrganisationRef(name="Quarry County Council")


def _records(*, later: bool) -> list[Record]:
    """The region at T1; ``later`` is the pull at T2, which changes some of it."""
    return [
        org("o1", "Quarry Hospitals NHS Trust", ods_code="ZQT01", system="quarry"),
        org("o2", "Quarry County Council", system="quarry"),
        person("p1", "Ana Birch", organisation=TRUST, public=True, role="Nurse"),
        # Not public: anonymous callers never list her.
        person("p2", "Ben Cole", organisation=TRUST, email="ben@example.org"),
        # Public; at T2 only her bio changes (personal data).
        person(
            "p3",
            "Cai Dunn",
            organisation=COUNCIL,
            public=True,
            bio="Later" if later else None,
            interests=["frailty"],
        ),
        # Public; at T2 his role changes (what anyone may see).
        person("p4", "Dee Earl", organisation=COUNCIL, public=True, role="Lead" if later else None),
        project(
            "a",
            "Alpha falls audit",
            start_date="2024-05-01",
            status="active",
            mode="iterative_qi",
            topics=["falls"],
            lead_organisation=TRUST,
            members=["p1"],
        ),
        project(
            "b",
            "Bravo sepsis bundle",
            start_date="2023-01-10",
            status="completed",
            topics=["sepsis"],
            lead_organisation=TRUST,
            summary="Changed at T2" if later else None,
        ),
        project(
            "c",
            "Charlie frailty hub",
            status="proposed",
            mode="spread_innovation",
            topics=["frailty"],
            lead_organisation=COUNCIL,
        ),
        project(
            "d",
            "Delta falls at home",
            start_date="2024-05-01",
            status="active",
            topics=["falls"],
            lead_organisation=COUNCIL,
            partner_organisations=[TRUST],
        ),
        project(
            "e",
            "Echo diabetes reviews",
            start_date="2025-02-01",
            status="active" if later else "proposed",
            lead_organisation=TRUST,
        ),
        resource("r1", "Falls toolkit", published="2024-09-01", topics=["falls"]),
        resource(
            "r2", "Sepsis study day", starts_at="2024-06-03T10:00:00Z", resource_type="training"
        ),
        resource("r3", "Frailty guide", resource_type="guide", topics=["frailty"]),
        resource(
            "r4",
            "Audit case study",
            published="2023-11-20",
            resource_type="case_study",
            summary="Changed at T2" if later else None,
        ),
    ]


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> Graph:
    graph = session_graph
    await graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    await store_vocabulary(graph, Vocabulary.load())
    await store_systems(graph, [SystemInfo("quarry", "Quarry ICS", "ics")])
    for records, now in ((_records(later=False), T1), (_records(later=True), T2)):
        summary = await sync_source(graph, SOURCE, records, now=now)
        assert summary.succeeded and summary.errors == [], summary.errors
    return graph


PROJECTS = """
query ($filter: ProjectFilter, $first: Int, $after: String, $orderBy: Ordering,
       $since: DateTime) {
  projects(filter: $filter, first: $first, after: $after, orderBy: $orderBy,
           updatedSince: $since) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { title startDate changedAt }
  }
}
"""
RESOURCES = """
query ($filter: ResourceFilter, $first: Int, $after: String, $orderBy: Ordering,
       $since: DateTime) {
  resources(filter: $filter, first: $first, after: $after, orderBy: $orderBy,
            updatedSince: $since) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { title }
  }
}
"""
PEOPLE = """
query ($first: Int, $after: String, $orderBy: PersonOrdering, $since: DateTime,
       $filter: PersonFilter) {
  people(first: $first, after: $after, orderBy: $orderBy, updatedSince: $since,
         filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { name }
  }
}
"""


async def every_page(
    graph: Graph, query: str, field: str, size: int, key: str = "title", **variables: Any
) -> list[str]:
    """Every item, a page of ``size`` at a time by ``endCursor``; checks the count too."""
    seen: list[str] = []
    after = None
    while True:
        data = (await run(graph, query, first=size, after=after, **variables))[field]
        seen += [node[key] for node in data["nodes"]]
        if not data["pageInfo"]["hasNextPage"]:
            assert len(seen) == data["totalCount"]
            return seen
        after = data["pageInfo"]["endCursor"]


async def titles(graph: Graph, **variables: Any) -> list[str]:
    data = await run(graph, PROJECTS, first=100, **variables)
    return [node["title"] for node in data["projects"]["nodes"]]


START_ASC = [
    "Bravo sepsis bundle",  # 2023-01-10
    "Alpha falls audit",  # 2024-05-01, tie broken by id
    "Delta falls at home",  # 2024-05-01
    "Echo diabetes reviews",  # 2025-02-01
    "Charlie frailty hub",  # no start date: last
]


@pytest.mark.parametrize("size", [1, 2, 3, 100])
async def test_start_date_pages_are_linear_both_ways_with_no_date_last(
    region: Graph, size: int
) -> None:
    up = {"field": "START_DATE", "direction": "ASC"}
    down = {"field": "START_DATE", "direction": "DESC"}
    assert await every_page(region, PROJECTS, "projects", size, orderBy=up) == START_ASC
    assert await every_page(region, PROJECTS, "projects", size, orderBy=down) == [
        "Echo diabetes reviews",
        "Alpha falls audit",  # ties stay by id, ascending, in both directions
        "Delta falls at home",
        "Bravo sepsis bundle",
        "Charlie frailty hub",
    ]


async def test_title_descending_and_last_updated(region: Graph) -> None:
    by_title = sorted(START_ASC)
    desc = {"field": "TITLE", "direction": "DESC"}
    assert await every_page(region, PROJECTS, "projects", 2, orderBy=desc) == by_title[::-1]
    latest = await every_page(
        region, PROJECTS, "projects", 2, orderBy={"field": "LAST_UPDATED", "direction": "DESC"}
    )
    # Bravo and Echo changed at T2; the others by id, after them.
    assert latest == [
        "Bravo sepsis bundle",
        "Echo diabetes reviews",
        "Alpha falls audit",
        "Charlie frailty hub",
        "Delta falls at home",
    ]
    data = await run(region, PROJECTS, first=1, orderBy={"field": "LAST_UPDATED"})
    assert data["projects"]["nodes"][0]["changedAt"] == "2025-03-01T09:00:00+00:00"


async def test_a_cursor_is_read_only_under_the_order_that_made_it(region: Graph) -> None:
    by_start = {"field": "START_DATE"}
    page = (await run(region, PROJECTS, first=2, orderBy=by_start))["projects"]
    cursor = page["pageInfo"]["endCursor"]
    errors = await run_with_errors(region, PROJECTS, first=2, after=cursor)
    assert errors == [
        "`after` is a cursor of a page in another `orderBy`: pass the `endCursor` of a page "
        "asked for with the same `orderBy`."
    ]
    # The default order given explicitly is the default order: its cursors are interchangeable.
    plain = (await run(region, PROJECTS, first=2))["projects"]["pageInfo"]["endCursor"]
    explicit = {"field": "TITLE", "direction": "ASC"}
    assert (await run(region, PROJECTS, first=2, orderBy=explicit, after=plain))["projects"][
        "nodes"
    ][0]["title"] == sorted(START_ASC)[2]


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"statusIn": ["ACTIVE", "PROPOSED"]}, ["Alpha", "Charlie", "Delta", "Echo"]),
        ({"statusIn": ["COMPLETED"]}, ["Bravo"]),
        ({"modeIn": ["ITERATIVE_QI", "SPREAD_INNOVATION"]}, ["Alpha", "Charlie"]),
        ({"topicIn": ["falls", "Sepsis"]}, ["Alpha", "Bravo", "Delta"]),
        ({"topicIn": ["patient safety"]}, ["Alpha", "Bravo", "Delta"]),
        ({"organisationIn": ["org:quarry-county-council"]}, ["Charlie", "Delta"]),
        ({"organisationIn": ["ods:ZQT01", "org:quarry-county-council"]}, START_ASC),
        ({"started": {"from": "2024-01-01"}}, ["Alpha", "Delta", "Echo"]),
        ({"started": {"from": "2024-01-01", "to": "2024-12-31"}}, ["Alpha", "Delta"]),
        ({"started": {"to": "2024-05-01"}}, ["Alpha", "Bravo", "Delta"]),
        ({"statusIn": ["ACTIVE"], "topicIn": ["falls"], "started": {"to": "2024-06-01"}}, None),
    ],
)
async def test_any_of_and_range_filters(
    region: Graph, filter: dict[str, Any], expected: list[str] | None
) -> None:
    found = await titles(region, filter=filter)
    if expected is None:
        expected = ["Alpha", "Delta"]
    assert [t.split()[0] for t in found] == sorted(e.split()[0] for e in expected)
    count = (await run(region, PROJECTS, filter=filter))["projects"]["totalCount"]
    assert count == len(expected)


@pytest.mark.parametrize(
    ("filter", "message"),
    [
        ({"statusIn": []}, "`filter.statusIn` is empty: leave it out, or give at least one value."),
        (
            {"topicIn": [f"t{n}" for n in range(21)]},
            "`filter.topicIn` takes at most 20 values (got 21).",
        ),
        (
            {"started": {"from": "2024-02-01", "to": "2024-01-01"}},
            "`filter.started`: `from` (2024-02-01) is after `to` (2024-01-01).",
        ),
    ],
)
async def test_bad_filters_say_what_and_where(
    region: Graph, filter: dict[str, Any], message: str
) -> None:
    assert await run_with_errors(region, PROJECTS, filter=filter) == [message]


async def test_updated_since_is_inclusive_and_reads_the_hubs_own_clock(region: Graph) -> None:
    since = "2025-03-08T09:00:00Z"
    assert await titles(region, since=since) == ["Bravo sepsis bundle", "Echo diabetes reviews"]
    # Without an offset: UTC.
    assert await titles(region, since="2025-03-08T09:00:00") == [
        "Bravo sepsis bundle",
        "Echo diabetes reviews",
    ]
    assert await titles(region, since="2025-03-08T09:00:01Z") == []
    assert len(await titles(region, since="2025-03-01T09:00:00Z")) == 5
    resources = await run(region, RESOURCES, since=since)
    assert [n["title"] for n in resources["resources"]["nodes"]] == ["Audit case study"]
    organisations = await run(
        region,
        "query ($since: DateTime) { organisations(updatedSince: $since) { totalCount } }",
        since=since,
    )
    assert organisations["organisations"]["totalCount"] == 0  # none changed at T2


async def test_resources_by_start_published_and_filters(region: Graph) -> None:
    by_start = await every_page(region, RESOURCES, "resources", 1, orderBy={"field": "START_DATE"})
    # The study day starts 2024-06-03; the others were published; the guide has neither.
    assert by_start == ["Audit case study", "Sepsis study day", "Falls toolkit", "Frailty guide"]
    kinds = await run(region, RESOURCES, filter={"resourceTypeIn": ["GUIDE", "TRAINING"]}, first=10)
    assert [n["title"] for n in kinds["resources"]["nodes"]] == [
        "Frailty guide",
        "Sepsis study day",
    ]
    published = await run(region, RESOURCES, filter={"published": {"from": "2024-01-01"}})
    assert [n["title"] for n in published["resources"]["nodes"]] == ["Falls toolkit"]
    topics = await run(region, RESOURCES, filter={"topicIn": ["falls", "frailty"]})
    assert [n["title"] for n in topics["resources"]["nodes"]] == ["Falls toolkit", "Frailty guide"]


async def test_people_order_and_since_never_tell_anonymous_callers_of_personal_changes(
    region: Graph,
) -> None:
    latest = {"field": "LAST_UPDATED", "direction": "DESC"}
    # Anonymous: Ben is not listed; Cai's bio changed at T2 but that is personal data, so for
    # them only Dee (whose role changed) moved.
    anonymous = await every_page(region, PEOPLE, "people", 1, key="name", orderBy=latest)
    assert anonymous[0] == "Dee Earl" and sorted(anonymous[1:]) == ["Ana Birch", "Cai Dunn"]
    since = "2025-03-08T09:00:00Z"
    assert [n["name"] for n in (await run(region, PEOPLE, since=since))["people"]["nodes"]] == [
        "Dee Earl"
    ]
    # A member sees bios, so Cai's change counts for them.
    member = await run(region, PEOPLE, as_viewer=MEMBER, since=since, orderBy=latest)
    assert sorted(n["name"] for n in member["people"]["nodes"]) == ["Cai Dunn", "Dee Earl"]
    by_name = await every_page(
        region, PEOPLE, "people", 2, key="name", orderBy={"field": "NAME", "direction": "DESC"}
    )
    assert by_name == ["Dee Earl", "Cai Dunn", "Ana Birch"]
    council = await run(region, PEOPLE, filter={"organisationIn": ["org:quarry-county-council"]})
    assert [n["name"] for n in council["people"]["nodes"]] == ["Cai Dunn", "Dee Earl"]
    # Any of these topics: Ana works on a falls project, Cai is interested in frailty.
    topics = await run(region, PEOPLE, filter={"topicIn": ["falls", "frailty"]})
    assert [n["name"] for n in topics["people"]["nodes"]] == ["Ana Birch", "Cai Dunn"]
    topics = await run(region, PEOPLE, filter={"topicIn": ["Older people"]}, as_viewer=MEMBER)
    assert [n["name"] for n in topics["people"]["nodes"]] == ["Ana Birch", "Cai Dunn"]
    # The organisations start the statement here; the topics become a condition.
    both = {"organisationIn": ["org:quarry-county-council"], "topicIn": ["falls", "frailty"]}
    topics = await run(region, PEOPLE, filter=both)
    assert [n["name"] for n in topics["people"]["nodes"]] == ["Cai Dunn"]


async def test_a_member_now_listed_changes_their_projects_for_anonymous_callers(
    graph: Graph,
) -> None:
    """A project lists to anonymous callers only the people who agreed to be listed, so one
    who agrees changes what they see of each project, though its record did not change: a
    peer hub pulling what changed since gets the project and its new member."""

    def records(*, listed: bool) -> list[Record]:
        return [
            org("o1", "Quarry Hospitals NHS Trust", ods_code="ZQT01"),
            person("p1", "Fay Gale", organisation=TRUST, public=listed),
            person("p2", "Gus Hale", organisation=TRUST, role="Lead" if listed else None),
            project("x", "Xray falls huddles", lead_organisation=TRUST, members=["p1"]),
            project("y", "Yankee sepsis screening", lead_organisation=TRUST, members=["p2"]),
        ]

    for listed, now in ((False, T1), (True, T2)):
        summary = await sync_source(graph, SOURCE, records(listed=listed), now=now)
        assert summary.succeeded and summary.errors == [], summary.errors
    query = """query ($since: DateTime) { projects(updatedSince: $since) {
      nodes { title people { person { name } } } } }"""
    changed = (await run(graph, query, since="2025-03-08T09:00:00Z"))["projects"]["nodes"]
    # Gus's role changed but he is not listed: nothing anonymous callers see of Yankee did.
    assert changed == [
        {"title": "Xray falls huddles", "people": [{"person": {"name": "Fay Gale"}}]}
    ]
