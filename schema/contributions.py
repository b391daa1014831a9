"""Members' contributions in the API: submit, edit and withdraw; moderate; similar work first.

Resolvers call ``graph.contributions``; no Cypher here. Who may see and decide what is in
``schema.moderation``. Answers that depend on who asks (their own submissions, the queue of
their partner, whether they may moderate) mark themselves so the answer cache never shares
them; every write bumps the graph's version (approvals also change what search, pages and
widgets answer, through the ``contributions:<partner>`` source).

Wiring: ``Query`` inherits ``ContributionsQuery``, ``Mutation`` ``ContributionsMutation``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from pydantic import ValidationError
from strawberry.permission import PermissionExtension
from strawberry.types import Info

from graph.contributions import drafts, publish, records, store
from graph.ingest import IngestOptions
from graph.queries.fields import PROJECT
from graph.version import bump_version
from graph.vocabulary import Vocabulary
from schema.duplicates import SimilarityKind
from schema.enums import ImprovementMode, PersonKind, ProjectStatus, stored
from schema.errors import InvalidInput, Refused
from schema.moderation import is_submitter, may_approve, may_moderate, may_read
from schema.pagination import DEFAULT_PAGE, page_size
from schema.permissions import IsSignedIn
from schema.types import Organisation, Project, file_url
from schema.viewer import Viewer

MAX_TITLE = 500
MAX_SUMMARY = 5000
MAX_SECTION = 3000
MAX_NAME = 200
MAX_LABELS = 20
MAX_LABEL = 100
MAX_ATTACHMENTS = 10
URL = re.compile(r"^https?://\S+$")
SIGNED_IN = [PermissionExtension(permissions=[IsSignedIn()])]


@strawberry.enum(description="What a member shares: a project, or a resource of one kind.")
class ContributionKind(Enum):
    PROJECT = "project"
    CASE_STUDY = "case_study"
    TOOLKIT = "toolkit"
    SLIDESET = "slideset"
    GUIDE = "guide"
    VIDEO = "video"


@strawberry.enum(description="Where a submission is: only APPROVED ones are public.")
class SubmissionStatus(Enum):
    PENDING = store.PENDING
    APPROVED = store.APPROVED
    REJECTED = store.REJECTED
    WITHDRAWN = store.WITHDRAWN


@strawberry.enum(description="What was done to a submission, and by whom (its history).")
class SubmissionAction(Enum):
    SUBMITTED = "submitted"
    EDITED = "edited"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@strawberry.input(
    description="A contribution as a member gives it. Give `organisation` (a "
    "known organisation's id) or `newOrganisationName` (a hub admin confirms it)."
)
class SubmissionInput:
    kind: ContributionKind
    title: str
    summary: str | None = None
    aim: str | None = None
    organisation: strawberry.ID | None = None
    new_organisation_name: str | None = None
    topics: list[str] = strawberry.field(
        default_factory=list, description="Topic ids, labels or synonyms of the vocabulary."
    )
    methods: list[str] = strawberry.field(
        default_factory=list, description="Improvement methods, e.g. `PDSA`."
    )
    mode: ImprovementMode | None = None
    status: ProjectStatus | None = strawberry.field(
        default=None, description="The work's own status (for projects)."
    )
    start_date: date | None = None
    end_date: date | None = None
    url: str | None = None
    problem: str | None = strawberry.field(default=None, description="Case studies: the problem.")
    what_was_done: str | None = None
    results: str | None = None
    lessons_learned: str | None = None
    attachments: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Ids of files uploaded with `POST /files`."
    )
    contributor: ContributorInput | None = strawberry.field(
        default=None,
        description="Who to talk to about it (often the submitter, who declares their own "
        "kind here); they join the work as a person once it is approved.",
    )


@strawberry.input(
    description="Who to talk to about the work, as they agree to be shown once it is approved: "
    "name and role to signed-in members (to everyone with `listed`), their kind only with "
    "`showKind`. Before approval only the submitter and the moderators see it."
)
class ContributorInput:
    name: str
    role: str | None = None
    kind: PersonKind | None = strawberry.field(
        default=None, description="Staff, patient or carer, lived-experience partner, ..."
    )
    show_kind: bool = strawberry.field(
        default=False, description="They agree to their kind being shown (and filtered on)."
    )
    listed: bool = strawberry.field(
        default=False, description="They agree to be listed to anonymous visitors too."
    )


@strawberry.type(description="Who to talk to about a submission, as its submitter gave it.")
class Contributor:
    name: str
    role: str | None
    kind: PersonKind | None
    show_kind: bool
    listed: bool


@strawberry.input(description="A project being written: whatever is filled in so far.")
class DraftProjectInput:
    title: str
    summary: str | None = None
    aim: str | None = None
    organisation: strawberry.ID | None = None
    topics: list[str] = strawberry.field(default_factory=list)
    methods: list[str] = strawberry.field(default_factory=list)
    start_date: date | None = None
    end_date: date | None = None


@strawberry.type(description="A topic of the vocabulary a submission is about.")
class SubmissionTopic:
    id: strawberry.ID
    label: str


@strawberry.type(description="A file attached to a submission.")
class Attachment:
    id: strawberry.ID
    name: str = strawberry.field(description="The file's name, made safe.")
    content_type: str = strawberry.field(description="Its type, as checked by its content.")
    size: int = strawberry.field(description="Bytes.")
    sha256: str
    url: str = strawberry.field(description="Where to download it: `/files/<id>` on this hub.")


@strawberry.type(description="One decision on a submission: who, when, what and why.")
class SubmissionDecision:
    action: SubmissionAction
    by: str = strawberry.field(description="Who: `key:<id>` or `oidc:<subject>`.")
    at: datetime
    reason: str | None


def _text(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    return value if isinstance(value, str) else None


@strawberry.type(description="A member's contribution and where it is in moderation.")
class Submission:
    row: strawberry.Private[dict[str, Any]]
    id: strawberry.ID
    kind: ContributionKind
    status: SubmissionStatus
    title: str
    summary: str | None
    aim: str | None
    new_organisation_name: str | None
    partner: strawberry.ID | None = strawberry.field(
        description="The partner whose contributions source publishes it; null: the hub's own "
        "(a new organisation: hub admins moderate it)."
    )
    methods: list[str]
    mode: ImprovementMode | None
    project_status: ProjectStatus | None
    start_date: date | None
    end_date: date | None
    url: str | None
    problem: str | None
    what_was_done: str | None
    results: str | None
    lessons_learned: str | None
    submitted_at: datetime
    updated_at: datetime
    rejection_reason: str | None = strawberry.field(description="Why it was rejected.")
    graph_id: strawberry.ID | None = strawberry.field(
        description="Its project's or resource's id in the graph, once approved."
    )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Submission:
        approved = row.get("status") == store.APPROVED
        return cls(
            row=row,
            id=strawberry.ID(row["id"]),
            kind=ContributionKind(row["kind"]),
            status=SubmissionStatus(row["status"]),
            title=row["title"],
            summary=_text(row, "summary"),
            aim=_text(row, "aim"),
            new_organisation_name=_text(row, "newOrganisationName"),
            partner=row.get("partner"),
            methods=list(row.get("methods") or []),
            mode=stored(ImprovementMode, row.get("mode")),
            project_status=stored(ProjectStatus, row.get("projectStatus")),
            start_date=row.get("startDate"),
            end_date=row.get("endDate"),
            url=_text(row, "url"),
            problem=_text(row, "problem"),
            what_was_done=_text(row, "whatWasDone"),
            results=_text(row, "results"),
            lessons_learned=_text(row, "lessonsLearned"),
            submitted_at=row["submittedAt"],
            updated_at=row["updatedAt"],
            rejection_reason=_text(row, "rejectionReason"),
            graph_id=records.graph_id(row["source"], row["id"])
            if approved and row.get("source")
            else None,
        )

    @strawberry.field(
        description="Every partner whose partner admins may moderate it (those whose sources "
        "list its organisation); empty: hub admins only."
    )
    def partners(self) -> list[strawberry.ID]:
        return [strawberry.ID(p) for p in self.row.get("partners") or []]

    @strawberry.field(description="The known organisation it is from (null for a new name).")
    async def organisation(self, info: Info) -> Organisation | None:
        organisation_id = self.row.get("organisationId")
        if not organisation_id:
            return None
        return await Organisation.resolve_reference(info, strawberry.ID(organisation_id))

    @strawberry.field
    def topics(self) -> list[SubmissionTopic]:
        ids, labels = self.row.get("topics") or [], self.row.get("topicLabels") or []
        return [
            SubmissionTopic(id=strawberry.ID(i), label=n) for i, n in zip(ids, labels, strict=True)
        ]

    @strawberry.field
    def attachments(self) -> list[Attachment]:
        return [
            Attachment(
                id=strawberry.ID(f["id"]),
                name=f["name"],
                content_type=f["contentType"],
                size=f["size"],
                sha256=f["sha256"],
                url=file_url(f["id"]),
            )
            for f in self.row.get("attachments") or []
        ]

    @strawberry.field(description="Whether the caller submitted it.")
    def mine(self, info: Info) -> bool:
        info.context.answer_is_for_this_caller()
        return is_submitter(info.context.viewer, self.row)

    @strawberry.field(
        description="Who to talk to about it: for its submitter and moderators only (once "
        "approved, the person is in the graph with the consent given)."
    )
    def contributor(self, info: Info) -> Contributor | None:
        viewer = info.context.viewer
        info.context.answer_is_for_this_caller()
        name = _text(self.row, "contributorName")
        if name is None or not (is_submitter(viewer, self.row) or may_moderate(viewer, self.row)):
            return None
        return Contributor(
            name=name,
            role=_text(self.row, "contributorRole"),
            kind=stored(PersonKind, self.row.get("contributorKind")),
            show_kind=bool(self.row.get("contributorKindConsent")),
            listed=bool(self.row.get("contributorPublic")),
        )

    @strawberry.field(description="Whether the caller may approve or reject it now.")
    def may_moderate(self, info: Info) -> bool:
        info.context.answer_is_for_this_caller()
        return self.row.get("status") == store.PENDING and may_approve(
            info.context.viewer, self.row
        )

    @strawberry.field(
        description="Every decision, oldest first (the first 100): for its submitter and "
        "moderators only (empty for others)."
    )
    def decisions(self, info: Info) -> list[SubmissionDecision]:
        info.context.answer_is_for_this_caller()
        viewer = info.context.viewer
        if not (is_submitter(viewer, self.row) or may_moderate(viewer, self.row)):
            return []
        return [
            SubmissionDecision(
                action=SubmissionAction(d["action"]), by=d["by"], at=d["at"], reason=d["reason"]
            )
            for d in self.row.get("decisions") or []
        ]


@strawberry.type(description="An existing project like a draft, and why.")
class SimilarWork:
    project: Project
    score: float = strawberry.field(description="0 to 1.")
    kind: SimilarityKind
    reasons: list[str] = strawberry.field(description="The shared evidence, strongest first.")
    explanation: str


# -- checking input ---------------------------------------------------------------------------


def _vocabulary(info: Info) -> Vocabulary:
    request = info.context.request
    options = getattr(request.app.state, "ingest_options", None) if request else None
    return options.vocabulary if options is not None else Vocabulary.load()


def _bounded(
    errors: list[tuple[str, str]], where: str, value: str | None, most: int, *, required: bool
) -> str | None:
    text = value.strip() if value is not None else None
    if not text:
        if required:
            errors.append((where, "give some text; it must not be blank"))
        return None
    if len(text) > most:
        errors.append((where, f"at most {most} characters (got {len(text)}); shorten it"))
    return text


def _given_labels(errors: list[tuple[str, str]], where: str, values: list[str]) -> dict[str, int]:
    """Each label given (stripped, checked), first seen first, with its index in ``values``."""
    if len(values) > MAX_LABELS:
        errors.append((where, f"at most {MAX_LABELS} (got {len(values)})"))
    kept: dict[str, int] = {}
    for i, value in enumerate(values[:MAX_LABELS]):
        text = _bounded(errors, f"{where}[{i}]", value, MAX_LABEL, required=True)
        if text:
            kept.setdefault(text, i)
    return kept


def _labels(errors: list[tuple[str, str]], where: str, values: list[str]) -> list[str]:
    return list(_given_labels(errors, where, values))


def _topics(
    errors: list[tuple[str, str]], where: str, values: list[str], vocabulary: Vocabulary
) -> dict[str, str]:
    found: dict[str, str] = {}
    for label, i in _given_labels(errors, where, values).items():
        topic = vocabulary.resolve(label)
        if topic.candidate:
            errors.append(
                (
                    f"{where}[{i}]",
                    f"`{label}` is not a topic of the vocabulary; use a topic's id, label or "
                    "synonym (the `topics` query lists them)",
                )
            )
        else:
            found[topic.id] = topic.label
    return found


def _dates(errors: list[tuple[str, str]], where: str, start: date | None, end: date | None) -> None:
    if start and end and end < start:
        errors.append((f"{where}.endDate", f"{end} is before startDate {start}"))


_RECORD_FIELDS = {
    "start_date": "startDate",
    "end_date": "endDate",
    "lead_organisation": "organisation",
    "organisation": "organisation",
    "published": "startDate",
    "status": "status",
}


async def _checked(
    info: Info, given: SubmissionInput, viewer: Viewer
) -> tuple[dict[str, Any], list[str]]:
    """The submission's stored fields and its attachments' ids; InvalidInput naming every bad
    field otherwise."""
    errors: list[tuple[str, str]] = []
    graph = info.context.graph
    title = _bounded(errors, "input.title", given.title, MAX_TITLE, required=True)
    texts = {
        key: _bounded(errors, f"input.{key}", getattr(given, attr), most, required=False)
        for key, attr, most in (
            ("summary", "summary", MAX_SUMMARY),
            ("aim", "aim", MAX_SUMMARY),
            ("problem", "problem", MAX_SECTION),
            ("whatWasDone", "what_was_done", MAX_SECTION),
            ("results", "results", MAX_SECTION),
            ("lessonsLearned", "lessons_learned", MAX_SECTION),
        )
    }
    new_name = _bounded(
        errors, "input.newOrganisationName", given.new_organisation_name, MAX_NAME, required=False
    )
    known = None
    if given.organisation and new_name:
        errors.append(
            ("input.newOrganisationName", "give either `organisation` or a new name, not both")
        )
    elif given.organisation:
        known = await store.organisation(graph, str(given.organisation))
        if known is None:
            errors.append(
                (
                    "input.organisation",
                    f"no organisation `{given.organisation}`; find its id with the "
                    "`organisations` or `search` query, or give `newOrganisationName`",
                )
            )
    elif not new_name:
        errors.append(
            (
                "input.organisation",
                "give the id of the organisation the work is from, or `newOrganisationName` "
                "for one the hub does not know yet",
            )
        )
    topics = _topics(errors, "input.topics", given.topics, _vocabulary(info))
    methods = _labels(errors, "input.methods", given.methods)
    _dates(errors, "input", given.start_date, given.end_date)
    url = given.url.strip() if given.url and given.url.strip() else None
    if url and (not URL.match(url) or len(url) > 2000):
        errors.append(("input.url", "give a web address starting http:// or https://"))
    attachments = list(dict.fromkeys(str(a) for a in given.attachments))
    if len(attachments) > MAX_ATTACHMENTS:
        errors.append(("input.attachments", f"at most {MAX_ATTACHMENTS} files"))
    elif attachments:
        assert viewer.subject is not None
        own = await store.own_files(graph, attachments, viewer.subject)
        errors += [
            (
                f"input.attachments[{i}]",
                f"no upload `{a}` of yours; upload the file with POST /files and use its id",
            )
            for i, a in enumerate(attachments)
            if a not in own
        ]
    contributor = _contributor(errors, given.contributor)
    props: dict[str, Any] = {
        **contributor,
        "kind": given.kind.value,
        "title": title,
        **texts,
        "organisationId": known.id if known else None,
        "organisationName": known.name if known else None,
        "organisationOds": known.ods_code if known else None,
        "newOrganisationName": None if known else new_name,
        "partner": known.partner if known else None,
        "partners": list(known.partners) if known else [],
        "topics": list(topics),
        "topicLabels": list(topics.values()),
        "methods": methods,
        "mode": given.mode.value if given.mode else None,
        "projectStatus": given.status.value if given.status else None,
        "startDate": given.start_date,
        "endDate": given.end_date,
        "url": url,
    }
    if not errors:
        try:  # what ingestion will check when it is approved, checked now
            records.main_record({**props, "id": "check"}, "check")
            records.contributor_record(props, "check")
        except ValidationError as error:
            for problem in error.errors():
                field = str(problem["loc"][0]) if problem["loc"] else "input"
                name = _RECORD_FIELDS.get(field, field)
                errors.append((f"input.{name}", problem["msg"].removeprefix("Value error, ")))
    if errors:
        raise InvalidInput(errors)
    return props, attachments


def _contributor(errors: list[tuple[str, str]], given: ContributorInput | None) -> dict[str, Any]:
    """The contributor's stored fields (all None without one, so an edit can remove them); a
    kind is kept only where they agreed to show it, as ingestion keeps a person's."""
    if given is None:
        return dict.fromkeys(CONTRIBUTOR_FIELDS)
    name = _bounded(errors, "input.contributor.name", given.name, MAX_NAME, required=True)
    role = _bounded(errors, "input.contributor.role", given.role, MAX_NAME, required=False)
    if given.kind is not None and not given.show_kind:
        errors.append(
            (
                "input.contributor.showKind",
                "a kind is kept only when they agree to show it: set `showKind`, or leave "
                "`kind` out",
            )
        )
    return {
        "contributorName": name,
        "contributorRole": role,
        "contributorKind": given.kind.value if given.kind and given.show_kind else None,
        "contributorKindConsent": given.show_kind,
        "contributorPublic": given.listed,
    }


CONTRIBUTOR_FIELDS = (
    "contributorName",
    "contributorRole",
    "contributorKind",
    "contributorKindConsent",
    "contributorPublic",
)


def _rate_limit(info: Info, viewer: Viewer) -> None:
    request = info.context.request
    limiter = getattr(request.app.state, "submission_limiter", None) if request else None
    if limiter is None:
        return
    per_minute = request.app.state.submission_rate_limit  # type: ignore[union-attr]
    wait = limiter.take(f"submit:{viewer.subject}", per_minute)
    if wait is not None:
        seconds = max(1, int(wait + 0.999))
        raise Refused(
            f"Too many submissions: at most {per_minute} a minute. Try again in {seconds} s.",
            "RATE_LIMITED",
            retryAfter=seconds,
        )


async def _publish(info: Info, source: str | None) -> None:
    if not source:
        return
    request = info.context.request
    options = getattr(request.app.state, "ingest_options", None) if request else None
    await publish.publish(info.context.graph, source, options or IngestOptions())


def _published_source(before: dict[str, Any]) -> str | None:
    """The source an approved submission is published by (None for any other status)."""
    return before.get("source") if before["status"] == store.APPROVED else None


async def _written(info: Info, row: dict[str, Any], source: str | None) -> Submission:
    """After a write: publish ``source`` again if it changed, bump the graph's version (the
    impact figures count submissions, so every write changes a public answer)."""
    await _publish(info, source)
    await bump_version(info.context.graph)
    info.context.answer_is_for_this_caller()
    return Submission.from_row(row)


async def _readable(info: Info, submission_id: str) -> dict[str, Any]:
    row = await store.by_id(info.context.graph, submission_id)
    if row is None or not may_read(info.context.viewer, row):
        raise Refused(f"No submission `{submission_id}` that you may see.")
    return row


def _statuses(given: list[SubmissionStatus] | None) -> list[str] | None:
    return [s.value for s in given] if given else None


@strawberry.type
class ContributionsQuery:
    @strawberry.field(
        description="The caller's own submissions, newest first. Signed-in callers only.",
        extensions=SIGNED_IN,
    )
    async def my_submissions(
        self,
        info: Info,
        status: list[SubmissionStatus] | None = None,
        first: int | None = DEFAULT_PAGE,
    ) -> list[Submission]:
        info.context.answer_is_for_this_caller()
        viewer = info.context.viewer
        rows = await store.mine(
            info.context.graph, str(viewer.subject), _statuses(status), page_size(first)
        )
        return [Submission.from_row(row) for row in rows]

    @strawberry.field(
        description="Submissions to moderate, oldest first (default: PENDING ones): a partner "
        "admin's own partner's, or all for hub admins.",
        extensions=SIGNED_IN,
    )
    async def submissions_to_moderate(
        self,
        info: Info,
        status: list[SubmissionStatus] | None = None,
        first: int | None = DEFAULT_PAGE,
    ) -> list[Submission]:
        info.context.answer_is_for_this_caller()
        viewer = info.context.viewer
        if not viewer.sees_sync_runs:
            raise Refused("Only partner admins and hub admins moderate submissions.", "FORBIDDEN")
        rows = await store.to_moderate(
            info.context.graph,
            viewer.sync_runs_partner,
            _statuses(status) or [store.PENDING],
            page_size(first),
        )
        return [Submission.from_row(row) for row in rows]

    @strawberry.field(
        description="One submission: approved ones for anyone, others for their submitter and "
        "moderators only (null for everyone else)."
    )
    async def submission(self, info: Info, id: strawberry.ID) -> Submission | None:
        info.context.answer_is_for_this_caller()
        row = await store.by_id(info.context.graph, str(id))
        if row is None or not may_read(info.context.viewer, row):
            return None
        return Submission.from_row(row)

    @strawberry.field(
        description="The existing projects most like a draft, best first, with the reasons: "
        "for showing similar work while a project is being written. Writes nothing; "
        f"`first` at most {drafts.MAX_SIMILAR}."
    )
    async def similar_to(
        self,
        info: Info,
        draft: DraftProjectInput,
        first: Annotated[
            int, strawberry.argument(description=f"default 5, at most {drafts.MAX_SIMILAR}")
        ] = 5,
    ) -> list[SimilarWork]:
        errors: list[tuple[str, str]] = []
        if not 1 <= first <= drafts.MAX_SIMILAR:
            errors.append(("first", f"between 1 and {drafts.MAX_SIMILAR} (got {first})"))
        title = _bounded(errors, "draft.title", draft.title, MAX_TITLE, required=False)
        summary = _bounded(errors, "draft.summary", draft.summary, MAX_SUMMARY, required=False)
        aim = _bounded(errors, "draft.aim", draft.aim, MAX_SUMMARY, required=False)
        topics = _labels(errors, "draft.topics", draft.topics)
        methods = _labels(errors, "draft.methods", draft.methods)
        if errors:
            raise InvalidInput(errors)
        if not (title or summary or aim):
            return []
        found = await drafts.similar_to_draft(
            info.context.graph,
            drafts.Draft(
                title=title or "",
                summary=summary,
                aim=aim,
                organisation=str(draft.organisation) if draft.organisation else None,
                topics=topics,
                methods=methods,
                start=draft.start_date,
                end=draft.end_date,
            ),
            _vocabulary(info),
            first,
        )
        ids = [f.project for f in found]
        rows = await info.context.loaders.node(PROJECT).load_many(ids)
        return [
            SimilarWork(
                project=Project.from_row(row),
                score=f.pair.score,
                kind=SimilarityKind(f.pair.kind),
                reasons=list(f.pair.reasons),
                explanation=f.pair.explanation,
            )
            for f, row in zip(found, rows, strict=True)
            if row is not None
        ]


@strawberry.type
class ContributionsMutation:
    @strawberry.mutation(
        description="Share a project or a resource; it is PENDING until a moderator approves "
        "it. Signed-in callers only; limited per caller.",
        extensions=SIGNED_IN,
    )
    async def submit_contribution(self, info: Info, input: SubmissionInput) -> Submission:
        viewer = info.context.viewer
        _rate_limit(info, viewer)
        props, files = await _checked(info, input, viewer)
        row = await store.create(info.context.graph, props, files, str(viewer.subject))
        return await _written(info, row, None)

    @strawberry.mutation(
        description="Replace one's own submission with `input` (every field); it becomes "
        "PENDING again, and an approved one leaves the graph until it is approved again.",
        extensions=SIGNED_IN,
    )
    async def edit_submission(
        self, info: Info, id: strawberry.ID, input: SubmissionInput
    ) -> Submission:
        viewer = info.context.viewer
        before = await _readable(info, str(id))
        if not is_submitter(viewer, before):
            raise Refused("Only its submitter may edit a submission.", "FORBIDDEN")
        if before["status"] == store.WITHDRAWN:
            raise Refused("This submission was withdrawn; submit the work again instead.")
        _rate_limit(info, viewer)
        props, files = await _checked(info, input, viewer)
        row = await store.edit(info.context.graph, str(id), props, files, str(viewer.subject))
        if row is None:
            raise Refused("This submission was withdrawn meanwhile; nothing was changed.")
        return await _written(info, row, _published_source(before))

    @strawberry.mutation(
        description="Withdraw one's own submission; an approved one leaves the graph.",
        extensions=SIGNED_IN,
    )
    async def withdraw_submission(self, info: Info, id: strawberry.ID) -> Submission:
        viewer = info.context.viewer
        before = await _readable(info, str(id))
        if not is_submitter(viewer, before):
            raise Refused("Only its submitter may withdraw a submission.", "FORBIDDEN")
        row = await store.decide(
            info.context.graph,
            str(id),
            action="withdrawn",
            to=store.WITHDRAWN,
            from_statuses=[store.PENDING, store.APPROVED, store.REJECTED],
            by=str(viewer.subject),
        )
        if row is None:
            raise Refused("This submission is withdrawn already.")
        return await _written(info, row, _published_source(before))

    @strawberry.mutation(
        description="Approve a PENDING submission: it enters the graph as its partner's "
        "contributions source (approving an APPROVED one publishes it again). Partner "
        "admins (their partner's) and hub admins; only hub admins approve one naming a new "
        "organisation.",
        extensions=SIGNED_IN,
    )
    async def approve_submission(
        self, info: Info, id: strawberry.ID, note: str | None = None
    ) -> Submission:
        viewer = info.context.viewer
        before = await _moderated(info, str(id))
        if not may_approve(viewer, before):
            raise Refused(
                "Only a hub admin may approve a submission naming a new organisation "
                "(approving it confirms the organisation).",
                "FORBIDDEN",
            )
        if before["status"] == store.APPROVED and before.get("source"):
            # Approving again publishes again (no new decision): the way to finish a
            # publication that failed after the approval was recorded.
            return await _written(info, before, before["source"])
        errors: list[tuple[str, str]] = []
        note = _bounded(errors, "note", note, MAX_SECTION, required=False)
        if errors:
            raise InvalidInput(errors)
        source = records.source_of(before.get("partner"))
        row = await store.decide(
            info.context.graph,
            str(id),
            action="approved",
            to=store.APPROVED,
            from_statuses=[store.PENDING],
            by=str(viewer.subject),
            reason=note,
            source=source,
        )
        if row is None:
            raise Refused("Only a PENDING submission can be approved; it was decided meanwhile.")
        return await _written(info, row, source)

    @strawberry.mutation(
        description="Reject a PENDING submission with a reason its submitter sees. Partner "
        "admins (their partner's) and hub admins.",
        extensions=SIGNED_IN,
    )
    async def reject_submission(self, info: Info, id: strawberry.ID, reason: str) -> Submission:
        viewer = info.context.viewer
        await _moderated(info, str(id))
        errors: list[tuple[str, str]] = []
        text = _bounded(errors, "reason", reason, MAX_SECTION, required=True)
        if errors:
            raise InvalidInput(errors)
        row = await store.decide(
            info.context.graph,
            str(id),
            action="rejected",
            to=store.REJECTED,
            from_statuses=[store.PENDING],
            by=str(viewer.subject),
            reason=text,
        )
        if row is None:
            raise Refused("Only a PENDING submission can be rejected; it was decided meanwhile.")
        return await _written(info, row, None)


async def _moderated(info: Info, submission_id: str) -> dict[str, Any]:
    """The submission, if the caller may moderate it; Refused otherwise."""
    row = await _readable(info, submission_id)
    if not may_moderate(info.context.viewer, row):
        raise Refused(
            "Only a partner admin of the submission's partner, or a hub admin, may decide it.",
            "FORBIDDEN",
        )
    return row
