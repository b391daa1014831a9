"""schema/schema.graphql is the exported SDL; the test fails when code and file drift."""

from __future__ import annotations

import re

from schema import export


def test_exported_sdl_matches_the_code() -> None:
    on_disk = export.SDL_FILE.read_text(encoding="utf-8")
    assert on_disk == export.sdl(), (
        "schema/schema.graphql is out of date: run `python -m schema.export` and commit it"
    )


def test_personal_fields_are_marked_and_hashes_never_exposed() -> None:
    sdl = export.sdl()
    assert "contact: Contact @personal" in sdl
    assert "emailHashes" not in sdl
    assert "email: String" in sdl.split("type Contact {")[1].split("}")[0]
    person = sdl.split("type Person @key")[1].split("\n}")[0]
    assert not re.search(r"^\s+(email|phone)\b", person, re.MULTILINE)
