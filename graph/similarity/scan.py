"""Scoring in memory, with no database: a whole corpus, or a few projects against candidates.

The engine loads profiles from the graph and stores what this module finds; the evaluation
harness calls it directly on its labelled set, so both measure the very same scoring.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.sparse import csr_matrix

from graph.similarity import batch, titles, weights
from graph.similarity.analysis import Analysis, Analyzer, place_words
from graph.similarity.candidates import candidate_pairs, row_keys
from graph.similarity.profiles import ProjectProfile
from graph.similarity.scoring import (
    COLLABORATION,
    DUPLICATE,
    NAMED,
    SAME_PROJECT,
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

    @cached_property
    def title_uses(self) -> dict[frozenset[str], int]:
        """How many projects of this corpus use each title (an update's corpus is its targets
        and their candidates, among which any project sharing a title is found)."""
        return titles.title_uses([a.title for a in self.analyses])

    def idf(self, term: str) -> float:
        return weights.idf(self.df.get(term, 1), self.docs)

    def text(self, i: int, j: int, words: float) -> float:
        """The text similarity of a pair whose terms are ``words`` alike: lifted by the titles'
        spelling, then scaled down when only a title that proves little speaks for it."""
        a, b = self.analyses[i], self.analyses[j]
        spelling = titles.gram_similarity(titles.grams(a.spelling), titles.grams(b.spelling))
        return self.title_rule(i, j, float(titles.with_spelling(words, spelling)))

    def title_rule(self, i: int, j: int, text: float) -> float:
        """``text``, scaled by ``titles.TITLE_ONLY_FACTOR`` when the titles need agreement
        beyond them (``titles.title_is_not_enough``) and the projects have none: no topic
        both are tagged with, not the same start date, no aims that say the same."""
        a, b = self.analyses[i], self.analyses[j]
        if not titles.title_is_not_enough(a.title, b.title, self.title_uses):
            return text
        first, second = self.profiles[i], self.profiles[j]
        if first.topics.keys() & second.topics.keys():
            return text
        if first.start is not None and first.start == second.start:
            return text
        if titles.bodies_agree(a.body, b.body, self.idf):
            return text
        return text * titles.TITLE_ONLY_FACTOR


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
        self.spellings = _gram_matrix([a.spelling for a in corpus.analyses])
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
        spelling = np.asarray(
            self.spellings[firsts].multiply(self.spellings[seconds]).sum(axis=1)
        ).ravel()
        text = titles.with_spelling(cosines, spelling)
        # The title rule asks after aims and topics: Python work, for the few pairs it may touch
        # (below ``lowest`` a pair cannot reach the floor whatever its context).
        analyses = corpus.analyses
        lowest = (floor - (1 - batch.TEXT_WEIGHT)) / batch.TEXT_WEIGHT
        for n in np.flatnonzero(text >= lowest).tolist():
            i, j = int(firsts[n]), int(seconds[n])
            first, second = analyses[i].title, analyses[j].title
            if first == second or titles.low_information(first) or titles.low_information(second):
                text[n] = corpus.title_rule(i, j, float(text[n]))
        scored = batch.score_pairs(evidence, firsts, seconds, text)
        keep = np.flatnonzero(np.round(scored.score, 4) >= floor - 1e-4)
        # A reason names the first NAMED shared terms and counts the rest.
        shared, counts = batch.shared_columns(self.matrix, firsts[keep], seconds[keep], NAMED)
        texts, scores = scored.text[keep].tolist(), scored.score[keep].tolist()
        tied = scored.collaboration[keep].tolist()
        same = scored.same_project[keep].tolist()
        profiles, terms = corpus.profiles, self.terms
        display = corpus.analyzer.display
        pairs = []
        for n, (i, j) in enumerate(zip(firsts[keep].tolist(), seconds[keep].tolist(), strict=True)):
            score = round(scores[n], 4)
            a, b = profiles[i], profiles[j]
            if score < floor or a.id == b.id:
                continue
            names = [display(terms[c], analyses[i]) for c in shared[n]]
            kind = SAME_PROJECT if same[n] else COLLABORATION if tied[n] else DUPLICATE
            tie = tied[n] or same[n]
            pairs.append(stored(a, b, texts[n], score, kind, names, tie, counts[n]))
        return pairs


def _gram_matrix(spellings: Sequence[str]) -> csr_matrix:
    """Each title's trigrams (``titles.grams``) as a row of length one, for the full scan.

    Built in numpy, not a Python loop over the grams: all spellings as one array of code
    points, each trigram one integer (three code points of 21 bits)."""
    n = len(spellings)
    lengths = np.fromiter((len(s) for s in spellings), dtype=np.int64, count=n)
    points = np.frombuffer("".join(spellings).encode("utf-32-le"), dtype=np.uint32)
    points = points.astype(np.int64)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    starts = np.flatnonzero(rows[:-2] == rows[2:]) if len(rows) > 2 else np.zeros(0, np.int64)
    codes = (points[starts] << 42) | (points[starts + 1] << 21) | points[starts + 2]
    rows = rows[starts]
    order = np.lexsort((codes, rows))
    rows, codes = rows[order], codes[order]
    first = np.r_[True, (rows[1:] != rows[:-1]) | (codes[1:] != codes[:-1])] if len(rows) else []
    rows, codes = rows[first], codes[first]
    _, columns = np.unique(codes, return_inverse=True)
    counts = np.bincount(rows, minlength=n)
    data = 1.0 / np.sqrt(counts[rows])
    indptr = np.r_[0, np.cumsum(counts)]
    shape = (n, max(int(columns.max()) + 1 if len(columns) else 0, 1))
    return csr_matrix((data, columns.astype(np.int64), indptr), shape=shape)


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
        reasons=tuple(reasons(a, b, shared, tied=tied, term_count=term_count, kind=kind)),
    )


def judge(corpus: Corpus, i: int, j: int, words: float, floor: float) -> StoredPair | None:
    """Score one pair of the corpus whose terms are ``words`` alike (their cosine); None when
    it falls below ``floor``."""
    a, b = corpus.profiles[i], corpus.profiles[j]
    found = features(a, b, corpus.text(i, j, words))
    score = found.score()
    if score < floor or a.id == b.id:
        return None
    kind = kind_of(a, b, found.text)
    return stored(a, b, found.text, score, kind, shared_terms(corpus, i, j))


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
