"""Submissions, their decisions and uploaded files, as stored: every statement here.

A ``Submission`` node holds one member's contribution as they gave it, whatever its status;
each decision on it (submitted, edited, approved, rejected, withdrawn) is a
``SubmissionDecision`` node ``ON`` it, never changed afterwards. Files are ``File`` nodes
(their bytes live in the files directory, by content hash); a submission ``ATTACHES`` them.
Each change is one statement, so one transaction: it lands whole or not at all.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from connectors.partners import REGISTRY_SOURCE
from graph.contributions.records import source_of
from graph.database import Graph
from graph.queries.fields import parse_moment

PENDING, APPROVED, REJECTED, WITHDRAWN = "pending", "approved", "rejected", "withdrawn"
STATUSES = (PENDING, APPROVED, REJECTED, WITHDRAWN)

_ROW: LiteralString = """
RETURN s {.*,
  attachments: COLLECT { MATCH (s)-[a:ATTACHES]->(f:File)
                         WITH a, f ORDER BY a.position
                         RETURN f {.id, .name, .contentType, .size, .sha256} },
  decisions: COLLECT { MATCH (d:SubmissionDecision)-[:ON]->(s)
                       WITH d ORDER BY d.at, d.seq LIMIT 100
                       RETURN d {.action, .by, .at, .reason} }
} AS submission
"""

_ATTACH: LiteralString = """
CALL (s) {
  UNWIND range(0, size($files) - 1) AS position
  MATCH (f:File {id: $files[position]})
  CREATE (s)-[:ATTACHES {position: position}]->(f)
}
"""

CREATE: LiteralString = (
    """
WITH datetime() AS now
CREATE (s:Submission {id: $id})
SET s += $props, s.status = 'pending', s.submitter = $by, s.submittedAt = now, s.updatedAt = now
CREATE (:SubmissionDecision {action: 'submitted', by: $by, at: s.submittedAt, seq: 0})-[:ON]->(s)
WITH s
"""
    + _ATTACH
    + _ROW
)

EDIT: LiteralString = (
    """
MATCH (s:Submission {id: $id})
WHERE s.submitter = $by AND s.status IN ['pending', 'approved', 'rejected']
SET s += $props, s.status = 'pending', s.updatedAt = datetime(), s.rejectionReason = null
CREATE (:SubmissionDecision {action: 'edited', by: $by, at: s.updatedAt, seq: 1})-[:ON]->(s)
WITH s
CALL (s) { MATCH (s)-[a:ATTACHES]->() DELETE a }
"""
    + _ATTACH
    + _ROW
)

DECIDE: LiteralString = (
    """
MATCH (s:Submission {id: $id}) WHERE s.status IN $from
WITH s, datetime() AS now
SET s.status = $to, s.updatedAt = now,
    s.rejectionReason = CASE WHEN $to = 'rejected' THEN $reason END,
    s.source = CASE WHEN $to = 'approved' THEN $source ELSE s.source END,
    s.approvedAt = CASE WHEN $to = 'approved' THEN now ELSE s.approvedAt END
CREATE (:SubmissionDecision {action: $action, by: $by, at: s.updatedAt, reason: $reason,
                             seq: 1})-[:ON]->(s)
WITH s
"""
    + _ROW
)

BY_ID: LiteralString = "MATCH (s:Submission {id: $id})\n" + _ROW

MINE: LiteralString = (
    """
MATCH (s:Submission {submitter: $by})
WHERE $statuses IS NULL OR s.status IN $statuses
WITH s ORDER BY s.submittedAt DESC, s.id LIMIT $limit
"""
    + _ROW
)

TO_MODERATE: LiteralString = (
    """
MATCH (s:Submission)
WHERE s.status IN $statuses AND ($partner IS NULL OR $partner IN coalesce(s.partners, []))
WITH s ORDER BY s.submittedAt, s.id LIMIT $limit
"""
    + _ROW
)

APPROVED_OF_SOURCE: LiteralString = """
MATCH (s:Submission {source: $source}) WHERE s.status = 'approved'
RETURN s {.*,
  attachments: COLLECT { MATCH (s)-[a:ATTACHES]->(f:File)
                         WITH a, f ORDER BY a.position
                         RETURN f {.id, .name, .contentType, .text} }
} AS submission
ORDER BY s.id
"""

ORGANISATION: LiteralString = """
MATCH (o:Organisation {id: $id}) WHERE o.retiredAt IS NULL
WITH o, COLLECT { MATCH (s:Source)-[a:ASSERTS]->(o)
                  WHERE a.retiredAt IS NULL AND s.partner IS NOT NULL
                    AND NOT s.id STARTS WITH 'contributions:'
                  RETURN DISTINCT CASE s.id WHEN $registry THEN a.ref ELSE s.partner END
                } AS own,
        COLLECT { MATCH (s:Source)-[a:ASSERTS]->(e)-[r:RUN_BY|PUBLISHED_BY|WORKS_FOR]->(o)
                  WHERE a.retiredAt IS NULL AND r.retiredAt IS NULL AND s.partner IS NOT NULL
                    AND NOT s.id STARTS WITH 'contributions:'
                  RETURN DISTINCT s.partner } AS linked
RETURN o.id AS id, o.name AS name, o.odsCode AS odsCode,
       CASE WHEN size(own) > 0 THEN own ELSE linked END AS partners
"""

OWN_FILES: LiteralString = """
UNWIND $ids AS id
MATCH (f:File {id: id}) WHERE f.uploadedBy = $by
RETURN collect(f.id) AS ids
"""

CREATE_FILE: LiteralString = """
CREATE (f:File {id: $id})
SET f += $props, f.uploadedBy = $by, f.uploadedAt = datetime()
RETURN f {.id, .name, .contentType, .size, .sha256} AS file
"""

UPLOADED_SINCE: LiteralString = """
MATCH (f:File)
WHERE f.uploadedBy = $by AND f.uploadedAt >= datetime() - duration({seconds: $seconds})
RETURN sum(f.size) AS bytes, toString(min(f.uploadedAt)) AS earliest
"""

# Uploads that no submission attaches, a batch at a time, oldest first; for each content hash
# they held, whether another record still holds it (then its bytes stay).
FORGET_LOOSE: LiteralString = """
MATCH (f:File) WHERE f.uploadedAt < datetime() - duration({seconds: $seconds})
  AND NOT EXISTS { MATCH (:Submission)-[:ATTACHES]->(f) }
WITH f ORDER BY f.uploadedAt LIMIT $batch
WITH f, f.sha256 AS sha256
DETACH DELETE f
WITH DISTINCT sha256
RETURN sha256, EXISTS { MATCH (:File {sha256: sha256}) } AS held
"""

# Sources a decision changed since their last successful publish: a publish that failed (the
# decision stands) or never ran. Withdrawn and edited submissions keep their source, so a
# withdrawal whose retirement failed is found too.
SOURCES_BEHIND: LiteralString = """
MATCH (s:Submission) WHERE s.source IS NOT NULL AND ($source IS NULL OR s.source = $source)
WITH s.source AS source, max(s.updatedAt) AS decided
WITH source, decided,
     COLLECT { MATCH (r:SyncRun {source: source}) WHERE r.status = 'succeeded' AND NOT r.dryRun
               RETURN max(r.startedAt) }[0] AS published
WHERE published IS NULL OR published < decided
RETURN source ORDER BY source
"""


FILE_ACCESS: LiteralString = """
MATCH (f:File {id: $id})
RETURN f {.id, .name, .contentType, .size, .sha256, .uploadedBy} AS file,
       COLLECT { MATCH (s:Submission)-[:ATTACHES]->(f)
                 RETURN s {.status, .submitter, .partner, .partners} } AS submissions
"""

COUNTS: LiteralString = """
MATCH (s:Submission)
RETURN count(s) AS submitted, count(s.approvedAt) AS approved
"""


def new_submission_id() -> str:
    return "sub_" + secrets.token_hex(8)


def new_file_id() -> str:
    return "f_" + secrets.token_hex(12)


@dataclass(frozen=True)
class KnownOrganisation:
    id: str
    name: str | None
    ods_code: str | None
    partners: tuple[str, ...]
    """The partners whose admins moderate work of this organisation, by id."""

    @property
    def partner(self) -> str | None:
        """The partner whose contributions source publishes its work (the first by id)."""
        return self.partners[0] if self.partners else None


async def organisation(graph: Graph, organisation_id: str) -> KnownOrganisation | None:
    """A live organisation and its partners: those whose sources list it, else those whose
    sources list work run or published by it. The partners file lists each partner's own
    organisation through the hub's registry source: that listing names the partner itself
    (the record's ref), not the hub's pseudo-partner."""
    rows = await graph.read(ORGANISATION, {"id": organisation_id, "registry": REGISTRY_SOURCE})
    if not rows:
        return None
    row = rows[0]
    partners = tuple(sorted(row["partners"] or []))
    return KnownOrganisation(row["id"], row["name"], row["odsCode"], partners)


async def own_files(graph: Graph, ids: Sequence[str], by: str) -> set[str]:
    """Which of ``ids`` are files ``by`` uploaded."""
    rows = await graph.read(OWN_FILES, {"ids": list(ids), "by": by})
    return set(rows[0]["ids"]) if rows else set()


async def create(
    graph: Graph, props: Mapping[str, Any], files: Sequence[str], by: str
) -> dict[str, Any]:
    rows = await graph.write(
        CREATE, {"id": new_submission_id(), "props": dict(props), "files": list(files), "by": by}
    )
    return rows[0]["submission"]


async def edit(
    graph: Graph, submission_id: str, props: Mapping[str, Any], files: Sequence[str], by: str
) -> dict[str, Any] | None:
    """The edited submission, or None when it is not ``by``'s or is withdrawn."""
    rows = await graph.write(
        EDIT, {"id": submission_id, "props": dict(props), "files": list(files), "by": by}
    )
    return rows[0]["submission"] if rows else None


async def decide(
    graph: Graph,
    submission_id: str,
    *,
    action: str,
    to: str,
    from_statuses: Sequence[str],
    by: str,
    reason: str | None = None,
    source: str | None = None,
) -> dict[str, Any] | None:
    """Record a decision and the status it leads to; None when the submission is not in one
    of ``from_statuses`` (checked in the same statement, so two moderators cannot both act)."""
    rows = await graph.write(
        DECIDE,
        {
            "id": submission_id,
            "action": action,
            "to": to,
            "from": list(from_statuses),
            "by": by,
            "reason": reason,
            "source": source,
        },
    )
    return rows[0]["submission"] if rows else None


async def by_id(graph: Graph, submission_id: str) -> dict[str, Any] | None:
    rows = await graph.read(BY_ID, {"id": submission_id})
    return rows[0]["submission"] if rows else None


async def mine(
    graph: Graph, by: str, statuses: Sequence[str] | None, limit: int
) -> list[dict[str, Any]]:
    params = {"by": by, "statuses": list(statuses) if statuses else None, "limit": limit}
    return [row["submission"] for row in await graph.read(MINE, params)]


async def to_moderate(
    graph: Graph, partner: str | None, statuses: Sequence[str], limit: int
) -> list[dict[str, Any]]:
    """Submissions in ``statuses`` that ``partner`` (a partner admin's) moderates, or all
    (None)."""
    params = {"partner": partner, "statuses": list(statuses), "limit": limit}
    return [row["submission"] for row in await graph.read(TO_MODERATE, params)]


async def approved_of_source(graph: Graph, source: str) -> list[dict[str, Any]]:
    rows = await graph.read(APPROVED_OF_SOURCE, {"source": source})
    return [row["submission"] for row in rows]


async def create_file(graph: Graph, props: Mapping[str, Any], by: str) -> dict[str, Any]:
    rows = await graph.write(CREATE_FILE, {"id": new_file_id(), "props": dict(props), "by": by})
    return rows[0]["file"]


async def uploaded_since(graph: Graph, by: str, seconds: int) -> tuple[int, datetime | None]:
    """Bytes ``by`` uploaded in the last ``seconds``, and when the earliest of them came."""
    rows = await graph.read(UPLOADED_SINCE, {"by": by, "seconds": seconds})
    earliest = rows[0]["earliest"] if rows else None
    return int(rows[0]["bytes"] or 0) if rows else 0, parse_moment(earliest)


async def forget_loose_files(graph: Graph, seconds: int, batch: int) -> list[str]:
    """Forget the records of up to ``batch`` uploads older than ``seconds`` that no submission
    attaches; the content hashes no record holds any more (their bytes may go)."""
    rows = await graph.write(FORGET_LOOSE, {"seconds": seconds, "batch": batch})
    return [row["sha256"] for row in rows if not row["held"]]


async def file_access(graph: Graph, file_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A file's record and the submissions attaching it (status, submitter, partner); an
    empty record for an unknown id."""
    rows = await graph.read(FILE_ACCESS, {"id": file_id})
    if not rows:
        return {}, []
    return rows[0]["file"], rows[0]["submissions"]


async def counts(graph: Graph) -> dict[str, int]:
    rows = await graph.read(COUNTS)
    return {"submitted": rows[0]["submitted"], "approved": rows[0]["approved"]}


async def sources_behind(graph: Graph, partner: str | None = None) -> list[str]:
    """The contributions sources (of one partner, or all) a decision changed since they were
    last published."""
    source = None if partner is None else source_of(partner)
    rows = await graph.read(SOURCES_BEHIND, {"source": source})
    return [row["source"] for row in rows]
