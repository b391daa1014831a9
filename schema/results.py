"""Answers with evidence: search hits, people who match, links between organisations."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from schema.enums import Offer, SearchKind
from schema.permissions import profile
from schema.personal import PROFILE_HELP, Personal
from schema.types import Organisation, Person, Project, Resource, Topic

SearchNode = Annotated[
    Project | Person | Resource | Organisation | Topic,
    strawberry.union("SearchNode", description="Anything search can find."),
]
_MAKERS: dict[str, Any] = {
    "project": Project.from_row,
    "person": Person.from_row,
    "resource": Resource.from_row,
    "organisation": Organisation.from_row,
    "topic": Topic.from_row,
}


@strawberry.type(
    description="Why a hit matched: a field holding a searched word (or one a misspelling "
    "away), or `topics`, a topic the search names that the hit is tagged with."
)
class SearchMatch:
    field: str = strawberry.field(
        description="The field's name, e.g. `title`, `synonyms` or `topics`."
    )
    snippet: str = strawberry.field(
        description="The field's text around the matching word; for `topics`, the topic "
        "(and the one the search named, when the hit's is narrower)."
    )


@strawberry.type(description="One search result, with why it matched.")
class SearchHit:
    kind: SearchKind
    score: float = strawberry.field(
        description="Relevance; higher is better. Compare within one search."
    )
    node: SearchNode
    matched_on: list[SearchMatch]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SearchHit:
        return cls(
            kind=SearchKind(row["kind"]),
            score=round(float(row["score"]), 4),
            node=_node(row),
            matched_on=[SearchMatch(field=m.field, snippet=m.snippet) for m in row["why"]],
        )


def _node(row: dict[str, Any]) -> Any:
    """A hit's node; a project's with the lists the search read with it."""
    if row["kind"] == "project":
        return Project.from_row(row["item"], fetched=row["fetched"])
    return _MAKERS[row["kind"]](row["item"])


@strawberry.type(description="A person who works on the same thing, and the evidence for it.")
class PersonMatch:
    person: Person
    organisations: list[Organisation] = strawberry.field(description="Where the person works.")
    in_other_organisation: bool = strawberry.field(
        description="True when they work outside the organisations of the project asked about."
    )
    projects: list[Project] = strawberry.field(
        description="Evidence: their projects on the topic (up to 5)."
    )
    topics: list[Topic] = strawberry.field(
        description="Evidence: the matching topics they work on."
    )
    score: int = strawberry.field(description="Two points per project, one per declared interest.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PersonMatch:
        return cls(
            person=Person.from_row(row["person"]),
            organisations=[Organisation.from_row(o) for o in row["organisations"]],
            in_other_organisation=row["elsewhere"],
            projects=[Project.from_row(p) for p in row["projects"]],
            topics=[Topic.from_row(t) for t in row["topics"]],
            score=row["score"],
        )

    @strawberry.field(
        description=f"As `person.offersMentoring`. {PROFILE_HELP}", directives=[Personal()]
    )
    def offers_mentoring(self, info: Info) -> bool | None:
        return profile(info, Offer.MENTORING in self.person.offer_list())

    @strawberry.field(
        description=f"As `person.offersCoaching`. {PROFILE_HELP}", directives=[Personal()]
    )
    def offers_coaching(self, info: Info) -> bool | None:
        return profile(info, Offer.COACHING in self.person.offer_list())


@strawberry.type(description="Two organisations that work together, and the evidence.")
class OrganisationLink:
    organisations: list[Organisation] = strawberry.field(description="The pair, by id.")
    crosses_sector: bool | None = strawberry.field(
        description="True when the two are in different sectors (null when a sector is unknown)."
    )
    shared_project_count: int
    person_count: int = strawberry.field(
        description="People working for one and for, or on a project of, the other."
    )
    shared_topic_count: int = strawberry.field(
        description="Topics both organisations' projects are about; under a `topic` filter, "
        "only that topic and its narrower ones."
    )
    example_projects: list[Project]
    example_people: list[Person] = strawberry.field(
        description="Listed people only; counts include all."
    )
    example_topics: list[Topic]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> OrganisationLink:
        return cls(
            organisations=[Organisation.from_row(o) for o in row["organisations"]],
            crosses_sector=row["crossesSector"],
            shared_project_count=row["projectCount"],
            person_count=row["personCount"],
            shared_topic_count=row["topicCount"],
            example_projects=[Project.from_row(p) for p in row["projects"]],
            example_people=[Person.from_row(p) for p in row["people"]],
            example_topics=[Topic.from_row(t) for t in row["topics"]],
        )
