"""What a series counts in: the projects, people and resources of a system, an organisation
or a topic, as the graph holds them now or held them before.

History counts what was: a project that a source has since stopped listing (retired) still
started, ran and ended when it did, so these scopes do not leave out retired nodes and links
the way present-tense reads do; each figure bounds things by their own times instead. The
filters mean what the ``projects`` filter means: a project is in a system or an organisation
when it is run by, or in partnership with, an organisation there; a topic includes its
narrower topics.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, LiteralString

from graph.queries.common import VISIBLE_PERSON
from graph.queries.filters import Listing, Narrowing
from graph.queries.topics import NARROWER_DEPTH, TOPIC_IS_ROOT

assert NARROWER_DEPTH == 5, "the paths below reach five BROADER steps, as topic filters do"

_WORKS_IN: LiteralString = "-[:RUN_BY|IN_PARTNERSHIP_WITH]->"
_DOWN_TO_ROOT: LiteralString = "-[:ABOUT]->(:Topic)-[:BROADER*0..5]->(root:Topic)"

PROJECTS = Listing(
    variable="project",
    scan="MATCH (project:Project)",
    alive="true",
    sort_key="project.id",
    narrowings={
        "organisation": Narrowing(
            condition="EXISTS { MATCH (project)"
            + _WORKS_IN
            + "(:Organisation {id: $organisation}) }",
            anchor="MATCH (:Organisation {id: $organisation})<-[:RUN_BY|IN_PARTNERSHIP_WITH]-"
            "(project:Project) WITH DISTINCT project",
        ),
        "topic": Narrowing(
            condition="EXISTS { MATCH (project)" + _DOWN_TO_ROOT + " WHERE " + TOPIC_IS_ROOT + " }",
            anchor="MATCH (root:Topic) WHERE "
            + TOPIC_IS_ROOT
            + "\nCALL (root) { MATCH (project:Project)-[:ABOUT]->(:Topic)-[:BROADER*0..5]->(root)"
            " RETURN DISTINCT project }\nWITH DISTINCT project",
        ),
        "system": Narrowing(
            condition="EXISTS { MATCH (project)"
            + _WORKS_IN
            + "(:Organisation)-[:PART_OF]->(:System {id: $system}) }",
            anchor="MATCH (:System {id: $system})<-[:PART_OF]-(:Organisation)"
            "<-[:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project) WITH DISTINCT project",
        ),
    },
)

PEOPLE = Listing(
    variable="person",
    scan="MATCH (person:Person)",
    alive=VISIBLE_PERSON,
    sort_key="person.id",
    narrowings={
        "organisation": Narrowing(
            condition="EXISTS { MATCH (person)-[:WORKS_FOR]->(:Organisation {id: $organisation}) }",
            anchor="MATCH (:Organisation {id: $organisation})<-[:WORKS_FOR]-(person:Person) "
            "WITH DISTINCT person",
        ),
        # Interested in the topic, or working on a project about it.
        "topic": Narrowing(
            condition="(EXISTS { MATCH (person)-[:INTERESTED_IN]->(:Topic)-[:BROADER*0..5]->"
            "(root:Topic) WHERE "
            + TOPIC_IS_ROOT
            + " } OR EXISTS { MATCH (person)-[:WORKS_ON]->(:Project)"
            + _DOWN_TO_ROOT
            + " WHERE "
            + TOPIC_IS_ROOT
            + " })"
        ),
        "system": Narrowing(
            condition="EXISTS { MATCH (person)-[:WORKS_FOR]->(:Organisation)-[:PART_OF]->"
            "(:System {id: $system}) }",
            anchor="MATCH (:System {id: $system})<-[:PART_OF]-(:Organisation)"
            "<-[:WORKS_FOR]-(person:Person) WITH DISTINCT person",
        ),
    },
)

# A resource is in a system or an organisation through its publisher or the project it came
# from.
RESOURCES = Listing(
    variable="resource",
    scan="MATCH (resource:Resource)",
    alive="true",
    sort_key="resource.id",
    narrowings={
        "organisation": Narrowing(
            condition="(EXISTS { MATCH (resource)-[:PUBLISHED_BY]->"
            "(:Organisation {id: $organisation}) } OR EXISTS { MATCH (resource)-[:FROM]->"
            "(:Project)" + _WORKS_IN + "(:Organisation {id: $organisation}) })"
        ),
        "topic": Narrowing(
            condition="EXISTS { MATCH (resource)" + _DOWN_TO_ROOT + " WHERE " + TOPIC_IS_ROOT + " }"
        ),
        "system": Narrowing(
            condition="(EXISTS { MATCH (resource)-[:PUBLISHED_BY]->(:Organisation)-[:PART_OF]->"
            "(:System {id: $system}) } OR EXISTS { MATCH (resource)-[:FROM]->(:Project)"
            + _WORKS_IN
            + "(:Organisation)-[:PART_OF]->(:System {id: $system}) })"
        ),
    },
)

# An organisation itself is in the scope when it is the one asked for, or in the system.
ORGANISATION_IN_SCOPE: LiteralString = (
    "($organisation IS NULL OR organisation.id = $organisation) "
    "AND ($system IS NULL OR EXISTS { MATCH (organisation)-[:PART_OF]->(:System {id: $system}) })"
)

# The topic condition on a project bound to ``project``, for the links through projects.
PROJECT_ON_TOPIC: LiteralString = (
    "($topic IS NULL OR EXISTS { MATCH (project)"
    + _DOWN_TO_ROOT
    + " WHERE "
    + TOPIC_IS_ROOT
    + " })"
)


def within(listing: Listing, parameters: Mapping[str, Any]) -> LiteralString:
    """The MATCH and WHERE that bind the listing's variable to every node in scope."""
    return listing.match(parameters)


def conditions(listing: Listing, parameters: Mapping[str, Any]) -> LiteralString:
    """The filters set in ``parameters`` as one condition on the listing's variable (``true``
    when none is set), for checking nodes found another way."""
    given = [listing.narrowings[name].condition for name in listing.given(parameters)]
    return " AND ".join(["true", *given])
