"""The GraphQL schema: the root types that partner sites, the explorer and other hubs use."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import strawberry
from strawberry.types import Info

from graph import status
from schema.context import Context


def convener_version() -> str:
    try:
        return version("convener")
    except PackageNotFoundError:
        return "unknown"


@strawberry.type(description="What this hub is and what it runs on.")
class About:
    name: str
    version: str
    neo4j_version: str


@strawberry.type
class Query:
    @strawberry.field(description="The hub's name and version, and the Neo4j it reads from.")
    async def about(self, info: Info[Context, None]) -> About:
        return About(
            name="Convener",
            version=convener_version(),
            neo4j_version=await status.server_version(info.context.graph),
        )


schema = strawberry.Schema(query=Query)
