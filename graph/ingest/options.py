"""How ingestion resolves and protects what it writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from graph.vocabulary import Vocabulary

DEFAULT_SALT = "convener-development-salt"
STALE_RUN_AFTER = timedelta(hours=6)
"""A run still marked running this long after it started is taken to be abandoned."""


@dataclass(frozen=True)
class IngestOptions:
    """How ingestion resolves and protects: batch size, retirement guard, identity salt, and
    when a run left running counts as abandoned."""

    batch_size: int = 2000
    max_retire_share: float = 0.5
    identity_salt: str = DEFAULT_SALT
    organisation_aliases: Mapping[str, str] = field(default_factory=dict)
    vocabulary: Vocabulary = field(default_factory=Vocabulary.load)
    stale_run_after: timedelta = STALE_RUN_AFTER
