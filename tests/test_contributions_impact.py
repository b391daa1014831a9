"""The impact figure "contributions submitted and approved": counted by the day each was
submitted and approved, narrowed by the organisation, system and topic their submitter gave."""

from __future__ import annotations

from datetime import UTC, date, datetime

from eval import planted
from graph.contributions import store
from graph.database import Graph
from graph.impact import Interval, Scope, count_figures, counting, periods
from graph.impact.figures import BY_KEY


async def contributions(graph: Graph, **scope: str) -> tuple[list[int | None], dict[str, list]]:
    today = datetime.now(UTC).date()
    spans = periods(date(today.year - 1, today.month, 1), today, Interval.MONTH, today=today)
    how = await counting(
        graph, Scope(**scope), Interval.MONTH, spans, today=today, public_only=True
    )
    [series] = await count_figures(graph, how, [BY_KEY["contributions"]], signed_in=False)
    return series.total, {c.key: c.values for c in series.categories}


async def submit(graph: Graph, organisation: str | None, topics: list[str]) -> str:
    known = await store.organisation(graph, organisation) if organisation else None
    row = await store.create(
        graph,
        {
            "kind": "project",
            "title": "A contribution",
            "organisationId": known.id if known else None,
            "newOrganisationName": None if known else "Vale Men's Sheds",
            "partner": known.partner if known else None,
            "topics": topics,
        },
        [],
        "key:impact-test",
    )
    return str(row["id"])


async def test_contributions_submitted_and_approved_this_month(graph: Graph) -> None:
    await planted.load_region(graph)
    falls = await submit(graph, "ods:ZEM01", ["falls"])
    await submit(graph, "ods:ZEM01", ["sepsis"])
    await submit(graph, "ods:ZNV01", ["falls"])
    await submit(graph, None, [])
    await store.decide(
        graph, falls, action="approved", to=store.APPROVED, from_statuses=["pending"], by="k"
    )

    total, parts = await contributions(graph)
    assert total[-1] == 4 and parts["submitted"][-1] == 4 and parts["approved"][-1] == 1
    assert total[:-1] == [0] * (len(total) - 1)  # nothing in the months before

    eastmoor = await contributions(graph, organisation="ods:ZEM01")
    assert eastmoor[0][-1] == 2 and eastmoor[1]["approved"][-1] == 1
    assert (await contributions(graph, system="sys-nv"))[0][-1] == 1
    on_falls = await contributions(graph, topic="falls")
    assert on_falls[0][-1] == 2 and on_falls[1]["approved"][-1] == 1
