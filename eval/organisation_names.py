"""The labelled set of organisation names, built from real registers by documented transforms.

    .venv/bin/python -m eval.organisation_names      # rewrites eval/data/organisation-names.csv

Every name comes from a real public source (eval/data/README.md) or from one of the transforms
below applied to a real name; every label is a register code (the body the name means) or
empty (the name must stay apart). Each item says its variant kind:

- ``observed``: spellings found in real datasets (mySociety's alt-names of each council, e.g.
  "Bath & North East Somerset UA", "barking and dagenham london boro", "bradford mdc", and
  their typos, e.g. "glasgow city coucil"); ``observed_other_name`` when the spelling shares no
  word with the official name (Welsh and Gaelic names, "Western Isles").
- ``short_form``: councils by place name ("Mendip"), trusts without "NHS (Foundation) Trust",
  ICBs as "Somerset ICB" is written without "NHS".
- ``abbreviation``: "District Council" -> DC, "Borough Council" -> BC, "Metropolitan
  Borough/District Council" -> MBC/MDC, unitary authorities as "X UA", "London Borough of X"
  -> "X London Boro", "NHS Foundation Trust" -> "NHS FT" or "FT", "Integrated Care Board" ->
  ICB, "University Health Board" -> UHB.
- ``upper_case`` (councils) and ``title_case`` (NHS bodies, which ODS writes in capitals).
- ``ampersand``: "and" written "&".
- ``former_name``: a name the body had before a rename or merger (ODS successors, the renames
  in trust-former-names.csv, councils replaced in 2019-2023), as written then and as a short
  form; ``ccg_rename``: "NHS X CCG" for the ICB that took over CCG X in July 2022.
- ``typo``: one letter deleted, doubled, swapped with its neighbour or replaced by a key beside
  it, in a word of five letters or more (a seeded random choice).
- hard negatives (label empty): ``negative_held_out``: real bodies left out of the register the
  evaluation loads, by their name and variants (so "North Somerset Council" held out must not
  become Somerset Council); ``negative_shared_place``: a bare place name that several kinds of
  body share ("Somerset": a council, an ICB, a trust); ``negative_site``: hospital sites named
  in the ODS trust file's addresses, which are not trusts ("Royal London Hospital");
  ``negative_same_name``: a name two registered bodies share (two GP practices of one name).

The split (tune or report) is by body, so every variant of one body falls on one side.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from connectors.registers import (
    add_successors,
    parse_ods,
    parse_plain,
    parse_successors,
    register_records,
)
from graph.organisations.names import forms

DATA = Path(__file__).parent / "data"
LABELLED = DATA / "organisation-names.csv"
SEED = 2026
TUNE_SHARE = 40  # percent of bodies whose variants are for tuning
HELD_OUT_SHARE = 8  # percent of bodies left out of the evaluation's register

# The ICBs whose area had one CCG of the same name until July 2022 (ONS CCG names of 2021).
CCG_NAMES = {
    "QSL": "NHS Somerset CCG",
    "QJK": "NHS Devon CCG",
    "QVV": "NHS Dorset CCG",
    "QR1": "NHS Gloucestershire CCG",
    "QKS": "NHS Kent and Medway CCG",
    "QJM": "NHS Lincolnshire CCG",
    "QPM": "NHS Northamptonshire CCG",
    "QNQ": "NHS Frimley CCG",
    "QXU": "NHS Surrey Heartlands CCG",
    "QHL": "NHS Birmingham and Solihull CCG",
    "QWU": "NHS Coventry and Warwickshire CCG",
    "QGH": "NHS Herefordshire and Worcestershire CCG",
    "QJ2": "NHS Derby and Derbyshire CCG",
    "QT1": "NHS Nottingham and Nottinghamshire CCG",
    "QOX": "NHS Bath and North East Somerset, Swindon and Wiltshire CCG",
    "QUY": "NHS Bristol, North Somerset and South Gloucestershire CCG",
    "QMJ": "NHS North Central London CCG",
    "QMF": "NHS North East London CCG",
    "QRV": "NHS North West London CCG",
    "QKK": "NHS South East London CCG",
    "QWE": "NHS South West London CCG",
    "QUE": "NHS Cambridgeshire and Peterborough CCG",
    "QMM": "NHS Norfolk and Waveney CCG",
    "QOC": "NHS Shropshire, Telford and Wrekin CCG",
}
# Hospital sites named in the address lines of the ODS trust file (etr.csv): places, not trusts.
HOSPITAL_SITES = [
    "The Royal London Hospital",
    "Royal London Hospital",
    "Queen Elizabeth Hospital",
    "Sunderland Royal Hospital",
    "Royal Preston Hospital",
    "Northwick Park Hospital",
    "Royal Bolton Hospital",
    "Musgrove Park Hospital",
    "Weston General Hospital",
    "Royal Free Hospital",
    "St Thomas' Hospital",
    "St George's Hospital",
    "Whipps Cross Hospital",
    "North Middlesex Hospital",
    "Derriford Hospital",
    "Southmead Hospital",
    "Wythenshawe Hospital",
    "John Radcliffe Hospital",
    "Freeman Hospital",
    "Queen Alexandra Hospital",
    "Royal Sussex County Hospital",
    "Leicester Royal Infirmary",
    "Hull Royal Infirmary",
    "Salisbury District Hospital",
    "Pinderfields Hospital",
    "Arrowe Park Hospital",
    "Whiston Hospital",
    "Kings Mill Hospital",
    "Lister Hospital",
]
_KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm"


@dataclass(frozen=True)
class Body:
    code: str
    name: str
    kind: str
    former_names: tuple[str, ...]
    observed: tuple[str, ...] = ()
    short: str | None = None  # a council's place name
    council_type: str = ""  # UA, NMD, MD, LBO, CTY... (councils)
    former_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    split: str
    variant: str
    name: str
    expected: str  # a register code, or "" when the name must stay apart
    body: str  # the body the item was made from (for the split)


def register_files() -> list[tuple[str, str, str | None, str | None]]:
    """(path, format, kind, successor file) of every register the evaluation loads."""
    return [
        ("ods/etr.csv", "ods", "trust", "ods/succ.csv"),
        ("ods/icb.csv", "ods", "icb", None),
        ("ods/epraccur.csv", "ods", "gp_practice", None),
        ("trust-former-names.csv", "csv", None, None),
        ("councils.csv", "csv", None, None),
    ]


def register_rows(held_out: set[str] = frozenset()) -> list[dict[str, object]]:  # type: ignore[assignment]
    """Organisation records (as data) of every register file, without the held-out bodies."""
    rows: list[dict[str, object]] = []
    for path, fmt, kind, successors in register_files():
        text = (DATA / path).read_text(encoding="utf-8")
        if fmt == "ods":
            entries, _ = parse_ods(text, kind or "other", path)
        else:
            entries, _ = parse_plain(text, path)
        if successors:
            add_successors(entries, parse_successors((DATA / successors).read_text()))
        entries = [e for e in entries if e.code not in held_out]
        rows += [data for data, _ in register_records(entries)]
    return rows


def title(name: str) -> str:
    """ODS capitals as people write them: 'GUY'S AND ST THOMAS' NHS...' -> "Guy's and St..."."""
    small = {"and", "of", "the", "upon", "on", "in", "for"}
    words = []
    for index, word in enumerate(name.lower().split()):
        if word in {"nhs", "icb", "ccg"}:
            words.append(word.upper())
        elif index and word in small:
            words.append(word)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(words)


def trust_short(name: str) -> str:
    text = re.sub(r"\s+NHS( FOUNDATION)? TRUST$", "", name.upper())
    return title(re.sub(r"^THE ", "", text))


def council_abbreviations(name: str, short: str | None, council_type: str) -> list[str]:
    out = []
    for long, abbreviation in [
        ("Metropolitan Borough Council", "MBC"),
        ("Metropolitan District Council", "MDC"),
        ("District Council", "DC"),
        ("Borough Council", "BC"),
    ]:
        if name.endswith(long):
            out.append(name[: -len(long)] + abbreviation)
            break
    if name.startswith("London Borough of "):
        out.append(f"{name.removeprefix('London Borough of ')} London Boro")
        out.append(f"LB {name.removeprefix('London Borough of ')}")
    if "Borough" in name and not name.startswith("London Borough of "):
        out.append(name.replace("Borough", "Boro"))
    if short and council_type == "UA":
        out.append(f"{short} UA")
    elif short and name != f"{short} Council":
        out.append(f"{short} Council")
    return out


def nhs_abbreviations(name: str, kind: str) -> list[str]:
    text = title(name)
    if kind == "trust":
        if text.endswith("NHS Foundation Trust"):
            return [text.replace("NHS Foundation Trust", "NHS FT"), f"{trust_short(name)} FT"]
        return []
    if kind == "icb":
        core = text.removeprefix("NHS ").removesuffix(" Integrated Care Board")
        return [f"NHS {core} ICB", f"{core} ICB"]
    if kind == "health_board" and "University Health Board" in text:
        return [text.replace("University Health Board", "UHB")]
    return []


def typo(name: str, rng: random.Random) -> str | None:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return None
    index = rng.choice(long)
    word = words[index]
    at = rng.randrange(1, len(word) - 1)
    how = rng.choice(["delete", "double", "swap", "key"])
    if how == "delete":
        word = word[:at] + word[at + 1 :]
    elif how == "double":
        word = word[:at] + word[at] + word[at:]
    elif how == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    else:
        rows = [row for row in _KEYBOARD.split() if word[at].lower() in row]
        if not rows:
            return None
        row, position = rows[0], rows[0].index(word[at].lower())
        near = row[position + 1] if position + 1 < len(row) else row[position - 1]
        word = word[:at] + (near.upper() if word[at].isupper() else near) + word[at + 1 :]
    words[index] = word
    return " ".join(words)


def bodies() -> list[Body]:
    """Every body of the registers, with its real variants (council alt-names)."""
    observed: dict[str, tuple[str, ...]] = {}
    short: dict[str, str] = {}
    types: dict[str, str] = {}
    gss_new = {"CBD": "E06000063", "WAF": "E06000064", "NYE": "E06000065", "SMT": "E06000066"}
    for line in (DATA / "council-names-observed.psv").read_text().splitlines():
        code, _official, nice, gss, _end, _replaced, council_type, alts = line.split("|")
        key = gss or gss_new.get(code, code)
        observed[key] = tuple(a for a in alts.split(";") if a)
        short[key] = nice
        types[key] = council_type
    out: dict[str, Body] = {}
    for row in register_rows():
        code = str(row["ref"])
        if code in out:  # a second register of the same body (trust-former-names.csv)
            known = out[code]
            more = tuple(row.get("former_names", ()))  # type: ignore[arg-type]
            out[code] = replace(known, former_names=tuple(dict.fromkeys(known.former_names + more)))
            continue
        out[code] = Body(
            code,
            str(row["name"]),
            str(row.get("org_type") or ""),
            tuple(row.get("former_names", ())),  # type: ignore[arg-type]
            observed.get(code, ()),
            short.get(code),
            types.get(code, ""),
            tuple(row.get("former_codes", ())),  # type: ignore[arg-type]
        )
    return list(out.values())


def _split(code: str) -> str:
    digest = int(hashlib.sha256(f"{SEED}:{code}".encode()).hexdigest(), 16) % 100
    return "tune" if digest < TUNE_SHARE else "report"


def held_out_codes(all_bodies: list[Body]) -> set[str]:
    """A seeded few bodies, with the bodies folded into them (their former codes)."""
    rng = random.Random(SEED)
    chosen = [b for b in all_bodies if rng.randrange(100) < HELD_OUT_SHARE]
    return {code for b in chosen for code in (b.code, *b.former_codes)}


def variants(body: Body, rng: random.Random, shared: set[str]) -> list[tuple[str, str]]:
    """(variant kind, name) for one body; a short form that several bodies share is left out
    (it is a ``negative_shared_place``)."""
    out: list[tuple[str, str]] = []
    official_words = set(forms(body.name).tokens) | set(forms(body.short or "").tokens)
    if body.kind == "council":
        if body.short and body.short.lower() != body.name.lower():
            out.append(("short_form", body.short))
        abbreviations = council_abbreviations(body.name, body.short, body.council_type)
        out += [("abbreviation", n) for n in abbreviations]
        out.append(("upper_case", body.name.upper()))
        for name in body.observed:
            shares = set(forms(name).tokens) & official_words
            out.append(("observed" if shares else "observed_other_name", name))
        base = body.name
    else:
        base = title(body.name)
        out.append(("title_case", base))
        if body.kind == "trust":
            out.append(("short_form", trust_short(body.name)))
        if body.kind == "icb":
            out.append(("short_form", base.removeprefix("NHS ")))
        out += [("abbreviation", n) for n in nhs_abbreviations(body.name, body.kind) if n != base]
        if body.code in CCG_NAMES:
            out.append(("ccg_rename", CCG_NAMES[body.code]))
    if " and " in base.lower():
        out.append(("ampersand", re.sub(r"\band\b", "&", base, flags=re.IGNORECASE)))
    for former in body.former_names:
        written = former if body.kind == "council" else title(former)
        out.append(("former_name", written))
        if body.kind == "trust":
            out.append(("former_name", trust_short(former)))
    misspelt = typo(base if body.kind != "council" else body.name, rng)
    if misspelt:
        out.append(("typo", misspelt))
    seen: set[str] = set()
    kept = []
    for kind, name in out:
        if not name or name.lower() in seen or forms(name).core("unknown") in shared:
            continue
        seen.add(name.lower())
        kept.append((kind, name))
    return kept


def build() -> list[Item]:
    rng = random.Random(SEED)
    all_bodies = bodies()
    held_out = held_out_codes(all_bodies)
    names_by_core: dict[str, set[str]] = defaultdict(set)
    for body in all_bodies:
        if body.code not in held_out:
            names_by_core[forms(body.name, body.kind).core(body.kind)].add(body.kind)
    items: list[Item] = []
    shared = {core for core, kinds in names_by_core.items() if len(kinds) > 1 and core}
    same_name = Counter(forms(b.name).text for b in all_bodies if b.code not in held_out)
    for body in all_bodies:
        split = _split(body.code)
        out = variants(body, rng, shared)
        if body.code in held_out:
            # Their names and the variants that keep the kind words: a bare place name
            # ("Stockport") is another registered body's short form, not a held-out name.
            out = [("official_name", body.name), *out]
            kept = [n for k, n in out if k not in ("short_form", "observed", "former_name")]
            items += [Item(split, "negative_held_out", n, "", body.code) for n in kept]
        elif same_name[forms(body.name).text] > 1:
            items.append(Item(split, "negative_same_name", title(body.name), "", body.code))
        else:
            items += [Item(split, kind, name, body.code, body.code) for kind, name in out]
    for core in sorted(shared):
        items.append(Item(_split(core), "negative_shared_place", title(core), "", core))
    for site in HOSPITAL_SITES:
        items.append(Item(_split(site), "negative_site", site, "", site))
    return items


def write(items: list[Item], path: Path = LABELLED) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["split", "variant", "name", "expected", "body"])
        for item in items:
            writer.writerow([item.split, item.variant, item.name, item.expected, item.body])


def read(path: Path = LABELLED) -> list[Item]:
    with path.open(encoding="utf-8") as handle:
        return [Item(**row) for row in csv.DictReader(handle)]  # type: ignore[arg-type]


if __name__ == "__main__":
    built = build()
    write(built)
    print(f"{len(built)} labelled names written to {LABELLED}")
