"""The duplicates part of the API: clusters of similar projects, one project's similar ones,
and the review mutation. Resolvers call ``graph.similarity``; no Cypher here.

Wiring (kept out of schema/api.py and schema/types.py, which another module owns):

- ``Query``: inherit ``DuplicatesQuery`` (adds ``duplicates``), or add its field.
- ``Mutation``: inherit ``DuplicatesMutation`` (adds ``reviewDuplicate``) and pass
  ``mutation=Mutation`` to the schema.
- ``Project.similar(first)``: add to ``schema.types.Project`` (import inside the method:
  this module imports ``schema.types``)::

      @strawberry.field(description=SIMILAR_HELP)
      async def similar(self, info: Info, first: int | None = None) -> list[SimilarProject]:
          return await similar_projects(info, str(self.id), first)
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.permission import PermissionExtension
from strawberry.types import Info

from graph.queries.common import Page
from graph.queries.fields import PROJECT
from graph.queries.projects import ORGANISATIONS
from graph.similarity import reads
from graph.similarity.reviews import ReviewError, ReviewStatus, review_pair
from graph.similarity.scoring import COLLABORATION, DUPLICATE, SAME_PROJECT
from schema.errors import UserError
from schema.lookahead import Selection, fields_of
from schema.pagination import (
    DEFAULT_PAGE,
    MAX_PAGE,
    Connection,
    connection,
    decode_cursor,
    page_size,
)
from schema.permissions import IsSignedIn
from schema.types import PROJECT_ROWS, Project

SIMILAR_HELP = (
    "Projects elsewhere that look like this one, best first, with the evidence: duplicates and "
    "collaborations (shared people or a declared partnership), and the same project listed by "
    "another source. Dismissed pairs are left out."
)
FIRST_HELP = "How many to return: default 20, at most 100."


@strawberry.enum(name="ReviewStatus", description="A person's verdict on a pair.")
class ReviewStatusEnum(Enum):
    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


@strawberry.enum(
    description="Duplicate work, one project that two sources list (the same people), or two "
    "teams that already work together."
)
class SimilarityKind(Enum):
    DUPLICATE = DUPLICATE
    COLLABORATION = COLLABORATION
    # One project listed twice: offered for merging, shown with duplicates by default.
    SAME_PROJECT = SAME_PROJECT


# Stored values to the API's members, looked up once per pair of a page (a thousand a page).
_KINDS = {kind.value: kind for kind in SimilarityKind}
_STATUSES = {ReviewStatus(status.value): status for status in ReviewStatusEnum}

# The one place that decides who may review pairs: any signed-in caller, for now.
MayReview = IsSignedIn


Known = Mapping[str, Project]


async def _projects(
    info: Info,
    summaries: Iterable[reads.ProjectSummary],
    *,
    rows: bool = True,
    organisations: bool = False,
) -> dict[str, Project]:
    """The API's own Projects by id, each batch through the request's loaders: their stored
    rows (else what the summaries know, id and title), and with ``organisations`` their
    organisations at once, so a page of hundreds of pairs resolves them without awaiting each
    project's list apart."""
    wanted = {p.id: p for p in summaries}
    ids = sorted(wanted)
    loaders = info.context.loaders
    # Both batches go out together; what is not asked for is there at once.
    found, lists = await asyncio.gather(
        loaders.node(PROJECT).load_many(ids) if rows else asyncio.sleep(0, [None] * len(ids)),
        loaders.related(ORGANISATIONS).load_many(ids) if organisations else asyncio.sleep(0),
    )
    return {
        i: Project.from_row(
            row or {"id": i, "title": wanted[i].title},
            fetched={"organisations": lists[n]} if lists is not None else None,
        )
        for n, (i, row) in enumerate(zip(ids, found, strict=True))
    }


# Project's fields read from its stored row beyond its id and title; all its other fields are
# resolved by its id.
_ROW_FIELDS = frozenset(name for name, keys in PROJECT_ROWS.needs.items() if keys - {"title"})
# Project's fields read from its organisations, fetched with the page when asked for.
_ORGANISATION_FIELDS = frozenset({"organisations", "leadOrganisation"})


def _asked_of_projects(info: Info) -> set[str]:
    """The fields the query asks of a cluster's projects (``projects``, ``pairProjects``, a
    pair's ``a``/``b``)."""
    asked: set[str] = set()

    def walk(selections: Iterable[Selection]) -> None:
        for field in fields_of(selections):
            if field.name in ("projects", "pairProjects", "a", "b"):
                asked.update(inner.name for inner in fields_of(field.selections))
            walk(field.selections)

    walk(info.selected_fields)
    return asked


def _asks_for(info: Info, name: str) -> bool:
    """Whether a field called ``name`` is selected anywhere below this one (a field of that
    name deeper down, in a project say, counts too: reading more than needed is safe)."""

    def walk(selections: Iterable[Selection]) -> bool:
        return any(f.name == name or walk(f.selections) for f in fields_of(selections))

    return walk(info.selected_fields)


def _pairs_asked(info: Info) -> int:
    """The most pairs a cluster lists for this query: the largest ``first`` asked of its
    ``pairs`` and ``pairProjects`` (the most a page holds where one is out of bounds: the
    field itself refuses it)."""
    sizes = [0]

    def walk(selections: Iterable[Selection]) -> None:
        for field in fields_of(selections):
            if field.name in ("pairs", "pairProjects"):
                first = field.arguments.get("first") or DEFAULT_PAGE
                if isinstance(first, str) and first.isdigit():  # a literal arrives as its text
                    first = int(first)
                sizes.append(
                    first if isinstance(first, int) and 1 <= first <= MAX_PAGE else MAX_PAGE
                )
            walk(field.selections)

    walk(info.selected_fields)
    return max(sizes)


def _bare(project: reads.ProjectSummary) -> Project:
    """A project as a cluster knows it, by id and title: enough when nothing else of it (but
    fields resolved by its id) is asked for."""
    return Project.from_row({"id": project.id, "title": project.title})


@strawberry.type(description="Two similar projects, how sure we are, why, and any review.")
class SimilarPair:
    pair: strawberry.Private[reads.SimilarPair]
    a: Project = strawberry.field(
        description="One project of the pair (the one with the smaller id)."
    )
    b: Project = strawberry.field(description="The other project of the pair.")
    score: float = strawberry.field(description="0 to 1; 0.7 and above counts as similar.")
    kind: SimilarityKind
    reasons: list[str] = strawberry.field(description="The shared evidence, strongest first.")
    explanation: str = strawberry.field(description="The reasons as one sentence.")
    status: ReviewStatusEnum
    note: str | None
    reviewed_at: datetime | None

    @classmethod
    def of(cls, pair: reads.SimilarPair, known: Known) -> SimilarPair:
        """The pair, its projects taken from ``known`` (read beforehand, in one batch)."""
        return cls(
            pair=pair,
            a=known.get(pair.a.id) or _bare(pair.a),
            b=known.get(pair.b.id) or _bare(pair.b),
            score=pair.score,
            kind=_KINDS[pair.kind],
            reasons=list(pair.reasons),
            explanation=pair.explanation,
            status=_STATUSES[pair.status],
            note=pair.note,
            reviewed_at=pair.reviewed_at,
        )


class BareCluster:
    """A cluster's pairs and projects as the API's objects, when a query asks nothing of the
    projects but their ids and titles.

    The cluster cache hands out the same ``reads.Cluster`` objects until the pairs, a review or
    a sync change them, so these are made once per cached cluster, not once a request (a page
    has about a thousand pairs), and dropped with the cluster.
    """

    def __init__(self, cluster: reads.Cluster) -> None:
        self.known = {p.id: _bare(p) for p in cluster.projects}
        self.pairs = [SimilarPair.of(p, self.known) for p in cluster.pairs]
        self.projects = [self.known[p.id] for p in cluster.projects]

    @classmethod
    def of(cls, cluster: reads.Cluster) -> BareCluster:
        key = id(cluster)
        found = BARE_CLUSTERS.get(key)
        if found is None:
            found = BARE_CLUSTERS[key] = cls(cluster)
            weakref.finalize(cluster, BARE_CLUSTERS.pop, key, None)  # before the id can be reused
        return found


BARE_CLUSTERS: dict[int, BareCluster] = {}
"""``BareCluster`` by the id of its cluster, for as long as the cluster lives."""


@strawberry.type(description="Projects connected through similar pairs, with those pairs.")
class DuplicateCluster:
    cluster: strawberry.Private[reads.Cluster]
    known: strawberry.Private[Known | None]
    """The page's projects as read for the query, or None when ids and titles are enough."""
    id: strawberry.ID = strawberry.field(description="The cluster's first project id.")
    top_score: float

    @strawberry.field(description="How many projects the cluster holds.")
    def project_count(self) -> int:
        return len(self.cluster.projects)

    @strawberry.field(
        description="How many pairs the cluster holds (`pairs` lists its 100 strongest at most)."
    )
    def pair_count(self) -> int:
        return self.cluster.pair_count or len(self.cluster.pairs)

    @strawberry.field(description=f"The cluster's strongest pairs, best first. {FIRST_HELP}")
    def pairs(self, first: int | None = DEFAULT_PAGE) -> list[SimilarPair]:
        size = page_size(first)
        if self.known is None:
            return BareCluster.of(self.cluster).pairs[:size]
        known = self.known
        return [SimilarPair.of(p, known) for p in self.cluster.pairs[:size]]

    @strawberry.field(
        description="The projects the `first` strongest pairs name (give the `first` given "
        "to `pairs`), each once, by id: ask their fields here and only `a { id }` and "
        "`b { id }` of the pairs, and a page carries each project once rather than once per "
        f"pair it is in. {FIRST_HELP}"
    )
    def pair_projects(self, first: int | None = DEFAULT_PAGE) -> list[Project]:
        named = self.cluster.projects_of_pairs(page_size(first))
        known = BareCluster.of(self.cluster).known if self.known is None else self.known
        return [known.get(p.id) or _bare(p) for p in named]

    @strawberry.field(description=f"The cluster's projects, by id. {FIRST_HELP}")
    def projects(self, first: int | None = DEFAULT_PAGE) -> list[Project]:
        # Read with the page, for every cluster at once (resolvers that each awaited the
        # loader cost most of a request's time).
        size = page_size(first)
        if self.known is None:
            return BareCluster.of(self.cluster).projects[:size]
        known = self.known
        return [known.get(p.id) or _bare(p) for p in self.cluster.projects[:size]]


@strawberry.type(description="Another project like this one, and the evidence.")
class SimilarProject:
    other: strawberry.Private[reads.ProjectSummary]
    pair: SimilarPair

    @strawberry.field(description="The other project.")
    def project(self) -> Project:
        return self.pair.b if self.pair.b.id == self.other.id else self.pair.a


def _statuses(status: list[ReviewStatusEnum] | None) -> list[ReviewStatus] | None:
    return [ReviewStatus(s.value) for s in status] if status else None


def _min_score(value: float | None) -> float | None:
    if value is not None and not 0.0 <= value <= 1.0:
        raise UserError(f"`minScore` is between 0 and 1 (got {value}).")
    return value


async def similar_projects(info: Info, project_id: str, first: int | None) -> list[SimilarProject]:
    """The resolver behind ``Project.similar``."""
    pairs = await reads.similar_to(info.context.graph, project_id, first=first)
    known = await _projects(info, [x for p in pairs for x in (p.a, p.b)])
    return [SimilarProject(other=p.other(project_id), pair=SimilarPair.of(p, known)) for p in pairs]


SystemArg = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Pairs with a project run in this system."),
]
OrganisationArg = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Pairs with a project this organisation is on."),
]
MinScoreArg = Annotated[
    float | None, strawberry.argument(description="Default 0.7 (the tuned threshold).")
]
StatusArg = Annotated[
    list[ReviewStatusEnum] | None,
    strawberry.argument(description="Default: unreviewed and confirmed."),
]
KindArg = Annotated[
    list[SimilarityKind] | None,
    strawberry.argument(description="Default: duplicates and projects listed twice."),
]


async def _cluster_page(
    info: Info,
    system: strawberry.ID | None,
    organisation: strawberry.ID | None,
    min_score: float | None,
    status: list[ReviewStatusEnum] | None,
    kind: list[SimilarityKind] | None,
    first: int,
    after: str | None = None,
) -> reads.ClusterPage:
    try:
        return await reads.cluster_page(
            info.context.graph,
            system=str(system) if system else None,
            organisation=str(organisation) if organisation else None,
            min_score=_min_score(min_score),
            statuses=_statuses(status),
            kinds=[k.value for k in kind] if kind else None,
            first=first,
            after=decode_cursor(after),
        )
    except reads.CursorError as error:
        raise UserError(str(error)) from None


@strawberry.type
class DuplicatesQuery:
    @strawberry.field(
        description="Clusters of projects that look like the same work in different places, "
        "strongest first. Dismissed pairs are hidden unless `status` asks for them. "
        "`duplicateClusters` gives the same clusters a page at a time, with a total."
    )
    async def duplicates(
        self,
        info: Info,
        system: SystemArg = None,
        organisation: OrganisationArg = None,
        min_score: MinScoreArg = None,
        status: StatusArg = None,
        kind: KindArg = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST_HELP)] = None,
    ) -> list[DuplicateCluster]:
        found = await _cluster_page(
            info, system, organisation, min_score, status, kind, reads.page(first)
        )
        known = await _page_projects(info, found)
        return [_cluster(c, known) for c in found.clusters]

    @strawberry.field(
        description="The clusters of `duplicates`, a page at a time: a connection with cursors "
        "(`after` the `endCursor` of a page) and the number of clusters (`totalCount`)."
    )
    async def duplicate_clusters(
        self,
        info: Info,
        system: SystemArg = None,
        organisation: OrganisationArg = None,
        min_score: MinScoreArg = None,
        status: StatusArg = None,
        kind: KindArg = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST_HELP)] = DEFAULT_PAGE,
        after: Annotated[
            str | None, strawberry.argument(description="The `endCursor` of the page before.")
        ] = None,
    ) -> Connection[DuplicateCluster]:
        found = await _cluster_page(
            info, system, organisation, min_score, status, kind, page_size(first), after
        )
        known = await _page_projects(info, found)

        async def total() -> int:
            return found.total

        clusters: list[Any] = list(found.clusters)
        page = Page(items=clusters, has_next=found.has_next, cursors=found.cursors)
        return connection(page, lambda c: _cluster(c, known), total, after=decode_cursor(after))


async def _page_projects(info: Info, found: reads.ClusterPage) -> Known | None:
    """Every project of the page's clusters, in one batch, when the query asks for more of
    them than the clusters know (their id and title); None when it does not (``BareCluster``)."""
    asked = _asked_of_projects(info)
    rows, organisations = bool(asked & _ROW_FIELDS), bool(asked & _ORGANISATION_FIELDS)
    if not rows and not organisations:
        return None
    # Unless ``projects`` is asked for, only the projects that the pairs asked for name are
    # read: a large cluster lists at most MAX_PAGE pairs, and a query may ask for fewer.
    every = _asks_for(info, "projects")
    listed = _pairs_asked(info)
    summaries = [
        p for c in found.clusters for p in (c.projects if every else c.projects_of_pairs(listed))
    ]
    return await _projects(info, summaries, rows=rows, organisations=organisations)


def _cluster(cluster: reads.Cluster, known: Known | None) -> DuplicateCluster:
    return DuplicateCluster(
        cluster=cluster, known=known, id=strawberry.ID(cluster.id), top_score=cluster.top_score
    )


@strawberry.type
class DuplicatesMutation:
    @strawberry.mutation(
        description="Mark a pair of projects confirmed, dismissed or unreviewed, with a note. "
        "The verdict survives re-syncs and re-scoring. Signed-in callers only.",
        extensions=[PermissionExtension(permissions=[MayReview()])],
    )
    async def review_duplicate(
        self,
        info: Info,
        a: strawberry.ID,
        b: strawberry.ID,
        status: ReviewStatusEnum,
        note: str | None = None,
    ) -> SimilarPair | None:
        graph = info.context.graph
        try:
            await review_pair(
                graph,
                str(a),
                str(b),
                ReviewStatus(status.value),
                note=note,
                reviewer=info.context.viewer.subject,
            )
        except ReviewError as error:
            raise UserError(str(error)) from None
        found = await reads.get_pair(graph, str(a), str(b))
        if found is None:
            return None
        return SimilarPair.of(found, await _projects(info, [found.a, found.b]))
