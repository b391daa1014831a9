"""Impact over time: series of what the graph holds, counted per day, week, month, quarter or
year, for the whole hub or a system, an organisation or a topic.

``figures`` says what each figure counts and holds its statement; ``scopes`` what is in a
system, an organisation or a topic, then and now; ``periods`` cuts a range into periods;
``series`` counts; ``snapshots`` keeps, once a day, what the sources cannot tell later (a
project's status, a person's offers); ``kept`` keeps the costliest figures for the region and
each system as pulls and snapshots change them.
"""

from graph.impact.figures import BY_KEY, FIGURES, Basis, Figure
from graph.impact.kept import ensure_tallied, recount_scored, recount_tallies
from graph.impact.periods import Interval, Period, PeriodError, periods
from graph.impact.series import Category, Counting, Scope, Series, count_figures, counting
from graph.impact.snapshots import Snapshot, take_daily_snapshot, take_snapshot

__all__ = [
    "BY_KEY",
    "FIGURES",
    "Basis",
    "Category",
    "Counting",
    "Figure",
    "Interval",
    "Period",
    "PeriodError",
    "Scope",
    "Series",
    "Snapshot",
    "count_figures",
    "counting",
    "ensure_tallied",
    "periods",
    "recount_scored",
    "recount_tallies",
    "take_daily_snapshot",
    "take_snapshot",
]
