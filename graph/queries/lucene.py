"""Turning what a person typed into a safe Lucene query for Neo4j's full-text indexes.

User text never reaches Lucene's query parser unescaped: every character the parser treats
as syntax is backslash-escaped, and the operator words AND, OR and NOT are lower-cased so
they are searched for rather than obeyed.
"""

from __future__ import annotations

import re

# Lucene's classic query parser syntax: + - && || ! ( ) { } [ ] ^ " ~ * ? : \ /
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_OPERATORS = {"AND", "OR", "NOT"}
MAX_TERMS = 16
MIN_PREFIX_LENGTH = 3


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


def query_for(text: str) -> str | None:
    """A Lucene query matching any word of ``text`` (whole, or as a prefix); None if no words.

    Whole-word matches score higher than prefix matches, so 'fall' finds 'falls' but an exact
    'fall' ranks first.
    """
    parts = []
    for word in words(text):
        escaped = escape(word)
        parts.append(escaped)
        if searched_as_prefix(word):
            parts.append(f"{escaped}*")
    return " ".join(parts) or None
