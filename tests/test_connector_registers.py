"""register: real ODS files and a council register, served over HTTP and read from disk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from connectors.partners import PartnersFileError, load_partners
from connectors.records import OrganisationRecord
from tests.partner_web import PartnerWeb, Reply, one_source, pull

DATA = Path(__file__).parent.parent / "eval" / "data"


@pytest.fixture
def web() -> Iterator[PartnerWeb]:
    with PartnerWeb().running() as server:
        yield server


def register(**fields: Any) -> Any:
    return one_source({"id": "registers", "kind": "register", **fields})


def by_code(records: list[Any]) -> dict[str, OrganisationRecord]:
    return {record.ods_code: record for record in records}


async def test_ods_trusts_with_successors_over_http(web: PartnerWeb) -> None:
    web.route(
        "/ods/etr.csv", Reply(body=(DATA / "ods/etr.csv").read_bytes(), content_type="text/csv")
    )
    web.route(
        "/ods/succ.csv", Reply(body=(DATA / "ods/succ.csv").read_bytes(), content_type="text/csv")
    )
    source = register(
        url=web.url("/ods/etr.csv"), holds="trust", successors=web.url("/ods/succ.csv")
    )
    result = await pull(source)
    assert result.ok and result.complete and not result.errors
    trusts = by_code(result.records)
    somerset = trusts["RH5"]
    assert somerset.name == "SOMERSET NHS FOUNDATION TRUST"
    assert (somerset.org_type, somerset.sector) == ("trust", "nhs")
    assert somerset.former_names == [
        "YEOVIL DISTRICT HOSPITAL NHS FOUNDATION TRUST",
        "TAUNTON AND SOMERSET NHS FOUNDATION TRUST",
    ]
    assert somerset.former_codes == ["RA4", "RBA"]
    assert "RBA" not in trusts  # folded into its one successor
    pennine = trusts["RW6"]  # split between two successors: a closed body of its own
    assert pennine.closed_on == date(2021, 9, 30)
    assert pennine.successors == ["R0A", "RM3"]
    again = await pull(source, result.state)
    assert again.not_modified and again.records == []


async def test_ods_gp_practices_and_a_council_register_from_disk(tmp_path: Path) -> None:
    practices = await pull(register(path=str(DATA / "ods/epraccur.csv"), holds="gp_practice"))
    assert practices.ok and not practices.errors
    park = by_code(practices.records)["A81016"]
    assert (park.name, park.org_type, park.sector) == (
        "PARK SURGERY",
        "gp_practice",
        "primary_care",
    )

    councils = await pull(register(path=str(DATA / "councils.csv"), format="csv"))
    assert councils.ok and not councils.errors
    found = by_code(councils.records)
    assert "Taunton Deane Borough Council" in found["E06000066"].former_names
    cumbria = found["E10000006"]  # split between Cumberland and Westmorland and Furness
    assert cumbria.successors == ["E06000063", "E06000064"]
    assert found["E07000112"].former_names == ["Shepway District Council"]


async def test_bad_rows_are_named_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "councils.csv"
    path.write_text(
        "code,name,kind,former_names,closed\n"
        "E06000066,Somerset Council,council,,\n"
        "not a code!,Nowhere Council,council,,\n"
        "E07000190,Taunton Deane Borough Council,council,,31/03/2019\n"
        "E06000024,,council,,\n"
    )
    result = await pull(register(path=str(path), format="csv"))
    assert [r.ods_code for r in result.records] == ["E06000066"]
    assert [str(e) for e in result.errors] == [
        "registers, line 3 (ref 'NOT A CODE!'): field 'code': not a register code: "
        "'NOT A CODE!' (3 to 10 letters and digits)",
        "registers, line 4 (ref 'E07000190'): field 'closed': not a date: '31/03/2019' "
        "(use YYYY-MM-DD)",
        "registers, line 5 (ref 'E06000024'): field 'name': empty",
    ]


async def test_a_file_of_the_wrong_shape_fails_with_a_reason(
    tmp_path: Path, web: PartnerWeb
) -> None:
    path = tmp_path / "register.csv"
    path.write_text("name,kind\nSomerset Council,council\n")
    result = await pull(register(path=str(path), format="csv"))
    assert result.failure is not None and "no column code, former_names" in result.failure
    result = await pull(register(path=str(path), holds="council"))
    assert result.errors and "columns, an ODS file has at least 12" in str(result.errors[0])
    web.route("/gone.csv", Reply(status=404))
    result = await pull(register(url=web.url("/gone.csv"), holds="trust"))
    assert result.failure is not None and "404" in result.failure


def test_the_partners_file_declares_registers_with_paths_beside_it(tmp_path: Path) -> None:
    (tmp_path / "registers").mkdir()
    config = {
        "partners": [
            {
                "id": "hub",
                "name": "Vale Improvement Hub",
                "sector": "improvement_body",
                "sources": [
                    {
                        "id": "nhs-trusts",
                        "kind": "register",
                        "holds": "trust",
                        "path": "registers/etr.csv",
                        "successors": "registers/succ.csv",
                    },
                    {"id": "councils", "kind": "register", "format": "csv", "path": "c.csv"},
                ],
            }
        ]
    }
    path = tmp_path / "partners.yaml"
    path.write_text(yaml.safe_dump(config))
    sources = dict((s.id, s) for _, s in load_partners(path, env={}).sources())
    trusts = sources["nhs-trusts"]
    assert trusts.path == tmp_path / "registers" / "etr.csv"  # type: ignore[union-attr]
    assert trusts.successors == str(tmp_path / "registers" / "succ.csv")  # type: ignore[union-attr]
    config["partners"][0]["sources"][1].pop("format")  # type: ignore[index]
    path.write_text(yaml.safe_dump(config))
    with pytest.raises(PartnersFileError) as error:
        load_partners(path, env={})
    assert "source 'councils'" in str(error.value)
    assert "an ODS register needs holds: trust, icb, gp_practice" in str(error.value)
