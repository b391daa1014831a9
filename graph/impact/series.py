"""Counting the figures: each figure's statement run for a scope and periods, and its rows laid
out as one value per period, per category and in total."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from graph.database import Graph
from graph.impact.figures import FIGURES, TOTAL, Basis, Figure, Tally
from graph.impact.kept import READS, kept_among, tally_key
from graph.impact.periods import Interval, Period
from graph.impact.snapshots import first_snapshot_day
from graph.queries.topics import topic_parameters

AT_ONCE = 4
"""Figure statements one hub process runs at a time. Each aggregates a whole scope: a burst of
Impact pages (a dozen figures each) queues here, instead of sharing the database's cores
until every one of them runs out of time."""
_TURNS: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()

Values = list[int | None]
"""One value per period, in the periods' order; None where it is not known."""


@dataclass(frozen=True)
class Scope:
    """What the series count: everything, or a system's, an organisation's, a topic's."""

    system: str | None = None
    organisation: str | None = None
    topic: str | None = None


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    values: Values


@dataclass(frozen=True)
class Series:
    """One figure's numbers for one caller. ``total`` is None (and ``categories`` empty) when
    the figure is refused to the caller."""

    figure: Figure
    total: Values | None
    categories: list[Category]


@dataclass(frozen=True)
class Counting:
    """The periods and what a caller may count: shared by every figure of one request."""

    scope: Scope
    interval: Interval
    periods: Sequence[Period]
    today: date
    public_only: bool
    """Only people who agreed to be listed count (anonymous callers)."""
    snapshots_since: date | None
    kept: frozenset[str] = frozenset()
    """The kept tallies (``graph.impact.kept``) this request's figures can read."""

    def tally_for(self, figure: Figure) -> str | None:
        """The tally that would keep the figure for this request (None: none would)."""
        return tally_key(
            figure,
            system=self.scope.system,
            organisation=self.scope.organisation,
            topic=self.scope.topic,
            interval=self.interval,
            public_only=self.public_only,
        )

    def tally(self, figure: Figure) -> str | None:
        """The kept tally the figure reads for this request, or None: it counts on the spot."""
        key = self.tally_for(figure)
        return key if key in self.kept else None

    def parameters(self) -> dict[str, Any]:
        points = self.points()
        return {
            "system": self.scope.system,
            "organisation": self.scope.organisation,
            **topic_parameters(self.scope.topic),
            "publicOnly": self.public_only,
            "unit": self.interval.value,
            "from": self.periods[0].start,
            "to": self.periods[-1].end,
            "periods": [{"start": p.start, "end": p.end} for p in self.periods],
            "points": [
                {"period": p.start, "at": at} for p, at in zip(self.periods, points, strict=True)
            ],
            "lastPoint": max(points),
        }

    def points(self) -> list[date]:
        """The day each period's state is read for: its last day, or today if that is later."""
        return [min(period.last_day, self.today) for period in self.periods]

    def known(self, figure: Figure) -> list[bool]:
        """Per period, whether the figure can be known there (snapshot figures: only from the
        first snapshot on, and not for periods still to come)."""
        if figure.basis is Basis.RECORDED:
            return [True] * len(self.periods)
        since = self.snapshots_since
        return [
            since is not None and since <= at and period.start <= self.today
            for period, at in zip(self.periods, self.points(), strict=True)
        ]


async def counting(
    graph: Graph,
    scope: Scope,
    interval: Interval,
    periods: Sequence[Period],
    *,
    today: date,
    public_only: bool,
) -> Counting:
    since = await first_snapshot_day(graph)
    how = Counting(scope, interval, periods, today, public_only, since)
    kept = await kept_among(graph, (how.tally_for(figure) for figure in FIGURES))
    return replace(how, kept=kept)


async def count_figures(
    graph: Graph, how: Counting, figures: Sequence[Figure] = FIGURES, *, signed_in: bool
) -> list[Series]:
    """Each figure's series, counted at once; figures refused to the caller are not run.
    Figures read from kept tallies are read together, one statement per kind of tally."""
    allowed = [figure for figure in figures if signed_in or not figure.signed_in_only]
    kept: dict[Tally, dict[str, Figure]] = {}
    counted: list[Figure] = []
    for figure in allowed:
        key = how.tally(figure)
        if key is None or figure.kept is None:
            counted.append(figure)
        else:
            kept.setdefault(figure.kept, {})[key] = figure
    rows: dict[str, list[dict[str, Any]]] = {figure.key: [] for figure in allowed}

    async def read_kept(kind: Tally, figures_by_key: dict[str, Figure]) -> None:
        parameters = {**how.parameters(), "keptKeys": list(figures_by_key)}
        async with _turn():
            found = await graph.read(READS[kind], parameters)
        for row in found:
            rows[figures_by_key[row["keptKey"]].key].append(row)

    async def count(figure: Figure) -> None:
        parameters = {**how.parameters(), **figure.parameters}
        statement = figure.statement(parameters)
        async with _turn():
            rows[figure.key] = await graph.read(statement, parameters)

    await asyncio.gather(
        *(read_kept(kind, keyed) for kind, keyed in kept.items()),
        *(count(figure) for figure in counted),
    )
    return [
        _series(how, figure, rows[figure.key]) if figure.key in rows else Series(figure, None, [])
        for figure in figures
    ]


def _turn() -> asyncio.Semaphore:
    """The running loop's turns (a semaphore belongs to the loop it first waited in)."""
    loop = asyncio.get_running_loop()
    turns = _TURNS.get(loop)
    if turns is None:
        turns = _TURNS[loop] = asyncio.Semaphore(AT_ONCE)
    return turns


def _series(how: Counting, figure: Figure, rows: Sequence[dict[str, Any]]) -> Series:
    """A figure's series from its rows (``period, category, n``), a value per period."""
    index = {period.start: number for number, period in enumerate(how.periods)}
    known = how.known(figure)

    def empty() -> Values:
        return [0 if ok else None for ok in known]

    found: dict[str, Values] = {}
    for row in rows:
        number = index.get(row["period"])
        if number is None or not known[number]:
            continue
        values = found.setdefault(str(row["category"] or "unknown"), empty())
        values[number] = (values[number] or 0) + int(row["n"] or 0)
    total = found.pop(TOTAL, None)
    keys = list(figure.categories) + sorted(key for key in found if key not in figure.categories)
    categories = [
        Category(key, figure.categories.get(key, key.replace("_", " ")), found.get(key, empty()))
        for key in keys
    ]
    if total is None:
        total = empty()
        for category in categories:
            total = [
                t + v if t is not None and v is not None else t
                for t, v in zip(total, category.values, strict=True)
            ]
    if figure.breakdown is None:
        categories = []
    return Series(figure, total, categories)
