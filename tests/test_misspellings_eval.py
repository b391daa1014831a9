"""eval.misspellings reads codespell's dictionary format and counts edits as Lucene does."""

from __future__ import annotations

from eval.misspellings import edits_needed, pairs, shares


def test_only_single_word_corrections_of_letters_are_read() -> None:
    lines = ["abotu->about", "accesible->accessible", "teh->the, tea,", "2nd->second", "x->"]
    assert list(pairs(lines)) == [("abotu", "about"), ("accesible", "accessible")]


def test_edits_are_counted_as_lucene_counts_them() -> None:
    assert edits_needed("recieve", "receive") == 1  # two neighbours swapped: one edit
    assert edits_needed("acommodate", "accommodate") == 1
    assert edits_needed("acomodate", "accommodate") == 2
    assert edits_needed("xyzzyq", "receive") == 3


def test_pairs_are_counted_by_the_length_typed() -> None:
    counted = shares([("recieve", "receive"), ("acomodate", "accommodate"), ("teh", "the")])
    assert counted[(5, 7)] == {1: 1}
    assert counted[(8, 9)] == {2: 1}
    assert sum(sum(c.values()) for c in counted.values()) == 2  # "teh" is too short
