"""The duplicates engine measured honestly: on the report splits only, at the threshold chosen
on the tune splits, on generated projects worded without the vocabulary and on publication
titles others wrote (eval/harness.py). Each floor sits a little below what is measured."""

from __future__ import annotations

import pytest

from eval import harness
from eval.labelled import REPORT_WORDINGS
from graph.normalise import fold
from graph.similarity.scoring import DEFAULT_THRESHOLD
from graph.vocabulary import Vocabulary

# data set -> (precision, recall) floors on its report split at the default threshold
FLOORS = {"generated": (0.95, 0.55), "dblp-acm": (0.93, 0.97)}


@pytest.fixture(scope="module")
def scored() -> dict[tuple[str, str], harness.Scored]:
    return {
        (name, split): harness.load(name, split)
        for name in harness.DATA_SETS
        for split in harness.SPLITS
    }


def test_the_default_threshold_is_the_one_the_tune_splits_choose(
    scored: dict[tuple[str, str], harness.Scored],
) -> None:
    tune = [s for (_, split), s in scored.items() if split == "tune"]
    assert harness.choose_threshold(tune) == DEFAULT_THRESHOLD


@pytest.mark.parametrize("name", harness.DATA_SETS)
def test_the_report_split_keeps_its_floors(
    scored: dict[tuple[str, str], harness.Scored], name: str
) -> None:
    result = scored[(name, "report")].evaluate(DEFAULT_THRESHOLD)
    precision, recall = FLOORS[name]
    assert result.precision >= precision, result
    assert result.recall >= recall, result


def test_collaborations_are_never_counted_as_duplicates(
    scored: dict[tuple[str, str], harness.Scored],
) -> None:
    result = scored[("generated", "report")].evaluate(DEFAULT_THRESHOLD)
    assert result.collaborations_right == result.collaborations > 0


def test_report_wordings_are_not_the_vocabulary() -> None:
    vocabulary = Vocabulary.load()
    known = {
        fold(spelling)
        for topic in vocabulary.topics.values()
        for spelling in (topic.label, *topic.synonyms, topic.id.replace("-", " "))
    }
    wordings = {fold(w) for words in REPORT_WORDINGS.values() for w in words}
    assert len(wordings) == sum(len(w) for w in REPORT_WORDINGS.values())
    assert not wordings & known


def test_the_halves_of_the_benchmark_are_disjoint_and_complete() -> None:
    tune, report = harness.benchmark.load("tune"), harness.benchmark.load("report")
    ids = [{p.id for p in half.profiles} for half in (tune, report)]
    assert not ids[0] & ids[1]
    assert len(ids[0] | ids[1]) == 746 + 967
    assert len(tune.duplicates) + len(report.duplicates) == 647
