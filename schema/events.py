"""What's on and the library: events and training still to come, "go and see" visits, and the
facets of the resource library. Resolvers call ``graph.queries.events``; no Cypher here.

Wiring (kept small in the shared modules): ``Query`` inherits ``EventsQuery``;
``schema.types.Resource`` has the event fields and ``programme``/``module`` (their types are
here, read lazily); ``schema.types.Project.visits`` builds its ``VisitOffer`` here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from graph.queries import events
from schema.enums import ImprovementMode, ResourceType, stored
from schema.errors import UserError
from schema.pagination import DEFAULT_PAGE, Connection, connection, decode_cursor, page_size
from schema.types import Project, Resource

if TYPE_CHECKING:
    from schema.api import ResourceFilterInput

MAX_TEXT = 200
TOPIC_HELP = (
    "A topic id (e.g. `falls`) or any label or synonym the vocabulary knows. "
    "Narrower topics count too."
)


def _text(value: str | None, argument: str) -> str | None:
    if value is not None and len(value) > MAX_TEXT:
        raise UserError(f"`{argument}` is at most {MAX_TEXT} characters (got {len(value)}).")
    return value


def _utc(moment: datetime | None) -> datetime | None:
    """A moment a caller gave; one without an offset is taken as UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@strawberry.type(description="A learning programme that resources belong to.")
class Programme:
    id: strawberry.ID = strawberry.field(description="The programme's name as a slug.")
    name: str


@strawberry.type(description="A module of a learning programme.")
class Module:
    id: strawberry.ID = strawberry.field(description="`<programme id>/<module slug>`.")
    name: str


def programme_of(row: dict[str, Any]) -> Programme | None:
    if not row.get("programmeId"):
        return None
    return Programme(id=strawberry.ID(row["programmeId"]), name=row.get("programme") or "")


def module_of(row: dict[str, Any]) -> Module | None:
    if not row.get("moduleId"):
        return None
    return Module(id=strawberry.ID(row["moduleId"]), name=row.get("module") or "")


# --- "go and see" ------------------------------------------------------------------------------


@strawberry.type(description="A date a project team hosts visitors.")
class VisitDate:
    starts_at: datetime
    ends_at: datetime | None
    places: int | None = strawberry.field(description="How many visitors, where the team says.")


@strawberry.type(
    description='"Go and see": the visits a project team offers, on set dates or on request, '
    "and how to ask."
)
class VisitOffer:
    on_request: bool = strawberry.field(description="Visits can be arranged on other dates.")
    how_to_ask: str | None
    url: str | None = strawberry.field(description="Where to ask or book.")
    dates: list[VisitDate] = strawberry.field(description="Set dates, soonest first.")


def visit_offer(stored_offer: str | None, *, upcoming: bool) -> VisitOffer | None:
    """The offer a project's row holds (JSON, ``graph/ingest/events.py``); with ``upcoming``,
    only dates that have not ended, and no offer once none is left and none is on request."""
    if not stored_offer:
        return None
    offer = json.loads(stored_offer)
    now = datetime.now(UTC)
    dates = []
    for visit in offer.get("dates") or []:
        starts = datetime.fromisoformat(visit["startsAt"])
        ends = datetime.fromisoformat(visit["endsAt"]) if visit.get("endsAt") else None
        if upcoming and (ends or starts) < now:
            continue
        dates.append(VisitDate(starts_at=starts, ends_at=ends, places=visit.get("places")))
    on_request = bool(offer.get("onRequest"))
    if upcoming and not dates and not on_request:
        return None
    return VisitOffer(
        on_request=on_request, how_to_ask=offer.get("howToAsk"), url=offer.get("url"), dates=dates
    )


# --- filters -----------------------------------------------------------------------------------


@strawberry.input(
    name="EventFilter",
    description="Each field given narrows the list. Without `from`, events still to come.",
)
class EventFilterInput:
    from_: datetime | None = strawberry.field(
        default=None,
        name="from",
        description="Events that end at or after this moment (default: now). Without an "
        "offset, UTC.",
    )
    to: datetime | None = strawberry.field(
        default=None, description="Events that start before this moment."
    )
    topic: str | None = strawberry.field(default=None, description=TOPIC_HELP)
    system: strawberry.ID | None = None
    organisation: strawberry.ID | None = strawberry.field(
        default=None, description="The publisher."
    )
    kind: ResourceType | None = strawberry.field(
        default=None, description="e.g. EVENT or TRAINING."
    )
    online: bool | None = strawberry.field(
        default=None, description="True: online (or hybrid) only; false: in person only."
    )


def event_filter(given: EventFilterInput | None, *, event: str | None = None) -> events.EventFilter:
    """The graph's filter for what a caller gave (events still to come by default)."""
    given = given or EventFilterInput()
    starting = _utc(given.from_) or datetime.now(UTC)
    before = _utc(given.to)
    if before is not None and before <= starting:
        raise UserError("`filter.to` must be later than `filter.from` (or than now).")
    return events.EventFilter(
        starting=starting,
        before=before,
        topic=_text(given.topic, "filter.topic"),
        system=given.system,
        organisation=given.organisation,
        resource_type=given.kind.value if given.kind is not None else None,
        online=given.online,
        event=event,
    )


@strawberry.input(name="VisitFilter", description="Each field given narrows the list.")
class VisitFilterInput:
    topic: str | None = strawberry.field(default=None, description=TOPIC_HELP)
    system: strawberry.ID | None = None
    organisation: strawberry.ID | None = strawberry.field(
        default=None, description="An organisation that runs or partners in the project."
    )


# --- the library's facets ----------------------------------------------------------------------


@strawberry.type(description="How many resources are of one kind.")
class KindCount:
    kind: ResourceType
    count: int


@strawberry.type(description="How many resources serve one mode of improvement.")
class ModeCount:
    mode: ImprovementMode
    count: int


@strawberry.type(description="How many resources belong to one module.")
class ModuleCount:
    module: Module
    count: int


@strawberry.type(description="How many resources belong to a programme, and to each module.")
class ProgrammeCount:
    programme: Programme
    count: int
    modules: list[ModuleCount]


@strawberry.type(description="How many resources an organisation published.")
class OrganisationCount:
    id: strawberry.ID
    name: str
    count: int


@strawberry.type(description="How many resources are about a topic (tagged with it).")
class TopicCount:
    id: strawberry.ID
    label: str
    count: int


@strawberry.type(
    description="The choices of the resource library for a filter, each with how many of the "
    "resources it keeps have it."
)
class ResourceFacets:
    total_count: int
    kinds: list[KindCount]
    programmes: list[ProgrammeCount]
    organisations: list[OrganisationCount] = strawberry.field(
        description=f"The {events.FACET_LIMIT} publishers with most resources."
    )
    topics: list[TopicCount] = strawberry.field(
        description=f"The {events.FACET_LIMIT} topics with most resources."
    )
    modes: list[ModeCount]

    @classmethod
    def of(cls, facets: events.Facets) -> ResourceFacets:
        kinds = [(stored(ResourceType, k["value"]), k["count"]) for k in facets.kinds]
        modes = [(stored(ImprovementMode, m["value"]), m["count"]) for m in facets.modes]
        return cls(
            total_count=facets.total,
            kinds=[KindCount(kind=kind, count=n) for kind, n in kinds if kind is not None],
            programmes=[
                ProgrammeCount(
                    programme=Programme(id=strawberry.ID(p["id"]), name=p["name"]),
                    count=p["count"],
                    modules=[
                        ModuleCount(
                            module=Module(id=strawberry.ID(m["id"]), name=m["name"]),
                            count=m["count"],
                        )
                        for m in p["modules"]
                    ],
                )
                for p in facets.programmes
            ],
            organisations=[OrganisationCount(**o) for o in facets.organisations],
            topics=[TopicCount(**t) for t in facets.topics],
            modes=[ModeCount(mode=mode, count=n) for mode, n in modes if mode is not None],
        )


@strawberry.type
class EventsQuery:
    @strawberry.field(
        description="Events and training still to come (or in the window `filter` gives), "
        "soonest first; a connection with keyset cursors."
    )
    async def events(
        self,
        info: Info,
        filter: EventFilterInput | None = None,
        first: int | None = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Resource]:
        where = event_filter(filter)
        size, cursor, graph = page_size(first), decode_cursor(after), info.context.graph
        page = await events.event_page(graph, where, first=size, after=cursor)
        return connection(
            page, Resource.from_row, lambda: events.event_count(graph, where), after=cursor
        )

    @strawberry.field(
        description='Projects whose teams offer "go and see" visits now (a date still to come, '
        "or on request), by title."
    )
    async def visits(
        self,
        info: Info,
        filter: VisitFilterInput | None = None,
        first: int | None = DEFAULT_PAGE,
        after: str | None = None,
    ) -> Connection[Project]:
        given = filter or VisitFilterInput()
        where = events.VisitFilter(
            now=datetime.now(UTC),
            topic=_text(given.topic, "filter.topic"),
            system=given.system,
            organisation=given.organisation,
        )
        size, cursor, graph = page_size(first), decode_cursor(after), info.context.graph
        page = await events.visit_page(graph, where, first=size, after=cursor)
        return connection(
            page, Project.from_row, lambda: events.visit_count(graph, where), after=cursor
        )

    @strawberry.field(
        description="The resource library's facets (kind, programme and module, publisher, "
        "topic, mode of improvement) for a filter, with counts."
    )
    async def resource_facets(
        self,
        info: Info,
        filter: Annotated[ResourceFilterInput, strawberry.lazy("schema.api")] | None = None,
    ) -> ResourceFacets:
        from schema.api import resource_filter  # it imports this module

        where = resource_filter(filter)
        return ResourceFacets.of(await events.resource_facets(info.context.graph, where))
