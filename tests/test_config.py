"""Settings come from CONVENER_* variables and .env, and bad values are named."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from hub.config import Settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("CONVENER_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults_start_the_local_neo4j_under_dot_convener() -> None:
    settings = Settings()
    assert settings.neo4j_uri is None
    assert settings.local_neo4j_home == Path(".convener") / "neo4j"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize(
    "uri", ["bolt://db:7687", "neo4j://cluster.example:7687", "neo4j+s://abc.databases.example"]
)
def test_bolt_and_routing_uris_are_accepted(monkeypatch: pytest.MonkeyPatch, uri: str) -> None:
    monkeypatch.setenv("CONVENER_NEO4J_URI", uri)
    monkeypatch.setenv("CONVENER_NEO4J_PASSWORD", "s3cret")
    settings = Settings()
    assert settings.neo4j_uri == uri
    assert settings.neo4j_password is not None
    assert "s3cret" not in repr(settings)


def test_dot_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CONVENER_PORT=9123\nCONVENER_NEO4J_DATABASE=hub\n")
    settings = Settings()
    assert settings.port == 9123
    assert settings.neo4j_database == "hub"


def test_a_bad_uri_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVENER_NEO4J_URI", "http://db:7474")
    with pytest.raises(ValidationError, match="neo4j_uri"):
        Settings()
