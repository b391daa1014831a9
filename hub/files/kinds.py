"""What an uploaded file is, judged by its bytes and never by its name.

PDF and images by their magic bytes; DOCX and PPTX are zip archives, told apart by the main
part their ``[Content_Types].xml`` declares. Anything else, an executable above all, is
refused with a sentence saying what it looked like.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF = "application/pdf"
_OFFICE_MAIN = {
    DOCX + ".main+xml": (DOCX, ".docx"),
    "application/vnd.ms-word.document.macroEnabled.main+xml": None,  # refused: macros
    PPTX + ".main+xml": (PPTX, ".pptx"),
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": None,
}
_MAX_CONTENT_TYPES = 1024 * 1024  # bytes of [Content_Types].xml read at most
_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
ACCEPTED = (
    "a PDF, a Word document (.docx), a PowerPoint deck (.pptx) or a PNG, JPEG, GIF or WebP image"
)


class NotAccepted(ValueError):
    """A file of a kind the hub does not take; the message says what it seemed to be."""


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str


def _image(head: bytes) -> Kind | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind("image/png", ".png")
    if head.startswith(b"\xff\xd8\xff"):
        return Kind("image/jpeg", ".jpg")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Kind("image/gif", ".gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind("image/webp", ".webp")
    return None


def _looks_like(head: bytes) -> str:
    if (
        head.startswith(b"MZ")
        or head.startswith(b"\x7fELF")
        or head[:4]
        in (
            b"\xfe\xed\xfa\xce",
            b"\xfe\xed\xfa\xcf",
            b"\xcf\xfa\xed\xfe",
            b"\xce\xfa\xed\xfe",
        )
    ):
        return "an executable program"
    if head.startswith(b"#!"):
        return "a script"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html", b"<svg", b"<?xml")):
        return "markup (HTML, SVG or XML)"
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Office file (.doc, .ppt or .xls)"
    return "none of those"


def _office(path: Path) -> Kind:
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES:
                raise NotAccepted("its [Content_Types].xml is implausibly large")
            root = ElementTree.fromstring(archive.read(info))
            parts = set(archive.namelist())
    except KeyError:
        raise NotAccepted(
            f"it is a zip archive but not an Office document; upload {ACCEPTED}"
        ) from None
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError):
        raise NotAccepted(f"it is a damaged zip or Office file; upload {ACCEPTED}") from None
    for override in root.iter(f"{_TYPES_NS}Override"):
        declared = override.get("ContentType", "")
        if declared in _OFFICE_MAIN:
            found = _OFFICE_MAIN[declared]
            if override.get("PartName", "").lstrip("/") not in parts:
                raise NotAccepted("it declares a main part the archive does not hold")
            if found is None:
                raise NotAccepted("it is a macro-enabled Office file; save it without macros")
            return Kind(*found)
    raise NotAccepted(
        f"it is an Office file but neither a Word document nor a PowerPoint deck; upload {ACCEPTED}"
    )


def detect(path: Path) -> Kind:
    """The kind of the file at ``path``, by its content; NotAccepted otherwise."""
    with path.open("rb") as file:
        head = file.read(16)
    if head.startswith(b"%PDF-"):
        return Kind(PDF, ".pdf")
    image = _image(head)
    if image is not None:
        return image
    if head.startswith(b"PK\x03\x04"):
        return _office(path)
    raise NotAccepted(f"accepted are {ACCEPTED}; this file's content is {_looks_like(head)}")
