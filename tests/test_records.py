"""The record contract: partners' spellings normalised, bad values named by field."""

from __future__ import annotations

from datetime import date

import pytest

from connectors.records import (
    OrganisationRecord,
    ProjectRecord,
    RecordError,
    parse_record,
)


def test_partner_spellings_are_normalised() -> None:
    record = parse_record(
        {
            "kind": "project",
            "ref": " p1 ",
            "title": "Falls",
            "start_date": "03/04/2024",
            "end_date": "2025-01",
            "status": "Active",
            "mode": "Iterative QI",
            "topics": ["falls", " ", "falls", "frailty"],
        },
        source="s",
        location="row 2",
    )
    assert isinstance(record, ProjectRecord)
    assert record.ref == "p1"
    assert (record.start_date, record.end_date) == (date(2024, 4, 3), date(2025, 1, 1))
    assert (record.status, record.mode) == ("active", "iterative_qi")
    assert record.topics == ["falls", "frailty"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "project", "ref": "p", "title": ""}, "title", "at least 1 character"),
        (
            {"kind": "project", "ref": "p", "title": "t", "start_date": "soon"},
            "start_date",
            "not a date: 'soon'",
        ),
        (
            {
                "kind": "project",
                "ref": "p",
                "title": "t",
                "start_date": "2024-05-01",
                "end_date": "2024-01-01",
            },
            None,
            "end_date 2024-01-01 is before start_date",
        ),
        (
            {"kind": "person", "ref": "x", "name": "A", "email": "bad"},
            "email",
            "not an e-mail address",
        ),
        ({"kind": "person", "ref": "x", "name": "A", "orcid": "1234"}, "orcid", "not an ORCID"),
        (
            {"kind": "person", "ref": "x", "name": "A", "organisation": {"ods_code": "r!"}},
            "organisation.ods_code",
            "not an ODS code",
        ),
        (
            {"kind": "organisation", "ref": "o", "name": "N", "website": "ftp://x"},
            "website",
            "should match pattern",
        ),
        (
            {"kind": "project", "ref": "p", "title": "t", "same_as": ["hub.example#p1"]},
            "same_as.0",
            "not <hub GraphQL URL>#<id>: 'hub.example#p1'",
        ),
        (
            {
                "kind": "project",
                "ref": "p",
                "title": "t",
                "same_as": ["https://hub.example/graphql#"],
            },
            "same_as.0",
            "not <hub GraphQL URL>#<id>",
        ),
        ({"ref": "x"}, None, "Unable to extract tag"),
    ],
)
def test_bad_values_are_named(data: dict, field: str | None, message: str) -> None:
    error = parse_record(data, source="trust-api", location="item 3")
    assert isinstance(error, RecordError)
    assert error.field == field
    assert message in error.message
    assert str(error).startswith("trust-api, item 3")


def test_optional_urls_may_be_absent_or_blank() -> None:
    assert OrganisationRecord(ref="a", name="b", website=None).website is None
    assert OrganisationRecord(ref="a", name="b", website="  ").website is None
    assert OrganisationRecord(ref="a", name="b", website="https://x.example").website
