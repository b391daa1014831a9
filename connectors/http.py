"""HTTP for connectors: auth from the environment, timeouts, and polite retries.

Partner servers are small and sometimes unwell. A request is retried on connection errors,
timeouts, 5xx and 429 with exponential backoff and jitter, waiting as long as a Retry-After
asks; anything else that is not 2xx or 304 fails the source with a message a person can act on.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from connectors.partners import ApiKeyAuth, BearerAuth, HttpOptions
from connectors.result import SourceFailure

USER_AGENT = "Convener connector (+https://convener.example/partners)"
Sleep = Callable[[float], Awaitable[None]]


class Fetcher:
    """One source's requests: its auth, its patience, and a count and log of what happened."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        options: HttpOptions,
        auth: BearerAuth | ApiKeyAuth | None = None,
        *,
        env: Mapping[str, str] | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.client = client
        self.options = options
        self.auth = auth
        self.headers = {"User-Agent": USER_AGENT, **_auth_headers(auth, env or os.environ)}
        self.sleep = sleep
        self.requests = 0
        self.notes: list[str] = []

    async def get(
        self,
        url: str,
        *,
        what: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        return await self.request("GET", url, what=what, params=params, headers=headers)

    async def request(
        self,
        method: str,
        url: str,
        *,
        what: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> httpx.Response:
        """A 2xx or 304 response, after retries; else ``SourceFailure`` saying why."""
        options = self.options
        attempts = options.retries + 1
        problem = ""
        for attempt in range(attempts):
            delay = _backoff(options, attempt)
            try:
                self.requests += 1
                response = await self.client.request(
                    method,
                    url,
                    params=params,
                    headers={**self.headers, **(headers or {})},
                    json=json_body,
                    timeout=options.timeout,
                )
            except httpx.TimeoutException:
                problem = f"timed out after {options.timeout:g} s"
            except httpx.TransportError as error:
                problem = f"could not be reached ({type(error).__name__}: {error})"
            else:
                if response.status_code < 300 or response.status_code == 304:
                    return response
                problem = f"answered {response.status_code} {response.reason_phrase}".strip()
                if response.status_code not in (429,) and response.status_code < 500:
                    raise SourceFailure(f"{what}: {problem}{self._hint(response.status_code)}")
                asked = _retry_after(response)
                if asked is not None:
                    if asked > options.retry_after_max:
                        raise SourceFailure(
                            f"{what}: {problem} and asked us to wait {asked:g} s (Retry-After), "
                            f"longer than http.retry_after_max ({options.retry_after_max:g} s)"
                        )
                    delay = asked
            if attempt + 1 < attempts:
                self.notes.append(f"{what}: {problem}; retrying in {delay:.2f} s")
                await self.sleep(delay)
        tries = f"{attempts} attempts" if attempts > 1 else "1 attempt"
        raise SourceFailure(f"{what}: {problem} ({tries})")

    def _hint(self, status: int) -> str:
        if status in (401, 403):
            if self.auth is None:
                return ": the server wants credentials; add auth to the source"
            env = self.auth.token_env if isinstance(self.auth, BearerAuth) else self.auth.key_env
            return f": access refused; check the credentials in ${env}"
        if status == 404:
            return ": check the source's url"
        return ""


def _auth_headers(auth: BearerAuth | ApiKeyAuth | None, env: Mapping[str, str]) -> dict[str, str]:
    if auth is None:
        return {}
    name = auth.token_env if isinstance(auth, BearerAuth) else auth.key_env
    secret = env.get(name)
    if not secret:
        raise SourceFailure(f"environment variable {name} (for {auth.type} auth) is not set")
    if isinstance(auth, BearerAuth):
        return {"Authorization": f"Bearer {secret}"}
    return {auth.header: secret}


def _backoff(options: HttpOptions, attempt: int) -> float:
    """Exponential, capped, with jitter so that many sources do not retry in step."""
    ceiling = min(options.backoff_max, options.backoff * 2**attempt)
    return ceiling * (0.5 + random.random() / 2)


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header (a number, or an HTTP date); None if absent or bad."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


CONTENT_HASH = "sha256:"
"""How a validator made from the content starts: a server that sends no ETag is compared by it."""


def if_none_match(known: str | None) -> dict[str, str]:
    """The header that asks again with a known ETag (a content hash is compared afterwards)."""
    return {"If-None-Match": known} if known and not known.startswith(CONTENT_HASH) else {}


def validator_of(response: httpx.Response) -> str:
    """The answer's ETag, else a hash of its content, to tell the next pull it is unchanged."""
    etag = response.headers.get("etag")
    return etag or CONTENT_HASH + hashlib.sha256(response.content).hexdigest()


def read_json(response: httpx.Response, what: str) -> Any:
    """The body as JSON, or ``SourceFailure`` naming what came instead."""
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if "json" not in content_type:
        shown = content_type or "no content type"
        raise SourceFailure(f"{what}: answered {shown}, not JSON (is the url right?)")
    try:
        return json.loads(response.content)
    except UnicodeDecodeError as error:
        raise SourceFailure(f"{what}: the JSON is not valid UTF-8 ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise SourceFailure(
            f"{what}: malformed JSON ({error.msg} at line {error.lineno} column {error.colno}; "
            f"{len(response.content)} bytes received, truncated?)"
        ) from None
