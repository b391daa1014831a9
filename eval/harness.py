"""Precision, recall and F1 of duplicate detection, per data set and split, with the threshold
chosen on the tune splits only.

    .venv/bin/python -m eval.harness [--sweep]

Two data sets, each split in a part to tune on and a part to report on:

- ``generated``: the labelled generator (eval/labelled.py); its report split words topics
  without the vocabulary's labels and synonyms, with a seed of its own.
- ``dblp-acm``: publication titles and years that others wrote (eval/benchmark.py,
  eval/data/README.md), the pairs the benchmark says are one publication.

Each split is scanned as one corpus by the engine's own in-memory scan (the analysis,
blocking and scoring ``rescore_all`` uses, without the database). A predicted duplicate is a
pair of kind ``duplicate`` scoring at least the threshold; every predicted pair counts,
planted or not, so precision is measured over all pairs of the corpus. The threshold is the one
with the best mean F1 over the two tune splits; the report splits are only measured at it.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from eval import benchmark, labelled
from eval.labelled import LabelledSet
from graph.similarity.engine import default_analyzer
from graph.similarity.profiles import ProjectProfile
from graph.similarity.scan import Corpus, full_scan
from graph.similarity.scoring import COLLABORATION, DEFAULT_THRESHOLD, DUPLICATE
from graph.similarity.store import StoredPair

DATA_SETS = ("generated", "dblp-acm")
SPLITS = ("tune", "report")
THRESHOLDS = [t / 100 for t in range(50, 96)]
_POSITIVE = {"paraphrased title", "same aim in different words"}


@dataclass(frozen=True)
class Result:
    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    collaborations_right: int = 0
    collaborations: int = 0

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


@dataclass
class Scored:
    """One split of one data set, scanned: its pairs and which of them are wanted."""

    name: str
    split: str
    projects: int
    pairs: list[StoredPair]
    wanted: set[tuple[str, str]]
    collaborations: set[tuple[str, str]] = field(default_factory=set)
    labelled: LabelledSet | None = None

    def evaluate(self, threshold: float) -> Result:
        predicted = {(p.a, p.b) for p in self.pairs if p.kind == DUPLICATE and p.score >= threshold}
        collaborations = {(p.a, p.b) for p in self.pairs if p.kind == COLLABORATION}
        return Result(
            threshold=threshold,
            true_positives=len(predicted & self.wanted),
            false_positives=len(predicted - self.wanted),
            false_negatives=len(self.wanted - predicted),
            collaborations_right=len(self.collaborations & collaborations),
            collaborations=len(self.collaborations),
        )


def scan(profiles: Sequence[ProjectProfile]) -> list[StoredPair]:
    """Every pair the engine finds in ``profiles``, down to a score of 0."""
    return full_scan(Corpus.build(default_analyzer(), profiles), floor=0.0).pairs


def true_duplicates(labelled_set: LabelledSet) -> set[tuple[str, str]]:
    return {pair for pair, family in labelled_set.planted.items() if family in _POSITIVE}


def _generated(name: str, split: str, labelled_set: LabelledSet, pairs: list[StoredPair]) -> Scored:
    planted = labelled_set.planted
    return Scored(
        name=name,
        split=split,
        projects=len(labelled_set.profiles),
        pairs=pairs,
        wanted=true_duplicates(labelled_set),
        collaborations={pair for pair, family in planted.items() if family == COLLABORATION},
        labelled=labelled_set,
    )


def load(name: str, split: str) -> Scored:
    """One split of one data set, scanned."""
    if name == "generated":
        labelled_set = labelled.split(split)
        return _generated(name, split, labelled_set, scan(labelled_set.profiles))
    if name == "dblp-acm":
        half = benchmark.load(split)
        return Scored(name, split, len(half.profiles), scan(half.profiles), half.duplicates)
    raise ValueError(f"unknown data set {name!r}; expected one of {', '.join(DATA_SETS)}")


def choose_threshold(tune: Sequence[Scored]) -> float:
    """The threshold with the best mean F1 over ``tune`` (the lowest of equals)."""
    return max(THRESHOLDS, key=lambda t: (sum(s.evaluate(t).f1 for s in tune), -t))


def misses_by_family(
    labelled_set: LabelledSet, pairs: list[StoredPair], threshold: float
) -> tuple[Counter[str], Counter[str]]:
    """How many planted positives were missed, and planted negatives taken, per family."""
    predicted = {(p.a, p.b) for p in pairs if p.kind == DUPLICATE and p.score >= threshold}
    missed: Counter[str] = Counter()
    taken: Counter[str] = Counter()
    for pair, family in labelled_set.planted.items():
        if family in _POSITIVE and pair not in predicted:
            missed[family] += 1
        if family not in _POSITIVE and family != COLLABORATION and pair in predicted:
            taken[family] += 1
    return missed, taken


def _row(s: Scored, r: Result) -> str:
    return (
        f"{s.name:<10} {s.split:<7} {r.threshold:>9.2f} {r.precision:>9.3f} {r.recall:>6.3f} "
        f"{r.f1:>6.3f} {r.true_positives:>4} {r.false_positives:>4} {r.false_negatives:>4}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="also print other thresholds")
    args = parser.parse_args()
    scored = [load(name, split) for name in DATA_SETS for split in SPLITS]
    chosen = choose_threshold([s for s in scored if s.split == "tune"])
    for s in scored:
        print(f"{s.name} {s.split}: {s.projects} projects, {len(s.wanted)} true duplicate pairs")
    header = f"{'data set':<10} {'split':<7} {'threshold':>9} {'precision':>9} {'recall':>6} "
    print(f"\n{header}{'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}")
    for s in scored:
        thresholds = [t / 100 for t in range(50, 100, 5)] if args.sweep else [chosen]
        for threshold in sorted({chosen, *thresholds}):
            print(_row(s, s.evaluate(threshold)))
    print(f"\nthreshold chosen on the tune splits: {chosen:.2f} (engine's: {DEFAULT_THRESHOLD})")
    for s in scored:
        if s.labelled is not None:
            missed, taken = misses_by_family(s.labelled, s.pairs, chosen)
            r = s.evaluate(chosen)
            print(
                f"generated {s.split}: missed positives {dict(missed) or 'none'}; planted "
                f"negatives reported {dict(taken) or 'none'}; collaborations reported as such "
                f"{r.collaborations_right} of {r.collaborations}"
            )


if __name__ == "__main__":
    main()
