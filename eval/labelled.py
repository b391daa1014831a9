"""A labelled set of project pairs for the similarity engine, from a documented generator.

Every project realises one *idea*: a topic (falls, sepsis, discharge...), an intervention (bed
sensors, a medication review...), a setting (acute wards, care homes...) and a population
(older people, children...). Each part has several wordings, and titles and aims have several
templates, so two projects of one idea rarely read alike word for word.

The set, from a fixed seed:

Two projects duplicate each other when they do the same work: the same topic and the same
intervention, whatever the wording (setting and population may differ). Every family below
uses its own (topic, intervention), so no pair duplicates another by accident.

- **paraphrased titles** (positive): one idea twice, at two organisations, with the title
  reworded (synonyms of the topic, another wording of the intervention, another template).
- **same aim in different words** (positive): one idea twice, with the aim written from a
  different template and different wordings, and a different title template too.
- **collaborations** (positive for similarity, but kind ``collaboration``): one idea twice, the
  two projects sharing a person; the harness checks these are not reported as duplicates.
- **same topic, different aim** (negative): the same topic, a different intervention, setting
  and population.
- **near misses** (negative): three of the four parts alike and one different (the
  intervention, or the topic), the hardest negatives.
- **background** (negative): single projects of other ideas.

Context (organisation, system, dates, methods, topic tags) is drawn from the same
distribution for positives and negatives, so it cannot give a label away. Places,
organisations and people are invented.

Two splits (``SPLITS``): ``tune``, from which thresholds and weights may be chosen, words its
topics with the vocabulary's own labels and synonyms (``TOPICS``); ``report``, which is only
measured, has its own seed and words its topics as partners might without knowing the
vocabulary (``REPORT_WORDINGS``, none of them a label or synonym of graph/vocabulary.yaml).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from graph.similarity.profiles import ProjectProfile, method_key

SEED = 2024
SPLITS = {"tune": 2024, "report": 7919}  # split -> seed

TOPICS: dict[str, tuple[str, list[str]]] = {
    "falls": (
        "Falls prevention",
        ["falls", "inpatient falls", "falls reduction", "fall prevention"],
    ),
    "sepsis": ("Sepsis", ["sepsis", "sepsis recognition", "sepsis screening"]),
    "pressure-ulcers": (
        "Pressure ulcers",
        ["pressure ulcers", "pressure injuries", "pressure damage"],
    ),
    "discharge": ("Discharge", ["hospital discharge", "discharge planning", "delayed discharge"]),
    "delirium": ("Delirium", ["delirium", "acute confusion", "delirium screening"]),
    "medicines-safety": (
        "Medicines safety",
        ["medication errors", "medicines safety", "medication safety"],
    ),
    "diabetes": ("Diabetes", ["type 2 diabetes", "diabetes", "diabetic foot"]),
    "respiratory": ("Respiratory", ["copd", "asthma", "pulmonary rehabilitation"]),
    "dementia": ("Dementia", ["dementia", "dementia care", "memory services"]),
    "smoking-cessation": ("Smoking cessation", ["smoking", "stop smoking", "tobacco dependency"]),
    "mental-health-crisis": (
        "Mental health crisis",
        ["mental health crisis", "crisis care", "crisis support"],
    ),
    "end-of-life": (
        "End of life care",
        ["end of life care", "palliative care", "advance care planning"],
    ),
    "nutrition-hydration": ("Nutrition and hydration", ["malnutrition", "hydration", "nutrition"]),
    "infection-prevention": (
        "Infection prevention and control",
        ["infection control", "hospital acquired infection", "hand hygiene"],
    ),
    "staff-wellbeing": ("Staff wellbeing", ["staff wellbeing", "burnout", "workforce wellbeing"]),
}

# How the report split words each topic: plain words, none a vocabulary label or synonym.
REPORT_WORDINGS: dict[str, list[str]] = {
    "falls": ["patients falling", "falls causing injury", "fall-related harm"],
    "sepsis": ["suspected sepsis", "septic patients", "deaths from sepsis"],
    "pressure-ulcers": ["bed sores", "pressure sores", "skin breakdown"],
    "discharge": ["leaving hospital", "delays going home", "getting patients home"],
    "delirium": ["confusion in older patients", "delirium in hospital", "sudden confusion"],
    "medicines-safety": ["drug errors", "prescribing mistakes", "medicine-related harm"],
    "diabetes": ["high blood sugar", "diabetes care", "people living with diabetes"],
    "respiratory": ["breathlessness", "chest conditions", "lung disease"],
    "dementia": ["memory loss", "people living with dementia", "cognitive impairment"],
    "smoking-cessation": ["quitting smoking", "tobacco use", "smokers"],
    "mental-health-crisis": [
        "acute mental distress",
        "psychiatric emergencies",
        "mental health emergencies",
    ],
    "end-of-life": ["dying well", "the last months of life", "care at the end of life"],
    "nutrition-hydration": ["eating and drinking", "weight loss in hospital", "dehydration"],
    "infection-prevention": [
        "healthcare infections",
        "catching infections in hospital",
        "gloves and handwashing",
    ],
    "staff-wellbeing": ["staff stress", "exhausted staff", "nurse burnout"],
}

INTERVENTIONS: list[list[str]] = [
    ["bed sensors at night", "night-time bed sensor alarms", "overnight movement sensors"],
    [
        "a pharmacist-led medication review",
        "medicine reviews by pharmacists",
        "pharmacist medication checks",
    ],
    ["a daily safety huddle", "short daily safety briefings", "daily huddles on safety"],
    ["a nurse-led screening checklist", "a checklist used by nurses", "nurse checklist screening"],
    ["a live digital dashboard", "real-time dashboards of data", "a digital data dashboard"],
    [
        "patient education leaflets",
        "information leaflets for patients",
        "written advice for patients",
    ],
    ["volunteer befrienders", "befriending by volunteers", "trained volunteer befriending"],
    ["text message reminders", "SMS reminders", "reminders sent by text message"],
    ["a rapid response team", "a rapid response service", "a team that responds rapidly"],
    ["peer support groups", "groups for peer support", "support groups led by peers"],
    ["a virtual clinic", "virtual clinic appointments", "video consultations in a virtual clinic"],
    [
        "simulation training for staff",
        "simulation-based staff training",
        "staff simulation sessions",
    ],
    ["a specialist link worker", "link workers with specialist skills", "specialist link workers"],
    ["intentional rounding", "regular intentional rounds", "hourly intentional rounding"],
    ["a falls and frailty exercise class", "strength and balance classes", "exercise classes"],
    ["a discharge coordinator", "a coordinator for discharges", "discharge coordination roles"],
    ["a red bag scheme", "red bags that travel with the patient", "the red bag transfer scheme"],
    ["a hydration trolley", "drinks trolley rounds", "a trolley offering drinks"],
    [
        "an electronic early warning tool",
        "electronic early warning scores",
        "an e-observations tool",
    ],
    ["a peer review audit", "audits with peer review", "peer-reviewed audit cycles"],
    [
        "a wellbeing hub for staff",
        "a staff wellbeing hub",
        "a hub where staff get wellbeing support",
    ],
    ["a telephone triage line", "triage by telephone", "a phone line for triage"],
    [
        "a specialist nurse outreach team",
        "outreach by specialist nurses",
        "nurse specialist outreach",
    ],
    ["a care bundle", "a bundle of care steps", "a standard care bundle"],
    ["a home visiting service", "visits at home", "home visits by a specialist team"],
]

SETTINGS: list[list[str]] = [
    ["on acute wards", "in hospital wards", "on inpatient wards"],
    ["in care homes", "in residential care homes", "in nursing homes"],
    ["in the community", "in community settings", "closer to home"],
    ["in the emergency department", "in A&E", "in emergency care"],
    ["across general practice", "in GP practices", "in primary care"],
    ["in mental health units", "on mental health wards", "in psychiatric inpatient units"],
]

POPULATIONS: list[list[str]] = [
    ["older people", "elderly patients", "people over 75"],
    ["children and young people", "young people", "children"],
    [
        "adults with learning disabilities",
        "people with a learning disability",
        "adults with learning disability",
    ],
    ["people experiencing homelessness", "rough sleepers", "homeless people"],
    ["new mothers", "women after birth", "postnatal women"],
    ["working-age adults", "adults of working age", "people in work"],
]

VERBS = [
    ("Reducing", "reduce"),
    ("Cutting", "cut"),
    ("Preventing", "prevent"),
    ("Tackling", "tackle"),
]

TITLE_TEMPLATES = [
    "{Verb} {topic} {setting} with {intervention}",
    "{Intervention} to {verb} {topic} among {population}",
    "{Topic_cap}: {intervention} for {population} {setting}",
    "{Verb} {topic} for {population} through {intervention}",
]
AIM_TEMPLATES = [
    "To {verb} {topic} among {population} {setting} by introducing {intervention}.",
    "We will introduce {intervention} so that {population} {setting} come to less harm "
    "from {topic}.",
    "Testing whether {intervention} can {verb} {topic} for {population} {setting}.",
    "Our team is bringing in {intervention} {setting}; the goal is to {verb} {topic} "
    "for {population}.",
]

METHODS = ["PDSA", "Driver diagram", "SPC charts", "Process mapping", "Lean", "Co-design"]
SYSTEMS = {
    "sys-north": ("North Vale ICS", ["sys-east"]),
    "sys-east": ("Eastmoor ICS", ["sys-north"]),
    "sys-west": ("Westbrook ICS", []),
}
ORGS = [(f"org-{i}", f"Invented Trust {i}", list(SYSTEMS)[i % 3]) for i in range(24)]


@dataclass(frozen=True)
class Idea:
    topic: str
    intervention: int
    setting: int
    population: int

    @property
    def work(self) -> tuple[str, int]:
        """What is done about what: two projects alike in this duplicate each other."""
        return self.topic, self.intervention


@dataclass
class LabelledSet:
    """Projects (as profiles), the idea each realises, and how each planted pair was made."""

    profiles: list[ProjectProfile] = field(default_factory=list)
    idea_of: dict[str, Idea] = field(default_factory=dict)
    planted: dict[tuple[str, str], str] = field(default_factory=dict)  # pair -> family

    def is_duplicate(self, a: str, b: str) -> bool:
        return self.idea_of[a].work == self.idea_of[b].work


class Writer:
    def __init__(self, rng: random.Random, wordings: dict[str, list[str]] | None = None) -> None:
        self.rng = rng
        self.count = 0
        self.wordings = wordings or {topic: words for topic, (_, words) in TOPICS.items()}

    def words(self, idea: Idea) -> dict[str, str]:
        rng = self.rng
        topic = rng.choice(self.wordings[idea.topic])
        verb_ing, verb = rng.choice(VERBS)
        intervention = rng.choice(INTERVENTIONS[idea.intervention])
        return {
            "topic": topic,
            "Topic_cap": topic[0].upper() + topic[1:],
            "Verb": verb_ing,
            "verb": verb,
            "intervention": intervention,
            "Intervention": intervention[0].upper() + intervention[1:],
            "setting": rng.choice(SETTINGS[idea.setting]),
            "population": rng.choice(POPULATIONS[idea.population]),
        }

    def project(
        self,
        idea: Idea,
        *,
        title_template: int | None = None,
        aim_template: int | None = None,
        org: tuple[str, str, str] | None = None,
        start: date | None = None,
        people: dict[str, str] | None = None,
    ) -> ProjectProfile:
        rng = self.rng
        self.count += 1
        title_words, aim_words = self.words(idea), self.words(idea)
        t = title_template if title_template is not None else rng.randrange(len(TITLE_TEMPLATES))
        a = aim_template if aim_template is not None else rng.randrange(len(AIM_TEMPLATES))
        org_id, org_name, system = org or rng.choice(ORGS)
        system_name, neighbours = SYSTEMS[system]
        start = start or date(2021, 1, 1) + timedelta(days=rng.randrange(1500))
        methods = rng.sample(METHODS, 2)
        label = TOPICS[idea.topic][0]
        tagged = {idea.topic: label} if rng.random() < 0.8 else {}
        return ProjectProfile(
            id=f"eval:{self.count:05d}",
            title=TITLE_TEMPLATES[t].format(**title_words),
            body=AIM_TEMPLATES[a].format(**aim_words),
            start=start,
            end=start + timedelta(days=rng.choice([365, 540, 730])),
            methods=frozenset(method_key(m) for m in methods),
            method_names={method_key(m): m for m in methods},
            topics=tagged,
            broader=frozenset(),
            leads={org_id: org_name},
            systems={system: system_name},
            neighbours=frozenset(neighbours),
            people=people or {f"person:{self.count}": f"Invented Person {self.count}"},
        )


def _random_idea(rng: random.Random) -> Idea:
    return Idea(
        rng.choice(list(TOPICS)),
        rng.randrange(len(INTERVENTIONS)),
        rng.randrange(len(SETTINGS)),
        rng.randrange(len(POPULATIONS)),
    )


def split(name: str) -> LabelledSet:
    """The ``tune`` or ``report`` split (see the module's docstring)."""
    if name not in SPLITS:
        raise ValueError(f"unknown split {name!r}; expected one of {', '.join(SPLITS)}")
    return generate(seed=SPLITS[name], wordings=REPORT_WORDINGS if name == "report" else None)


def generate(
    *,
    seed: int = SEED,
    wordings: dict[str, list[str]] | None = None,
    paraphrased_titles: int = 50,
    different_words: int = 50,
    collaborations: int = 10,
    same_topic: int = 25,
    near_misses: int = 40,
    background: int = 120,
) -> LabelledSet:
    """The labelled set; the same seed and sizes always give the same set."""
    needed = paraphrased_titles + different_words + collaborations
    needed += 2 * (same_topic + near_misses) + background
    if needed > len(TOPICS) * len(INTERVENTIONS) - 10:
        raise ValueError(f"{needed} kinds of work asked for; there are only enough for fewer")
    rng = random.Random(seed)
    writer = Writer(rng, wordings)
    out = LabelledSet()
    used: set[tuple[str, int]] = set()  # (topic, intervention): the work, not the place

    def fresh() -> Idea:
        while True:
            idea = _random_idea(rng)
            if idea.work not in used:
                used.add(idea.work)
                return idea

    def add(profile: ProjectProfile, idea: Idea) -> ProjectProfile:
        out.profiles.append(profile)
        out.idea_of[profile.id] = idea
        return profile

    def plant(first: ProjectProfile, second: ProjectProfile, family: str) -> None:
        out.planted[tuple(sorted((first.id, second.id)))] = family  # type: ignore[index]

    def two_orgs() -> tuple[tuple[str, str, str], tuple[str, str, str]]:
        first, second = rng.sample(ORGS, 2)
        return first, second

    for _ in range(paraphrased_titles):
        idea, (o1, o2) = fresh(), two_orgs()
        t1, t2 = rng.sample(range(len(TITLE_TEMPLATES)), 2)
        aim = rng.randrange(len(AIM_TEMPLATES))
        a = add(writer.project(idea, title_template=t1, aim_template=aim, org=o1), idea)
        b = add(writer.project(idea, title_template=t2, aim_template=aim, org=o2), idea)
        plant(a, b, "paraphrased title")
    for _ in range(different_words):
        idea, (o1, o2) = fresh(), two_orgs()
        t1, t2 = rng.sample(range(len(TITLE_TEMPLATES)), 2)
        a1, a2 = rng.sample(range(len(AIM_TEMPLATES)), 2)
        a = add(writer.project(idea, title_template=t1, aim_template=a1, org=o1), idea)
        b = add(writer.project(idea, title_template=t2, aim_template=a2, org=o2), idea)
        plant(a, b, "same aim in different words")
    for i in range(collaborations):
        idea, (o1, o2) = fresh(), two_orgs()
        shared = {f"person:shared-{i}": f"Shared Person {i}"}
        a = add(writer.project(idea, org=o1, people=shared), idea)
        b = add(writer.project(idea, org=o2, people=shared), idea)
        plant(a, b, "collaboration")
    for _ in range(same_topic):
        first = fresh()
        while True:
            second = Idea(
                first.topic,
                rng.randrange(len(INTERVENTIONS)),
                rng.randrange(len(SETTINGS)),
                rng.randrange(len(POPULATIONS)),
            )
            differs = (
                second.intervention != first.intervention
                and second.setting != first.setting
                and second.population != first.population
            )
            if differs and second.work not in used:
                used.add(second.work)
                break
        plant(add(writer.project(first), first), add(writer.project(second), second), "same topic")
    for i in range(near_misses):
        first = fresh()
        while True:
            if i % 2 == 0:
                second = Idea(
                    first.topic,
                    rng.randrange(len(INTERVENTIONS)),
                    first.setting,
                    first.population,
                )
            else:
                second = Idea(
                    rng.choice(list(TOPICS)), first.intervention, first.setting, first.population
                )
            if second.work not in used:
                used.add(second.work)
                break
        plant(add(writer.project(first), first), add(writer.project(second), second), "near miss")
    for _ in range(background):
        idea = fresh()
        add(writer.project(idea), idea)
    return out
