"""The closed vocabularies partners' records use and the graph stores, one class each.

Connectors validate records against them; the API shows them as GraphQL enums (``schema.enums``
registers these very classes). Values are the stored ones (docs/graph-model.md).
"""

from __future__ import annotations

from enum import StrEnum


class Sector(StrEnum):
    """The sector an organisation belongs to; links between sectors are what we look for."""

    NHS = "nhs"
    LOCAL_GOVERNMENT = "local_government"
    VOLUNTARY = "voluntary"
    PRIMARY_CARE = "primary_care"
    ACADEMIC = "academic"
    IMPROVEMENT_BODY = "improvement_body"
    INDEPENDENT = "independent"
    OTHER = "other"


class ProjectStatus(StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    STOPPED = "stopped"


class ImprovementMode(StrEnum):
    """The four modes of improvement the Q community describes."""

    ITERATIVE_QI = "iterative_qi"
    PATHWAY_TRANSFORMATION = "pathway_transformation"
    OPERATING_MODEL_CHANGE = "operating_model_change"
    SPREAD_INNOVATION = "spread_innovation"


class ResourceType(StrEnum):
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


class Offer(StrEnum):
    """What a person offers to others."""

    MENTORING = "mentoring"
    COACHING = "coaching"


class PersonKind(StrEnum):
    """Who a person is in improvement work: lived experience is as much a kind as a job."""

    STAFF = "staff"
    PATIENT_OR_CARER = "patient_or_carer"
    LIVED_EXPERIENCE_PARTNER = "lived_experience_partner"
    VOLUNTEER = "volunteer"
    STUDENT = "student"
