"""Project text -> terms: what two descriptions of the same work have in common.

Two partners describe one idea in different words, so text is brought to a common form before
it is compared: folded (lower case, no accents or punctuation), any phrase the topic vocabulary
knows replaced by its topic ("inpatient falls" and "falls reduction" both become the topic
``falls``), everyday synonyms mapped to one word ("cut", "lower" -> "reduce"), stop words and
numbers dropped, and what is left stemmed ("discharges", "discharging" -> "discharg").
Title words count double: a title says what a project is about more densely than its aim.
A project's main topics (tagged by the partner, else named in its title) count three times a
plain word: two projects on different problems are not duplicates however alike their methods
read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from graph.normalise import fold
from graph.vocabulary import Vocabulary

TOPIC_PREFIX = "topic_"
TITLE_WEIGHT = 2.0
TOPIC_WEIGHT = 3.0
MAX_PHRASE_WORDS = 6
_KEEP_S = ("ss", "is", "us")

_STOP_TEXT = """
a about above across after again against all also am among amongst an and any are around as
at be because been before being below between both but by can could did do does doing down
during each etc few for from further had has have having he her here hers him his how i if in
into is it its itself just me more most my no nor not now of off on once only or other our ours
out over own per same she should so some such than that the their theirs them then there these
they this those through to too under until up upon very via was we were what when where which
while who whom why will with within without would you your less
aim aims aiming goal goals project projects programme programmes initiative initiatives work
working use using used new pilot piloting plan phase part year years month months week weeks
better whole approach approaches way ways local area areas team teams introduce introducing
introduced bring bringing brought test testing tested whether come coming help helping time
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# Everyday words that improvement teams use interchangeably; keys and values are folded words.
WORD_SYNONYMS: dict[str, str] = {
    "cut": "reduce",
    "cutting": "reduce",
    "cuts": "reduce",
    "lower": "reduce",
    "lowering": "reduce",
    "decrease": "reduce",
    "decreasing": "reduce",
    "fewer": "reduce",
    "minimise": "reduce",
    "minimising": "reduce",
    "minimize": "reduce",
    "reduction": "reduce",
    "reducing": "reduce",
    "tackle": "reduce",
    "tackling": "reduce",
    "prevent": "reduce",
    "prevents": "reduce",
    "avoid": "reduce",
    "avoiding": "reduce",
    "avoidable": "reduce",
    "preventing": "reduce",
    "prevention": "reduce",
    "enhance": "improve",
    "enhancing": "improve",
    "boost": "improve",
    "boosting": "improve",
    "raise": "improve",
    "raising": "improve",
    "elderly": "older",
    "frail": "older",
    "seniors": "older",
    "residents": "patients",
    "people": "patients",
    "users": "patients",
    "inpatient": "ward",
    "inpatients": "ward",
    "wards": "ward",
    "hospital": "ward",
    "hospitals": "ward",
    "admission": "admit",
    "admissions": "admit",
    "readmission": "admit",
    "readmissions": "admit",
    "ae": "emergency",
    "ed": "emergency",
    "gp": "practice",
    "gps": "practice",
    "surgeries": "practice",
    "checks": "review",
    "check": "review",
    "reviews": "review",
    "assessment": "review",
    "assessments": "review",
    "screening": "review",
    "home": "community",
    "homes": "community",
    "alert": "alarm",
    "alerts": "alarm",
    "alarms": "alarm",
    "overnight": "night",
    "nighttime": "night",
    "quicker": "faster",
    "quickly": "faster",
    "speed": "faster",
    "speeding": "faster",
    "delays": "wait",
    "delay": "wait",
    "waiting": "wait",
    "waits": "wait",
    "medication": "medicine",
    "medications": "medicine",
    "medicines": "medicine",
    "drugs": "medicine",
    "nurses": "staff",
    "nursing": "staff",
    "clinicians": "staff",
    "colleagues": "staff",
    "workforce": "staff",
}

# Improvement methods are scored as their own signal (shared methods), so their names, which
# descriptions often repeat ("a team is using PDSA and run charts"), are not text evidence.
METHOD_PHRASES = (
    "pdsa",
    "pdsa cycles",
    "plan do study act",
    "run charts",
    "spc charts",
    "statistical process control",
    "driver diagram",
    "process mapping",
    "lean",
    "kaizen",
    "six sigma",
    "model for improvement",
    "experience based co design",
    "co design",
    "co production",
    "audit and feedback",
    "human factors",
    "safety cross",
    "quality improvement",
    "qi",
)

_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def _key_form(word: str) -> str:
    """A word as the vocabulary compares it: plural endings dropped (see topic_key)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def topic_term(topic_id: str) -> str:
    """The term a vocabulary topic becomes in text: only letters, digits and underscores."""
    return TOPIC_PREFIX + topic_id.replace("-", "_")


@dataclass(frozen=True)
class Analysis:
    """The terms of one project's text, with the words each came from (for explanations)."""

    counts: Counter[str]
    surface: dict[str, str]


class Analyzer:
    """Turns text into terms; built once from the vocabulary, then cheap to call."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.phrases: dict[tuple[str, ...], str] = {}
        self.labels: dict[str, str] = {}
        for method in METHOD_PHRASES:
            self.phrases[tuple(_key_form(w) for w in method.split())] = ""
        for topic in vocabulary.topics.values():
            term = topic_term(topic.id)
            self.labels[term] = topic.label.lower()
            for spelling in (topic.label, *topic.synonyms, topic.id.replace("-", " ")):
                words = tuple(_key_form(w) for w in fold(spelling).split())
                if words and len(words) <= MAX_PHRASE_WORDS:
                    self.phrases.setdefault(words, term)

    def terms(self, text: str) -> list[tuple[str, str]]:
        """(term, surface words) for each term of ``text``, in order."""
        words = fold(text).split()
        keys = [_key_form(w) for w in words]
        found: list[tuple[str, str]] = []
        i = 0
        while i < len(words):
            for size in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
                term = self.phrases.get(tuple(keys[i : i + size]))
                if term is not None:
                    if term:  # a method's name ("") is dropped
                        found.append((term, " ".join(words[i : i + size])))
                    i += size
                    break
            else:
                word = WORD_SYNONYMS.get(words[i], words[i])
                if len(word) > 1 and not word.isdigit() and word not in STOP_WORDS:
                    found.append((stem(word), words[i]))
                i += 1
        return found

    def analyse(self, title: str, body: str, topics: Iterable[str] = ()) -> Analysis:
        """Weighted term counts of a title, its aim or summary, and its tagged topic ids.

        The project's main topics count ``TOPIC_WEIGHT`` times: those it is tagged with, or
        when it has no tags, those its title names. Other topics mentioned count as words.
        """
        title_terms, body_terms = self.terms(title), self.terms(body)
        tagged = {topic_term(t) for t in topics} & self.labels.keys()
        main = tagged or {term for term, _ in title_terms if term in self.labels}
        counts: Counter[str] = Counter()
        surface: dict[str, str] = {}
        for found, weight in ((title_terms, TITLE_WEIGHT), (body_terms, 1.0)):
            for term, words in found:
                counts[term] += weight * (TOPIC_WEIGHT if term in main else 1.0)
                surface.setdefault(term, words)
        for term in tagged:
            counts[term] += TITLE_WEIGHT * TOPIC_WEIGHT
        return Analysis(counts, surface)

    def display(self, term: str, analysis: Analysis) -> str:
        """How to name a term to a person: a topic's label, or the word as written."""
        return self.labels.get(term) or analysis.surface.get(term, term)
