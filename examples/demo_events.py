"""The demo region's events, training, programme and "go and see" visits, from the day it runs.

Everything else in the demo region is fixed (``generate_demo.py``); what is on must never be
stale, so this is computed when the demo's partner web starts, from ``today``:

- the Improvement Skills Academy publishes an iCalendar feed (``calendar.ics``): a weekly
  online coaching clinic (one week skipped), a monthly network meeting, masterclasses and
  webinars, a two-day school (all day), and a cancelled session;
- the Vale and Moor Improvement Collaborative's learning API lists its Improvement Leaders
  Programme (four modules, each with resources and a dated session) and the region's learning
  events, each hosted by a partner in one of the two systems, some online;
- two project teams offer visits: North Vale Hospitals' falls team on set dates, and the Harlow
  Fen crisis café on request.

``live_content(today)`` gives the partner web what to serve instead of files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

CALENDAR = "/skills-academy/calendar.ics"
LEARNING = "/vale-collaborative/learning/items"
PROGRAMME = "Vale and Moor Improvement Leaders Programme"
MODULES = (
    "Systems thinking",
    "Convening and building relationships",
    "Leadership",
    "QI and human factors tools",
)
ACADEMY = "https://skills-academy.example"
COLLABORATIVE = "https://valemoor-collaborative.example"


@dataclass(frozen=True)
class LiveContent:
    """What the partner web serves from ``today``: files by path, JSON streams by path, and
    changes to other streams' items (by path: a function of the items)."""

    files: dict[str, tuple[bytes, str]]
    streams: dict[str, list[dict[str, Any]]]
    patches: dict[str, Callable[[list[dict[str, Any]]], list[dict[str, Any]]]]


def live_content(today: date) -> LiveContent:
    return LiveContent(
        files={CALENDAR: (academy_calendar(today), "text/calendar; charset=utf-8")},
        streams={LEARNING: learning_items(today)},
        patches={
            "/nv-hospitals/api/projects": lambda items: _with(items, "id", hospital_visits(today)),
            "/nv-community/api/v2/projects": lambda items: _with(
                items, "projectId", community_visits()
            ),
        },
    )


def _weekday(today: date, weekday: int, weeks: int = 0) -> date:
    """The first ``weekday`` (Monday 0) after today, ``weeks`` later."""
    ahead = (weekday - today.weekday() - 1) % 7 + 1
    return today + timedelta(days=ahead + 7 * weeks)


def _local(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute)).isoformat(timespec="minutes")


# --- the Skills Academy's calendar --------------------------------------------------------------


def _ics_local(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute)).strftime("%Y%m%dT%H%M%S")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _vevent(uid: str, properties: list[tuple[str, str]]) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{uid}@skills-academy.example", "DTSTAMP:20250630T120000Z"]
    lines += [f"{name}:{value}" for name, value in properties]
    return [*lines, "END:VEVENT"]


def academy_calendar(today: date) -> bytes:
    """The Academy's events as its booking system exports them (RFC 5545, London time)."""
    tz = "TZID=Europe/London"
    clinic = _weekday(today, 1)  # Tuesdays
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    network = _weekday(next_month - timedelta(days=1), 3)  # monthly, on first Thursdays
    masterclass = _weekday(today, 2, 2)
    webinar = _weekday(today, 4, 4)
    school = _weekday(today, 0, 9)
    events = [
        _vevent(
            "qi-clinic",
            [
                (f"DTSTART;{tz}", _ics_local(clinic, 12, 30)),
                (f"DTEND;{tz}", _ics_local(clinic, 13, 30)),
                ("RRULE", "FREQ=WEEKLY;COUNT=12"),
                (f"EXDATE;{tz}", _ics_local(clinic + timedelta(weeks=3), 12, 30)),
                ("SUMMARY", "QI coaching clinic"),
                (
                    "DESCRIPTION",
                    _escape(
                        "Bring a project at any stage: an improvement coach helps with aims, "
                        "measures and your next PDSA cycle. Drop in; no booking needed."
                    ),
                ),
                ("LOCATION", "Online (Microsoft Teams)"),
                ("CATEGORIES", "QI capability,PDSA"),
                ("ORGANIZER;CN=Improvement Skills Academy", "mailto:events@skills-academy.example"),
                ("URL", f"{ACADEMY}/clinic"),
                ("X-KIND", "training"),
                ("X-AUDIENCE", "Anyone running an improvement project"),
            ],
        ),
        _vevent(
            "leaders-network",
            [
                (f"DTSTART;{tz}", _ics_local(network, 14)),
                (f"DTEND;{tz}", _ics_local(network, 16, 30)),
                ("RRULE", "FREQ=MONTHLY;BYDAY=1TH;COUNT=6"),
                ("SUMMARY", "Improvement leaders' network"),
                (
                    "DESCRIPTION",
                    _escape(
                        "Leaders of improvement across North Vale and Eastmoor share what is "
                        "working and what is stuck. Tea from 13:45."
                    ),
                ),
                ("LOCATION", _escape("Vale House, Market Street, Harlow Fen")),
                ("CATEGORIES", "QI capability,Leadership"),
                ("ORGANIZER;CN=Improvement Skills Academy", "mailto:events@skills-academy.example"),
                ("URL", f"{ACADEMY}/network"),
                ("X-BOOKING-URL", f"{ACADEMY}/book/network"),
                ("X-PLACES", "40"),
            ],
        ),
        _vevent(
            "falls-masterclass",
            [
                (f"DTSTART;{tz}", _ics_local(masterclass, 9, 30)),
                (f"DTEND;{tz}", _ics_local(masterclass, 16)),
                ("SUMMARY", "Falls prevention masterclass: lying and standing blood pressure"),
                (
                    "DESCRIPTION",
                    _escape(
                        "A practical day for ward teams: measuring lying and standing blood "
                        "pressure, multifactorial falls risk assessment, and running a PDSA "
                        "cycle on your own ward."
                    ),
                ),
                ("LOCATION", _escape("Kettleby Conference Centre, Kettleby")),
                ("CATEGORIES", "Falls prevention,Care of older people"),
                ("ORGANIZER;CN=Improvement Skills Academy", "mailto:events@skills-academy.example"),
                ("URL", f"{ACADEMY}/falls-masterclass"),
                ("X-BOOKING-URL", f"{ACADEMY}/book/falls-masterclass"),
                ("X-PLACES", "60"),
                ("X-KIND", "training"),
                ("X-AUDIENCE", "Ward sisters, nurses and physiotherapists"),
            ],
        ),
        _vevent(
            "human-factors-webinar",
            [
                (f"DTSTART;{tz}", _ics_local(webinar, 12)),
                (f"DTEND;{tz}", _ics_local(webinar, 13)),
                ("SUMMARY", "Human factors and the deteriorating patient (webinar)"),
                (
                    "DESCRIPTION",
                    _escape(
                        "How checklists, handovers and escalation design help teams spot "
                        "deterioration: NEWS2 in practice."
                    ),
                ),
                ("LOCATION", f"{ACADEMY}/live/human-factors"),
                ("CATEGORIES", "Deteriorating patient,Human factors"),
                ("URL", f"{ACADEMY}/human-factors-webinar"),
                ("X-BOOKING-URL", f"{ACADEMY}/book/human-factors"),
            ],
        ),
        _vevent(
            "spread-school",
            [
                ("DTSTART;VALUE=DATE", school.strftime("%Y%m%d")),
                ("DTEND;VALUE=DATE", (school + timedelta(days=2)).strftime("%Y%m%d")),
                ("SUMMARY", "Spread and adoption school (two days)"),
                (
                    "DESCRIPTION",
                    _escape(
                        "Two days on spreading an innovation that works: adoption, "
                        "adaptation and building a social movement for change."
                    ),
                ),
                ("LOCATION", _escape("University of Eastmoor, Moorgate Campus")),
                ("CATEGORIES", "QI capability,Spread and adoption"),
                ("URL", f"{ACADEMY}/spread-school"),
                ("X-BOOKING-URL", f"{ACADEMY}/book/spread-school"),
                ("X-PLACES", "80"),
                ("X-KIND", "training"),
            ],
        ),
        _vevent(
            "sepsis-update",
            [
                (f"DTSTART;{tz}", _ics_local(_weekday(today, 2, 1), 10)),
                (f"DTEND;{tz}", _ics_local(_weekday(today, 2, 1), 11)),
                ("SUMMARY", "Sepsis update (postponed)"),
                ("STATUS", "CANCELLED"),
            ],
        ),
    ]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Improvement Skills Academy//Bookings//EN",
        "X-WR-CALNAME:Improvement Skills Academy",
        "X-WR-TIMEZONE:Europe/London",
        *(line for event in events for line in event),
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


# --- the Collaborative's programme and learning events -------------------------------------------

_HOSTS = {
    "nvh": {"name": "North Vale Hospitals NHS Foundation Trust", "ods": "ZNV01"},
    "nvc": {"name": "North Vale Community and Mental Health NHS Trust", "ods": "ZNV02"},
    "edc": {"name": "Eastmoor District Council", "ods": None},
    "wcn": {"name": "Wyndham Carers Network", "ods": None},
    "uoe": {"name": "University of Eastmoor", "ods": None},
    "vmic": {"name": "Vale and Moor Improvement Collaborative", "ods": "ZRG01"},
}


def _learning(
    ref: str,
    title: str,
    kind: str,
    host: str,
    summary: str,
    themes: list[str],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "ref": ref,
        "title": title,
        "kind": kind,
        "host": _HOSTS[host],
        "summary": summary,
        "themes": themes,
        "link": f"{COLLABORATIVE}/learning/{ref}",
        **extra,
    }


def _session(day: date, start: int, end: int, **where: Any) -> dict[str, Any]:
    return {"when": {"start": _local(day, start), "end": _local(day, end)}, **where}


def learning_items(today: date) -> list[dict[str, Any]]:
    """The Collaborative's learning API: the programme's modules, then the region's events."""
    first = _weekday(today, 2, 1)  # module sessions a month apart, on Wednesdays
    sessions = [first + timedelta(weeks=4 * n) for n in range(4)]
    booking = f"{COLLABORATIVE}/book"
    leaders = "Improvement leads, clinical and operational managers in the programme"
    modules: list[dict[str, Any]] = []
    contents = [
        (
            "Seeing the whole system: a guide to mapping your patch",
            "guide",
            "pathway_transformation",
            "Stock and flow, feedback loops and where to intervene, with worked examples "
            "from discharge and urgent care.",
            ["Discharge", "QI capability"],
        ),
        (
            "Convening across boundaries: a toolkit for first meetings",
            "toolkit",
            "spread_innovation",
            "How to bring councils, charities and NHS teams to one table and keep them "
            "there: invitations, ground rules and shared aims.",
            ["Health inequalities", "QI capability"],
        ),
        (
            "Leading change when nobody reports to you",
            "video",
            "operating_model_change",
            "Three system leaders on authority, trust and keeping going.",
            ["Leadership", "Staff wellbeing"],
        ),
        (
            "Human factors tools for everyday improvement",
            "guide",
            "iterative_qi",
            "Checklists, huddles and the hierarchy of controls, and when a PDSA cycle is the "
            "right tool.",
            ["Patient safety", "QI capability"],
        ),
    ]
    hosts = ("vmic", "edc", "nvh", "uoe")
    for number, (module, content, day, host) in enumerate(
        zip(MODULES, contents, sessions, hosts, strict=True), start=1
    ):
        title, kind, mode, summary, themes = content
        part = {"programme": PROGRAMME, "module": f"Module {number}: {module}"}
        modules.append(
            _learning(
                f"ilp-m{number}-read", title, kind, "vmic", summary, themes, mode=mode, **part
            )
        )
        online = number % 2 == 0
        modules.append(
            _learning(
                f"ilp-m{number}-session",
                f"Improvement Leaders Programme: {module} (module {number} workshop)",
                "training",
                host,
                f"The module {number} workshop: {module.lower()} in practice, with your own "
                "work as the case.",
                themes,
                mode=mode,
                booking=f"{booking}/ilp-{number}",
                places=30,
                audience=leaders,
                organiser="Vale and Moor Improvement Collaborative",
                **_session(
                    day,
                    9 if not online else 13,
                    12 if not online else 15,
                    venue=None if online else _VENUES[host],
                    online="yes" if online else "no",
                ),
                **part,
            )
        )
    modules.append(
        _learning(
            "ilp-handbook",
            "Improvement Leaders Programme handbook",
            "guide",
            "vmic",
            "What the programme covers, how the four modules fit together, and what to bring.",
            ["QI capability"],
            programme=PROGRAMME,
        )
    )
    events = [
        _learning(
            "falls-learning-day",
            "Falls prevention learning event: what worked on our wards",
            "event",
            "nvh",
            "Ward teams from North Vale Hospitals share their lying and standing blood "
            "pressure work, with time to plan your own test of change.",
            ["Falls prevention", "Care of older people"],
            booking=f"{booking}/falls-day",
            places=70,
            audience="Ward teams, therapists and falls leads",
            organiser="North Vale Hospitals falls team",
            **_session(today + timedelta(days=16), 9, 13, venue=_VENUES["nvh"], online="no"),
        ),
        _learning(
            "carers-discharge",
            "Carers' voices in discharge planning (online)",
            "event",
            "wcn",
            "Carers and discharge teams on involving carers before the day of discharge.",
            ["Unpaid carers", "Discharge"],
            audience="Discharge teams, ward staff and carers",
            organiser="Wyndham Carers Network",
            **_session(today + timedelta(days=29), 18, 19, online="yes"),
        ),
        _learning(
            "crisis-sharing-day",
            "Crisis alternatives sharing day",
            "event",
            "edc",
            "Safe havens, crisis cafés and evening drop-ins across Eastmoor and North Vale: "
            "what people in crisis told us, and what changed.",
            ["Mental health crisis", "Crisis alternatives"],
            booking=f"{booking}/crisis-day",
            places=50,
            organiser="Eastmoor District Council",
            **_session(today + timedelta(days=47), 10, 15, venue=_VENUES["edc"], online="no"),
        ),
        _learning(
            "sepsis-workshop",
            "Time to antibiotics: a sepsis improvement workshop",
            "training",
            "nvc",
            "Front-door teams work through screening, escalation and measurement.",
            ["Sepsis", "Deteriorating patient"],
            booking=f"{booking}/sepsis",
            places=24,
            audience="Emergency department and acute medicine teams",
            **_session(today + timedelta(days=62), 13, 16, venue=_VENUES["nvc"], online="hybrid"),
        ),
    ]
    return modules + events


_VENUES = {
    "vmic": "Vale House, Market Street, Harlow Fen",
    "edc": "Eastmoor District Council offices, Moorgate",
    "nvh": "Education Centre, North Vale General Hospital",
    "uoe": "University of Eastmoor, Moorgate Campus",
    "nvc": "Fellgate Community Hospital, seminar room 2",
}


# --- "go and see" ------------------------------------------------------------------------------


def _with(
    items: list[dict[str, Any]], key: str, extra: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The stream's items, those named in ``extra`` (by their ``key``) with its fields added."""
    return [{**item, **extra.get(str(item.get(key)), {})} for item in items]


def hospital_visits(today: date) -> dict[str, dict[str, Any]]:
    """North Vale Hospitals' falls team hosts visits to Ward 7 on set mornings."""
    mornings = [_weekday(today, 3, weeks) for weeks in (1, 5)]  # Thursdays
    return {
        "NVH-QI-0001": {
            "go_and_see": {
                "dates": [
                    {"from": _local(day, 10), "to": _local(day, 12), "places": 6}
                    for day in mornings
                ],
                "how": "E-mail the falls team with your name, role and the date you would "
                "like; we confirm within a week.",
                "link": "https://nv-hospitals.example/quality-improvement/visit-ward-7",
            }
        }
    }


def community_visits() -> dict[str, dict[str, Any]]:
    """The Harlow Fen crisis café welcomes visiting teams on request, outside opening hours."""
    return {
        "nvc-0003": {
            "goAndSee": {
                "onRequest": True,
                "howToArrange": "Ask the café's peer support lead through the trust's "
                "improvement hub; visits are on weekday afternoons, before the café opens.",
            }
        }
    }
