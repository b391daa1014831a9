"""Writing what scoring found: ``SIMILAR_TO`` pairs, each project's keys, the term statistics.

A pair is stored once, from the project with the smaller id to the other, under a ``pair`` key
("<smaller id>|<larger id>") that reviews share. Every write of a scan carries its ``run`` id;
what an earlier run wrote and this one did not is deleted afterwards, so readers never see an
empty or half-written state. Reviews live elsewhere (see ``reviews``) and are never touched.

A full scan does not rewrite what has not changed: each pair carries a ``digest`` of what it
says (score, kind, text similarity, reasons), the scan reads the stored pairs' digests first
and writes only new and changed pairs; afterwards it deletes the pairs it read that it did
not find again, unless something rewrote them meanwhile (their ``run`` moved on). A re-scan
of an unchanged 100k-project graph otherwise rewrote some 300,000 relationships.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from graph.database import Graph

WRITE_BATCH = 10_000
DELETE_BATCH = 20_000
MODEL_ID = "text"


@dataclass(frozen=True)
class StoredPair:
    a: str
    b: str
    score: float
    kind: str
    text: float
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)

    @property
    def pair(self) -> str:
        return pair_key(self.a, self.b)

    @property
    def digest(self) -> str:
        """What the pair says, in short: equal digests, nothing to rewrite."""
        said = repr((self.score, self.kind, round(self.text, 4), self.reasons))
        return hashlib.blake2b(said.encode(), digest_size=12).hexdigest()

    def row(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "pair": self.pair,
            "score": self.score,
            "kind": self.kind,
            "text": round(self.text, 4),
            "reasons": list(self.reasons),
            "digest": self.digest,
        }


@dataclass(frozen=True)
class Stored:
    """A pair as a scan found it stored: its ends, its digest and the run that wrote it."""

    a: str
    b: str
    digest: str | None
    run: str | None


def pair_key(a: str, b: str) -> str:
    first, second = sorted((a, b))
    return f"{first}|{second}"


def ordered(a: str, b: str) -> tuple[str, str]:
    first, second = sorted((a, b))
    return first, second


_WRITE_PAIRS: LiteralString = """
UNWIND $rows AS row
MATCH (a:Project {id: row.a})
MATCH (b:Project {id: row.b})
MERGE (a)-[s:SIMILAR_TO]->(b)
SET s.pair = row.pair, s.score = row.score, s.kind = row.kind, s.text = row.text,
    s.reasons = row.reasons, s.digest = row.digest, s.run = $run,
    s.scoredAt = $now
"""

_READ_STORED: LiteralString = """
MATCH (a:Project)-[s:SIMILAR_TO]->(b:Project)
RETURN collect([a.id, b.id, s.digest, s.run]) AS rows
"""

# Only if no one rewrote the pair since the scan read it.
_DELETE_READ: LiteralString = """
UNWIND $rows AS row
MATCH (:Project {id: row.a})-[s:SIMILAR_TO]->(:Project {id: row.b})
WHERE s.run = row.run OR (s.run IS NULL AND row.run IS NULL)
DELETE s
"""


_WRITE_KEYS: LiteralString = """
UNWIND $rows AS row
MATCH (p:Project {id: row.id})
SET p.simKeys = row.keys
"""

_WRITE_TERMS: LiteralString = """
UNWIND $rows AS row
MERGE (t:SimilarityTerm {term: row.term})
SET t.df = row.df, t.run = $run
"""

_DELETE_STALE_TERMS: LiteralString = """
MATCH (t:SimilarityTerm)
WHERE t.run <> $run
WITH t LIMIT $limit
DELETE t
RETURN count(*) AS n
"""

_WRITE_MODEL: LiteralString = """
MERGE (m:SimilarityModel {id: $id})
SET m.docs = $docs, m.run = $run, m.scoredAt = $now
"""

_READ_STATISTICS: LiteralString = """
OPTIONAL MATCH (m:SimilarityModel {id: $id})
RETURN m.docs AS docs,
       COLLECT { UNWIND $terms AS term
                 MATCH (t:SimilarityTerm {term: term})
                 RETURN {term: t.term, df: t.df} } AS df
"""

# An incremental update in one transaction: keys, pairs, and the pairs no longer found.
_WRITE_UPDATE: LiteralString = """
CALL {
  UNWIND $keys AS row
  MATCH (p:Project {id: row.id})
  SET p.simKeys = row.keys
}
CALL {
  UNWIND $rows AS row
  MATCH (a:Project {id: row.a})
  MATCH (b:Project {id: row.b})
  MERGE (a)-[s:SIMILAR_TO]->(b)
  SET s.pair = row.pair, s.score = row.score, s.kind = row.kind, s.text = row.text,
      s.reasons = row.reasons, s.digest = row.digest, s.run = $run,
      s.scoredAt = $now
}
CALL {
  UNWIND $ids AS id
  MATCH (:Project {id: id})-[s:SIMILAR_TO]-()
  WHERE s.run <> $run
  DELETE s
}
CALL {
  UNWIND $newTerms AS term
  MATCH (m:SimilarityModel {id: $model})
  MERGE (t:SimilarityTerm {term: term})
  ON CREATE SET t.df = 0, t.run = m.run
  SET t.df = t.df + 1
}
OPTIONAL MATCH (m:SimilarityModel {id: $model})
SET m.docs = m.docs + $newProjects,
    m.version = coalesce(m.version, 0) + CASE WHEN $newProjects > 0 THEN 1 ELSE 0 END
RETURN m.version AS version
"""


def _batches(rows: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


async def read_stored(graph: Graph) -> dict[str, Stored]:
    """Every stored pair by its key, with its digest and run."""
    rows = (await graph.read(_READ_STORED))[0]["rows"]
    return {pair_key(a, b): Stored(a, b, digest, run) for a, b, digest, run in rows}


async def write_pairs(
    graph: Graph,
    pairs: Sequence[StoredPair],
    run: str,
    stored: Mapping[str, Stored] | None = None,
) -> int:
    """Write the pairs, but those ``stored`` already says alike; returns how many were written."""
    now = datetime.now(UTC)
    rows = [pair.row() for pair in pairs]
    if stored:
        rows = [
            row
            for row in rows
            if (old := stored.get(row["pair"])) is None or old.digest != row["digest"]
        ]
    for batch in _batches(rows, WRITE_BATCH):
        await graph.write(_WRITE_PAIRS, {"rows": list(batch), "run": run, "now": now})
    return len(rows)


async def delete_pairs_not_found(
    graph: Graph, stored: Mapping[str, Stored], found: Iterable[str]
) -> int:
    """Delete the pairs a scan read (``stored``) and did not find again, unless rewritten since."""
    gone = stored.keys() - set(found)
    rows = [{"a": stored[k].a, "b": stored[k].b, "run": stored[k].run} for k in sorted(gone)]
    for batch in _batches(rows, DELETE_BATCH):
        await graph.write(_DELETE_READ, {"rows": list(batch)})
    return len(rows)


async def write_keys(graph: Graph, keys: Mapping[str, str]) -> None:
    rows = [{"id": project, "keys": text} for project, text in keys.items()]
    for batch in _batches(rows, WRITE_BATCH):
        await graph.write(_WRITE_KEYS, {"rows": list(batch)})


async def write_statistics(graph: Graph, df: Mapping[str, int], docs: int, run: str) -> None:
    """Document frequencies of every term, for the incremental path to weigh terms alike."""
    rows = [{"term": term, "df": count} for term, count in df.items()]
    for batch in _batches(rows, WRITE_BATCH):
        await graph.write(_WRITE_TERMS, {"rows": list(batch), "run": run})
    while True:
        done = await graph.write(_DELETE_STALE_TERMS, {"run": run, "limit": DELETE_BATCH})
        if done[0]["n"] < DELETE_BATCH:
            break
    await graph.write(
        _WRITE_MODEL, {"id": MODEL_ID, "docs": docs, "run": run, "now": datetime.now(UTC)}
    )


async def read_statistics(graph: Graph, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
    """(number of projects, document frequency of each known term) from the last full scan;
    (0, {}) when no full scan has run yet."""
    rows = await graph.read(_READ_STATISTICS, {"id": MODEL_ID, "terms": list(terms)})
    docs = rows[0]["docs"]
    if docs is None:
        return 0, {}
    return int(docs), {item["term"]: int(item["df"]) for item in rows[0]["df"]}


async def write_update(
    graph: Graph,
    keys: Mapping[str, str],
    pairs: Sequence[StoredPair],
    ids: Sequence[str],
    run: str,
    new_terms: Sequence[Sequence[str]] = (),
) -> int:
    """Store an incremental update: new keys, new pairs, and drop these projects' old pairs;
    count projects scored for the first time (``new_terms``: the terms of each) in the term
    statistics. Returns the model's version after it."""
    rows = await graph.write(
        _WRITE_UPDATE,
        {
            "keys": [{"id": project, "keys": text} for project, text in keys.items()],
            "rows": [pair.row() for pair in pairs],
            "ids": list(ids),
            "run": run,
            "now": datetime.now(UTC),
            "newTerms": [term for terms in new_terms for term in set(terms)],
            "newProjects": len(new_terms),
            "model": MODEL_ID,
        },
    )
    return int(rows[0]["version"] or 0) if rows else 0
