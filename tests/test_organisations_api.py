"""Explaining and splitting organisation merges through GraphQL, against a real Neo4j."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import strawberry

from graph.database import Graph
from graph.ingest import IngestOptions, sync_source
from schema.api import schema
from schema.context import Context
from schema.viewer import Role, Viewer
from tests.ingest_helpers import at, org, project, source

ADMIN = Viewer(role=Role.HUB_ADMIN, subject="key:admin")
MEMBER = Viewer(role=Role.MEMBER, subject="key:member")
PARTNER = source("partner-projects")

EXPLAIN = """
query ($id: ID!) {
  organisationResolution(id: $id) {
    id name odsCode kind formerNames
    records { source ref rule }
    names { source name rule score candidates }
    splits { source name }
  }
}
"""
REVIEW = "{ organisationNamesForReview { source name candidates } }"
SPLIT = """
mutation ($organisation: ID!, $source: ID!, $name: String!) {
  splitOrganisationName(organisation: $organisation, source: $source, name: $name) {
    organisation source name records newOrganisation pending
  }
}
"""


async def run(
    graph: Graph, query: str, viewer: Viewer, request: Any = None, **variables: Any
) -> strawberry.types.ExecutionResult:
    context = Context(graph, request=request, viewer=viewer)
    return await schema.execute(query, variable_values=variables, context_value=context)


async def setup(graph: Graph) -> None:
    await sync_source(
        graph,
        source("registers"),
        [
            org("QSL", "NHS SOMERSET INTEGRATED CARE BOARD", ods_code="QSL", org_type="icb"),
            org("E06000066", "Somerset Council", ods_code="E06000066", org_type="council"),
        ],
    )
    await sync_source(
        graph,
        PARTNER,
        [
            project("p1", "Frailty", lead_organisation=at("NHS Somerset CCG")),
            project("p2", "Falls", lead_organisation=at("Somerset")),
        ],
    )


async def test_explain_review_and_split_through_the_api(graph: Graph) -> None:
    await setup(graph)
    explained = await run(graph, EXPLAIN, MEMBER, id="ods:QSL")
    assert explained.errors is None, explained.errors
    body = explained.data["organisationResolution"]
    assert (body["kind"], body["odsCode"]) == ("icb", "QSL")
    assert body["records"] == [{"source": "registers", "ref": "QSL", "rule": "new"}]
    assert body["names"] == [
        {
            "source": PARTNER.id,
            "name": "NHS Somerset CCG",
            "rule": "ccg_to_icb",
            "score": 0.95,
            "candidates": ["ods:QSL"],
        }
    ]
    review = await run(graph, REVIEW, MEMBER)
    assert review.data["organisationNamesForReview"] == [
        {"source": PARTNER.id, "name": "Somerset", "candidates": ["ods:E06000066", "ods:QSL"]}
    ]

    refused = await run(
        graph, SPLIT, MEMBER, organisation="ods:QSL", source=PARTNER.id, name="NHS Somerset CCG"
    )
    assert refused.errors and "Only hub admins" in refused.errors[0].message
    wrong = await run(graph, SPLIT, ADMIN, organisation="ods:QSL", source=PARTNER.id, name="Nope")
    assert wrong.errors and "does not call organisation 'ods:QSL' 'Nope'" in wrong.errors[0].message

    app = SimpleNamespace(
        app=SimpleNamespace(state=SimpleNamespace(ingest_options=IngestOptions()))
    )
    done = await run(
        graph, SPLIT, ADMIN, app, organisation="ods:QSL", source=PARTNER.id, name="NHS Somerset CCG"
    )
    assert done.errors is None, done.errors
    assert done.data["splitOrganisationName"] == {
        "organisation": "ods:QSL",
        "source": PARTNER.id,
        "name": "NHS Somerset CCG",
        "records": 1,
        "newOrganisation": "org:nhs-somerset-ccg",
        "pending": False,
    }
    after = await run(graph, EXPLAIN, MEMBER, id="ods:QSL")
    assert after.data["organisationResolution"]["names"] == []
    assert after.data["organisationResolution"]["splits"] == [
        {"source": PARTNER.id, "name": "NHS Somerset CCG"}
    ]


async def test_anonymous_callers_see_no_explanations(graph: Graph) -> None:
    await setup(graph)
    result = await run(graph, EXPLAIN, Viewer(), id="ods:QSL")
    assert result.errors and "Sign in" in result.errors[0].message
