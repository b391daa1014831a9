"""CSV and XLSX registers, as NHS and council exports really come: odd encodings, title rows.

Every rejected row is named by its line (CSV) or sheet and row (XLSX). A file's content hash
serves as its validator, so an unchanged register is not read twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from connectors.collect import Collector
from connectors.http import CONTENT_HASH, Fetcher, if_none_match, validator_of
from connectors.mapping import FieldMap, FieldSpec
from connectors.partners import TabularSource, TabularStream
from connectors.result import PullResult, SourceFailure, SourceState

_VALIDATOR = "file"
Row = tuple[str, dict[str, Any]]  # (location, cells by header)


async def pull_tabular(
    source: TabularSource,
    fetcher: Fetcher | None,
    state: SourceState,
    result: PullResult,
    collector: Collector,
) -> None:
    """Fill ``result`` from the register; raises ``SourceFailure`` when it cannot be read."""
    known = state.etags().get(_VALIDATOR)
    data, validator = await _read(source, fetcher, known)
    if data is None or (known is not None and validator == known):
        result.not_modified = True
        result.state = state
        return
    for entity in source.entities:
        stream = source.mapping[entity]
        rows = _xlsx_rows(data, stream) if source.is_xlsx else _csv_rows(data, source, stream)
        header, body = next(rows), rows
        field_map = _match_columns(stream, list(header[1]), entity)
        for location, cells in body:
            collector.add(cells, field_map, entity, location)
    result.complete = True
    result.state = SourceState(etag=SourceState.pack_etags({_VALIDATOR: validator}))


async def _read(
    source: TabularSource, fetcher: Fetcher | None, known: str | None
) -> tuple[bytes | None, str]:
    """The file's bytes and validator; ``None`` bytes when the server answered 304."""
    if source.path is not None:
        try:
            data = source.path.read_bytes()
        except OSError as error:
            raise SourceFailure(f"{source.path} cannot be read: {error.strerror}") from None
        return data, CONTENT_HASH + hashlib.sha256(data).hexdigest()
    assert source.url is not None and fetcher is not None
    response = await fetcher.get(source.url, what="the register", headers=if_none_match(known))
    if response.status_code == 304:
        return None, known or ""
    return response.content, validator_of(response)


def decode(data: bytes, encoding: str, where: str = "the file") -> tuple[str, str]:
    """Text and the encoding used. ``auto``: UTF-8 (with or without BOM), else cp1252."""
    if encoding == "auto":
        try:
            encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
            data.decode(encoding)
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return data.decode(encoding).removeprefix("\ufeff"), encoding
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        hint = "cp1252" if encoding.startswith("utf-8") else "utf-8"
        raise SourceFailure(
            f"{where}, line {line}: not valid {encoding} (byte 0x{byte}); "
            f"if the file was saved by another program, try encoding: {hint}"
        ) from None


def _csv_rows(data: bytes, source: TabularSource, stream: TabularStream) -> Iterator[Row]:
    text, _ = decode(data, source.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=source.delimiter, strict=True)
    header: list[str] | None = None
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if header is None:
                if reader.line_num >= stream.header_row:
                    header = [cell.strip() for cell in cells]
                    yield f"line {start}", dict.fromkeys(header, None)
                continue
            if any(cell.strip() for cell in cells):
                yield f"line {start}", dict(zip(header, cells, strict=False))
    except csv.Error as error:
        raise SourceFailure(f"line {line}: the CSV is malformed ({error})") from None
    if header is None:
        raise SourceFailure(f"no header row (expected at line {stream.header_row})")


def _xlsx_rows(data: bytes, stream: TabularStream) -> Iterator[Row]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise SourceFailure(f"not an XLSX workbook ({error})") from None
    try:
        sheet = workbook.worksheets[0] if stream.sheet is None else _sheet(workbook, stream.sheet)
        rows = sheet.iter_rows(min_row=stream.header_row, values_only=True)
        first = next(rows, None)
        if first is None:
            raise SourceFailure(f"sheet {sheet.title!r} has no header row")
        header = [str(cell).strip() if cell is not None else "" for cell in first]
        yield f"sheet {sheet.title!r}, row {stream.header_row}", dict.fromkeys(header, None)
        for number, values in enumerate(rows, start=stream.header_row + 1):
            cells = [_cell(value) for value in values]
            if any(cell not in (None, "") for cell in cells):
                yield f"sheet {sheet.title!r}, row {number}", dict(zip(header, cells, strict=False))
    finally:
        workbook.close()


def _sheet(workbook: Any, name: str) -> Any:
    for sheet in workbook.worksheets:
        if sheet.title.strip().casefold() == name.strip().casefold():
            return sheet
    names = ", ".join(repr(sheet.title) for sheet in workbook.worksheets)
    raise SourceFailure(f"no sheet {name!r} in the workbook (it has {names})")


def _cell(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _match_columns(stream: TabularStream, header: list[str], entity: str) -> FieldMap:
    """The stream's mapping with each column named as the file spells it.

    Exports change "Project Title" to "Project title" between months; case and spacing are
    forgiven, a column that is not there at all fails the source with what was found instead.
    """
    by_key = {_key(name): name for name in header if name}
    fields: dict[str, FieldSpec] = {}
    missing = []
    for name, spec in stream.fields.items():
        if spec.path is None:
            fields[name] = spec
        elif _key(spec.path) in by_key:
            fields[name] = spec.model_copy(update={"path": by_key[_key(spec.path)]})
        else:
            missing.append(spec.path)
    if missing:
        found = ", ".join(repr(name) for name in header if name)
        raise SourceFailure(
            f"{entity}: column(s) {', '.join(map(repr, missing))} not in the header (found {found})"
        )
    return FieldMap(fields=fields, defaults=stream.defaults)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()
