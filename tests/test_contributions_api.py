"""Members' contributions over HTTP against the real hub app and Neo4j: every role's access,
field errors with nothing stored, the rate limit, moderation with its kept decisions, approved
work entering the graph through the contributions source (search, project pages, duplicates),
withdrawal retiring it, and similar work for a draft."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors.records import OrganisationRecord
from graph.database import Graph
from graph.ingest import SourceInfo, sync_source
from graph.version import graph_version
from schema.api import schema
from schema.context import Context
from schema.viewer import Role, Viewer
from tests.contributions_helpers import (
    EMH,
    NVH,
    SUBMIT,
    Keys,
    error_of,
    gql,
    hub_client,
    load,
    pdf_with,
    project_input,
)
from tests.test_access_jwt import AUDIENCE, issuer, token  # noqa: F401 (the issuer fixture)

MINE = "{ mySubmissions { id status title rejectionReason decisions { action by reason } } }"
QUEUE = "{ submissionsToModerate { id title partner } }"
ONE = """query ($id: ID!) {
  submission(id: $id) { id status title rejectionReason mine decisions { action reason } }
}"""
APPROVE = "mutation ($id: ID!) { approveSubmission(id: $id) { id status graphId partner } }"
REJECT = """mutation ($id: ID!, $reason: String!) {
  rejectSubmission(id: $id, reason: $reason) { id status rejectionReason }
}"""
WITHDRAW = "mutation ($id: ID!) { withdrawSubmission(id: $id) { id status } }"
EDIT = """mutation ($id: ID!, $input: SubmissionInput!) {
  editSubmission(id: $id, input: $input) { id status title decisions { action } }
}"""
PROJECT = """query ($id: ID!) {
  project(id: $id) { id title organisations { organisation { id } }
                     similar { project { id } pair { score reasons } } }
}"""
SEARCH = """query ($text: String!) {
  search(text: $text) { kind node { ... on Project { id } ... on Resource { id } } }
}"""
SIMILAR = """query ($draft: DraftProjectInput!) {
  similarTo(draft: $draft, first: 5) { score kind reasons explanation project { id title } }
}"""


@pytest.fixture(scope="module")
async def keys(session_graph: Graph) -> Keys:
    return await load(session_graph)


@pytest.fixture(scope="module")
async def hub(
    session_graph: Graph, keys: Keys, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[httpx.AsyncClient]:
    # One member submits for every test of the module: the limit has its own test (below).
    files = tmp_path_factory.mktemp("files")
    async with hub_client(session_graph, files, contribution_rate_limit=1000) as client:
        yield client


async def submit(hub: httpx.AsyncClient, key: str, **changes: Any) -> dict[str, Any]:
    answer = await gql(hub, SUBMIT, key, input=project_input(**changes))
    assert "errors" not in answer, answer
    return answer["data"]["submitContribution"]  # type: ignore[no-any-return]


async def submissions(graph: Graph) -> int:
    rows = await graph.read("MATCH (s:Submission) RETURN count(s) AS n")
    return int(rows[0]["n"])


async def test_anonymous_callers_cannot_submit_nor_see_pending_work(
    hub: httpx.AsyncClient, keys: Keys, session_graph: Graph
) -> None:
    refused = await gql(hub, SUBMIT, None, input=project_input())
    assert error_of(refused)["extensions"]["code"] == "UNAUTHENTICATED"
    assert "Sign in" in error_of(refused)["message"]
    assert error_of(await gql(hub, MINE))["extensions"]["code"] == "UNAUTHENTICATED"

    pending = await submit(hub, keys.member, title="Anonymous may not see this pending one")
    assert (await gql(hub, ONE, id=pending["id"]))["data"]["submission"] is None
    assert (await gql(hub, ONE, keys.other_member, id=pending["id"]))["data"]["submission"] is None
    queue = await gql(hub, QUEUE, keys.other_member)
    assert error_of(queue)["extensions"]["code"] == "FORBIDDEN"


async def test_a_member_submits_edits_and_withdraws_their_own_only(
    hub: httpx.AsyncClient, keys: Keys
) -> None:
    made = await submit(hub, keys.member, title="Ward huddles to spot falls risk early")
    assert made["status"] == "PENDING"
    assert made["mine"] is True and made["mayModerate"] is False
    assert made["organisation"] == {"id": EMH, "name": "Eastmoor Hospitals NHS Trust"}
    assert made["partner"] == "em-hospitals"
    assert made["topics"] == [{"id": "falls", "label": "Falls prevention"}]
    assert [d["action"] for d in made["decisions"]] == ["SUBMITTED"]

    mine = (await gql(hub, MINE, keys.member))["data"]["mySubmissions"]
    assert made["id"] in [s["id"] for s in mine]
    theirs = (await gql(hub, MINE, keys.other_member))["data"]["mySubmissions"]
    assert made["id"] not in [s["id"] for s in theirs]

    changed = project_input(title="Ward safety huddles to spot falls risk early")
    stolen = await gql(hub, EDIT, keys.other_member, id=made["id"], input=changed)
    assert "No submission" in error_of(stolen)["message"]
    edited = await gql(hub, EDIT, keys.member, id=made["id"], input=changed)
    assert edited["data"]["editSubmission"]["title"] == changed["title"]
    assert [d["action"] for d in edited["data"]["editSubmission"]["decisions"]] == [
        "SUBMITTED",
        "EDITED",
    ]

    assert "errors" in await gql(hub, WITHDRAW, keys.other_member, id=made["id"])
    withdrawn = await gql(hub, WITHDRAW, keys.member, id=made["id"])
    assert withdrawn["data"]["withdrawSubmission"]["status"] == "WITHDRAWN"
    again = await gql(hub, EDIT, keys.member, id=made["id"], input=changed)
    assert "withdrawn" in error_of(again)["message"]


async def test_bad_input_names_every_field_and_stores_nothing(
    hub: httpx.AsyncClient, keys: Keys, session_graph: Graph
) -> None:
    before = await submissions(session_graph)
    answer = await gql(
        hub,
        SUBMIT,
        keys.member,
        input=project_input(
            title="  ",
            organisation="org:no-such-body",
            topics=["falls", "falls", "underwater basket weaving"],
            startDate="2024-05-01",
            endDate="2024-01-01",
            url="javascript:alert(1)",
            attachments=["f_not-an-upload"],
        ),
    )
    error = error_of(answer)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    fields = {f["field"]: f["message"] for f in error["extensions"]["fields"]}
    assert set(fields) == {
        "input.title",
        "input.organisation",
        "input.topics[2]",
        "input.endDate",
        "input.url",
        "input.attachments[0]",
    }
    assert "not a topic of the vocabulary" in fields["input.topics[2]"]  # as given, repeats too
    assert "newOrganisationName" in fields["input.organisation"]
    assert "before startDate" in fields["input.endDate"]
    assert "POST /files" in fields["input.attachments[0]"]
    assert "input.title" in error["message"]

    both = await gql(
        hub, SUBMIT, keys.member, input=project_input(newOrganisationName="Vale Men's Sheds")
    )
    assert "not both" in error_of(both)["message"]
    neither = await gql(hub, SUBMIT, keys.member, input=project_input(organisation=None))
    assert "input.organisation" in error_of(neither)["message"]
    assert await submissions(session_graph) == before


async def test_moderation_by_role_with_every_decision_kept(
    hub: httpx.AsyncClient, keys: Keys
) -> None:
    at_em = await submit(hub, keys.member, title="Discharge to assess for frail older people")
    assert "errors" in await gql(hub, APPROVE, keys.member, id=at_em["id"])
    wrong = await gql(hub, APPROVE, keys.nv_admin, id=at_em["id"])
    assert "No submission" in error_of(wrong)["message"]  # not theirs to see, nor to decide
    nv_queue = (await gql(hub, QUEUE, keys.nv_admin))["data"]["submissionsToModerate"]
    em_queue = (await gql(hub, QUEUE, keys.em_admin))["data"]["submissionsToModerate"]
    hub_queue = (await gql(hub, QUEUE, keys.hub_admin))["data"]["submissionsToModerate"]
    assert at_em["id"] not in [s["id"] for s in nv_queue]
    assert at_em["id"] in [s["id"] for s in em_queue]
    assert at_em["id"] in [s["id"] for s in hub_queue]
    assert {s["partner"] for s in em_queue} == {"em-hospitals"}

    rejected = await gql(hub, REJECT, keys.em_admin, id=at_em["id"], reason="  ")
    assert error_of(rejected)["extensions"]["fields"][0]["field"] == "reason"
    reason = "Please add what changed for patients, and the dates."
    rejected = await gql(hub, REJECT, keys.em_admin, id=at_em["id"], reason=reason)
    assert rejected["data"]["rejectSubmission"]["status"] == "REJECTED"
    twice = await gql(hub, APPROVE, keys.em_admin, id=at_em["id"])
    assert "PENDING" in error_of(twice)["message"]

    seen = (await gql(hub, ONE, keys.member, id=at_em["id"]))["data"]["submission"]
    assert seen["status"] == "REJECTED" and seen["rejectionReason"] == reason
    assert [(d["action"], d["reason"]) for d in seen["decisions"]] == [
        ("SUBMITTED", None),
        ("REJECTED", reason),
    ]
    assert (await gql(hub, ONE, keys.other_member, id=at_em["id"]))["data"]["submission"] is None
    assert (await gql(hub, ONE, id=at_em["id"]))["data"]["submission"] is None

    new_org = await submit(
        hub,
        keys.member,
        title="Men's sheds against loneliness",
        organisation=None,
        newOrganisationName="Vale Men's Sheds",
        topics=[],
    )
    assert new_org["partner"] is None
    refused = await gql(hub, APPROVE, keys.em_admin, id=new_org["id"])
    assert error_of(refused)["extensions"]["code"] in {"FORBIDDEN", "BAD_USER_INPUT"}
    approved = await gql(hub, APPROVE, keys.hub_admin, id=new_org["id"])
    assert approved["data"]["approveSubmission"]["graphId"] == (
        f"contributions:hub:{new_org['id']}"
    )
    shed = await gql(hub, PROJECT, id=approved["data"]["approveSubmission"]["graphId"])
    assert shed["data"]["project"]["organisations"][0]["organisation"]["id"]


async def test_approved_work_enters_search_pages_and_duplicates_and_withdrawal_retires_it(
    hub: httpx.AsyncClient, keys: Keys, session_graph: Graph
) -> None:
    made = await submit(hub, keys.member)
    version = await graph_version(session_graph)
    approved = (await gql(hub, APPROVE, keys.em_admin, id=made["id"]))["data"]
    graph_id = approved["approveSubmission"]["graphId"]
    assert graph_id == f"contributions:em-hospitals:{made['id']}"
    assert await graph_version(session_graph) > version

    page = (await gql(hub, PROJECT, id=graph_id))["data"]["project"]
    assert page["title"] == project_input()["title"]
    assert page["organisations"] == [{"organisation": {"id": EMH}}]
    similar = {s["project"]["id"]: s["pair"] for s in page["similar"]}
    assert "nv-hospitals:falls-sensors" in similar
    assert any("falls" in reason for reason in similar["nv-hospitals:falls-sensors"]["reasons"])

    hits = (await gql(hub, SEARCH, text="bed sensor alarms night"))["data"]["search"]
    assert graph_id in [h["node"].get("id") for h in hits]
    provenance = await session_graph.read(
        "MATCH (s:Source {id: 'contributions:em-hospitals'})-[a:ASSERTS]->(p:Project {id: $id}) "
        "RETURN s.partner AS partner, a.key AS key",
        {"id": graph_id},
    )
    assert provenance == [
        {"partner": "em-hospitals", "key": f"contributions:em-hospitals|project|{made['id']}"}
    ]
    public = (await gql(hub, ONE, id=made["id"]))["data"]["submission"]
    assert public["status"] == "APPROVED" and public["decisions"] == []
    again = (await gql(hub, APPROVE, keys.em_admin, id=made["id"]))["data"]  # publishes again
    assert again["approveSubmission"]["graphId"] == graph_id  # and records no second decision

    await gql(hub, WITHDRAW, keys.member, id=made["id"])
    assert (await gql(hub, PROJECT, id=graph_id))["data"]["project"] is None
    hits = (await gql(hub, SEARCH, text="bed sensor alarms night"))["data"]["search"]
    assert graph_id not in [h["node"].get("id") for h in hits]
    decisions = await session_graph.read(
        "MATCH (d:SubmissionDecision)-[:ON]->(:Submission {id: $id}) "
        "RETURN d.action AS action, d.by AS by, d.at IS NOT NULL AS dated ORDER BY d.at",
        {"id": made["id"]},
    )
    assert [d["action"] for d in decisions] == ["submitted", "approved", "withdrawn"]
    assert all(d["dated"] and d["by"].startswith("key:") for d in decisions)


async def test_an_approval_stands_when_scoring_what_it_published_fails_which_is_owed(
    hub: httpx.AsyncClient, keys: Keys, session_graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(_graph: Graph, _ids: list[str]) -> None:
        raise RuntimeError("similarity store unavailable")

    monkeypatch.setattr("graph.contributions.publish.update_similarity", broken)
    made = await submit(hub, keys.member, title="Hydration rounds in two care homes")
    answer = await gql(hub, APPROVE, keys.em_admin, id=made["id"])
    assert "errors" not in answer, answer
    graph_id = answer["data"]["approveSubmission"]["graphId"]
    page = (await gql(hub, PROJECT, id=graph_id))["data"]["project"]
    assert page["title"] == "Hydration rounds in two care homes"
    owed = "MATCH (o:Owed) RETURN o.projects AS projects, o.scored AS scored"
    assert await session_graph.read(owed) == [{"projects": [graph_id], "scored": True}]
    # The next sync pays it (tests/test_sync.py); here, leave the module's graph as it was.
    await gql(hub, WITHDRAW, keys.member, id=made["id"])
    await session_graph.write("MATCH (o:Owed) DELETE o")


async def test_similar_to_a_draft_finds_the_planted_duplicate_first_and_writes_nothing(
    hub: httpx.AsyncClient, keys: Keys, session_graph: Graph
) -> None:
    count = "MATCH ()-[r:SIMILAR_TO]->() RETURN count(r) AS n"
    pairs = await session_graph.read(count)
    version = await graph_version(session_graph)
    draft = {
        "title": "Bed sensors to reduce inpatient falls at night",
        "aim": "Fit bed and chair sensors that alert staff at night to cut falls among older "
        "patients on acute wards.",
        "organisation": NVH,
        "topics": ["falls"],
        "methods": ["PDSA"],
    }
    found = (await gql(hub, SIMILAR, draft=draft))["data"]["similarTo"]
    assert found, "the planted falls project was not found"
    assert found[0]["project"]["id"] == "nv-hospitals:falls-sensors"
    assert found[0]["score"] >= found[-1]["score"]
    assert any("falls" in reason for reason in found[0]["reasons"])
    assert found[0]["explanation"]
    assert await session_graph.read(count) == pairs
    assert await graph_version(session_graph) == version

    other = (await gql(hub, SIMILAR, draft={"title": "Sepsis screening in A&E"}))["data"]
    assert other["similarTo"][0]["project"]["id"] in {
        "nv-hospitals:sepsis-screening",
        "em-hospitals:sepsis-ed",
    }
    bad = await gql(hub, SIMILAR, draft={"title": "x" * 600})
    assert error_of(bad)["extensions"]["fields"][0]["field"] == "draft.title"

    # People are personal data: who works on a project never moves it up or down, and a
    # signed-in caller (who may see more people) gets the same answer as an anonymous one.
    await session_graph.write(
        "MATCH (p:Project {id: $id}) "
        "CREATE (:Person {id: 'person:draft-test', name: 'Kit Lowe', public: true})"
        "-[:WORKS_ON]->(p)",
        {"id": found[-1]["project"]["id"]},
    )
    assert (await gql(hub, SIMILAR, draft=draft))["data"]["similarTo"] == found
    assert (await gql(hub, SIMILAR, keys.member, draft=draft))["data"]["similarTo"] == found


async def test_submissions_are_rate_limited_per_caller(
    session_graph: Graph, keys: Keys, tmp_path: Path
) -> None:
    async with hub_client(session_graph, tmp_path, contribution_rate_limit=2) as client:
        await submit(client, keys.other_member, title="First of three")
        await submit(client, keys.other_member, title="Second of three")
        third = await gql(client, SUBMIT, keys.other_member, input=project_input())
        error = error_of(third)
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert error["extensions"]["retryAfter"] >= 1
        assert "at most 2 a minute" in error["message"]
        await submit(client, keys.member, title="Another caller has their own allowance")


async def test_members_signed_in_by_token_contribute_alike(
    session_graph: Graph,
    keys: Keys,
    issuer: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    async with hub_client(
        session_graph, tmp_path, oidc_issuer=issuer, oidc_audience=AUDIENCE
    ) as client:
        ann, bo = token(issuer, sub="improver-ann"), token(issuer, sub="improver-bo")
        moderator = token(
            issuer, sub="em-lead", convener_role="partner_admin", convener_partner="em-hospitals"
        )
        uploaded = await client.post(
            "/files",
            files={"file": ("plan.pdf", pdf_with("plan"))},
            headers={"authorization": f"Bearer {ann}"},
        )
        assert uploaded.status_code == 201, uploaded.text
        made = await gql(
            client,
            SUBMIT,
            ann,
            input=project_input(title="Token-signed work", attachments=[uploaded.json()["id"]]),
        )
        submission = made["data"]["submitContribution"]
        assert submission["decisions"][0]["by"] == "oidc:improver-ann"
        assert [s["id"] for s in (await gql(client, MINE, ann))["data"]["mySubmissions"]] == [
            submission["id"]
        ]
        assert (await gql(client, MINE, bo))["data"]["mySubmissions"] == []
        approved = await gql(client, APPROVE, moderator, id=submission["id"])
        assert approved["data"]["approveSubmission"]["status"] == "APPROVED"


async def test_editing_approved_work_takes_it_out_until_approved_again(
    hub: httpx.AsyncClient, keys: Keys
) -> None:
    made = await submit(hub, keys.member, title="Hydration rounds in care homes", topics=[])
    graph_id = (await gql(hub, APPROVE, keys.em_admin, id=made["id"]))["data"]["approveSubmission"][
        "graphId"
    ]
    assert (await gql(hub, PROJECT, id=graph_id))["data"]["project"]["title"] == (
        "Hydration rounds in care homes"
    )
    changed = project_input(title="Hydration rounds in care homes, with families", topics=[])
    edited = (await gql(hub, EDIT, keys.member, id=made["id"], input=changed))["data"]
    assert edited["editSubmission"]["status"] == "PENDING"
    assert (await gql(hub, PROJECT, id=graph_id))["data"]["project"] is None
    await gql(hub, APPROVE, keys.em_admin, id=made["id"])
    page = (await gql(hub, PROJECT, id=graph_id))["data"]["project"]
    assert page["title"] == "Hydration rounds in care homes, with families"


async def test_answers_that_depend_on_the_caller_are_never_shared(
    session_graph: Graph, keys: Keys
) -> None:
    member = Viewer(Role.MEMBER, subject="key:someone")
    for query, variables in (
        (MINE, {}),
        (ONE, {"id": "sub_unknown"}),
        ("{ submissionsToModerate { id } }", {}),
    ):
        context = Context(session_graph, viewer=member)
        await schema.execute(query, variable_values=variables, context_value=context)
        assert context.for_this_caller, query
    shared = Context(session_graph, viewer=member)
    await schema.execute(
        SIMILAR, variable_values={"draft": {"title": "Falls"}}, context_value=shared
    )
    assert not shared.for_this_caller  # the same for every caller: cacheable


async def test_every_partner_listing_the_organisation_may_moderate(
    hub: httpx.AsyncClient, keys: Keys, session_graph: Graph
) -> None:
    # Eastmoor's register lists North Vale Hospitals too: both partners' admins moderate.
    register = SourceInfo("em-register", "em-hospitals", "Eastmoor register", "json_api")
    record = OrganisationRecord(ref="nvh", name="North Vale Hospitals", ods_code="ZNV01")
    await sync_source(session_graph, register, [record])
    made = await submit(hub, keys.member, title="Shared care plans", organisation=NVH)
    listed = await gql(
        hub, "query ($id: ID!) { submission(id: $id) { partner partners } }", id=made["id"]
    )
    assert listed["data"]["submission"] is None  # pending: not for anonymous callers
    both = await gql(
        hub,
        "query ($id: ID!) { submission(id: $id) { partner partners } }",
        keys.member,
        id=made["id"],
    )
    assert both["data"]["submission"] == {
        "partner": "em-hospitals",
        "partners": ["em-hospitals", "nv-hospitals"],
    }
    for admin in (keys.nv_admin, keys.em_admin):
        queue = (await gql(hub, QUEUE, admin))["data"]["submissionsToModerate"]
        assert made["id"] in [s["id"] for s in queue]
    approved = await gql(hub, APPROVE, keys.nv_admin, id=made["id"])
    assert approved["data"]["approveSubmission"]["graphId"] == (
        f"contributions:em-hospitals:{made['id']}"
    )


async def test_a_contributor_declares_their_own_kind_and_joins_the_work_with_that_consent(
    hub: httpx.AsyncClient, keys: Keys
) -> None:
    person = {"name": "Rowan Ashby", "role": "Patient partner", "kind": "PATIENT_OR_CARER"}
    unconsented = await gql(
        hub, SUBMIT, keys.member, input=project_input(contributor=person, title="Sit-to-stand")
    )
    assert "input.contributor.showKind" in error_of(unconsented)["message"]

    made = await submit(
        hub,
        keys.member,
        title="Carers shape the discharge letter",
        contributor={**person, "showKind": True},
    )
    shown = "query ($id: ID!) { submission(id: $id) { contributor { name kind showKind } } }"
    mine = (await gql(hub, shown, keys.member, id=made["id"]))["data"]["submission"]
    assert mine["contributor"] == {
        "name": "Rowan Ashby",
        "kind": "PATIENT_OR_CARER",
        "showKind": True,
    }
    approved = (await gql(hub, APPROVE, keys.em_admin, id=made["id"]))["data"]
    graph_id = approved["approveSubmission"]["graphId"]
    public = (await gql(hub, shown, id=made["id"]))["data"]["submission"]
    assert public == {"contributor": None}  # approved: the person is in the graph, not here

    people = """query ($id: ID!) {
      project(id: $id) { people { person { name kind } } }
    }"""
    as_member = (await gql(hub, people, keys.other_member, id=graph_id))["data"]["project"]
    assert as_member["people"] == [{"person": {"name": "Rowan Ashby", "kind": "PATIENT_OR_CARER"}}]
    anonymous = (await gql(hub, people, id=graph_id))["data"]["project"]
    assert anonymous["people"] == []  # not listed to anonymous visitors: they did not agree
