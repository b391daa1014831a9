"""Precision, recall and F1 of duplicate detection on the labelled set (see eval/labelled.py).

    .venv/bin/python -m eval.harness [--threshold 0.6] [--sweep]

Runs the engine's own in-memory scan (the same analysis, blocking and scoring that
``rescore_all`` uses, without the database) over the whole labelled corpus. A predicted
duplicate is a pair of kind ``duplicate`` scoring at least the threshold. A true duplicate is
a pair of projects realising the same idea without sharing people (those are collaborations).
Every predicted pair counts, planted or not, so precision is measured against the corpus.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass

from eval.labelled import LabelledSet, generate
from graph.similarity.engine import default_analyzer
from graph.similarity.scan import Corpus, full_scan
from graph.similarity.scoring import COLLABORATION, DEFAULT_THRESHOLD, DUPLICATE
from graph.similarity.store import StoredPair


@dataclass(frozen=True)
class Result:
    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    collaborations_right: int
    collaborations: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def scored_pairs(labelled: LabelledSet) -> list[StoredPair]:
    corpus = Corpus.build(default_analyzer(), labelled.profiles)
    return full_scan(corpus, floor=0.0).pairs


def true_duplicates(labelled: LabelledSet) -> set[tuple[str, str]]:
    return {pair for pair, family in labelled.planted.items() if family in _POSITIVE}


_POSITIVE = {"paraphrased title", "same aim in different words"}


def evaluate(labelled: LabelledSet, pairs: list[StoredPair], threshold: float) -> Result:
    wanted = true_duplicates(labelled)
    predicted = {(p.a, p.b) for p in pairs if p.kind == DUPLICATE and p.score >= threshold}
    collaborations = {pair for pair, family in labelled.planted.items() if family == COLLABORATION}
    found_collab = {(p.a, p.b) for p in pairs if p.kind == COLLABORATION}
    return Result(
        threshold=threshold,
        true_positives=len(predicted & wanted),
        false_positives=len(predicted - wanted),
        false_negatives=len(wanted - predicted),
        collaborations_right=len(collaborations & found_collab),
        collaborations=len(collaborations),
    )


def misses_by_family(
    labelled: LabelledSet, pairs: list[StoredPair], threshold: float
) -> tuple[Counter[str], Counter[str]]:
    """How many planted positives were missed, and planted negatives taken, per family."""
    predicted = {(p.a, p.b) for p in pairs if p.kind == DUPLICATE and p.score >= threshold}
    missed: Counter[str] = Counter()
    taken: Counter[str] = Counter()
    for pair, family in labelled.planted.items():
        if family in _POSITIVE and pair not in predicted:
            missed[family] += 1
        if family not in _POSITIVE and family != COLLABORATION and pair in predicted:
            taken[family] += 1
    return missed, taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="also print other thresholds")
    args = parser.parse_args()
    labelled = generate()
    pairs = scored_pairs(labelled)
    print(
        f"labelled set: {len(labelled.profiles)} projects, "
        f"{len(true_duplicates(labelled))} true duplicate pairs"
    )
    thresholds = [args.threshold]
    if args.sweep:
        thresholds = sorted({args.threshold, *[t / 100 for t in range(40, 85, 5)]})
    print(
        f"{'threshold':>9} {'precision':>9} {'recall':>6} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}"
    )
    for threshold in thresholds:
        r = evaluate(labelled, pairs, threshold)
        print(
            f"{threshold:>9.2f} {r.precision:>9.3f} {r.recall:>6.3f} {r.f1:>6.3f} "
            f"{r.true_positives:>4} {r.false_positives:>4} {r.false_negatives:>4}"
        )
    result = evaluate(labelled, pairs, args.threshold)
    missed, taken = misses_by_family(labelled, pairs, args.threshold)
    print(f"missed positives by family: {dict(missed) or 'none'}")
    print(f"planted negatives reported: {dict(taken) or 'none'}")
    print(
        f"collaborations reported as such: {result.collaborations_right} of {result.collaborations}"
    )
    print(
        f"at the default threshold {args.threshold:.2f}: precision {result.precision:.3f}, "
        f"recall {result.recall:.3f}, F1 {result.f1:.3f}"
    )


if __name__ == "__main__":
    main()
