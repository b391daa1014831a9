"""project, projects: filters, keyset pages, counts, nested fields, empty and unknown cases."""

from __future__ import annotations

import pytest

from graph.database import Graph
from graph.queries import projects
from graph.queries.fields import PROJECT
from tests.test_api_fixture import fresh_region, run, run_with_errors

ALL_TITLES = [
    "Community falls prevention with carers",
    "Frailty hub for Eastmoor",
    "Reducing inpatient falls on elderly care wards",
    "Sepsis screening in the emergency department",
]
PAGE = """
query ($filter: ProjectFilter, $first: Int, $after: String) {
  projects(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id title } }
  }
}
"""


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> Graph:
    return await fresh_region(session_graph)


async def titles(graph: Graph, **filter: object) -> list[str]:
    data = await run(graph, PAGE, filter=filter, first=100)
    return [edge["node"]["title"] for edge in data["projects"]["edges"]]


async def test_all_live_projects_by_title_without_the_retired_one(region: Graph) -> None:
    data = await run(region, PAGE)
    projects = data["projects"]
    assert [e["node"]["title"] for e in projects["edges"]] == ALL_TITLES
    assert projects["totalCount"] == 4
    assert projects["pageInfo"]["hasNextPage"] is False
    assert projects["pageInfo"]["hasPreviousPage"] is False


async def test_keyset_pages_follow_on_without_gaps_or_repeats(region: Graph) -> None:
    first = (await run(region, PAGE, first=3))["projects"]
    assert [e["node"]["title"] for e in first["edges"]] == ALL_TITLES[:3]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    second = (await run(region, PAGE, first=3, after=first["pageInfo"]["endCursor"]))["projects"]
    assert [e["node"]["title"] for e in second["edges"]] == ALL_TITLES[3:]
    assert second["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": second["edges"][-1]["cursor"],
    }
    assert second["totalCount"] == 4


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"topic": "falls"}, [ALL_TITLES[0], ALL_TITLES[2]]),
        ({"topic": "Inpatient falls"}, [ALL_TITLES[0], ALL_TITLES[2]]),
        ({"topic": "patient safety"}, [ALL_TITLES[0], ALL_TITLES[2], ALL_TITLES[3]]),
        ({"topic": "older-people"}, ALL_TITLES[:3]),
        ({"organisation": "org:eastmoor-county-council"}, [ALL_TITLES[1], ALL_TITLES[2]]),
        ({"system": "east-moor"}, [ALL_TITLES[1], ALL_TITLES[2]]),
        ({"system": "north-vale"}, [ALL_TITLES[0], ALL_TITLES[2], ALL_TITLES[3]]),
        ({"status": "ACTIVE"}, [ALL_TITLES[0], ALL_TITLES[2]]),
        ({"method": "pdsa"}, [ALL_TITLES[2]]),
        ({"mode": "SPREAD_INNOVATION"}, [ALL_TITLES[0]]),
        ({"text": "falls"}, [ALL_TITLES[0], ALL_TITLES[2]]),
        ({"text": "emergency"}, [ALL_TITLES[3]]),
        ({"text": "falls", "status": "ACTIVE", "system": "east-moor"}, [ALL_TITLES[2]]),
        ({"topic": "falls", "mode": "ITERATIVE_QI"}, [ALL_TITLES[2]]),
    ],
)
async def test_filters(region: Graph, filter: dict, expected: list[str]) -> None:
    assert await titles(region, **filter) == expected


@pytest.mark.parametrize(
    "filter",
    [
        {"topic": "no such topic"},
        {"organisation": "org:nobody"},
        {"system": "atlantis"},
        {"status": "PAUSED"},
        {"method": "six sigma"},
        {"text": "zebra"},
        {"text": '"(AND)" *'},
        {"text": "retired audit"},
    ],
)
async def test_filters_matching_nothing_give_an_empty_page(region: Graph, filter: dict) -> None:
    data = await run(region, PAGE, filter=filter)
    assert data["projects"] == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "endCursor": None},
        "edges": [],
    }


async def test_one_project_with_everything_around_it(region: Graph) -> None:
    data = await run(
        region,
        """{ project(id: "nv:j1") {
          id title aim status startDate endDate methods mode url
          leadOrganisation { id }
          organisations { lead organisation { id name sector } }
          topics { id label candidate }
          people { role person { name contact { email phone } } }
          resources { id title resourceType published }
        } }""",
    )
    assert data["project"] == {
        "id": "nv:j1",
        "title": "Reducing inpatient falls on elderly care wards",
        "aim": "Cut falls with harm by a third",
        "status": "ACTIVE",
        "startDate": "2024-03-01",
        "endDate": None,
        "methods": ["PDSA", "SPC charts"],
        "mode": "ITERATIVE_QI",
        "url": None,
        "leadOrganisation": {"id": "ods:ZNV01"},
        "organisations": [
            {
                "lead": True,
                "organisation": {
                    "id": "ods:ZNV01",
                    "name": "North Vale Hospitals NHS Foundation Trust",
                    "sector": "NHS",
                },
            },
            {
                "lead": False,
                "organisation": {
                    "id": "org:eastmoor-county-council",
                    "name": "Eastmoor County Council",
                    "sector": "LOCAL_GOVERNMENT",
                },
            },
        ],
        "topics": [
            {"id": "falls", "label": "Falls prevention", "candidate": False},
            {"id": "frailty", "label": "Frailty", "candidate": False},
        ],
        # Bram Ostrava works on it too, but did not agree to be listed.
        "people": [
            {
                "role": "lead",
                # Contact details reach signed-in callers only (tests/test_personal_data.py).
                "person": {"name": "Ada Quill", "contact": None},
            }
        ],
        "resources": [
            {
                "id": "nv:r1",
                "title": "Falls toolkit",
                "resourceType": "TOOLKIT",
                "published": "2024-09-01",
            }
        ],
    }


async def test_unknown_and_retired_projects_are_null(region: Graph) -> None:
    data = await run(region, '{ a: project(id: "nv:nope") { id } b: project(id: "nv:j9") { id } }')
    assert data == {"a": None, "b": None}


async def test_a_project_with_no_people_resources_or_partners(region: Graph) -> None:
    data = await run(
        region,
        '{ project(id: "nv:j2") { organisations { lead } people { role } resources { id } } }',
    )
    assert data["project"] == {"organisations": [{"lead": True}], "people": [], "resources": []}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 0}, "`first` must be between 1 and 100 (got 0)."),
        ({"first": -5}, "`first` must be between 1 and 100 (got -5)."),
        ({"after": "not-a-cursor"}, "`after` is not a cursor from this API"),
        ({"filter": {"text": "x" * 201}}, "`filter.text` is at most 200 characters (got 201)."),
    ],
)
async def test_bad_arguments_are_refused_with_what_to_change(
    region: Graph, variables: dict, message: str
) -> None:
    errors = await run_with_errors(region, PAGE, **variables)
    assert len(errors) == 1 and errors[0].startswith(message)


SINGLE_FILTERS = [
    {"organisation": "org:eastmoor-county-council"},
    {"topic": "falls"},
    {"system": "north-vale"},
    {"status": "ACTIVE"},
    {"mode": "ITERATIVE_QI"},
    {"text": "falls"},
]


@pytest.mark.parametrize(
    ("one", "other"),
    [(a, b) for i, a in enumerate(SINGLE_FILTERS) for b in SINGLE_FILTERS[i + 1 :]],
)
async def test_two_filters_keep_what_both_keep(region: Graph, one: dict, other: dict) -> None:
    """Whichever filter starts the statement, the other narrows it the same way."""
    both = await titles(region, **one, **other)
    assert both == [t for t in await titles(region, **one) if t in await titles(region, **other)]
    data = await run(region, PAGE, filter={**one, **other})
    assert data["projects"]["totalCount"] == len(both)


def _operators(plan: dict) -> list[tuple[str, str]]:
    details = str(plan.get("args", {}).get("Details", ""))
    found = [(plan["operatorType"].split("@")[0], details)]
    for child in plan.get("children", []):
        found += _operators(child)
    return found


async def _project_scans(graph: Graph, where: projects.ProjectFilter) -> list[tuple[str, str]]:
    """The operators of a page statement's plan that scan a whole label or index of projects."""
    parameters = {**where.parameters(), "afterKey": None, "afterId": None, "limit": 21}
    statement = projects.LISTING.page(parameters, PROJECT.row, after=False)
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run("EXPLAIN " + statement, parameters)
        plan = (await result.consume()).plan
    assert plan is not None
    return [(op, d) for op, d in _operators(plan) if "Scan" in op and ":Project" in d]


ANCHORS = {"organisation": "org:eastmoor-county-council", "topic": "falls", "system": "north-vale"}


@pytest.mark.parametrize("given", sorted(ANCHORS))
async def test_a_filtered_page_does_not_scan_every_project(region: Graph, given: str) -> None:
    """The planner starts from the organisation, topic or system, not from all projects."""
    assert await _project_scans(region, projects.ProjectFilter(**{given: ANCHORS[given]})) == []
    # A filter with nothing to start from does scan: the check above can see one.
    assert await _project_scans(region, projects.ProjectFilter(status="active")) != []


@pytest.mark.parametrize(
    "connection", ["projects", "people", "resources", "organisations", "topics"]
)
async def test_a_connection_asked_only_to_count_reads_no_page(
    region: Graph, connection: str
) -> None:
    """A page asked for its totalCount alone (the explorer's "people on this topic") is one
    statement, the count; asked for anything of its page too, the page is read as well."""
    region.round_trips = 0
    counted = await run(region, f"{{ {connection} {{ totalCount }} }}")
    assert counted[connection]["totalCount"] > 0 and region.round_trips == 1
    region.round_trips = 0
    both = await run(region, f"{{ {connection} {{ totalCount nodes {{ id }} }} }}")
    assert both[connection]["totalCount"] == counted[connection]["totalCount"]
    assert len(both[connection]["nodes"]) == min(counted[connection]["totalCount"], 20)
    assert region.round_trips >= 2
