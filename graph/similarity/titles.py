"""What a title can and cannot prove, and a second way to read it that survives misspelling.

Two records named "Annual report" or "Editor's notes" are rarely the same work: a title left
with one or two informative words, or one that many projects share word for word, says what
kind of thing a project is, not which one. Such a pair needs agreement beyond the title (a
topic both are tagged with, the same start date, or aims that say the same) before its text
counts in full; without it, its text similarity is scaled down by ``TITLE_ONLY_FACTOR``.

Terms match only when spelt alike, so "Sytems", "managment" or "night-time" and "nighttime"
break them. The titles' informative words, run together, are also compared as sets of
character trigrams; where that likeness is above the terms' own, it lifts the text similarity
part of the way (``CHAR_WEIGHT``). It is computed only for candidate pairs the terms already
found, so it costs time per candidate, never per pair of projects.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import numpy as np

LOW_INFORMATION_TERMS = 2  # a title with this many informative terms or fewer
GENERIC_TITLE_USES = 3  # a title used word for word by this many projects or more
TITLE_ONLY_FACTOR = 0.6
BODY_AGREEMENT = 0.2  # idf-weighted likeness of the aims above which they agree
CHAR_WEIGHT = 0.5
GRAM = 3

Similarity = TypeVar("Similarity", float, np.ndarray)


def grams(spelling: str) -> frozenset[str]:
    """The character trigrams of a title's informative words run together."""
    return frozenset(spelling[k : k + GRAM] for k in range(len(spelling) - GRAM + 1))


def gram_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two sets of trigrams (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def with_spelling(words: Similarity, spelling: Similarity) -> Similarity:
    """The terms' similarity, lifted part of the way towards the spelling's where that is higher."""
    return words + CHAR_WEIGHT * np.maximum(spelling - words, 0.0)


def low_information(title: frozenset[str]) -> bool:
    return len(title) <= LOW_INFORMATION_TERMS


def title_uses(titles: Sequence[frozenset[str]]) -> dict[frozenset[str], int]:
    """How many projects use each title, word for word (in terms)."""
    uses: dict[frozenset[str], int] = {}
    for title in titles:
        if title:
            uses[title] = uses.get(title, 0) + 1
    return uses


def title_is_not_enough(
    a: frozenset[str], b: frozenset[str], uses: Mapping[frozenset[str], int]
) -> bool:
    """Whether a pair with these titles needs agreement beyond them: either title says too
    little, or both are one title that many projects use."""
    if low_information(a) or low_information(b):
        return True
    return a == b and uses.get(a, 0) >= GENERIC_TITLE_USES


def bodies_agree(a: frozenset[str], b: frozenset[str], idf: Callable[[str], float]) -> bool:
    """Whether two aims share enough telling terms: the idf-weighted cosine of their term sets."""
    if not a or not b:
        return False
    weight = {t: idf(t) ** 2 for t in a | b}
    shared = sum(weight[t] for t in a & b)
    norm = math.sqrt(sum(weight[t] for t in a) * sum(weight[t] for t in b))
    return bool(norm) and shared / norm >= BODY_AGREEMENT
