"""Configuration from the environment (``CONVENER_*``) and an optional ``.env`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from graph.ingest import IngestOptions
from graph.vocabulary import DEFAULT_VOCABULARY, Vocabulary


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
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Hub processes serving the port (`convener serve --workers`). Each keeps "
        "its own rate-limit buckets and metrics: see README.md, Deploying.",
    )
    neo4j_startup_timeout: float = Field(default=120.0, gt=0)
    identity_salt: SecretStr = Field(
        default=SecretStr("convener-development-salt"),
        description="Salt for the hashes that match people's e-mail addresses across sources; "
        "set your own in production and keep it (changing it unlinks earlier matches).",
    )
    vocabulary_file: Path | None = Field(
        default=None, description="The topic vocabulary (YAML); the shipped one when unset."
    )

    # --- access (issue 7): see "Access, personal data and widgets" in README.md ------------
    env: Literal["development", "production"] = Field(
        default="development",
        description="`production` makes anonymous callers persisted-only unless told otherwise.",
    )
    anonymous_persisted_only: bool | None = Field(
        default=None,
        description="Anonymous callers may run only allowlisted (persisted) operations; unset: "
        "true in production, false in development.",
    )
    oidc_issuer: str | None = Field(
        default=None, description="Issuer (`iss`) of accepted bearer tokens; unset: no tokens."
    )
    oidc_audience: str = Field(default="convener", description="Required `aud` of tokens.")
    oidc_jwks_url: str | None = Field(
        default=None, description="The issuer's JWKS; unset: read from its discovery document."
    )
    oidc_role_claim: str = "convener_role"
    oidc_partner_claim: str = "convener_partner"
    embed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed besides the partners' own (comma-separated).",
    )
    origins_refresh: float = Field(
        default=60.0, gt=0, description="Seconds between re-reads of partners' embed origins."
    )
    rate_limit: int = Field(
        default=300, ge=1, description="Requests a minute from one client address (anonymous)."
    )
    rate_limit_key: int = Field(
        default=1200, ge=1, description="Requests a minute for one API key or token subject."
    )
    trust_proxy: bool = Field(
        default=False,
        description="Take the client address from X-Forwarded-For (behind a trusted proxy only).",
    )
    embed_max_age: int = Field(
        default=60, ge=0, description="Seconds caches may keep anonymous persisted answers."
    )
    extra_persisted_dir: Path | None = Field(
        default=None,
        description="A directory of further persisted operations (.graphql files) beside the "
        "hub's own: a partner's, say, or a benchmark's.",
    )
    answer_cache_entries: int = Field(
        default=2000,
        ge=0,
        description="Answers to persisted queries a hub keeps in memory (0: none).",
    )
    answer_cache_bytes: int = Field(
        default=64 * 1024 * 1024, ge=0, description="Bytes those answers may take at most."
    )
    graph_version_poll: float = Field(
        default=1.0,
        gt=0,
        description="Seconds between a hub's reads of the graph's version: how soon it serves "
        "what another hub or a sync wrote.",
    )

    # --- contributions (issue 18): see "Members' contributions" in README.md --------------
    files_dir: Path | None = Field(
        default=None,
        description="Where uploaded files are kept by content hash; unset: `files` under "
        "data_dir. Hubs serving one graph must share it (a mounted volume).",
    )
    file_max_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1, description="The largest file a member may upload."
    )
    upload_bytes_per_day: int = Field(
        default=200 * 1024 * 1024,
        ge=1,
        description="Bytes one signed-in caller may upload in any 24 hours, on every hub "
        "serving the graph (counted from the files' records).",
    )
    contribution_rate_limit: int = Field(
        default=10,
        ge=1,
        description="Submissions (and, apart, uploads) a minute from one signed-in caller.",
    )

    @field_validator("embed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip().rstrip("/") for item in value.split(",") if item.strip()]
        return value

    @property
    def persisted_only(self) -> bool:
        """Whether anonymous callers are held to the allowlist of persisted operations."""
        if self.anonymous_persisted_only is not None:
            return self.anonymous_persisted_only
        return self.env == "production"

    @property
    def files_root(self) -> Path:
        return self.files_dir or self.data_dir / "files"

    @property
    def local_neo4j_home(self) -> Path:
        return self.data_dir / "neo4j"


def ingest_options(settings: Settings) -> IngestOptions:
    """Ingestion as this hub is configured: its identity salt and topic vocabulary."""
    return IngestOptions(
        identity_salt=settings.identity_salt.get_secret_value(),
        vocabulary=Vocabulary.load(settings.vocabulary_file or DEFAULT_VOCABULARY),
    )
