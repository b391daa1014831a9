"""whoElse, mentors, people, crossBoundaryLinks, search, topics, resources, organisations,
systems and syncRuns against the fixture region: exact answers, empty ones, unknown ids."""

from __future__ import annotations

import pytest

from graph.database import Graph
from tests.test_api_fixture import HUB_ADMIN, MEMBER, fresh_region, run, run_with_errors

TRUST, COUNCIL, CARERS, SURGERY = (
    "ods:ZNV01",
    "org:eastmoor-county-council",
    "org:vale-carers-trust",
    "ods:ZRS01",
)
MATCH = """{ person { name } organisations { id } inOtherOrganisation score
             projects { id } topics { id } offersMentoring offersCoaching }"""


@pytest.fixture(scope="module")
async def region(session_graph: Graph) -> Graph:
    return await fresh_region(session_graph)


def match(name, orgs, other, score, projects, topics, mentoring=None, coaching=None) -> dict:
    """An expected match; offers stay None for anonymous callers (they are personal data)."""
    return {
        "person": {"name": name},
        "organisations": [{"id": o} for o in orgs],
        "inOtherOrganisation": other,
        "score": score,
        "projects": [{"id": p} for p in projects],
        "topics": [{"id": t} for t in topics],
        "offersMentoring": mentoring,
        "offersCoaching": coaching,
    }


ADA = ("Ada Quill", [TRUST])
DEV = ("Dev Patel", [CARERS])
CLEO = ("Cleo Marsh", [COUNCIL])


async def test_who_else_on_a_topic_ranks_by_evidence(region: Graph) -> None:
    data = await run(region, f'{{ whoElse(topic: "inpatient falls") {MATCH} }}')
    assert data["whoElse"] == [
        match(*ADA, True, 3, ["nv:j1"], ["falls"]),
        match(*DEV, True, 3, ["nv:j3"], ["falls"]),
    ]


async def test_who_else_for_a_project_puts_other_organisations_first(region: Graph) -> None:
    data = await run(region, f'{{ whoElse(projectId: "nv:j1") {MATCH} }}')
    # j1 is run by the trust with the council: Dev (carers) comes before Cleo (council);
    # Ada and Bram work on j1 itself, and Bram is not listed anyway.
    assert data["whoElse"] == [
        match(*DEV, True, 3, ["nv:j3"], ["falls"]),
        match(*CLEO, False, 3, ["nv:j4"], ["frailty"]),
    ]


async def test_who_else_filters(region: Graph) -> None:
    query = (
        'query ($ex: ID, $sys: ID) { whoElse(topic: "older people", excludeOrganisation: $ex, '
        "system: $sys) { person { name } } }"
    )
    names = lambda d: [m["person"]["name"] for m in d["whoElse"]]  # noqa: E731
    assert names(await run(region, query)) == ["Ada Quill", "Cleo Marsh", "Dev Patel"]
    assert names(await run(region, query, ex=TRUST)) == ["Cleo Marsh", "Dev Patel"]
    assert names(await run(region, query, sys="east-moor")) == ["Cleo Marsh"]
    assert names(await run(region, query, sys="atlantis")) == []


async def test_who_else_with_nothing_known_is_empty_and_needs_something(region: Graph) -> None:
    data = await run(
        region, '{ a: whoElse(topic: "knitting") { score } b: whoElse(projectId: "x") { score } }'
    )
    assert data == {"a": [], "b": []}
    errors = await run_with_errors(region, "{ whoElse { score } }")
    assert errors == ["Give a `topic` or a `projectId` (or both) to find who else."]


async def test_mentors_offer_mentoring_or_coaching_on_the_topic(region: Graph) -> None:
    query = f'{{ mentors(topic: "Care of older people") {MATCH} }}'
    data = await run(region, query, as_viewer=MEMBER)
    # Ada's project j1 is about falls and frailty, both narrower than older people.
    assert data["mentors"] == [
        match(*ADA, True, 3, ["nv:j1"], ["falls", "frailty"], mentoring=True, coaching=False),
        match(*CLEO, True, 3, ["nv:j4"], ["frailty"], mentoring=False, coaching=True),
    ]
    sepsis = '{ mentors(topic: "sepsis") { score } }'
    assert (await run(region, sepsis, as_viewer=MEMBER)) == {"mentors": []}
    # Offers are personal data: anonymous callers cannot find people by them.
    assert (await run_with_errors(region, sepsis))[0].startswith("Sign in to do this.")


async def test_people_connection_lists_only_people_who_agreed(region: Graph) -> None:
    query = "query ($f: PersonFilter) { people(filter: $f) { totalCount nodes { name offers } } }"
    data = await run(region, query)
    assert data["people"] == {
        "totalCount": 4,
        "nodes": [
            {"name": "Ada Quill", "offers": None},
            {"name": "Cleo Marsh", "offers": None},
            {"name": "Dev Patel", "offers": None},
            {"name": "Esme Lund", "offers": None},
        ],
    }
    # Members see everyone the sources list, and what they offer.
    member = await run(region, query, as_viewer=MEMBER)
    assert member["people"]["nodes"] == [
        {"name": "Ada Quill", "offers": ["MENTORING"]},
        {"name": "Bram Ostrava", "offers": []},
        {"name": "Cleo Marsh", "offers": ["COACHING"]},
        {"name": "Dev Patel", "offers": []},
        {"name": "Esme Lund", "offers": ["MENTORING", "COACHING"]},
    ]
    coaching = {"offers": ["COACHING"], "system": "north-vale"}
    offering = await run(region, query, as_viewer=MEMBER, f=coaching)
    assert [n["name"] for n in offering["people"]["nodes"]] == ["Esme Lund"]
    refused = await run_with_errors(region, query, f=coaching)
    assert refused == ["Filtering people by `offers` needs sign-in: offers are personal data."]
    by_topic = await run(region, query, f={"topic": "sepsis"})
    assert by_topic["people"] == {"totalCount": 0, "nodes": []}


async def test_a_person_and_their_contact_only_with_consent(region: Graph) -> None:
    ids = await run(region, "{ people { nodes { id name } } }")
    by_name = {n["name"]: n["id"] for n in ids["people"]["nodes"]}
    query = (
        "query ($id: ID!) { person(id: $id) { name role contact { email phone } "
        "interests { id } projects { role project { id } } organisations { id } } }"
    )
    assert (await run(region, query, id=by_name["Ada Quill"]))["person"]["contact"] is None
    ada = await run(region, query, as_viewer=MEMBER, id=by_name["Ada Quill"])
    assert ada["person"] == {
        "name": "Ada Quill",
        "role": "Falls lead",
        "contact": {"email": "ada.quill@nvh.example", "phone": "01234 567890"},
        "interests": [{"id": "falls"}],
        "projects": [{"role": "lead", "project": {"id": "nv:j1"}}],
        "organisations": [{"id": TRUST}],
    }
    dev = await run(region, query, as_viewer=MEMBER, id=by_name["Dev Patel"])
    assert dev["person"]["contact"] is None  # an e-mail is stored nowhere without consent
    assert (await run(region, query, id="person:unknown")) == {"person": None}


async def test_cross_boundary_links_with_counts_and_examples(region: Graph) -> None:
    query = """query ($s: ID, $o: ID) { crossBoundaryLinks(system: $s, organisation: $o) {
        organisations { id } crossesSector sharedProjectCount personCount sharedTopicCount
        exampleProjects { id } examplePeople { name } exampleTopics { id } } }"""
    data = await run(region, query)
    assert data["crossBoundaryLinks"] == [
        {
            "organisations": [{"id": TRUST}, {"id": COUNCIL}],
            "crossesSector": True,
            "sharedProjectCount": 1,
            "personCount": 2,  # Ada and Bram work for the trust on a project with the council
            "sharedTopicCount": 2,
            "exampleProjects": [{"id": "nv:j1"}],
            "examplePeople": [{"name": "Ada Quill"}],
            "exampleTopics": [{"id": "falls"}, {"id": "frailty"}],
        },
        {
            "organisations": [{"id": TRUST}, {"id": CARERS}],
            "crossesSector": True,
            "sharedProjectCount": 1,
            "personCount": 1,
            "sharedTopicCount": 1,
            "exampleProjects": [{"id": "nv:j3"}],
            "examplePeople": [{"name": "Dev Patel"}],
            "exampleTopics": [{"id": "falls"}],
        },
    ]
    only_carers = await run(region, query, o=CARERS)
    assert [link["organisations"] for link in only_carers["crossBoundaryLinks"]] == [
        [{"id": TRUST}, {"id": CARERS}]
    ]
    assert len((await run(region, query, s="east-moor"))["crossBoundaryLinks"]) == 1
    assert (await run(region, query, o=SURGERY)) == {"crossBoundaryLinks": []}


async def test_cross_boundary_links_through_a_topic(region: Graph) -> None:
    query = """query ($t: String, $o: ID) { crossBoundaryLinks(topic: $t, organisation: $o) {
        organisations { id } sharedProjectCount personCount exampleProjects { id } } }"""

    async def links(**variables: object) -> list[tuple[list[str], int, int, list[str]]]:
        data = await run(region, query, **variables)
        return [
            (
                [o["id"] for o in link["organisations"]],
                link["sharedProjectCount"],
                link["personCount"],
                [p["id"] for p in link["exampleProjects"]],
            )
            for link in data["crossBoundaryLinks"]
        ]

    # j1 is about inpatient falls and frailty (trust and council), j3 about falls (carers
    # and trust); j2 (sepsis) is the trust's alone.
    assert await links(t="frailty") == [([TRUST, COUNCIL], 1, 2, ["nv:j1"])]
    assert await links(t="falls") == [
        ([TRUST, COUNCIL], 1, 2, ["nv:j1"]),
        ([TRUST, CARERS], 1, 1, ["nv:j3"]),
    ]
    assert await links(t="falls prevention", o=CARERS) == [([TRUST, CARERS], 1, 1, ["nv:j3"])]
    assert await links(t="sepsis") == []


async def test_one_link_between_two_organisations_is_as_in_the_list(region: Graph) -> None:
    """``withOrganisation`` gives the pair's link alone, exactly as the organisation's list
    has it (kept links, and links through a topic, from either side), or none."""
    query = """query ($o: ID, $w: ID, $t: String, $s: ID) {
      crossBoundaryLinks(organisation: $o, withOrganisation: $w, topic: $t, system: $s) {
        organisations { id } crossesSector sharedProjectCount personCount sharedTopicCount
        exampleProjects { id } examplePeople { name } exampleTopics { id } } }"""
    for topic in (None, "falls"):
        every = (await run(region, query, o=TRUST, t=topic))["crossBoundaryLinks"]
        assert len(every) == 2, topic
        for link in every:
            a, b = (o["id"] for o in link["organisations"])
            for this, that in ((a, b), (b, a)):
                one = await run(region, query, o=this, w=that, t=topic)
                assert one["crossBoundaryLinks"] == [link], (this, that, topic)
    assert (await run(region, query, o=TRUST, w=SURGERY))["crossBoundaryLinks"] == []
    assert (await run(region, query, o=CARERS, w=TRUST, t="frailty"))["crossBoundaryLinks"] == []
    # with a system too, a link with neither side in it is not given
    on_falls = {"o": TRUST, "t": "falls", "s": "east-moor"}  # ``every``: the falls links
    in_east_moor = (await run(region, query, **on_falls))["crossBoundaryLinks"]
    assert 0 < len(in_east_moor) < len(every)
    for link in every:
        other = next(o["id"] for o in link["organisations"] if o["id"] != TRUST)
        one = await run(region, query, w=other, **on_falls)
        assert one["crossBoundaryLinks"] == ([link] if link in in_east_moor else [])
    alone = '{ crossBoundaryLinks(withOrganisation: "x") { personCount } }'
    errors = await run_with_errors(region, alone)
    assert errors == ["`withOrganisation` needs `organisation`: the link between the two."]


async def test_links_without_examples_count_as_those_with_them(region: Graph) -> None:
    """A query that selects no example (the network page's) gets the very links and counts
    of one that does, kept or through a topic, for the region, a system or an organisation."""
    counts = """organisations { id } crossesSector sharedProjectCount personCount
        sharedTopicCount"""
    examples = "exampleProjects { id } examplePeople { name } exampleTopics { id }"
    query = """query ($s: ID, $o: ID, $t: String) {
      crossBoundaryLinks(system: $s, organisation: $o, topic: $t) { FIELDS } }"""
    for arguments in (
        {},
        {"s": "east-moor"},
        {"o": TRUST},
        {"t": "falls"},
        {"o": TRUST, "t": "falls"},
    ):
        bare = await run(region, query.replace("FIELDS", counts), **arguments)
        full = await run(region, query.replace("FIELDS", counts + " " + examples), **arguments)
        assert bare["crossBoundaryLinks"], arguments
        assert any(link["exampleProjects"] for link in full["crossBoundaryLinks"]), arguments
        trimmed = [
            {key: value for key, value in link.items() if not key.startswith("example")}
            for link in full["crossBoundaryLinks"]
        ]
        assert bare["crossBoundaryLinks"] == trimmed, arguments

        # Nor topics (the network's check of which sides are in a system): the same links.
        sides = await run(region, query.replace("FIELDS", "organisations { id }"), **arguments)
        assert sides["crossBoundaryLinks"] == [
            {"organisations": link["organisations"]} for link in bare["crossBoundaryLinks"]
        ], arguments
        assert any(link["sharedTopicCount"] for link in bare["crossBoundaryLinks"]), arguments


async def test_shared_topics_through_a_topic_are_that_topic_only(region: Graph) -> None:
    """The trust and the council share falls and frailty; asked about frailty, the evidence
    names frailty alone, not the pair's other work."""
    query = """query ($t: String) { crossBoundaryLinks(topic: $t) {
        organisations { id } sharedTopicCount exampleTopics { id } } }"""
    every = (await run(region, query))["crossBoundaryLinks"][0]
    assert every == {
        "organisations": [{"id": TRUST}, {"id": COUNCIL}],
        "sharedTopicCount": 2,
        "exampleTopics": [{"id": "falls"}, {"id": "frailty"}],
    }
    frailty = (await run(region, query, t="frailty"))["crossBoundaryLinks"]
    assert frailty == [
        {
            "organisations": [{"id": TRUST}, {"id": COUNCIL}],
            "sharedTopicCount": 1,
            "exampleTopics": [{"id": "frailty"}],
        }
    ]
    # a broader topic keeps the narrower ones under it
    falls = (await run(region, query, t="falls"))["crossBoundaryLinks"]
    assert [link["exampleTopics"] for link in falls] == [[{"id": "falls"}], [{"id": "falls"}]]


async def test_search_ranks_hits_across_kinds_and_says_why(region: Graph) -> None:
    data = await run(
        region,
        """{ search(text: "sepsis") { kind matchedOn { field snippet }
             node { ... on Project { id } ... on Resource { id } ... on Topic { id } } } }""",
    )
    hits = {(h["kind"], next(iter(h["node"].values()))): h["matchedOn"] for h in data["search"]}
    assert hits == {
        ("TOPIC", "sepsis"): [
            {"field": "label", "snippet": "Sepsis"},
            {"field": "synonyms", "snippet": "sepsis recognition"},
        ],
        ("PROJECT", "nv:j2"): [
            {"field": "title", "snippet": "Sepsis screening in the emergency department"},
            {"field": "topics", "snippet": "Sepsis"},
        ],
        ("RESOURCE", "nv:r2"): [
            {"field": "title", "snippet": "Sepsis case study"},
            {"field": "topics", "snippet": "Sepsis"},
        ],
    }


async def test_search_filters_and_hides_unlisted_people(region: Graph) -> None:
    query = (
        "query ($t: String!, $k: [SearchKind!], $s: ID) { search(text: $t, kinds: $k, "
        "system: $s) { kind node { ... on Person { name } ... on Organisation { name } } } }"
    )
    people = await run(region, query, t="Ostrava Quill", k=["PERSON"])
    assert people["search"] == [{"kind": "PERSON", "node": {"name": "Ada Quill"}}]
    orgs = await run(region, query, t="NVH council", k=["ORGANISATION"], s="east-moor")
    assert orgs["search"] == [{"kind": "ORGANISATION", "node": {"name": "Eastmoor County Council"}}]
    for text in ["zebra", "   ", "AND OR NOT", '"*?:\\']:
        assert (await run(region, query, t=text, k=["PROJECT"]))["search"] == [], text


async def test_topics_with_usage_and_links(region: Graph) -> None:
    data = await run(
        region,
        """{ topic(id: "falls prevention") { id broader { id } narrower { id }
               usage { projects people resources } }
             unknown: topic(id: "knitting") { id }
             topics(candidate: true) { totalCount nodes { id label } } }""",
    )
    assert data == {
        "topic": {
            "id": "falls",
            "broader": [{"id": "older-people"}, {"id": "patient-safety"}],
            "narrower": [],
            "usage": {"projects": 2, "people": 2, "resources": 1},
        },
        "unknown": None,
        "topics": {"totalCount": 0, "nodes": []},
    }


async def test_resources_filters(region: Graph) -> None:
    query = (
        "query ($f: ResourceFilter) { resources(filter: $f) { totalCount "
        "nodes { id project { id } publisher { id } topics { id } } } }"
    )
    data = await run(region, query, f={"topic": "patient safety"})
    assert data["resources"] == {
        "totalCount": 2,
        "nodes": [
            {
                "id": "nv:r1",
                "project": {"id": "nv:j1"},
                "publisher": {"id": TRUST},
                "topics": [{"id": "falls"}],
            },
            {
                "id": "nv:r2",
                "project": None,
                "publisher": {"id": TRUST},
                "topics": [{"id": "sepsis"}],
            },
        ],
    }
    for f, ids in [
        ({"resourceType": "CASE_STUDY"}, ["nv:r2"]),
        ({"project": "nv:j1"}, ["nv:r1"]),
        ({"text": "checklists"}, ["nv:r1"]),
        ({"organisation": COUNCIL}, []),
    ]:
        found = await run(region, query, f=f)
        assert [n["id"] for n in found["resources"]["nodes"]] == ids, f


async def test_an_organisations_projects_it_runs_and_partners_in(region: Graph) -> None:
    query = """query ($id: ID!) { organisation(id: $id) {
        all: projects { lead project { id } }
        runs: projects(lead: true) { lead project { id } }
        partnersIn: projects(lead: false) { lead project { id } }
        first: projects(lead: true, first: 1) { project { id } } } }"""
    trust = (await run(region, query, id=TRUST))["organisation"]
    assert trust["runs"] == [p for p in trust["all"] if p["lead"]]
    assert trust["partnersIn"] == [p for p in trust["all"] if not p["lead"]]
    assert {p["project"]["id"] for p in trust["runs"]} == {"nv:j1", "nv:j2"}
    assert [p["project"]["id"] for p in trust["partnersIn"]] == ["nv:j3"]
    assert trust["first"] == [{"project": trust["runs"][0]["project"]}]

    # A project the organisation both runs and is listed as a partner in is one it runs.
    await region.write(
        """MATCH (p:Project {id: 'nv:j1'}), (o:Organisation {id: $trust})
           CREATE (p)-[:IN_PARTNERSHIP_WITH {extra: true}]->(o)""",
        {"trust": TRUST},
    )
    try:
        both = (await run(region, query, id=TRUST))["organisation"]
        assert both["runs"] == trust["runs"] and both["partnersIn"] == trust["partnersIn"]
    finally:
        await region.write(
            "MATCH (:Project {id: 'nv:j1'})-[r:IN_PARTNERSHIP_WITH {extra: true}]->() DELETE r"
        )


async def test_organisations_and_systems(region: Graph) -> None:
    data = await run(
        region,
        """{ organisations(system: "north-vale", sector: NHS) { totalCount nodes { id } }
             all: organisations { totalCount }
             organisation(id: "org:vale-carers-trust") { name sector systems { id }
               projects { lead project { id } } people { name } }
             nobody: organisation(id: "org:nobody") { id }
             systems { id name kind neighbours { id } organisations(first: 1) { id } }
             system(id: "atlantis") { id } }""",
    )
    assert data == {
        "organisations": {"totalCount": 1, "nodes": [{"id": TRUST}]},
        "all": {"totalCount": 4},
        "organisation": {
            "name": "Vale Carers Trust",
            "sector": "VOLUNTARY",
            "systems": [{"id": "north-vale"}],
            "projects": [{"lead": True, "project": {"id": "nv:j3"}}],
            "people": [{"name": "Dev Patel"}],
        },
        "nobody": None,
        "systems": [
            {
                "id": "east-moor",
                "name": "Eastmoor ICS",
                "kind": "ICS",
                "neighbours": [{"id": "north-vale"}],
                "organisations": [{"id": COUNCIL}],
            },
            {
                "id": "north-vale",
                "name": "North Vale ICS",
                "kind": "ICS",
                "neighbours": [{"id": "east-moor"}],
                "organisations": [{"id": TRUST}],
            },
        ],
        "system": None,
    }


async def test_sync_runs_newest_first(region: Graph) -> None:
    data = await run(
        region,
        "{ syncRuns(last: 5) { source status created retired } "
        'other: syncRuns(source: "x") { id } }',
        as_viewer=HUB_ADMIN,
    )
    assert data == {
        "syncRuns": [
            {"source": "nv", "status": "succeeded", "created": 0, "retired": 1},
            {"source": "nv", "status": "succeeded", "created": 16, "retired": 0},
        ],
        "other": [],
    }


PEOPLE = "query ($f: PersonFilter) { people(filter: $f, first: 100) { totalCount nodes { name } } }"


async def _names(region: Graph, **filter: object) -> list[str]:
    data = await run(region, PEOPLE, as_viewer=MEMBER, f=filter)
    assert data["people"]["totalCount"] == len(data["people"]["nodes"])
    return [n["name"] for n in data["people"]["nodes"]]


async def test_people_by_topic_through_interests_and_projects(region: Graph) -> None:
    # Bram works on the inpatient-falls project and is interested in sepsis; Ada and Dev are
    # interested in falls (or falls prevention) and work on falls projects.
    assert await _names(region, topic="falls") == ["Ada Quill", "Bram Ostrava", "Dev Patel"]
    assert await _names(region, topic="sepsis") == ["Bram Ostrava"]
    anonymous = await run(region, PEOPLE, f={"topic": "falls"})
    assert [n["name"] for n in anonymous["people"]["nodes"]] == ["Ada Quill", "Dev Patel"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"topic": "falls"}, {"organisation": TRUST}),
        ({"topic": "frailty"}, {"system": "east-moor"}),
        ({"organisation": TRUST}, {"offers": ["MENTORING"]}),
        ({"system": "north-vale"}, {"topic": "falls"}),
    ],
)
async def test_two_people_filters_keep_what_both_keep(
    region: Graph, one: dict, other: dict
) -> None:
    both = await _names(region, **one, **other)
    assert both == [n for n in await _names(region, **one) if n in await _names(region, **other)]


class Recording(Graph):
    """The region's graph (same driver, the real Neo4j), keeping the rows its reads return."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph.driver, graph.database)
        self.rows: list[dict] = []

    async def read(self, query, parameters=None):  # type: ignore[no-untyped-def]
        found = await super().read(query, parameters)
        self.rows.extend(found)
        return found


async def test_search_returns_only_the_fields_its_hits_select(region: Graph) -> None:
    graph = Recording(region)
    data = await run(
        graph,
        """{ search(text: "sepsis") { kind matchedOn { field }
             node { ... on Project { id title status } ... on Topic { id }
                    ... on Resource { id published } } } }""",
    )
    # id, the searched fields (why a hit matched) and what the fragment selects; no more
    assert {row["kind"]: set(row["item"]) for row in graph.rows if "item" in row} == {
        "project": {"id", "title", "summary", "aim", "status"},
        "topic": {"id", "label", "synonyms"},
        "resource": {"id", "title", "summary", "published"},
    }
    full = Recording(region)
    everything = await run(
        full,
        """{ search(text: "sepsis") { kind matchedOn { field }
             node { ... on Project { id title status summary aim startDate endDate methods mode
                                     url updatedAt }
                    ... on Topic { id label synonyms candidate }
                    ... on Resource { id title resourceType summary url published } } } }""",
    )
    assert {row["kind"]: set(row["item"]) for row in full.rows if "item" in row}["project"] == {
        "id", "title", "summary", "aim", "status", "startDate", "endDate", "methods", "mode",
        "url", "updatedAt",
    }  # fmt: skip
    picked = [
        {"kind": hit["kind"], "matchedOn": hit["matchedOn"], "node": _only(hit["node"])}
        for hit in everything["search"]
    ]
    assert data["search"] == picked
    assert any(hit["node"].get("status") for hit in data["search"])


def _only(node: dict) -> dict:
    """A hit's node as the first query selects it."""
    keys = {"id", "title", "status"} if "status" in node else {"id", "published"}
    if "candidate" in node:
        keys = {"id"}
    return {key: value for key, value in node.items() if key in keys}
