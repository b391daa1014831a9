"""The periods a series is counted in: days, weeks, months, quarters or years.

A period starts where Neo4j's ``date.truncate`` puts it (weeks on Monday, quarters in January,
April, July and October), so the statements bucket a day with ``date.truncate($unit, day)`` and
the buckets meet these periods exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

MAX_PERIODS = 400
"""The most periods one series may have: more days than a year, more months than a career."""
DEFAULT_PERIODS = 12
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
"""The days a series may reach: far enough for any register, short of the calendar's ends."""


class Interval(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class PeriodError(ValueError):
    """A range of periods that cannot be counted; the message says what to change."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    """The day after the period's last: periods are ``[start, end)``."""

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def truncate(day: date, interval: Interval) -> date:
    """The first day of the period ``day`` falls in."""
    if interval is Interval.DAY:
        return day
    if interval is Interval.WEEK:
        return day - timedelta(days=day.weekday())
    if interval is Interval.MONTH:
        return day.replace(day=1)
    if interval is Interval.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def advance(start: date, interval: Interval, steps: int = 1) -> date:
    """The start of the period ``steps`` after (or, negative, before) the one at ``start``."""
    if interval is Interval.DAY:
        return start + timedelta(days=steps)
    if interval is Interval.WEEK:
        return start + timedelta(weeks=steps)
    months = {Interval.MONTH: 1, Interval.QUARTER: 3, Interval.YEAR: 12}[interval] * steps
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def periods(
    first: date | None, last: date | None, interval: Interval, *, today: date
) -> list[Period]:
    """The periods from the one holding ``first`` to the one holding ``last`` (both days
    included). ``last`` defaults to today; ``first`` to the start of the twelve periods that
    end with ``last``'s."""
    last = last or today
    for day in (first, last):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise PeriodError(f"{day} is out of range: give days from {EARLIEST} to {LATEST}.")
    first = first or advance(truncate(last, interval), interval, 1 - DEFAULT_PERIODS)
    if first > last:
        raise PeriodError(f"`from` ({first}) is after `to` ({last}): swap them.")
    start, stop = truncate(first, interval), truncate(last, interval)
    found: list[Period] = []
    while start <= stop:
        if len(found) == MAX_PERIODS:
            raise PeriodError(
                f"{first} to {last} is more than {MAX_PERIODS} {interval.value}s: "
                "use a longer interval or a shorter range."
            )
        following = advance(start, interval)
        found.append(Period(start, following))
        start = following
    return found
