"""A submission as the records any source's pull delivers, so approved contributions enter
the graph by the one ingestion path (provenance, resolution, retirement, similarity).

A project becomes a ``ProjectRecord``; a case study, toolkit, slideset, guide or video a
``ResourceRecord`` of that type. Each attachment becomes a resource too, its summary the text
extracted from the file, so search finds what the file says. Case-study parts (the problem,
what was done, results, lessons learned) follow the summary under their headings. The person
to talk to, when the submitter named one, becomes a ``PersonRecord`` with the consent they
gave: a member of the project, interested in its topics, working for its organisation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from connectors.enums import ResourceType
from connectors.records import (
    OrganisationRef,
    PersonRecord,
    ProjectMember,
    ProjectRecord,
    Record,
    ResourceRecord,
)

PROJECT = "project"
RESOURCE_KINDS = {
    "case_study": ResourceType.CASE_STUDY,
    "toolkit": ResourceType.TOOLKIT,
    "slideset": ResourceType.SLIDESET,
    "guide": ResourceType.GUIDE,
    "video": ResourceType.VIDEO,
}
KINDS = (PROJECT, *RESOURCE_KINDS)
SECTIONS = (
    ("problem", "The problem"),
    ("whatWasDone", "What was done"),
    ("results", "Results"),
    ("lessonsLearned", "Lessons learned"),
)
MAX_SUMMARY = 20_000  # connectors.records.LongText
HUB = "hub"
"""The source suffix of contributions no partner moderates (a new organisation's)."""
SOURCE_PREFIX = "contributions:"


def source_of(partner: str | None) -> str:
    """The contributions source of a partner: ``contributions:<partner>``."""
    return SOURCE_PREFIX + (partner or HUB)


def partner_of(source_id: str) -> str:
    """The partner (or ``HUB``) a contributions source publishes for."""
    return source_id.removeprefix(SOURCE_PREFIX)


def graph_id(source: str, submission_id: str) -> str:
    """The id the submission's project or resource has in the graph (as ingestion makes it)."""
    return f"{source}:{submission_id}"


def summary_of(submission: Mapping[str, Any]) -> str | None:
    """The summary, a resource's aim, and the case-study parts under their headings, as one
    text."""
    parts = [submission["summary"]] if submission.get("summary") else []
    if submission.get("kind") != PROJECT and submission.get("aim"):
        parts.append(f"Aim: {submission['aim']}")  # a resource has no aim of its own
    parts += [f"{title}: {submission[key]}" for key, title in SECTIONS if submission.get(key)]
    text = "\n\n".join(parts)
    return text[:MAX_SUMMARY] or None


def organisation_ref(submission: Mapping[str, Any]) -> OrganisationRef | None:
    name = submission.get("newOrganisationName") or submission.get("organisationName")
    ods = None if submission.get("newOrganisationName") else submission.get("organisationOds")
    return OrganisationRef(name=name, ods_code=ods) if name or ods else None


_SHARED_FILE = re.compile("^" + re.escape(SOURCE_PREFIX) + r"[^:]+:[^:/]+/(f_[0-9a-f]+)$")


def attachment_ref(ref: str, file_id: str) -> str:
    return f"{ref}/{file_id}"


def shared_file(resource_id: str) -> str | None:
    """The uploaded file a resource is, when it is an approved attachment (its id is
    ``contributions:<partner>:<submission>/<file>``); None for any other resource."""
    found = _SHARED_FILE.match(resource_id)
    return found[1] if found else None


def contributor_ref(ref: str) -> str:
    return f"{ref}/contributor"


def contributor_record(submission: Mapping[str, Any], ref: str) -> PersonRecord | None:
    """The person to talk to about the work, as they agreed to be shown; None without one."""
    name = submission.get("contributorName")
    if not name:
        return None
    consent = bool(submission.get("contributorKindConsent"))
    return PersonRecord(
        ref=contributor_ref(ref),
        name=name,
        role=submission.get("contributorRole"),
        organisation=organisation_ref(submission),
        interests=list(submission.get("topicLabels") or []),
        public=bool(submission.get("contributorPublic")),
        person_kind=submission.get("contributorKind") if consent else None,
        kind_consent=consent,
    )


def main_record(submission: Mapping[str, Any], ref: str) -> Record:
    """The submission's own record; a ValueError (pydantic's) names the field at fault."""
    common: dict[str, Any] = {
        "ref": ref,
        "title": submission["title"],
        "summary": summary_of(submission),
        "topics": list(submission.get("topicLabels") or []),
        "url": submission.get("url"),
    }
    organisation = organisation_ref(submission)
    if submission["kind"] == PROJECT:
        return ProjectRecord(
            **common,
            aim=submission.get("aim"),
            status=submission.get("projectStatus"),
            start_date=submission.get("startDate"),
            end_date=submission.get("endDate"),
            methods=list(submission.get("methods") or []),
            mode=submission.get("mode"),
            lead_organisation=organisation,
            members=[ProjectMember(person=contributor_ref(ref))]
            if submission.get("contributorName")
            else [],
        )
    return ResourceRecord(
        **common,
        resource_type=RESOURCE_KINDS[submission["kind"]],
        published=submission.get("startDate"),
        organisation=organisation,
        mode=submission.get("mode"),
    )


def records_of(submission: Mapping[str, Any]) -> list[Record]:
    """The records an approved submission contributes: its own and one per attachment."""
    ref = submission["id"]
    found: list[Record] = [main_record(submission, ref)]
    person = contributor_record(submission, ref)
    if person is not None:
        found.append(person)
    for attachment in submission.get("attachments") or []:
        found.append(
            ResourceRecord(
                ref=attachment_ref(ref, attachment["id"]),
                title=f"{attachment['name']} ({submission['title']})"[:500],
                resource_type=ResourceType.OTHER,
                summary=(attachment.get("text") or "")[:MAX_SUMMARY] or None,
                topics=list(submission.get("topicLabels") or []),
                organisation=organisation_ref(submission),
                project=ref if submission["kind"] == PROJECT else None,
            )
        )
    return found
