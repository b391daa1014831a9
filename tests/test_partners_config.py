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
    assert str(path) in str(caught.value)
    return caught.value.problems


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
        "partner 'zv-hospitals', source 'zv-projects', field url: environment variable ZV_BASE "
        "is not set (set it, or write the value in the file)"
    ]


def test_unknown_keys_are_named_by_entry_and_field(tmp_path: Path) -> None:
    text = GOOD.replace("size: 50", "sise: 50").replace("interval: 6h", "intreval: 6h")
    assert sorted(problems(write(tmp_path, text))) == [
        "partner 'zv-hospitals', source 'zv-projects', field intreval: unknown key (check its "
        "spelling and its place)",
        "partner 'zv-hospitals', source 'zv-projects', field mapping.project.pagination.sise: "
        "unknown key (check its spelling and its place)",
    ]


def test_bad_values_say_what_is_wrong(tmp_path: Path) -> None:
    text = (
        GOOD.replace("sector: nhs", "sector: hospital")
        .replace("interval: 6h", "interval: often")
        .replace("style: page", "style: pages")
    )
    found = problems(write(tmp_path, text))
    assert found[0].startswith("partner 'zv-hospitals', field sector: Input should be 'nhs'")
    assert "source 'zv-projects', field interval: not an interval: 'often'" in found[1]
    assert "field mapping.project.pagination: Input tag 'pages' found" in found[2]


def test_an_entry_without_an_id_is_named_by_its_position(tmp_path: Path) -> None:
    text = GOOD.replace("  - id: zv-hospitals\n", "  - ident: zv-hospitals\n")
    found = problems(write(tmp_path, text))
    assert "partner #1, field id: Field required" in found
    assert "partner #1, field ident: unknown key (check its spelling and its place)" in found


def test_a_secret_cannot_be_written_into_the_file(tmp_path: Path) -> None:
    text = GOOD.replace("token_env: ZV_TOKEN", "token: abc123")
    found = problems(write(tmp_path, text))
    assert any("field auth.token: unknown key" in problem for problem in found)


def test_references_and_ids_are_checked(tmp_path: Path) -> None:
    unknown_system = GOOD.replace("system: zedvale-ics", "system: nowhere-ics")
    assert problems(write(tmp_path, unknown_system)) == [
        "the file: partner 'zv-hospitals': unknown system 'nowhere-ics'"
    ]
    twice = GOOD.replace("id: zv-register", "id: zv-projects")
    assert problems(write(tmp_path, twice)) == ["the file: source id 'zv-projects' is used twice"]
    reserved = GOOD.replace("id: zv-register", "id: partners")
    assert "reserved for the partner registry" in problems(write(tmp_path, reserved))[0]


def test_mapping_and_entities_must_agree(tmp_path: Path) -> None:
    text = GOOD.replace("entities: [project, person]", "entities: [project]")
    assert problems(write(tmp_path, text)) == [
        "partner 'zv-hospitals', source 'zv-register': mapping.person is not in entities "
        "['project']"
    ]
    csv = GOOD.replace("data/register.xlsx", "data/register.csv")
    assert "a CSV carries one entity" in problems(write(tmp_path, csv))[0]


def test_not_yaml_and_not_there(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "partners: [\n"))[0].startswith("is not valid YAML")
    assert problems(tmp_path / "missing.yaml") == ["cannot be read: No such file or directory"]
