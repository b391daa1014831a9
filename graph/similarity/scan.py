"""Scoring in memory, with no database: a whole corpus, or a few projects against candidates.

The engine loads profiles from the graph and stores what this module finds; the evaluation
harness calls it directly on its labelled set, so both measure the very same scoring.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from graph.similarity import batch, weights
from graph.similarity.analysis import Analysis, Analyzer, place_words
from graph.similarity.candidates import candidate_pairs, row_keys
from graph.similarity.profiles import ProjectProfile
from graph.similarity.scoring import (
    COLLABORATION,
    DUPLICATE,
    NAMED,
    STORE_FLOOR,
    features,
    kind_of,
    reasons,
)
from graph.similarity.store import StoredPair, ordered


def analyse(analyzer: Analyzer, profile: ProjectProfile) -> Analysis:
    """A project's terms: its title, its aim and summary, and the topics it is tagged with;
    the names of its own organisations and systems are not terms (see ``Analyzer.terms``)."""
    systems = profile.systems.values()
    names = (*profile.leads.values(), *profile.partners.values(), *systems, *place_words(systems))
    return analyzer.analyse(profile.title, profile.body, profile.topics, names)


@dataclass
class Corpus:
    """Profiles with their analysed text and the corpus' document frequencies."""

    analyzer: Analyzer
    profiles: list[ProjectProfile]
    analyses: list[Analysis]
    df: Mapping[str, int]
    docs: int
    _vectors: dict[int, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def build(cls, analyzer: Analyzer, profiles: Sequence[ProjectProfile]) -> Corpus:
        analyses = [analyse(analyzer, p) for p in profiles]
        df = weights.document_frequencies([a.counts for a in analyses])
        return cls(analyzer, list(profiles), analyses, df, len(profiles))

    def vector(self, index: int) -> dict[str, float]:
        if index not in self._vectors:
            self._vectors[index] = weights.vector(self.analyses[index].counts, self.df, self.docs)
        return self._vectors[index]


@dataclass
class ScanResult:
    pairs: list[StoredPair]
    keys: dict[str, str]  # project id -> its blocking keys
    candidates: int


class FullScan:
    """A whole corpus scanned in stages, so the engine can store one stage's output while the
    next is computed: the matrix and each project's keys first, then the pairs in chunks.

    Candidates are scored all at once (``batch``); only those at or above the floor get their
    reasons, which is the only per-pair Python work left.
    """

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        counts = [a.counts for a in corpus.analyses]
        self.matrix, self.terms = weights.matrix(counts, corpus.df, corpus.docs)
        self.candidates = 0
        self.candidate_seconds = 0.0
        self._evidence: batch.Evidence | None = None
        self._evidence_lock = threading.Lock()

    def keys(self) -> dict[str, str]:
        """Each project's blocking keys (project id -> keys text)."""
        return {
            p.id: row_keys(self.matrix, self.terms, row)
            for row, p in enumerate(self.corpus.profiles)
        }

    def evidence(self) -> batch.Evidence:
        """The corpus' context evidence, worked out once, by whichever thread asks first: the
        engine asks while the candidates are being found (in worker processes, from
        ``candidates.PARALLEL_FROM`` projects), so that this process is not idle meanwhile."""
        with self._evidence_lock:
            if self._evidence is None:
                self._evidence = batch.Evidence.of(self.corpus.profiles)
            return self._evidence

    def pairs(self, floor: float = STORE_FLOOR, chunk: int = 20_000) -> Iterator[list[StoredPair]]:
        """Every pair worth storing, ``chunk`` candidates' worth at a time."""
        started = time.perf_counter()
        firsts, seconds, cosines = candidate_pairs(self.matrix)
        self.candidates = len(firsts)
        self.candidate_seconds = time.perf_counter() - started
        evidence = self.evidence()
        for start in range(0, len(firsts), chunk):
            part = slice(start, start + chunk)
            yield self._judged(firsts[part], seconds[part], cosines[part], evidence, floor)

    def _judged(
        self,
        firsts: np.ndarray,
        seconds: np.ndarray,
        cosines: np.ndarray,
        evidence: batch.Evidence,
        floor: float,
    ) -> list[StoredPair]:
        corpus = self.corpus
        scored = batch.score_pairs(evidence, firsts, seconds, cosines)
        keep = np.flatnonzero(np.round(scored.score, 4) >= floor - 1e-4)
        # A reason names the first NAMED shared terms and counts the rest.
        shared, counts = batch.shared_columns(self.matrix, firsts[keep], seconds[keep], NAMED)
        texts, scores = scored.text[keep].tolist(), scored.score[keep].tolist()
        tied = scored.collaboration[keep].tolist()
        profiles, analyses, terms = corpus.profiles, corpus.analyses, self.terms
        display = corpus.analyzer.display
        pairs = []
        for n, (i, j) in enumerate(zip(firsts[keep].tolist(), seconds[keep].tolist(), strict=True)):
            score = round(scores[n], 4)
            a, b = profiles[i], profiles[j]
            if score < floor or a.id == b.id:
                continue
            names = [display(terms[c], analyses[i]) for c in shared[n]]
            kind = COLLABORATION if tied[n] else DUPLICATE
            pairs.append(stored(a, b, texts[n], score, kind, names, tied[n], counts[n]))
        return pairs


def full_scan(corpus: Corpus, floor: float = STORE_FLOOR) -> ScanResult:
    """Every pair worth storing in the corpus, found without comparing all pairs."""
    scan = FullScan(corpus)
    pairs = [pair for chunk in scan.pairs(floor) for pair in chunk]
    return ScanResult(pairs, scan.keys(), scan.candidates)


def stored(
    a: ProjectProfile,
    b: ProjectProfile,
    text: float,
    score: float,
    kind: str,
    shared: list[str],
    tied: bool = True,
    term_count: int | None = None,
) -> StoredPair:
    """A scored pair as it is stored, with its reasons (see ``reasons`` for the last two)."""
    first, second = ordered(a.id, b.id)
    return StoredPair(
        a=first,
        b=second,
        score=score,
        kind=kind,
        text=text,
        reasons=tuple(reasons(a, b, shared, tied=tied, term_count=term_count)),
    )


def judge(corpus: Corpus, i: int, j: int, text: float, floor: float) -> StoredPair | None:
    """Score one pair of the corpus; None when it falls below ``floor``."""
    a, b = corpus.profiles[i], corpus.profiles[j]
    found = features(a, b, text)
    score = found.score()
    if score < floor or a.id == b.id:
        return None
    return stored(a, b, found.text, score, kind_of(a, b), shared_terms(corpus, i, j))


def shared_terms(corpus: Corpus, i: int, j: int) -> list[str]:
    """Terms both texts use, most telling first, named as a person would read them."""
    va, vb = corpus.vector(i), corpus.vector(j)
    common = sorted(va.keys() & vb.keys(), key=lambda t: (-va[t] * vb[t], t))
    return [corpus.analyzer.display(t, corpus.analyses[i]) for t in common]


def score_against(
    corpus: Corpus, targets: Sequence[int], candidates: Mapping[int, Sequence[int]], floor: float
) -> list[StoredPair]:
    """Score each target against its candidates (indexes into the same corpus)."""
    found: dict[str, StoredPair] = {}
    for i in targets:
        vi = corpus.vector(i)
        for j in candidates.get(i, ()):
            if i == j:
                continue
            pair = judge(corpus, i, j, weights.cosine(vi, corpus.vector(j)), floor)
            if pair is not None:
                found[pair.pair] = pair
    return list(found.values())


def key_text(corpus: Corpus, index: int, keys: int) -> str:
    """A project's blocking keys, as ``candidates.row_keys`` gives them for the full scan."""
    vector = corpus.vector(index)
    best = sorted(vector, key=lambda t: (-vector[t], t))[:keys]
    return " ".join(sorted(best))


def corpus_with_statistics(
    analyzer: Analyzer, profiles: Sequence[ProjectProfile], df: Mapping[str, int], docs: int
) -> Corpus:
    """A corpus weighed by stored statistics (from the last full scan), not its own.

    ``df`` is used as given, not copied: an update builds two of these, and copying every
    term's frequency costs 20 ms at 200,000 terms."""
    analyses = [analyse(analyzer, p) for p in profiles]
    return Corpus(analyzer, list(profiles), analyses, df, max(docs, 1))
