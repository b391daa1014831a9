"""The organisation-resolution part of the API: why records became one organisation, which
names were left apart for review, and splitting a name off. Resolvers call
``graph.organisations.review``; no Cypher here.

Wiring (kept out of schema/api.py's own fields): ``Query`` inherits ``OrganisationsQuery``,
``Mutation`` inherits ``OrganisationsMutation``.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.permission import PermissionExtension
from strawberry.types import Info

from graph.organisations.review import (
    MAX_NAMES,
    SplitError,
    explain_organisation,
    names_for_review,
    split_name,
)
from schema.errors import UserError
from schema.permissions import IsHubAdmin, IsSignedIn


@strawberry.type(description="A source's record of the organisation, and how it was matched.")
class OrganisationRecordMatch:
    source: strawberry.ID
    ref: str
    rule: str = strawberry.field(
        description="new, ods_code, name, alias, normalised_name, former_name, core_name, "
        "ccg_to_icb, fuzzy_name, split, ambiguous or same_record."
    )


@strawberry.type(description="How one source's spelling was resolved to the organisation.")
class OrganisationNameMatch:
    source: strawberry.ID
    name: str
    rule: str
    score: float = strawberry.field(description="1 for the same words, less for a looser rule.")
    candidates: list[strawberry.ID] = strawberry.field(
        description="Every organisation the rule found: more than one means left apart."
    )


@strawberry.type(description="A source's name that a person split from the organisation.")
class OrganisationNameSplit:
    source: strawberry.ID
    name: str


@strawberry.type(description="Why these records are one organisation, rule by rule.")
class OrganisationResolution:
    id: strawberry.ID
    name: str | None
    ods_code: str | None
    kind: str | None
    former_names: list[str]
    former_codes: list[str]
    successor_codes: list[str]
    records: list[OrganisationRecordMatch]
    names: list[OrganisationNameMatch]
    splits: list[OrganisationNameSplit]


@strawberry.type(description="The outcome of splitting a source's name off an organisation.")
class OrganisationSplitResult:
    organisation: strawberry.ID
    source: strawberry.ID
    name: str
    records: int = strawberry.field(description="The source's records that use the name.")
    new_organisation: strawberry.ID | None = strawberry.field(
        description="Where the name resolves now; null until the source's next sync."
    )
    pending: bool = strawberry.field(
        description="True when the records are resolved again at the source's next sync."
    )


def _name_match(row: dict[str, Any]) -> OrganisationNameMatch:
    return OrganisationNameMatch(
        source=strawberry.ID(row["source"]),
        name=row["name"],
        rule=row["rule"],
        score=float(row.get("score") or 0.0),
        candidates=[strawberry.ID(c) for c in row.get("candidates") or []],
    )


@strawberry.type
class OrganisationsQuery:
    @strawberry.field(
        description="Why records from several sources are this one organisation: each record "
        "and each spelling with its rule and score. Signed-in callers only.",
        extensions=[PermissionExtension(permissions=[IsSignedIn()])],
    )
    async def organisation_resolution(
        self, info: Info, id: strawberry.ID
    ) -> OrganisationResolution | None:
        found = await explain_organisation(info.context.graph, str(id))
        if found is None:
            return None
        o = found.organisation
        return OrganisationResolution(
            id=strawberry.ID(o["id"]),
            name=o.get("name"),
            ods_code=o.get("odsCode"),
            kind=o.get("orgType"),
            former_names=o.get("formerNames") or [],
            former_codes=o.get("formerCodes") or [],
            successor_codes=o.get("successorCodes") or [],
            records=[
                OrganisationRecordMatch(
                    source=strawberry.ID(r["source"]), ref=r["ref"], rule=r["rule"] or "new"
                )
                for r in found.records
            ],
            names=[_name_match(row) for row in found.names],
            splits=[
                OrganisationNameSplit(source=strawberry.ID(s["source"]), name=s["name"])
                for s in found.splits
            ],
        )

    @strawberry.field(
        description="Names left apart because several organisations fit them, with the "
        f"candidates, for a person to decide (at most {MAX_NAMES}). Signed-in callers only.",
        extensions=[PermissionExtension(permissions=[IsSignedIn()])],
    )
    async def organisation_names_for_review(
        self, info: Info, first: int = 50
    ) -> list[OrganisationNameMatch]:
        rows = await names_for_review(info.context.graph, first)
        return [_name_match({**row, "rule": "ambiguous", "score": 0.0}) for row in rows]


@strawberry.type
class OrganisationsMutation:
    @strawberry.mutation(
        description="Undo a merge: the source's `name` is not `organisation`. Kept for every "
        "later sync; the source's records that use the name are resolved again. Hub admins only.",
        extensions=[PermissionExtension(permissions=[IsHubAdmin()])],
    )
    async def split_organisation_name(
        self,
        info: Info,
        organisation: strawberry.ID,
        # Named apart in Python: strawberry's extensions take a ``source`` argument of their own.
        from_source: Annotated[strawberry.ID, strawberry.argument(name="source")],
        name: str,
    ) -> OrganisationSplitResult:
        request = info.context.request
        options = getattr(request.app.state, "ingest_options", None) if request else None
        try:
            result = await split_name(
                info.context.graph, str(organisation), str(from_source), name, options=options
            )
        except SplitError as error:
            raise UserError(str(error)) from None
        return OrganisationSplitResult(
            organisation=strawberry.ID(result.organisation),
            source=strawberry.ID(result.source),
            name=result.name,
            records=result.records,
            new_organisation=strawberry.ID(result.new_organisation)
            if result.new_organisation
            else None,
            pending=result.pending,
        )
