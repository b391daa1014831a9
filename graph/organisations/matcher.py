"""Which known organisation a name means: one explainable rule at a time, or none.

Rules, strongest first, each among known bodies of a kind the name allows (a name with
"council" is never a trust) and never a body this source's name was split from:

- ``normalised_name``: the same words once abbreviations are spelled out ("NHS FT", "&").
- ``former_name``: a name the body had before (a rename, or a body merged into it).
- ``core_name``: the same core once kind words are set aside ("Mendip" = "Mendip District
  Council"); ``ccg_to_icb`` when a CCG's name meets the ICB that took its work in 2022.
- ``fuzzy_name``: a core within a typo of one body's core (slips inside long words only),
  clearly nearer than any other;
  only for a name that says what kind of body it is ("...Council", "...NHS Trust").

A rule that finds two bodies stops the search: the name stays apart, marked ``ambiguous``
with its candidates for a person to review. Nothing compares a name with every known body:
exact forms are dictionary look-ups, and typos are looked for only among bodies sharing a core
token, or a token one deletion away (a deletion neighbourhood index).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from graph.organisations.names import (
    ICB,
    KNOWN_KINDS,
    SUB_ICB,
    UNKNOWN,
    NameForms,
    forms,
)

# Tuned on the tune split of eval/organisations only: 80 let "Melton" become "Merton", 90 left
# a third more typos apart. A slip in a word of seven letters scores about 86.
FUZZY_THRESHOLD = 85.0
FUZZY_MARGIN = 4.0
FUZZY_MIN_LENGTH = 5
# A token that names more bodies than this ("north", "hospitals") does not narrow the search.
_BLOCK_LIMIT = 400

AMBIGUOUS = "ambiguous"
NEW = "new"


@dataclass(frozen=True)
class Decision:
    """What a name resolved to, by which rule, how sure, and what else it could have been."""

    rule: str
    id: str | None = None
    score: float = 0.0
    candidates: tuple[str, ...] = ()

    @property
    def merged(self) -> bool:
        return self.id is not None


@dataclass
class _Known:
    kind: str = UNKNOWN
    code: str | None = None
    cores: set[tuple[str, bool]] = field(default_factory=set)  # (core, is a former name)


class NameMatcher:
    """Known organisations by normal form, core and token; grown as a pull resolves."""

    def __init__(
        self,
        *,
        fuzzy_threshold: float = FUZZY_THRESHOLD,
        fuzzy_margin: float = FUZZY_MARGIN,
    ) -> None:
        self.fuzzy_threshold = fuzzy_threshold
        self.fuzzy_margin = fuzzy_margin
        self.known: dict[str, _Known] = {}
        self.by_text: dict[str, set[tuple[str, bool]]] = defaultdict(set)
        self.by_core: dict[tuple[str, str], set[tuple[str, bool]]] = defaultdict(set)
        self.by_token: dict[str, set[str]] = defaultdict(set)
        self.by_deletion: dict[str, set[str]] = defaultdict(set)

    def add(
        self,
        org_id: str,
        names: Iterable[str],
        *,
        kind: str | None = None,
        code: str | None = None,
        former: Iterable[str] = (),
    ) -> None:
        """Know ``org_id`` by its names and former names (kind from the register or words)."""
        known = self.known.setdefault(org_id, _Known())
        if code and not known.code:
            known.code = code
        named = [(forms(name, kind), False) for name in names if name]
        named += [(forms(name, kind), True) for name in former if name]
        if known.kind == UNKNOWN:
            declared = kind if kind in KNOWN_KINDS else None
            detected = [f.kind for f, _ in named if f.kind in KNOWN_KINDS]
            known.kind = declared or (detected[0] if detected else UNKNOWN)
        for name_forms, is_former in named:
            core = name_forms.core(known.kind)
            self.by_text[name_forms.text].add((org_id, is_former))
            self.by_core[(known.kind, core)].add((org_id, is_former))
            known.cores.add((core, is_former))
            for token in set(core.split()):
                self._index_token(org_id, token)

    def _index_token(self, org_id: str, token: str) -> None:
        self.by_token[token].add(org_id)
        for key in _deletions(token):
            self.by_deletion[key].add(token)

    def match(
        self,
        name: str,
        *,
        kind: str | None = None,
        code: str | None = None,
        exclude: Collection[str] = (),
    ) -> Decision:
        """The one known body ``name`` means, or why none (``new`` or ``ambiguous``)."""
        query = forms(name, kind)
        allowed = query.compatible()

        def usable(org_id: str) -> bool:
            known = self.known[org_id]
            if org_id in exclude:
                return False
            if code and known.code and known.code != code:
                return False
            return allowed is None or known.kind == UNKNOWN or known.kind in allowed

        hits = {(i, f) for i, f in self.by_text.get(query.text, ()) if usable(i)}
        decision = self._decide(hits, "normalised_name", 1.0, query)
        if decision is not None:
            return decision
        hits = set()
        for org_kind in _kinds_to_try(allowed):
            # A name that does not say what it is keeps every word: "Royal Wolverhampton" is
            # not "Wolverhampton" (a council) with "royal" set aside as a council's word.
            core = query.core(org_kind if allowed is not None else UNKNOWN)
            hits |= {(i, f) for i, f in self.by_core.get((org_kind, core), ()) if usable(i)}
        decision = self._decide(hits, "core_name", 0.95, query)
        if decision is not None:
            return decision
        if allowed is None:  # a typo is only looked for where the name says what it is
            return Decision(NEW)
        return self._fuzzy(query, allowed, usable)

    def _decide(
        self, hits: set[tuple[str, bool]], rule: str, score: float, query: NameForms
    ) -> Decision | None:
        ids = sorted({org_id for org_id, _ in hits})
        if not ids:
            return None
        if len(ids) > 1:
            return Decision(AMBIGUOUS, None, score, tuple(ids))
        org_id = ids[0]
        if all(is_former for _, is_former in hits):
            rule = "former_name"
        elif "commissioning" in query.tokens and self.known[org_id].kind in (ICB, SUB_ICB):
            rule = "ccg_to_icb"
        return Decision(rule, org_id, score, (org_id,))

    def _fuzzy(self, query: NameForms, allowed: frozenset[str] | None, usable: object) -> Decision:
        scores: dict[str, float] = {}
        for org_id in self._block(query, allowed):
            if not usable(org_id):  # type: ignore[operator]
                continue
            known = self.known[org_id]
            wanted = query.core(known.kind)
            if len(wanted) < FUZZY_MIN_LENGTH:
                continue
            best = max(_typo_score(wanted, core) for core, _ in known.cores)
            if best:
                scores[org_id] = best
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        if not ranked or ranked[0][1] < self.fuzzy_threshold:
            return Decision(NEW)
        best_id, best = ranked[0]
        close = [org_id for org_id, score in ranked if best - score < self.fuzzy_margin]
        if len(close) > 1:
            return Decision(AMBIGUOUS, None, best / 100, tuple(sorted(close)))
        return Decision("fuzzy_name", best_id, round(best / 100, 3), (best_id,))

    def _block(self, query: NameForms, allowed: frozenset[str] | None) -> set[str]:
        """Bodies sharing a core token with the name, or a token one deletion away."""
        tokens = {t for k in _kinds_to_try(allowed) for t in query.core(k).split()}
        found: set[str] = set()
        for token in tokens:
            near = {token}
            for key in _deletions(token):
                near |= self.by_deletion.get(key, set())
            for other in near:
                posting = self.by_token.get(other, set())
                if len(posting) <= _BLOCK_LIMIT:
                    found |= posting
        return found


def _typo_score(wanted: str, core: str) -> float:
    """How alike two cores are (0-100) when they differ only by slips inside long words.

    Word by word, in order: equal, or both of five letters or more and at most two edits
    apart (a swap of neighbours is one edit). "East Lothian" is never a typo of "West
    Lothian": short words must be exact.
    """
    words, known = wanted.split(), core.split()
    if len(words) != len(known):
        return 0.0
    for word, other in zip(words, known, strict=True):
        if word == other:
            continue
        if min(len(word), len(other)) < FUZZY_MIN_LENGTH or OSA.distance(word, other) > 2:
            return 0.0
        if word.rstrip("s") == other.rstrip("s"):  # "Hospital" (a site), "Hospitals" (a trust)
            return 0.0
    return 100 * OSA.normalized_similarity(wanted, core)


def _kinds_to_try(allowed: frozenset[str] | None) -> list[str]:
    kinds = sorted(allowed) if allowed is not None else sorted(KNOWN_KINDS)
    return [*kinds, UNKNOWN]


def _deletions(token: str) -> set[str]:
    """The token and every form of it with one letter deleted (tokens of four or more)."""
    if len(token) < 4:
        return {token}
    return {token} | {token[:i] + token[i + 1 :] for i in range(len(token))}
