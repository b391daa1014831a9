"""Bearer JWTs from the configured OIDC issuer: signature, issuer, audience, expiry, claims.

The issuer's JWKS is fetched once (through its discovery document unless its address is
configured), and again only when a token names a key id not seen before, at most every
``JWKS_MIN_REFRESH`` seconds. ``hub.web.auth`` imports this module only when an issuer is
configured.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import jwt

from hub.config import Settings
from hub.web.auth import AuthError
from schema.viewer import Role, Viewer

log = logging.getLogger(__name__)

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]
JWKS_MIN_REFRESH = 30.0  # seconds between JWKS fetches caused by unknown key ids
ROLES = {role.value: role for role in Role if role != Role.ANONYMOUS}


class OidcTokens:
    """Verifies bearer JWTs from one issuer against its JWKS."""

    def __init__(self, settings: Settings) -> None:
        assert settings.oidc_issuer is not None
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.audience = settings.oidc_audience
        self.jwks_url = settings.oidc_jwks_url
        self.role_claim = settings.oidc_role_claim
        self.partner_claim = settings.oidc_partner_claim
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def viewer(self, token: str) -> Viewer:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthError("The bearer token is neither an API key nor a JWT.") from None
        key = await self._key(str(header.get("kid", "")))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iss", "aud", "sub"]},
                leeway=30,
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("The bearer token has expired; get a new one.") from None
        except jwt.PyJWTError as error:
            raise AuthError(f"The bearer token was refused: {error}.") from None
        return self._viewer(claims)

    def _viewer(self, claims: dict[str, Any]) -> Viewer:
        named = claims.get(self.role_claim, Role.MEMBER.value)
        role = ROLES.get(str(named))
        if role is None:
            raise AuthError(f"The token's `{self.role_claim}` claim names no role: {named!r}.")
        partner = claims.get(self.partner_claim) if role == Role.PARTNER_ADMIN else None
        if role == Role.PARTNER_ADMIN and not isinstance(partner, str):
            raise AuthError(f"A partner_admin token needs a `{self.partner_claim}` claim.")
        return Viewer(role, partner=partner, subject=f"oidc:{claims['sub']}")

    async def _key(self, kid: str) -> Any:
        if kid not in self._keys:
            async with self._lock:
                if kid not in self._keys and time.monotonic() - self._fetched_at > JWKS_MIN_REFRESH:
                    await self._fetch()
        if kid not in self._keys:
            raise AuthError("The bearer token was signed with a key the issuer does not publish.")
        return self._keys[kid].key

    async def _fetch(self) -> None:
        self._fetched_at = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=10.0) as client:
                url = self.jwks_url or await self._discover(client)
                response = await client.get(url)
                response.raise_for_status()
                keys = jwt.PyJWKSet.from_dict(response.json()).keys
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
            log.warning("could not read the issuer's JWKS: %s", error)
            raise AuthError("The token issuer's keys cannot be read just now.", 503) from None
        self._keys = {str(k.key_id or ""): k for k in keys}

    async def _discover(self, client: httpx.AsyncClient) -> str:
        response = await client.get(f"{self.issuer}/.well-known/openid-configuration")
        response.raise_for_status()
        self.jwks_url = str(response.json()["jwks_uri"])
        return self.jwks_url
