"""The figures of the impact series, one entry each: what it counts, said in words, and the
statement that counts it.

Each statement returns rows ``period`` (the first day of a period), ``category`` and ``n``.
Figures that record an event (a project started, a pair found) bucket the event's day with
``date.truncate($unit, day)``; figures about a state (projects under way, mentors offering)
are counted once per period from ``$periods`` (``{start, end}``) or ``$points``
(``{period, at}``: the day a snapshot is read for). Where a source gives a date (a project's
start and end, an event's day) that date counts; where it gives none, the day the hub first
saw the thing, or saw it retired, does.

To add a figure (as "contributions" was), add one ``Figure`` to ``FIGURES``
with its statement: the API, the explorer's Impact page and its CSV take it from there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, LiteralString

from connectors.enums import ImprovementMode, ProjectStatus, ResourceType
from graph.impact.scopes import (
    ORGANISATION_IN_SCOPE,
    PEOPLE,
    PROJECT_ON_TOPIC,
    PROJECTS,
    RESOURCES,
    conditions,
)
from graph.queries.common import VISIBLE_PERSON
from graph.queries.topics import TOPIC_IS_ROOT
from graph.similarity.scoring import DEFAULT_THRESHOLD

TOTAL = "*"
"""The category a statement uses for a total that is not the sum of its categories."""
UNKNOWN = "unknown"


class Basis(StrEnum):
    RECORDED = "recorded"
    """Derived from what the graph stores: provenance times, dates, retirements, reviews."""
    SNAPSHOTS = "snapshots"
    """Read from the daily snapshots; periods before the first snapshot are not known."""


Statement = Callable[[Mapping[str, Any]], LiteralString]


class Tally(StrEnum):
    """How a figure is kept for the whole region and for each system (``graph.impact.kept``),
    so that a request adds up a few kept numbers instead of walking every project in scope."""

    DAYS = "days"
    """What happened on each day, per category: the figure's own statement counted by day
    (so only for figures that are the same for every caller); a request adds up the days of
    each period."""
    STATES = "states"
    """How many were in each state (category), as the change in each number on each day, from
    the figure's ``keep`` statement (so only for figures the same for every caller); a request
    adds up the changes up to each period's point."""
    UNDER_WAY = "under way"
    """How many were under way, per interval and per caller class (everyone, or only people
    who agreed to be listed): the change in that number at the start of each period, from the
    figure's ``keep`` statement; a request adds up the changes up to each period."""


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    description: str
    statement: Statement
    """The statement for the filters set in the parameters it is given."""
    breakdown: str | None = None
    """What the categories are (mode, status...); None: the figure is a total only."""
    categories: Mapping[str, str] = field(default_factory=dict)
    """Category keys in the order shown, with their labels; others found are added after."""
    basis: Basis = Basis.RECORDED
    signed_in_only: bool = False
    """Counts personal fields: refused to anonymous callers (they get no values at all)."""
    parts_add_up: bool = True
    """The categories add up to the total; else the statement returns the total as ``*``."""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    kept: Tally | None = None
    """How the figure is kept for the region and each system; None: counted per request."""
    scored: bool = False
    """Counts pairs the similarity step writes after a pull: kept, it is counted again then."""
    keep: Statement | None = None
    """For ``Tally.STATES`` and ``Tally.UNDER_WAY``: the statement giving a whole scope's
    changes as rows ``period`` (the day of the change), ``category`` and ``n``; for
    ``UNDER_WAY``, also ``variant`` (``interval|everyone`` or ``interval|listed``), for each
    interval in ``$intervals`` (``{name, step}``)."""


def _labels(values: Any) -> dict[str, str]:
    labels = {item.value: item.value.replace("_", " ").capitalize() for item in values}
    return {**labels, UNKNOWN: "Not given"}


MODES = {
    **_labels(ImprovementMode),
    ImprovementMode.ITERATIVE_QI.value: "Iterative QI",
    ImprovementMode.SPREAD_INNOVATION.value: "Spreading an innovation",
}
STATUSES = _labels(ProjectStatus)


# --- when things began and ended -------------------------------------------------------------

_STARTED: LiteralString = "coalesce(project.startDate, date(project.firstSeen))"

# When a project ended: the end date its source gives, else the first day a snapshot saw it
# completed or stopped (``stoppedOn``, kept as snapshots record changes: see
# ``graph.impact.snapshots``), else the day it was retired, whichever came first. It was under
# way in a period when it began by the period's end and had not ended before its start. Each
# project in scope gets ``began`` and ``ended`` (null: not ended), and only those under way at
# some time of the periods asked for go on.
_SPAN: LiteralString = (
    """
WITH project, """
    + _STARTED
    + """ AS began,
     [day IN [project.endDate, date(project.retiredAt), project.stoppedOn]
      WHERE day IS NOT NULL] AS ends
WITH project, began,
     reduce(earliest = null, day IN ends |
            CASE WHEN earliest IS NULL OR day < earliest THEN day ELSE earliest END) AS ended
WHERE began < $to AND (ended IS NULL OR ended >= $from)
"""
)

# Whether ``project`` was under way in ``period``, as ``_SPAN`` decides it, for one
# project and period: started by its end, and none of its ends (see above) before its start.
_UNDER_WAY_IN: LiteralString = (
    _STARTED
    + """ < period.end
    AND (project.endDate IS NULL OR project.endDate >= period.start)
    AND (project.retiredAt IS NULL OR date(project.retiredAt) >= period.start)
    AND (project.stoppedOn IS NULL OR project.stoppedOn >= period.start)"""
)


def _projects_started(parameters: Mapping[str, Any]) -> LiteralString:
    return (
        PROJECTS.match(parameters)
        + "WITH project, "
        + _STARTED
        + """ AS day
WHERE day >= $from AND day < $to
  AND (project.retiredAt IS NULL OR day <= date(project.retiredAt))
RETURN date.truncate($unit, day) AS period, coalesce(project.mode, 'unknown') AS category,
       count(*) AS n
"""
    )


def _projects_completed(parameters: Mapping[str, Any]) -> LiteralString:
    return (
        PROJECTS.match(parameters)
        + """WITH project WHERE project.status = 'completed'
WITH project, coalesce(project.endDate, project.completedOn) AS day
WHERE day >= $from AND day < $to
RETURN date.truncate($unit, day) AS period, coalesce(project.mode, 'unknown') AS category,
       count(*) AS n
"""
    )


def _latest_change(
    variable: LiteralString, change: LiteralString, key: LiteralString, field: LiteralString
) -> LiteralString:
    """For each point (``$points``), each node's ``field`` in the latest snapshot change
    recorded by then, as ``point, state``; nodes with no change by then are not counted."""
    return (
        "MATCH (change:"
        + change
        + " {"
        + key
        + ": "
        + variable
        + """.id}) WHERE change.day <= $lastPoint
WITH """
        + variable
        + ", change ORDER BY change.day\nWITH "
        + variable
        + ", collect([change.day, change."
        + field
        + """]) AS changes
UNWIND $points AS point
WITH point, [c IN changes WHERE c[0] <= point.at] AS before
WHERE size(before) > 0
WITH point, before[-1][1] AS state
"""
    )


def _projects_by_status(parameters: Mapping[str, Any]) -> LiteralString:
    return (
        PROJECTS.match(parameters)
        + _latest_change("project", "ProjectStatusChange", "project", "status")
        + """WHERE state <> 'retired'
RETURN point.period AS period, state AS category, count(*) AS n
"""
    )


def _projects_by_status_changes(parameters: Mapping[str, Any]) -> LiteralString:
    # Each recorded change moves a project out of the state before it and into its own.
    return (
        PROJECTS.match(parameters)
        + """MATCH (change:ProjectStatusChange {project: project.id})
WITH project, change ORDER BY change.day
WITH project, collect([change.day, change.status]) AS changes
UNWIND range(0, size(changes) - 1) AS i
WITH changes[i][0] AS day,
     [[changes[i][1], 1], [CASE WHEN i > 0 THEN changes[i - 1][1] END, -1]] AS moves
UNWIND moves AS move
WITH day, move WHERE move[0] IS NOT NULL AND move[0] <> 'retired'
WITH day, move[0] AS category, sum(move[1]) AS n
WHERE n <> 0
RETURN day AS period, category, n
"""
    )


def _partners_active(parameters: Mapping[str, Any]) -> LiteralString:
    # Per organisation in scope and period, whether any of its projects was under way: the
    # search stops at the first one, so a busy organisation costs little. Its projects are in
    # its system already; only a topic narrows them further.
    return (
        "MATCH (organisation:Organisation)\nWHERE "
        + ORGANISATION_IN_SCOPE
        + """
UNWIND $periods AS period
WITH organisation, period
WHERE EXISTS {
  MATCH (organisation)<-[:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project)
  WHERE """
        + conditions(PROJECTS, {"topic": parameters.get("topic")})
        + " AND "
        + _UNDER_WAY_IN
        + """
}
RETURN period.start AS period, 'organisations' AS category, count(*) AS n
"""
    )


def _peoples_spans(parameters: Mapping[str, Any]) -> LiteralString:
    """Each person's spans (``[began, ended]``) on the projects in scope: a membership that
    ended cuts its project's span short."""
    return (
        PROJECTS.match(parameters)
        + _SPAN
        + "MATCH (person:Person)-[member:WORKS_ON]->(project)\nWHERE "
        + VISIBLE_PERSON
        + """
WITH person, began,
     CASE WHEN member.retiredAt IS NOT NULL
               AND (ended IS NULL OR date(member.retiredAt) < ended)
          THEN date(member.retiredAt) ELSE ended END AS ended
WITH person, collect([began, ended]) AS spans
"""
    )


def _people_involved(parameters: Mapping[str, Any]) -> LiteralString:
    # Per period, whether any of a person's spans covers it: one row per membership and one
    # per person and period, never one per membership and period.
    return (
        _peoples_spans(parameters)
        + """UNWIND $periods AS period
WITH period, spans
WHERE any(span IN spans WHERE span[0] < period.end AND (span[1] IS NULL OR span[1] >= period.start))
RETURN period.start AS period, 'people' AS category, count(*) AS n
"""
    )


def _people_involved_changes(parameters: Mapping[str, Any]) -> LiteralString:
    # Each span covers the periods from the one it began in to the one it ended in. A person
    # is counted from each period their spans cover that follows one they do not (a start no
    # other span reaches back over), and no longer from the period after each end no other
    # span covers: the number under way in a period is then the sum of the changes up to it,
    # as the per-period test above counts it. Each person's changes are told apart from their
    # duplicates (two spans starting in one period) before they are added up.
    return (
        _peoples_spans(parameters)
        + """UNWIND $intervals AS interval
WITH """
        + VISIBLE_PERSON.replace("$publicOnly", "true")
        + """ AS listed, interval.name AS interval, duration(interval.step) AS step,
     [span IN spans | [date.truncate(interval.name, span[0]),
                       CASE WHEN span[1] IS NOT NULL
                            THEN date.truncate(interval.name, span[1]) END]] AS covered
WITH listed, interval,
     [s IN covered WHERE NOT any(o IN covered WHERE o[0] < s[0]
                                 AND (o[1] IS NULL OR o[1] + step >= s[0])) | [s[0], 1]] +
     [s IN covered WHERE s[1] IS NOT NULL
                    AND NOT any(o IN covered WHERE o[0] <= s[1] + step
                                AND (o[1] IS NULL OR o[1] >= s[1] + step)) | [s[1] + step, -1]]
     AS changes
UNWIND reduce(distinct = [], change IN changes |
              CASE WHEN change IN distinct THEN distinct ELSE distinct + [change] END) AS change
WITH listed, interval, change[0] AS period, sum(change[1]) AS n
UNWIND CASE WHEN listed THEN ['everyone', 'listed'] ELSE ['everyone'] END AS who
WITH interval + '|' + who AS variant, period, sum(n) AS n
WHERE n <> 0
RETURN variant, period, 'people' AS category, n
"""
    )


def _people_reached(parameters: Mapping[str, Any]) -> LiteralString:
    return (
        RESOURCES.match(parameters)
        + """WITH resource
WHERE resource.attendance IS NOT NULL AND resource.published >= $from
  AND resource.published < $to
RETURN date.truncate($unit, resource.published) AS period,
       resource.resourceType AS category, sum(resource.attendance) AS n
"""
    )


# Two organisations are linked from the first day they shared a project (its start where the
# source gives one, else the day the later of the two links was first seen) or a person
# working for one and for, or on a project of, the other (the day the last link of that chain
# was first seen). With a topic, only projects about it link them, and people through them.
_LATEST_OF: LiteralString = (
    "date(reduce(latest = datetime('0001-01-01T00:00:00Z'), seen IN [{seen}] | "
    "CASE WHEN seen > latest THEN seen ELSE latest END))"
)
_COLLEAGUES: LiteralString = (
    """
  UNION ALL
  MATCH (organisation)<-[w1:WORKS_FOR]-(person:Person)-[w2:WORKS_FOR]->(other:Organisation)
  WHERE other <> organisation AND """
    + VISIBLE_PERSON
    + """
  RETURN other, min("""
    + _LATEST_OF.replace("{seen}", "w1.firstSeen, w2.firstSeen")
    + ") AS since"
)
# The rest of a link through a person (``w`` works for one side, ``x`` on ``project``, run by
# the other through ``r``): a listed person where the caller may see only them, on the topic.
_THROUGH_A_PERSON: LiteralString = (
    """
  WHERE other <> organisation AND """
    + VISIBLE_PERSON
    + " AND "
    + PROJECT_ON_TOPIC
    + """
  RETURN other, min("""
    + _LATEST_OF.replace("{seen}", "w.firstSeen, x.firstSeen, r.firstSeen")
    + ") AS since"
)
# Every pair ``organisation`` is in (bound to each organisation in scope), with the day it
# was first linked: rows ``a, b, since``, the lower id first.
_CHAINS: LiteralString = (
    """
CALL (organisation) {
  MATCH (organisation)<-[r1:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project)
        -[r2:RUN_BY|IN_PARTNERSHIP_WITH]->(other:Organisation)
  WHERE other <> organisation AND """
    + PROJECT_ON_TOPIC
    + """
  RETURN other, min(coalesce(project.startDate, """
    + _LATEST_OF.replace("{seen}", "r1.firstSeen, r2.firstSeen")
    + """)) AS since
  UNION ALL
  MATCH (organisation)<-[w:WORKS_FOR]-(person:Person)-[x:WORKS_ON]->(project:Project)
        -[r:RUN_BY|IN_PARTNERSHIP_WITH]->(other:Organisation)"""
    + _THROUGH_A_PERSON
    + """
  {people_of_the_other}
  {colleagues}
}
WITH CASE WHEN organisation.id < other.id THEN organisation ELSE other END AS a,
     CASE WHEN organisation.id < other.id THEN other ELSE organisation END AS b, since
WITH a, b, min(since) AS since
"""
)
_COUNTED_BY_SECTOR: LiteralString = """WHERE since >= $from AND since < $to
RETURN date.truncate($unit, since) AS period,
       CASE WHEN a.sector IS NULL OR b.sector IS NULL THEN 'unknown'
            WHEN a.sector <> b.sector THEN 'cross_sector' ELSE 'same_sector' END AS category,
       count(*) AS n
"""
_LINKS: LiteralString = (
    "MATCH (organisation:Organisation)\nWHERE "
    + ORGANISATION_IN_SCOPE
    + _CHAINS
    + _COUNTED_BY_SECTOR
)


# A person of the other organisation working on a project of this one: the chain the second
# branch above finds from the other organisation's side. Needed only when that side may be out
# of scope; with every organisation in scope, it would find each chain a second time.
_PEOPLE_OF_THE_OTHER: LiteralString = (
    """
  UNION ALL
  MATCH (organisation)<-[r:RUN_BY|IN_PARTNERSHIP_WITH]-(project:Project)<-[x:WORKS_ON]-
        (person:Person)-[w:WORKS_FOR]->(other:Organisation)"""
    + _THROUGH_A_PERSON
)


# A pair's first day does not depend on the scope, only on the topic and on whose chains the
# caller may count: so without a topic it is kept, per pair, for every caller and for
# anonymous ones (``since``, ``publicSince``), refreshed with the links of the organisations a
# pull touched (``graph.links``). From one organisation's side every chain of its pairs is
# found, the other's people on its projects too, so a pair is worked out whole from either.
KEEP_FIRST_LINKS: LiteralString = (
    "UNWIND $ids AS id\nMATCH (organisation:Organisation {id: id})"
    + _CHAINS.replace("{people_of_the_other}", _PEOPLE_OF_THE_OTHER).replace(
        "{colleagues}", _COLLEAGUES
    )
    + """MERGE (a)-[first:FIRST_LINKED]->(b)
SET first += CASE WHEN $publicOnly THEN {publicSince: since} ELSE {since: since} END
"""
)
FORGET_FIRST_LINKS: LiteralString = """
UNWIND $ids AS id
MATCH (:Organisation {id: id})-[first:FIRST_LINKED]-()
DELETE first
"""
_KEPT_LINKS: LiteralString = (
    "MATCH (organisation:Organisation)\nWHERE "
    + ORGANISATION_IN_SCOPE
    + """
MATCH (organisation)-[first:FIRST_LINKED]-(:Organisation)
WITH DISTINCT first
WITH startNode(first) AS a, endNode(first) AS b,
     CASE WHEN $publicOnly THEN first.publicSince ELSE first.since END AS since
"""
    + _COUNTED_BY_SECTOR
)


def new_links_live(parameters: Mapping[str, Any]) -> LiteralString:
    """New links worked out from the chains themselves: with a topic, and to check the kept
    first days against."""
    everyone = parameters.get("system") is None and parameters.get("organisation") is None
    others_people = "" if everyone else _PEOPLE_OF_THE_OTHER
    colleagues = "" if parameters.get("topic") else _COLLEAGUES
    return _LINKS.replace("{people_of_the_other}", others_people).replace(
        "{colleagues}", colleagues
    )


def _new_links(parameters: Mapping[str, Any]) -> LiteralString:
    return new_links_live(parameters) if parameters.get("topic") else _KEPT_LINKS


def _duplicates_found(parameters: Mapping[str, Any]) -> LiteralString:
    return (
        PROJECTS.match(parameters)
        + """MATCH (project)-[pair:SIMILAR_TO]-(:Project)
WHERE pair.score >= $threshold AND pair.kind IN ['duplicate', 'same_project']
WITH DISTINCT pair
WITH pair, startNode(pair) AS a, endNode(pair) AS b
WITH pair, date(CASE WHEN a.firstSeen > b.firstSeen THEN a.firstSeen ELSE b.firstSeen END) AS day
WHERE day >= $from AND day < $to
RETURN date.truncate($unit, day) AS period, pair.kind AS category, count(*) AS n
"""
    )


def _reviewed(parameters: Mapping[str, Any]) -> LiteralString:
    # Reviews are few: each is checked against the scope through its two projects' ids.
    return (
        """MATCH (review:DuplicateReview)
WHERE review.status = $verdict AND date(review.reviewedAt) >= $from
  AND date(review.reviewedAt) < $to
  AND EXISTS { MATCH (project:Project) WHERE project.id IN [review.a, review.b] AND """
        + conditions(PROJECTS, parameters)
        + """ }
RETURN date.truncate($unit, date(review.reviewedAt)) AS period, 'pairs' AS category,
       count(*) AS n
"""
    )


def _mentors_available(parameters: Mapping[str, Any]) -> LiteralString:
    return (
        PEOPLE.match(parameters)
        + _latest_change("person", "PersonOffersChange", "person", "offers")
        + """WHERE size(state) > 0
UNWIND state + ['*'] AS category
RETURN point.period AS period, category, count(*) AS n
"""
    )


# Submissions are scoped by what their submitter gave: the organisation (and so its system)
# and the topics (a narrower one counts for a broader one, as the topic filter means).
_CONTRIBUTIONS: LiteralString = (
    """MATCH (submission:Submission)
WHERE ($organisation IS NULL OR submission.organisationId = $organisation)
  AND ($system IS NULL OR EXISTS {
        MATCH (:Organisation {id: submission.organisationId})-[:PART_OF]->(:System {id: $system})
      })
  AND ($topic IS NULL OR EXISTS {
        MATCH (tagged:Topic)-[:BROADER*0..5]->(root:Topic)
        WHERE tagged.id IN submission.topics AND """
    + TOPIC_IS_ROOT
    + """ })
CALL (submission) {
  WITH date(submission.submittedAt) AS day WHERE day >= $from AND day < $to
  UNWIND ['submitted', '*'] AS category
  RETURN day, category
  UNION ALL
  WITH date(submission.approvedAt) AS day WHERE day >= $from AND day < $to
  RETURN day, 'approved' AS category
}
RETURN date.truncate($unit, day) AS period, category, count(*) AS n
"""
)


def _contributions(parameters: Mapping[str, Any]) -> LiteralString:
    return _CONTRIBUTIONS


FIGURES: tuple[Figure, ...] = (
    Figure(
        key="projects_started",
        title="Projects started",
        description="Projects that started in the period, by mode of improvement: on the start "
        "date their source gives, else on the day the hub first saw them. Projects a source "
        "has since stopped listing still count, if they started before it stopped.",
        statement=_projects_started,
        breakdown="mode",
        categories=MODES,
        kept=Tally.DAYS,
    ),
    Figure(
        key="projects_completed",
        title="Projects completed",
        description="Projects whose status is completed, by mode of improvement, in the period "
        "of the end date their source gives, else of the first daily snapshot that saw them "
        "completed.",
        statement=_projects_completed,
        breakdown="mode",
        categories=MODES,
        kept=Tally.DAYS,
    ),
    Figure(
        key="projects_by_status",
        title="Projects by status",
        description="Projects listed at the end of each period (or today, for the current "
        "one), by the status the latest daily snapshot by then recorded. A status has no "
        "history in the sources, so periods before the first snapshot are not known.",
        statement=_projects_by_status,
        breakdown="status",
        categories=STATUSES,
        basis=Basis.SNAPSHOTS,
        kept=Tally.STATES,
        keep=_projects_by_status_changes,
    ),
    Figure(
        key="partners_active",
        title="Partners active",
        description="Organisations (in the system or the organisation chosen) running or "
        "partnering on at least one project under way in the period: started by its end "
        "and not ended before its start (its end date, else the day it was seen completed, "
        "stopped or retired).",
        statement=_partners_active,
    ),
    Figure(
        key="new_links",
        title="New links between organisations",
        description="Pairs of organisations linked for the first time in the period, by "
        "whether they are in different sectors: linked by a shared project (from its start "
        "date, else the day both were first seen on it) or by a person working across them "
        "(from the day the hub first saw that). With a topic, only projects about it count. "
        "At least one of the pair is in the system or is the organisation chosen.",
        statement=_new_links,
        breakdown="sector",
        categories={
            "cross_sector": "Across sectors",
            "same_sector": "Same sector",
            UNKNOWN: "Sector not known",
        },
    ),
    Figure(
        key="duplicates_found",
        title="Duplicates found",
        description="Pairs of projects now reported as likely the same work (score "
        f"{DEFAULT_THRESHOLD:.2f} or more), by kind, in the period the later of the two "
        "was first seen: the sync that brought both in is when the pair could first be found. "
        "At least one of the pair is in the scope.",
        statement=_duplicates_found,
        breakdown="kind",
        categories={"duplicate": "Duplicate", "same_project": "Same project listed twice"},
        parameters={"threshold": DEFAULT_THRESHOLD},
        kept=Tally.DAYS,
        scored=True,
    ),
    Figure(
        key="duplicates_confirmed",
        title="Duplicates confirmed",
        description="Pairs of projects whose latest review, made in the period, confirmed them "
        "as duplicates. At least one of the pair is in the scope.",
        statement=_reviewed,
        parameters={"verdict": "confirmed"},
    ),
    Figure(
        key="duplicates_dismissed",
        title="Duplicates dismissed",
        description="Pairs of projects whose latest review, made in the period, dismissed them "
        "as not duplicates. At least one of the pair is in the scope.",
        statement=_reviewed,
        parameters={"verdict": "dismissed"},
    ),
    Figure(
        key="people_involved",
        title="People involved",
        description="People working on at least one project under way in the period (see "
        "partners active), counted once each. Anonymous callers count only people who agreed "
        "to be listed.",
        statement=_people_involved,
        kept=Tally.UNDER_WAY,
        keep=_people_involved_changes,
    ),
    Figure(
        key="people_reached",
        title="People reached",
        description="People who came to events and training held in the period, added up "
        "from the attendance their sources give; events without attendance are not counted, "
        "so this is at least the reach, not all of it.",
        statement=_people_reached,
        breakdown="resource type",
        categories={
            ResourceType.EVENT.value: "Events",
            ResourceType.TRAINING.value: "Training",
        },
    ),
    Figure(
        key="mentors_available",
        title="Mentors and coaches available",
        description="People offering mentoring or coaching at the end of each period, as the "
        "latest daily snapshot by then recorded; the total counts each person once. Offers "
        "are personal data: signed-in callers only.",
        statement=_mentors_available,
        breakdown="offer",
        categories={"mentoring": "Mentoring", "coaching": "Coaching"},
        basis=Basis.SNAPSHOTS,
        signed_in_only=True,
        parts_add_up=False,
    ),
    Figure(
        key="contributions",
        title="Contributions submitted and approved",
        description="Projects, case studies and other resources members shared through the "
        "hub: those submitted in the period (the total), and those a moderator approved in "
        "it (for publishing). In scope by the organisation and topics their submitter gave.",
        statement=_contributions,
        breakdown="moderation",
        categories={"submitted": "Submitted", "approved": "Approved"},
        parts_add_up=False,
    ),
)
"""Every figure, in the order the API and the explorer show them."""

BY_KEY: Mapping[str, Figure] = {figure.key: figure for figure in FIGURES}
