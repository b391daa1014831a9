"""What the contributions tests share: a region loaded through the real sync path, an API key
for each role, a hub app over HTTP (ASGI), and small builders of real files."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from eval import planted
from graph.database import Graph
from graph.similarity.engine import rescore_all
from hub.config import Settings
from hub.keys import create_key
from hub.web.app import create_app
from schema.viewer import Role

NVH = "ods:ZNV01"  # North Vale Hospitals: partner nv-hospitals
EMH = "ods:ZEM01"  # Eastmoor Hospitals: partner em-hospitals


@dataclass
class Keys:
    member: str
    other_member: str
    nv_admin: str
    em_admin: str
    hub_admin: str


async def load(graph: Graph) -> Keys:
    """An empty graph, then the planted region scored for duplicates, and a key per role."""
    await graph.write("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n")
    await planted.load_region(graph)
    await rescore_all(graph)
    keys = [
        (await create_key(graph, role, partner, label))[0]
        for role, partner, label in (
            (Role.MEMBER, None, "Member Ann"),
            (Role.MEMBER, None, "Member Bo"),
            (Role.PARTNER_ADMIN, "nv-hospitals", "NV admin"),
            (Role.PARTNER_ADMIN, "em-hospitals", "EM admin"),
            (Role.HUB_ADMIN, None, "Hub admin"),
        )
    ]
    return Keys(*keys)


def hub_client(graph: Graph, files: Path, **overrides: Any) -> httpx.AsyncClient:
    settings = Settings(_env_file=None, files_dir=files, **overrides)  # type: ignore[call-arg]
    app = create_app(graph, close_graph=False, settings=settings)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub")


def bearer(key: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"} if key else {}


async def gql(
    client: httpx.AsyncClient, query: str, key: str | None = None, **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=bearer(key)
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def error_of(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer.get("errors"), answer
    return answer["errors"][0]  # type: ignore[no-any-return]


SUBMIT = """
mutation ($input: SubmissionInput!) {
  submitContribution(input: $input) {
    id status title partner newOrganisationName mine mayModerate graphId
    organisation { id name } topics { id label } methods
    attachments { id name contentType size url }
    decisions { action by at reason }
  }
}
"""


def project_input(**changes: Any) -> dict[str, Any]:
    given = {
        "kind": "PROJECT",
        "title": "Bed sensor alarms to cut night-time falls on older people's wards",
        "aim": "Reduce inpatient falls among older patients at night with bed and chair sensor "
        "alarms that alert ward staff.",
        "organisation": EMH,
        "topics": ["falls"],
        "methods": ["PDSA"],
        "mode": "ITERATIVE_QI",
        "status": "ACTIVE",
        "startDate": "2024-05-01",
    }
    given.update(changes)
    return given


def pdf_with(text: str) -> bytes:
    """A one-page PDF whose page shows ``text`` (a real PDF: objects, xref and trailer)."""
    return pdf_drawing(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())


def pdf_drawing(content: bytes, *, compressed: bool = False) -> bytes:
    """A one-page PDF whose page is drawn by ``content`` (deflated if ``compressed``)."""
    stream = zlib.compress(content, 9) if compressed else content
    deflated = b" /Filter /FlateDecode" if compressed else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length "
        + str(len(stream)).encode()
        + deflated
        + b" >>\nstream\n"
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="{part}" ContentType="{type}"/></Types>'
)


def _zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def docx_with(*paragraphs: str) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return _zip(
        {
            "[Content_Types].xml": _TYPES.format(
                part="/word/document.xml",
                type="application/vnd.openxmlformats-officedocument.wordprocessingml."
                "document.main+xml",
            ),
            "word/document.xml": f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>',
        }
    )


def pptx_with(*slides: str) -> bytes:
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    parts = {
        "[Content_Types].xml": _TYPES.format(
            part="/ppt/presentation.xml",
            type="application/vnd.openxmlformats-officedocument.presentationml."
            "presentation.main+xml",
        ),
        "ppt/presentation.xml": "<p:presentation xmlns:p='urn:p'/>",
    }
    for number, text in enumerate(slides, start=1):
        parts[f"ppt/slides/slide{number}.xml"] = (
            f'<p:sld xmlns:p="urn:p" xmlns:a="{a}"><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>'
        )
    return _zip(parts)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
