"""How far real misspellings are from the words meant, by the length of what was typed.

    .venv/bin/python -m eval.misspellings PATH/TO/codespell_lib/data/dictionary.txt

codespell's dictionary (a public list of misspellings found in real text, each line
``typed->meant``; the package is not a dependency: fetch it, unpack it and give the file) is
read for pairs of one lower-case word each way, letters alone, as search treats them
(``lucene.fuzzy_edits``: words of letters alone, from five letters). Each pair is counted by the
fewest edits Lucene's fuzzy terms need (``lucene.within_edits``): one, two, or more. Search's
rules for slips (one from five letters, two from eight, one for a long word the hub holds as
typed) are read against these shares; the README quotes them.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.queries import lucene

BANDS = ((5, 7), (8, 9), (10, 11), (12, lucene.MAX_FUZZY_LENGTH))
_WORD = re.compile(r"[a-z]+")


def pairs(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(typed, meant) for each line naming one correction, both single words of letters."""
    for line in lines:
        typed, _, meant = line.strip().partition("->")
        corrections = [m.strip() for m in meant.split(",") if m.strip()]
        if len(corrections) == 1 and _WORD.fullmatch(typed) and _WORD.fullmatch(corrections[0]):
            yield typed, corrections[0]


def edits_needed(typed: str, meant: str) -> int:
    """1 or 2, the fewest edits from one to the other; 3 for more than that."""
    return next((n for n in (1, 2) if lucene.within_edits(typed, meant, n)), 3)


def shares(found: Iterable[tuple[str, str]]) -> dict[tuple[int, int], Counter[int]]:
    """Per band of typed length, how many pairs need one, two or more edits."""
    counts: dict[tuple[int, int], Counter[int]] = {band: Counter() for band in BANDS}
    for typed, meant in found:
        band = next((b for b in BANDS if b[0] <= len(typed) <= b[1]), None)
        if band is not None:
            counts[band][edits_needed(typed, meant)] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dictionary", type=Path, help="codespell_lib/data/dictionary.txt")
    args = parser.parse_args()
    lines = args.dictionary.read_text(encoding="utf-8").splitlines()
    print("typed letters  pairs  one edit  two edits  more")
    for (low, high), counted in shares(pairs(lines)).items():
        total = sum(counted.values())
        row = [f"{counted[n] / total:8.1%}" for n in (1, 2, 3)] if total else ["-"] * 3
        print(f"{low:>5}-{high:<7} {total:6}  {'  '.join(row)}")


if __name__ == "__main__":
    main()
