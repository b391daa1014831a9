"""The API's enums. Values are the stored ones (docs/graph-model.md); names are GraphQL's."""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import TypeVar

import strawberry

E = TypeVar("E", bound=Enum)


@strawberry.enum(description="The sector an organisation belongs to.")
class Sector(Enum):
    NHS = "nhs"
    LOCAL_GOVERNMENT = "local_government"
    VOLUNTARY = "voluntary"
    PRIMARY_CARE = "primary_care"
    ACADEMIC = "academic"
    IMPROVEMENT_BODY = "improvement_body"
    INDEPENDENT = "independent"
    OTHER = "other"


@strawberry.enum
class ProjectStatus(Enum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    STOPPED = "stopped"


@strawberry.enum(description="The four modes of improvement the Q community describes.")
class ImprovementMode(Enum):
    ITERATIVE_QI = "iterative_qi"
    PATHWAY_TRANSFORMATION = "pathway_transformation"
    OPERATING_MODEL_CHANGE = "operating_model_change"
    SPREAD_INNOVATION = "spread_innovation"


@strawberry.enum
class ResourceType(Enum):
    CASE_STUDY = "case_study"
    TOOLKIT = "toolkit"
    SLIDESET = "slideset"
    GUIDE = "guide"
    TRAINING = "training"
    EVENT = "event"
    VIDEO = "video"
    BLOG_POST = "blog_post"
    REPORT = "report"
    OTHER = "other"


@strawberry.enum(description="What a person offers to others.")
class Offer(Enum):
    MENTORING = "mentoring"
    COACHING = "coaching"


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
