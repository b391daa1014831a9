"""Where uploaded files' bytes live: a directory of content hashes.

A file is kept once under ``<root>/<first two hex digits>/<sha256>``, whoever uploaded it and
however often. Several hubs may share the directory (a mounted volume): a file is written to
a temporary name inside the root and renamed into place, which is atomic on one file system,
so a hub never reads a half-written file and two hubs writing the same content agree.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import AsyncIterator
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
        """Move a complete temporary file to its place by hash (or drop it if already kept)."""
        final = self.path_of(sha256)
        if final.exists():
            temporary.unlink(missing_ok=True)
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, final)
        return final


async def copy_hashing(chunks: AsyncIterator[bytes], target: Path, limit: int) -> tuple[str, int]:
    """Write ``chunks`` to ``target``; their SHA-256 and size. ValueError past ``limit`` bytes."""
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as out:
        async for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise ValueError(f"more than {limit} bytes")
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size
