"""Impact series against a region with a known history.

The region is built only through real writes: four months of pulls by ``sync_source`` with a
clock the test sets, a daily snapshot (``take_snapshot``) at the end of each month, pairs
written by the similarity store and a review through ``review_pair``. Every figure of every
month below is worked out by hand from that history, in the comments beside it.

    Jan 15  alpha: P1 falls huddles (starts Jan 5, iterative QI, active; Alpha leads, Beta
            partners; Ann, who is listed and mentors, and Bob, who is not listed, work on it),
            P2 discharge (no start date, pathway, active; Alpha)
    Feb 20  alpha: P1 completed, ended Feb 10; new P3 sepsis (starts Feb 1, iterative QI,
            proposed; Alpha leads, Gamma partners; Ann)
    Mar 5   gamma: P4 falls at home (starts Mar 1, spread, active; Gamma; Cat of Beta, not
            listed, coaches); an event with 40 people, training with 15, an event with none
    Apr 10  alpha stops listing P2 (retired)

Alpha Trust (NHS) and Beta Council (local government) are in North Vale; Gamma Care
(voluntary) is in South Moor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, LiteralString, cast

import pytest

from connectors.enums import PersonKind
from connectors.partners import PartnersFile
from connectors.records import OrganisationRef
from graph.database import Graph
from graph.impact import (
    Counting,
    Interval,
    Scope,
    count_figures,
    counting,
    periods,
    recount_scored,
    take_daily_snapshot,
    take_snapshot,
)
from graph.impact.kept import KEPT_INTERVALS
from graph.impact.series import AT_ONCE
from graph.ingest import SourceInfo, SystemInfo, store_systems, sync_source
from graph.migrate import load_migrations
from graph.similarity.reviews import ReviewStatus, review_pair
from graph.similarity.store import StoredPair, write_pairs
from graph.vocabulary import Vocabulary, store_vocabulary
from hub.sync.schedule import run_schedule
from schema.api import schema
from schema.context import Context
from schema.viewer import ANONYMOUS, Role, Viewer
from tests.ingest_helpers import count, org, person, project, resource

MEMBER = Viewer(Role.MEMBER, subject="test:member")
TODAY = date(2025, 6, 15)
ALPHA = OrganisationRef(name="Alpha Trust", ods_code="ZA001")
BETA = OrganisationRef(name="Beta Council")
GAMMA = OrganisationRef(name="Gamma Care")
MONTHS = [date(2025, m, 1) for m in (1, 2, 3, 4)]


def at(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 9, 30, tzinfo=UTC)


def alpha_projects(month: int) -> list[Any]:
    ended = {"status": "completed", "end_date": "2025-02-10"} if month > 1 else {}
    p1 = project(
        "P1",
        "Falls huddles on the wards",
        start_date="2025-01-05",
        mode="iterative_qi",
        **({"status": "active"} | ended),
        lead_organisation=ALPHA,
        partner_organisations=[BETA],
        topics=["falls"],
        members=["ann", "bob"],
    )
    p2 = project(
        "P2",
        "Discharge to assess",
        mode="pathway_transformation",
        status="active",
        lead_organisation=ALPHA,
    )
    p3 = project(
        "P3",
        "Sepsis screening in the emergency department",
        start_date="2025-02-01",
        mode="iterative_qi",
        status="proposed",
        lead_organisation=ALPHA,
        partner_organisations=[GAMMA],
        topics=["sepsis"],
        members=["ann"],
    )
    if month == 1:
        return [p1, p2]
    return [p1, p2, p3] if month < 4 else [p1, p3]


def alpha_people() -> list[Any]:
    return [
        person(
            "ann",
            "Ann Ash",
            role="Falls lead",
            organisation=ALPHA,
            public=True,
            offers=["mentoring"],
            interests=["falls"],
            email="ann.ash@alpha.example",
            contact_consent=True,
            orcid="0000-0002-1825-0097",
            bio="Runs the falls huddle.",
            person_kind=PersonKind.LIVED_EXPERIENCE_PARTNER,
            kind_consent=True,
        ),
        person(
            "bob",
            "Bob Birch",
            organisation=ALPHA,
            email="bob.birch@alpha.example",
            person_kind=PersonKind.STAFF,  # not consented to: never shown
        ),
    ]


def gamma_records(status: str = "active", members: tuple[str, ...] = ("cat",)) -> list[Any]:
    return [
        person("cat", "Cat Cole", organisation=BETA, offers=["coaching"]),
        project(
            "P4",
            "Falls prevention at home",
            start_date="2025-03-01",
            mode="spread_innovation",
            status=status,
            lead_organisation=GAMMA,
            topics=["falls"],
            members=list(members),
        ),
        *(
            resource(
                ref,
                title,
                resource_type=kind,
                published=day,
                organisation=GAMMA,
                topics=[topic],
                **fields,
            )
            for ref, title, kind, day, topic, fields in [
                ("E1", "Falls learning event", "event", "2025-03-12", "falls", {"attendance": 40}),
                (
                    "T1",
                    "Improvement basics",
                    "training",
                    "2025-03-20",
                    "quality improvement",
                    {"attendance": 15},
                ),
                ("E2", "Sepsis network meeting", "event", "2025-03-25", "sepsis", {}),
            ]
        ),
    ]


async def pull(graph: Graph, source_id: str, records: list[Any], when: datetime) -> None:
    info = SourceInfo(source_id, source_id, f"{source_id} register", "json_api")
    summary = await sync_source(graph, info, records, now=when)
    assert summary.status == "succeeded", summary.errors


async def build(graph: Graph) -> dict[str, str]:
    await store_vocabulary(graph, Vocabulary.load())
    await store_systems(
        graph, [SystemInfo("north-vale", "North Vale ICS"), SystemInfo("south-moor", "South Moor")]
    )
    organisations = [
        org("alpha", "Alpha Trust", ods_code="ZA001", sector="nhs", system="north-vale"),
        org("beta", "Beta Council", sector="local_government", system="north-vale"),
        org("gamma", "Gamma Care", sector="voluntary", system="south-moor"),
    ]
    await pull(graph, "partners", organisations, at(1, 10))
    await pull(graph, "alpha", alpha_people() + alpha_projects(1), at(1, 15))
    await take_snapshot(graph, date(2025, 1, 31))
    await pull(graph, "alpha", alpha_people() + alpha_projects(2), at(2, 20))
    await take_snapshot(graph, date(2025, 2, 28))
    await pull(graph, "gamma", gamma_records(), at(3, 5))
    await take_snapshot(graph, date(2025, 3, 31))
    await pull(graph, "alpha", alpha_people() + alpha_projects(4), at(4, 10))
    await take_snapshot(graph, date(2025, 4, 30))
    # Scoring's own store: a duplicate (found when P4 arrived, in March), a pair below the
    # threshold and a collaboration, neither of which counts.
    await write_pairs(
        graph,
        [
            StoredPair("alpha:P1", "gamma:P4", 0.82, "duplicate", 0.8, ("both about falls",)),
            StoredPair("alpha:P2", "alpha:P3", 0.65, "duplicate", 0.6, ("weak",)),
            StoredPair("alpha:P1", "alpha:P3", 0.9, "collaboration", 0.9, ("shared people",)),
        ],
        run="test",
    )
    await recount_scored(graph)  # as the sync does after its similarity step
    return {"p1": "alpha:P1", "p4": "gamma:P4"}


@pytest.fixture
async def region(graph: Graph) -> Graph:
    await build(graph)
    return graph


async def months(
    graph: Graph, *, public_only: bool = False, today: date = TODAY, **scope: str
) -> Counting:
    spans = periods(date(2025, 1, 1), date(2025, 4, 30), Interval.MONTH, today=today)
    return await counting(
        graph, Scope(**scope), Interval.MONTH, spans, today=today, public_only=public_only
    )


async def figures(how: Counting, graph: Graph, *, signed_in: bool = True) -> dict[str, Any]:
    return {s.figure.key: s for s in await count_figures(graph, how, signed_in=signed_in)}


def parts(series: Any) -> dict[str, list[int | None]]:
    return {c.key: c.values for c in series.categories if any(c.values)}


async def test_every_figure_month_by_month(region: Graph) -> None:
    found = await figures(await months(region), region)

    started = found["projects_started"]
    # Jan: P1 (its start date) and P2 (first seen Jan 15); Feb: P3; Mar: P4. P2 was retired in
    # April and still started in January.
    assert started.total == [2, 1, 1, 0]
    assert parts(started) == {
        "iterative_qi": [1, 1, 0, 0],
        "pathway_transformation": [1, 0, 0, 0],
        "spread_innovation": [0, 0, 1, 0],
    }
    assert found["projects_completed"].total == [0, 1, 0, 0]  # P1, ended Feb 10
    assert parts(found["projects_completed"]) == {"iterative_qi": [0, 1, 0, 0]}

    # Snapshots at each month's end: Jan P1, P2 active; Feb P1 completed, P2 active, P3
    # proposed; Mar P4 active too; Apr P2 retired.
    by_status = found["projects_by_status"]
    assert parts(by_status) == {
        "active": [2, 1, 2, 1],
        "completed": [0, 1, 1, 1],
        "proposed": [0, 1, 1, 1],
    }
    assert by_status.total == [2, 3, 4, 3]

    # Under way: Jan P1, P2 (Alpha, Beta); Feb P1 (to Feb 10), P2, P3 (Alpha, Beta, Gamma);
    # Mar P2, P3, P4 (Alpha, Gamma); Apr P2 (retired Apr 10), P3, P4.
    assert found["partners_active"].total == [2, 3, 2, 2]
    assert found["partners_active"].categories == []
    # Ann and Bob on P1 (Jan, Feb); Ann on P3 (Feb on); Cat on P4 (Mar on).
    assert found["people_involved"].total == [2, 2, 2, 2]

    # Alpha-Beta through P1 from Jan 5; Alpha-Gamma through P3 from Feb 1; Beta-Gamma through
    # Cat, of Beta, on Gamma's P4 from Mar 5. All across sectors.
    links = found["new_links"]
    assert links.total == [1, 1, 1, 0]
    assert parts(links) == {"cross_sector": [1, 1, 1, 0]}

    # P1 and P4: found when P4 arrived. The weak pair and the collaboration do not count.
    assert found["duplicates_found"].total == [0, 0, 1, 0]
    assert parts(found["duplicates_found"]) == {"duplicate": [0, 0, 1, 0]}
    assert found["duplicates_confirmed"].total == [0, 0, 0, 0]

    reached = found["people_reached"]
    assert reached.total == [0, 0, 55, 0]  # the event without attendance adds nothing
    assert parts(reached) == {"event": [0, 0, 40, 0], "training": [0, 0, 15, 0]}

    mentors = found["mentors_available"]
    assert mentors.total == [1, 1, 2, 2]  # Ann mentors from January, Cat coaches from March
    assert parts(mentors) == {"mentoring": [1, 1, 1, 1], "coaching": [0, 0, 1, 1]}


async def test_a_system_an_organisation_and_a_topic_narrow_every_figure(region: Graph) -> None:
    north = await figures(await months(region, system="north-vale"), region)
    assert north["projects_started"].total == [2, 1, 0, 0]  # P4 is Gamma's, in South Moor
    assert north["partners_active"].total == [2, 2, 1, 1]  # Gamma is not in North Vale
    assert north["people_reached"].total == [0, 0, 0, 0]
    # Alpha-Gamma and Beta-Gamma have one side in North Vale, so they count.
    assert north["new_links"].total == [1, 1, 1, 0]
    assert north["mentors_available"].total == [1, 1, 2, 2]  # Cat works for Beta

    gamma = await figures(await months(region, organisation="org:gamma-care"), region)
    assert gamma["projects_started"].total == [0, 1, 1, 0]  # partners on P3, runs P4
    assert gamma["partners_active"].total == [0, 1, 1, 1]
    assert gamma["people_reached"].total == [0, 0, 55, 0]
    assert gamma["new_links"].total == [0, 1, 1, 0]

    falls = await figures(await months(region, topic="falls prevention"), region)
    assert falls["projects_started"].total == [1, 0, 1, 0]  # P1 and P4
    assert falls["projects_completed"].total == [0, 1, 0, 0]
    # Through P1, and through Cat (of Beta) on P4; not Alpha-Gamma, whose P3 is on sepsis.
    assert falls["new_links"].total == [1, 0, 1, 0]
    assert falls["duplicates_found"].total == [0, 0, 1, 0]
    assert falls["people_reached"].total == [0, 0, 40, 0]  # the falls event


async def test_anonymous_callers_count_only_listed_people_and_never_offers(
    region: Graph,
) -> None:
    found = await figures(await months(region, public_only=True), region, signed_in=False)
    # Only Ann agreed to be listed: Bob and Cat count for no one who may not see them.
    assert found["people_involved"].total == [1, 1, 1, 1]
    # Beta and Gamma are linked only through Cat: not for anonymous callers.
    assert found["new_links"].total == [1, 1, 0, 0]
    mentors = found["mentors_available"]
    assert mentors.total is None and mentors.categories == []
    assert found["projects_started"].total == [2, 1, 1, 0]  # not about people: the same


async def test_before_the_first_snapshot_and_after_today_are_not_known(region: Graph) -> None:
    spans = periods(date(2024, 12, 1), date(2025, 7, 31), Interval.MONTH, today=TODAY)
    how = await counting(region, Scope(), Interval.MONTH, spans, today=TODAY, public_only=False)
    found = await figures(how, region)
    # Dec 2024: before the first snapshot; Jun: read from April's, the latest; Jul: to come.
    assert found["projects_by_status"].total == [None, 2, 3, 4, 3, 3, 3, None]
    assert found["mentors_available"].total == [None, 1, 1, 2, 2, 2, 2, None]
    assert found["projects_started"].total == [0, 2, 1, 1, 0, 0, 0, 0]  # recorded: known


async def test_weeks_quarters_and_reviews_made_today(region: Graph) -> None:
    spans = periods(date(2025, 1, 1), date(2025, 12, 31), Interval.QUARTER, today=TODAY)
    how = await counting(region, Scope(), Interval.QUARTER, spans, today=TODAY, public_only=False)
    quarters = await figures(how, region)
    assert quarters["projects_started"].total == [4, 0, 0, 0]

    spans = periods(date(2025, 1, 27), date(2025, 2, 9), Interval.WEEK, today=TODAY)
    assert [s.start for s in spans] == [date(2025, 1, 27), date(2025, 2, 3)]  # Mondays
    how = await counting(region, Scope(), Interval.WEEK, spans, today=TODAY, public_only=False)
    # P3 starts on Saturday 1 February: in the week of Monday 27 January.
    assert (await figures(how, region))["projects_started"].total == [1, 0]

    # A review is dated when it is made: this month, today.
    await review_pair(region, "alpha:P1", "gamma:P4", ReviewStatus.CONFIRMED, reviewer="t")
    await review_pair(region, "alpha:P3", "gamma:P4", ReviewStatus.DISMISSED, reviewer="t")
    now = datetime.now(UTC).date()
    this_month = periods(now, now, Interval.MONTH, today=now)
    how = await counting(region, Scope(), Interval.MONTH, this_month, today=now, public_only=False)
    reviewed = await figures(how, region)
    assert reviewed["duplicates_confirmed"].total == [1]
    assert reviewed["duplicates_dismissed"].total == [1]
    for organisation, dismissed in (("org:gamma-care", [1]), ("org:beta-council", [0])):
        scoped = await counting(
            region,
            Scope(organisation=organisation),
            Interval.MONTH,
            this_month,
            today=now,
            public_only=False,
        )
        assert (await figures(scoped, region))["duplicates_dismissed"].total == dismissed


async def test_a_days_snapshot_taken_twice_or_by_two_hubs_at_once_is_the_same(
    region: Graph,
) -> None:
    changes = "MATCH (c) WHERE c:ProjectStatusChange OR c:PersonOffersChange RETURN count(c) AS n"
    before = await count(region, changes)
    # Jan: P1, P2 and Ann; Feb: P1 completed, P3; Mar: P4, Cat; Apr: P2 retired.
    assert before == 8
    for _ in range(2):
        await take_snapshot(region, date(2025, 4, 30))
    assert await count(region, changes) == before

    # Two schedulers taking today's snapshot at once: one node per change and day.
    taken = await asyncio.gather(take_snapshot(region), take_snapshot(region))
    assert taken[0].day == taken[1].day
    assert await count(region, "MATCH (s:ImpactSnapshot) RETURN count(s) AS n") == 5
    # Nothing changed since April, so today records no change; a status that changes and
    # changes back within the day leaves nothing either.
    assert await count(region, changes) == before
    await region.write("MATCH (p:Project {id: 'alpha:P3'}) SET p.status = 'active'")
    await take_snapshot(region)
    assert await count(region, changes) == before + 1
    await region.write("MATCH (p:Project {id: 'alpha:P3'}) SET p.status = 'proposed'")
    await take_snapshot(region)
    assert await count(region, changes) == before
    # The daily one skips a day already taken.
    assert await take_daily_snapshot(region) is None


async def stopped_days(graph: Graph) -> dict[str, tuple[date | None, date | None]]:
    """Each project's kept first days stopped and completed."""
    rows = await graph.read(
        "MATCH (p:Project) RETURN p.id AS id, p.stoppedOn AS stopped, p.completedOn AS completed"
    )
    return {row["id"]: (row["stopped"], row["completed"]) for row in rows}


async def test_each_projects_first_stopped_and_completed_days_are_kept_as_changes_are(
    region: Graph,
) -> None:
    kept = await stopped_days(region)
    # P1 was first seen completed at February's snapshot; the others never stopped (P2 was
    # retired, which the figures take from its retirement).
    assert kept == {
        "alpha:P1": (date(2025, 2, 28), date(2025, 2, 28)),
        "alpha:P2": (None, None),
        "alpha:P3": (None, None),
        "gamma:P4": (None, None),
    }
    # Stopped today, then back as it was within the day (today's change removed): kept, then
    # forgotten again.
    today = date.today()
    (was,) = await region.read("MATCH (p:Project {id: 'alpha:P3'}) RETURN p.status AS status")
    await region.write("MATCH (p:Project {id: 'alpha:P3'}) SET p.status = 'stopped'")
    await take_snapshot(region, today)
    assert (await stopped_days(region))["alpha:P3"] == (today, None)
    back = "MATCH (p:Project {id: 'alpha:P3'}) SET p.status = $was"
    await region.write(back, {"was": was["status"]})
    await take_snapshot(region, today)
    assert await stopped_days(region) == kept

    # P3 and P4 seen stopped in mid-March (their sources give no end date): Ann (on P3 alone
    # after February) and Cat (on P4) are involved until March, and in April only Alpha is
    # active, through P2 until its retirement.
    stop = "MATCH (p:Project) WHERE p.id IN ['alpha:P3', 'gamma:P4'] SET p.status = 'stopped'"
    await region.write(stop)
    await take_snapshot(region, date(2025, 3, 15))
    kept["alpha:P3"] = kept["gamma:P4"] = (date(2025, 3, 15), None)
    assert await stopped_days(region) == kept
    found = await figures(await months(region), region)
    assert found["people_involved"].total == [2, 2, 2, 0]
    assert found["partners_active"].total == [2, 3, 2, 1]

    # A graph whose changes were recorded before the days were kept gets them once, from the
    # migration that keeps them.
    await region.write("MATCH (p:Project) REMOVE p.stoppedOn, p.completedOn")
    (migration,) = [m for m in load_migrations() if m.name == "0012_stopped_days"]
    for statement in migration.statements:
        await region.write(cast(LiteralString, statement))
    assert await stopped_days(region) == kept


async def kept_against_live(graph: Graph) -> dict[str, Any]:
    """Every figure for the region and each system, at each interval kept and for both kinds
    of caller, as read from the kept tallies and as counted on the spot: asserted the same.
    Returns the answers, and how many tallies were read (``read``)."""
    answers: dict[str, Any] = {"read": 0}
    for scope in (Scope(), Scope(system="north-vale"), Scope(system="south-moor")):
        for interval in KEPT_INTERVALS:
            spans = periods(date(2024, 10, 1), date(2025, 12, 31), interval, today=TODAY)
            for public_only in (False, True):
                how = await counting(
                    graph, scope, interval, spans, today=TODAY, public_only=public_only
                )
                kept = await count_figures(graph, how, signed_in=True)
                live = await count_figures(graph, replace(how, kept=frozenset()), signed_in=True)
                assert kept == live, (scope, interval, public_only)
                answers[f"{scope.system}|{interval}|{public_only}"] = kept
                answers["read"] += len(how.kept)
    return answers


async def test_kept_figures_answer_as_counting_on_the_spot_through_pulls_and_snapshots(
    region: Graph,
) -> None:
    # Projects started and completed, by status, people involved and duplicates found: for
    # three scopes, three intervals and two kinds of caller.
    before = await kept_against_live(region)
    assert before["read"] == 3 * 3 * 2 * 5

    # Alpha hands P3 to Gamma (North Vale to South Moor): the pull recounts what it moved.
    handed = [
        record.model_copy(update={"lead_organisation": GAMMA, "partner_organisations": []})
        if record.ref == "P3"
        else record
        for record in alpha_projects(4)
    ]
    await pull(region, "alpha", alpha_people() + handed, at(5, 2))
    moved = await kept_against_live(region)
    started = {
        key: [s.total for s in found if s.figure.key == "projects_started"]
        for key, found in moved.items()
        if key != "read"
    }
    assert started != {
        key: [s.total for s in found if s.figure.key == "projects_started"]
        for key, found in before.items()
        if key != "read"
    }

    # Cat leaves P4 and Gamma stops it: her membership ends with the pull, P4's status with
    # the snapshot that sees it.
    await pull(region, "gamma", gamma_records(status="stopped", members=()), at(5, 3))
    left = await kept_against_live(region)
    await take_snapshot(region, date(2025, 5, 31))
    stopped = await kept_against_live(region)
    assert left != moved and stopped != left

    # A status changed and changed back within a day: the second snapshot of the day removes
    # the first's change (and P3's first day stopped), and the kept figures follow it back.
    status = "MATCH (p:Project {id: 'alpha:P3'}) SET p.status = $status"
    await region.write(status, {"status": "stopped"})
    await take_snapshot(region, date(2025, 6, 1))
    assert await kept_against_live(region) != stopped
    await region.write(status, {"status": "proposed"})
    await take_snapshot(region, date(2025, 6, 1))
    assert await kept_against_live(region) == stopped


IMPACT = """
query($system: ID, $topic: String, $from: Date, $to: Date, $keys: [String!]) {
  impact(system: $system, topic: $topic, from: $from, to: $to) {
    from to interval snapshotsSince periods { start end }
    figures(keys: $keys) {
      key title description basis signedInOnly breakdown
      total { start value }
      categories { key label points { value } }
    }
  }
}
"""


async def run(graph: Graph, viewer: Viewer, query: str = IMPACT, **variables: Any) -> Any:
    return await schema.execute(
        query, variable_values=variables, context_value=Context(graph, viewer=viewer)
    )


async def test_the_api_answers_series_with_what_each_figure_counts(region: Graph) -> None:
    result = await run(
        region, MEMBER, system="north-vale", **{"from": "2025-01-01", "to": "2025-04-30"}
    )
    assert result.errors is None, result.errors
    answer = result.data["impact"]
    assert answer["interval"] == "MONTH" and answer["snapshotsSince"] == "2025-01-31"
    assert answer["periods"][0] == {"start": "2025-01-01", "end": "2025-01-31"}
    assert [p["start"] for p in answer["periods"]] == [m.isoformat() for m in MONTHS]
    by_key = {f["key"]: f for f in answer["figures"]}
    assert set(by_key) >= {
        "projects_started",
        "projects_completed",
        "projects_by_status",
        "partners_active",
        "new_links",
        "duplicates_found",
        "duplicates_confirmed",
        "duplicates_dismissed",
        "people_involved",
        "people_reached",
        "mentors_available",
    }
    for figure in answer["figures"]:
        assert len(figure["description"]) > 60, figure["key"]  # each says what it counts
    started = by_key["projects_started"]
    assert [p["value"] for p in started["total"]] == [2, 1, 0, 0]
    assert started["breakdown"] == "mode" and started["basis"] == "RECORDED"
    assert started["categories"][0]["label"] == "Iterative QI"
    assert by_key["projects_by_status"]["basis"] == "SNAPSHOTS"

    twice = await run(region, MEMBER, keys=["people_reached"] * 50)
    assert [f["key"] for f in twice.data["impact"]["figures"]] == ["people_reached"]

    anonymous = await run(
        region,
        ANONYMOUS,
        keys=["mentors_available", "people_involved"],
        **{"from": "2025-01-01", "to": "2025-04-30"},
    )
    assert anonymous.errors is None
    mentors, people = anonymous.data["impact"]["figures"]
    assert mentors["signedInOnly"] and mentors["total"] is None and mentors["categories"] == []
    assert [p["value"] for p in people["total"]] == [1, 1, 1, 1]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"from": "2025-05-01", "to": "2025-01-01"}, "is after `to`"),
        ({"system": "nowhere"}, "No system has the id 'nowhere'"),
        ({"topic": "no such topic at all"}, "No topic is called"),
        ({"keys": ["projects_begun"]}, "No figure is called 'projects_begun'"),
        ({"from": "0001-01-01", "to": "0001-02-01"}, "0001-01-01 is out of range"),
        ({"to": "9999-12-31"}, "9999-12-31 is out of range"),
    ],
)
async def test_the_api_refuses_what_it_cannot_count(
    region: Graph, variables: dict[str, Any], message: str
) -> None:
    result = await run(region, MEMBER, **variables)
    assert result.errors is not None and message in result.errors[0].message


async def test_too_many_periods_are_refused(graph: Graph) -> None:
    query = '{ impact(from: "2020-01-01", interval: DAY) { from } }'
    result = await run(graph, MEMBER, query)
    assert result.errors is not None
    assert "more than 400 days" in result.errors[0].message


async def test_the_scheduler_takes_the_days_snapshot_once_a_day(graph: Graph) -> None:
    await pull(graph, "alpha", alpha_people(), at(1, 15))  # Ann offers mentoring
    stop = asyncio.Event()
    scheduler = asyncio.create_task(
        run_schedule(graph, PartnersFile, stop, longest_nap=timedelta(seconds=0.1))
    )
    snapshots = "MATCH (s:ImpactSnapshot) RETURN count(s) AS n"
    for _ in range(200):
        if await count(graph, snapshots):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # several more rounds: the day is not taken again
    stop.set()
    await asyncio.wait_for(scheduler, timeout=5)
    rows = await graph.read("MATCH (s:ImpactSnapshot) RETURN s.day AS day, s.people AS people")
    assert rows == [{"day": datetime.now(UTC).date(), "people": 1}]


class InFlight(Graph):
    """The test's graph, counting how many reads run at once."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph.driver, graph.database, timeouts=graph.timeouts)
        self.running = 0
        self.most = 0

    async def read(
        self, query: LiteralString, parameters: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            return await super().read(query, parameters)
        finally:
            self.running -= 1


async def test_a_burst_of_impact_pages_queues_for_the_database(region: Graph) -> None:
    """Three pages of a dozen figures at once: at most a few of their statements run at a
    time, and each page gets the same answer it gets alone."""
    watched = InFlight(region)
    how = await months(region)
    alone = [s.total for s in await count_figures(region, how, signed_in=True)]
    burst = await asyncio.gather(*(count_figures(watched, how, signed_in=True) for _ in range(3)))
    assert watched.most == AT_ONCE
    assert all([s.total for s in answer] == alone for answer in burst)
