"""Reference registers of organisations, so a hub knows every NHS body and council by name.

Two formats:

- ``ods``: the NHS Organisation Data Service's CSV files (``etr.csv`` for trusts, ``eccg.csv``
  for sub-ICB locations, ``epraccur.csv`` for GP practices, and the ICB file): no header, the
  code in column 1, the name in column 2, the open and close dates (YYYYMMDD) in columns 11
  and 12. The successor file ``succ.csv`` (predecessor code, successor code, reason, date)
  says which body took over a closed one.
- ``csv``: a header row with ``code``, ``name``, ``kind`` and ``former_names`` (separated by
  ``;``), and optionally ``successors`` (codes) and ``closed`` (a date), for councils and others.

A closed body whose successors lead to exactly one open body of the same file is folded into
it: its name becomes a former name and its code a former code of that body, so "Taunton Deane
Borough Council" finds Somerset Council. A closed body that split between several successors
stays a body of its own, closed, with its successors listed.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from connectors.collect import Collector
from connectors.http import Fetcher
from connectors.partners import RegisterSource
from connectors.records import ODS_CODE, RecordError, Sector, parse_record
from connectors.result import PullResult, SourceFailure, SourceState
from connectors.tabular import decode

REGISTER_KINDS = (
    "trust",
    "icb",
    "sub_icb_location",
    "ccg",
    "gp_practice",
    "health_board",
    "council",
)
_SECTORS = {
    "council": Sector.LOCAL_GOVERNMENT,
    "gp_practice": Sector.PRIMARY_CARE,
    "trust": Sector.NHS,
    "icb": Sector.NHS,
    "sub_icb_location": Sector.NHS,
    "ccg": Sector.NHS,
    "health_board": Sector.NHS,
}
_ODS_COLUMNS = 12  # code, name, ..., open date (11), close date (12): every ODS file has these
_PLAIN_COLUMNS = ("code", "name", "kind", "former_names")
_VALIDATOR = "register"


@dataclass
class Entry:
    """One row of a register, before closed bodies are folded into their successors."""

    code: str
    name: str
    kind: str | None
    location: str
    closed: date | None = None
    former_names: list[str] = field(default_factory=list)
    former_codes: list[str] = field(default_factory=list)
    successors: list[str] = field(default_factory=list)


async def pull_register(
    source: RegisterSource,
    fetcher: Fetcher | None,
    state: SourceState,
    result: PullResult,
    collector: Collector,
) -> None:
    """Fill ``result`` with the register's organisations; an unchanged register is not read."""
    data = await _read(source, fetcher, source.url or str(source.path), "the register")
    successors = b""
    if source.successors:
        successors = await _read(source, fetcher, source.successors, "the successor file")
    validator = "sha256:" + hashlib.sha256(data + b"\0" + successors).hexdigest()
    if state.etags().get(_VALIDATOR) == validator:
        result.not_modified = True
        result.state = state
        return
    text, _ = decode(data, "auto", "the register")
    if source.format == "ods":
        entries, errors = parse_ods(text, source.holds or "other", source.id)
    else:
        entries, errors = parse_plain(text, source.id)
    if successors:
        succ_text, _ = decode(successors, "auto", "the successor file")
        add_successors(entries, parse_successors(succ_text))
    result.errors.extend(errors)
    for data_row, location in register_records(entries):
        parsed = parse_record(data_row, source=source.id, location=location)
        if isinstance(parsed, RecordError):
            result.errors.append(parsed)
        else:
            result.records.append(parsed)
    result.complete = True
    result.state = SourceState(etag=SourceState.pack_etags({_VALIDATOR: validator}))


async def _read(source: RegisterSource, fetcher: Fetcher | None, where: str, what: str) -> bytes:
    if where.startswith(("http://", "https://")):
        assert fetcher is not None
        response = await fetcher.get(where, what=what)
        return response.content
    try:
        with open(where, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise SourceFailure(f"{what} {where} cannot be read: {error.strerror}") from None


def parse_ods(text: str, kind: str, source: str) -> tuple[list[Entry], list[RecordError]]:
    """Rows of an ODS file (no header): code, name, ..., open date, close date."""
    entries: list[Entry] = []
    errors: list[RecordError] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not any(cell.strip() for cell in row):
            continue
        location = f"line {number}"
        if len(row) < _ODS_COLUMNS:
            errors.append(
                RecordError(
                    source=source,
                    location=location,
                    message=f"{len(row)} columns, an ODS file has at least {_ODS_COLUMNS} "
                    "(is this the right file, or a CSV with a header? use format: csv)",
                )
            )
            continue
        code, name = row[0].strip().upper(), row[1].strip()
        problem = _problem(code, name)
        if problem is None:
            closed, problem = _ods_date(row[11])
        if problem is not None:
            errors.append(_row_error(source, location, code, problem))
            continue
        entries.append(Entry(code, name, kind, location, closed=closed))
    return entries, errors


def parse_plain(text: str, source: str) -> tuple[list[Entry], list[RecordError]]:
    """Rows of a code,name,kind,former_names CSV (optionally successors and closed)."""
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in _PLAIN_COLUMNS if column not in header]
    if missing:
        raise SourceFailure(
            f"the register has no column {', '.join(missing)}; it needs "
            f"{', '.join(_PLAIN_COLUMNS)} (found: {', '.join(header) or 'nothing'})"
        )
    entries: list[Entry] = []
    errors: list[RecordError] = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        location = f"line {number}"
        code, name = row["code"].upper(), row["name"]
        problem = _problem(code, name)
        closed = None
        if problem is None and row.get("closed"):
            try:
                closed = date.fromisoformat(row["closed"])
            except ValueError:
                problem = f"field 'closed': not a date: {row['closed']!r} (use YYYY-MM-DD)"
        if problem is not None:
            errors.append(_row_error(source, location, code, problem))
            continue
        entries.append(
            Entry(
                code,
                name,
                row["kind"].lower() or None,
                location,
                closed=closed,
                former_names=_split(row["former_names"]),
                successors=[c.upper() for c in _split(row.get("successors", ""))],
            )
        )
    return entries, errors


def parse_successors(text: str) -> dict[str, list[str]]:
    """ODS succ.csv: predecessor code -> successor codes, in file order."""
    successors: dict[str, list[str]] = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) >= 2 and row[0].strip() and row[1].strip():
            old, new = row[0].strip().upper(), row[1].strip().upper()
            successors.setdefault(old, [])
            if new not in successors[old]:
                successors[old].append(new)
    return successors


def add_successors(entries: list[Entry], successors: dict[str, list[str]]) -> None:
    for entry in entries:
        for code in successors.get(entry.code, []):
            if code not in entry.successors:
                entry.successors.append(code)


def register_records(entries: list[Entry]) -> list[tuple[dict[str, Any], str]]:
    """Organisation records (as data, with their location) after folding closed bodies."""
    by_code: dict[str, Entry] = {}
    for entry in entries:
        by_code.setdefault(entry.code, entry)
    folded: set[str] = set()
    for entry in by_code.values():
        target = _sole_successor(entry, by_code)
        if target is not None:
            target.former_names += [entry.name, *entry.former_names]
            target.former_codes.append(entry.code)
            folded.add(entry.code)
    records = []
    for entry in by_code.values():
        if entry.code in folded:
            continue
        data: dict[str, Any] = {
            "kind": "organisation",
            "ref": entry.code,
            "name": entry.name,
            "ods_code": entry.code,
            "org_type": entry.kind,
            "former_names": list(dict.fromkeys(entry.former_names)),
            "former_codes": sorted(set(entry.former_codes)),
            "successors": entry.successors if entry.closed else [],
            "closed_on": entry.closed,
        }
        sector = _SECTORS.get(entry.kind or "")
        if sector is not None:
            data["sector"] = sector
        records.append(({k: v for k, v in data.items() if v is not None}, entry.location))
    return records


def _sole_successor(entry: Entry, by_code: dict[str, Entry]) -> Entry | None:
    """The one open body a closed body's successors lead to, through closed ones; else None."""
    seen = {entry.code}
    current = entry
    while current.closed is not None:
        if len(current.successors) != 1 or current.successors[0] not in by_code:
            return None
        code = current.successors[0]
        if code in seen:
            return None
        seen.add(code)
        current = by_code[code]
    return current if current is not entry else None


def _problem(code: str, name: str) -> str | None:
    if not ODS_CODE.match(code):
        return f"field 'code': not a register code: {code!r} (3 to 10 letters and digits)"
    if not name:
        return "field 'name': empty"
    return None


def _ods_date(text: str) -> tuple[date | None, str | None]:
    text = text.strip()
    if not text:
        return None, None
    try:
        return datetime.strptime(text, "%Y%m%d").date(), None
    except ValueError:
        return None, f"close date: not a date: {text!r} (ODS writes YYYYMMDD)"


def _row_error(source: str, location: str, code: str, message: str) -> RecordError:
    return RecordError(
        source=source,
        location=f"{location} (ref {code!r})" if code else location,
        message=message,
        kind="organisation" if code else None,
        ref=code or None,
    )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]
