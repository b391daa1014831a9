"""One pair of projects -> a score, a kind and the reasons, from evidence a person can check.

The score is mostly the meaning of the text (title and aim), nudged by context: the same or
related topics, the same or neighbouring systems, overlapping dates and shared methods.
``score = 0.85 * text + 0.15 * context``; context is the weighted mean of the signals both
projects have (a signal one of them lacks is left out; with none at all it is 0.5).

People working on both projects, or an organisation that is lead on one and partner on the
other (or partner on both), mean the two teams already know each other: the pair is reported
as a ``collaboration``, not a ``duplicate``. Two sources listing the same work with the same
people (at least half of the smaller team, and text at least ``SAME_PROJECT_TEXT`` alike) are
one project listed twice: a ``same_project`` pair, offered for merging.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from graph.similarity.profiles import ProjectProfile

TEXT_WEIGHT = 0.85
CONTEXT_WEIGHTS = {"topic": 0.6, "place": 0.15, "dates": 0.15, "methods": 0.1}
DEFAULT_THRESHOLD = 0.7
STORE_FLOOR = 0.6
ASSUMED_LENGTH = timedelta(days=730)  # a project with no end date is taken to run two years
NEAR_GAP = timedelta(days=365)
RELATED_TOPIC = 0.5  # topics that share a broader topic
SAME_PROJECT_TEXT = 0.7
DUPLICATE = "duplicate"
COLLABORATION = "collaboration"
SAME_PROJECT = "same_project"
NAMED = 4  # how many names a reason lists before "and N more"


@dataclass(frozen=True)
class Features:
    text: float
    topic: float | None = None
    place: float | None = None
    dates: float | None = None
    methods: float | None = None

    def context(self) -> float:
        present = {k: getattr(self, k) for k in CONTEXT_WEIGHTS if getattr(self, k) is not None}
        if not present:
            return 0.5
        total = sum(CONTEXT_WEIGHTS[k] for k in present)
        return sum(CONTEXT_WEIGHTS[k] * v for k, v in present.items()) / total

    def score(self) -> float:
        return round(TEXT_WEIGHT * self.text + (1 - TEXT_WEIGHT) * self.context(), 4)


def features(a: ProjectProfile, b: ProjectProfile, text: float) -> Features:
    return Features(
        text=max(0.0, min(1.0, text)),
        topic=topic_signal(a, b),
        place=place_signal(a, b),
        dates=date_signal(a, b),
        methods=method_signal(a, b),
    )


def topic_signal(a: ProjectProfile, b: ProjectProfile) -> float | None:
    if not a.topics or not b.topics:
        return None
    if a.topics.keys() & b.topics.keys():
        return 1.0
    if (a.topics.keys() | a.broader) & (b.topics.keys() | b.broader):
        return RELATED_TOPIC
    return 0.0


def place_signal(a: ProjectProfile, b: ProjectProfile) -> float | None:
    if not a.systems or not b.systems:
        return None
    if a.systems.keys() & b.systems.keys():
        return 1.0
    if a.systems.keys() & b.neighbours or b.systems.keys() & a.neighbours:
        return 0.5
    return 0.0


def _span(p: ProjectProfile) -> tuple[date, date] | None:
    if p.start is None:
        return None
    return p.start, p.end or p.start + ASSUMED_LENGTH


def date_signal(a: ProjectProfile, b: ProjectProfile) -> float | None:
    span_a, span_b = _span(a), _span(b)
    if span_a is None or span_b is None:
        return None
    gap = max(span_a[0], span_b[0]) - min(span_a[1], span_b[1])
    if gap <= timedelta(0):
        return 1.0
    return 0.5 if gap <= NEAR_GAP else 0.0


def method_signal(a: ProjectProfile, b: ProjectProfile) -> float | None:
    if not a.methods or not b.methods:
        return None
    return len(a.methods & b.methods) / len(a.methods | b.methods)


def shared_people(a: ProjectProfile, b: ProjectProfile) -> list[str]:
    return sorted(a.people[i] for i in a.people.keys() & b.people.keys())


def partnership(a: ProjectProfile, b: ProjectProfile) -> list[str]:
    """Organisations that tie the two projects together: lead of one, partner of the other."""
    ties = (a.leads.keys() & b.partners.keys()) | (a.partners.keys() & b.leads.keys())
    ties |= a.partners.keys() & b.partners.keys()
    names = {**a.leads, **a.partners, **b.leads, **b.partners}
    return sorted(names[i] for i in ties)


def source_of(project_id: str) -> str:
    """The source that lists a project: its id is ``<source>:<ref>`` (see graph.ingest)."""
    return project_id.split(":", 1)[0]


def same_people(a: ProjectProfile, b: ProjectProfile) -> bool:
    """At least half of the smaller team works on both."""
    shared = len(a.people.keys() & b.people.keys())
    return shared > 0 and 2 * shared >= min(len(a.people), len(b.people))


def kind_of(a: ProjectProfile, b: ProjectProfile, text: float = 0.0) -> str:
    if same_people(a, b) and text >= SAME_PROJECT_TEXT and source_of(a.id) != source_of(b.id):
        return SAME_PROJECT
    if shared_people(a, b) or partnership(a, b):
        return COLLABORATION
    return DUPLICATE


def _names(items: Sequence[str], total: int | None = None) -> str:
    """The first ``NAMED`` items, and how many more of ``total`` (by default, of ``items``)."""
    shown = ", ".join(items[:NAMED])
    more = (len(items) if total is None else total) - NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def reasons(
    a: ProjectProfile,
    b: ProjectProfile,
    shared_terms: Sequence[str],
    *,
    tied: bool = True,
    term_count: int | None = None,
    kind: str = DUPLICATE,
) -> list[str]:
    """Plain-language evidence, strongest first; each names what the two really share.

    A caller that already knows more may say so: ``tied=False`` when the two share no people
    and no partnership (nothing to look up then), ``term_count`` when ``shared_terms`` holds
    only the first ``NAMED`` of that many shared terms (only those are named).
    """
    found: list[str] = []
    if kind == SAME_PROJECT:
        pair = f"{source_of(a.id)} and {source_of(b.id)}"
        found.append(f"one project listed twice, by {pair}, with the same people")
    if tied:
        people, partners = shared_people(a, b), partnership(a, b)
        if people:
            found.append(f"shared people: {_names(people)}")
        if partners:
            found.append(f"declared partnership through {_names(partners)}")
    found += _topic_reasons(a, b)
    count = len(shared_terms) if term_count is None else term_count
    if count:
        noun = "key term" if count == 1 else "key terms"
        found.append(f"{count} shared {noun} ({_names(shared_terms, count)})")
    found += _date_reasons(a, b)
    found += _place_reasons(a, b)
    if a.methods and b.methods:
        common_methods = sorted(a.method_names[m] for m in a.methods & b.methods)
        if common_methods:
            found.append(f"both use {_names(common_methods)}")
    return found


def _topic_reasons(a: ProjectProfile, b: ProjectProfile) -> list[str]:
    same = sorted(a.topics[t].lower() for t in a.topics.keys() & b.topics.keys())
    if same:
        return [f"same topic: {_names(same)}"]
    return []


def _date_reasons(a: ProjectProfile, b: ProjectProfile) -> list[str]:
    if a.start is None or b.start is None:
        return []
    if a.start.year == b.start.year:
        return [f"both started {a.start.year}"]
    first, second = sorted((a.start.year, b.start.year))
    if date_signal(a, b) == 1.0:
        return [f"running at the same time (started {first} and {second})"]
    return [f"started {first} and {second}"]


def _place_reasons(a: ProjectProfile, b: ProjectProfile) -> list[str]:
    same_lead = sorted(a.leads[o] for o in a.leads.keys() & b.leads.keys())
    if same_lead:
        return [f"both run by {_names(same_lead)}"]
    same_system = sorted(a.systems[s] for s in a.systems.keys() & b.systems.keys())
    if same_system and a.leads and b.leads:
        leads = f"{_names(sorted(a.leads.values()))} and {_names(sorted(b.leads.values()))}"
        return [f"different organisations in the same system ({_names(same_system)}): {leads}"]
    if a.systems.keys() & b.neighbours or b.systems.keys() & a.neighbours:
        pair = f"{_names(sorted(a.systems.values()))} and {_names(sorted(b.systems.values()))}"
        return [f"neighbouring systems: {pair}"]
    if a.systems and b.systems:
        pair = f"{_names(sorted(a.systems.values()))} and {_names(sorted(b.systems.values()))}"
        return [f"different systems: {pair}"]
    return []


def explanation(found: Sequence[str]) -> str:
    return "; ".join(found)
