"""Search across projects, people, resources, organisations and topics, saying why each matched.

Each kind has its own full-text index (migration 0002); their scores are merged into one
ranking. People are searched on the fields the caller may read: callers who may not read bios
search an index without them (migration 0005), so a bio word neither finds nor lifts anyone.
Why a hit matched is worked out here from the returned fields, by the same rule the Lucene
query matches with, so the reason shown is one a person can check by reading the hit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, LiteralString

from graph.database import Graph
from graph.normalise import fold
from graph.queries import lucene
from graph.queries.common import VISIBLE_PERSON
from graph.queries.fields import (
    ORGANISATION,
    PERSON,
    PROJECT,
    RESOURCE,
    TOPIC,
    WHOLE,
    Projections,
)

KINDS = ("project", "person", "resource", "organisation", "topic")
SEARCHED_FIELDS: dict[str, tuple[str, ...]] = {
    "project": ("title", "summary", "aim"),
    "person": ("name", "role", "bio"),
    "resource": ("title", "summary"),
    "organisation": ("name", "aliases"),
    "topic": ("label", "synonyms"),
}
PUBLIC_PERSON_FIELDS = ("name", "role")
"""What a person is searched on for callers who may not read their bio (``person_public_text``)."""
SNIPPET_CHARS = 160


def selected(keys: Mapping[str, Iterable[str] | None]) -> Projections:
    """Projections that return, for each kind, ``id``, its searched fields (why a hit matched
    is worked out from them) and the row keys given for it; every key for a kind given None or
    not given."""
    return Projections(
        **{
            kind: None if keys.get(kind) is None else frozenset({*keys[kind], *searched})
            for kind, searched in SEARCHED_FIELDS.items()
        }
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
        + p.of(PROJECT)
        + """ AS item, score ORDER BY score DESC LIMIT $limit
      UNION ALL
      CALL db.index.fulltext.queryNodes($personIndex, $lucene) YIELD node AS person, score
      WHERE 'person' IN $kinds AND person.retiredAt IS NULL AND """
        + VISIBLE_PERSON
        + """
        AND ($system IS NULL OR EXISTS {
              MATCH (person)-[w:WORKS_FOR]->(o:Organisation)-[s:PART_OF]->(:System {id: $system})
              WHERE w.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL })
      RETURN 'person' AS kind, """
        + p.of(PERSON)
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
        + p.of(RESOURCE)
        + """ AS item, score ORDER BY score DESC LIMIT $limit
      UNION ALL
      CALL db.index.fulltext.queryNodes('organisation_text', $lucene)
      YIELD node AS organisation, score
      WHERE 'organisation' IN $kinds AND organisation.retiredAt IS NULL
        AND ($system IS NULL OR EXISTS {
              MATCH (organisation)-[s:PART_OF]->(:System {id: $system}) WHERE s.retiredAt IS NULL })
      RETURN 'organisation' AS kind, """
        + p.of(ORGANISATION)
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
        + p.of(TOPIC)
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


def _matches(term: str, prefix: bool, word: str) -> bool:
    return word == term or (prefix and word.startswith(term))


def why(
    kind: str, item: dict[str, Any], text: str, fields: Sequence[str] | None = None
) -> list[Match]:
    """The searched fields of ``item`` holding a word of ``text``, matched as the Lucene query
    matches (``lucene.query_for``): the whole word, or as a prefix when the word is long enough
    to be searched as one. ``fields`` defaults to every searched field of the kind."""
    terms = [
        (term, lucene.searched_as_prefix(word))
        for word in lucene.words(text)
        for term in fold(word).split()
    ]
    matches = []
    for field in SEARCHED_FIELDS[kind] if fields is None else fields:
        value = item.get(field)
        values = value if isinstance(value, list) else [value]
        for candidate in values:
            if not isinstance(candidate, str):
                continue
            words = fold(candidate).split()
            hit = next(
                (t for t, prefix in terms if any(_matches(t, prefix, w) for w in words)), None
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
    may_read_bios: bool,
    limit: int,
    projections: Projections = WHOLE,
) -> list[dict[str, Any]]:
    """The best ``limit`` hits for ``text``, each ``{kind, item, score, why}``; each item with
    the fields ``projections`` returns.

    ``public_only`` callers see only people who agreed to be listed; callers who may not read
    bios find and rank people by name and role alone. A hit is kept only if a field it returns
    shows why it matched.
    """
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
            "personIndex": "person_text" if may_read_bios else "person_public_text",
            "limit": limit,
        },
    )
    person_fields = SEARCHED_FIELDS["person"] if may_read_bios else PUBLIC_PERSON_FIELDS
    found = []
    for row in rows:
        fields = person_fields if row["kind"] == "person" else None
        row["why"] = why(row["kind"], row["item"], text, fields)
        if row["why"]:
            found.append(row)
    return found
