"""The words of an uploaded file, so search finds what it says.

PDFs through pypdf; Word and PowerPoint files by reading their XML parts straight from the
zip (the text runs ``w:t`` and ``a:t``), each part read with a bound so a zip bomb cannot
swell. Images have no text here. The text is cut at ``MAX_TEXT`` characters; a file whose text
cannot be read is kept without text (it is still a valid upload). The hub runs these readers
in a child process (``hub.files.extraction``), never in its own.
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from hub.files.kinds import DOCX, PDF, PPTX

log = logging.getLogger(__name__)

MAX_TEXT = 20_000
MAX_PAGES = 200
MAX_PART_BYTES = 20 * 1024 * 1024  # uncompressed bytes read from one part of an Office zip
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_SLIDE = re.compile(r"^ppt/slides/slide(\d+)\.xml$")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def _tidy(parts: list[str]) -> str:
    text = "\n".join(_SPACE.sub(" ", p).strip() for p in parts)
    return re.sub(r"\n{3,}", "\n\n", text).strip()[:MAX_TEXT]


def _pdf(path: Path) -> str:
    from pypdf import PdfReader  # only uploads need it

    reader = PdfReader(path)
    parts: list[str] = []
    size = 0
    for page in reader.pages[:MAX_PAGES]:
        words = page.extract_text() or ""
        parts.append(words)
        size += len(words)
        if size >= MAX_TEXT:
            break
    return _tidy(parts)


def _part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    with archive.open(name) as file:
        data = file.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise ValueError(f"{name} is larger than {MAX_PART_BYTES} bytes uncompressed")
    return ElementTree.fromstring(data)


def _paragraphs(root: ElementTree.Element, paragraph: str, run: str) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(run)) for p in root.iter(paragraph)]


def _docx(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        root = _part(archive, "word/document.xml")
    return _tidy(_paragraphs(root, f"{_W}p", f"{_W}t"))


def _pptx(path: Path) -> str:
    parts: list[str] = []
    with zipfile.ZipFile(path) as archive:
        slides = sorted(
            (int(m[1]), name) for name in archive.namelist() if (m := _SLIDE.match(name))
        )
        for _, name in slides:
            parts += _paragraphs(_part(archive, name), f"{_A}p", f"{_A}t")
            if sum(map(len, parts)) >= MAX_TEXT:
                break
    return _tidy(parts)


_READERS = {PDF: _pdf, DOCX: _docx, PPTX: _pptx}
READABLE = frozenset(_READERS)
"""The content types whose text is read; other kinds (images) have none here."""


def extract_text(path: Path, content_type: str) -> str:
    """The file's text (at most ``MAX_TEXT`` characters), or "" when it has none we can read."""
    reader = _READERS.get(content_type)
    if reader is None:
        return ""
    try:
        return reader(path)
    except MemoryError:  # not a damaged file: a bound reached, for the caller to report
        raise
    except Exception as error:  # a damaged file is still a file; its text is just not searchable
        log.warning("no text from an uploaded %s: %s", content_type, error)
        return ""
