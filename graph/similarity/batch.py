"""Scoring many candidate pairs at once, for the full scan: each context signal as sparse algebra.

``scoring`` states every signal for one pair and stays the reference (the incremental path and
the reasons use it); this module computes the very same numbers for arrays of pairs, so that a
full scan spends Python time only on the pairs worth storing. Each kind of evidence becomes a
0/1 matrix with a row per project, and "do a and b share one" is a row-wise product.
tests/test_similarity_model.py checks that both agree pair for pair on the labelled set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from graph.similarity.profiles import ProjectProfile
from graph.similarity.scoring import (
    ASSUMED_LENGTH,
    CONTEXT_WEIGHTS,
    NEAR_GAP,
    RELATED_TOPIC,
    SAME_PROJECT_TEXT,
    TEXT_WEIGHT,
    source_of,
)


def _incidence(rows: Sequence[Iterable[str]]) -> csr_matrix:
    """A 0/1 matrix: one row per project, one column per distinct item."""
    columns: dict[str, int] = {}
    indptr, indices = [0], []
    for items in rows:
        indices.extend(sorted({columns.setdefault(item, len(columns)) for item in items}))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return csr_matrix((data, indices, indptr), shape=(len(rows), max(len(columns), 1)))


@dataclass(frozen=True)
class Evidence:
    """The corpus' context evidence, one row per project (in corpus order)."""

    topics: csr_matrix
    related: csr_matrix  # topics and their broader topics
    systems: csr_matrix
    neighbours: csr_matrix
    methods: csr_matrix
    people: csr_matrix
    leads: csr_matrix
    partners: csr_matrix
    start: np.ndarray  # day ordinals; NaN when unknown
    end: np.ndarray
    source: np.ndarray  # a number per source that lists the project

    @classmethod
    def of(cls, profiles: Sequence[ProjectProfile]) -> Evidence:
        def rows(part: Callable[[ProjectProfile], Iterable[str]]) -> list[Iterable[str]]:
            return [part(p) for p in profiles]

        # systems and neighbours, leads and partners share columns, so their products compare
        systems = _incidence(
            rows(lambda p: [f"s:{s}" for s in p.systems])
            + rows(lambda p: [f"s:{s}" for s in p.neighbours])
        )
        orgs = _incidence(
            rows(lambda p: [f"o:{o}" for o in p.leads])
            + rows(lambda p: [f"o:{o}" for o in p.partners])
        )
        topics = _incidence(
            rows(lambda p: [f"t:{t}" for t in p.topics])
            + rows(lambda p: [f"t:{t}" for t in p.topics.keys() | p.broader])
        )
        n = len(profiles)
        sources: dict[str, int] = {}
        source = np.array([sources.setdefault(source_of(p.id), len(sources)) for p in profiles])
        start = np.array([p.start.toordinal() if p.start else np.nan for p in profiles])
        assumed = ASSUMED_LENGTH.days
        end = np.array(
            [
                (p.end.toordinal() if p.end else p.start.toordinal() + assumed)
                if p.start
                else np.nan
                for p in profiles
            ]
        )
        return cls(
            topics=topics[:n],
            related=topics[n:],
            systems=systems[:n],
            neighbours=systems[n:],
            methods=_incidence(rows(lambda p: p.methods)),
            people=_incidence(rows(lambda p: p.people)),
            leads=orgs[:n],
            partners=orgs[n:],
            start=start.reshape(n),
            end=end.reshape(n),
            source=source.reshape(n),
        )


def _shared(
    m: csr_matrix, i: np.ndarray, j: np.ndarray, other: csr_matrix | None = None
) -> np.ndarray:
    """For each pair, how many items row i of ``m`` shares with row j of ``other`` (or ``m``)."""
    second = m if other is None else other
    return np.asarray(m[i].multiply(second[j]).sum(axis=1)).ravel()


def _count(m: csr_matrix, rows: np.ndarray) -> np.ndarray:
    return np.diff(m.indptr)[rows]


@dataclass(frozen=True)
class Scored:
    """Arrays over the pairs: the score (unrounded), the clamped text similarity, whether the
    pair is a collaboration or one project listed twice (``scoring.kind_of``), and each context
    signal (NaN where either project lacks it), as ``scoring.Features`` holds them."""

    score: np.ndarray
    text: np.ndarray
    collaboration: np.ndarray
    same_project: np.ndarray
    signals: dict[str, np.ndarray]


def score_pairs(e: Evidence, i: np.ndarray, j: np.ndarray, text: np.ndarray) -> Scored:
    """``scoring.features(a, b, text).score()`` for every pair (before rounding)."""
    text = np.clip(text.astype(np.float64), 0.0, 1.0)
    signals: list[tuple[np.ndarray, np.ndarray]] = []  # (value, present) per signal

    has = (_count(e.topics, i) > 0) & (_count(e.topics, j) > 0)
    topic = np.where(
        _shared(e.topics, i, j) > 0, 1.0, np.where(_shared(e.related, i, j) > 0, RELATED_TOPIC, 0.0)
    )
    signals.append((topic, has))

    has = (_count(e.systems, i) > 0) & (_count(e.systems, j) > 0)
    near = (_shared(e.systems, i, j, e.neighbours) > 0) | (
        _shared(e.neighbours, i, j, e.systems) > 0
    )
    signals.append((np.where(_shared(e.systems, i, j) > 0, 1.0, np.where(near, 0.5, 0.0)), has))

    has = ~np.isnan(e.start[i]) & ~np.isnan(e.start[j])
    gap = np.maximum(e.start[i], e.start[j]) - np.minimum(e.end[i], e.end[j])
    dates = np.where(gap <= 0, 1.0, np.where(gap <= NEAR_GAP.days, 0.5, 0.0))
    signals.append((np.where(has, dates, 0.0), has))

    has = (_count(e.methods, i) > 0) & (_count(e.methods, j) > 0)
    both = _shared(e.methods, i, j)
    union = _count(e.methods, i) + _count(e.methods, j) - both
    signals.append((np.divide(both, union, out=np.zeros_like(both), where=union > 0), has))

    # The weighted mean of the signals present, summed in CONTEXT_WEIGHTS' order as scoring does.
    num = np.zeros(len(i))
    den = np.zeros(len(i))
    for weight, (value, present) in zip(CONTEXT_WEIGHTS.values(), signals, strict=True):
        num = num + np.where(present, weight * value, 0.0)
        den = den + np.where(present, weight, 0.0)
    context = np.divide(num, den, out=np.full(len(i), 0.5), where=den > 0)
    named = {
        name: np.where(present, value, np.nan)
        for name, (value, present) in zip(CONTEXT_WEIGHTS, signals, strict=True)
    }

    people = _shared(e.people, i, j)
    tied = (
        (people > 0)
        | (_shared(e.leads, i, j, e.partners) > 0)
        | (_shared(e.partners, i, j, e.leads) > 0)
        | (_shared(e.partners, i, j) > 0)
    )
    smaller = np.minimum(_count(e.people, i), _count(e.people, j))
    same = (people > 0) & (2 * people >= smaller) & (text >= SAME_PROJECT_TEXT)
    same &= e.source[i] != e.source[j]
    score = TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * context
    return Scored(score, text, tied & ~same, same, named)


def shared_columns(
    vectors: csr_matrix, i: np.ndarray, j: np.ndarray, most: int | None = None
) -> tuple[list[list[int]], list[int]]:
    """For each pair, the columns (terms) both rows use, largest product first; ties by
    column, which is term order (``weights.matrix`` sorts its columns by term). With ``most``,
    only the first ``most`` columns of each pair; the counts are always of all of them.

    Sorted all at once: by pair, then product (largest first), then column."""
    both = vectors[i].multiply(vectors[j]).tocsr()  # only the columns both use
    counts = np.diff(both.indptr)
    rows = np.repeat(np.arange(both.shape[0]), counts)
    order = np.lexsort((both.indices, -both.data, rows))
    columns = both.indices[order].tolist()
    starts, ends = both.indptr[:-1], both.indptr[1:]
    if most is not None:
        ends = np.minimum(ends, starts + most)
    spans = zip(starts.tolist(), ends.tolist(), strict=True)
    return [columns[lo:hi] for lo, hi in spans], counts.tolist()
