"""Members' contributions waiting for moderation in the demo region (issue 18), invented.

`convener demo` sends them once, after the first sync, through the API's own
``submitContribution`` mutation as an invented member (``demo:member``), so the moderation page
has work to decide on: a project that plainly duplicates the North Vale GP Federation's "Link
workers for loneliness in Kettleby" (planted pair D4's first side), a case study, and a toolkit
from an organisation the hub does not know yet (for a hub admin to confirm).
"""

from __future__ import annotations

from typing import Any

from graph.database import Graph
from schema.api import schema
from schema.context import Context
from schema.viewer import Role, Viewer

SUBMITTER = Viewer(Role.MEMBER, subject="demo:member")
DUPLICATE_OF = ("nv-gpfed-api", "GPF0001")  # Link workers for loneliness in Kettleby

# Each input names its organisation by name; the hub's id for it is looked up when sending.
PENDING: list[dict[str, Any]] = [
    {
        "kind": "PROJECT",
        "title": "Social prescribing link workers for lonely patients in Kettleby",
        "summary": "Link workers take referrals from Kettleby GP surgeries for patients who "
        "are lonely or isolated, and connect them with community groups.",
        "aim": "Refer 250 lonely or isolated patients a year to community groups through "
        "link workers.",
        "organisation": "North Vale County Council",
        "topics": ["Social prescribing", "Loneliness and social isolation"],
        "methods": ["PDSA"],
        "mode": "ITERATIVE_QI",
        "status": "PROPOSED",
    },
    {
        "kind": "CASE_STUDY",
        "title": "Carers at the bedside: discharge conversations on a stroke unit",
        "summary": "How a stroke unit brought unpaid carers into discharge planning.",
        "organisation": "Eastmoor and Wyndham Hospitals NHS Trust",
        "topics": ["Discharge", "Unpaid carers"],
        "methods": ["Experience-based co-design"],
        "problem": "Carers learned of discharge dates late and felt unready.",
        "whatWasDone": "A carer conversation within two days of admission, and a named nurse.",
        "results": "Carers who felt ready for discharge rose from four in ten to seven in ten.",
        "lessonsLearned": "Ask carers what they need to know; do not assume.",
    },
    {
        "kind": "TOOLKIT",
        "title": "Involving lived-experience partners in improvement projects: a toolkit",
        "summary": "Role descriptions, payment guidance and a first-meeting checklist for "
        "teams working with people who bring lived experience.",
        "newOrganisation": "Harrowfield Patient Voices",
        "topics": ["Patient experience", "Improvement capability"],
        "methods": ["Co-design"],
    },
]

_SUBMIT = """mutation ($input: SubmissionInput!) { submitContribution(input: $input) { id } }"""
_MINE = "{ mySubmissions(first: 100) { id } }"
_ORGANISATIONS = "{ organisations(first: 100) { nodes { id name } } }"


async def _run(graph: Graph, query: str, **variables: Any) -> dict[str, Any]:
    context = Context(graph, viewer=SUBMITTER)
    result = await schema.execute(query, variable_values=variables, context_value=context)
    if result.errors or result.data is None:
        raise RuntimeError(f"the demo's submissions were refused: {result.errors}")
    return result.data


async def send_pending(graph: Graph) -> int:
    """Send the demo's pending submissions unless ``demo:member`` already has some (a second
    `convener demo` adds nothing); how many were sent."""
    if (await _run(graph, _MINE))["mySubmissions"]:
        return 0
    listed = (await _run(graph, _ORGANISATIONS))["organisations"]["nodes"]
    ids = {organisation["name"]: organisation["id"] for organisation in listed}
    for given in PENDING:
        named = ("organisation", "newOrganisation")
        submission = {k: v for k, v in given.items() if k not in named}
        if "organisation" in given:
            submission["organisation"] = ids[given["organisation"]]
        else:
            submission["newOrganisationName"] = given["newOrganisation"]
        await _run(graph, _SUBMIT, input=submission)
    return len(PENDING)
