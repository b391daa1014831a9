"""Normal forms of organisation names, and the kind of body a name says it is.

A name is folded (case, accents, punctuation, '&'), then abbreviations partners use are
spelled out token by token ("FT", "ICB", "MDC", "UA", "boro"...). The *core* of a name is what
is left once the words that only say what kind of body it is are set aside: "Mendip District
Council" and "Mendip" share the core "mendip", and so do "NHS Somerset ICB" and "NHS Somerset
Integrated Care Board". Which words are designators depends on the kind: "royal" and "london"
say nothing about a council ("Royal Borough of Greenwich") but name a trust ("Royal Free
London NHS Foundation Trust").
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.normalise import fold

# Organisation kinds as registers declare them (connectors.registers.REGISTER_KINDS).
TRUST = "trust"
ICB = "icb"
SUB_ICB = "sub_icb_location"
CCG = "ccg"
HEALTH_BOARD = "health_board"
GP_PRACTICE = "gp_practice"
COUNCIL = "council"
UNKNOWN = "unknown"

# Token by token; the expansion is itself normalised again (so "nhsft" -> "nhs foundation trust").
ABBREVIATIONS: dict[str, str] = {
    "ft": "foundation trust",
    "nhsft": "nhs foundation trust",
    "fdn": "foundation",
    "tr": "trust",
    "icb": "integrated care board",
    "ccg": "clinical commissioning group",
    "uhb": "university health board",
    "lhb": "local health board",
    "uh": "university hospitals",
    "uhs": "university hospitals",
    "univ": "university",
    "uni": "university",
    "hosp": "hospital",
    "hosps": "hospitals",
    "mdc": "metropolitan district council",
    "mbc": "metropolitan borough council",
    "bc": "borough council",
    "dc": "district council",
    "cc": "council",
    "ua": "unitary authority",
    "lb": "london borough",
    "rb": "royal borough",
    "boro": "borough",
    "cty": "county",
    "saint": "st",
    "street": "st",
    "rd": "road",
    "ctr": "centre",
    "cntr": "centre",
    "center": "centre",
    "med": "medical",
    "prac": "practice",
    "pract": "practice",
    "grp": "group",
    "hlth": "health",
}

_GENERIC = {"the", "of", "ltd", "limited"}
# Words that only say what kind of body a name is, by kind. What is left is the core.
DESIGNATORS: dict[str, frozenset[str]] = {
    COUNCIL: frozenset(
        _GENERIC
        | {"council", "borough", "district", "county", "city", "metropolitan", "unitary"}
        | {"authority", "london", "royal", "corporation", "comhairle"}
    ),
    TRUST: frozenset(_GENERIC | {"nhs", "foundation", "trust"}),
    ICB: frozenset(
        _GENERIC | {"nhs", "integrated", "care", "board", "clinical", "commissioning", "group"}
    ),
    HEALTH_BOARD: frozenset(_GENERIC | {"nhs", "university", "teaching", "local", "health"})
    | {"board"},
    GP_PRACTICE: frozenset(_GENERIC),
    UNKNOWN: frozenset(_GENERIC),
}
DESIGNATORS[SUB_ICB] = DESIGNATORS[ICB]
DESIGNATORS[CCG] = DESIGNATORS[ICB]

# Which kinds of known body a name of each kind may be (a council is never a trust).
COMPATIBLE: dict[str, frozenset[str]] = {
    COUNCIL: frozenset({COUNCIL}),
    TRUST: frozenset({TRUST}),
    ICB: frozenset({ICB, SUB_ICB, CCG}),
    HEALTH_BOARD: frozenset({HEALTH_BOARD}),
    GP_PRACTICE: frozenset({GP_PRACTICE}),
    "nhs": frozenset({TRUST, ICB, SUB_ICB, CCG, HEALTH_BOARD}),
}
KNOWN_KINDS = frozenset({TRUST, ICB, SUB_ICB, CCG, HEALTH_BOARD, GP_PRACTICE, COUNCIL})

_PHRASES: list[tuple[str, tuple[str, ...]]] = [
    (ICB, ("integrated", "care", "board")),
    (ICB, ("clinical", "commissioning", "group")),
    (HEALTH_BOARD, ("health", "board")),
    (COUNCIL, ("council",)),
    (COUNCIL, ("unitary", "authority")),
    (COUNCIL, ("london", "borough")),
    (COUNCIL, ("royal", "borough")),
    (COUNCIL, ("metropolitan", "borough")),
    (COUNCIL, ("metropolitan", "district")),
    (COUNCIL, ("corporation",)),
    (COUNCIL, ("comhairle",)),
    (TRUST, ("trust",)),
    (GP_PRACTICE, ("surgery",)),
    (GP_PRACTICE, ("medical", "centre")),
    (GP_PRACTICE, ("medical", "practice")),
    (GP_PRACTICE, ("health", "centre")),
    (GP_PRACTICE, ("medical", "group")),
    (GP_PRACTICE, ("practice",)),
    # Weaker words, read only when nothing above spoke: "City Hospitals Sunderland" is some
    # NHS body; "Basildon District" and "County Durham" are councils.
    ("nhs", ("hospital",)),
    ("nhs", ("hospitals",)),
    ("nhs", ("healthcare",)),
    (COUNCIL, ("borough",)),
    (COUNCIL, ("district",)),
    (COUNCIL, ("county",)),
    (COUNCIL, ("city",)),
]


@dataclass(frozen=True)
class NameForms:
    """One name, normalised: its tokens, what kind it says it is, and its core by kind."""

    tokens: tuple[str, ...]
    kind: str  # a kind, "nhs" (some NHS body), or UNKNOWN

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def core(self, kind: str) -> str:
        """The name without the words that only say it is a body of ``kind``."""
        designators = DESIGNATORS.get(kind, DESIGNATORS[UNKNOWN])
        kept = [token for token in self.tokens if token not in designators]
        return " ".join(kept) if kept else self.text

    def compatible(self) -> frozenset[str] | None:
        """Kinds of known body this name may be; None when the name does not say."""
        return COMPATIBLE.get(self.kind)


# Kind words, so that a slip of the keyboard in one ("Foundaton Trust", "Councl") is read as
# the word: only these are corrected, never a place or a name.
_KIND_WORDS = frozenset(
    {"council", "borough", "district", "county", "metropolitan", "unitary", "authority"}
    | {"foundation", "trust", "integrated", "board", "clinical", "commissioning", "group"}
    | {"university", "hospitals", "hospital", "surgery", "medical", "centre", "practice"}
    | {"london"}
)


def _deletion_keys(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


_KIND_WORD_KEYS: dict[str, str] = {
    key: word for word in sorted(_KIND_WORDS) for key in _deletion_keys(word)
}


def _corrected(token: str) -> str:
    """A token one slip away from exactly one kind word is that word ('truust' -> 'trust')."""
    if token in _KIND_WORDS or len(token) < 4 or not token.isalpha():
        return token
    found = {_KIND_WORD_KEYS[key] for key in _deletion_keys(token) if key in _KIND_WORD_KEYS}
    return found.pop() if len(found) == 1 else token


def tokens_of(name: str) -> tuple[str, ...]:
    """Folded tokens with abbreviations spelled out: 'Bradford MDC' -> bradford metropolitan..."""
    out: list[str] = []
    for token in (_corrected(t) for t in fold(name).split()):
        expansion = ABBREVIATIONS.get(token)
        if expansion is None:
            out.append(token)
        else:
            out.extend(ABBREVIATIONS.get(part, part) for part in expansion.split())
    return tuple(out)


def kind_of(tokens: tuple[str, ...]) -> str:
    """The kind a name declares by its words: 'X District Council' is a council."""
    joined = f" {' '.join(tokens)} "
    for kind, phrase in _PHRASES:
        if f" {' '.join(phrase)} " in joined:
            return kind
    if "nhs" in tokens:
        return "nhs"
    return UNKNOWN


def forms(name: str, declared_kind: str | None = None) -> NameForms:
    """The normal forms of ``name``; a register's ``declared_kind`` wins over the words."""
    tokens = tokens_of(name)
    kind = declared_kind if declared_kind in KNOWN_KINDS else kind_of(tokens)
    return NameForms(tokens, kind)
