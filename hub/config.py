"""Configuration from the environment (``CONVENER_*``) and an optional ``.env`` file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the hub reads from its environment.

    With no ``neo4j_uri`` the hub starts the local Neo4j and keeps its data under ``data_dir``.
    """

    model_config = SettingsConfigDict(
        env_prefix="CONVENER_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    neo4j_uri: str | None = Field(
        default=None,
        description="bolt:// or neo4j:// URI of a Neo4j server or cluster; unset starts the "
        "local Neo4j.",
        pattern=r"^(bolt|neo4j)(\+s|\+ssc)?://.+",
    )
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    data_dir: Path = Field(
        default=Path(".convener"), description="Where the local Neo4j keeps its data."
    )
    cache_dir: Path | None = Field(
        default=None, description="Where the local Neo4j's jars are cached (~/.cache/convener)."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    neo4j_startup_timeout: float = Field(default=120.0, gt=0)
    identity_salt: SecretStr = Field(
        default=SecretStr("convener-development-salt"),
        description="Salt for the hashes that match people's e-mail addresses across sources; "
        "set your own in production and keep it (changing it unlinks earlier matches).",
    )
    vocabulary_file: Path | None = Field(
        default=None, description="The topic vocabulary (YAML); the shipped one when unset."
    )

    @property
    def local_neo4j_home(self) -> Path:
        return self.data_dir / "neo4j"
