"""How ingestion resolves and protects what it writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.vocabulary import Vocabulary

DEFAULT_SALT = "convener-development-salt"


@dataclass(frozen=True)
class IngestOptions:
    """How ingestion resolves and protects: batch size, retirement guard, identity salt."""

    batch_size: int = 2000
    max_retire_share: float = 0.5
    identity_salt: str = DEFAULT_SALT
    organisation_aliases: Mapping[str, str] = field(default_factory=dict)
    vocabulary: Vocabulary = field(default_factory=Vocabulary.load)
