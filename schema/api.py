"""The GraphQL schema: the root queries that partner sites, the explorer and other hubs use.

It is an Apollo Federation 2 subgraph: Project, Person, Organisation, Resource and Topic are
entities keyed by ``id``, so another hub's graph can extend them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.federation.schema import FederationAny
from strawberry.permission import PermissionExtension
from strawberry.types import ExecutionContext, Info

from graph import status
from graph.queries import (
    fields,
    links,
    matching,
    organisations,
    people,
    projects,
    resources,
    search,
    sync_runs,
    systems,
    topics,
)
from schema.context import Context
from schema.contributions import ContributionsMutation, ContributionsQuery
from schema.duplicates import DuplicatesMutation, DuplicatesQuery
from schema.enums import (
    ImprovementMode,
    Offer,
    PersonKind,
    ProjectStatus,
    ResourceType,
    SearchKind,
    Sector,
)
from schema.errors import UserError
from schema.events import EventsQuery
from schema.extensions import EXTENSIONS
from schema.federation import resolve_entities
from schema.impact import ImpactQuery
from schema.lookahead import (
    asks_for_link_examples,
    asks_for_link_topics,
    fetched_lists,
    link_projections,
    prime_projects,
    project_nesting,
    search_nesting,
    search_projections,
    unless_counted,
    who_else_projections,
)
from schema.ordering import (
    DateRange,
    Ordering,
    PersonOrdering,
    any_of,
    date_range,
    graph_order,
    moment,
    order_tag,
)
from schema.organisations import OrganisationsMutation, OrganisationsQuery
from schema.pagination import DEFAULT_PAGE, Connection, connection, decode_cursor, page_size
from schema.permissions import IsPartnerAdmin, IsSignedIn
from schema.results import OrganisationLink, PersonMatch, SearchHit
from schema.types import Organisation, Person, Project, Resource, SyncRun, System, Topic

MAX_TEXT = 200
TOPIC_HELP = (
    "A topic id (e.g. `falls`) or any label or synonym the vocabulary knows "
    "(e.g. `inpatient falls`). Narrower topics count too."
)
FIRST_HELP = "How many to return: default 20, at most 100."
AFTER_HELP = "The `endCursor` of the previous page."

TopicArg = Annotated[str | None, strawberry.argument(description=TOPIC_HELP)]
First = Annotated[int | None, strawberry.argument(description=FIRST_HELP)]
After = Annotated[str | None, strawberry.argument(description=AFTER_HELP)]
UpdatedSince = Annotated[
    datetime | None,
    strawberry.argument(
        description="Only what this hub changed at or after this moment (`changedAt`; without "
        "an offset, UTC): a peer hub passes the latest `changedAt` of its last pull."
    ),
]
OrderBy = Annotated[
    Ordering | None,
    strawberry.argument(description="Default: by title, ascending. Cursors keep the order."),
]
PersonOrderBy = Annotated[
    PersonOrdering | None,
    strawberry.argument(description="Default: by name, ascending. Cursors keep the order."),
]
ANY_TOPIC_HELP = "Any of these topics (ids, labels or synonyms); narrower topics count too."


def convener_version() -> str:
    try:
        return version("convener")
    except PackageNotFoundError:
        return "unknown"


def _text(value: str | None, argument: str) -> str | None:
    if value is not None and len(value) > MAX_TEXT:
        raise UserError(f"`{argument}` is at most {MAX_TEXT} characters (got {len(value)}).")
    return value


def _value(item: Any) -> Any:
    return item.value if item is not None else None


@strawberry.type(description="What this hub is and what it runs on.")
class About:
    name: str
    version: str
    neo4j_version: str


@strawberry.input(name="ProjectFilter", description="Each field given narrows the list.")
class ProjectFilterInput:
    topic: TopicArg = None
    organisation: strawberry.ID | None = None
    system: strawberry.ID | None = None
    status: ProjectStatus | None = None
    method: str | None = strawberry.field(
        default=None, description="An improvement method, e.g. `PDSA` (case ignored)."
    )
    mode: ImprovementMode | None = None
    text: str | None = strawberry.field(
        default=None, description="Words in the title, summary or aim."
    )
    topic_in: list[str] | None = strawberry.field(default=None, description=ANY_TOPIC_HELP)
    organisation_in: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Run by or in partnership with any of these."
    )
    status_in: list[ProjectStatus] | None = strawberry.field(
        default=None, description="Any of these statuses."
    )
    mode_in: list[ImprovementMode] | None = strawberry.field(
        default=None, description="Any of these modes of improvement."
    )
    started: DateRange | None = strawberry.field(
        default=None,
        description="Started on a day in this range (projects with no start date are left out).",
    )


@strawberry.input(name="PersonFilter", description="Each field given narrows the list.")
class PersonFilterInput:
    topic: TopicArg = None
    organisation: strawberry.ID | None = None
    system: strawberry.ID | None = None
    offers: list[Offer] | None = strawberry.field(
        default=None, description="People offering any of these."
    )
    topic_in: list[str] | None = strawberry.field(default=None, description=ANY_TOPIC_HELP)
    organisation_in: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Working for any of these."
    )
    kinds: list[PersonKind] | None = strawberry.field(
        default=None,
        description="People of any of these kinds who consented to showing it (sign-in needed).",
    )


@strawberry.input(name="ResourceFilter", description="Each field given narrows the list.")
class ResourceFilterInput:
    topic: TopicArg = None
    organisation: strawberry.ID | None = strawberry.field(
        default=None, description="The publisher."
    )
    project: strawberry.ID | None = None
    resource_type: ResourceType | None = None
    system: strawberry.ID | None = None
    text: str | None = strawberry.field(default=None, description="Words in the title or summary.")
    programme: strawberry.ID | None = strawberry.field(
        default=None, description="A learning programme's id."
    )
    module: strawberry.ID | None = strawberry.field(
        default=None, description="A programme module's id (`<programme>/<module>`)."
    )
    mode: ImprovementMode | None = strawberry.field(
        default=None, description="The resource's mode of improvement, else its project's."
    )
    topic_in: list[str] | None = strawberry.field(default=None, description=ANY_TOPIC_HELP)
    resource_type_in: list[ResourceType] | None = strawberry.field(
        default=None, description="Any of these kinds."
    )
    published: DateRange | None = strawberry.field(
        default=None, description="Published on a day in this range."
    )


def _person_kinds(info: Info, given: list[PersonKind] | None, where: str) -> tuple[str, ...]:
    """The kinds asked for; refused to anonymous callers, to whom a kind is never shown (the
    graph matches only people who consented to showing theirs)."""
    if given and not info.context.viewer.may_see_profile():
        raise UserError(
            f"Filtering people by `{where}` needs sign-in: a person's kind is personal data."
        )
    return tuple(dict.fromkeys(k.value for k in given or []))


def resource_filter(
    given: ResourceFilterInput | None, updated_since: datetime | None = None
) -> resources.ResourceFilter:
    """The graph's filter for what a caller gave (``resources`` and ``resourceFacets``)."""
    given = given or ResourceFilterInput()
    published_from, published_to = date_range(given.published, "filter.published")
    return resources.ResourceFilter(
        topics=tuple(
            _text(t, "filter.topicIn") or "" for t in any_of(given.topic_in, "filter.topicIn")
        ),
        resource_types=tuple(
            t.value for t in any_of(given.resource_type_in, "filter.resourceTypeIn")
        ),
        published_from=published_from,
        published_to=published_to,
        updated_since=moment(updated_since),
        topic=_text(given.topic, "filter.topic"),
        organisation=given.organisation,
        project=given.project,
        resource_type=_value(given.resource_type),
        system=given.system,
        text=_text(given.text, "filter.text"),
        programme=given.programme,
        module=given.module,
        mode=_value(given.mode),
    )


@strawberry.type
class Query(DuplicatesQuery, OrganisationsQuery, EventsQuery, ImpactQuery, ContributionsQuery):
    @strawberry.field(description="The hub's name and version, and the Neo4j it reads from.")
    async def about(self, info: Info[Context, None]) -> About:
        return About(
            name="Convener",
            version=convener_version(),
            neo4j_version=await status.server_version(info.context.graph),
        )

    @strawberry.field(
        description="Projects, people, resources, organisations and topics matching the words "
        "of `text` (misspelt ones too), and work tagged with a topic `text` names (or a narrower "
        "one), best first, each with why it matched."
    )
    async def search(
        self,
        info: Info[Context, None],
        text: str,
        kinds: list[SearchKind] | None = None,
        system: strawberry.ID | None = None,
        first: First = DEFAULT_PAGE,
    ) -> list[SearchHit]:
        rows = await search.search(
            info.context.graph,
            _text(text, "text") or "",
            kinds=[k.value for k in kinds] if kinds is not None else search.KINDS,
            system=system,
            public_only=info.context.viewer.public_only,
            may_read_bios=info.context.viewer.may_see_profile(),
            limit=page_size(first),
            projections=search_projections(info),
            nested=search_nesting(info),
        )
        return [SearchHit.from_row(row) for row in rows]

    @strawberry.field
    async def project(self, info: Info[Context, None], id: strawberry.ID) -> Project | None:
        return await Project.resolve_reference(info, id)

    @strawberry.field(
        description="Projects by title (or `orderBy`), filtered; a connection with keyset cursors."
    )
    async def projects(
        self,
        info: Info[Context, None],
        filter: ProjectFilterInput | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
        order_by: OrderBy = None,
        updated_since: UpdatedSince = None,
    ) -> Connection[Project]:
        given = filter or ProjectFilterInput()
        started_from, started_to = date_range(given.started, "filter.started")
        order = graph_order(order_by, projects.ORDERS, "TITLE")
        where = projects.ProjectFilter(
            topics=tuple(
                _text(t, "filter.topicIn") or "" for t in any_of(given.topic_in, "filter.topicIn")
            ),
            organisations=tuple(map(str, any_of(given.organisation_in, "filter.organisationIn"))),
            statuses=tuple(v.value for v in any_of(given.status_in, "filter.statusIn")),
            modes=tuple(v.value for v in any_of(given.mode_in, "filter.modeIn")),
            started_from=started_from,
            started_to=started_to,
            updated_since=moment(updated_since),
            topic=given.topic,
            organisation=given.organisation,
            system=given.system,
            status=_value(given.status),
            method=given.method,
            mode=_value(given.mode),
            text=_text(given.text, "filter.text"),
        )
        size, cursor = page_size(first), decode_cursor(after, order_tag(order))
        graph = info.context.graph
        nested, people_sizes = project_nesting(info, info.context.viewer.public_only)
        page = await unless_counted(
            info,
            lambda: projects.project_page(
                graph, where, first=size, after=cursor, nested=nested, order=order
            ),
        )
        prime_projects(info.context.loaders, page, nested, people_sizes)
        fetched = {
            item["id"]: lists
            for item, lists in zip(page.items, fetched_lists(page, nested), strict=True)
        }
        return connection(
            page,
            lambda item: Project.from_row(item, fetched[item["id"]]),
            lambda: projects.project_count(graph, where),
            after=cursor,
        )

    @strawberry.field(
        description="People working on a topic, or on work like a project, best first: people "
        "in other organisations than the project's come first. Give `topic`, `projectId` or both."
    )
    async def who_else(
        self,
        info: Info[Context, None],
        topic: TopicArg = None,
        project_id: strawberry.ID | None = None,
        exclude_organisation: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Leave out people of this organisation."),
        ] = None,
        system: strawberry.ID | None = None,
        kinds: Annotated[
            list[PersonKind] | None,
            strawberry.argument(
                description="Only people of any of these kinds who consented to showing it "
                "(sign-in needed)."
            ),
        ] = None,
        first: First = DEFAULT_PAGE,
    ) -> list[PersonMatch]:
        if not (topic and topic.strip()) and project_id is None:
            raise UserError("Give a `topic` or a `projectId` (or both) to find who else.")
        rows = await matching.people_matching(
            info.context.graph,
            topic=_text(topic, "topic"),
            project_id=project_id,
            exclude_organisation=exclude_organisation,
            system=system,
            kinds=_person_kinds(info, kinds, "kinds"),
            public_only=info.context.viewer.public_only,
            limit=page_size(first),
            projections=who_else_projections(info),
        )
        return [PersonMatch.from_row(row) for row in rows]

    @strawberry.field(
        description="People offering mentoring or coaching with evidence on a topic, best first. "
        "Offers are personal data: signed-in callers only.",
        extensions=[PermissionExtension(permissions=[IsSignedIn()], use_directives=False)],
    )
    async def mentors(
        self,
        info: Info[Context, None],
        topic: Annotated[str, strawberry.argument(description=TOPIC_HELP)],
        system: strawberry.ID | None = None,
        first: First = DEFAULT_PAGE,
    ) -> list[PersonMatch]:
        if not topic.strip():
            raise UserError("`topic` must not be blank.")
        rows = await matching.people_matching(
            info.context.graph,
            topic=_text(topic, "topic"),
            project_id=None,
            system=system,
            offers=[o.value for o in Offer],
            public_only=info.context.viewer.public_only,
            limit=page_size(first),
            projections=who_else_projections(info),
        )
        return [PersonMatch.from_row(row) for row in rows]

    @strawberry.field
    async def person(self, info: Info[Context, None], id: strawberry.ID) -> Person | None:
        return await Person.resolve_reference(info, id)

    @strawberry.field(
        description="People by name (or `orderBy`), filtered; a connection with keyset cursors."
    )
    async def people(
        self,
        info: Info[Context, None],
        filter: PersonFilterInput | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
        order_by: PersonOrderBy = None,
        updated_since: Annotated[
            datetime | None,
            strawberry.argument(
                description="Only people this hub changed at or after this moment (without an "
                "offset, UTC), in what the caller may see of them: for anonymous callers only a "
                "change of name, role or agreement to be listed counts."
            ),
        ] = None,
    ) -> Connection[Person]:
        given = filter or PersonFilterInput()
        order = graph_order(order_by, people.ORDERS, "NAME")
        if given.offers and not info.context.viewer.may_see_profile():
            raise UserError("Filtering people by `offers` needs sign-in: offers are personal data.")
        where = people.PersonFilter(
            topic=_text(given.topic, "filter.topic"),
            organisation=given.organisation,
            system=given.system,
            offers=tuple(o.value for o in given.offers or []),
            topics=tuple(
                _text(t, "filter.topicIn") or "" for t in any_of(given.topic_in, "filter.topicIn")
            ),
            organisations=tuple(map(str, any_of(given.organisation_in, "filter.organisationIn"))),
            updated_since=moment(updated_since),
            kinds=_person_kinds(info, given.kinds, "filter.kinds"),
        )
        size, cursor = page_size(first), decode_cursor(after, order_tag(order))
        graph, public = info.context.graph, info.context.viewer.public_only
        page = await unless_counted(
            info,
            lambda: people.person_page(
                graph, where, public_only=public, first=size, after=cursor, order=order
            ),
        )
        return connection(
            page,
            Person.from_row,
            lambda: people.person_count(graph, where, public_only=public),
            after=cursor,
        )

    @strawberry.field(
        description="Pairs of organisations that work together through shared projects or "
        "people, strongest first, with counts, examples and whether they cross sectors."
    )
    async def cross_boundary_links(
        self,
        info: Info[Context, None],
        system: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Links with at least one side in this system."),
        ] = None,
        organisation: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Links of this organisation."),
        ] = None,
        topic: Annotated[
            str | None,
            strawberry.argument(
                description="Only links through projects about this topic: "
                "shared projects, and people working on them across. " + TOPIC_HELP
            ),
        ] = None,
        first: First = DEFAULT_PAGE,
        with_organisation: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="With `organisation`: only its link with this organisation (at "
                "most one), e.g. for the evidence of a link chosen in a picture."
            ),
        ] = None,
    ) -> list[OrganisationLink]:
        if with_organisation is not None and organisation is None:
            raise UserError("`withOrganisation` needs `organisation`: the link between the two.")
        rows = await links.cross_boundary_links(
            info.context.graph,
            system=system,
            organisation=organisation,
            other=with_organisation,
            topic=_text(topic, "topic"),
            public_only=info.context.viewer.public_only,
            limit=page_size(first),
            examples=asks_for_link_examples(info),
            topics=asks_for_link_topics(info),
            projections=link_projections(info),
        )
        return [OrganisationLink.from_row(row) for row in rows]

    @strawberry.field
    async def organisation(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> Organisation | None:
        return await Organisation.resolve_reference(info, id)

    @strawberry.field(description="Organisations by name, in a system and sector when given.")
    async def organisations(
        self,
        info: Info[Context, None],
        system: strawberry.ID | None = None,
        sector: Sector | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
        updated_since: UpdatedSince = None,
    ) -> Connection[Organisation]:
        size, cursor, graph = page_size(first), decode_cursor(after), info.context.graph
        wanted, since = _value(sector), moment(updated_since)
        page = await unless_counted(
            info,
            lambda: organisations.organisation_page(
                graph, system=system, sector=wanted, first=size, after=cursor, updated_since=since
            ),
        )
        return connection(
            page,
            Organisation.from_row,
            lambda: organisations.organisation_count(
                graph, system=system, sector=wanted, updated_since=since
            ),
            after=cursor,
        )

    @strawberry.field
    async def system(self, info: Info[Context, None], id: strawberry.ID) -> System | None:
        row = await info.context.loaders.node(fields.SYSTEM).load(str(id))
        return System.from_row(row) if row else None

    @strawberry.field(description="Systems (ICSs and regions) by name.")
    async def systems(self, info: Info[Context, None], first: First = DEFAULT_PAGE) -> list[System]:
        rows = await systems.all_systems(info.context.graph, limit=page_size(first))
        return [System.from_row(row) for row in rows]

    @strawberry.field(description="A topic by id, label or synonym.")
    async def topic(
        self,
        info: Info[Context, None],
        id: Annotated[str, strawberry.argument(description=TOPIC_HELP)],
    ) -> Topic | None:
        row = await topics.find_topic(info.context.graph, _text(id, "id") or "")
        return Topic.from_row(row) if row else None

    @strawberry.field(description="Topics by label, with their usage and broader/narrower links.")
    async def topics(
        self,
        info: Info[Context, None],
        candidate: Annotated[
            bool | None,
            strawberry.argument(
                description="True: only labels no vocabulary knows; false: only known ones."
            ),
        ] = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
    ) -> Connection[Topic]:
        size, cursor, graph = page_size(first), decode_cursor(after), info.context.graph
        page = await unless_counted(
            info,
            lambda: topics.topic_page(graph, candidates=candidate, first=size, after=cursor),
        )
        return connection(
            page,
            Topic.from_row,
            lambda: topics.topic_count(graph, candidates=candidate),
            after=cursor,
        )

    @strawberry.field
    async def resource(self, info: Info[Context, None], id: strawberry.ID) -> Resource | None:
        return await Resource.resolve_reference(info, id)

    @strawberry.field(
        description="Resources by title (or `orderBy`), filtered; a connection with keyset cursors."
    )
    async def resources(
        self,
        info: Info[Context, None],
        filter: ResourceFilterInput | None = None,
        first: First = DEFAULT_PAGE,
        after: After = None,
        order_by: OrderBy = None,
        updated_since: UpdatedSince = None,
    ) -> Connection[Resource]:
        where = resource_filter(filter, updated_since)
        order = graph_order(order_by, resources.ORDERS, "TITLE")
        size, cursor = page_size(first), decode_cursor(after, order_tag(order))
        graph = info.context.graph
        page = await unless_counted(
            info,
            lambda: resources.resource_page(graph, where, first=size, after=cursor, order=order),
        )
        return connection(
            page, Resource.from_row, lambda: resources.resource_count(graph, where), after=cursor
        )

    @strawberry.field(
        description="The most recent sync runs, newest first: a partner admin's own partner's, "
        "or all for hub admins.",
        extensions=[PermissionExtension(permissions=[IsPartnerAdmin()], use_directives=False)],
    )
    async def sync_runs(
        self,
        info: Info[Context, None],
        source_id: Annotated[  # not `source`: permission extensions take that name
            str | None, strawberry.argument(name="source", description="Only this source's runs.")
        ] = None,
        last: Annotated[
            int | None, strawberry.argument(description="How many: default 20, at most 100.")
        ] = DEFAULT_PAGE,
    ) -> list[SyncRun]:
        rows = await sync_runs.recent_sync_runs(
            info.context.graph,
            source=source_id,
            last=page_size(last, "last"),
            partner=info.context.viewer.sync_runs_partner,
        )
        return [SyncRun.from_row(row) for row in rows]


@strawberry.type
class Mutation(DuplicatesMutation, OrganisationsMutation, ContributionsMutation):
    """Changes callers may make: reviewing pairs of similar projects, splitting organisation
    names, and members' contributions and their moderation."""


class ConvenerSchema(strawberry.federation.Schema):
    """The federation schema; errors are logged by MaskInternalErrors (with an id), not here."""

    def entities_resolver(
        self, info: Info, representations: list[FederationAny]
    ) -> list[FederationAny]:
        return resolve_entities(super().entities_resolver, info, representations)

    def process_errors(
        self,
        errors: Iterable[GraphQLError] | list[GraphQLError],
        execution_context: ExecutionContext | None = None,
    ) -> None:
        return None


schema = ConvenerSchema(query=Query, mutation=Mutation, extensions=EXTENSIONS)
