"""The API benchmark's queries, each as Convener asks it, as raw Cypher and as @neo4j/graphql.

Each workload has a deterministic list of parameter sets (request ``n`` uses set ``n % len``),
and for each implementation a way to ask and a way to reduce the answer to the information it
carries (ids, counts, scores), so the benchmark can check all three say the same thing before
it times them.

Raw Cypher returns the information the GraphQL query asks for and no more, through the driver
directly, without HTTP and GraphQL. Where Convener's answer is one Cypher statement already
(search, crossBoundaryLinks), the baseline runs that statement (graph.queries); for ``whoElse``
it runs Convener's statement and ranking with only the fields asked for returned
(``RAW_WHO_ELSE_FIELDS``: Convener's returns every field a person, project or organisation can
show, bios and summaries too). For ``projects`` with nested organisations, topics and people the
baseline is one hand-written statement that returns the same (``RAW_PROJECTS``), starting from
the organisation as a person writing it would; Convener's page statement is built by
graph/queries/filters.py and collects the nested lists the selection asks for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, LiteralString

from bench.synthetic import SyntheticRegion
from graph.database import Graph
from graph.queries import links, matching, search
from graph.queries.fields import Projections
from graph.similarity import reads

Params = dict[str, Any]
Answer = Any
PAGE = 20

WHO_ELSE_TOPICS = ["falls", "sepsis", "frailty", "discharge", "dementia", "patient-safety"]
SEARCH_TEXTS = ["falls", "sepsis care", "Northvale", "Matron", "discharge home", "delirium"]


@dataclass(frozen=True)
class GraphQLQuery:
    document: str
    variables: Callable[[Params], dict[str, Any]]
    answer: Callable[[dict[str, Any], Params], Answer]
    """The information in a response's ``data``."""
    note: str = ""


@dataclass(frozen=True)
class Workload:
    name: str
    params: list[Params]
    convener: GraphQLQuery
    raw: Callable[[Graph, Params], Awaitable[Any]]
    raw_answer: Callable[[Any, Params], Answer]
    neo4j_graphql: GraphQLQuery | None
    neo4j_graphql_missing: str = ""
    """Why @neo4j/graphql cannot ask this (when ``neo4j_graphql`` is None)."""
    same: Callable[[Answer, Answer], bool] = lambda a, b: a == b
    root_field: str = ""
    """The API's root field this asks (checked against the hub's schema before measuring)."""
    raw_uncached: Callable[[Graph, Params], Awaitable[Any]] | None = None
    """A second raw baseline where ``raw`` reads a cache Convener also reads: the same answer
    worked out from the graph on every call (its answer is reduced by ``raw_answer`` too)."""
    neo4j_graphql_other_way: GraphQLQuery | None = None
    """The same question put to @neo4j/graphql another way; comparisons count the better."""


# --- projects, with nested organisations, topics and people ----------------------------------

CONVENER_PROJECTS = """
query Projects($organisation: ID!) {
  projects(filter: {organisation: $organisation}, first: 20) {
    nodes {
      id title status methods
      organisations { lead organisation { id name sector } }
      topics { id label }
      people { role person { id name role } }
    }
  }
}"""

RAW_PROJECTS: LiteralString = """
MATCH (o:Organisation {id: $organisation})<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project)
WHERE o.retiredAt IS NULL AND r.retiredAt IS NULL AND project.retiredAt IS NULL
WITH DISTINCT project
WITH project, toLower(coalesce(project.title, '')) AS sortKey
ORDER BY sortKey, project.id LIMIT $first
CALL (project) {
  MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)
  WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL
  WITH o, max(CASE type(r) WHEN 'RUN_BY' THEN 1 ELSE 0 END) = 1 AS lead
  RETURN collect({lead: lead, organisation: o {.id, .name, .sector}}) AS organisations
}
CALL (project) {
  MATCH (project)-[a:ABOUT]->(t:Topic) WHERE a.retiredAt IS NULL AND t.retiredAt IS NULL
  WITH DISTINCT t
  RETURN collect(t {.id, .label}) AS topics
}
CALL (project) {
  MATCH (person:Person)-[w:WORKS_ON]->(project)
  WHERE w.retiredAt IS NULL AND person.retiredAt IS NULL AND person.public = true
  WITH person, collect(w.role) AS roles ORDER BY person.name, person.id LIMIT 20
  RETURN collect({role: head(roles), person: person {.id, .name, .role}}) AS people
}
RETURN project {.id, .title, .status, .methods, organisations: organisations, topics: topics,
                people: people} AS item
ORDER BY sortKey, item.id
"""

NEO4J_GRAPHQL_PROJECTS = """
query Projects($organisation: ID!) {
  projects(
    where: {
      retiredAt: {eq: null}
      OR: [{runBy: {some: {id: {eq: $organisation}}}},
           {partners: {some: {id: {eq: $organisation}}}}]
    }
    sort: [{title: ASC}, {id: ASC}]
    limit: 20
  ) {
    id title status methods
    runBy(where: {retiredAt: {eq: null}}) { id name sector }
    partners(where: {retiredAt: {eq: null}}) { id name sector }
    topics(where: {retiredAt: {eq: null}}) { id label }
    peopleConnection(
      where: {node: {public: {eq: true}, retiredAt: {eq: null}}}
      first: 20
      sort: [{node: {name: ASC}}]
    ) { edges { properties { role } node { id name role } } }
  }
}"""


def _project(
    row: dict[str, Any], organisations: list[tuple[str, bool, str, str]], people: list[Any]
) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "status": (row.get("status") or "").lower(),
        "methods": list(row.get("methods") or []),
        "organisations": sorted(set(organisations)),
        "topics": sorted((t["id"], t["label"]) for t in row["topics"]),
        "people": sorted(people),
    }


def _org(o: dict[str, Any], lead: bool) -> tuple[str, bool, str, str]:
    return (o["id"], lead, o["name"], (o.get("sector") or "").lower())


def _convener_projects(data: dict[str, Any], _: Params) -> Answer:
    return [
        _project(
            p,
            [_org(o["organisation"], o["lead"]) for o in p["organisations"]],
            [
                (m["person"]["id"], m["person"]["name"], m["person"]["role"], m["role"])
                for m in p["people"]
            ],
        )
        for p in data["projects"]["nodes"]
    ]


def _raw_projects(rows: list[dict[str, Any]], _: Params) -> Answer:
    return [
        _project(
            r["item"],
            [_org(o["organisation"], o["lead"]) for o in r["item"]["organisations"]],
            [
                (m["person"]["id"], m["person"]["name"], m["person"]["role"], m["role"])
                for m in r["item"]["people"]
            ],
        )
        for r in rows
    ]


def _neo4j_graphql_projects(data: dict[str, Any], _: Params) -> Answer:
    answer = []
    for p in data["projects"]:
        leads = {o["id"] for o in p["runBy"]}
        organisations = [_org(o, True) for o in p["runBy"]] + [
            _org(o, False) for o in p["partners"] if o["id"] not in leads
        ]
        people = [
            (e["node"]["id"], e["node"]["name"], e["node"]["role"], e["properties"]["role"])
            for e in p["peopleConnection"]["edges"]
        ]
        answer.append(_project(p, organisations, people))
    return answer


# The same page asked from the organisation, as an expert user of @neo4j/graphql would: its
# led and partnered projects each sorted and cut at a page, merged by the client.
NEO4J_GRAPHQL_PROJECTS_FROM_ORGANISATION = """
query ProjectsFromOrganisation($organisation: ID!) {
  organisations(where: {id: {eq: $organisation}}) {
    projectsRun(where: {retiredAt: {eq: null}}, sort: [{title: ASC}, {id: ASC}], limit: 20) {
      ...PageProject
    }
    projectsInPartnership(
      where: {retiredAt: {eq: null}}, sort: [{title: ASC}, {id: ASC}], limit: 20
    ) { ...PageProject }
  }
}
fragment PageProject on Project {
  id title status methods
  runBy(where: {retiredAt: {eq: null}}) { id name sector }
  partners(where: {retiredAt: {eq: null}}) { id name sector }
  topics(where: {retiredAt: {eq: null}}) { id label }
  peopleConnection(
    where: {node: {public: {eq: true}, retiredAt: {eq: null}}}
    first: 20
    sort: [{node: {name: ASC}}]
  ) { edges { properties { role } node { id name role } } }
}"""


def _neo4j_graphql_projects_from_organisation(data: dict[str, Any], params: Params) -> Answer:
    merged: dict[str, dict[str, Any]] = {}
    for organisation in data["organisations"]:
        for project in organisation["projectsRun"] + organisation["projectsInPartnership"]:
            merged.setdefault(project["id"], project)
    page = sorted(merged.values(), key=lambda p: (p["title"], p["id"]))[:PAGE]
    return _neo4j_graphql_projects({"projects": page}, params)


async def _raw_projects_query(graph: Graph, params: Params) -> Any:
    return await graph.read(RAW_PROJECTS, {"organisation": params["organisation"], "first": PAGE})


# --- whoElse -----------------------------------------------------------------------------------

CONVENER_WHO_ELSE = """
query WhoElse($topic: String!) {
  whoElse(topic: $topic, first: 20) {
    person { id name role }
    organisations { id name }
    inOtherOrganisation
    projects { id title }
    topics { id label }
    score
  }
}"""


def _match(
    person: dict[str, Any], orgs: Any, projects: Any, topics: Any, elsewhere: bool, score: int
) -> Answer:
    return (
        person["id"],
        person["name"],
        score,
        elsewhere,
        tuple(sorted(o["id"] for o in orgs)),
        tuple(sorted(p["id"] for p in projects)),
        tuple(sorted(t["id"] for t in topics)),
    )


def _convener_who_else(data: dict[str, Any], _: Params) -> Answer:
    return [
        _match(
            m["person"],
            m["organisations"],
            m["projects"],
            m["topics"],
            m["inOtherOrganisation"],
            m["score"],
        )
        for m in data["whoElse"]
    ]


def _raw_who_else(rows: list[dict[str, Any]], _: Params) -> Answer:
    return [
        _match(
            r["person"], r["organisations"], r["projects"], r["topics"], r["elsewhere"], r["score"]
        )
        for r in rows
    ]


# What CONVENER_WHO_ELSE asks of each match, as a person writing the Cypher would return it:
# Convener's statement and ranking, without the fields nobody asked for (bios, summaries...).
RAW_WHO_ELSE_FIELDS = Projections(
    person=frozenset({"name", "role"}),
    organisation=frozenset({"name"}),
    project=frozenset({"title"}),
    topic=frozenset({"label"}),
)


async def _raw_who_else_query(graph: Graph, params: Params) -> Any:
    return await matching.people_matching(
        graph,
        topic=params["topic"],
        project_id=None,
        public_only=True,
        limit=PAGE,
        projections=RAW_WHO_ELSE_FIELDS,
    )


# --- search ------------------------------------------------------------------------------------

CONVENER_SEARCH = """
query Search($text: String!) {
  search(text: $text, first: 20) {
    kind score
    node {
      ... on Project { id title }
      ... on Person { id name }
      ... on Resource { id title }
      ... on Organisation { id name }
      ... on Topic { id label }
    }
    matchedOn { field snippet }
  }
}"""


def _hits(hits: list[tuple[str, float, str]]) -> Answer:
    """Best first, ties by kind then id, as Convener orders them; scores as Convener rounds them
    (4 places), compared to 3."""
    rounded = [(kind, round(score, 4), id_) for kind, score, id_ in hits]
    ranked = sorted(rounded, key=lambda hit: (-hit[1], hit[0], hit[2]))[:PAGE]
    return [(kind, round(score, 3), id_) for kind, score, id_ in ranked]


def _same_ranking(a: Answer, b: Answer) -> bool:
    """The same kinds and scores in the same order; ids may differ only among equal scores."""
    if [(k, s) for k, s, _ in a] != [(k, s) for k, s, _ in b]:
        return False
    groups_a: dict[tuple[str, float], set[str]] = {}
    groups_b: dict[tuple[str, float], set[str]] = {}
    for kind, score, id_ in a:
        groups_a.setdefault((kind, score), set()).add(id_)
    for kind, score, id_ in b:
        groups_b.setdefault((kind, score), set()).add(id_)
    last = a[-1][:2] if a else None
    return all(groups_a[key] == groups_b[key] for key in groups_a if key != last)


def _convener_search(data: dict[str, Any], _: Params) -> Answer:
    return _hits([(h["kind"].lower(), h["score"], h["node"]["id"]) for h in data["search"]])


def _raw_search(rows: list[dict[str, Any]], _: Params) -> Answer:
    return _hits([(r["kind"], r["score"], r["item"]["id"]) for r in rows])


# What CONVENER_SEARCH asks of each hit (ids, titles, names, labels), and the searched fields
# that say why it matched: as a person writing the Cypher would return them.
RAW_SEARCH_FIELDS = search.selected({kind: () for kind in search.KINDS})


async def _raw_search_query(graph: Graph, params: Params) -> Any:
    return await search.search(
        graph,
        params["text"],
        public_only=True,
        may_read_bios=False,
        limit=PAGE,
        projections=RAW_SEARCH_FIELDS,
    )


# --- crossBoundaryLinks ------------------------------------------------------------------------

CONVENER_LINKS = """
query Links($system: ID) {
  crossBoundaryLinks(system: $system, first: 20) {
    organisations { id name }
    crossesSector sharedProjectCount personCount sharedTopicCount
    exampleProjects { id title }
    examplePeople { id name }
    exampleTopics { id label }
  }
}"""


def _link(
    orgs: Any, crosses: Any, counts: tuple[int, int, int], examples: tuple[Any, Any, Any]
) -> Answer:
    projects, people, topics = examples
    return (
        tuple(o["id"] for o in orgs),
        crosses,
        counts,
        tuple(p["id"] for p in projects),
        tuple(p["id"] for p in people),
        tuple(t["id"] for t in topics),
    )


def _convener_links(data: dict[str, Any], _: Params) -> Answer:
    return [
        _link(
            link["organisations"],
            link["crossesSector"],
            (link["sharedProjectCount"], link["personCount"], link["sharedTopicCount"]),
            (link["exampleProjects"], link["examplePeople"], link["exampleTopics"]),
        )
        for link in data["crossBoundaryLinks"]
    ]


def _raw_links(rows: list[dict[str, Any]], _: Params) -> Answer:
    return [
        _link(
            r["organisations"],
            r["crossesSector"],
            (r["projectCount"], r["personCount"], r["topicCount"]),
            (r["projects"], r["people"], r["topics"]),
        )
        for r in rows
    ]


async def _raw_links_query(graph: Graph, params: Params) -> Any:
    return await links.cross_boundary_links(
        graph, system=params["system"], organisation=None, public_only=True, limit=PAGE
    )


# --- duplicates --------------------------------------------------------------------------------

CONVENER_DUPLICATES = """
query Duplicates($system: ID) {
  duplicates(system: $system, first: 20) {
    id
    projectCount
    projects { id title }
    pairs(first: 100) { a { id } b { id } score kind explanation }
  }
}"""


def _cluster(
    id_: str, count: int, projects: Any, pairs: list[tuple[str, str, float, str]]
) -> Answer:
    """A cluster: its size, its first projects (the API lists 20 by default) and its pairs."""
    return (id_, count, tuple(sorted(projects[:PAGE])), tuple(sorted(pairs)))


def _convener_duplicates(data: dict[str, Any], _: Params) -> Answer:
    return [
        _cluster(
            c["id"],
            c["projectCount"],
            [p["id"] for p in c["projects"]],
            [
                (p["a"]["id"], p["b"]["id"], round(p["score"], 3), p["kind"].lower())
                for p in c["pairs"]
            ],
        )
        for c in data["duplicates"]
    ]


def _raw_duplicates(clusters: list[reads.Cluster], _: Params) -> Answer:
    return [
        _cluster(
            c.id,
            len(c.projects),
            [p.id for p in c.projects],
            [(p.a.id, p.b.id, round(p.score, 3), p.kind) for p in c.pairs],
        )
        for c in clusters
    ]


async def _raw_duplicates_query(graph: Graph, params: Params) -> Any:
    return await reads.duplicate_clusters(graph, system=params["system"], first=PAGE)


async def _raw_duplicates_uncached(graph: Graph, params: Params) -> Any:
    """The clusters from the graph on every call, without the clusters' cache: the strongest
    pairs read (ids), grouped in Python, the page's projects described; as a program that
    runs its own Cypher and keeps nothing between requests would."""
    return await reads.duplicate_clusters(graph, system=params["system"], first=PAGE, cached=False)


# --- the list ----------------------------------------------------------------------------------


def workloads(region: SyntheticRegion) -> list[Workload]:
    """The benchmark's workloads, with parameters drawn from ``region`` (deterministic)."""
    organisations = [
        f"ods:{record.ods_code}"
        for _, records in region.sources[:12]
        for record in records[:1]
        if getattr(record, "ods_code", None)
    ]
    systems: list[str | None] = [None, *(s.id for s in region.systems)]
    return [
        Workload(
            name="projects",
            root_field="projects",
            params=[{"organisation": o} for o in organisations],
            convener=GraphQLQuery(CONVENER_PROJECTS, lambda p: dict(p), _convener_projects),
            raw=_raw_projects_query,
            raw_answer=_raw_projects,
            neo4j_graphql=GraphQLQuery(
                NEO4J_GRAPHQL_PROJECTS,
                lambda p: dict(p),
                _neo4j_graphql_projects,
                note="lead and partner organisations as two relationship fields, merged by the "
                "client; retiredAt on relationships not checked (no relationship properties)",
            ),
            neo4j_graphql_other_way=GraphQLQuery(
                NEO4J_GRAPHQL_PROJECTS_FROM_ORGANISATION,
                lambda p: dict(p),
                _neo4j_graphql_projects_from_organisation,
                note="asked from the organisation through declared inverse relationships: "
                "led and partnered projects each paged, merged by the client",
            ),
        ),
        Workload(
            name="whoElse",
            root_field="whoElse",
            params=[{"topic": t} for t in WHO_ELSE_TOPICS],
            convener=GraphQLQuery(CONVENER_WHO_ELSE, lambda p: dict(p), _convener_who_else),
            raw=_raw_who_else_query,
            raw_answer=_raw_who_else,
            neo4j_graphql=None,
            neo4j_graphql_missing="ranking people by evidence (2 per project, 1 per interest, "
            "narrower topics included, other organisations first) needs a hand-written @cypher "
            "field, which would be the raw Cypher again",
        ),
        Workload(
            name="search",
            root_field="search",
            params=[{"text": t} for t in SEARCH_TEXTS],
            convener=GraphQLQuery(CONVENER_SEARCH, lambda p: dict(p), _convener_search),
            raw=_raw_search_query,
            raw_answer=_raw_search,
            neo4j_graphql=None,
            neo4j_graphql_missing="finding work through the topics a query names (narrower "
            "ones too), misspelt words and ranking by the words a hit accounts for need a "
            "hand-written @cypher field, which would be the raw Cypher again",
            same=_same_ranking,
        ),
        Workload(
            name="crossBoundaryLinks",
            root_field="crossBoundaryLinks",
            params=[{"system": s} for s in systems],
            convener=GraphQLQuery(CONVENER_LINKS, lambda p: dict(p), _convener_links),
            raw=_raw_links_query,
            raw_answer=_raw_links,
            neo4j_graphql=None,
            neo4j_graphql_missing="pairs of organisations with counts aggregated over shared "
            "projects and people are not a generated query; only a hand-written @cypher field "
            "could return them",
        ),
        Workload(
            name="duplicates",
            root_field="duplicates",
            params=[{"system": s} for s in systems],
            convener=GraphQLQuery(CONVENER_DUPLICATES, lambda p: dict(p), _convener_duplicates),
            raw=_raw_duplicates_query,
            raw_uncached=_raw_duplicates_uncached,
            raw_answer=_raw_duplicates,
            neo4j_graphql=None,
            neo4j_graphql_missing="clusters are connected components of SIMILAR_TO pairs, "
            "grouped in Python (graph/similarity/reads.py); a generated query can list pairs "
            "but not group them",
        ),
    ]
