"""The daily snapshot: what the graph cannot tell about the past, kept as it happens.

Sources say what a project's status is and what a person offers now, not since when, so once
a day the scheduler records them: a ``ProjectStatusChange`` for each project whose status
(or ``retired``) differs from the last one recorded, a ``PersonOffersChange`` for each person
whose offers do, and an ``ImpactSnapshot {day}`` saying the day was taken. Changes only, so
the store grows with what changes, not with days times projects; the status on any day is the
latest change recorded by then.

Taking a day's snapshot again (a restarted scheduler, or two hubs' schedulers at once) changes
nothing: every node is merged on its day (the keys are unique), and a change that a later run
of the same day finds reverted is removed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import LiteralString

from graph.database import Graph
from graph.impact.kept import recount_tallies

BATCH = 2000


def _record_statement(
    label: LiteralString,
    variable: LiteralString,
    change: LiteralString,
    field: LiteralString,
    now: LiteralString,
    first: LiteralString,
    keep: LiteralString = "",
) -> LiteralString:
    """One page of ``label`` nodes by id (the unique index gives them in order): each one's
    ``field`` today (``now``), against the latest change recorded before today; a change where
    they differ (or, with none before, where ``first`` holds), and today's change removed
    where a later run of the day finds it reverted. ``keep`` follows with the node,
    ``changed`` and ``touched`` (its changes were written or removed) in scope, and passes
    them on to the page's count."""
    return (
        "MATCH ("
        + variable
        + ":"
        + label
        + ") WHERE $after IS NULL OR "
        + variable
        + """.id > $after
WITH {v} ORDER BY {v}.id LIMIT $batch
WITH {v}, """
        + now
        + """ AS state, {v}.id + '|' + toString($day) AS key
CALL ({v}) {
  OPTIONAL MATCH (change:"""
        + change
        + " {{v}: {v}.id}) WHERE change.day < $day\n  WITH change ORDER BY change.day DESC LIMIT 1"
        + "\n  RETURN change."
        + field
        + """ AS before
}
WITH {v}, state, key, CASE WHEN before IS NULL THEN """
        + first
        + """ ELSE before <> state END AS changed
OPTIONAL MATCH (today:"""
        + change
        + """ {key: key})
FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
  MERGE (change:"""
        + change
        + """ {key: key})
  SET change.{v} = {v}.id, change.day = $day, change."""
        + field
        + """ = state)
WITH {v}, state, key, changed, today, changed OR today IS NOT NULL AS touched
FOREACH (_ IN CASE WHEN NOT changed AND today IS NOT NULL THEN [1] ELSE [] END | DELETE today)
"""
        + keep
        + """
RETURN max({v}.id) AS last, count(*) AS seen, sum(CASE WHEN changed THEN 1 ELSE 0 END) AS n,
       sum(CASE WHEN touched THEN 1 ELSE 0 END) AS touched
"""
    ).replace("{v}", variable)


# The first day a snapshot saw a project stopped (completed or stopped) and completed, kept on
# the project as ``stoppedOn`` and ``completedOn`` whenever its changes are written: the
# impact figures ask when every project in scope ended, and read these rather than look up
# every project's changes on each request.
_KEEP_STOPPED_DAYS: LiteralString = """
WITH project, changed, touched
CALL (project, touched) {
  WITH project, touched WHERE touched
  SET project.stoppedOn = COLLECT {
        MATCH (change:ProjectStatusChange {project: project.id})
        WHERE change.status IN ['completed', 'stopped'] RETURN min(change.day) }[0],
      project.completedOn = COLLECT {
        MATCH (change:ProjectStatusChange {project: project.id})
        WHERE change.status = 'completed' RETURN min(change.day) }[0]
}"""

# A project's status, ``retired`` once no source lists it; nothing until it has a first one.
_PROJECT_STATES = _record_statement(
    "Project",
    "project",
    "ProjectStatusChange",
    "status",
    "CASE WHEN project.retiredAt IS NOT NULL THEN 'retired' "
    "ELSE coalesce(project.status, 'unknown') END",
    "state <> 'retired'",
    _KEEP_STOPPED_DAYS,
)

# What a person offers, none once no source lists them; nothing until they offer something.
_PERSON_OFFERS = _record_statement(
    "Person",
    "person",
    "PersonOffersChange",
    "offers",
    "CASE WHEN person.retiredAt IS NOT NULL THEN [] "
    "ELSE [offer IN ['mentoring', 'coaching'] WHERE offer IN coalesce(person.offers, [])] END",
    "size(state) > 0",
)

_MARK_DAY: LiteralString = """
MERGE (snapshot:ImpactSnapshot {day: $day})
ON CREATE SET snapshot.firstTakenAt = datetime()
SET snapshot.takenAt = datetime(), snapshot.projects = $projects, snapshot.people = $people
"""

_TAKEN: LiteralString = "MATCH (snapshot:ImpactSnapshot {day: $day}) RETURN count(*) AS n"

_FIRST_DAY: LiteralString = "MATCH (snapshot:ImpactSnapshot) RETURN min(snapshot.day) AS day"


@dataclass(frozen=True)
class Snapshot:
    day: date
    projects: int
    """Projects whose status changed since the last snapshot (or, the first time, all)."""
    people: int
    """People whose offers changed."""


async def take_snapshot(graph: Graph, day: date | None = None) -> Snapshot:
    """Record ``day``'s (default: today's, UTC) statuses and offers where they changed."""
    day = day or datetime.now(UTC).date()
    projects, touched = await _record_changes(graph, _PROJECT_STATES, day)
    people, _ = await _record_changes(graph, _PERSON_OFFERS, day)
    if touched:
        # The kept figures read the statuses recorded and the days projects were first seen
        # stopped or completed, which writing or removing changes moves. Before the day is
        # marked taken: if this fails, the next round takes the day again and counts again.
        await recount_tallies(graph)
    await graph.write(_MARK_DAY, {"day": day, "projects": projects, "people": people})
    return Snapshot(day, projects, people)


async def take_daily_snapshot(graph: Graph, now: datetime | None = None) -> Snapshot | None:
    """Today's snapshot, unless one was already taken today (by this or another scheduler)."""
    day = (now or datetime.now(UTC)).date()
    taken = await graph.read(_TAKEN, {"day": day})
    if taken[0]["n"]:
        return None
    return await take_snapshot(graph, day)


async def first_snapshot_day(graph: Graph) -> date | None:
    """The day of the first snapshot: before it, snapshot figures are not known."""
    rows = await graph.read(_FIRST_DAY)
    return rows[0]["day"] if rows else None


async def _record_changes(graph: Graph, statement: LiteralString, day: date) -> tuple[int, int]:
    """Run a page-by-page statement over every node of its kind; how many changed, and how
    many had a change written or removed (a change reverted within the day is removed)."""
    after: str | None = None
    changed = touched = 0
    while True:
        rows = await graph.write(statement, {"after": after, "batch": BATCH, "day": day})
        row = rows[0]
        changed += row["n"] or 0
        touched += row["touched"] or 0
        if row["seen"] < BATCH:
            return changed, touched
        after = row["last"]
