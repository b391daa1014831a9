"""Similar work for a draft: the projects closest to one not yet submitted, with the reasons.

The draft is scored as the incremental path scores one new project (``graph.similarity.
engine.update_similarity``): its blocking keys find candidates through the full-text index,
and each candidate is judged by the same scoring, weighed by the stored term statistics. Only
reads: nothing is stored, and the statistics in memory are not counted up. A draft names no
people, so people (personal data) never decide what it is shown or in which order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import LiteralString

from graph.database import Graph
from graph.similarity import statistics
from graph.similarity.engine import candidates_for, default_analyzer
from graph.similarity.profiles import ProjectProfile, profile_from_row
from graph.similarity.scan import corpus_with_statistics, score_against
from graph.similarity.store import StoredPair
from graph.vocabulary import Vocabulary

DRAFT_ID = "draft:"
DRAFT_FLOOR = 0.3
"""Lower than the stored pairs' floor: while typing, a weaker likeness is still worth a look."""
MAX_SIMILAR = 20

_CONTEXT: LiteralString = """
OPTIONAL MATCH (o:Organisation {id: $organisation}) WHERE o.retiredAt IS NULL
RETURN o {.id, .name} AS lead,
  COLLECT { MATCH (o)-[q:PART_OF]->(s:System) WHERE q.retiredAt IS NULL
            RETURN DISTINCT {id: s.id, name: s.name} } AS systems,
  COLLECT { MATCH (o)-[q:PART_OF]->(:System)-[:NEIGHBOUR_OF]-(n:System)
            WHERE q.retiredAt IS NULL RETURN DISTINCT n.id } AS neighbours,
  COLLECT { UNWIND $topics AS id MATCH (:Topic {id: id})-[:BROADER*1..2]->(b:Topic)
            RETURN DISTINCT b.id } AS broader
"""


@dataclass(frozen=True)
class Draft:
    title: str
    summary: str | None = None
    aim: str | None = None
    organisation: str | None = None
    topics: Sequence[str] = ()
    methods: Sequence[str] = ()
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class SimilarToDraft:
    project: str
    pair: StoredPair


async def draft_profile(graph: Graph, draft: Draft, vocabulary: Vocabulary) -> ProjectProfile:
    """The draft as the scoring sees a project: its topics resolved by the vocabulary (labels
    it does not know are left out), its organisation's systems from the graph."""
    topics = {}
    for label in draft.topics:
        topic = vocabulary.resolve(label)
        if not topic.candidate:
            topics[topic.id] = topic.label
    rows = await graph.read(
        _CONTEXT, {"organisation": draft.organisation, "topics": sorted(topics)}
    )
    row = rows[0]
    lead = row["lead"]
    return profile_from_row(
        {
            "id": DRAFT_ID,
            "title": draft.title,
            "aim": draft.aim,
            "summary": draft.summary,
            "start": draft.start,
            "end": draft.end,
            "methods": list(draft.methods),
            "topics": [{"id": i, "name": n} for i, n in topics.items()],
            "broader": row["broader"],
            "leads": [lead] if lead else [],
            "systems": row["systems"] if lead else [],
            "neighbours": row["neighbours"] if lead else [],
        }
    )


async def similar_to_draft(
    graph: Graph, draft: Draft, vocabulary: Vocabulary, first: int
) -> list[SimilarToDraft]:
    """The ``first`` live projects most like ``draft``, best first (none before the first
    full scan of similarity has stored the term statistics)."""
    target = await draft_profile(graph, draft, vocabulary)
    stats = await statistics.current(graph)
    if stats.docs == 0:
        stats = await statistics.current(graph, fresh=True)
        if stats.docs == 0:
            return []
    analyzer = default_analyzer()
    others = await candidates_for(graph, analyzer, [target], stats)
    if others and not stats.matches(others[0]["modelRun"], others[0]["modelVersion"]):
        stats = await statistics.current(graph, fresh=True)  # re-scored elsewhere: reload
        others = await candidates_for(graph, analyzer, [target], stats)
    if not others:
        return []
    profiles = [target, *(profile_from_row(row) for row in others)]
    corpus = corpus_with_statistics(analyzer, profiles, stats.df, stats.docs)
    pairs = score_against(corpus, [0], {0: list(range(1, len(profiles)))}, DRAFT_FLOOR)
    pairs.sort(key=lambda p: (-p.score, p.b if p.a == DRAFT_ID else p.a))
    return [
        SimilarToDraft(project=p.b if p.a == DRAFT_ID else p.a, pair=p)
        for p in pairs[: max(1, min(first, MAX_SIMILAR))]
    ]
