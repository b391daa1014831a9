"""The term statistics the incremental path weighs terms by, kept in memory between updates.

A full scan stores every term's document frequency and the number of projects (the model,
``SimilarityModel``, with the scan's ``run``). An incremental update used to read those for its
projects' terms, then again for its candidates' terms: two round trips of the four an update
costs. This keeps one copy per process instead, checked by the model's ``run`` and ``version``
(which the candidates query returns anyway), and reloaded whole only when they change.

New projects count: an update that scores a project for the first time adds one to the number
of projects and to the frequency of each of its terms, in the update's own transaction, and
bumps the version. A changed or retired project's old terms are not known, so they stay counted
until the next full scan recomputes everything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import LiteralString

from graph.database import Graph
from graph.similarity.store import MODEL_ID

_READ_ALL: LiteralString = """
OPTIONAL MATCH (m:SimilarityModel {id: $id})
RETURN m.docs AS docs, m.run AS run, coalesce(m.version, 0) AS version,
       COLLECT { MATCH (t:SimilarityTerm) RETURN [t.term, t.df] } AS df
"""


@dataclass
class Statistics:
    """Document frequencies as of one model ``run`` and ``version``; ``docs`` 0 when none."""

    run: str | None = None
    version: int = 0
    docs: int = 0
    df: Counter[str] = field(default_factory=Counter)

    def matches(self, run: str | None, version: int) -> bool:
        return self.run is not None and (run, version) == (self.run, self.version)

    def counted(self, terms: Iterable[Iterable[str]], version: int) -> None:
        """Count new projects' terms here, as the update counted them in the graph."""
        for one in terms:
            self.docs += 1
            self.df.update(set(one))
        self.version = version


_current = Statistics()


def remember(run: str, docs: int, df: Mapping[str, int]) -> None:
    """What a full scan just stored, so the next update in this process need not read it."""
    global _current
    _current = Statistics(run, 0, docs, Counter(df))


async def current(graph: Graph, *, fresh: bool = False) -> Statistics:
    """The statistics in memory, or read whole when there are none yet or ``fresh`` (the
    caller saw that the stored model is not the one in memory)."""
    global _current
    if _current.run is not None and not fresh:
        return _current
    rows = await graph.read(_READ_ALL, {"id": MODEL_ID})
    row = rows[0]
    if row["docs"] is None:
        _current = Statistics()  # what was remembered belongs to a graph since emptied
        return _current
    _current = Statistics(
        row["run"], int(row["version"]), int(row["docs"]), Counter(dict(row["df"]))
    )
    return _current
