"""Impact figures kept for the whole region and for each system, so that an uncached Impact
page adds up a few kept numbers instead of walking every project and membership in scope.

A figure with ``kept`` set (``graph.impact.figures.Tally``) has one ``ImpactTally`` node per
scope (``*`` or ``system:<id>``) and, for figures counted per interval and caller class, per
variant: lists of days, categories and numbers, worked out again after every pull that wrote
or retired records and after every snapshot that wrote or removed a project's change (either
can move a project's start, end or people), and for figures that count pairs after the
similarity step that scores what a sync changed (``recount_scored``), with the figure's own
statements. A request for the region or a system, with no organisation or topic, at an
interval kept, reads its tally; any other request, or one for a system no recount has reached
yet (a pull has just created it), counts on the spot, as before. The test suite checks both
give the same answers through changes.

Organisations and topics are not kept: there are many of them and each holds a small share of
the projects, so counting on the spot costs little; keeping them would cost every changing
pull a count per organisation and topic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, LiteralString

from graph.database import Graph
from graph.impact.figures import FIGURES, Figure, Tally
from graph.impact.periods import EARLIEST, LATEST, Interval
from graph.queries.topics import topic_parameters
from graph.version import bump_version

KEPT_INTERVALS: Mapping[Interval, str] = {
    Interval.MONTH: "P1M",
    Interval.QUARTER: "P3M",
    Interval.YEAR: "P1Y",
}
"""The intervals ``Tally.UNDER_WAY`` figures are kept for (the explorer's), with the step from
one period's start to the next's; days and weeks are counted on the spot."""
_CALLERS = ("everyone", "listed")
EVERYWHERE = "*"

READS: Mapping[Tally, LiteralString] = {
    Tally.DAYS: """
UNWIND $keptKeys AS keptKey
MATCH (kept:ImpactTally {key: keptKey})
UNWIND range(0, size(kept.days) - 1) AS i
WITH keptKey, kept.days[i] AS day, kept.categories[i] AS category, kept.counts[i] AS n
WHERE day >= $from AND day < $to
RETURN keptKey, date.truncate($unit, day) AS period, category, sum(n) AS n
""",
    Tally.STATES: """
UNWIND $keptKeys AS keptKey
MATCH (kept:ImpactTally {key: keptKey})
UNWIND range(0, size(kept.days) - 1) AS i
WITH keptKey, kept.days[i] AS day, kept.categories[i] AS category, kept.counts[i] AS n
WHERE day <= $lastPoint
UNWIND $points AS point
WITH keptKey, point, category, sum(CASE WHEN day <= point.at THEN n ELSE 0 END) AS n
WHERE n <> 0
RETURN keptKey, point.period AS period, category, n
""",
    Tally.UNDER_WAY: """
UNWIND $keptKeys AS keptKey
MATCH (kept:ImpactTally {key: keptKey})
UNWIND range(0, size(kept.days) - 1) AS i
WITH keptKey, kept.days[i] AS day, kept.categories[i] AS category, kept.counts[i] AS n
WHERE day < $to
UNWIND $periods AS period
WITH keptKey, period, category, sum(CASE WHEN day <= period.start THEN n ELSE 0 END) AS n
RETURN keptKey, period.start AS period, category, n
""",
}
"""Each kind of tally read as a figure's statement reads, for the tallies ``$keptKeys`` at
once (a request reads several of a kind): rows ``keptKey, period, category, n``."""

_STORE: LiteralString = """
UNWIND $tallies AS tally
MERGE (kept:ImpactTally {key: tally.key})
WITH kept, tally, coalesce(kept.days = tally.days AND kept.categories = tally.categories
                           AND kept.counts = tally.counts, false) AS same
SET kept.days = tally.days, kept.categories = tally.categories, kept.counts = tally.counts
RETURN count(CASE WHEN same THEN null ELSE 1 END) AS changed
"""
_FORGET: LiteralString = """
MATCH (kept:ImpactTally)
WHERE split(kept.key, '|')[0] IN $figures AND NOT kept.key IN $keys
DELETE kept
RETURN count(*) AS forgotten
"""
_SYSTEMS: LiteralString = "MATCH (system:System) RETURN system.id AS id ORDER BY id"
_FOUND: LiteralString = "MATCH (kept:ImpactTally) WHERE kept.key IN $keys RETURN kept.key AS key"
_MISSING: LiteralString = """
UNWIND $keys AS key
OPTIONAL MATCH (kept:ImpactTally {key: key})
RETURN count(CASE WHEN kept IS NULL THEN 1 END) AS missing,
       EXISTS { MATCH (:Project) } AS projects
"""


def tally_key(
    figure: Figure,
    *,
    system: str | None,
    organisation: str | None,
    topic: str | None,
    interval: Interval,
    public_only: bool,
) -> str | None:
    """The tally a request for this scope reads, or None when it counts on the spot."""
    if figure.kept is None or organisation is not None or topic is not None:
        return None
    if figure.kept is not Tally.UNDER_WAY:
        return _key(figure, system, "")
    if interval not in KEPT_INTERVALS:
        return None
    return _key(figure, system, f"{interval.value}|{_CALLERS[public_only]}")


def _key(figure: Figure, system: str | None, variant: str) -> str:
    """A tally's key: the figure, the scope (``*`` or ``system:<id>``) and any variant."""
    scope = EVERYWHERE if system is None else "system:" + system
    return f"{figure.key}|{scope}" + (f"|{variant}" if variant else "")


async def kept_among(graph: Graph, keys: Iterable[str | None]) -> frozenset[str]:
    """Which of ``keys`` have a tally."""
    wanted = sorted({key for key in keys if key is not None})
    if not wanted:
        return frozenset()
    rows = await graph.read(_FOUND, {"keys": wanted})
    return frozenset(row["key"] for row in rows)


def _variants(figure: Figure) -> list[str]:
    if figure.kept is Tally.UNDER_WAY:
        return [f"{interval.value}|{who}" for interval in KEPT_INTERVALS for who in _CALLERS]
    return [""]


def _whole_scope(figure: Figure, system: str | None) -> dict[str, Any]:
    """The parameters that count a figure over every day a series may reach, for a scope."""
    end = LATEST + timedelta(days=1)
    return {
        "system": system,
        "organisation": None,
        **topic_parameters(None),
        "publicOnly": False,
        "unit": Interval.DAY.value,
        "from": EARLIEST,
        "to": end,
        "periods": [{"start": EARLIEST, "end": end}],
        "points": [],
        "lastPoint": LATEST,
        "intervals": [{"name": i.value, "step": step} for i, step in KEPT_INTERVALS.items()],
        **figure.parameters,
    }


async def _tallies(graph: Graph, figure: Figure, system: str | None) -> list[dict[str, Any]]:
    """One scope's tallies of one figure, each in day and category order."""
    parameters = _whole_scope(figure, system)
    statement = figure.statement if figure.kept is Tally.DAYS else figure.keep
    assert statement is not None, f"{figure.key} is kept as {figure.kept} with no keep statement"
    # A whole scope can take longer than a request may: the write bound applies.
    rows = await graph.write(statement(parameters), parameters)
    found: dict[str, list[tuple[date, str, int]]] = {v: [] for v in _variants(figure)}
    for row in rows:
        if row["period"] is None or not row["n"]:
            continue
        found[row.get("variant", "")].append((row["period"], str(row["category"]), row["n"]))
    tallies = []
    for variant, entries in found.items():
        entries.sort()
        tallies.append(
            {
                "key": _key(figure, system, variant),
                "days": [entry[0] for entry in entries],
                "categories": [entry[1] for entry in entries],
                "counts": [entry[2] for entry in entries],
            }
        )
    return tallies


async def recount_tallies(graph: Graph, figures: Sequence[Figure] = FIGURES) -> int:
    """Work the kept ones of ``figures`` (default: all) out again for the region and each
    system; how many tallies changed. A change moves the graph's version, so cached answers
    that showed the old figures are not served again."""
    kept = [figure for figure in figures if figure.kept is not None]
    systems = [row["id"] for row in await graph.read(_SYSTEMS)]
    tallies: list[dict[str, Any]] = []
    for figure in kept:
        for system in [None, *systems]:
            tallies.extend(await _tallies(graph, figure, system))
    stored = await graph.write(_STORE, {"tallies": tallies})
    changed = stored[0]["changed"] if stored else 0
    forgotten = await graph.write(
        _FORGET,
        {"figures": [figure.key for figure in kept], "keys": [tally["key"] for tally in tallies]},
    )
    changed += forgotten[0]["forgotten"]
    if changed:
        await bump_version(graph)
    return changed


async def recount_scored(graph: Graph) -> int:
    """Work the kept figures that count pairs out again: for the similarity step to call once
    it has written them (a pull's recount ran before it)."""
    return await recount_tallies(graph, [figure for figure in FIGURES if figure.scored])


async def ensure_tallied(graph: Graph) -> bool:
    """Keep the figures for a graph no recount has reached (one from before they were kept,
    or from before a figure was); True if it had to. Safe from every hub at start. A graph with
    no projects has nothing to keep yet: its first changing pull works the figures out."""
    region = [
        tally_key(
            figure,
            system=None,
            organisation=None,
            topic=None,
            interval=next(iter(KEPT_INTERVALS)),
            public_only=False,
        )
        for figure in FIGURES
    ]
    rows = await graph.read(_MISSING, {"keys": [key for key in region if key is not None]})
    if not rows[0]["missing"] or not rows[0]["projects"]:
        return False
    await recount_tallies(graph)
    return True
