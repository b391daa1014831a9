"""Search across projects, people, resources, organisations and topics, saying why each matched.

Each kind has its own full-text index (migration 0002); their scores are merged into one
ranking. Why a hit matched is worked out here from the returned fields, so the reason shown
is always one a person can check by reading the hit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, LiteralString

from graph.database import Graph
from graph.normalise import fold
from graph.queries import lucene
from graph.queries.common import (
    ORGANISATION,
    ORGANISATION_KEYS,
    PERSON,
    PERSON_KEYS,
    PROJECT,
    PROJECT_KEYS,
    RESOURCE,
    RESOURCE_KEYS,
    TOPIC,
    TOPIC_KEYS,
    VISIBLE_PERSON,
    projection,
)

KINDS = ("project", "person", "resource", "organisation", "topic")
SEARCHED_FIELDS: dict[str, tuple[str, ...]] = {
    "project": ("title", "summary", "aim"),
    "person": ("name", "role", "bio"),
    "resource": ("title", "summary"),
    "organisation": ("name", "aliases"),
    "topic": ("label", "synonyms"),
}
KEYS: dict[str, dict[str, LiteralString]] = {
    "project": PROJECT_KEYS,
    "person": PERSON_KEYS,
    "resource": RESOURCE_KEYS,
    "organisation": ORGANISATION_KEYS,
    "topic": TOPIC_KEYS,
}
SNIPPET_CHARS = 160


@dataclass(frozen=True)
class Projections:
    """What each kind of hit returns: by default every field the API can show
    (``graph.queries.common``). Each must bind its node's variable as those do and keep ``id``
    and the kind's ``SEARCHED_FIELDS`` (why a hit matched is worked out from them)."""

    project: LiteralString = PROJECT
    person: LiteralString = PERSON
    resource: LiteralString = RESOURCE
    organisation: LiteralString = ORGANISATION
    topic: LiteralString = TOPIC


def selected(keys: Mapping[str, Iterable[str] | None]) -> Projections:
    """Projections that return, for each kind, ``id``, its searched fields and the row keys
    given for it (``graph.queries.common``'s ``*_KEYS``); every field for a kind given None
    or not given."""

    def one(variable: LiteralString, every: LiteralString) -> LiteralString:
        wanted = keys.get(variable)
        if wanted is None:
            return every
        return projection(variable, KEYS[variable], {*wanted, *SEARCHED_FIELDS[variable]})

    return Projections(
        project=one("project", PROJECT),
        person=one("person", PERSON),
        resource=one("resource", RESOURCE),
        organisation=one("organisation", ORGANISATION),
        topic=one("topic", TOPIC),
    )


@cache
def _search(p: Projections) -> LiteralString:
    return (
        """
    CALL () {
      CALL db.index.fulltext.queryNodes('project_text', $lucene) YIELD node AS project, score
      WHERE 'project' IN $kinds AND project.retiredAt IS NULL
        AND ($system IS NULL OR EXISTS {
              MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)
                    -[s:PART_OF]->(:System {id: $system})
              WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL })
      RETURN 'project' AS kind, """
        + p.project
        + """ AS item, score ORDER BY score DESC LIMIT $limit
      UNION ALL
      CALL db.index.fulltext.queryNodes('person_text', $lucene) YIELD node AS person, score
      WHERE 'person' IN $kinds AND person.retiredAt IS NULL AND """
        + VISIBLE_PERSON
        + """
        AND ($system IS NULL OR EXISTS {
              MATCH (person)-[w:WORKS_FOR]->(o:Organisation)-[s:PART_OF]->(:System {id: $system})
              WHERE w.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL })
      RETURN 'person' AS kind, """
        + p.person
        + """ AS item, score ORDER BY score DESC LIMIT $limit
      UNION ALL
      CALL db.index.fulltext.queryNodes('resource_text', $lucene) YIELD node AS resource, score
      WHERE 'resource' IN $kinds AND resource.retiredAt IS NULL
        AND ($system IS NULL OR EXISTS {
              MATCH (resource)-[r:PUBLISHED_BY]->(o:Organisation)
                    -[s:PART_OF]->(:System {id: $system})
              WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL }
            OR EXISTS {
              MATCH (resource)-[f:FROM]->(:Project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)
                    -[s:PART_OF]->(:System {id: $system})
              WHERE f.retiredAt IS NULL AND r.retiredAt IS NULL AND o.retiredAt IS NULL
                AND s.retiredAt IS NULL })
      RETURN 'resource' AS kind, """
        + p.resource
        + """ AS item, score ORDER BY score DESC LIMIT $limit
      UNION ALL
      CALL db.index.fulltext.queryNodes('organisation_text', $lucene)
      YIELD node AS organisation, score
      WHERE 'organisation' IN $kinds AND organisation.retiredAt IS NULL
        AND ($system IS NULL OR EXISTS {
              MATCH (organisation)-[s:PART_OF]->(:System {id: $system}) WHERE s.retiredAt IS NULL })
      RETURN 'organisation' AS kind, """
        + p.organisation
        + """ AS item, score ORDER BY score DESC LIMIT $limit
      UNION ALL
      CALL db.index.fulltext.queryNodes('topic_text', $lucene) YIELD node AS topic, score
      WHERE 'topic' IN $kinds AND topic.retiredAt IS NULL
        AND ($system IS NULL OR EXISTS {
              MATCH (topic)<-[a:ABOUT]-(:Project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)
                    -[s:PART_OF]->(:System {id: $system})
              WHERE a.retiredAt IS NULL AND r.retiredAt IS NULL AND o.retiredAt IS NULL
                AND s.retiredAt IS NULL })
      RETURN 'topic' AS kind, """
        + p.topic
        + """ AS item, score ORDER BY score DESC LIMIT $limit
    }
    RETURN kind, item, score ORDER BY score DESC, kind, item.id LIMIT $limit
    """
    )


@dataclass(frozen=True)
class Match:
    """One field of a hit that contains a searched word, with the text around it."""

    field: str
    snippet: str


def _snippet(text: str, word: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    at = max(fold(text).find(word), 0)
    start = max(0, at - SNIPPET_CHARS // 3)
    end = start + SNIPPET_CHARS
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def why(kind: str, item: dict[str, Any], text: str) -> list[Match]:
    """The searched fields of ``item`` containing a word of ``text`` (as a word or its start)."""
    searched = [fold(word) for word in lucene.words(text)]
    searched = [word for word in searched if word]
    matches = []
    for field in SEARCHED_FIELDS[kind]:
        value = item.get(field)
        values = value if isinstance(value, list) else [value]
        for candidate in values:
            if not isinstance(candidate, str):
                continue
            folded = fold(candidate)
            words = folded.split()
            hit = next(
                (
                    s
                    for s in searched
                    if any(w.startswith(part) for part in s.split() for w in words)
                ),
                None,
            )
            if hit is not None:
                matches.append(Match(field, _snippet(candidate, hit)))
                break
    return matches


async def search(
    graph: Graph,
    text: str,
    *,
    kinds: Sequence[str] = KINDS,
    system: str | None = None,
    public_only: bool,
    limit: int,
    projections: Projections = Projections(),
) -> list[dict[str, Any]]:
    """The best ``limit`` hits for ``text``, each ``{kind, item, score, why}``; each item with
    the fields ``projections`` returns."""
    query = lucene.query_for(text)
    if query is None or not kinds:
        return []
    rows = await graph.read(
        _search(projections),
        {
            "lucene": query,
            "kinds": list(kinds),
            "system": system,
            "publicOnly": public_only,
            "limit": limit,
        },
    )
    for row in rows:
        row["why"] = why(row["kind"], row["item"], text)
    return rows
