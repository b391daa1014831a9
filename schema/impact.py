"""Impact over time: ``impact(system, organisation, topic, from, to, interval)``.

Each figure says what it counts (``description``) and whether it is derived from what the
graph stores or read from the daily snapshots (``basis``). Resolvers call ``graph.impact``;
no Cypher here. Figures that count personal fields are refused to anonymous callers (their
``total`` is null), and people count for anonymous callers only where they agreed to be
listed: what a caller may not read never changes a number they see.

Wiring (kept out of schema/api.py's own fields): ``Query`` inherits ``ImpactQuery``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph import impact
from graph.queries import fields, topics
from schema.context import Context
from schema.errors import UserError

MAX_TOPIC = 200

ImpactInterval = strawberry.enum(
    impact.Interval, name="ImpactInterval", description="How long each period is."
)
ImpactBasis = strawberry.enum(
    impact.Basis,
    name="ImpactBasis",
    description="RECORDED: derived from what the graph stores (first seen, dates, retirements, "
    "reviews). SNAPSHOTS: read from the daily snapshots, so unknown before the first one.",
)


@strawberry.type(description="A figure's value in one period; null where it is not known.")
class ImpactPoint:
    start: date = strawberry.field(description="The first day of the period.")
    value: int | None


@strawberry.type(description="One part of a figure (a mode, a status...), period by period.")
class ImpactCategory:
    key: str
    label: str
    points: list[ImpactPoint] = strawberry.field(
        description="One per period, in the order of the series' `periods`."
    )


def _points(periods: list[impact.Period], values: list[int | None]) -> list[ImpactPoint]:
    return [ImpactPoint(start=p.start, value=v) for p, v in zip(periods, values, strict=True)]


@strawberry.type(description="One figure of the impact series, with what it counts.")
class ImpactFigure:
    key: str = strawberry.field(description="A stable name, e.g. `projects_started`.")
    title: str
    description: str = strawberry.field(description="What the figure counts, in words.")
    basis: ImpactBasis
    signed_in_only: bool = strawberry.field(
        description="The figure counts personal fields: anonymous callers get no values."
    )
    breakdown: str | None = strawberry.field(
        description="What `categories` are (mode, status, sector...); null for a total only."
    )
    parts_add_up: bool = strawberry.field(
        description="Whether the categories add up to the total (else they overlap: a mentor "
        "who also coaches counts in both)."
    )
    total: list[ImpactPoint] | None = strawberry.field(
        description="One point per period, in the order of the series' `periods`; null when "
        "the figure is signed-in only and you are not."
    )
    categories: list[ImpactCategory]

    @classmethod
    def from_series(cls, series: impact.Series, periods: list[impact.Period]) -> ImpactFigure:
        figure = series.figure
        return cls(
            key=figure.key,
            title=figure.title,
            description=figure.description,
            basis=figure.basis,
            signed_in_only=figure.signed_in_only,
            breakdown=figure.breakdown,
            parts_add_up=figure.parts_add_up,
            total=None if series.total is None else _points(periods, series.total),
            categories=[
                ImpactCategory(key=c.key, label=c.label, points=_points(periods, c.values))
                for c in series.categories
            ],
        )


@strawberry.type(description="A period of the series: its first and last day.")
class ImpactPeriod:
    start: date
    end: date = strawberry.field(description="The last day of the period.")


@strawberry.type(description="Series over time, one value per period for each figure.")
class Impact:
    interval: ImpactInterval
    system: strawberry.ID | None
    organisation: strawberry.ID | None
    topic: str | None
    snapshots_since: date | None = strawberry.field(
        description="The day of the first daily snapshot: SNAPSHOTS figures are null before it."
    )
    counting: strawberry.Private[impact.Counting]
    signed_in: strawberry.Private[bool]

    @strawberry.field(name="from", description="The first day of the first period.")
    def first_day(self) -> date:
        return self.counting.periods[0].start

    @strawberry.field(name="to", description="The last day of the last period.")
    def last_day(self) -> date:
        return self.counting.periods[-1].last_day

    @strawberry.field
    def periods(self) -> list[ImpactPeriod]:
        return [ImpactPeriod(start=p.start, end=p.last_day) for p in self.counting.periods]

    @strawberry.field(description="The figures asked for by key (default: all), in order.")
    async def figures(
        self, info: Info[Context, None], keys: list[str] | None = None
    ) -> list[ImpactFigure]:
        # Each figure once, however often it is asked for: one statement each.
        chosen = impact.FIGURES if keys is None else [_figure(k) for k in dict.fromkeys(keys)]
        counted = await impact.count_figures(
            info.context.graph, self.counting, chosen, signed_in=self.signed_in
        )
        periods = list(self.counting.periods)
        return [ImpactFigure.from_series(series, periods) for series in counted]


def _figure(key: str) -> impact.Figure:
    try:
        return impact.BY_KEY[key]
    except KeyError:
        known = ", ".join(impact.BY_KEY)
        raise UserError(f"No figure is called {key!r}; the figures are: {known}.") from None


DateArg = Annotated[
    date | None,
    strawberry.argument(name="from", description="The first day counted (default: 12 periods)."),
]


@strawberry.type
class ImpactQuery:
    @strawberry.field(
        description="Impact over time: projects started and completed, partners active, new "
        "links across organisations and sectors, duplicates found and reviewed, people "
        "involved and reached, mentors and coaches; per day, week, month (the default), "
        "quarter or year. Each figure says what it counts."
    )
    async def impact(
        self,
        info: Info[Context, None],
        system: strawberry.ID | None = None,
        organisation: strawberry.ID | None = None,
        topic: Annotated[
            str | None,
            strawberry.argument(
                description="A topic id or any label or synonym; narrower topics count too."
            ),
        ] = None,
        first_day: DateArg = None,
        last_day: Annotated[
            date | None,
            strawberry.argument(name="to", description="The last day counted (default: today)."),
        ] = None,
        interval: ImpactInterval = impact.Interval.MONTH,
    ) -> Impact:
        today = datetime.now(UTC).date()
        try:
            periods = impact.periods(first_day, last_day, impact.Interval(interval), today=today)
        except impact.PeriodError as error:
            raise UserError(str(error)) from None
        await _check_scope(info, system, organisation, topic)
        viewer = info.context.viewer
        scope = impact.Scope(system=system, organisation=organisation, topic=topic)
        counting = await impact.counting(
            info.context.graph,
            scope,
            impact.Interval(interval),
            periods,
            today=today,
            public_only=viewer.public_only,
        )
        return Impact(
            interval=interval,
            system=system,
            organisation=organisation,
            topic=topic,
            snapshots_since=counting.snapshots_since,
            counting=counting,
            signed_in=viewer.signed_in,
        )


async def _check_scope(
    info: Info[Context, None], system: str | None, organisation: str | None, topic: str | None
) -> None:
    """Refuse what names nothing, so a typo is not answered with zeros."""
    nodes = info.context.loaders.node
    if system is not None and await nodes(fields.SYSTEM).load(str(system)) is None:
        raise UserError(f"No system has the id {system!r}: see `systems` for the ids.")
    if organisation is not None and await nodes(fields.ORGANISATION).load(organisation) is None:
        raise UserError(f"No organisation has the id {organisation!r}.")
    if topic is not None and (
        len(topic) > MAX_TOPIC or await topics.find_topic(info.context.graph, topic) is None
    ):
        raise UserError(f"No topic is called {topic[:MAX_TOPIC]!r}: give a topic id or a label.")
