"""Search across projects, people, resources, organisations and topics, saying why each matched.

Each kind has its own full-text index (migration 0002). A word of the query matches a word of a
field whole, as its start, or, from five letters, a letter away (a misspelling, or the word's
plural or singular; see ``lucene``), or from eight letters two, when no record the caller could
find holds the word as typed (``_held``). A query that names a vocabulary topic by its label or
a synonym (``named_topics``) also finds the projects and resources tagged with that topic or a
narrower one.

Hits rank by how much of the query they account for, then by evidence, then by wording: first
the query's words (stop words aside) that the hit matches, a named topic accounting for the
words that name it; then how many named topics the hit is about; then Lucene's score over the
best of its kind (each kind is scored by its own index). So a query that names a topic ranks
work tagged with it (or a narrower one) above work that merely shares a word, while a query
with more words than the topic's ranks work that matches them all first.

People are searched on the fields the caller may read: callers who may not read bios search
an index without them (migration 0005), so a bio word neither finds nor lifts anyone; people's
topics do not rank them here (``whoElse`` does that). Why a hit matched is worked out here,
from its returned fields by the rule the Lucene query matches with, and from the tags the query
found it by, so the reason shown is one a person can check by reading the hit; a hit with no
such reason is left out.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, LiteralString

from graph.database import Graph
from graph.normalise import fold
from graph.queries import lucene
from graph.queries.batch import live_by_id
from graph.queries.fields import (
    ORGANISATION,
    PERSON,
    PROJECT,
    RESOURCE,
    STATEMENTS_KEPT,
    TOPIC,
    WHOLE,
    Entity,
    Projections,
)
from graph.queries.named_topics import NAMED_TOPICS, runs
from graph.queries.projects import Nested

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
WORD_WEIGHT = 1.0
"""What each word of the query a hit accounts for adds to its score."""
TOPIC_WEIGHT = 0.05
"""What each named topic a hit is about adds: with at most MAX_TERMS topics, less than a word."""
TEXT_WEIGHT = 0.04
"""What the best Lucene score of a kind adds, the others in proportion: less than a topic."""
TAGGED_KINDS = frozenset({"project", "resource"})
"""Kinds found through their tags when the query names a topic (``ABOUT``)."""
_LUCENE_STOP_WORDS = (
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with"
)
STOP_WORDS = frozenset(_LUCENE_STOP_WORDS.split())
"""Lucene's English stop words: searched, but they do not count as words a hit accounts for."""
CANDIDATES = 200
"""Per kind, how many hits each word, each named topic and all the words together bring to
be ranked (the best by Lucene's score, or the first by id for a topic): bounded work for words
that thousands of records share."""


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


@dataclass(frozen=True)
class _Kind:
    """How one kind of hit is found and kept: its index, its tags, the filters it must pass."""

    entity: Entity
    index: LiteralString
    where: LiteralString
    """More conditions a hit must meet (on ``entity.variable``), each starting with AND."""
    via: LiteralString = "[]"
    """Per candidate (bound to the entity's variable), the topics the query names that it
    is; tagged kinds work theirs out from their tags instead (``_via``)."""
    tagged: bool = False
    """Whether nodes tagged with a named topic (``ABOUT``) are hits too."""


_IN_SYSTEM: dict[str, LiteralString] = {
    "project": """
        AND ($system IS NULL OR EXISTS {
              MATCH (project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)
                    -[s:PART_OF]->(:System {id: $system})
              WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL })""",
    "person": """
        AND ($system IS NULL OR EXISTS {
              MATCH (person)-[w:WORKS_FOR]->(o:Organisation)-[s:PART_OF]->(:System {id: $system})
              WHERE w.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL })""",
    "resource": """
        AND ($system IS NULL OR EXISTS {
              MATCH (resource)-[r:PUBLISHED_BY]->(o:Organisation)
                    -[s:PART_OF]->(:System {id: $system})
              WHERE r.retiredAt IS NULL AND o.retiredAt IS NULL AND s.retiredAt IS NULL }
            OR EXISTS {
              MATCH (resource)-[f:FROM]->(:Project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)
                    -[s:PART_OF]->(:System {id: $system})
              WHERE f.retiredAt IS NULL AND r.retiredAt IS NULL AND o.retiredAt IS NULL
                AND s.retiredAt IS NULL })""",
    "organisation": """
        AND ($system IS NULL OR EXISTS {
              MATCH (organisation)-[s:PART_OF]->(:System {id: $system})
              WHERE s.retiredAt IS NULL })""",
    "topic": """
        AND ($system IS NULL OR EXISTS {
              MATCH (topic)<-[a:ABOUT]-(:Project)-[r:RUN_BY|IN_PARTNERSHIP_WITH]->(o:Organisation)
                    -[s:PART_OF]->(:System {id: $system})
              WHERE a.retiredAt IS NULL AND r.retiredAt IS NULL AND o.retiredAt IS NULL
                AND s.retiredAt IS NULL })""",
}
_KINDS = (
    _Kind(PROJECT, "'project_text'", _IN_SYSTEM["project"], tagged=True),
    _Kind(PERSON, "$personIndex", " AND " + PERSON.visible + _IN_SYSTEM["person"]),
    _Kind(RESOURCE, "'resource_text'", _IN_SYSTEM["resource"], tagged=True),
    _Kind(ORGANISATION, "'organisation_text'", _IN_SYSTEM["organisation"]),
    _Kind(
        TOPIC,
        "'topic_text'",
        _IN_SYSTEM["topic"],
        via="[named IN topics WHERE named.id = topic.id"
        " | {named: topic.label, tagged: topic.label, at: named.words}]",
    ),
)


def _bounded(kind: _Kind, source: LiteralString, order: LiteralString) -> LiteralString:
    """``source`` binds the kind's variable; the first ``$candidates`` of them (by ``order``)
    that are alive and pass the kind's filters, as ``node``. Filtering before the bound keeps
    a search within a system as good as one across the hub."""
    name = kind.entity.variable
    return (
        source
        + "\n      WITH "
        + name
        + (", score" if order == "score" else "")
        + " WHERE "
        + name
        + ".retiredAt IS NULL"
        + kind.where
        + ("\n      WITH DISTINCT " + name + " ORDER BY " + name + ".id" if order == "id" else "")
        + "\n      RETURN "
        + name
        + " AS node"
        + (", score" if order == "score" else "")
        + " LIMIT $candidates"
    )


def _by_words(kind: _Kind) -> LiteralString:
    """Rows (node, score, at): per word of the query (``at``, its index), the index's best
    ``$candidates`` hits for the word's Lucene terms, with their Lucene score."""
    name = kind.entity.variable
    query_nodes = (
        "CALL db.index.fulltext.queryNodes(" + kind.index + ", {terms}) YIELD node AS " + name
    )
    return (
        "UNWIND $words AS word\n    WITH word WHERE '"
        + name
        + "' IN $kinds\n    CALL (word) {\n      "
        + _bounded(kind, query_nodes.replace("{terms}", "word.lucene") + ", score", "score")
        + "\n    }\n    RETURN node, score, word.at AS at"
        + "\n    UNION ALL\n    WITH $all AS all WHERE all IS NOT NULL AND '"
        + name
        + "' IN $kinds\n    CALL (all) {\n      "
        + _bounded(kind, query_nodes.replace("{terms}", "all.lucene"), "index")
        + "\n    }\n    UNWIND all.at AS at\n    RETURN node, 0.0 AS score, at"
    )


_ALIVE_PATH: LiteralString = """all(step IN nodes(path) WHERE step.retiredAt IS NULL)
        AND all(hop IN relationships(path) WHERE hop.retiredAt IS NULL)"""


def _tagged(kind: _Kind, root: LiteralString) -> LiteralString:
    """The first ``$candidates`` nodes of ``kind`` (by id) about the topic ``root`` binds or a
    narrower one (as deep as ``topics.NARROWER_DEPTH``, alive all the way), as ``node``."""
    name = kind.entity.variable
    path = (
        root
        + "\n      MATCH path = ("
        + name
        + ":"
        + kind.entity.label
        + ")-[:ABOUT]->(:Topic)-[:BROADER*0..5]->(root)\n      WHERE "
        + _ALIVE_PATH
    )
    return _bounded(kind, path, "id")


KEPT_TAGGED: dict[str, LiteralString] = {"project": "taggedProjects", "resource": "taggedResources"}
"""The topic's properties keeping the ids of the first ``CANDIDATES`` nodes of each tagged
kind (by id) that a search naming it takes as candidates, when not narrowed to a system."""


def tagged_within(kind: str) -> LiteralString:
    """The ids a topic keeps under ``KEPT_TAGGED`` for ``kind``, as an expression over the
    topic bound to ``topic`` (``graph.counts`` keeps it): the walk ``_by_topic`` makes for a
    search across the hub, its first ``CANDIDATES``."""
    (tagged,) = [k for k in _KINDS if k.entity.variable == kind and k.tagged]
    walk = _tagged(tagged, "MATCH (root:Topic) WHERE root = topic")
    return (
        "[node IN COLLECT { "
        + walk.replace("$system", "null").replace("$candidates", str(CANDIDATES))
        + " } | node.id]"
    )


def _by_topic(kind: _Kind) -> LiteralString:
    """Rows (node, score, at): per named topic, the first ``$candidates`` nodes (by id) about
    it or a narrower one. A search across the hub reads them from the topic's kept list
    (``KEPT_TAGGED``) where a recount has made one; otherwise it walks down from the topic."""
    name = kind.entity.variable
    kept = "root." + KEPT_TAGGED[name]
    keeps: LiteralString = (
        "$system IS NULL AND $candidates <= " + str(CANDIDATES) + " AND " + kept + " IS NOT NULL"
    )
    return (
        "UNWIND topics AS named\n    WITH named WHERE '"
        + name
        + "' IN $kinds\n    CALL (named) {\n      MATCH (root:Topic {id: named.id}) WHERE "
        + keeps
        + "\n      UNWIND "
        + kept
        + "[..$candidates] AS id\n      MATCH ("
        + name
        + ":"
        + kind.entity.label
        + " {id: id}) WHERE "
        + name
        + ".retiredAt IS NULL\n      RETURN "
        + name
        + " AS node\n      UNION\n      "
        + _tagged(kind, "MATCH (root:Topic {id: named.id}) WHERE NOT (" + keeps + ")")
        + "\n    }\n    RETURN node, 0.0 AS score, null AS at"
    )


def _candidates(kind: _Kind) -> LiteralString:
    if not kind.tagged:
        return _by_words(kind)
    return _by_words(kind) + "\n    UNION ALL\n    " + _by_topic(kind)


# Binds ``under``: per named topic, every topic at or below it (as deep as
# ``topics.NARROWER_DEPTH``, alive all the way) with how far below, worked out once per search
# rather than walked up from each of the hundreds of candidates.
_UNDER_NAMED: LiteralString = (
    """
CALL (topics) {
  UNWIND topics AS named
  MATCH path = (tagged:Topic)-[:BROADER*0..5]->(root:Topic {id: named.id})
  WHERE """
    + _ALIVE_PATH
    + """
  WITH named, root, tagged, min(length(path)) AS depth
  RETURN collect({named: named, root: root.label, tagged: tagged, depth: depth}) AS under
}
"""
)


def _via(kind: _Kind) -> LiteralString:
    """Binds ``via``: the named topics a candidate accounts for, with the evidence ``why``
    shows. A topic hit is one it names; a tagged hit reaches one through the closest topic it
    is tagged with (alive all the way: ``under``), worked out for every candidate, however
    found."""
    name = kind.entity.variable
    if not kind.tagged:
        return "\n  WITH " + name + ", score, at, " + kind.via + " AS via"
    return (
        "\n  CALL ("
        + name
        + ", under) {\n    MATCH ("
        + name
        + ")-[a:ABOUT]->(tagged:Topic) WHERE a.retiredAt IS NULL"
        + """
    UNWIND [u IN under WHERE u.tagged = tagged] AS u
    WITH u ORDER BY u.depth, u.tagged.label
    WITH u.named AS named, u.root AS root, collect(u.tagged)[0] AS tagged
    RETURN collect({named: root, tagged: tagged.label, at: named.words}) AS via
  }"""
    )


def _hits(kind: _Kind) -> LiteralString:
    """The best ``$limit`` hits of one kind: by words accounted for, named topics reached,
    then Lucene's score (summed over the words, as one query of them all would score)."""
    name = kind.entity.variable
    return (
        "CALL (topics) {\n    "
        + _candidates(kind)
        + "\n  }\n  WITH node AS "
        + name
        + ", sum(score) AS score, collect(at) AS at"
        + _via(kind)
        + "\n  WITH collect({node: "
        + name
        + ", score: score, at: at, via: via}) AS hits, max(score) AS best"
        + "\n  UNWIND hits AS hit"
        + "\n  WITH hit.node AS "
        + name
        + ", hit.via AS via,"
        + "\n       size([i IN $counted WHERE i IN hit.at OR any(v IN hit.via WHERE i IN v.at)])"
        + " AS words,"
        + "\n       CASE WHEN best > 0 THEN hit.score / best ELSE 0.0 END AS text"
        + "\n  ORDER BY words DESC, size(via) DESC, text DESC, "
        + name
        + ".id LIMIT $limit\n  RETURN '"
        + name
        + "' AS kind, "
        + name
        + ".id AS id,\n         $wordWeight * words + $topicWeight * size(via)"
        + " + $textWeight * text AS score, via"
    )


# The ranking, one statement whatever fields the caller selects: Neo4j plans it once (it is
# long, and planning it takes far longer than running it), and the hits' fields are read after
# by id (``_read_items``), a short statement per selection.
_SEARCH: LiteralString = (
    NAMED_TOPICS
    + _UNDER_NAMED
    + "CALL (topics, under) {\n  "
    + "\n  UNION ALL\n  ".join(_hits(kind) for kind in _KINDS)
    + "\n}\nRETURN kind, id, score, via ORDER BY score DESC, kind, id LIMIT $limit"
)


def _holds(kind: _Kind) -> LiteralString:
    """Whether a live record of ``kind`` that passes its filters holds ``word`` as typed."""
    name = kind.entity.variable
    return (
        "WITH word WHERE '"
        + name
        + "' IN $kinds\n    CALL db.index.fulltext.queryNodes("
        + kind.index
        + ", word.typed) YIELD node AS "
        + name
        + "\n    WITH "
        + name
        + " WHERE "
        + name
        + ".retiredAt IS NULL"
        + kind.where
        + "\n    RETURN true AS held LIMIT 1"
    )


# The words a record the search could find holds as typed, whole or as a prefix. Every kind the
# caller searches is asked, within the filters the search applies (the caller's people index,
# listed people only for the public, the system), so what a caller may not see never decides it.
_HELD: LiteralString = (
    "UNWIND $words AS word\nCALL (word) {\n  CALL (word) {\n    "
    + "\n    UNION\n    ".join(_holds(kind) for kind in _KINDS)
    + "\n  }\n  RETURN count(held) > 0 AS held\n}\nWITH word WHERE held\nRETURN word.at AS at"
)
HELD_WORD_EDITS = 1
"""The most edits a word some record holds as typed is looked for with: a letter away finds its
plural or singular; two, the misspellings of a word that was not misspelt, and they are the
costliest terms a search asks of Lucene (an automaton per word and index)."""


@dataclass(frozen=True)
class Match:
    """One field of a hit that shows why it matched, with the text around the evidence: a
    searched word (or one a misspelling away), or for ``topics`` the topic it is tagged with."""

    field: str
    snippet: str


def _snippet(text: str, word: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    at = max(fold(text).find(word), 0)
    start = max(0, at - SNIPPET_CHARS // 3)
    end = start + SNIPPET_CHARS
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


@dataclass(frozen=True)
class _Term:
    """A searched word as ``lucene.query_for`` matches it."""

    text: str
    prefix: bool
    edits: int

    def match(self, words: Sequence[str], tokens: Sequence[str]) -> str | None:
        """The first word it matches: among ``words`` whole or as their start; else among the
        letters-only ``tokens`` (``_letter_tokens``) by edits."""
        for word in words:
            if word == self.text or (self.prefix and word.startswith(self.text)):
                return word
        if self.edits:
            for token in tokens:
                if lucene.within_edits(self.text, token, self.edits):
                    return token
        return None


_TOKEN = re.compile(r"\w+(?:['\u2019.]\w+)*")
_LETTERS = re.compile(r"[a-z]+")


def _letter_tokens(text: str) -> list[str]:
    """The words of ``text`` as the index's analyser keeps them (lower case, a word's inner
    apostrophe or dot kept), those of letters a to z alone: the only ones a misspelling is
    matched against here, so a reason never claims what Lucene could not have matched."""
    return [t for t in _TOKEN.findall(text.lower()) if _LETTERS.fullmatch(t)]


def why(
    kind: str,
    item: dict[str, Any],
    text: str,
    fields: Sequence[str] | None = None,
    held: Collection[int] = (),
) -> list[Match]:
    """The searched fields of ``item`` holding a word of ``text``, matched as the Lucene query
    matches (``lucene.query_for`` with ``fuzzy``): the whole word, as a prefix when the word is
    long enough to be searched as one, or a few edits away when it is long enough for that.
    The snippet shows the field's text around the word that matched. ``fields`` defaults to
    every searched field of the kind. The words ``held`` as typed (their indices, ``_HELD``)
    were searched a letter away at most."""
    terms = [
        _Term(
            term, lucene.searched_as_prefix(word), lucene.fuzzy_edits(word, _most_edits(at, held))
        )
        for at, word in enumerate(lucene.words(text))
        for term in fold(word).split()
    ]
    fuzzy = any(term.edits for term in terms)
    matches = []
    for field in SEARCHED_FIELDS[kind] if fields is None else fields:
        value = item.get(field)
        values = value if isinstance(value, list) else [value]
        for candidate in values:
            if not isinstance(candidate, str):
                continue
            words = fold(candidate).split()
            tokens = _letter_tokens(candidate) if fuzzy else []
            hit = next((w for t in terms if (w := t.match(words, tokens)) is not None), None)
            if hit is not None:
                matches.append(Match(field, _snippet(candidate, hit)))
                break
    return matches


def topic_reasons(via: Iterable[Mapping[str, Any]]) -> list[Match]:
    """A tagged hit's topics that the query names, or that are narrower than one it names."""
    return [
        Match(
            "topics",
            v["tagged"]
            if v["tagged"] == v["named"]
            else f"{v['tagged']} (narrower than {v['named']})",
        )
        for v in sorted(via, key=lambda v: (v["named"], v["tagged"]))
    ]


def every_word(words: Sequence[str], held: Collection[int] = ()) -> dict[str, Any] | None:
    """The Lucene query matching the hits that account for every counted word (each word's
    terms required), with the words' indices; None for fewer than two such words. Its hits
    rank first, so they are looked for together as well as word by word: with many hits for
    each word, the few that have them all may be in neither word's first ``candidates``. The
    words ``held`` as typed are looked for a letter away at most."""
    kept = counted(words)
    if len(kept) < 2 or all(fold(words[at]) in STOP_WORDS for at in kept):
        return None
    terms = " ".join(f"+({_query(words[at], at, held)})" for at in kept)
    return {"lucene": terms, "at": kept}


def counted(words: Sequence[str]) -> list[int]:
    """Which words (their indices) a hit is ranked by accounting for: all but stop words, or
    all of them when that leaves none."""
    kept = [at for at, word in enumerate(words) if fold(word) not in STOP_WORDS]
    return kept or list(range(len(words)))


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
    nested: Nested | None = None,
    candidates: int = CANDIDATES,
) -> list[dict[str, Any]]:
    """The best ``limit`` hits for ``text``, each ``{kind, item, score, why, fetched}``; each
    item with the fields ``projections`` returns, and a project's lists ``nested`` asks for
    in ``fetched`` (read with the hits, as a projects page reads them; None for other kinds).

    ``public_only`` callers see only people who agreed to be listed; callers who may not read
    bios find and rank people by name and role alone. A hit is kept only if a field it returns,
    or a tag it has, shows why it matched. Each kind ranks at most ``candidates`` hits per
    word, per named topic and for all the words at once, so the work is bounded however
    common the words are.
    """
    words = lucene.words(text)
    if not words or not kinds:
        return []
    filters = {
        "kinds": list(kinds),
        "system": system,
        "publicOnly": public_only,
        "personIndex": "person_text" if may_read_bios else "person_public_text",
    }
    held = await _held(graph, words, filters)
    ranked = await graph.read(
        _SEARCH,
        {
            "words": [
                {"at": at, "lucene": _query(word, at, held)} for at, word in enumerate(words)
            ],
            "counted": counted(words),
            "all": every_word(words, held),
            "candidates": max(candidates, limit),
            "runs": runs(words) if {*TAGGED_KINDS, "topic"} & {*kinds} else [],
            "maxTopics": lucene.MAX_TERMS,
            "wordWeight": WORD_WEIGHT,
            "topicWeight": TOPIC_WEIGHT,
            "textWeight": TEXT_WEIGHT,
            "limit": limit,
            **filters,
        },
    )
    lists = replace(nested or Nested(), public_only=public_only)  # as every read of people
    items = await _items(graph, ranked, projections, lists)
    person_fields = SEARCHED_FIELDS["person"] if may_read_bios else PUBLIC_PERSON_FIELDS
    found = []
    for row in ranked:
        kind = row["kind"]
        read = items.get((kind, row["id"]))
        if read is None:  # retired since it was ranked
            continue
        item, fetched = read
        fields = person_fields if kind == "person" else None
        reasons = why(kind, item, text, fields, held)
        if kind in TAGGED_KINDS:
            reasons += topic_reasons(row["via"])
        if reasons:
            score = row["score"]
            found.append(
                {"kind": kind, "item": item, "score": score, "why": reasons, "fetched": fetched}
            )
    return found


async def _held(graph: Graph, words: Sequence[str], filters: Mapping[str, Any]) -> frozenset[int]:
    """Which of ``words`` (their indices) a record the search could find holds as typed
    (``_HELD``), of those that would otherwise be looked for more than a letter away."""
    asked = [
        {"at": at, "typed": lucene.query_for(word)}
        for at, word in enumerate(words)
        if lucene.fuzzy_edits(word) > HELD_WORD_EDITS
    ]
    if not asked:
        return frozenset()
    rows = await graph.read(_HELD, {"words": asked, **filters})
    return frozenset(row["at"] for row in rows)


def _most_edits(at: int, held: Collection[int]) -> int:
    """The most edits the query's word at ``at`` is looked for with."""
    return HELD_WORD_EDITS if at in held else lucene.MOST_EDITS


def _query(word: str, at: int, held: Collection[int]) -> str | None:
    """The Lucene query for the query's word at ``at``."""
    return lucene.query_for(word, fuzzy=True, most_edits=_most_edits(at, held))


async def _items(
    graph: Graph, ranked: Sequence[Mapping[str, Any]], projections: Projections, nested: Nested
) -> dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any] | None]]:
    """The ranked hits' fields, as ``projections`` returns them, and the lists of project hits
    ``nested`` asks for, by (kind, id): one statement."""
    ids: dict[str, list[str]] = {}
    for row in ranked:
        ids.setdefault(row["kind"], []).append(row["id"])
    if not ids:
        return {}
    statement = _read_items(tuple(sorted(ids)), projections, nested)
    rows = await graph.read(statement, {"ids": ids, **nested.parameters()})
    return {(row["kind"], row["key"]): (row["item"], row["fetched"]) for row in rows}


@lru_cache(maxsize=STATEMENTS_KEPT)
def _read_items(kinds: tuple[str, ...], p: Projections, nested: Nested) -> LiteralString:
    """Per kind in ``kinds``, its live nodes with the ids in ``$ids.<kind>``, projected; a
    project's with the lists ``nested`` asks for as ``fetched`` (null for other kinds)."""
    parts: list[LiteralString] = []
    for kind in _KINDS:
        name = kind.entity.variable
        if name not in kinds:
            continue
        then, fetched = _fetched(nested) if kind.entity is PROJECT else ("", ", null AS fetched")
        by_id = live_by_id(kind.entity, p.of(kind.entity), "$ids." + name, then, fetched)
        parts.append("CALL () { " + by_id + " } RETURN '" + name + "' AS kind, key, item, fetched")
    union: LiteralString = "\n  UNION ALL\n  ".join(parts)
    return "CALL () {\n  " + union + "\n}\nRETURN kind, key, item, fetched"


def _fetched(nested: Nested) -> tuple[LiteralString, LiteralString]:
    """The subqueries reading a project's ``nested`` lists, and the column holding them (null
    when it asks for none), as ``Project.fetched`` takes them."""
    subqueries, _ = nested.subqueries()
    lists = nested.lists()
    if not lists:
        return "", ", null AS fetched"
    entries: LiteralString = ", ".join(related.name + ": " + related.name for related in lists)
    if nested.people is not None:
        entries += ", peopleLimit: $peopleLimit"
    return subqueries, ", {" + entries + "} AS fetched"
