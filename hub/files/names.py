"""Safe file names: what a download may call a file whatever the uploader named it."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 120
_UNSAFE = re.compile(r"[^\w.()\- ]+")
_SPACES = re.compile(r"\s+")
ALIASES = {".jpg": (".jpg", ".jpeg")}


def sanitise(name: str | None, extension: str) -> str:
    """The last path part of ``name``, without control characters, quotes, slashes or leading
    dots, at most ``MAX_NAME`` characters, ending in ``extension`` (the checked kind's): a
    ``.exe`` that is a PDF is downloaded as ``….exe.pdf``."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKC", base)
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    base = _SPACES.sub(" ", _UNSAFE.sub("_", base)).strip(" ._")
    given = next((e for e in ALIASES.get(extension, (extension,)) if base.lower().endswith(e)), "")
    if given:
        extension = base[len(base) - len(given) :]
    stem = base[: len(base) - len(given)] if given else base
    stem = stem[: MAX_NAME - len(extension)].rstrip(" ._") or "file"
    return stem + extension
