"""Bearer JWTs from an OIDC issuer: tokens signed here, checked against a JWKS that a real HTTP
server on 127.0.0.1 publishes (with the discovery document that points at it)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from graph.database import Graph
from hub.config import Settings
from hub.web.app import create_app
from tests.test_access_http import message, region  # noqa: F401 (the shared region fixture)

AUDIENCE = "convener-test"
SIGNING = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_SIGNING = ec.generate_private_key(ec.SECP256R1())
STRANGER = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PERSON = "query ($id: ID!) { person(id: $id) { name contact { email } } }"


def jwks() -> dict[str, Any]:
    rsa_jwk = json.loads(RSAAlgorithm.to_jwk(SIGNING.public_key()))
    ec_jwk = json.loads(ECAlgorithm.to_jwk(EC_SIGNING.public_key()))
    return {"keys": [{**rsa_jwk, "kid": "rsa-1", "use": "sig"}, {**ec_jwk, "kid": "ec-1"}]}


class Issuer(BaseHTTPRequestHandler):
    """The identity provider's two public documents."""

    issuer = ""

    def do_GET(self) -> None:
        if self.path == "/.well-known/openid-configuration":
            body: Any = {"issuer": self.issuer, "jwks_uri": f"{self.issuer}/jwks"}
        elif self.path == "/jwks":
            body = jwks()
        else:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    Issuer.issuer = f"http://127.0.0.1:{port}"
    server = ThreadingHTTPServer(("127.0.0.1", port), Issuer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Issuer.issuer
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
async def hub(
    session_graph: Graph,
    region: dict[str, str],  # noqa: F811
    issuer: str,
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(_env_file=None, oidc_issuer=issuer, oidc_audience=AUDIENCE)  # type: ignore[call-arg]
    app = create_app(session_graph, close_graph=False, settings=settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://hub"
    ) as client:
        yield client


def token(issuer: str, key: Any = SIGNING, kid: str = "rsa-1", **claims: Any) -> str:
    now = int(time.time())
    body = {"iss": issuer, "aud": AUDIENCE, "sub": "improver-7", "iat": now, "exp": now + 300}
    body.update(claims)
    algorithm = "ES256" if isinstance(key, ec.EllipticCurvePrivateKey) else "RS256"
    return jwt.encode(body, key, algorithm=algorithm, headers={"kid": kid})


async def ask(hub: httpx.AsyncClient, bearer: str, query: str, **variables: Any) -> httpx.Response:
    return await hub.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {bearer}"},
    )


async def test_a_signed_token_makes_a_member(
    hub: httpx.AsyncClient,
    issuer: str,
    region: dict[str, str],  # noqa: F811
) -> None:
    for signed in (token(issuer), token(issuer, key=EC_SIGNING, kid="ec-1")):
        answer = await ask(hub, signed, PERSON, id=region["Person"])
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"]["person"]["contact"] == {"email": "nia.brook@zv.example"}


async def test_roles_and_partners_come_from_claims(hub: httpx.AsyncClient, issuer: str) -> None:
    runs = "{ syncRuns { source } }"
    partner = token(issuer, convener_role="partner_admin", convener_partner="other")
    assert (await ask(hub, partner, runs)).json() == {"data": {"syncRuns": [{"source": "ov"}]}}
    admin = await ask(hub, token(issuer, convener_role="hub_admin"), runs)
    assert sorted(r["source"] for r in admin.json()["data"]["syncRuns"]) == ["ov", "zv"]
    member = await ask(hub, token(issuer), runs)
    assert member.json()["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    unnamed = await ask(hub, token(issuer, convener_role="partner_admin"), runs)
    assert (unnamed.status_code, message(unnamed)) == (
        401,
        "A partner_admin token needs a `convener_partner` claim.",
    )
    odd = await ask(hub, token(issuer, convener_role="superuser"), runs)
    assert message(odd) == "The token's `convener_role` claim names no role: 'superuser'."


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"exp": int(time.time()) - 3600}, "The bearer token has expired; get a new one."),
        ({"aud": "someone-else"}, "The bearer token was refused: Audience doesn't match."),
        ({"iss": "https://impostor.example"}, "The bearer token was refused: Invalid issuer."),
        ({"key": STRANGER}, "The bearer token was refused: Signature verification failed."),
        (
            {"kid": "unknown-kid"},
            "The bearer token was signed with a key the issuer does not publish.",
        ),
    ],
)
async def test_bad_tokens_are_refused_with_the_reason(
    hub: httpx.AsyncClient, issuer: str, change: dict[str, Any], expected: str
) -> None:
    bad = token(issuer, **change)
    answer = await ask(hub, bad, "{ __typename }")
    assert answer.status_code == 401
    assert message(answer) == expected
    assert answer.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert bad not in answer.text
