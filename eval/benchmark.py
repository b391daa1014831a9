"""The DBLP-ACM titles (eval/data/dblp_acm) as projects, split in two halves.

Each record becomes a project with its title and, as its start, the first of January of its
year; nothing else (no aim, no topics, no organisation), so a pair can only be told from its
title and its year. A true duplicate is a pair the benchmark lists as one publication.

The halves are disjoint corpora: a DBLP record goes to ``tune`` when its id is even, an ACM
record with the DBLP record it matches, an unmatched ACM record by its own id. Thresholds are
chosen on ``tune``; ``report`` is only measured.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graph.similarity.profiles import ProjectProfile

DATA = Path(__file__).parent / "data" / "dblp_acm"
SPLITS = ("tune", "report")


@dataclass(frozen=True)
class Benchmark:
    """One half: its projects and the pairs (ordered ids) that are one publication."""

    profiles: list[ProjectProfile]
    duplicates: set[tuple[str, str]]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _profile(pid: str, row: dict[str, str]) -> ProjectProfile:
    return ProjectProfile(id=pid, title=row["title"], start=date(int(row["year"]), 1, 1))


def load(split: str) -> Benchmark:
    """The ``tune`` or ``report`` half of the benchmark."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    wanted = SPLITS.index(split)
    matches = [(m["dblp"], m["acm"]) for m in _rows("matches.tsv")]
    acm_side = {acm: dblp for dblp, acm in matches}
    profiles = [
        _profile(f"dblp:{row['id']}", row)
        for row in _rows("dblp.tsv")
        if int(row["id"]) % 2 == wanted
    ]
    for row in _rows("acm.tsv"):
        owner = acm_side.get(row["id"], row["id"])
        if int(owner) % 2 == wanted:
            profiles.append(_profile(f"acm:{row['id']}", row))
    ids = {p.id for p in profiles}
    duplicates = {
        (f"acm:{acm}", f"dblp:{dblp}")
        for dblp, acm in matches
        if f"dblp:{dblp}" in ids and f"acm:{acm}" in ids
    }
    return Benchmark(profiles, duplicates)
