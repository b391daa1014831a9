"""Contributions' files over HTTP against the real hub and Neo4j: kinds judged by content (a
PDF named .docx is a PDF, a program named .pdf is refused), the size bound (declared and
streamed), safe names, who may download and with which headers, and an approved attachment's
text found by search."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.contributions import store
from graph.database import Graph
from hub.files.extraction import TextReader, child_environment
from hub.files.kinds import DOCX, PDF, PPTX, NotAccepted, detect
from hub.files.names import sanitise
from hub.files.text import extract_text
from tests.contributions_helpers import (
    PNG,
    SUBMIT,
    Keys,
    bearer,
    docx_with,
    gql,
    hub_client,
    load,
    pdf_drawing,
    pdf_with,
    pptx_with,
    project_input,
)

APPROVE = "mutation ($id: ID!) { approveSubmission(id: $id) { status graphId } }"
DOWNLOADS = """query ($a: ID!, $b: ID!) {
  a: resource(id: $a) { id download } b: resource(id: $b) { id download }
}"""
SEARCH = """query ($text: String!) {
  search(text: $text, kinds: [RESOURCE]) { node { ... on Resource { id title } } }
}"""


@pytest.fixture(scope="module")
async def keys(session_graph: Graph) -> Keys:
    return await load(session_graph)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("files")


@pytest.fixture(scope="module")
async def hub(session_graph: Graph, keys: Keys, files: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with hub_client(session_graph, files) as client:
        yield client


async def upload(
    hub: httpx.AsyncClient, key: str | None, name: str, content: bytes
) -> httpx.Response:
    return await hub.post("/files", files={"file": (name, content)}, headers=bearer(key))


def test_kinds_are_judged_by_content(tmp_path: Path) -> None:
    cases = {
        "a.bin": (pdf_with("hello"), PDF),
        "b.bin": (docx_with("hello"), DOCX),
        "c.bin": (pptx_with("hello"), PPTX),
        "d.bin": (PNG, "image/png"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        assert detect(path).content_type == expected
    for content, said in (
        (b"MZ\x90\x00" + b"\x00" * 60, "an executable program"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "an executable program"),
        (b"<html><script>alert(1)</script></html>", "markup"),
    ):
        path = tmp_path / "x.pdf"
        path.write_bytes(content)
        with pytest.raises(NotAccepted, match=said):
            detect(path)


def test_text_is_extracted_from_pdf_word_and_powerpoint(tmp_path: Path) -> None:
    for content, kind, words in (
        (pdf_with("Hourly rounding cut falls"), PDF, "Hourly rounding cut falls"),
        (docx_with("Ward seven", "Lessons: start small"), DOCX, "Ward seven\nLessons: start small"),
        (pptx_with("Slide one", "Slide two"), PPTX, "Slide one\nSlide two"),
    ):
        path = tmp_path / "file"
        path.write_bytes(content)
        assert extract_text(path, kind) == words
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really")
    assert extract_text(broken, PDF) == ""


def readers_running() -> list[int]:
    """Child processes of this one still reading a file's text."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError):  # it ended while we looked
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"hub.files.extraction" in command:
            found.append(int(entry.name))
    return found


async def test_text_that_takes_too_long_is_given_up_and_its_reader_killed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A PDF of a hundred thousand moves before its one word: honest, but slow to read. Given
    time its word is found; past the deadline the file has no text and no reader is left
    running (a thread could only have been abandoned, still holding the interpreter)."""
    path = tmp_path / "slow.pdf"
    path.write_bytes(pdf_drawing(b"BT /F1 12 Tf " + b"0 0 Td " * 100_000 + b"(slow) Tj ET"))
    assert await TextReader().read(path, PDF) == "slow"
    with caplog.at_level(logging.WARNING, logger="hub.files.extraction"):
        assert await TextReader(timeout=0.2).read(path, PDF) == ""
    assert "no text from an uploaded application/pdf within 0.2 s" in caplog.text
    assert readers_running() == []


async def test_a_reader_is_held_to_its_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The reader's address space is capped: below what reading needs, the file has no text
    and the hub says why; the same file within the default cap gives its words."""
    path = tmp_path / "small.pdf"
    path.write_bytes(pdf_with("Hourly rounding"))
    with caplog.at_level(logging.WARNING, logger="hub.files.extraction"):
        assert await TextReader(memory_bytes=32 * 1024 * 1024).read(path, PDF) == ""
    assert "MemoryError" in caplog.text, caplog.text
    assert await TextReader().read(path, PDF) == "Hourly rounding"
    assert await TextReader().read(path, "image/png") == ""


def test_the_reader_is_given_none_of_the_hubs_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVENER_NEO4J_PASSWORD", "not for a parser")
    given = child_environment()
    assert not [name for name in given if name.startswith("CONVENER_")]
    assert "not for a parser" not in given.values()


def test_names_are_made_safe() -> None:
    assert sanitise("../../etc/pass\x00wd.pdf", ".pdf") == "passwd.pdf"
    assert sanitise('C:\\Users\\a\\"quote"<b>.pdf', ".pdf") == "quote_b.pdf"
    assert sanitise("report.docx", ".pdf") == "report.docx.pdf"
    assert sanitise("photo.JPEG", ".jpg") == "photo.JPEG"
    assert sanitise("...", ".png") == "file.png"
    assert sanitise(None, ".pdf") == "file.pdf"
    assert len(sanitise("x" * 500 + ".pdf", ".pdf")) == 120


async def test_uploads_need_sign_in_and_are_kept_by_content_hash(
    hub: httpx.AsyncClient, keys: Keys, files: Path
) -> None:
    content = pdf_with("Kept by hash")
    refused = await upload(hub, None, "a.pdf", content)
    assert refused.status_code == 401
    assert "Sign in" in refused.json()["errors"][0]["message"]

    renamed = await upload(hub, keys.member, "../secret/plan.docx", content)
    assert renamed.status_code == 201, renamed.text
    body = renamed.json()
    digest = hashlib.sha256(content).hexdigest()
    assert body["contentType"] == PDF
    assert body["name"] == "plan.docx.pdf"
    assert body["size"] == len(content) and body["sha256"] == digest
    assert (files / digest[:2] / digest).read_bytes() == content
    again = await upload(hub, keys.other_member, "same.pdf", content)
    assert again.json()["sha256"] == digest and again.json()["id"] != body["id"]
    assert not list((files / "incoming").iterdir())


async def test_wrong_kinds_are_refused_by_content(hub: httpx.AsyncClient, keys: Keys) -> None:
    program = await upload(hub, keys.member, "report.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    assert program.status_code == 415
    assert "executable" in program.json()["errors"][0]["message"]
    archive = docx_with("x").replace(b"word/document.xml", b"word/documenx.xml")
    zipped = await upload(hub, keys.member, "slides.pptx", archive)
    assert zipped.status_code == 415
    empty = await upload(hub, keys.member, "empty.pdf", b"")
    assert empty.status_code == 400
    no_part = await hub.post(
        "/files", files={"other": ("a.pdf", b"%PDF-")}, headers=bearer(keys.member)
    )
    assert no_part.status_code == 400 and "`file`" in no_part.json()["errors"][0]["message"]


async def test_the_size_bound_holds_declared_or_streamed(
    session_graph: Graph, keys: Keys, tmp_path: Path
) -> None:
    async with hub_client(session_graph, tmp_path, file_max_bytes=1000) as small:
        fits = await upload(small, keys.member, "small.png", PNG)
        assert fits.status_code == 201
        big = await upload(small, keys.member, "big.pdf", b"%PDF-1.4\n" + b"0" * 2000)
        assert big.status_code == 413
        assert "1000 bytes" in big.json()["errors"][0]["message"]

        async def stream() -> AsyncIterator[bytes]:  # no Content-Length: counted as it comes
            yield b"--b\r\nContent-Disposition: form-data; name=file; filename=x.pdf\r\n\r\n"
            for _ in range(200):
                yield b"%PDF" + b"0" * 1020
            yield b"\r\n--b--\r\n"

        streamed = await small.post(
            "/files",
            content=stream(),
            headers={**bearer(keys.member), "content-type": "multipart/form-data; boundary=b"},
        )
        assert streamed.status_code == 413
        assert not list((tmp_path / "incoming").iterdir())


async def test_downloads_only_to_those_who_may_read_with_safe_headers(
    hub: httpx.AsyncClient, keys: Keys
) -> None:
    uploaded = (await upload(hub, keys.member, "falls: audit é.pdf", pdf_with("x"))).json()
    path = f"/files/{uploaded['id']}"
    own = await hub.get(path, headers=bearer(keys.member))
    assert own.status_code == 200
    assert own.headers["content-type"] == PDF
    assert own.headers["x-content-type-options"] == "nosniff"
    assert own.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert own.headers["content-disposition"] == (
        "attachment; filename=\"falls_ audit _.pdf\"; filename*=UTF-8''falls_%20audit%20%C3%A9.pdf"
    )
    assert own.headers["cache-control"] == "private, no-store"
    assert own.content == pdf_with("x")
    for key in (None, keys.other_member, keys.hub_admin):  # not attached to anything yet
        assert (await hub.get(path, headers=bearer(key))).status_code == 404

    made = await gql(hub, SUBMIT, keys.member, input=project_input(attachments=[uploaded["id"]]))
    submission = made["data"]["submitContribution"]
    assert submission["attachments"][0]["url"] == path
    assert (await hub.get(path, headers=bearer(keys.em_admin))).status_code == 200
    assert (await hub.get(path, headers=bearer(keys.nv_admin))).status_code == 404
    assert (await hub.get(path)).status_code == 404
    stolen = await gql(
        hub, SUBMIT, keys.other_member, input=project_input(attachments=[uploaded["id"]])
    )
    assert stolen["errors"][0]["extensions"]["fields"][0]["field"] == "input.attachments[0]"

    await gql(hub, APPROVE, keys.em_admin, id=submission["id"])
    public = await hub.get(path)
    assert public.status_code == 200 and public.headers["cache-control"].startswith("public")
    assert (await hub.get("/files/f_unknown")).status_code == 404


async def test_an_approved_attachment_is_found_by_its_text(
    hub: httpx.AsyncClient, keys: Keys
) -> None:
    word = "quillmorrow"
    uploaded = (
        await upload(hub, keys.member, "case.docx", docx_with(f"The {word} checklist worked"))
    ).json()
    made = await gql(
        hub,
        SUBMIT,
        keys.member,
        input=project_input(
            kind="CASE_STUDY",
            title="Fewer falls on ward seven",
            problem="Falls at night",
            whatWasDone="Hourly rounding",
            results="Falls halved",
            lessonsLearned="Start small",
            attachments=[uploaded["id"]],
        ),
    )
    submission = made["data"]["submitContribution"]
    assert (await gql(hub, SEARCH, text=word))["data"]["search"] == []
    approved = await gql(hub, APPROVE, keys.em_admin, id=submission["id"])
    graph_id = approved["data"]["approveSubmission"]["graphId"]
    hits = [h["node"]["id"] for h in (await gql(hub, SEARCH, text=word))["data"]["search"]]
    assert hits == [f"{graph_id}/{uploaded['id']}"]
    lessons = await gql(hub, SEARCH, text="hourly rounding")
    assert graph_id in [h["node"]["id"] for h in lessons["data"]["search"]]

    # the file's resource says where anyone may download it; the case study has no file
    downloads = (await gql(hub, DOWNLOADS, a=hits[0], b=graph_id))["data"]
    assert downloads == {
        "a": {"id": hits[0], "download": f"/files/{uploaded['id']}"},
        "b": {"id": graph_id, "download": None},
    }
    fetched = await hub.get(downloads["a"]["download"])
    assert fetched.status_code == 200 and fetched.content.startswith(b"PK")


async def test_a_file_pulled_from_another_hub_downloads_from_that_hub(
    session_graph: Graph, hub: httpx.AsyncClient
) -> None:
    """A peer's approved attachment keeps its id there in ``sameAs``: its download is at that
    hub. A resource of the same shape of id that no hub of ours made is no file at all."""
    peer = "https://hub-a.example/graphql"
    await session_graph.write(
        "UNWIND $rows AS row CREATE (r:Resource) SET r = row",
        {
            "rows": [
                {
                    "id": "hub-a:contributions:p1:sub_1/f_0a1b",
                    "title": "audit.pdf (Falls)",
                    "sameAs": [f"{peer}#contributions:p1:sub_1/f_0a1b"],
                },
                {"id": "elsewhere:guide/f_0a1b", "title": "A guide", "sameAs": []},
            ]
        },
    )
    answer = await gql(
        hub, DOWNLOADS, a="hub-a:contributions:p1:sub_1/f_0a1b", b="elsewhere:guide/f_0a1b"
    )
    assert answer["data"]["a"]["download"] == "https://hub-a.example/files/f_0a1b"
    assert answer["data"]["b"]["download"] is None


async def test_each_caller_may_upload_so_many_bytes_a_day(
    session_graph: Graph, keys: Keys, tmp_path: Path
) -> None:
    """The allowance is counted from the files' records (so every hub serving the graph
    agrees): past it, 429 with when to try again; another member is not held to it."""
    two = pdf_with("b" * 800)
    async with hub_client(session_graph, tmp_path) as hub:
        first = await upload(hub, keys.member, "one.pdf", pdf_with("a" * 400))
        assert first.status_code == 201, first.text
    rows = await session_graph.read(
        "MATCH (f:File {id: $id}) RETURN f.uploadedBy AS by", {"id": first.json()["id"]}
    )
    used, _ = await store.uploaded_since(session_graph, rows[0]["by"], 24 * 60 * 60)
    assert used >= first.json()["size"]
    async with hub_client(session_graph, tmp_path, upload_bytes_per_day=used + len(two) - 1) as hub:
        refused = await upload(hub, keys.member, "two.pdf", two)
        assert refused.status_code == 429, refused.text
        assert refused.json()["errors"][0]["message"].startswith(
            f"This file would take your uploads of the last 24 hours to {used + len(two)} "
            f"bytes; at most {used + len(two) - 1} are allowed. Try again in "
        )
        assert 23 * 60 * 60 < int(refused.headers["retry-after"]) <= 24 * 60 * 60
        assert (await upload(hub, keys.other_member, "two.pdf", two)).status_code == 201
    async with hub_client(session_graph, tmp_path, upload_bytes_per_day=used) as hub:
        full = await upload(hub, keys.member, "three.pdf", pdf_with("c"))
        assert full.status_code == 429
        said = full.json()["errors"][0]["message"]
        assert said.startswith(f"Your uploads of the last 24 hours come to {used} bytes")


async def test_uploads_no_submission_attaches_are_forgotten_after_a_day(
    session_graph: Graph, keys: Keys, tmp_path: Path
) -> None:
    """A day after it came, an upload nothing attaches loses its record and, unless another
    record holds the same bytes or they were just uploaded again, its bytes."""
    async with hub_client(session_graph, tmp_path) as hub:

        async def sent(text: str, key: str = keys.member) -> dict[str, Any]:
            response = await upload(hub, key, f"{text}.pdf", pdf_with(text))
            assert response.status_code == 201, response.text
            return response.json()  # type: ignore[no-any-return]

        loose, attached, fresh, copy, again = [
            await sent(t) for t in ("loose", "attached", "fresh", "fresh", "again")
        ]
        made = await gql(
            hub, SUBMIT, keys.member, input=project_input(attachments=[attached["id"]])
        )
        assert "errors" not in made, made
        old = [loose, attached, copy, again]
        await session_graph.write(
            "MATCH (f:File) WHERE f.id IN $ids SET f.uploadedAt = datetime() - duration('P2D')",
            {"ids": [f["id"] for f in old]},
        )
        two_days_ago = time.time() - 2 * 24 * 60 * 60
        for f in (loose, attached, fresh):  # "again" was just kept afresh: its bytes are new
            os.utime(tmp_path / f["sha256"][:2] / f["sha256"], (two_days_ago, two_days_ago))

        await sent("trigger", keys.other_member)

        left = await session_graph.read(
            "MATCH (f:File) WHERE f.id IN $ids RETURN collect(f.id) AS ids",
            {"ids": [f["id"] for f in (loose, attached, fresh, copy, again)]},
        )
        assert set(left[0]["ids"]) == {attached["id"], fresh["id"]}
        on_disk = {f["sha256"]: (tmp_path / f["sha256"][:2] / f["sha256"]).exists() for f in old}
        assert on_disk == {
            loose["sha256"]: False,  # no record holds it any more
            attached["sha256"]: True,  # a submission attaches it
            copy["sha256"]: True,  # the fresh upload of the same content holds it
            again["sha256"]: True,  # kept again within the hour: an upload may be recording it
        }
        gone = await hub.get(f"/files/{loose['id']}", headers=bearer(keys.member))
        assert gone.status_code == 404
