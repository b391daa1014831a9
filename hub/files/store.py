"""Where uploaded files' bytes live: a directory of content hashes.

A file is kept once under ``<root>/<first two hex digits>/<sha256>``, whoever uploaded it and
however often. Several hubs may share the directory (a mounted volume): a file is written to
a temporary name inside the root and renamed into place, which is atomic on one file system,
so a hub never reads a half-written file and two hubs writing the same content agree. Bytes
go when their last record does (``forget``), unless they were just kept again.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path
from typing import IO

_HASH = re.compile(r"^[0-9a-f]{64}$")


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        if not _HASH.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def incoming(self) -> IO[bytes]:
        """A temporary file inside the root (same file system as its final place)."""
        spool = self.root / "incoming"
        spool.mkdir(parents=True, exist_ok=True)
        return tempfile.NamedTemporaryFile(dir=spool, prefix="upload-", delete=False)

    def keep(self, temporary: Path, sha256: str) -> Path:
        """Move a complete temporary file to its place by hash. Content already kept is
        replaced by the same bytes, fresh: ``forget`` leaves bytes kept lately alone."""
        final = self.path_of(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, final)
        return final

    def forget(self, sha256: str, kept_within: float) -> bool:
        """Delete a content's bytes, unless they were kept in the last ``kept_within`` seconds
        (an upload of the same content, through this hub or another, may be recording them);
        whether they went."""
        path = self.path_of(sha256)
        try:
            if time.time() - path.stat().st_mtime < kept_within:
                return False
            path.unlink()
        except FileNotFoundError:
            return False
        return True
