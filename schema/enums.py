"""The API's enums. The stored vocabularies are ``connectors.enums``' own classes, registered
with strawberry here, so a value means one thing from partner record to GraphQL answer."""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import TypeVar

import strawberry

from connectors import enums as vocabulary

E = TypeVar("E", bound=Enum)

Sector = strawberry.enum(vocabulary.Sector, description="The sector an organisation belongs to.")
ProjectStatus = strawberry.enum(vocabulary.ProjectStatus)
ImprovementMode = strawberry.enum(
    vocabulary.ImprovementMode,
    description="The four modes of improvement the Q community describes.",
)
ResourceType = strawberry.enum(vocabulary.ResourceType)
Offer = strawberry.enum(vocabulary.Offer, description="What a person offers to others.")
PersonKind = strawberry.enum(
    vocabulary.PersonKind,
    description="Who a person is in improvement work: staff, or bringing lived experience, "
    "volunteering or studying.",
)


@strawberry.enum
class SystemKind(Enum):
    ICS = "ics"
    REGION = "region"


@strawberry.enum
class SearchKind(Enum):
    PROJECT = "project"
    PERSON = "person"
    RESOURCE = "resource"
    ORGANISATION = "organisation"
    TOPIC = "topic"


def stored(kind: type[E], value: object) -> E | None:
    """The enum member for a stored value; a value this API does not know reads as null."""
    if value is None:  # most optional fields of most rows
        return None
    try:
        return _members(kind).get(value)
    except TypeError:  # unhashable: a list where one value belongs
        return None


@cache
def _members(kind: type[E]) -> dict[object, E]:
    return {member.value: member for member in kind}
