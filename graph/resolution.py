"""Entity resolution: deciding which records describe the same organisation or person.

Every decision names its rule, and ambiguity keeps records apart: a wrong merge shows one
person's work under another's name, a missed merge only shows them twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import LiteralString

from rapidfuzz import fuzz

from connectors.records import OrganisationRecord, PersonRecord
from graph.database import Graph
from graph.normalise import organisation_key, person_key, slug
from graph.organisations.matcher import AMBIGUOUS, NEW, Decision, NameMatcher

# Names compared after normal form (honorifics dropped, words sorted): only spelling noise
# such as a missing hyphen or accent passes; 'Jane Smith' and 'Jane Smyth' stay two people.
PERSON_NAME_THRESHOLD = 96.0


@dataclass(frozen=True)
class Match:
    id: str
    rule: str
    score: float = 1.0


@dataclass(frozen=True)
class NameDecision:
    """How one source's spelling of an organisation was resolved, for explaining and splitting."""

    key: str
    name: str
    rule: str
    organisation: str
    score: float
    candidates: tuple[str, ...] = ()


@dataclass
class OrganisationIndex:
    """Known organisations by ODS code and by name, grown as a batch resolves.

    A name without a known code goes through the exact name and alias table first, then
    through ``matcher`` (abbreviations, former names, kinds, typos; see
    graph/organisations/matcher.py). ``splits`` holds the names this source was told are not
    the organisation they resolved to; ``decisions`` records every resolution by name.
    """

    aliases: Mapping[str, str]
    by_ods: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    ods_of: dict[str, str | None] = field(default_factory=dict)
    matcher: NameMatcher = field(default_factory=NameMatcher)
    source: str | None = None
    splits: dict[str, set[str]] = field(default_factory=dict)
    decisions: dict[str, NameDecision] = field(default_factory=dict)
    shared: set[str] = field(default_factory=set)
    """Name keys of two or more bodies with different codes: a name alone cannot say which."""

    def canonical_key(self, name: str) -> tuple[str, bool]:
        key = organisation_key(name)
        alias = self.aliases.get(key)
        return (organisation_key(alias), True) if alias else (key, False)

    def find(
        self, name: str | None, ods_code: str | None, kind: str | None = None
    ) -> tuple[Match | None, Decision]:
        """The known organisation these details point at, without changing the index."""
        if ods_code and ods_code in self.by_ods:
            return Match(self.by_ods[ods_code], "ods_code"), Decision("ods_code")
        key, via_alias = self.canonical_key(name) if name else ("", False)
        barred = self.splits.get(key, set())
        if key and key in self.by_name and (key not in self.shared or ods_code):
            found = self.by_name[key]
            known_ods = self.ods_of.get(found)
            if found not in barred and not (ods_code and known_ods and known_ods != ods_code):
                return Match(found, "alias" if via_alias else "name"), Decision("name", found)
        if not name:
            return None, Decision(NEW)
        decision = self.matcher.match(name, kind=kind, code=ods_code, exclude=barred)
        if decision.id is None:
            return None, decision
        return Match(decision.id, decision.rule, decision.score), decision

    def resolve(self, name: str | None, ods_code: str | None, kind: str | None = None) -> Match:
        """The organisation these details point at, creating its id when none is known."""
        key = self.canonical_key(name)[0] if name else ""
        found, decision = self.find(name, ods_code, kind)
        if found is not None:
            self.remember(found.id, key, ods_code)
            if found.rule == "ods_code":
                return found
            return self._decided(key, name, found, decision.candidates)
        barred = self.splits.get(key, set())
        new_id = f"ods:{ods_code}" if ods_code else f"org:{slug(key)}"
        if new_id in barred:  # the name was split from the organisation its slug names
            new_id = f"{new_id}:{self.source}"
        self.remember(new_id, key, ods_code)
        self.matcher.add(new_id, [name] if name else [], kind=kind, code=ods_code)
        rule = AMBIGUOUS if decision.rule == AMBIGUOUS else "split" if barred else "new"
        match = Match(new_id, rule, decision.score)
        return self._decided(key, name, match, decision.candidates)

    def _decided(
        self, key: str, name: str | None, match: Match, candidates: tuple[str, ...] = ()
    ) -> Match:
        if name and match.rule != "new":
            self.decisions[key] = NameDecision(
                key, name, match.rule, match.id, match.score, candidates
            )
        return match

    def remember(self, org_id: str, key: str, ods_code: str | None) -> None:
        if key:
            first = self.by_name.setdefault(key, org_id)
            if first != org_id and ods_code and self.ods_of.get(first) not in (None, ods_code):
                self.shared.add(key)
        if ods_code:
            self.by_ods.setdefault(ods_code, org_id)
            self.ods_of[org_id] = ods_code
        else:
            self.ods_of.setdefault(org_id, None)

    def learn(self, org_id: str, record: OrganisationRecord) -> None:
        """Know an organisation record's names, former names and former codes from now on."""
        for code in record.former_codes:
            self.by_ods.setdefault(code, org_id)
        self.matcher.add(
            org_id,
            [record.name, *record.aliases],
            kind=record.org_type,
            code=record.ods_code,
            former=record.former_names,
        )

    def name_keys(self, name: str, aliases: Iterable[str] = ()) -> list[str]:
        keys = [self.canonical_key(name)[0], organisation_key(name)]
        keys += [organisation_key(alias) for alias in aliases]
        return list(dict.fromkeys(k for k in keys if k))


async def load_organisation_index(
    graph: Graph, aliases: Mapping[str, str], source: str | None = None
) -> OrganisationIndex:
    """Every stored organisation by code and name, and this source's splits: read once a pull."""
    index = OrganisationIndex(
        aliases={organisation_key(k): v for k, v in aliases.items()}, source=source
    )
    records = await graph.read(
        "MATCH (o:Organisation) "
        "RETURN o.id AS id, o.odsCode AS odsCode, coalesce(o.nameKeys, []) AS nameKeys, "
        "o.name AS name, coalesce(o.aliases, []) AS aliases, o.orgType AS kind, "
        "coalesce(o.formerNames, []) AS formerNames, coalesce(o.formerCodes, []) AS formerCodes"
    )
    for record in records:
        if record["odsCode"]:
            index.by_ods[record["odsCode"]] = record["id"]
        index.ods_of[record["id"]] = record["odsCode"]
        for key in record["nameKeys"]:
            first = index.by_name.setdefault(key, record["id"])
            if first != record["id"] and record["odsCode"] and index.ods_of.get(first):
                index.shared.add(key)
        for code in record["formerCodes"]:
            index.by_ods.setdefault(code, record["id"])
        index.matcher.add(
            record["id"],
            [record["name"], *record["aliases"]],
            kind=record["kind"],
            code=record["odsCode"],
            former=record["formerNames"],
        )
    if source is not None:
        for row in await graph.read(
            "MATCH (s:OrganisationSplit {source: $source}) "
            "RETURN s.key AS key, s.organisation AS organisation",
            {"source": source},
        ):
            index.splits.setdefault(row["key"], set()).add(row["organisation"])
    return index


def email_hash(email: str, salt: str) -> str:
    """A salted hash of an address: enough to recognise it again, useless to read it back."""
    return hashlib.sha256(f"{salt}:{email.strip().lower()}".encode()).hexdigest()


def person_identity_keys(record: PersonRecord, salt: str) -> list[str]:
    keys = []
    if record.orcid:
        keys.append(f"orcid:{record.orcid}")
    if record.email:
        keys.append(f"email:{email_hash(record.email, salt)}")
    return keys


@dataclass(frozen=True)
class PersonCandidate:
    id: str
    name: str
    orcid: str | None
    organisation_id: str | None
    sources: frozenset[str]


def resolve_person(
    record: PersonRecord,
    *,
    source: str,
    organisation_id: str | None,
    by_key: Mapping[str, list[PersonCandidate]],
    in_organisation: Iterable[PersonCandidate],
    salt: str,
) -> Match | None:
    """The stored person this record describes, or None when it is someone new (or unclear).

    Rules, strongest first: same ORCID iD; same e-mail address (compared by salted hash);
    same normalised name in the same organisation. A person another record of the same source
    already describes is never a match (a source lists each person once), nor is one with a
    different ORCID iD, and two equally good candidates mean no match.
    """

    def allowed(candidate: PersonCandidate) -> bool:
        if source in candidate.sources:
            return False
        return not (record.orcid and candidate.orcid and record.orcid != candidate.orcid)

    for rule, key in (
        ("orcid", f"orcid:{record.orcid}" if record.orcid else None),
        ("email", f"email:{email_hash(record.email, salt)}" if record.email else None),
    ):
        if key is None:
            continue
        found = {c.id: c for c in by_key.get(key, []) if allowed(c)}
        if len(found) == 1:
            return Match(next(iter(found)), rule)
        if len(found) > 1:
            return None
    if organisation_id is None:
        return None
    wanted = person_key(record.name)
    scored = {
        candidate.id
        for candidate in in_organisation
        if candidate.organisation_id == organisation_id
        and allowed(candidate)
        and fuzz.ratio(wanted, person_key(candidate.name)) >= PERSON_NAME_THRESHOLD
    }
    if len(scored) == 1:
        return Match(next(iter(scored)), "name_in_organisation")
    return None


# Read for every batch of people, kept at its first plan like the batch writes (it seeks by
# unique keys whatever the counts are): re-planned as the graph grew, it took about 19 ms a
# call on a first load while finding nothing. tests/test_ingest_plans.py checks that plan on
# an empty graph.
PERSON_CANDIDATES: LiteralString = """CYPHER replan=skip
CALL {
  UNWIND $keys AS key
  MATCH (:PersonKey {key: key})-[:IDENTIFIES]->(p:Person)
  RETURN p, key, null AS orgId
  UNION
  UNWIND $orgs AS orgId
  MATCH (p:Person)-[w:WORKS_FOR]->(:Organisation {id: orgId})
  WHERE w.retiredAt IS NULL
  RETURN p, null AS key, orgId
}
WITH p, key, orgId
WHERE p.retiredAt IS NULL
RETURN p.id AS id, p.name AS name, p.orcid AS orcid, key, orgId,
       [(s:Source)-[a:ASSERTS]->(p) WHERE a.retiredAt IS NULL | s.id] AS sources
"""


async def load_person_candidates(
    graph: Graph, identity_keys: Iterable[str], organisation_ids: Iterable[str]
) -> tuple[dict[str, list[PersonCandidate]], list[PersonCandidate]]:
    """Stored people sharing an identity key, and stored people of these organisations."""
    rows = await graph.read(
        PERSON_CANDIDATES,
        {"keys": sorted(set(identity_keys)), "orgs": sorted(set(organisation_ids))},
    )
    by_key: dict[str, list[PersonCandidate]] = {}
    in_organisation = []
    for row in rows:
        candidate = PersonCandidate(
            row["id"], row["name"], row["orcid"], row["orgId"], frozenset(row["sources"])
        )
        if row["key"] is not None:
            by_key.setdefault(row["key"], []).append(candidate)
        else:
            in_organisation.append(candidate)
    return by_key, in_organisation
