"""Which vocabulary topics a search names, and with which of its words.

A run of the query's words names a topic when, in the vocabulary's normal form (``topic_key``),
it spells the topic's label, a synonym or its id. Read left to right, the longest run wins and
its words name nothing else: "falls prevention" names Falls prevention, not also Population
health (whose synonym is "prevention"). Labels no vocabulary knows (candidate topics) name
nothing: a partner's stray label should not decide what counts as a topic.

Python lists the runs (``runs``); the statement that searches looks their keys up and makes the
choice (``NAMED_TOPICS``), so a search stays one round trip.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from graph.normalise import fold, topic_key
from graph.queries import lucene

MAX_TOPIC_WORDS = 6
"""The longest label or synonym, in words, that a run of the query is compared with."""


def runs(words: Sequence[str]) -> list[dict[str, Any]]:
    """Every run of up to MAX_TOPIC_WORDS of the query's words (``lucene.words``, folded into
    pieces: "co-design" is "co", "design"), as ``{start, size, key, words}`` where ``words``
    are the indices of the query words it covers; by start, the longest first. At most
    MAX_TERMS pieces are read, so there are at most MAX_TERMS x MAX_TOPIC_WORDS runs."""
    pieces = [(piece, at) for at, word in enumerate(words) for piece in fold(word).split()]
    pieces = pieces[: lucene.MAX_TERMS]
    return [
        {
            "start": start,
            "size": size,
            "key": topic_key(" ".join(piece for piece, _ in pieces[start : start + size])),
            "words": sorted({at for _, at in pieces[start : start + size]}),
        }
        for start in range(len(pieces))
        for size in range(min(MAX_TOPIC_WORDS, len(pieces) - start), 0, -1)
    ]


NAMED_TOPICS: LiteralString = """
CALL () {
  MATCH (topic:Topic)
  WHERE topic.retiredAt IS NULL AND coalesce(topic.candidate, false) = false
    AND any(key IN topic.keys WHERE key IN [run IN $runs | run.key])
  WITH collect(topic) AS known
  WITH known, reduce(state = {next: 0, chosen: []}, run IN $runs |
         CASE WHEN run.start >= state.next AND any(t IN known WHERE run.key IN t.keys)
              THEN {next: run.start + run.size, chosen: state.chosen + [run]}
              ELSE state END) AS state
  UNWIND state.chosen AS run
  UNWIND [t IN known WHERE run.key IN t.keys] AS topic
  WITH topic, collect(run.words) AS words
  ORDER BY topic.id
  RETURN collect({id: topic.id, words: reduce(acc = [], w IN words | acc + w)})[..$maxTopics]
         AS topics
}
"""
"""Binds ``topics``: the topics the query names (``$runs``), each ``{id, words}`` with the
indices of the query words naming it; at most ``$maxTopics``."""
