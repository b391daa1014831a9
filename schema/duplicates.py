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

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.permission import PermissionExtension
from strawberry.types import Info

from graph.similarity import reads
from graph.similarity.reviews import ReviewError, ReviewStatus, review_pair
from graph.similarity.scoring import COLLABORATION, DUPLICATE
from schema.errors import UserError
from schema.pagination import DEFAULT_PAGE, page_size
from schema.permissions import IsSignedIn
from schema.types import Project

SIMILAR_HELP = (
    "Projects elsewhere that look like this one, best first, with the evidence: duplicates and "
    "collaborations (shared people or a declared partnership). Dismissed pairs are left out."
)
FIRST_HELP = "How many to return: default 20, at most 100."


@strawberry.enum(name="ReviewStatus", description="A person's verdict on a pair.")
class ReviewStatusEnum(Enum):
    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


@strawberry.enum(description="Duplicate work, or two teams that already work together.")
class SimilarityKind(Enum):
    DUPLICATE = DUPLICATE
    COLLABORATION = COLLABORATION


# The one place that decides who may review pairs: any signed-in caller, for now.
MayReview = IsSignedIn


async def _project(info: Info, project: reads.ProjectSummary) -> Project:
    """The API's own Project (through the request's loader), so every field of it is there."""
    row = await info.context.loaders.project.load(project.id)
    return Project.from_row(row or {"id": project.id, "title": project.title})


@strawberry.type(description="Two similar projects, how sure we are, why, and any review.")
class SimilarPair:
    pair: strawberry.Private[reads.SimilarPair]
    score: float = strawberry.field(description="0 to 1; 0.7 and above counts as similar.")
    kind: SimilarityKind
    reasons: list[str] = strawberry.field(description="The shared evidence, strongest first.")
    explanation: str = strawberry.field(description="The reasons as one sentence.")
    status: ReviewStatusEnum
    note: str | None
    reviewed_at: datetime | None

    @strawberry.field(description="One project of the pair (the one with the smaller id).")
    async def a(self, info: Info) -> Project:
        return await _project(info, self.pair.a)

    @strawberry.field(description="The other project of the pair.")
    async def b(self, info: Info) -> Project:
        return await _project(info, self.pair.b)

    @classmethod
    def of(cls, pair: reads.SimilarPair) -> SimilarPair:
        return cls(
            pair=pair,
            score=pair.score,
            kind=SimilarityKind(pair.kind),
            reasons=list(pair.reasons),
            explanation=pair.explanation,
            status=ReviewStatusEnum(pair.status.value),
            note=pair.note,
            reviewed_at=pair.reviewed_at,
        )


@strawberry.type(description="Projects connected through similar pairs, with those pairs.")
class DuplicateCluster:
    cluster: strawberry.Private[reads.Cluster]
    id: strawberry.ID = strawberry.field(description="The cluster's first project id.")
    top_score: float

    @strawberry.field(description="How many projects the cluster holds.")
    def project_count(self) -> int:
        return len(self.cluster.projects)

    @strawberry.field(description="The cluster's pairs, best first (at most 100).")
    def pairs(self) -> list[SimilarPair]:
        return [SimilarPair.of(p) for p in self.cluster.pairs]

    @strawberry.field(description=f"The cluster's projects, by id. {FIRST_HELP}")
    async def projects(self, info: Info, first: int | None = DEFAULT_PAGE) -> list[Project]:
        # One batch for the whole list: awaiting each load in turn cost a round trip each.
        wanted = self.cluster.projects[: page_size(first)]
        rows = await info.context.loaders.project.load_many([p.id for p in wanted])
        return [
            Project.from_row(row or {"id": p.id, "title": p.title})
            for p, row in zip(wanted, rows, strict=True)
        ]


@strawberry.type(description="Another project like this one, and the evidence.")
class SimilarProject:
    other: strawberry.Private[reads.ProjectSummary]
    pair: SimilarPair

    @strawberry.field(description="The other project.")
    async def project(self, info: Info) -> Project:
        return await _project(info, self.other)


def _statuses(status: list[ReviewStatusEnum] | None) -> list[ReviewStatus] | None:
    return [ReviewStatus(s.value) for s in status] if status else None


def _min_score(value: float | None) -> float | None:
    if value is not None and not 0.0 <= value <= 1.0:
        raise UserError(f"`minScore` is between 0 and 1 (got {value}).")
    return value


async def similar_projects(info: Info, project_id: str, first: int | None) -> list[SimilarProject]:
    """The resolver behind ``Project.similar``."""
    pairs = await reads.similar_to(info.context.graph, project_id, first=first)
    return [SimilarProject(other=p.other(project_id), pair=SimilarPair.of(p)) for p in pairs]


@strawberry.type
class DuplicatesQuery:
    @strawberry.field(
        description="Clusters of projects that look like the same work in different places, "
        "strongest first. Dismissed pairs are hidden unless `status` asks for them."
    )
    async def duplicates(
        self,
        info: Info,
        system: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Pairs with a project run in this system."),
        ] = None,
        organisation: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Pairs with a project this organisation is on."),
        ] = None,
        min_score: Annotated[
            float | None, strawberry.argument(description="Default 0.7 (the tuned threshold).")
        ] = None,
        status: Annotated[
            list[ReviewStatusEnum] | None,
            strawberry.argument(description="Default: unreviewed and confirmed."),
        ] = None,
        kind: Annotated[
            list[SimilarityKind] | None,
            strawberry.argument(description="Default: duplicates only."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST_HELP)] = None,
    ) -> list[DuplicateCluster]:
        clusters = await reads.duplicate_clusters(
            info.context.graph,
            system=str(system) if system else None,
            organisation=str(organisation) if organisation else None,
            min_score=_min_score(min_score),
            statuses=_statuses(status),
            kinds=[k.value for k in kind] if kind else None,
            first=first,
        )
        return [
            DuplicateCluster(
                cluster=c,
                id=strawberry.ID(c.id),
                top_score=c.top_score,
            )
            for c in clusters
        ]


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
        return SimilarPair.of(found) if found else None
