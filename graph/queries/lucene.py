"""Turning what a person typed into a safe Lucene query for Neo4j's full-text indexes.

User text never reaches Lucene's query parser unescaped: every character the parser treats
as syntax is backslash-escaped, and the operator words AND, OR and NOT are lower-cased so
they are searched for rather than obeyed. The only operators in a query are ours, added after
escaping: ``*`` (a prefix) and, for search, ``~N`` (up to N edits, for misspellings).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Lucene's classic query parser syntax: + - && || ! ( ) { } [ ] ^ " ~ * ? : \ /
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_OPERATORS = {"AND", "OR", "NOT"}
MAX_TERMS = 16
MIN_PREFIX_LENGTH = 3
MIN_FUZZY_LENGTH = 5
"""Shorter words are searched exactly: one edit in a four-letter word is too often another word."""
LONG_WORD_LENGTH = 8
"""Words this long may have two edits; shorter ones (from MIN_FUZZY_LENGTH) one."""
MOST_EDITS = 2
"""The most edits any word may have."""
MAX_FUZZY_LENGTH = 40
"""Longer "words" are no misspelling; Lucene's edit automaton grows with the word's length."""
_LETTERS = re.compile(r"[A-Za-z]+")
WITHIN_EDITS_KEPT = 16_384
"""How many answers of ``within_edits`` are kept (least recently used go first)."""


def escape(term: str) -> str:
    """One word of user text, with everything Lucene would read as syntax escaped."""
    if term in _OPERATORS:
        term = term.lower()
    return _SPECIAL.sub(r"\\\1", term)


def words(text: str) -> list[str]:
    """The words of a search, at most MAX_TERMS of them, blanks and pure punctuation dropped."""
    found = [w for w in text.split() if re.search(r"\w", w)]
    return found[:MAX_TERMS]


def searched_as_prefix(word: str) -> bool:
    """Whether ``query_for`` also searches this word as the start of longer words."""
    return len(word) >= MIN_PREFIX_LENGTH and re.fullmatch(r"\w+", word) is not None


def fuzzy_edits(word: str, most: int = MOST_EDITS) -> int:
    """How many edits (Lucene's: insert, delete, replace, swap two neighbours) ``query_for``
    with ``fuzzy`` allows in this word, ``most`` at most; 0 when it is searched only as
    written. Only words of letters alone are searched fuzzily: a code or a number one digit
    away is another thing."""
    if not MIN_FUZZY_LENGTH <= len(word) <= MAX_FUZZY_LENGTH or not _LETTERS.fullmatch(word):
        return 0
    return min(most, 2 if len(word) >= LONG_WORD_LENGTH else 1)


def query_for(text: str, *, fuzzy: bool = False, most_edits: int = MOST_EDITS) -> str | None:
    """A Lucene query matching any word of ``text`` (whole, or as a prefix); None if no words.
    With ``fuzzy``, a long enough word also matches words a few edits away (``fuzzy_edits``,
    ``most_edits`` at most).

    Whole-word matches score higher than prefix and fuzzy matches, so 'fall' finds 'falls'
    but an exact 'fall' ranks first. At most three terms a word: time linear in the input.
    """
    parts = []
    for word in words(text):
        escaped = escape(word)
        parts.append(escaped)
        if searched_as_prefix(word):
            parts.append(f"{escaped}*")
        edits = fuzzy_edits(word, most_edits) if fuzzy else 0
        if edits:
            parts.append(f"{escaped}~{edits}")
    return " ".join(parts) or None


@lru_cache(maxsize=WITHIN_EDITS_KEPT)
def within_edits(term: str, word: str, edits: int) -> bool:
    """Whether ``word`` is at most ``edits`` edits from ``term`` as Lucene's fuzzy terms count
    them: a letter inserted, deleted or replaced, or two neighbours swapped (each counts one).
    Time is the product of the two lengths, and ``fuzzy_edits`` bounds the term's. Kept for
    the words asked most: a search asks it of every word of every hit's fields, and the same
    words recur across hits and searches."""
    if abs(len(term) - len(word)) > edits:
        return False
    before: list[int] = []
    previous = list(range(len(word) + 1))
    for i in range(1, len(term) + 1):
        current = [i] + [0] * len(word)
        for j in range(1, len(word) + 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (term[i - 1] != word[j - 1]),
            )
            if i > 1 and j > 1 and term[i - 1] == word[j - 2] and term[i - 2] == word[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > edits:
            return False
        before, previous = previous, current
    return previous[-1] <= edits
