"""Persisted queries: an allowlist of named operations kept in the repository, and embed caching.

``schema/persisted/*.graphql`` holds named operations (the widget's in ``embed.graphql``, the
explorer's in ``explorer.graphql``, and any a partner asks for). Each is known by its name (its
id) and by the SHA-256 of its normalised text (its hash); ``schema/persisted/manifest.json``
lists both, and a test keeps it current (``python -m hub.web.persisted`` rewrites it). A client
asks with ``id`` / ``documentId`` (the name, ``sha256:<hash>`` or the bare hash) or with
Apollo's ``extensions.persistedQuery.sha256Hash``; sending the full text of an allowlisted
operation works too.

When anonymous callers are persisted-only (production), anything else they send is refused
with 403. Anonymous answers to persisted queries carry an ETag and a public Cache-Control, and a
matching ``If-None-Match`` gets 304; answers to signed-in callers are ``private, no-store``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    OperationDefinitionNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor
from starlette.requests import Request
from starlette.responses import Response

from hub.web.graphql_http import Params, RequestProblem
from schema.viewer import Viewer

PERSISTED_DIR = Path(__file__).resolve().parents[2] / "schema" / "persisted"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Document:
    id: str
    hash: str
    text: str
    query: bool = True
    """A query (its answers may be cached), not a mutation."""


def normalise(text: str) -> str:
    """The document as graphql-core prints it: the same whatever its spacing and comments."""
    return print_ast(parse(text, no_location=True))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=128)
def normalised_hash(query: str) -> str | None:
    """The hash of a sent document as printed, or None if it does not parse.

    Cached because clients send the same few texts again and again, and parsing and printing
    one costs about a millisecond per request; bodies are bounded, so the cache is too.
    """
    try:
        return text_hash(normalise(query))
    except GraphQLError:
        return None


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.names.add(node.name.value)


def _operation_document(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> str:
    """One operation with the fragments it uses (transitively), normalised."""
    wanted: list[FragmentDefinitionNode] = []
    pending = [operation]
    seen: set[str] = set()
    while pending:
        spreads = _Spreads()
        visit(pending.pop(), spreads)
        for name in sorted(spreads.names - seen):
            seen.add(name)
            wanted.append(fragments[name])
            pending.append(fragments[name])  # type: ignore[arg-type]
    return print_ast(DocumentNode(definitions=(operation, *wanted)))


def load_documents(directory: Path = PERSISTED_DIR) -> dict[str, Document]:
    """Every named operation in ``directory``'s ``.graphql`` files, by name."""
    documents: dict[str, Document] = {}
    for path in sorted(directory.glob("*.graphql")):
        try:
            parsed = parse(path.read_text(encoding="utf-8"), no_location=True)
        except GraphQLError as error:
            raise ValueError(f"{path}: {error.message}") from None
        fragments = {
            d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for definition in parsed.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            if definition.name is None:
                raise ValueError(f"{path}: every persisted operation needs a name (its id)")
            name = definition.name.value
            if name in documents:
                raise ValueError(f"{path}: operation {name} is persisted twice")
            text = _operation_document(definition, fragments)
            is_query = definition.operation.value == "query"
            documents[name] = Document(name, text_hash(text), text, is_query)
    return documents


def manifest(documents: dict[str, Document]) -> str:
    entries = {doc.id: {"sha256": doc.hash} for doc in documents.values()}
    return json.dumps({"operations": entries}, indent=2, sort_keys=True) + "\n"


class PersistedQueries:
    """The allowlist, and the rules for anonymous callers and caching (a ``Gate``)."""

    def __init__(
        self, documents: dict[str, Document], *, persisted_only: bool, max_age: int
    ) -> None:
        self.documents = documents
        self.by_hash = {doc.hash: doc for doc in documents.values()}
        self.persisted_only = persisted_only
        self.max_age = max_age

    def find(self, document_id: str) -> Document | None:
        wanted = document_id.removeprefix("sha256:").lower()
        return self.documents.get(document_id) or self.by_hash.get(wanted)

    def resolve(self, params: Params, viewer: Viewer) -> Params:
        if params.document_id is not None:
            found = self.find(params.document_id)
            if found is None:
                raise RequestProblem(
                    404,
                    f"Unknown persisted query {params.document_id!r}. This hub persists: "
                    f"{', '.join(sorted(self.documents))}.",
                )
            return replace(
                params,
                query=found.text,
                operation_name=found.id,
                persisted=found.id,
                cacheable=found.query,
            )
        sent = self._sent(params.query)
        if sent is not None:
            return replace(params, persisted=sent.id, cacheable=sent.query)
        if self.persisted_only and not viewer.signed_in:
            raise RequestProblem(
                403,
                "Anonymous callers may run only this hub's persisted queries: send `id` with one "
                f"of {', '.join(sorted(self.documents))}, or sign in with an API key or token.",
            )
        return params

    def _sent(self, query: str | None) -> Document | None:
        """The allowlisted document a full query text is, if it is one."""
        if query is None:
            return None
        return self.by_hash.get(normalised_hash(query) or "")

    def finish(
        self, request: Request, params: Params, viewer: Viewer, response: Response, ok: bool
    ) -> Response:
        if viewer.signed_in:
            response.headers["Cache-Control"] = "private, no-store"
            return response
        if not (params.persisted and ok and response.status_code == 200):
            response.headers["Cache-Control"] = "no-store"
            return response
        etag = f'"{hashlib.sha256(bytes(response.body)).hexdigest()[:32]}"'
        cache = f"public, max-age={self.max_age}" if request.method == "GET" else "no-cache"
        headers = {
            "ETag": etag,
            "Cache-Control": cache,
            "Vary": "Accept, Origin, Authorization, X-API-Key",
        }
        if request.method == "GET" and etag in etag_set(request.headers.get("if-none-match")):
            return Response(status_code=304, headers=headers)
        response.headers.update(headers)
        return response


def etag_set(header: str | None) -> set[str]:
    """The entity tags an ``If-None-Match`` header lists (weak ones compared as strong)."""
    return {tag.strip().removeprefix("W/") for tag in (header or "").split(",") if tag.strip()}


if __name__ == "__main__":
    (PERSISTED_DIR / MANIFEST).write_text(manifest(load_documents()), encoding="utf-8")
    sys.stdout.write(f"wrote {PERSISTED_DIR / MANIFEST}\n")
