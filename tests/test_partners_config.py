"""The partners file: what a person writes, and what they are told when it is wrong."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from connectors.partners import (
    JsonApiSource,
    PagePagination,
    PartnersFileError,
    TabularSource,
    load_partners,
)

GOOD = """
systems:
  - id: zedvale-ics
    name: Zedvale Integrated Care System
    neighbours: [yarrow-ics]
  - id: yarrow-ics
    name: Yarrow Integrated Care System
partners:
  - id: zv-hospitals
    name: Zedvale Hospitals NHS Foundation Trust
    sector: nhs
    org_type: acute trust
    system: zedvale-ics
    ods_code: zzv01
    website: https://zv-hospitals.example
    embed_origins: ["https://zv-hospitals.example"]
    sources:
      - id: zv-projects
        kind: json_api
        url: ${ZV_BASE}/api/projects
        entities: [project]
        auth: {type: bearer, token_env: ZV_TOKEN}
        interval: 6h
        mapping:
          project:
            items: data
            pagination: {style: page, size: 50}
            fields: {ref: id, title: name}
      - id: zv-register
        kind: tabular
        path: data/register.xlsx
        entities: [project, person]
        mapping:
          project: {sheet: Projects, fields: {ref: Ref, title: Title}}
          person: {sheet: People, fields: {ref: Ref, name: Name}}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "partners.yaml"
    path.write_text(text)
    return path


def problems(path: Path, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(PartnersFileError) as caught:
        load_partners(path, env={"ZV_BASE": "https://zv.example"} if env is None else env)
    assert str(caught.value).startswith(f"{path}: ")
    return caught.value.problems


def line(text: str, needle: str) -> str:
    """``line N: `` for the line of ``text`` that holds ``needle`` (there is one)."""
    (number,) = [n for n, row in enumerate(text.splitlines(), 1) if needle in row]
    return f"line {number}: "


def test_a_good_file_loads_with_variables_expanded_and_paths_resolved(tmp_path: Path) -> None:
    partners = load_partners(write(tmp_path, GOOD), env={"ZV_BASE": "https://zv.example"})
    (partner,) = partners.partners
    assert partner.ods_code == "ZZV01"
    api, register = partner.sources
    assert isinstance(api, JsonApiSource) and isinstance(register, TabularSource)
    assert api.url == "https://zv.example/api/projects"
    assert api.interval == timedelta(hours=6) and api.host == "zv.example"
    assert isinstance(api.mapping["project"].pagination, PagePagination)
    assert register.path == tmp_path / "data" / "register.xlsx"
    assert register.is_xlsx and register.host is None
    assert [s.id for _, s in partners.sources()] == ["zv-projects", "zv-register"]


def test_an_undefined_variable_names_where_it_is_used(tmp_path: Path) -> None:
    assert problems(write(tmp_path, GOOD), env={}) == [
        line(GOOD, "url: ${ZV_BASE}")
        + "partner 'zv-hospitals', source 'zv-projects', field url: environment variable ZV_BASE "
        "is not set (set it, or write the value in the file)"
    ]


def test_unknown_keys_are_named_by_entry_and_field(tmp_path: Path) -> None:
    text = GOOD.replace("size: 50", "sise: 50").replace("interval: 6h", "intreval: 6h")
    assert (
        problems(write(tmp_path, text))
        == [  # in the order of the file
            line(text, "intreval")
            + "partner 'zv-hospitals', source 'zv-projects', field intreval: unknown key "
            "(did you mean `interval`?)",
            line(text, "sise") + "partner 'zv-hospitals', source 'zv-projects', field "
            "mapping.project.pagination.sise: unknown key (did you mean `size`?)",
        ]
    )
    far = GOOD.replace("interval: 6h", "cadence: 6h")  # like nothing allowed there
    assert problems(write(tmp_path, far)) == [
        line(far, "cadence")
        + "partner 'zv-hospitals', source 'zv-projects', field cadence: unknown key (check its "
        "spelling and its place)"
    ]


def test_bad_values_say_what_is_wrong(tmp_path: Path) -> None:
    text = (
        GOOD.replace("sector: nhs", "sector: hospital")
        .replace("interval: 6h", "interval: often")
        .replace("style: page", "style: pages")
    )
    found = problems(write(tmp_path, text))
    assert found[0].startswith(
        line(text, "sector:") + "partner 'zv-hospitals', field sector: Input should be 'nhs'"
    )
    assert found[1].startswith(line(text, "interval: often"))
    assert "source 'zv-projects', field interval: not an interval: 'often'" in found[1]
    assert found[2].startswith(line(text, "style: pages"))
    assert "field mapping.project.pagination: Input tag 'pages' found" in found[2]


def test_an_entry_without_an_id_is_named_by_its_position(tmp_path: Path) -> None:
    text = GOOD.replace("  - id: zv-hospitals\n", "  - ident: zv-hospitals\n")
    found = problems(write(tmp_path, text))
    assert found == [  # a missing key is placed at its entry
        line(text, "ident:") + "partner #1, field id: Field required",
        line(text, "ident:")
        + "partner #1, field ident: unknown key (check its spelling and its place)",
    ]


def test_a_secret_cannot_be_written_into_the_file(tmp_path: Path) -> None:
    text = GOOD.replace("token_env: ZV_TOKEN", "token: abc123")
    found = problems(write(tmp_path, text))
    assert any("field auth.token: unknown key" in problem for problem in found)


def test_references_and_ids_are_checked(tmp_path: Path) -> None:
    unknown_system = GOOD.replace("system: zedvale-ics", "system: zedvale-isc")
    assert problems(write(tmp_path, unknown_system)) == [
        line(unknown_system, "system: zedvale-isc")
        + "partner 'zv-hospitals', field system: unknown system 'zedvale-isc' "
        "(did you mean `zedvale-ics`?)"
    ]
    twice = GOOD.replace("id: zv-register", "id: zv-projects")
    assert problems(write(tmp_path, twice)) == [
        line(GOOD, "id: zv-register")
        + "partner 'zv-hospitals', source 'zv-projects', field id: source id 'zv-projects' is "
        "used twice"
    ]
    reserved = GOOD.replace("id: zv-register", "id: partners")
    assert "reserved for the partner registry" in problems(write(tmp_path, reserved))[0]


def test_mapping_and_entities_must_agree(tmp_path: Path) -> None:
    text = GOOD.replace("entities: [project, person]", "entities: [project]")
    assert problems(write(tmp_path, text)) == [
        line(GOOD, "id: zv-register")
        + "partner 'zv-hospitals', source 'zv-register': mapping.person is not in entities "
        "['project']"
    ]
    csv = GOOD.replace("data/register.xlsx", "data/register.csv")
    assert "a CSV carries one entity" in problems(write(tmp_path, csv))[0]


def test_not_yaml_and_not_there(tmp_path: Path) -> None:
    broken = GOOD.replace("name: Yarrow Integrated Care System", "name: Yarrow: an ICS")
    with pytest.raises(PartnersFileError) as caught:
        load_partners(write(tmp_path, broken))
    assert str(caught.value) == (  # the file and the line, not "<unicode string>"
        f"{tmp_path / 'partners.yaml'}: 1 problem\n"
        f"  - {line(broken, 'Yarrow: an ICS').removesuffix(': ')}, "
        "column 17: not valid YAML: mapping values are not allowed here"
    )
    assert problems(tmp_path / "missing.yaml") == ["cannot be read: No such file or directory"]


def test_every_mistake_is_listed_in_one_run(tmp_path: Path) -> None:
    text = (
        GOOD.replace("sector: nhs", "sectr: nhs")
        .replace("system: zedvale-ics", "system: nowhere-ics")
        .replace("${ZV_BASE}", "${ZV_BAS}")
    )
    found = problems(write(tmp_path, text))
    assert [problem.split(": ")[0] for problem in found] == [
        line(text, "id: zv-hospitals").removesuffix(": "),  # the sector it lacks, at its entry
        line(text, "sectr").removesuffix(": "),
        line(text, "system: nowhere").removesuffix(": "),
        line(text, "ZV_BAS").removesuffix(": "),
    ]
    assert "field sector: Field required" in found[0]
    assert "field sectr: unknown key (did you mean `sector`?)" in found[1]
    assert "field system: unknown system 'nowhere-ics'" in found[2]
    assert "environment variable ZV_BAS is not set" in found[3]


def test_a_mapping_names_only_fields_its_record_has(tmp_path: Path) -> None:
    text = GOOD.replace("{ref: Ref, title: Title}", "{ref: Ref, titel: Title}").replace(
        "name: Name}", "name: Name, organisation.odscode: Org}"
    )
    assert problems(write(tmp_path, text)) == [
        line(text, "titel")
        + "partner 'zv-hospitals', source 'zv-register', field mapping.project.fields.titel: "
        "'titel' is not a field of a project (did you mean `title`?)",
        line(text, "odscode") + "partner 'zv-hospitals', source 'zv-register', field "
        "mapping.person.fields.organisation.odscode: 'odscode' is not a field of organisation "
        "(did you mean `ods_code`?)",
    ]
    # Nested fields and defaults that records have are accepted.
    fine = GOOD.replace(
        "{ref: Ref, title: Title}",
        "{ref: Ref, title: Title, lead_organisation.ods_code: Lead, visits.on_request: Visits}",
    )
    fine = fine.replace(
        "fields: {ref: id, title: name}",
        "fields: {ref: id, title: name}\n            defaults: {status: active}",
    )
    load_partners(write(tmp_path, fine), env={"ZV_BASE": "https://zv.example"})
