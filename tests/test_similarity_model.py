"""The similarity model without a database: text analysis, scoring, blocking, clusters, and
the labelled set's F1 at the default threshold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from eval.labelled import generate
from graph.similarity import batch, candidates, weights
from graph.similarity.analysis import place_words
from graph.similarity.candidates import block_keys, candidate_pairs, closest, key_matrix
from graph.similarity.engine import default_analyzer
from graph.similarity.profiles import ProjectProfile
from graph.similarity.reads import ProjectSummary, SimilarPair, clusters_of
from graph.similarity.reviews import ReviewStatus
from graph.similarity.scan import Corpus, full_scan, judge
from graph.similarity.scoring import (
    COLLABORATION,
    CONTEXT_WEIGHTS,
    DUPLICATE,
    SAME_PROJECT,
    features,
    kind_of,
    reasons,
)


def terms(text: str) -> list[str]:
    return [term for term, _ in default_analyzer().terms(text)]


def test_vocabulary_synonyms_become_one_topic_term() -> None:
    assert terms("inpatient falls") == terms("Falls reduction") == ["topic_falls"]
    assert terms("Pressure injuries") == terms("pressure ulcers") == ["topic_pressure_ulcers"]


def test_synonyms_stop_words_and_numbers() -> None:
    assert terms("Overnight alarms") == terms("night alarms") == ["night", "alarm"]
    assert terms("The project aims to use a new approach in 2024") == []
    assert terms("coordinating") == terms("coordinates") == ["coordin"]  # stemmed alike


def test_reporting_words_are_dropped_and_words_kept_only_for_the_demo_are_not() -> None:
    assert terms("Early results of a case study at two sites") == []
    # Abbreviations are no longer written out and "cut" no longer means "reduce": neither
    # helped on text they were not written for (eval/harness.py).
    assert terms("BP checks") == ["bp", "check"]
    assert terms("Cutting delays") == ["cut", "delay"]


def test_a_projects_own_organisation_and_system_names_are_not_terms() -> None:
    analyzer = default_analyzer()
    text = "Wellbeing huddles across North Vale providers, led by North Vale Hospitals"
    names = ["North Vale Hospitals", *place_words(["North Vale Integrated Care System"])]
    kept = {term for term, _ in analyzer.terms(text, names)}
    assert kept == {"wellb", "huddl", "provid", "led"}
    assert {"north", "vale", "hospit"} <= {term for term, _ in analyzer.terms(text)}


def test_main_topics_outweigh_passing_mentions() -> None:
    analysis = default_analyzer().analyse(
        "Bed sensors for falls", "Sensors also help with sepsis", topics=["falls"]
    )
    assert analysis.counts["topic_falls"] > analysis.counts["topic_sepsis"]
    assert default_analyzer().display("topic_falls", analysis) == "falls prevention"
    assert default_analyzer().display("sensor", analysis) == "sensors"


def test_a_narrower_topic_the_title_names_is_a_main_topic() -> None:
    analyzer = default_analyzer()
    tagged = ["mental-health-crisis"]
    cafe = analyzer.analyse("Crisis café in Harlow Fen", "", topics=tagged).counts
    passing = analyzer.analyse("Falls and a crisis café", "", topics=["falls"]).counts
    untagged = analyzer.analyse("Crisis café in Harlow Fen", "").counts
    # Narrower than the tagged topic: weighs as much as the tag itself would.
    assert cafe["topic_crisis_alternatives"] == untagged["topic_crisis_alternatives"]
    # Unrelated to the tagged topic: a passing mention, weighed as a plain title word.
    assert passing["topic_crisis_alternatives"] * 3 == cafe["topic_crisis_alternatives"]


def profile(pid: str, **fields: object) -> ProjectProfile:
    return ProjectProfile(id=pid, title=str(fields.pop("title", pid)), **fields)  # type: ignore[arg-type]


def test_shared_people_or_partners_make_a_collaboration() -> None:
    a = profile("src:a", leads={"o1": "Org One"}, people={"p1": "Ada Quillfeather"})
    assert kind_of(a, profile("b", leads={"o2": "Org Two"})) == DUPLICATE
    shared_person = profile("b", leads={"o2": "Org Two"}, people={"p1": "Ada Quillfeather"})
    assert kind_of(a, shared_person) == COLLABORATION
    partner = profile("c", leads={"o2": "Org Two"}, partners={"o1": "Org One"})
    assert kind_of(a, partner) == COLLABORATION
    assert "declared partnership through Org One" in reasons(a, partner, [])
    same_lead = profile("d", leads={"o1": "Org One"})
    assert kind_of(a, same_lead) == DUPLICATE  # one organisation twice is still duplication


def test_two_sources_listing_the_same_work_with_the_same_people_list_one_project() -> None:
    names = {"p1": "Ada Quillfeather", "p2": "Bo Tensley", "p3": "Cy Dunmore", "p4": "Di Fenwick"}

    def team(*ids: str) -> dict[str, str]:
        return {i: names[i] for i in ids}

    a = profile("one:a", leads={"o1": "Org One"}, people=team("p1", "p2", "p3"))
    b = profile("two:b", leads={"o2": "Org Two"}, people=team("p2", "p3", "p4"))
    assert kind_of(a, b, text=0.9) == SAME_PROJECT
    assert kind_of(a, b, text=0.5) == COLLABORATION  # the same people on different work
    assert kind_of(a, replace(b, id="one:b"), text=0.9) == COLLABORATION  # one source, two
    few = replace(b, people=team("p3", "p4"))
    assert kind_of(a, few, text=0.9) == SAME_PROJECT  # half of the smaller team
    others = {"p5": "Ed Marlow", "p6": "Flo Pettigrew"}
    apart = replace(b, people={**team("p3"), **others})
    assert kind_of(a, apart, text=0.9) == COLLABORATION  # one of three: not the same people
    said = reasons(a, b, ["sensors"], kind=SAME_PROJECT)
    assert said[:2] == [
        "one project listed twice, by one and two, with the same people",
        "shared people: Bo Tensley, Cy Dunmore",
    ]


def test_context_signals_and_their_reasons() -> None:
    a = profile(
        "a",
        topics={"falls": "Falls prevention"},
        leads={"o1": "Trust One"},
        systems={"s1": "North ICS"},
        start=date(2024, 1, 1),
        methods=frozenset({"pdsa"}),
        method_names={"pdsa": "PDSA"},
    )
    b = profile(
        "b",
        topics={"falls": "Falls prevention"},
        leads={"o2": "Trust Two"},
        systems={"s2": "East ICS"},
        neighbours=frozenset({"s1"}),
        start=date(2027, 6, 1),
        methods=frozenset({"pdsa", "lean"}),
        method_names={"pdsa": "PDSA", "lean": "Lean"},
    )
    found = features(a, b, 0.5)
    assert (found.topic, found.place, found.dates, found.methods) == (1.0, 0.5, 0.0, 0.5)
    assert reasons(a, b, ["sensors", "night"]) == [
        "same topic: falls prevention",
        "2 shared key terms (sensors, night)",
        "started 2024 and 2027",
        "neighbouring systems: North ICS and East ICS",
        "both use PDSA",
    ]
    assert features(a, profile("c"), 0.5).context() == 0.5  # nothing known: neutral


def test_blocking_keeps_each_projects_strongest_keys_and_drops_common_ones() -> None:
    vectors = csr_matrix(np.array([[0.9, 0.3, 0.1], [0.2, 0.0, 0.8]], dtype=np.float32))
    keys = key_matrix(vectors, keys=1)
    assert keys.toarray().tolist() == [[np.float32(0.9), 0, 0], [0, 0, np.float32(0.8)]]
    common = csr_matrix(np.ones((4, 2), dtype=np.float32))
    assert block_keys(common, max_block=3).nnz == 0


def test_candidates_are_each_projects_closest() -> None:
    firsts, seconds = np.array([0, 0, 0, 1]), np.array([1, 2, 3, 2])
    cos = np.array([0.9, 0.8, 0.4, 0.5])
    kept = closest(firsts, seconds, cos, top_k=1)
    # 0's closest is 1, 1's is 0, 2's is 0, 3's is 0: the pair (1, 2) is nobody's closest.
    assert sorted(zip(kept[0].tolist(), kept[1].tolist(), strict=True)) == [(0, 1), (0, 2), (0, 3)]


def test_worker_processes_find_the_very_same_candidates(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A large corpus is shortlisted in worker processes, parts dealt out in turn; small parts
    # here so that each of the two real worker processes gets several.
    corpus = Corpus.build(default_analyzer(), generate().profiles)
    matrix, _ = weights.matrix([a.counts for a in corpus.analyses], corpus.df, corpus.docs)
    monkeypatch.setattr(candidates, "PART_ROWS", 37)
    here = candidate_pairs(matrix, workers=1)
    apart = candidate_pairs(matrix, workers=2)
    assert len(here[0]) > 100
    assert "workers failed" not in caplog.text  # really found in the workers
    for mine, theirs in zip(here, apart, strict=True):
        assert np.array_equal(mine, theirs)


def test_the_scan_does_not_compare_every_pair() -> None:
    labelled = generate(paraphrased_titles=10, different_words=10, background=150)
    corpus = Corpus.build(default_analyzer(), labelled.profiles)
    matrix, _ = weights.matrix([a.counts for a in corpus.analyses], corpus.df, corpus.docs)
    firsts, _, _ = candidate_pairs(matrix, top_k=3)
    n = len(labelled.profiles)
    assert len(firsts) <= 3 * n < n * (n - 1) // 2
    assert full_scan(corpus).keys[labelled.profiles[0].id]


def summary(pid: str) -> ProjectSummary:
    return ProjectSummary(pid, pid, (), ())


def pair(a: str, b: str, score: float) -> SimilarPair:
    return SimilarPair(
        summary(a), summary(b), score, DUPLICATE, (), ReviewStatus.UNREVIEWED, None, None, None
    )


def test_clusters_are_connected_groups_strongest_first() -> None:
    clusters = clusters_of([pair("a", "b", 0.8), pair("c", "d", 0.95), pair("b", "e", 0.75)])
    assert [[p.id for p in c.projects] for c in clusters] == [["c", "d"], ["a", "b", "e"]]
    assert [c.top_score for c in clusters] == [0.95, 0.8]


def test_clusters_stop_growing_at_their_bound() -> None:
    chain = [pair(f"p{n:02d}", f"p{n + 1:02d}", 0.9 - n / 1000) for n in range(9)]
    clusters = clusters_of(chain, most=4)
    # p00-p03 and p04-p07 fill two groups; the pairs across (p03-p04, p07-p08) are shown in
    # their first project's group, so p04 and p08 are each shown twice
    assert [len(c.projects) for c in clusters] == [5, 5, 2]
    assert [len(c.pairs) for c in clusters] == [4, 4, 1]
    assert sorted(p.pair for c in clusters for p in c.pairs) == sorted(p.pair for p in chain)
    assert [c.projects[0].id for c in clusters] == ["p00", "p04", "p08"]


def with_gaps(profiles: list[ProjectProfile]) -> list[ProjectProfile]:
    """The labelled profiles with some evidence missing or added, so every branch is taken:
    two sources (neighbours in the list, as planted pairs are, alternate), and some titles that
    prove little ("Annual report") or are misspelt."""
    leads = [p.leads for p in profiles]
    return [
        replace(
            p,
            id=f"source{n % 2}:{p.id}",
            title="Annual report" if n % 11 == 0 else p.title.replace("s", "z", n % 3),
            start=None if n % 3 == 0 else p.start,
            end=None if n % 4 == 1 else p.end,
            methods=frozenset() if n % 4 == 0 else p.methods,
            systems={} if n % 5 == 0 else p.systems,
            partners=leads[(n * 7) % len(leads)] if n % 6 == 0 else p.partners,
        )
        for n, p in enumerate(profiles)
    ]


def test_the_batch_scan_scores_every_pair_as_the_one_pair_scoring_does() -> None:
    corpus = Corpus.build(default_analyzer(), with_gaps(generate().profiles))
    matrix, _ = weights.matrix([a.counts for a in corpus.analyses], corpus.df, corpus.docs)
    firsts, seconds, cosines = candidate_pairs(matrix)
    one_by_one = {}
    for i, j, cos in zip(firsts.tolist(), seconds.tolist(), cosines.tolist(), strict=True):
        pair = judge(corpus, i, j, cos, 0.0)
        assert pair is not None
        one_by_one[pair.pair] = pair
    batch = {p.pair: p for p in full_scan(corpus, floor=0.0).pairs}
    assert batch.keys() == one_by_one.keys()
    kinds = {p.kind for p in batch.values()}
    assert kinds == {DUPLICATE, COLLABORATION, SAME_PROJECT}  # every kind is exercised
    for key, pair in batch.items():
        assert (pair.score, pair.kind, pair.reasons) == (
            one_by_one[key].score,
            one_by_one[key].kind,
            one_by_one[key].reasons,
        ), key


def test_the_batch_signals_are_the_one_pair_features() -> None:
    corpus = Corpus.build(default_analyzer(), with_gaps(generate().profiles))
    matrix, _ = weights.matrix([a.counts for a in corpus.analyses], corpus.df, corpus.docs)
    firsts, seconds, cosines = candidate_pairs(matrix)
    scored = batch.score_pairs(batch.Evidence.of(corpus.profiles), firsts, seconds, cosines)
    pairs = zip(firsts.tolist(), seconds.tolist(), cosines.tolist(), strict=True)
    for n, (i, j, cos) in enumerate(pairs):
        one = features(corpus.profiles[i], corpus.profiles[j], cos)
        signals = {name: scored.signals[name][n] for name in CONTEXT_WEIGHTS}
        got = {name: None if np.isnan(v) else float(v) for name, v in signals.items()}
        assert got == {name: getattr(one, name) for name in CONTEXT_WEIGHTS}, (i, j)
        assert float(scored.text[n]) == one.text
