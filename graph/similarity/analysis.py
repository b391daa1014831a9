"""Project text -> terms: what two descriptions of the same work have in common.

Two partners describe one idea in different words, so text is brought to a common form before
it is compared: folded (lower case, no accents or punctuation), any phrase the topic vocabulary
knows replaced by its topic ("inpatient falls" and "falls reduction" both become the topic
``falls``), stop words, progress-report words and numbers dropped, and what is left stemmed
("discharges", "discharging" -> "discharg"). The project's own organisations
and systems, where the text names them, are no evidence of the work and are dropped too.
A rule stays only where it helps on text it was not written for (``python -m eval.harness``
on the report splits and the DBLP-ACM titles): abbreviations, ages and most everyday synonyms,
written for the demo region, were measured, did not help there and are gone.
Title words count double: a title says what a project is about more densely than its aim.
A project's main topics count three times a plain word: two projects on different problems
are not duplicates however alike their methods read. The main topics are those the partner
tagged, plus any narrower topic of those that the title names (a "crisis café" tagged "mental
health crisis" is mainly about crisis alternatives); with no tags, the topics the title names.
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
# How a project reports its progress says nothing about what it does ("results were presented
# at the board"): alike in every kind of project. Only the words that occur in the labelled
# data are kept, as a group: on the tune splits they help (see eval/harness.py).
_REPORTING_TEXT = """
change changes result results present collection written case study early cycles planning
sites site under way two quality
"""
STOP_WORDS = frozenset(_STOP_TEXT.split()) | frozenset(_REPORTING_TEXT.split())

# Everyday words that teams use interchangeably; keys and values are folded words. Of the
# many once listed, only this one helps on the report split (eval/harness.py).
WORD_SYNONYMS: dict[str, str] = {"overnight": "night"}

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
    "co designed",
    "co designing",
    "co production",
    "co produced",
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


@lru_cache(maxsize=200_000)
def _key_form(word: str) -> str:
    """A word as the vocabulary compares it: plural endings dropped (see topic_key)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


# What a system's name says besides its place ("North Vale Integrated Care System").
_SYSTEM_NAME_WORDS = frozenset(
    {"nhs", "integrated", "care", "system", "systems", "ics", "icb", "board", "partnership"}
    | {"and", "of", "the"}
)


def place_words(system_names: Iterable[str]) -> set[str]:
    """The place words of system names ("north", "vale"): the place signal scores being in
    the same system, so the same place named in two texts is not counted again as words."""
    return {w for name in system_names for w in fold(name).split()} - _SYSTEM_NAME_WORDS


@lru_cache(maxsize=4096)
def _phrase_index(phrases: frozenset[str]) -> dict[str, dict[tuple[str, ...], str]]:
    """Names (or any phrases) by their first word, in key form, so that matching at a word
    costs one lookup when no phrase starts there."""
    index: dict[str, dict[tuple[str, ...], str]] = {}
    for phrase in phrases:
        words = tuple(_key_form(w) for w in fold(phrase).split())
        if words:
            index.setdefault(words[0], {})[words] = phrase
    return index


def _match_at(keys: list[str], i: int, index: dict[str, dict[tuple[str, ...], str]]) -> int:
    """How many words from ``i`` spell a phrase of ``index`` (the longest); 0 when none."""
    starting = index.get(keys[i])
    if not starting:
        return 0
    return max((len(p) for p in starting if tuple(keys[i : i + len(p)]) == p), default=0)


@lru_cache(maxsize=200_000)
def _plain_term(word: str) -> str:
    word = WORD_SYNONYMS.get(word) or WORD_SYNONYMS.get(_key_form(word), word)
    if len(word) <= 1 or word.isdigit() or word in STOP_WORDS:
        return ""
    return stem(word)


def topic_term(topic_id: str) -> str:
    """The term a vocabulary topic becomes in text: only letters, digits and underscores."""
    return TOPIC_PREFIX + topic_id.replace("-", "_")


@dataclass(frozen=True)
class Analysis:
    """The terms of one project's text, with the words each came from (for explanations).

    ``title`` holds the distinct terms of the title alone, ``body`` those of the aim and
    summary: whether two projects agree beyond their titles is asked of these. ``spelling`` is
    the title's informative words run together (no stop words, no spaces), for the character
    signal that sees through typos and joined-up words.
    """

    counts: Counter[str]
    surface: dict[str, str]
    title: frozenset[str] = frozenset()
    body: frozenset[str] = frozenset()
    spelling: str = ""


class Analyzer:
    """Turns text into terms; built once from the vocabulary, then cheap to call."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.phrases: dict[tuple[str, ...], str] = {}
        self.labels: dict[str, str] = {}
        self.broader: dict[str, set[str]] = {}
        for method in METHOD_PHRASES:
            self.phrases[tuple(_key_form(w) for w in method.split())] = ""
        for topic in vocabulary.topics.values():
            term = topic_term(topic.id)
            self.labels[term] = topic.label.lower()
            self.broader[term] = {topic_term(b) for b in topic.broader}
            for spelling in (topic.label, *topic.synonyms, topic.id.replace("-", " ")):
                words = tuple(_key_form(w) for w in fold(spelling).split())
                if words and len(words) <= MAX_PHRASE_WORDS:
                    self.phrases.setdefault(words, term)
        self.starts: dict[str, dict[tuple[str, ...], str]] = {}
        for words, term in self.phrases.items():
            self.starts.setdefault(words[0], {})[words] = term

    def terms(self, text: str, names: Iterable[str] = ()) -> list[tuple[str, str]]:
        """(term, surface words) for each term of ``text``, in order.

        ``names`` (organisations, systems) are dropped where the text spells them out: a
        project naming its own trust says nothing about the work, and matching it would make
        every project of one organisation look alike.
        """
        words = fold(text).split()
        keys = [_key_form(w) for w in words]
        drop = _phrase_index(frozenset(names))
        found: list[tuple[str, str]] = []
        starts = self.starts
        i = 0
        while i < len(words):
            key = keys[i]  # most words start no name and no phrase: one lookup each, then on
            size = _match_at(keys, i, drop) if key in drop else 0
            if size:
                i += size
                continue
            size = _match_at(keys, i, starts) if key in starts else 0
            if size:
                term = self.phrases[tuple(keys[i : i + size])]
                if term:  # a method's name ("") is dropped
                    found.append((term, " ".join(words[i : i + size])))
                i += size
                continue
            word = _plain_term(words[i])
            if word:
                found.append((word, words[i]))
            i += 1
        return found

    def analyse(
        self, title: str, body: str, topics: Iterable[str] = (), names: Iterable[str] = ()
    ) -> Analysis:
        """Weighted term counts of a title, its aim or summary, and its tagged topic ids.

        The project's main topics count ``TOPIC_WEIGHT`` times: those it is tagged with and
        the narrower ones of those its title names, or when it has no tags, those its title
        names. Other topics mentioned count as words.
        """
        names = tuple(names)
        title_terms, body_terms = self.terms(title, names), self.terms(body, names)
        tagged = {topic_term(t) for t in topics} & self.labels.keys()
        named = {term for term, _ in title_terms if term in self.labels}
        main = (tagged | {t for t in named if self.broader[t] & tagged}) if tagged else named
        counts: Counter[str] = Counter()
        surface: dict[str, str] = {}
        for found, weight in ((title_terms, TITLE_WEIGHT), (body_terms, 1.0)):
            for term, words in found:
                counts[term] += weight * (TOPIC_WEIGHT if term in main else 1.0)
                surface.setdefault(term, words)
        for term in tagged:
            counts[term] += TITLE_WEIGHT * TOPIC_WEIGHT
        return Analysis(
            counts,
            surface,
            title=frozenset(term for term, _ in title_terms),
            body=frozenset(term for term, _ in body_terms),
            spelling="".join(words.replace(" ", "") for _, words in title_terms),
        )

    def display(self, term: str, analysis: Analysis) -> str:
        """How to name a term to a person: a topic's label, or the word as written."""
        return self.labels.get(term) or analysis.surface.get(term, term)
