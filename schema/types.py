"""The entity types of the API and the evidence types around them.

Entities (Project, Person, Organisation, Resource, Topic) are federation entities keyed by
``id``. Each is built from a row that ``graph.queries`` returned, by its entity's field table
(``schema/rows.py``); nested fields load through the request's DataLoaders, so a page of fifty
costs the same few queries as a page of five.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Self, TypeVar

import strawberry
from strawberry.types import Info

from graph.contributions.records import shared_file
from graph.queries import fields, organisations, people, projects, resources, systems, topics
from schema.enums import (
    ImprovementMode,
    Offer,
    PersonKind,
    ProjectStatus,
    ResourceType,
    Sector,
    SystemKind,
    stored,
)
from schema.pagination import DEFAULT_PAGE, page_size
from schema.permissions import profile
from schema.personal import PROFILE_HELP, Personal, may_see_contact
from schema.rows import Rows, strings

if TYPE_CHECKING:
    from schema.duplicates import SimilarProject
    from schema.events import Module, Programme, VisitOffer

Row = dict[str, Any]
T = TypeVar("T")
FIRST_HELP = "How many to return (default 20, at most 100)."


def _now_or_later(
    rows: list[Row] | None, load: Callable[[], Awaitable[list[Row]]], make: Callable[[list[Row]], T]
) -> T:
    """``make(rows)`` at once when the rows are already here, else an awaitable of it.

    graphql-core awaits whatever a resolver returns that is awaitable, so a field declared with
    a plain (sync) resolver can take either path. Resolving at once saves the coroutine, the
    task and the event-loop turn an async resolver costs for every item of a nested list.
    """
    if rows is not None:
        return make(rows)

    async def later() -> T:
        return make(await load())

    return later()  # type: ignore[return-value]


CHANGED_AT_HELP = (
    "When this hub last changed it (a pull brought new content); what `updatedSince` and "
    "`orderBy: {field: LAST_UPDATED}` read."
)
FILES_PATH = "/files/"
"""Where the hub serves uploaded files (``hub.web.files``), each at ``/files/<id>``."""
GRAPHQL_PATH = "/graphql"
_ORGANISATION_PROJECTS = {
    None: organisations.PROJECTS,
    True: organisations.RUNS,
    False: organisations.PARTNERS_IN,
}
"""``Organisation.projects`` by its ``lead`` argument."""


def file_url(file_id: str) -> str:
    """Where this hub serves an uploaded file."""
    return FILES_PATH + file_id


SAME_AS_HELP = (
    "The same thing at other Convener hubs it was pulled from, each as "
    "`<hub's GraphQL URL>#<its id there>`."
)


@strawberry.federation.type(keys=["id"], description="An improvement project, as partners list it.")
class Project:
    id: strawberry.ID
    title: str
    summary: str | None
    aim: str | None
    status: ProjectStatus | None
    start_date: date | None
    end_date: date | None
    methods: list[str] = strawberry.field(
        description="Improvement methods, as the partner names them."
    )
    mode: ImprovementMode | None
    url: str | None
    updated_at: datetime | None = strawberry.field(
        description="When its source last changed it, as the source says."
    )
    changed_at: datetime | None = strawberry.field(description=CHANGED_AT_HELP)
    same_as: list[str] = strawberry.field(description=SAME_AS_HELP)
    stored_visits: strawberry.Private[str | None] = None
    """The "go and see" offer as stored (JSON); ``visits`` reads it."""
    fetched: strawberry.Private[Row | None] = None
    """Lists a page fetched in its own statement with this project (``schema/lookahead.py``):
    ``organisations``, ``topics``, and ``people`` up to ``peopleLimit`` each, as far as the page
    selected them. Nested fields read them here at once; anything else goes through a loader."""

    @classmethod
    def from_row(cls, row: Row, fetched: Row | None = None) -> Project:
        return PROJECT_ROWS.make(row, fetched=fetched, stored_visits=row.get("visits"))

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Project | None:
        row = await info.context.loaders.node(fields.PROJECT).load(str(id))
        return cls.from_row(row) if row else None

    def _fetched(self, name: str) -> list[Row] | None:
        return self.fetched.get(name) if self.fetched is not None else None

    def _organisation_rows(self, info: Info) -> Callable[[], Awaitable[list[Row]]]:
        return lambda: info.context.loaders.related(projects.ORGANISATIONS).load(str(self.id))

    # The nested lists below are plain resolvers that answer at once from ``fetched`` and
    # return an awaitable (the loader) otherwise: see ``_now_or_later``.

    @strawberry.field(description="The lead organisation first, then partners.")
    def organisations(self, info: Info) -> list[ProjectOrganisation]:
        return _now_or_later(
            self._fetched("organisations"), self._organisation_rows(info), _project_organisations
        )

    @strawberry.field(description="The organisation that runs the project.")
    def lead_organisation(self, info: Info) -> Organisation | None:
        return _now_or_later(
            self._fetched("organisations"), self._organisation_rows(info), _lead_organisation
        )

    @strawberry.field
    def topics(self, info: Info) -> list[Topic]:
        return _now_or_later(
            self._fetched("topics"),
            lambda: info.context.loaders.related(projects.TOPICS).load(str(self.id)),
            _topics,
        )

    @strawberry.field(description="People working on the project, by name.")
    def people(self, info: Info, first: int | None = DEFAULT_PAGE) -> list[ProjectMember]:
        size = page_size(first)
        rows = self._fetched("people")
        if rows is not None and self.fetched is not None and size <= self.fetched["peopleLimit"]:
            rows = rows[:size]
        else:
            rows = None
        return _now_or_later(
            rows,
            lambda: info.context.loaders.related(projects.PEOPLE, size).load(str(self.id)),
            _members,
        )

    @strawberry.field(description="Resources (case studies, toolkits...) from the project.")
    async def resources(self, info: Info, first: int | None = DEFAULT_PAGE) -> list[Resource]:
        size = page_size(first)
        rows = await info.context.loaders.related(projects.RESOURCES, size).load(str(self.id))
        return [Resource.from_row(row) for row in rows]

    @strawberry.field(
        description="Projects elsewhere that look like this one, best first, with the evidence: "
        "duplicates and collaborations (shared people or a declared partnership). Dismissed "
        "pairs are left out."
    )
    async def similar(
        self, info: Info, first: int | None = None
    ) -> list[Annotated[SimilarProject, strawberry.lazy("schema.duplicates")]]:
        from schema.duplicates import similar_projects  # it imports this module

        return await similar_projects(info, str(self.id), first)

    @strawberry.field(
        description='"Go and see": visits the team offers, and how to ask; null when none '
        "are offered (with `upcoming`, the default: none still to come or on request)."
    )
    def visits(
        self, upcoming: bool = True
    ) -> Annotated[VisitOffer, strawberry.lazy("schema.events")] | None:
        from schema.events import visit_offer  # it imports this module

        return visit_offer(self.stored_visits, upcoming=upcoming)


@strawberry.type(description="An organisation's part in a project.")
class ProjectOrganisation:
    lead: bool = strawberry.field(description="True for the organisation that runs the project.")
    organisation: Organisation


@strawberry.type(description="A person's part in a project.")
class ProjectMember:
    role: str | None
    person: Person


def _project_organisations(rows: list[Row]) -> list[ProjectOrganisation]:
    return [
        ProjectOrganisation(
            lead=row["lead"], organisation=Organisation.from_row(row["organisation"])
        )
        for row in rows
    ]


def _lead_organisation(rows: list[Row]) -> Organisation | None:
    return next((Organisation.from_row(r["organisation"]) for r in rows if r["lead"]), None)


def _topics(rows: list[Row]) -> list[Topic]:
    return [Topic.from_row(row) for row in rows]


def _members(rows: list[Row]) -> list[ProjectMember]:
    return [ProjectMember(role=r["role"], person=Person.from_row(r["person"])) for r in rows]


@strawberry.type(description="A project a person works on, and their role in it.")
class PersonProject:
    role: str | None
    project: Project


@strawberry.type(description="A project an organisation runs or partners in.")
class OrganisationProject:
    lead: bool
    project: Project


@strawberry.type(description="How to reach a person. Personal data.")
class Contact:
    email: str | None
    phone: str | None


@strawberry.federation.type(
    keys=["id"], description="A person working on improvement, as sources list them."
)
class Person:
    id: strawberry.ID
    name: str
    role: str | None
    same_as: list[str] = strawberry.field(
        description="The same person at other Convener hubs they were pulled from, each as "
        "`<hub's GraphQL URL>#<their id there>`."
    )
    row: strawberry.Private[Row]

    @classmethod
    def from_row(cls, row: Row) -> Person:
        return PERSON_ROWS.make(row, row=row)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Person | None:
        row = await info.context.loaders.node(fields.PERSON).load(str(id))
        return cls.from_row(row) if row else None

    def offer_list(self) -> list[Offer]:
        return [o for o in (stored(Offer, v) for v in self.row.get("offers") or []) if o]

    @strawberry.field(description=f"ORCID iD. {PROFILE_HELP}", directives=[Personal()])
    def orcid(self, info: Info) -> str | None:
        return profile(info, self.row.get("orcid"))

    @strawberry.field(description=f"In the person's words. {PROFILE_HELP}", directives=[Personal()])
    def bio(self, info: Info) -> str | None:
        return profile(info, self.row.get("bio"))

    @strawberry.field(description=f"Mentoring, coaching. {PROFILE_HELP}", directives=[Personal()])
    def offers(self, info: Info) -> list[Offer] | None:
        return profile(info, self.offer_list())

    @strawberry.field(
        description=f"Whether the person offers mentoring. {PROFILE_HELP}",
        directives=[Personal()],
    )
    def offers_mentoring(self, info: Info) -> bool | None:
        return profile(info, Offer.MENTORING in self.offer_list())

    @strawberry.field(
        description=f"Whether the person offers coaching. {PROFILE_HELP}", directives=[Personal()]
    )
    def offers_coaching(self, info: Info) -> bool | None:
        return profile(info, Offer.COACHING in self.offer_list())

    @strawberry.field(
        description="Staff, patient or carer, lived-experience partner, volunteer or student: "
        f"only where the person consented to showing it. {PROFILE_HELP}",
        directives=[Personal()],
    )
    def kind(self, info: Info) -> PersonKind | None:
        return profile(info, stored(PersonKind, self.row.get("personKind")))

    @strawberry.field(
        description="E-mail and phone, where the person consented and the caller may see them.",
        directives=[Personal()],
    )
    def contact(self, info: Info) -> Contact | None:
        if not may_see_contact(info, self.row):
            return None
        email, phone = self.row.get("email"), self.row.get("phone")
        return Contact(email=email, phone=phone) if email or phone else None

    @strawberry.field
    async def organisations(self, info: Info) -> list[Organisation]:
        rows = await info.context.loaders.related(people.ORGANISATIONS).load(str(self.id))
        return [Organisation.from_row(row) for row in rows]

    @strawberry.field(description="Projects the person works on, by title.")
    async def projects(self, info: Info, first: int | None = DEFAULT_PAGE) -> list[PersonProject]:
        size = page_size(first)
        rows = await info.context.loaders.related(people.PROJECTS, size).load(str(self.id))
        return [PersonProject(role=r["role"], project=Project.from_row(r["project"])) for r in rows]

    @strawberry.field(description="Topics the person says they work on or care about.")
    async def interests(self, info: Info) -> list[Topic]:
        rows = await info.context.loaders.related(people.INTERESTS).load(str(self.id))
        return [Topic.from_row(row) for row in rows]


@strawberry.federation.type(keys=["id"], description="A partner organisation.")
class Organisation:
    id: strawberry.ID = strawberry.field(
        description="`ods:<code>` for NHS bodies, else `org:<slug>`."
    )
    name: str
    ods_code: str | None
    sector: Sector | None
    org_type: str | None
    website: str | None
    aliases: list[str]
    changed_at: datetime | None = strawberry.field(description=CHANGED_AT_HELP)
    same_as: list[str] = strawberry.field(description=SAME_AS_HELP)

    @classmethod
    def from_row(cls, row: Row) -> Organisation:
        return ORGANISATION_ROWS.make(row)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Organisation | None:
        row = await info.context.loaders.node(fields.ORGANISATION).load(str(id))
        return cls.from_row(row) if row else None

    @strawberry.field
    async def systems(self, info: Info) -> list[System]:
        rows = await info.context.loaders.related(organisations.SYSTEMS).load(str(self.id))
        return [System.from_row(row) for row in rows]

    @strawberry.field(description="Projects the organisation runs or partners in, by title.")
    async def projects(
        self,
        info: Info,
        first: int | None = DEFAULT_PAGE,
        lead: Annotated[
            bool | None,
            strawberry.argument(
                description="True: only the projects it runs; false: only those it partners "
                "in and does not run; omitted: both."
            ),
        ] = None,
    ) -> list[OrganisationProject]:
        size = page_size(first)
        related = _ORGANISATION_PROJECTS[lead]
        rows = await info.context.loaders.related(related, size).load(str(self.id))
        return [
            OrganisationProject(lead=r["lead"], project=Project.from_row(r["project"]))
            for r in rows
        ]

    @strawberry.field(description="People who work for the organisation, by name.")
    async def people(self, info: Info, first: int | None = DEFAULT_PAGE) -> list[Person]:
        size = page_size(first)
        rows = await info.context.loaders.related(organisations.PEOPLE, size).load(str(self.id))
        return [Person.from_row(row) for row in rows]


@strawberry.type(description="An integrated care system or a region.")
class System:
    id: strawberry.ID
    name: str
    kind: SystemKind | None

    @classmethod
    def from_row(cls, row: Row) -> System:
        return SYSTEM_ROWS.make(row)

    @strawberry.field(description="Systems that border this one.")
    async def neighbours(self, info: Info) -> list[System]:
        rows = await info.context.loaders.related(systems.NEIGHBOURS).load(str(self.id))
        return [System.from_row(row) for row in rows]

    @strawberry.field(description="Organisations in the system, by name.")
    async def organisations(
        self, info: Info, first: int | None = DEFAULT_PAGE
    ) -> list[Organisation]:
        size = page_size(first)
        rows = await info.context.loaders.related(systems.ORGANISATIONS, size).load(str(self.id))
        return [Organisation.from_row(row) for row in rows]


@strawberry.type(description="How much uses a topic (live items, listed people only).")
class TopicUsage:
    topic: strawberry.Private[str]

    @strawberry.field(description="Live projects about the topic.")
    async def projects(self, info: Info) -> int:
        return (await info.context.loaders.topic_usage().load(self.topic))["projects"]

    @strawberry.field(
        description="People interested in the topic (listed ones only, unless "
        "the caller may see everyone)."
    )
    async def people(self, info: Info) -> int:
        return (await info.context.loaders.topic_usage().load(self.topic))["people"]

    @strawberry.field(description="Live resources about the topic.")
    async def resources(self, info: Info) -> int:
        return (await info.context.loaders.topic_usage().load(self.topic))["resources"]


@strawberry.federation.type(keys=["id"], description="A topic of the shared vocabulary.")
class Topic:
    id: strawberry.ID = strawberry.field(
        description="The vocabulary id, or `candidate:<slug>` for a label no vocabulary knows."
    )
    label: str
    synonyms: list[str]
    candidate: bool = strawberry.field(description="True when no vocabulary knows this topic yet.")

    @classmethod
    def from_row(cls, row: Row) -> Topic:
        return TOPIC_ROWS.make(row)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Topic | None:
        row = await info.context.loaders.node(fields.TOPIC).load(str(id))
        return cls.from_row(row) if row else None

    @strawberry.field
    async def broader(self, info: Info) -> list[Topic]:
        rows = await info.context.loaders.related(topics.BROADER).load(str(self.id))
        return [Topic.from_row(row) for row in rows]

    @strawberry.field
    async def narrower(self, info: Info) -> list[Topic]:
        rows = await info.context.loaders.related(topics.NARROWER).load(str(self.id))
        return [Topic.from_row(row) for row in rows]

    @strawberry.field(description="Counts of projects, people and resources about this topic.")
    def usage(self) -> TopicUsage:
        return TopicUsage(topic=str(self.id))


@strawberry.federation.type(keys=["id"], description="A case study, toolkit, guide, event...")
class Resource:
    id: strawberry.ID
    title: str
    resource_type: ResourceType | None
    summary: str | None
    url: str | None
    published: date | None
    # Events and training (issue 19): times carry the offset of where they happen.
    starts_at: datetime | None
    ends_at: datetime | None = strawberry.field(
        description="For an all-day event, midnight after its last day."
    )
    time_zone: str | None = strawberry.field(description="The IANA zone, e.g. Europe/London.")
    all_day: bool
    venue: str | None
    online: bool = strawberry.field(description="Online, or hybrid when a venue is given too.")
    booking_url: str | None
    audience: str | None = strawberry.field(description="Who it is for, in the source's words.")
    organiser: str | None
    places: int | None = strawberry.field(description="How many places, where the source says.")
    mode: ImprovementMode | None = strawberry.field(
        description="The mode of improvement it serves, where the source says."
    )
    changed_at: datetime | None = strawberry.field(description=CHANGED_AT_HELP)
    same_as: list[str] = strawberry.field(description=SAME_AS_HELP)
    row: strawberry.Private[Row]

    @classmethod
    def from_row(cls, row: Row) -> Resource:
        return RESOURCE_ROWS.make(row, row=row)

    @strawberry.field(
        description="For a file a member shared, approved: where to download it. "
        "`/files/<id>` on this hub; an absolute URL at the Convener hub it was pulled from."
    )
    def download(self) -> str | None:
        own = shared_file(str(self.id))
        if own is not None:
            return file_url(own)
        for same in self.same_as:
            graphql, _, origin_id = same.partition("#")
            theirs = shared_file(origin_id)
            if theirs is not None and graphql.endswith(GRAPHQL_PATH):
                return graphql.removesuffix(GRAPHQL_PATH) + file_url(theirs)
        return None

    @strawberry.field(description="The learning programme it belongs to.")
    def programme(self) -> Annotated[Programme, strawberry.lazy("schema.events")] | None:
        from schema.events import programme_of  # it imports this module

        return programme_of(self.row)

    @strawberry.field(description="The module of its programme it belongs to.")
    def module(self) -> Annotated[Module, strawberry.lazy("schema.events")] | None:
        from schema.events import module_of  # it imports this module

        return module_of(self.row)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Resource | None:
        row = await info.context.loaders.node(fields.RESOURCE).load(str(id))
        return cls.from_row(row) if row else None

    @strawberry.field
    async def topics(self, info: Info) -> list[Topic]:
        rows = await info.context.loaders.related(resources.TOPICS).load(str(self.id))
        return [Topic.from_row(row) for row in rows]

    @strawberry.field(description="The project the resource came from.")
    async def project(self, info: Info) -> Project | None:
        rows = await info.context.loaders.related(resources.PROJECTS).load(str(self.id))
        return Project.from_row(rows[0]) if rows else None

    @strawberry.field(description="The organisation that published it.")
    async def publisher(self, info: Info) -> Organisation | None:
        rows = await info.context.loaders.related(resources.PUBLISHERS).load(str(self.id))
        return Organisation.from_row(rows[0]) if rows else None


@strawberry.type(description="One pull of one source: what it created, changed and retired.")
class SyncRun:
    id: strawberry.ID
    source: str
    started_at: datetime | None
    ended_at: datetime | None
    status: str
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    retired: int
    rejected: int
    kept: int = strawberry.field(
        description="Rejected records the source still lists: kept as they were, not retired."
    )
    errors: list[str] = strawberry.field(
        description="The first 20 problems, each naming source, place and field."
    )
    notes: list[str] = strawberry.field(
        description="What else is worth knowing about the pull, e.g. why nothing was retired."
    )
    duration_ms: int | None
    flag_reason: str | None

    @classmethod
    def from_row(cls, row: Row) -> Self:
        return cls(
            id=strawberry.ID(row["id"]),
            source=row.get("source") or "",
            started_at=row.get("startedAt"),
            ended_at=row.get("endedAt"),
            status=row.get("status") or "unknown",
            dry_run=bool(row.get("dryRun")),
            created=row.get("created") or 0,
            updated=row.get("updated") or 0,
            unchanged=row.get("unchanged") or 0,
            retired=row.get("retired") or 0,
            rejected=row.get("rejected") or 0,
            kept=row.get("kept") or 0,
            errors=strings(row.get("errors")),
            notes=strings(row.get("notes")),
            duration_ms=row.get("durationMs"),
            flag_reason=row.get("flagReason"),
        )


PROJECT_ROWS = Rows(Project, fields.PROJECT)
PERSON_ROWS = Rows(Person, fields.PERSON)
ORGANISATION_ROWS = Rows(Organisation, fields.ORGANISATION)
SYSTEM_ROWS = Rows(System, fields.SYSTEM)
TOPIC_ROWS = Rows(Topic, fields.TOPIC)
RESOURCE_ROWS = Rows(Resource, fields.RESOURCE)
