"""tabular: real CSV and XLSX files, in the encodings and shapes exports really come in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from connectors.records import PersonRecord, ProjectRecord
from tests.partner_web import PartnerWeb, Reply, Request, one_source, pull

PROJECT_FIELDS = {
    "ref": "Ref",
    "title": "Project title",
    "start_date": "Start",
    "topics": {"path": "Topics", "split": [";", "\n"]},
    "members": {"path": "Team", "split": ";", "parts": ["person", "role"]},
}
CSV = (
    "Ref,PROJECT TITLE,Start,Topics,Team\r\n"
    'EM-1,Café-based memory support,03/02/2025,"dementia; social prescribing",p1:lead\r\n'
    'EM-2,"Discharge to assess\r\nphase 2",2025-01-10,discharge,p1:lead;p2:analyst\r\n'
    "EM-3,Warm homes referrals,31/02/2025,health inequalities,\r\n"
    ",,,,\r\n"
    "EM-4,Smoke-free pregnancies,2024-11-01,,\r\n"
)


@pytest.fixture
def web() -> Iterator[PartnerWeb]:
    with PartnerWeb().running() as server:
        yield server


def register(
    place: dict[str, Any],
    fields: dict[str, Any] = PROJECT_FIELDS,
    stream: dict[str, Any] | None = None,
    **options: Any,
) -> Any:
    return one_source(
        {
            "id": "em-register",
            "kind": "tabular",
            "entities": ["project"],
            "mapping": {"project": {"fields": fields, **(stream or {})}},
            **place,
            **options,
        }
    )


def write(tmp_path: Path, data: bytes, name: str = "register.csv") -> dict[str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    return {"path": str(path)}


async def test_csv_with_bom_multi_value_cells_and_line_numbers(tmp_path: Path) -> None:
    result = await pull(register(write(tmp_path, b"\xef\xbb\xbf" + CSV.encode())))
    assert result.failure is None and result.complete
    assert [r.ref for r in result.records] == ["EM-1", "EM-2", "EM-4"]
    first, second = result.records[0], result.records[1]
    assert isinstance(first, ProjectRecord) and isinstance(second, ProjectRecord)
    assert first.title == "Café-based memory support"
    assert first.start_date == date(2025, 2, 3)
    assert first.topics == ["dementia", "social prescribing"]
    assert [(m.person, m.role) for m in second.members] == [("p1", "lead"), ("p2", "analyst")]
    (error,) = result.errors
    # EM-2's title spans two physical lines, so EM-3 starts on line 5
    assert str(error) == (
        "em-register, line 5 (ref 'EM-3'), field 'start_date': not a date: '31/02/2025' "
        "(use YYYY-MM-DD or DD/MM/YYYY)"
    )


async def test_windows_exports_in_cp1252_are_read(tmp_path: Path) -> None:
    text = CSV.replace("Warm homes", "Warm homes \u2019winter\u2019")
    result = await pull(register(write(tmp_path, text.encode("cp1252"))))
    assert result.failure is None
    assert result.records[0].title == "Café-based memory support"  # type: ignore[union-attr]


async def test_a_declared_encoding_that_is_wrong_names_the_line(tmp_path: Path) -> None:
    data = CSV.replace("Warm homes", "Warm homes \u2019winter\u2019").encode("cp1252")
    result = await pull(register(write(tmp_path, data), encoding="utf-8"))
    assert result.failure == (
        "the file, line 2: not valid utf-8 (byte 0xe9); if the file was saved by another "
        "program, try encoding: cp1252"
    )


async def test_a_missing_column_fails_the_source_and_says_what_is_there(tmp_path: Path) -> None:
    fields = {**PROJECT_FIELDS, "aim": "Aim statement"}
    result = await pull(register(write(tmp_path, CSV.encode()), fields))
    assert result.failure == (
        "project: column(s) 'Aim statement' not in the header (found 'Ref', 'PROJECT TITLE', "
        "'Start', 'Topics', 'Team')"
    )


async def test_semicolon_delimited_with_title_rows(tmp_path: Path) -> None:
    text = "Eastmoor Council improvement register\nExported 01/03/2025\n" + CSV.replace(",", ";")
    text = text.replace('"dementia; social prescribing"', '"dementia| social prescribing"')
    fields = {**PROJECT_FIELDS, "topics": {"path": "Topics", "split": "|"}}
    fields.pop("members")
    source = register(write(tmp_path, text.encode()), fields, {"header_row": 3}, delimiter=";")
    result = await pull(source)
    assert result.failure is None and [r.ref for r in result.records] == ["EM-1", "EM-2", "EM-4"]
    assert result.errors[0].location == "line 7 (ref 'EM-3')"


def workbook(path: Path) -> Path:
    book = Workbook()
    projects = book.active
    assert projects is not None
    projects.title = "Projects"
    projects.append(["Zedvale Trust QI register"])
    projects.append([])
    projects.append(["Ref", "Project title", "Start", "Topics", "Team"])
    projects.append([101, "Sepsis screening in ED", datetime(2024, 9, 1), "sepsis", "7:lead"])
    projects.append([102.0, None, datetime(2024, 10, 1), "falls", None])
    people = book.create_sheet("People")
    people.append(["Ref", "Name", "Offers", "Consent"])
    people.append([7, "Tomasz Adeyemi", "mentoring, coaching", "Yes"])
    book.save(path)
    return path


async def test_xlsx_sheets_title_rows_and_numeric_ids(tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx")
    source = one_source(
        {
            "id": "zv-workbook",
            "kind": "tabular",
            "path": str(path),
            "entities": ["project", "person"],
            "mapping": {
                "project": {"sheet": "projects", "header_row": 3, "fields": PROJECT_FIELDS},
                "person": {
                    "sheet": "People",
                    "fields": {
                        "ref": "Ref",
                        "name": "Name",
                        "offers": {"path": "Offers", "split": ","},
                        "contact_consent": {"path": "Consent", "values": {"Yes": True}},
                    },
                },
            },
        }
    )
    result = await pull(source)
    assert result.failure is None
    project, person = result.records
    assert isinstance(project, ProjectRecord) and isinstance(person, PersonRecord)
    assert (project.ref, project.start_date, project.members[0].person) == (
        "101",
        date(2024, 9, 1),
        "7",
    )
    assert (person.ref, person.offers, person.contact_consent) == (
        "7",
        ["mentoring", "coaching"],
        True,
    )
    assert person.organisation is not None and person.organisation.ods_code == "ZZV01"
    (error,) = result.errors
    assert (error.location, error.field) == ("sheet 'Projects', row 5 (ref '102')", "title")


async def test_a_missing_sheet_and_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = workbook(tmp_path / "register.xlsx")
    fields = {"sheet": "Staff", "fields": {"ref": "Ref"}}
    source = one_source(
        {
            "id": "zv-workbook",
            "kind": "tabular",
            "path": str(path),
            "entities": ["person"],
            "mapping": {"person": fields},
        }
    )
    missing = await pull(source)
    assert missing.failure == "no sheet 'Staff' in the workbook (it has 'Projects', 'People')"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    broken = await pull(source)
    assert broken.failure is not None and broken.failure.startswith("not an XLSX workbook")


async def test_an_unchanged_local_file_is_not_read_twice(tmp_path: Path) -> None:
    place = write(tmp_path, CSV.encode())
    first = await pull(register(place))
    second = await pull(register(place), first.state)
    assert second.not_modified and second.records == []
    (tmp_path / "register.csv").write_bytes(CSV.replace("Smoke-free", "Smokefree").encode())
    third = await pull(register(place), second.state)
    assert not third.not_modified and len(third.records) == 3


async def test_a_register_by_url_with_etag(web: PartnerWeb) -> None:
    def served(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"r1"':
            return Reply(304, b"")
        return Reply(body=CSV.encode("cp1252"), content_type="text/csv", headers={"ETag": '"r1"'})

    web.route("/register.csv", served)
    source = register({"url": web.url("/register.csv")})
    first = await pull(source)
    assert len(first.records) == 3 and first.complete
    second = await pull(source, first.state)
    assert second.not_modified and second.requests == 1
    assert web.log[-1].headers["if-none-match"] == '"r1"'


async def test_a_missing_file(tmp_path: Path) -> None:
    result = await pull(register({"path": str(tmp_path / "nope.csv")}))
    assert result.failure == f"{tmp_path / 'nope.csv'} cannot be read: No such file or directory"
