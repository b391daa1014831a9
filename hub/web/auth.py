"""Who is calling: an API key, a bearer token from the configured OIDC issuer, or nobody.

``Authorization: Bearer cvk_...`` (or ``X-API-Key: cvk_...``) is an API key, looked up by its
id and checked against its stored hash. Any other bearer value is a JWT: its signature is
checked with the issuer's JWKS (fetched once, again only when an unknown key id appears), then
its issuer, audience and expiry (``hub.web.oidc``). Its role and partner come from claims the
issuer sets. No credentials at all means anonymous; wrong ones are refused (401), never
downgraded, so a broken integration notices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.datastructures import Headers

from graph import access
from graph.database import Graph
from hub.config import Settings
from hub.keys import PREFIX, key_id_of, matches
from schema.viewer import ANONYMOUS, Role, Viewer

if TYPE_CHECKING:
    from hub.web.oidc import OidcTokens


class AuthError(Exception):
    """Credentials that cannot be accepted; the message says why (and never repeats them)."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


class Authenticator:
    """Turns a request's credentials into a Viewer."""

    def __init__(self, graph: Graph, settings: Settings) -> None:
        self.graph = graph
        self.tokens: OidcTokens | None = None
        if settings.oidc_issuer:
            # Only a hub that accepts tokens needs an HTTP client (for the issuer's keys).
            from hub.web.oidc import OidcTokens

            self.tokens = OidcTokens(settings)

    async def viewer(self, headers: Headers) -> Viewer:
        credential = _credential(headers)
        if credential is None:
            return ANONYMOUS
        if credential.startswith(PREFIX):
            return await self._api_key(credential)
        if self.tokens is None:
            raise AuthError("This hub accepts API keys only (no token issuer is configured).")
        return await self.tokens.viewer(credential)

    async def _api_key(self, key: str) -> Viewer:
        key_id = key_id_of(key)
        record = await access.api_key(self.graph, key_id) if key_id else None
        if record is None or not matches(key, record.hash):
            raise AuthError("Unknown API key: check it was copied whole.")
        if record.revoked_at is not None:
            raise AuthError(
                f"API key {record.id} was revoked on {record.revoked_at:%Y-%m-%d}; "
                "ask the hub admin for a new one."
            )
        return Viewer(Role(record.role), partner=record.partner, subject=f"key:{record.id}")


def _credential(headers: Headers) -> str | None:
    api_key = headers.get("x-api-key")
    if api_key:
        return api_key.strip()
    authorization = headers.get("authorization")
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise AuthError("Send credentials as `Authorization: Bearer <key or token>`.")
    return value.strip()
